from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from matchmaker.events import bp
from matchmaker.events.forms import (
    ConfirmForm,
    JoinForm,
    OpportunityForm,
    RegistrationForm,
    StartFromLastForm,
)
from matchmaker.extensions import db
from matchmaker.models import Opportunity, Participant, ParticipantGroup
from matchmaker.pagecache import cached_page
from matchmaker.partners import invitations
from matchmaker.permissions import get_event_or_404, own_registration_or_404, participant_of
from matchmaker.services import history, registration
from matchmaker.services.errors import DomainError


def _registration(slug, participant_id):
    """The event and the registration being managed: one's own (participant_id None), or
    any of the event's when the current user organizes it. Anything else is 404."""
    if participant_id is None:
        return own_registration_or_404(slug)
    event = get_event_or_404(slug)
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.event_id != event.id:
        abort(404)
    if not event.is_organized_by(current_user):
        abort(404)
    return event, participant


def _back(event, participant_id):
    return redirect(url_for("events.dashboard", slug=event.slug, participant_id=participant_id))


def _opportunity(participant, opportunity_id):
    opportunity = db.session.get(Opportunity, opportunity_id)
    if opportunity is None or opportunity.participant_id != participant.id:
        abort(404)
    return opportunity


@bp.route("/register", methods=["GET", "POST"])
@login_required
def register(slug):
    event = get_event_or_404(slug)
    existing = participant_of(event, current_user)
    if existing and existing.status != "withdrawn":
        return redirect(url_for("events.dashboard", slug=slug))
    if current_user.organisation is None:
        flash(
            _("First tell us about your organisation: you fill this in once for all events."),
            "info",
        )
        return redirect(url_for("profiles.organisation", next=request.path))
    source = history.last_registration(current_user.organisation, event)
    form = StartFromLastForm().naming(source) if source else JoinForm()
    form.fill(event)
    start = source is not None and form.start_from.data
    partner = invitations.partner_for(event)  # the partner link the visitor followed, if any
    if form.validate_on_submit():
        group = db.session.get(ParticipantGroup, form.group_id()) if form.group_id() else None
        try:
            registration.register(
                event, current_user, form.looking_for.data, form.max_meetings.data,
                suggestion_limit=form.limit(), group=group, start_from_last=start,
                partner=partner, attendance=form.attendance_choice(),
            )  # fmt: skip
        except DomainError as error:
            flash(str(error), "danger")
        else:
            invitations.forget()
            flash(
                _("You are registered, with your offers and needs from %(event)s: check and "
                  "edit them for this event.", event=source.event.title) if start
                else _("You are registered. Now add what you offer and what you need."),
                "success",
            )  # fmt: skip
            return redirect(url_for("events.dashboard", slug=slug))
    return render_template(
        "events/register.html", event=event, form=form, source=source, partner=partner
    )


@bp.get("/me")
@bp.get("/registrations/<int:participant_id>")
@cached_page()
@login_required
def dashboard(slug, participant_id=None):
    event, participant = _registration(slug, participant_id)
    return render_template(
        "events/dashboard.html",
        event=event,
        participant=participant,
        on_behalf=participant_id is not None,
        steps=registration.next_steps(participant),
        delete_form=ConfirmForm(),
        source=None if participant.opportunities else history.last_registration(
            participant.organisation, event
        ),
    )  # fmt: skip


@bp.route("/me/details", methods=["GET", "POST"])
@bp.route("/registrations/<int:participant_id>/details", methods=["GET", "POST"])
@login_required
def details(slug, participant_id=None):
    event, participant = _registration(slug, participant_id)
    form = RegistrationForm(obj=participant).fill(event, participant)
    if form.validate_on_submit():
        try:
            registration.update_registration(
                participant, form.looking_for.data, form.max_meetings.data, by=current_user,
                suggestion_limit=form.limit(), attendance=form.attendance_choice(),
            )  # fmt: skip
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(_("Registration saved."), "success")
            return _back(event, participant_id)
    return render_template("events/details.html", event=event, participant=participant, form=form)


@bp.route("/me/opportunities/new", methods=["GET", "POST"])
@bp.route("/me/opportunities/<int:opportunity_id>", methods=["GET", "POST"])
@bp.route("/registrations/<int:participant_id>/opportunities/new", methods=["GET", "POST"])
@bp.route(
    "/registrations/<int:participant_id>/opportunities/<int:opportunity_id>",
    methods=["GET", "POST"],
)
@login_required
def opportunity(slug, participant_id=None, opportunity_id=None):
    event, participant = _registration(slug, participant_id)
    existing = _opportunity(participant, opportunity_id) if opportunity_id else None
    form = OpportunityForm(obj=existing)
    if form.validate_on_submit():
        try:
            registration.save_opportunity(
                participant, form.opportunity_data(), by=current_user, opportunity=existing
            )
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(_("Saved “%(title)s”.", title=form.title.data), "success")
            return _back(event, participant_id)
    return render_template(
        "events/opportunity.html",
        event=event,
        participant=participant,
        form=form,
        opportunity=existing,
    )


@bp.post("/me/opportunities/start-from-last")
@login_required
def start_from_last(slug):
    event, participant = _registration(slug, None)
    if ConfirmForm().validate_on_submit():
        try:
            source = registration.start_from_last(participant, by=current_user)
        except DomainError as error:
            flash(str(error), "warning")
        else:
            count = len(source.opportunities)
            flash(
                ngettext(
                    "Copied %(num)d offer or need from %(event)s: check and edit it for this "
                    "event.",
                    "Copied %(num)d offers and needs from %(event)s: check and edit them for "
                    "this event.",
                    count,
                    event=source.event.title,
                ),
                "success",
            )
    return _back(event, None)


@bp.post("/me/opportunities/<int:opportunity_id>/delete")
@bp.post("/registrations/<int:participant_id>/opportunities/<int:opportunity_id>/delete")
@login_required
def delete_opportunity(slug, opportunity_id, participant_id=None):
    event, participant = _registration(slug, participant_id)
    opportunity = _opportunity(participant, opportunity_id)
    if ConfirmForm().validate_on_submit():
        try:
            registration.remove_opportunity(participant, opportunity, by=current_user)
            flash(_("Removed “%(title)s”.", title=opportunity.title), "info")
        except DomainError as error:
            flash(str(error), "danger")
    return _back(event, participant_id)


@bp.route("/me/availability", methods=["GET", "POST"])
@bp.route("/registrations/<int:participant_id>/availability", methods=["GET", "POST"])
@login_required
def availability(slug, participant_id=None):
    event, participant = _registration(slug, participant_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        chosen = request.form.getlist("slot", type=int)
        try:
            registration.set_availability(participant, chosen, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(
                _(
                    "Availability saved: free in %(free)d of %(total)d slots.",
                    free=len(chosen),
                    total=len(event.slots),
                ),
                "success",
            )
            return _back(event, participant_id)
    unavailable = {slot.id for slot in participant.unavailable}
    days = {}
    for slot in event.slots:
        days.setdefault(slot.day, []).append(slot)
    return render_template(
        "events/availability.html",
        event=event,
        participant=participant,
        form=form,
        days=days,
        unavailable=unavailable,
    )


@bp.route("/me/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(slug):
    event, participant = _registration(slug, None)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            registration.withdraw(participant, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
            return _back(event, None)
        flash(_("You have withdrawn from %(event)s.", event=event.title), "info")
        return redirect(url_for("main.dashboard"))
    return render_template("events/withdraw.html", event=event, participant=participant, form=form)
