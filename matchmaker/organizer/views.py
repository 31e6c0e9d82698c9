from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.extensions import db
from matchmaker.models import STATUS_MOVES, Participant
from matchmaker.organizer import bp
from matchmaker.organizer.forms import (
    ActionForm,
    EventForm,
    MatchingOptionsForm,
    OrganizerForm,
    ParticipantFilterForm,
    StatusForm,
)
from matchmaker.permissions import get_event_or_404, role_required
from matchmaker.services import (
    events,
    groups,
    history,
    jobs,
    mail,
    matchmaking,
    membership,
    queries,
    registration,
)
from matchmaker.services.errors import DomainError
from matchmaker.services.events import NeedsConfirmation
from matchmaker.services.networks import network_choices
from matchmaker.webutil import flash_errors, local_path, page_arg


def _render_event_form(form, event=None, preview=None, warning=None):
    return render_template(
        "organizer/event_form.html", form=form, event=event, preview=preview, warning=warning
    )


def _preview(form):
    """Slots per day for the form's current rows, or None with errors on the form."""
    try:
        times = events.preview_slots(
            [_Window(*row) for row in form.session_rows()],
            [_Window(*row) for row in form.break_rows()],
            form.meeting_minutes.data,
            form.gap_minutes.data or 0,
        )
    except ValueError as error:
        form.meeting_minutes.errors.append(str(error))
        return None
    days = {}
    for slot in times:
        days.setdefault(slot.day, []).append(slot)
    return days


class _Window:
    def __init__(self, day, start, end, title=""):
        self.day, self.start, self.end, self.title = day, start, end, title


@bp.route("/events/new", methods=["GET", "POST"])
@role_required("organizer")
def new_event():
    form = EventForm()
    form.network_id.choices = network_choices(current_user)
    if not form.validate_on_submit():
        return _render_event_form(form)
    if form.preview.data:
        return _render_event_form(form, preview=_preview(form))
    try:
        event = events.create_event(
            form.event_data(), form.session_rows(), form.break_rows(), by=current_user
        )
    except DomainError as error:
        flash(str(error), "danger")
        return _render_event_form(form)
    flash(
        _(
            "Event “%(title)s” created as a draft with %(slots)s slots.",
            title=event.title,
            slots=len(event.slots),
        ),
        "success",
    )
    return redirect(url_for("organizer.overview", slug=event.slug))


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_event(slug):
    event = get_event_or_404(slug, manage=True)
    form = EventForm(obj=event)
    form.network_id.choices = network_choices(current_user, event)
    if request.method == "GET":
        form.load(event)
    if not form.validate_on_submit():
        return _render_event_form(form, event)
    if form.preview.data:
        return _render_event_form(form, event, preview=_preview(form))
    data = form.event_data()
    data.pop("slug")
    try:
        changes = events.update_event(
            event,
            data,
            form.session_rows(),
            form.break_rows(),
            by=current_user,
            confirm_token=form.confirm.data,
        )
    except NeedsConfirmation as pending:
        form.confirm.data = pending.changes.token
        return _render_event_form(form, event, warning=str(pending))
    except DomainError as error:
        flash(str(error), "danger")
        return _render_event_form(form, event)
    flash(_("Event saved. %(changes)s", changes=changes.describe()), "success")
    return redirect(url_for("organizer.overview", slug=event.slug))


@bp.get("/<slug>")
@login_required
def overview(slug):
    event = get_event_or_404(slug, manage=True)
    return render_template(
        "organizer/overview.html",
        event=event,
        counts=queries.status_counts(event),
        mail_failures=mail.failures_for(event),
        moves=sorted(STATUS_MOVES[event.status]),
        status_form=StatusForm(),
        organizer_form=OrganizerForm(),
        action_form=ActionForm(),
    )


