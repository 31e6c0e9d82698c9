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
    workers: int = 8,
    meetings: list[int] | None = None,
    implied: bool = False,
) -> tuple[str, int | None, int | None]:
    """Minimise total breaks of the meetings of ``st`` exactly with CP-SAT, keeping each in a
    slot it may use, at most one meeting per participant and slot, tables per slot, and if
    ``fairness`` is set, max - min breaks (over participants with meetings) <= fairness.
    The current slots are the hint (warm start). ``meetings`` (default: the placed ones) may
    include unplaced candidates, which must then be placed too. On success ``st`` is updated.

    Returns (status name, breaks found or None, proven lower bound or None).
    Cost: CP-SAT search bounded by ``time_limit`` seconds on ``workers`` threads."""
    from ortools.sat.python import cp_model

    prob = st.prob
    S = prob.n_slots
    if meetings is None:
        meetings = [k for k, s in enumerate(st.slot_of) if s >= 0]
    model = cp_model.CpModel()
    x: dict[tuple[int, int], object] = {}
    by_ps: dict[tuple[int, int], list] = {}
    by_slot: dict[int, list] = {}
    t_of: dict[int, object] = {}
    mine_of: dict[int, list[int]] = {}
    for k in meetings:
        vs = []
        m = prob.usable[k]
        for s in range(S):
            if (m >> s) & 1:
                v = model.new_bool_var(f"x{k}_{s}")
                x[k, s] = v
                vs.append(v)
                by_ps.setdefault((prob.ca[k], s), []).append(v)
                by_ps.setdefault((prob.cb[k], s), []).append(v)
                by_slot.setdefault(s, []).append(v)
                if st.slot_of[k] >= 0:
                    model.add_hint(v, 1 if st.slot_of[k] == s else 0)
        if not vs:
            return "INFEASIBLE", None, None
        model.add_exactly_one(vs)
        if implied:
            slots_k = [s for s in range(S) if (m >> s) & 1]
            t = model.new_int_var_from_domain(cp_model.Domain.from_values(slots_k), f"t{k}")
            model.add(t == sum(s * x[k, s] for s in slots_k))
            t_of[k] = t
            if st.slot_of[k] >= 0:
                model.add_hint(t, st.slot_of[k])
            mine_of.setdefault(prob.ca[k], []).append(k)
            mine_of.setdefault(prob.cb[k], []).append(k)
    for s, vs in by_slot.items():
        if len(vs) > prob.cap_left[s]:
            model.add(sum(vs) <= prob.cap_left[s])
    people = sorted({p for k in meetings for p in (prob.ca[k], prob.cb[k])})
    complete = all(st.slot_of[k] >= 0 for k in meetings)
    hints: list = []

    def cur_busy(p: int, s: int) -> int:
        return (st.busy[p] >> s) & 1 if s >= 0 else 0

    n_of = {p: prob.locked_busy[p].bit_count() for p in people}
    for k in meetings:
        n_of[prob.ca[k]] += 1
        n_of[prob.cb[k]] += 1
    if any(n_of[p] > prob.max_meetings[p] for p in people):
        return "INFEASIBLE", None, None
    total = []
    per_person = {}
    constant = 0
    for p in people:
        # busy[s]: 1 (locked), 0 (impossible) or a Boolean variable
        busy: list = []
        for s in range(S):
            if (prob.locked_busy[p] >> s) & 1:
                busy.append(1)
                continue
            vs = by_ps.get((p, s), [])
            if not vs:
                busy.append(0)
            elif len(vs) == 1:
                busy.append(vs[0])
            else:
                model.add_at_most_one(vs)
                b = model.new_bool_var(f"busy{p}_{s}")
                model.add(b == sum(vs))
                hints.append((b, cur_busy(p, s)))
                busy.append(b)
        # implied: p is busy in exactly as many slots as it has meetings
        model.add(sum(busy) == n_of[p])
        days = [[s for s in range(S) if (dm >> s) & 1] for dm in prob.day_masks]
        days = [d for d in days if any(not isinstance(busy[s], int) or busy[s] for s in d)]
        starts: list = []
        has_terms: list = []
        p_const = 0
        for day_slots in days:
            prev = 0
            prev_s = -1
            for s in day_slots:
                cur = busy[s]
                if isinstance(cur, int):
                    if cur == 1:
                        if isinstance(prev, int):
                            p_const += 1 - prev
                        else:
                            v = model.new_bool_var(f"st{p}_{s}")
                            model.add_bool_or([prev, v])
                            hints.append((v, 1 - cur_busy(p, prev_s)))
                            starts.append(v)
                    prev = cur
                    prev_s = s
                    continue
                if isinstance(prev, int):
                    if prev == 0:
                        starts.append(cur)  # a meeting after an idle slot starts a block
                else:
                    v = model.new_bool_var(f"st{p}_{s}")
                    model.add_bool_or([cur.Not(), prev, v])
                    hints.append((v, cur_busy(p, s) * (1 - cur_busy(p, prev_s))))
                    starts.append(v)
                prev = cur
                prev_s = s
            if len(days) == 1:
                p_const -= 1  # the only day of p: it has a meeting there
            else:
                has = model.new_bool_var(f"h{p}")
                vars_d = [busy[s] for s in day_slots if not isinstance(busy[s], int)]
                if any(isinstance(busy[s], int) and busy[s] == 1 for s in day_slots):
                    model.add(has == 1)
                else:
                    model.add_max_equality(has, vars_d)
                hints.append((has, int(any(cur_busy(p, s) for s in day_slots))))
                has_terms.append(has)
        expr = sum(starts) - sum(has_terms) + p_const
        total.extend(starts)
        total.extend(-h for h in has_terms)
        constant += p_const
        span = implied and len(days) == 1 and n_of[p] >= 2
        if fairness is not None or span:
            bp = model.new_int_var(0, S, f"b{p}")
            model.add(bp == expr)
            hints.append((bp, breaks_of(st.busy[p], prob)))
            per_person[p] = bp
        if span:
            # implied (all-different slots, and the span of one day's meetings): a participant
            # has no break iff its meetings fill exactly n_p consecutive slots
            ts = [t_of[k] for k in mine_of.get(p, [])]
            ts += [s for s in range(S) if (prob.locked_busy[p] >> s) & 1]
            model.add_all_different(ts)
            first = model.new_int_var(0, S - 1, f"f{p}")
            last = model.new_int_var(0, S - 1, f"l{p}")
            model.add_min_equality(first, ts)
            model.add_max_equality(last, ts)
            gap = model.new_bool_var(f"g{p}")
            model.add(last - first + 1 == n_of[p]).only_enforce_if(gap.Not())
            model.add(last - first >= n_of[p]).only_enforce_if(gap)
            model.add(bp >= gap)
            model.add(bp <= last - first + 1 - n_of[p])
            if complete:
                used = [s for s in range(S) if (st.busy[p] >> s) & 1]
                hints += [(first, used[0]), (last, used[-1])]
                hints.append((gap, int(used[-1] - used[0] + 1 > n_of[p])))
    if fairness is not None and per_person:
        hi = model.new_int_var(0, S, "bmax")
        lo = model.new_int_var(0, S, "bmin")
        for bp in per_person.values():
            model.add(hi >= bp)
            model.add(lo <= bp)
        model.add(hi - lo <= fairness)
    model.minimize(sum(total) + constant)
    if complete:
        for var, val in hints:
            model.add_hint(var, val)
        if fairness is not None and per_person:
            pb = [breaks_of(st.busy[p], prob) for p in per_person]
            model.add_hint(hi, max(pb))
            model.add_hint(lo, min(pb))
    before = sum(breaks_of(st.busy[p], prob) for p in people) if complete else None
    # A single worker settles small models at once (a portfolio costs ~1 s to start); the
    # portfolio (LNS, core-based bounds) is what closes the larger ones.
    t0 = time.perf_counter()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, min(0.3, time_limit))
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    rest = time_limit - (time.perf_counter() - t0)
    if status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE) and rest > 0.2 and workers > 1:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = rest
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = 0
        status = solver.solve(model)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return name, None, None
    found = round(solver.objective_value)
    if before is not None and found >= before:
        return name, before, round(solver.best_objective_bound)
    new_slots = list(st.slot_of)
    for (k, s), v in x.items():
        if solver.boolean_value(v):
            new_slots[k] = s
    _restore(st, new_slots)
    return name, found, round(solver.best_objective_bound)
