"""After the event, for organizers: feedback rounds, statistics with charts, the funder's
printable report and the exports of meetings, feedback and figures."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/manage/<slug>")

from matchmaker.reports import views  # noqa: E402, F401
