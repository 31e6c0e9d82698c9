"""The event day: the check-in desk, the status of each meeting at the tables, and walk-in
meetings that refill what a cancellation or an absence freed.

Who does what: the event's staff (organizers, admins and helpers, `Event.is_staffed_by`) check
people in, set meeting statuses and book walk-ins for anyone; a participant confirms that one of
their own meetings was held and, when the event allows it, books a walk-in for themselves.

How a meeting that will not happen frees its people and its table, while the database still
refuses every double booking:

- The attendee rows (unique per schedule, slot and participant) are the guard. A meeting that
  is going to happen or happened ("scheduled", "held": ACTIVE) always has its two rows. Moving
  it to "cancelled" or a no-show deletes its rows, so both people can be booked again in that
  slot; moving it back to "scheduled" (undo) inserts them again, and the unique key refuses the
  undo if either person was booked meanwhile, whichever request commits first.
- The table stays on the cancelled meeting (so an undo puts it back where it was) until a
  walk-in needs it: booking takes the table off the inactive meeting with an UPDATE that only
  matches while that meeting is still inactive, and the unique key (schedule, slot, table)
  refuses a second meeting at the same table. An undo whose table was taken gets another free
  table, or is refused when none is left.
- The absent side of a no-show is not offered as free in that slot and cannot be booked there
  (they are not at the venue); undo the no-show when they turn up.

Slot times are event-local wall times; "now" is the wall time in the event's time zone
(`local_now`), which tests replace.
"""

import base64
import hmac
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import segno
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from matchmaker.countries import country_choices
from matchmaker.extensions import db
from matchmaker.i18n import dates
from matchmaker.models import (
    MEETING_STATUSES,
    Event,
    GroupMeetingMember,
    Interest,
    Match,
    Meeting,
    MeetingAttendee,
    Organisation,
    Participant,
    Schedule,
    Slot,
    Table,
    User,
    event_helpers,
    unavailable_slots,
)
from matchmaker.models.base import utcnow
from matchmaker.services import attendance, groups, webhooks
from matchmaker.services.accounts import find_user, make_reset_token, normalise_email
from matchmaker.services.agenda import with_details
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from matchmaker.services.events import account_to_staff
from matchmaker.services.mail import send_mail
from matchmaker.services.membership import find_organisation
from matchmaker.services.queries import escape_like
from matchmaker.services.schedules import meeting_code

ACTIVE = ("scheduled", "held")
INACTIVE = ("cancelled", "no_show_a", "no_show_b")
# The status moves of a meeting on the day. An outcome (held, a no-show, cancelled) is
# corrected by undoing it first (back to "scheduled"), so every correction passes the checks
# of the undo: both people still free in that slot, a table free for them.
STATUS_MOVES = {
    "scheduled": {"held", "no_show_a", "no_show_b", "cancelled"},
    "held": {"scheduled"},
    "no_show_a": {"scheduled"},
    "no_show_b": {"scheduled"},
    "cancelled": {"scheduled"},
}
# Held and no-show say what happened at the table, so only once the slot has started.
NEEDS_STARTED = {"held", "no_show_a", "no_show_b"}


def local_now(event):
    """The wall time now in the event's time zone, naive like Slot.starts_at."""
    return datetime.now(ZoneInfo(event.timezone or "UTC")).replace(tzinfo=None)


def local_time(event, moment):
    """A stored naive-UTC moment (checked_in_at, status_changed_at) as the event's wall time."""
    if moment is None:
        return None
    zone = ZoneInfo(event.timezone or "UTC")
    return moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


def _check_staff(event, by):
    if not event.is_staffed_by(by):
        raise NotAllowed(_("Only the event's organizers and helpers can do this on the day."))


def _name(participant):
    return participant.organisation.name


# --- helpers (accounts that work the venue) -------------------------------------------------


def add_helper(event, email, by):
    """Make the account with `email` a helper of `event` (check-in desk, meeting statuses,
    walk-ins; not the event's settings) and commit; returns the user. Raises NotAllowed for
    non-organizers, DomainError when no account uses the email, Conflict when already staff."""
    user = account_to_staff(event, email, by, role="helpers")
    if user in event.helpers:
        raise Conflict(_("%(name)s already helps at this event.", name=user.name))
    event.helpers.append(user)
    db.session.commit()
    return user


def invite_helper(event, email, name, by, link_for):
    """Make the person with `email` a helper of `event` and email them, commit; returns
    (user, invited). Someone without an account gets one without a password (`name`, else
    the email's first part) and a link to choose it (`link_for(token)`: the absolute reset
    link, valid PASSWORD_RESET_MAX_AGE); someone with an account is told to log in. Raises
    NotAllowed for non-organizers, Conflict when they already help or organize."""
    if not event.is_organized_by(by):
        raise NotAllowed(_("Only the event's organizers can add helpers."))
    user = find_user(email)
    invited = user is None
    if invited:
        user = User(
            email=normalise_email(email), name=(name or "").strip() or email.split("@")[0],
            password_hash=None,
        )  # fmt: skip
        db.session.add(user)
        db.session.flush()
    elif user in event.organizers:
        raise Conflict(_("%(name)s already organizes this event.", name=user.name))
    elif user in event.helpers:
        raise Conflict(_("%(name)s already helps at this event.", name=user.name))
    event.helpers.append(user)
    send_mail(
        user.email, _l("You help at %(event)s: check-in desk and meetings", event=event.title),
        "helper_invitation",
        user=user, event=event, organizer=by,
        link=link_for(make_reset_token(user)) if invited else None,
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )  # fmt: skip
    with _integrity_as_conflict(_("An account for %(email)s was just made; reload the page and "
                                  "try again.", email=email)):  # fmt: skip
        db.session.commit()
    return user, invited


def remove_helper(event, user, by):
    """Remove a helper of `event` and commit."""
    if not event.is_organized_by(by):
        raise NotAllowed(_("Only the event's organizers can remove helpers."))
    if user not in event.helpers:
        raise DomainError(_("%(name)s does not help at this event.", name=user.name))
    event.helpers.remove(user)
    db.session.commit()


