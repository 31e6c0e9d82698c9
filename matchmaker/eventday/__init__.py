"""The event day: check-in desk, meeting statuses and walk-ins (staff), and the participant's
side of it (confirm a meeting was held, book a walk-in)."""

from flask import Blueprint

bp = Blueprint("eventday", __name__)

from matchmaker.eventday import views  # noqa: E402, F401
