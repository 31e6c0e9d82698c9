"""The inbox: what waits for a person, the message threads of pairs of participants, and how
each person hears of messages."""

from flask import Blueprint

bp = Blueprint("inbox", __name__)

from matchmaker.inbox import views  # noqa: E402, F401
