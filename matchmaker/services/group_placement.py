"""Group meetings (issue 25) in the agenda: what the optimiser is given (confirmed group
meetings, tables' seats), how a placed group is stored (one Meeting row with
group_meeting_id, an attendee row per member), what the organizer is told about those left
out, and who sits at a group meeting for the pages that show it.

The consortium pages (another module) create and confirm GroupMeetings; this one only places
and shows them.
"""

from itertools import combinations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from matchmaker import scheduling
from matchmaker.extensions import db
from matchmaker.models import (
    GroupMeeting,
    GroupMeetingMember,
    Meeting,
    MeetingAttendee,
    Participant,
)


def confirmed(event, ids):
    """The event's confirmed group meetings as (GroupMeeting, member ids) with the members who
    did not decline and are among `ids` (approved participants), in creation order."""
    rows = db.session.scalars(
        sa.select(GroupMeeting)
        .where(GroupMeeting.event_id == event.id, GroupMeeting.status == "confirmed")
        .options(selectinload(GroupMeeting.members))
        .order_by(GroupMeeting.id)
    ).all()
    return [
        (
            g,
            [
                m.participant_id
                for m in g.members
                if m.status != "declined" and m.participant_id in ids
            ],
        )
        for g in rows
    ]


def plain_groups(event, ids):
    """(scheduling.Group tuple, sentences for groups that cannot even be offered)."""
    plain, left_out = [], []
    for g, members in confirmed(event, ids):
        if len(members) < scheduling.GROUP_MIN_MEMBERS:
            left_out.append(
                {
                    "id": str(g.id),
                    "title": g.title,
                    "reason": "too_few",
                    "members": [str(p) for p in members],
                }
            )
            continue
        plain.append(scheduling.Group(str(g.id), tuple(str(p) for p in members), g.title))
    return tuple(plain), left_out


def plain_tables(event):
    return tuple(scheduling.Table(t.number, t.seats) for t in event.tables if t.seats)


def write(schedule, result, by_id, slots, tables, code):
    """Add a Meeting row per placed group to `schedule`: participant_a/b are the first two
    members (by id) who have no pair meeting in it (the unique key on the pair), every member
    gets an attendee row."""
    taken = {(m.participant_a_id, m.participant_b_id) for m in schedule.meetings}
    for placed in result.groups:
        members = sorted((by_id[int(p)] for p in placed.members), key=lambda p: p.id)
        a, b = next(
            ((x, y) for x, y in combinations(members, 2) if (x.id, y.id) not in taken),
            (members[0], members[1]),
        )
        taken.add((a.id, b.id))
        slot = slots[int(placed.slot)]
        table = tables.get(placed.table)
        meeting = Meeting(
            schedule=schedule,
            event_id=schedule.event_id,
            slot_id=slot.id,
            table_id=table.id if table else None,
            participant_a_id=a.id,
            participant_b_id=b.id,
            group_meeting_id=int(placed.id),
            source="manual",
            code=code(),
        )
        meeting.attendees = [
            MeetingAttendee(schedule_id=schedule.id, slot_id=slot.id, participant_id=p.id)
            for p in members
        ]
        schedule.meetings.append(meeting)


def figures_of(result, names, left_out):
    """The unplaced groups as stored in Schedule.figures (with names, for the sentences)."""
    rows = [
        {"id": u.id, "title": u.title, "reason": u.reason, "members": list(u.members),
         "names": [names.get(p, p) for p in u.members]}
        for u in result.unplaced_groups
    ]  # fmt: skip
    for row in left_out:
        rows.append({**row, "names": [names.get(p, p) for p in row["members"]]})
    return rows


def outcome_lines(figures):
    """One sentence per group meeting the agenda could not hold, in the organizer's words."""
    lines = []
    for u in figures.get("unplaced_groups") or []:
        names = ", ".join(u.get("names") or [])
        title = u.get("title") or ""
        reason = u.get("reason")
        if reason == "maximum_reached":
            why = _("one of its members already has as many meetings as allowed")
        elif reason == "no_common_slot":
            why = _("its members are never all free at the same time")
        elif reason == "displaced":
            why = _("whenever all its members are free, one of them is in another group meeting")
        elif reason == "too_few":
            why = _("fewer than three of its members take part in the event")
        else:
            why = _("no table with a seat for every member is free when all of them are")
        lines.append(
            _(
                "The group meeting “%(title)s” (%(names)s) is not in this agenda: %(why)s.",
                title=title,
                names=names,
                why=why,
            )
        )
    return lines


def in_group_meeting(participant_id):
    """A condition on Meeting: it places a group meeting `participant_id` is a member of
    (and did not decline), whatever its status (a cancelled one has no attendee rows)."""
    return Meeting.group_meeting_id.in_(
        sa.select(GroupMeetingMember.group_meeting_id).where(
            GroupMeetingMember.participant_id == participant_id,
            GroupMeetingMember.status != "declined",
        )
    )


def member_rows(schedule_id, left_out=()):
    """(meeting id, participant id) for every member of the schedule's group meetings whose
    status is not in `left_out`."""
    return db.session.execute(
        sa.select(Meeting.id, GroupMeetingMember.participant_id)
        .join(GroupMeetingMember, GroupMeetingMember.group_meeting_id == Meeting.group_meeting_id)
        .where(
            Meeting.schedule_id == schedule_id,
            Meeting.status.not_in(left_out),
            GroupMeetingMember.status != "declined",
        )
    ).all()


def people_by_meeting(meetings):
    """{meeting id: [Participant, ...]} for the group meetings among `meetings`: every
    attendee, ordered by organisation name (one query). Pair meetings are not in it."""
    ids = [m.id for m in meetings if m.group_meeting_id]
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(MeetingAttendee.meeting_id, Participant)
        .join(Participant, Participant.id == MeetingAttendee.participant_id)
        .where(MeetingAttendee.meeting_id.in_(ids))
        .options(joinedload(Participant.organisation), joinedload(Participant.user))
    ).all()
    out = {}
    for meeting_id, participant in rows:
        out.setdefault(meeting_id, []).append(participant)
    for people in out.values():
        people.sort(key=lambda p: (p.organisation.name.lower(), p.id))
    return out


def people_of(meeting):
    """Everyone at `meeting`: its two participants, or every member of a group meeting."""
    if not meeting.group_meeting_id:
        return [meeting.participant_a, meeting.participant_b]
    return people_by_meeting([meeting]).get(meeting.id, [])


def role_of(meeting, participant_id):
    """The member's role in the group meeting (the lead's words), or ''."""
    if not meeting.group_meeting_id:
        return ""
    row = db.session.get(GroupMeetingMember, (meeting.group_meeting_id, participant_id))
    return row.role if row else ""
