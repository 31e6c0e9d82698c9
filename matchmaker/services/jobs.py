"""Long tasks outside the request: matching and scheduling for large events.

A Job row holds the state, so any web process on any host shows its progress. Where the task
runs depends on the configuration (`backend()`):

- "rq" (REDIS_URL set): the job is queued on Redis and a worker process runs it
  (`python -m matchmaker.worker`, started by `make serve` and `make worker`). The web
  process only writes the row and queues it, so a 2,000-participant optimisation never
  competes with page requests.
- "thread" (no Redis, `make run`): a background thread of the web process, as before.
- JOBS_INLINE (tests, CLI): at once, inside the caller.

Whoever runs a job writes `heartbeat_at` every JOB_HEARTBEAT_SECONDS from a thread of its own.
A running job without a heartbeat for JOB_STALE_SECONDS lost its process (a worker killed, a
web process restarted by a deploy): `reclaim` queues it again when a worker can take it and
it has attempts left, else marks it failed with a sentence the organizer can act on. It runs
when the same job is started again, when its page is viewed, and every minute on the worker's
clock (matchmaker/worker.py). Only one job per event and kind may be queued or running: a
unique partial index refuses a second one, whichever host asks.
"""

import json
import logging
import os
import threading
import time
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from matchmaker.extensions import db
from matchmaker.models import Event, Job, User
from matchmaker.models.base import utcnow
from matchmaker.services.errors import DomainError, NotAllowed

# Progress is written at most this often (seconds): each write is a commit.
PROGRESS_INTERVAL = 0.5
QUEUE_NAME = "matchmaker"
# Defaults of the settings of the same name (app.config overrides them).
JOB_HEARTBEAT_SECONDS = 10
JOB_STALE_SECONDS = 120  # a running job silent this long lost its process
JOB_MAX_ATTEMPTS = 2  # starts of a job on a worker, the first included
JOB_QUEUE_PATIENCE_SECONDS = 15 * 60  # a queued job no worker took for this long fails
ALREADY_RUNNING = "This is already running for the event; wait for it to finish."


def _setting(name):
    return current_app.config.get(name) or globals()[name]


def backend():
    """ "rq" when jobs go to Redis, "thread" when they run in the web process. JOBS_BACKEND
    chooses; unset, REDIS_URL decides."""
    chosen = current_app.config.get("JOBS_BACKEND")
    if chosen:
        return chosen
    return "rq" if current_app.config.get("REDIS_URL") else "thread"


def redis_connection(app=None):
    """The app's Redis client (one per process), for the job queue."""
    app = app or current_app._get_current_object()
    client = app.extensions.get("matchmaker.redis")
    if client is None:
        from redis import Redis

        client = Redis.from_url(app.config["REDIS_URL"], socket_timeout=10)
        app.extensions["matchmaker.redis"] = client
    return client


def queue(app=None):
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_connection(app))


def start(event, kind, task, by, **options):
    """Record a job for `event` and run `task(event, by=..., progress=..., **options)`.

    `task` returns a dict (stored as the job's result) and may raise DomainError, whose
    message is shown to the organizer. On a worker (backend "rq") `task` must be a function
    of a module and `options` JSON values. Returns the Job (queued or already finished).
    Raises DomainError when a job of this kind is already queued or running for the event.
    """
    if not event.is_organized_by(by):
        raise NotAllowed("Only the event's organizers can start this.")
    reclaim(event_id=event.id, kind=kind)
    if _active(event.id, kind) is not None:
        raise DomainError(ALREADY_RUNNING)
    on_queue = not current_app.config.get("JOBS_INLINE") and backend() == "rq"
    job = Job(event_id=event.id, kind=kind, created_by_id=by.id)
    if on_queue:
        try:
            job.task, job.options = _path_of(task), json.loads(json.dumps(options))
        except (ValueError, TypeError) as error:
            # A closure, or options that are not JSON: it can only run here, in a thread.
            current_app.logger.warning("job %s runs in a web thread: %s", kind, error)
            on_queue, job.task, job.options = False, "", {}
    db.session.add(job)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        # Another host started it between our check and our insert: the unique index says no.
        db.session.rollback()
        raise DomainError(ALREADY_RUNNING) from None
    if current_app.config.get("JOBS_INLINE"):
        _run(job.id, task, options)
    elif on_queue:
        _enqueue(job)
    else:
        app = current_app._get_current_object()
        threading.Thread(target=_run_in_app, args=(app, job.id, task, options), daemon=True).start()
    return job


def _active(event_id, kind):
    return db.session.scalar(
        sa.select(Job).where(Job.event_id == event_id, Job.kind == kind,
                             Job.status.in_(("queued", "running")))
    )  # fmt: skip


