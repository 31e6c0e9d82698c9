"""A person's own data: everything stored about them as one file they can download (the
GDPR's right of access), and the removal of what they wrote when they delete their account.

What the download holds, and what it leaves out on purpose:
- the account, organisation profile, registrations with their opportunities, availability,
  interests, requests sent and received (with both sides' messages: they were written to or by
  this person), meetings of the published agendas, feedback given, requests to join an
  organisation, signed-in browsers, API tokens (name, visible start, scopes, use), and the
  emails sent to the person;
- never a secret (password hash, session, calendar and API tokens), and nothing about other people
  beyond what the person already sees on their pages (a partner's organisation name, a message
  addressed to them). Draft agendas are the organizers' working copies and are left out.
"""

import io
import json
import zipfile
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from matchmaker.extensions import db
from matchmaker.models import (
    ApiToken,
    Event,
    Feedback,
    Interest,
    LoginSession,
    Meeting,
    MeetingRequest,
    MembershipRequest,
    Opportunity,
    Organisation,
    OutgoingMail,
    Participant,
    event_helpers,
)
from matchmaker.models.base import utcnow
from matchmaker.services import group_placement
from matchmaker.services.departure import published_meetings_of

README = """\
Your data at Matchmaker
=======================

my-data.json holds everything this platform stores about you, as of {exported_at} (UTC).

- Moments such as "created_at" or "last_seen_at" are in UTC.
- Meeting times ("starts_at", "ends_at") are the event's local time, named in "timezone".
- Other participants appear by their organisation's name only.
- Passwords are stored only as a one-way hash, and sign-in, calendar and API tokens are
  secrets: none of them is in this file (API tokens appear by name and their first letters).

To correct something, edit your profile or registration on the site. To delete everything,
use "Delete my account and data" on your organisation profile page.
"""


def archive(user, now=None):
    """The person's data as ZIP bytes: my-data.json (personal_data) and README.txt.
    Cost: about ten queries per registration; a few kilobytes to a few hundred."""
    data = personal_data(user, now)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("my-data.json", json.dumps(data, indent=2, ensure_ascii=False))
        zipped.writestr("README.txt", README.format(exported_at=data["exported_at"]))
    return buffer.getvalue()


def archive_name(now=None):
    """The download's file name, dated: matchmaker-my-data-2027-05-18.zip."""
    return f"matchmaker-my-data-{(now or utcnow()):%Y-%m-%d}.zip"


def personal_data(user, now=None):
    """Everything stored about `user`, as plain JSON-ready data (see the module's doc)."""
    organisation = user.organisation
    return {
        "exported_at": _moment(now or utcnow()),
        "account": {
            "email": user.email,
            "name": user.name,
            "job_title": user.job_title,
            "phone": user.phone,
            "role": user.role,
            "active": user.active,
            "created_at": _moment(user.created_at),
            "last_login_at": _moment(user.last_login_at),
            "email_verified": user.is_verified,
            "email_verified_at": _moment(user.email_verified_at),
        },
        "organisation": _organisation(organisation) if organisation else None,
        "membership_requests": [
            {
                "organisation": request.organisation.name,
                "status": request.status_label,
                "message": request.message,
                "created_at": _moment(request.created_at),
                "decided_at": _moment(request.decided_at),
            }
            for request in db.session.scalars(
                sa.select(MembershipRequest)
                .where(MembershipRequest.user_id == user.id)
                .options(joinedload(MembershipRequest.organisation))
                .order_by(MembershipRequest.created_at)
            )
        ],
        "login_sessions": [
            {
                "device": session.user_agent,
                "signed_in_at": _moment(session.created_at),
                "last_seen_at": _moment(session.last_seen_at),
                "remembered": session.remember,
            }
            for session in db.session.scalars(
                sa.select(LoginSession)
                .where(LoginSession.user_id == user.id)
                .order_by(LoginSession.created_at)
            )
        ],
        # Issue 24: the API's personal access tokens, revoked ones too (never the token: only
        # its hash is kept, and its visible start).
        "api_tokens": [
            {
                "name": token.name,
                "starts_with": token.prefix,
                "scopes": token.scope_list,
                "created_at": _moment(token.created_at),
                "expires_at": _moment(token.expires_at),
                "last_used_at": _moment(token.last_used_at),
                "revoked_at": _moment(token.revoked_at),
            }
            for token in db.session.scalars(
                sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
            )
        ],
        "events_organized": [event.title for event in user.organized_events],
        "events_helped": _helped(user),
        "registrations": [
            _registration(participant)
            for participant in db.session.scalars(
                sa.select(Participant)
                .where(Participant.user_id == user.id)
                .options(
                    joinedload(Participant.event),
                    joinedload(Participant.organisation),
                    selectinload(Participant.opportunities),
                    selectinload(Participant.unavailable),
                )
                .order_by(Participant.registered_at)
            )
        ],
        "emails_sent_to_you": [
            {
                "subject": mail.subject,
                "status": mail.status,
                "created_at": _moment(mail.created_at),
                "sent_at": _moment(mail.sent_at),
            }
            for mail in db.session.scalars(
                sa.select(OutgoingMail)
                .where(OutgoingMail.recipient == user.email)
                .order_by(OutgoingMail.created_at)
            )
        ],
    }


