"""Registration: organisation profiles, registering for an event, opportunities,
availability, withdrawal, approval by organizers and deleting one's account."""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matchmaker.extensions import db
from matchmaker.models import (
    ATTENDANCE_MODES,
    Event,
    Meeting,
    MeetingAttendee,
    MeetingRequest,
    Opportunity,
    Organisation,
    Participant,
    Schedule,
    Slot,
    User,
)
from matchmaker.services import attendance as attendance_service
from matchmaker.services import departure, history, matchmaking, membership, privacy, webhooks
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from matchmaker.services.locks import guarded, lock, lock_key
from matchmaker.services.mail import send_mail

PROFILE_FIELDS = ("name", "country", "city", "type", "size", "website", "description", "sectors")
OPPORTUNITY_FIELDS = ("kind", "category", "title", "description", "keywords")
EDITABLE_UNTIL_CLOSED = ("registration_open", "matchmaking", "agenda_published")
KEEP = object()  # update_registration: leave the consent to suggested meetings as it is


def save_profile(user, data):
    """Create or update the user's organisation profile and commit.

    Returns the Organisation saved, or, when a person without a profile names an existing
    organisation (same name ignoring case, same country), the MembershipRequest asking its
    members to let them in (membership.ask_to_join): nobody joins, or edits, an organisation
    by naming it. Colleagues saving the same new organisation at the same moment take turns
    (a lock on its name and country), so the second asks to join the profile the first
    created instead of making a duplicate.

    Raises DomainError when the person must first confirm their email, Conflict when their
    request to join another organisation still waits.
    """
    organisation = user.organisation
    if organisation is None:
        lock_key("organisation", data["name"].strip().lower(), data["country"])
        existing = membership.find_organisation(data["name"], data["country"])
        if existing is not None:
            return membership.ask_to_join(user, existing)
        waiting = membership.pending_request(user)
        if waiting is not None:
            raise Conflict(
                _(
                    "Your request to join %(organisation)s is still waiting: cancel it before "
                    "you describe another organisation.",
                    organisation=waiting.organisation.name,
                )
            )
        organisation = Organisation()
    for name in PROFILE_FIELDS:
        setattr(organisation, name, data[name])
    user.organisation = organisation
    db.session.add(organisation)
    if organisation.id is not None:
        db.session.flush()
        for participant in _live_registrations(organisation):
            matchmaking.refresh_matches(participant)
    db.session.commit()
    return organisation


def _live_registrations(organisation):
    """The organisation's registrations whose matches follow its profile: approved or
    pending, for events not yet closed."""
    return db.session.scalars(
        sa.select(Participant)
        .join(Event, Event.id == Participant.event_id)
        .where(
            Participant.organisation_id == organisation.id,
            Participant.status.in_(("approved", "pending")),
            Event.status.in_(EDITABLE_UNTIL_CLOSED),
        )
    ).all()


def _refresh(participant):
    """Live matches of the participant after a change of what it offers or needs."""
    if participant.status in ("approved", "pending"):
        db.session.flush()
        db.session.expire(participant, ["opportunities"])
        matchmaking.refresh_matches(participant)


def register(
    event,
    user,
    looking_for="",
    max_meetings=None,
    suggestion_limit=None,
    group=None,
    start_from_last=False,
    partner=None,
    attendance=None,
):
    """Register the user's organisation for the event and commit: pending where the event
    requires approval, approved at once otherwise; either way its matches are scored at once
    (a preview while pending, matchmaking.refresh_matches).
    `suggestion_limit`: how many suggested meetings they accept (None: the event's default).
    `group`: the side it picks (a ParticipantGroup of the event); an economic mission with
    groups needs one.
    `start_from_last`: copy the offers and needs of the organisation's last registration
    (history.last_registration) into the new one; refused when there is none.
    `partner`: the EventPartner whose invitation link brought them (services/partners.py),
    or None.
    `attendance`: in a hybrid event, (mode, joins_online): "in_person" or "online", and
    whether in the hall it can also join online meetings (None: in the hall, it can).

    Raises DomainError when registration is closed or the profile is missing, Conflict when
    the user is already registered.
    """
    if event.status != "registration_open":
        raise DomainError(_("Registration for this event is not open."))
    if user.organisation is None:
        raise DomainError(_("Fill in your organisation profile first."))
    existing = db.session.scalar(
        sa.select(Participant).where(
            Participant.event_id == event.id, Participant.user_id == user.id
        )
    )
    if existing and existing.status != "withdrawn":
        raise Conflict(_("You are already registered for this event."))
    _check_group(event, group)
    participant = existing or Participant(event=event, user=user)
    if group is not None or existing is None:
        participant.group = group
    participant.organisation = user.organisation
    participant.status = "pending" if event.approval_required else "approved"
    participant.looking_for = looking_for
    participant.max_meetings = max_meetings
    participant.suggestion_limit = _checked_limit(suggestion_limit)
    _set_attendance(participant, attendance)
    source = None
    if start_from_last:
        source = history.last_registration(user.organisation, event)
        if source is None:
            raise DomainError(_("Your organisation has no earlier offers and needs to start from."))
    if partner is not None:
        if partner.event_id != event.id:
            raise DomainError(_("This invitation is for another event."))
        participant.partner = partner
    db.session.add(participant)
    # The same person registering twice at once (two tabs, a double click): the unique key
    # (event, user) keeps one registration and the other hears why.
    with guarded(_("You are already registered for this event.")):
        db.session.flush()
        if source is not None and not participant.opportunities:
            _copy_opportunities(source, participant)
            db.session.flush()
        matchmaking.refresh_matches(participant)
        webhooks.announce_registration(participant, created=True)
        db.session.commit()
    return participant


