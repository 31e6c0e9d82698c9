"""Organizer views of the agenda: generate, inspect, edit by hand, publish."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.extensions import db
from matchmaker.models import Meeting, Participant, Schedule, Slot, Table
from matchmaker.organizer import bp
from matchmaker.organizer.schedule_forms import (
    ActionForm,
    GenerateForm,
    MoveForm,
    PlaceForm,
    PlannerForm,
    SuggestionSettingsForm,
    SwapForm,
)
from matchmaker.permissions import get_event_or_404, in_event_or_404
from matchmaker.services import (
    exports,
    group_placement,
    jobs,
    planner,
    schedule_report,
    schedules,
    suggestions,
)
from matchmaker.services.errors import DomainError
from matchmaker.webutil import download, flash_errors, id_arg, options


def _version(slug, version):
    event = get_event_or_404(slug, manage=True)
    schedule = db.session.scalar(
        sa.select(Schedule).where(Schedule.event_id == event.id, Schedule.version == version)
    )
    return event, schedule or abort(404)


def _meeting(schedule, meeting_id):
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.schedule_id != schedule.id:
        abort(404)
    return meeting


def _refusal(what, error):
    """'Move refused: reason', or, with several reasons, each on its own line."""
    reasons = str(error)
    return f"{what}:{chr(10) if chr(10) in reasons else ' '}{reasons}"


def _back(event, schedule):
    return redirect(
        url_for("organizer.schedule_version", slug=event.slug, version=schedule.version)
    )


@bp.route("/<slug>/schedule", methods=["GET", "POST"])
@login_required
def schedule(slug):
    event = get_event_or_404(slug, manage=True)
    form = GenerateForm()
    if form.validate_on_submit():
        try:
            job = jobs.start(
                event, "schedule", schedules.generate_task, by=current_user,
                min_meetings=form.min_meetings.data or 0,
                include_suggestions=form.include_suggestions.data,
                time_limit=float(form.time_limit.data or 20),
            )  # fmt: skip
        except DomainError as error:
            flash(str(error), "danger")
        else:
            return redirect(url_for("organizer.job", slug=slug, job_id=job.id))
    return render_template(
        "organizer/schedule.html", event=event, form=form, versions=schedules.versions_of(event),
        **_suggestion_context(event),
    )  # fmt: skip


def _suggestion_context(event):
    return {
        "suggestion_form": SuggestionSettingsForm(
            formdata=None, suggestion_default=event.suggestion_default or 0,
            floor_percent=round(100 * (event.suggestion_floor or 0)),
        ),
        "pairs_above": suggestions.pairs_above(event),
        "consent": suggestions.consent_counts(event),
    }  # fmt: skip


@bp.route("/<slug>/schedule/planner", methods=["GET", "POST"])
@login_required
def capacity_planner(slug):
    """What if the event had more tables, one more session or shorter meetings: the
    optimiser runs on copies (a job); the event changes only if the organizer edits it."""
    event = get_event_or_404(slug, manage=True)
    form = PlannerForm()
    if request.method == "GET" and not request.args:
        form.tables.data = event.table_count + 2
    if form.validate_on_submit():
        try:
            job = jobs.start(
                event, "planner", planner.plan_task, by=current_user, tables=form.tables.data,
                extra_session=form.extra_session.data, meeting_minutes=form.meeting_minutes.data,
                include_suggestions=form.include_suggestions.data,
                time_limit=float(form.time_limit.data or 10),
            )  # fmt: skip
        except DomainError as error:
            flash(str(error), "danger")
        else:
            return redirect(url_for("organizer.job", slug=slug, job_id=job.id))
    elif form.is_submitted():
        flash_errors(form)
    found = jobs.get(event, id_arg(request.args, "job")) if "job" in request.args else None
    if found is not None and (found.kind != "planner" or found.status != "done"):
        found = None
    if found is not None and not form.is_submitted():  # the form shows the change tried
        change = found.result.get("change", {})
        form.tables.data = change.get("tables")
        form.extra_session.data = change.get("extra_session")
        form.meeting_minutes.data = change.get("meeting_minutes")
    return render_template("organizer/planner.html", event=event, form=form, job=found)


@bp.post("/<slug>/schedule/suggestions")
@login_required
def suggestion_settings(slug):
    event = get_event_or_404(slug, manage=True)
    form = SuggestionSettingsForm()
    if form.validate_on_submit():
        try:
            suggestions.set_settings(
                event, form.suggestion_default.data, form.floor(), by=current_user
            )
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(
                _("Suggested meetings saved; they apply from the next draft you generate."),
                "success",
            )
    else:
        flash_errors(form)
    return redirect(url_for("organizer.schedule", slug=slug))


@bp.get("/<slug>/schedule/<int:version>")
@login_required
def schedule_version(slug, version):
    event, schedule = _version(slug, version)
    return _version_page(event, schedule)


def _version_page(event, schedule, add_form=None):
    """The version's grid; `add_form` keeps what the organizer picked when an addition was
    refused."""
    meetings = schedules.meetings_of(schedule)
    participants = schedules.approved_participants(event)
    args = request.args
    return render_template(
        "organizer/schedule_version.html",
        event=event,
        schedule=schedule,
        grid={(m.slot_id, m.table_id): m for m in meetings},
        groups=group_placement.people_by_meeting(meetings),
        view=schedule_report.grid(
            meetings,
            participants,
            event.tables,
            q=args.get("q", "")[:100],
            country=args.get("country", ""),
            priority=args.get("priority", ""),
            focus_id=id_arg(args, "focus"),
            first=id_arg(args, "tables") or 1,
        ),  # fmt: skip
        priorities=schedule_report.GRID_PRIORITIES,
        unassigned=[m for m in meetings if m.table_id is None],
        add_form=add_form or PlaceForm().fill(event, participants),
        action_form=ActionForm(),
        outcome=schedules.outcome(schedule),
        words=schedule_report.report(schedule, meetings, participants)
        if schedule.figures
        else None,
    )


@bp.get("/<slug>/schedule/<int:version>/unplaced.<any(csv, xlsx):fmt>")
@login_required
def export_unplaced(slug, version, fmt):
    event, schedule = _version(slug, version)
    return download(*exports.export_unplaced(schedule, fmt))


def _meeting_now(meeting_id):
    """The meeting as it is after a refused edit (another organizer may have moved or
    removed it), or None."""
    return db.session.scalar(sa.select(Meeting).where(Meeting.id == meeting_id))


@bp.route("/<slug>/schedule/<int:version>/meetings/<int:meeting_id>", methods=["GET", "POST"])
@login_required
def edit_meeting(slug, version, meeting_id):
    event, schedule = _version(slug, version)
    meeting = _meeting(schedule, meeting_id)
    form = MoveForm(
        slot=meeting.slot_id, table=meeting.table_id, seen=schedules.place_of(meeting)
    ).fill(event)
    del form.first, form.second
    choices_url = None  # after a move refused because the place is taken: swap or replace
    if form.validate_on_submit():
        try:
            schedules.move_meeting(
                meeting, in_event_or_404(Slot, event, form.slot.data),
                in_event_or_404(Table, event, form.table.data),
                by=current_user, seen=form.seen.data,
            )  # fmt: skip
        except DomainError as error:
            flash(_refusal(_("Move refused"), error), "danger")
            meeting = _meeting_now(meeting_id)
            if meeting is None:
                return _back(event, schedule)
            target = (in_event_or_404(Slot, event, form.slot.data),
                      in_event_or_404(Table, event, form.table.data))  # fmt: skip
            if schedules.occupant(schedule, *target) not in (None, meeting):
                choices_url = url_for("organizer.place_meeting", slug=slug, version=version,
                                      meeting_id=meeting_id, slot=target[0].id,
                                      table=target[1].id)  # fmt: skip
            # The page now shows where the meeting is; the organizer's pick stays selected.
            form.seen.data = schedules.place_of(meeting)
        else:
            flash(_("Meeting moved."), "success")
            return _back(event, schedule)
    elif form.is_submitted():
        flash_errors(form)
    swap = SwapForm(seen=schedules.place_of(meeting))
    swap.other.choices = options(
        (m.id, f"{m.slot.label} · {m.participant_a.organisation.name} – "
               f"{m.participant_b.organisation.name}")
        for m in schedules.meetings_of(schedule) if m.id != meeting.id
    )  # fmt: skip
    return render_template(
        "organizer/meeting_edit.html", event=event, schedule=schedule, meeting=meeting,
        form=form, swap_form=swap, action_form=ActionForm(), choices_url=choices_url,
        people=group_placement.people_of(meeting),
    )  # fmt: skip


def _other_meeting_form(schedule):
    """The form naming the other meeting of a swap or a replacement, any of this version's."""
    form = SwapForm()
    form.other.choices = options((m.id, str(m.id)) for m in schedule.meetings)
    return form


