"""Group meetings in the optimiser: every member free, a table that seats them all, each
member's maximum, the pairs around them, ``check`` and the interchange format."""

import json

import pytest

from matchmaker.scheduling import (
    Candidate,
    Group,
    Instance,
    InstanceError,
    LockedMeeting,
    Participant,
    PlacedGroup,
    Slot,
    Table,
    check,
    instance_to_json,
    parse_instance,
    parse_schedule_groups,
    schedule_to_json,
    solve,
)
from matchmaker.scheduling.__main__ import main


def slots(n=4, tables=3):
    return tuple(Slot(f"s{i}", "2026-05-04", f"{9 + i:02d}:00", "", tables) for i in range(n))


def people(n=6, **special):
    return tuple(special.get(f"p{i}", Participant(f"p{i}")) for i in range(n))


def test_a_group_goes_where_every_member_is_free_at_a_table_that_seats_them_all():
    inst = Instance(
        slots(),
        people(
            6,
            p0=Participant("p0", frozenset({"s1", "s2", "s3"})),
            p1=Participant("p1", frozenset({"s0", "s2", "s3"})),
        ),
        locked=(LockedMeeting("p2", "p5", "s2"),),
        groups=(Group("team", ("p0", "p1", "p2", "p3"), "Horizon consortium"),),
        tables=(Table(3, 6), Table(1, 2)),
    )
    sch = solve(inst, time_limit=5)
    assert sch.groups == (
        PlacedGroup("team", ("p0", "p1", "p2", "p3"), "s3", 3, "Horizon consortium"),
    )
    assert not sch.unplaced_groups
    assert check(inst, sch) == []


def test_no_table_with_enough_seats_leaves_the_group_out_and_says_so():
    inst = Instance(
        slots(2),
        people(5),
        candidates=(Candidate("p0", "p4", "accepted", 1.0),),
        groups=(Group("g", ("p0", "p1", "p2", "p3")),),
        tables=(Table(1, 3), Table(2, 3)),  # table 3 is a pair's table (2 seats)
    )
    sch = solve(inst, time_limit=5)
    assert sch.groups == ()
    [why] = sch.unplaced_groups
    assert why.reason == "no_table"
    assert "no table with 4 seats" in why.detail
    assert [(m.a, m.b) for m in sch.meetings] == [("p0", "p4")]  # the pairs go on as before


def test_a_group_counts_toward_each_members_maximum():
    inst = Instance(
        slots(3),
        people(5, p1=Participant("p1", max_meetings=1)),
        candidates=(Candidate("p1", "p4", "accepted", 1.0), Candidate("p0", "p4", "mutual", 1.0)),
        groups=(Group("g", ("p0", "p1", "p2")),),
        tables=(Table(1, 4),),
    )
    sch = solve(inst, time_limit=5)
    assert [g.id for g in sch.groups] == ["g"]
    assert all("p1" not in (m.a, m.b) for m in sch.meetings)
    [left] = [u for u in sch.unplaced if "p1" in (u.a, u.b)]
    assert left.reason == "maximum_reached"
    assert check(inst, sch) == []


def test_a_member_already_at_the_maximum_keeps_the_group_out():
    inst = Instance(
        slots(3),
        people(4, p2=Participant("p2", max_meetings=1)),
        locked=(LockedMeeting("p2", "p3", "s0"),),
        groups=(Group("g", ("p0", "p1", "p2")),),
        tables=(Table(2, 8),),
    )
    [why] = solve(inst, time_limit=5).unplaced_groups
    assert why.reason == "maximum_reached"
    assert "p2 already has 1 meetings (maximum 1)" in why.detail


def test_members_never_free_together_are_told_apart_from_a_full_room():
    inst = Instance(
        slots(2),
        people(3, p0=Participant("p0", frozenset({"s0"})), p1=Participant("p1", frozenset({"s1"}))),
        groups=(Group("g", ("p0", "p1", "p2")),),
        tables=(Table(1, 4),),
    )
    [why] = solve(inst, time_limit=5).unplaced_groups
    assert why.reason == "no_common_slot"


