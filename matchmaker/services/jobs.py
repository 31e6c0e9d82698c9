"""Long tasks outside the request: matching and scheduling for large events.

A Job row holds the state, so any web process can show its progress. The task runs in a
background thread of the web process (JOBS_INLINE runs it at once, for tests and the CLI).
"""

import threading
import time

import sqlalchemy as sa
from flask import current_app

from matchmaker.extensions import db
from matchmaker.models import Event, Job, User
from matchmaker.models.base import utcnow
from matchmaker.services.errors import DomainError, NotAllowed

# Progress is written at most this often (seconds): each write is a commit.
PROGRESS_INTERVAL = 0.5


def start(event, kind, task, by, **options):
    """Record a job for `event` and run `task(event, by=..., progress=..., **options)`.

    `task` returns a dict (stored as the job's result) and may raise DomainError, whose
    message is shown to the organizer. Returns the Job (queued or already finished).
    """
    if not event.is_organized_by(by):
        raise NotAllowed("Only the event's organizers can start this.")
    running = db.session.scalar(
        sa.select(Job).where(Job.event_id == event.id, Job.kind == kind,
                             Job.status.in_(("queued", "running")))
    )  # fmt: skip
    if running is not None:
        raise DomainError("This is already running for the event; wait for it to finish.")
    job = Job(event_id=event.id, kind=kind, created_by_id=by.id)
    db.session.add(job)
    db.session.commit()
    if current_app.config.get("JOBS_INLINE"):
        _run(job.id, task, options)
    else:
        app = current_app._get_current_object()
        threading.Thread(target=_run_in_app, args=(app, job.id, task, options), daemon=True).start()
    return job


def _run_in_app(app, job_id, task, options):
    with app.app_context():
        try:
            _run(job_id, task, options)
        finally:
            db.session.remove()


def _run(job_id, task, options):
    job = db.session.get(Job, job_id)
    job.status = "running"
    db.session.commit()
    last = [0.0]

    def progress(stage, fraction):
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL or fraction >= 1:
            last[0] = now
            job.stage, job.progress = stage, max(0.0, min(1.0, float(fraction)))
            db.session.commit()

    try:
        event = db.session.get(Event, job.event_id)
        by = db.session.get(User, job.created_by_id) if job.created_by_id else None
        result = task(event, by=by, progress=progress, **options)
    except DomainError as error:
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.status, job.message = "failed", str(error)
    except Exception:  # noqa: BLE001 - a failed job must say so instead of hanging "running"
        db.session.rollback()
        current_app.logger.exception("job %s failed", job_id)
        job = db.session.get(Job, job_id)
        job.status, job.message = "failed", "The task failed unexpectedly; the error was logged."
    else:
        job = db.session.get(Job, job_id)
        job.status, job.progress, job.result = "done", 1.0, result or {}
    job.finished_at = utcnow()
    db.session.commit()


def get(event, job_id):
    job = db.session.get(Job, job_id)
    return job if job is not None and job.event_id == event.id else None
