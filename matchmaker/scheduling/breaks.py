"""Fewer breaks for a fixed set of meetings: simulated annealing, and an exact CP-SAT model.

A *break* is a run of idle slots between two meetings of one participant on the same day.
Both methods only move meetings between slots they may use (availability, the candidate's own
slots, free partners, a table left) and never move locked meetings.
"""

from __future__ import annotations

import math
import random
import time

from matchmaker.scheduling.core import breaks_of
from matchmaker.scheduling.place import State


def participant_breaks(st: State) -> list[int]:
    """Breaks per participant in the current state. Cost O(P·days)."""
    return [breaks_of(m, st.prob) for m in st.busy]


def _cost(b: int, cap: int | None) -> float:
    # total breaks first; the square spreads them; over the fairness cap costs a lot
    c = b + 0.01 * b * b
    if cap is not None and b > cap:
        c += 10.0 * (b - cap)
    return c


def anneal(
    st: State,
    time_limit: float,
    seed: int = 0,
    fairness: int | None = None,
    max_iterations: int | None = None,
) -> int:
    """Reduce breaks of ``st`` in place by simulated annealing over Kempe-chain moves: a
    meeting goes from slot s to slot t and the meetings at s and t linked to it through shared
    participants swap sides (a plain relocation when nobody blocks t). Every move keeps the
    schedule feasible (slots each meeting may use, tables per slot, locked meetings stay).
    Keeps the best state seen. ``fairness`` caps the breaks of anyone (soft penalty).
    Returns the iterations run.
    Cost: about 10 µs per iteration, bounded by ``time_limit`` seconds."""
    prob = st.prob
    movable = [k for k in range(len(prob.cands)) if st.slot_of[k] >= 0]
    if not movable or time_limit <= 0:
        return 0
    rng = random.Random(seed)
    options = {}
    for k in movable:
        m = prob.usable[k]
        options[k] = [s for s in range(prob.n_slots) if (m >> s) & 1]
    movable = [k for k in movable if len(options[k]) > 1]
    if not movable:
        return 0
    ca, cb = prob.ca, prob.cb
    busy, occ = st.busy, st.occ
    usable = prob.usable
    tables = prob.tables
    chain_cap = 16
    nds = prob.not_day_start
    day_masks = prob.day_masks
    cap = fairness

    def brk(mask: int) -> int:
        if not mask:
            return 0
        starts = mask & ~((mask << 1) & nds)
        d = 0
        for dm in day_masks:
            if mask & dm:
                d += 1
        return starts.bit_count() - d

    pb = [brk(m) for m in busy]
    cost = sum(_cost(b, cap) for b in pb)
    best_cost = cost
    best_slots = list(st.slot_of)
    t0 = time.perf_counter()
    T0, T1 = 0.6, 0.02
    T = T0
    it = 0
    n = len(movable)
    while True:
        if it % 512 == 0:
            el = time.perf_counter() - t0
            if el >= time_limit or (max_iterations is not None and it >= max_iterations):
                break
            done = el / time_limit
            if max_iterations is not None:
                done = max(done, it / max_iterations)
            T = T0 * (T1 / T0) ** done
            if cost < best_cost - 1e-9:
                best_cost = cost
                best_slots = list(st.slot_of)
            if cost <= 1e-9:
                break  # nobody has a break: nothing left to gain
        it += 1
        k = movable[rng.randrange(n)]
        s = st.slot_of[k]
        opts = options[k]
        t = opts[rng.randrange(len(opts))]
        if t == s:
            continue
        a, b = ca[k], cb[k]
        ba, bb = busy[a], busy[b]
        bit_t = 1 << t
        if not (ba | bb) & bit_t:
            # plain relocation (the common case, kept cheap)
            if not (st.open >> t) & 1:
                continue
            bit_s = 1 << s
            na, nb = brk((ba & ~bit_s) | bit_t), brk((bb & ~bit_s) | bit_t)
            delta = _cost(na, cap) + _cost(nb, cap) - _cost(pb[a], cap) - _cost(pb[b], cap)
            if delta <= 0 or rng.random() < math.exp(-delta / T):
                st.move(k, t)
                pb[a], pb[b] = na, nb
                cost += delta
            continue
        # Kempe chain: the meetings at s and t linked through shared participants swap slots
        side_s, side_t = [k], []
        seen = {k}
        frontier = [(k, t)]
        ok = True
        while frontier and ok:
            j, dest = frontier.pop()
            for p in (ca[j], cb[j]):
                o = occ[p].get(dest)
                if o is None or o in seen:
                    continue
                if o < 0 or len(seen) >= chain_cap:
                    ok = False
                    break
                seen.add(o)
                back = s if dest == t else t
                if not (usable[o] >> back) & 1:
                    ok = False
                    break
                (side_t if dest == t else side_s).append(o)
                frontier.append((o, back))
        if not ok:
            continue
        if any(not (usable[j] >> t) & 1 for j in side_s):
            continue
        grow = len(side_s) - len(side_t)
        if grow > 0 and st.load[t] + grow > tables[t]:
            continue
        if grow < 0 and st.load[s] - grow > tables[s]:
            continue
        bit_s, bit_t = 1 << s, 1 << t
        both = bit_s | bit_t
        changed = {}
        for j in side_s:
            for p in (ca[j], cb[j]):
                changed[p] = changed.get(p, 0) ^ 1
        for j in side_t:
            for p in (ca[j], cb[j]):
                changed[p] = changed.get(p, 0) ^ 2
        delta = 0.0
        new_b = []
        for p, side in changed.items():
            if side == 3:
                continue  # busy in both slots before and after
            m = busy[p]
            nm = m ^ both  # exactly one of the two bits is set: it moves to the other slot
            nb = brk(nm)
            delta += _cost(nb, cap) - _cost(pb[p], cap)
            new_b.append((p, nb))
        if delta <= 0 or rng.random() < math.exp(-delta / T):
            for j in side_s:
                st.remove(j)
            for j in side_t:
                st.remove(j)
            for j in side_s:
                st.place(j, t)
            for j in side_t:
                st.place(j, s)
            for p, nb in new_b:
                pb[p] = nb
            cost += delta
    if cost < best_cost - 1e-9:
        best_cost = cost
        best_slots = list(st.slot_of)
    _restore(st, best_slots)
    return it