def test_two_groups_sharing_a_member_take_different_slots_and_pairs_fill_around():
    inst = Instance(
        slots(3, tables=2),
        people(7),
        candidates=tuple(Candidate(f"p{i}", f"p{j}", "mutual", 0.5) for i, j in [(0, 6), (5, 6)]),
        groups=(Group("a", ("p0", "p1", "p2")), Group("b", ("p0", "p3", "p4", "p5"))),
        tables=(Table(1, 4), Table(2, 4)),
    )
    sch = solve(inst, time_limit=5)
    assert {g.id for g in sch.groups} == {"a", "b"}
    assert len({g.slot for g in sch.groups}) == 2
    assert len(sch.meetings) == 2
    assert check(inst, sch) == []
    # the member in both groups has no break between them (groups placed first, side by side)
    order = sorted(int(g.slot[1:]) for g in sch.groups)
    assert order[1] - order[0] == 1


def test_a_pair_inside_a_placed_group_meets_there_not_twice():
    inst = Instance(
        slots(2),
        people(3),
        candidates=(Candidate("p0", "p1", "accepted", 1.0),),
        groups=(Group("g", ("p0", "p1", "p2")),),
        tables=(Table(1, 3),),
    )
    sch = solve(inst, time_limit=5)
    assert sch.meetings == ()
    [u] = sch.unplaced
    assert u.reason == "met_in_group"


def test_check_finds_a_member_double_booked_too_few_seats_and_a_full_table():
    inst = Instance(
        slots(2),
        people(5),
        candidates=(Candidate("p0", "p4"),),
        groups=(Group("g", ("p0", "p1", "p2", "p3")),),
        tables=(Table(1, 3),),
    )
    sch = solve(inst, time_limit=5)
    pair = sch.meetings
    bad = [PlacedGroup("g", ("p0", "p1", "p2", "p3"), pair[0].slot if pair else "s0", 1)]
    problems = check(inst, list(pair), bad)
    assert any("table 1 seats 3 but group meeting g has 4 members" in p for p in problems)
    if pair:
        assert any("p0 is in group meeting g and in p0-p4" in p for p in problems)
    twice = check(inst, [], bad + bad)
    assert any("placed twice" in p for p in twice)
    assert any("unknown group meeting x" in p for p in check(inst, [], [bad[0].__class__(
        "x", ("p0", "p1", "p2"), "s0", 2)]))  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"groups": [{"id": "g", "members": ["p0", "p1"]}]}, "at least 3 members"),
        ({"groups": [{"id": "g", "members": ["p0", "p1", "zz"]}]}, "unknown participant 'zz'"),
        ({"groups": [{"id": "g", "members": ["p0", "p0", "p1"]}]}, "listed twice"),
        ({"table_seats": [{"table": 1, "seats": 1}]}, "table_seats[0].seats must be"),
        ({"table_seats": [{"table": 1, "seats": 4}, {"table": 1, "seats": 5}]}, "given twice"),
        ({"groups": [{"id": "g", "members": "p0"}]}, "groups[0].members must be a list"),
    ],
)
def test_malformed_groups_and_seats_are_refused_in_one_line(change, message):
    doc = instance_to_json(Instance(slots(1), people(3)))
    doc.update(change)
    with pytest.raises(InstanceError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_instance(doc)


def test_the_interchange_round_trip_and_the_cli_check(tmp_path, capsys):
    inst = Instance(
        slots(2),
        people(4),
        groups=(Group("g", ("p0", "p1", "p2"), "Kick-off"),),
        tables=(Table(2, 5),),
    )
    doc = instance_to_json(inst)
    assert parse_instance(json.loads(json.dumps(doc))) == inst
    sch = solve(inst, time_limit=5)
    out = schedule_to_json(sch)
    assert out["groups"] == [
        {"id": "g", "members": ["p0", "p1", "p2"], "slot": "s0", "table": 2, "title": "Kick-off"}
    ]
    assert parse_schedule_groups(out) == list(sch.groups)
    (tmp_path / "i.json").write_text(json.dumps(doc))
    out["groups"][0]["table"] = 1  # a pair's table: too few seats
    (tmp_path / "s.json").write_text(json.dumps(out))
    assert main(["check", str(tmp_path / "i.json"), str(tmp_path / "s.json")]) == 1
    assert "table 1 seats 2 but group meeting g has 3 members" in capsys.readouterr().out
