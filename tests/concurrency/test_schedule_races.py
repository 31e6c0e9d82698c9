"""Two organizers editing the same draft agenda at the same moment."""

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import (
    Event,
    Meeting,
    MeetingAttendee,
    MeetingRequest,
    Schedule,
    Slot,
    Table,
    User,
)
from matchmaker.services import schedules
from tests.concurrency.conftest import ROUNDS, failures, needs_postgres, race, successes

pytestmark = needs_postgres


@pytest.fixture
def agenda(app, make_event, make_user, make_participant):
    olga = make_user(email="olga@example.com", name="Olga", role="organizer")
    oleg = make_user(email="oleg@example.com", name="Oleg", role="organizer")
    event = make_event(organizer=olga, tables=3)
    event.organizers.append(oleg)
    db.session.commit()
    people = [
        make_participant(event, make_user(email=f"{n}@example.com", name=n.title()),
                         organisation_name=f"{n.title()} Ltd")
        for n in ("ana", "bo", "cem", "dana", "emil", "flor")
    ]  # fmt: skip
    return SimpleNamespace(
        app=app,
        event=event,
        event_id=event.id,
        organizers=(olga.id, oleg.id),
        people=[p.id for p in people],
        slots=[s.id for s in event.slots],
        tables=[t.id for t in event.tables],
    )


def _draft(agenda, *meetings):
    """A new draft version of the event with meetings (a, b, slot, table) given as indexes
    into agenda.people, .slots and .tables. Returns (schedule id, meeting ids)."""
    from matchmaker.models import Participant

    version = (
        db.session.scalar(
            sa.select(sa.func.max(Schedule.version)).where(Schedule.event_id == agenda.event_id)
        )
        or 0
    ) + 1
    schedule = Schedule(event_id=agenda.event_id, version=version, status="draft")
    db.session.add(schedule)
    db.session.flush()
    rows = []
    for a, b, slot, table in meetings:
        meeting = Meeting.between(
            schedule, db.session.get(Slot, agenda.slots[slot]),
            db.session.get(Participant, agenda.people[a]),
            db.session.get(Participant, agenda.people[b]),
            table=db.session.get(Table, agenda.tables[table]), source="manual", code="ABC123",
        )  # fmt: skip
        db.session.add(meeting)
        rows.append(meeting)
    db.session.commit()
    return schedule.id, [m.id for m in rows]


def _mover(meeting_id, slot_id, table_id, organizer_id, seen=None):
    def racer():
        # What the edit view loads before it calls the service.
        meeting = db.session.get(Meeting, meeting_id)
        slot, table = db.session.get(Slot, slot_id), db.session.get(Table, table_id)
        by = db.session.get(User, organizer_id)
        assert meeting.schedule.event.is_organized_by(by)
        extra = {} if seen is None else {"seen": seen}
        return lambda: schedules.move_meeting(meeting, slot, table, by=by, **extra)

    return racer


def _place(meeting_id):
    meeting = db.session.get(Meeting, meeting_id)
    return meeting.slot_id, meeting.table_id


def _attendee_slots(schedule_id, participant_id):
    return db.session.scalars(
        sa.select(MeetingAttendee.slot_id).where(
            MeetingAttendee.schedule_id == schedule_id,
            MeetingAttendee.participant_id == participant_id,
        )
    ).all()


def test_moving_two_meetings_to_one_table_places_only_one(agenda):
    olga, oleg = agenda.organizers
    target = agenda.slots[2], agenda.tables[1]
    for _ in range(ROUNDS):
        _, (first, second) = _draft(agenda, (0, 1, 0, 0), (2, 3, 1, 0))
        outcomes = race(agenda.app, _mover(first, *target, olga), _mover(second, *target, oleg))
        assert len(successes(outcomes)) == 1
        (refused,) = failures(outcomes)
        assert refused.kind == "ScheduleConflict"
        assert "taken" in refused.message
        assert sorted([_place(first), _place(second)]).count(target) == 1


def test_moving_one_person_twice_into_one_slot_books_them_once(agenda):
    olga, oleg = agenda.organizers
    slot = agenda.slots[2]
    ana = agenda.people[0]
    for _ in range(ROUNDS):
        schedule_id, (ana_bo, ana_cem) = _draft(agenda, (0, 1, 0, 0), (0, 2, 1, 1))
        outcomes = race(
            agenda.app,
            _mover(ana_bo, slot, agenda.tables[0], olga),
            _mover(ana_cem, slot, agenda.tables[1], oleg),
        )
        (refused,) = failures(outcomes)
        assert refused.kind == "ScheduleConflict"
        assert "Ana Ltd already meets" in refused.message
        assert sorted(_attendee_slots(schedule_id, ana)).count(slot) == 1


