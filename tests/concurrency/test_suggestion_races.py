"""Declining a suggested meeting while the partner declines it too, or while the organizer
publishes a draft copy of the agenda."""

import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Meeting, Notice, Participant, Schedule, User
from matchmaker.services import schedules, suggestions
from tests.concurrency.conftest import ROUNDS, failures, needs_postgres, race, successes

pytestmark = needs_postgres


def _published(event, ana, bo, version):
    schedule = Schedule(event_id=event.id, version=version, status="published")
    db.session.add(schedule)
    db.session.flush()
    meeting = Meeting.between(schedule, event.slots[0], ana, bo, table=event.tables[0],
                              source="suggestion", code=f"S{version}")  # fmt: skip
    db.session.add(meeting)
    db.session.commit()
    return schedule, meeting


def _decliner(participant_id, meeting_id):
    def load():
        participant = db.session.get(Participant, participant_id)
        meeting = db.session.get(Meeting, meeting_id)
        user = db.session.get(User, participant.user_id)
        return lambda: suggestions.decline(meeting, participant, by=user).id

    return load


def _publisher(schedule_id, user_id):
    def load():
        copy, by = db.session.get(Schedule, schedule_id), db.session.get(User, user_id)
        return lambda: schedules.publish(copy, by=by)

    return load


def test_both_sides_declining_at_once_cancel_once_and_tell_once(
    app, make_user, make_event, make_participant, outbox
):
    organizer = make_user(email="olga@org.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer, tables=2)
    ana = make_participant(event, make_user(email="ana@x.example", name="Ana"))
    bo = make_participant(event, make_user(email="bo@x.example", name="Bo"))
    for round_ in range(ROUNDS):
        db.session.execute(sa.delete(Schedule))
        db.session.execute(sa.delete(Notice))
        db.session.commit()
        sent = len(outbox.messages)
        _, meeting = _published(event, ana, bo, round_ + 1)
        outcomes = race(app, _decliner(ana.id, meeting.id), _decliner(bo.id, meeting.id))
        assert len(successes(outcomes)) == 1, outcomes
        assert [f.message for f in failures(outcomes)] == ["This meeting is already cancelled."]
        assert db.session.get(Meeting, meeting.id).status == "cancelled"
        assert len(outbox.messages) == sent + 1
        assert db.session.scalar(sa.select(sa.func.count(Notice.id))) == 1


def test_declining_while_a_copy_is_published_never_brings_the_meeting_back(
    app, make_user, make_event, make_participant
):
    organizer = make_user(email="olga@org.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer, tables=2)
    ana = make_participant(event, make_user(email="ana@x.example", name="Ana"))
    bo = make_participant(event, make_user(email="bo@x.example", name="Bo"))
    pair = (min(ana.id, bo.id), max(ana.id, bo.id))
    for round_ in range(ROUNDS):
        db.session.execute(sa.delete(Schedule))
        db.session.commit()
        schedule, meeting = _published(event, ana, bo, 2 * round_ + 1)
        draft = schedules.copy_to_draft(schedule, by=organizer)
        declined, published = race(
            app, _decliner(ana.id, meeting.id), _publisher(draft.id, organizer.id)
        )
        assert not failures([published]), published
        now = db.session.scalar(
            sa.select(Meeting).where(
                Meeting.schedule_id == draft.id,
                Meeting.participant_a_id == pair[0],
                Meeting.participant_b_id == pair[1],
            )
        )
        if failures([declined]):  # published first: declined in a version just replaced
            assert declined.message.startswith("This agenda is no longer the published one")
            assert now is not None and now.status == "scheduled"
        else:  # declined first: the copy lost the suggestion before it was published
            assert now is None
