"""Live booking (the "participants book" and "hybrid" scheduling modes): a request names slots
where both sides are free, accepting books the meeting into one of them with a table, at once,
in the event's published agenda (made at the first booking when none is published yet).

The database refuses every double booking by itself (unique keys on schedule, slot and table,
and on schedule, slot and participant); before that, a booking locks both participants (their
caps) and the slot (so two bookings of one slot take turns and the second one sees what the
first took, and is told in a sentence instead of losing a table that was still free). A booking
holds the event's row FOR SHARE, so publishing a new version (which locks it for update) waits
for bookings in flight and carries them over.
"""

from collections import defaultdict
from datetime import timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from matchmaker.extensions import db
from matchmaker.i18n import dates
from matchmaker.matching import meets_online
from matchmaker.models import (
    Event,
    Match,
    Meeting,
    MeetingAttendee,
    MeetingRequest,
    Participant,
    Schedule,
    Slot,
    Table,
    request_slots,
    unavailable_slots,
)
from matchmaker.models.base import utcnow
from matchmaker.models.inbox import Notice
from matchmaker.services import attendance
from matchmaker.services.errors import Conflict, DomainError
from matchmaker.services.locks import lock, lock_key
from matchmaker.services.schedules import OFF, meeting_code

BOOKING_MODES = ("participants", "hybrid")


def books_live(event):
    """True when participants book their own meetings at this event."""
    return event.scheduling_mode in BOOKING_MODES


def requester_picks_time(event):
    """True when a request names its times: participants book, and the requester chooses."""
    return books_live(event) and event.slot_chooser == "requester"


def slot_words(slot):
    """A slot as people read it, in their language: "Tue 18 May, 11:15–11:40"."""
    return f"{dates.day_short(slot.starts_at)}, {dates.span(slot.starts_at, slot.ends_at)}"


def _short(slot):
    return f"{dates.day_short_weekday(slot.starts_at)} {dates.hm(slot.starts_at)}"


def _name(participant):
    return participant.organisation.name


def published(event):
    return db.session.scalar(
        sa.select(Schedule).where(Schedule.event_id == event.id, Schedule.status == "published")
    )


def _now(event):
    from matchmaker.services.eventday import local_now  # eventday imports the agenda readers

    return local_now(event)


def _busy(schedule, ids):
    """Slot ids where any of these participants has an active meeting in `schedule`."""
    if schedule is None:
        return set()
    return set(
        db.session.scalars(
            sa.select(MeetingAttendee.slot_id).where(
                MeetingAttendee.schedule_id == schedule.id,
                MeetingAttendee.participant_id.in_(ids),
            )
        ).all()
    )


def _full(schedule, event):
    """Slot ids where every table holds a meeting (a cancelled one keeps its table)."""
    if schedule is None:
        return set()
    tables = db.session.scalar(sa.select(sa.func.count(Table.id)).where(Table.event_id == event.id))
    rows = db.session.execute(
        sa.select(Meeting.slot_id, sa.func.count(Meeting.id))
        .where(Meeting.schedule_id == schedule.id, Meeting.table_id.is_not(None))
        .group_by(Meeting.slot_id)
    ).all()
    return {slot_id for slot_id, taken in rows if taken >= tables}


def _held(ids, except_request=None, now=None):
    """Slot ids proposed by a waiting request of any of these participants (a hold)."""
    query = (
        sa.select(request_slots.c.slot_id)
        .join(MeetingRequest, MeetingRequest.id == request_slots.c.request_id)
        .where(
            MeetingRequest.status == "pending",
            sa.or_(MeetingRequest.sender_id.in_(ids), MeetingRequest.receiver_id.in_(ids)),
            sa.or_(
                MeetingRequest.expires_at.is_(None), MeetingRequest.expires_at > (now or utcnow())
            ),
        )
    )
    if except_request is not None:
        query = query.where(MeetingRequest.id != except_request.id)
    return set(db.session.scalars(query).all())


def free_slots(a, b, holds=True, except_request=None):
    """The slots where `a` and `b` can meet, in time order: not started yet, both available
    (not marked unavailable), neither meeting anyone then in the published agenda, a table
    free, and (with `holds`) not kept for another waiting request of either. Seven queries."""
    pair = (a.id, b.id)
    free = _free_for_pairs(a.event, [pair])[pair]
    if holds:
        held = _held(pair, except_request)
        free = [s for s in free if s.id not in held]
    return free


