"""Time zones people pick (IANA names) and event times shown in a person's own zone beside the
event's (issue 24): "10:30 in Bucharest · 09:30 your time".

Slot times are stored as the event's wall time (naive); these helpers convert them.
"""

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@cache
def zone_names():
    """Every IANA zone name this server knows, sorted (a select's choices)."""
    return tuple(sorted(available_timezones()))


def is_zone(name):
    return bool(name) and name in zone_names()


def place_of(zone):
    """The place a zone is named after: "Europe/Bucharest" -> "Bucharest", "UTC" -> "UTC"."""
    return (zone or "UTC").rsplit("/", 1)[-1].replace("_", " ")


def convert(wall, from_zone, to_zone):
    """The naive wall time `wall` of `from_zone` as the naive wall time of `to_zone`."""
    try:
        source, target = ZoneInfo(from_zone or "UTC"), ZoneInfo(to_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return wall
    return wall.replace(tzinfo=source).astimezone(target).replace(tzinfo=None)


def own_time(event_zone, own_zone, wall):
    """`wall` (the event's wall time) in the person's own zone, or None when they have none
    or it shows the same clock (same zone, or same offset at that moment)."""
    if not is_zone(own_zone) or own_zone == event_zone:
        return None
    converted = convert(wall, event_zone, own_zone)
    return None if converted == wall else converted


def now_in(zone):
    """The wall time now in `zone`, naive like Slot.starts_at."""
    try:
        return datetime.now(ZoneInfo(zone or "UTC")).replace(tzinfo=None)
    except (ZoneInfoNotFoundError, ValueError):
        return datetime.now(ZoneInfo("UTC")).replace(tzinfo=None)
