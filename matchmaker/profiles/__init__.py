"""A person's account and organisation profile, reused across events."""

from flask import Blueprint

bp = Blueprint("profiles", __name__)

from matchmaker.profiles import account, email_views, membership_views, views  # noqa: E402, F401