@bp.post("/<slug>/status")
@login_required
def change_status(slug):
    event = get_event_or_404(slug, manage=True)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            events.move_status(event, form.status.data, by=current_user)
            flash(_("The event is now: %(status)s.", status=event.status_label), "success")
        except DomainError as error:
            flash(str(error), "danger")
    else:
        flash_errors(form)
    return redirect(url_for("organizer.overview", slug=slug))


@bp.post("/<slug>/organizers")
@login_required
def add_organizer(slug):
    event = get_event_or_404(slug, manage=True)
    form = OrganizerForm()
    if form.validate_on_submit():
        try:
            user = events.add_organizer(event, form.email.data, by=current_user)
            flash(_("%(name)s now co-organizes this event.", name=user.name), "success")
        except DomainError as error:
            flash(str(error), "danger")
    else:
        flash_errors(form)
    return redirect(url_for("organizer.overview", slug=slug))


@bp.post("/<slug>/organizers/<int:user_id>/remove")
@login_required
def remove_organizer(slug, user_id):
    event = get_event_or_404(slug, manage=True)
    user = next((u for u in event.organizers if u.id == user_id), None) or abort(404)
    if ActionForm().validate_on_submit():
        try:
            events.remove_organizer(event, user, by=current_user)
            flash(_("%(name)s no longer organizes this event.", name=user.name), "info")
        except DomainError as error:
            flash(str(error), "danger")
    return redirect(url_for("organizer.overview", slug=slug))


@bp.get("/<slug>/participants")
@login_required
def participants(slug):
    event = get_event_or_404(slug, manage=True)
    form = ParticipantFilterForm(request.args)
    form.validate()
    valid = {name: form[name].data or "" for name in ("q", "status", "country")}
    valid = {name: value for name, value in valid.items() if not form[name].errors}
    page = queries.event_participants(
        event,
        **valid,
        # Clamped so an edited URL cannot ask the database for an out-of-range offset.
        page=page_arg(request.args),
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "organizer/participants.html",
        event=event,
        form=form,
        participants=page,
        action_form=ActionForm(),
        join_requests=membership.requests_for_organizers(event),
        groups=[group for group, _ in groups.groups_of(event)],
        countries=groups.countries_of(event),
    )


@bp.post("/<slug>/participants/<int:participant_id>/<any(approved, rejected):status>")
@login_required
def decide(slug, participant_id, status):
    event = get_event_or_404(slug, manage=True)
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.event_id != event.id:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            registration.set_status(participant, status, by=current_user)
            flash(f"{participant.organisation.name}: {participant.status_label}.", "success")
        except DomainError as error:
            flash(str(error), "danger")
    return redirect(
        local_path(request.form.get("back")) or url_for("organizer.participants", slug=slug)
    )


@bp.route("/<slug>/matching", methods=["GET", "POST"])
@login_required
def matching(slug):
    event = get_event_or_404(slug, manage=True)
    form = MatchingOptionsForm(
        obj=event,
        excluded_type_pairs=["|".join(pair) for pair in event.excluded_type_pairs or []],
    )
    if event.network_id is None:  # no earlier events to remember
        del form.met_before_policy
    if form.validate_on_submit():
        matchmaking.set_options(
            event, float(form.cross_border_bonus.data or 0), form.pairs(), by=current_user,
            met_before_policy=form.met_before_policy.data if event.network_id else None,
        )  # fmt: skip
        flash(_("Matching options saved. Run matching to apply them."), "success")
        return redirect(url_for("organizer.matching", slug=slug))
    return render_template(
        "organizer/matching.html",
        event=event,
        form=form,
        run_form=ActionForm(),
        health=matchmaking.health(event),
        met_before=history.summary(event) if event.network_id else None,
    )


@bp.post("/<slug>/matching/run")
@login_required
def run_matching(slug):
    event = get_event_or_404(slug, manage=True)
    if ActionForm().validate_on_submit():
        try:
            job = jobs.start(event, "matching", matchmaking.compute_task, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            return redirect(url_for("organizer.job", slug=slug, job_id=job.id))
    return redirect(url_for("organizer.matching", slug=slug))
