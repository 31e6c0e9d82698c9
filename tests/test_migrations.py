"""The committed migrations build exactly the schema the models describe."""

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from matchmaker import create_app
from matchmaker.extensions import db
from tests.conftest import TEST_DATABASE_URL, base_config


@pytest.fixture
def empty_database_url(tmp_path):
    """A brand-new empty database of the kind the suite runs on."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    name = f"mm_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_empty_to_head_equals_the_models(tmp_path, empty_database_url):
    app = create_app(base_config(tmp_path, empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        downgrade(revision="base")
        assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
        db.engine.dispose()


def test_migrating_down_and_up_keeps_the_data(tmp_path, empty_database_url):
    """SQLite's batch mode rebuilds tables; that must not cascade into child rows."""
    from matchmaker.models import Event, Organisation, Participant, User

    app = create_app(base_config(tmp_path, empty_database_url))
    with app.app_context():
        upgrade()
        event = Event(slug="e", title="E")
        db.session.add(
            Participant(
                event=event,
                user=User(email="a@example.com", name="A"),
                organisation=Organisation(name="O", country="RO"),
            )
        )
        db.session.commit()
        db.session.remove()
        downgrade(revision="-1")
        upgrade()
        assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 1
        db.session.remove()
        db.engine.dispose()
