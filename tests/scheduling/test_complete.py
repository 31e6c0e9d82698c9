"""Fixed meetings the greedy placement leaves out are placed before the break search
(issue 19: tight tables within a session)."""

from dataclasses import replace

from benchmarks.b2b_standins import standin
from matchmaker.scheduling import check, solve
from matchmaker.scheduling.breaks_exact import complete_agenda
from matchmaker.scheduling.check import conflicts
from matchmaker.scheduling.core import build
from matchmaker.scheduling.model import PlacedMeeting
from matchmaker.scheduling.place import place_selection


def _meetings(st):
    prob = st.prob
    per_slot: dict[int, int] = {}
    out = []
    for k, s in enumerate(st.slot_of):
        if s >= 0:
            per_slot[s] = per_slot.get(s, 0) + 1
            c = prob.cands[k]
            out.append(PlacedMeeting(c.a, c.b, prob.slot_ids[s], per_slot[s], c.priority, 1.0))
    return out


def test_complete_agenda_places_what_the_greedy_placement_left_out():
    inst = standin("S1t", 4).instance  # tight tables: the greedy placement leaves one out
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    left_out = [k for k in prob.free if st.slot_of[k] < 0]
    assert left_out

    assert complete_agenda(st, list(prob.free), 20.0) is True

    assert all(st.slot_of[k] >= 0 for k in prob.free)
    # every hard constraint holds; evening out the breaks is the later stages' work
    unbounded = replace(inst, options=replace(inst.options, break_fairness=None))
    assert check(unbounded, _meetings(st)) == []


def test_complete_agenda_proves_when_the_meetings_cannot_all_fit():
    inst = standin("S1t", 4).instance
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    # the first four slots closed: 154 meetings cannot fit in 17 slots of 9 tables
    prob.usable = [u & ~0b1111 for u in prob.usable]
    for k in prob.free:
        if 0 <= st.slot_of[k] < 4:
            st.remove(k)

    assert complete_agenda(st, list(prob.free), 20.0) is False


def test_solve_with_tight_tables_finds_an_agenda_as_good_as_the_planted_one():
    stand = standin("S1t", 4)  # planted with 1 break; the greedy placement leaves one out
    inst = stand.instance

    sch = solve(inst, time_limit=30.0)

    assert sch.unplaced == ()
    assert check(inst, sch) == []
    # before the agenda was completed first: 20 breaks, nothing proved
    assert sch.figures.breaks_total <= stand.planted_breaks


def test_complete_agenda_keeps_precedences():
    stand = standin("S1t", 4, precedences=12)  # planted order: the optimum keeps them
    inst = stand.instance
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    assert any(prob.earlier)

    assert complete_agenda(st, list(prob.free), 20.0) is True

    for k in prob.free:
        for e in prob.earlier[k]:
            assert st.slot_of[e] < st.slot_of[k]


def test_solve_keeps_repeats_and_precedences_of_a_stand_in():
    stand = standin("S1", 0, repeats=3, precedences=8)
    inst = stand.instance

    sch = solve(inst, time_limit=20.0)

    assert sch.unplaced == ()
    assert check(inst, sch) == []
    assert sch.figures.breaks_total <= stand.planted_breaks


def test_a_fixed_meeting_beyond_a_maximum_is_never_placed_to_complete_the_agenda():
    from matchmaker.scheduling.model import (
        ACCEPTED,
        Candidate,
        Instance,
        Options,
        Participant,
        Slot,
    )

    slots = tuple(
        Slot(f"s{i}", "2026-03-10", f"{9 + i:02d}:00", f"{9 + i:02d}:25", 1) for i in range(2)
    )
    people = (Participant("ana"), Participant("bo"), Participant("cem", max_meetings=0))
    inst = Instance(
        slots,
        people,
        (Candidate("ana", "bo", ACCEPTED), Candidate("ana", "cem", ACCEPTED)),
        options=Options(fixed_meetings=True, fill_with_suggestions=False),
    )

    sch = solve(inst, time_limit=3.0)

    assert sch.figures.status in ("infeasible", "incomplete")
    assert all("cem" not in (m.a, m.b) for m in sch.meetings)
    assert [c.code for c in conflicts(inst, sch)] == ["fixed_missing"]
