"""Jobs on a real Redis queue, run by a real worker process (`python -m matchmaker.worker`).

Runs when MATCHMAKER_TEST_REDIS_URL names a Redis database for tests (it is emptied); it then
fails, never skips, when Redis is down. The database is a SQLite file, or the PostgreSQL of
MATCHMAKER_TEST_DATABASE_URL, shared by the test's app and the worker.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.models import Job, OutgoingMail
from matchmaker.services import jobs, mail
from tests.conftest import TEST_DATABASE_URL
from tests.web import queue_tasks

REPO = Path(__file__).resolve().parent.parent.parent
REDIS_URL = os.environ.get("MATCHMAKER_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(
    not REDIS_URL, reason="set MATCHMAKER_TEST_REDIS_URL to test the job queue on Redis"
)
STALE = 3  # seconds without a heartbeat before a running job is taken back


@pytest.fixture
def config_overrides(tmp_path):
    overrides = {
        "JOBS_INLINE": False,
        "REDIS_URL": REDIS_URL,
        "JOB_HEARTBEAT_SECONDS": 0.5,
        "JOB_STALE_SECONDS": STALE,
    }
    if not TEST_DATABASE_URL:
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    return overrides


@pytest.fixture
def redis(app):
    client = jobs.redis_connection(app)
    client.flushdb()  # fails here, never skips, when Redis is down
    yield client
    client.flushdb()


class Workers:
    """Worker processes started with the app's database and Redis; stopped at the end."""

    def __init__(self, app):
        self.app, self.processes = app, []

    def start(self, **settings):
        config = self.app.config
        env = {
            **os.environ,
            "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": REDIS_URL,
            "SECRET_KEY": config["SECRET_KEY"],
            "OUTBOX_DIR": config["OUTBOX_DIR"],
            "JOB_HEARTBEAT_SECONDS": "0.5",
            "JOB_STALE_SECONDS": str(STALE),
            **settings,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "matchmaker.worker", "--no-clock", "--log-level", "WARNING"],
            cwd=REPO, env=env,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(10)


@pytest.fixture
def workers(app, redis):
    started = Workers(app)
    yield started
    started.stop()


