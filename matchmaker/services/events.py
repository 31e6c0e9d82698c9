"""Event set-up: creation and edits, the slots derived from them, tables, organizers and status
moves. Edits that would drop data people entered need an explicit confirmation."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import (
    EVENT_FORMATS,
    STATUS_MOVES,
    Event,
    EventBreak,
    EventSession,
    Meeting,
    Schedule,
    Slot,
    Table,
    unavailable_slots,
)
from matchmaker.services import video
from matchmaker.services.accounts import find_user
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from matchmaker.services.networks import check_network_choice
from matchmaker.timeslots import Window, derive_slots

# Seats at a table (issue 25): the column's default, and what the event form accepts.
DEFAULT_SEATS = 4
MIN_SEATS, MAX_SEATS = 2, 50

EVENT_FIELDS = (
    "title",
    "description",
    "venue",
    "city",
    "country",
    "format",
    "video_template",
    "timezone",
    "registration_opens_at",
    "registration_closes_at",
    "meeting_minutes",
    "gap_minutes",
    "table_count",
    "participants_public",
    "max_requests_per_participant",
    "max_meetings_per_participant",
    "request_expiry_hours",
    "sectors",
    "participant_walk_ins",
    "scheduling_mode",
    "slot_chooser",
    "request_mode",
    "approval_required",
    "kind",
)


@dataclass
class EventChanges:
    """What saving an edit would remove, in words, and whether it needs a confirmation."""

    removed_slots: list = field(default_factory=list)
    lost_availability_marks: int = 0
    lost_meetings: int = 0
    published_meetings: int = 0
    removed_tables: list = field(default_factory=list)
    # Leaving a mode where participants book while bookings exist (they stay where they are).
    booked_meetings: int = 0

    @property
    def token(self):
        """Fingerprint of these changes: a confirmation counts only for what was shown."""
        return hashlib.sha256(self.describe().encode()).hexdigest()[:16]

    @property
    def needs_confirmation(self):
        return bool(self.lost_availability_marks or self.lost_meetings or self.booked_meetings)

    def describe(self):
        parts = []
        if self.removed_slots:
            labels = ", ".join(slot.label for slot in self.removed_slots[:6])
            more = len(self.removed_slots) - 6
            parts.append(
                f"{len(self.removed_slots)} meeting slot(s) disappear ({labels}"
                + (f" and {more} more" if more > 0 else "")
                + ")"
            )
        if self.lost_availability_marks:
            parts.append(
                f"{self.lost_availability_marks} availability mark(s) of participants in those "
                "slots are dropped"
            )
        if self.lost_meetings:
            parts.append(f"{self.lost_meetings} draft meeting(s) in them are deleted")
        if self.removed_tables:
            parts.append(f"tables {', '.join(str(t.number) for t in self.removed_tables)} go")
        if self.booked_meetings:
            parts.append(
                f"participants no longer book times themselves: the {self.booked_meetings} "
                "meeting(s) they booked stay in the published agenda, and waiting requests no "
                "longer hold a time"
            )
        return "; ".join(parts) + "." if parts else "Nothing people entered is affected."


class NeedsConfirmation(DomainError):
    """The edit drops data; the message says what, and saving again with confirm=True does it."""

    def __init__(self, changes):
        super().__init__(changes.describe())
        self.changes = changes


def slugify(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "event"


def _unique_slug(wanted, event_id=None):
    slug, number = wanted, 2
    while db.session.scalar(sa.select(Event.id).where(Event.slug == slug, Event.id != event_id)):
        slug, number = f"{wanted}-{number}", number + 1
    return slug


def slot_times(event):
    """The slot times the event's current sessions, breaks, length and gap produce."""
    return preview_slots(event.sessions, event.breaks, event.meeting_minutes, event.gap_minutes)


def preview_slots(sessions, breaks, meeting_minutes, gap_minutes):
    """SlotTimes for sessions and breaks given as objects with day, start and end."""
    return derive_slots(
        [Window(s.day, s.start, s.end) for s in sessions],
        [Window(b.day, b.start, b.end) for b in breaks],
        meeting_minutes,
        gap_minutes,
    )


