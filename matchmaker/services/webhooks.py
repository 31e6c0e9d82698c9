"""Webhooks (issue 24): the one door through which an event's changes leave for an
organizer's systems.

`emit(event, type, data)` is called once per domain event by the service that performs it
(registration, requests, schedules, eventday), inside its transaction: for each webhook of
the event that wants `type` it adds a WebhookDelivery row (the outbox). Nothing is sent
before the action commits, and nothing about sending can fail the action: a rolled-back
action sends nothing, a committed one keeps its deliveries until they are delivered or given
up. An event without webhooks costs one small query per emit.

After the commit (an `after_commit` listener, as for mail) the new deliveries are handed to
a worker through Redis (services/jobs.backend() == "rq"), or else to one background thread
of the web process; never sent inside the request. WEBHOOK_DISPATCH = False (tests) leaves
them to the clock. Each attempt POSTs the JSON body with a signature and waits at most
WEBHOOK_TIMEOUT_SECONDS per network operation; an answer outside 2xx, a timeout or a
refused connection is recorded and tried again after RETRY_MINUTES (1 min, 5, 30, 2 h,
12 h), then given up. `deliver_due` (the worker's clock and `flask scheduled`, every minute)
sends what is due.

Signature (docs/webhooks.md): header `Matchmaker-Signature: t=<unix seconds>,v1=<hex>`
where hex = HMAC-SHA256(secret, f"{t}.{body}"); for a day after a rotation a second v1
signed with the old secret follows.
"""

import hmac
import http.client
import ipaddress
import json
import queue as queue_module
import secrets
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit
from uuid import uuid4

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import gettext