def wait_for(condition, timeout=30.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()  # see the other processes' commits
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def job_row(job_id):
    db.session.expire_all()
    return db.session.get(Job, job_id)


@pytest.fixture
def organizer_event(make_user, make_event, make_participant):
    organizer = make_user(email="org@example.com", role="organizer")
    event = make_event(organizer=organizer)
    make_participant(
        event,
        make_user(email="p@example.com", name="Pia"),
        offers=["cloud hosting for hospitals"],
        requests=["cyber security audit"],
    )
    make_participant(
        event,
        make_user(email="q@example.com", name="Quinn"),
        offers=["cyber security audit"],
        requests=["cloud hosting for hospitals"],
    )
    return organizer, event


def test_a_job_runs_on_the_worker_process(app, workers, organizer_event):
    organizer, event = organizer_event
    workers.start()
    job = jobs.start(event, "matching", queue_tasks.count_participants, by=organizer)
    assert job.status == "queued" and job.task == "tests.web.queue_tasks:count_participants"
    done = wait_for(lambda: job_row(job.id).finished and job_row(job.id), what="the job to end")
    assert (done.status, done.attempts) == ("done", 1), done.message
    assert done.result["participants"] == 2 and done.result["by"] == "org@example.com"
    assert done.result["pid"] != os.getpid()  # not in the web process


def test_a_worker_killed_mid_job_leads_to_a_retry_on_another_worker(
    app, client, auth, workers, organizer_event, tmp_path
):
    organizer, event = organizer_event
    marker = tmp_path / "first-attempt.pid"
    first = workers.start()
    job = jobs.start(event, "schedule", queue_tasks.slow_once, by=organizer, marker=str(marker))
    wait_for(lambda: job_row(job.id).status == "running" and marker.exists(), what="the start")
    horse = int(marker.read_text())
    first.send_signal(signal.SIGKILL)  # the worker, by its own pid, mid-job
    first.wait(10)
    wait_for(lambda: not _alive(horse), timeout=10, what="the orphaned job to stop")
    # A second start is refused while the job still counts as running.
    with pytest.raises(jobs.DomainError, match="already running"):
        jobs.start(event, "schedule", queue_tasks.slow_once, by=organizer, marker=str(marker))
    workers.start()
    time.sleep(STALE + 0.5)
    # The organizer looks at the job's page: the lost job is queued again, the new worker
    # finishes it.
    auth.login("org@example.com")
    assert client.get(f"/manage/{event.slug}/jobs/{job.id}").status_code == 200
    done = wait_for(lambda: job_row(job.id).finished and job_row(job.id), what="the retry")
    assert (done.status, done.attempts, done.result["attempt"]) == ("done", 2, "again")


def test_a_job_lost_on_its_last_attempt_fails_with_a_sentence_to_act_on(app, organizer_event):
    organizer, event = organizer_event
    job = Job(event_id=event.id, kind="schedule", created_by_id=organizer.id, status="running",
              attempts=jobs.JOB_MAX_ATTEMPTS, task="tests.web.queue_tasks:slow_once")  # fmt: skip
    db.session.add(job)
    db.session.commit()
    assert jobs.reclaim() == []  # created a moment ago: not stale yet
    later = job.created_at.replace(microsecond=0) + _seconds(STALE + 1)
    assert jobs.reclaim(now=later) == [job.id]
    failed = job_row(job.id)
    assert failed.status == "failed"
    assert "restarted or crashed" in failed.message and "Start it again" in failed.message
    # ... and it no longer blocks a new start.
    assert jobs._active(event.id, "schedule") is None


def test_two_running_jobs_of_one_kind_are_refused_by_the_database(app, organizer_event):
    organizer, event = organizer_event
    db.session.add(Job(event_id=event.id, kind="schedule", status="running"))
    db.session.commit()
    db.session.add(Job(event_id=event.id, kind="schedule", status="queued"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(Job(event_id=event.id, kind="matching", status="queued"))
    db.session.add(Job(event_id=event.id, kind="schedule", status="done"))
    db.session.commit()


def test_two_web_hosts_share_one_session_and_one_job(app, client, auth, workers, organizer_event):
    """Two app instances (two hosts) on one database and one Redis, and one worker."""
    organizer, event = organizer_event
    other_host = create_app({**app.config, "SQLALCHEMY_DATABASE_URI": app.config[
        "SQLALCHEMY_DATABASE_URI"]})  # fmt: skip
    other = other_host.test_client()
    auth.login("org@example.com")
    cookie = client.get_cookie("session")
    other.set_cookie("session", cookie.value)
    assert other.get(f"/manage/{event.slug}/matching").status_code == 200  # signed in there too
    workers.start()
    job = jobs.start(event, "matching", queue_tasks.count_participants, by=organizer)
    job_path = f"/manage/{event.slug}/jobs/{job.id}"
    first = wait_for(lambda: _finished_page(client, job_path), what="the job on host 1")
    second = other.get(job_path, follow_redirects=True)
    assert "Matching done: 0 pairs stored." in first
    assert "Matching done: 0 pairs stored." in second.text
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Job.id))) == 1
    with other_host.app_context():
        db.session.remove()
        db.engine.dispose()


