from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from matchmaker.eventday import bp
from matchmaker.eventday.forms import ActionForm, DeskSearchForm, HelperForm, StatusForm
from matchmaker.extensions import db
from matchmaker.models import Meeting, Slot, User
from matchmaker.permissions import (
    get_event_or_404,
    in_event_or_404,
    own_meeting_or_404,
    own_registration_or_404,
    staffed_event_or_404,
)
from matchmaker.services import agenda, eventday
from matchmaker.services.errors import DomainError
from matchmaker.webutil import flash_errors, id_arg, local_path, page_arg

DESK_PAGE_SIZE = 50
FREE_SHOWN = 100


def _participant(event, participant_id):
    return eventday.participant_in(event, participant_id) or abort(404)


def _back(default):
    return redirect(local_path(request.form.get("back")) or default)


# --- check-in desk ---------------------------------------------------------------------------


@bp.get("/manage/<slug>/checkin")
@login_required
def desk(slug):
    event = staffed_event_or_404(slug)
    form = DeskSearchForm(request.args)
    valid = form.validate()  # an invalid search (a control character, say) shows everyone
    if not valid:
        flash_errors(form)
    page = eventday.desk_list(
        event,
        q=(form.q.data or "") if valid else "",
        show=(form.show.data or "all") if valid else "all",
        page=page_arg(request.args),
        per_page=DESK_PAGE_SIZE,
    )
    return render_template(
        "eventday/desk.html",
        event=event,
        form=form,
        participants=page,
        counts=eventday.desk_counts(event),
        action_form=ActionForm(),
        local_time=eventday.local_time,
    )


@bp.post("/manage/<slug>/checkin/<int:participant_id>")
@login_required
def check_in(slug, participant_id):
    event = staffed_event_or_404(slug)
    participant = _participant(event, participant_id)
    if ActionForm().validate_on_submit():
        try:
            eventday.check_in(participant, by=current_user)
        except DomainError as error:
            if _wants_json():
                return jsonify(error=str(error)), 409
            flash(str(error), "danger")
        else:
            if _wants_json():
                return _desk_row(event, participant)
            flash(f"{participant.display_name} is checked in.", "success")
    return _back(url_for("eventday.desk", slug=slug))


@bp.post("/manage/<slug>/checkin/<int:participant_id>/undo")
@login_required
def undo_check_in(slug, participant_id):
    event = staffed_event_or_404(slug)
    participant = _participant(event, participant_id)
    if ActionForm().validate_on_submit():
        eventday.undo_check_in(participant, by=current_user)
        if _wants_json():
            return _desk_row(event, participant)
        flash(f"{participant.display_name} is no longer checked in.", "info")
    return _back(url_for("eventday.desk", slug=slug))


def _wants_json():
    """The desk's script asks for JSON; without script the browser gets a redirect."""
    return request.accept_mimetypes.best == "application/json"


def _desk_row(event, participant):
    """The participant's row and the counts, re-rendered for the desk's script."""
    context = {
        "event": event,
        "participant": participant,
        "action_form": ActionForm(),
        "local_time": eventday.local_time,
        "back": local_path(request.form.get("back")) or url_for("eventday.desk", slug=event.slug),
        "counts": eventday.desk_counts(event),
    }
    return jsonify(
        row=render_template("eventday/_desk_row.html", **context),
        counts=render_template("eventday/_desk_counts.html", **context),
    )


# --- the day: meetings of a slot and the refill panel ----------------------------------------


@bp.get("/manage/<slug>/day")
@login_required
def day(slug):
    event = staffed_event_or_404(slug)
    slot_id = id_arg(request.args, "slot") if "slot" in request.args else None
    if slot_id == 0:
        abort(404)
    slot = in_event_or_404(Slot, event, slot_id) if slot_id else eventday.current_slot(event)
    schedule = agenda.published_schedule(event)
    context = {"event": event, "slot": slot, "schedule": schedule, "action_form": ActionForm()}
    if schedule is not None and slot is not None:
        free, refill = eventday.refill_panel(schedule, slot)
        context.update(
            meetings=eventday.slot_meetings(schedule, slot),
            free=free,
            refill=refill,
            tables=eventday.free_tables(schedule, slot),
            status_form=StatusForm(),
            moves=eventday.allowed_moves,
            label=eventday.status_label,
            free_shown=FREE_SHOWN,
        )
    return render_template("eventday/day.html", **context)


@bp.post("/manage/<slug>/day/meetings/<int:meeting_id>/status")
@login_required
def meeting_status(slug, meeting_id):
    event = staffed_event_or_404(slug)
    meeting = in_event_or_404(Meeting, event, meeting_id)
    slot_id = meeting.slot_id
    form = StatusForm()
    if form.validate_on_submit():
        try:
            eventday.set_meeting_status(meeting, form.status.data, by=current_user)
            flash(f"Meeting {meeting.code}: {eventday.status_label(meeting)}.", "success")
        except DomainError as error:
            flash(str(error), "danger")
    else:
        flash_errors(form)
    return redirect(url_for("eventday.day", slug=slug, slot=slot_id))


