from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.extensions import db
from matchmaker.meetings import bp
from matchmaker.meetings.forms import ActionForm, DeclineForm, RequestForm, SlotForm
from matchmaker.models import Participant, Slot
from matchmaker.pagecache import cached_page
from matchmaker.permissions import own_registration_or_404, own_request_or_404
from matchmaker.services import booking, groups, inbox, matchmaking
from matchmaker.services import requests as meeting_requests
from matchmaker.services.errors import DomainError
from matchmaker.webutil import MAX_ID, flash_errors, options


def _meeting_request(me, request_id):
    return own_request_or_404(me, request_id)


def _slot(event, slot_id):
    """The event's slot with this id, None when none was picked; 404 for another event's."""
    if slot_id is None:
        return None
    slot = db.session.get(Slot, slot_id) if 0 < slot_id <= MAX_ID else None
    if slot is None or slot.event_id != event.id:
        abort(404)
    return slot


@bp.get("/requests")
@login_required
def requests(slug):
    event, me = own_registration_or_404(slug, approved=True)
    incoming, outgoing = meeting_requests.requests_of(me)
    return render_template(
        "meetings/requests.html",
        event=event,
        me=me,
        incoming=incoming,
        outgoing=outgoing,
        bookings=booking.bookings_page(me, incoming + outgoing),
        matches=inbox.match_views(me, [r.sender for r in incoming]),
        unread=inbox.unread_by_partner(me),
        action_form=ActionForm(),
        decline_form=DeclineForm(),
    )


@bp.route("/requests/new/<int:receiver_id>", methods=["GET", "POST"])
@login_required
def new_request(slug, receiver_id):
    event, me = own_registration_or_404(slug, approved=True)
    receiver = db.session.get(Participant, receiver_id)
    if receiver is None or receiver.event_id != event.id or receiver.status != "approved":
        abort(404)
    form = RequestForm()
    picks = booking.requester_picks_time(event)
    free = booking.free_slots(me, receiver) if picks else []
    form.slots.choices = options((s.id, booking.slot_words(s)) for s in free)
    if not picks:
        del form.slots
    if form.validate_on_submit():
        slots = [_slot(event, i) for i in form.slots.data or []] if picks else []
        try:
            sent = meeting_requests.send_request(
                me, receiver, form.message.data or "", by=current_user, slots=slots
            )
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(booking.sent_words(sent, receiver), "success")
            return redirect(url_for("meetings.requests", slug=slug))
    return render_template(
        "meetings/new_request.html", event=event, receiver=receiver, form=form, free=free,
        picks=picks, apart=groups.why_not(me, receiver),
    )  # fmt: skip


@bp.post("/requests/<int:request_id>/<any(accept, cancel):action>")
@login_required
def answer(slug, request_id, action):
    event, me = own_registration_or_404(slug, approved=True)
    found = _meeting_request(me, request_id)
    form = SlotForm()
    if form.validate_on_submit():
        try:
            if action == "accept":
                meeting_requests.accept(found, by=current_user, slot=_slot(event, form.slot.data))
            else:
                meeting_requests.cancel(found, by=current_user)
            flash(booking.answered_words(found, action), "success")
        except DomainError as error:
            flash(str(error), "danger")
    else:
        flash_errors(form)
    return redirect(url_for("meetings.requests", slug=slug))


@bp.post("/requests/<int:request_id>/move")
@login_required
def move(slug, request_id):
    event, me = own_registration_or_404(slug, approved=True)
    found = _meeting_request(me, request_id)
    form = SlotForm()
    if form.validate_on_submit() and form.slot.data is not None:
        try:
            meeting_requests.reschedule(found, _slot(event, form.slot.data), by=current_user)
            flash(booking.answered_words(found, "move"), "success")
        except DomainError as error:
            flash(str(error), "danger")
    elif form.errors:
        flash_errors(form)
    else:
        flash(_("Pick the time to move the meeting to."), "danger")
    return redirect(url_for("meetings.requests", slug=slug))


@bp.post("/requests/<int:request_id>/decline")
@login_required
def decline(slug, request_id):
    event, me = own_registration_or_404(slug, approved=True)
    found = _meeting_request(me, request_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            meeting_requests.decline(found, form.reason.data, by=current_user)
            flash(_("Request declined."), "info")
        except DomainError as error:
            flash(str(error), "danger")
    else:
        flash_errors(form)
    return redirect(url_for("meetings.requests", slug=slug))


@bp.get("/matches")
@cached_page()
@login_required
def matches(slug):
    # A pending registration sees a preview of its matches (partners do not see it yet).
    event, me = own_registration_or_404(slug)
    if me.status not in ("approved", "pending"):
        abort(404)
    show = request.args.get("show", "all")
    if show not in ("all", "interested", "mutual", "hidden"):
        show = "all"
    return render_template(
        "meetings/matches.html",
        event=event,
        me=me,
        show=show,
        more=request.args.get("more") == "1",
        rows=matchmaking.suggestions(me, show),
        action_form=ActionForm(),
    )


@bp.post("/matches/<int:partner_id>/<any(interested, not_interested, clear):mark>")
@login_required
def mark(slug, partner_id, mark):
    event, me = own_registration_or_404(slug, approved=True)
    partner = db.session.get(Participant, partner_id)
    if partner is None or partner.event_id != event.id:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            matchmaking.mark_interest(
                me, partner, None if mark == "clear" else mark, by=current_user
            )
        except DomainError as error:
            flash(str(error), "danger")
    return redirect(url_for("meetings.matches", slug=slug, show=request.args.get("show", "all")))