def staffed_events(user):
    """Events where `user` is a helper, newest first (their check-in desk links)."""
    if not user.is_authenticated:
        return []
    return db.session.scalars(
        sa.select(Event)
        .join(event_helpers, event_helpers.c.event_id == Event.id)
        .where(event_helpers.c.user_id == user.id)
        .order_by(Event.id.desc())
    ).all()


# --- check-in --------------------------------------------------------------------------------


def check_in(participant, by):
    """Mark an approved participant present (now) and commit. Checking in someone already
    present changes nothing (a double tap at the desk is harmless). Raises NotAllowed for
    non-staff, DomainError for a registration that is not approved."""
    _check_staff(participant.event, by)
    if participant.status != "approved":
        raise DomainError(
            _("%(name)s is not an approved participant (%(status)s); approve the registration "
              "first.", name=_name(participant), status=participant.status_label.lower())
        )  # fmt: skip
    if participant.checked_in_at is None:
        participant.checked_in_at = utcnow()
        db.session.commit()
    return participant


def undo_check_in(participant, by):
    """Mark a participant as not arrived again (a tap on the wrong row) and commit."""
    _check_staff(participant.event, by)
    participant.checked_in_at = None
    db.session.commit()
    return participant


@dataclass(frozen=True)
class DeskCounts:
    present: int
    expected: int  # approved participants


def desk_counts(event):
    """How many approved participants are checked in, out of how many (one query)."""
    present, expected = db.session.execute(
        sa.select(
            sa.func.count(Participant.checked_in_at),
            sa.func.count(Participant.id),
        ).where(Participant.event_id == event.id, Participant.status == "approved")
    ).one()
    return DeskCounts(present, expected)


def desk_list(event, q="", show="all", page=1, per_page=50):
    """One page of the event's approved participants for the check-in desk, by organisation
    name: searchable by person, organisation, email, country code or country name (`q`,
    case-insensitive), `show` one of "all", "expected" (not checked in yet), "present".
    Returns a Flask-SQLAlchemy Pagination of Participants with organisation and person."""
    query = (
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.status == "approved")
        .join(Participant.organisation)
        .outerjoin(Participant.user)
        .options(joinedload(Participant.organisation), joinedload(Participant.user))
        .order_by(Organisation.name, Participant.id)
    )
    q = (q or "").strip()
    if q:
        pattern = f"%{escape_like(q.lower())}%"
        conditions = [
            sa.func.lower(Organisation.name).like(pattern, escape="\\"),
            sa.func.lower(User.name).like(pattern, escape="\\"),
            sa.func.lower(User.email).like(pattern, escape="\\"),
        ]
        codes = _country_codes(q)
        if codes:
            conditions.append(Organisation.country.in_(codes))
        query = query.where(sa.or_(*conditions))
    if show == "expected":
        query = query.where(Participant.checked_in_at.is_(None))
    elif show == "present":
        query = query.where(Participant.checked_in_at.is_not(None))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def _country_codes(text):
    """Country codes whose code equals `text` or whose name starts with it."""
    folded = text.casefold()
    return [
        code
        for code, name in country_choices()
        if code.casefold() == folded or (len(folded) > 2 and name.casefold().startswith(folded))
    ]


# --- the day's slots and meetings -------------------------------------------------------------


def current_slot(event, now=None):
    """The slot running now, else the next one, else the last one (None without slots)."""
    now = now or local_now(event)
    slots = list(event.slots)
    for slot in slots:
        if now < slot.ends_at:
            return slot
    return slots[-1] if slots else None


def slot_meetings(schedule, slot):
    """The schedule's meetings in `slot`, by table, with participants and organisations."""
    meetings = db.session.scalars(
        with_details(
            sa.select(Meeting).where(Meeting.schedule_id == schedule.id, Meeting.slot_id == slot.id)
        )
    ).all()
    return sorted(meetings, key=lambda m: (m.table.number if m.table else 10**6, m.id))


def allowed_moves(meeting, now=None):
    """The statuses `meeting` may move to now, in a fixed order (for the buttons)."""
    started = _started(meeting, now)
    return [
        status
        for status in MEETING_STATUSES
        if status in STATUS_MOVES[meeting.status] and (started or status not in NEEDS_STARTED)
    ]


def _started(meeting, now=None):
    slot = db.session.get(Slot, meeting.slot_id)
    now = now or local_now(db.session.get(Event, meeting.event_id))
    return now >= slot.starts_at


def status_label(meeting, status=None):
    """ "Held", "No-show: Ana Ltd", "Cancelled" for a meeting's (or a given) status."""
    status = status or meeting.status
    if status == "no_show_a":
        return _("No-show: %(person)s", person=_name(meeting.participant_a))
    if status == "no_show_b":
        return _("No-show: %(person)s", person=_name(meeting.participant_b))
    return str(MEETING_STATUSES[status])


def _words(meeting, status=None):
    """A status inside a sentence: "held", "a no-show of Ana Ltd" (names keep their case)."""
    status = status or meeting.status
    if status == "no_show_a":
        return _("a no-show of %(person)s", person=_name(meeting.participant_a))
    if status == "no_show_b":
        return _("a no-show of %(person)s", person=_name(meeting.participant_b))
    return str(MEETING_STATUSES[status]).lower()


def set_meeting_status(meeting, status, by, now=None):
    """Move a meeting of the published agenda to `status` on the day and commit, recording
    who and when. Allowed moves: STATUS_MOVES; held and no-show only once the slot started.
    Leaving "scheduled" for cancelled or a no-show frees both people (and, when a walk-in needs
    it, the table); undoing takes them back, refused with Conflict when one of them or every
    table was booked meanwhile. Raises NotAllowed for non-staff, DomainError for a move the
    table forbids; nothing changes when refused."""
    event = db.session.get(Event, meeting.event_id)
    _check_staff(event, by)
    _move(meeting, status, by, now)


