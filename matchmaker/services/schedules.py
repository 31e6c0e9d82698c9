"""Schedules: generate a draft agenda with the pure optimiser, edit it by hand (every change
checked), and publish it; the web layer and the CLI both call these."""

import secrets
from dataclasses import asdict

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload, undefer

from matchmaker import matching, scheduling
from matchmaker.extensions import db
from matchmaker.models import (
    Event,
    Interest,
    Match,
    Meeting,
    MeetingAttendee,
    MeetingRequest,
    Participant,
    Schedule,
    Slot,
    Table,
)
from matchmaker.models.base import utcnow
from matchmaker.scheduling.model import REASON_IN_GROUP
from matchmaker.services import attendance, group_placement, groups, history, webhooks
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from matchmaker.services.locks import guarded, lock
from matchmaker.services.mail import send_mail

# Optimiser priority class -> Meeting.source, and back.
SOURCES = {
    scheduling.ACCEPTED: "request",
    scheduling.MUTUAL: "mutual_interest",
    scheduling.ONE_SIDED: "interest",
    scheduling.SUGGESTION: "suggestion",
    scheduling.MANUAL: "manual",
}
PRIORITY_OF_SOURCE = {source: priority for priority, source in SOURCES.items()}
# A follow-up meeting (history.follow_up_pairs) weighs as a perfect match: among suggested
# meetings, the optimiser places it before any chosen for its score alone.
FOLLOW_UP_WEIGHT = 1.0
# Meetings that are not going to happen (or did not): they hold no seat and no table, and a
# copy of the agenda leaves them out (services/eventday.py frees their attendee rows).
OFF = ("cancelled", "no_show_a", "no_show_b")
PRIORITY_OF_SOURCE["walk_in"] = scheduling.MANUAL


class ScheduleConflict(Conflict):
    """A manual edit breaks a rule, or another organizer changed the same thing first; the
    message names who and where."""


# When the database itself refuses an edit because another one won the race.
RACE_LOST = "Someone else changed this agenda at the same time; reload it and try again."


def _check_organizer(event, by):
    if not event.is_organized_by(by):
        raise NotAllowed("Only the event's organizers can change the agenda.")


def approved_participants(event):
    return db.session.scalars(
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.status == "approved")
        .options(
            joinedload(Participant.organisation),
            joinedload(Participant.user),
            selectinload(Participant.unavailable),
        )
    ).all()


def _names(participants):
    return {str(p.id): p.organisation.name for p in participants}


def _cap(participant, event):
    caps = [c for c in (participant.max_meetings, event.max_meetings_per_participant) if c]
    return min(caps) if caps else None


def suggestion_limit(participant, event):
    """How many suggested meetings (nobody asked for them) the participant accepts: their own
    choice, else the event's default; 0 = none."""
    if participant.suggestion_limit is not None:
        return participant.suggestion_limit
    return event.suggestion_default or 0


