"""The only door to outgoing email.

`send_mail` renders a message at once and queues it as an OutgoingMail row in the caller's
transaction. The row is delivered right after that transaction commits, so no mail goes out
for an action that was rolled back, and no mail is lost for one that was saved: a failure
(mail server down, a header it refuses) is logged and kept on the row, never raised into the
action, and `flask mail send` (cron, every minute) tries again later with a growing delay.

Where delivery happens (an `after_commit` listener):
- with the job queue (REDIS_URL, services/jobs.backend() == "rq"): the ids of the committed
  mails are queued and a worker sends them (`deliver_queued`), so no request ever waits for
  a mail server; the worker's clock runs `deliver_due` every minute, which is the retry with
  backoff. If Redis cannot be reached at that moment, the mails are sent at once as below.
- without it (`make run`, tests): synchronously in the process that committed, through its
  own connection: a request answers once its mails were handed over (with a local relay,
  milliseconds; a dead server costs at most SMTP_TIMEOUT per commit), tests read the outbox
  right after the request, and `flask mail send` from cron retries.
Either way a failure is kept on the row, never raised into the action; mails given up, or
still failing, to an event's people are counted on its overview (`failures_for`).

Backends: MAIL_BACKEND = "outbox" (development, tests) writes each message as an .eml file to
OUTBOX_DIR; "smtp" sends it to MAIL_SERVER.

Language (issue 24): a mail is written in its recipient's language, subject and body: the
account's choice (User.locale); for someone without one, the language of the request when they
are the one asking (a visitor signing up or resetting a password); otherwise English. Callers
pass the subject as a lazy string (`lazy_gettext`), so it is translated here, in that language.
"""

import re
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from uuid import uuid4

import sqlalchemy as sa
from flask import current_app, has_request_context, render_template, request
from flask_babel import force_locale, get_locale
from flask_login import current_user

from matchmaker.extensions import db
from matchmaker.i18n import DEFAULT_LOCALE, LANGUAGES
from matchmaker.models import OutgoingMail, User
from matchmaker.models.base import utcnow

# Minutes to wait after the 1st, 2nd, ... failed attempt; after the last the mail is given up
# ("failed"), about 13 hours after it was first tried.
RETRY_MINUTES = (1, 5, 25, 125, 625)
MAX_ATTEMPTS = len(RETRY_MINUTES) + 1
# A mail being sent is held this long, so a second sender (cron and a web process at the same
# moment) skips it; if the sender dies meanwhile the mail is due again afterwards.
CLAIM_MINUTES = 10
SMTP_TIMEOUT = 10  # seconds for each SMTP operation
SUBJECT_LENGTH = OutgoingMail.__table__.c.subject.type.length

# Mails added to a session and not yet committed: Session.info key.
_QUEUED = "matchmaker.mail.queued"
# Marks the request context a mail is rendered in (its end runs the teardown hooks).
_RENDERING = "matchmaker.mail.rendering"
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def send_mail(to, subject, template, locale=None, **context):
    """Render templates/email/<template>.txt with `context` and queue it for `to` (an address).

    The message is an OutgoingMail row added to the current transaction and sent once the
    caller commits (see the module docstring): call it before your commit, or commit after
    it. Links in the text come from BASE_URL, never from the request being served. The subject
    is put on one line (line breaks and control characters of old data become spaces). Subject
    and body are in `locale`, by default the recipient's (see `recipient_locale`).
    Returns the OutgoingMail; never raises for a delivery problem.
    """
    locale = locale if locale in LANGUAGES else recipient_locale(to)
    subject, body = _render(f"email/{template}.txt", context, subject, locale)
    mail = OutgoingMail(
        recipient=to.strip(),
        subject=one_line(subject)[:SUBJECT_LENGTH],
        body=body,
        status="pending",
        attempts=0,
        last_error="",
        next_attempt_at=utcnow(),
    )
    session = db.session()
    session.add(mail)
    session.info.setdefault(_QUEUED, []).append(mail)
    return mail


def one_line(text):
    """`text` as one line: control characters and runs of white space become one space."""
    return " ".join(_UNPRINTABLE.sub(" ", str(text)).split())


def recipient_locale(address):
    """The language to write to `address` in: the account's choice; else, when the person
    asking is the recipient or a visitor (no one signed in), the language of this request;
    else English (an organizer's action must not mail a participant in the organizer's
    language)."""
    with db.session.no_autoflush:
        user = db.session.scalar(
            sa.select(User).where(sa.func.lower(User.email) == address.strip().lower())
        )
    if user is not None and user.locale in LANGUAGES:
        return user.locale
    if has_request_context() and not request.environ.get(_RENDERING):
        asking = current_user if current_user and current_user.is_authenticated else None
        if asking is None or user is None or asking.id == user.id:
            return str(get_locale() or DEFAULT_LOCALE)
    return DEFAULT_LOCALE


