"""Routes of an event's organizers (and admins): registrations, import, matching and
scheduling jobs, schedule versions, statistics and exports. Each loads the event with
`get_event_or_404(slug, manage=True)`, like every organizer page: 404 for everyone else."""

from dataclasses import asdict
from io import BytesIO

import sqlalchemy as sa
from flask import abort, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.api import bp, schemas
from matchmaker.api.auth import scope_required
from matchmaker.api.common import domain_call, paged_query, refuse_fields
from matchmaker.extensions import db
from matchmaker.models import Participant, Schedule
from matchmaker.permissions import get_event_or_404, in_event_or_404
from matchmaker.services import (
    exports,
    imports,
    jobs,
    matchmaking,
    queries,
    registration,
    schedules,
    statistics,
)
from matchmaker.services.errors import DomainError

EXPORTS = {
    "participants": exports.export_participants,
    "opportunities": exports.export_opportunities,
    "meetings": exports.export_meetings,
    "feedback": exports.export_feedback,
    "statistics": exports.export_statistics,
}


def _managed(slug):
    return get_event_or_404(slug, manage=True)


@bp.get("/events/<slug>/registrations")
@scope_required("organize")
@bp.arguments(schemas.RegistrationFilter, location="query")
@bp.response(200, schemas.page_of(schemas.OrganizerRegistration, "RegistrationPage"))
def registrations(args, slug):
    """The event's registrations, by organisation; search `q` (organisation, person,
    email) and filter by `status`."""
    event = _managed(slug)
    return paged_query(
        lambda page, per_page: queries.event_participants(
            event, q=args["q"], status=args["status"], page=page, per_page=per_page
        ),
        args,
    )


@bp.post("/events/<slug>/registrations/<int:participant_id>/decision")
@scope_required("organize")
@bp.arguments(schemas.DecisionIn)
@bp.response(200, schemas.OrganizerRegistration)
def decide(data, slug, participant_id):
    """Approve or reject a registration."""
    event = _managed(slug)
    participant = in_event_or_404(Participant, event, participant_id)
    domain_call(registration.set_status, participant, data["status"], by=current_user)
    return participant


@bp.post("/events/<slug>/registrations/import")
@scope_required("organize")
@bp.arguments(schemas.ImportIn, location="files")
@bp.response(201, schemas.ImportResult)
def import_registrations(files, slug):
    """Import participants from a CSV or XLSX file (the import page's template), all or
    nothing; imported participants are approved."""
    event = _managed(slug)
    upload = files["file"]
    if not hasattr(upload, "stream"):
        refuse_fields(file=_("Send the file as multipart/form-data."))
    try:
        return imports.import_participants(event, upload.filename or "", upload.stream,
                                           by=current_user)  # fmt: skip
    except imports.ImportRejected as error:
        db.session.rollback()
        refuse_fields(file=" ".join(error.problems))
    except DomainError as error:
        db.session.rollback()
        refuse_fields(file=str(error))


def _job_answer(job, event):
    location = url_for("api.job", slug=event.slug, job_id=job.id, _external=True)
    return job, 202, {"Location": location}


@bp.post("/events/<slug>/jobs/matching")
@scope_required("organize")
@bp.response(202, schemas.Job)
def start_matching(slug):
    """Start a full matching run; follow the job's Location for its progress."""
    event = _managed(slug)
    job = domain_call(jobs.start, event, "matching", matchmaking.compute_task, by=current_user)
    return _job_answer(job, event)


@bp.post("/events/<slug>/jobs/schedule")
@scope_required("organize")
@bp.arguments(schemas.JobIn)
@bp.response(202, schemas.Job)
def start_scheduling(data, slug):
    """Generate a new draft schedule version; follow the job's Location for its progress."""
    event = _managed(slug)
    job = domain_call(
        jobs.start, event, "schedule", schedules.generate_task, by=current_user,
        min_meetings=data["min_meetings"], include_suggestions=data["include_suggestions"],
        time_limit=float(data["time_limit"]),
    )  # fmt: skip
    return _job_answer(job, event)


@bp.get("/events/<slug>/jobs/<int:job_id>")
@scope_required("organize")
@bp.response(200, schemas.Job)
def job(slug, job_id):
    """A job's status and progress (0 to 1); `result` once done."""
    return jobs.get(_managed(slug), job_id) or abort(404)


def _schedule_view(schedule, meeting_count):
    return {
        "version": schedule.version,
        "status": schedule.status,
        "created_at": schedule.created_at,
        "published_at": schedule.published_at,
        "meeting_count": meeting_count,
        "outcome": schedules.outcome(schedule),
    }


def _version(event, version):
    found = db.session.scalar(
        sa.select(Schedule).where(Schedule.event_id == event.id, Schedule.version == version)
    )
    return found or abort(404)


@bp.get("/events/<slug>/schedules")
@scope_required("organize")
@bp.response(200, schemas.Schedule(many=True))
def schedule_versions(slug):
    """The event's schedule versions, newest first."""
    event = _managed(slug)
    return [_schedule_view(s, count) for s, count in schedules.versions_of(event)]


@bp.get("/events/<slug>/schedules/<int:version>")
@scope_required("organize")
@bp.response(200, schemas.ScheduleDetail)
def schedule_version(slug, version):
    """One schedule version with its meetings."""
    schedule = _version(_managed(slug), version)
    meetings = schedules.meetings_of(schedule)
    return {**_schedule_view(schedule, len(meetings)), "meetings": meetings}


@bp.post("/events/<slug>/schedules/<int:version>/publish")
@scope_required("organize")
@bp.response(200, schemas.PublishResult)
def publish_schedule(slug, version):
    """Publish a draft version: participants see it in their agendas and are emailed."""
    schedule = _version(_managed(slug), version)
    told = domain_call(schedules.publish, schedule, by=current_user)
    return {"version": schedule.version, "status": schedule.status, "told": told}


@bp.get("/events/<slug>/statistics")
@scope_required("organize")
@bp.response(200, schemas.Statistics)
def event_statistics(slug):
    """The event's figures, as on the statistics page."""
    return asdict(statistics.gather(_managed(slug)))


@bp.get("/events/<slug>/exports")
@scope_required("organize")
@bp.response(200, schemas.ExportLink(many=True))
def export_links(slug):
    """Links to each export as CSV and XLSX."""
    event = _managed(slug)
    return [
        {"name": what, **{fmt: _export_url(event, what, fmt) for fmt in exports.FORMATS}}
        for what in EXPORTS
    ]


def _export_url(event, what, fmt):
    return url_for("api.export", slug=event.slug, what=what, fmt=fmt, _external=True)


@bp.get("/events/<slug>/exports/<what>.<fmt>")
@scope_required("organize")
@bp.doc(responses={200: {"description": "The file", "content": {
    mimetype.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
    for mimetype in exports.FORMATS.values()
}}})  # fmt: skip
def export(slug, what, fmt):
    """One export as a file: `what` is participants, opportunities, meetings, feedback or
    statistics; `fmt` is csv or xlsx."""
    event = _managed(slug)
    if what not in EXPORTS or fmt not in exports.FORMATS:
        abort(404)
    data, mimetype, filename = EXPORTS[what](event, fmt)
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=filename)  # fmt: skip
