"""Consistency checks on an ``Instance``: one clear ``InstanceError`` for the first problem."""

from __future__ import annotations

import math

from matchmaker.scheduling.meetings import index
from matchmaker.scheduling.model import GROUP_MIN_MEMBERS, PRIORITIES, Instance, InstanceError


def validate_instance(instance: Instance) -> None:
    """Raise ``InstanceError`` naming the first inconsistency of ``instance``.

    Checked: at least one slot; unique slot and participant ids; tables and maxima >= 0;
    candidates between two different known participants, known priority, finite weight >= 0,
    known allowed slots; locked meetings between known participants in a known slot, at a
    table that exists, without two locked meetings of one participant or at one table in a
    slot, without more locked meetings in a slot than tables or for a participant than its
    maximum, a pair locked twice only in fixed-meetings mode or with explicit ids; ids unique,
    ``after`` naming known ids without a cycle (``meetings.index``); tables' seats and group
    meetings (``_validate_groups``). A lock outside a partner's
    availability or its candidate's slots is no error: ``meetings.lock_conflicts`` reports
    it. Cost O(size).
    """
    if not instance.slots:
        raise InstanceError("the instance has no slots")
    slot_ids: dict[str, int] = {}
    for slot in instance.slots:
        if not isinstance(slot.id, str) or not slot.id:
            raise InstanceError(f"slot id {slot.id!r} must be a non-empty string")
        if slot.id in slot_ids:
            raise InstanceError(f"slot {slot.id!r} appears twice")
        if not isinstance(slot.tables, int) or isinstance(slot.tables, bool) or slot.tables < 0:
            raise InstanceError(f"slot {slot.id!r}: tables must be an integer >= 0")
        for name in ("day", "start", "end"):
            if not isinstance(getattr(slot, name), str):
                raise InstanceError(f"slot {slot.id!r}: {name} must be a string")
        slot_ids[slot.id] = slot.tables
    people: dict[str, frozenset[str] | None] = {}
    for person in instance.participants:
        if not isinstance(person.id, str) or not person.id:
            raise InstanceError(f"participant id {person.id!r} must be a non-empty string")
        if person.id in people:
            raise InstanceError(f"participant {person.id!r} appears twice")
        if person.slots is not None:
            for s in person.slots:
                if s not in slot_ids:
                    raise InstanceError(f"participant {person.id!r}: unknown slot {s!r}")
        for name in ("max_meetings", "min_meetings"):
            value = getattr(person, name)
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or value < 0
            ):
                raise InstanceError(f"participant {person.id!r}: {name} must be an integer >= 0")
        people[person.id] = person.slots
    for i, cand in enumerate(instance.candidates):
        where = f"candidate {i} ({cand.a}-{cand.b})"
        for pid in (cand.a, cand.b):
            if pid not in people:
                raise InstanceError(f"{where}: unknown participant {pid!r}")
        if cand.a == cand.b:
            raise InstanceError(f"{where}: a participant cannot meet itself")
        if cand.priority not in PRIORITIES:
            raise InstanceError(
                f"{where}: priority {cand.priority!r} is not one of {', '.join(PRIORITIES)}"
            )
        if (
            isinstance(cand.weight, bool)
            or not isinstance(cand.weight, int | float)
            or not math.isfinite(cand.weight)
            or cand.weight < 0
        ):
            raise InstanceError(f"{where}: weight must be a finite number >= 0")
        if cand.slots is not None:
            for s in cand.slots:
                if s not in slot_ids:
                    raise InstanceError(f"{where}: unknown slot {s!r}")
    for i, entry in enumerate((*instance.candidates, *instance.locked)):
        where = f"candidate {i}" if i < len(instance.candidates) else "a locked meeting"
        if entry.id is not None and (not isinstance(entry.id, str) or not entry.id):
            raise InstanceError(f"{where}: id {entry.id!r} must be a non-empty string")
        if not isinstance(entry.after, tuple) or not all(
            isinstance(ref, str) for ref in entry.after
        ):
            raise InstanceError(f"{where}: after must be a tuple of meeting ids")
    busy: set[tuple[str, str]] = set()
    tables_used: set[tuple[str, int]] = set()
    per_slot: dict[str, int] = {}
    pairs: dict[tuple[str, str], bool] = {}  # pair -> may be locked again
    locked_of: dict[str, int] = {}
    maxima = {p.id: p.max_meetings for p in instance.participants}
    for lock in instance.locked:
        where = f"locked meeting {lock.a}-{lock.b} in slot {lock.slot!r}"
        for pid in (lock.a, lock.b):
            if pid not in people:
                raise InstanceError(f"{where}: unknown participant {pid!r}")
        if lock.a == lock.b:
            raise InstanceError(f"{where}: a participant cannot meet itself")
        if lock.slot not in slot_ids:
            raise InstanceError(f"{where}: unknown slot")
        pair = (lock.a, lock.b) if lock.a <= lock.b else (lock.b, lock.a)
        repeat_ok = instance.options.fixed_meetings or lock.id is not None
        if pair in pairs and not (repeat_ok and pairs[pair]):
            raise InstanceError(
                f"{where}: the pair is locked twice (give each lock an id to make them two "
                "meetings)"
            )
        pairs[pair] = repeat_ok
        for pid in (lock.a, lock.b):
            if (pid, lock.slot) in busy:
                raise InstanceError(f"{where}: {pid} has another locked meeting in that slot")
            busy.add((pid, lock.slot))
        if lock.online and lock.table is not None:
            raise InstanceError(f"{where}: an online meeting has no table")
        if lock.table is not None:
            if (
                not isinstance(lock.table, int)
                or isinstance(lock.table, bool)
                or not 1 <= lock.table <= slot_ids[lock.slot]
            ):
                raise InstanceError(
                    f"{where}: table {lock.table!r} does not exist "
                    f"(tables are 1..{slot_ids[lock.slot]})"
                )
            if (lock.slot, lock.table) in tables_used:
                raise InstanceError(f"{where}: table {lock.table} holds another locked meeting")
            tables_used.add((lock.slot, lock.table))
        for pid in (lock.a, lock.b):
            locked_of[pid] = locked_of.get(pid, 0) + 1
            if maxima[pid] is not None and locked_of[pid] > maxima[pid]:
                raise InstanceError(
                    f"{where}: {pid} would have more locked meetings than its maximum "
                    f"({maxima[pid]})"
                )
        if lock.online:
            continue  # held by video: takes no table
        per_slot[lock.slot] = per_slot.get(lock.slot, 0) + 1
        if per_slot[lock.slot] > slot_ids[lock.slot]:
            raise InstanceError(f"{where}: more locked meetings than tables in that slot")
    opts = instance.options
    if not isinstance(opts.min_meetings, int) or opts.min_meetings < 0:
        raise InstanceError("options.min_meetings must be an integer >= 0")
    if opts.break_fairness is not None and (
        not isinstance(opts.break_fairness, int) or opts.break_fairness < 0
    ):
        raise InstanceError("options.break_fairness must be an integer >= 0 or null")
    if opts.fairness_reward is not None and (
        not isinstance(opts.fairness_reward, int | float)
        or not math.isfinite(opts.fairness_reward)
        or opts.fairness_reward < 0
    ):
        raise InstanceError("options.fairness_reward must be a finite number >= 0 or null")
    _validate_groups(instance, set(people))
    index(instance)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate_groups(instance: Instance, people: set[str]) -> None:
    """Tables' seats (a known number >= 1, described once, seats >= 2) and group meetings
    (unique non-empty ids, at least ``GROUP_MIN_MEMBERS`` distinct known members)."""
    numbers: set[int] = set()
    for table in instance.tables:
        if not _is_int(table.number) or table.number < 1:
            raise InstanceError(f"table {table.number!r}: the number must be an integer >= 1")
        if table.number in numbers:
            raise InstanceError(f"table {table.number}: its seats are given twice")
        numbers.add(table.number)
        if not _is_int(table.seats) or table.seats < 2:
            raise InstanceError(f"table {table.number}: seats must be an integer >= 2")
    ids: set[str] = set()
    for group in instance.groups:
        if not isinstance(group.id, str) or not group.id:
            raise InstanceError(f"group id {group.id!r} must be a non-empty string")
        where = f"group {group.id!r}"
        if group.id in ids:
            raise InstanceError(f"{where} appears twice")
        ids.add(group.id)
        if not isinstance(group.members, tuple):
            raise InstanceError(f"{where}: members must be a tuple of participant ids")
        for pid in group.members:
            if pid not in people:
                raise InstanceError(f"{where}: unknown participant {pid!r}")
        if len(set(group.members)) != len(group.members):
            raise InstanceError(f"{where}: a participant is listed twice")
        if len(group.members) < GROUP_MIN_MEMBERS:
            raise InstanceError(
                f"{where}: a group meeting has at least {GROUP_MIN_MEMBERS} members "
                f"(two are a pair: offer them as a candidate)"
            )
        if not isinstance(group.title, str):
            raise InstanceError(f"{where}: title must be a string")
