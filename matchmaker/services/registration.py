"""Registration: organisation profiles, registering for an event, opportunities,
availability, withdrawal, approval by organizers and deleting one's account."""

import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import (
    MeetingAttendee,
    MeetingRequest,
    Opportunity,
    Organisation,
    Participant,
    Schedule,
    Slot,
)
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from matchmaker.services.locks import guarded, lock_key
from matchmaker.services.mail import send_mail

PROFILE_FIELDS = ("name", "country", "city", "type", "size", "website", "description", "sectors")
OPPORTUNITY_FIELDS = ("kind", "category", "title", "description", "keywords")
EDITABLE_UNTIL_CLOSED = ("registration_open", "matchmaking", "agenda_published")


def save_profile(user, data):
    """Create or update the user's organisation profile and commit. Returns the Organisation.

    A person without a profile who names an organisation (same name and country) that has a
    colleague with the same email domain joins it, so several people of one organisation
    share one profile and are never matched with each other. Colleagues saving the same new
    organisation at the same moment take turns (a lock on its name and country), so the
    second joins the profile the first created instead of making a duplicate.
    """
    organisation = user.organisation
    if organisation is None:
        lock_key("organisation", data["name"].strip().lower(), data["country"])
        organisation = _colleagues_organisation(user, data) or Organisation()
    for name in PROFILE_FIELDS:
        setattr(organisation, name, data[name])
    user.organisation = organisation
    db.session.add(organisation)
    db.session.commit()
    return organisation


def _colleagues_organisation(user, data):
    domain = user.email.rsplit("@", 1)[-1]
    candidates = db.session.scalars(
        sa.select(Organisation).where(
            sa.func.lower(Organisation.name) == data["name"].strip().lower(),
            Organisation.country == data["country"],
        )
    ).all()
    for organisation in candidates:
        if any(member.email.rsplit("@", 1)[-1] == domain for member in organisation.members):
            return organisation
    return None


def register(event, user, looking_for="", max_meetings=None):
    """Register the user's organisation for the event (status pending) and commit.

    Raises DomainError when registration is closed or the profile is missing, Conflict when
    the user is already registered.
    """
    if event.status != "registration_open":
        raise DomainError("Registration for this event is not open.")
    if user.organisation is None:
        raise DomainError("Fill in your organisation profile first.")
    existing = db.session.scalar(
        sa.select(Participant).where(
            Participant.event_id == event.id, Participant.user_id == user.id
        )
    )
    if existing and existing.status != "withdrawn":
        raise Conflict("You are already registered for this event.")
    participant = existing or Participant(event=event, user=user)
    participant.organisation = user.organisation
    participant.status = "pending"
    participant.looking_for = looking_for
    participant.max_meetings = max_meetings
    db.session.add(participant)
    # The same person registering twice at once (two tabs, a double click): the unique key
    # (event, user) keeps one registration and the other hears why.
    with guarded("You are already registered for this event."):
        db.session.commit()
    return participant


def _check_can_edit(participant, by):
    if not (participant.user_id == by.id or participant.event.is_organized_by(by)):
        raise NotAllowed("You may not change this registration.")
    if participant.event.status not in EDITABLE_UNTIL_CLOSED:
        raise DomainError("This event is closed: registrations can no longer change.")
    if participant.status == "withdrawn":
        raise DomainError("This registration was withdrawn.")


def update_registration(participant, looking_for, max_meetings, by):
    _check_can_edit(participant, by)
    participant.looking_for = looking_for
    participant.max_meetings = max_meetings
    db.session.commit()


def save_opportunity(participant, data, by, opportunity=None):
    """Add (or update) an opportunity of the participant and commit."""
    _check_can_edit(participant, by)
    opportunity = opportunity or Opportunity(participant=participant)
    if opportunity.participant_id not in (None, participant.id):
        raise NotAllowed("This opportunity belongs to another registration.")
    for name in OPPORTUNITY_FIELDS:
        setattr(opportunity, name, data[name])
    db.session.add(opportunity)
    db.session.commit()
    return opportunity


