"""The organizer's webhook pages (issue 24): add one and see its secret once, the delivery log
with its attempts, a test event, retry now, delete with confirmation; and a receiver that is
down never fails the action that caused the delivery."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Participant, Webhook, WebhookDelivery
from matchmaker.models.base import utcnow
from matchmaker.services import webhooks
from tests.webhook_receiver import documented_verify, start_receiver


@pytest.fixture
def receiver():
    server, receiver = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def organizer(make_user, make_event, auth):
    olga = make_user(email="olga@org.example", name="Olga", role="organizer")
    make_event(organizer=olga)
    auth.login("olga@org.example")
    return olga


PAGE = "/manage/ict-days/webhooks"


def add(client, url, *types):
    return client.post(PAGE, data={"url": url, "event_types": list(types) or ["request.accepted"]})


def only_webhook():
    return db.session.scalars(sa.select(Webhook)).one()


def test_added_webhook_shows_its_secret_once(client, organizer):
    response = add(client, "https://crm.example.org/in", "registration.created")
    assert response.status_code == 200
    secret = re.search(r'value="(whsec_[^"]+)"', response.text).group(1)
    assert secret == only_webhook().secret
    assert "shown only this once" in response.text
    assert response.headers["Cache-Control"] == "no-store"
    later = [client.get(PAGE).text, client.get(f"{PAGE}/{only_webhook().id}").text]
    assert [secret in page for page in later] == [False, False]
    assert "https://crm.example.org/in" in later[0]
    assert "A registration is created" in later[0]


@pytest.mark.parametrize("config_overrides", [{"WEBHOOK_ALLOW_PRIVATE_TARGETS": False}])
def test_private_address_is_refused_with_the_reason(client, organizer):
    response = add(client, "http://192.168.1.20/hook")
    assert response.status_code == 400
    assert "local or private network" in response.text
    assert db.session.scalars(sa.select(Webhook)).all() == []


def test_no_event_type_ticked_is_refused(client, organizer):
    response = client.post(PAGE, data={"url": "https://crm.example.org/in"})
    assert response.status_code == 400
    assert "Choose at least one kind of event to send." in response.text
    assert db.session.scalars(sa.select(Webhook)).all() == []


def test_log_shows_a_failed_attempt_then_its_successful_retry(client, organizer, receiver):
    add(client, receiver.url)
    hook = only_webhook()
    log = f"{PAGE}/{hook.id}"
    receiver.answers = [500]
    client.post(f"{log}/test")
    now = utcnow()
    webhooks.deliver_due(now)
    page = client.get(log).text
    assert "Failed; next try in 1 minute" in page
    assert "Status 500" in page and "Internal trouble: database locked" in page
    webhooks.deliver_due(now + timedelta(minutes=1))
    page = client.get(log).text
    row = re.search(r'<tr data-testid="delivery">.*?</tr>', page, re.S).group(0)
    assert "Test event" in row and "Received" in row
    assert re.search(r"<td>2</td>", row)  # attempts
    attempts = re.findall(r"<li>[^<]*: (status \d+)</li>", row)
    assert attempts == ["status 500", "status 200"]
    first, second = receiver.received
    verify = documented_verify()
    assert verify(hook.secret, second.body, second.headers["Matchmaker-Signature"])


def test_retry_now_sends_a_given_up_delivery_again(client, organizer, receiver):
    add(client, receiver.url)
    hook = only_webhook()
    delivery = webhooks.send_test(hook, by=organizer)
    delivery.status, delivery.attempts = "failed", 6
    db.session.commit()
    response = client.post(f"{PAGE}/{hook.id}/deliveries/{delivery.id}/retry")
    assert response.status_code == 302
    webhooks.deliver_due()
    db.session.expire_all()
    assert (delivery.status, delivery.attempts, len(receiver.received)) == ("delivered", 7, 1)


def test_retry_of_a_received_delivery_is_refused(client, organizer):
    add(client, "https://crm.example.org/in")
    delivery = webhooks.send_test(only_webhook(), by=organizer)
    delivery.status = "delivered"
    db.session.commit()
    response = client.post(
        f"{PAGE}/{only_webhook().id}/deliveries/{delivery.id}/retry", follow_redirects=True
    )
    assert "This delivery was received already." in response.text


def test_rotating_shows_a_new_secret(client, organizer):
    add(client, "https://crm.example.org/in")
    old = only_webhook().secret
    response = client.post(f"{PAGE}/{only_webhook().id}/rotate")
    db.session.expire_all()
    new = only_webhook().secret
    assert new != old and f'value="{new}"' in response.text
    assert "still signs every message for one more day" in response.text


def test_edit_changes_address_and_types(client, organizer):
    add(client, "https://crm.example.org/in")
    hook_id = only_webhook().id
    response = client.post(
        f"{PAGE}/{hook_id}",
        data={"url": "https://crm.example.org/v2", "event_types": ["schedule.published"]},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (only_webhook().url, only_webhook().event_types) == (
        "https://crm.example.org/v2",
        ["schedule.published"],
    )


def test_delete_asks_first_then_deletes(client, organizer):
    add(client, "https://crm.example.org/in")
    hook = only_webhook()
    webhooks.send_test(hook, by=organizer)
    confirm = client.get(f"{PAGE}/{hook.id}/delete")
    assert "Delete the webhook to https://crm.example.org/in?" in confirm.text
    assert "1 message still waiting to be sent will not be sent." in confirm.text
    response = client.post(f"{PAGE}/{hook.id}/delete", follow_redirects=True)
    assert "was deleted" in response.text
    assert db.session.scalars(sa.select(Webhook)).all() == []
    assert db.session.scalars(sa.select(WebhookDelivery)).all() == []


def test_organizer_of_another_event_gets_404(client, auth, organizer, make_user):
    add(client, "https://crm.example.org/in")
    hook_id = only_webhook().id
    auth.logout()
    make_user(email="otto@org.example", name="Otto", role="organizer")
    auth.login("otto@org.example")
    pages = [PAGE, f"{PAGE}/{hook_id}", f"{PAGE}/{hook_id}/delete"]
    assert [client.get(page).status_code for page in pages] == [404, 404, 404]
    posts = [f"{PAGE}/{hook_id}/test", f"{PAGE}/{hook_id}/rotate", f"{PAGE}/{hook_id}/delete"]
    assert [client.post(page).status_code for page in posts] == [404, 404, 404]
    assert db.session.scalars(sa.select(Webhook)).one().id == hook_id


@pytest.mark.parametrize(
    "config_overrides", [{"WEBHOOK_DISPATCH": True, "WEBHOOK_TIMEOUT_SECONDS": 0.5}]
)
def test_receiver_down_never_fails_the_approval(
    app, client, organizer, receiver, make_user, make_participant
):
    """Sent by the web process's background thread after the commit, not in the request: a
    receiver answering 500 leaves the approval done and the delivery waiting for a retry."""
    add(client, receiver.url, "registration.approved")
    event = only_webhook().event
    ana = make_participant(event, make_user(email="ana@x.example", name="Ana"), status="pending")
    receiver.answers = [500]
    response = client.post(f"/manage/ict-days/participants/{ana.id}/approved")
    assert response.status_code == 302
    assert receiver.arrived.wait(5)
    assert webhooks._Dispatcher.of(app).idle.wait(5)
    db.session.expire_all()
    assert db.session.get(Participant, ana.id).status == "approved"
    delivery = db.session.scalars(sa.select(WebhookDelivery)).one()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)


def test_page_shows_the_documented_verify_function(client, organizer):
    import html

    from tests.webhook_receiver import DOC

    code = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S).group(1).rstrip("\n")
    assert code in html.unescape(client.get(PAGE).text)