def _organisation(organisation):
    return {
        "name": organisation.name,
        "country": organisation.country,
        "city": organisation.city,
        "type": organisation.type_label,
        "size": organisation.size,
        "website": organisation.website,
        "description": organisation.description,
        "sectors": list(organisation.sectors or []),
        "created_at": _moment(organisation.created_at),
    }


def _helped(user):
    return list(
        db.session.scalars(
            sa.select(Event.title)
            .join(event_helpers, event_helpers.c.event_id == Event.id)
            .where(event_helpers.c.user_id == user.id)
            .order_by(Event.title)
        )
    )


def _registration(participant):
    event = participant.event
    names = _partner_names(participant)
    return {
        "event": event.title,
        "timezone": event.timezone,
        "organisation": participant.organisation.name,
        "status": participant.status_label,
        "looking_for": participant.looking_for,
        "max_meetings": participant.max_meetings,
        "registered_at": _moment(participant.registered_at),
        "checked_in_at": _moment(participant.checked_in_at),
        "opportunities": [
            {
                "kind": opportunity.kind_label,
                "category": opportunity.category_label,
                "title": opportunity.title,
                "description": opportunity.description,
                "keywords": opportunity.keywords,
                "created_at": _moment(opportunity.created_at),
                "updated_at": _moment(opportunity.updated_at),
            }
            for opportunity in participant.opportunities
        ],
        "unavailable_slots": [
            slot.label for slot in sorted(participant.unavailable, key=lambda s: s.starts_at)
        ],
        "interests": [
            {"organisation": names.get(interest.target_id), "mark": interest.value}
            for interest in db.session.scalars(
                sa.select(Interest)
                .where(Interest.participant_id == participant.id)
                .order_by(Interest.created_at)
            )
        ],
        "requests_sent": [
            _request(request, names.get(request.receiver_id), "to")
            for request in _requests(MeetingRequest.sender_id == participant.id)
        ],
        "requests_received": [
            _request(request, names.get(request.sender_id), "from")
            for request in _requests(MeetingRequest.receiver_id == participant.id)
        ],
        "meetings": _meetings(participant, names),
        "feedback_given": [
            {
                "meeting_with": names.get(_other(feedback.meeting, participant.id)),
                "meeting_starts_at": _wall(feedback.meeting.slot.starts_at),
                "round": feedback.round,
                "held": feedback.held,
                "usefulness": feedback.usefulness,
                "outcome": feedback.outcome,
                "comment": feedback.comment,
                "created_at": _moment(feedback.created_at),
            }
            for feedback in db.session.scalars(
                sa.select(Feedback)
                .where(Feedback.participant_id == participant.id)
                .options(joinedload(Feedback.meeting).joinedload(Meeting.slot))
                .order_by(Feedback.round, Feedback.created_at)
            )
        ],
    }