def build_instance(event, min_meetings=0, include_suggestions=True, locked=()):
    """The optimiser's plain input for the event: its slots and tables, approved participants
    with availability and maxima, candidates from accepted requests, interests and matches
    (the highest class of a pair wins; its weight is the pair's match score), `locked`
    meetings (Meeting rows kept where they are; a group meeting's row is placed again), the
    confirmed group meetings and the tables' seats. Pairs the event's groups keep apart are no
    candidates, whatever asked for them, nor are pairs of an online participant and one in
    the hall only (attendance); a pair with an online participant is an online candidate, which
    takes no table. Returns (instance, participants)."""
    participants = approved_participants(event)
    ids = {p.id for p in participants}
    slots = db.session.scalars(
        sa.select(Slot).where(Slot.event_id == event.id).order_by(Slot.starts_at)
    ).all()
    all_slots = {str(s.id) for s in slots}
    plain_participants = [
        scheduling.Participant(
            id=str(p.id),
            slots=(all_slots - {str(s.id) for s in p.unavailable}) if p.unavailable else None,
            max_meetings=_cap(p, event),
        )
        for p in participants
    ]
    scores = {
        (a, b): score
        for a, b, score in db.session.execute(
            sa.select(Match.participant_a_id, Match.participant_b_id, Match.score).where(
                Match.event_id == event.id
            )
        ).all()
    }
    classes = {}
    by_groups = groups.group_rules(event, participants)
    by_attendance = attendance.attendance_rules(event, participants)
    online = {p.id for p in participants if p.online}

    def may_meet(a, b):
        return by_groups.may_meet(a, b) and by_attendance.may_meet(a, b)

    def offer(a, b, priority):
        if a in ids and b in ids and a != b and may_meet(a, b):
            pair = (min(a, b), max(a, b))
            rank = scheduling.PRIORITIES.index(priority)
            if pair not in classes or rank < scheduling.PRIORITIES.index(classes[pair]):
                classes[pair] = priority

    for sender, receiver in db.session.execute(
        sa.select(MeetingRequest.sender_id, MeetingRequest.receiver_id).where(
            MeetingRequest.event_id == event.id, MeetingRequest.status == "accepted"
        )
    ).all():
        offer(sender, receiver, scheduling.ACCEPTED)
    interested = set(
        db.session.execute(
            sa.select(Interest.participant_id, Interest.target_id).where(
                Interest.event_id == event.id, Interest.value == "interested"
            )
        ).all()
    )
    refused = set(
        db.session.execute(
            sa.select(Interest.participant_id, Interest.target_id).where(
                Interest.event_id == event.id, Interest.value == "not_interested"
            )
        ).all()
    )
    for a, b in interested:
        if (b, a) not in refused:  # one side's interest does not override the other's "no"
            offer(a, b, scheduling.MUTUAL if (b, a) in interested else scheduling.ONE_SIDED)
    # Suggestions: only pairs where both consent, above the floor, within both limits (chosen
    # here, best first: the optimiser has no cap per class; see scheduling/suggestions.py).
    limits = {p.id: suggestion_limit(p, event) for p in participants}
    # Follow-ups of earlier events (the "follow_up" policy) come first, whatever their score:
    # suggested meetings too, so they need both sides' consent and count within their limits.
    for a, b, _weight in scheduling.choose_suggestions(
        [(a, b, FOLLOW_UP_WEIGHT) for a, b in history.follow_up_pairs(event, participants)
         if (a, b) not in classes and (a, b) not in refused and (b, a) not in refused],
        limits,
    ):  # fmt: skip
        offer(a, b, scheduling.SUGGESTION)
        scores[(a, b)] = FOLLOW_UP_WEIGHT
        limits[a] -= 1
        limits[b] -= 1
    for a, b, _score in scheduling.choose_suggestions(
        [(a, b, score) for (a, b), score in scores.items()
         if a in ids and b in ids and (a, b) not in classes
         and (a, b) not in refused and (b, a) not in refused and may_meet(a, b)],
        limits, event.suggestion_floor or 0.0,
    ):  # fmt: skip
        offer(a, b, scheduling.SUGGESTION)
    candidates = [
        scheduling.Candidate(
            str(a),
            str(b),
            priority,
            float(scores.get((a, b), 0.0)),
            online=matching.meets_online(a in online, b in online),
        )
        for (a, b), priority in sorted(classes.items())
    ]
    table_numbers = {t.id: t.number for t in event.tables}
    plain_locked = [
        scheduling.LockedMeeting(
            str(m.participant_a_id), str(m.participant_b_id), str(m.slot_id),
            None if m.online else table_numbers.get(m.table_id), online=m.online,
        )
        for m in locked
        if m.participant_a_id in ids and m.participant_b_id in ids and not m.group_meeting_id
    ]  # fmt: skip
    plain_groups, _left_out = group_placement.plain_groups(event, ids)
    instance = scheduling.Instance(
        slots=tuple(
            scheduling.Slot(
                str(s.id),
                f"{s.starts_at:%Y-%m-%d}",
                f"{s.starts_at:%H:%M}",
                f"{s.ends_at:%H:%M}",
                event.table_count,
            )
            for s in slots
        ),  # fmt: skip
        participants=tuple(plain_participants),
        candidates=tuple(candidates),
        locked=tuple(plain_locked),
        options=scheduling.Options(
            min_meetings=min_meetings, fill_with_suggestions=include_suggestions
        ),
        groups=plain_groups,
        tables=group_placement.plain_tables(event),
    )
    return instance, participants


def versions_of(event):
    """The event's schedule versions, newest first, each with its number of meetings (one
    query, not one per version)."""
    count = (
        sa.select(sa.func.count(Meeting.id))
        .where(Meeting.schedule_id == Schedule.id)
        .correlate(Schedule)
        .scalar_subquery()
    )
    return db.session.execute(
        sa.select(Schedule, count)
        .where(Schedule.event_id == event.id)
        .options(undefer(Schedule.figures))  # the page shows each version's figures
        .order_by(Schedule.version.desc())
    ).all()


def latest(event, status=None):
    query = sa.select(Schedule).where(Schedule.event_id == event.id)
    if status:
        query = query.where(Schedule.status == status)
    return db.session.scalar(query.order_by(Schedule.version.desc()).limit(1))


