from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.inbox import bp
from matchmaker.inbox.forms import MessageEmailForm, MessageForm
from matchmaker.models import Participant
from matchmaker.permissions import get_event_or_404, in_event_or_404, own_registration_or_404
from matchmaker.services import inbox
from matchmaker.services.errors import DomainError, NotAllowed
from matchmaker.webutil import flash_errors


@bp.get("/inbox")
@login_required
def index():
    return render_template("inbox/index.html", inbox=inbox.inbox_of(current_user))


@bp.get("/inbox/notices/<int:notice_id>")
@login_required
def notice(notice_id):
    try:
        link = inbox.open_notice(notice_id, by=current_user)
    except NotAllowed:
        abort(404)
    return redirect(link or url_for("inbox.index"))


@bp.route("/events/<slug>/messages/<int:partner_id>", methods=["GET", "POST"])
@login_required
def thread(slug, partner_id):
    event, me = own_registration_or_404(slug, approved=True)
    partner = in_event_or_404(Participant, event, partner_id)
    if not inbox.linked(me, partner) or partner.status != "approved":
        abort(404)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            inbox.post_message(me, partner, form.body.data, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(_("Message sent."), "success")
            return redirect(url_for("inbox.thread", slug=slug, partner_id=partner.id))
    messages = inbox.open_thread(me, partner, by=current_user)
    return render_template(
        "inbox/thread.html", event=event, me=me, partner=partner, messages=messages, form=form
    )


@bp.get("/events/<slug>/manage/messages/<int:a_id>/<int:b_id>")
@login_required
def organizer_thread(slug, a_id, b_id):
    event = get_event_or_404(slug, manage=True)
    a = in_event_or_404(Participant, event, a_id)
    b = in_event_or_404(Participant, event, b_id)
    return render_template(
        "inbox/organizer_thread.html", event=event, a=a, b=b, messages=inbox.thread(a, b)
    )


@bp.post("/account/messages")
@login_required
def message_email():
    form = MessageEmailForm()
    if form.validate_on_submit():
        try:
            inbox.set_message_email(current_user, form.choice.data, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(
                _("Saved: %(choice)s.", choice=str(inbox.EMAIL_CHOICES[form.choice.data]).lower()),
                "success",
            )
    else:
        flash_errors(form)
    return redirect(url_for("profiles.account"))