def _path_of(task):
    name = f"{task.__module__}:{task.__qualname__}"
    if "<" in task.__qualname__:
        raise ValueError(f"{name} cannot run on a worker: pass a function of a module.")
    return name


def _resolve(path):
    import importlib

    module, _, name = path.partition(":")
    target = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


def _enqueue(job):
    """Put the job on the Redis queue; when Redis cannot be reached the job fails at once
    with a sentence saying so (it is not left queued for nobody)."""
    try:
        queue().enqueue(
            "matchmaker.services.jobs.perform", job.id,
            job_timeout=-1,  # the heartbeat decides when a job is lost, not RQ's timer
            result_ttl=3600, failure_ttl=24 * 3600,
            description=f"{job.kind} of event {job.event_id} (job {job.id})",
        )  # fmt: skip
    except Exception:  # noqa: BLE001 - Redis down: say so on the job instead of a 500
        current_app.logger.exception("job %s could not be queued", job.id)
        _finish_failed(
            job.id,
            "The job queue could not be reached, so this did not start. Try again in a few "
            "minutes; if it keeps failing, tell your site administrator (Redis is down).",
        )
        db.session.refresh(job)


def perform(job_id):
    """Run job `job_id` on an RQ worker (what `_enqueue` queues)."""
    from matchmaker.worker import worker_app

    app = worker_app()
    with app.app_context():
        # A forked work horse inherits the parent's pool: never share its connections.
        db.engine.dispose(close=False)
        try:
            job = db.session.get(Job, job_id)
            if job is None or not job.task:
                return
            task, options = _resolve(job.task), dict(job.options or {})
            db.session.rollback()
            _run(job_id, task, options, watch_parent=True)
        finally:
            db.session.remove()


def _run_in_app(app, job_id, task, options):
    with app.app_context():
        try:
            _run(job_id, task, options)
        finally:
            db.session.remove()