def generate(event, by=None, min_meetings=0, include_suggestions=True, time_limit=20.0,
             keep_locked=True, progress=None):  # fmt: skip
    """Run the optimiser and store its result as a new draft version; commit and return it.

    Locked meetings of the latest draft (and, when there is one, the published agenda's
    meetings the organizer locked) are kept where they are. The figures (placed per class,
    objective, bound, gap, breaks, participants without meetings, seconds) and the unplaced
    candidates with their reasons are stored on the Schedule. Raises DomainError when the
    event has no slot or the input is inconsistent.

    Organizers may keep editing the draft meanwhile: the new version is built from what was
    committed when generation started, and edits committed later stay in the draft they
    were made in. Two generations at once get two consecutive version numbers.
    """
    if by is not None:
        _check_organizer(event, by)
    if not event.slots:
        raise DomainError("The event has no meeting slot: add sessions first.")
    locked = []
    if keep_locked:
        for previous in (latest(event, "draft"), latest(event, "published")):
            if previous is not None:
                locked += [
                    m for m in previous.meetings
                    if m.locked and m.status not in OFF and not m.group_meeting_id
                ]  # fmt: skip
        seen, unique = set(), []
        for m in locked:
            if (m.participant_a_id, m.participant_b_id) not in seen:
                seen.add((m.participant_a_id, m.participant_b_id))
                unique.append(m)
        locked = unique
    locked = _with_bookings(event, locked)
    instance, participants = build_instance(event, min_meetings, include_suggestions, locked)
    try:
        result = scheduling.solve(instance, time_limit=time_limit, progress=progress)
    except scheduling.InstanceError as error:
        raise DomainError(f"The agenda cannot be computed: {error}") from error
    # Versions are numbered per event: whoever stores a version first takes the next number,
    # the other waits here (the solve above ran without holding any lock).
    lock(Event, event.id, refresh=False)
    names = _names(participants)
    figures = asdict(result.figures)
    # a pair whose partners meet in a group meeting is not missing: it is left out of the list
    figures["unplaced"] = [
        {**asdict(u), "names": [names.get(u.a, u.a), names.get(u.b, u.b)]}
        for u in result.unplaced
        if u.reason != REASON_IN_GROUP
    ]
    _plain, left_out = group_placement.plain_groups(event, {p.id for p in participants})
    figures["unplaced_groups"] = group_placement.figures_of(result, names, left_out)
    labels = {str(s.id): s.label for s in event.slots}
    figures["conflicts"] = [
        {**asdict(c), "names": [names.get(c.a, c.a), names.get(c.b, c.b)],
         "when": labels.get(c.slot, c.slot)}
        for c in result.conflicts
    ]  # fmt: skip
    schedule = Schedule(
        event_id=event.id,
        version=(db.session.scalar(
            sa.select(sa.func.max(Schedule.version)).where(Schedule.event_id == event.id)
        ) or 0) + 1,
        status="draft",
        created_by_id=by.id if by is not None else None,
        options={"min_meetings": min_meetings, "include_suggestions": include_suggestions,
                 "time_limit": time_limit},
        figures=figures,
    )  # fmt: skip
    db.session.add(schedule)
    db.session.flush()
    by_id = {p.id: p for p in participants}
    slots = {s.id: s for s in event.slots}
    tables = {t.number: t for t in event.tables}
    rooms = _rooms(event)
    for placed in result.meetings:
        a, b = by_id[int(placed.a)], by_id[int(placed.b)]
        schedule.meetings.append(
            Meeting.between(
                schedule, slots[int(placed.slot)], a, b,
                table=None if placed.online else tables.get(placed.table),
                source=SOURCES[placed.priority], locked=placed.locked,
                score=placed.weight, code=meeting_code(), online=placed.online,
                video_room=rooms.get((min(a.id, b.id), max(a.id, b.id))),
            )
        )  # fmt: skip
    group_placement.write(schedule, result, by_id, slots, tables, meeting_code)
    with guarded("The participants changed while the agenda was computed; generate it again."):
        db.session.commit()
    return schedule


def _rooms(event):
    """The video rooms of the pairs in the latest versions ({(a id, b id): room}), so a pair
    that keeps its online meeting in a new version keeps the link it already has. One query."""
    return dict(
        ((a, b), room)
        for a, b, room in db.session.execute(
            sa.select(Meeting.participant_a_id, Meeting.participant_b_id, Meeting.video_room)
            .join(Schedule, Schedule.id == Meeting.schedule_id)
            .where(Meeting.event_id == event.id, Meeting.online, Meeting.video_room != "")
            .order_by(Schedule.version)
        ).all()
    )


