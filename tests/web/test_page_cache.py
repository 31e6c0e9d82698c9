"""The rendered-page cache: a page is served again from memory only while nothing it may show
has changed, per user and session, and never to someone who is not logged in."""

import gzip
import time

import pytest
import sqlalchemy as sa

from matchmaker import pagecache
from matchmaker.extensions import db
from matchmaker.models import (
    CacheVersion,
    Meeting,
    MeetingAttendee,
    MeetingRequest,
    Opportunity,
    Participant,
    Schedule,
    User,
)
from matchmaker.pagecache import APPLICATION_NAME, Listener, bump, scopes_written
from matchmaker.services import jobs, schedules
from tests.conftest import TEST_DATABASE_URL

SLUG = "ict-days"
MARKETPLACE = f"/events/{SLUG}/marketplace"
EVENT_DASHBOARD = f"/events/{SLUG}/me"


@pytest.fixture
def config_overrides():
    return {"PAGE_CACHE_MB": 4}


@pytest.fixture
def event(make_user, make_event, make_participant):
    event = make_event(SLUG, participants_public=False)
    make_participant(event, make_user("ana@example.com", "Ana Popescu"), offers=["Drone mapping"])
    make_participant(event, make_user("bo@example.com", "Bogdan Ilic"), offers=["Soil sensors"])
    return event


@pytest.fixture
def other_event(make_user, make_event, make_participant):
    event = make_event("agri-days", title="Agri Days")
    make_participant(event, make_user("cem@example.com", "Cem Kaya"), offers=["Tractors"])
    return event


def log_in(client, auth, email):
    """Log in and open a first page, which gives the session its CSRF token (as the login
    form does in a browser): pages are cached from the next one on."""
    auth.login(email)
    client.get("/dashboard")


def participant_named(name):
    return db.session.scalars(
        sa.select(Participant).join(Participant.user).where(User.name == name)
    ).one()


def statements_of(client, url):
    """The response to one GET of `url` and the SQL statements it ran."""
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return response, statements


def test_second_view_of_a_page_is_served_from_memory(client, auth, event):
    log_in(client, auth, "ana@example.com")
    first, rendering = statements_of(client, MARKETPLACE)
    second, cached = statements_of(client, MARKETPLACE)

    assert first.status_code == second.status_code == 200
    assert second.text == first.text
    assert "Soil sensors" in second.text
    assert len(cached) == 1 < len(rendering)
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_a_change_in_the_event_shows_on_the_next_view(client, auth, event):
    log_in(client, auth, "ana@example.com")
    assert "Soil sensors" in client.get(MARKETPLACE).text
    bogdan = participant_named("Bogdan Ilic")
    bogdan.status = "withdrawn"
    db.session.commit()

    assert "Soil sensors" not in client.get(MARKETPLACE).text


def test_a_change_without_an_event_shows_on_every_event_page(client, auth, event):
    log_in(client, auth, "ana@example.com")
    client.get(MARKETPLACE)
    bogdan = participant_named("Bogdan Ilic")
    bogdan.organisation.name = "Ilic Agritech"
    db.session.add(
        Opportunity(participant=bogdan, kind="offer", category="service", title="Irrigation")
    )
    db.session.commit()

    page = client.get(MARKETPLACE).text
    assert "Ilic Agritech" in page
    assert "Irrigation" in page


def test_a_change_in_another_event_keeps_the_cached_page(client, auth, event, other_event):
    log_in(client, auth, "ana@example.com")
    client.get(MARKETPLACE)
    cem = participant_named("Cem Kaya")
    cem.looking_for = "Distributors in Serbia"
    db.session.commit()

    _, statements = statements_of(client, MARKETPLACE)
    assert len(statements) == 1


def test_the_dashboard_of_all_events_changes_with_any_event(client, auth, event, other_event):
    log_in(client, auth, "ana@example.com")
    client.get("/dashboard")
    _, cached = statements_of(client, "/dashboard")
    participant_named("Cem Kaya").looking_for = "Distributors"
    db.session.commit()
    _, after_write = statements_of(client, "/dashboard")

    assert len(cached) == 1 < len(after_write)


def test_a_rolled_back_change_keeps_the_cached_page(client, auth, event):
    log_in(client, auth, "ana@example.com")
    client.get(MARKETPLACE)
    participant_named("Bogdan Ilic").status = "withdrawn"
    db.session.flush()
    db.session.rollback()

    response, statements = statements_of(client, MARKETPLACE)
    assert len(statements) == 1
    assert "Soil sensors" in response.text


def test_each_user_gets_their_own_page(client, auth, event):
    log_in(client, auth, "ana@example.com")
    assert "Ana Popescu Ltd" in client.get(EVENT_DASHBOARD).text
    auth.logout()
    log_in(client, auth, "bo@example.com")

    page = client.get(EVENT_DASHBOARD).text
    assert "Bogdan Ilic Ltd" in page
    assert "Ana Popescu Ltd" not in page


