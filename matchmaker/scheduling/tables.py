"""Tables, slot by slot: locked tables first, then an assignment (``linear_sum_assignment``)
that seats each meeting where its participants sat last on that day, then any free table."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment


def assign_tables(
    meetings: list[tuple[int, int, int, int | None]],
    n_slots: int,
    tables: list[int],
    day_of: list[int],
) -> list[int]:
    """Give each meeting (a, b, slot, fixed table or None) a table in 1..tables[slot].

    Processes slots in time order; a participant's *home* is the table of its latest meeting
    that day. Maximises, per slot, the number of participants who stay at their home table
    (assignment problem on the meetings with a home × the home tables, plus "elsewhere"
    columns), then hands out the remaining tables in order. Assumes at most ``tables[s]``
    meetings per slot and distinct fixed tables. Returns the tables in input order.
    Cost O(S · n_s³) on the meetings that have a home, usually far fewer than all."""
    by_slot: list[list[int]] = [[] for _ in range(n_slots)]
    for i, (_a, _b, s, _t) in enumerate(meetings):
        by_slot[s].append(i)
    result = [0] * len(meetings)
    home: dict[int, int] = {}
    day = -1
    for s in range(n_slots):
        if day_of[s] != day:
            day = day_of[s]
            home = {}
        idx = by_slot[s]
        if not idx:
            continue
        taken: set[int] = set()
        rest = []
        for i in idx:
            t = meetings[i][3]
            if t is not None:
                result[i] = t
                taken.add(t)
            else:
                rest.append(i)
        wants = []
        cols: dict[int, int] = {}
        for i in rest:
            a, b = meetings[i][0], meetings[i][1]
            w = {}
            for p in (a, b):
                t = home.get(p)
                if t is not None and t not in taken and t <= tables[s]:
                    w[t] = w.get(t, 0) + 1
            if w:
                wants.append((i, w))
                for t in w:
                    cols.setdefault(t, len(cols))
        if wants:
            n = len(wants)
            cost = np.zeros((n, len(cols) + n))
            for r, (_i, w) in enumerate(wants):
                for t, gain in w.items():
                    cost[r, cols[t]] = -gain
            rows, cs = linear_sum_assignment(cost)
            col_table = {c: t for t, c in cols.items()}
            for r, c in zip(rows, cs, strict=True):
                if c in col_table and cost[r, c] < 0:
                    result[wants[r][0]] = col_table[c]
                    taken.add(col_table[c])
        free = (t for t in range(1, tables[s] + 1) if t not in taken)
        for i in rest:
            if result[i] == 0:
                result[i] = next(free)
        for i in idx:
            home[meetings[i][0]] = result[i]
            home[meetings[i][1]] = result[i]
    return result


def table_moves(meetings: list[tuple[int, int, int, int]], day_of: list[int]) -> int:
    """Times a participant sits at a different table than at its previous meeting that day."""
    seq: dict[int, list[tuple[int, int]]] = {}
    for a, b, s, t in meetings:
        seq.setdefault(a, []).append((s, t))
        seq.setdefault(b, []).append((s, t))
    moves = 0
    for items in seq.values():
        items.sort()
        for (s0, t0), (s1, t1) in zip(items, items[1:], strict=False):
            if day_of[s0] == day_of[s1] and t0 != t1:
                moves += 1
    return moves