def _free_for_pairs(event, pairs):
    """free_slots without holds for many pairs of participant ids at once: pair -> slots.
    Six queries whatever the number of pairs (the requests page asks for every request), one
    more in a hybrid event (an online pair needs no free table)."""
    ids = {i for pair in pairs for i in pair}
    schedule = published(event)
    taken = defaultdict(set)  # participant id -> slot ids where they cannot meet
    rows = db.session.execute(
        sa.select(unavailable_slots.c.participant_id, unavailable_slots.c.slot_id).where(
            unavailable_slots.c.participant_id.in_(ids)
        )
    ).all()
    if schedule is not None:
        rows += db.session.execute(
            sa.select(MeetingAttendee.participant_id, MeetingAttendee.slot_id).where(
                MeetingAttendee.schedule_id == schedule.id,
                MeetingAttendee.participant_id.in_(ids),
            )
        ).all()
    for participant_id, slot_id in rows:
        taken[participant_id].add(slot_id)
    full, now = _full(schedule, event), _now(event)
    slots = [
        s
        for s in db.session.scalars(
            sa.select(Slot).where(Slot.event_id == event.id).order_by(Slot.starts_at)
        )
        if s.starts_at > now
    ]
    online = _online_of(event, ids)
    return {
        pair: [
            s
            for s in slots
            if s.id not in taken[pair[0]]
            and s.id not in taken[pair[1]]
            and (s.id not in full or meets_online(pair[0] in online, pair[1] in online))
        ]
        for pair in pairs
    }


def _online_of(event, ids):
    """The ids (of `ids`) of participants who take part online; a query in a hybrid event."""
    if event.format == "online":
        return set(ids)
    if event.format != "hybrid":
        return set()
    return set(
        db.session.scalars(
            sa.select(Participant.id).where(
                Participant.id.in_(ids), Participant.attendance == "online"
            )
        ).all()
    )


def meeting_of(request):
    """The pair's active meeting in the published agenda (None when there is none)."""
    schedule = published(db.session.get(Event, request.event_id))
    if schedule is None:
        return None
    a, b = sorted((request.sender_id, request.receiver_id))
    return db.session.scalar(
        sa.select(Meeting).where(
            Meeting.schedule_id == schedule.id,
            Meeting.participant_a_id == a,
            Meeting.participant_b_id == b,
            Meeting.status.not_in(OFF),
        )
    )


def _booking_schedule(event):
    """The published schedule bookings go into, made (as version n+1, published at once) when
    none is published yet. Holds the event's row FOR SHARE until the transaction ends."""
    db.session.execute(
        sa.select(Event.id).where(Event.id == event.id).with_for_update(read=True)
    ).all()
    schedule = published(event)
    if schedule is not None:
        return schedule
    lock_key("first booking", event.id)  # two first bookings at once make one schedule
    schedule = published(event)
    if schedule is not None:
        return schedule
    version = db.session.scalar(
        sa.select(sa.func.max(Schedule.version)).where(Schedule.event_id == event.id)
    )
    schedule = Schedule(
        event_id=event.id,
        version=(version or 0) + 1,
        status="published",
        published_at=utcnow(),
        options={"booked": True},
        figures={},
    )
    db.session.add(schedule)
    db.session.flush()
    return schedule


def slot_problem(a, b, slot, schedule):
    """Why `a` and `b` cannot meet in `slot` of `schedule`, as a sentence (None: they can)."""
    event = a.event
    if slot.event_id != event.id:
        return _("Pick a time of this event.")
    if slot.starts_at <= _now(event):
        return _("%(time)s has already started; pick another time.", time=slot_words(slot))
    for person in (a, b):
        if slot in person.unavailable:
            return _("%(name)s is not available at %(time)s; pick another time.",
                     name=_name(person), time=_short(slot))  # fmt: skip
        if slot.id in _busy(schedule, (person.id,)):
            return _("%(name)s was just booked for another meeting at %(time)s; pick another "
                     "time.", name=_name(person), time=_short(slot))  # fmt: skip
    if not attendance.meets_online(a, b) and not free_tables(schedule, slot):
        return _("The last table at %(time)s was just taken; pick another time.",
                 time=_short(slot))  # fmt: skip
    return None


def place_words(meeting):
    """Where a booked meeting is held: its table, or online (by video, no table)."""
    if meeting.online:
        return _("online, in its video room")
    table = meeting.table or db.session.get(Table, meeting.table_id)
    return table.label


def free_tables(schedule, slot):
    taken = sa.select(Meeting.table_id).where(
        Meeting.schedule_id == schedule.id,
        Meeting.slot_id == slot.id,
        Meeting.table_id.is_not(None),
    )
    return db.session.scalars(
        sa.select(Table)
        .where(Table.event_id == schedule.event_id, Table.id.not_in(taken))
        .order_by(Table.number)
    ).all()


