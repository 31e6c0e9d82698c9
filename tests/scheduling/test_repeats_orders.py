"""Issue 19: repeated pairs, precedences ("after") in every stage, honest status when a
requirement cannot hold, locks against a restriction reported, and ``check`` catching each."""

import json

import pytest

from matchmaker.scheduling import (
    Candidate,
    Instance,
    InstanceError,
    LockedMeeting,
    Options,
    Participant,
    PlacedMeeting,
    Slot,
    breaks_exact,
    check,
    parse_instance,
    schedule_to_json,
    solve,
)
from matchmaker.scheduling import breaks as breaks_mod
from matchmaker.scheduling.__main__ import main
from matchmaker.scheduling.breaks_sat import BreakSat
from matchmaker.scheduling.core import build
from matchmaker.scheduling.place import State, place_selection


def slots(n, tables=3):
    return tuple(Slot(f"s{i}", "2026-03-10", f"{9 + i:02d}:00", "", tables) for i in range(n))


def people(names):
    return tuple(Participant(p) for p in names)


def order_of(schedule):
    return {m.id: int(m.slot[1:]) for m in schedule.meetings}


# --- repeated pairs -------------------------------------------------------------------------


def test_fixed_mode_places_a_repeated_pair_twice_in_different_slots():
    inst = Instance(
        slots(3),
        people("ABC"),
        (Candidate("A", "B"), Candidate("A", "B"), Candidate("A", "C")),
        options=Options(fixed_meetings=True, break_fairness=2),
    )
    sch = solve(inst, time_limit=5)
    ab = [m for m in sch.meetings if {m.a, m.b} == {"A", "B"}]
    assert sorted(m.id for m in ab) == ["c0", "c1"]
    assert ab[0].slot != ab[1].slot
    assert sch.unplaced == ()
    assert sch.figures.status == "optimal"
    assert check(inst, sch) == []


def test_fixed_mode_repeated_pair_that_cannot_fit_twice_is_not_optimal():
    inst = Instance(
        slots(1),
        people("AB"),
        (Candidate("A", "B"), Candidate("A", "B")),
        options=Options(fixed_meetings=True),
    )
    sch = solve(inst, time_limit=5)
    assert sch.figures.status in ("infeasible", "incomplete")
    assert [u.id for u in sch.unplaced] == ["c1"]
    assert sch.unplaced[0].reason != "duplicate_pair"
    assert check(inst, sch) == ["a meeting of A-B is missing (2 required, 1 placed)"]


def test_normal_mode_meets_twice_only_with_explicit_ids():
    twice = Instance(
        slots(3),
        people("AB"),
        (
            Candidate("A", "B", "mutual", 0.5, id="first"),
            Candidate("A", "B", "mutual", 0.5, id="2"),
        ),
    )
    sch = solve(twice, time_limit=5)
    assert sorted(m.id for m in sch.meetings) == ["2", "first"]
    assert check(twice, sch) == []
    once = Instance(slots(3), people("AB"), (Candidate("A", "B"), Candidate("A", "B")))
    sch = solve(once, time_limit=5)
    assert [m.id for m in sch.meetings] == ["c0"]
    assert [(u.id, u.reason) for u in sch.unplaced] == [("c1", "duplicate_pair")]


def test_check_flags_a_repeated_pair_in_one_slot():
    inst = Instance(
        slots(3),
        people("AB"),
        (Candidate("A", "B"), Candidate("A", "B")),
        options=Options(fixed_meetings=True),
    )
    meetings = [PlacedMeeting("A", "B", "s0", 1), PlacedMeeting("B", "A", "s0", 2)]
    assert check(inst, meetings) == ["B and A meet twice in slot s0"]


def test_check_flags_a_pair_met_more_often_than_allowed():
    inst = Instance(slots(3), people("AB"), (Candidate("A", "B"),))
    meetings = [PlacedMeeting("A", "B", "s0", 1), PlacedMeeting("A", "B", "s1", 1)]
    assert check(inst, meetings) == [
        "A and B meet 2 times (slots s0 and s1); the instance allows once"
    ]


# --- honest status: fairness ----------------------------------------------------------------


def unfair(fixed):
    """A must meet B in s0 and C in s2 (a break for A), D and E meet once (no break): with
    break_fairness 0 no agenda holds the bound."""
    return Instance(
        slots(3),
        people("ABCDE"),
        (
            Candidate("A", "B", "accepted", 1.0, frozenset({"s0"})),
            Candidate("A", "C", "accepted", 1.0, frozenset({"s2"})),
            Candidate("D", "E", "accepted", 1.0),
        ),
        options=Options(fixed_meetings=fixed, break_fairness=0),
    )


