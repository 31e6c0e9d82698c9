"""Participants sending and answering meeting requests at the same moment."""

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Event, MeetingRequest, Participant, User
from matchmaker.services import registration
from matchmaker.services import requests as meeting_requests
from tests.concurrency.conftest import ROUNDS, failures, needs_postgres, race, successes

pytestmark = needs_postgres


@pytest.fixture
def people(app, make_event, make_user, make_participant):
    event = make_event()
    found = {
        name: make_participant(
            event, make_user(email=f"{name}@example.com", name=name.title()),
            organisation_name=f"{name.title()} Ltd",
        )
        for name in ("ana", "bo", "cem", "dana")
    }  # fmt: skip
    return SimpleNamespace(
        app=app, event_id=event.id, **{name: (p.id, p.user_id) for name, p in found.items()}
    )


def _requests(people, *pairs, status="pending"):
    """Start the round afresh: only these requests (sender, receiver) exist; returns ids."""
    db.session.execute(sa.delete(MeetingRequest))
    rows = [
        MeetingRequest(event_id=people.event_id, sender_id=a[0], receiver_id=b[0], status=status)
        for a, b in pairs
    ]
    db.session.add_all(rows)
    db.session.commit()
    return [r.id for r in rows]


def _answer(action, request_id, user_id):
    def racer():
        request = db.session.get(MeetingRequest, request_id)
        by = db.session.get(User, user_id)
        request.sender, request.receiver  # noqa: B018 - loaded by the view
        return lambda: getattr(meeting_requests, action)(request, by=by)

    return racer


def _sender(sender, receiver):
    def racer():
        me, other = db.session.get(Participant, sender[0]), db.session.get(Participant, receiver[0])
        by = db.session.get(User, sender[1])
        return lambda: meeting_requests.send_request(me, other, "Shall we meet?", by=by).id

    return racer


def _statuses(*ids):
    return [db.session.get(MeetingRequest, i).status for i in ids]


def test_accepting_two_requests_at_once_keeps_the_receivers_cap(people):
    db.session.get(Participant, people.ana[0]).max_meetings = 1
    db.session.commit()
    for _ in range(ROUNDS):
        ids = _requests(people, (people.bo, people.ana), (people.cem, people.ana))
        outcomes = race(people.app, *(_answer("accept", i, people.ana[1]) for i in ids))
        (refused,) = failures(outcomes)
        assert refused.message == "You have reached the maximum of 1 meetings."
        assert sorted(_statuses(*ids)) == ["accepted", "pending"]


def test_two_receivers_accepting_at_once_keep_the_event_cap_of_the_sender(people):
    db.session.get(Event, people.event_id).max_meetings_per_participant = 1
    db.session.commit()
    for _ in range(ROUNDS):
        ids = _requests(people, (people.bo, people.ana), (people.bo, people.cem))
        outcomes = race(
            people.app,
            _answer("accept", ids[0], people.ana[1]),
            _answer("accept", ids[1], people.cem[1]),
        )
        (refused,) = failures(outcomes)
        assert refused.message == "Bo Ltd has reached the maximum of 1 meetings."
        assert sorted(_statuses(*ids)) == ["accepted", "pending"]


def test_sending_two_requests_at_once_keeps_the_request_cap(people):
    db.session.get(Event, people.event_id).max_requests_per_participant = 1
    db.session.commit()
    for _ in range(ROUNDS):
        _requests(people)
        outcomes = race(people.app, _sender(people.ana, people.bo), _sender(people.ana, people.cem))
        (refused,) = failures(outcomes)
        assert refused.message == "You have sent the maximum of 1 requests for this event."
        assert db.session.scalar(sa.select(sa.func.count(MeetingRequest.id))) == 1


def test_sending_each_other_a_request_at_once_leaves_one_request(people):
    for _ in range(ROUNDS):
        _requests(people)
        outcomes = race(people.app, _sender(people.ana, people.bo), _sender(people.bo, people.ana))
        (refused,) = failures(outcomes)
        assert refused.kind == "Conflict"
        assert "already asked you for a meeting: accept their request instead" in refused.message
        assert db.session.scalar(sa.select(sa.func.count(MeetingRequest.id))) == 1


def test_sending_the_same_request_twice_at_once_sends_one(people):
    for _ in range(ROUNDS):
        _requests(people)
        outcomes = race(people.app, _sender(people.ana, people.bo), _sender(people.ana, people.bo))
        (refused,) = failures(outcomes)
        assert refused.message == "Your request to Bo Ltd is still waiting."
        assert db.session.scalar(sa.select(sa.func.count(MeetingRequest.id))) == 1


def test_accepting_and_cancelling_one_request_at_once_ends_cancelled(people):
    for _ in range(ROUNDS):
        (request_id,) = _requests(people, (people.bo, people.ana))
        outcomes = race(
            people.app,
            _answer("accept", request_id, people.ana[1]),
            _answer("cancel", request_id, people.bo[1]),
        )
        # Either the acceptance came first and was then withdrawn, or it was refused: never
        # an acceptance of a request its sender had already withdrawn.
        assert _statuses(request_id) == ["cancelled"]
        assert successes(outcomes)[-1] is None
        for refused in failures(outcomes):
            assert refused.message == "This request is already cancelled."


def test_declining_and_accepting_one_request_at_once_keeps_one_answer(people, outbox):
    for _ in range(ROUNDS):
        mails = len(outbox.messages)
        (request_id,) = _requests(people, (people.bo, people.ana))

        def decliner(request_id=request_id):
            request = db.session.get(MeetingRequest, request_id)
            by = db.session.get(User, people.ana[1])
            return lambda: meeting_requests.decline(request, "No time", by=by)

        outcomes = race(people.app, _answer("accept", request_id, people.ana[1]), decliner)
        (refused,) = failures(outcomes)
        (status,) = _statuses(request_id)
        assert refused.message == f"This request is already {status}."
        assert len(outbox.messages) - mails == 1  # the sender hears one answer


def test_withdrawing_while_the_partner_accepts_never_leaves_an_accepted_request(people):
    def withdrawer():
        me, by = db.session.get(Participant, people.bo[0]), db.session.get(User, people.bo[1])
        return lambda: registration.withdraw(me, by=by)

    for _ in range(ROUNDS):
        db.session.get(Participant, people.bo[0]).status = "approved"
        (request_id,) = _requests(people, (people.bo, people.ana))
        outcomes = race(people.app, _answer("accept", request_id, people.ana[1]), withdrawer)
        # Either the acceptance came first and the withdrawal then cancelled it, or the
        # acceptance waited for the withdrawal and was refused.
        assert _statuses(request_id) == ["cancelled"]
        for refused in failures(outcomes):
            assert refused.message in (
                "This request is already cancelled.",
                "Bo has withdrawn from the event; this request is closed.",
            )
