"""Small cases whose optimum is known by hand."""

import dataclasses

import pytest

from matchmaker.scheduling import (
    ACCEPTED,
    MUTUAL,
    SUGGESTION,
    Candidate,
    Instance,
    InstanceError,
    LockedMeeting,
    Options,
    Participant,
    PlacedMeeting,
    Slot,
    check,
    count_breaks,
    move_conflicts,
    solve,
)


def slots(n, tables=5, day="2026-03-10"):
    return tuple(
        Slot(f"s{i + 1}", day, f"{9 + i:02d}:00", f"{9 + i:02d}:25", tables) for i in range(n)
    )


def people(*ids, **kw):
    return tuple(Participant(i, **kw) for i in ids)


def make_instance(
    n_slots=2,
    ids=("A", "B", "C"),
    cands=(),
    tables=5,
    locked=(),
    options=None,
    participants=None,
):
    """An instance with slots s1..sN of one day, ``tables`` tables each."""
    return Instance(
        slots=slots(n_slots, tables),
        participants=participants or people(*ids),
        candidates=tuple(c if isinstance(c, Candidate) else Candidate(*c) for c in cands),
        locked=tuple(locked),
        options=options or Options(),
    )


def pairs(schedule):
    return {frozenset((m.a, m.b)) for m in schedule.meetings}


def test_solve_three_participants_two_slots_one_table_takes_the_two_heaviest():
    inst = make_instance(
        2,
        tables=1,
        cands=[
            ("A", "B", SUGGESTION, 0.9),
            ("A", "C", SUGGESTION, 0.5),
            ("B", "C", SUGGESTION, 0.4),
        ],
    )
    sch = solve(inst, time_limit=5)
    assert pairs(sch) == {frozenset("AB"), frozenset("AC")}
    assert check(inst, sch) == []
    assert sch.figures.status == "optimal"
    assert sch.figures.total_weight == pytest.approx(1.4)
    assert sch.figures.objective <= sch.figures.bound + 1e-6
    [left] = sch.unplaced
    assert (left.a, left.b, left.reason) == ("B", "C", "displaced")


def test_solve_keeps_locked_meeting_and_its_table():
    lock = LockedMeeting("A", "B", "s2", 3)
    inst = make_instance(
        2, cands=[("A", "B", SUGGESTION, 0.1), ("A", "C", SUGGESTION, 1.0)], locked=[lock]
    )
    sch = solve(inst, time_limit=5)
    ab = [m for m in sch.meetings if {m.a, m.b} == {"A", "B"}]
    assert ab == [PlacedMeeting("A", "B", "s2", 3, SUGGESTION, 0.1, True, "l0")]
    ac = [m for m in sch.meetings if {m.a, m.b} == {"A", "C"}]
    assert [m.slot for m in ac] == ["s1"]
    assert check(inst, sch) == []


def test_solve_locked_meeting_without_candidate_is_manual():
    inst = make_instance(1, locked=[LockedMeeting("B", "C", "s1")])
    sch = solve(inst, time_limit=5)
    assert [(m.a, m.b, m.slot, m.priority, m.locked) for m in sch.meetings] == [
        ("B", "C", "s1", "manual", True)
    ]
    assert sch.figures.placed["manual"] == 1


def test_solve_prefers_accepted_request_over_heavier_suggestion():
    inst = make_instance(
        3,
        cands=[("A", "B", ACCEPTED, 0.1), ("A", "C", SUGGESTION, 1.0)],
        participants=(Participant("A", max_meetings=1), *people("B", "C")),
    )
    sch = solve(inst, time_limit=5)
    assert pairs(sch) == {frozenset("AB")}
    [left] = sch.unplaced
    assert left.reason == "maximum_reached"
    assert "A already has 1 meetings (maximum 1)" in left.detail
    assert sch.figures.placed[ACCEPTED] == 1 == sch.figures.accepted_feasible


