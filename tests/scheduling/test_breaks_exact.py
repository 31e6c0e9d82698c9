"""The exact break model (``breaks_exact``): optima known by hand and by brute force."""

import itertools
import random

import pytest

from matchmaker.scheduling import (
    ACCEPTED,
    Candidate,
    Instance,
    Options,
    Participant,
    Slot,
    check,
    count_breaks,
    solve,
)
from matchmaker.scheduling.breaks import exact, participant_breaks
from matchmaker.scheduling.core import breaks_of, build
from matchmaker.scheduling.place import place_selection


@pytest.fixture(autouse=True, params=[True, False], ids=["sat-race", "cp-sat-only"])
def engine(request, monkeypatch):
    """Every test runs with the SAT questions racing CP-SAT, and with CP-SAT alone."""
    from matchmaker.scheduling import breaks_exact

    monkeypatch.setattr(breaks_exact, "USE_SAT", request.param)


def slots(n, tables=5, day="2026-03-10", prefix="s"):
    return tuple(
        Slot(f"{prefix}{i + 1}", day, f"{9 + i:02d}:00", f"{9 + i:02d}:25", tables)
        for i in range(n)
    )


def fixed(pairs, slot_list, fairness=None, avail=None):
    ids = sorted({p for pair in pairs for p in pair})
    avail = avail or {}
    return Instance(
        slot_list,
        tuple(Participant(i, avail.get(i)) for i in ids),
        tuple(Candidate(a, b, ACCEPTED, 1.0) for a, b in pairs),
        (),
        Options(fixed_meetings=True, break_fairness=fairness),
    )


def run_exact(inst, time_limit=10):
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    result = exact(st, time_limit, inst.options.break_fairness, meetings=list(prob.free))
    return prob, st, result


TRIANGLE = [("A", "B"), ("B", "C"), ("A", "C")]


def test_triangle_has_one_unavoidable_break():
    # The three meetings of a triangle are pairwise adjacent, so they take three different
    # slots a < b < c of the day; whoever meets in a and c is idle in b: one break at least,
    # and one is enough (A-B, B-C, A-C in s1, s2, s3: only A waits).
    inst = fixed(TRIANGLE, slots(5), fairness=1)
    prob, st, (status, breaks, bound) = run_exact(inst)
    assert (status, breaks, bound) == ("OPTIMAL", 1, 1)
    assert sum(participant_breaks(st)) == 1
    assert all(st.slot_of[k] >= 0 for k in prob.free)

    sch = solve(inst, time_limit=10)
    assert sch.figures.status == "optimal"
    assert sch.figures.breaks_optimal
    assert sch.figures.breaks_total == 1
    assert check(inst, sch) == []


def test_two_triangles_need_two_breaks_and_fairness_is_kept():
    pairs = TRIANGLE + [("D", "E"), ("E", "F"), ("D", "F")]
    inst = fixed(pairs, slots(4, tables=2), fairness=1)
    sch = solve(inst, time_limit=10)
    assert sch.figures.status == "optimal"
    assert sch.figures.breaks_total == 2
    per = count_breaks(inst, sch)
    assert max(per.values()) - min(per.values()) <= 1
    assert check(inst, sch) == []


def test_triangle_over_two_days_needs_no_break():
    # A-B and B-C on day 1, A-C on day 2: A's meetings are on different days
    two_days = slots(2) + slots(1, day="2026-03-11", prefix="t")
    inst = fixed(TRIANGLE, two_days)
    _prob, st, (status, breaks, bound) = run_exact(inst)
    assert (status, breaks, bound) == ("OPTIMAL", 0, 0)
    assert sum(participant_breaks(st)) == 0


def test_forced_idle_slot_is_counted_and_proved():
    # B can only meet in s1, C only in s3: A waits in s2 whatever happens
    inst = fixed(
        [("A", "B"), ("A", "C"), ("D", "E")],
        slots(3),
        avail={"B": frozenset({"s1"}), "C": frozenset({"s3"})},
    )
    _prob, _st, (status, breaks, bound) = run_exact(inst)
    assert (status, breaks, bound) == ("OPTIMAL", 1, 1)


def brute_force(prob, fairness):
    """Fewest breaks over every assignment of the free meetings to usable slots."""
    ks = list(prob.free)
    options = [[s for s in range(prob.n_slots) if (prob.usable[k] >> s) & 1] for k in ks]
    best = None
    for choice in itertools.product(*options):
        load = [0] * prob.n_slots
        busy = [0] * prob.n_people
        ok = True
        for k, s in zip(ks, choice, strict=True):
            load[s] += 1
            for p in (prob.ca[k], prob.cb[k]):
                if (busy[p] >> s) & 1:
                    ok = False
                busy[p] |= 1 << s
        if not ok or any(n > t for n, t in zip(load, prob.cap_left, strict=True)):
            continue
        per = [breaks_of(m, prob) for m in busy if m]
        if fairness is not None and max(per) - min(per) > fairness:
            continue
        total = sum(per)
        best = total if best is None else min(best, total)
    return best