@bp.post("/<slug>/schedule/<int:version>/meetings/<int:meeting_id>/swap")
@login_required
def swap_meeting(slug, version, meeting_id):
    event, schedule = _version(slug, version)
    meeting = _meeting(schedule, meeting_id)
    form = _other_meeting_form(schedule)
    if form.validate_on_submit():
        try:
            schedules.swap_meetings(
                meeting, _meeting(schedule, form.other.data), by=current_user,
                seen=form.seen.data,
            )  # fmt: skip
        except DomainError as error:
            flash(_refusal(_("Swap refused"), error), "danger")
            if _meeting_now(meeting_id) is None:
                return _back(event, schedule)
            return redirect(url_for("organizer.edit_meeting", slug=slug, version=version,
                                    meeting_id=meeting_id))  # fmt: skip
        flash(_("Meetings swapped."), "success")
    elif form.seen.errors:
        flash(_("Swap refused: %(reason)s", reason=form.seen.errors[0]), "danger")
    else:
        flash_errors(form)
    return _back(event, schedule)


@bp.get("/<slug>/schedule/<int:version>/meetings/<int:meeting_id>/place")
@login_required
def place_meeting(slug, version, meeting_id):
    """Where a meeting dropped (or moved) onto a place can go: move, swap with the meeting
    there, replace a suggested meeting there (confirmed here), or another table."""
    event, schedule = _version(slug, version)
    meeting = _meeting(schedule, meeting_id)
    slot = in_event_or_404(Slot, event, id_arg(request.args, "slot"))
    table = in_event_or_404(Table, event, id_arg(request.args, "table"))
    return render_template(
        "organizer/meeting_place.html", event=event, schedule=schedule, meeting=meeting,
        slot=slot, table=table, choices=schedules.place_choices(meeting, slot, table),
        seen=SwapForm(seen=schedules.place_of(meeting)).seen, action_form=ActionForm(),
    )  # fmt: skip


