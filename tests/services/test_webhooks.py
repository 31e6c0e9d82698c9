"""Webhooks (issue 24): the outbox written with each action, signed deliveries to a local
receiver, retries with backoff, timeouts, and the addresses refused."""

import json
import socket
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import MeetingRequest, Webhook, WebhookDelivery
from matchmaker.models.base import utcnow
from matchmaker.services import eventday, registration, requests, schedules, webhooks
from matchmaker.services.errors import DomainError
from tests.services.test_eventday import build_day
from tests.webhook_receiver import documented_verify, start_receiver

verify = documented_verify()


@pytest.fixture
def receiver():
    server, receiver = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def organizer(make_user):
    return make_user(email="olga@org.example", name="Olga", role="organizer")


@pytest.fixture
def event(make_event, organizer):
    return make_event(organizer=organizer)


def hook(event, organizer, url, *types):
    made, secret = webhooks.create_webhook(
        event, url, types or list(webhooks.WEBHOOK_EVENT_TYPES), by=organizer
    )
    return made, secret


def registrant(make_user, email="ana@agro.example", name="Ana"):
    from matchmaker.models import Organisation

    user = make_user(email=email, name=name)
    user.organisation = Organisation(name=f"{name} Agro", country="RO", type="sme")
    db.session.commit()
    return user


def deliveries():
    db.session.expire_all()
    return db.session.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def test_registration_arrives_signed_as_documented(event, organizer, receiver, make_user):
    _, secret = hook(event, organizer, receiver.url, "registration.created")
    registration.register(event, registrant(make_user))
    assert receiver.received == []  # nothing leaves inside the action
    outcome = webhooks.deliver_due()
    assert (outcome.delivered, len(receiver.received)) == (1, 1)
    got = receiver.received[0]
    body = json.loads(got.body)
    assert got.headers["Matchmaker-Event"] == "registration.created"
    assert got.headers["Matchmaker-Delivery"] == deliveries()[0].uid
    assert (body["type"], body["event"]) == (
        "registration.created",
        {"slug": "ict-days", "title": "ICT Brokerage Days"},
    )
    assert body["data"]["registration"]["organisation"]["name"] == "Ana Agro"
    assert body["data"]["registration"]["contact"] == {"name": "Ana", "email": "ana@agro.example"}
    signature = got.headers["Matchmaker-Signature"]
    assert verify(secret, got.body, signature) is True
    assert verify("whsec_wrong", got.body, signature) is False
    assert verify(secret, got.body + b" ", signature) is False
    old = webhooks.signature_header([secret], got.body.decode(), int(time.time()) - 3600)
    assert verify(secret, got.body, old) is False  # a replay of an hour ago


def test_auto_approved_registration_sends_created_then_approved(make_event, organizer, make_user):
    event = make_event(organizer=organizer, approval_required=False)
    hook(event, organizer, "https://crm.example.org/in")
    registration.register(event, registrant(make_user))
    assert [d.type for d in deliveries()] == ["registration.created", "registration.approved"]


def test_approval_by_organizer_is_sent(make_event, organizer, make_user):
    event = make_event(organizer=organizer, approval_required=True)
    hook(event, organizer, "https://crm.example.org/in", "registration.approved")
    participant = registration.register(event, registrant(make_user))
    assert deliveries() == []  # pending: not approved yet
    registration.set_status(participant, "approved", by=organizer)
    (delivery,) = deliveries()
    assert json.loads(delivery.body)["data"]["registration"]["status"] == "approved"


def test_500_is_retried_after_a_minute_then_delivered(event, organizer, receiver):
    made, secret = hook(event, organizer, receiver.url)
    receiver.answers = [500]
    webhooks.send_test(made, by=organizer)
    now = utcnow()
    assert webhooks.deliver_due(now).retrying == 1
    (delivery,) = deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at == now + timedelta(minutes=1)
    assert webhooks.deliver_due(now + timedelta(seconds=30)).delivered == 0  # not yet due
    assert webhooks.deliver_due(now + timedelta(minutes=1)).delivered == 1
    (delivery,) = deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        "delivered",
        2,
        200,
    )
    assert [(t.number, t.status_code) for t in delivery.tries] == [(1, 500), (2, 200)]
    assert delivery.tries[0].excerpt == "Internal trouble: database locked"
    first, second = receiver.received
    assert first.body == second.body  # the same message, signed afresh
    assert first.headers["Matchmaker-Delivery"] == second.headers["Matchmaker-Delivery"]
    assert verify(secret, second.body, second.headers["Matchmaker-Signature"])


