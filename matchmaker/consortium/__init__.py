"""The consortium builder and group meetings (issue 25): a lead describes a project idea,
gets three alternative teams, swaps partners and invites a team to a group meeting; members
answer; organizers list the event's group meetings and set one up by hand."""

from flask import Blueprint

bp = Blueprint("consortium", __name__)

from matchmaker.consortium import views  # noqa: E402, F401
