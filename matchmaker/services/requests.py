"""Meeting requests: send, accept, decline, cancel and expire, with the event's caps and an
email to the other side on each change."""

from datetime import timedelta

import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import MeetingRequest, Participant
from matchmaker.models.base import utcnow
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from matchmaker.services.locks import guarded, lock
from matchmaker.services.mail import send_mail

OPEN_FOR_REQUESTS = ("registration_open", "matchmaking", "agenda_published")
MAX_MESSAGE = 1000
UNVERIFIED = (
    "Confirm your email before you send meeting requests: open the link we mailed to you "
    "(or ask for it again at the top of the page)."
)


def _pair_filter(a, b):
    return sa.or_(
        sa.and_(MeetingRequest.sender_id == a.id, MeetingRequest.receiver_id == b.id),
        sa.and_(MeetingRequest.sender_id == b.id, MeetingRequest.receiver_id == a.id),
    )


def _notify(participant, subject, template, **context):
    if participant.user is not None:
        send_mail(participant.user.email, subject, template, participant=participant, **context)


def send_request(sender, receiver, message, by):
    """Ask `receiver` for a meeting on behalf of `sender` and commit; emails the receiver.

    Raises NotAllowed when `by` is not the sender's person, DomainError when the event or the
    participants cannot take requests or the sender's cap is reached, Conflict when the pair
    already has an open or accepted request (also one the other side sent a moment earlier:
    both participants are locked while the pair and the cap are checked).
    """
    if sender.user_id != by.id:
        raise NotAllowed("You can only send requests from your own registration.")
    if not by.is_verified:
        raise DomainError(UNVERIFIED)
    with guarded(
        f"A request between you and {receiver.organisation.name} was sent at the same moment; "
        "reload the page to see it."
    ):
        lock(Participant, sender.id, receiver.id)
        request = _send(sender, receiver, message)
        db.session.flush()  # the mail reads the request's sender
        _notify(receiver, f"{sender.organisation.name} asks you for a meeting", "request_new",
                request=request, event=sender.event)  # fmt: skip
        db.session.commit()
    return request


def _send(sender, receiver, message):
    event = sender.event
    if receiver.event_id != event.id or receiver.status != "approved":
        raise DomainError("This participant cannot receive requests.")
    if sender.status != "approved":
        raise DomainError("Your registration must be approved before you send requests.")
    if event.status not in OPEN_FOR_REQUESTS:
        raise DomainError("This event no longer takes meeting requests.")
    if receiver.id == sender.id or receiver.organisation_id == sender.organisation_id:
        raise DomainError("You cannot request a meeting with your own organisation.")
    if len(message) > MAX_MESSAGE:
        raise DomainError(f"Keep the message under {MAX_MESSAGE} characters.")
    expire_overdue(event)
    existing = db.session.scalar(
        sa.select(MeetingRequest).where(
            _pair_filter(sender, receiver), MeetingRequest.status.in_(("pending", "accepted"))
        )
    )
    if existing is not None:
        if existing.status == "accepted":
            raise Conflict(f"You already have a meeting agreed with {receiver.organisation.name}.")
        if existing.sender_id == receiver.id:
            raise Conflict(
                f"{receiver.organisation.name} already asked you for a meeting: accept their "
                "request instead."
            )
        raise Conflict(f"Your request to {receiver.organisation.name} is still waiting.")
    cap = event.max_requests_per_participant
    if cap is not None and _count(MeetingRequest.sender_id == sender.id) >= cap:
        raise DomainError(f"You have sent the maximum of {cap} requests for this event.")
    request = MeetingRequest(
        event_id=event.id,
        sender_id=sender.id,
        receiver_id=receiver.id,
        message=message.strip(),
        expires_at=(
            utcnow() + timedelta(hours=event.request_expiry_hours)
            if event.request_expiry_hours
            else None
        ),
    )
    db.session.add(request)
    return request


def _count(condition):
    return db.session.scalar(
        sa.select(sa.func.count(MeetingRequest.id)).where(
            condition, MeetingRequest.status.in_(("pending", "accepted"))
        )
    )


def _agreed(participant):
    return db.session.scalar(
        sa.select(sa.func.count(MeetingRequest.id)).where(
            sa.or_(
                MeetingRequest.sender_id == participant.id,
                MeetingRequest.receiver_id == participant.id,
            ),
            MeetingRequest.status == "accepted",
        )
    )


def _meeting_cap(participant):
    caps = [c for c in (participant.max_meetings, participant.event.max_meetings_per_participant)]
    caps = [c for c in caps if c is not None]
    return min(caps) if caps else None