#: What each failed run means for the organizer, in plain words (no solver terms).
_OUTCOME = {
    scheduling.STATUS_INCOMPLETE: "Not every meeting that must take place could be placed: "
    "{n} missing ({pairs}).",
    scheduling.STATUS_INFEASIBLE: "No agenda can hold every meeting that must take place with "
    "breaks spread as evenly as asked; this was proved, not guessed. The agenda below is the "
    "closest one found.",
    scheduling.STATUS_FAIRNESS_VIOLATED: "Breaks are spread less evenly than asked: one "
    "participant has {most} breaks, another {fewest}. No agenda within the limit was found in "
    "the time given.",
}
_LOCK_CONFLICT = {
    scheduling.CONFLICT_UNAVAILABLE: "{a} and {b} are kept at {when} because their meeting is "
    "locked there, although one of them is not available then.",
    scheduling.CONFLICT_NOT_ALLOWED: "{a} and {b} are kept at {when} because their meeting is "
    "locked there, outside the times it was limited to.",
    scheduling.CONFLICT_ORDER: "{a} and {b} are kept at {when} because their meeting is locked "
    "there, although it should come after another locked meeting.",
}


def outcome(schedule):
    """What the organizer must know about how a version's computation went, as plain
    sentences naming participants: a requirement that could not be met (required meetings
    missing, breaks less even than asked, or proved impossible) and each locked meeting kept
    against a participant's availability or the meeting's allowed times. [] when every
    requirement held (or the version was not computed)."""
    f = schedule.figures or {}
    lines = []
    template = _OUTCOME.get(f.get("status"))
    if template:
        missing = [" and ".join(u["names"]) for u in f.get("unplaced", [])]
        pairs = "; ".join(missing[:10]) + ("; …" if len(missing) > 10 else "")
        lines.append(template.format(
            n=len(missing), pairs=pairs, most=f.get("breaks_max"), fewest=f.get("breaks_min"),
        ))  # fmt: skip
    for c in f.get("conflicts", []):
        template = _LOCK_CONFLICT.get(c["reason"])
        if template:
            lines.append(template.format(a=c["names"][0], b=c["names"][1], when=c["when"]))
    lines += group_placement.outcome_lines(f)
    return lines


def _bookings(schedule):
    """The meetings participants booked live in `schedule` (see services/booking.py)."""
    if schedule is None:
        return []
    return [
        m for m in schedule.meetings if m.source == "request" and m.locked and m.status not in OFF
    ]


def _with_bookings(event, locked):
    """Where participants book, the published agenda's bookings are kept first, whatever
    `keep_locked` says, and a locked meeting of a draft that clashes with one of them (the
    same pair, person or table in a slot: the booking was moved or made after that draft) is
    left out, so the optimiser fills the rest around the bookings."""
    if event.scheduling_mode not in ("participants", "hybrid"):
        return locked
    kept, pairs, people, tables = [], set(), set(), set()
    for m in _bookings(latest(event, "published")) + list(locked):
        pair = (m.participant_a_id, m.participant_b_id)
        seats = {(m.slot_id, m.participant_a_id), (m.slot_id, m.participant_b_id)}
        table = (m.slot_id, m.table_id) if m.table_id else None
        if pair in pairs or seats & people or (table and table in tables):
            continue
        kept.append(m)
        pairs.add(pair)
        people |= seats
        if table:
            tables.add(table)
    return kept


def _carry_bookings(event, draft):
    """Publishing a draft made before later bookings keeps them: each meeting booked (or
    moved) in the published agenda after the draft was made is put into the draft where it
    was booked. Raises ScheduleConflict naming the clash when the draft has one of its people
    or its table there (generate a new draft: it keeps every booking)."""
    previous = latest(event, "published")
    if previous is None or event.scheduling_mode not in ("participants", "hybrid"):
        return
    later = [
        m
        for m in _bookings(previous)
        if m.status_changed_at is not None and m.status_changed_at > draft.created_at
    ]
    for booked in later:
        pair = (booked.participant_a_id, booked.participant_b_id)
        for m in list(draft.meetings):
            if (m.participant_a_id, m.participant_b_id) == pair:
                draft.meetings.remove(m)
        db.session.flush()
        for m in draft.meetings:
            same_slot = m.slot_id == booked.slot_id and m.status not in OFF
            if same_slot and ({m.participant_a_id, m.participant_b_id} & set(pair)):
                raise ScheduleConflict(
                    f"{booked.participant_a.organisation.name} and "
                    f"{booked.participant_b.organisation.name} booked {booked.slot.label} after "
                    f"version {draft.version} was made, and this version has "
                    f"{m.participant_a.organisation.name} with "
                    f"{m.participant_b.organisation.name} then. Generate a new draft (it keeps "
                    "every booking) and publish that."
                )
        taken = {m.table_id for m in draft.meetings if m.slot_id == booked.slot_id}
        table = booked.table if booked.table_id not in taken else None
        if table is None and not booked.online:
            table = next((t for t in event.tables if t.id not in taken), None)
        if table is None and not booked.online:
            raise ScheduleConflict(
                f"{booked.participant_a.organisation.name} and "
                f"{booked.participant_b.organisation.name} booked {booked.slot.label} after "
                f"version {draft.version} was made, and this version has no table left then. "
                "Generate a new draft (it keeps every booking) and publish that."
            )
        draft.meetings.append(
            Meeting.between(
                draft, booked.slot, booked.participant_a, booked.participant_b, table=table,
                source="request", locked=True, score=booked.score, code=booked.code,
                online=booked.online, video_room=booked.video_room,
                status_changed_at=booked.status_changed_at,
                status_changed_by_id=booked.status_changed_by_id,
            )
        )  # fmt: skip
    db.session.flush()


