"""Fewer breaks for a fixed set of meetings: simulated annealing, and an exact CP-SAT model.

A *break* is a run of idle slots between two meetings of one participant on the same day.
Both methods only move meetings between slots they may use (availability, the candidate's own
slots, free partners, a table left) and never move locked meetings.
"""

from __future__ import annotations

import random
import time

from matchmaker.scheduling.core import breaks_of
from matchmaker.scheduling.place import State


def participant_breaks(st: State) -> list[int]:
    """Breaks per participant in the current state. Cost O(P·days)."""
    return [breaks_of(m, st.prob) for m in st.busy]


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
    Keeps the best state seen. ``fairness`` caps the breaks of anyone (soft penalty). The
    moves run in ``anneal_kernel`` (compiled), in slices of a few thousand between clock
    readings; the temperature falls with the time (or iterations) used.
    Returns the iterations run.
    Cost: about 0.2 µs per iteration, bounded by ``time_limit`` seconds."""
    import numpy as np

    from matchmaker.scheduling import anneal_kernel as kern

    prob = st.prob
    P, S, K = prob.n_people, prob.n_slots, len(prob.cands)
    movable = [k for k in range(K) if st.slot_of[k] >= 0 and prob.usable[k].bit_count() > 1]
    if not movable or time_limit <= 0:
        return 0
    occ = np.full((P, S), kern.FREE, np.int64)
    for p, row in enumerate(st.occ):
        for s, k in row.items():
            occ[p, s] = k if k >= 0 else kern.LOCKED
    usable = np.array([[(m >> s) & 1 for s in range(S)] for m in prob.usable], np.bool_)
    follows = np.array([(prob.not_day_start >> s) & 1 for s in range(S)], np.bool_)
    pb = np.array(participant_breaks(st), np.int64)
    cap = -1 if fairness is None else int(fairness)
    cost = float(sum(kern.cost_of(int(b), cap) for b in pb))
    slot_of = np.array(st.slot_of, np.int64)
    best_slot = slot_of.copy()
    scal = np.array([cost, cost])  # cost now, best cost
    arrays = (
        occ,
        slot_of,
        usable,
        np.array(prob.ca, np.int64),
        np.array(prob.cb, np.int64),
        np.array(movable, np.int64),
        np.array(st.load, np.int64),
        np.array(prob.tables, np.int64),
        np.array(prob.seated, np.int64),
        follows,
        pb,
        cap,
        best_slot,
        scal,
        *_order_arrays(prob, K),
    )
    kern.run(*arrays, 0, 1.0, 1.0, 0)  # compiles (or loads) the kernel outside the clock
    T0, T1 = 0.6, 0.02
    limit = max_iterations
    t0 = time.perf_counter()
    it, chunk = 0, 2_000
    rng = random.Random(seed)
    while scal[0] > 1e-9:  # stop once nobody has a break
        el = time.perf_counter() - t0
        if el >= time_limit or (limit is not None and it >= limit):
            break
        done = el / time_limit
        if limit is not None:
            chunk = min(chunk, limit - it)
            done = max(done, it / limit)
        rate = it / el if el > 0 and it else 0.0
        ahead = chunk / (rate * time_limit) if rate else 0.0
        if limit is not None:
            ahead = max(ahead, chunk / limit)
        t_from = T0 * (T1 / T0) ** done
        t_to = T0 * (T1 / T0) ** min(1.0, done + ahead)
        it += kern.run(*arrays, chunk, t_from, t_to, rng.randrange(2**31))
        chunk = min(200_000, chunk * 2)
    _restore(st, [int(s) for s in best_slot])
    return it


def _order_arrays(prob, K: int):
    """The precedences between candidates as the kernel's CSR arrays (``anneal_kernel``)."""
    import numpy as np

    ptr = np.zeros(K + 1, np.int64)
    idx: list[int] = []
    for k in range(K):
        if prob.earlier:
            idx += [j + 1 for j in prob.earlier[k]] + [-(j + 1) for j in prob.later[k]]
        ptr[k + 1] = len(idx)
    return ptr, np.array(idx, np.int64)


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
