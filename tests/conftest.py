"""Fixtures: an app per test on a fresh database, a client, an auth helper and factories.

The database is SQLite in memory unless MATCHMAKER_TEST_DATABASE_URL names a PostgreSQL
database; then the schema is created once and every table emptied after each test. A run told
to use PostgreSQL fails (it never skips) when the server cannot be reached.
"""

import os
import re
from datetime import date, time
from email import message_from_bytes
from pathlib import Path

import pytest
import sqlalchemy as sa

from matchmaker import create_app
from matchmaker.extensions import db

TEST_DATABASE_URL = os.environ.get("MATCHMAKER_TEST_DATABASE_URL")


def pytest_configure(config):
    """Compile translation catalogs whose .po changed since `make install` compiled them."""
    from matchmaker.i18n.catalogs import compile_stale

    compile_stale()


PASSWORD = "correct horse battery"


def base_config(tmp_path, database_url):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
        "SERVER_NAME": None,
        "JOBS_INLINE": True,
        # Webhooks (issue 24): receivers in tests listen on 127.0.0.1, and deliveries wait
        # for webhooks.deliver_due() (the clock) unless a test turns dispatching on.
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": True,
        "WEBHOOK_DISPATCH": False,
    }


@pytest.fixture(scope="session")
def _postgres_schema():
    """Create the schema once on PostgreSQL (dropping what an earlier run left)."""
    if not TEST_DATABASE_URL:
        yield None
        return
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL}
    )
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        db.engine.dispose()
    yield TEST_DATABASE_URL


@pytest.fixture
def config_overrides():
    """Tests override this to change the app's configuration."""
    return {}


@pytest.fixture
def app(tmp_path, config_overrides, _postgres_schema):
    config = base_config(tmp_path, _postgres_schema or "sqlite://")
    config.update(config_overrides)
    app = create_app(config)
    with app.app_context():
        if not _postgres_schema:
            db.create_all()
        yield app
        db.session.remove()
        if _postgres_schema:
            _empty_all_tables()
        db.engine.dispose()


def _empty_all_tables():
    """Empty the tables a test wrote to and restart every id sequence, as a fresh database.

    TRUNCATE gives each table it empties new files: emptying all the tables after every test
    took about 0.1 s. A test writes to a few, found with one query and emptied with DELETE,
    children first; the sequences are set back in one more statement."""
    tables = [table.name for table in db.metadata.sorted_tables]
    probe = " UNION ALL ".join(
        f'SELECT {i} WHERE EXISTS (SELECT 1 FROM "{name}")'  # noqa: S608
        for i, name in enumerate(tables)
    )
    with db.engine.begin() as connection:
        written = sorted((row[0] for row in connection.execute(sa.text(probe))), reverse=True)
        for i in written:
            connection.execute(sa.text(f'DELETE FROM "{tables[i]}"'))  # noqa: S608
        sequences = (
            connection.execute(
                sa.text(
                    "SELECT quote_ident(sequencename) FROM pg_sequences "
                    "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
                )
            )
            .scalars()
            .all()
        )
        if sequences:
            restart = ", ".join(f"setval('{name}', 1, false)" for name in sequences)
            connection.execute(sa.text(f"SELECT {restart}"))  # noqa: S608


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, email, password=PASSWORD):
        return self.client.post("/auth/login", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


class Outbox:
    """The messages the mail service wrote, oldest first."""

    def __init__(self, folder):
        self.folder = Path(folder)

    @property
    def messages(self):
        if not self.folder.exists():
            return []
        return [message_from_bytes(p.read_bytes()) for p in sorted(self.folder.glob("*.eml"))]

    def last_link(self):
        body = self.messages[-1].get_payload(decode=True).decode()
        return re.search(r"https?://\S+", body).group(0)


@pytest.fixture
def outbox(app):
    return Outbox(app.config["OUTBOX_DIR"])


@pytest.fixture
def make_user(app):
    from matchmaker.services.accounts import create_user

    def make(
        email="ana@example.com",
        name="Ana Popescu",
        role="participant",
        password=PASSWORD,
        verified=True,
    ):
        return create_user(email, name, password, role=role, verified=verified)

    return make


@pytest.fixture
def make_event(app):
    from matchmaker.models import Event, EventBreak, EventSession
    from matchmaker.services.events import sync_slots_and_tables

    def make(slug="ict-days", organizer=None, status="registration_open", tables=4, **fields):
        event = Event(
            slug=slug,
            title=fields.pop("title", "ICT Brokerage Days"),
            status=status,
            table_count=tables,
            timezone="Europe/Bucharest",
            meeting_minutes=fields.pop("meeting_minutes", 25),
            gap_minutes=fields.pop("gap_minutes", 5),
            **fields,
        )
        event.sessions = [
            EventSession(day=date(2027, 5, 18), start=time(9, 0), end=time(12, 0)),
            EventSession(day=date(2027, 5, 19), start=time(9, 0), end=time(11, 0)),
        ]
        event.breaks = [EventBreak(day=date(2027, 5, 18), start=time(10, 30), end=time(10, 45))]
        if organizer is not None:
            event.organizers.append(organizer)
        db.session.add(event)
        sync_slots_and_tables(event)
        db.session.commit()
        return event

    return make


@pytest.fixture
def make_participant(app):
    from matchmaker.models import Opportunity, Organisation, Participant

    def make(event, user, organisation=None, offers=(), requests=(), country="RO", **fields):
        organisation = organisation or Organisation(
            name=fields.pop("organisation_name", f"{user.name} Ltd"), country=country, type="sme"
        )
        participant = Participant(
            event=event,
            user=user,
            organisation=organisation,
            status=fields.pop("status", "approved"),
            **fields,
        )
        participant.opportunities = [
            Opportunity(kind="offer", category="service", title=text) for text in offers
        ] + [Opportunity(kind="request", category="service", title=text) for text in requests]
        db.session.add(participant)
        db.session.commit()
        return participant

    return make