def _restore(st: State, slots: list[int]) -> None:
    """Put every candidate back to ``slots`` (same meeting set, different slots)."""
    if slots == st.slot_of:
        return
    placed = [k for k, s in enumerate(st.slot_of) if s >= 0]
    for k in placed:
        st.remove(k)
    for k, s in enumerate(slots):
        if s >= 0:
            st.place(k, s)


def exact(
    st: State,
    time_limit: float,
    fairness: int | None = None,
    workers: int = 2,
    meetings: list[int] | None = None,
    implied: bool = True,
) -> tuple[str, int | None, int | None]:
    """Minimise total breaks of the meetings of ``st`` exactly with CP-SAT, keeping each in a
    slot it may use, at most one meeting per participant and slot, tables per slot, and if
    ``fairness`` is set, max - min breaks (over participants with meetings) <= fairness.
    The block model and the bottom-up search are in ``breaks_exact``; ``implied`` adds its
    implied constraints (span, interval). The current slots are the hint (warm start).
    ``meetings`` (default: the placed ones) may include unplaced candidates, which must then
    be placed too. On success ``st`` is updated (only with a strictly better agenda).

    Returns (status name, breaks found or None, proven lower bound or None); "OPTIMAL" only
    when CP-SAT proved the break count minimal.
    Cost: CP-SAT search bounded by ``time_limit`` seconds on ``workers`` threads (2 suit a
    2-core machine; more threads than cores slow every one of them)."""
    from matchmaker.scheduling.breaks_exact import solve_exact

    # Fixed meetings: breaks are the whole objective and a proof is wanted, so most of the
    # time raises the lower bound, then the breaker-set step; otherwise most of it improves
    # the agenda (the breaker-set step was measured on fixed meetings only).
    fixed = st.prob.instance.options.fixed_meetings
    share = 0.6 if fixed else 0.25
    return solve_exact(
        st, time_limit, fairness, workers, meetings, implied, share, None if fixed else 0.0
    )