def test_fixed_mode_fairness_that_cannot_hold_is_proved_infeasible():
    sch = solve(unfair(True), time_limit=5)
    assert sch.figures.status == "infeasible"
    assert "within a spread of 0 breaks" in sch.figures.status_detail
    assert check(unfair(True), sch) == [
        "breaks range from 0 (B) to 1 (A), a spread of 1 above the bound of 0"
    ]


def test_normal_mode_fairness_that_cannot_hold_is_reported_violated():
    sch = solve(unfair(False), time_limit=5)
    f = sch.figures
    assert f.status == "fairness_violated"
    assert (f.breaks_max, f.breaks_min) == (1, 0)
    assert "spread of 1 above the bound of 0" in f.status_detail


def test_fairness_violated_even_without_the_exact_stage():
    inst = unfair(False)
    inst = Instance(
        inst.slots,
        inst.participants,
        inst.candidates,
        options=Options(break_fairness=0, reduce_breaks=False),
    )
    assert solve(inst, time_limit=5).figures.status == "fairness_violated"


def test_cli_solve_exits_1_and_says_why_when_fairness_cannot_hold(tmp_path, capsys):
    from matchmaker.scheduling import instance_to_json

    path = tmp_path / "i.json"
    path.write_text(json.dumps(instance_to_json(unfair(True))))
    assert main(["solve", str(path), "--time-limit", "5", "--quiet"]) == 1
    out = capsys.readouterr()
    assert json.loads(out.out)["figures"]["status"] == "infeasible"
    assert out.err.startswith("infeasible: proved: no agenda places all 3 meetings")
    sched = tmp_path / "s.json"
    sched.write_text(out.out)
    assert main(["check", str(path), str(sched)]) == 1
    assert "spread of 1 above the bound of 0" in capsys.readouterr().out


# --- precedences ----------------------------------------------------------------------------


def ordered_instance(fixed=True, reduce_breaks=True):
    """X (A-B) and Y (C-D, after X); Z (C-E) fixed in s0 and W (A-F) in s2. Without the order
    X and Y share s1 and nobody breaks; with it one of A and C must break."""
    return Instance(
        slots(3),
        people("ABCDEF"),
        (
            Candidate("A", "B", "accepted", 1.0, id="X"),
            Candidate("C", "D", "accepted", 1.0, id="Y", after=("X",)),
            Candidate("C", "E", "accepted", 1.0, frozenset({"s0"}), id="Z"),
            Candidate("A", "F", "accepted", 1.0, frozenset({"s2"}), id="W"),
        ),
        options=Options(fixed_meetings=fixed, reduce_breaks=reduce_breaks),
    )


@pytest.mark.parametrize("fixed", [True, False])
def test_solve_keeps_the_order_and_pays_the_break_it_costs(fixed):
    inst = ordered_instance(fixed)
    sch = solve(inst, time_limit=5)
    at = order_of(sch)
    assert at["X"] < at["Y"]
    assert sch.figures.breaks_total == 1
    assert check(inst, sch) == []


@pytest.mark.parametrize("use_sat", [True, False])
def test_exact_stage_respects_the_order(monkeypatch, use_sat):
    monkeypatch.setattr(breaks_exact, "USE_SAT", use_sat)
    prob = build(ordered_instance())
    st = State(prob)
    for k, s in ((0, 0), (1, 1), (2, 0), (3, 2)):  # X s0, Y s1: A breaks
        st.place(k, s)
    name, found, lb = breaks_mod.exact(st, 5.0)
    assert (name, found, lb) == ("OPTIMAL", 1, 1)
    assert st.slot_of[0] < st.slot_of[1]


def test_exact_stage_places_unplaced_meetings_in_order():
    prob = build(ordered_instance())
    st = State(prob)
    name, found, _lb = breaks_mod.exact(st, 5.0, meetings=list(prob.free))
    assert (name, found) == ("OPTIMAL", 1)
    assert 0 <= st.slot_of[0] < st.slot_of[1]


def test_sat_questions_respect_the_order():
    prob = build(ordered_instance())
    st = State(prob)
    for k, s in ((0, 1), (1, 2), (2, 0), (3, 2)):
        st.place(k, s)
    sat = BreakSat(st)
    try:
        assert sat.at_most(0, 5.0) is False  # 0 breaks needs X and Y in one slot
        assert sat.at_most(1, 5.0) is True
        slots_found = sat.slots()
        assert slots_found[0] < slots_found[1]
    finally:
        sat.close()


def test_annealing_never_breaks_the_order():
    prob = build(ordered_instance(fixed=False))
    st = State(prob)
    for k, s in ((0, 1), (1, 2), (2, 0), (3, 2)):  # C breaks; Y into s1 would end it
        st.place(k, s)
    breaks_mod.anneal(st, 0.5, seed=1, max_iterations=20_000)
    assert st.slot_of[0] < st.slot_of[1]


