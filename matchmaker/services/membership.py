"""Organisation membership: asking to join an existing organisation, and deciding on it.

Members share one organisation profile and edit it, so nobody becomes a member by naming an
organisation: they ask, and a member decides. An organisation with no active member (nobody
with a confirmed email left in it) is looked after by the organizers of the events it is
registered for, and by administrators. Members can remove members.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matchmaker.extensions import db
from matchmaker.models import Event, MembershipRequest, Organisation, Participant, User
from matchmaker.models.base import utcnow
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from matchmaker.services.locks import guarded, lock, lock_key
from matchmaker.services.mail import send_mail

VERIFY_FIRST = _l(
    "Confirm your email first: open the link we mailed to you, then save again to ask to "
    "join %(name)s."
)


def find_organisation(name, country):
    """The existing organisation with this name (ignoring case and surrounding spaces) and
    country, or None. With several, the oldest."""
    return db.session.scalar(
        sa.select(Organisation)
        .where(
            sa.func.lower(Organisation.name) == name.strip().lower(),
            Organisation.country == country,
        )
        .order_by(Organisation.id)
        .limit(1)
    )


def active_members(organisation):
    """Members who can decide for `organisation`: active accounts with a confirmed email."""
    return db.session.scalars(
        sa.select(User)
        .where(
            User.organisation_id == organisation.id,
            User.active.is_(True),
            User.email_verified_at.is_not(None),
        )
        .order_by(User.name)
    ).all()


def members(organisation):
    """Everyone whose account belongs to `organisation`, by name."""
    return db.session.scalars(
        sa.select(User).where(User.organisation_id == organisation.id).order_by(User.name)
    ).all()


def _events_of(organisation):
    registered = sa.select(Participant.event_id).where(
        Participant.organisation_id == organisation.id, Participant.status != "withdrawn"
    )
    return db.session.scalars(sa.select(Event).where(Event.id.in_(registered))).all()


def can_decide(organisation, user):
    """True when `user` may approve or decline requests to join `organisation` and remove its
    members: one of its active members or, when it has none, an organizer of an event it is
    registered for (or an administrator)."""
    if not user.is_authenticated:
        return False
    if user.organisation_id == organisation.id:
        return user.active and user.is_verified
    if active_members(organisation):
        return False
    return user.is_admin or any(user in event.organizers for event in _events_of(organisation))


def pending_request(user):
    """The user's request to join an organisation that waits for a decision, or None."""
    return db.session.scalar(
        sa.select(MembershipRequest).where(
            MembershipRequest.user_id == user.id, MembershipRequest.status == "pending"
        )
    )


def pending_requests(organisation):
    """Requests to join `organisation` waiting for a decision, oldest first."""
    return db.session.scalars(
        sa.select(MembershipRequest)
        .where(
            MembershipRequest.organisation_id == organisation.id,
            MembershipRequest.status == "pending",
        )
        .order_by(MembershipRequest.created_at, MembershipRequest.id)
    ).all()


def requests_for_organizers(event):
    """Pending requests the organizers of `event` decide: those to join an organisation
    registered for it that has no active member."""
    registered = sa.select(Participant.organisation_id).where(
        Participant.event_id == event.id, Participant.status != "withdrawn"
    )
    # The same members as active_members(), asked once in the query, not once per request.
    has_active_member = (
        sa.select(User.id)
        .where(
            User.organisation_id == MembershipRequest.organisation_id,
            User.active.is_(True),
            User.email_verified_at.is_not(None),
        )
        .exists()
    )
    return db.session.scalars(
        sa.select(MembershipRequest)
        .where(
            MembershipRequest.organisation_id.in_(registered),
            MembershipRequest.status == "pending",
            ~has_active_member,
        )
        .order_by(MembershipRequest.created_at, MembershipRequest.id)
    ).all()


