"""Fewest breaks on small fixed-meetings instances whose optimum is known by hand: the exact
stage must reach it and prove it (status "optimal", lower bound = breaks found)."""

import pytest

from matchmaker.scheduling import (
    ACCEPTED,
    Candidate,
    Instance,
    LockedMeeting,
    Options,
    Participant,
    Slot,
    check,
    count_breaks,
    solve,
)


@pytest.fixture(autouse=True, params=[True, False], ids=["sat-race", "cp-sat-only"])
def engine(request, monkeypatch):
    """Every test runs with the SAT questions racing CP-SAT, and with CP-SAT alone."""
    from matchmaker.scheduling import breaks_exact

    monkeypatch.setattr(breaks_exact, "USE_SAT", request.param)


def slots(n, tables):
    return tuple(
        Slot(f"s{i + 1}", "2026-03-10", f"{9 + i:02d}:00", f"{9 + i:02d}:25", tables)
        for i in range(n)
    )


def fixed(pairs, slot_list, avail=None, fairness=None):
    ids = sorted({p for pair in pairs for p in pair})
    avail = avail or {}
    return Instance(
        slot_list,
        tuple(Participant(i, avail.get(i)) for i in ids),
        tuple(Candidate(a, b, ACCEPTED, 1.0) for a, b in pairs),
        (),
        Options(fixed_meetings=True, break_fairness=fairness),
    )


def cycle(names):
    return [(names[i], names[(i + 1) % len(names)]) for i in range(len(names))]


def solved(inst):
    sch = solve(inst, time_limit=10)
    assert check(inst, sch) == []
    assert sch.figures.placed[ACCEPTED] == len(inst.candidates)
    f = sch.figures
    if f.breaks_optimal:  # the proved bound beside the result, equal to it once proved
        assert f.breaks_bound == f.breaks_total
    return sch


@pytest.mark.parametrize(("names", "expected"), [("ABCDE", 1), ("ABCDEF", 0), ("ABCDEFG", 1)])
def test_cycle_of_two_meeting_participants_breaks_only_when_odd(names, expected):
    # Everyone has two meetings; without a break they are in adjacent slots, so the slot
    # parity flips at every participant along the cycle. Around an odd cycle it would have
    # to flip an odd number of times and come back to itself: somebody waits. One wait is
    # enough (the first participant takes the first and the last slot).
    inst = fixed(cycle(names), slots(len(names), tables=3))
    sch = solved(inst)
    assert sch.figures.status == "optimal"
    assert sch.figures.breaks_optimal
    assert sch.figures.breaks_total == expected


def test_bound_covers_breaks_fixed_by_locked_meetings():
    # L's two locked meetings sit around an idle slot: a break that nothing can remove and
    # that the exact stage never sees (none of L's meetings moves). The 5-cycle adds one.
    base = fixed(cycle("ABCDE"), slots(5, tables=3))
    inst = Instance(
        base.slots,
        base.participants + tuple(Participant(i) for i in "LMN"),
        base.candidates,
        (LockedMeeting("L", "M", "s1"), LockedMeeting("L", "N", "s3")),
        base.options,
    )
    sch = solved(inst)
    assert sch.figures.breaks_total == 2
    assert sch.figures.breaks_optimal
    assert sch.figures.breaks_bound == 2


def test_two_odd_cycles_need_a_break_each():
    inst = fixed(cycle("ABCDE") + cycle("VWXYZ"), slots(5, tables=4), fairness=1)
    sch = solved(inst)
    assert sch.figures.status == "optimal"
    assert sch.figures.breaks_total == 2
    per = count_breaks(inst, sch)
    assert sorted(per.values()).count(1) == 2


@pytest.mark.parametrize(("tables", "expected"), [(1, 1), (2, 0)])
def test_one_table_forces_a_break(tables, expected):
    # B can only come in s1 and E only in s2. With two tables A-C goes to s2 and D-F to s1
    # or s3: nobody waits. With one table s1 and s2 are full, A-C and D-F share s3 and s4:
    # A waits whatever happens (s1, then s3 or s4); D-F in s3 spares D.
    inst = fixed(
        [("A", "B"), ("A", "C"), ("D", "E"), ("D", "F")],
        slots(4, tables=tables),
        avail={"B": frozenset({"s1"}), "E": frozenset({"s2"})},
    )
    sch = solved(inst)
    assert sch.figures.status == "optimal"
    assert sch.figures.breaks_total == expected


def test_break_free_relaxation_refutes_only_the_whole_odd_cycle():
    # Counting only some participants' breaks is a relaxation: on a 5-cycle any four can
    # be spared (the fifth takes the wait), all five cannot.
    from matchmaker.scheduling.breaks_exact import break_free_possible
    from matchmaker.scheduling.core import build
    from matchmaker.scheduling.place import place_selection

    inst = fixed(cycle("ABCDE") + [("F", "G")], slots(5, tables=3))
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    everyone = {prob.person_index[p] for p in "ABCDE"}
    assert break_free_possible(st, everyone, 10) is False
    for p in "ABCDE":
        assert break_free_possible(st, everyone - {prob.person_index[p]}, 10) is True