def meeting_code():
    """A short code per meeting for the table sheets (check-in on the day)."""
    return secrets.token_hex(3).upper()


def meetings_of(schedule):
    return db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.schedule_id == schedule.id)
        .options(
            joinedload(Meeting.slot),
            joinedload(Meeting.table),
            joinedload(Meeting.participant_a).joinedload(Participant.organisation),
            joinedload(Meeting.participant_b).joinedload(Participant.organisation),
        )
    ).all()


def _placed(meetings, tables, skip=()):
    return [
        scheduling.PlacedMeeting(
            str(m.participant_a_id), str(m.participant_b_id), str(m.slot_id),
            0 if m.online else tables.get(m.table_id, 0),
            PRIORITY_OF_SOURCE.get(m.source, scheduling.MANUAL), online=m.online,
        )
        for m in meetings
        if m.status not in OFF and m.id not in skip and not m.group_meeting_id
    ]  # fmt: skip


def _placed_groups(meetings, tables, skip=()):
    """The group meetings among `meetings` for the optimiser's checks: every member busy."""
    live = [m for m in meetings if m.status not in OFF and m.id not in skip]
    people = group_placement.people_by_meeting(live)
    return [
        scheduling.PlacedGroup(
            str(m.group_meeting_id), tuple(str(p.id) for p in people.get(m.id, ())),
            str(m.slot_id), tables.get(m.table_id, 0),
        )
        for m in live
        if m.group_meeting_id
    ]  # fmt: skip


def _refuse_group(*meetings):
    if any(m.group_meeting_id for m in meetings):
        raise ScheduleConflict(
            _(
                "A group meeting stays where the optimiser placed it: generate the agenda "
                "again to place it elsewhere, or remove it from this draft."
            )
        )


def _editable(schedule, by):
    """Lock the version for this edit (organizers editing one draft take turns; the lock ends
    with the transaction) and check, on what the previous editor committed, that it is still
    a draft the user may edit."""
    lock(Schedule, schedule.id)
    _check_organizer(schedule.event, by)
    if schedule.status != "draft":
        raise DomainError(
            f"Version {schedule.version} is {schedule.status}; edit a draft copy instead."
        )


def conflicts_of(schedule, a, b, slot, table, skip=()):
    """Why the meeting of `a` and `b` cannot go to `slot` and `table` in `schedule`, leaving
    out the meetings in `skip` (those being moved): a list of sentences with names and times,
    empty when it can. An online meeting (attendance.meets_online) needs no table, so
    `table` is ignored for it. Cost O(instance + meetings)."""
    event = schedule.event
    instance, participants = build_instance(event, include_suggestions=False)
    tables = {t.id: t.number for t in event.tables}
    meetings = meetings_of(schedule)
    online = attendance.meets_online(a, b)
    found = scheduling.move_conflicts(
        instance, _placed(meetings, tables, skip), str(a.id), str(b.id),
        str(slot.id), None if online or table is None else table.number, online=online,
        groups=_placed_groups(meetings, tables, skip),
    )  # fmt: skip
    names = _names(participants)
    names.update({str(a.id): a.organisation.name, str(b.id): b.organisation.name})
    labels = {str(s.id): s.label for s in event.slots}
    return [_sentence(c, names, labels) for c in found]


def _refuse_conflicts(schedule, a, b, slot, table, skip=()):
    found = conflicts_of(schedule, a, b, slot, table, skip)
    if found:
        # One reason a line: the page shows each on its own (several often hold at once).
        raise ScheduleConflict("\n".join(found))


