"""A mail that cannot be sent never turns a saved action into an error page (finding 5): the
action stands, the mail waits in the queue with its error, and `flask mail send` delivers it
once the server works again."""

import smtplib

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import MeetingRequest, Organisation, OutgoingMail
from matchmaker.models.base import utcnow


@pytest.fixture
def pair(make_event, make_user, make_participant):
    event = make_event()
    ana = make_participant(
        event, make_user(email="ana@agro.example", name="Ana"), organisation_name="AgroVest"
    )
    mo = make_participant(
        event, make_user(email="mo@field.example", name="Mo"), organisation_name="FieldNode"
    )
    return event, ana, mo


@pytest.fixture
def mail_server_down(app, monkeypatch):
    app.config["MAIL_BACKEND"] = "smtp"

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(smtplib, "SMTP", refuse)


def _queued():
    db.session.expire_all()
    return db.session.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)).all()


def test_meeting_request_is_saved_when_the_mail_server_is_down(
    app, client, auth, pair, mail_server_down, runner, outbox
):
    event, ana, mo = pair
    auth.login("ana@agro.example")
    response = client.post(f"/events/{event.slug}/requests/new/{mo.id}", data={"message": "Hi"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(MeetingRequest.receiver_id)) == mo.id
    [mail] = _queued()
    assert (mail.recipient, mail.status, mail.attempts) == ("mo@field.example", "pending", 1)
    assert "Connection refused" in mail.last_error

    app.config["MAIL_BACKEND"] = "outbox"  # the server works again, a minute later
    db.session.execute(sa.update(OutgoingMail).values(next_attempt_at=utcnow()))
    db.session.commit()
    assert runner.invoke(args=["mail", "send"]).output.startswith("Sent 1 emails")
    assert outbox.messages[-1]["Subject"] == "AgroVest asks you for a meeting"
    assert _queued()[0].status == "sent"


def test_approval_is_saved_when_the_mail_server_is_down(
    client, auth, make_event, make_user, make_participant, mail_server_down
):
    organizer = make_user(email="olga@organizer.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer)
    participant = make_participant(event, make_user(), status="pending")
    auth.login("olga@organizer.example")
    response = client.post(f"/manage/{event.slug}/participants/{participant.id}/approved")
    assert response.status_code == 302
    db.session.expire_all()
    assert participant.status == "approved"
    assert [(m.recipient, m.status, m.attempts) for m in _queued()] == [
        ("ana@example.com", "pending", 1)
    ]


def test_organisation_name_with_a_line_break_in_old_data_still_mails_on_one_line(
    client, auth, pair, outbox
):
    """Saved before forms refused line breaks: the mail's Subject header broke, a 500 after
    the request was saved, and no mail went out."""
    event, ana, mo = pair
    db.session.execute(
        sa.update(Organisation)
        .where(Organisation.id == ana.organisation_id)
        .values(name="AgroVest\r\nBcc: everyone@example.com")
    )
    db.session.commit()
    auth.login("ana@agro.example")
    response = client.post(f"/events/{event.slug}/requests/new/{mo.id}", data={"message": "Hi"})
    assert response.status_code == 302
    [message] = outbox.messages
    assert message["Subject"] == "AgroVest Bcc: everyone@example.com asks you for a meeting"
    assert message["Bcc"] is None


def test_event_title_with_a_line_break_in_old_data_still_mails_the_decision(
    client, auth, make_event, make_user, make_participant, outbox
):
    organizer = make_user(email="olga@organizer.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer, title="ICT Days\n2027")
    participant = make_participant(event, make_user(), status="pending")
    auth.login("olga@organizer.example")
    response = client.post(f"/manage/{event.slug}/participants/{participant.id}/rejected")
    assert response.status_code == 302
    assert outbox.messages[-1]["Subject"] == "Your registration for ICT Days 2027"


def test_organizer_sees_the_mails_to_their_event_that_could_not_be_sent(
    client, auth, make_event, make_user, make_participant
):
    organizer = make_user(email="olga@organizer.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer)
    make_participant(event, make_user(email="mo@field.example", name="Mo"))
    make_participant(event, make_user(email="ana@agro.example", name="Ana"))
    auth.login("olga@organizer.example")
    assert 'data-testid="mail-failures"' not in client.get(f"/manage/{event.slug}").text

    def row(recipient, status, attempts):
        return OutgoingMail(recipient=recipient, subject="S", body="B", status=status,
                            attempts=attempts, last_error="SMTPRecipientsRefused")  # fmt: skip

    db.session.add_all([
        row("mo@field.example", "failed", 6),  # given up
        row("ana@agro.example", "pending", 2),  # failing, tried again later
        row("ana@agro.example", "pending", 0),  # not tried yet: no problem
        row("ana@agro.example", "sent", 1),
        row("someone@else.example", "failed", 6),  # not this event's
    ])  # fmt: skip
    db.session.commit()
    page = client.get(f"/manage/{event.slug}").text
    assert (
        "1 mail to this event's people could not be sent and was given up (mo@field.example)"
        in page
    )
    assert "1 mail failed for now and will be tried again." in page
    assert "someone@else.example" not in page