def _partner_names(participant):
    """Organisation name of every participant of the event, by participant id: partners are
    shown by the name their pages show, never by their person."""
    return dict(
        db.session.execute(
            sa.select(Participant.id, Organisation.name)
            .join(Organisation, Organisation.id == Participant.organisation_id)
            .where(Participant.event_id == participant.event_id)
        ).all()
    )


def _requests(condition):
    return db.session.scalars(
        sa.select(MeetingRequest).where(condition).order_by(MeetingRequest.created_at)
    ).all()


def _request(request, partner, direction):
    return {
        direction: partner,
        "status": request.status_label,
        "message": request.message,
        "decline_reason": request.decline_reason,
        "created_at": _moment(request.created_at),
        "answered_at": _moment(request.responded_at),
        "expires_at": _moment(request.expires_at),
    }


def _meetings(participant, names):
    meetings = published_meetings_of(participant)
    groups = group_placement.people_by_meeting(meetings)

    def others(meeting):
        if meeting.group_meeting_id:  # a group meeting: everyone else at the table
            return [
                names.get(p.id, p.organisation.name)
                for p in groups.get(meeting.id, ())
                if p.id != participant.id
            ]
        return names.get(_other(meeting, participant.id))

    return [
        {
            "with": others(meeting),
            **({"group_meeting": meeting.group_meeting.title} if meeting.group_meeting_id else {}),
            "starts_at": _wall(meeting.slot.starts_at),
            "ends_at": _wall(meeting.slot.ends_at),
            "table": meeting.table.label if meeting.table else None,
            "status": _meeting_status(meeting, participant.id),
        }
        for meeting in sorted(meetings, key=lambda m: m.slot.starts_at)
    ]


def _meeting_status(meeting, participant_id):
    if meeting.status in ("no_show_a", "no_show_b"):
        absent = meeting.participant_a_id if meeting.status == "no_show_a" else None
        absent = absent or meeting.participant_b_id
        return "you did not come" if absent == participant_id else "your partner did not come"
    return meeting.status


def _other(meeting, participant_id):
    if meeting.participant_a_id == participant_id:
        return meeting.participant_b_id
    return meeting.participant_a_id


def _moment(value):
    """A stored (naive UTC) moment as ISO 8601 with its zone; None stays None."""
    return f"{value:%Y-%m-%dT%H:%M:%S}Z" if isinstance(value, datetime) else None


def _wall(value):
    """An event-local wall time as ISO 8601 without a zone (the registration names it)."""
    return f"{value:%Y-%m-%dT%H:%M}"


def erase_free_text(participant):
    """Remove what the participant's person wrote, from a registration that stays (anonymised)
    for the published agenda; not committed.

    Opportunities keep their kind, category and title and lose their description and keywords:
    a title names the organisation's offer or need, not the person, and partners' agendas
    still say why they met ("They offer “Soil sensors” for your “Field monitoring”", from the
    stored match explanation); the longer texts are where personal details end up. Request
    messages the person wrote, their reasons for declining and their feedback comments are
    blanked; the requests, answers and ratings stay, for the partners' history and the
    event's figures.
    """
    db.session.execute(
        sa.update(Opportunity)
        .where(Opportunity.participant_id == participant.id)
        .values(description="", keywords="")
    )
    db.session.execute(
        sa.update(MeetingRequest)
        .where(MeetingRequest.sender_id == participant.id)
        .values(message="")
    )
    db.session.execute(
        sa.update(MeetingRequest)
        .where(MeetingRequest.receiver_id == participant.id)
        .values(decline_reason="")
    )
    db.session.execute(
        sa.update(Feedback).where(Feedback.participant_id == participant.id).values(comment="")
    )


def forget_mail(email):
    """Delete the queued and sent emails addressed to `email` (they hold the address and what
    was written to it); not committed."""
    db.session.execute(sa.delete(OutgoingMail).where(OutgoingMail.recipient == email))