@bp.post("/<slug>/schedule/<int:version>/meetings/<int:meeting_id>/replace")
@login_required
def replace_meeting(slug, version, meeting_id):
    event, schedule = _version(slug, version)
    meeting = _meeting(schedule, meeting_id)
    form = _other_meeting_form(schedule)
    if form.validate_on_submit():
        try:
            names = schedules.replace_suggested(
                meeting, _meeting(schedule, form.other.data), by=current_user, seen=form.seen.data
            )
        except DomainError as error:
            flash(_refusal(_("Replacement refused"), error), "danger")
        else:
            pair = f"{names[0]} – {names[1]}"
            message = _(
                "Meeting moved; the suggested meeting %(pair)s was taken out of this draft "
                "(publishing tells them if they had seen it).",
                pair=pair,
            )
            flash(message, "success")
    else:
        flash_errors(form)
    return _back(event, schedule)


@bp.post("/<slug>/schedule/<int:version>/meetings/<int:meeting_id>/cancel")
@login_required
def cancel_meeting(slug, version, meeting_id):
    event, schedule = _version(slug, version)
    meeting = _meeting(schedule, meeting_id)
    if ActionForm().validate_on_submit():
        try:
            schedules.cancel_meeting(meeting, by=current_user)
            flash(_("Meeting removed from this draft."), "info")
        except DomainError as error:
            flash(str(error), "danger")
    return _back(event, schedule)


