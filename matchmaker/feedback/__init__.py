"""Participants' feedback on their meetings after the event."""

from flask import Blueprint

bp = Blueprint("feedback", __name__, url_prefix="/events/<slug>")

from matchmaker.feedback import views  # noqa: E402, F401