def test_a_logged_out_visitor_is_not_served_the_cached_page(client, auth, event):
    log_in(client, auth, "ana@example.com")
    client.get(EVENT_DASHBOARD)
    client.get(EVENT_DASHBOARD)
    auth.logout()

    response = client.get(EVENT_DASHBOARD)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_a_deleted_account_is_not_served_the_cached_page(client, auth, event):
    log_in(client, auth, "ana@example.com")
    client.get(EVENT_DASHBOARD)
    ana = participant_named("Ana Popescu").user
    ana.active = False
    db.session.commit()

    response = client.get(EVENT_DASHBOARD)
    assert response.status_code == 302


def test_a_flashed_message_is_shown_once(client, auth, event):
    log_in(client, auth, "ana@example.com")
    client.get(EVENT_DASHBOARD)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Registration saved.")]

    assert "Registration saved." in client.get(EVENT_DASHBOARD).text
    assert "Registration saved." not in client.get(EVENT_DASHBOARD).text


@pytest.mark.parametrize("config_overrides", [{"PAGE_CACHE_MB": 0}])
def test_turned_off_every_view_is_rendered(client, auth, event):
    log_in(client, auth, "ana@example.com")
    client.get(MARKETPLACE)
    _, statements = statements_of(client, MARKETPLACE)
    assert len(statements) > 1


def _progress_only(event, by, progress):
    progress("thinking", 0.5)
    return {"pairs": 0}


def _withdraw_bogdan(event, by, progress):
    participant_named("Bogdan Ilic").status = "withdrawn"
    db.session.commit()
    return {"pairs": 0}


def test_cached_pages_expire_spread_over_the_minute_not_all_at_once(app, monkeypatch):
    """Pages are at most a minute late on what depends on the clock, but they do not all
    expire on the minute: 2,000 people's pages rendered again together made requests queue
    for seconds once a minute."""
    now = [1_800_000_000.0]  # a minute starts here
    monkeypatch.setattr(pagecache.time, "time", lambda: now[0])
    paths = [f"{MARKETPLACE}?page={i}" for i in range(120)]

    def minutes():
        keys = []
        for path in paths:
            with app.test_request_context(path):
                keys.append(pagecache._minute(7))
        return keys

    start = minutes()
    now[0] += 1
    after_a_second = minutes()
    now[0] += 59
    after_a_minute = minutes()

    assert sum(a != b for a, b in zip(start, after_a_second, strict=True)) <= 12  # about 2
    assert all(a != b for a, b in zip(start, after_a_minute, strict=True))


@pytest.fixture
def one_clock_minute(monkeypatch):
    """The page cache's minute never turns during the test (its key holds the minute): the
    tests below take seconds between two views of a page."""
    monkeypatch.setattr(pagecache, "CLOCK_SECONDS", 10**9)


def test_a_job_keeps_the_cached_pages_until_it_changes_what_they_show(
    client, auth, event, make_user, one_clock_minute
):
    """Starting a job, its claim, its progress and its end are the organizer's bookkeeping:
    the participants' pages stay cached (else every job would make 2,000 people's pages
    render cold at once); what the job writes to the event shows at once."""
    organizer = make_user("olga@example.com", "Olga", role="organizer")
    event.organizers.append(organizer)
    db.session.commit()
    log_in(client, auth, "ana@example.com")
    client.get(MARKETPLACE)
    assert len(statements_of(client, MARKETPLACE)[1]) == 1

    job = jobs.start(event, "matching", _progress_only, by=organizer)
    assert (job.status, job.stage) == ("done", "thinking")
    _, statements = statements_of(client, MARKETPLACE)
    assert len(statements) == 1  # still served from memory

    jobs.start(event, "matching", _withdraw_bogdan, by=organizer)
    assert "Soil sensors" not in client.get(MARKETPLACE).text


def test_a_draft_agenda_keeps_the_cached_pages_and_its_publication_shows_at_once(
    client, auth, event, make_user, one_clock_minute
):
    """Generating a draft of 2,000 people's agenda is organizers' work in progress: nobody
    else's page shows it, so it must not make every page render again; publishing does."""
    organizer = make_user("olga@example.com", "Olga", role="organizer")
    event.organizers.append(organizer)
    ana, bogdan = participant_named("Ana Popescu"), participant_named("Bogdan Ilic")
    db.session.add(MeetingRequest(event_id=event.id, sender_id=ana.id, receiver_id=bogdan.id,
                                  status="accepted"))  # fmt: skip
    db.session.commit()
    log_in(client, auth, "ana@example.com")
    agenda = f"/events/{SLUG}/agenda"
    assert "not published yet" in client.get(agenda).text

    draft = schedules.generate(event, by=organizer, time_limit=2)
    assert len(draft.meetings) == 1
    page, statements = statements_of(client, agenda)
    assert len(statements) == 1 and "not published yet" in page.text

    schedules.publish(draft, by=organizer)
    page = client.get(agenda).text
    assert "not published yet" not in page and "Bogdan Ilic Ltd" in page