def book(a, b, slot, by):
    """Book a meeting of `a` and `b` in `slot` at the lowest-numbered free table of the
    published agenda (locked, source "request") and return it; not committed. The caller holds
    both participants' locks. Raises Conflict with the reason when the slot is no longer free
    for them (a race lost to another booking included: see the module's doc)."""
    schedule = _booking_schedule(a.event)
    lock(Slot, slot.id, refresh=False)
    problem = slot_problem(a, b, slot, schedule)
    if problem:
        raise Conflict(problem)
    earlier = meeting_between(schedule, a, b)
    if earlier is not None:
        raise Conflict(
            _(
                "You already meet %(name)s at %(time)s; move that meeting instead.",
                name=_name(b),
                time=_short(earlier.slot),
            )  # fmt: skip
        )
    table = None if attendance.meets_online(a, b) else free_tables(schedule, slot)[0]
    score = db.session.scalar(
        sa.select(Match.score).where(
            Match.event_id == schedule.event_id,
            Match.participant_a_id == min(a.id, b.id),
            Match.participant_b_id == max(a.id, b.id),
        )
    )
    meeting = Meeting.between(
        schedule, slot, a, b, table=table, source="request", locked=True, score=score,
        code=meeting_code(), status_changed_at=utcnow(), status_changed_by_id=by.id,
    )  # fmt: skip
    db.session.add(meeting)
    try:
        db.session.flush()  # a double booking is refused here, before any mail is queued
    except IntegrityError as error:
        raise Conflict(_why_refused(a, b, slot)) from error
    return meeting


def _why_refused(a, b, slot):
    """After the database refused a booking (a writer that takes no slot lock, such as a
    walk-in at the desk, won the race): roll back and say what was taken."""
    a_id, b_id, slot_id = a.id, b.id, slot.id
    db.session.rollback()
    a, b = (db.session.get(Participant, i) for i in (a_id, b_id))
    slot = db.session.get(Slot, slot_id)
    schedule = published(a.event)
    problem = schedule is not None and slot_problem(a, b, slot, schedule)
    return problem or _("Someone booked %(time)s just now; pick another time.",
                        time=slot_words(slot))  # fmt: skip


def partners_in_agenda(participant):
    """Ids of the participant's partners in active meetings of the published agenda."""
    schedule = published(participant.event)
    if schedule is None:
        return set()
    rows = db.session.execute(
        sa.select(Meeting.participant_a_id, Meeting.participant_b_id).where(
            Meeting.schedule_id == schedule.id,
            Meeting.status.not_in(OFF),
            sa.or_(
                Meeting.participant_a_id == participant.id,
                Meeting.participant_b_id == participant.id,
            ),
        )
    ).all()
    return {a if b == participant.id else b for a, b in rows}


def meeting_between(schedule, a, b):
    first, second = sorted((a.id, b.id))
    return db.session.scalar(
        sa.select(Meeting).where(
            Meeting.schedule_id == schedule.id,
            Meeting.participant_a_id == first,
            Meeting.participant_b_id == second,
        )
    )


def unbook(meeting):
    """Free the meeting's slot and table (delete it: the pair may book again). Not committed.
    A meeting that started already stays: the desk records what happened to it."""
    slot = db.session.get(Slot, meeting.slot_id)
    if meeting.status != "scheduled" or slot.starts_at <= _now(slot.event):
        raise DomainError(
            _(
                "The meeting at %(time)s has started; tell the desk if it is not happening.",
                time=_short(slot),
            )  # fmt: skip
        )
    db.session.delete(meeting)
    db.session.flush()


def move(meeting, slot, by):
    """Move a booked meeting to another slot where both are free, at a free table; not
    committed. Raises Conflict with the reason."""
    schedule = db.session.get(Schedule, meeting.schedule_id)
    a, b = meeting.participant_a, meeting.participant_b
    old = db.session.get(Slot, meeting.slot_id)
    if old.starts_at <= _now(old.event):
        raise DomainError(_("The meeting at %(time)s has started; it cannot move now.",
                            time=_short(old)))  # fmt: skip
    if slot.id == meeting.slot_id:
        raise DomainError(_("The meeting is already at %(time)s.", time=_short(slot)))
    lock(Slot, slot.id, refresh=False)
    problem = slot_problem(a, b, slot, schedule)
    if problem:
        raise Conflict(problem)
    table = None if meeting.online else free_tables(schedule, slot)[0]
    meeting.slot_id, meeting.table_id = slot.id, table.id if table else None
    meeting.status_changed_at, meeting.status_changed_by_id = utcnow(), by.id
    db.session.flush()  # the attendee rows follow (ON UPDATE CASCADE); the keys check both
    db.session.expire(meeting)
    return meeting