def create_event(data, sessions, breaks, by):
    """Create a draft event organized by `by` and commit. `data` holds EVENT_FIELDS (and an
    optional slug); `sessions` and `breaks` are (day, start, end[, title]) tuples."""
    if not by.is_organizer:
        raise NotAllowed("Only organizer accounts can create events.")
    event = Event(status="draft")
    _check_online(data)
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    _set_network(event, data, by)
    event.slug = _unique_slug(slugify(data.get("slug") or data["title"]))
    _set_windows(event, sessions, breaks)
    event.organizers.append(by)
    db.session.add(event)
    sync_slots_and_tables(event)
    _name_tables(event, data.get("table_names"))
    _seat_tables(event, data.get("table_seats"))
    db.session.commit()
    return event


def update_event(event, data, sessions, breaks, by, confirm_token=None):
    """Apply an edit and commit. Raises NeedsConfirmation (nothing saved) when the edit would
    drop availability marks or draft meetings, unless `confirm_token` is the token of exactly
    those changes (shown with the warning); Conflict when it would touch a published agenda.
    Returns the EventChanges applied."""
    if not event.is_organized_by(by):
        raise NotAllowed("Only the event's organizers can change it.")
    _check_online(data)
    _set_network(event, data, by)
    with db.session.no_autoflush:
        for name in EVENT_FIELDS:
            if name in data:
                setattr(event, name, data[name])
        _set_windows(event, sessions, breaks)
        changes = _changes(event)
    if changes.published_meetings:
        db.session.rollback()
        raise Conflict(
            "This edit would remove slots or tables used by the published agenda. Move or cancel "
            "those meetings first, or go back to matchmaking and publish a new version."
        )
    if changes.needs_confirmation and confirm_token != changes.token:
        db.session.rollback()
        raise NeedsConfirmation(changes)
    sync_slots_and_tables(event)
    _name_tables(event, data.get("table_names"))
    _seat_tables(event, data.get("table_seats"))
    db.session.commit()
    return changes


def _check_online(data):
    """Check the online settings of `data` in place: a known format, and a video room address
    the participants can use (video.check_template). Raises DomainError."""
    if "format" in data and data["format"] not in EVENT_FORMATS:
        raise DomainError("Choose in person, online or hybrid.")
    if "video_template" in data:
        data["video_template"] = video.check_template(data["video_template"])


def _set_network(event, data, by):
    """Attach the event to data["network_id"] (None: to no network) when given. Raises
    NotAllowed, before anything changes, for a network `by` may not use (issue 23)."""
    if "network_id" in data:
        network = check_network_choice(data["network_id"], by, current_id=event.network_id)
        event.network_id = network.id if network is not None else None


def _seat_tables(event, seats):
    """Seats per table in order (line i is table i, None or no line: DEFAULT_SEATS); None
    leaves the seats as they are."""
    if seats is None:
        return
    for table in event.tables:
        index = table.number - 1
        given = seats[index] if index < len(seats) else None
        table.seats = given if given is not None else DEFAULT_SEATS


def _name_tables(event, names):
    """Name tables in order (line i names table i); None leaves the names as they are."""
    if names is None:
        return
    for table in event.tables:
        index = table.number - 1
        table.name = names[index].strip() if index < len(names) else ""


def _set_windows(event, sessions, breaks):
    event.sessions = [EventSession(day=d, start=s, end=e) for d, s, e, *_ in sessions]
    event.breaks = [
        EventBreak(day=d, start=s, end=e, title=(rest[0] if rest and rest[0] else "Break"))
        for d, s, e, *rest in breaks
    ]


def _wanted_slot_times(event):
    return {
        (datetime.combine(t.day, t.start), datetime.combine(t.day, t.end))
        for t in slot_times(event)
    }