def participant_confirm_held(participant, meeting, now=None):
    """The participant says their meeting took place: it becomes "held" and commits. Only a
    meeting of their own in the published agenda, still scheduled, whose slot has started.
    Raises NotAllowed or DomainError otherwise (nothing changes)."""
    if participant.id not in _people_ids(meeting):
        raise NotAllowed(_("You can only confirm your own meetings."))
    if meeting.status == "held":
        raise DomainError(_("This meeting is already confirmed as held."))
    if meeting.status != "scheduled":
        raise DomainError(
            _("This meeting is %(status)s; ask the organizers at the desk if that is wrong.",
              status=_words(meeting))
        )  # fmt: skip
    _move(meeting, "held", participant.user, now)


def _move(meeting, status, by, now):
    if status not in MEETING_STATUSES:
        raise DomainError(_("Unknown meeting status."))
    schedule = db.session.get(Schedule, meeting.schedule_id)
    if schedule.status != "published":
        raise DomainError(_("Only meetings of the published agenda have a status on the day."))
    # Lock the meeting (PostgreSQL) so two taps at once cannot both move it.
    db.session.execute(
        sa.select(Meeting.id).where(Meeting.id == meeting.id).with_for_update()
    ).all()
    db.session.refresh(meeting)
    slot = db.session.get(Slot, meeting.slot_id)
    if meeting.group_meeting_id and status in ("no_show_a", "no_show_b"):
        db.session.rollback()
        _refuse_group_no_show(meeting, status)
    if status == meeting.status or status not in STATUS_MOVES[meeting.status]:
        db.session.rollback()
        if meeting.status != "scheduled":
            raise DomainError(
                _("This meeting is %(status)s; it cannot become %(other)s. Undo it first.",
                  status=_words(meeting), other=_words(meeting, status))
            )  # fmt: skip
        raise DomainError(
            _("This meeting is %(status)s; it cannot become %(other)s.",
              status=_words(meeting), other=_words(meeting, status))
        )  # fmt: skip
    if status in NEEDS_STARTED and not _started(meeting, now):
        db.session.rollback()
        raise DomainError(
            _("The meeting starts at %(time)s on %(day)s; it can be marked %(status)s once it "
              "has started.", time=dates.hm(slot.starts_at),
              day=dates.day_month_short(slot.starts_at), status=_words(meeting, status))
        )  # fmt: skip
    with _integrity_as_conflict(_("Someone else changed this meeting or booked its people just "
                                  "now; reload the page and try again.")):  # fmt: skip
        _apply_status(meeting, status, by, schedule, slot)
        db.session.commit()
    db.session.expire(meeting)


def cancel_for_departure(meeting, by):
    """Cancel a scheduled meeting of the published agenda because one side leaves the event
    (withdrawal, account deletion), by the same rule as the desk's "cancelled": both people's
    attendee rows go, the table stays on it, who and when are recorded (`by` None: nobody
    left to name). Not committed: the caller's transaction carries it with the rest of the
    departure. A meeting that is not "scheduled" is left as it is."""
    cancel_scheduled(meeting, by)


def cancel_scheduled(meeting, by):
    """Cancel a scheduled meeting of the published agenda by the desk's rule (both people are
    free again in its slot and listed by the refill panel; the table stays on it until a
    walk-in takes it), recording who and when. Not committed. A meeting that is not
    "scheduled" is left as it is. Used by departures and by a declined suggestion."""
    if meeting.status != "scheduled":
        return
    schedule = db.session.get(Schedule, meeting.schedule_id)
    _apply_status(meeting, "cancelled", by, schedule, db.session.get(Slot, meeting.slot_id))


def _apply_status(meeting, status, by, schedule, slot):
    """Move the meeting to `status` with its attendee rows (not committed): leaving ACTIVE
    for INACTIVE frees both people, coming back books them again (see the module's doc)."""
    if meeting.status in ACTIVE and status in INACTIVE:
        db.session.execute(
            sa.delete(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting.id)
        )
    elif meeting.status in INACTIVE and status in ACTIVE:
        _restore(meeting, schedule, slot)
    previous = meeting.status
    meeting.status = status
    meeting.status_changed_at = utcnow()
    meeting.status_changed_by_id = by.id if by is not None else None
    event = db.session.get(Event, meeting.event_id)
    webhooks.emit(
        event,
        "meeting.status_changed",
        {
            "meeting": webhooks.meeting_data(event, meeting),
            "previous_status": previous,
            "status_label": status_label(meeting),
            "changed_at": webhooks.iso(meeting.status_changed_at),
            "changed_by": by.name if by is not None else None,
        },
    )


def _restore(meeting, schedule, slot):
    """Put an undone meeting's people (and a table) back; Conflict names who is taken."""
    people = _people_ids(meeting)
    for pid in people:
        other = _active_meeting_of(schedule, slot, pid)
        if other is not None:
            person = db.session.get(Participant, pid)
            if other.group_meeting_id:
                raise _refuse(
                    _(
                        "%(name)s is now in the group meeting “%(title)s” at %(time)s; cancel "
                        "that meeting first.",
                        name=_name(person),
                        title=other.group_meeting.title,
                        time=f"{slot.starts_at:%H:%M}",
                    )
                )
            raise _refuse(
                _("%(name)s now meets %(partner)s at %(time)s; cancel that meeting first.",
                  name=_name(person), partner=_name(_partner(other, pid)),
                  time=dates.hm(slot.starts_at))
            )  # fmt: skip
    if meeting.table_id is None and not meeting.online:
        tables = free_tables(schedule, slot)
        if not tables:
            raise _refuse(_("No table is free at %(time)s to put this meeting back.",
                            time=dates.hm(slot.starts_at)))  # fmt: skip
        _take_table(schedule, slot, tables[0])
        meeting.table_id = tables[0].id
    db.session.execute(sa.delete(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting.id))
    db.session.add_all(
        MeetingAttendee(
            meeting_id=meeting.id, schedule_id=schedule.id, slot_id=slot.id, participant_id=pid
        )
        for pid in people
    )


