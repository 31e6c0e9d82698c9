"""Property tests: every schedule satisfies every hard constraint; the bound is a bound."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.scheduling import (
    PRIORITIES,
    Candidate,
    Group,
    Instance,
    LockedMeeting,
    Options,
    Participant,
    Slot,
    Table,
    conflicts,
    count_breaks,
    solve,
)
from matchmaker.scheduling.core import breaks_of, build, objective

REASONS = {
    "duplicate_pair",
    "no_common_slot",
    "maximum_reached",
    "no_table",
    "displaced",
    "suggestions_off",
    "not_selected",
    "no_slot_in_order",
    "met_in_group",
}
GROUP_REASONS = {"no_common_slot", "maximum_reached", "no_table", "displaced"}


@st.composite
def instances(draw, max_people=7, max_slots=4, max_cands=12, fixed=None, orders=4, groups=0):
    n_slots = draw(st.integers(1, max_slots))
    two_days = draw(st.booleans())
    slots = tuple(
        Slot(
            f"s{i}",
            "2026-03-11" if two_days and i >= n_slots // 2 else "2026-03-10",
            f"{9 + i:02d}:00",
            f"{9 + i:02d}:25",
            draw(st.integers(0, 3)),
        )
        for i in range(n_slots)
    )
    ids = [s.id for s in slots]
    subsets = st.none() | st.frozensets(st.sampled_from(ids))
    n_people = draw(st.integers(2, max_people))
    people = tuple(
        Participant(
            f"p{i}",
            draw(subsets),
            draw(st.none() | st.integers(0, 3)),
            draw(st.none() | st.integers(0, 2)),
        )
        for i in range(n_people)
    )
    pair = st.tuples(st.integers(0, n_people - 1), st.integers(0, n_people - 1)).filter(
        lambda t: t[0] != t[1]
    )
    # repeated pairs (a pair drawn again, some with explicit ids) and precedences on earlier
    # candidates only, so there is never a cycle
    pairs_drawn = draw(st.lists(pair, max_size=max_cands))
    pairs_drawn += draw(st.lists(st.sampled_from(pairs_drawn), max_size=2)) if pairs_drawn else []
    cands = []
    for i, (a, b) in enumerate(pairs_drawn):
        named = draw(st.booleans())
        earlier = [c.id or f"c{j}" for j, c in enumerate(cands)]
        after = draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True)) if earlier else []
        cands.append(
            Candidate(
                f"p{a}",
                f"p{b}",
                draw(st.sampled_from(PRIORITIES)),
                draw(st.floats(0, 1, allow_nan=False)),
                draw(st.none() | st.frozensets(st.sampled_from(ids))),
                f"m{i}" if named else None,
                tuple(after) if draw(st.integers(1, orders)) == 1 else (),
            )
        )
    cands = tuple(cands)
    # locked meetings: drawn, then kept only while they stay consistent
    locked = []
    busy, tables_used, per_slot, pairs = set(), set(), {}, set()
    avail = {p.id: p.slots for p in people}
    room = {p.id: 99 if p.max_meetings is None else p.max_meetings for p in people}
    cap = {s.id: s.tables for s in slots}
    for a, b in draw(st.lists(pair, max_size=3)):
        pa, pb, s = f"p{a}", f"p{b}", draw(st.sampled_from(ids))
        table = draw(st.none() | st.integers(1, 3))
        key = tuple(sorted((pa, pb)))
        ok = (
            key not in pairs
            and all(avail[p] is None or s in avail[p] for p in (pa, pb))
            and (pa, s) not in busy
            and (pb, s) not in busy
            and per_slot.get(s, 0) < cap[s]
            and room[pa] > 0
            and room[pb] > 0
            and (table is None or (table <= cap[s] and (s, table) not in tables_used))
        )
        if ok:
            locked.append(LockedMeeting(pa, pb, s, table))
            pairs.add(key)
            room[pa] -= 1
            room[pb] -= 1
            busy |= {(pa, s), (pb, s)}
            per_slot[s] = per_slot.get(s, 0) + 1
            if table is not None:
                tables_used.add((s, table))
    options = Options(
        min_meetings=draw(st.integers(0, 2)),
        fill_with_suggestions=draw(st.booleans()),
        break_fairness=draw(st.none() | st.integers(0, 2)),
        fixed_meetings=draw(st.booleans()) if fixed is None else fixed,
    )
    drawn_groups, seats = (), ()
    if groups and n_people >= 3:
        drawn_groups = tuple(
            Group(f"g{i}", tuple(f"p{j}" for j in members))
            for i, members in enumerate(
                draw(
                    st.lists(
                        st.lists(
                            st.integers(0, n_people - 1),
                            min_size=3,
                            max_size=min(5, n_people),
                            unique=True,
                        ),
                        max_size=groups,
                    )
                )
            )
        )
        seats = tuple(
            Table(t, n)
            for t, n in enumerate(draw(st.lists(st.integers(2, 6), max_size=3)), start=1)
        )
    return Instance(slots, people, cands, tuple(locked), options, groups=drawn_groups, tables=seats)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_schedule_satisfies_every_hard_constraint(inst):
    _satisfies_every_hard_constraint(inst)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_people=8, groups=2))
def test_schedules_with_group_meetings_satisfy_every_hard_constraint(inst):
    sch = _satisfies_every_hard_constraint(inst)
    placed = {g.id for g in sch.groups}
    left = {u.id for u in sch.unplaced_groups}
    assert not placed & left
    assert placed | left == {g.id for g in inst.groups}
    assert {u.reason for u in sch.unplaced_groups} <= GROUP_REASONS
    assert all(u.detail for u in sch.unplaced_groups)
    assert sch.figures.groups_placed == len(sch.groups)
    met = {frozenset(pair) for g in sch.groups for pair in itertools.combinations(g.members, 2)}
    for m in sch.meetings:  # no pair candidate beside the group it meets in
        assert m.locked or inst.options.fixed_meetings or frozenset((m.a, m.b)) not in met


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_people=6, max_cands=6, groups=1))
def test_a_single_group_is_left_out_only_when_no_slot_and_table_could_hold_it(inst):
    sch = solve(inst, time_limit=3)
    for group in inst.groups:
        possible = False
        for slot in inst.slots:
            locks = [m for m in inst.locked if m.slot == slot.id]
            busy = {p for m in locks for p in (m.a, m.b)}
            taken = {m.table for m in locks if m.table is not None}
            seated = [
                t
                for t in range(1, slot.tables + 1)
                if t not in taken and inst.seats(t) >= len(group.members)
            ]
            people = {p.id: p for p in inst.participants}
            possible |= (
                len(locks) < slot.tables
                and bool(seated)
                and not busy & set(group.members)
                and all(
                    (people[p].slots is None or slot.id in people[p].slots)
                    and (
                        people[p].max_meetings is None
                        or people[p].max_meetings > sum(p in (m.a, m.b) for m in inst.locked)
                    )
                    for p in group.members
                )
            )
        assert bool(sch.groups) == possible, sch.unplaced_groups


def _satisfies_every_hard_constraint(inst):
    sch = solve(inst, time_limit=3)
    f = sch.figures
    found = conflicts(inst, sch)
    # a lock against its candidate's slots or an order is kept, and said, in both places
    assert sum(c.code == "lock_conflict" for c in found) == len(sch.conflicts)
    problems = [c for c in found if c.code != "lock_conflict"]
    codes = {c.code for c in problems}
    if f.status in ("infeasible", "incomplete"):
        assert inst.options.fixed_meetings
        assert codes <= {"fixed_missing", "fairness"}, problems
        assert f.status_detail
    elif f.status == "fairness_violated":
        assert codes == {"fairness"}, problems
        assert f.breaks_max - f.breaks_min > inst.options.break_fairness
    else:  # honest: optimal / feasible means every requirement holds
        assert problems == []
        assert f.objective <= f.bound + 1e-6
        assert 0 <= f.gap <= 1
    if inst.options.fixed_meetings and f.status in ("optimal", "feasible"):
        assert not sch.unplaced  # every candidate is required, repeats included
    assert {u.reason for u in sch.unplaced} <= REASONS
    assert all(u.detail for u in sch.unplaced)
    placed_ids = [m.id for m in sch.meetings]
    assert len(set(placed_ids)) == len(placed_ids)
    assert not {u.id for u in sch.unplaced} & set(placed_ids)
    assert sum(f.placed.values()) == len(sch.meetings)
    assert f.breaks_total == sum(count_breaks(inst, sch).values())
    if f.breaks_bound is not None:  # a lower bound: never above what was found
        assert 0 <= f.breaks_bound <= f.breaks_total
    if f.breaks_optimal:
        assert f.breaks_bound == f.breaks_total
    return sch


def brute_force_optimum(inst):
    """Best objective over every assignment of the free candidates to a slot or to nothing
    that keeps the precedences (those against locked meetings are in ``usable``)."""
    prob = build(inst)
    free = [k for k in prob.free if prob.usable[k]]
    best = float("-inf")
    choices = [[-1] + [s for s in range(prob.n_slots) if prob.usable[k] >> s & 1] for k in free]
    for combo in itertools.product(*choices):
        busy = list(prob.locked_busy)
        counts = list(prob.locked_count)
        load = [prob.tables[s] - prob.cap_left[s] for s in range(prob.n_slots)]
        ok = True
        for k, s in zip(free, combo, strict=True):
            if s < 0:
                continue
            for p in (prob.ca[k], prob.cb[k]):
                if busy[p] >> s & 1 or counts[p] >= prob.max_meetings[p]:
                    ok = False
                busy[p] |= 1 << s
                counts[p] += 1
            load[s] += 1
            if load[s] > prob.tables[s]:
                ok = False
        at = dict(zip(free, combo, strict=True))
        for k, s in at.items():  # precedences between two placed candidates
            if s >= 0 and any(at.get(e, -1) >= s for e in prob.earlier[k]):
                ok = False
        if ok:
            chosen = [k for k, s in zip(free, combo, strict=True) if s >= 0]
            best = max(best, objective(prob, chosen, counts))
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_people=5, max_slots=3, max_cands=5, fixed=False))
def test_objective_is_optimal_and_bound_is_valid_on_tiny_instances(inst):
    _optimal_and_bounded(inst)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_people=5, max_slots=3, max_cands=5, fixed=False, groups=1))
def test_pairs_around_a_placed_group_are_optimal_and_bounded_on_tiny_instances(inst):
    # the group is placed first (greedy); the pairs are then optimal around it
    _optimal_and_bounded(inst)


def _optimal_and_bounded(inst):
    best = brute_force_optimum(inst)
    f = solve(inst, time_limit=3).figures
    assert f.bound >= best - 1e-6
    assert f.objective <= best + 1e-6
    assert f.objective >= best * (1 - 2e-4) - 1e-6


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_people=5, max_slots=3, max_cands=5, fixed=False, orders=1))
def test_precedences_cost_no_more_than_they_must_on_tiny_instances(inst):
    """Every candidate after an earlier one where it can: the agenda keeps every order and
    is as good as the best ordered assignment."""
    best = brute_force_optimum(inst)
    sch = solve(inst, time_limit=3)
    assert [c for c in conflicts(inst, sch) if c.code == "order"] == []
    assert sch.figures.objective >= best * (1 - 2e-4) - 1e-6
    assert sch.figures.bound >= best - 1e-6


def brute_force_fewest_breaks(inst):
    """Fewest total breaks over every agenda placing all meetings (fixed-meetings mode) within
    the precedences and ``break_fairness``; None when there is none."""
    prob = build(inst)
    free = list(prob.free)
    bound = inst.options.break_fairness
    best = None
    choices = [[s for s in range(prob.n_slots) if prob.usable[k] >> s & 1] for k in free]
    for combo in itertools.product(*choices):
        busy = list(prob.locked_busy)
        counts = list(prob.locked_count)
        load = [prob.tables[s] - prob.cap_left[s] for s in range(prob.n_slots)]
        ok = True
        for k, s in zip(free, combo, strict=True):
            for p in (prob.ca[k], prob.cb[k]):
                if busy[p] >> s & 1 or counts[p] >= prob.max_meetings[p]:
                    ok = False
                busy[p] |= 1 << s
                counts[p] += 1
            load[s] += 1
            ok = ok and load[s] <= prob.tables[s]
        at = dict(zip(free, combo, strict=True))
        ok = ok and all(at[e] < s for k, s in at.items() for e in prob.earlier[k])
        if not ok:
            continue
        per = [breaks_of(m, prob) for m, n in zip(busy, counts, strict=True) if n]
        if bound is not None and per and max(per) - min(per) > bound:
            continue
        best = sum(per) if best is None else min(best, sum(per))
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_people=5, max_slots=4, max_cands=5, fixed=True, orders=2))
def test_fixed_mode_status_agrees_with_brute_force_on_tiny_instances(inst):
    """'infeasible' is a proof, 'optimal' the fewest breaks, and a failed status only where
    brute force finds no agenda meeting the requirements either."""
    fewest = brute_force_fewest_breaks(inst)
    f = solve(inst, time_limit=3).figures
    if f.status == "infeasible":
        assert fewest is None
    elif f.status == "optimal":
        assert fewest == f.breaks_total
    elif f.status == "feasible":
        assert fewest is not None and fewest <= f.breaks_total
    else:  # incomplete / fairness_violated: only where no agenda meets the requirements
        assert fewest is None