def _pending_for(request, participant, by):
    if participant.user_id != by.id:
        raise NotAllowed("This request is not yours to answer.")
    if request.status == "pending" and request.expires_at and request.expires_at <= utcnow():
        request.status = "expired"
        db.session.commit()
    if request.status != "pending":
        raise DomainError(f"This request is already {request.status_label.lower()}.")


def _check_still_taking_part(sender):
    """Refuse to agree a meeting with someone who left the event (withdrawn, account
    deleted, registration rejected): the request is closed whatever its status says."""
    if sender.status == "approved" and sender.user_id is not None:
        return
    who = sender.user.name if sender.user is not None else sender.organisation.name
    if sender.status == "withdrawn" or sender.user_id is None:
        raise DomainError(f"{who} has withdrawn from the event; this request is closed.")
    raise DomainError(f"{who} no longer takes part in the event; this request is closed.")


def accept(request, by):
    """The receiver accepts; commits and emails the sender. Raises DomainError when the
    request is no longer pending (cancelled or answered meanwhile), the sender left the event,
    or either side reached its maximum number of meetings. Both participants are locked while
    their meetings are counted, so two acceptances at once cannot both take someone's last
    place (and a withdrawal at the same moment is either seen or waits)."""
    if request.receiver.user_id != by.id:
        raise NotAllowed("This request is not yours to answer.")
    with guarded("This request changed meanwhile; reload the page and try again."):
        lock(Participant, request.sender_id, request.receiver_id)
        lock(MeetingRequest, request.id)
        receiver, sender = request.receiver, request.sender
        _pending_for(request, receiver, by)
        _check_still_taking_part(sender)
        for side, who in ((receiver, "You have"), (sender, f"{sender.organisation.name} has")):
            cap = _meeting_cap(side)
            if cap is not None and _agreed(side) >= cap:
                raise DomainError(f"{who} reached the maximum of {cap} meetings.")
        request.status = "accepted"
        request.responded_at = utcnow()
        _notify(sender, f"{receiver.organisation.name} accepted your meeting request",
                "request_answered", request=request, event=receiver.event)  # fmt: skip
        db.session.commit()


def decline(request, reason, by):
    """The receiver declines, optionally with a reason; commits and emails the sender."""
    with guarded("This request changed meanwhile; reload the page and try again."):
        lock(MeetingRequest, request.id)
        _pending_for(request, request.receiver, by)
        request.status = "declined"
        request.decline_reason = (reason or "").strip()[:500]
        request.responded_at = utcnow()
        _notify(request.sender,
                f"{request.receiver.organisation.name} declined your meeting request",
                "request_answered", request=request, event=request.receiver.event)  # fmt: skip
        db.session.commit()


def cancel(request, by):
    """The sender withdraws a pending or accepted request; commits and emails the receiver.
    The request is locked first, so an answer given at the same moment is either seen (and
    withdrawn with it) or refused."""
    if request.sender.user_id != by.id:
        raise NotAllowed("Only the sender can cancel a request.")
    with guarded("This request changed meanwhile; reload the page and try again."):
        lock(MeetingRequest, request.id)
        if request.status not in ("pending", "accepted"):
            raise DomainError(f"This request is already {request.status_label.lower()}.")
        request.status = "cancelled"
        request.responded_at = utcnow()
        _notify(request.receiver,
                f"{request.sender.organisation.name} cancelled a meeting request",
                "request_cancelled", request=request, event=request.sender.event)  # fmt: skip
        db.session.commit()


def expire_overdue(event, now=None):
    """Mark the event's pending requests past their expiry as expired; returns how many.
    (Not committed: the caller's transaction carries it.)"""
    result = db.session.execute(
        sa.update(MeetingRequest)
        .where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.status == "pending",
            MeetingRequest.expires_at <= (now or utcnow()),
        )
        .values(status="expired")
    )
    return result.rowcount


def requests_of(participant):
    """(incoming, outgoing) requests of the participant, newest first, partners loaded."""
    query = sa.select(MeetingRequest).order_by(MeetingRequest.created_at.desc())
    load = sa.orm.selectinload
    incoming = db.session.scalars(
        query.where(MeetingRequest.receiver_id == participant.id).options(
            load(MeetingRequest.sender).joinedload(Participant.organisation)
        )
    ).all()
    outgoing = db.session.scalars(
        query.where(MeetingRequest.sender_id == participant.id).options(
            load(MeetingRequest.receiver).joinedload(Participant.organisation)
        )
    ).all()
    return incoming, outgoing