def _set_attendance(participant, attendance):
    """Store how the participant takes part (None: leave it). Raises DomainError for a mode
    that is not one. An online event's participants take part online whatever they said."""
    if attendance is None:
        return
    mode, joins_online = attendance
    if mode not in ATTENDANCE_MODES:
        raise DomainError(_("Say whether you take part in the hall or online."))
    participant.attendance = "online" if participant.event.format == "online" else mode
    participant.joins_online = bool(joins_online)


def _check_group(event, group):
    if group is not None and group.event_id != event.id:
        raise DomainError(_("Choose one of this event's groups."))
    if group is None and event.kind == "mission" and event.groups:
        raise DomainError(_("Say which side of the mission you are on."))


def _check_can_edit(participant, by):
    if not (participant.user_id == by.id or participant.event.is_organized_by(by)):
        raise NotAllowed(_("You may not change this registration."))
    if participant.event.status not in EDITABLE_UNTIL_CLOSED:
        raise DomainError(_("This event is closed: registrations can no longer change."))
    if participant.status == "withdrawn":
        raise DomainError(_("This registration was withdrawn."))


def _checked_limit(limit):
    if limit is not None and not 0 <= limit <= 50:
        raise DomainError(_("Suggested meetings: choose between none and 50."))
    return limit


def update_registration(
    participant, looking_for, max_meetings, by, suggestion_limit=KEEP, attendance=None
):
    """Change the registration's line, maximum of meetings and, unless KEEP, how many
    suggested meetings it accepts (None: the event's default; 0: none), and how it takes
    part (`attendance` as for `register`; None: unchanged); commit. Matches of pairs that can
    no longer meet go (attendance.drop_excluded_matches). Meetings already placed keep their
    place: the organizer's next agenda follows the new answer."""
    _check_can_edit(participant, by)
    participant.looking_for = looking_for
    participant.max_meetings = max_meetings
    if suggestion_limit is not KEEP:
        participant.suggestion_limit = _checked_limit(suggestion_limit)
    _set_attendance(participant, attendance)
    db.session.flush()
    attendance_service.drop_excluded_matches(participant.event)
    _refresh(participant)
    db.session.commit()


def save_opportunity(participant, data, by, opportunity=None):
    """Add (or update) an opportunity of the participant and commit."""
    _check_can_edit(participant, by)
    opportunity = opportunity or Opportunity(participant=participant)
    if opportunity.participant_id not in (None, participant.id):
        raise NotAllowed(_("This opportunity belongs to another registration."))
    for name in OPPORTUNITY_FIELDS:
        setattr(opportunity, name, data[name])
    db.session.add(opportunity)
    _refresh(participant)
    db.session.commit()
    return opportunity


def start_from_last(participant, by):
    """Copy the offers and needs of the organisation's last registration
    (history.last_registration) into this one, which has none yet, and commit; the person then
    edits them. Returns the registration copied from.

    Raises NotAllowed / DomainError as any change of the registration does; DomainError when
    there is nothing to start from; Conflict when the registration already has offers or needs
    (a second click, or another tab, copied them already): nothing is copied twice."""
    _check_can_edit(participant, by)
    # Two clicks at once take turns; the second sees the first one's copies.
    lock(Participant, participant.id)
    _check_can_edit(participant, by)
    source = history.last_registration(participant.organisation, participant.event)
    if source is None:
        raise DomainError(_("Your organisation has no earlier offers and needs to start from."))
    if participant.opportunities:
        copied = {(o.kind, o.title) for o in source.opportunities}
        if copied & {(o.kind, o.title) for o in participant.opportunities}:
            raise Conflict(
                _(
                    "Your offers and needs from %(event)s are already here: nothing was copied "
                    "again.",
                    event=source.event.title,
                )
            )
        raise Conflict(
            _("This registration already has its own offers and needs: nothing was copied.")
        )
    _copy_opportunities(source, participant)
    _refresh(participant)
    db.session.commit()
    return source