@bp.route("/manage/<slug>/day/<int:slot_id>/walk-in/<int:first_id>/<int:second_id>",
          methods=["GET", "POST"])  # fmt: skip
@login_required
def staff_walk_in(slug, slot_id, first_id, second_id):
    event = staffed_event_or_404(slug)
    slot = in_event_or_404(Slot, event, slot_id)
    a, b = _participant(event, first_id), _participant(event, second_id)
    schedule = agenda.published_schedule(event) or abort(404)
    back = url_for("eventday.day", slug=slug, slot=slot.id)
    if ActionForm().validate_on_submit():
        try:
            meeting = eventday.book_walk_in(schedule, slot, a, b, by=current_user)
            flash(f"Walk-in booked: {a.organisation.name} and {b.organisation.name} at "
                  f"{meeting.table.label}, code {meeting.code}.", "success")  # fmt: skip
            return redirect(back)
        except DomainError as error:
            flash(str(error), "danger")
    return _walk_in_page(event, schedule, slot, a, b, back)


def _walk_in_page(event, schedule, slot, a, b, back, mine=None):
    tables = eventday.free_tables(schedule, slot)
    return render_template(
        "eventday/walk_in.html",
        event=event,
        slot=slot,
        a=a,
        b=b,
        mine=mine,
        table=tables[0] if tables else None,
        problems=eventday.walk_in_problems(schedule, slot, a, b),
        back=back,
        action_form=ActionForm(),
    )


# --- helpers ---------------------------------------------------------------------------------


@bp.post("/manage/<slug>/helpers")
@login_required
def add_helper(slug):
    event = get_event_or_404(slug, manage=True)
    form = HelperForm()
    if form.validate_on_submit():
        try:
            user = eventday.add_helper(event, form.email.data, by=current_user)
            flash(f"{user.name} now helps at this event (check-in desk and meetings).", "success")
        except DomainError as error:
            flash(str(error), "danger")
    else:
        flash("Give the email of an existing account.", "danger")
    return redirect(url_for("organizer.overview", slug=slug))


@bp.post("/manage/<slug>/helpers/<int:user_id>/remove")
@login_required
def remove_helper(slug, user_id):
    event = get_event_or_404(slug, manage=True)
    user = db.session.get(User, user_id)
    if user is None or user not in event.helpers:
        abort(404)
    if ActionForm().validate_on_submit():
        eventday.remove_helper(event, user, by=current_user)
        flash(f"{user.name} no longer helps at this event.", "info")
    return redirect(url_for("organizer.overview", slug=slug))


# --- participants ----------------------------------------------------------------------------


@bp.post("/events/<slug>/agenda/meetings/<int:meeting_id>/held")
@login_required
def confirm_held(slug, meeting_id):
    event, me = own_registration_or_404(slug, approved=True)
    meeting = own_meeting_or_404(event, me, meeting_id)
    if ActionForm().validate_on_submit():
        try:
            eventday.participant_confirm_held(me, meeting)
            flash("Thank you: the meeting is confirmed as held.", "success")
        except DomainError as error:
            flash(str(error), "danger")
    return redirect(url_for("agenda.mine", slug=slug))


@bp.get("/events/<slug>/walk-ins")
@login_required
def walk_ins(slug):
    event, me = own_registration_or_404(slug, approved=True)
    schedule = agenda.published_schedule(event)
    context = {"event": event, "me": me, "schedule": schedule}
    if event.participant_walk_ins and schedule is not None:
        slots = eventday.free_slots_of(me, schedule)
        wanted = request.args.get("slot", type=int)
        slot = next((s for s in slots if s.id == wanted), slots[0] if slots else None)
        context.update(slots=slots, slot=slot)
        if slot is not None:
            ranked, others = eventday.walk_in_partners(me, schedule, slot, limit=20)
            context.update(ranked=ranked, others=others)
    return render_template("eventday/walk_ins.html", **context)


@bp.route("/events/<slug>/walk-ins/<int:slot_id>/<int:partner_id>", methods=["GET", "POST"])
@login_required
def book_walk_in(slug, slot_id, partner_id):
    event, me = own_registration_or_404(slug, approved=True)
    slot = in_event_or_404(Slot, event, slot_id)
    partner = _participant(event, partner_id)
    if partner.status != "approved" or partner.id == me.id:
        abort(404)
    schedule = agenda.published_schedule(event)
    back = url_for("eventday.walk_ins", slug=slug, slot=slot.id)
    if schedule is None or not event.participant_walk_ins:
        flash("At this event the organizers book walk-in meetings at the desk.", "info")
        return redirect(back)
    if ActionForm().validate_on_submit():
        try:
            meeting = eventday.book_walk_in(schedule, slot, me, partner, by=current_user)
            flash(f"Walk-in booked with {partner.organisation.name} at {meeting.table.label} "
                  f"({slot.starts_at:%H:%M}). You both got an email.", "success")  # fmt: skip
            return redirect(url_for("agenda.mine", slug=slug))
        except DomainError as error:
            flash(str(error), "danger")
    return _walk_in_page(event, schedule, slot, me, partner, back, mine=me)
