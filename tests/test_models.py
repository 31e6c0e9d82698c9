"""The database itself enforces the rules that must hold whichever process writes."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from matchmaker.extensions import db
from matchmaker.models import Meeting, Participant, Schedule, User


@pytest.fixture
def world(make_user, make_event, make_participant):
    event = make_event()
    ana, bogdan, cem = (
        make_user(email=f"{name}@example.com", name=name.title())
        for name in ("ana", "bogdan", "cem")
    )
    people = [make_participant(event, user) for user in (ana, bogdan, cem)]
    schedule = Schedule(event_id=event.id, version=1)
    db.session.add(schedule)
    db.session.commit()
    return event, people, schedule


def _commit_fails():
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_email_is_unique(app):
    db.session.add_all(
        [User(email="a@example.com", name="A"), User(email="a@example.com", name="B")]
    )
    _commit_fails()


def test_one_participant_per_user_per_event(world, make_participant):
    event, people, _ = world
    db.session.add(
        Participant(event=event, user=people[0].user, organisation=people[0].organisation)
    )
    _commit_fails()


def test_participant_cannot_be_in_two_meetings_in_one_slot(world):
    event, (ana, bogdan, cem), schedule = world
    slot = event.slots[0]
    db.session.add(Meeting.between(schedule, slot, ana, bogdan, table=event.tables[0]))
    db.session.commit()
    db.session.add(Meeting.between(schedule, slot, ana, cem, table=event.tables[1]))
    _commit_fails()


def test_moving_a_meeting_onto_a_busy_slot_is_refused(world):
    event, (ana, bogdan, cem), schedule = world
    first, second = event.slots[0], event.slots[1]
    db.session.add(Meeting.between(schedule, first, ana, bogdan, table=event.tables[0]))
    moving = Meeting.between(schedule, second, ana, cem, table=event.tables[0])
    db.session.add(moving)
    db.session.commit()
    # The attendee rows follow the meeting's slot through ON UPDATE CASCADE.
    move = (
        sa.update(Meeting)
        .where(Meeting.id == moving.id)
        .values(slot_id=first.id, table_id=event.tables[1].id)
    )
    with pytest.raises(IntegrityError, match="meeting_attendees"):
        db.session.execute(move)
    db.session.rollback()


def test_same_pair_cannot_meet_twice_in_a_schedule(world):
    event, (ana, bogdan, _), schedule = world
    db.session.add(Meeting.between(schedule, event.slots[0], ana, bogdan))
    db.session.add(Meeting.between(schedule, event.slots[1], bogdan, ana))
    _commit_fails()


def test_table_hosts_one_meeting_per_slot(world, make_user, make_participant):
    event, (ana, bogdan, cem), schedule = world
    dana = make_participant(event, make_user(email="dana@example.com", name="Dana"))
    table = event.tables[0]
    db.session.add(Meeting.between(schedule, event.slots[0], ana, bogdan, table=table))
    db.session.add(Meeting.between(schedule, event.slots[0], cem, dana, table=table))
    _commit_fails()


def test_meeting_participants_must_differ(world):
    event, (ana, *_), schedule = world
    db.session.add(
        Meeting(
            schedule=schedule,
            event_id=event.id,
            slot_id=event.slots[0].id,
            participant_a_id=ana.id,
            participant_b_id=ana.id,
        )
    )
    _commit_fails()


def test_meeting_participant_must_belong_to_the_schedules_event(
    world, make_event, make_user, make_participant
):
    event, (ana, *_), schedule = world
    other_event = make_event(slug="other-event")
    outsider = make_participant(other_event, make_user(email="zed@example.com", name="Zed"))
    db.session.add(Meeting.between(schedule, event.slots[0], ana, outsider))
    _commit_fails()


def test_meeting_slot_must_belong_to_the_schedules_event(world, make_event):
    event, (ana, bogdan, _), schedule = world
    other_event = make_event(slug="other-event")
    db.session.add(Meeting.between(schedule, other_event.slots[0], ana, bogdan))
    _commit_fails()


def test_only_one_published_schedule_per_event(world):
    event, _, schedule = world
    schedule.status = "published"
    db.session.add(Schedule(event_id=event.id, version=2, status="published"))
    _commit_fails()


def test_slots_follow_sessions_breaks_length_and_gap(make_event):
    event = make_event()
    starts = [slot.starts_at.strftime("%d %H:%M") for slot in event.slots]
    # 09:00–12:00 with a 10:30–10:45 break, then 09:00–11:00 on the second day.
    assert starts == [
        "18 09:00",
        "18 09:30",
        "18 10:00",
        "18 10:45",
        "18 11:15",
        "19 09:00",
        "19 09:30",
        "19 10:00",
        "19 10:30",
    ]
    assert len(event.tables) == 4
