"""Jobs in a thread of the web process (no Redis, `make run`): the default without a queue."""

import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Job
from matchmaker.services import jobs
from tests.conftest import TEST_DATABASE_URL

RAN_IN = {}


def record_thread(event, by, progress):
    progress("working", 0.5)
    RAN_IN["thread"] = threading.current_thread().name
    return {"pairs": 3}


@pytest.fixture
def config_overrides(tmp_path):
    overrides = {"JOBS_INLINE": False, "JOBS_BACKEND": "thread"}
    if not TEST_DATABASE_URL:  # the thread needs a database it can open a connection to
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    return overrides


def test_without_redis_a_job_runs_in_a_thread_and_finishes(app, make_user, make_event):
    organizer = make_user(email="org@example.com", role="organizer")
    event = make_event(organizer=organizer)
    job = jobs.start(event, "matching", record_thread, by=organizer)
    done = _finished(job.id)
    assert (done.status, done.result, done.attempts) == ("done", {"pairs": 3}, 1)
    assert RAN_IN["thread"] != threading.main_thread().name


def test_a_job_whose_web_process_died_is_failed_and_can_be_started_again(
    app, make_user, make_event
):
    organizer = make_user(email="org@example.com", role="organizer")
    event = make_event(organizer=organizer)
    lost = Job(event_id=event.id, kind="matching", status="running", attempts=1,
               created_by_id=organizer.id)  # fmt: skip
    db.session.add(lost)
    db.session.commit()
    db.session.execute(sa.update(Job).values(heartbeat_at=lost.created_at - timedelta(minutes=10)))
    db.session.commit()
    job = jobs.start(event, "matching", record_thread, by=organizer)  # not "already running"
    assert job.id != lost.id
    db.session.expire_all()
    assert db.session.get(Job, lost.id).status == "failed"
    assert "restarted or crashed" in db.session.get(Job, lost.id).message
    assert _finished(job.id).status == "done"


def _finished(job_id):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        db.session.rollback()
        db.session.expire_all()
        if db.session.get(Job, job_id).finished:
            break
        time.sleep(0.05)
    return db.session.get(Job, job_id)
