"""Group meetings (three or more members at one table): placed before the pairs.

Each group takes one slot where every member is available, free of locked meetings and of
the groups placed before it, and under its maximum, at one table with a seat for every
member that no locked meeting or group uses in that slot. Then the group is folded into the
indexed problem exactly like a locked meeting of each member (``locked_busy``,
``locked_count``), and its table leaves the slot (``tables`` and ``cap_left`` drop by one),
so every later stage (selection, placement, break reduction, the exact break model) works on
the pairs as before and counts the group's slot as busy for its members' breaks. A pair
candidate between two members of a placed group is dropped (they meet in the group), except
in fixed-meetings mode, where every candidate is required. Before and after the annealing,
``improve_groups`` moves a group to another slot when that cuts its members' breaks.

Greedy, larger groups first: among the slots a group may use it takes the one that adds the
fewest breaks to its members' locked meetings and earlier groups, then the one with most
tables left, then the earliest; at it, the smallest table that seats everyone. Groups first
then pairs is a choice, not an optimum: a group never makes a locked meeting impossible, but
it may take a slot or a table a pair would have used.
"""

from __future__ import annotations

from matchmaker.scheduling.model import (
    DEFAULT_SEATS,
    REASON_DISPLACED,
    REASON_MAXIMUM,
    REASON_NO_COMMON_SLOT,
    REASON_NO_TABLE,
    Group,
    UnplacedGroup,
)


def _slot_list(prob, mask: int, limit: int = 4) -> str:
    ids = [prob.slot_ids[s] for s in range(prob.n_slots) if (mask >> s) & 1]
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return ", ".join(ids[:limit]) + more


def place_groups(prob) -> None:
    """Place ``prob.instance.groups`` and fold them into ``prob`` (see the module docstring).
    Sets ``prob.group_rows`` [(group index, member indices, slot, table)],
    ``prob.unplaced_groups`` and ``prob.group_people`` (members seated per slot).
    Cost O(G · S · (members + tables))."""
    from matchmaker.scheduling.core import breaks_of

    instance = prob.instance
    groups: tuple[Group, ...] = instance.groups
    prob.group_people = [0] * prob.n_slots
    if not groups:
        return
    seats = {t.number: t.seats for t in instance.tables}
    default = DEFAULT_SEATS
    used: list[set[int]] = [set() for _ in range(prob.n_slots)]
    for _a, _b, s, t, _k in prob.locked:
        if t is not None:
            used[s].add(t)
    start_busy = list(prob.locked_busy)
    order = sorted(range(len(groups)), key=lambda g: (-len(groups[g].members), g))
    unplaced: list[tuple[int, UnplacedGroup]] = []
    for g in order:
        group = groups[g]
        members = [prob.person_index[m] for m in group.members]
        n = len(members)
        full = [p for p in members if prob.locked_count[p] >= prob.max_meetings[p]]
        common = prob.all_slots
        never = prob.all_slots
        for p in members:
            common &= prob.avail[p] & ~prob.locked_busy[p]
            never &= prob.avail[p] & ~start_busy[p]
        best = None
        for s in range(prob.n_slots):
            if full or not (common >> s) & 1 or prob.cap_left[s] < 1:
                continue
            fits = [
                (seats.get(t, default), t)
                for t in range(1, prob.slot_tables[s] + 1)
                if t not in used[s] and seats.get(t, default) >= n
            ]
            if not fits:
                continue
            added = sum(
                breaks_of(prob.locked_busy[p] | (1 << s), prob)
                - breaks_of(prob.locked_busy[p], prob)
                for p in members
            )
            key = (added, -prob.cap_left[s], s)
            if best is None or key < best[0]:
                best = (key, s, min(fits)[1])
        if best is None:
            unplaced.append((g, _why(prob, group, members, full, common, never)))
            continue
        _key, s, t = best
        used[s].add(t)
        for p in members:
            prob.locked_busy[p] |= 1 << s
            prob.locked_count[p] += 1
        prob.cap_left[s] -= 1
        prob.tables[s] -= 1
        prob.group_people[s] += n
        prob.group_rows.append((g, members, s, t))
    prob.group_rows.sort(key=lambda row: row[0])
    unplaced.sort(key=lambda item: item[0])
    prob.unplaced_groups = [u for _g, u in unplaced]
    # a pair of members of one placed group meets there (in fixed-meetings mode every
    # candidate is required: it meets as a pair too)
    if instance.options.fixed_meetings:
        return
    together: dict[tuple[int, int], str] = {}
    for g, members, _s, _t in prob.group_rows:
        for i, p in enumerate(members):
            for q in members[i + 1 :]:
                together.setdefault((min(p, q), max(p, q)), groups[g].id)
    for k in list(prob.free):
        key = (min(prob.ca[k], prob.cb[k]), max(prob.ca[k], prob.cb[k]))
        if key in together:
            prob.in_group[k] = together[key]
    if prob.in_group:
        prob.free = [k for k in prob.free if k not in prob.in_group]