def test_backoff_grows_then_gives_up_after_six_attempts(event, organizer):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    made, _ = hook(event, organizer, f"http://127.0.0.1:{port}/in")
    webhooks.send_test(made, by=organizer)
    now, waits = utcnow(), []
    for _ in range(6):
        webhooks.deliver_due(now)
        (delivery,) = deliveries()
        if delivery.next_attempt_at:
            waits.append(round((delivery.next_attempt_at - now).total_seconds() / 60))
            now = delivery.next_attempt_at
    assert waits == [1, 5, 30, 120, 720]
    assert (delivery.status, delivery.attempts) == ("failed", 6)
    assert delivery.tries[-1].error == "The connection was refused."
    assert webhooks.deliver_due(now + timedelta(days=2)).delivered == 0  # given up


@pytest.mark.parametrize("config_overrides", [{"WEBHOOK_TIMEOUT_SECONDS": 0.3}])
def test_slow_receiver_times_out_and_is_retried(event, organizer, receiver):
    made, _ = hook(event, organizer, receiver.url)
    receiver.answers = [("slow", 1.5)]
    webhooks.send_test(made, by=organizer)
    started = time.monotonic()
    assert webhooks.deliver_due().retrying == 1
    assert time.monotonic() - started < 1.2  # it did not wait for the slow answer
    (delivery,) = deliveries()
    assert delivery.status == "pending"
    assert delivery.last_status_code is None
    assert delivery.tries[0].error == "No answer within 0.3 seconds."


def test_rolled_back_action_sends_nothing(event, organizer, make_user):
    hook(event, organizer, "https://crm.example.org/in")
    participant = registration.register(event, registrant(make_user))
    before = len(deliveries())
    participant.status = "pending"
    webhooks.emit(event, "registration.approved", webhooks.registration_data(participant))
    db.session.rollback()
    assert len(deliveries()) == before