def _sentence(conflict, names, labels):
    text = conflict.format(names)
    if conflict.table is not None:
        text = text.replace(f"table {conflict.table}", f"Table {conflict.table}")
    if conflict.slot is not None:
        text = text.replace(f"slot {conflict.slot}", labels.get(conflict.slot, conflict.slot))
    return text[0].upper() + text[1:] if text else text


def _current(meeting_id, removed="This meeting was removed from the draft meanwhile."):
    """The meeting as the database has it now (after the version's lock)."""
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.id == meeting_id))
    if meeting is None:
        raise ScheduleConflict(f"{removed} Reload the agenda.")
    return meeting


def place_of(meeting):
    """Where the meeting is: (slot id, table id or None). Forms carry it as the place the
    organizer saw, so an edit made on an outdated page is refused instead of overwriting."""
    return meeting.slot_id, meeting.table_id


def _check_seen(meeting, seen):
    if seen is not None and tuple(seen) != place_of(meeting):
        where = meeting.slot.label + (f" · {meeting.table.label}" if meeting.table else "")
        raise ScheduleConflict(
            f"This meeting changed meanwhile: another organizer moved it to {where}. "
            "Check its new place and move it again if needed."
        )


def move_meeting(meeting, slot, table, by, seen=None):
    """Move a draft meeting to another slot and table, lock it there, and commit.

    `seen` is the place (see place_of) the organizer saw the meeting at; if someone moved it
    since, the move is refused rather than silently overwriting theirs. Raises
    ScheduleConflict with the reason when a rule would break or the meeting changed or was
    removed meanwhile (nothing changes)."""
    meeting_id, schedule = meeting.id, meeting.schedule
    with guarded(RACE_LOST, ScheduleConflict):
        _editable(schedule, by)
        meeting = _current(meeting_id)
        _check_seen(meeting, seen)
        _refuse_group(meeting)
        _refuse_conflicts(
            schedule, meeting.participant_a, meeting.participant_b, slot, table,
            skip={meeting.id},
        )  # fmt: skip
        meeting.slot_id = slot.id
        meeting.table_id = table.id if table and not meeting.online else None
        meeting.locked = True
        db.session.commit()


def swap_meetings(first, second, by, seen=None):
    """Exchange the slots and tables of two draft meetings; both are checked, then locked.
    `seen` is the place the organizer saw `first` at, as for move_meeting."""
    ids, schedule = (first.id, second.id), first.schedule
    with guarded(RACE_LOST, ScheduleConflict):
        _editable(schedule, by)
        first, second = (_current(i, "One of the two meetings was removed meanwhile.") for i in ids)
        _check_seen(first, seen)
        _refuse_group(first, second)
        _swap(schedule, first, second)


def _swap(schedule, first, second):
    if second.schedule_id != schedule.id:
        raise DomainError("Both meetings must be in the same version.")
    for moving, target in ((first, second), (second, first)):
        _refuse_conflicts(
            schedule, moving.participant_a, moving.participant_b, target.slot, target.table,
            skip={first.id, second.id},
        )  # fmt: skip
    places = (first.slot_id, first.table_id), (second.slot_id, second.table_id)
    # The unique keys (slot, table) and (slot, participant) hold after every statement, so
    # the two meetings cannot trade places by two updates: one is deleted and re-created.
    first_attendees = [a.participant_id for a in first.attendees]
    db.session.delete(first)
    db.session.flush()
    second.slot_id, second.table_id, second.locked = *places[0], True
    db.session.flush()
    a, b = (db.session.get(Participant, pid) for pid in first_attendees)
    replacement = Meeting.between(
        schedule, db.session.get(Slot, places[1][0]), a, b,
        table=db.session.get(Table, places[1][1]) if places[1][1] else None,
        source=first.source, score=first.score, code=first.code, locked=True,
        online=first.online, video_room=first.video_room,
    )  # fmt: skip
    db.session.add(replacement)
    db.session.commit()


def occupant(schedule, slot, table):
    """The meeting of `schedule` at `slot` and `table`, or None."""
    return db.session.scalar(
        sa.select(Meeting).where(
            Meeting.schedule_id == schedule.id,
            Meeting.slot_id == slot.id,
            Meeting.table_id == (table.id if table else None),
            Meeting.status.not_in(OFF),
        )
    )


