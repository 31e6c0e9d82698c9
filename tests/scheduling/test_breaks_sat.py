"""The SAT questions of ``breaks_sat`` ("is there an agenda with at most k breaks?"): answers
known by hand and by brute force, fairness, locked meetings, and the time limit."""

import time

import pytest

from matchmaker.scheduling import (
    ACCEPTED,
    Candidate,
    Instance,
    LockedMeeting,
    Options,
    Participant,
    check,
    count_breaks,
)
from matchmaker.scheduling.breaks_sat import BreakSat
from matchmaker.scheduling.core import build
from matchmaker.scheduling.model import PlacedMeeting
from matchmaker.scheduling.place import place_selection
from tests.scheduling.test_breaks_exact import brute_force, fixed, slots, tiny_instance


def cycle(names):
    return [(names[i], names[(i + 1) % len(names)]) for i in range(len(names))]


def sat_for(inst, fairness=None):
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    return prob, BreakSat(st, fairness, list(prob.free))


def fewest(sat, top=10):
    """The first k whose question is answered yes (None: none up to ``top``)."""
    for k in range(top + 1):
        answer = sat.at_most(k, 10)
        assert answer is not None, f"k={k} not settled in 10 s"
        if answer:
            return k
    return None


def agenda(inst, prob, sat):
    """The agenda found by the last question, as placed meetings (tables numbered per slot)."""
    used = {}
    meetings = []
    for k, s in sorted(sat.slots().items()):
        used[s] = used.get(s, 0) + 1
        a, b = prob.person_ids[prob.ca[k]], prob.person_ids[prob.cb[k]]
        meetings.append(PlacedMeeting(a, b, prob.slot_ids[s], used[s]))
    return meetings


@pytest.mark.parametrize(("names", "expected"), [("ABCDE", 1), ("ABCDEF", 0), ("ABCDEFG", 1)])
def test_odd_cycle_is_refuted_at_zero_and_met_at_one(names, expected):
    inst = fixed(cycle(names), slots(len(names), tables=3))
    prob, sat = sat_for(inst)
    assert fewest(sat) == expected
    meetings = agenda(inst, prob, sat)
    assert check(inst, meetings) == []
    assert len(meetings) == len(inst.candidates)
    assert sum(count_breaks(inst, meetings).values()) == expected


@pytest.mark.parametrize("seed", range(8))
def test_fewest_breaks_match_brute_force(seed):
    inst, fairness = tiny_instance(100 + seed)
    prob = build(inst)
    expected = brute_force(prob, fairness)
    st = place_selection(prob, list(prob.free))
    sat = BreakSat(st, fairness, list(prob.free))
    if not sat.ok:
        assert expected is None
        return
    got = fewest(sat, top=len(prob.free))
    if sat.fair_encoded or expected is None:
        assert got == expected
    else:
        assert got is not None and got <= expected  # fairness left out: a relaxation


def test_fairness_zero_refutes_an_agenda_someone_must_wait_in():
    # The 5-cycle forces one break; G has one meeting, so nobody may have more than
    # max - min = 0 breaks: no agenda at all.
    inst = fixed(cycle("ABCDE") + [("F", "G")], slots(5, tables=3), fairness=0)
    prob, sat = sat_for(inst, fairness=0)
    assert sat.fair_encoded
    for k in range(4):
        assert sat.at_most(k, 10) is False


def test_fairness_spreads_the_breaks_of_two_triangles():
    # Two triangles need two breaks; with fairness 0 and a one-meeting participant both
    # would have to be 0: refuted. With fairness 1 two different people take one each.
    pairs = cycle("ABC") + cycle("DEF") + [("G", "H")]
    inst = fixed(pairs, slots(3, tables=4), fairness=1)
    prob, sat = sat_for(inst, fairness=1)
    assert fewest(sat) == 2
    per = count_breaks(inst, agenda(inst, prob, sat))
    assert sorted(per.values()).count(1) == 2


def test_a_locked_gap_is_a_certain_break():
    # A is locked with B in s1 and with C in s3; D can only come in s4: A's gap in s2 stays.
    inst = Instance(
        slots(4),
        (Participant("A"), Participant("B"), Participant("C"), Participant("D", frozenset({"s4"}))),
        (Candidate("A", "D", ACCEPTED, 1.0),),
        (LockedMeeting("A", "B", "s1"), LockedMeeting("A", "C", "s3")),
        Options(fixed_meetings=True),
    )
    prob, sat = sat_for(inst)
    assert sat.constant == 1
    assert sat.at_most(0, 10) is False
    assert sat.at_most(1, 10) is True
    assert sat.slots() == {prob.free[0]: prob.slot_index["s4"]}


def test_an_unsettled_question_returns_none_on_time():
    from matchmaker.scheduling.breaks import anneal
    from matchmaker.scheduling.synthetic import b2b_fixed

    inst = b2b_fixed(70, 240, 20, 16, seed=7)
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    anneal(st, 0.5, 0, 2)
    sat = BreakSat(st, 2, list(prob.free))
    t0 = time.perf_counter()
    assert sat.at_most(3, 0.3) is None  # open after minutes on this instance
    assert time.perf_counter() - t0 < 2.0
    sat.close()