def test_event_without_webhook_costs_one_query(event, organizer):
    statements = []
    assert event.id  # loaded before counting

    def count(_connection, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        added = webhooks.emit(event, "schedule.published", {"schedule": {}})
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert (added, len(statements)) == ([], 1)


def test_webhook_not_subscribed_gets_nothing(event, organizer, make_user):
    hook(event, organizer, "https://crm.example.org/in", "schedule.published")
    registration.register(event, registrant(make_user))
    assert deliveries() == []


def test_accepted_request_names_both_sides(event, organizer, make_user, make_participant):
    hook(event, organizer, "https://crm.example.org/in", "request.accepted")
    ana = make_participant(event, make_user(email="ana@x.example", name="Ana"))
    bo = make_participant(event, make_user(email="bo@x.example", name="Bo"))
    request = MeetingRequest(event_id=event.id, sender_id=ana.id, receiver_id=bo.id)
    db.session.add(request)
    db.session.commit()
    requests.accept(request, by=bo.user)
    (delivery,) = deliveries()
    data = json.loads(delivery.body)["data"]
    assert data["request"]["from"] == {"participant_id": ana.id, "organisation": "Ana Ltd"}
    assert data["request"]["to"] == {"participant_id": bo.id, "organisation": "Bo Ltd"}
    assert data["meeting"] is None  # the organizers schedule this event


def test_published_agenda_sends_its_figures(make_user, make_event, make_participant):
    day = build_day(make_user, make_event, make_participant)
    hook(day.event, day.organizer, "https://crm.example.org/in", "schedule.published")
    draft = schedules.copy_to_draft(day.schedule, by=day.organizer)
    schedules.publish(draft, by=day.organizer)
    (delivery,) = deliveries()
    assert json.loads(delivery.body)["data"]["schedule"] == {
        "version": draft.version,
        "published_at": webhooks.iso(draft.published_at),
        "replaces_version": 1,
        "meetings": 3,
        "participants_with_meetings": 4,
        "participants_told": 0,
    }


def test_meeting_status_change_says_what_it_was_and_is(make_user, make_event, make_participant):
    day = build_day(make_user, make_event, make_participant)
    hook(day.event, day.organizer, "https://crm.example.org/in", "meeting.status_changed")
    eventday.set_meeting_status(day.m["ana_bo"], "held", by=day.helper, now=day.started)
    (delivery,) = deliveries()
    data = json.loads(delivery.body)["data"]
    assert (data["previous_status"], data["meeting"]["status"], data["changed_by"]) == (
        "scheduled",
        "held",
        "Hal",
    )
    assert data["meeting"]["participants"] == ["Ana Ltd", "Bo Ltd"]
    assert data["meeting"]["starts_at"] == "2027-05-18T09:00:00+03:00"


def test_rotated_secret_signs_beside_the_old_one_for_a_day(event, organizer, receiver):
    made, old = hook(event, organizer, receiver.url)
    new = webhooks.rotate_secret(made, by=organizer)
    webhooks.send_test(made, by=organizer)
    webhooks.deliver_due()
    got = receiver.received[0]
    header = got.headers["Matchmaker-Signature"]
    assert (verify(new, got.body, header), verify(old, got.body, header)) == (True, True)
    made.previous_secret_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    webhooks.send_test(made, by=organizer)
    webhooks.deliver_due()
    late = receiver.received[1]
    header = late.headers["Matchmaker-Signature"]
    assert (verify(new, late.body, header), verify(old, late.body, header)) == (True, False)


REFUSED = {
    "ftp://files.example.org/in": "must start with https://",
    "https://ana:secret@crm.example.org/in": "Leave user names and passwords out",
    "https://crm.example.org:0/in": "not a web address",
    "http://127.0.0.1:8080/in": "private network",
    "http://[::1]/in": "private network",
    "http://10.1.2.3/in": "private network",
    "http://169.254.169.254/latest/meta-data": "private network",
    "http://localhost:5000/in": "private network",
    "https://printer.local/in": "private network",
    "https://crm.example.org/in put": "no spaces",
}


@pytest.mark.parametrize("config_overrides", [{"WEBHOOK_ALLOW_PRIVATE_TARGETS": False}])
@pytest.mark.parametrize("url", sorted(REFUSED))
def test_address_is_refused_with_the_reason(event, organizer, url):
    with pytest.raises(DomainError, match=REFUSED[url]):
        hook(event, organizer, url)
    assert db.session.scalars(sa.select(Webhook)).all() == []


@pytest.mark.parametrize("config_overrides", [{"WEBHOOK_ALLOW_PRIVATE_TARGETS": False}])
def test_public_address_is_accepted(event, organizer):
    made, secret = hook(event, organizer, "https://crm.example.org/in?source=mm")
    assert (made.url, secret.startswith("whsec_"), len(secret) > 40) == (
        "https://crm.example.org/in?source=mm",
        True,
        True,
    )


@pytest.mark.parametrize("config_overrides", [{"WEBHOOK_ALLOW_PRIVATE_TARGETS": True}])
def test_name_resolving_to_a_private_address_is_not_sent_to(app, event, organizer, receiver):
    # Saved while private targets were allowed; the site then turned them off.
    made, _ = hook(event, organizer, receiver.url.replace("127.0.0.1", "localhost"))
    webhooks.send_test(made, by=organizer)
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False
    assert webhooks.deliver_due().retrying == 1
    assert receiver.received == []
    assert deliveries()[0].tries[0].error.startswith("The address resolves to a private")


def test_deleting_a_webhook_drops_its_deliveries(event, organizer):
    made, _ = hook(event, organizer, "https://crm.example.org/in")
    webhooks.send_test(made, by=organizer)
    webhooks.delete_webhook(made, by=organizer)
    assert deliveries() == []


def test_only_the_event_organizers_manage_webhooks(event, make_user):
    other = make_user(email="otto@org.example", name="Otto", role="organizer")
    with pytest.raises(DomainError, match="Only the event's organizers"):
        hook(event, other, "https://crm.example.org/in")


def test_log_is_pruned_after_its_days_but_waiting_ones_stay(event, organizer):
    made, _ = hook(event, organizer, "https://crm.example.org/in")
    old, waiting = webhooks.send_test(made, by=organizer), webhooks.send_test(made, by=organizer)
    old.status, old.created_at = "delivered", utcnow() - timedelta(days=31)
    waiting.created_at = utcnow() - timedelta(days=31)
    db.session.commit()
    assert webhooks.prune() == 1
    assert [d.id for d in deliveries()] == [waiting.id]


def test_visitor_added_at_the_desk_is_a_new_approved_registration(
    make_user, make_event, make_participant
):
    day = build_day(make_user, make_event, make_participant)
    hook(day.event, day.organizer, "https://crm.example.org/in", "registration.created")
    eventday.add_visitor(day.event, "Vera", "vera@walk.example", "Walk-in Co", "RO", by=day.helper)
    (delivery,) = deliveries()
    registration_ = json.loads(delivery.body)["data"]["registration"]
    assert (registration_["status"], registration_["organisation"]["name"]) == (
        "approved",
        "Walk-in Co",
    )