def test_moving_the_same_meeting_twice_refuses_the_stale_move(agenda):
    olga, oleg = agenda.organizers
    for _ in range(ROUNDS):
        _, (meeting,) = _draft(agenda, (0, 1, 0, 0))
        seen = agenda.slots[0], agenda.tables[0]
        targets = [(agenda.slots[1], agenda.tables[1]), (agenda.slots[2], agenda.tables[2])]
        outcomes = race(
            agenda.app,
            _mover(meeting, *targets[0], olga, seen=seen),
            _mover(meeting, *targets[1], oleg, seen=seen),
        )
        (refused,) = failures(outcomes)
        assert refused.kind == "ScheduleConflict"
        assert "changed meanwhile" in refused.message
        winner = targets[outcomes.index(next(iter(successes(outcomes))))]
        assert _place(meeting) == winner


def test_adding_meetings_for_one_person_in_one_slot_books_them_once(agenda):
    from matchmaker.models import Participant

    olga, oleg = agenda.organizers

    def adder(b, table, organizer_id, schedule_id):
        def racer():
            schedule = db.session.get(Schedule, schedule_id)
            ana, partner = (db.session.get(Participant, agenda.people[i]) for i in (0, b))
            slot = db.session.get(Slot, agenda.slots[3])
            table_row = db.session.get(Table, agenda.tables[table])
            by = db.session.get(User, organizer_id)
            return lambda: schedules.add_meeting(schedule, ana, partner, slot, table_row, by=by)

        return racer

    for _ in range(ROUNDS):
        schedule_id, _ = _draft(agenda)
        outcomes = race(agenda.app, adder(1, 0, olga, schedule_id), adder(2, 1, oleg, schedule_id))
        (refused,) = failures(outcomes)
        assert refused.kind == "ScheduleConflict"
        assert _attendee_slots(schedule_id, agenda.people[0]) == [agenda.slots[3]]


def test_adding_meetings_past_a_persons_maximum_is_refused(agenda):
    from matchmaker.models import Participant

    olga, oleg = agenda.organizers
    ana = db.session.get(Participant, agenda.people[0])
    ana.max_meetings = 1
    db.session.commit()

    def adder(b, slot, organizer_id, schedule_id):
        def racer():
            schedule = db.session.get(Schedule, schedule_id)
            first, partner = (db.session.get(Participant, agenda.people[i]) for i in (0, b))
            slot_row = db.session.get(Slot, agenda.slots[slot])
            table = db.session.get(Table, agenda.tables[0])
            by = db.session.get(User, organizer_id)
            return lambda: schedules.add_meeting(schedule, first, partner, slot_row, table, by=by)

        return racer

    for _ in range(ROUNDS):
        schedule_id, _ = _draft(agenda)
        outcomes = race(agenda.app, adder(1, 0, olga, schedule_id), adder(2, 1, oleg, schedule_id))
        (refused,) = failures(outcomes)
        assert "maximum 1" in refused.message
        assert len(_attendee_slots(schedule_id, agenda.people[0])) == 1


def test_removing_the_same_meeting_twice_tells_the_second_it_is_gone(agenda):
    olga, oleg = agenda.organizers

    def remover(meeting_id, organizer_id):
        def racer():
            meeting = db.session.get(Meeting, meeting_id)
            by = db.session.get(User, organizer_id)
            meeting.schedule  # noqa: B018 - loaded by the view
            return lambda: schedules.cancel_meeting(meeting, by=by)

        return racer

    for _ in range(ROUNDS):
        _, (meeting,) = _draft(agenda, (0, 1, 0, 0))
        outcomes = race(agenda.app, remover(meeting, olga), remover(meeting, oleg))
        (refused,) = failures(outcomes)
        assert refused.kind == "ScheduleConflict"
        assert "already removed" in refused.message
        assert db.session.get(Meeting, meeting) is None


def test_moving_a_meeting_someone_removes_meanwhile_is_refused(agenda):
    olga, oleg = agenda.organizers

    def remover(meeting_id, organizer_id):
        def racer():
            meeting = db.session.get(Meeting, meeting_id)
            by = db.session.get(User, organizer_id)
            meeting.schedule  # noqa: B018 - loaded by the view
            return lambda: schedules.cancel_meeting(meeting, by=by)

        return racer

    for _ in range(ROUNDS):
        _, (meeting,) = _draft(agenda, (0, 1, 0, 0))
        seen = agenda.slots[0], agenda.tables[0]
        outcomes = race(
            agenda.app,
            remover(meeting, olga),
            _mover(meeting, agenda.slots[1], agenda.tables[1], oleg, seen=seen),
        )
        assert isinstance(outcomes[0], type(None))  # the removal always goes through
        if failures(outcomes):
            (refused,) = failures(outcomes)
            assert "removed" in refused.message
        assert db.session.get(Meeting, meeting) is None


