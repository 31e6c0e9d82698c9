"""Which suggested meetings the optimiser may consider, given each participant's consent.

A suggested meeting is one nobody asked for: the organizers add it from a good match to fill a
free slot. Each participant says how many they accept (their limit, 0 = none), and the event
sets a relevance floor under which no pair is suggested. The optimiser has no cap per priority
class, so the choice is made here, before it runs: only pairs where both sides consent, at or
above the floor, best score first, each side kept within its limit. The optimiser then places
what fits among these; a chosen pair it cannot place is not replaced by the next best (the
limit is an upper bound, never a promise).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def choose_suggestions(
    pairs: Iterable[tuple[str, str, float]],
    limits: Mapping[str, int],
    floor: float = 0.0,
) -> list[tuple[str, str, float]]:
    """The suggestion candidates to offer the optimiser: from `pairs` (a, b, score), those
    with score >= `floor`, both sides in `limits` with a limit above 0, taken best score first
    (ties by ids, so the choice is repeatable) while neither side has reached its limit.
    A participant missing from `limits` consents to none. Greedy, so each participant gets
    at most its limit; cost O(p log p) for p pairs."""
    taken = dict.fromkeys(limits, 0)
    chosen = []
    for a, b, score in sorted(pairs, key=lambda pair: (-pair[2], str(pair[0]), str(pair[1]))):
        if score < floor or a == b:
            continue
        if limits.get(a, 0) <= taken.get(a, 0) or limits.get(b, 0) <= taken.get(b, 0):
            continue
        taken[a] += 1
        taken[b] += 1
        chosen.append((a, b, score))
    return chosen