def _why(prob, group: Group, members, full, common: int, never: int) -> UnplacedGroup:
    pid = prob.person_ids
    names = ", ".join(group.members)
    n = len(members)
    if full:
        reason = REASON_MAXIMUM
        detail = "; ".join(
            f"{pid[p]} already has {prob.locked_count[p]} meetings (maximum {prob.max_meetings[p]})"
            for p in full
        )
    elif not never:
        reason = REASON_NO_COMMON_SLOT
        detail = (
            f"the members of group {group.id} ({names}) are never all available and free of "
            "locked meetings at the same time"
        )
    elif not common:
        reason = REASON_DISPLACED
        detail = (
            f"in every slot the members of group {group.id} share "
            f"({_slot_list(prob, never)}), one of them is in another group meeting"
        )
    else:
        reason = REASON_NO_TABLE
        detail = (
            f"no table with {n} seats is free in the slots where all members of group "
            f"{group.id} are free ({_slot_list(prob, common)})"
        )
    return UnplacedGroup(group.id, group.members, reason, detail, group.title)


def improve_groups(st, rounds: int = 3) -> int:
    """Move placed groups to other slots where that cuts their members' breaks, the pairs of
    ``st`` staying where they are: a slot where every member is available and free, the slot
    has a table left and a free one seats everyone. Keeps ``prob`` (locked_busy, tables,
    cap_left, usable, group_rows) and ``st`` consistent; run it before the break stages so
    their figures hold for the groups' final slots. Returns the moves made.
    Cost O(rounds · G · S · (members + tables + candidates of members))."""
    from matchmaker.scheduling.core import breaks_of

    prob = st.prob
    if not prob.group_rows:
        return 0
    seats = {t.number: t.seats for t in prob.instance.tables}
    fixed: list[set[int]] = [set() for _ in range(prob.n_slots)]
    for _a, _b, s, t, _k in prob.locked:
        if t is not None:
            fixed[s].add(t)
    of_person: dict[int, list[int]] = {}
    for k in range(len(prob.cands)):
        of_person.setdefault(prob.ca[k], []).append(k)
        of_person.setdefault(prob.cb[k], []).append(k)
    moves = 0
    for _ in range(rounds):
        moved = False
        for i, (g, members, s, _t) in enumerate(prob.group_rows):
            n = len(members)
            best = None
            before = sum(breaks_of(st.busy[p], prob) for p in members)
            free = prob.all_slots
            for p in members:
                free &= prob.avail[p] & ~st.busy[p]
            for s2 in range(prob.n_slots):
                if not (free >> s2) & 1 or st.load[s2] >= prob.tables[s2]:
                    continue
                taken = fixed[s2] | {row[3] for row in prob.group_rows if row[2] == s2}
                fits = [
                    (seats.get(x, DEFAULT_SEATS), x)
                    for x in range(1, prob.slot_tables[s2] + 1)
                    if x not in taken and seats.get(x, DEFAULT_SEATS) >= n
                ]
                if not fits:
                    continue
                swap = (1 << s) | (1 << s2)
                after = sum(breaks_of(st.busy[p] ^ swap, prob) for p in members)
                if after < before and (best is None or after < best[0]):
                    best = (after, s2, min(fits)[1])
            if best is None:
                continue
            _after, s2, t2 = best
            swap = (1 << s) | (1 << s2)
            for p in members:
                st.busy[p] ^= swap
                prob.locked_busy[p] ^= swap
                del st.occ[p][s]
                st.occ[p][s2] = -1
                for k in of_person.get(p, ()):
                    prob.usable[k] &= ~(1 << s2)
            for slot, change in ((s, 1), (s2, -1)):
                prob.tables[slot] += change
                prob.cap_left[slot] += change
                prob.group_people[slot] -= change * n
                if st.load[slot] < prob.tables[slot]:
                    st.open |= 1 << slot
                else:
                    st.open &= ~(1 << slot)
            prob.group_rows[i] = (g, members, s2, t2)
            moves += 1
            moved = True
        if not moved:
            break
    return moves
