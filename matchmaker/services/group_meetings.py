"""Group meetings' lifecycle (issue 25): the one place of its rules.

- A lead invites a consortium team (origin "consortium"): the meeting is *proposed*, the lead
  has accepted, every other member is *invited* and told (inbox notice and email).
- A member accepts or declines while the meeting is proposed. When at least
  GROUP_MEETING_MIN members (the lead included) have accepted and nobody is still invited,
  it is *confirmed*: the organizer's optimiser places it (slot and table, matchmaker/
  scheduling); a declined member does not come.
- The lead replaces a declined member with the next best for its role (services/
  consortium.py); nobody who declined is proposed again.
- The lead or an organizer cancels it (any time before it is cancelled); members are told.
- An organizer sets one up by hand (origin "organizer", GROUP_MEETING_MIN to
  GROUP_MEETING_MAX approved participants): it is confirmed at once, as the organizer's
  manual meetings are, and its members are told.
"""

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.models import Participant
from matchmaker.models.base import utcnow
from matchmaker.models.group_meetings import (
    GROUP_MEETING_MAX,
    GROUP_MEETING_MIN,
    GroupMeeting,
    GroupMeetingMember,
)
from matchmaker.services import consortium
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from matchmaker.services.inbox import add_notice
from matchmaker.services.mail import send_mail

TITLE_LENGTH = GroupMeeting.__table__.c.title.type.length
PURPOSE_LENGTH = 2000


def is_lead(group_meeting, user):
    lead = group_meeting.lead
    return lead is not None and user.is_authenticated and lead.user_id == user.id


def member_of(group_meeting, user):
    """The user's GroupMeetingMember row in the meeting, or None."""
    if not user.is_authenticated:
        return None
    for member in group_meeting.members:
        if member.participant.user_id == user.id:
            return member
    return None


def may_see(group_meeting, user):
    """Its members (whatever their answer), the lead and the event's organizers."""
    return (
        member_of(group_meeting, user) is not None
        or is_lead(group_meeting, user)
        or group_meeting.event.is_organized_by(user)
    )


def _link(group_meeting, external=False):
    return url_for(
        "consortium.group_meeting",
        slug=group_meeting.event.slug,
        group_meeting_id=group_meeting.id,
        _external=external,
    )


def _tell(participant, group_meeting, kind, text, subject, template):
    """An inbox notice and an email for one participant."""
    user = participant.user
    if user is None:
        return
    add_notice(user, kind, text, link=_link(group_meeting), event=group_meeting.event)
    send_mail(
        user.email,
        subject,
        template,
        participant=participant,
        group_meeting=group_meeting,
        event=group_meeting.event,
    )


def _check_participants(event, participants):
    ids = [p.id for p in participants]
    if len(set(ids)) != len(ids):
        raise DomainError("A participant is listed twice.")
    if not GROUP_MEETING_MIN <= len(ids) <= GROUP_MEETING_MAX:
        raise DomainError(
            f"A group meeting has {GROUP_MEETING_MIN} to {GROUP_MEETING_MAX} participants."
        )
    for p in participants:
        if p.event_id != event.id or p.status != "approved":
            raise DomainError("Every member must be an approved participant of the event.")


def invite_team(event, token, team_number, title, by):
    """Invite team `team_number` of a consortium draft (services/consortium.py token) to a
    group meeting and commit: proposed, the lead accepted, the others invited and told. The
    idea and each member's role and reasons are kept on it (GroupMeeting.consortium). Only
    the lead's own account or an organizer of the event may; raises NotAllowed otherwise,
    DomainError for a draft that is not valid any more."""
    view = consortium.draft_view(event, token)
    lead = view.lead
    if lead.user_id != by.id and not event.is_organized_by(by):
        raise NotAllowed("Only the lead or an organizer can invite this team.")
    if not 1 <= team_number <= len(view.teams):
        raise DomainError("This team is not in the proposal.")
    team = view.teams[team_number - 1]
    _check_participants(event, [m.participant for m in team.members])
    group_meeting = GroupMeeting(
        event_id=event.id,
        title=(title or view.idea.title)[:TITLE_LENGTH],
        purpose=view.idea.objective[:PURPOSE_LENGTH],
        origin="consortium",
        status="proposed",
        lead_participant_id=lead.id,
        created_by_id=by.id,
        consortium={
            "idea": view.idea.as_dict(),
            "team": [
                {"participant_id": m.participant.id, "roles": m.roles, "reasons": m.reasons}
                for m in team.members
            ],
            "uncovered": team.uncovered,
            "passed": [],
        },
    )
    now = utcnow()
    for position, member in enumerate(team.members):
        is_the_lead = member.participant.id == lead.id
        group_meeting.members.append(
            GroupMeetingMember(
                participant_id=member.participant.id,
                event_id=event.id,
                position=position,
                role=member.role,
                status="accepted" if is_the_lead else "invited",
                responded_at=now if is_the_lead else None,
            )
        )
    db.session.add(group_meeting)
    db.session.flush()
    db.session.refresh(group_meeting)
    for member in group_meeting.members:
        if member.participant_id != lead.id:
            _invited(member.participant, group_meeting)
    if lead.user_id != by.id:  # an organizer invited on the lead's behalf
        _tell(
            lead,
            group_meeting,
            "group",
            f"The organizers invited your consortium team to a group meeting: "
            f"{group_meeting.title}.",
            f"Your consortium team is invited: {group_meeting.title}",
            "group_meeting_on_behalf",
        )
    db.session.commit()
    return group_meeting


