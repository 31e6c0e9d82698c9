"""Health of the process's outside dependencies, for the load balancers' /health probe."""

import logging

import sqlalchemy as sa

from matchmaker.extensions import db

log = logging.getLogger(__name__)


def database_reachable():
    """True when a trivial query on the database answers; False (and a logged warning) when
    the database cannot be reached. Cost: one round trip, or the driver's connect timeout."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        log.warning("health check: database unreachable: %s", error)
        db.session.rollback()
        return False
    finally:
        db.session.close()  # leave no transaction open between probes
    return True
