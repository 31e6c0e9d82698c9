from flask import abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.eventday import bp
from matchmaker.eventday.forms import (
    ActionForm,
    DeskSearchForm,
    HelperForm,
    StatusForm,
    VisitorForm,
)
from matchmaker.eventday.passes import pass_qr
from matchmaker.extensions import db
from matchmaker.i18n.dates import hm
from matchmaker.models import Meeting, Slot, Table, User
from matchmaker.permissions import (
    get_event_or_404,
    in_event_or_404,
    own_meeting_or_404,
    own_registration_or_404,
    staffed_event_or_404,
)
from matchmaker.services import agenda, eventday
from matchmaker.services.errors import DomainError
from matchmaker.webutil import external_url, flash_errors, id_arg, local_path, page_arg

DESK_PAGE_SIZE = 50
# Mails name a participant's pass (agenda published, registration approved).
bp.add_app_template_global(eventday.pass_code, "pass_code")
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
    rehearsal = _rehearsal(event)
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
        rehearsal=rehearsal,
        present=lambda p: eventday.is_present(p, rehearsal),
    )


@bp.post("/manage/<slug>/checkin/<int:participant_id>")
@login_required
def check_in(slug, participant_id):
    event = staffed_event_or_404(slug)
    participant = _participant(event, participant_id)
    rehearsal = _rehearsal(event)
    if ActionForm().validate_on_submit() and rehearsal is not None:
        return _rehearse_check_in(event, participant, True, rehearsal)
    elif ActionForm().validate_on_submit():
        try:
            eventday.check_in(participant, by=current_user)
        except DomainError as error:
            if _wants_json():
                return jsonify(error=str(error)), 409
            flash(str(error), "danger")
        else:
            if _wants_json():
                return _desk_row(event, participant)
            flash(_("%(name)s is checked in.", name=participant.display_name), "success")
    return _back(url_for("eventday.desk", slug=slug))


@bp.post("/manage/<slug>/checkin/<int:participant_id>/undo")
@login_required
def undo_check_in(slug, participant_id):
    event = staffed_event_or_404(slug)
    participant = _participant(event, participant_id)
    rehearsal = _rehearsal(event)
    if ActionForm().validate_on_submit() and rehearsal is not None:
        return _rehearse_check_in(event, participant, False, rehearsal)
    elif ActionForm().validate_on_submit():
        eventday.undo_check_in(participant, by=current_user)
        if _wants_json():
            return _desk_row(event, participant)
        flash(_("%(name)s is no longer checked in.", name=participant.display_name), "info")
    return _back(url_for("eventday.desk", slug=slug))


def _rehearse_check_in(event, participant, present, rehearsal):
    try:
        rehearsal = eventday.rehearse_check_in(participant, present, rehearsal, by=current_user)
        _keep_rehearsal(event, rehearsal)
    except DomainError as error:
        if _wants_json():
            return jsonify(error=str(error)), 409
        flash(str(error), "danger")
    if _wants_json():
        return _desk_row(event, participant, rehearsal)
    return _back(url_for("eventday.desk", slug=event.slug))


@bp.route("/manage/<slug>/checkin/visitor", methods=["GET", "POST"])
@login_required
def add_visitor(slug):
    event = staffed_event_or_404(slug)
    form = VisitorForm()
    if form.validate_on_submit() and _rehearsal(event) is not None:
        flash(_("Rehearsal: %(name)s would be registered and checked in now; nothing was "
                "saved or mailed.", name=form.name.data), "info")  # fmt: skip
        return redirect(url_for("eventday.desk", slug=slug))
    if form.validate_on_submit():
        try:
            participant = eventday.add_visitor(
                event, form.name.data, form.email.data, form.organisation.data,
                form.country.data, by=current_user,
            )  # fmt: skip
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(_("%(name)s is registered and checked in; they can meet walk-ins now.",
                    name=participant.display_name), "success")  # fmt: skip
            return redirect(url_for("eventday.desk", slug=slug, q=participant.organisation.name))
    return render_template("eventday/visitor.html", event=event, form=form,
                           rehearsal=_rehearsal(event))  # fmt: skip


@bp.get("/manage/<slug>/checkin/scan")
@login_required
def scan(slug):
    event = staffed_event_or_404(slug)
    participant = eventday.participant_of_pass(event, request.args.get("code", ""))
    if participant is None:
        flash(_("This is not a check-in pass of this event: search the name instead."), "warning")
        return redirect(url_for("eventday.desk", slug=slug))
    rehearsal = _rehearsal(event)
    meeting = eventday.first_meeting(participant, agenda.published_schedule(event))
    return render_template(
        "eventday/scan.html", event=event, participant=participant, meeting=meeting,
        partner=eventday.partner_of(meeting, participant) if meeting else None,
        rehearsal=rehearsal, present=lambda p: eventday.is_present(p, rehearsal),
        action_form=ActionForm(), local_time=eventday.local_time,
    )  # fmt: skip