def _invited(participant, group_meeting):
    lead = group_meeting.lead.organisation.name
    _tell(
        participant,
        group_meeting,
        "group",
        f"{lead} invites you to a group meeting: {group_meeting.title}.",
        f"{lead} invites you to a group meeting",
        "group_meeting_invited",
    )


def create_by_organizer(event, title, purpose, participants, by):
    """An organizer's group meeting of `participants` (approved, of this event, 3 to 8),
    confirmed at once, its members told; commits. Raises NotAllowed for anyone but the
    event's organizers, DomainError for a bad list of participants."""
    if not event.is_organized_by(by):
        raise NotAllowed("Only the event's organizers can set up a group meeting.")
    if not (title or "").strip():
        raise DomainError("A group meeting needs a title.")
    _check_participants(event, participants)
    now = utcnow()
    group_meeting = GroupMeeting(
        event_id=event.id,
        title=title.strip()[:TITLE_LENGTH],
        purpose=(purpose or "")[:PURPOSE_LENGTH],
        origin="organizer",
        status="confirmed",
        created_by_id=by.id,
        consortium={},
        members=[
            GroupMeetingMember(
                participant_id=p.id,
                event_id=event.id,
                position=position,
                status="accepted",
                responded_at=now,
            )
            for position, p in enumerate(participants)
        ],
    )
    db.session.add(group_meeting)
    db.session.flush()
    db.session.refresh(group_meeting)
    for member in group_meeting.members:
        _tell(
            member.participant,
            group_meeting,
            "group",
            f"The organizers set up a group meeting with you: {group_meeting.title}.",
            f"A group meeting at {event.title}",
            "group_meeting_set_up",
        )
    db.session.commit()
    return group_meeting


def answer(group_meeting, participant, accept, by):
    """`participant` (a member, acting through its own account) accepts or declines while
    the meeting is proposed; commits. Confirms the meeting when at least GROUP_MEETING_MIN
    members accepted and nobody is still invited. Raises NotAllowed for a non-member,
    Conflict once the meeting is confirmed or cancelled."""
    member = next((m for m in group_meeting.members if m.participant_id == participant.id), None)
    if member is None or participant.user_id != by.id:
        raise NotAllowed("Only the members of this group meeting can answer.")
    if group_meeting.status != "proposed":
        raise Conflict(
            "This group meeting is no longer waiting for answers: it is "
            f"{group_meeting.status_label.lower()}."
        )
    if group_meeting.lead_participant_id == participant.id and not accept:
        raise Conflict("As the lead, cancel the group meeting instead of declining it.")
    member.status = "accepted" if accept else "declined"
    member.responded_at = utcnow()
    lead = group_meeting.lead
    if lead is not None and lead.user is not None and lead.id != participant.id:
        what = "accepted" if accept else "declined"
        add_notice(
            lead.user,
            "group",
            f"{participant.organisation.name} {what} your group meeting: {group_meeting.title}.",
            link=_link(group_meeting),
            event=group_meeting.event,
        )
    _settle(group_meeting)
    db.session.commit()
    return group_meeting


