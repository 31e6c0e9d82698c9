"""Calendar files (iCalendar, RFC 5545) of personal agendas: the only module that speaks ICS.

Each meeting's UID is made of the event and the pair of participants, not of the meeting row,
so a republished schedule (new meeting rows) updates the entries a calendar already holds
instead of adding copies; SEQUENCE is the schedule's version so clients take the newer one.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from flask_babel import gettext as _

from matchmaker.services import video

PRODID = "-//Matchmaker//Agenda//EN"
_TIMEZONE_MARGIN = timedelta(days=366)


def meeting_uid(event, meeting):
    """The meeting's UID: stable for the pair (or the group meeting) across schedule versions
    of the event."""
    if meeting.group_meeting_id:
        return f"group-meeting-{event.id}-{meeting.group_meeting_id}@matchmaker"
    a, b = sorted((meeting.participant_a_id, meeting.participant_b_id))
    return f"meeting-{event.id}-{a}-{b}@matchmaker"


def agenda_calendar(event, agenda, now=None):
    """The personal agenda (`services.agenda.PersonalAgenda`) as an iCalendar file (bytes):
    one VEVENT per meeting, times in the event's time zone with its VTIMEZONE, and an empty
    calendar when nothing is published (so subscribed clients simply show nothing)."""
    zone = _zone(event.timezone)
    organisation = agenda.participant.organisation.name
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{event.title} – {organisation}")
    calendar.add("x-wr-timezone", zone.key)
    stamp = now or datetime.now(UTC)
    for entry in agenda.meetings:
        calendar.add_component(_vevent(event, agenda.schedule, entry, zone, stamp))
    if agenda.meetings:
        # The VTIMEZONE lists the zone's transitions in this window; a window of the event's
        # days alone can hold none, which leaves a VTIMEZONE without any offset in it.
        first = min(entry.slot.starts_at for entry in agenda.meetings).date()
        last = max(entry.slot.ends_at for entry in agenda.meetings).date()
        calendar.add_missing_timezones(
            first_date=first - _TIMEZONE_MARGIN, last_date=last + _TIMEZONE_MARGIN
        )
    return calendar.to_ical()


def _group_text(entry):
    """Summary and first lines of a group meeting's entry: its title and everyone else."""
    summary = _("Group meeting: %(title)s", title=entry.group.title)
    lines = [_("With %(count)s others:", count=len(entry.others))]
    for person in entry.others:
        name = person.user.name if person.user else _("Former participant")
        lines.append(f"- {name} ({person.organisation.name})")
    return summary, lines


def _vevent(event, schedule, entry, zone, stamp):
    meeting, partner = entry.meeting, entry.partner
    partner_organisation = partner.organisation.name
    person = partner.user.name if partner.user else _("Former participant")
    vevent = icalendar.Event()
    vevent.add("uid", meeting_uid(event, meeting))
    vevent.add("sequence", schedule.version)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", entry.slot.starts_at.replace(tzinfo=zone))
    vevent.add("dtend", entry.slot.ends_at.replace(tzinfo=zone))
    summary = _("Meeting: %(organisation)s", organisation=partner_organisation)
    lines = [
        _("With %(person)s (%(organisation)s)", person=person, organisation=partner_organisation)
    ]
    if entry.others:
        summary, lines = _group_text(entry)
    vevent.add("summary", summary)
    room = video.room_url(meeting, event)
    if room:  # an online meeting: its video room is where it happens
        vevent.add("location", room)
        vevent.add("url", room)
    else:
        place = ", ".join(p for p in (entry.table.label if entry.table else "", event.venue) if p)
        if place:
            vevent.add("location", place)
    if room:
        lines.append(_("Online meeting, video room: %(url)s", url=room))
    if meeting.source == "suggestion":
        lines.append(_("Suggested by the organizers: you may decline it in your agenda."))
    lines += entry.why_lines
    if meeting.code:
        lines.append(_("Meeting code: %(code)s", code=meeting.code))
    vevent.add("description", "\n".join(lines))
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    return vevent


def _zone(name):
    # The event form only accepts known zones; an unknown one (an old row, a server without
    # tzdata) falls back to UTC rather than failing the whole feed.
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
