"""Group meetings in the agenda (issue 25): the optimiser gets confirmed group meetings and
tables' seats; a placed group is one meeting row with a seat (attendee row) for every member."""

import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Meeting, MeetingAttendee, Table
from matchmaker.services import schedules
from tests import group_world


def _attendees(meeting):
    return sorted(
        db.session.scalars(
            sa.select(MeetingAttendee.participant_id).where(
                MeetingAttendee.meeting_id == meeting.id
            )
        )
    )


def test_a_confirmed_group_meeting_is_placed_at_a_table_that_seats_every_member(
    make_event, make_user, make_participant
):
    event, organizer, people, group = group_world.build(make_event, make_user, make_participant)
    draft = schedules.generate(event, by=organizer, time_limit=2)
    [row] = [m for m in draft.meetings if m.group_meeting_id == group.id]
    assert row.table.number == 2 and row.table.seats >= 4
    assert _attendees(row) == sorted(p.id for p in people[:4])
    pairs = {
        (m.participant_a_id, m.participant_b_id) for m in draft.meetings if not m.group_meeting_id
    }
    # the outsider's accepted request is placed, outside the group's slot for the lead
    assert (min(people[0].id, people[4].id), max(people[0].id, people[4].id)) in pairs
    # the two members who also asked to meet do so in the group, not twice
    assert (min(people[0].id, people[1].id), max(people[0].id, people[1].id)) not in pairs
    assert schedules.outcome(draft) == []
    assert draft.figures["unplaced_groups"] == []
    assert not any(u["reason"] == "met_in_group" for u in draft.figures["unplaced"])
    # nobody sits at two tables at once
    slots = db.session.execute(
        sa.select(MeetingAttendee.participant_id, MeetingAttendee.slot_id).where(
            MeetingAttendee.schedule_id == draft.id
        )
    ).all()
    assert len(slots) == len(set(slots))


def test_a_group_without_a_big_enough_table_is_reported_in_words(
    make_event, make_user, make_participant
):
    event, organizer, people, group = group_world.build(
        make_event, make_user, make_participant, seats=3
    )
    draft = schedules.generate(event, by=organizer, time_limit=2)
    assert not any(m.group_meeting_id for m in draft.meetings)
    [line] = schedules.outcome(draft)
    assert "Horizon soil consortium" in line
    assert "AgroVest, FieldNode, Eve Labs, Delta Soft" in line
    assert "no table with a seat for every member" in line
    assert "group" not in str(draft.figures["unplaced"])  # the pairs' list is about pairs


def test_a_draft_copy_and_a_new_generation_keep_every_members_seat(
    make_event, make_user, make_participant
):
    event, organizer, people, group = group_world.build(make_event, make_user, make_participant)
    draft = schedules.generate(event, by=organizer, time_limit=2)
    schedules.publish(draft, organizer)
    copy = schedules.copy_to_draft(draft, organizer)
    [row] = [m for m in copy.meetings if m.group_meeting_id]
    assert _attendees(row) == sorted(p.id for p in people[:4])
    # the organizer locks a pair; generating again places the group again (never as a pair)
    for m in copy.meetings:
        m.locked = True
    db.session.commit()
    again = schedules.generate(event, by=organizer, time_limit=2)
    assert sum(1 for m in again.meetings if m.group_meeting_id) == 1


def test_moving_a_group_meeting_by_hand_is_refused_in_words(
    make_event, make_user, make_participant
):
    import pytest

    event, organizer, people, group = group_world.build(make_event, make_user, make_participant)
    draft = schedules.generate(event, by=organizer, time_limit=2)
    [row] = [m for m in draft.meetings if m.group_meeting_id]
    other = next(s for s in event.slots if s.id != row.slot_id)
    with pytest.raises(schedules.ScheduleConflict, match="A group meeting stays where"):
        schedules.move_meeting(row, other, row.table, organizer)
    # a pair cannot be moved onto a member's group slot either
    [pair] = [m for m in draft.meetings if not m.group_meeting_id and people[4].id in
              (m.participant_a_id, m.participant_b_id)]  # fmt: skip
    found = schedules.conflicts_of(draft, pair.participant_a, pair.participant_b, row.slot, None)
    assert any("group meeting" in line for line in found)
    assert db.session.get(Meeting, row.id).slot_id == row.slot_id
    assert db.session.scalar(sa.select(Table.seats).where(Table.id == row.table_id)) == 6


def test_a_member_who_leaves_the_event_leaves_the_group_meeting_to_the_others(
    make_event, make_user, make_participant
):
    from matchmaker.services import departure

    event, organizer, people, group = group_world.build(make_event, make_user, make_participant)
    draft = schedules.generate(event, by=organizer, time_limit=2)
    schedules.publish(draft, organizer)
    [row] = [m for m in draft.meetings if m.group_meeting_id]
    leaver = db.session.get(type(people[0]), row.participant_a_id)
    departure.leave_event(leaver, by=None)
    db.session.commit()
    row = db.session.get(Meeting, row.id)
    assert row.status == "scheduled"
    assert leaver.id not in (row.participant_a_id, row.participant_b_id)
    assert _attendees(row) == sorted(p.id for p in people[:4] if p.id != leaver.id)


def test_members_of_an_earlier_group_meeting_all_met_before(make_user):
    from matchmaker.models import GroupMeeting, GroupMeetingMember, Schedule
    from matchmaker.services import history
    from tests import history_world

    w = history_world.build(make_user)
    trio = [w.before[name] for name in ("SoftServ", "Danube Data", "Lumen Labs")]
    group = GroupMeeting(event_id=w.last.id, title="Cloud consortium", status="confirmed")
    group.members = [
        GroupMeetingMember(participant_id=p.id, event_id=w.last.id, status="accepted") for p in trio
    ]
    db.session.add(group)
    db.session.flush()
    schedule = db.session.scalar(sa.select(Schedule).where(Schedule.event_id == w.last.id))
    row = Meeting.between(schedule, w.last.slots[2], trio[0], trio[1], table=w.last.tables[2],
                          status="held", group_meeting_id=group.id)  # fmt: skip
    row.attendees.append(
        MeetingAttendee(schedule_id=schedule.id, slot_id=w.last.slots[2].id,
                        participant_id=trio[2].id)
    )  # fmt: skip
    db.session.add(row)
    db.session.commit()
    names = {o.id: name for name, o in w.organisations.items()}
    met = {frozenset((names[r.a], names[r.b])) for r in history.met_before(w.this)}
    assert {frozenset(("Danube Data", "Lumen Labs")), frozenset(("SoftServ", "Lumen Labs")),
            frozenset(("SoftServ", "Danube Data"))} <= met  # fmt: skip