def _copy_opportunities(source, participant):
    for opportunity in source.opportunities:
        db.session.add(
            Opportunity(
                participant=participant,
                **{name: getattr(opportunity, name) for name in OPPORTUNITY_FIELDS},
            )
        )


def remove_opportunity(participant, opportunity, by):
    _check_can_edit(participant, by)
    if opportunity.participant_id != participant.id:
        raise NotAllowed(_("This opportunity belongs to another registration."))
    db.session.delete(opportunity)
    _refresh(participant)
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
        raise Conflict(
            _(
                "You have meetings in the published agenda at %(labels)s: keep those free.",
                labels=labels,
            )
        )
    participant.unavailable = unavailable
    db.session.commit()


def withdraw(participant, by):
    """Withdraw from the event and commit (the registration stays, marked withdrawn).

    Open requests with the participant and their meetings of the published agenda that have
    not started are cancelled, and each partner is told by one email
    (departure.leave_event). The registration is locked first, so a partner accepting one of
    its requests at the same moment either comes first (and the request is then cancelled)
    or is refused."""
    _check_can_edit(participant, by)
    with guarded(_("This registration changed meanwhile; reload the page and try again.")):
        lock(Participant, participant.id)
        _check_can_edit(participant, by)
        participant.status = "withdrawn"
        departure.leave_event(participant, by)
        matchmaking.refresh_matches(participant)
        db.session.commit()


def set_status(participant, status, by):
    """Approve or reject a registration, tell the participant by email, and commit. The
    event's organizers decide, and so does the staff of the partner the registration came
    through (services/partners.py). An
    approved registration's matches appear at once, for it and its partners
    (matchmaking.refresh_matches); a rejected one's go."""
    event = participant.event
    # The staff of the partner a company registered through decide on it too (issue 23).
    partner_staff = participant.partner is not None and participant.partner.is_staffed_by(by)
    if not (event.is_organized_by(by) or partner_staff):
        raise NotAllowed(_("Only the event's organizers decide on registrations."))
    if status not in ("approved", "rejected"):
        raise DomainError(_("A registration can only be approved or rejected."))
    if participant.status == "withdrawn":
        raise DomainError(_("This participant has withdrawn."))
    if participant.status == status:
        return
    participant.status = status
    matchmaking.refresh_matches(participant)
    webhooks.announce_registration(participant)
    if participant.user:
        send_mail(
            participant.user.email,
            _l("Your registration for %(event)s", event=event.title),
            "registration_status",
            participant=participant,
            event=event,
        )
    db.session.commit()


def delete_account(user):
    """Delete the user's account and personal data, and commit.

    First each registration leaves its event as a withdrawal does (departure.leave_event):
    open requests and meetings not yet started are cancelled, partners told by email under
    the organisation's name. Registrations that a published agenda refers to (any meeting,
    cancelled ones included, so the event's figures keep them) stay, anonymised: no person,
    withdrawn, "looking for" and the person's free text removed (privacy.erase_free_text:
    opportunities keep their titles so partners' agendas still read). The other registrations
    are deleted with their opportunities, requests, interests and feedback. Emails addressed
    to the person go, and so does their organisation when nobody else belongs to it and no
    registration refers to it.
    """
    if user.organized_events:
        raise DomainError(
            _("You organize events: hand them over to a co-organizer before deleting your account.")
        )
    registrations = db.session.scalars(
        sa.select(Participant).where(Participant.user_id == user.id)
    ).all()
    published = set(
        db.session.scalars(
            sa.select(Participant.id)
            .join(
                Meeting,
                sa.or_(
                    Meeting.participant_a_id == Participant.id,
                    Meeting.participant_b_id == Participant.id,
                ),
            )
            .join(Schedule, Schedule.id == Meeting.schedule_id)
            .where(Participant.user_id == user.id, Schedule.status == "published")
        ).all()
    )
    organisations = {user.organisation, *(p.organisation for p in registrations)} - {None}
    for participant in registrations:
        departure.leave_event(participant, None, name=participant.organisation.name)
    db.session.flush()  # the cancellations first: deleting a registration cascades its requests
    for participant in registrations:
        if participant.id in published:
            participant.user = None
            participant.status = "withdrawn"
            participant.looking_for = ""
            privacy.erase_free_text(participant)
        else:
            db.session.delete(participant)
    privacy.forget_mail(user.email)
    db.session.delete(user)
    db.session.flush()
    for organisation in organisations:
        if not _still_used(organisation):
            db.session.delete(organisation)
    db.session.commit()


def _still_used(organisation):
    """Whether someone belongs to the organisation or a registration refers to it."""
    return db.session.scalar(
        sa.select(
            sa.exists().where(User.organisation_id == organisation.id)
            | sa.exists().where(Participant.organisation_id == organisation.id)
        )
    )


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
