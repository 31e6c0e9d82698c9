"""The agenda, read side: the published schedule of an event, a participant's personal agenda
(meetings with partner, slot, table and why they match, and the free slots between them), the
venue's per-table sheets and per-slot door list, and the private (random, replaceable) token
of a calendar feed.

Slot times are event-local wall times (see `Slot`); nothing here converts them. Every reader
loads its meetings with their slot, table, participants, organisations and people in a fixed
number of queries, whatever the number of meetings.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from matchmaker.extensions import db
from matchmaker.matching import MetBefore
from matchmaker.models import (
    Match,
    Meeting,
    MeetingAttendee,
    Participant,
    Schedule,
    Slot,
    unavailable_slots,
)
from matchmaker.services import group_placement, history
from matchmaker.services.errors import NotAllowed
from matchmaker.services.matchmaking import view_of
from matchmaker.services.schedules import OFF

# What secrets.token_urlsafe makes (Participant.calendar_token holds at most 64 characters).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
# A schedule's figures hold every unplaced pair with its reason: megabytes for a large event,
# which no reader here needs (they load on access if one ever does).


@dataclass(frozen=True)
class AgendaMeeting:
    """One meeting as one participant sees it: `partner` is the other side, `why` the
    match explanation seen from this participant (None when the pair has no Match row)."""

    meeting: Meeting
    partner: Participant
    why: dict | None
    # A group meeting (issue 25): everyone else at the table, by organisation (``partner`` is
    # the first of them); empty for a pair.
    others: tuple = ()

    @property
    def group(self):
        """The GroupMeeting this meeting places, or None for a pair."""
        return self.meeting.group_meeting if self.meeting.group_meeting_id else None

    @property
    def slot(self):
        return self.meeting.slot

    @property
    def table(self):
        return self.meeting.table

    @property
    def why_lines(self):
        return why_lines(self.why)


@dataclass(frozen=True)
class AgendaRow:
    """One slot of a personal agenda: a meeting, or free (`meeting` None); `available` is
    False where the participant said they cannot attend."""

    slot: Slot
    meeting: AgendaMeeting | None
    available: bool = True
    is_break = False  # not a field: tells a slot's row from a break's


@dataclass(frozen=True)
class BreakRow:
    """A break or lunch of the event between a day's slots, shown in the agenda."""

    title: str
    starts_at: datetime
    ends_at: datetime
    is_break = True


@dataclass(frozen=True)
class PersonalAgenda:
    """A participant's agenda in the published schedule (None when nothing is published):
    its meetings in slot order, and each meeting day's slots as rows."""

    participant: Participant
    schedule: Schedule | None
    meetings: list[AgendaMeeting]
    days: list[tuple[date, list[AgendaRow]]]


@dataclass(frozen=True)
class TableSheet:
    """The meetings at one table, in slot order (`table` None: meetings without a table)."""

    label: str
    meetings: list[Meeting]
    # everyone at each group meeting of the sheet (meeting id -> participants)
    groups: dict = None


@dataclass(frozen=True)
class DoorRow:
    """One participant expected at the door in a slot: where they sit and whom they meet."""

    participant: Participant
    partner: Participant
    meeting: Meeting
    others: tuple = ()  # a group meeting: everyone else at the table


@dataclass(frozen=True)
class DoorSlot:
    slot: Slot
    rows: list[DoorRow]


def published_schedule(event):
    """The event's published schedule, or None."""
    return db.session.scalar(
        sa.select(Schedule).where(Schedule.event_id == event.id, Schedule.status == "published")
    )


def schedule_for(event, schedule_id=None):
    """The schedule with `schedule_id` if it belongs to the event (any status; else None), or
    the published one when `schedule_id` is None."""
    if schedule_id is None:
        return published_schedule(event)
    return db.session.scalar(
        sa.select(Schedule).where(Schedule.id == schedule_id, Schedule.event_id == event.id)
    )


def schedules_of(event):
    """All the event's schedule versions, newest first."""
    return db.session.scalars(
        sa.select(Schedule).where(Schedule.event_id == event.id).order_by(Schedule.version.desc())
    ).all()