def test_a_commit_bumps_the_scopes_it_wrote(app, event, other_event):
    def versions():
        return dict(db.session.execute(sa.select(CacheVersion.scope, CacheVersion.value)).all())

    before = versions()
    participant_named("Ana Popescu").looking_for = "Partners"
    db.session.commit()
    after = versions()

    assert after["any"] == before["any"] + 1
    assert after[f"event:{event.id}"] == before.get(f"event:{event.id}", 0) + 1
    assert after.get(f"event:{other_event.id}") == before.get(f"event:{other_event.id}")
    assert after.get("other") == before.get("other")


def test_rows_with_an_event_are_scoped_to_it_and_others_to_everything(event):
    participant = participant_named("Ana Popescu")
    meeting = Meeting(event_id=event.id)
    opportunity = Opportunity(participant=participant, kind="offer", title="x")

    assert scopes_written([participant, meeting]) == {f"event:{event.id}"}
    assert scopes_written([opportunity]) == {"other"}
    assert scopes_written([event]) == {"other"}


def test_a_draft_schedule_writes_no_scope_and_a_published_one_its_event(event):
    draft = Schedule(event_id=event.id, version=1, status="draft")
    meeting = Meeting(event_id=event.id, schedule=draft)
    attendee = MeetingAttendee(meeting=meeting)
    assert scopes_written([draft, meeting, attendee]) == set()

    published = Schedule(event_id=event.id, version=2, status="published")
    meeting = Meeting(event_id=event.id, schedule=published)
    attendee = MeetingAttendee(meeting=meeting)
    assert scopes_written([attendee]) == {f"event:{event.id}"}
    assert scopes_written([published, meeting]) == {f"event:{event.id}"}
    assert scopes_written([MeetingAttendee()]) == {"other"}  # its meeting unknown


def test_the_writers_session_remembers_the_version_of_their_write(client, auth, event):
    # With the listener, a worker that has not yet heard of this write serves the writer
    # from the database (test_the_listener_is_not_trusted_behind_the_users_own_write).
    log_in(client, auth, "ana@example.com")
    response = client.post(
        f"/events/{SLUG}/me/details", data={"looking_for": "Irrigation partners"}
    )
    assert response.status_code == 302
    latest = db.session.scalar(sa.select(CacheVersion.value).where(CacheVersion.scope == "any"))
    with client.session_transaction() as session:
        assert session["_cache_written"] == latest


# -- With the listener (PostgreSQL): versions kept in memory, hits run no query -------------

needs_postgres = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="LISTEN/NOTIFY needs PostgreSQL (MATCHMAKER_TEST_DATABASE_URL)"
)


def eventually(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.fixture
def listener(app):
    listener = Listener(db.engine.url)
    yield listener
    listener.stop()


@needs_postgres
def test_the_listener_learns_every_bump(listener):
    assert listener.wait_live(5)
    values = bump(db.engine, {"event:7"})

    assert eventually(lambda: listener.known().get("event:7") == values["event:7"])
    assert listener.known()["any"] == values["any"]


@needs_postgres
def test_the_listener_is_not_trusted_behind_the_users_own_write(listener):
    assert listener.wait_live(5)
    values = bump(db.engine, {"other"})

    assert listener.known(written=values["any"] + 1) is None


@needs_postgres
def test_the_listener_reconnects_and_catches_up_after_losing_its_connection(listener):
    assert listener.wait_live(5)
    with db.engine.connect() as connection:
        connection.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = :name"
            ),
            {"name": APPLICATION_NAME},
        )
    assert eventually(lambda: listener.known() is None)  # not trusted while away
    values = bump(db.engine, {"event:9"})  # a write it was not there to hear

    assert eventually(lambda: (listener.known() or {}).get("event:9") == values["event:9"])


@needs_postgres
@pytest.mark.parametrize("config_overrides", [{"PAGE_CACHE_MB": 4, "PAGE_CACHE_LISTEN": True}])
def test_with_the_listener_a_hit_runs_no_query_and_a_write_still_shows(app, client, auth, event):
    try:
        log_in(client, auth, "ana@example.com")
        client.get(MARKETPLACE)
        running = app.extensions["page_cache_versions"]
        assert running.wait_live(5)
        client.get(MARKETPLACE)  # the slug's event id is now known too
        cached, statements = statements_of(client, MARKETPLACE)
        assert "Soil sensors" in cached.text
        assert statements == []

        participant_named("Bogdan Ilic").status = "withdrawn"
        db.session.commit()
        latest = db.session.scalar(sa.select(CacheVersion.value).where(CacheVersion.scope == "any"))
        assert eventually(lambda: running.known()["any"] >= latest)
        assert "Soil sensors" not in client.get(MARKETPLACE).text
    finally:
        app.extensions["page_cache_versions"].stop()


def test_a_cached_page_goes_compressed_to_browsers_that_accept_gzip(client, auth, event):
    log_in(client, auth, "ana@example.com")
    rendered = client.get(MARKETPLACE)
    compressed = client.get(MARKETPLACE, headers={"Accept-Encoding": "gzip, deflate"})
    plain = client.get(MARKETPLACE)

    assert compressed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.data) == rendered.data == plain.data
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
