import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Job
from matchmaker.services import jobs
from matchmaker.services.errors import DomainError


@pytest.fixture
def organizer_event(make_user, make_event, auth):
    organizer = make_user(email="org@example.com", role="organizer")
    event = make_event(organizer=organizer)
    auth.login("org@example.com")
    return organizer, event


def test_failed_job_says_why(client, organizer_event):
    organizer, event = organizer_event

    def task(event, by, progress):
        progress("thinking", 0.5)
        raise DomainError("The event has no approved participant yet.")

    job = jobs.start(event, "schedule", task, by=organizer)
    assert (job.status, job.progress) == ("failed", 0.5)
    page = client.get(f"/manage/{event.slug}/jobs/{job.id}").text
    assert "The event has no approved participant yet." in page


def test_running_job_page_shows_progress_and_refreshes(client, organizer_event):
    organizer, event = organizer_event
    job = Job(event_id=event.id, kind="schedule", status="running", progress=0.4, stage="place",
              created_by_id=organizer.id)  # fmt: skip
    db.session.add(job)
    db.session.commit()
    page = client.get(f"/manage/{event.slug}/jobs/{job.id}").text
    assert "40%" in page and "Running: place" in page
    assert '<meta http-equiv="refresh" content="2">' in page
    with pytest.raises(DomainError, match="already running"):
        jobs.start(event, "schedule", lambda *a, **k: {}, by=organizer)


def test_unexpected_error_fails_the_job_without_leaking_details(client, organizer_event):
    organizer, event = organizer_event

    def task(event, by, progress):
        raise RuntimeError("secret stack detail")

    job = jobs.start(event, "matching", task, by=organizer)
    page = client.get(f"/manage/{event.slug}/jobs/{job.id}").text
    assert "The task failed unexpectedly" in page
    assert "secret stack detail" not in page


def test_job_of_another_event_is_404(client, organizer_event, make_event, make_user):
    organizer, event = organizer_event
    other = make_event(slug="other", organizer=make_user(email="x@example.com", role="organizer"))
    job = Job(event_id=other.id, kind="schedule", created_by_id=organizer.id)
    db.session.add(job)
    db.session.commit()
    assert client.get(f"/manage/{event.slug}/jobs/{job.id}").status_code == 404
    assert client.get(f"/manage/other/jobs/{job.id}").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Job.id))) == 1


def test_the_minute_s_scheduled_work_from_cron_expires_overdue_requests(
    runner, make_event, make_user, make_participant
):
    from datetime import timedelta

    from matchmaker.models import MeetingRequest
    from matchmaker.models.base import utcnow

    event = make_event()
    ana = make_participant(event, make_user(email="ana@example.com"), offers=["cloud"])
    mo = make_participant(event, make_user(email="mo@example.com", name="Mo"), offers=["iot"])
    overdue = MeetingRequest(
        event_id=event.id,
        sender_id=ana.id,
        receiver_id=mo.id,
        status="pending",
        expires_at=utcnow() - timedelta(minutes=1),
    )
    db.session.add(overdue)
    db.session.commit()
    output = runner.invoke(args=["scheduled"]).output
    assert "Requests expired: 1." in output and "Jobs taken back: 0." in output
    db.session.expire_all()
    assert overdue.status == "expired"
