"""Meeting requests: send, accept, decline, cancel and expire, with the event's caps and an
email to the other side on each change."""

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matchmaker.extensions import db
from matchmaker.models import MeetingRequest, Participant, Slot
from matchmaker.models.base import utcnow
from matchmaker.services import booking, groups, webhooks
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from matchmaker.services.locks import guarded, lock
from matchmaker.services.mail import gettext_for, recipient_locale, send_mail

OPEN_FOR_REQUESTS = ("registration_open", "matchmaking", "agenda_published")
MAX_MESSAGE = 1000
UNVERIFIED = _l(
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


def _tell(participant, message, **variables):
    """An inbox notice for `participant`, in their language (`message` marked with _l)."""
    address = participant.user.email if participant.user is not None else ""
    booking.tell(participant, gettext_for(address, message, **variables), participant.event)


def send_request(sender, receiver, message, by, slots=()):
    """Ask `receiver` for a meeting on behalf of `sender` and commit; emails the receiver.

    Where participants book (see services/booking.py) and the requester chooses the time,
    `slots` are the times proposed (one or more, each free for both and not kept for another
    waiting request); where requests are accepted automatically (opt-out), the request is
    accepted at once and, where participants book, the meeting booked in the first proposed
    slot still free. Raises NotAllowed when `by` is not the sender's person, DomainError when
    the event or the participants cannot take requests, a proposed time is not free or the
    sender's cap is reached, Conflict when the pair already has an open or accepted request
    (also one the other side sent a moment earlier: both participants are locked while the
    pair and the cap are checked) or the time was booked meanwhile.
    """
    if sender.user_id != by.id:
        raise NotAllowed(_("You can only send requests from your own registration."))
    if not by.is_verified:
        raise DomainError(str(UNVERIFIED))
    with guarded(
        _(
            "A request between you and %(organisation)s was sent at the same moment; reload "
            "the page to see it.",
            organisation=receiver.organisation.name,
        )
    ):
        slot_ids = sorted({s.id for s in slots})
        lock(Participant, sender.id, receiver.id)
        request = _send(sender, receiver, message)
        _propose(request, sender, receiver, slot_ids)
        db.session.flush()  # the mail reads the request's sender
        if sender.event.request_mode == "opt_out":
            _accept_now(request, sender, receiver, slot_ids, by)
        else:
            _notify(receiver, _l("%(organisation)s asks you for a meeting",
                                 organisation=sender.organisation.name),
                    "request_new", request=request, event=sender.event)  # fmt: skip
        db.session.commit()
    return request


def _propose(request, sender, receiver, slot_ids):
    event = sender.event
    if not booking.books_live(event) or event.slot_chooser != "requester":
        return
    if not slot_ids:
        raise DomainError(_("Pick at least one time when you could both meet."))
    free = {s.id: s for s in booking.free_slots(sender, receiver)}
    missing = [i for i in slot_ids if i not in free]
    if missing:
        slot = db.session.get(Slot, missing[0])
        if slot and slot.event_id == event.id:
            raise DomainError(_("%(time)s is no longer free for both of you; pick among the "
                                "times shown.", time=booking.slot_words(slot)))  # fmt: skip
        raise DomainError(_("One time is no longer free for both of you; pick among the times "
                            "shown."))  # fmt: skip
    request.proposed_slots = [free[i] for i in slot_ids]


def _accept_now(request, sender, receiver, slot_ids, by):
    """Opt-out: the request is accepted as it is sent (and booked where participants book)."""
    _check_caps(receiver, sender)
    meeting = None
    if booking.books_live(sender.event):
        candidates = [db.session.get(Slot, i) for i in slot_ids] or booking.free_slots(
            sender, receiver
        )
        if not candidates:
            raise DomainError(
                _("You and %(organisation)s have no free time in common left.",
                  organisation=receiver.organisation.name)
            )  # fmt: skip
        meeting = booking.book(sender, receiver, candidates[0], by)
    request.status = "accepted"
    request.responded_at = utcnow()
    _announce_accepted(request, sender, receiver, meeting)
    if meeting is not None:
        _told_of_booking(receiver, sender, meeting, moved=False)
        booking.close_starved([sender.id, receiver.id])
    else:
        _notify(receiver, _l("%(organisation)s asks you for a meeting",
                             organisation=sender.organisation.name), "request_new",
                request=request, event=sender.event)  # fmt: skip


def _announce_accepted(request, sender, receiver, meeting):
    """The "request.accepted" webhook (not committed): who asked whom and, where participants
    book, the meeting it booked. The request's message stays between the two."""
    event = sender.event
    if meeting is not None:
        db.session.flush()  # its id, slot and table
    webhooks.emit(
        event,
        "request.accepted",
        {
            "request": {
                "id": request.id,
                "from": {"participant_id": sender.id, "organisation": sender.organisation.name},
                "to": {"participant_id": receiver.id, "organisation": receiver.organisation.name},
                "accepted_at": webhooks.iso(request.responded_at),
                "automatically": event.request_mode == "opt_out",
            },
            "meeting": webhooks.meeting_data(event, meeting) if meeting is not None else None,
        },
    )


def _told_of_booking(partner, booker, meeting, moved):
    """Mail and an inbox notice for `partner`: `booker` booked (or moved) their meeting."""
    event = partner.event
    slot = db.session.get(Slot, meeting.slot_id)
    table = meeting.table or db.session.get(booking.Table, meeting.table_id)
    name = booker.organisation.name
    address = partner.user.email if partner.user is not None else ""
    with force_locale(recipient_locale(address)):  # the notice and the subject in their language
        when = booking.slot_words(slot)
        where = booking.place_words(meeting)
        if moved:
            notice = _(
                "%(organisation)s moved a meeting with you: %(time)s, %(table)s.",
                organisation=name,
                time=when,
                table=where,
            )
            subject = _(
                "%(organisation)s moved a meeting with you: %(time)s", organisation=name, time=when
            )
        else:
            notice = _(
                "%(organisation)s booked a meeting with you: %(time)s, %(table)s.",
                organisation=name,
                time=when,
                table=where,
            )
            subject = _(
                "%(organisation)s booked a meeting with you: %(time)s", organisation=name, time=when
            )
    booking.tell(partner, notice, event)
    _notify(partner, subject, "meeting_booked", partner_name=name, moved=moved, slot=slot,
            table=table, where=where, meeting=meeting, event=event)  # fmt: skip


def _send(sender, receiver, message):
    event = sender.event
    if receiver.event_id != event.id or receiver.status != "approved":
        raise DomainError(_("This participant cannot receive requests."))
    if sender.status != "approved":
        raise DomainError(_("Your registration must be approved before you send requests."))
    if event.status not in OPEN_FOR_REQUESTS:
        raise DomainError(_("This event no longer takes meeting requests."))
    if receiver.id == sender.id or receiver.organisation_id == sender.organisation_id:
        raise DomainError(_("You cannot request a meeting with your own organisation."))
    apart = groups.why_not(sender, receiver)
    if apart:
        raise DomainError(apart)
    if len(message) > MAX_MESSAGE:
        raise DomainError(_("Keep the message under %(count)s characters.", count=MAX_MESSAGE))
    expire_overdue(event)
    existing = db.session.scalar(
        sa.select(MeetingRequest).where(
            _pair_filter(sender, receiver), MeetingRequest.status.in_(("pending", "accepted"))
        )
    )
    if existing is not None:
        if existing.status == "accepted":
            raise Conflict(_("You already have a meeting agreed with %(organisation)s.",
                             organisation=receiver.organisation.name))  # fmt: skip
        if existing.sender_id == receiver.id:
            raise Conflict(
                _("%(organisation)s already asked you for a meeting: accept their request "
                  "instead.", organisation=receiver.organisation.name)
            )  # fmt: skip
        raise Conflict(_("Your request to %(organisation)s is still waiting.",
                         organisation=receiver.organisation.name))  # fmt: skip
    cap = event.max_requests_per_participant
    if cap is not None and _count(MeetingRequest.sender_id == sender.id) >= cap:
        raise DomainError(_("You have sent the maximum of %(count)s requests for this event.",
                            count=cap))  # fmt: skip
    request = MeetingRequest(
        event_id=event.id,
        sender_id=sender.id,
        receiver_id=receiver.id,
        message=message.strip(),
        expires_at=booking.expiry(event),
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
    """How many meetings the participant has agreed: accepted requests, and where participants
    book also the other meetings of the published agenda (one per partner)."""
    partners = {
        a if b == participant.id else b
        for a, b in db.session.execute(
            sa.select(MeetingRequest.sender_id, MeetingRequest.receiver_id).where(
                sa.or_(
                    MeetingRequest.sender_id == participant.id,
                    MeetingRequest.receiver_id == participant.id,
                ),
                MeetingRequest.status == "accepted",
            )
        ).all()
    }
    if booking.books_live(participant.event):
        partners |= booking.partners_in_agenda(participant)
    return len(partners)


def _check_caps(mine, other):
    """Refuse a meeting that would take `mine` (the person acting) or `other` past their
    maximum number of meetings."""
    for side in (mine, other):
        cap = _meeting_cap(side)
        if cap is not None and _agreed(side) >= cap:
            if side is mine:
                raise DomainError(_("You have reached the maximum of %(count)s meetings.",
                                    count=cap))  # fmt: skip
            raise DomainError(_("%(organisation)s has reached the maximum of %(count)s meetings.",
                                organisation=side.organisation.name, count=cap))  # fmt: skip


def _meeting_cap(participant):
    caps = [c for c in (participant.max_meetings, participant.event.max_meetings_per_participant)]
    caps = [c for c in caps if c is not None]
    return min(caps) if caps else None


def _pending_for(request, participant, by):
    if participant.user_id != by.id:
        raise NotAllowed(_("This request is not yours to answer."))
    if request.status == "pending" and request.expires_at and request.expires_at <= utcnow():
        request.status = "expired"
        db.session.commit()
    if request.status == "expired" and request.decline_reason:
        reason = request.decline_reason
        raise DomainError(_("This request is closed: %(reason)s",
                            reason=f"{reason[0].lower()}{reason[1:]}"))  # fmt: skip
    if request.status != "pending":
        raise DomainError(_("This request is already %(status)s.",
                            status=request.status_label.lower()))  # fmt: skip


def _check_still_taking_part(sender):
    """Refuse to agree a meeting with someone who left the event (withdrawn, account
    deleted, registration rejected): the request is closed whatever its status says."""
    if sender.status == "approved" and sender.user_id is not None:
        return
    who = sender.user.name if sender.user is not None else sender.organisation.name
    if sender.status == "withdrawn" or sender.user_id is None:
        raise DomainError(_("%(name)s has withdrawn from the event; this request is closed.",
                            name=who))  # fmt: skip
    raise DomainError(_("%(name)s no longer takes part in the event; this request is closed.",
                        name=who))  # fmt: skip


def accept(request, by, slot=None):
    """The receiver accepts; commits and emails the sender. Raises DomainError when the
    request is no longer pending (cancelled or answered meanwhile), the sender left the event,
    or either side reached its maximum number of meetings. Both participants are locked while
    their meetings are counted, so two acceptances at once cannot both take someone's last
    place (and a withdrawal at the same moment is either seen or waits).

    Where participants book, accepting books the meeting in `slot` (one of the proposed times
    when the requester proposed some; any time free for both when the receiver chooses; None:
    the first proposed time still free) with a table, at once; raises Conflict with the reason
    when that time was taken meanwhile, and closes the request when every proposed time was."""
    if request.receiver.user_id != by.id:
        raise NotAllowed(_("This request is not yours to answer."))
    with guarded(_("This request changed meanwhile; reload the page and try again.")):
        lock(Participant, request.sender_id, request.receiver_id)
        lock(MeetingRequest, request.id)
        receiver, sender = request.receiver, request.sender
        _pending_for(request, receiver, by)
        _check_still_taking_part(sender)
        apart = groups.why_not(receiver, sender)  # the groups may have changed since it was sent
        if apart:
            raise DomainError(apart)
        _check_caps(receiver, sender)
        meeting = None
        if booking.books_live(receiver.event):
            meeting = booking.book(sender, receiver, _slot_to_book(request, slot), by)
        request.status = "accepted"
        request.responded_at = utcnow()
        _announce_accepted(request, sender, receiver, meeting)
        if meeting is not None:
            address = sender.user.email if sender.user is not None else ""
            with force_locale(recipient_locale(address)):
                notice = _(
                    "%(organisation)s accepted your request: you meet %(time)s, %(table)s.",
                    organisation=receiver.organisation.name,
                    time=booking.slot_words(meeting.slot),
                    table=booking.place_words(meeting),
                )
            booking.tell(sender, notice, receiver.event)
            booking.close_starved([sender.id, receiver.id])
        _notify(sender, _l("%(organisation)s accepted your meeting request",
                           organisation=receiver.organisation.name),
                "request_answered", request=request, event=receiver.event,
                meeting=meeting)  # fmt: skip
        db.session.commit()


def _slot_to_book(request, slot):
    """The slot an acceptance books: the chosen one, checked against what was proposed."""
    proposed = list(request.proposed_slots)
    if proposed:
        if slot is not None and slot not in proposed:
            raise DomainError(_("Pick one of the times proposed in the request."))
        if slot is not None:
            return slot
        free = {s.id for s in booking.free_slots(request.sender, request.receiver, holds=False)}
        still = [s for s in proposed if s.id in free]
        if not still:
            _close_unbookable(request)
        return still[0]
    if slot is None:
        free = booking.free_slots(request.sender, request.receiver, holds=False)
        if not free:
            raise DomainError(
                _("You and %(organisation)s have no free time in common left.",
                  organisation=request.sender.organisation.name)
            )  # fmt: skip
        return free[0]
    return slot


def _close_unbookable(request):
    request.status = "expired"
    request.responded_at = utcnow()
    request.decline_reason = "Every time it proposed was booked for another meeting."
    db.session.commit()
    raise DomainError(
        _(
            "Every time this request proposed was booked for another meeting, so it is closed; "
            "ask for another time."
        )
    )


def decline(request, reason, by):
    """The receiver declines, optionally with a reason; commits and emails the sender."""
    with guarded(_("This request changed meanwhile; reload the page and try again.")):
        lock(MeetingRequest, request.id)
        _pending_for(request, request.receiver, by)
        request.status = "declined"
        request.decline_reason = (reason or "").strip()[:500]
        request.responded_at = utcnow()
        _notify(request.sender,
                _l("%(organisation)s declined your meeting request",
                   organisation=request.receiver.organisation.name),
                "request_answered", request=request, event=request.receiver.event)  # fmt: skip
        db.session.commit()


def cancel(request, by):
    """The sender withdraws a pending or accepted request; commits and emails the receiver.
    The request is locked first, so an answer given at the same moment is either seen (and
    withdrawn with it) or refused. Where participants book, either side may cancel an
    accepted request, which cancels its meeting and frees the slot and the table (refused
    once the meeting has started)."""
    booked = booking.books_live(request.sender.event) and request.status == "accepted"
    sides = (request.sender, request.receiver) if booked else (request.sender,)
    if by.id not in {side.user_id for side in sides}:
        raise NotAllowed(_("Only the sender can cancel a request."))
    with guarded(_("This request changed meanwhile; reload the page and try again.")):
        lock(Participant, request.sender_id, request.receiver_id)
        lock(MeetingRequest, request.id)
        if request.status not in ("pending", "accepted"):
            raise DomainError(_("This request is already %(status)s.",
                            status=request.status_label.lower()))  # fmt: skip
        if booked and request.status != "accepted":
            raise DomainError(_("This request changed meanwhile; reload the page and try again."))
        meeting = booking.meeting_of(request) if booked else None
        if meeting is not None:
            booking.unbook(meeting)
        request.status = "cancelled"
        request.responded_at = utcnow()
        me, other = (
            (request.sender, request.receiver)
            if by.id == request.sender.user_id
            else (request.receiver, request.sender)
        )
        if meeting is not None:
            _tell(other, _l("%(organisation)s cancelled your meeting."),
                  organisation=me.organisation.name)  # fmt: skip
        _notify(other, _l("%(organisation)s cancelled a meeting request",
                          organisation=me.organisation.name),
                "request_cancelled", request=request, event=me.event,
                by_name=me.organisation.name, had_meeting=meeting is not None)  # fmt: skip
        db.session.commit()


def reschedule(request, slot, by):
    """Move the meeting of an accepted request to `slot`, where both are free, at a free
    table (either side may); commits and tells the partner. Raises DomainError or Conflict
    with the reason (the slot taken meanwhile, the meeting started, nothing booked)."""
    if by.id not in (request.sender.user_id, request.receiver.user_id):
        raise NotAllowed(_("This meeting is not yours to move."))
    with guarded(_("Someone booked %(time)s just now; pick another time.",
                   time=booking.slot_words(slot))):  # fmt: skip
        lock(Participant, request.sender_id, request.receiver_id)
        lock(MeetingRequest, request.id)
        meeting = booking.meeting_of(request) if request.status == "accepted" else None
        if meeting is None or not booking.books_live(request.sender.event):
            raise DomainError(_("This request has no booked meeting to move."))
        booking.move(meeting, slot, by)
        me, other = (
            (request.sender, request.receiver)
            if by.id == request.sender.user_id
            else (request.receiver, request.sender)
        )
        _told_of_booking(other, me, meeting, moved=True)
        booking.close_starved([me.id, other.id])
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