@bp.get("/manage/<slug>/badges")
@login_required
def badges(slug):
    event = staffed_event_or_404(slug)
    size = "a4" if request.args.get("size") == "a4" else "a6"
    return render_template(
        "eventday/badges.html", event=event, size=size,
        participants=eventday.desk_list(event, per_page=2000).items, qr=pass_qr,
        code=eventday.pass_code,
    )  # fmt: skip


@bp.get("/events/<slug>/pass/<code>")
def check_in_pass(slug, code):
    event = get_event_or_404(slug)
    participant = eventday.participant_of_pass(event, code)
    if participant is None or participant.status != "approved":
        abort(404)
    return render_template("eventday/pass.html", event=event, participant=participant,
                           qr=pass_qr, code=eventday.pass_code)  # fmt: skip


def _wants_json():
    """The desk's script asks for JSON; without script the browser gets a redirect."""
    return request.accept_mimetypes.best == "application/json"


def _desk_row(event, participant, rehearsal=None):
    """The participant's row and the counts, re-rendered for the desk's script."""
    context = {
        "rehearsal": rehearsal,
        "present": lambda p: eventday.is_present(p, rehearsal),
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


# --- the day: meeting cards per slot or per table, the refill panel, rehearsal --------------


def _rehearsal(event):
    """The rehearsal this browser runs for `event`, or None (kept in the session only)."""
    data = session.get("rehearsals", {}).get(str(event.id))
    return eventday.Rehearsal.load(data) if data is not None else None


def _keep_rehearsal(event, rehearsal):
    rehearsals = dict(session.get("rehearsals", {}))
    if rehearsal is None:
        rehearsals.pop(str(event.id), None)
    else:
        rehearsals[str(event.id)] = rehearsal.as_data()
    session["rehearsals"] = rehearsals


@bp.post("/manage/<slug>/rehearsal")
@login_required
def rehearsal(slug):
    event = staffed_event_or_404(slug)
    if ActionForm().validate_on_submit():
        start = request.form.get("start") == "1"
        _keep_rehearsal(event, eventday.Rehearsal() if start else None)
        flash(_("Rehearsal started: nothing you do is recorded, mailed or counted.")
              if start else _("Rehearsal ended; what was practised is gone."), "info")  # fmt: skip
    return _back(url_for("eventday.day", slug=slug))


def _card_context(event, rehearsal):
    return {
        "event": event,
        "rehearsal": rehearsal,
        "card": lambda meeting: eventday.meeting_card(meeting, rehearsal),
        "status_form": StatusForm(),
        "action_form": ActionForm(),
        "person": eventday.person_name,
    }


@bp.get("/manage/<slug>/day")
@login_required
def day(slug):
    event = staffed_event_or_404(slug)
    slot_id = id_arg(request.args, "slot") if "slot" in request.args else None
    if slot_id == 0:
        abort(404)
    slot = in_event_or_404(Slot, event, slot_id) if slot_id else eventday.current_slot(event)
    schedule = agenda.published_schedule(event)
    rehearsal = _rehearsal(event)
    context = {**_card_context(event, rehearsal), "slot": slot, "schedule": schedule}
    if schedule is not None and slot is not None:
        context.update(
            meetings=eventday.slot_meetings(schedule, slot),
            **_refill_context(event, schedule, slot, rehearsal),
        )
    return render_template("eventday/day.html", **context)


def _refill_context(event, schedule, slot, rehearsal):
    everyone = request.values.get("everyone") == "1"
    free, refill = eventday.refill_panel(schedule, slot, everyone=everyone, rehearsal=rehearsal)
    return {
        "slot": slot,
        "free": free,
        "refill": refill,
        "everyone": everyone,
        "tables": eventday.free_tables(schedule, slot),
        "free_shown": FREE_SHOWN,
        "present": lambda p: eventday.is_present(p, rehearsal),
        "label": lambda m: eventday.status_label(m, rehearsal.status_of(m) if rehearsal else None),
    }


@bp.get("/manage/<slug>/day/tables/<int:table_id>")
@login_required
def table_day(slug, table_id):
    event = staffed_event_or_404(slug)
    table = in_event_or_404(Table, event, table_id)
    schedule = agenda.published_schedule(event)
    slot = eventday.current_slot(event)
    days = sorted({s.starts_at.date() for s in event.slots})
    wanted = request.args.get("date", "")
    day = next(
        (d for d in days if d.isoformat() == wanted), slot.starts_at.date() if slot else None
    )
    meetings = eventday.table_meetings(schedule, table, day) if schedule and day else []
    return render_template(
        "eventday/table.html", **_card_context(event, _rehearsal(event)), table=table,
        schedule=schedule, day=day, days=days, meetings=meetings, tables=event.tables,
    )  # fmt: skip


@bp.post("/manage/<slug>/day/meetings/<int:meeting_id>/status")
@login_required
def meeting_status(slug, meeting_id):
    event = staffed_event_or_404(slug)
    meeting = in_event_or_404(Meeting, event, meeting_id)
    form, rehearsal, error = StatusForm(), _rehearsal(event), None
    if form.validate_on_submit():
        try:
            if rehearsal is not None:
                rehearsal = eventday.rehearse_status(
                    meeting, form.status.data, rehearsal, by=current_user
                )
                _keep_rehearsal(event, rehearsal)
            else:
                eventday.set_meeting_status(meeting, form.status.data, by=current_user)
        except DomainError as failure:
            error = str(failure)
    else:
        error = _("This form is out of date; reload the page and try again.")
    if _wants_json():
        return _card_json(event, meeting, rehearsal, error)
    if error:
        flash(error, "danger")
    else:
        label = eventday.meeting_card(meeting, rehearsal).label
        flash(_("Meeting %(code)s: %(status)s (rehearsal, not recorded).", code=meeting.code,
                status=label) if rehearsal
              else _("Meeting %(code)s: %(status)s.", code=meeting.code, status=label),
              "success")  # fmt: skip
    default = url_for("eventday.day", slug=slug, slot=meeting.slot_id)
    return redirect((local_path(request.form.get("back")) or default) + f"#meeting-{meeting.id}")


def _card_json(event, meeting, rehearsal, error):
    """The meeting's card and the slot's refill panel, re-rendered for the day page's script."""
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    context = {
        **_card_context(event, rehearsal),
        "back": local_path(request.form.get("back")),
        "with_refill": request.form.get("refill", "0"),
    }
    data = {"card": render_template("eventday/_card.html", meeting=meeting, **context)}
    schedule = agenda.published_schedule(event)
    if schedule is not None and request.form.get("refill") == "1":
        slot = db.session.get(Slot, meeting.slot_id)
        context.update(_refill_context(event, schedule, slot, rehearsal))
        data["refill"] = render_template("eventday/_refill.html", **context)
    if error:
        data["error"] = error
    return jsonify(data), (409 if error else 200)


@bp.route("/manage/<slug>/day/<int:slot_id>/walk-in/<int:first_id>/<int:second_id>",
          methods=["GET", "POST"])  # fmt: skip
@login_required
def staff_walk_in(slug, slot_id, first_id, second_id):
    event = staffed_event_or_404(slug)
    slot = in_event_or_404(Slot, event, slot_id)
    a, b = _participant(event, first_id), _participant(event, second_id)
    schedule = agenda.published_schedule(event) or abort(404)
    back = url_for("eventday.day", slug=slug, slot=slot.id)
    if ActionForm().validate_on_submit() and _rehearsal(event) is not None:
        flash(_("Rehearsal: the walk-in of %(first)s and %(second)s would be booked now; "
                "nothing was booked or mailed.", first=a.organisation.name,
                second=b.organisation.name), "info")  # fmt: skip
        return redirect(back)
    if ActionForm().validate_on_submit():
        try:
            meeting = eventday.book_walk_in(schedule, slot, a, b, by=current_user)
            flash(_("Walk-in booked: %(first)s and %(second)s at %(table)s, code %(code)s.",
                    first=a.organisation.name, second=b.organisation.name,
                    table=meeting.table.label, code=meeting.code), "success")  # fmt: skip
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
            user, invited = eventday.invite_helper(
                event, form.email.data, form.name.data, by=current_user,
                link_for=lambda token: external_url("auth.reset_password", token=token),
            )  # fmt: skip
            flash(_("%(name)s now helps at this event (check-in desk, meetings, table sheets "
                    "and door list); an email invites them to choose a password.", name=user.name)
                  if invited else
                  _("%(name)s now helps at this event (check-in desk, meetings, table sheets and "
                    "door list); an email tells them so.", name=user.name), "success")  # fmt: skip
        except DomainError as error:
            flash(str(error), "danger")
    else:
        flash(_("Give the helper's email address."), "danger")
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
        flash(_("%(name)s no longer helps at this event.", name=user.name), "info")
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
            flash(_("Thank you: the meeting is confirmed as held."), "success")
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
        flash(_("At this event the organizers book walk-in meetings at the desk."), "info")
        return redirect(back)
    if ActionForm().validate_on_submit():
        try:
            meeting = eventday.book_walk_in(schedule, slot, me, partner, by=current_user)
            flash(_("Walk-in booked with %(organisation)s at %(table)s (%(time)s). You both "
                    "got an email.", organisation=partner.organisation.name,
                    table=meeting.table.label, time=hm(slot.starts_at)), "success")  # fmt: skip
            return redirect(url_for("agenda.mine", slug=slug))
        except DomainError as error:
            flash(str(error), "danger")
    return _walk_in_page(event, schedule, slot, me, partner, back, mine=me)
