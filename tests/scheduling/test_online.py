"""Online meetings (issue 24): held by video, they take no table, so a slot's tables cap only
the meetings in the hall; every stage (exact model, selection + placement, annealing, the
checker and the interchange) counts them so."""

from matchmaker.scheduling import solve
from matchmaker.scheduling.check import conflicts
from matchmaker.scheduling.interchange import (
    instance_to_json,
    parse_instance,
    parse_schedule,
    schedule_to_json,
)
from matchmaker.scheduling.model import (
    ACCEPTED,
    Candidate,
    Instance,
    LockedMeeting,
    Options,
    Participant,
    Slot,
)


def _slots(n, tables):
    return tuple(
        Slot(f"s{i}", "2026-05-01", f"{9 + i:02d}:00", f"{9 + i:02d}:30", tables) for i in range(n)
    )


def _instance(online_pairs, hall_pairs, n_slots=1, tables=1, locked=(), **options):
    pairs = [*online_pairs, *hall_pairs, *((m.a, m.b) for m in locked)]
    people = sorted({p for pair in pairs for p in pair})
    cands = [Candidate(a, b, ACCEPTED, 1.0, online=True) for a, b in online_pairs]
    cands += [Candidate(a, b, ACCEPTED, 1.0) for a, b in hall_pairs]
    return Instance(
        _slots(n_slots, tables),
        tuple(Participant(p) for p in people),
        tuple(cands),
        tuple(locked),
        Options(**options),
    )


def test_online_meetings_need_no_table():
    """One slot, one table: the hall holds one meeting and the three online ones happen too,
    without a table."""
    inst = _instance([("o1", "o2"), ("o3", "o4"), ("o5", "o6")], [("h1", "h2"), ("h3", "h4")])
    schedule = solve(inst, time_limit=5)
    placed = {(m.a, m.b): m for m in schedule.meetings}
    assert {k for k, m in placed.items() if m.online} == {("o1", "o2"), ("o3", "o4"), ("o5", "o6")}
    assert all(m.table == 0 for m in placed.values() if m.online)
    assert [m.table for m in placed.values() if not m.online] == [1]
    assert conflicts(inst, schedule) == []


def test_no_tables_at_all_still_places_online_meetings():
    inst = _instance(
        [("o1", "o2"), ("o1", "o3"), ("o2", "o3")], [("h1", "h2")], n_slots=3, tables=0
    )
    schedule = solve(inst, time_limit=5)
    assert sorted((m.a, m.b) for m in schedule.meetings) == [
        ("o1", "o2"),
        ("o1", "o3"),
        ("o2", "o3"),
    ]
    assert [(u.a, u.b) for u in schedule.unplaced] == [("h1", "h2")]


def test_heuristic_stages_keep_tables_for_the_hall_only():
    """Large enough for the selection MILP + placement + annealing path: every slot holds at
    most its tables of hall meetings, however many online ones run beside them."""
    hall = [(f"h{i}", f"h{j}") for i in range(12) for j in range(i + 1, 12)]
    online = [(f"o{i}", f"o{j}") for i in range(12) for j in range(i + 1, 12)]
    online += [(f"h{i}", f"o{i}") for i in range(12)]
    inst = _instance(online, hall, n_slots=8, tables=2)
    from matchmaker.scheduling import solver

    old = solver.FULL_MODEL_LIMIT
    solver.FULL_MODEL_LIMIT = 0  # force the large-event pipeline
    try:
        schedule = solve(inst, time_limit=5)
    finally:
        solver.FULL_MODEL_LIMIT = old
    assert conflicts(inst, schedule) == []
    per_slot = {}
    for m in schedule.meetings:
        if not m.online:
            per_slot[m.slot] = per_slot.get(m.slot, 0) + 1
    assert max(per_slot.values()) <= 2
    assert sum(m.online for m in schedule.meetings) > 2 * 8  # more than the tables could seat


def test_locked_online_meeting_keeps_the_table_free():
    lock = LockedMeeting("o1", "o2", "s0", online=True)
    inst = _instance([], [("h1", "h2")], locked=[lock])
    schedule = solve(inst, time_limit=5)
    assert sorted((m.a, m.b, m.table, m.online) for m in schedule.meetings) == [
        ("h1", "h2", 1, False),
        ("o1", "o2", 0, True),
    ]


def test_interchange_carries_online_both_ways():
    inst = _instance([("o1", "o2")], [("h1", "h2")])
    doc = instance_to_json(inst)
    assert [c.get("online", False) for c in doc["candidates"]] == [True, False]
    assert parse_instance(doc) == inst
    out = schedule_to_json(solve(inst, time_limit=5))
    assert {m["a"]: m.get("online", False) for m in out["meetings"]} == {"o1": True, "h1": False}
    assert conflicts(inst, parse_schedule(out)) == []


def test_checker_counts_only_hall_meetings_against_tables():
    from matchmaker.scheduling.model import PlacedMeeting

    inst = _instance([("o1", "o2")], [("h1", "h2"), ("h3", "h4")])
    both_online_and_hall = [
        PlacedMeeting("o1", "o2", "s0", 0, ACCEPTED, online=True),
        PlacedMeeting("h1", "h2", "s0", 1, ACCEPTED),
    ]
    assert conflicts(inst, both_online_and_hall) == []
    two_in_hall = [*both_online_and_hall, PlacedMeeting("h3", "h4", "s0", 1, ACCEPTED)]
    assert {c.code for c in conflicts(inst, two_in_hall)} >= {"slot_full"}