def _settle(group_meeting):
    """Confirm a proposed meeting once enough members accepted and nobody is still invited."""
    statuses = [m.status for m in group_meeting.members]
    if (
        group_meeting.status == "proposed"
        and "invited" not in statuses
        and statuses.count("accepted") >= GROUP_MEETING_MIN
    ):
        group_meeting.status = "confirmed"
        for member in group_meeting.members:
            if member.status == "accepted":
                _tell(
                    member.participant,
                    group_meeting,
                    "group",
                    f"The group meeting {group_meeting.title} is confirmed: the organizers "
                    "will give it a time and a table.",
                    f"Group meeting confirmed: {group_meeting.title}",
                    "group_meeting_confirmed",
                )


def replace_declined(group_meeting, leaving, by):
    """Invite the next best for the role of `leaving` (a member who declined) in its place;
    commits and returns the newcomer. Only the lead, while the meeting is proposed. Raises
    NotAllowed, Conflict, or DomainError when nobody else fits."""
    if not is_lead(group_meeting, by):
        raise NotAllowed("Only the lead can replace a member.")
    if group_meeting.status != "proposed":
        raise Conflict("Members can be replaced only while the group meeting waits for answers.")
    member = next((m for m in group_meeting.members if m.participant_id == leaving.id), None)
    if member is None or member.status != "declined":
        raise Conflict("Only a member who declined can be replaced.")
    if group_meeting.origin != "consortium":
        raise Conflict("Only a consortium's members can be replaced with the next best.")
    newcomer = consortium.replacement(group_meeting.event, group_meeting, leaving)
    if newcomer is None:
        raise DomainError("Nobody else at the event fits this role.")
    data = dict(group_meeting.consortium or {})
    data["passed"] = [*data.get("passed", []), leaving.id]
    group_meeting.consortium = data
    position, role = member.position, member.role
    group_meeting.members.remove(member)
    db.session.flush()
    group_meeting.members.append(
        GroupMeetingMember(
            participant_id=newcomer.id,
            event_id=group_meeting.event_id,
            position=position,
            role=role,
            status="invited",
        )
    )
    db.session.flush()
    _invited(newcomer, group_meeting)
    db.session.commit()
    return newcomer


def cancel(group_meeting, by):
    """Cancel the group meeting (its lead or an organizer of the event); members who had not
    declined are told; commits. Raises NotAllowed or Conflict (already cancelled)."""
    if not (is_lead(group_meeting, by) or group_meeting.event.is_organized_by(by)):
        raise NotAllowed("Only the lead or an organizer can cancel this group meeting.")
    if group_meeting.status == "cancelled":
        raise Conflict("This group meeting is already cancelled.")
    group_meeting.status = "cancelled"
    for member in group_meeting.members:
        if member.status != "declined" and member.participant.user_id != by.id:
            _tell(
                member.participant,
                group_meeting,
                "group",
                f"The group meeting {group_meeting.title} is cancelled.",
                f"Group meeting cancelled: {group_meeting.title}",
                "group_meeting_cancelled",
            )
    db.session.commit()
    return group_meeting


def _with_members():
    return selectinload(GroupMeeting.members).selectinload(GroupMeetingMember.participant)


def of_participant(participant):
    """The group meetings `participant` leads or is a member of, newest first."""
    mine = sa.select(GroupMeetingMember.group_meeting_id).where(
        GroupMeetingMember.participant_id == participant.id
    )
    return db.session.scalars(
        sa.select(GroupMeeting)
        .where(
            GroupMeeting.event_id == participant.event_id,
            sa.or_(GroupMeeting.id.in_(mine), GroupMeeting.lead_participant_id == participant.id),
        )
        .options(_with_members())
        .order_by(GroupMeeting.created_at.desc(), GroupMeeting.id.desc())
    ).all()


def of_event(event):
    """The event's group meetings, newest first, for its organizers."""
    return db.session.scalars(
        sa.select(GroupMeeting)
        .where(GroupMeeting.event_id == event.id)
        .options(_with_members())
        .order_by(GroupMeeting.created_at.desc(), GroupMeeting.id.desc())
    ).all()


def approved_participants(event):
    """The event's approved participants by organisation name, for the organizer's form."""
    from matchmaker.models import Organisation

    return db.session.scalars(
        sa.select(Participant)
        .join(Organisation, Participant.organisation_id == Organisation.id)
        .where(Participant.event_id == event.id, Participant.status == "approved")
        .order_by(Organisation.name, Participant.id)
    ).all()
