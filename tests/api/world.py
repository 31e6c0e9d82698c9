"""The authorization matrix's world (tests/web/test_authorization_matrix.py), with a personal
access token for every role: one Flask app per test module, the world built once and copied
row by row into the empty database of each test, as that module does."""

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.models import Job, User
from matchmaker.models.base import utcnow
from matchmaker.services import api_tokens
from tests.conftest import _empty_all_tables, base_config
from tests.web.test_authorization_matrix import ROLES, _build_world, _move_sequences_past

ALL_SCOPES = ("read", "participate", "organize")


@pytest.fixture(scope="module")
def _api_app(tmp_path_factory, _postgres_schema):
    config = base_config(tmp_path_factory.mktemp("api"), _postgres_schema or "sqlite://")
    app = create_app(config)
    with app.app_context():
        if not _postgres_schema:
            db.create_all()
        yield app
        if _postgres_schema:
            _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def app(_api_app):
    with _api_app.app_context():
        yield _api_app
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture(scope="module")
def _world_rows():
    return {}


@dataclass
class Tokens:
    """Each role's token (every scope) by role name; the visitor has none."""

    secrets: dict

    def headers(self, role):
        secret = self.secrets.get(role)
        return {"Authorization": f"Bearer {secret}"} if secret else {}


def _tokens(world):
    secrets = {}
    for role in ROLES:
        if role == "visitor":
            continue
        user = db.session.scalar(sa.select(User).where(User.email == world.emails[role]))
        _made, secrets[role] = api_tokens.create(user, f"{role} token", ALL_SCOPES)
    return Tokens(secrets)


@pytest.fixture
def world(_world_rows, make_user, make_event, make_participant):
    if not _world_rows:
        built = _build_world(make_user, make_event, make_participant)
        _world_rows["world"] = (built, _tokens(built))
        _world_rows["rows"] = {
            table: [row._asdict() for row in db.session.execute(table.select())]
            for table in db.metadata.sorted_tables
        }
    else:
        _copy(_world_rows["rows"])
    db.session.remove()
    return _world_rows["world"]


def _copy(rows):
    with db.engine.begin() as connection:
        for table, table_rows in rows.items():
            if table_rows:
                connection.execute(table.insert(), table_rows)
        if connection.dialect.name == "postgresql":
            _move_sequences_past(connection, rows)
        connection.execute(
            sa.update(Job).where(Job.status == "running").values(heartbeat_at=utcnow())
        )


@pytest.fixture
def restore(_world_rows):
    """Put the world back as it was built (after a call that changed it)."""

    def restore():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        _copy(_world_rows["rows"])

    return restore


def snapshot():
    """Every row of every table but the tokens' (their last use is written, by design)."""
    state = {
        table.name: sorted(map(repr, db.session.execute(table.select()).all()))
        for table in db.metadata.sorted_tables
        if table.name != "api_tokens"
    }
    db.session.rollback()
    return state
