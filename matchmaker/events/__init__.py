"""Participant side of an event: registration, opportunities, availability, dashboard."""

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events/<slug>")

from matchmaker.events import views  # noqa: E402, F401