def tiny_instance(seed):
    """Six participants, seven random pairs, five slots of two tables, some participants
    available only in the first three slots, a random fairness bound: (instance, fairness)."""
    rng = random.Random(seed)
    names = "ABCDEF"
    pairs = sorted({tuple(sorted(rng.sample(names, 2))) for _ in range(7)})
    slot_list = slots(5, tables=2)
    avail = {p: frozenset(s.id for s in slot_list[:3]) for p in names if rng.random() < 0.2}
    fairness = rng.choice([None, 1, 2])
    return fixed(pairs, slot_list, fairness=fairness, avail=avail), fairness


@pytest.mark.parametrize("seed", range(6))
def test_exact_matches_brute_force_on_tiny_instances(seed):
    inst, fairness = tiny_instance(seed)
    prob = build(inst)
    expected = brute_force(prob, fairness)
    st = place_selection(prob, list(prob.free))
    complete = all(st.slot_of[k] >= 0 for k in prob.free)
    status, breaks, bound = exact(st, 10, fairness, meetings=list(prob.free))
    if expected is None:
        assert status == "INFEASIBLE" or not complete
        return
    assert status == "OPTIMAL"
    assert breaks == bound == expected
    assert sum(participant_breaks(st)) == expected
    assert all(st.slot_of[k] >= 0 for k in prob.free)


@pytest.mark.parametrize(("d_slots", "expected"), [(None, 0), (frozenset({"s4"}), 1)])
def test_locked_meetings_around_a_gap(d_slots, expected):
    # A is locked with B in s1 and with C in s3; A-D fills s2 (no break) unless D can only
    # come in s4, which leaves A's certain gap in s2
    from matchmaker.scheduling import LockedMeeting

    inst = Instance(
        slots(4),
        (Participant("A"), Participant("B"), Participant("C"), Participant("D", d_slots)),
        (Candidate("A", "D", ACCEPTED, 1.0),),
        (LockedMeeting("A", "B", "s1"), LockedMeeting("A", "C", "s3")),
        Options(fixed_meetings=True, break_fairness=1),
    )
    sch = solve(inst, time_limit=10)
    assert sch.figures.status == "optimal"
    assert sch.figures.breaks_total == expected
    assert check(inst, sch) == []


def breaker_agenda(prob, bm, solver):
    """Breaks per participant name in the agenda held by ``solver``."""
    busy = [0] * prob.n_people
    for (k, s), var in bm.x.items():
        if solver.boolean_value(var):
            busy[prob.ca[k]] |= 1 << s
            busy[prob.cb[k]] |= 1 << s
    return {p.id: breaks_of(busy[i], prob) for i, p in enumerate(prob.instance.participants)}


def test_breaker_search_leaves_the_break_to_the_lightest_participant():
    # Triangle A-B-C (one break unavoidable) and A-D: A has the most meetings, B and C two
    # each. Two thirds of the three who could break (A, then B by index) must not: C waits.
    from matchmaker.scheduling.breaks_exact import breaker_search
    from matchmaker.scheduling.breaks_exact import build as block_model

    inst = fixed(TRIANGLE + [("A", "D")], slots(5))
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    bm = block_model(st, None, list(prob.free))
    solver, found, optimal = breaker_search(bm, 1, None, bm.hints, 10)
    assert (found, optimal) == (1, True)
    assert breaker_agenda(prob, bm, solver) == {"A": 0, "B": 0, "C": 1, "D": 0}


def test_breaker_search_loosens_a_refuted_restriction():
    # All three of a triangle break-free is refuted; three quarters of them (two) is not
    from matchmaker.scheduling.breaks_exact import breaker_search
    from matchmaker.scheduling.breaks_exact import build as block_model

    inst = fixed(TRIANGLE, slots(4))
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    bm = block_model(st, None, list(prob.free))
    solver, found, optimal = breaker_search(bm, 1, None, bm.hints, 10, share=1.0)
    assert (found, optimal) == (1, True)
    assert sorted(breaker_agenda(prob, bm, solver).values()) == [0, 0, 1]


def test_breaker_search_finds_nothing_better_than_an_optimal_agenda():
    from matchmaker.scheduling.breaks_exact import breaker_search
    from matchmaker.scheduling.breaks_exact import build as block_model

    inst = fixed(TRIANGLE, slots(4))
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    bm = block_model(st, None, list(prob.free))
    assert breaker_search(bm, 1, 1, bm.hints, 10) == (None, None, False)


def test_exact_without_bottom_up_time_still_reaches_the_optimum():
    # No time for the bottom-up steps: the breaker-set step and the minimisation carry it
    from matchmaker.scheduling.breaks_exact import solve_exact

    inst = fixed(TRIANGLE + [("D", "E"), ("E", "F"), ("D", "F")], slots(4, tables=2))
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    status, breaks, bound = solve_exact(st, 10, 1, meetings=list(prob.free), bottom_up_share=0)
    assert (status, breaks, bound) == ("OPTIMAL", 2, 2)
    assert sum(participant_breaks(st)) == 2
