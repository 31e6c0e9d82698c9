"""The job worker: `python -m matchmaker.worker` (what `make worker` and `make serve` start).

Runs the jobs the web processes queue on Redis (REDIS_URL): matching, scheduling, mail
delivery (services/jobs.py, services/mail.py), each in a process forked for it, so a crash
or a memory-hungry optimisation never takes the worker down. Any number of workers, on any
number of hosts, may serve one Redis; the database holds the jobs' state.

With --clock (the default) the worker also keeps the clock of the scheduled work; several
workers may run it, a Redis key per task and time slot lets exactly one of them queue each:

- every minute: mail whose delivery failed is tried again when due (`flask mail send`),
  webhook deliveries due (a retry, or one no process took) are sent (services/webhooks.py),
  jobs whose process was lost are taken back (`jobs.reclaim`), and meeting requests past
  their expiry are marked expired (services/requests.expire_overdue, also run when a
  request is sent);
- once a day, from DIGEST_HOUR (UTC, default 7): the inbox digests (`flask inbox digest`).

Without Redis the same minute's work is one cron line, `flask --app matchmaker scheduled`
(README). Feedback reminders are the organizer's decision per event (`flask feedback-remind
SLUG` from cron, README).
"""

import argparse
import logging
import os
import threading
from datetime import UTC, datetime

import click

from matchmaker.services.jobs import QUEUE_NAME

CLOCK_SECONDS = 60
# The worker's CPU priority (os.nice increment; JOB_WORKER_NICE): on a host that also serves
# pages, an optimisation takes the CPU the web processes leave, not the other way round.
WORKER_NICE = 10
DIGEST_HOUR = 7
_app = None


def worker_app():
    """The app of this worker process, built once (a forked job inherits it)."""
    global _app
    if _app is None:
        from matchmaker import create_app

        _app = create_app()
    return _app


def lower_priority(increment):
    """Run this process (and the jobs it forks) at a lower CPU priority. Linux shares the CPU
    between sessions first (autogroup): a worker that leads a session of its own (started
    by a service manager or with setsid) lowers its session's weight too, or its nice value
    would count only against itself and not against the web processes."""
    os.nice(increment)
    if increment > 0 and os.getsid(0) == os.getpid():
        try:
            with open("/proc/self/autogroup", "w") as autogroup:
                autogroup.write(str(min(19, increment)))
        except OSError:
            pass  # not Linux, or autogroup off: the nice value alone applies


def run_periodic(name):
    """One scheduled task, queued by the clock and run on a worker."""
    from matchmaker.extensions import db
    from matchmaker.services import inbox, jobs, mail, webhooks

    app = worker_app()
    with app.app_context():
        db.engine.dispose(close=False)
        try:
            if name == "mail":
                return mail.deliver_due().summary()
            if name == "webhooks":
                webhooks.prune()  # the log keeps WEBHOOK_LOG_DAYS
                return webhooks.deliver_due().summary()
            if name == "reclaim":
                return f"taken back: {jobs.reclaim()}"
            if name == "expire":
                return f"requests expired: {expire_requests()}"
            if name == "digest":
                sent = inbox.send_digests()
                db.session.commit()
                return f"digests: {sent}"
            raise ValueError(f"unknown periodic task {name!r}")
        finally:
            db.session.remove()


def expire_requests():
    """Mark the pending meeting requests past their expiry as expired, in every event that
    has one; returns how many."""
    import sqlalchemy as sa

    from matchmaker.extensions import db
    from matchmaker.models import Event, MeetingRequest
    from matchmaker.models.base import utcnow
    from matchmaker.services import requests

    overdue = sa.select(MeetingRequest.event_id).where(
        MeetingRequest.status == "pending", MeetingRequest.expires_at <= utcnow()
    )
    events = db.session.scalars(sa.select(Event).where(Event.id.in_(overdue))).all()
    expired = sum(requests.expire_overdue(event) for event in events)
    db.session.commit()
    return expired


@click.command("scheduled")
def scheduled_command():
    """The scheduled work of one minute, for cron on a site without Redis (every minute):
    mail retries, webhook deliveries due, lost jobs taken back, meeting requests expired."""
    from matchmaker.services import jobs, mail, webhooks

    click.echo(mail.deliver_due().summary())
    click.echo(webhooks.deliver_due().summary())
    click.echo(f"Jobs taken back: {len(jobs.reclaim())}.")
    click.echo(f"Requests expired: {expire_requests()}.")


EVERY_MINUTE = ("mail", "webhooks", "reclaim", "expire")


def tick(queue, redis, now=None):
    """Queue the scheduled tasks that are due at `now`, each once across all workers."""
    now = now or datetime.now(UTC)
    due = [(name, now.strftime("%Y%m%d%H%M")) for name in EVERY_MINUTE]
    if now.hour >= DIGEST_HOUR:
        due.append(("digest", now.strftime("%Y%m%d")))
    queued = []
    for name, slot in due:
        if redis.set(f"matchmaker:clock:{name}:{slot}", 1, nx=True, ex=2 * 24 * 3600):
            queue.enqueue("matchmaker.worker.run_periodic", name, job_timeout=600, result_ttl=600)
            queued.append(name)
    return queued


def _clock(queue, redis, stopped):
    log = logging.getLogger("matchmaker.clock")
    while not stopped.wait(0 if not getattr(_clock, "started", False) else CLOCK_SECONDS):
        _clock.started = True
        try:
            tick(queue, redis)
        except Exception:  # noqa: BLE001 - Redis away for a moment: the next minute tries again
            log.exception("the clock could not queue the scheduled tasks")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run the Matchmaker job worker.")
    parser.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    parser.add_argument("--no-clock", action="store_true", help="do not queue scheduled work")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    lower_priority(int(os.environ.get("JOB_WORKER_NICE", WORKER_NICE)))

    from rq import Queue, Worker

    from matchmaker.services import jobs

    app = worker_app()
    if not app.config.get("REDIS_URL"):
        parser.error("REDIS_URL is not set: the worker takes its jobs from Redis.")
    redis = jobs.redis_connection(app)
    queue = Queue(QUEUE_NAME, connection=redis)
    stopped = threading.Event()
    if not args.no_clock:
        threading.Thread(target=_clock, args=(queue, redis, stopped), daemon=True).start()
    try:
        Worker([queue], connection=redis).work(burst=args.burst, logging_level=args.log_level)
    finally:
        stopped.set()


if __name__ == "__main__":
    main()