def _take_table(schedule, slot, table):
    """Free `table` in `slot` for a new occupant: a cancelled or no-show meeting still holding
    it lets go, but only while it is still inactive (an undo at the same moment keeps it)."""
    holder = db.session.scalar(
        sa.select(Meeting.id).where(
            Meeting.schedule_id == schedule.id,
            Meeting.slot_id == slot.id,
            Meeting.table_id == table.id,
        )
    )
    if holder is None:
        return
    released = db.session.execute(
        sa.update(Meeting)
        .where(Meeting.id == holder, Meeting.status.in_(INACTIVE))
        .values(table_id=None)
    )
    if released.rowcount != 1:
        raise _refuse(_("%(table)s was taken just now; reload the page and try again.",
                        table=table.label))  # fmt: skip


def _refuse(message):
    db.session.rollback()
    return Conflict(message)


def _partner(meeting, pid):
    return meeting.participant_b if meeting.participant_a_id == pid else meeting.participant_a


def _people_ids(meeting):
    """Who sits at `meeting`: its pair, or every member of its group meeting who did not
    decline (its attendee rows go while it is cancelled, the members stay)."""
    if not meeting.group_meeting_id:
        return (meeting.participant_a_id, meeting.participant_b_id)
    return tuple(
        db.session.scalars(
            sa.select(GroupMeetingMember.participant_id)
            .where(
                GroupMeetingMember.group_meeting_id == meeting.group_meeting_id,
                GroupMeetingMember.status != "declined",
            )
            .order_by(GroupMeetingMember.participant_id)
        )
    )


def _refuse_group_no_show(meeting, status):
    if meeting.group_meeting_id and status in ("no_show_a", "no_show_b"):
        raise DomainError(
            _(
                "A group meeting is marked held or cancelled as a whole; who came is what "
                "each member checked in."
            )
        )


def _active_meeting_of(schedule, slot, pid):
    return db.session.scalar(
        sa.select(Meeting)
        .join(MeetingAttendee, MeetingAttendee.meeting_id == Meeting.id)
        .where(
            MeetingAttendee.schedule_id == schedule.id,
            MeetingAttendee.slot_id == slot.id,
            MeetingAttendee.participant_id == pid,
        )
    )


@contextmanager
def _integrity_as_conflict(message):
    """The unique keys refuse what a concurrent request booked first: roll back and say so
    (`message`, a whole sentence)."""
    try:
        yield
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(message) from error


# --- who is free, and walk-ins ----------------------------------------------------------------


@dataclass(frozen=True)
class FreePerson:
    """An approved participant with no meeting in a slot; `freed_by` is their cancelled or
    no-show meeting in that slot (None when they had none)."""

    participant: Participant
    freed_by: Meeting | None

    @property
    def checked_in(self):
        return self.participant.checked_in_at is not None


def free_in_slot(schedule, slot):
    """Approved participants available in `slot` (not marked unavailable) with no active
    meeting in it in `schedule`, without the absent side of a no-show there: those freed by a
    cancellation or an absence first, then the checked-in ones, then by organisation name.
    Cost: three queries, whatever the size of the event."""
    event_id = schedule.event_id
    busy = sa.select(MeetingAttendee.participant_id).where(
        MeetingAttendee.schedule_id == schedule.id, MeetingAttendee.slot_id == slot.id
    )
    away = sa.select(unavailable_slots.c.participant_id).where(
        unavailable_slots.c.slot_id == slot.id
    )
    inactive = db.session.scalars(
        sa.select(Meeting).where(
            Meeting.schedule_id == schedule.id,
            Meeting.slot_id == slot.id,
            Meeting.status.in_(INACTIVE),
        )
    ).all()
    absent, freed = set(), {}
    for meeting in inactive:
        if meeting.status == "no_show_a":
            absent.add(meeting.participant_a_id)
        elif meeting.status == "no_show_b":
            absent.add(meeting.participant_b_id)
        for pid in (meeting.participant_a_id, meeting.participant_b_id):
            freed.setdefault(pid, meeting)
    people = db.session.scalars(
        sa.select(Participant)
        .where(
            Participant.event_id == event_id,
            Participant.status == "approved",
            Participant.id.not_in(busy),
            Participant.id.not_in(away),
        )
        .options(joinedload(Participant.organisation), joinedload(Participant.user))
    ).all()
    free = [FreePerson(p, freed.get(p.id)) for p in people if p.id not in absent]
    return sorted(
        free,
        key=lambda f: (
            f.freed_by is None,
            not f.checked_in,
            f.participant.organisation.name.casefold(),
            f.participant.id,
        ),
    )


def best_partners(participant, free, matches, exclude=(), limit=5):
    """The free participants best matched with `participant`: [(partner, score)], highest
    score first, at most `limit`. `free`: participants (or FreePerson) to choose from;
    `matches`: Match rows (any pairs; those without `participant` are ignored); `exclude`:
    partner ids to leave out (e.g. pairs that already have a meeting). Pure: no query."""
    candidates = {
        (f.participant if isinstance(f, FreePerson) else f).id: (
            f.participant if isinstance(f, FreePerson) else f
        )
        for f in free
    }
    candidates.pop(participant.id, None)
    ranked = []
    for match in matches:
        if match.participant_a_id == participant.id:
            other = match.participant_b_id
        elif match.participant_b_id == participant.id:
            other = match.participant_a_id
        else:
            continue
        if other in candidates and other not in exclude:
            ranked.append((candidates[other], match.score))
    ranked.sort(key=lambda pair: (-pair[1], pair[0].id))
    return ranked[:limit]