def test_swap_and_move_of_one_meeting_at_once_keep_every_person_once_per_slot(agenda):
    olga, oleg = agenda.organizers

    def swapper(first_id, second_id, organizer_id, seen):
        def racer():
            first, second = db.session.get(Meeting, first_id), db.session.get(Meeting, second_id)
            by = db.session.get(User, organizer_id)
            first.schedule  # noqa: B018 - loaded by the view
            return lambda: schedules.swap_meetings(first, second, by=by, seen=seen)

        return racer

    for _ in range(ROUNDS):
        schedule_id, (ana_bo, cem_dana) = _draft(agenda, (0, 1, 0, 0), (2, 3, 1, 1))
        seen = agenda.slots[0], agenda.tables[0]
        outcomes = race(
            agenda.app,
            swapper(ana_bo, cem_dana, olga, seen),
            _mover(ana_bo, agenda.slots[2], agenda.tables[2], oleg, seen=seen),
        )
        (refused,) = failures(outcomes)
        assert "changed meanwhile" in refused.message or "removed" in refused.message
        meetings = db.session.scalars(
            sa.select(Meeting).where(Meeting.schedule_id == schedule_id)
        ).all()
        assert len(meetings) == 2
        for person in agenda.people[:4]:
            assert len(_attendee_slots(schedule_id, person)) == 1


def test_publishing_twice_at_once_publishes_one_version_and_mails_once(agenda, outbox):
    olga, oleg = agenda.organizers

    def publisher(schedule_id, organizer_id):
        def racer():
            schedule = db.session.get(Schedule, schedule_id)
            by = db.session.get(User, organizer_id)
            schedule.event  # noqa: B018 - loaded by the view
            return lambda: schedules.publish(schedule, by=by)

        return racer

    for round_ in range(ROUNDS):
        mails = len(outbox.messages)
        schedule_id, _ = _draft(agenda, (0, 1, round_ % 3, 0), (2, 3, 1, 1))
        outcomes = race(agenda.app, publisher(schedule_id, olga), publisher(schedule_id, oleg))
        (told,) = successes(outcomes)
        (refused,) = failures(outcomes)
        assert "already published" in refused.message
        assert len(outbox.messages) - mails == told
        published = db.session.scalars(
            sa.select(Schedule.id).where(
                Schedule.event_id == agenda.event_id, Schedule.status == "published"
            )
        ).all()
        assert published == [schedule_id]


def test_publishing_two_drafts_at_once_leaves_one_published(agenda):
    olga, oleg = agenda.organizers

    def publisher(schedule_id, organizer_id):
        def racer():
            schedule = db.session.get(Schedule, schedule_id)
            by = db.session.get(User, organizer_id)
            return lambda: schedules.publish(schedule, by=by)

        return racer

    for _ in range(ROUNDS):
        first, _ = _draft(agenda, (0, 1, 0, 0))
        second, _ = _draft(agenda, (0, 2, 0, 0))
        outcomes = race(agenda.app, publisher(first, olga), publisher(second, oleg))
        assert not failures(outcomes)  # the later one supersedes the earlier
        statuses = db.session.scalars(
            sa.select(Schedule.status).where(Schedule.id.in_((first, second)))
        ).all()
        assert sorted(statuses) == ["published", "superseded"]


def test_regenerating_while_editing_and_generating_twice_keep_versions_apart(agenda):
    olga, oleg = agenda.organizers
    ana, bo, cem, dana = agenda.people[:4]
    for sender, receiver in ((ana, bo), (cem, dana), (ana, cem)):
        db.session.add(
            MeetingRequest(event_id=agenda.event_id, sender_id=sender, receiver_id=receiver,
                           status="accepted")
        )  # fmt: skip
    db.session.commit()

    def generator(organizer_id):
        def racer():
            event = db.session.get(Event, agenda.event_id)
            by = db.session.get(User, organizer_id)
            return lambda: schedules.generate(event, by=by, time_limit=5).version

        return racer

    for _ in range(ROUNDS // 3):
        _, (meeting,) = _draft(agenda, (0, 1, 0, 0))
        outcomes = race(
            agenda.app,
            generator(olga),
            generator(oleg),
            _mover(meeting, agenda.slots[4], agenda.tables[2], olga),
        )
        assert not failures(outcomes)
        assert outcomes[0] != outcomes[1]
        assert _place(meeting) == (agenda.slots[4], agenda.tables[2])
        for version in outcomes[:2]:
            schedule = db.session.scalar(
                sa.select(Schedule).where(
                    Schedule.event_id == agenda.event_id, Schedule.version == version
                )
            )
            pairs = {(m.participant_a_id, m.participant_b_id) for m in schedule.meetings}
            assert {(min(ana, bo), max(ana, bo)), (min(cem, dana), max(cem, dana))} <= pairs