def tell(participant, text, event):
    """An inbox notice of kind "booking" for the participant's person (the agenda's link)."""
    if participant.user_id is not None:
        db.session.add(
            Notice(
                user_id=participant.user_id,
                event_id=event.id,
                kind="booking",
                text=text[:500],
                link=f"/events/{event.slug}/agenda",
            )
        )


def close_starved(participant_ids, now=None):
    """Close the waiting requests of these participants whose proposed slots are all taken
    now (by other bookings), with a sentence; returns them (not committed)."""
    closed = []
    requests = db.session.scalars(
        sa.select(MeetingRequest).where(
            MeetingRequest.status == "pending",
            sa.or_(
                MeetingRequest.sender_id.in_(participant_ids),
                MeetingRequest.receiver_id.in_(participant_ids),
            ),
        )
    ).all()
    for request in requests:
        if not request.proposed_slots:
            continue
        free = {s.id for s in free_slots(request.sender, request.receiver, holds=False)}
        if not any(s.id in free for s in request.proposed_slots):
            request.status = "expired"
            request.responded_at = utcnow()
            request.decline_reason = "Every time it proposed was booked for another meeting."
            closed.append(request)
    return closed


def expiry(event):
    """When a request sent now expires (None: never)."""
    hours = event.request_expiry_hours
    return utcnow() + timedelta(hours=hours) if hours else None


def participants_of(request):
    return db.session.get(Participant, request.sender_id), db.session.get(
        Participant, request.receiver_id
    )


def bookings_page(me, requests):
    """What the requests page shows of bookings, per request id: `meeting` (the booked
    meeting, for accepted requests), `times` (the proposed times, as words) and `choices`
    ([(slot id, words)]: the times to accept into, or to move the meeting to)."""
    if not requests or not books_live(me.event):
        return {}
    free = _free_for_pairs(me.event, {(r.sender_id, r.receiver_id) for r in requests})
    meetings = {}  # partner id -> the active meeting with them in the published agenda
    schedule = published(me.event)
    if schedule is not None:
        for meeting in db.session.scalars(
            sa.select(Meeting).where(
                Meeting.schedule_id == schedule.id,
                Meeting.status.not_in(OFF),
                sa.or_(Meeting.participant_a_id == me.id, Meeting.participant_b_id == me.id),
            )
        ):
            partner = meeting.participant_b_id
            meetings[meeting.participant_a_id if partner == me.id else partner] = meeting
    shown = {}
    for request in requests:
        mine = request.receiver_id == me.id
        partner = request.sender_id if mine else request.receiver_id
        entry = SimpleNamespace(meeting=None, times=[], choices=[])
        entry.times = [slot_words(s) for s in request.proposed_slots]
        pair_free = free[(request.sender_id, request.receiver_id)]
        if request.status == "accepted":
            entry.meeting = meetings.get(partner)
            if entry.meeting is not None:
                entry.choices = [(s.id, slot_words(s)) for s in pair_free]
        elif request.status == "pending" and mine:
            if request.proposed_slots:
                proposed = {s.id for s in request.proposed_slots}
                pair_free = [s for s in pair_free if s.id in proposed]
            entry.choices = [(s.id, slot_words(s)) for s in pair_free]
        shown[request.id] = entry
    return shown


def sent_words(request, receiver):
    """The sentence shown after sending a request."""
    if request.status == "accepted":
        meeting = meeting_of(request)
        if meeting is not None:
            return _("Meeting booked with %(name)s: %(time)s, %(table)s.", name=_name(receiver),
                     time=slot_words(meeting.slot), table=place_words(meeting))  # fmt: skip
        return _("Meeting agreed with %(name)s.", name=_name(receiver))
    return _("Request sent to %(name)s.", name=_name(receiver))


def answered_words(request, action):
    """The sentence shown after accepting, cancelling or moving."""
    if action == "cancel":
        return _("Request cancelled.")
    meeting = meeting_of(request) if request.status == "accepted" else None
    if meeting is None:
        return _("Request accepted.")
    if action == "move":
        return _("Meeting moved: %(time)s, %(table)s. It is in both agendas.",
                 time=slot_words(meeting.slot), table=place_words(meeting))  # fmt: skip
    return _("Meeting booked: %(time)s, %(table)s. It is in both agendas.",
             time=slot_words(meeting.slot), table=place_words(meeting))  # fmt: skip
