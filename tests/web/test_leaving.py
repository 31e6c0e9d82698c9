"""Leaving an event or the platform: a withdrawn sender's request cannot be accepted, a
withdrawal or an account deletion cancels what is open and tells the partners, and a deleted
account leaves none of its person's free text behind (issue 16, finding 7)."""

from datetime import datetime

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import (
    Feedback,
    Meeting,
    MeetingAttendee,
    MeetingRequest,
    Opportunity,
    Organisation,
    Participant,
    Schedule,
    User,
)
from matchmaker.services import eventday, statistics

NOW = datetime(2027, 5, 18, 10, 0)  # the first day, after the 9:00 and 9:30 meetings began


@pytest.fixture
def day(monkeypatch):
    monkeypatch.setattr(eventday, "local_now", lambda event: NOW)


@pytest.fixture
def fair(make_event, make_user, make_participant, day):
    """A published agenda: Ana met Mo at 9:00 (their accepted request behind it) and meets Eve
    at 11:15; Eve's request to Ana and Ana's request to Dan are waiting."""
    event = make_event(status="agenda_published")
    ana = make_participant(
        event,
        make_user(email="ana@agro.example", name="Ana Popescu"),
        organisation_name="AgroVest",
        offers=["Soil sensors"],
    )
    mo = make_participant(
        event, make_user(email="mo@field.example", name="Mo"), organisation_name="FieldNode"
    )
    eve = make_participant(
        event, make_user(email="eve@labs.example", name="Eve"), organisation_name="Eve Labs"
    )
    dan = make_participant(
        event, make_user(email="dan@tech.example", name="Dan"), organisation_name="DanTech"
    )
    schedule = Schedule(event_id=event.id, version=1, status="published")
    db.session.add(schedule)
    db.session.flush()
    early, late = _slot(event, 9, 0), _slot(event, 11, 15)
    first, second = event.tables[:2]
    db.session.add(Meeting.between(schedule, early, ana, mo, table=first, code="PAST"))
    db.session.add(Meeting.between(schedule, late, ana, eve, table=second, code="NEXT"))
    db.session.add(Meeting.between(schedule, late, mo, dan, table=first, code="OTHER"))
    db.session.add_all(
        [
            _request(event, ana, mo, "accepted", "Sensors for your farms?"),
            _request(event, eve, ana, "pending", "Lab tests for your soil?"),
            _request(event, ana, dan, "pending", "Data platform?"),
        ]
    )
    db.session.commit()
    return event, ana, mo, eve, dan


def _slot(event, hour, minute):
    return next(s for s in event.slots if s.starts_at == datetime(2027, 5, 18, hour, minute))


def _request(event, sender, receiver, status, message):
    return MeetingRequest(
        event_id=event.id,
        sender_id=sender.id,
        receiver_id=receiver.id,
        status=status,
        message=message,
    )


def _status(sender, receiver):
    return _request_of(sender, receiver).status


def _request_of(sender, receiver):
    return db.session.scalar(
        sa.select(MeetingRequest).where(
            MeetingRequest.sender_id == sender.id, MeetingRequest.receiver_id == receiver.id
        )
    )


def _meeting(code):
    return db.session.scalar(sa.select(Meeting).where(Meeting.code == code))


def _mails_to(outbox, email):
    return [m for m in outbox.messages if m["To"] == email]


def _body(message):
    return message.get_payload(decode=True).decode()


def test_withdrawn_senders_request_cannot_be_accepted(client, auth, fair):
    event, ana, mo, eve, dan = fair
    ana.status = "withdrawn"  # as an earlier withdrawal left it: the request still pending
    db.session.commit()
    request = _request_of(ana, dan)
    auth.login("dan@tech.example")
    page = client.post(
        f"/events/{event.slug}/requests/{request.id}/accept", follow_redirects=True
    ).text
    assert "Ana Popescu has withdrawn from the event; this request is closed." in page
    assert _status(ana, dan) == "pending"


def test_deleted_senders_request_cannot_be_accepted(client, auth, fair):
    event, ana, mo, eve, dan = fair
    ana.user = None  # an anonymised registration kept for the published agenda
    db.session.commit()
    request = _request_of(ana, dan)
    auth.login("dan@tech.example")
    page = client.post(
        f"/events/{event.slug}/requests/{request.id}/accept", follow_redirects=True
    ).text
    assert "AgroVest has withdrawn from the event; this request is closed." in page
    assert _status(ana, dan) == "pending"


def test_withdrawal_cancels_open_requests_and_future_meetings_only(client, auth, fair, outbox):
    event, ana, mo, eve, dan = fair
    auth.login("ana@agro.example")
    client.post(f"/events/{event.slug}/me/withdraw")
    db.session.expire_all()
    assert _status(eve, ana) == "cancelled"
    assert _status(ana, dan) == "cancelled"
    assert _status(ana, mo) == "accepted"  # they met at 9:00: history
    assert _meeting("PAST").status == "scheduled"
    upcoming = _meeting("NEXT")
    assert upcoming.status == "cancelled"
    assert upcoming.status_changed_by_id == ana.user_id
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(MeetingAttendee.meeting_id == upcoming.id)
        )
        == 0
    )  # Eve is free at 11:15 for a walk-in
    assert _meeting("OTHER").status == "scheduled"


