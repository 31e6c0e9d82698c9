"""Concurrency guards for the services that change shared data.

Two web processes (or two threads) may run the same use case at the same moment. The
database's unique keys refuse double bookings by themselves; rules a constraint cannot express
(caps, "the meeting is still where the organizer saw it", "no colleague created this
organisation meanwhile") are checked again after taking a row lock, so the second writer waits
for the first and then sees its work. On PostgreSQL the locks are SELECT ... FOR NO KEY UPDATE
(it does not block the foreign-key checks of inserts that merely refer to the locked row) and
transaction-scoped advisory locks; SQLite writes one transaction at a time and ignores them.
"""

import hashlib
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from matchmaker.extensions import db
from matchmaker.services.errors import Conflict, DomainError

# SQLSTATEs of a transaction that lost a race and can simply be tried again: serialization
# failure, deadlock detected, lock not available.
RETRYABLE = {"40001", "40P01", "55P03"}


def lock(model, *ids, refresh=True):
    """Lock the rows of `model` with these ids until the transaction ends (in id order, so two
    writers locking the same rows cannot deadlock) and return those that still exist, freshly
    loaded, in id order. With `refresh`, also expire everything the session read before, so
    what follows sees the state the previous lock holder committed (without it, only the
    locked rows are reloaded: for a caller holding many objects it still needs as they are)."""
    rows = db.session.scalars(
        sa.select(model)
        .where(model.id.in_(sorted(set(ids))))
        .order_by(model.id)
        .with_for_update(key_share=True, of=model)
        .execution_options(populate_existing=True)
    ).all()
    if refresh:
        db.session.expire_all()
    return rows


def lock_key(*parts):
    """Serialize the transactions that name the same key (a row that does not exist yet, such
    as an organisation about to be created) until the transaction ends. PostgreSQL only."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))


def lost_race(error):
    """True when `error` is a database refusal caused by a concurrent writer."""
    if isinstance(error, IntegrityError):
        return True
    return isinstance(error, DBAPIError) and getattr(error.orig, "sqlstate", None) in RETRYABLE


@contextmanager
def guarded(message, error_class=Conflict):
    """Run a write: when the domain refuses it, roll back (releasing the locks at once) and let
    the refusal through; when the database refuses it because another writer won the race,
    roll back and raise `error_class(message)`, a sentence for the user."""
    try:
        yield
    except DomainError:
        db.session.rollback()
        raise
    except DBAPIError as error:
        if not lost_race(error):
            raise
        db.session.rollback()
        raise error_class(message) from error
