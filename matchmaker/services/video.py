"""Video rooms of online meetings (issue 24): the link of each meeting's room, from the
event's template, and when it goes live. The only place that builds such links.

A meeting's room name is random (secrets.token_urlsafe, stored on the meeting), so the
address cannot be guessed; the event's template (an organizer's BigBlueButton or Jitsi
server) holds `{room}` where it goes, and without one the public Jitsi Meet is used.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit

from flask import current_app
from flask_babel import gettext as _

from matchmaker import timezones
from matchmaker.services.errors import DomainError

DEFAULT_TEMPLATE = "https://meet.jit.si/{room}"
TEMPLATE_LENGTH = 300  # events.video_template


def check_template(template):
    """The template as stored: stripped, "" for the default. Raises DomainError unless it is
    an https address with exactly one `{room}` (and no other braces)."""
    template = (template or "").strip()
    if not template:
        return ""
    if len(template) > TEMPLATE_LENGTH:
        raise DomainError(
            _("A video room address has at most %(n)s characters.", n=TEMPLATE_LENGTH)
        )
    bare = template.replace("{room}", "")
    parts = urlsplit(bare)
    if (
        template.count("{room}") != 1
        or "{" in bare
        or "}" in bare
        or parts.scheme != "https"
        or not parts.netloc
        or any(c.isspace() for c in template)
    ):
        raise DomainError(
            _(
                "Give the video room address as https://… with {room} where each meeting's "
                "room name goes, e.g. https://meet.example.org/{room}."
            )
        )
    return template


def room_url(meeting, event=None):
    """The address of the meeting's video room; None for a meeting in the hall."""
    if not meeting.online or not meeting.video_room:
        return None
    event = event or meeting.schedule.event
    template = event.video_template or DEFAULT_TEMPLATE
    return template.replace("{room}", quote(meeting.video_room, safe=""))


def opens_at(starts_at):
    """When the room of a meeting starting at `starts_at` goes live: VIDEO_ROOM_OPENS_MINUTES
    (default 10) before (the event's wall time, like slot times)."""
    return starts_at - timedelta(minutes=current_app.config["VIDEO_ROOM_OPENS_MINUTES"])


def is_open(slot, now):
    """Whether the room of a meeting in `slot` is live at `now` (the event's wall time, like
    the slot's): from `opens_at` until the slot ends."""
    return opens_at(slot.starts_at) <= now < slot.ends_at


@dataclass(frozen=True)
class Room:
    """An online meeting's video room as its participant sees it at a moment: the link, and
    whether it is live (`state`: "open", "later" with `opens` the wall time it opens, or
    "over")."""

    url: str
    state: str
    opens: datetime


def room_of(meeting, event, now=None):
    """The Room of an online meeting at `now` (default: the event's wall time now); None for a
    meeting in the hall."""
    url = room_url(meeting, event)
    if url is None:
        return None
    now = now or timezones.now_in(event.timezone)
    slot = meeting.slot
    if now >= slot.ends_at:
        state = "over"
    elif is_open(slot, now):
        state = "open"
    else:
        state = "later"
    return Room(url, state, opens_at(slot.starts_at))