def _changes(event):
    changes = EventChanges()
    if event.id is None:
        return changes
    wanted = _wanted_slot_times(event)
    stored = db.session.scalars(sa.select(Slot).where(Slot.event_id == event.id)).all()
    changes.removed_slots = [s for s in stored if (s.starts_at, s.ends_at) not in wanted]
    removed_ids = [s.id for s in changes.removed_slots]
    tables = db.session.scalars(sa.select(Table).where(Table.event_id == event.id)).all()
    changes.removed_tables = [t for t in tables if t.number > event.table_count]
    table_ids = [t.id for t in changes.removed_tables]
    if removed_ids:
        changes.lost_availability_marks = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(unavailable_slots)
            .where(unavailable_slots.c.slot_id.in_(removed_ids))
        )
    affected = sa.select(sa.func.count(Meeting.id)).where(
        Meeting.event_id == event.id,
        sa.or_(Meeting.slot_id.in_(removed_ids), Meeting.table_id.in_(table_ids)),
    )
    changes.lost_meetings = db.session.scalar(affected)
    changes.published_meetings = db.session.scalar(
        affected.join(Meeting.schedule).where(Schedule.status == "published")
    )
    old_mode = sa.inspect(event).attrs.scheduling_mode.history.deleted
    if old_mode and old_mode[0] != "organizer" and event.scheduling_mode == "organizer":
        changes.booked_meetings = db.session.scalar(
            sa.select(sa.func.count(Meeting.id))
            .join(Meeting.schedule)
            .where(
                Meeting.event_id == event.id,
                Meeting.source == "request",
                Schedule.status == "published",
            )
        )
    return changes


def sync_slots_and_tables(event):
    """Make the stored slots and tables match the event's settings (not committed).

    Slots whose time is unchanged keep their id, so availability and meetings referring to
    them survive an edit; slots that no longer exist are removed with what refers to them.
    """
    wanted = _wanted_slot_times(event)
    for slot in list(event.slots):
        if (slot.starts_at, slot.ends_at) not in wanted:
            event.slots.remove(slot)
    existing = {(slot.starts_at, slot.ends_at) for slot in event.slots}
    for starts_at, ends_at in sorted(wanted - existing):
        event.slots.append(Slot(starts_at=starts_at, ends_at=ends_at))

    numbers = {table.number for table in event.tables}
    for number in range(1, event.table_count + 1):
        if number not in numbers:
            event.tables.append(Table(number=number))
    for table in list(event.tables):
        if table.number > event.table_count:
            db.session.execute(sa.delete(Meeting).where(Meeting.table_id == table.id))
            event.tables.remove(table)
    db.session.flush()


def move_status(event, new_status, by):
    """Move the event to `new_status` if that move is allowed, and commit.

    Raises NotAllowed for non-organizers and DomainError for a move the workflow forbids.
    """
    if not event.is_organized_by(by):
        raise NotAllowed("Only the event's organizers can change its status.")
    if new_status not in STATUS_MOVES.get(event.status, ()):
        raise DomainError(
            f"An event cannot go from {event.status_label.lower()} to "
            f"{new_status.replace('_', ' ')}."
        )
    if new_status == "registration_open" and not event.slots:
        raise DomainError("Add at least one meeting session before opening registration.")
    event.status = new_status
    db.session.commit()


def account_to_staff(event, email, by, role="organizers"):
    """The account with `email`, checked before `by` adds it to the event's staff (`role`:
    "organizers" or "helpers"). Raises NotAllowed for non-organizers, DomainError when no
    account uses the email, Conflict when it already organizes the event."""
    if not event.is_organized_by(by):
        raise NotAllowed(f"Only the event's organizers can add {role}.")
    user = find_user(email)
    if user is None:
        raise DomainError(f"No account uses {email}. Ask them to sign up first.")
    if user in event.organizers:
        raise Conflict(f"{user.name} already organizes this event.")
    return user


def add_organizer(event, email, by):
    """Make the account with `email` a co-organizer of `event` and commit; returns the user.
    Raises DomainError when no account uses the email, Conflict if already an organizer."""
    user = account_to_staff(event, email, by)
    event.organizers.append(user)
    db.session.commit()
    return user


def remove_organizer(event, user, by):
    """Remove a co-organizer; the last organizer stays. Commits."""
    if not event.is_organized_by(by):
        raise NotAllowed("Only the event's organizers can remove organizers.")
    if user not in event.organizers:
        raise DomainError(f"{user.name} does not organize this event.")
    if len(event.organizers) == 1:
        raise DomainError("An event needs at least one organizer.")
    event.organizers.remove(user)
    db.session.commit()
