"""The web benchmark's event: N participants with opportunities, matches, interests, meeting
requests and a published agenda, in a PostgreSQL database of its own.

The schema comes from the migrations (as `make serve` would create it); participants,
organisations, users and opportunities are bulk-inserted (one shared argon2 hash: every
benchmark user has the same password); matches are computed by the real matchmaking service
and the agenda generated and published by the real schedules service. A database that already
holds the event with the same number of participants and a published agenda is reused; any
other content is dropped (the database is the benchmark's own).
"""

import random
import tempfile
import time
from datetime import date
from datetime import time as clock

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from benchmarks.matching import synthetic_participants

PASSWORD = "benchmark password 2027"
ORGANIZER_EMAIL = "organizer@bench.example"
# benchmarks/matching.py's organisation types -> the app's.
TYPES = {"research": "research_organisation", "public body": "public_body"}


def slug_for(participants):
    return f"bench-{participants}"


def email_for(index):
    return f"p{index}@bench.example"


def ensure_database(url):
    """Create the PostgreSQL database named in `url` if it does not exist."""
    url = make_url(url)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
        )
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()


def ensure_event(url, participants, rebuild=False, log=print):
    """The event's slug, built first when the database lacks it (or `rebuild`)."""
    ensure_database(url)
    # Publishing emails every participant: into a scratch outbox, removed afterwards.
    with tempfile.TemporaryDirectory(prefix="matchmaker-bench-outbox-") as outbox:
        return _ensure_event(url, participants, rebuild, log, outbox)


def _ensure_event(url, participants, rebuild, log, outbox):
    from matchmaker import create_app
    from matchmaker.extensions import db
    from matchmaker.models import Event, Schedule

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "OUTBOX_DIR": outbox})
    slug = slug_for(participants)
    with app.app_context():
        if rebuild:
            _drop_everything(db)
        _migrate(app)
        event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
        published = event is not None and db.session.scalar(
            sa.select(Schedule.id).where(
                Schedule.event_id == event.id, Schedule.status == "published"
            )
        )
        if published:
            log(f"reusing event {slug} in {make_url(url).database}")
        else:  # the database is the benchmark's own: start it afresh
            _drop_everything(db)
            _migrate(app)
            _build(db, participants, slug, log)
        db.session.remove()
        db.engine.dispose()
    return slug


def _drop_everything(db):
    db.session.remove()
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))


def _migrate(app):
    from flask_migrate import upgrade

    upgrade()


def _build(db, n, slug, log):
    from matchmaker.models import (
        Event,
        EventSession,
        Interest,
        Match,
        MeetingRequest,
        Opportunity,
        Organisation,
        Participant,
        User,
    )
    from matchmaker.services import matchmaking, schedules
    from matchmaker.services.accounts import hash_password
    from matchmaker.services.events import sync_slots_and_tables

    started = time.perf_counter()
    rng = random.Random(2027)
    password_hash = hash_password(PASSWORD)
    organizer = User(
        email=ORGANIZER_EMAIL, name="Bench Organizer", role="organizer", password_hash=password_hash
    )
    days = (date(2027, 5, 18), date(2027, 5, 19))
    event = Event(
        slug=slug,
        title=f"Benchmark Brokerage Days ({n} participants)",
        description="A synthetic event for the web benchmark.",
        status="matchmaking",
        timezone="Europe/Bucharest",
        meeting_minutes=25,
        gap_minutes=5,
        table_count=max(10, n * 3 // 10),
        participants_public=True,
        sectors=[],
    )
    event.sessions = [
        EventSession(day=day, start=start, end=end)
        for day in days
        for start, end in ((clock(9, 0), clock(12, 30)), (clock(14, 0), clock(17, 30)))
    ]
    event.organizers.append(organizer)
    db.session.add(event)
    sync_slots_and_tables(event)
    db.session.flush()

    plain = synthetic_participants(n, seed=11)
    organisations = [
        Organisation(
            name=f"{_org_name(rng)} {i}",
            country=p.country,
            city="",
            type=TYPES.get(p.type, p.type),
            description=p.profile,
            sectors=list(p.sectors),
        )
        for i, p in enumerate(plain)
    ]
    users = [
        User(
            email=email_for(i),
            name=f"Person {i}",
            password_hash=password_hash,
            organisation=organisations[i],
        )
        for i in range(n)
    ]
    people = []
    for i, p in enumerate(plain):
        participant = Participant(
            event=event,
            user=users[i],
            organisation=organisations[i],
            status="approved",
            looking_for="Partners for joint projects",
        )
        participant.opportunities = [
            Opportunity(
                kind=o.kind,
                category=o.category,
                title=o.title[:200],
                description=o.description,
                keywords=", ".join(o.keywords),
            )
            for o in (*p.offers, *p.requests)
        ]
        people.append(participant)
    db.session.add_all(people)
    db.session.commit()
    log(f"  {n} participants inserted in {time.perf_counter() - started:.1f} s")

    t = time.perf_counter()
    pairs = matchmaking.compute_matches(event)
    log(f"  {pairs} matches computed in {time.perf_counter() - t:.1f} s")

    # Interests and requests from the matches, so the pages show every kind of row.
    matches = db.session.execute(
        sa.select(Match.participant_a_id, Match.participant_b_id).where(Match.event_id == event.id)
    ).all()
    rng.shuffle(matches)
    interests, requested = set(), set()
    statuses = ("accepted",) * 6 + ("pending",) * 3 + ("declined",)
    for a, b in matches[: len(matches) // 4]:
        interests.add((a, b))
        if rng.random() < 0.5:
            interests.add((b, a))
    for a, b in matches[len(matches) // 4 : len(matches) // 4 + n]:
        requested.add((a, b) if rng.random() < 0.5 else (b, a))
    db.session.execute(
        sa.insert(Interest),
        [
            {"event_id": event.id, "participant_id": a, "target_id": b, "value": "interested"}
            for a, b in interests
        ],
    )
    db.session.execute(
        sa.insert(MeetingRequest),
        [
            {
                "event_id": event.id,
                "sender_id": a,
                "receiver_id": b,
                "message": "We would like to meet you.",
                "status": rng.choice(statuses),
            }
            for a, b in requested
        ],
    )
    db.session.commit()
    log(f"  {len(interests)} interests and {len(requested)} meeting requests")

    t = time.perf_counter()
    draft = schedules.generate(event, by=organizer, time_limit=20.0)
    schedules.publish(draft, by=organizer)
    log(
        f"  agenda of {len(draft.meetings)} meetings generated and published in "
        f"{time.perf_counter() - t:.1f} s"
    )
    # Fresh tables have no planner statistics until autovacuum gets to them; a live server
    # would have them, so the benchmark does not measure the first minutes' bad plans.
    db.session.commit()
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("ANALYZE"))
    log(f"event {slug} built in {time.perf_counter() - started:.1f} s")


def _org_name(rng):
    return (
        rng.choice(["Danube", "Carpathia", "Adriatic", "Balkan", "Pontic", "Thracian", "Dinaric"])
        + " "
        + rng.choice(["Systems", "Labs", "Digital", "Industries", "Solutions", "Networks"])
    )