def personal_agenda(participant):
    """The participant's agenda in the event's published schedule: the meetings that involve
    them and are not cancelled, in slot order, each with its partner and why they match, and
    every slot of the event grouped by day with the free ones as rows without a meeting.

    With nothing published the agenda has no schedule, no meetings and no days.
    Cost: five queries at most, whatever the number of meetings.
    """
    schedule = published_schedule(participant.event)
    if schedule is None:
        return PersonalAgenda(participant, None, [], [])
    meetings = _sorted(
        db.session.scalars(
            with_details(
                sa.select(Meeting).where(
                    Meeting.schedule_id == schedule.id,
                    Meeting.status != "cancelled",
                    sa.or_(
                        Meeting.participant_a_id == participant.id,
                        Meeting.participant_b_id == participant.id,
                        # a group meeting: every member has an attendee row
                        sa.and_(
                            Meeting.group_meeting_id.is_not(None),
                            Meeting.id.in_(
                                sa.select(MeetingAttendee.meeting_id).where(
                                    MeetingAttendee.participant_id == participant.id
                                )
                            ),
                        ),
                    ),
                )
            )
        )
        .unique()
        .all()
    )
    matches = _matches_of(participant, meetings)
    groups = group_placement.people_by_meeting(meetings)
    entries = []
    for meeting in meetings:
        if meeting.group_meeting_id:
            others = tuple(p for p in groups.get(meeting.id, ()) if p.id != participant.id)
            if others:
                entries.append(AgendaMeeting(meeting, others[0], None, others))
                continue
        mine_is_a = meeting.participant_a_id == participant.id
        partner = meeting.participant_b if mine_is_a else meeting.participant_a
        match = matches.get(partner.id)
        why = view_of(match, participant.id) if match is not None else None
        entries.append(AgendaMeeting(meeting, partner, why))
    return PersonalAgenda(participant, schedule, entries, _days(participant, entries))


def table_sheets(schedule):
    """One sheet per table of the event, in table order, each with the schedule's meetings at
    that table (not cancelled, not no-shows) in slot order; meetings without a table come last
    on a sheet of their own, online meetings on none (they need no paper at the venue).
    Tables without meetings get an empty sheet, so every table has its paper."""
    meetings = _schedule_meetings(schedule)
    tables = schedule.event.tables
    by_table = {table.id: [] for table in tables}
    unassigned = []
    for meeting in meetings:
        if meeting.online:
            continue  # held by video: no paper at any table
        by_table.get(meeting.table_id, unassigned).append(meeting)
    groups = group_placement.people_by_meeting(meetings)
    sheets = [TableSheet(table.label, by_table[table.id], groups) for table in tables]
    if unassigned:
        sheets.append(TableSheet(_("No table assigned"), unassigned, groups))
    return sheets


def door_list(schedule):
    """For each slot with meetings in the hall in the schedule (not cancelled, not no-shows,
    not online), in time order: everyone expected, alphabetical by organisation, with their
    table and partner. Each meeting gives two rows, one per participant."""
    by_slot = {}
    meetings = _schedule_meetings(schedule)
    groups = group_placement.people_by_meeting(meetings)
    for meeting in meetings:
        if meeting.online:
            continue  # held by video: nobody comes to the door for it
        rows = by_slot.setdefault(meeting.slot_id, (meeting.slot, []))[1]
        if meeting.id in groups:  # a group meeting: a row per member
            people = groups[meeting.id]
            for person in people:
                others = tuple(p for p in people if p.id != person.id)
                rows.append(DoorRow(person, others[0], meeting, others))
            continue
        rows.append(DoorRow(meeting.participant_a, meeting.participant_b, meeting))
        rows.append(DoorRow(meeting.participant_b, meeting.participant_a, meeting))
    return [
        DoorSlot(slot, sorted(rows, key=_door_order))
        for slot, rows in sorted(by_slot.values(), key=lambda item: item[0].starts_at)
    ]


def why_lines(why, limit=2):
    """At most `limit` short sentences saying why a pair matches, from an explanation seen
    from the participant: what the partner offers for their needs, what they offer for the
    partner's, else the shared terms; first, where the two met at an earlier event of the
    network, that meeting ("Met at BBS ICT Days 2026: follow-up planned"). Empty without an
    explanation."""
    if not why:
        return []
    lines = [
        _("They offer “%(offer)s” for your “%(need)s”", offer=pair["offer_title"],
          need=pair["request_title"])
        for pair in why.get("partner_offers") or []
    ][:1] + [
        _("You offer “%(offer)s” for their “%(need)s”", offer=pair["offer_title"],
          need=pair["request_title"])
        for pair in why.get("participant_offers") or []
    ][:1]  # fmt: skip
    if not lines and why.get("terms"):
        lines.append(_("Shared interests: %(terms)s", terms=", ".join(why["terms"][:5])))
    if why.get("met_before"):
        lines.insert(0, history.sentence(MetBefore(**why["met_before"])))
    return lines[:limit]