def refill_matches(schedule, participant_ids):
    """What best_partners needs for these participants: their Match rows (without pairs where
    either side marked the other not interested), and for each participant the partners they
    already have a meeting with in `schedule` (a pair meets once per agenda)."""
    ids = list(participant_ids)
    if not ids:
        return [], {}
    matches = db.session.scalars(
        sa.select(Match).where(
            Match.event_id == schedule.event_id,
            sa.or_(Match.participant_a_id.in_(ids), Match.participant_b_id.in_(ids)),
        )
    ).all()
    refused = set(
        db.session.execute(
            sa.select(Interest.participant_id, Interest.target_id).where(
                Interest.event_id == schedule.event_id, Interest.value == "not_interested"
            )
        ).all()
    )
    matches = [
        m
        for m in matches
        if (m.participant_a_id, m.participant_b_id) not in refused
        and (m.participant_b_id, m.participant_a_id) not in refused
    ]
    met = {}
    for a, b in db.session.execute(
        sa.select(Meeting.participant_a_id, Meeting.participant_b_id).where(
            Meeting.schedule_id == schedule.id,
            sa.or_(Meeting.participant_a_id.in_(ids), Meeting.participant_b_id.in_(ids)),
        )
    ).all():
        met.setdefault(a, set()).add(b)
        met.setdefault(b, set()).add(a)
    return matches, met


def refill_panel(schedule, slot, everyone=False, rehearsal=None):
    """The desk's refill panel for `slot`: (everyone free in it, and for each person freed
    by a cancellation or an absence their best available partners as
    [(FreePerson, [(partner, score)])]). Partners are only people present (checked in),
    best match first, unless `everyone`: someone not at the venue cannot take a walk-in.
    With a `rehearsal`, its statuses and check-ins count instead of the recorded ones.
    Four queries beside free_in_slot's."""
    free = free_in_slot(schedule, slot)
    if rehearsal is not None:
        free = _rehearsed_free(schedule, slot, free, rehearsal)
    freed = [f for f in free if f.freed_by is not None]
    partners = free if everyone else [f for f in free if is_present(f.participant, rehearsal)]
    matches, met = refill_matches(schedule, [f.participant.id for f in freed])
    return free, [
        (f, best_partners(f.participant, partners, matches, exclude=met.get(f.participant.id, ())))
        for f in freed
    ]


def _rehearsed_free(schedule, slot, free, rehearsal):
    """`free` as it would be if the rehearsed statuses of the slot's meetings were real."""
    changed = [m for m in slot_meetings(schedule, slot) if m.id in rehearsal.statuses]
    if not changed:
        return free
    by_id = {f.participant.id: f for f in free}
    for meeting in changed:
        status = rehearsal.status_of(meeting)
        pair = (meeting.participant_a, meeting.participant_b)
        for person in pair:
            by_id.pop(person.id, None)
        if status in INACTIVE:
            absent = {"no_show_a": pair[0].id, "no_show_b": pair[1].id}.get(status)
            for person in pair:
                if person.id != absent:
                    by_id[person.id] = FreePerson(person, meeting)
    return sorted(
        by_id.values(),
        key=lambda f: (
            f.freed_by is None,
            not is_present(f.participant, rehearsal),
            f.participant.organisation.name.casefold(),
            f.participant.id,
        ),
    )


def walk_in_partners(participant, schedule, slot, limit=20):
    """A participant's walk-in choices in `slot`: ([(partner, score)] best first, at most
    `limit`; how many others are free but not among them)."""
    free = [f for f in free_in_slot(schedule, slot) if f.participant.id != participant.id]
    matches, met = refill_matches(schedule, [participant.id])
    ranked = best_partners(participant, free, matches, met.get(participant.id, ()), limit=limit)
    return ranked, len(free) - len(ranked)


def free_tables(schedule, slot):
    """The event's tables with no active meeting in `slot`, by number (a table that a
    cancelled or no-show meeting still holds counts as free)."""
    taken = sa.select(Meeting.table_id).where(
        Meeting.schedule_id == schedule.id,
        Meeting.slot_id == slot.id,
        Meeting.status.in_(ACTIVE),
        Meeting.table_id.is_not(None),
    )
    return db.session.scalars(
        sa.select(Table)
        .where(Table.event_id == schedule.event_id, Table.id.not_in(taken))
        .order_by(Table.number)
    ).all()


def walk_in_problems(schedule, slot, a, b, now=None):
    """Why a walk-in of `a` and `b` in `slot` cannot be booked, as sentences (empty: it can).
    Checks the same things book_walk_in does, for the confirmation page."""
    event = db.session.get(Event, schedule.event_id)
    problems = []
    if schedule.status != "published":
        return [_("Walk-ins go into the published agenda only.")]
    if a.id == b.id:
        return [_("Pick two different participants.")]
    if slot.event_id != event.id or {a.event_id, b.event_id} != {event.id}:
        return [_("Pick participants and a slot of this event.")]
    apart = groups.why_not(a, b, neutral=True)
    if apart:
        problems.append(apart)
    now = now or local_now(event)
    if now >= slot.ends_at:
        problems.append(_("The %(time)s slot of %(day)s is over.", time=dates.hm(slot.starts_at),
                          day=dates.day_month_short(slot.starts_at)))  # fmt: skip
    absent = set()
    for meeting in db.session.scalars(
        sa.select(Meeting).where(
            Meeting.schedule_id == schedule.id,
            Meeting.slot_id == slot.id,
            Meeting.status.in_(("no_show_a", "no_show_b")),
        )
    ):
        absent.add(
            meeting.participant_a_id if meeting.status == "no_show_a" else meeting.participant_b_id
        )
    for person in (a, b):
        if person.status != "approved":
            problems.append(_("%(name)s is not an approved participant.", name=_name(person)))
            continue
        busy = _active_meeting_of(schedule, slot, person.id)
        if busy is not None:
            problems.append(
                _("%(name)s already meets %(partner)s at %(time)s.", name=_name(person),
                  partner=_name(_partner(busy, person.id)), time=dates.hm(slot.starts_at))
            )  # fmt: skip
        elif person.id in absent:
            problems.append(
                _("%(name)s was marked absent at %(time)s; undo the no-show first if they are "
                  "here.", name=_name(person), time=dates.hm(slot.starts_at))
            )  # fmt: skip
        elif slot in person.unavailable:
            problems.append(_("%(name)s is not available at %(time)s.", name=_name(person),
                              time=dates.hm(slot.starts_at)))  # fmt: skip
    first, second = sorted((a.id, b.id))
    earlier = db.session.scalar(
        sa.select(Meeting).where(
            Meeting.schedule_id == schedule.id,
            Meeting.participant_a_id == first,
            Meeting.participant_b_id == second,
        )
    )
    if earlier is not None:
        when = db.session.get(Slot, earlier.slot_id)
        problems.append(
            _("%(first)s and %(second)s already have a meeting in this agenda (%(time)s, "
              "%(status)s).", first=_name(a), second=_name(b),
              time=f"{dates.day_short_weekday(when.starts_at)} {dates.hm(when.starts_at)}",
              status=_words(earlier))
        )  # fmt: skip
    if not problems and not attendance.meets_online(a, b) and not free_tables(schedule, slot):
        problems.append(_("No table is free at %(time)s.", time=dates.hm(slot.starts_at)))
    return problems


