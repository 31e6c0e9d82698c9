"""Hard-constraint validator for whole schedules and for one proposed move or addition.

Messages name participants, slots and tables by id; ``Conflict`` also carries them as fields
so a caller can substitute display names (``conflict.format(names)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from matchmaker.scheduling import meetings as meetings_mod
from matchmaker.scheduling.model import Instance, PlacedGroup, PlacedMeeting, Schedule, pair_key


@dataclass(frozen=True)
class Conflict:
    """One violated hard constraint. ``code`` is one of: unknown_participant, unknown_slot,
    self_meeting, unavailable, not_allowed_slot, double_booked, table_missing, table_taken,
    slot_full, pair_twice (more meetings of a pair than the instance allows), over_maximum,
    locked_missing, locked_moved, fixed_missing, order (a precedence broken), group_unknown,
    group_members, group_twice, group_seats (a group meeting's table seats fewer than its
    members), fairness (max -
    min breaks above ``break_fairness``), lock_conflict (a lock against its candidate's slots,
    a partner's availability or an order; see ``meetings.lock_conflicts``).
    ``template`` uses ``{a}``, ``{b}``, ``{c}`` for participants, ``{slot}`` and ``{table}``."""

    code: str
    template: str
    participants: tuple[str, ...] = ()
    slot: str | None = None
    table: int | None = None

    def format(self, names: Mapping[str, str] | None = None) -> str:
        """The sentence, with participant ids replaced by ``names[id]`` where given."""
        names = names or {}
        keys = ("a", "b", "c")
        fields = {k: names.get(p, p) for k, p in zip(keys, self.participants, strict=False)}
        return self.template.format(slot=self.slot, table=self.table, **fields)

    @property
    def message(self) -> str:
        return self.format()

    def __str__(self) -> str:
        return self.message


def _esc(text: str) -> str:
    """Escape ids that are pasted into a template."""
    return text.replace("{", "{{").replace("}", "}}")


class _Index:
    """Lookups shared by ``conflicts`` and ``move_conflicts``. Cost O(instance size)."""

    def __init__(self, instance: Instance):
        self.slots = {s.id: s for s in instance.slots}
        self.people = {p.id: p for p in instance.participants}
        self.allowed: dict[tuple[str, str], frozenset[str] | None] = {}
        for c in instance.candidates:
            key = pair_key(c.a, c.b)
            prev = self.allowed.get(key, frozenset())
            if c.slots is None or prev is None:
                self.allowed[key] = None
            else:
                self.allowed[key] = prev | c.slots
        self.locked = {pair_key(m.a, m.b): m for m in instance.locked}
        self.lock_slots: dict[tuple[str, str], set[str]] = {}
        for m in instance.locked:
            self.lock_slots.setdefault(pair_key(m.a, m.b), set()).add(m.slot)
        self.meetings = meetings_mod.index(instance)

    def maximum(self, pid: str) -> int:
        m = self.people[pid].max_meetings
        return len(self.slots) if m is None else m


def _single(
    ix: _Index, a: str, b: str, slot: str, table: int | None, locks_reported: bool = False
) -> list[Conflict]:
    """Conflicts of one meeting on its own (ids, availability, allowed slots, table range).
    A meeting at its pair's lock slot is never outside the pair's allowed slots (the lock is
    the organizer's call); with ``locks_reported`` (a whole schedule, whose lock conflicts
    are listed once each) its partners' availability is not checked either."""
    out: list[Conflict] = []
    for p in (a, b):
        if p not in ix.people:
            out.append(Conflict("unknown_participant", "unknown participant {a}", (p,)))
    if slot not in ix.slots:
        out.append(Conflict("unknown_slot", "unknown slot {slot}", (), slot))
    if out:
        return out
    if a == b:
        out.append(Conflict("self_meeting", "{a} cannot meet itself", (a,), slot))
    # a lock outside the pair's slots or availability is reported once, as a lock_conflict
    at_lock = slot in ix.lock_slots.get(pair_key(a, b), ())
    for p in (a, b):
        avail = ix.people[p].slots
        if avail is not None and slot not in avail and not (at_lock and locks_reported):
            out.append(Conflict("unavailable", "{a} is not available in slot {slot}", (p,), slot))
    allowed = ix.allowed.get(pair_key(a, b))
    if at_lock:
        allowed = None
    if allowed is not None and slot not in allowed:
        out.append(
            Conflict(
                "not_allowed_slot",
                "{a} and {b} asked to meet only in other slots than {slot}",
                (a, b),
                slot,
            )
        )
    if table is not None and not 1 <= table <= ix.slots[slot].tables:
        out.append(
            Conflict(
                "table_missing",
                f"table {{table}} does not exist in slot {{slot}} "
                f"(tables 1..{ix.slots[slot].tables})",
                (),
                slot,
                table,
            )
        )
    return out


def _groups_of(schedule, groups) -> list[PlacedGroup]:
    if groups is None:
        return list(schedule.groups) if isinstance(schedule, Schedule) else []
    return list(groups)


def conflicts(
    instance: Instance,
    schedule: Schedule | Iterable[PlacedMeeting],
    groups: Iterable[PlacedGroup] | None = None,
) -> list[Conflict]:
    """Every hard-constraint violation of ``schedule`` (a ``Schedule`` or its meetings, with
    the group meetings ``groups``, by default the ``Schedule``'s):
    unknown ids, unavailable participants, slots outside a candidate's allowed slots, tables
    that do not exist or are used twice, a participant twice in a slot, more meetings than
    tables, a pair twice, a participant over its maximum, locked meetings missing or moved, and
    in fixed-meetings mode candidates missing. Empty list: the schedule is valid.
    Cost O(instance + meetings)."""
    meetings = list(schedule.meetings if isinstance(schedule, Schedule) else schedule)
    placed_groups = _groups_of(schedule, groups)
    ix = _Index(instance)
    out: list[Conflict] = []
    seen_ps: dict[tuple[str, str], PlacedMeeting] = {}
    seen_table: dict[tuple[str, int], PlacedMeeting] = {}
    per_slot: dict[str, int] = {}
    pairs: dict[tuple[str, str], PlacedMeeting] = {}
    of_pair: dict[tuple[str, str], list[PlacedMeeting]] = {}
    count: dict[str, int] = {}
    for m in meetings:
        table = None if m.online else m.table  # an online meeting has no table
        single = _single(ix, m.a, m.b, m.slot, table, locks_reported=True)
        out += single
        if any(c.code in ("unknown_participant", "unknown_slot") for c in single):
            continue
        for p, q in ((m.a, m.b), (m.b, m.a)):
            other = seen_ps.get((p, m.slot))
            if other is not None and pair_key(other.a, other.b) == pair_key(m.a, m.b):
                if p == min(m.a, m.b):  # once per pair, not once per partner
                    out.append(
                        Conflict(
                            "double_booked",
                            "{a} and {b} meet twice in slot {slot}",
                            (m.a, m.b),
                            m.slot,
                        )
                    )
            elif other is not None:
                third = other.b if other.a == p else other.a
                out.append(
                    Conflict(
                        "double_booked",
                        "{a} meets both {b} and {c} in slot {slot}",
                        (p, third, q),
                        m.slot,
                    )
                )
            else:
                seen_ps[p, m.slot] = m
            count[p] = count.get(p, 0) + 1
        if table is not None and 1 <= table <= ix.slots[m.slot].tables:
            other = seen_table.get((m.slot, m.table))
            if other is not None:
                out.append(
                    Conflict(
                        "table_taken",
                        "table {table} in slot {slot} holds both {a}-{b} and "
                        + _esc(f"{other.a}-{other.b}"),
                        (m.a, m.b),
                        m.slot,
                        m.table,
                    )
                )
            else:
                seen_table[m.slot, m.table] = m
        if not m.online:
            per_slot[m.slot] = per_slot.get(m.slot, 0) + 1
        key = pair_key(m.a, m.b)
        of_pair.setdefault(key, []).append(m)
        pairs.setdefault(key, m)
        allowed = ix.meetings.allowed.get(key, 1)
        if len(of_pair[key]) > allowed:
            out.append(
                Conflict(
                    "pair_twice",
                    "{a} and {b} meet "
                    + f"{len(of_pair[key])} times (slots "
                    + _esc(", ".join(x.slot for x in of_pair[key][:-1]))
                    + " and {slot}); the instance allows "
                    + ("once" if allowed == 1 else f"{allowed} meetings"),
                    (m.a, m.b),
                    m.slot,
                )
            )
    out += _group_conflicts(instance, ix, placed_groups, seen_ps, seen_table, per_slot, count)
    for sid, n in per_slot.items():
        if n > ix.slots[sid].tables:
            out.append(
                Conflict(
                    "slot_full",
                    f"slot {{slot}} has {n} meetings but {ix.slots[sid].tables} tables",
                    (),
                    sid,
                )
            )
    for pid, n in count.items():
        if n > ix.maximum(pid):
            out.append(
                Conflict(
                    "over_maximum",
                    f"{{a}} has {n} meetings, maximum {ix.maximum(pid)}",
                    (pid,),
                )
            )
    for j, lock in enumerate(instance.locked):
        key = pair_key(lock.a, lock.b)
        ident = ix.meetings.lock_ids[j]
        mine = [x for x in of_pair.get(key, ()) if x.id == ident] or [
            x for x in of_pair.get(key, ()) if x.slot == lock.slot
        ]
        m = mine[0] if mine else pairs.get(key)
        if m is None:
            out.append(
                Conflict(
                    "locked_missing",
                    "the locked meeting {a}-{b} in slot {slot} is missing",
                    (lock.a, lock.b),
                    lock.slot,
                )
            )
        elif m.slot != lock.slot or (lock.table is not None and m.table != lock.table):
            out.append(
                Conflict(
                    "locked_moved",
                    "the meeting {a}-{b} is locked in slot {slot}"
                    + ("" if lock.table is None else " at table {table}"),
                    (lock.a, lock.b),
                    lock.slot,
                    lock.table,
                )
            )
    if instance.options.fixed_meetings:
        need: dict[tuple[str, str], int] = {}
        for i in ix.meetings.kept:
            key = pair_key(instance.candidates[i].a, instance.candidates[i].b)
            need[key] = need.get(key, 0) + 1
        for key, n in need.items():
            have = len(of_pair.get(key, ()))
            if have < n:
                text = "the meeting {a}-{b} is missing"
                if n > 1:
                    text = f"a meeting of {{a}}-{{b}} is missing ({n} required, {have} placed)"
                out.append(Conflict("fixed_missing", text, key))
    out += _order_conflicts(instance, ix, meetings)
    out += _fairness_conflicts(instance, meetings, placed_groups)
    for c in meetings_mod.lock_conflicts(instance, ix.meetings):
        out.append(Conflict("lock_conflict", _esc(c.detail), (c.a, c.b), c.slot))
    return out


def _order_conflicts(instance: Instance, ix: _Index, placed: list[PlacedMeeting]) -> list[Conflict]:
    """Precedences broken by ``placed``. A meeting is matched to the instance by its id, else
    (no id) to the pair's first meeting not matched yet."""
    idx = ix.meetings
    if not idx.order:
        return []
    node_pair: dict[meetings_mod.Node, tuple[str, str]] = {}
    for i in idx.kept:
        c = instance.candidates[i]
        node_pair[idx.node_of[idx.cand_ids[i]]] = pair_key(c.a, c.b)
    for j, m in enumerate(instance.locked):
        node_pair[("l", j)] = pair_key(m.a, m.b)
    waiting: dict[tuple[str, str], list[meetings_mod.Node]] = {}
    for node in sorted(node_pair):
        waiting.setdefault(node_pair[node], []).append(node)
    where: dict[meetings_mod.Node, PlacedMeeting] = {}
    for m in placed:
        node = idx.node_of.get(m.id) if m.id else None
        if node is not None and node in waiting.get(pair_key(m.a, m.b), ()):
            waiting[pair_key(m.a, m.b)].remove(node)
            where[node] = m
    for m in placed:
        if not (m.id and m.id in idx.node_of):
            queue = waiting.get(pair_key(m.a, m.b))
            if queue:
                where[queue.pop(0)] = m
    position = meetings_mod.slot_order(instance)
    out = []
    for early, late in idx.order:
        if early[0] == late[0] == "l":
            continue  # two locks: reported once, as a lock_conflict
        e, lt = where.get(early), where.get(late)
        if e is None or lt is None or e.slot not in position or lt.slot not in position:
            continue
        if position[e.slot] >= position[lt.slot]:
            out.append(
                Conflict(
                    "order",
                    "{a}-{b} in slot {slot} must come after "
                    + _esc(f"{e.a}-{e.b} ({idx.meeting_id(early)}, slot {e.slot})"),
                    (lt.a, lt.b),
                    lt.slot,
                )
            )
    return out


def _fairness_conflicts(
    instance: Instance, placed: list[PlacedMeeting], groups: list[PlacedGroup] = ()
) -> list[Conflict]:
    """Max - min breaks over participants with a meeting above ``break_fairness``."""
    bound = instance.options.break_fairness
    if bound is None or not (placed or groups):
        return []
    met = {p for m in placed for p in (m.a, m.b)} | {p for g in groups for p in g.members}
    per = {p: n for p, n in count_breaks(instance, placed, groups).items() if p in met}
    if not per:
        return []
    hi = max(per, key=lambda p: (per[p], p))
    lo = min(per, key=lambda p: (per[p], p))
    if per[hi] - per[lo] <= bound:
        return []
    return [
        Conflict(
            "fairness",
            f"breaks range from {per[lo]} ({{b}}) to {per[hi]} ({{a}}), a spread of "
            f"{per[hi] - per[lo]} above the bound of {bound}",
            (hi, lo),
        )
    ]


def _group_conflicts(instance, ix, placed, seen_ps, seen_table, per_slot, count) -> list[Conflict]:
    """Group meetings of the schedule: known, with the instance's members, placed once, in
    a known slot where every member is available and in no other meeting, at a table that
    exists, is free and seats every member; they fill ``per_slot`` and ``count``."""
    out: list[Conflict] = []
    wanted = {g.id: g for g in instance.groups}
    seen: set[str] = set()
    ref = _esc
    for g in placed:
        name = ref(g.id)
        if g.id not in wanted:
            out.append(Conflict("group_unknown", f"unknown group meeting {name}"))
            continue
        if g.id in seen:
            out.append(Conflict("group_twice", f"group meeting {name} is placed twice", (), g.slot))
            continue
        seen.add(g.id)
        if sorted(g.members) != sorted(wanted[g.id].members):
            out.append(
                Conflict(
                    "group_members",
                    f"group meeting {name} has members "
                    + ref(", ".join(g.members))
                    + ", the instance asks for "
                    + ref(", ".join(wanted[g.id].members)),
                )
            )
            continue
        if g.slot not in ix.slots:
            out.append(Conflict("unknown_slot", "unknown slot {slot}", (), g.slot))
            continue
        for p in g.members:
            avail = ix.people[p].slots
            if avail is not None and g.slot not in avail:
                out.append(
                    Conflict("unavailable", "{a} is not available in slot {slot}", (p,), g.slot)
                )
            other = seen_ps.get((p, g.slot))
            if other is not None:
                what = (
                    f"group meeting {ref(other.id)}"
                    if isinstance(other, PlacedGroup)
                    else ref(f"{other.a}-{other.b}")
                )
                out.append(
                    Conflict(
                        "double_booked",
                        "{a} is in group meeting " + name + " and in " + what + " in slot {slot}",
                        (p,),
                        g.slot,
                    )
                )
            else:
                seen_ps[p, g.slot] = g
            count[p] = count.get(p, 0) + 1
        tables = ix.slots[g.slot].tables
        if not 1 <= g.table <= tables:
            out.append(
                Conflict(
                    "table_missing",
                    f"table {{table}} does not exist in slot {{slot}} (tables 1..{tables})",
                    (),
                    g.slot,
                    g.table,
                )
            )
        else:
            other = seen_table.get((g.slot, g.table))
            if other is not None:
                what = (
                    f"group meeting {ref(other.id)}"
                    if isinstance(other, PlacedGroup)
                    else ref(f"{other.a}-{other.b}")
                )
                out.append(
                    Conflict(
                        "table_taken",
                        f"table {{table}} in slot {{slot}} holds both group meeting {name} "
                        f"and {what}",
                        (),
                        g.slot,
                        g.table,
                    )
                )
            else:
                seen_table[g.slot, g.table] = g
            seats = instance.seats(g.table)
            if seats < len(g.members):
                out.append(
                    Conflict(
                        "group_seats",
                        f"table {{table}} seats {seats} but group meeting {name} has "
                        f"{len(g.members)} members (slot {{slot}})",
                        (),
                        g.slot,
                        g.table,
                    )
                )
        per_slot[g.slot] = per_slot.get(g.slot, 0) + 1
    return out


def check(
    instance: Instance,
    schedule: Schedule | Iterable[PlacedMeeting],
    groups: Iterable[PlacedGroup] | None = None,
) -> list[str]:
    """Every hard-constraint violation of ``schedule`` as a sentence naming ids (see
    ``conflicts``); an empty list means the schedule is valid. Cost O(instance + meetings)."""
    return [c.message for c in conflicts(instance, schedule, groups)]


def move_conflicts(
    instance: Instance,
    schedule: Schedule | Iterable[PlacedMeeting],
    a: str,
    b: str,
    slot: str,
    table: int | None = None,
    online: bool = False,
    groups: Iterable[PlacedGroup] | None = None,
) -> list[Conflict]:
    """Why the meeting of ``a`` and ``b`` cannot go to ``slot`` (and ``table`` if given);
    ``groups`` are the group meetings placed (by default the ``Schedule``'s).
    ``online``: it is held by video, so it takes no table and the slot's tables do not
    limit it (online meetings among ``schedule`` take none either).

    Works both for moving an existing meeting of the pair (its current place is ignored) and
    for adding a new one. Only conflicts the change would cause are listed: a partner busy in
    that slot (naming whom they meet), unavailability, the pair's allowed slots, the table
    taken or missing, no table left, a partner's maximum, a locked meeting moved.
    Empty list: the change is possible. Cost O(instance + meetings)."""
    meetings = list(schedule.meetings if isinstance(schedule, Schedule) else schedule)
    ix = _Index(instance)
    out = _single(ix, a, b, slot, table)
    if any(c.code in ("unknown_participant", "unknown_slot") for c in out):
        return out
    key = pair_key(a, b)
    current = None
    others = []
    for m in meetings:
        if current is None and pair_key(m.a, m.b) == key:
            current = m
        else:
            others.append(m)
    lock = ix.locked.get(key)
    if lock is not None and (lock.slot != slot or (lock.table is not None and table != lock.table)):
        out.append(
            Conflict(
                "locked_moved",
                "the meeting {a}-{b} is locked in slot {slot}"
                + ("" if lock.table is None else " at table {table}"),
                (lock.a, lock.b),
                lock.slot,
                lock.table,
            )
        )
    in_slot = 0
    count = {a: 0, b: 0}
    for m in others:
        for p in (a, b):
            if p in (m.a, m.b):
                count[p] += 1
                if m.slot == slot:
                    third = m.b if m.a == p else m.a
                    out.append(
                        Conflict(
                            "double_booked",
                            "{a} already meets {b} in slot {slot}",
                            (p, third),
                            slot,
                        )
                    )
        if m.slot == slot and not m.online:
            in_slot += 1
            if table is not None and m.table == table:
                out.append(
                    Conflict(
                        "table_taken",
                        "table {table} in slot {slot} is taken by {a}-{b}",
                        (m.a, m.b),
                        slot,
                        table,
                    )
                )
    for g in _groups_of(schedule, groups):
        for p in (a, b):
            if p in g.members:
                count[p] += 1
                if g.slot == slot:
                    out.append(
                        Conflict(
                            "double_booked",
                            "{a} is in group meeting " + _esc(g.id) + " in slot {slot}",
                            (p,),
                            slot,
                        )
                    )
        if g.slot == slot:
            in_slot += 1
            if table is not None and g.table == table:
                out.append(
                    Conflict(
                        "table_taken",
                        "table {table} in slot {slot} is taken by group meeting " + _esc(g.id),
                        (),
                        slot,
                        table,
                    )
                )
    if not online and in_slot >= ix.slots[slot].tables:
        out.append(
            Conflict(
                "slot_full",
                f"all {ix.slots[slot].tables} tables of slot {{slot}} are taken",
                (),
                slot,
            )
        )
    for p in (a, b):
        if count[p] + 1 > ix.maximum(p):
            out.append(
                Conflict(
                    "over_maximum",
                    f"{{a}} already has {count[p]} meetings, maximum {ix.maximum(p)}",
                    (p,),
                )
            )
    return out


def count_breaks(
    instance: Instance,
    schedule: Schedule | Iterable[PlacedMeeting],
    groups: Iterable[PlacedGroup] | None = None,
) -> dict[str, int]:
    """Breaks per participant id (every participant, 0 if none): a break is a run of idle
    slots between two of its meetings on the same day, slots in (day, start) order. Unknown
    slots are ignored. Cost O(slots + meetings)."""
    meetings = list(schedule.meetings if isinstance(schedule, Schedule) else schedule)
    order = sorted(instance.slots, key=lambda s: (s.day, s.start))
    position = {s.id: i for i, s in enumerate(order)}
    used: dict[str, list[int]] = {p.id: [] for p in instance.participants}
    for m in meetings:
        if m.slot in position:
            for p in (m.a, m.b):
                used.setdefault(p, []).append(position[m.slot])
    for g in _groups_of(schedule, groups):
        if g.slot in position:
            for p in g.members:
                used.setdefault(p, []).append(position[g.slot])
    out = {}
    for pid, positions in used.items():
        positions.sort()
        n = 0
        for i, j in zip(positions, positions[1:], strict=False):
            if j > i + 1 and order[i].day == order[j].day:
                n += 1
        out[pid] = n
    return out
