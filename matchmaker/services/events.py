"""Event set-up: sessions, breaks, the slots derived from them, tables and status moves."""

from datetime import datetime

from matchmaker.extensions import db
from matchmaker.models import STATUS_MOVES, Slot, Table
from matchmaker.services.errors import DomainError
from matchmaker.timeslots import Window, derive_slots


def slot_times(event):
    """The slot times the event's current sessions, breaks, length and gap produce."""
    return derive_slots(
        [Window(s.day, s.start, s.end) for s in event.sessions],
        [Window(b.day, b.start, b.end) for b in event.breaks],
        event.meeting_minutes,
        event.gap_minutes,
    )


def sync_slots_and_tables(event):
    """Make the stored slots and tables match the event's settings (not committed).

    Slots whose time is unchanged keep their id, so availability and meetings referring to
    them survive an edit; slots that no longer exist are removed.
    """
    wanted = {
        (datetime.combine(t.day, t.start), datetime.combine(t.day, t.end))
        for t in slot_times(event)
    }
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
            event.tables.remove(table)
    db.session.flush()


def move_status(event, new_status):
    """Move the event to `new_status` if that move is allowed. Raises DomainError otherwise."""
    if new_status not in STATUS_MOVES.get(event.status, ()):
        raise DomainError(
            f"An event cannot go from {event.status_label.lower()} to "
            f"{new_status.replace('_', ' ')}."
        )
    event.status = new_status