def test_solve_prefers_mutual_interest_over_two_suggestions():
    # one slot: either A-B (mutual) or A-C + ... A can meet once; mutual must win over weight
    inst = make_instance(1, cands=[("A", "B", MUTUAL, 0.2), ("A", "C", SUGGESTION, 0.99)], tables=3)
    sch = solve(inst, time_limit=5)
    assert pairs(sch) == {frozenset("AB")}


def test_solve_fairness_gives_everyone_a_meeting_before_extra_weight():
    # capacity for two meetings: A-B + A-C is heavier, A-B + D-E gives D and E a meeting
    inst = make_instance(
        2,
        ids=("A", "B", "C", "D", "E"),
        tables=1,
        cands=[
            ("A", "B", SUGGESTION, 1.0),
            ("A", "C", SUGGESTION, 0.9),
            ("D", "E", SUGGESTION, 0.3),
        ],
    )
    sch = solve(inst, time_limit=5)
    assert pairs(sch) == {frozenset("AB"), frozenset("DE")}
    assert sch.figures.zero_meeting_participants == ("C",)
    assert sch.unplaced[0].reason == "no_table"


def test_solve_respects_candidate_allowed_slots():
    inst = make_instance(4, cands=[Candidate("A", "B", ACCEPTED, 0.5, frozenset({"s3"}))], tables=2)
    sch = solve(inst, time_limit=5)
    assert [m.slot for m in sch.meetings] == ["s3"]


def test_solve_reduces_breaks_to_zero_when_possible():
    inst = make_instance(
        5,
        ids=("A", "B", "C", "D"),
        cands=[
            ("A", "B", ACCEPTED, 1),
            ("A", "C", ACCEPTED, 1),
            ("A", "D", ACCEPTED, 1),
            ("B", "C", ACCEPTED, 1),
        ],
    )
    sch = solve(inst, time_limit=5)
    assert len(sch.meetings) == 4
    assert sch.figures.breaks_total == 0
    assert sch.figures.breaks_optimal
    assert set(count_breaks(inst, sch).values()) == {0}


def test_count_breaks_of_hand_schedule():
    inst_slots = slots(5) + (dataclasses.replace(slots(1)[0], id="d2", day="2026-03-11"),)
    inst = Instance(inst_slots, people("A", "B", "C", "D"))
    meetings = [
        PlacedMeeting("A", "B", "s1", 1),
        PlacedMeeting("A", "C", "s3", 1),  # A idle in s2: one break
        PlacedMeeting("A", "D", "s5", 1),  # A idle in s4: second break
        PlacedMeeting("B", "C", "s2", 2),
        PlacedMeeting("B", "D", "d2", 1),  # another day: no break
    ]
    assert count_breaks(inst, meetings) == {"A": 2, "B": 0, "C": 0, "D": 0}


def test_solve_keeps_participant_at_same_table_across_consecutive_meetings():
    inst = make_instance(
        3,
        ids=("A", "B", "C", "D", "E"),
        tables=4,
        cands=[
            ("A", "B", ACCEPTED, 1),
            ("A", "C", ACCEPTED, 1),
            ("A", "D", ACCEPTED, 1),
            ("B", "E", SUGGESTION, 0.2),
        ],
    )
    sch = solve(inst, time_limit=5)
    a_tables = {m.table for m in sch.meetings if "A" in (m.a, m.b)}
    assert len(a_tables) == 1
    assert sch.figures.breaks_total == 0


def test_solve_fixed_meetings_unavoidable_break_is_proved_optimal():
    inst = make_instance(
        3,
        ids=("A", "B", "C", "D", "E"),
        cands=[("A", "B", ACCEPTED, 1), ("A", "C", ACCEPTED, 1), ("D", "E", ACCEPTED, 1)],
        participants=(
            Participant("A"),
            Participant("B", frozenset({"s1"})),
            Participant("C", frozenset({"s3"})),
            *people("D", "E"),
        ),
        options=Options(fixed_meetings=True, break_fairness=1),
    )
    sch = solve(inst, time_limit=10)
    assert len(sch.meetings) == 3
    assert sch.figures.breaks_total == 1
    assert sch.figures.breaks_optimal
    assert sch.figures.breaks_bound == 1
    assert sch.figures.status == "optimal"
    assert check(inst, sch) == []