def book_walk_in(schedule, slot, a, b, by, table=None, now=None):
    """Book a walk-in meeting of `a` and `b` in `slot` of the published `schedule`, at
    `table` or the lowest-numbered free table, commit, and email both. Staff may book for
    anyone; a participant only for themselves and only when the event allows walk-ins.
    Raises NotAllowed, DomainError or Conflict with the reason (see walk_in_problems; two
    bookings at once for the same person or table: the second gets Conflict). Nothing changes
    when refused. Returns the new Meeting."""
    event = db.session.get(Event, schedule.event_id)
    if not event.is_staffed_by(by):
        if not event.participant_walk_ins:
            raise NotAllowed(_("At this event the organizers book walk-in meetings at the desk."))
        if by is None or by.id not in (a.user_id, b.user_id):
            raise NotAllowed(_("You can only book walk-in meetings for yourself."))
    problems = walk_in_problems(schedule, slot, a, b, now)
    if problems:
        raise Conflict(" ".join(problems))
    online = attendance.meets_online(a, b)  # held by video: no table
    tables = [] if online else free_tables(schedule, slot)
    if table is not None and not online and table not in tables:
        raise Conflict(_("%(table)s is not free at %(time)s.", table=table.label,
                         time=dates.hm(slot.starts_at)))  # fmt: skip
    table = None if online else table or tables[0]
    score = db.session.scalar(
        sa.select(Match.score).where(
            Match.event_id == event.id,
            Match.participant_a_id == min(a.id, b.id),
            Match.participant_b_id == max(a.id, b.id),
        )
    )
    if online:
        clash = _("Someone booked %(first)s or %(second)s just now; reload the page and try "
                  "again.", first=_name(a), second=_name(b))  # fmt: skip
    else:
        clash = _("Someone booked %(first)s, %(second)s or %(table)s just now; reload the page "
                  "and try again.", first=_name(a), second=_name(b), table=table.label)  # fmt: skip
    with _integrity_as_conflict(clash):
        if not online:
            _take_table(schedule, slot, table)
        meeting = Meeting.between(
            schedule, slot, a, b, table=table, source="walk_in", score=score,
            code=meeting_code(), status_changed_at=utcnow(),
            status_changed_by_id=by.id if by is not None else None,
        )  # fmt: skip
        db.session.add(meeting)
        db.session.flush()  # a double booking is refused here, before any mail is queued
        for person, partner in ((a, b), (b, a)):
            if person.user is not None:
                send_mail(
                    person.user.email,
                    _l("Walk-in meeting at %(time)s: %(organisation)s",
                       time=dates.hm(slot.starts_at), organisation=_name(partner)),
                    "walk_in",
                    participant=person, partner=partner, event=event, slot=slot, table=table,
                    meeting=meeting,
                )  # fmt: skip
        db.session.commit()
    return meeting


def free_slots_of(participant, schedule, now=None):
    """The slots not over yet where `participant` is available and has no active meeting in
    `schedule` (the participant's walk-in choices), in time order."""
    event = participant.event
    now = now or local_now(event)
    busy = set(
        db.session.scalars(
            sa.select(MeetingAttendee.slot_id).where(
                MeetingAttendee.schedule_id == schedule.id,
                MeetingAttendee.participant_id == participant.id,
            )
        ).all()
    )
    away = {s.id for s in participant.unavailable}
    return [s for s in event.slots if s.ends_at > now and s.id not in busy | away]


def confirmable_ids(participant, schedule, now=None):
    """Ids of the participant's meetings they may confirm as held now (scheduled, started)."""
    if schedule is None:
        return set()
    now = now or local_now(participant.event)
    return set(
        db.session.scalars(
            sa.select(Meeting.id)
            .join(Slot, Slot.id == Meeting.slot_id)
            .where(
                Meeting.schedule_id == schedule.id,
                Meeting.status == "scheduled",
                Slot.starts_at <= now,
                sa.or_(
                    Meeting.participant_a_id == participant.id,
                    Meeting.participant_b_id == participant.id,
                    sa.and_(  # a group meeting of theirs
                        Meeting.group_meeting_id.is_not(None),
                        Meeting.id.in_(
                            sa.select(MeetingAttendee.meeting_id).where(
                                MeetingAttendee.participant_id == participant.id
                            )
                        ),
                    ),
                ),
            )
        ).all()
    )


def participant_in(event, participant_id):
    """The event's participant with this id, organisation loaded, or None."""
    return db.session.scalar(
        sa.select(Participant)
        .where(Participant.id == participant_id, Participant.event_id == event.id)
        .options(joinedload(Participant.organisation), selectinload(Participant.unavailable))
    )


# --- the day on a phone: one card per meeting, rehearsal ------------------------------------


