"""Tasks for tests/web/test_queue.py: module functions, so that a worker process can import them."""

import os
import time
from pathlib import Path

import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Participant


def _approved(event):
    return db.session.scalar(
        sa.select(sa.func.count(Participant.id)).where(
            Participant.event_id == event.id, Participant.status == "approved"
        )
    )


def count_participants(event, by, progress):
    progress("counting", 0.5)
    return {"pairs": 0, "participants": _approved(event), "pid": os.getpid(), "by": by.email}


def slow_once(event, by, progress, marker):
    """The first attempt writes its pid to `marker` and runs (beating) until killed; a later
    attempt finishes at once."""
    marker = Path(marker)
    if not marker.exists():
        marker.write_text(str(os.getpid()))
        for step in range(600):
            progress("waiting to be killed", step / 600)
            time.sleep(0.1)
    return {"attempt": "again", "approved": _approved(event)}
