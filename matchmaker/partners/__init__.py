"""Partners of an event (issue 23): the organizer's partner page, the invitation link, and the
partner staff's dashboard of their own companies."""

from flask import Blueprint

bp = Blueprint("partners", __name__)

from matchmaker.partners import views  # noqa: E402, F401
