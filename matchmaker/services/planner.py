"""Capacity planner: "what if the event had N tables, one more session, or shorter
meetings?" The optimiser runs twice on copies of the event's real input (its slots,
participants, accepted requests, interests and suggestions): once as the event is, once with
the change; the two sets of figures are returned side by side. Nothing of the event is
written: the organizer changes the event's settings afterwards if the figures convince.

Both runs leave out the meetings locked by hand (their places may not exist in the changed
event), so the two columns compare like with like.
"""

from dataclasses import replace
from datetime import timedelta

from flask_babel import gettext as _

from matchmaker import scheduling
from matchmaker.services.errors import DomainError
from matchmaker.services.schedules import build_instance
from matchmaker.timeslots import Window, derive_slots

# The most tables a what-if may ask for, and the meeting lengths it may try (minutes).
MAX_TABLES = 500
MIN_MINUTES, MAX_MINUTES = 5, 120


def _minutes(hhmm):
    hours, minutes = hhmm.split(":")
    return 60 * int(hours) + int(minutes)


def _overlaps(day, start, end, slot):
    return (
        slot.day == f"{day:%Y-%m-%d}"
        and slot.start < f"{end:%H:%M}"
        and f"{start:%H:%M}" < slot.end
    )


def changed_instance(event, instance, tables=None, extra_session=False, meeting_minutes=None):
    """`instance` with the event changed: `tables` in every slot, one more session (the
    last day's last session again on the next day, everyone assumed available), and/or
    meetings of `meeting_minutes` (slots derived again from the sessions and breaks; a
    participant away in any old slot that a new one overlaps is away in the new one, and a
    new slot that overlaps none follows the nearest old slot of its day).
    Pure apart from reading the event's sessions. Raises DomainError for values out of
    range."""
    if tables is not None and not 1 <= tables <= MAX_TABLES:
        raise DomainError(_("Tables: between 1 and %(most)s.", most=MAX_TABLES))
    if meeting_minutes is not None and not MIN_MINUTES <= meeting_minutes <= MAX_MINUTES:
        raise DomainError(
            _(
                "Meeting length: between %(least)s and %(most)s minutes.",
                least=MIN_MINUTES,
                most=MAX_MINUTES,
            )
        )
    slots = instance.slots
    participants = instance.participants
    if extra_session or meeting_minutes:
        windows = [Window(s.day, s.start, s.end) for s in event.sessions]
        if extra_session and windows:
            last = max(windows, key=lambda w: (w.day, w.start))
            windows.append(Window(last.day + timedelta(days=1), last.start, last.end))
        times = derive_slots(
            windows,
            [Window(b.day, b.start, b.end) for b in event.breaks],
            meeting_minutes or event.meeting_minutes,
            event.gap_minutes,
        )
        new_slots, covers = [], {}
        for i, t in enumerate(times):
            sid = f"plan-{i}"
            new_slots.append(
                scheduling.Slot(sid, f"{t.day:%Y-%m-%d}", f"{t.start:%H:%M}", f"{t.end:%H:%M}",
                                slots[0].tables if slots else event.table_count)
            )  # fmt: skip
            covers[sid] = {s.id for s in slots if _overlaps(t.day, t.start, t.end, s)}
            same_day = [s for s in slots if s.day == f"{t.day:%Y-%m-%d}"]
            if not covers[sid] and same_day:
                # A new time between or after the old ones: as the nearest old slot that day.
                start = f"{t.start:%H:%M}"
                covers[sid] = {
                    min(same_day, key=lambda s: abs(_minutes(s.start) - _minutes(start))).id
                }
        participants = tuple(
            p if p.slots is None else replace(
                p, slots=frozenset(sid for sid, old in covers.items() if old <= p.slots)
            )
            for p in participants
        )  # fmt: skip
        slots = tuple(new_slots)
    if tables is not None:
        slots = tuple(replace(s, tables=tables) for s in slots)
    return replace(instance, slots=slots, participants=participants, locked=())


def _figures(result, instance):
    f = result.figures
    return {
        "meetings": len(result.meetings),
        "placed": dict(f.placed),
        "candidates": dict(f.candidates),
        "without": len(f.zero_meeting_participants),
        "breaks": f.breaks_total,
        "slots": len(instance.slots),
        "tables": instance.slots[0].tables if instance.slots else 0,
        "seconds": round(f.seconds, 1),
    }


def plan_task(event, by=None, progress=None, tables=None, extra_session=False,
              meeting_minutes=None, include_suggestions=True, time_limit=10.0):  # fmt: skip
    """The planner as a job task (services/jobs.py): solve the event as it is and as
    changed, `time_limit` seconds each, and return both figures plus the change asked for.
    Writes nothing (jobs.start checks that `by` organizes the event). Raises DomainError
    when the event has no slot or a value is out of range."""
    if not event.slots:
        raise DomainError(_("The event has no meeting slot: add sessions first."))
    base, _participants = build_instance(event, include_suggestions=include_suggestions)
    base = replace(base, locked=())
    changed = changed_instance(event, base, tables, extra_session, meeting_minutes)
    out = {"change": {"tables": tables, "extra_session": bool(extra_session),
                      "meeting_minutes": meeting_minutes},
           "meeting_minutes": event.meeting_minutes}  # fmt: skip
    for key, instance, (start, share) in (("now", base, (0.0, 0.5)),
                                           ("what_if", changed, (0.5, 0.5))):  # fmt: skip
        label = "as the event is" if key == "now" else "with the change"

        def step(stage, fraction, label=label, start=start, share=share):
            if progress is not None:
                progress(f"{label}: {stage}", start + share * fraction)

        try:
            result = scheduling.solve(instance, time_limit=time_limit, progress=step)
        except scheduling.InstanceError as error:
            raise DomainError(_("The agenda cannot be computed: %(error)s", error=error)) from error
        out[key] = _figures(result, instance)
    return out