def gettext_for(address, message, **variables):
    """`message` (a msgid marked with lazy_gettext where it is written) translated for the
    person at `address`, as their mail would be: for notices kept for them to read later."""
    with force_locale(recipient_locale(address)):
        return str(message) % variables if variables else str(message)


def _render(template, context, subject="", locale=DEFAULT_LOCALE):
    """Render against BASE_URL, also inside a request: a link must never be built from the
    Host header a client chose (it could point a password reset at another site). Returns the
    subject and the body, both in `locale`."""
    base_url = current_app.config["BASE_URL"]
    with current_app.test_request_context(base_url=base_url, environ_base={_RENDERING: True}):
        with force_locale(locale):
            return str(subject), render_template(template, **context)


def init_app(app):
    app.teardown_request(_report_uncommitted)


def _report_uncommitted(_error=None):
    """A request that queued mail and never committed drops it (the session is rolled back
    when it is removed): a caller's bug, so it is logged where an operator sees it."""
    if request.environ.get(_RENDERING):
        return  # the request context that rendered a mail, ending inside send_mail
    queued = db.session().info.get(_QUEUED)
    states = [sa.inspect(mail) for mail in queued or ()]
    lost = [state.obj() for state in states if state.pending or state.persistent]
    if lost:
        current_app.logger.error(
            "%d queued mails (%s) were not committed by the end of the request: they are "
            "dropped. Commit after send_mail.",
            len(lost),
            ", ".join(m.subject for m in lost),
        )


@sa.event.listens_for(db.session, "after_commit")
def _deliver_committed(session):
    queued = session.info.pop(_QUEUED, None)
    if not queued:
        return
    ids = [state.identity[0] for state in map(sa.inspect, queued) if state.persistent]
    if ids and not _queue_delivery(ids):
        try:
            _deliver(ids)
        except Exception:  # noqa: BLE001 - the action is committed: a mail problem waits for cron
            current_app.logger.exception("Queued mails %s could not be delivered now", ids)


def _queue_delivery(ids):
    """Hand the mails to a worker when the job queue is on; False when they are to be sent
    here (no queue, or Redis unreachable: better now than only at the next retry)."""
    from matchmaker.services import jobs

    if current_app.config.get("JOBS_INLINE") or jobs.backend() != "rq":
        return False
    try:
        jobs.queue().enqueue(
            "matchmaker.services.mail.deliver_queued", ids, job_timeout=600, result_ttl=600
        )
    except Exception:  # noqa: BLE001 - Redis away: deliver in this process instead
        current_app.logger.exception("Mails %s could not be queued; sending them now", ids)
        return False
    return True


def deliver_queued(ids):
    """Send these mails on a worker (what `_queue_delivery` queues)."""
    from matchmaker.worker import worker_app

    with worker_app().app_context():
        db.engine.dispose(close=False)  # a forked job never shares its parent's connections
        return _deliver(ids).summary()


def failures_for(event):
    """Mails to the event's participants and organizers that could not be sent: {"given_up":
    n, "retrying": n, "recipients": [the given-up ones' addresses, at most 10]}."""
    from matchmaker.models import Participant, User, event_organizers

    people = sa.union(
        sa.select(User.email).join(Participant, Participant.user_id == User.id)
        .where(Participant.event_id == event.id),
        sa.select(User.email).join(event_organizers, event_organizers.c.user_id == User.id)
        .where(event_organizers.c.event_id == event.id),
    ).subquery()  # fmt: skip
    troubled = sa.and_(
        OutgoingMail.recipient.in_(sa.select(people.c.email)),
        sa.or_(
            OutgoingMail.status == "failed",
            sa.and_(OutgoingMail.status == "pending", OutgoingMail.attempts > 0),
        ),
    )
    counts = dict(
        db.session.execute(
            sa.select(OutgoingMail.status, sa.func.count()).where(troubled)
            .group_by(OutgoingMail.status)
        ).all()
    )  # fmt: skip
    recipients = db.session.scalars(
        sa.select(OutgoingMail.recipient).where(troubled, OutgoingMail.status == "failed")
        .distinct().order_by(OutgoingMail.recipient).limit(10)
    ).all()  # fmt: skip
    return {
        "given_up": counts.get("failed", 0),
        "retrying": counts.get("pending", 0),
        "recipients": recipients,
    }


@sa.event.listens_for(db.session, "after_soft_rollback")
def _forget_rolled_back(session, _previous_transaction):
    queued = session.info.get(_QUEUED)
    if queued:
        states = map(sa.inspect, queued)
        session.info[_QUEUED] = [s.obj() for s in states if s.pending or s.persistent]


