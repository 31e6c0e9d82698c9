"""Slot derivation: sessions, breaks, meeting length and gap in; meeting slots out.

Pure: plain dates and times, no database, so the event form's preview and the stored slots
come from the same function.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True, order=True)
class SlotTime:
    day: date
    start: time
    end: time


@dataclass(frozen=True)
class Window:
    day: date
    start: time
    end: time


def derive_slots(sessions, breaks, meeting_minutes, gap_minutes):
    """Cut each session into consecutive meetings of `meeting_minutes`, `gap_minutes` apart.

    `sessions` and `breaks` are Windows (a day with a start and end time). A slot that would
    overlap a break starts again right after the break. Returns SlotTimes sorted by day and
    start. Raises ValueError for a non-positive meeting length or a negative gap.
    """
    if meeting_minutes <= 0:
        raise ValueError("The meeting length must be at least one minute.")
    if gap_minutes < 0:
        raise ValueError("The gap between meetings cannot be negative.")
    length = timedelta(minutes=meeting_minutes)
    step_gap = timedelta(minutes=gap_minutes)
    slots = []
    for session in sorted(sessions, key=lambda s: (s.day, s.start)):
        day_breaks = sorted(
            (datetime.combine(b.day, b.start), datetime.combine(b.day, b.end))
            for b in breaks
            if b.day == session.day
        )
        cursor = datetime.combine(session.day, session.start)
        session_end = datetime.combine(session.day, session.end)
        while cursor + length <= session_end:
            clash = next((b for b in day_breaks if cursor < b[1] and b[0] < cursor + length), None)
            if clash:
                cursor = clash[1]
                continue
            slots.append(SlotTime(session.day, cursor.time(), (cursor + length).time()))
            cursor += length + step_gap
    return sorted(set(slots))
