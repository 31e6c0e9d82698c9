"""The organizer's webhooks of an event (issue 24): add one, see its deliveries, send a
test event, retry, rotate the secret, delete."""

from datetime import UTC
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import format_timedelta, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.extensions import db
from matchmaker.models import Webhook, WebhookDelivery
from matchmaker.models.base import utcnow
from matchmaker.organizer import bp
from matchmaker.organizer.forms import ActionForm
from matchmaker.organizer.webhook_forms import EVENT_TYPE_LABELS, WebhookForm
from matchmaker.permissions import get_event_or_404
from matchmaker.services import webhooks
from matchmaker.services.errors import DomainError


def _webhook_or_404(event, webhook_id):
    webhook = db.session.get(Webhook, webhook_id)
    if webhook is None or webhook.event_id != event.id:
        abort(404)
    return webhook


def _clock(event):
    """when(moment): a stored UTC moment in the event's time zone and the reader's language;
    until(moment): how long from now, in words ("in 4 minutes")."""
    zone, locale = ZoneInfo(event.timezone), get_locale()

    def when(moment):
        return format_datetime(moment.replace(tzinfo=UTC), "short", tzinfo=zone, locale=locale)

    def until(moment):
        return format_timedelta(moment - utcnow(), add_direction=True) if moment else ""

    return {"when": when, "until": until}


def _list(event, form=None, status=200):
    return (
        render_template(
            "organizer/webhooks.html",
            event=event,
            webhooks=webhooks.webhooks_of(event),
            form=form or WebhookForm(formdata=None),
            labels=EVENT_TYPE_LABELS,
        ),
        status,
    )


def _secret_page(event, webhook, secret, created):
    response = make_response(
        render_template(
            "organizer/webhook_secret.html", event=event, webhook=webhook, secret=secret,
            created=created, labels=EVENT_TYPE_LABELS,
        )
    )  # fmt: skip
    response.headers["Cache-Control"] = "no-store"  # the secret stays in no cache
    return response


@bp.get("/<slug>/webhooks", endpoint="webhooks")
@login_required
def webhooks_page(slug):
    return _list(get_event_or_404(slug, manage=True))


@bp.post("/<slug>/webhooks")
@login_required
def add_webhook(slug):
    event = get_event_or_404(slug, manage=True)
    form = WebhookForm()
    if not form.validate_on_submit():
        return _list(event, form, 400)
    try:
        webhook, secret = webhooks.create_webhook(
            event, form.url.data, form.event_types.data, by=current_user
        )
    except DomainError as error:
        form.url.errors.append(str(error))
        return _list(event, form, 400)
    # The secret is shown in this answer only: it is in no page, cookie or redirect after it.
    return _secret_page(event, webhook, secret, created=True)


def _log(event, webhook, form=None, status=200):
    return (
        render_template(
            "organizer/webhook.html",
            event=event,
            webhook=webhook,
            deliveries=webhooks.deliveries_of(webhook),
            form=form or WebhookForm(formdata=None, obj=webhook),
            action_form=ActionForm(),
            labels=EVENT_TYPE_LABELS,
            **_clock(event),
        ),
        status,
    )


@bp.get("/<slug>/webhooks/<int:webhook_id>")
@login_required
def webhook(slug, webhook_id):
    event = get_event_or_404(slug, manage=True)
    return _log(event, _webhook_or_404(event, webhook_id))


@bp.post("/<slug>/webhooks/<int:webhook_id>")
@login_required
def edit_webhook(slug, webhook_id):
    event = get_event_or_404(slug, manage=True)
    hook = _webhook_or_404(event, webhook_id)
    form = WebhookForm()
    if not form.validate_on_submit():
        return _log(event, hook, form, 400)
    try:
        webhooks.update_webhook(hook, form.url.data, form.event_types.data, by=current_user)
    except DomainError as error:
        db.session.rollback()
        form.url.errors.append(str(error))
        return _log(event, hook, form, 400)
    flash(_("Webhook saved."), "success")
    return redirect(url_for("organizer.webhook", slug=slug, webhook_id=hook.id))


@bp.post("/<slug>/webhooks/<int:webhook_id>/rotate")
@login_required
def rotate_webhook_secret(slug, webhook_id):
    event = get_event_or_404(slug, manage=True)
    hook = _webhook_or_404(event, webhook_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    secret = webhooks.rotate_secret(hook, by=current_user)
    return _secret_page(event, hook, secret, created=False)


@bp.post("/<slug>/webhooks/<int:webhook_id>/test")
@login_required
def test_webhook(slug, webhook_id):
    event = get_event_or_404(slug, manage=True)
    hook = _webhook_or_404(event, webhook_id)
    if ActionForm().validate_on_submit():
        webhooks.send_test(hook, by=current_user)
        flash(_("A test event is on its way; reload this page to see how it was received."),
              "info")  # fmt: skip
    return redirect(url_for("organizer.webhook", slug=slug, webhook_id=hook.id))


@bp.post("/<slug>/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/retry")
@login_required
def retry_webhook_delivery(slug, webhook_id, delivery_id):
    event = get_event_or_404(slug, manage=True)
    hook = _webhook_or_404(event, webhook_id)
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.webhook_id != hook.id:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            webhooks.retry_now(delivery, by=current_user)
            flash(_("Sending it again now; reload this page to see the answer."), "info")
        except DomainError as error:
            flash(str(error), "danger")
    return redirect(url_for("organizer.webhook", slug=slug, webhook_id=hook.id))


@bp.route("/<slug>/webhooks/<int:webhook_id>/delete", methods=["GET", "POST"])
@login_required
def delete_webhook(slug, webhook_id):
    event = get_event_or_404(slug, manage=True)
    hook = _webhook_or_404(event, webhook_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        url = hook.url
        webhooks.delete_webhook(hook, by=current_user)
        flash(_("The webhook to %(url)s was deleted; nothing more is sent there.", url=url),
              "info")  # fmt: skip
        return redirect(url_for("organizer.webhooks", slug=slug))
    waiting = webhooks.waiting(hook)
    return render_template(
        "organizer/webhook_delete.html", event=event, webhook=hook, waiting=waiting, form=form
    )