def test_unsettled_break_stage_reports_the_bound_it_proved(monkeypatch):
    # As when the time runs out on a hard instance: the exact stage keeps the agenda with one
    # break and has only proved that no agenda has fewer than 0. The figures must say so
    # (bound 0, not optimal) rather than claim the break is unavoidable.
    from matchmaker.scheduling import breaks as breaks_mod

    monkeypatch.setattr(breaks_mod, "exact", lambda st, *a, **k: ("FEASIBLE", 1, 0))
    inst = make_instance(
        3,
        ids=("A", "B", "C"),
        cands=[("A", "B", ACCEPTED, 1), ("A", "C", ACCEPTED, 1)],
        participants=(
            Participant("A"),
            Participant("B", frozenset({"s1"})),
            Participant("C", frozenset({"s3"})),
        ),
        options=Options(fixed_meetings=True),
    )
    f = solve(inst, time_limit=5).figures
    assert (f.breaks_total, f.breaks_bound, f.breaks_optimal) == (1, 0, False)
    assert f.status == "feasible"


def test_solve_fixed_meetings_reports_infeasible():
    inst = make_instance(
        1,
        cands=[("A", "B", ACCEPTED, 1), ("A", "C", ACCEPTED, 1)],
        options=Options(fixed_meetings=True),
    )
    sch = solve(inst, time_limit=5)
    assert sch.figures.status == "infeasible"
    assert len(sch.meetings) == 1


def test_solve_reasons_for_unplaced_candidates():
    morning = frozenset({"s1"})
    inst = make_instance(
        2,
        ids=(),
        tables=1,
        participants=(
            Participant("A", morning),
            Participant("B", frozenset({"s2"})),
            Participant("C"),
            Participant("D"),
            Participant("E", max_meetings=0),
        ),
        cands=[
            ("A", "B", ACCEPTED, 1.0),  # never available together
            ("C", "D", ACCEPTED, 1.0),
            ("C", "D", SUGGESTION, 0.5),  # same pair again
            ("C", "E", ACCEPTED, 1.0),  # E takes no meeting
            ("A", "C", SUGGESTION, 0.1),
        ],
        options=Options(fill_with_suggestions=False),
    )
    sch = solve(inst, time_limit=5)
    reasons = {(u.a, u.b, u.priority): u.reason for u in sch.unplaced}
    assert reasons == {
        ("A", "B", ACCEPTED): "no_common_slot",
        ("C", "D", SUGGESTION): "duplicate_pair",
        ("C", "E", ACCEPTED): "maximum_reached",
        ("A", "C", SUGGESTION): "suggestions_off",
    }
    detail = {u.reason: u.detail for u in sch.unplaced}
    assert detail["no_common_slot"] == "A and B are never available at the same time"


def test_solve_reports_progress_from_zero_to_one():
    seen = []
    inst = make_instance(2, cands=[("A", "B", ACCEPTED, 1)])
    solve(inst, time_limit=5, progress=lambda stage, f: seen.append((stage, f)))
    assert seen[0] == ("prepare", 0.0)
    assert seen[-1] == ("done", 1.0)
    assert [f for _s, f in seen] == sorted(f for _s, f in seen)


