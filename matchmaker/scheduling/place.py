"""Slot placement heuristic: most-constrained first, relocation (Kempe-style) repair,
displacement of lighter meetings, then a fill pass over every candidate left.

All operations keep the schedule feasible. Slot sets are int bitmasks (see ``core``).
"""

from __future__ import annotations

import heapq

from matchmaker.scheduling.core import Problem


class State:
    """A feasible partial schedule: which free candidate sits in which slot, and the
    occupancy it implies (locked meetings included). Every mutation keeps it feasible."""

    def __init__(self, prob: Problem):
        self.prob = prob
        P, S = prob.n_people, prob.n_slots
        self.busy = list(prob.locked_busy)
        self.count = list(prob.locked_count)
        self.load = [prob.tables[s] - prob.cap_left[s] for s in range(S)]
        self.open = sum(1 << s for s in range(S) if prob.cap_left[s] > 0)
        self.occ: list[dict[int, int]] = [{} for _ in range(P)]  # slot -> candidate (or -1)
        for a, b, s, _t, _k in prob.locked:
            self.occ[a][s] = -1
            self.occ[b][s] = -1
        for _g, members, s, _t in prob.group_rows:
            for p in members:
                self.occ[p][s] = -1
        self.slot_of = [-1] * len(prob.cands)

    def free_slots(self, k: int) -> int:
        p = self.prob
        free = p.usable[k] & ~self.busy[p.ca[k]] & ~self.busy[p.cb[k]]
        if p.seated[k]:
            free &= self.open
        return free & self.order_mask(k) if p.ordered else free

    def order_mask(self, k: int) -> int:
        """Slots where ``k`` keeps its precedences with the placed candidates: after every
        placed earlier one, before every placed later one (locked ones are in ``usable``)."""
        p = self.prob
        m = p.all_slots
        for j in p.earlier[k]:
            if self.slot_of[j] >= 0:
                m &= ~((2 << self.slot_of[j]) - 1)
        for j in p.later[k]:
            if self.slot_of[j] >= 0:
                m &= (1 << self.slot_of[j]) - 1
        return m

    def room(self, k: int) -> bool:
        p = self.prob
        return self.count[p.ca[k]] < p.max_meetings[p.ca[k]] and (
            self.count[p.cb[k]] < p.max_meetings[p.cb[k]]
        )

    def place(self, k: int, s: int) -> None:
        p = self.prob
        a, b = p.ca[k], p.cb[k]
        bit = 1 << s
        self.busy[a] |= bit
        self.busy[b] |= bit
        self.count[a] += 1
        self.count[b] += 1
        self.occ[a][s] = k
        self.occ[b][s] = k
        if p.seated[k]:  # an online meeting takes no table
            self.load[s] += 1
            if self.load[s] >= p.tables[s]:
                self.open &= ~bit
        self.slot_of[k] = s

    def remove(self, k: int) -> int:
        p = self.prob
        s = self.slot_of[k]
        a, b = p.ca[k], p.cb[k]
        bit = 1 << s
        self.busy[a] &= ~bit
        self.busy[b] &= ~bit
        self.count[a] -= 1
        self.count[b] -= 1
        del self.occ[a][s]
        del self.occ[b][s]
        if p.seated[k]:
            self.load[s] -= 1
            self.open |= bit
        self.slot_of[k] = -1
        return s

    def move(self, k: int, s: int) -> None:
        self.remove(k)
        self.place(k, s)

    def best_slot(self, k: int, free: int) -> int:
        """Pick a slot of ``free`` that keeps days compact: next to both partners' meetings,
        else next to one's, else the earliest."""
        p = self.prob
        nds = p.not_day_start
        ba, bb = self.busy[p.ca[k]], self.busy[p.cb[k]]
        adj_a = ((ba << 1) & nds) | ((ba & nds) >> 1)
        adj_b = ((bb << 1) & nds) | ((bb & nds) >> 1)
        for tier in (free & adj_a & adj_b, free & (adj_a | adj_b), free):
            if tier:
                return (tier & -tier).bit_length() - 1
        return -1

    def relocate_into(self, k: int, s: int, locked_ok: bool = False) -> bool:
        """Place ``k`` in ``s`` after moving the partners' meetings there to other slots.
        True on success (then the schedule changed), False with nothing changed."""
        p = self.prob
        a, b = p.ca[k], p.cb[k]
        blockers = {self.occ[a].get(s, -2), self.occ[b].get(s, -2)} - {-2}
        if -1 in blockers:
            return False  # a locked meeting is there
        if not blockers and p.seated[k] and not (self.open >> s) & 1:
            return False
        moves = []
        for m in blockers:
            self.remove(m)
            moves.append(m)
        targets = []
        ok = True
        for m in moves:
            t_free = self.free_slots(m) & ~(1 << s)
            if not t_free:
                ok = False
                break
            t = self.best_slot(m, t_free)
            self.place(m, t)
            targets.append(m)
        if (
            ok
            and (not p.seated[k] or (self.open >> s) & 1)
            and (self.order_mask(k) >> s) & 1
            and not (self.busy[a] >> s) & 1
            and not (self.busy[b] >> s) & 1
        ):
            self.place(k, s)
            return True
        for m in targets:
            self.remove(m)
        for m in moves:
            self.place(m, s)
        return False

    def try_add(self, k: int) -> bool:
        """Place candidate ``k`` directly or by relocating its partners' meetings."""
        if self.slot_of[k] >= 0 or not self.room(k):
            return False
        free = self.free_slots(k)
        if free:
            self.place(k, self.best_slot(k, free))
            return True
        m = self.prob.usable[k] & self.order_mask(k)
        while m:
            low = m & -m
            m ^= low
            if self.relocate_into(k, low.bit_length() - 1):
                return True
        return False

    def displace_for(self, k: int) -> list[int]:
        """Place ``k`` by removing lighter meetings of its partners in one slot (the lightest
        total). Returns the removed candidates ([] and unchanged if no such slot)."""
        p = self.prob
        if not self.room(k):
            return []
        a, b = p.ca[k], p.cb[k]
        best, best_loss = -1, p.value[k]
        m = p.usable[k] & self.order_mask(k)
        while m:
            low = m & -m
            m ^= low
            s = low.bit_length() - 1
            blockers = {self.occ[a].get(s, -2), self.occ[b].get(s, -2)} - {-2}
            full = p.seated[k] and not (self.open >> s) & 1
            # a full slot takes k only if a blocker leaves a table (an online one does not)
            if -1 in blockers or (full and not any(p.seated[x] for x in blockers)):
                continue
            loss = sum(p.value[x] for x in blockers)
            if loss < best_loss:
                best, best_loss = s, loss
        if best < 0:
            return []
        removed = [x for x in {self.occ[a].get(best, -2), self.occ[b].get(best, -2)} if x >= 0]
        for x in removed:
            self.remove(x)
        self.place(k, best)
        return removed