@dataclass
class Rehearsal:
    """What staff did while practising on the real agenda: meeting statuses and check-ins as
    they would be, kept by the caller (the browser session), never in the database. Nothing
    rehearsed is recorded, mailed or counted."""

    statuses: dict = None  # meeting id -> status
    presence: dict = None  # participant id -> True (checked in) / False (check-in undone)

    def __post_init__(self):
        self.statuses = {int(k): v for k, v in (self.statuses or {}).items()}
        self.presence = {int(k): bool(v) for k, v in (self.presence or {}).items()}

    @classmethod
    def load(cls, data):
        """From `as_data()`'s shape (string keys, as a JSON session stores them)."""
        data = data or {}
        return cls(data.get("statuses"), data.get("presence"))

    def as_data(self):
        return {
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "presence": {str(k): v for k, v in self.presence.items()},
        }

    def status_of(self, meeting):
        return self.statuses.get(meeting.id, meeting.status)

    def is_present(self, participant):
        return self.presence.get(participant.id, participant.checked_in_at is not None)


def is_present(participant, rehearsal=None):
    """Whether the participant is checked in (as rehearsed, when rehearsing)."""
    if rehearsal is not None:
        return rehearsal.is_present(participant)
    return participant.checked_in_at is not None


@dataclass(frozen=True)
class MeetingCard:
    """A meeting as the day page shows it on a phone: its status and who is present (real,
    or as rehearsed), the one action that fits (`primary`, a status or None) and the others
    (`others`, for the menu). `hint` says why there is no primary action."""

    meeting: Meeting
    status: str
    label: str
    present_a: bool
    present_b: bool
    primary: str | None
    others: tuple
    hint: str
    # a group meeting: (participant, present) for every member; empty for a pair
    people: tuple = ()

    @property
    def inactive(self):
        return self.status in INACTIVE


def person_name(participant):
    """The person's name, or the organisation's when the account is gone."""
    return participant.user.name if participant.user else _name(participant)


def meeting_card(meeting, rehearsal=None, now=None):
    """The card of `meeting` (see MeetingCard). The primary action: Held when both people
    are present, a no-show of whoever is missing when one is; none when neither has arrived
    or the slot has not started (held and no-show wait for it, except in rehearsal, which
    may practise at any time). Undo (back to scheduled) is never primary."""
    status = rehearsal.status_of(meeting) if rehearsal else meeting.status
    started = rehearsal is not None or _started(meeting, now)
    moves = [
        s
        for s in MEETING_STATUSES
        if s in STATUS_MOVES[status] and (started or s not in NEEDS_STARTED)
    ]
    if meeting.group_meeting_id:
        return _group_card(meeting, status, started, moves, rehearsal)
    a, b = meeting.participant_a, meeting.participant_b
    present_a, present_b = is_present(a, rehearsal), is_present(b, rehearsal)
    primary, hint = None, ""
    if status == "scheduled":
        if not started:
            hint = _("Held and no-show can be marked from %(time)s.",
                     time=dates.hm(meeting.slot.starts_at))  # fmt: skip
        elif present_a and present_b:
            primary = "held"
        elif present_a:
            primary = "no_show_b"
        elif present_b:
            primary = "no_show_a"
        else:
            hint = _("Neither has checked in yet.")
    others = tuple(s for s in moves if s != primary)
    return MeetingCard(
        meeting, status, status_label(meeting, status), present_a, present_b, primary, others,
        hint,
    )  # fmt: skip


def _group_card(meeting, status, started, moves, rehearsal):
    """A group meeting's card: every member with their presence; held (primary once two of
    them are here) or cancelled, never one member's no-show."""
    members = db.session.scalars(
        sa.select(Participant)
        .where(Participant.id.in_(_people_ids(meeting)))
        .options(joinedload(Participant.organisation), joinedload(Participant.user))
    ).all()
    people = tuple(
        (p, is_present(p, rehearsal))
        for p in sorted(members, key=lambda p: (p.organisation.name.casefold(), p.id))
    )
    moves = [s for s in moves if s not in ("no_show_a", "no_show_b")]
    here = sum(1 for _p, present in people if present)
    primary, hint = None, ""
    if status == "scheduled":
        if not started:
            hint = f"Held and no-show can be marked from {meeting.slot.starts_at:%H:%M}."
        elif here >= 2:
            primary = "held"
        else:
            hint = _("Fewer than two members have checked in yet.")
    others = tuple(s for s in moves if s != primary)
    label = status_label(meeting, status)
    present = {p.id: here_ for p, here_ in people}
    return MeetingCard(
        meeting, status, label, present.get(meeting.participant_a_id, False),
        present.get(meeting.participant_b_id, False), primary, others, hint, people,
    )  # fmt: skip


def day_of(event, slot):
    """The slots of the same day as `slot`, in time order."""
    return [s for s in event.slots if s.starts_at.date() == slot.starts_at.date()]


def table_meetings(schedule, table, day):
    """The schedule's meetings at `table` on `day` (a date), in time order, with details."""
    meetings = db.session.scalars(
        with_details(
            sa.select(Meeting)
            .join(Slot, Slot.id == Meeting.slot_id)
            .where(Meeting.schedule_id == schedule.id, Meeting.table_id == table.id)
            .order_by(Slot.starts_at, Meeting.id)
        )
    ).all()
    return [m for m in meetings if m.slot.starts_at.date() == day]


def rehearse_status(meeting, status, rehearsal, by):
    """Practise moving `meeting` to `status`: the same moves as on the day (STATUS_MOVES),
    at any time, recorded only in the returned Rehearsal (nothing is written, mailed or
    counted). Raises NotAllowed for non-staff, DomainError for a move the table forbids."""
    _check_staff(db.session.get(Event, meeting.event_id), by)
    _refuse_group_no_show(meeting, status)
    current = rehearsal.status_of(meeting)
    if status not in MEETING_STATUSES or status == current or status not in STATUS_MOVES[current]:
        raise DomainError(
            _("This meeting is %(status)s; it cannot become %(other)s.",
              status=_words(meeting, current),
              other=_words(meeting, status) if status in MEETING_STATUSES else status)
        )  # fmt: skip
    statuses = dict(rehearsal.statuses)
    if status == meeting.status:
        statuses.pop(meeting.id, None)
    else:
        statuses[meeting.id] = status
    return Rehearsal(statuses, rehearsal.presence)


