"""The marketplace: search and browse an event's participants and opportunities."""

from flask import Blueprint

bp = Blueprint("marketplace", __name__, url_prefix="/events/<slug>")

from matchmaker.marketplace import views  # noqa: E402, F401