def place_choices(meeting, slot, table):
    """What the organizer can do to bring `meeting` to `slot` and `table`: a dict with
    `move` (reasons a plain move is refused; empty: it can), `occupant` (the meeting there,
    or None), `swap` and `replace` (reasons each is refused, None when it does not apply:
    no occupant, or an occupant that is not a suggested meeting), and `free_tables` (tables
    of that slot nobody uses, where the meeting may go instead). Reads only."""
    schedule = meeting.schedule
    a, b = meeting.participant_a, meeting.participant_b
    there = occupant(schedule, slot, table)
    choices = {
        "move": conflicts_of(schedule, a, b, slot, table, skip={meeting.id}),
        "occupant": there,
        "swap": None,
        "replace": None,
    }
    used = {
        m.table_id for m in meetings_of(schedule) if m.slot_id == slot.id and m.status not in OFF
    }
    # Another table of the slot: any unused one, when nothing but the table stands in the way.
    fits_slot = not conflicts_of(schedule, a, b, slot, None, skip={meeting.id})
    choices["free_tables"] = [t for t in schedule.event.tables if t.id not in used and fits_slot]
    if there is not None and there.id != meeting.id:
        skip = {meeting.id, there.id}
        choices["swap"] = conflicts_of(schedule, a, b, slot, table, skip) + conflicts_of(
            schedule, there.participant_a, there.participant_b, meeting.slot, meeting.table,
            skip,
        )  # fmt: skip
        if there.source == "suggestion":
            choices["replace"] = conflicts_of(schedule, a, b, slot, table, skip)
    return choices


def replace_suggested(meeting, suggested, by, seen=None):
    """Put `meeting` where the suggested meeting `suggested` is, taking it out of the draft,
    lock it there and commit. The suggested pair loses that meeting; if participants saw it
    (it was published), publishing this draft tells them, as for any changed agenda. Raises
    DomainError when `suggested` is not a suggested meeting, ScheduleConflict with the
    reasons when a rule would break or either meeting changed meanwhile (nothing changes).
    Returns the names of the pair that lost its suggested meeting."""
    ids, schedule = (meeting.id, suggested.id), meeting.schedule
    with guarded(RACE_LOST, ScheduleConflict):
        _editable(schedule, by)
        meeting, suggested = (
            _current(i, "One of the two meetings was removed meanwhile.") for i in ids
        )
        _check_seen(meeting, seen)
        _refuse_group(meeting, suggested)
        if suggested.schedule_id != schedule.id or suggested.source != "suggestion":
            raise DomainError("Only a suggested meeting of this draft can be replaced.")
        slot, table = suggested.slot, suggested.table
        _refuse_conflicts(
            schedule, meeting.participant_a, meeting.participant_b, slot, table,
            skip={meeting.id, suggested.id},
        )  # fmt: skip
        names = (suggested.participant_a.organisation.name,
                 suggested.participant_b.organisation.name)  # fmt: skip
        db.session.delete(suggested)
        db.session.flush()
        meeting.slot_id, meeting.table_id, meeting.locked = (
            slot.id,
            table.id if table else None,
            True,
        )
        db.session.commit()
    return names


def add_meeting(schedule, a, b, slot, table, by):
    """Add a manual meeting to a draft (locked); checked like a move. Commits."""
    with guarded(RACE_LOST, ScheduleConflict):
        _editable(schedule, by)
        if a.id == b.id or a.event_id != schedule.event_id or b.event_id != schedule.event_id:
            raise DomainError("Pick two different participants of this event.")
        apart = groups.why_not(a, b, neutral=True)
        if apart:
            raise ScheduleConflict(apart)
        _refuse_conflicts(schedule, a, b, slot, table)
        db.session.add(
            Meeting.between(schedule, slot, a, b, table=table, source="manual", locked=True,
                            code=meeting_code())
        )  # fmt: skip
        db.session.commit()


def cancel_meeting(meeting, by):
    """Remove a meeting from a draft and commit. Raises ScheduleConflict when another
    organizer removed it first."""
    meeting_id, schedule = meeting.id, meeting.schedule
    with guarded(RACE_LOST, ScheduleConflict):
        _editable(schedule, by)
        db.session.delete(_current(meeting_id, "This meeting was already removed from the draft."))
        db.session.commit()


def copy_to_draft(schedule, by):
    """A new draft version holding the same meetings (to edit a published agenda)."""
    _check_organizer(schedule.event, by)
    lock(Event, schedule.event_id)  # version numbers: one new version at a time per event
    copy = Schedule(
        event_id=schedule.event_id,
        version=latest(schedule.event).version + 1,
        status="draft",
        created_by_id=by.id,
        options=dict(schedule.options or {}),
        figures=dict(schedule.figures or {}),
    )
    db.session.add(copy)
    db.session.flush()
    meetings = [m for m in meetings_of(schedule) if m.status not in OFF]
    people = group_placement.people_by_meeting(meetings)
    rows = copy.meetings  # loaded (empty) before any new row exists
    for m in meetings:
        row = Meeting.between(
            copy, m.slot, m.participant_a, m.participant_b, table=m.table,
            source=m.source, locked=m.locked, score=m.score, code=m.code, status=m.status,
            online=m.online, video_room=m.video_room, group_meeting_id=m.group_meeting_id,
        )  # fmt: skip
        if m.group_meeting_id:  # every member keeps a seat
            row.attendees = [
                MeetingAttendee(schedule_id=copy.id, slot_id=m.slot_id, participant_id=p.id)
                for p in people.get(m.id, ())
            ]
        rows.append(row)
    with guarded(RACE_LOST):
        db.session.commit()
    return copy