def test_mail_is_sent_by_the_worker_not_by_the_request(
    app, client, auth, workers, make_event, make_user, make_participant, outbox, monkeypatch
):
    sent_here = []
    monkeypatch.setattr(mail._Outbox, "send", lambda self, message: sent_here.append(message))
    organizer = make_user(email="olga@organizer.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer)
    participant = make_participant(event, make_user(), status="pending",
                                   offers=["cloud hosting for hospitals"])  # fmt: skip
    workers.start()
    auth.login("olga@organizer.example")
    response = client.post(f"/manage/{event.slug}/participants/{participant.id}/approved")
    assert response.status_code == 302
    wait_for(lambda: outbox.messages, what="the worker to write the mail")
    assert outbox.messages[-1]["To"] == "ana@example.com" and sent_here == []
    [row] = _mails()
    assert (row.status, row.attempts) == ("sent", 1)


def test_a_mail_server_failure_on_the_worker_never_fails_the_action(
    app, client, auth, workers, make_event, make_user, make_participant
):
    organizer = make_user(email="olga@organizer.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer)
    participant = make_participant(event, make_user(), status="pending",
                                   offers=["cloud hosting for hospitals"])  # fmt: skip
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # a port nobody listens on: the transport raises
    workers.start(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1",
                  MAIL_PORT=str(closed.getsockname()[1]))  # fmt: skip
    auth.login("olga@organizer.example")
    response = client.post(f"/manage/{event.slug}/participants/{participant.id}/approved")
    assert response.status_code == 302
    db.session.expire_all()
    assert participant.status == "approved"
    [row] = wait_for(lambda: [m for m in _mails() if m.attempts], what="the failed attempt")
    closed.close()
    assert row.status == "pending" and "refused" in row.last_error.lower()
    assert row.next_attempt_at > row.created_at  # tried again later, with backoff
    page = client.get(f"/manage/{event.slug}").text
    assert "1 mail failed for now and will be tried again." in page


def _mails():
    db.session.expire_all()
    return db.session.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)).all()


def _finished_page(client, path):
    page = client.get(path, follow_redirects=True).text
    return page if "Matching done" in page or "job-failed" in page else None


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its dead parent's adopter) counts as stopped.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[1].startswith("Z"))


def _seconds(n):
    from datetime import timedelta

    return timedelta(seconds=n)


def test_the_clock_queues_each_minute_s_work_once_across_workers(app, redis):
    from datetime import UTC, datetime

    from matchmaker import worker

    queue = jobs.queue(app)
    morning = datetime(2027, 5, 18, 8, 30, tzinfo=UTC)
    assert worker.tick(queue, redis, morning) == ["mail", "webhooks", "reclaim", "expire", "digest"]
    assert worker.tick(queue, redis, morning) == []  # a second worker, the same minute
    assert worker.tick(queue, redis, morning.replace(minute=31)) == [
        "mail",
        "webhooks",
        "reclaim",
        "expire",
    ]
    assert queue.count == 9


def test_a_task_a_worker_cannot_import_still_runs_in_a_web_thread(app, redis, organizer_event):
    organizer, event = organizer_event
    ran = []

    def closure(event, by, progress):
        ran.append(event.id)
        return {"pairs": 0}

    job = jobs.start(event, "matching", closure, by=organizer)
    assert job.task == ""
    done = wait_for(lambda: job_row(job.id).finished and job_row(job.id), what="the thread")
    assert (done.status, ran) == ("done", [event.id])


def test_webhook_is_sent_by_the_worker_not_by_the_request(
    app, redis, workers, make_user, make_event, monkeypatch
):
    """Issue 24: with Redis, a delivery written by an action is queued for a worker, which
    sends it signed; the web process never sends it itself."""
    from matchmaker.models import WebhookDelivery
    from matchmaker.services import webhooks
    from tests.webhook_receiver import documented_verify, start_receiver

    app.config["WEBHOOK_DISPATCH"] = True

    def not_here(self, ids):
        raise AssertionError("a webhook was sent by the web process")

    monkeypatch.setattr(webhooks._Dispatcher, "put", not_here)
    server, receiver = start_receiver()
    try:
        organizer = make_user(email="olga@organizer.example", name="Olga", role="organizer")
        hook, secret = webhooks.create_webhook(
            make_event(organizer=organizer), receiver.url, ["schedule.published"], by=organizer
        )
        workers.start(WEBHOOK_ALLOW_PRIVATE_TARGETS="1")
        webhooks.send_test(hook, by=organizer)
        assert receiver.arrived.wait(30)
        got = receiver.received[0]
        assert documented_verify()(secret, got.body, got.headers["Matchmaker-Signature"])
        wait_for(
            lambda: db.session.scalars(sa.select(WebhookDelivery.status)).all() == ["delivered"],
            what="the worker to record the delivery",
        )
    finally:
        server.shutdown()
        server.server_close()
