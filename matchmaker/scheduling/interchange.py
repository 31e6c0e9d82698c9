"""The JSON interchange format: ``matchmaker.schedule-instance/1`` in, ``matchmaker.schedule/1``
out. See docs/scheduling.md for the full description and an example."""

from __future__ import annotations

import math
from typing import Any

from matchmaker.scheduling.model import (
    Candidate,
    Group,
    Instance,
    InstanceError,
    LockedMeeting,
    Options,
    Participant,
    Schedule,
    Slot,
    Table,
)

INSTANCE_FORMAT = "matchmaker.schedule-instance/1"
SCHEDULE_FORMAT = "matchmaker.schedule/1"


def _id(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InstanceError(f"{where}: id must be a string or an integer, got {value!r}")
    text = str(value)
    if not text:
        raise InstanceError(f"{where}: id must not be empty")
    return text


def _int(value: Any, where: str, minimum: int = 0, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InstanceError(f"{where} must be an integer >= {minimum}, got {value!r}")
    return value


def _finite(value: Any, where: str) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InstanceError(f"{where} must be a finite number, got {value!r}")
    return float(value)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise InstanceError(f"{where} must be a string, got {value!r}")
    return value


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InstanceError(f"{where} must be true or false, got {value!r}")
    return value


def _obj(value: Any, where: str, keys: set[str]) -> dict:
    if not isinstance(value, dict):
        raise InstanceError(f"{where} must be an object")
    unknown = set(value) - keys
    if unknown:
        raise InstanceError(f"{where}: unknown field {sorted(unknown)[0]!r}")
    return value


def _list(value: Any, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InstanceError(f"{where} must be a list")
    return value


def _slots(value: Any, where: str) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset(_id(v, f"{where}[{i}]") for i, v in enumerate(_list(value, where)))


def _opt_id(value: Any, where: str) -> str | None:
    return None if value is None else _id(value, where)


def _after(value: Any, where: str) -> tuple[str, ...]:
    return tuple(_id(v, f"{where}[{i}]") for i, v in enumerate(_list(value, where)))


def parse_instance(data: Any) -> Instance:
    """Build and validate an ``Instance`` from decoded JSON. Raises ``InstanceError`` with a
    message naming the offending field. Cost O(size)."""
    doc = _obj(
        data,
        "the instance",
        {
            "format",
            "tables",
            "table_seats",
            "slots",
            "participants",
            "candidates",
            "locked",
            "groups",
            "options",
            "name",
        },
    )
    fmt = doc.get("format")
    if fmt != INSTANCE_FORMAT:
        raise InstanceError(f"format must be {INSTANCE_FORMAT!r}, got {fmt!r}")
    default_tables = _int(doc.get("tables"), "tables", optional=True)
    slots = []
    for i, s in enumerate(_list(doc.get("slots"), "slots")):
        where = f"slots[{i}]"
        s = _obj(s, where, {"id", "day", "start", "end", "tables"})
        tables = s.get("tables", default_tables)
        if tables is None:
            raise InstanceError(f"{where}: tables missing (give it per slot or at the top)")
        for key in ("day", "start"):
            if not isinstance(s.get(key), str):
                raise InstanceError(f"{where}.{key} must be a string")
        end = s.get("end", "")
        if not isinstance(end, str):
            raise InstanceError(f"{where}.end must be a string")
        slots.append(
            Slot(
                _id(s.get("id"), f"{where}.id"),
                s["day"],
                s["start"],
                end,
                _int(tables, f"{where}.tables"),
            )
        )
    people = []
    for i, p in enumerate(_list(doc.get("participants"), "participants")):
        where = f"participants[{i}]"
        p = _obj(p, where, {"id", "slots", "max_meetings", "min_meetings", "name"})
        people.append(
            Participant(
                _id(p.get("id"), f"{where}.id"),
                _slots(p.get("slots"), f"{where}.slots"),
                _int(p.get("max_meetings"), f"{where}.max_meetings", optional=True),
                _int(p.get("min_meetings"), f"{where}.min_meetings", optional=True),
            )
        )
    cands = []
    for i, c in enumerate(_list(doc.get("candidates"), "candidates")):
        where = f"candidates[{i}]"
        c = _obj(c, where, {"id", "a", "b", "priority", "weight", "slots", "after", "online"})
        w = c.get("weight", 0.0)
        if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w):
            raise InstanceError(f"{where}.weight must be a finite number, got {w!r}")
        prio = c.get("priority", "suggestion")
        if not isinstance(prio, str):
            raise InstanceError(f"{where}.priority must be a string")
        cands.append(
            Candidate(
                _id(c.get("a"), f"{where}.a"),
                _id(c.get("b"), f"{where}.b"),
                prio,
                float(w),
                _slots(c.get("slots"), f"{where}.slots"),
                _opt_id(c.get("id"), f"{where}.id"),
                _after(c.get("after"), f"{where}.after"),
                _flag(c.get("online", False), f"{where}.online"),
            )
        )
    locked = []
    for i, m in enumerate(_list(doc.get("locked"), "locked")):
        where = f"locked[{i}]"
        m = _obj(m, where, {"id", "a", "b", "slot", "table", "after", "online"})
        locked.append(
            LockedMeeting(
                _id(m.get("a"), f"{where}.a"),
                _id(m.get("b"), f"{where}.b"),
                _id(m.get("slot"), f"{where}.slot"),
                _int(m.get("table"), f"{where}.table", minimum=1, optional=True),
                _opt_id(m.get("id"), f"{where}.id"),
                _after(m.get("after"), f"{where}.after"),
                _flag(m.get("online", False), f"{where}.online"),
            )
        )
    o = _obj(
        doc.get("options") or {},
        "options",
        {
            "min_meetings",
            "fill_with_suggestions",
            "break_fairness",
            "fixed_meetings",
            "reduce_breaks",
            "fairness_reward",
        },
    )
    for key in ("fill_with_suggestions", "fixed_meetings", "reduce_breaks"):
        if key in o and not isinstance(o[key], bool):
            raise InstanceError(f"options.{key} must be true or false")
    reward = o.get("fairness_reward")
    if reward is not None and (
        isinstance(reward, bool) or not isinstance(reward, int | float) or reward < 0
    ):
        raise InstanceError("options.fairness_reward must be a number >= 0 or null")
    options = Options(
        min_meetings=_int(o.get("min_meetings", 0), "options.min_meetings"),
        fill_with_suggestions=o.get("fill_with_suggestions", True),
        break_fairness=_int(o.get("break_fairness"), "options.break_fairness", optional=True),
        fixed_meetings=o.get("fixed_meetings", False),
        reduce_breaks=o.get("reduce_breaks", True),
        fairness_reward=None if reward is None else float(reward),
    )
    seats = []
    for i, t in enumerate(_list(doc.get("table_seats"), "table_seats")):
        where = f"table_seats[{i}]"
        t = _obj(t, where, {"table", "seats"})
        seats.append(
            Table(
                _int(t.get("table"), f"{where}.table", minimum=1),
                _int(t.get("seats"), f"{where}.seats", minimum=2),
            )
        )
    groups = []
    for i, g in enumerate(_list(doc.get("groups"), "groups")):
        where = f"groups[{i}]"
        g = _obj(g, where, {"id", "members", "title"})
        members = _list(g.get("members"), f"{where}.members")
        groups.append(
            Group(
                _id(g.get("id"), f"{where}.id"),
                tuple(_id(m, f"{where}.members[{j}]") for j, m in enumerate(members)),
                _text(g.get("title", ""), f"{where}.title"),
            )
        )
    instance = Instance(
        tuple(slots),
        tuple(people),
        tuple(cands),
        tuple(locked),
        options,
        groups=tuple(groups),
        tables=tuple(seats),
    )
    instance.validate()
    return instance


def instance_to_json(instance: Instance) -> dict:
    """The JSON document for ``instance`` (inverse of ``parse_instance``)."""

    def slots(value):
        return None if value is None else sorted(value)

    doc: dict[str, Any] = {
        "format": INSTANCE_FORMAT,
        "slots": [
            {"id": s.id, "day": s.day, "start": s.start, "end": s.end, "tables": s.tables}
            for s in instance.slots
        ],
        "participants": [],
        "candidates": [],
        "locked": [],
    }
    for p in instance.participants:
        row: dict[str, Any] = {"id": p.id}
        if p.slots is not None:
            row["slots"] = slots(p.slots)
        if p.max_meetings is not None:
            row["max_meetings"] = p.max_meetings
        if p.min_meetings is not None:
            row["min_meetings"] = p.min_meetings
        doc["participants"].append(row)
    for c in instance.candidates:
        row = {"a": c.a, "b": c.b, "priority": c.priority, "weight": c.weight}
        if c.id is not None:
            row = {"id": c.id, **row}
        if c.slots is not None:
            row["slots"] = slots(c.slots)
        if c.after:
            row["after"] = list(c.after)
        if c.online:
            row["online"] = True
        doc["candidates"].append(row)
    for m in instance.locked:
        row = {"a": m.a, "b": m.b, "slot": m.slot}
        if m.id is not None:
            row = {"id": m.id, **row}
        if m.table is not None:
            row["table"] = m.table
        if m.after:
            row["after"] = list(m.after)
        if m.online:
            row["online"] = True
        doc["locked"].append(row)
    if instance.tables:
        doc["table_seats"] = [{"table": t.number, "seats": t.seats} for t in instance.tables]
    if instance.groups:
        doc["groups"] = [
            {"id": g.id, "members": list(g.members), "title": g.title} for g in instance.groups
        ]
    o = instance.options
    doc["options"] = {
        "min_meetings": o.min_meetings,
        "fill_with_suggestions": o.fill_with_suggestions,
        "break_fairness": o.break_fairness,
        "fixed_meetings": o.fixed_meetings,
        "reduce_breaks": o.reduce_breaks,
        "fairness_reward": o.fairness_reward,
    }
    return doc


def schedule_to_json(schedule: Schedule) -> dict:
    """The ``matchmaker.schedule/1`` document for ``schedule``."""
    f = schedule.figures
    figures = None
    if f is not None:
        figures = {
            "status": f.status,
            "method": f.method,
            "placed": f.placed,
            "candidates": f.candidates,
            "objective": f.objective,
            "bound": f.bound,
            "gap": f.gap,
            "total_weight": f.total_weight,
            "breaks_total": f.breaks_total,
            "breaks_max": f.breaks_max,
            "breaks_min": f.breaks_min,
            "breaks_optimal": f.breaks_optimal,
            "breaks_bound": f.breaks_bound,
            "table_moves": f.table_moves,
            "accepted_feasible": f.accepted_feasible,
            "zero_meeting_participants": list(f.zero_meeting_participants),
            "without_meetings": list(f.without_meetings),
            "seconds": f.seconds,
        }
        if f.status_detail:
            figures["status_detail"] = f.status_detail
    doc = {
        "format": SCHEDULE_FORMAT,
        "meetings": [
            {
                "id": m.id,
                "a": m.a,
                "b": m.b,
                "slot": m.slot,
                "table": m.table,
                "priority": m.priority,
                "weight": m.weight,
                "locked": m.locked,
                **({"online": True} if m.online else {}),
            }
            for m in schedule.meetings
        ],
        "figures": figures,
        "unplaced": [
            {
                "id": u.id,
                "a": u.a,
                "b": u.b,
                "priority": u.priority,
                "weight": u.weight,
                "reason": u.reason,
                "detail": u.detail,
            }
            for u in schedule.unplaced
        ],
        "conflicts": [
            {"id": c.id, "a": c.a, "b": c.b, "slot": c.slot, "reason": c.reason, "detail": c.detail}
            for c in schedule.conflicts
        ],
    }
    if schedule.groups or schedule.unplaced_groups:
        doc["groups"] = [
            {"id": g.id, "members": list(g.members), "slot": g.slot, "table": g.table,
             "title": g.title}
            for g in schedule.groups
        ]  # fmt: skip
        doc["unplaced_groups"] = [
            {"id": u.id, "members": list(u.members), "reason": u.reason, "detail": u.detail,
             "title": u.title}
            for u in schedule.unplaced_groups
        ]  # fmt: skip
        if figures is not None:
            figures["groups"] = f.groups
            figures["groups_placed"] = f.groups_placed
    return doc


def parse_schedule(data: Any) -> list:
    """The meetings of a ``matchmaker.schedule/1`` document, as ``PlacedMeeting`` objects
    (for ``check``). Raises ``InstanceError`` on a malformed document."""
    from matchmaker.scheduling.model import PlacedMeeting

    doc = _schedule_doc(data)
    if doc.get("format") != SCHEDULE_FORMAT:
        raise InstanceError(f"format must be {SCHEDULE_FORMAT!r}, got {doc.get('format')!r}")
    out = []
    for i, m in enumerate(_list(doc.get("meetings"), "meetings")):
        where = f"meetings[{i}]"
        m = _obj(
            m, where, {"id", "a", "b", "slot", "table", "priority", "weight", "locked", "online"}
        )
        online = _flag(m.get("online", False), f"{where}.online")
        out.append(
            PlacedMeeting(
                _id(m.get("a"), f"{where}.a"),
                _id(m.get("b"), f"{where}.b"),
                _id(m.get("slot"), f"{where}.slot"),
                _int(m.get("table"), f"{where}.table", minimum=0 if online else 1),
                _text(m.get("priority", "manual"), f"{where}.priority"),
                _finite(m.get("weight", 0.0), f"{where}.weight"),
                _flag(m.get("locked", False), f"{where}.locked"),
                _opt_id(m.get("id"), f"{where}.id") or "",
                online,
            )
        )
    return out


_SCHEDULE_KEYS = {"format", "meetings", "figures", "unplaced", "conflicts", "groups"}


def _schedule_doc(data: Any) -> dict:
    doc = _obj(data, "the schedule", _SCHEDULE_KEYS | {"unplaced_groups"})
    if doc.get("format") != SCHEDULE_FORMAT:
        raise InstanceError(f"format must be {SCHEDULE_FORMAT!r}, got {doc.get('format')!r}")
    return doc


def parse_schedule_groups(data: Any) -> list:
    """The group meetings of a ``matchmaker.schedule/1`` document, as ``PlacedGroup``
    objects (for ``check``). Raises ``InstanceError`` on a malformed document."""
    from matchmaker.scheduling.model import PlacedGroup

    doc = _schedule_doc(data)
    out = []
    for i, g in enumerate(_list(doc.get("groups"), "groups")):
        where = f"groups[{i}]"
        g = _obj(g, where, {"id", "members", "slot", "table", "title"})
        members = _list(g.get("members"), f"{where}.members")
        out.append(
            PlacedGroup(
                _id(g.get("id"), f"{where}.id"),
                tuple(_id(m, f"{where}.members[{j}]") for j, m in enumerate(members)),
                _id(g.get("slot"), f"{where}.slot"),
                _int(g.get("table"), f"{where}.table", minimum=1),
                _text(g.get("title", ""), f"{where}.title"),
            )
        )
    return out
