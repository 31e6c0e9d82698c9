"""Leaving an event: what a withdrawal or an account deletion cancels for the other side.

A participant who leaves keeps nobody waiting: their open meeting requests (sent and received)
are cancelled, and so are their meetings in the published agenda that have not started yet
(by the event day's own rule for a cancelled meeting, so the desk, the refill of free people
and the statistics see them like any other cancellation). What already happened stays as
history: meetings whose slot has started, and the accepted request behind such a meeting.
Each partner gets one email listing what was cancelled for them.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from matchmaker.extensions import db
from matchmaker.models import (
    GroupMeetingMember,
    Meeting,
    MeetingAttendee,
    MeetingRequest,
    Participant,
    Schedule,
)
from matchmaker.models.base import utcnow
from matchmaker.services import eventday, group_placement
from matchmaker.services.mail import send_mail

OPEN = ("pending", "accepted")


@dataclass
class Cancelled:
    """What one partner loses when a participant leaves: sentences, in the partner's words."""

    partner: Participant
    lines: list[str] = field(default_factory=list)


def leave_event(participant, by, name=None):
    """Cancel the participant's open requests and not-yet-started meetings in the event's
    published agenda, and email each partner (with an account) once, listing what was
    cancelled for them. `by` is recorded on the cancelled meetings (None when the account is
    being deleted); `name` is how partners are told who left (default: the person and their
    organisation). Nothing happens for a closed event. Not committed: the caller's
    transaction carries it (the mails go out with that commit). Returns the Cancelled list.

    Cost: two queries, plus a few statements per cancelled meeting.
    """
    event = participant.event
    if event.status == "closed":
        return []
    name = name or participant.display_name
    losses = {}

    def loss(partner):
        return losses.setdefault(partner.id, Cancelled(partner))

    met = set()  # partners already met (or meeting now): their accepted request stays
    for meeting in published_meetings_of(participant):
        if meeting.group_meeting_id:  # the group meets without them (issue 25)
            if meeting.slot.starts_at > eventday.local_now(event):
                _leave_group_meeting(meeting, participant)
            continue
        mine_is_a = meeting.participant_a_id == participant.id
        partner = meeting.participant_b if mine_is_a else meeting.participant_a
        if meeting.slot.starts_at <= eventday.local_now(event):
            if meeting.status not in eventday.INACTIVE:
                met.add(partner.id)
            continue
        if meeting.status == "scheduled":
            eventday.cancel_for_departure(meeting, by)
            where = f" at {meeting.table.label}" if meeting.table else ""
            loss(partner).lines.append(f"Your meeting on {meeting.slot.label}{where}.")
    for request in _open_requests(participant):
        sent = request.sender_id == participant.id
        partner = request.receiver if sent else request.sender
        if request.status == "accepted" and partner.id in met:
            continue
        loss(partner).lines.append(_request_line(request.status, sent))
        request.status = "cancelled"
        request.responded_at = utcnow()
    for cancelled in losses.values():
        _tell(cancelled, name, event)
    return list(losses.values())


def _leave_group_meeting(meeting, participant):
    """Take the participant's seat out of a group meeting that has not started: their
    attendee row goes, and if they were one of the row's two named members another member
    takes their place (a pair the schedule has no meeting of, for its unique key)."""
    db.session.execute(
        sa.delete(MeetingAttendee).where(
            MeetingAttendee.meeting_id == meeting.id,
            MeetingAttendee.participant_id == participant.id,
        )
    )
    # leaving the event declines the group meeting (its pages and the day's undo skip them)
    db.session.execute(
        sa.update(GroupMeetingMember)
        .where(
            GroupMeetingMember.group_meeting_id == meeting.group_meeting_id,
            GroupMeetingMember.participant_id == participant.id,
        )
        .values(status="declined", responded_at=utcnow())
    )
    if participant.id not in (meeting.participant_a_id, meeting.participant_b_id):
        return
    kept = (
        meeting.participant_b_id
        if meeting.participant_a_id == participant.id
        else (meeting.participant_a_id)
    )
    taken = set(
        db.session.execute(
            sa.select(Meeting.participant_a_id, Meeting.participant_b_id).where(
                Meeting.schedule_id == meeting.schedule_id, Meeting.id != meeting.id
            )
        ).all()
    )
    rest = db.session.scalars(
        sa.select(MeetingAttendee.participant_id).where(
            MeetingAttendee.meeting_id == meeting.id,
            MeetingAttendee.participant_id.not_in((kept, participant.id)),
        )
    ).all()
    for other in sorted(rest):
        pair = (min(kept, other), max(kept, other))
        if pair not in taken:
            meeting.participant_a_id, meeting.participant_b_id = pair
            return
    # nobody else can stand in: the meeting is cancelled like a pair's
    eventday.cancel_for_departure(meeting, None)


def published_meetings_of(participant):
    """The participant's meetings in its event's published schedule (any status), with their
    slot, table and both sides loaded."""
    return db.session.scalars(
        sa.select(Meeting)
        .join(Schedule, Schedule.id == Meeting.schedule_id)
        .where(
            Schedule.event_id == participant.event_id,
            Schedule.status == "published",
            sa.or_(
                Meeting.participant_a_id == participant.id,
                Meeting.participant_b_id == participant.id,
                group_placement.in_group_meeting(participant.id),
            ),
        )
        .options(
            joinedload(Meeting.slot),
            joinedload(Meeting.table),
            joinedload(Meeting.participant_a).joinedload(Participant.user),
            joinedload(Meeting.participant_b).joinedload(Participant.user),
        )
    ).all()


def _open_requests(participant):
    return db.session.scalars(
        sa.select(MeetingRequest)
        .where(
            sa.or_(
                MeetingRequest.sender_id == participant.id,
                MeetingRequest.receiver_id == participant.id,
            ),
            MeetingRequest.status.in_(OPEN),
        )
        .options(
            joinedload(MeetingRequest.sender).joinedload(Participant.user),
            joinedload(MeetingRequest.receiver).joinedload(Participant.user),
        )
        .order_by(MeetingRequest.created_at)
    ).all()


def _request_line(status, sent_by_leaver):
    """The request as its partner knows it."""
    if status == "accepted":
        if sent_by_leaver:
            return "Their meeting request, which you had accepted."
        return "Your meeting request, which they had accepted."
    if sent_by_leaver:
        return "Their meeting request to you, which was waiting for your answer."
    return "Your meeting request to them, which was waiting for their answer."


def _tell(cancelled, name, event):
    partner = cancelled.partner
    if partner.user is None:
        return
    send_mail(
        partner.user.email,
        _l("%(name)s no longer takes part in %(event)s", name=name, event=event.title),
        "participant_left",
        participant=partner,
        event=event,
        name=name,
        lines=cancelled.lines,
    )