def rehearse_check_in(participant, present, rehearsal, by):
    """Practise checking a participant in (`present` True) or undoing it; returns the new
    Rehearsal, nothing is written. Raises NotAllowed for non-staff."""
    _check_staff(participant.event, by)
    if participant.status != "approved":
        raise DomainError(_("%(name)s is not an approved participant.", name=_name(participant)))
    presence = dict(rehearsal.presence)
    if present == (participant.checked_in_at is not None):
        presence.pop(participant.id, None)
    else:
        presence[participant.id] = present
    return Rehearsal(rehearsal.statuses, presence)


# --- check-in passes (QR codes) -----------------------------------------------------------

_PASS_SALT = b"check-in-pass"


def pass_code(participant):
    """The code of a participant's check-in pass (on the agenda, the badge and in the mail):
    their id and eight letters of an HMAC over the event and the id, e.g. "1234-K7QH2M9X",
    short enough to type at the desk when a camera fails. It never expires; it tells the
    desk whom to look up and grants no access by itself."""
    return f"{participant.id}-{_pass_mac(participant.event_id, participant.id)}"


def _pass_mac(event_id, participant_id):
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    digest = hmac.new(key, _PASS_SALT + f":{event_id}:{participant_id}".encode(), "sha256")
    return base64.b32encode(digest.digest()).decode()[:8]


def participant_of_pass(event, text):
    """The participant of `event` whose pass `text` is: the code itself (any case, spaces
    ignored), or a link carrying it as `code=` (what the QR holds). None when it is not a
    valid pass of this event."""
    text = (text or "").strip()
    if "code=" in text:
        text = text.split("code=", 1)[1].split("&", 1)[0].split("#", 1)[0]
    text = "".join(text.split()).upper()
    number, _dash, mac = text.partition("-")
    if not number.isdigit() or len(number) > 12 or len(mac) != 8:
        return None
    if not hmac.compare_digest(mac, _pass_mac(event.id, int(number))):
        return None
    return participant_in(event, int(number))


def qr_svg(data, scale=4):
    """`data` as an inline SVG QR code (error correction M: a scuffed badge still scans),
    sized by CSS (a viewBox, no width or height).
    segno writes only paths and numbers: `data` is encoded in the modules, never as text."""
    svg = segno.make(data, error="m").svg_inline(scale=scale, omitsize=True)
    return Markup(svg)  # noqa: S704 - segno's own markup, no user text in it


def first_meeting(participant, schedule, now=None):
    """The participant's next meeting in `schedule` that is going to happen (scheduled or
    held) and whose slot has not ended, or None: what the desk tells them on arrival."""
    if schedule is None:
        return None
    now = now or local_now(participant.event)
    meetings = db.session.scalars(
        with_details(
            sa.select(Meeting)
            .join(Slot, Slot.id == Meeting.slot_id)
            .where(
                Meeting.schedule_id == schedule.id,
                Meeting.status.in_(ACTIVE),
                Slot.ends_at > now,
                sa.or_(
                    Meeting.participant_a_id == participant.id,
                    Meeting.participant_b_id == participant.id,
                ),
            )
            .order_by(Slot.starts_at)
            .limit(1)
        )
    ).all()
    return meetings[0] if meetings else None


def partner_of(meeting, participant):
    """The other side of `meeting`."""
    return _partner(meeting, participant.id)


# --- visitors who never registered ----------------------------------------------------------


def add_visitor(event, name, email, organisation_name, country, by):
    """Register a visitor who turned up at the desk without registering: an approved
    participant, checked in now, so the refill panel can offer them walk-ins; commit and
    return the Participant. A new person gets an account without a password and an email
    with a link to choose it, to see their walk-ins and give feedback;
    an existing account keeps its password. The organisation is the existing one of that name
    and country, or a new one. Raises NotAllowed for non-staff, Conflict when the person is
    already registered (search them at the desk instead)."""
    _check_staff(event, by)
    if event.status in ("draft", "closed"):
        raise DomainError(_("Visitors are added while the event is open, not before or after."))
    user = find_user(email)
    if user is not None:
        already = db.session.scalar(
            sa.select(Participant).where(
                Participant.event_id == event.id, Participant.user_id == user.id
            )
        )
        if already is not None and already.status != "withdrawn":
            raise Conflict(
                _("%(email)s is already registered (%(status)s), for %(organisation)s: search "
                  "them at the desk.", email=user.email, status=already.status_label.lower(),
                  organisation=already.organisation.name)
            )  # fmt: skip
    invited = user is None
    if invited:
        user = User(email=normalise_email(email), name=name.strip(), password_hash=None)
        db.session.add(user)
    organisation = (
        user.organisation
        or find_organisation(organisation_name, country)
        or Organisation(name=organisation_name.strip(), country=country)
    )
    if user.organisation is None and organisation.id is None:
        user.organisation = organisation  # a new organisation is theirs to describe later
    participant = Participant(
        event=event, user=user, organisation=organisation, status="approved",
        checked_in_at=utcnow(),
    )  # fmt: skip
    db.session.add(participant)
    with _integrity_as_conflict(_("%(email)s was registered just now; reload the page and try "
                                  "again.", email=email)):  # fmt: skip
        db.session.flush()
        webhooks.announce_registration(participant, created=True)
        if invited:
            send_mail(
                user.email, _l("Welcome to %(event)s: choose your password", event=event.title),
                "invitation",
                user=user, event=event, organisation=organisation, organizer=by,
                token=make_reset_token(user),
                minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
            )  # fmt: skip
        db.session.commit()
    return participant
