from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.agenda import bp
from matchmaker.eventday.passes import pass_qr
from matchmaker.pagecache import cached_page
from matchmaker.permissions import (
    get_event_or_404,
    own_meeting_or_404,
    own_registration_or_404,
    staffed_event_or_404,
)
from matchmaker.services import agenda, calendar, eventday, suggestions
from matchmaker.services.errors import DomainError
from matchmaker.services.mail import recipient_locale
from matchmaker.webutil import MAX_ID, SafeForm


def _ics(event, participant, disposition):
    # A subscribed calendar app sends no session: the feed speaks the participant's language.
    with force_locale(recipient_locale(participant.user.email) if participant.user else "en"):
        body = calendar.agenda_calendar(event, agenda.personal_agenda(participant))
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'{disposition}; filename="{event.slug}-agenda.ics"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _schedule(event):
    """The schedule an organizer document shows: `?schedule=<id>` of this event, else the
    published one (None when nothing is published). Helpers see the published one only: a
    draft is the organizers' work in progress."""
    schedule_id = request.args.get("schedule", type=int)
    if schedule_id is not None and not event.is_organized_by(current_user):
        abort(404)
    if schedule_id is not None and not 0 < schedule_id <= MAX_ID:
        abort(404)  # beyond what the database holds: it would raise, not find nothing
    schedule = agenda.schedule_for(event, schedule_id)
    if schedule_id is not None and schedule is None:
        abort(404)
    return schedule


def _versions(event):
    """The versions an organizer may switch between on a document; none for helpers."""
    return agenda.schedules_of(event) if event.is_organized_by(current_user) else []


@bp.get("/agenda")
@cached_page()
@login_required
def mine(slug):
    event, me = own_registration_or_404(slug, approved=True)
    token = agenda.feed_token(me)
    personal = agenda.personal_agenda(me)
    return render_template(
        "agenda/mine.html",
        event=event,
        agenda=personal,
        confirmable=eventday.confirmable_ids(me, personal.schedule),
        declinable=suggestions.declinable_ids(me, personal.schedule),
        feed_url=url_for("agenda.ics_feed", slug=slug, token=token, _external=True),
        pass_qr=pass_qr(me),
        pass_code=eventday.pass_code(me),
        pass_url=url_for("eventday.check_in_pass", slug=slug, code=eventday.pass_code(me)),
    )


@bp.post("/agenda/calendar-address")
@login_required
def new_calendar_address(slug):
    event, me = own_registration_or_404(slug, approved=True)
    if SafeForm().validate_on_submit():  # the CSRF token: a button, no fields
        agenda.new_feed_token(me, by=current_user)
        flash(
            _(
                "Your calendar has a new private address; the old one no longer works. Find it "
                "under “Subscribe in your calendar” below and subscribe to it in your calendar "
                "app."
            ),
            "success",
        )
    return redirect(url_for("agenda.mine", slug=slug))


@bp.post("/agenda/meetings/<int:meeting_id>/decline")
@login_required
def decline_suggestion(slug, meeting_id):
    event, me = own_registration_or_404(slug, approved=True)
    meeting = own_meeting_or_404(event, me, meeting_id)
    if SafeForm().validate_on_submit():
        try:
            partner = suggestions.decline(meeting, me, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(
                _(
                    "You declined the meeting with %(organisation)s: the slot is free again and "
                    "they are told. They will not be suggested to you again.",
                    organisation=partner.organisation.name,
                ),
                "success",
            )
    return redirect(url_for("agenda.mine", slug=slug))


@bp.get("/agenda/print")
@login_required
def print_mine(slug):
    event, me = own_registration_or_404(slug, approved=True)
    return render_template("agenda/print.html", event=event, agenda=agenda.personal_agenda(me))


@bp.get("/agenda.ics")
@login_required
def ics_mine(slug):
    event, me = own_registration_or_404(slug, approved=True)
    return _ics(event, me, "attachment")


@bp.get("/calendar/<token>.ics")
def ics_feed(slug, token):
    event = get_event_or_404(slug)
    participant = agenda.participant_for_feed_token(event, token) or abort(404)
    return _ics(event, participant, "inline")


@bp.get("/agenda/tables")
@login_required
def table_sheets(slug):
    event = staffed_event_or_404(slug)  # helpers need them at the tables
    schedule = _schedule(event)
    return render_template(
        "agenda/tables.html",
        event=event,
        schedule=schedule,
        versions=_versions(event),
        sheets=agenda.table_sheets(schedule) if schedule else [],
    )


@bp.get("/agenda/doors")
@login_required
def door_list(slug):
    event = staffed_event_or_404(slug)  # and at the door
    schedule = _schedule(event)
    return render_template(
        "agenda/doors.html",
        event=event,
        schedule=schedule,
        versions=_versions(event),
        slots=agenda.door_list(schedule) if schedule else [],
    )