def place_selection(prob: Problem, selected: list[int]) -> State:
    """Place the selected candidates into slots, most constrained first (fewest common free
    slots, then the most valuable), repairing by relocation and displacement; then fill with
    every other free candidate, most valuable first. Cost O((C + E·deg)·log E) set operations."""
    st = State(prob)
    by_person: list[list[int]] = [[] for _ in range(prob.n_people)]
    for k in selected:
        by_person[prob.ca[k]].append(k)
        by_person[prob.cb[k]].append(k)
    # keys only shrink as meetings are placed; a stale key is refreshed when popped
    heap = [(st.free_slots(k).bit_count(), -prob.value[k], k) for k in selected]
    heapq.heapify(heap)
    done = set()
    later: list[int] = []
    while heap:
        key, negv, k = heapq.heappop(heap)
        if k in done:
            continue
        free = st.free_slots(k)
        n = free.bit_count()
        if n != key:
            heapq.heappush(heap, (n, negv, k))
            continue
        done.add(k)
        if not st.room(k):
            later.append(k)
            continue
        if free:
            s = st.best_slot(k, free)
            st.place(k, s)
            bit = 1 << s
            for p in (prob.ca[k], prob.cb[k]):
                for j in by_person[p]:
                    if j not in done and st.free_slots(j) != 0 and prob.usable[j] & bit:
                        heapq.heappush(heap, (st.free_slots(j).bit_count(), -prob.value[j], j))
            continue
        if st.try_add(k):
            continue
        later.append(k)
    fill(st, later)
    return st


def fill(st: State, first: list[int] | None = None) -> None:
    """Add every unplaced free candidate that fits, most valuable first; a valuable one that
    does not fit may displace lighter meetings, which then get their own chance."""
    prob = st.prob
    order = sorted(
        (k for k in prob.free if st.slot_of[k] < 0 and prob.usable[k]),
        key=lambda k: -prob.value[k],
    )
    pending = list(order)
    rounds = 0
    while pending and rounds < 3:
        rounds += 1
        again: list[int] = []
        for k in pending:
            if st.slot_of[k] >= 0:
                continue
            if st.try_add(k):
                continue
            removed = st.displace_for(k)
            if removed:
                for x in removed:
                    if not st.try_add(x):
                        again.append(x)
        pending = sorted(set(again), key=lambda k: -prob.value[k])