def test_check_lists_every_violation_with_ids():
    inst = make_instance(
        2,
        tables=1,
        ids=(),
        participants=(
            Participant("A", max_meetings=1),
            Participant("B", frozenset({"s1"})),
            *people("C", "D"),
        ),
        cands=[Candidate("C", "D", SUGGESTION, 0.5, frozenset({"s1"}))],
        locked=[LockedMeeting("A", "D", "s1")],
    )
    bad = [
        PlacedMeeting("A", "B", "s2", 1),  # B unavailable in s2
        PlacedMeeting("A", "C", "s2", 2),  # A twice in s2, over max, table 2 missing
        PlacedMeeting("C", "D", "s2", 1),  # C twice; table 1 twice; outside allowed slots
        PlacedMeeting("D", "C", "s1", 1),  # pair twice
        PlacedMeeting("X", "C", "s1", 1),  # unknown participant
    ]
    problems = check(inst, bad)
    assert "B is not available in slot s2" in problems
    assert "A meets both B and C in slot s2" in problems
    assert "A has 2 meetings, maximum 1" in problems
    assert "table 2 does not exist in slot s2 (tables 1..1)" in problems
    assert "C and D asked to meet only in other slots than s2" in problems
    assert "table 1 in slot s2 holds both C-D and A-B" in problems
    assert "slot s2 has 3 meetings but 1 tables" in problems
    assert "D and C meet 2 times (slots s2 and s1); the instance allows once" in problems
    assert "unknown participant X" in problems
    assert "the locked meeting A-D in slot s1 is missing" in problems


def test_move_conflicts_explains_a_refused_move():
    inst = make_instance(
        2, ids=("A", "B", "C", "D"), tables=2, locked=[LockedMeeting("C", "D", "s1", 1)]
    )
    meetings = [
        PlacedMeeting("A", "B", "s1", 2),
        PlacedMeeting("A", "C", "s2", 1),
        PlacedMeeting("C", "D", "s1", 1, locked=True),
    ]
    found = move_conflicts(inst, meetings, "B", "A", "s2", 1)
    assert [c.message for c in found] == [
        "A already meets C in slot s2",
        "table 1 in slot s2 is taken by A-C",
    ]
    assert found[0].format({"A": "Ana", "C": "Cyril"}) == "Ana already meets Cyril in slot s2"
    assert move_conflicts(inst, meetings, "A", "B", "s2", 2) == [
        move_conflicts(inst, meetings, "A", "B", "s2", 2)[0]
    ]
    assert [c.code for c in move_conflicts(inst, meetings, "D", "C", "s2")] == [
        "locked_moved",
        "double_booked",
    ]
    assert move_conflicts(inst, meetings, "B", "D", "s2", 2) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"slots": ()}, "the instance has no slots"),
        ({"candidates": (Candidate("A", "Z"),)}, "candidate 0 (A-Z): unknown participant 'Z'"),
        (
            {"candidates": (Candidate("A", "A"),)},
            "candidate 0 (A-A): a participant cannot meet itself",
        ),
        ({"candidates": (Candidate("A", "B", "urgent"),)}, "candidate 0 (A-B): priority 'urgent'"),
        ({"candidates": (Candidate("A", "B", weight=-1),)}, "weight must be a finite number >= 0"),
        (
            {"locked": (LockedMeeting("A", "B", "s9"),)},
            "locked meeting A-B in slot 's9': unknown slot",
        ),
        (
            {"locked": (LockedMeeting("A", "B", "s1"), LockedMeeting("A", "C", "s1"))},
            "A has another locked meeting in that slot",
        ),
        ({"locked": (LockedMeeting("A", "B", "s1", 9),)}, "table 9 does not exist"),
    ],
)
def test_solve_rejects_inconsistent_instance(change, message):
    inst = dataclasses.replace(make_instance(2), **change)
    with pytest.raises(InstanceError, match=None) as err:
        solve(inst, time_limit=1)
    assert message in str(err.value)


def test_exact_break_model_with_implied_constraints_agrees_with_plain_model():
    from matchmaker.scheduling.breaks import exact, participant_breaks
    from matchmaker.scheduling.core import build
    from matchmaker.scheduling.place import place_selection
    from matchmaker.scheduling.synthetic import b2b_fixed

    inst = b2b_fixed(12, 20, 6, 6, seed=4, fairness=2)
    found = []
    for implied in (False, True):
        prob = build(inst)
        st = place_selection(prob, list(prob.free))
        status, breaks, _bound = exact(st, 10, 2, meetings=list(prob.free), implied=implied)
        assert status == "OPTIMAL"
        assert breaks == sum(participant_breaks(st))
        found.append(breaks)
    assert found[0] == found[1]