def _claim(job_id):
    """Mark a queued job running (one more attempt) and return the attempt number, or None
    when it is not queued any more (already taken, or given up)."""
    now = utcnow()
    updated = db.session.execute(
        sa.update(Job)
        .where(Job.id == job_id, Job.status == "queued")
        .values(status="running", attempts=Job.attempts + 1, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if updated != 1:
        return None
    return db.session.scalar(sa.select(Job.attempts).where(Job.id == job_id))


def _run(job_id, task, options, watch_parent=False):
    attempt = _claim(job_id)
    if attempt is None:
        return
    job = db.session.get(Job, job_id)
    db.session.refresh(job)
    beat = None
    if not current_app.config.get("JOBS_INLINE"):
        beat = _Heartbeat(db.engine, job_id, attempt, _setting("JOB_HEARTBEAT_SECONDS"),
                          os.getppid() if watch_parent else None)  # fmt: skip
        beat.start()
    last = [0.0]

    inline = current_app.config.get("JOBS_INLINE")
    engine, table = db.engine, Job.__table__

    def progress(stage, fraction):
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL or fraction >= 1:
            last[0] = now
            values = {"stage": stage[:120], "progress": max(0.0, min(1.0, float(fraction)))}
            if inline:
                job.stage, job.progress = values["stage"], values["progress"]
                db.session.commit()
                return
            # Through a connection of its own, outside the task's transaction and the ORM
            # session: a progress write is not a change of the event's pages, so it must not
            # empty the page cache (a session commit would, twice a second).
            try:
                with engine.begin() as connection:
                    connection.execute(
                        sa.update(table)
                        .where(table.c.id == job_id, table.c.attempts == attempt)
                        .values(**values)
                    )
            except sa.exc.OperationalError:  # SQLite busy with the task's write: next time
                current_app.logger.info("progress of job %s not written this time", job_id)

    try:
        event = db.session.get(Event, job.event_id)
        by = db.session.get(User, job.created_by_id) if job.created_by_id else None
        result = task(event, by=by, progress=progress, **options)
    except DomainError as error:
        db.session.rollback()
        outcome = {"status": "failed", "message": str(error)}
    except Exception:  # noqa: BLE001 - a failed job must say so instead of hanging "running"
        db.session.rollback()
        current_app.logger.exception("job %s failed", job_id)
        outcome = {
            "status": "failed",
            "message": "The task failed unexpectedly; the error was logged.",
        }
    else:
        outcome = {"status": "done", "progress": 1.0, "result": result or {}}
    finally:
        if beat is not None:
            beat.stop()
    # Only the attempt that still owns the job records its end (a reclaimed job is another's).
    finish = (
        sa.update(table)
        .where(table.c.id == job_id, table.c.status == "running", table.c.attempts == attempt)
        .values(finished_at=utcnow(), **outcome)
    )
    db.session.commit()  # what the task left uncommitted, as before
    if inline:
        db.session.execute(finish)
        db.session.commit()
    else:
        # Not through the session: a bulk statement there would empty every page cache.
        with engine.begin() as connection:
            connection.execute(finish)
    db.session.expire_all()


class _Heartbeat(threading.Thread):
    """Writes the job's heartbeat_at every `interval` seconds through its own connection.
    On a worker (`parent` given) it also ends the process when the worker that forked it is
    gone: a killed worker's job then stops too, and is taken back by `reclaim`."""

    def __init__(self, engine, job_id, attempt, interval, parent=None):
        super().__init__(daemon=True, name=f"heartbeat of job {job_id}")
        self.engine, self.job_id, self.attempt = engine, job_id, attempt
        self.interval, self.parent = interval, parent
        self.stopped = threading.Event()

    def run(self):
        table = Job.__table__
        while not self.stopped.wait(min(self.interval, 1.0) if self.parent else self.interval):
            if self.parent is not None and os.getppid() != self.parent:
                os._exit(1)  # orphaned: the worker that ran us was killed
            if self._due():
                try:
                    with self.engine.begin() as connection:
                        connection.execute(
                            sa.update(table)
                            .where(table.c.id == self.job_id, table.c.status == "running",
                                   table.c.attempts == self.attempt)
                            .values(heartbeat_at=utcnow())
                        )  # fmt: skip
                except Exception:  # noqa: BLE001 - a missed beat is retried on the next one
                    logging.getLogger(__name__).warning("heartbeat of job %s missed", self.job_id)

    def _due(self):
        now = time.monotonic()
        if now - getattr(self, "_last", 0.0) >= self.interval:
            self._last = now
            return True
        return False

    def stop(self):
        self.stopped.set()


def _finish_failed(job_id, message):
    db.session.execute(
        sa.update(Job)
        .where(Job.id == job_id)
        .values(status="failed", message=message, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def reclaim(event_id=None, kind=None, now=None):
    """Take back the jobs whose process was lost: a running job without a heartbeat for
    JOB_STALE_SECONDS is queued again on a worker when it has attempts left, else failed with
    a sentence for the organizer; a job queued for JOB_QUEUE_PATIENCE_SECONDS that no worker
    took fails too. Limited to one event (and kind) when given. Returns the jobs' ids."""
    now = now or utcnow()
    stale = now - timedelta(seconds=_setting("JOB_STALE_SECONDS"))
    patience = now - timedelta(seconds=_setting("JOB_QUEUE_PATIENCE_SECONDS"))
    lost = sa.or_(
        sa.and_(
            Job.status == "running", sa.func.coalesce(Job.heartbeat_at, Job.created_at) < stale
        ),
        sa.and_(Job.status == "queued", Job.created_at < patience),
    )
    query = sa.select(Job.id, Job.status, Job.attempts, Job.task).where(lost)
    if event_id is not None:
        query = query.where(Job.event_id == event_id)
    if kind is not None:
        query = query.where(Job.kind == kind)
    rows = db.session.execute(query).all()
    taken = []
    for job_id, status, attempts, task in rows:
        guard = sa.update(Job).where(Job.id == job_id, Job.status == status,
                                     Job.attempts == attempts)  # fmt: skip
        retry = status == "running" and task and attempts < _setting("JOB_MAX_ATTEMPTS")
        if retry and backend() == "rq":
            values = {"status": "queued", "heartbeat_at": None, "created_at": now,
                      "stage": "Started again after its worker stopped"}  # fmt: skip
        elif status == "queued":
            minutes = round(_setting("JOB_QUEUE_PATIENCE_SECONDS") / 60)
            values = {"status": "failed", "finished_at": now,
                      "message": _NO_WORKER.format(minutes=minutes)}  # fmt: skip
        else:
            values = {"status": "failed", "finished_at": now, "message": _LOST}
        updated = db.session.execute(
            guard.values(**values).execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        if updated == 1:
            taken.append(job_id)
            current_app.logger.warning("job %s (%s) taken back: %s", job_id, status, values)
            if values["status"] == "queued":
                _enqueue(db.session.get(Job, job_id))
    if taken:
        db.session.expire_all()
    return taken


_LOST = (
    "This stopped before it finished: the process running it was restarted or crashed. "
    "Start it again; if it stops again, tell your site administrator."
)
_NO_WORKER = (
    "No worker took this job within {minutes} minutes, so it was cancelled. The job workers seem "
    "to be stopped: ask your site administrator to start them (make worker), then start "
    "it again."
)


def get(event, job_id):
    job = db.session.get(Job, job_id)
    if job is None or job.event_id != event.id:
        return None
    if not job.finished and reclaim(event_id=event.id, kind=job.kind):
        db.session.refresh(job)
    return job