from matchmaker.extensions import db
from matchmaker.models import (
    TEST_EVENT_TYPE,
    WEBHOOK_EVENT_TYPES,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from matchmaker.models.base import utcnow
from matchmaker.services.errors import DomainError, NotAllowed

# Minutes to wait after the 1st, 2nd, ... failed attempt; after the 6th it is given up.
RETRY_MINUTES = (1, 5, 30, 120, 720)
MAX_ATTEMPTS = len(RETRY_MINUTES) + 1
# A delivery being sent is held this long, so a second sender skips it.
CLAIM_MINUTES = 2
# After a rotation, the old secret still signs for this long.
OLD_SECRET_HOURS = 24
URL_LENGTH = Webhook.__table__.c.url.type.length
EXCERPT_LENGTH = 300
USER_AGENT = "Matchmaker-Webhooks/1"
SIGNATURE_HEADER = "Matchmaker-Signature"
_QUEUED = "matchmaker.webhooks.queued"  # Session.info: deliveries not yet committed
_LOCAL_NAMES = ("localhost", "localhost.localdomain")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")


def _(text, **values):
    """gettext in a request (the reader's language); English outside one (CLI, worker), where
    the locale selector has no request to read."""
    if has_request_context():
        return gettext(text, **values)
    return text % values if values else text


# --- organizers' webhooks -------------------------------------------------------------------


def _check_organizer(event, by):
    if not event.is_organized_by(by):
        raise NotAllowed(_("Only the event's organizers manage its webhooks."))


def webhooks_of(event):
    return db.session.scalars(
        sa.select(Webhook).where(Webhook.event_id == event.id).order_by(Webhook.id)
    ).all()


def new_secret():
    return "whsec_" + secrets.token_urlsafe(32)


def create_webhook(event, url, event_types, by):
    """Add a webhook to `event` and commit. Returns (webhook, secret): the secret is for the
    organizer to copy now. Raises DomainError for an address refused by `check_url` or no
    event type chosen."""
    _check_organizer(event, by)
    webhook = Webhook(event_id=event.id, created_by_id=by.id, secret=new_secret())
    _set(webhook, url, event_types)
    db.session.add(webhook)
    db.session.commit()
    return webhook, webhook.secret


def update_webhook(webhook, url, event_types, by):
    """Change a webhook's address and event types, and commit; refused as in create."""
    _check_organizer(webhook.event, by)
    _set(webhook, url, event_types)
    db.session.commit()


def _set(webhook, url, event_types):
    chosen = [kind for kind in WEBHOOK_EVENT_TYPES if kind in set(event_types or ())]
    if not chosen:
        raise DomainError(_("Choose at least one kind of event to send."))
    webhook.url = check_url(url)
    webhook.event_types = chosen


def rotate_secret(webhook, by, now=None):
    """Give the webhook a new secret and commit; the old one still signs (a second v1) for
    OLD_SECRET_HOURS. Returns the new secret."""
    _check_organizer(webhook.event, by)
    now = now or utcnow()
    webhook.previous_secret = webhook.secret
    webhook.previous_secret_until = now + timedelta(hours=OLD_SECRET_HOURS)
    webhook.secret = new_secret()
    webhook.secret_set_at = now
    db.session.commit()
    return webhook.secret


def delete_webhook(webhook, by):
    """Delete the webhook with its deliveries (those still waiting are not sent) and commit."""
    _check_organizer(webhook.event, by)
    db.session.delete(webhook)
    db.session.commit()


def private_targets_allowed():
    config = current_app.config
    return bool(config.get("WEBHOOK_ALLOW_PRIVATE_TARGETS") or config.get("DEVELOPMENT"))


def check_url(url):
    """The address cleaned, or DomainError saying why it cannot be a webhook's target: not
    http(s), a user name or password in it, no host, or (outside development, unless
    WEBHOOK_ALLOW_PRIVATE_TARGETS) a loopback or private address. A host name is checked
    again against the addresses it resolves to at each delivery."""
    url = (url or "").strip()
    if not url:
        raise DomainError(_("Give the address that should receive the events."))
    if len(url) > URL_LENGTH:
        raise DomainError(_("At most %(limit)d characters.", limit=URL_LENGTH))
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise DomainError(_("An address has no spaces or invisible characters."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise DomainError(_("This is not a web address.")) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise DomainError(_("The address must start with https:// (or http://)."))
    if "@" in parts.netloc or parts.username or parts.password:
        raise DomainError(
            _("Leave user names and passwords out of the address: check the signature instead.")
        )
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise DomainError(_("The address has no host name."))
    if port == 0:
        raise DomainError(_("This is not a web address."))
    if not private_targets_allowed():
        if host.lower() in _LOCAL_NAMES or host.lower().endswith(_LOCAL_SUFFIXES):
            raise DomainError(_private_target())
        literal = _ip(host)
        if literal is not None and not literal.is_global:
            raise DomainError(_private_target())
    return url


def _private_target():
    return _(
        "This address is on a local or private network, which the server does not send to. "
        "Give an address reachable from the internet."
    )


def _ip(host):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


# --- emitting: the outbox -------------------------------------------------------------------


def emit(event, event_type, data):
    """Queue `event_type` with `data` (plain JSON values: names and times, stable ids where
    useful) for every webhook of `event` that wants it, in the caller's transaction (sent
    once it commits). Returns the deliveries added; none (and one query) for an event
    without such a webhook. Never raises for a delivery problem."""
    if event_type not in WEBHOOK_EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    hooks = db.session.scalars(
        sa.select(Webhook).where(Webhook.event_id == event.id).order_by(Webhook.id)
    ).all()
    wanted = [hook for hook in hooks if hook.wants(event_type)]
    return _add_deliveries(event, wanted, event_type, data)


def _add_deliveries(event, hooks, event_type, data):
    if not hooks:
        return []
    occurrence = "evt_" + uuid4().hex
    created = utcnow()
    body = json.dumps(
        {
            "id": occurrence,
            "type": event_type,
            "created_at": iso(created),
            "event": {"slug": event.slug, "title": event.title},
            "data": data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    session = db.session()
    added = []
    for hook in hooks:
        delivery = WebhookDelivery(
            webhook_id=hook.id,
            uid="dlv_" + uuid4().hex,
            type=event_type,
            body=body,
            status="pending",
            attempts=0,
            next_attempt_at=created,
            created_at=created,
        )
        session.add(delivery)
        added.append(delivery)
    session.info.setdefault(_QUEUED, []).extend(added)
    return added


def send_test(webhook, by):
    """Queue a "webhook.test" delivery for this webhook alone and commit."""
    _check_organizer(webhook.event, by)
    delivery = _add_deliveries(
        webhook.event,
        [webhook],
        TEST_EVENT_TYPE,
        {"message": "A test event sent from the webhook's page.", "sent_by": by.name},
    )[0]
    db.session.commit()
    return delivery


def retry_now(delivery, by):
    """Send a waiting or given-up delivery again at once (one more attempt) and commit."""
    _check_organizer(delivery.webhook.event, by)
    if delivery.status == "delivered":
        raise DomainError(_("This delivery was received already."))
    delivery.status = "pending"
    delivery.next_attempt_at = utcnow()
    db.session().info.setdefault(_QUEUED, []).append(delivery)
    db.session.commit()


def iso(moment):
    """A stored naive-UTC moment as ISO 8601 with its zone ("2027-05-18T07:15:00Z")."""
    return moment.replace(microsecond=0).isoformat() + "Z"


def local_iso(event, moment):
    """An event-local wall time (slots) as ISO 8601 with the event's offset."""
    from zoneinfo import ZoneInfo

    return moment.replace(tzinfo=ZoneInfo(event.timezone)).isoformat()


def announce_registration(participant, created=False):
    """The webhooks of a registration (not committed): "registration.created" for a new one,
    and "registration.approved" whenever it is approved, also at once on registering."""
    data = registration_data(participant)
    if created:
        emit(participant.event, "registration.created", data)
    if participant.status == "approved":
        emit(participant.event, "registration.approved", data)


def registration_data(participant):
    """The body's `data` for registration events: who registered and the decision."""
    organisation, person = participant.organisation, participant.user
    return {
        "registration": {
            "id": participant.id,
            "status": participant.status,
            "organisation": {
                "name": organisation.name,
                "country": organisation.country,
                "city": organisation.city or "",
                "type": organisation.type,
                "website": organisation.website or "",
            },
            "contact": {"name": person.name, "email": person.email} if person else None,
            "partner": participant.partner.member.organisation.name
            if participant.partner is not None
            else None,
        }
    }


def meeting_data(event, meeting):
    """A meeting as the body describes it: when, where and who (names, not ids)."""
    slot, table = meeting.slot, meeting.table
    return {
        "id": meeting.id,
        "code": meeting.code or "",
        "starts_at": local_iso(event, slot.starts_at) if slot else None,
        "ends_at": local_iso(event, slot.ends_at) if slot else None,
        "table": table.label if table else None,
        "participants": [
            meeting.participant_a.organisation.name,
            meeting.participant_b.organisation.name,
        ],
        "status": meeting.status,
    }


# --- after the commit: hand them over -------------------------------------------------------


@sa.event.listens_for(db.session, "after_commit")
def _dispatch_committed(session):
    queued = session.info.pop(_QUEUED, None)
    if not queued:
        return
    ids = [state.identity[0] for state in map(sa.inspect, queued) if state.persistent]
    if not ids or not current_app.config.get("WEBHOOK_DISPATCH", True):
        return
    try:
        if not _queue_delivery(ids):
            _Dispatcher.of(current_app._get_current_object()).put(ids)
    except Exception:  # noqa: BLE001 - the action is committed: the clock sends them later
        current_app.logger.exception("Webhook deliveries %s could not be handed over", ids)


@sa.event.listens_for(db.session, "after_soft_rollback")
def _forget_rolled_back(session, _previous_transaction):
    queued = session.info.get(_QUEUED)
    if queued:
        states = map(sa.inspect, queued)
        session.info[_QUEUED] = [s.obj() for s in states if s.pending or s.persistent]


def _queue_delivery(ids):
    """On a worker when the job queue is on; False when they go to this process's thread."""
    from matchmaker.services import jobs

    if current_app.config.get("JOBS_INLINE") or jobs.backend() != "rq":
        return False
    try:
        jobs.queue().enqueue(
            "matchmaker.services.webhooks.deliver_queued", ids, job_timeout=600, result_ttl=600
        )
    except Exception:  # noqa: BLE001 - Redis away: this process's thread sends them
        current_app.logger.exception("Webhook deliveries %s could not be queued", ids)
        return False
    return True


def deliver_queued(ids):
    """Send these deliveries on a worker (what `_queue_delivery` queues)."""
    from matchmaker.worker import worker_app

    with worker_app().app_context():
        db.engine.dispose(close=False)  # a forked job never shares its parent's connections
        try:
            return deliver(ids).summary()
        finally:
            db.session.remove()


class _Dispatcher:
    """One background thread per web process that sends the deliveries handed to it, one at
    a time: a slow receiver delays other webhooks' deliveries, never a request."""

    def __init__(self, app):
        self.app = app
        self.ids = queue_module.SimpleQueue()
        self.thread = None
        self.lock = threading.Lock()
        self.idle = threading.Event()  # set when what was handed over has been tried

    @classmethod
    def of(cls, app):
        dispatcher = app.extensions.get("matchmaker.webhooks")
        if dispatcher is None:
            dispatcher = app.extensions.setdefault("matchmaker.webhooks", cls(app))
        return dispatcher

    def put(self, ids):
        self.idle.clear()
        self.ids.put(list(ids))
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(
                    target=self._run, name="webhook deliveries", daemon=True
                )
                self.thread.start()

    def _run(self):
        while True:
            try:
                ids = self.ids.get(timeout=30)
            except queue_module.Empty:
                with self.lock:
                    if self.ids.empty():
                        self.thread = None
                        return
                continue
            with self.app.app_context():
                try:
                    deliver(ids)
                except Exception:  # noqa: BLE001 - kept as pending: the clock tries again
                    self.app.logger.exception("Webhook deliveries %s not sent", ids)
                finally:
                    db.session.remove()
            if self.ids.empty():
                self.idle.set()


# --- sending --------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one run did: deliveries received, failed for now, given up."""

    delivered: int = 0
    retrying: int = 0
    given_up: int = 0

    def summary(self):
        return (
            f"Webhooks: {self.delivered} delivered; {self.retrying} failed and will be tried "
            f"again; {self.given_up} given up."
        )


def deliver_due(now=None):
    """Send every pending delivery whose attempt is due (the clock, every minute). Never
    raises for a delivery that fails: it is recorded with its next attempt."""
    now = now or utcnow()
    with db.engine.connect() as connection:
        table = WebhookDelivery.__table__
        ids = connection.scalars(
            sa.select(table.c.id)
            .where(table.c.status == "pending", table.c.next_attempt_at <= now)
            .order_by(table.c.id)
            .limit(500)
        ).all()
    return deliver(ids, now)


def deliver(ids, now=None):
    """Claim the deliveries with these ids that are still due, send each and record the
    attempt. Through connections of its own: commit the session's work first."""
    now = now or utcnow()
    table = WebhookDelivery.__table__
    outcome = Outcome()
    for delivery_id in ids:
        with db.engine.begin() as connection:
            claimed = connection.execute(
                sa.update(table)
                .where(
                    table.c.id == delivery_id,
                    table.c.status == "pending",
                    table.c.next_attempt_at <= now,
                )
                .values(next_attempt_at=now + timedelta(minutes=CLAIM_MINUTES))
            ).rowcount
            if claimed != 1:
                continue
            row = connection.execute(sa.select(table).where(table.c.id == delivery_id)).one()
            hook = connection.execute(
                sa.select(Webhook.__table__).where(Webhook.__table__.c.id == row.webhook_id)
            ).one_or_none()
        if hook is None:
            continue
        answer = send(hook, row)
        _record(row, answer, now, outcome)
    return outcome


@dataclass
class Answer:
    status_code: int | None = None
    excerpt: str = ""
    error: str = ""
    milliseconds: int = 0

    @property
    def ok(self):
        return self.status_code is not None and 200 <= self.status_code < 300


def signature_header(secrets_, body, timestamp):
    """`t=<timestamp>,v1=<hex>[,v1=<hex>]`: one v1 per secret given (the current first)."""
    parts = [f"t={timestamp}"]
    for secret in secrets_:
        digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), "sha256").hexdigest()
        parts.append(f"v1={digest}")
    return ",".join(parts)


def send(hook, row, timestamp=None):
    """POST one delivery to its webhook's address and return the Answer (never raises)."""
    timestamp = int(timestamp if timestamp is not None else time.time())
    keys = [hook.secret]
    until = hook.previous_secret_until
    if hook.previous_secret and until is not None and until > utcnow():
        keys.append(hook.previous_secret)
    body = row.body.encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "Matchmaker-Event": row.type,
        "Matchmaker-Delivery": row.uid,
        SIGNATURE_HEADER: signature_header(keys, row.body, timestamp),
    }
    timeout = float(current_app.config.get("WEBHOOK_TIMEOUT_SECONDS") or 5)
    started = time.monotonic()
    try:
        status, excerpt = _post(hook.url, body, headers, timeout)
    except TimeoutError:
        answer = Answer(error=f"No answer within {timeout:g} seconds.")
    except _Refused as refused:
        answer = Answer(error=str(refused))
    except (OSError, http.client.HTTPException, ssl.SSLError, ValueError) as error:
        answer = Answer(error=_words_for(error))
    else:
        answer = Answer(status_code=status, excerpt=excerpt)
    answer.milliseconds = int((time.monotonic() - started) * 1000)
    return answer


class _Refused(Exception):
    pass


def _words_for(error):
    if isinstance(error, ssl.SSLError | ssl.CertificateError):
        return "The secure connection failed (certificate or TLS problem)."
    if isinstance(error, socket.gaierror):
        return "The host name could not be found."
    if isinstance(error, ConnectionRefusedError):
        return "The connection was refused."
    return f"The connection failed ({type(error).__name__})."[:200]


def _post(url, body, headers, timeout):
    parts = urlsplit(url)
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _vetted_address(host, port)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if parts.scheme == "https":
        connection = _HTTPS(host, port, address, timeout=timeout)
    else:
        connection = _HTTP(host, port, address, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(2048).decode("utf-8", "replace")
        return response.status, " ".join(text.split())[:EXCERPT_LENGTH]
    finally:
        connection.close()


def _vetted_address(host, port):
    """The address to connect to: the host's first, after checking none is private (a name
    that resolves to a private address is refused as a private address is: DNS rebinding)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise socket.gaierror("no address")
    if not private_targets_allowed():
        for address in addresses:
            ip = _ip(address.split("%")[0])
            if ip is None or not ip.is_global:
                raise _Refused("The address resolves to a private network address; not sent.")
    return addresses[0]


class _HTTP(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _HTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _record(row, answer, now, outcome):
    attempts = row.attempts + 1
    values = {"attempts": attempts, "last_status_code": answer.status_code}
    if answer.ok:
        values.update(status="delivered", delivered_at=utcnow(), next_attempt_at=None)
        outcome.delivered += 1
    elif attempts < MAX_ATTEMPTS:
        delay = RETRY_MINUTES[attempts - 1]
        values.update(status="pending", next_attempt_at=now + timedelta(minutes=delay))
        outcome.retrying += 1
    else:
        values.update(status="failed", next_attempt_at=None)
        outcome.given_up += 1
    table = WebhookDelivery.__table__
    with db.engine.begin() as connection:
        connection.execute(sa.update(table).where(table.c.id == row.id).values(**values))
        connection.execute(
            sa.insert(WebhookAttempt.__table__).values(
                delivery_id=row.id,
                number=attempts,
                at=utcnow(),
                status_code=answer.status_code,
                excerpt=answer.excerpt[:EXCERPT_LENGTH],
                error=answer.error[:500],
                milliseconds=answer.milliseconds,
            )
        )


# --- the log page ---------------------------------------------------------------------------


def deliveries_of(webhook, limit=50):
    """The webhook's latest deliveries, newest first, with their attempts."""
    from sqlalchemy.orm import selectinload

    return db.session.scalars(
        sa.select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook.id)
        .options(selectinload(WebhookDelivery.tries))
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    ).all()


def waiting(webhook):
    """How many of the webhook's deliveries are still to be sent."""
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            WebhookDelivery.webhook_id == webhook.id, WebhookDelivery.status == "pending"
        )
    )


def prune(now=None):
    """Delete deliveries older than WEBHOOK_LOG_DAYS (30) that are no longer waiting;
    returns how many."""
    now = now or utcnow()
    days = current_app.config.get("WEBHOOK_LOG_DAYS") or 30
    table = WebhookDelivery.__table__
    with db.engine.begin() as connection:
        return connection.execute(
            sa.delete(table).where(
                table.c.status != "pending", table.c.created_at < now - timedelta(days=days)
            )
        ).rowcount
