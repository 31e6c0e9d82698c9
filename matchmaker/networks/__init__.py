"""Networks (issue 23): the public network page, its administration and its statistics."""

from flask import Blueprint

bp = Blueprint("networks", __name__, url_prefix="/networks")

from matchmaker.networks import views  # noqa: E402, F401
