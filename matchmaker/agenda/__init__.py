"""Published agendas: a participant's personal agenda (web, print, ICS) and the venue's
per-table sheets and door list."""

from flask import Blueprint

bp = Blueprint("agenda", __name__, url_prefix="/events/<slug>")

from matchmaker.agenda import views  # noqa: E402, F401