@dataclass
class Delivery:
    """What one delivery run did: mails sent, failed for now (tried again later), given up."""

    sent: int = 0
    retrying: int = 0
    given_up: int = 0

    def summary(self):
        return (
            f"Sent {self.sent} emails; {self.retrying} failed and will be tried again; "
            f"{self.given_up} given up."
        )


def deliver_due(now=None):
    """Send every queued mail whose next attempt is due (for `flask mail send`, from cron).

    Returns a Delivery. Never raises for a mail that cannot be sent: it is logged and kept,
    with its error and the time of its next attempt. Commits through its own connection, so
    commit or roll back the session's work first.
    """
    now = now or utcnow()
    with db.engine.connect() as connection:
        ids = connection.scalars(
            sa.select(OutgoingMail.id)
            .where(OutgoingMail.status == "pending", OutgoingMail.next_attempt_at <= now)
            .order_by(OutgoingMail.id)
        ).all()
    return _deliver(ids, now)


def _deliver(ids, now=None):
    """Claim the mails with these ids that are still due, send them over one connection and
    record each outcome on its row."""
    now = now or utcnow()
    table = OutgoingMail.__table__
    outcome = Delivery()
    with db.engine.begin() as connection:
        claimed = [
            mail_id
            for mail_id in ids
            if connection.execute(
                sa.update(table)
                .where(
                    table.c.id == mail_id,
                    table.c.status == "pending",
                    table.c.next_attempt_at <= now,
                )
                .values(next_attempt_at=now + timedelta(minutes=CLAIM_MINUTES))
            ).rowcount
            == 1
        ]
    if not claimed:
        return outcome
    with db.engine.connect() as connection:
        rows = connection.execute(
            sa.select(table).where(table.c.id.in_(claimed)).order_by(table.c.id)
        ).all()
    with _backend() as backend:
        for row in rows:
            try:
                backend.send(_message(row))
            except Exception as error:  # noqa: BLE001 - any failure is kept on the row, retried
                current_app.logger.warning("Mail %s to %s not sent: %s", row.id, row.recipient,
                                           error)  # fmt: skip
                if _record_failure(row, error, now):
                    outcome.retrying += 1
                else:
                    outcome.given_up += 1
            else:
                _record(row.id, status="sent", attempts=row.attempts + 1, sent_at=utcnow(),
                        last_error="")  # fmt: skip
                outcome.sent += 1
    return outcome


def _record_failure(row, error, now):
    """Keep the error and schedule the next attempt; True when there will be one."""
    attempts = row.attempts + 1
    retry = attempts < MAX_ATTEMPTS
    delay = RETRY_MINUTES[min(attempts, len(RETRY_MINUTES)) - 1]
    _record(
        row.id,
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        status="pending" if retry else "failed",
        next_attempt_at=now + timedelta(minutes=delay),
    )
    return retry


def _record(mail_id, **values):
    table = OutgoingMail.__table__
    with db.engine.begin() as connection:
        connection.execute(sa.update(table).where(table.c.id == mail_id).values(**values))


def _message(row):
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = row.recipient
    message["Subject"] = one_line(row.subject)
    message["Message-ID"] = f"<{uuid4()}@matchmaker>"
    message.set_content(row.body)
    return message


def _backend():
    if current_app.config["MAIL_BACKEND"] == "smtp":
        return _Smtp(current_app.config)
    return _Outbox(Path(current_app.config["OUTBOX_DIR"]))


class _Outbox:
    """Writes each message as an .eml file, for a developer (and the tests) to read."""

    def __init__(self, folder):
        self.folder = folder

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        return False

    def send(self, message):
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        (self.folder / f"{stamp}-{uuid4().hex[:8]}.eml").write_bytes(bytes(message))


class _Smtp:
    """One SMTP connection for a batch of messages, opened on the first one and opened again
    after a message failed (the server may have dropped it). When the server cannot be
    reached, the rest of the batch fails at once with the same error instead of waiting
    SMTP_TIMEOUT for each."""

    def __init__(self, config):
        self.config = config
        self.smtp = None
        self.unreachable = None

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self._close()
        return False

    def send(self, message):
        if self.unreachable is not None:
            raise self.unreachable
        if self.smtp is None:
            try:
                self.smtp = self._open()
            except Exception as error:
                self.unreachable = error
                raise
        try:
            self.smtp.send_message(message)
        except Exception:
            self._close()
            raise

    def _open(self):
        config = self.config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT)
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except Exception:
            smtp.close()
            raise
        return smtp

    def _close(self):
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None