def test_withdrawal_tells_each_partner_once_what_was_cancelled(client, auth, fair, outbox):
    event, ana, mo, eve, dan = fair
    auth.login("ana@agro.example")
    client.post(f"/events/{event.slug}/me/withdraw")
    [to_eve] = _mails_to(outbox, "eve@labs.example")
    assert to_eve["Subject"] == "Ana Popescu (AgroVest) no longer takes part in ICT Brokerage Days"
    body = _body(to_eve)
    assert "- Your meeting on Tue 18 May 11:15–11:40 at Table 2." in body
    assert "- Their meeting request to you, which was waiting for your answer." not in body
    assert "- Your meeting request to them, which was waiting for their answer." in body
    [to_dan] = _mails_to(outbox, "dan@tech.example")
    assert "- Their meeting request to you, which was waiting for your answer." in _body(to_dan)
    assert _mails_to(outbox, "mo@field.example") == []


def test_withdrawal_counts_as_a_cancellation_in_the_figures(client, auth, fair):
    event, *_ = fair
    auth.login("ana@agro.example")
    client.post(f"/events/{event.slug}/me/withdraw")
    figures = statistics.gather(event)
    assert dict(figures.meeting_status)["Cancelled"] == 1
    assert figures.meetings == 2


def test_partner_agenda_drops_the_cancelled_meeting(client, auth, fair):
    event, *_ = fair
    auth.login("ana@agro.example")
    client.post(f"/events/{event.slug}/me/withdraw")
    auth.logout()
    auth.login("eve@labs.example")
    page = client.get(f"/events/{event.slug}/agenda").text
    assert "AgroVest" not in page


def test_account_deletion_cancels_and_tells_partners_by_organisation(client, auth, fair, outbox):
    event, ana, mo, eve, dan = fair
    auth.login("ana@agro.example")
    client.post("/account/delete", data={"email": "ana@agro.example"})
    db.session.expire_all()
    assert _status(eve, ana) == "cancelled"
    assert _meeting("NEXT").status == "cancelled"
    assert _meeting("NEXT").status_changed_by_id is None
    [to_eve] = _mails_to(outbox, "eve@labs.example")
    assert to_eve["Subject"] == "AgroVest no longer takes part in ICT Brokerage Days"
    assert "Ana" not in _body(to_eve)


def test_account_deletion_removes_the_persons_free_text(client, auth, fair):
    event, ana, mo, eve, dan = fair
    offer = ana.opportunities[0]
    offer.description, offer.keywords = "Call me on +40 722 000 000", "sensors, soil"
    declined = _request(event, dan, ana, "declined", "Can we talk?")
    declined.decline_reason = "I am on holiday, write to my private address"
    db.session.add_all(
        [
            declined,
            Feedback(meeting_id=_meeting("PAST").id, participant_id=ana.id, held=True,
                     usefulness=4, comment="Mo was late and rude"),
        ]
    )  # fmt: skip
    db.session.commit()
    auth.login("ana@agro.example")
    client.post("/account/delete", data={"email": "ana@agro.example"})
    db.session.expire_all()
    kept = db.session.get(Participant, ana.id)
    assert kept.user_id is None and kept.status == "withdrawn"
    opportunity = db.session.scalar(sa.select(Opportunity))
    assert (opportunity.title, opportunity.description, opportunity.keywords) == (
        "Soil sensors", "", "",
    )  # fmt: skip
    sent = db.session.scalars(
        sa.select(MeetingRequest.message).where(MeetingRequest.sender_id == ana.id)
    ).all()
    assert sent == ["", ""]
    assert db.session.get(MeetingRequest, declined.id).decline_reason == ""
    assert db.session.get(MeetingRequest, declined.id).message == "Can we talk?"  # Dan's words
    feedback = db.session.scalar(sa.select(Feedback))
    assert (feedback.comment, feedback.usefulness) == ("", 4)


def test_account_deletion_removes_an_organisation_nobody_uses(client, auth, make_user, make_event,
                                                              make_participant):  # fmt: skip
    event = make_event()
    ion = make_user(email="ion@solo.example", name="Ion")
    make_participant(event, ion, organisation_name="Solo SRL", offers=["Drones"])
    auth.login("ion@solo.example")
    client.post("/account/delete", data={"email": "ion@solo.example"})
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Opportunity.id))) == 0


def test_account_deletion_keeps_an_organisation_still_used(client, auth, fair, make_user):
    event, ana, *_ = fair
    organisation = ana.organisation
    ana.user.organisation = organisation
    db.session.commit()
    auth.login("ana@agro.example")
    client.post("/account/delete", data={"email": "ana@agro.example"})
    db.session.expire_all()
    # Nobody belongs to AgroVest any more, but the anonymised registration refers to it.
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.organisation_id == organisation.id)) == 0  # fmt: skip
    assert db.session.get(Organisation, organisation.id).name == "AgroVest"


def test_account_deletion_keeps_an_organisation_with_other_members(
    client, auth, make_user, make_event
):
    colleague = make_user(email="maria@solo.example", name="Maria")
    ion = make_user(email="ion@solo.example", name="Ion")
    organisation = Organisation(name="Solo SRL", country="RO", type="sme")
    colleague.organisation = ion.organisation = organisation
    db.session.commit()
    auth.login("ion@solo.example")
    client.post("/account/delete", data={"email": "ion@solo.example"})
    assert db.session.scalar(sa.select(Organisation.name)) == "Solo SRL"


def test_withdrawal_cancels_an_accepted_request_not_yet_met(client, auth, fair, outbox):
    event, ana, mo, eve, dan = fair
    _request_of(eve, ana).status = "accepted"
    db.session.commit()
    auth.login("ana@agro.example")
    client.post(f"/events/{event.slug}/me/withdraw")
    assert _status(eve, ana) == "cancelled"
    [to_eve] = _mails_to(outbox, "eve@labs.example")
    assert "- Your meeting request, which they had accepted." in _body(to_eve)
