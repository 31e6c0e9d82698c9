from datetime import timedelta

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import MeetingRequest, Organisation
from matchmaker.models.base import utcnow
from matchmaker.services.requests import expire_overdue


@pytest.fixture
def pair(make_event, make_user, make_participant):
    event = make_event(max_requests_per_participant=2, request_expiry_hours=48)
    ana = make_participant(
        event, make_user(email="ana@agro.example", name="Ana"), organisation_name="AgroVest"
    )
    mo = make_participant(
        event,
        make_user(email="mo@field.example", name="Mo"),
        organisation_name="FieldNode",
        country="RS",
    )
    return event, ana, mo


def _send(client, event, receiver, message="Let us talk sensors"):
    return client.post(
        f"/events/{event.slug}/requests/new/{receiver.id}",
        data={"message": message},
        follow_redirects=True,
    )


def test_request_sent_accepted_and_both_see_it_with_emails(client, auth, pair, outbox):
    event, ana, mo = pair
    auth.login("ana@agro.example")
    response = _send(client, event, mo)
    assert "Request sent to FieldNode." in response.text
    assert outbox.messages[-1]["To"] == "mo@field.example"
    assert "AgroVest asks you for a meeting" in outbox.messages[-1]["Subject"]
    request = db.session.scalar(sa.select(MeetingRequest))
    assert request.expires_at is not None

    auth.logout()
    auth.login("mo@field.example")
    page = client.get(f"/events/{event.slug}/requests").text
    assert "AgroVest" in page and "Let us talk sensors" in page
    client.post(f"/events/{event.slug}/requests/{request.id}/accept")
    assert request.status == "accepted"
    assert outbox.messages[-1]["To"] == "ana@agro.example"
    assert "accepted your meeting request" in outbox.messages[-1]["Subject"]

    auth.logout()
    auth.login("ana@agro.example")
    outgoing = client.get(f"/events/{event.slug}/requests").text
    assert "FieldNode" in outgoing and "Accepted" in outgoing


def test_decline_with_reason_reaches_the_sender(client, auth, pair, outbox):
    event, ana, mo = pair
    auth.login("ana@agro.example")
    _send(client, event, mo)
    request = db.session.scalar(sa.select(MeetingRequest))
    auth.logout()
    auth.login("mo@field.example")
    client.post(
        f"/events/{event.slug}/requests/{request.id}/decline", data={"reason": "Not our market"}
    )
    assert (request.status, request.decline_reason) == ("declined", "Not our market")
    assert "Not our market" in outbox.messages[-1].get_payload(decode=True).decode()


def test_sender_cancels_and_receiver_is_told(client, auth, pair, outbox):
    event, ana, mo = pair
    auth.login("ana@agro.example")
    _send(client, event, mo)
    request = db.session.scalar(sa.select(MeetingRequest))
    client.post(f"/events/{event.slug}/requests/{request.id}/cancel")
    assert request.status == "cancelled"
    assert outbox.messages[-1]["To"] == "mo@field.example"


def test_receiver_cannot_cancel_and_sender_cannot_accept(client, auth, pair):
    event, ana, mo = pair
    auth.login("ana@agro.example")
    _send(client, event, mo)
    request = db.session.scalar(sa.select(MeetingRequest))
    response = client.post(
        f"/events/{event.slug}/requests/{request.id}/accept", follow_redirects=True
    )
    assert "This request is not yours to answer." in response.text
    assert request.status == "pending"


def test_outsider_cannot_see_or_answer_a_request(client, auth, pair, make_user, make_participant):
    event, ana, mo = pair
    make_participant(event, make_user(email="eve@example.com", name="Eve"))
    auth.login("ana@agro.example")
    _send(client, event, mo)
    request = db.session.scalar(sa.select(MeetingRequest))
    auth.logout()
    auth.login("eve@example.com")
    assert client.post(f"/events/{event.slug}/requests/{request.id}/accept").status_code == 404
    assert "AgroVest" not in client.get(f"/events/{event.slug}/requests").text
    assert request.status == "pending"


def test_duplicate_and_reverse_requests_are_refused_with_reason(client, auth, pair):
    event, ana, mo = pair
    auth.login("ana@agro.example")
    _send(client, event, mo)
    assert "is still waiting" in _send(client, event, mo).text
    auth.logout()
    auth.login("mo@field.example")
    assert (
        "already asked you for a meeting: accept their request instead"
        in _send(client, event, ana).text
    )
    assert db.session.scalar(sa.select(sa.func.count(MeetingRequest.id))) == 1


def test_request_cap_of_the_event_is_respected(client, auth, pair, make_user, make_participant):
    event, ana, mo = pair
    others = [
        make_participant(event, make_user(email=f"p{i}@example.com", name=f"P{i}"))
        for i in range(2)
    ]
    auth.login("ana@agro.example")
    _send(client, event, mo)
    _send(client, event, others[0])
    response = _send(client, event, others[1])
    assert "You have sent the maximum of 2 requests for this event." in response.text
    assert db.session.scalar(sa.select(sa.func.count(MeetingRequest.id))) == 2


def test_meeting_cap_blocks_accepting_beyond_maximum(
    client, auth, pair, make_user, make_participant
):
    event, ana, mo = pair
    mo.max_meetings = 1
    db.session.commit()
    third = make_participant(event, make_user(email="t@example.com", name="T"))
    for sender in (ana, third):
        db.session.add(MeetingRequest(event_id=event.id, sender_id=sender.id, receiver_id=mo.id))
    db.session.commit()
    first, second = db.session.scalars(sa.select(MeetingRequest).order_by(MeetingRequest.id)).all()
    auth.login("mo@field.example")
    client.post(f"/events/{event.slug}/requests/{first.id}/accept")
    response = client.post(
        f"/events/{event.slug}/requests/{second.id}/accept", follow_redirects=True
    )
    assert "You have reached the maximum of 1 meetings." in response.text
    assert second.status == "pending"


def test_same_organisation_cannot_be_requested(client, auth, pair, make_user, make_participant):
    event, ana, mo = pair
    colleague = make_participant(
        event, make_user(email="col@agro.example", name="Col"), organisation=ana.organisation
    )
    auth.login("ana@agro.example")
    assert "your own organisation" in _send(client, event, colleague).text


def test_pending_request_expires_and_cannot_be_accepted(client, auth, pair):
    event, ana, mo = pair
    auth.login("ana@agro.example")
    _send(client, event, mo)
    request = db.session.scalar(sa.select(MeetingRequest))
    request.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    auth.logout()
    auth.login("mo@field.example")
    response = client.post(
        f"/events/{event.slug}/requests/{request.id}/accept", follow_redirects=True
    )
    assert "This request is already expired." in response.text
    assert request.status == "expired"


def test_expire_overdue_marks_only_overdue_pending_requests(app, pair):
    event, ana, mo = pair
    now = utcnow()
    old = MeetingRequest(
        event_id=event.id, sender_id=ana.id, receiver_id=mo.id, expires_at=now - timedelta(hours=1)
    )
    fresh = MeetingRequest(
        event_id=event.id, sender_id=mo.id, receiver_id=ana.id, expires_at=now + timedelta(hours=1)
    )
    db.session.add_all([old, fresh])
    db.session.commit()
    assert expire_overdue(event) == 1
    db.session.commit()
    assert (old.status, fresh.status) == ("expired", "pending")


def test_requests_page_needs_a_registration(client, auth, pair, make_user):
    event, *_ = pair
    make_user(email="visitor@example.com")
    auth.login("visitor@example.com")
    assert client.get(f"/events/{event.slug}/requests").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 2
