"""Races on a real PostgreSQL: each racer runs in its own thread, app context, session and
connection, and a barrier releases them together so their transactions overlap.

On SQLite (one writer at a time, one in-memory database per connection) these tests are
skipped; on a PostgreSQL run they run, and fail like the rest when the server is missing.
"""

import threading

import pytest

from matchmaker.extensions import db
from tests.conftest import TEST_DATABASE_URL

ON_POSTGRES = bool(TEST_DATABASE_URL) and TEST_DATABASE_URL.startswith("postgresql")
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="needs PostgreSQL: set MATCHMAKER_TEST_DATABASE_URL"
)
# Rounds per race: enough that a missing lock shows, few enough to keep the package short.
ROUNDS = 10
TIMEOUT = 30


@pytest.fixture
def config_overrides():
    # One connection per racer (up to 20 at once) plus the test's own.
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 24}}


class Failed:
    """What a racer raised (compare `kind` and `message`)."""

    def __init__(self, error):
        self.error = error
        self.kind = type(error).__name__
        self.message = str(error)

    def __repr__(self):
        return f"Failed({self.kind}: {self.message})"


def race(app, *racers):
    """Run the racers at once and return their outcomes in order: what `act` returned, or a
    Failed. A racer is a callable run in its own app context (so its own session) that loads
    what it needs and returns `act`, the call that races; all `act`s start together."""
    db.session.commit()  # the test's own session holds no transaction while they run
    barrier = threading.Barrier(len(racers))
    outcomes = [None] * len(racers)

    def run(index, racer):
        with app.app_context():
            try:
                act = racer()
                barrier.wait(TIMEOUT)
                outcomes[index] = act()
            except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
                barrier.abort()
                outcomes[index] = Failed(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a racer is stuck (deadlock?)"
    db.session.expire_all()
    return outcomes


def failures(outcomes):
    return [o for o in outcomes if isinstance(o, Failed)]


def successes(outcomes):
    return [o for o in outcomes if not isinstance(o, Failed)]