@bp.post("/<slug>/schedule/<int:version>/add")
@login_required
def add_meeting(slug, version):
    event, schedule = _version(slug, version)
    form = PlaceForm().fill(event, schedules.approved_participants(event))
    if form.validate_on_submit():
        try:
            schedules.add_meeting(
                schedule, in_event_or_404(Participant, event, form.first.data),
                in_event_or_404(Participant, event, form.second.data),
                in_event_or_404(Slot, event, form.slot.data),
                in_event_or_404(Table, event, form.table.data),
                by=current_user,
            )  # fmt: skip
        except DomainError as error:
            flash(_refusal(_("Meeting not added"), error), "danger")
            return _version_page(event, schedule, add_form=form)
        flash(_("Meeting added."), "success")
    else:
        flash_errors(form)
    return _back(event, schedule)


@bp.post("/<slug>/schedule/<int:version>/<any(publish, copy):action>")
@login_required
def schedule_action(slug, version, action):
    event, schedule = _version(slug, version)
    if not ActionForm().validate_on_submit():
        return _back(event, schedule)
    try:
        if action == "publish":
            told = schedules.publish(schedule, by=current_user)
            flash(_("Version %(version)s published; %(told)s participants emailed.",
                    version=schedule.version, told=told), "success")  # fmt: skip
        else:
            schedule = schedules.copy_to_draft(schedule, by=current_user)
            flash(_("Draft version %(version)s created from the published agenda.",
                    version=schedule.version), "info")  # fmt: skip
    except DomainError as error:
        flash(str(error), "danger")
    return _back(event, schedule)


@bp.get("/<slug>/jobs/<int:job_id>")
@login_required
def job(slug, job_id):
    event = get_event_or_404(slug, manage=True)
    found = jobs.get(event, job_id) or abort(404)
    if found.status == "done" and found.kind == "schedule":
        flash(_("Draft version %(version)s generated with %(meetings)s meetings.",
                version=found.result["version"], meetings=found.result["meetings"]),
              "success")  # fmt: skip
        return redirect(url_for("organizer.schedule_version", slug=slug,
                                version=found.result["version"]))  # fmt: skip
    if found.status == "done" and found.kind == "planner":
        return redirect(url_for("organizer.capacity_planner", slug=slug, job=found.id))
    if found.status == "done" and found.kind == "matching":
        flash(_("Matching done: %(pairs)s pairs stored.", pairs=found.result["pairs"]), "success")
        return redirect(url_for("organizer.matching", slug=slug))
    return render_template("organizer/job.html", event=event, job=found)


@bp.get("/<slug>/schedule/<int:version>/participants/<int:participant_id>")
@login_required
def schedule_participant(slug, version, participant_id):
    event, schedule = _version(slug, version)
    participant = in_event_or_404(Participant, event, participant_id)
    everything = schedules.meetings_of(schedule)
    groups = group_placement.people_by_meeting(everything)
    meetings = {
        m.slot_id: m
        for m in everything
        if participant.id in (m.participant_a_id, m.participant_b_id)
        or participant in groups.get(m.id, ())
    }
    return render_template(
        "organizer/schedule_participant.html",
        event=event,
        schedule=schedule,
        participant=participant,
        meetings=meetings,
        groups=groups,
        unavailable={slot.id for slot in participant.unavailable},
    )


@bp.get("/<slug>/schedule/<int:version>/participant")
@login_required
def schedule_participant_pick(slug, version):
    """The picker on the version page submits a participant id as a query argument."""
    event, schedule = _version(slug, version)
    participant = in_event_or_404(Participant, event, id_arg(request.args, "participant"))
    return redirect(url_for("organizer.schedule_participant", slug=slug, version=version,
                            participant_id=participant.id))  # fmt: skip