def ask_to_join(user, organisation):
    """Ask to join `organisation` and commit; its active members (or, when it has none, the
    organizers of its events) are mailed. Returns the pending MembershipRequest.

    Saving the same request again returns it unchanged. Raises DomainError when the user's
    email is not confirmed or they already belong to an organisation, Conflict when they
    already wait for another organisation.
    """
    if not user.is_verified:
        raise DomainError(VERIFY_FIRST % {"name": organisation.name})
    if user.organisation_id is not None:
        raise DomainError(_("You already belong to an organisation."))
    lock_key("membership", user.id)
    waiting = pending_request(user)
    if waiting is not None:
        if waiting.organisation_id == organisation.id:
            return waiting
        raise Conflict(
            _(
                "Your request to join %(organisation)s is still waiting: cancel it before you "
                "name another organisation.",
                organisation=waiting.organisation.name,
            )
        )
    request = MembershipRequest(organisation=organisation, user=user, status="pending")
    db.session.add(request)
    deciders = active_members(organisation) or _organizers_of(organisation)
    for decider in deciders:
        send_mail(
            decider.email,
            _l(
                "%(name)s asks to join %(organisation)s",
                name=user.name,
                organisation=organisation.name,
            ),
            "membership_request",
            decider=decider,
            requester=user,
            organisation=organisation,
            as_member=decider.organisation_id == organisation.id,
        )
    db.session.commit()
    return request


def _organizers_of(organisation):
    found = {}
    for event in _events_of(organisation):
        for organizer in event.organizers:
            found.setdefault(organizer.id, organizer)
    return list(found.values())


def cancel(request, by):
    """Withdraw one's own pending request to join and commit."""
    if request.user_id != by.id:
        raise NotAllowed(_("This request is not yours."))
    with guarded(_("The request changed meanwhile; reload the page.")):
        lock(MembershipRequest, request.id)
        if request.status != "pending":
            raise DomainError(_("This request was already decided."))
        request.status = "cancelled"
        request.decided_at = utcnow()
        db.session.commit()


def decide(request, approve, by):
    """Approve (the person becomes a member) or decline a pending request, mail the person,
    and commit. Raises NotAllowed when `by` may not decide for the organisation, DomainError
    when the request was already decided or the person meanwhile joined elsewhere."""
    organisation = request.organisation
    if not can_decide(organisation, by):
        raise NotAllowed(
            _(
                "Only the members of %(organisation)s decide who joins it.",
                organisation=organisation.name,
            )
        )
    with guarded(_("The request changed meanwhile; reload the page.")):
        lock(MembershipRequest, request.id)
        if request.status != "pending":
            raise DomainError(
                _(
                    "%(name)s's request was already answered (%(status)s).",
                    name=request.user.name,
                    status=request.status_label,
                )
            )
        person = request.user
        if approve and person.organisation_id is not None:
            raise DomainError(_("%(name)s already belongs to an organisation.", name=person.name))
        request.status = "approved" if approve else "rejected"
        request.decided_at = utcnow()
        request.decided_by = by
        if approve:
            person.organisation = organisation
        send_mail(
            person.email,
            _l("Your request to join %(organisation)s", organisation=organisation.name),
            "membership_decided",
            person=person,
            organisation=organisation,
            approved=approve,
        )
        db.session.commit()


def remove_member(organisation, member, by):
    """Take `member` out of `organisation` and commit; they are told by mail. Their event
    registrations stay as they are (the event's organizers decide on those).

    Raises NotAllowed when `by` may not decide for the organisation, DomainError when the
    person is not a member or is the last member removing themselves.
    """
    if not can_decide(organisation, by):
        raise NotAllowed(
            _(
                "Only the members of %(organisation)s can remove members.",
                organisation=organisation.name,
            )
        )
    if member.organisation_id != organisation.id:
        raise DomainError(
            _(
                "%(member)s is not a member of %(organisation)s.",
                member=member.name,
                organisation=organisation.name,
            )
        )
    with guarded(_("The members changed meanwhile; reload the page.")):
        lock(Organisation, organisation.id)
        if member.id == by.id and len(members(organisation)) == 1:
            raise DomainError(
                _(
                    "You are the last member of %(organisation)s: nobody would be left to keep "
                    "its profile.",
                    organisation=organisation.name,
                )
            )
        member.organisation = None
        if member.id != by.id:
            send_mail(
                member.email,
                _l(
                    "You are no longer a member of %(organisation)s", organisation=organisation.name
                ),
                "membership_removed",
                member=member,
                organisation=organisation,
                by=by,
            )
        db.session.commit()