def remove_opportunity(participant, opportunity, by):
    _check_can_edit(participant, by)
    if opportunity.participant_id != participant.id:
        raise NotAllowed("This opportunity belongs to another registration.")
    db.session.delete(opportunity)
    db.session.commit()


def set_availability(participant, available_slot_ids, by):
    """Keep the participant available in exactly `available_slot_ids` (others unticked) and
    commit. Refused for a slot where the participant has a meeting in the published agenda."""
    _check_can_edit(participant, by)
    available = set(available_slot_ids)
    slots = db.session.scalars(sa.select(Slot).where(Slot.event_id == participant.event_id)).all()
    unavailable = [slot for slot in slots if slot.id not in available]
    booked = db.session.scalars(
        sa.select(Slot)
        .join(MeetingAttendee, MeetingAttendee.slot_id == Slot.id)
        .join(Schedule, Schedule.id == MeetingAttendee.schedule_id)
        .where(
            MeetingAttendee.participant_id == participant.id,
            Schedule.status == "published",
            Slot.id.in_([slot.id for slot in unavailable]),
        )
    ).all()
    if booked:
        labels = ", ".join(slot.label for slot in booked)
        raise Conflict(f"You have meetings in the published agenda at {labels}: keep those free.")
    participant.unavailable = unavailable
    db.session.commit()


def withdraw(participant, by):
    """Withdraw from the event and commit (the registration stays, marked withdrawn)."""
    _check_can_edit(participant, by)
    participant.status = "withdrawn"
    db.session.commit()


def set_status(participant, status, by):
    """Approve or reject a registration, tell the participant by email, and commit."""
    event = participant.event
    if not event.is_organized_by(by):
        raise NotAllowed("Only the event's organizers decide on registrations.")
    if status not in ("approved", "rejected"):
        raise DomainError("A registration can only be approved or rejected.")
    if participant.status == "withdrawn":
        raise DomainError("This participant has withdrawn.")
    if participant.status == status:
        return
    participant.status = status
    db.session.commit()
    if participant.user:
        send_mail(
            participant.user.email,
            f"Your registration for {event.title}",
            "registration_status",
            participant=participant,
            event=event,
        )


def delete_account(user):
    """Delete the user's account and personal data, and commit.

    Registrations that a published agenda refers to stay, anonymised (no person, withdrawn),
    so other participants' agendas keep their meetings; the others are deleted.
    """
    if user.organized_events:
        raise DomainError(
            "You organize events: hand them over to a co-organizer before deleting your account."
        )
    published = set(
        db.session.scalars(
            sa.select(MeetingAttendee.participant_id)
            .join(Schedule, Schedule.id == MeetingAttendee.schedule_id)
            .join(Participant, Participant.id == MeetingAttendee.participant_id)
            .where(Participant.user_id == user.id, Schedule.status == "published")
        ).all()
    )
    for participant in db.session.scalars(
        sa.select(Participant).where(Participant.user_id == user.id)
    ).all():
        if participant.id in published:
            participant.user = None
            participant.status = "withdrawn"
            participant.looking_for = ""
        else:
            db.session.delete(participant)
    db.session.delete(user)
    db.session.commit()


def next_steps(participant):
    """What the participant should do next, in order: (key, done) pairs for the dashboard."""
    organisation = participant.organisation
    kinds = {opportunity.kind for opportunity in participant.opportunities}
    waiting = db.session.scalar(
        sa.select(sa.func.count(MeetingRequest.id)).where(
            MeetingRequest.receiver_id == participant.id, MeetingRequest.status == "pending"
        )
    )
    return [
        ("profile", bool(organisation.description and organisation.sectors)),
        ("offer", "offer" in kinds),
        ("request", "request" in kinds),
        ("approval", participant.status == "approved"),
        ("answer_requests", waiting == 0),
    ]
