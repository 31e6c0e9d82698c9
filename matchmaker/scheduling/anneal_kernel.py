"""The inner loop of ``breaks.anneal``, compiled with Numba: Kempe-chain moves over flat
arrays instead of Python dicts and ints, about 30 times as many moves per second.

A move takes a meeting k and a slot t: drawn at random, or (a ``TARGETED`` share of them)
one meeting of a participant with a break and a slot in one of its gaps. ``run`` performs a
fixed number of moves at a temperature falling geometrically from ``t_from`` to ``t_to``;
the caller (``breaks.anneal``) slices the time limit into such calls. Every array is
updated in place, so a slice continues where the last one stopped.

Arrays (P participants, S slots, K candidates):

- ``occ[p, s]``: the candidate p meets in slot s, ``FREE`` or ``LOCKED``;
- ``slot_of[k]``: the slot of candidate k (-1: not placed); ``usable[k, s]``: k may use s;
- ``load[s]``, ``tables[s]``: meetings in the hall and tables per slot; ``seat[k]``: 1 when
  candidate k needs a table, 0 for an online meeting;
- ``follows[s]``: slot s follows another slot of the same day (slots are in time order);
- ``pb[p]``: breaks of p now; ``best_slot``: the slots of the best state seen;
- ``scal``: [cost now, best cost] (the cost of ``cost_of``, summed over participants);
- ``ord_ptr``, ``ord_idx``: precedences, CSR by candidate: ``j + 1`` for a candidate that
  must be in an earlier slot than k, ``-(j + 1)`` for one that must be later. A move that
  breaks one between two placed meetings is rejected (``_order_ok``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

FREE = -1
LOCKED = -2
CHAIN_CAP = 16
#: Share of the moves aimed at a participant with a break (one of its meetings into one of
#: its gaps) instead of drawn at random: 7-10 % fewer breaks after 8 s on the dense
#: benchmark instances (3 seeds x 4 instances, twice), and more 0-break agendas on the small.
TARGETED = 0.3


@njit(cache=True)
def cost_of(b: int, cap: int) -> float:
    """Total breaks first; the square spreads them; over the fairness cap (``cap`` >= 0)
    costs a lot."""
    c = b + 0.01 * b * b
    if cap >= 0 and b > cap:
        c += 10.0 * (b - cap)
    return c


@njit(cache=True)
def breaks_row(occ, p, follows, s, t):
    """Breaks of participant p, with its busy state in slots s and t exchanged when s >= 0:
    idle runs between two of its meetings on the same day (``core.breaks_of`` over a row;
    the slots of a day are consecutive, ``follows`` is false where a day starts)."""
    breaks = 0
    met = False  # a meeting earlier this day
    prev = False
    for u in range(occ.shape[1]):
        v = u
        if s >= 0:
            if u == s:
                v = t
            elif u == t:
                v = s
        if not follows[u]:
            met = prev = False
        busy = occ[p, v] != FREE
        if busy and met and not prev:
            breaks += 1
        met = met or busy
        prev = busy
    return breaks


@njit(cache=True)
def _put(occ, slot_of, load, seat, ca, cb, k, s):
    occ[ca[k], s] = k
    occ[cb[k], s] = k
    slot_of[k] = s
    load[s] += seat[k]


@njit(cache=True)
def _take(occ, slot_of, load, seat, ca, cb, k):
    s = slot_of[k]
    occ[ca[k], s] = FREE
    occ[cb[k], s] = FREE
    slot_of[k] = -1
    load[s] -= seat[k]


@njit(cache=True)
def _into_gap(occ, p, follows):
    """A random meeting of p (not a locked one) and a random slot of one of p's gaps (idle,
    with a meeting of p before and after it that day); (-1, -1) when there is none."""
    k, t, nk, ng = -1, -1, 0, 0
    met = False  # a meeting earlier this day
    idle_from = -1  # first idle slot since p's last meeting this day
    for u in range(occ.shape[1]):
        if not follows[u]:
            met, idle_from = False, -1
        o = occ[p, u]
        if o == FREE:
            if met and idle_from < 0:
                idle_from = u
            continue
        if idle_from >= 0:  # the idle run since the last meeting is a gap
            for v in range(idle_from, u):
                ng += 1
                if np.random.randint(ng) == 0:
                    t = v
            idle_from = -1
        met = True
        if o >= 0:
            nk += 1
            if np.random.randint(nk) == 0:
                k = o
    if k < 0 or t < 0:
        return -1, -1
    return k, t


@njit(cache=True)
def _order_ok(k, dest, slot_of, ord_ptr, ord_idx, side_s, ns, side_t, nt, s, t):
    """Whether meeting k in slot ``dest`` keeps its precedences once the meetings of
    ``side_s[:ns]`` go to t and those of ``side_t[:nt]`` go to s."""
    for e in range(ord_ptr[k], ord_ptr[k + 1]):
        code = ord_idx[e]
        j = code - 1 if code > 0 else -code - 1
        sj = slot_of[j]
        for i in range(ns):
            if side_s[i] == j:
                sj = t
        for i in range(nt):
            if side_t[i] == j:
                sj = s
        if sj < 0:
            continue
        if code > 0 and sj >= dest:
            return False
        if code < 0 and sj <= dest:
            return False
    return True


@njit(cache=True)
def run(
    occ,
    slot_of,
    usable,
    ca,
    cb,
    movable,
    load,
    tables,
    seat,
    follows,
    pb,
    cap,
    best_slot,
    scal,
    ord_ptr,
    ord_idx,
    moves,
    t_from,
    t_to,
    seed,
):
    """Perform up to ``moves`` annealing moves (fewer once nobody has a break); returns
    how many were performed."""
    np.random.seed(seed)
    S = occ.shape[1]
    n = movable.shape[0]
    side_s = np.empty(CHAIN_CAP, np.int64)
    side_t = np.empty(CHAIN_CAP, np.int64)
    stack_k = np.empty(2 * CHAIN_CAP, np.int64)
    stack_d = np.empty(2 * CHAIN_CAP, np.int64)
    touched = np.empty(4 * CHAIN_CAP, np.int64)
    mark = np.zeros(occ.shape[0], np.int8)
    new_b = np.empty(4 * CHAIN_CAP, np.int64)
    cost = scal[0]
    performed = moves
    ratio = t_to / t_from
    for it in range(moves):
        if it % 256 == 0 and cost < scal[1] - 1e-9:
            scal[1] = cost
            best_slot[:] = slot_of
        if cost <= 1e-9:
            performed = it
            break  # nobody has a break: nothing left to gain
        T = t_from * ratio ** (it / moves)
        if np.random.random() < TARGETED:
            p = np.random.randint(occ.shape[0])
            if pb[p] == 0:
                continue
            k, t = _into_gap(occ, p, follows)
            if k < 0:
                continue
        else:
            k = movable[np.random.randint(n)]
            t = np.random.randint(S)
        s = slot_of[k]
        if t == s or not usable[k, t]:
            continue
        a, b = ca[k], cb[k]
        if occ[a, t] == FREE and occ[b, t] == FREE:
            # plain relocation (the common case, kept cheap)
            if seat[k] and load[t] >= tables[t]:
                continue
            if ord_ptr[k] < ord_ptr[k + 1] and not _order_ok(
                k, t, slot_of, ord_ptr, ord_idx, side_s, 0, side_t, 0, s, t
            ):
                continue
            na = breaks_row(occ, a, follows, s, t)
            nb = breaks_row(occ, b, follows, s, t)
            delta = cost_of(na, cap) + cost_of(nb, cap) - cost_of(pb[a], cap) - cost_of(pb[b], cap)
            if delta <= 0 or np.random.random() < np.exp(-delta / T):
                _take(occ, slot_of, load, seat, ca, cb, k)
                _put(occ, slot_of, load, seat, ca, cb, k, t)
                pb[a], pb[b] = na, nb
                cost += delta
            continue
        # Kempe chain: the meetings at s and t linked through shared participants swap slots
        ns, nt = 1, 0
        side_s[0] = k
        stack_k[0], stack_d[0] = k, t
        top = 1
        ok = True
        while top > 0 and ok:
            top -= 1
            j, dest = stack_k[top], stack_d[top]
            for side in range(2):
                p = ca[j] if side == 0 else cb[j]
                o = occ[p, dest]
                if o == FREE:
                    continue
                known = False
                for i in range(ns):
                    if side_s[i] == o:
                        known = True
                for i in range(nt):
                    if side_t[i] == o:
                        known = True
                if known:
                    continue
                if o == LOCKED or ns + nt >= CHAIN_CAP:
                    ok = False
                    break
                back = s if dest == t else t
                if not usable[o, back]:
                    ok = False
                    break
                if dest == t:
                    side_t[nt] = o
                    nt += 1
                else:
                    side_s[ns] = o
                    ns += 1
                stack_k[top], stack_d[top] = o, back
                top += 1
        if not ok:
            continue
        fits = True
        for i in range(1, ns):
            if not usable[side_s[i], t]:
                fits = False
        if not fits:
            continue
        grow = 0  # tables taken at t (given back at s) by the swap
        for i in range(ns):
            grow += seat[side_s[i]]
        for i in range(nt):
            grow -= seat[side_t[i]]
        if grow > 0 and load[t] + grow > tables[t]:
            continue
        if grow < 0 and load[s] - grow > tables[s]:
            continue
        for i in range(ns + nt):
            j = side_s[i] if i < ns else side_t[i - ns]
            if ord_ptr[j] < ord_ptr[j + 1] and not _order_ok(
                j, t if i < ns else s, slot_of, ord_ptr, ord_idx, side_s, ns, side_t, nt, s, t
            ):
                fits = False
        if not fits:
            continue
        n_touched = 0
        for i in range(ns + nt):
            j = side_s[i] if i < ns else side_t[i - ns]
            bit = 1 if i < ns else 2
            for side in range(2):
                p = ca[j] if side == 0 else cb[j]
                if mark[p] == 0:
                    touched[n_touched] = p
                    n_touched += 1
                mark[p] ^= bit
        delta = 0.0
        for i in range(n_touched):
            p = touched[i]
            if mark[p] == 3:
                new_b[i] = pb[p]  # busy in both slots before and after
            else:
                new_b[i] = breaks_row(occ, p, follows, s, t)
                delta += cost_of(new_b[i], cap) - cost_of(pb[p], cap)
        if delta <= 0 or np.random.random() < np.exp(-delta / T):
            for i in range(ns):
                _take(occ, slot_of, load, seat, ca, cb, side_s[i])
            for i in range(nt):
                _take(occ, slot_of, load, seat, ca, cb, side_t[i])
            for i in range(ns):
                _put(occ, slot_of, load, seat, ca, cb, side_s[i], t)
            for i in range(nt):
                _put(occ, slot_of, load, seat, ca, cb, side_t[i], s)
            for i in range(n_touched):
                pb[touched[i]] = new_b[i]
            cost += delta
        for i in range(n_touched):
            mark[touched[i]] = 0
    if cost < scal[1] - 1e-9:
        scal[1] = cost
        best_slot[:] = slot_of
    scal[0] = cost
    return performed
