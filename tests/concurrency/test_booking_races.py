"""Participants booking the same slot at the same moment (participants-book mode)."""

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, MeetingAttendee, MeetingRequest, Schedule, Slot, User
from matchmaker.services import requests as meeting_requests
from tests.concurrency.conftest import ROUNDS, failures, needs_postgres, race, successes

pytestmark = needs_postgres


@pytest.fixture
def people(app, make_event, make_user, make_participant):
    event = make_event(scheduling_mode="participants", tables=1)
    found = {
        name: make_participant(
            event, make_user(email=f"{name}@example.com", name=name.title()),
            organisation_name=f"{name.title()} Ltd",
        )
        for name in ("ana", "bo", "cem", "dana", "eli", "fay")
    }  # fmt: skip
    slot = min(event.slots, key=lambda s: s.starts_at)
    return SimpleNamespace(
        app=app, event_id=event.id, slot_id=slot.id,
        **{name: (p.id, p.user_id) for name, p in found.items()},
    )  # fmt: skip


def _fresh(people, *pairs, slot=True):
    """Start the round afresh: no meeting, no schedule, only these pending requests (sender,
    receiver), each proposing the slot; returns their ids."""
    db.session.execute(sa.delete(MeetingAttendee))
    db.session.execute(sa.delete(Meeting))
    db.session.execute(sa.delete(Schedule))
    db.session.execute(sa.delete(MeetingRequest))
    the_slot = db.session.get(Slot, people.slot_id)
    rows = []
    for a, b in pairs:
        row = MeetingRequest(
            event_id=people.event_id, sender_id=a[0], receiver_id=b[0], status="pending"
        )
        row.proposed_slots = [the_slot] if slot else []
        rows.append(row)
    db.session.add_all(rows)
    db.session.commit()
    return [r.id for r in rows]


def _accept(request_id, user_id, slot_id):
    def racer():
        request = db.session.get(MeetingRequest, request_id)
        by = db.session.get(User, user_id)
        slot = db.session.get(Slot, slot_id)
        request.sender, request.receiver  # noqa: B018 - loaded by the view
        return lambda: meeting_requests.accept(request, by=by, slot=slot)

    return racer


def _in_slot(people):
    return db.session.scalars(
        sa.select(MeetingAttendee.participant_id).where(MeetingAttendee.slot_id == people.slot_id)
    ).all()


def test_two_pairs_taking_the_last_table_of_a_slot_one_wins_the_other_is_told(people):
    for _ in range(ROUNDS):
        ids = _fresh(people, (people.ana, people.bo), (people.cem, people.dana))
        outcomes = race(
            people.app,
            _accept(ids[0], people.bo[1], people.slot_id),
            _accept(ids[1], people.dana[1], people.slot_id),
        )
        assert len(successes(outcomes)) == 1
        (refused,) = failures(outcomes)
        assert refused.kind in ("Conflict", "DomainError")
        assert refused.message in (
            "The last table at Tue 09:00 was just taken; pick another time.",
            "Every time this request proposed was booked for another meeting, so it is closed; "
            "ask for another time.",
        )
        assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(Schedule.id))) == 1  # made once
        assert sorted(r.status for r in db.session.scalars(sa.select(MeetingRequest))) in (
            ["accepted", "pending"],
            ["accepted", "expired"],
        )


def test_both_partners_booking_the_same_slot_with_others_at_once_books_nobody_twice(people):
    event = db.session.get(Event, people.event_id)
    event.table_count = 3
    from matchmaker.services.events import sync_slots_and_tables

    sync_slots_and_tables(event)
    db.session.commit()
    for _ in range(ROUNDS):
        ids = _fresh(
            people,
            (people.ana, people.bo),  # Ana and Bo meet ...
            (people.cem, people.ana),  # ... while Ana also accepts Cem
            (people.dana, people.bo),  # ... and Bo accepts Dana, all in the same slot
        )
        outcomes = race(
            people.app,
            _accept(ids[0], people.bo[1], people.slot_id),
            _accept(ids[1], people.ana[1], people.slot_id),
            _accept(ids[2], people.bo[1], people.slot_id),
        )
        seated = _in_slot(people)
        assert len(seated) == len(set(seated))  # nobody in two meetings at once
        won = successes(outcomes)
        assert len(won) in (1, 2)
        assert len(seated) == 2 * len(won)
        for refused in failures(outcomes):
            assert "pick another time" in refused.message or "booked for another" in (
                refused.message
            )


def test_accepting_two_bookings_at_once_keeps_the_receivers_cap(people):
    event = db.session.get(Event, people.event_id)
    event.table_count = 3
    event.max_meetings_per_participant = 1
    from matchmaker.services.events import sync_slots_and_tables

    sync_slots_and_tables(event)
    db.session.commit()
    slots = sorted(event.slots, key=lambda s: s.starts_at)
    for _ in range(ROUNDS):
        ids = _fresh(people, (people.bo, people.ana), (people.cem, people.ana), slot=False)
        outcomes = race(
            people.app,
            _accept(ids[0], people.ana[1], slots[0].id),
            _accept(ids[1], people.ana[1], slots[1].id),
        )
        (refused,) = failures(outcomes)
        assert refused.message == "You have reached the maximum of 1 meetings."
        assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 1
