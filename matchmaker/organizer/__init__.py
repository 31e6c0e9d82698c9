"""Organizer side: event set-up, participants, import and export."""

from flask import Blueprint

bp = Blueprint("organizer", __name__, url_prefix="/manage")

from matchmaker.organizer import (  # noqa: E402, F401
    group_views,
    schedule_views,
    transfer,
    views,  # noqa: E402, F401
    webhook_views,
)