def _agenda_keys(schedule):
    """participant id -> the set of (partner, slot, table) of their meetings."""
    keys = {}
    if schedule is None:
        return keys
    for m in schedule.meetings:
        if m.status in OFF:
            continue
        if m.group_meeting_id:  # every member, with the group as the "partner"
            for attendee in m.attendees:
                keys.setdefault(attendee.participant_id, set()).add(
                    (("group", m.group_meeting_id), m.slot_id, m.table_id)
                )
            continue
        for me, other in ((m.participant_a_id, m.participant_b_id),
                          (m.participant_b_id, m.participant_a_id)):  # fmt: skip
            keys.setdefault(me, set()).add((other, m.slot_id, m.table_id))
    return keys


def publish(schedule, by):
    """Publish a draft: the previous published version becomes superseded (still readable by
    the organizers), in one transaction; the event moves to "agenda published". Emails the
    participants whose agenda is new or changed, and only them. Returns how many were told.
    Raises DomainError when the version is not a draft (also when another organizer
    published it a moment earlier: publishing takes the event's lock, then the version's, so
    it waits for edits in progress and for the other publication)."""
    event = schedule.event
    _check_organizer(event, by)
    with guarded(RACE_LOST, ScheduleConflict):
        lock(Event, event.id)
        lock(Schedule, schedule.id)
        if schedule.status != "draft":
            raise DomainError(f"Version {schedule.version} is already {schedule.status}.")
        _carry_bookings(event, schedule)
        previous, before, after = _publish(event, schedule)
        told = _tell_changed(event, previous, before, after, _suggested_counts(schedule))
        _announce_published(event, schedule, previous, after, told)
        db.session.commit()
    return told


def _announce_published(event, schedule, previous, after, told):
    """The "schedule.published" webhook (not committed): figures, not the whole agenda."""
    meetings = [m for m in schedule.meetings if m.status not in OFF]
    webhooks.emit(
        event,
        "schedule.published",
        {
            "schedule": {
                "version": schedule.version,
                "published_at": webhooks.iso(schedule.published_at),
                "replaces_version": previous.version if previous is not None else None,
                "meetings": len(meetings),
                "participants_with_meetings": len(after),
                "participants_told": told,
            }
        },
    )


def _publish(event, schedule):
    previous = latest(event, "published")
    before, after = _agenda_keys(previous), _agenda_keys(schedule)
    if previous is not None:
        previous.status = "superseded"
        db.session.flush()  # one published version at any time (a unique index holds it)
    schedule.status = "published"
    schedule.published_at = utcnow()
    if event.status in ("registration_open", "matchmaking"):
        event.status = "agenda_published"
    db.session.flush()
    return previous, before, after


def _suggested_counts(schedule):
    """participant id -> how many of their meetings in `schedule` the organizers suggested."""
    counts = {}
    for m in schedule.meetings:
        if m.source == "suggestion" and m.status not in OFF:
            for pid in (m.participant_a_id, m.participant_b_id):
                counts[pid] = counts.get(pid, 0) + 1
    return counts


def _tell_changed(event, previous, before, after, suggested=None):
    changed = [pid for pid in set(before) | set(after) if before.get(pid) != after.get(pid)]
    people = db.session.scalars(
        sa.select(Participant)
        .where(Participant.id.in_(changed))
        .options(joinedload(Participant.user))
    ).all()
    for participant in people:
        if participant.user is not None:
            send_mail(
                participant.user.email,
                _l("Your agenda for %(event)s has changed", event=event.title)
                if previous
                else _l("Your agenda for %(event)s", event=event.title),
                "agenda_published",
                participant=participant, event=event, updated=previous is not None,
                meetings=len(after.get(participant.id, ())),
                suggested=(suggested or {}).get(participant.id, 0),
            )  # fmt: skip
    return len(people)


def generate_task(event, by=None, progress=None, **options):
    """`generate` as a job task: returns what the job page needs."""
    draft = generate(event, by=by, progress=progress, **options)
    return {"version": draft.version, "meetings": len(draft.meetings)}