def feed_token(participant):
    """The private token of the participant's calendar feed: random, kept on the registration
    until the participant asks for a new one (new_feed_token). Whoever has the URL reads the
    agenda, so it is shown only to the participant."""
    return participant.calendar_token


def participant_for_feed_token(event, token):
    """The approved participant of `event` whose calendar token is `token`; None for anything
    else (unknown or replaced token, another event's, a participant no longer approved)."""
    if not _TOKEN.fullmatch(token or ""):
        return None  # not a token we make: no need to ask the database
    return db.session.scalar(
        sa.select(Participant).where(
            Participant.calendar_token == token,
            Participant.event_id == event.id,
            Participant.status == "approved",
        )
    )


def new_feed_token(participant, by):
    """Give the participant's calendar feed a new random address and commit; the old one stops
    working at once (404). Returns the new token. Raises NotAllowed unless `by` is the
    participant's person."""
    if participant.user_id is None or participant.user_id != by.id:
        raise NotAllowed(_("Only the participant can change their calendar address."))
    participant.calendar_token = secrets.token_urlsafe(24)
    db.session.commit()
    return participant.calendar_token


def with_details(query):
    """The query's meetings with slot, table, both participants, organisations and people,
    in the same query."""
    people = (joinedload(Participant.organisation), joinedload(Participant.user))
    return query.options(
        joinedload(Meeting.slot),
        joinedload(Meeting.table),
        joinedload(Meeting.participant_a).options(*people),
        joinedload(Meeting.participant_b).options(*people),
        joinedload(Meeting.group_meeting),
    )


def _sorted(meetings):
    return sorted(
        meetings, key=lambda m: (m.slot.starts_at, m.table.number if m.table else 0, m.id)
    )


def _schedule_meetings(schedule):
    meetings = db.session.scalars(
        with_details(
            sa.select(Meeting).where(Meeting.schedule_id == schedule.id, Meeting.status.not_in(OFF))
        )
    )
    return _sorted(meetings.unique().all())


def _matches_of(participant, meetings):
    """The Match rows of the participant with its meeting partners, by partner id."""
    partner_ids = {m.participant_a_id for m in meetings} | {m.participant_b_id for m in meetings}
    partner_ids.discard(participant.id)
    if not partner_ids:
        return {}
    matches = db.session.scalars(
        sa.select(Match).where(
            Match.event_id == participant.event_id,
            sa.or_(
                sa.and_(
                    Match.participant_a_id == participant.id,
                    Match.participant_b_id.in_(partner_ids),
                ),
                sa.and_(
                    Match.participant_b_id == participant.id,
                    Match.participant_a_id.in_(partner_ids),
                ),
            ),
        )
    ).all()
    return {
        m.participant_b_id if m.participant_a_id == participant.id else m.participant_a_id: m
        for m in matches
    }


def _days(participant, entries):
    """Every slot of the event by day, each with the participant's meeting or free, and the
    event's breaks between them, in time order."""
    slots = db.session.scalars(
        sa.select(Slot).where(Slot.event_id == participant.event_id).order_by(Slot.starts_at)
    ).all()
    unavailable = set(
        db.session.scalars(
            sa.select(unavailable_slots.c.slot_id).where(
                unavailable_slots.c.participant_id == participant.id
            )
        ).all()
    )
    # A no-show and the walk-in that refilled its slot share the slot: show the walk-in.
    by_slot = {}
    for entry in entries:
        shown = by_slot.get(entry.meeting.slot_id)
        if shown is None or shown.meeting.status in OFF:
            by_slot[entry.meeting.slot_id] = entry
    days = {}
    for slot in slots:
        days.setdefault(slot.day, []).append(
            AgendaRow(slot, by_slot.get(slot.id), slot.id not in unavailable)
        )
    for pause in participant.event.breaks:  # loaded with the event: one query at most
        rows = days.get(pause.day)
        if rows is not None:
            start = datetime.combine(pause.day, pause.start)
            rows.append(BreakRow(pause.title, start, datetime.combine(pause.day, pause.end)))
    return [(day, sorted(rows, key=_row_start)) for day, rows in days.items()]


def _row_start(row):
    return (row.starts_at, 0) if row.is_break else (row.slot.starts_at, 1)


def _door_order(row):
    organisation = row.participant.organisation
    return (organisation.name.casefold(), row.participant.id)
