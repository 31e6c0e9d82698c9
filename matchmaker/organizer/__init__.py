"""Organizer side: event set-up, participants, import and export."""

from flask import Blueprint

bp = Blueprint("organizer", __name__, url_prefix="/manage")

from matchmaker.organizer import views  # noqa: E402, F401
from matchmaker.organizer import transfer  # noqa: E402, F401
