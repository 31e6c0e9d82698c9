"""Suggested matches, interests and meeting requests of a participant."""

from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/events/<slug>")

from matchmaker.meetings import views  # noqa: E402, F401