def test_placement_and_full_model_respect_the_order():
    inst = ordered_instance(fixed=False, reduce_breaks=False)
    sch = solve(inst, time_limit=5)
    at = order_of(sch)
    assert at["X"] < at["Y"]
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    assert all(s >= 0 for s in st.slot_of)
    assert st.slot_of[0] < st.slot_of[1]


def test_order_against_a_locked_meeting_narrows_the_slots():
    inst = Instance(
        slots(3),
        people("ABCD"),
        (Candidate("C", "D", "accepted", 1.0, id="after-lock", after=("L",)),),
        (LockedMeeting("A", "B", "s1", id="L"),),
    )
    sch = solve(inst, time_limit=5)
    assert order_of(sch) == {"L": 1, "after-lock": 2}


def test_check_flags_a_broken_order():
    inst = ordered_instance()
    meetings = [
        PlacedMeeting("A", "B", "s1", 1, id="X"),
        PlacedMeeting("C", "D", "s1", 2, id="Y"),
        PlacedMeeting("C", "E", "s0", 1, id="Z"),
        PlacedMeeting("A", "F", "s2", 1, id="W"),
    ]
    assert check(inst, meetings) == ["C-D in slot s1 must come after A-B (X, slot s1)"]


def test_unknown_ids_and_cycles_are_bad_input():
    base = {"a": "A", "b": "B"}
    doc = {
        "format": "matchmaker.schedule-instance/1",
        "tables": 1,
        "slots": [{"id": "s0", "day": "2026-03-10", "start": "09:00"}],
        "participants": [{"id": "A"}, {"id": "B"}],
        "candidates": [{**base, "id": "x", "after": ["x"]}],
    }
    with pytest.raises(InstanceError, match="'x' cannot come after itself"):
        parse_instance(doc)
    doc["candidates"] = [base, {**base, "id": "c0"}]
    with pytest.raises(InstanceError, match=r"id 'c0' is also the id of candidates\[1\]"):
        parse_instance(doc)


# --- lock conflicts -------------------------------------------------------------------------


def test_lock_outside_the_candidate_slots_is_kept_and_reported():
    inst = Instance(
        slots(3),
        (Participant("A"), Participant("B", frozenset({"s1", "s2"}))),
        (Candidate("A", "B", "accepted", 1.0, frozenset({"s1"})),),
        (LockedMeeting("A", "B", "s0", id="lk"),),
    )
    inst.validate()  # no longer an error: the organizer's call, reported
    sch = solve(inst, time_limit=5)
    assert [(m.id, m.slot) for m in sch.meetings] == [("lk", "s0")]
    assert [(c.id, c.reason) for c in sch.conflicts] == [
        ("lk", "unavailable"),
        ("lk", "outside_allowed_slots"),
    ]
    assert schedule_to_json(sch)["conflicts"][0]["slot"] == "s0"
    assert check(inst, sch) == [
        "B is not available in slot s0; the locked meeting A-B is kept there",
        "A and B asked to meet only in other slots than s0; the locked meeting is kept there",
    ]


def test_cli_solve_exits_1_on_a_lock_conflict(tmp_path, capsys):
    doc = {
        "format": "matchmaker.schedule-instance/1",
        "tables": 1,
        "slots": [
            {"id": "s0", "day": "2026-03-10", "start": "09:00"},
            {"id": "s1", "day": "2026-03-10", "start": "09:30"},
        ],
        "participants": [{"id": "A"}, {"id": "B"}],
        "candidates": [{"a": "A", "b": "B", "slots": ["s1"]}],
        "locked": [{"a": "A", "b": "B", "slot": "s0"}],
    }
    path = tmp_path / "i.json"
    path.write_text(json.dumps(doc))
    assert main(["solve", str(path), "--quiet"]) == 1
    out = capsys.readouterr()
    assert "conflict: locked meeting l0: A and B asked to meet only in other slots" in out.err
    assert json.loads(out.out)["conflicts"][0]["reason"] == "outside_allowed_slots"


def test_ids_and_precedences_survive_the_json_round_trip():
    from matchmaker.scheduling import instance_to_json

    inst = ordered_instance()
    assert parse_instance(json.loads(json.dumps(instance_to_json(inst)))) == inst


def test_two_locks_against_their_order_are_a_conflict():
    inst = Instance(
        slots(3),
        people("ABCD"),
        (),
        (
            LockedMeeting("A", "B", "s2", id="first"),
            LockedMeeting("C", "D", "s1", id="second", after=("first",)),
        ),
    )
    sch = solve(inst, time_limit=5)
    assert [(c.id, c.reason) for c in sch.conflicts] == [("second", "order")]
    assert check(inst, sch) == [
        "the locked meeting C-D (slot s1) must come after first (A-B, slot s2)",
    ]
