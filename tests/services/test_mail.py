"""The mail queue: a mail leaves only once its action is committed, links come from BASE_URL,
and a failed delivery is kept and tried again with a growing delay."""

import smtplib
from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from matchmaker.extensions import db
from matchmaker.models import OutgoingMail
from matchmaker.models.base import utcnow
from matchmaker.services import mail
from matchmaker.services.mail import deliver_due, send_mail
from tests.hostile.strategies import HOSTILE, hostile_text


def _mails():
    db.session.expire_all()
    return db.session.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)).all()


def _send_reset_mail(to="ana@example.com", subject="Reset your password"):
    return send_mail(to, subject, "password_reset", user=None, url="https://x.example/r", minutes=5)


def test_mail_leaves_only_when_the_transaction_commits(app, outbox):
    _send_reset_mail()
    assert outbox.messages == []
    db.session.commit()
    assert [m["To"] for m in outbox.messages] == ["ana@example.com"]
    [row] = _mails()
    assert (row.status, row.attempts, row.sent_at is not None) == ("sent", 1, True)


def test_mail_of_a_rolled_back_action_is_never_sent(app, outbox):
    _send_reset_mail()
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert outbox.messages == []
    assert _mails() == []


def test_links_come_from_base_url_also_inside_a_request_from_another_host(
    app, outbox, make_event, make_user, make_participant
):
    event = make_event()
    participant = make_participant(event, make_user())
    app.config["BASE_URL"] = "https://matchmaker.example.org"
    with app.test_request_context("/", base_url="http://evil.example"):
        send_mail("ana@example.com", "Status", "registration_status", participant=participant,
                  event=event)  # fmt: skip
        db.session.commit()
    assert outbox.last_link() == "https://matchmaker.example.org/events/ict-days/me"


@pytest.mark.parametrize(
    "subject",
    ["Agro\r\nBcc: everyone@example.com", "Nul\x00 and bell\x07", "Line\u2028sep", "  \n  "],
    ids=["crlf", "controls", "unicode-line-separator", "only-space"],
)
def test_subject_with_line_breaks_or_controls_goes_out_on_one_line(app, outbox, subject):
    _send_reset_mail(subject=subject)
    db.session.commit()
    [message] = outbox.messages
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert message["Bcc"] is None
    assert _mails()[0].status == "sent"


def test_subject_longer_than_the_column_is_cut(app, outbox):
    _send_reset_mail(subject="Meeting " * 100)
    db.session.commit()
    assert len(_mails()[0].subject) == 300
    assert outbox.messages[0]["Subject"].startswith("Meeting Meeting")


@pytest.fixture
def refusing_smtp(app, monkeypatch):
    """The SMTP backend, with a server that refuses every connection."""
    app.config["MAIL_BACKEND"] = "smtp"
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    return calls


def test_failed_delivery_is_kept_pending_with_its_error(app, refusing_smtp):
    _send_reset_mail()
    _send_reset_mail(to="mo@example.com")
    db.session.commit()  # does not raise
    rows = _mails()
    assert [(r.status, r.attempts) for r in rows] == [("pending", 1), ("pending", 1)]
    assert rows[0].last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert rows[0].next_attempt_at > utcnow() + timedelta(seconds=50)
    assert len(refusing_smtp) == 1  # the second mail did not wait for the dead server again


def test_retries_wait_longer_each_time_then_give_up(app, refusing_smtp):
    _send_reset_mail()
    db.session.commit()
    now = utcnow()
    delays = []
    for _ in range(mail.MAX_ATTEMPTS - 1):
        [row] = _mails()
        delays.append(round((row.next_attempt_at - now).total_seconds() / 60))
        now = row.next_attempt_at
        assert deliver_due(now=now).sent == 0
    [row] = _mails()
    assert delays == [1, 5, 25, 125, 625]
    assert (row.status, row.attempts) == ("failed", mail.MAX_ATTEMPTS)
    assert deliver_due(now=now + timedelta(days=30)).summary() == (
        "Sent 0 emails; 0 failed and will be tried again; 0 given up."
    )


def test_mail_send_command_delivers_what_failed_once_the_server_works(
    app, refusing_smtp, monkeypatch, runner, outbox
):
    _send_reset_mail()
    db.session.commit()
    app.config["MAIL_BACKEND"] = "outbox"
    not_yet = runner.invoke(args=["mail", "send"])
    assert not_yet.output == "Sent 0 emails; 0 failed and will be tried again; 0 given up.\n"
    db.session.execute(sa.update(OutgoingMail).values(next_attempt_at=utcnow()))
    db.session.commit()
    result = runner.invoke(args=["mail", "send"])
    assert result.output == "Sent 1 emails; 0 failed and will be tried again; 0 given up.\n"
    assert [m["To"] for m in outbox.messages] == ["ana@example.com"]
    [row] = _mails()
    assert (row.status, row.attempts) == ("sent", 2)
    assert runner.invoke(args=["mail", "send"]).output.startswith("Sent 0 emails")


def test_a_mail_being_sent_elsewhere_is_not_sent_twice(app, outbox):
    _send_reset_mail()
    db.session.flush()
    # Another process claimed it a moment ago (its claim moves the next attempt ahead).
    db.session.execute(
        sa.update(OutgoingMail).values(next_attempt_at=utcnow() + timedelta(minutes=10))
    )
    db.session.commit()
    assert outbox.messages == []
    assert deliver_due().sent == 0


@HOSTILE
@given(subject=st.one_of(st.text(max_size=400), hostile_text(300)))
def test_any_subject_is_delivered_on_one_line(app, outbox, subject):
    """Whatever an organisation or event is called, its mails go out."""
    _send_reset_mail(subject=subject)
    db.session.commit()
    rows = _mails()
    assert rows[-1].status == "sent", rows[-1].last_error
    header = outbox.messages[-1]["Subject"] or ""
    assert "\r" not in header.replace("\n ", " ").replace("\n\t", " ")
    assert "\n" not in header.replace("\n ", " ").replace("\n\t", " ")


def test_mail_queued_by_a_request_that_never_commits_is_reported(app, client, caplog):
    def forgets_to_commit():
        _send_reset_mail(subject="Lost")
        _send_reset_mail(subject="Lost too")
        return "done"

    def commits():
        _send_reset_mail(subject="Kept")
        db.session.commit()
        return "done"

    app.add_url_rule("/forgets", view_func=forgets_to_commit)
    app.add_url_rule("/commits", view_func=commits)
    client.get("/commits")
    assert [r.message for r in caplog.records if r.levelname == "ERROR"] == []
    client.get("/forgets")
    errors = [r.message for r in caplog.records if r.levelname == "ERROR"]
    assert errors == [
        "2 queued mails (Lost, Lost too) were not committed by the end of the request: they "
        "are dropped. Commit after send_mail."
    ]
