"""Which entries of an instance are meetings: their ids, repeated pairs, the candidate each
locked meeting satisfies, the precedences (``after``) between them, and the locked meetings
that contradict a restriction. Shared by validation, the solver (``core.build``) and ``check``,
so the three agree on every rule.

Rules (docs/scheduling.md, "Meetings, ids, repeats and precedences"):

- ids: an entry's explicit ``id``, else ``c<i>`` for ``candidates[i]`` and ``l<j>`` for
  ``locked[j]``; unique across candidates and locked meetings.
- repeats: in fixed-meetings mode every candidate is a meeting. In the normal mode, when at
  least two candidates of a pair carry explicit ids, each of those is a meeting (the
  organizer's "meet twice") and the pair's others are duplicates; otherwise the pair is one
  meeting, the best class and then the heaviest wins (first given on a tie), the others are
  ``duplicate_pair``.
- each locked meeting satisfies the first kept candidate of its pair not yet satisfied
  (input order), or none (a manual meeting).
- precedences: ``after`` on X lists meetings that must be in a strictly earlier slot than X
  (slots ordered by day, start) when both are placed. Ids resolve to *nodes*: a locked
  meeting, or a kept candidate not satisfied by a lock; a candidate satisfied by a lock is
  that lock; a duplicate drops out (it is never placed).
"""

from __future__ import annotations

from dataclasses import dataclass

from matchmaker.scheduling.model import (
    CONFLICT_NOT_ALLOWED,
    CONFLICT_ORDER,
    CONFLICT_UNAVAILABLE,
    PRIORITIES,
    Instance,
    InstanceError,
    LockConflict,
    pair_key,
)

#: A node: ("c", candidate position) or ("l", locked position).
Node = tuple[str, int]


@dataclass(frozen=True)
class MeetingIndex:
    cand_ids: tuple[str, ...]  # id of every candidate (explicit or generated)
    lock_ids: tuple[str, ...]  # id of every locked meeting
    kept: tuple[int, ...]  # candidate positions that are meetings, input order
    duplicates: tuple[int, ...]  # candidate positions left out as duplicate_pair
    lock_cand: tuple[int, ...]  # per lock: the candidate position it satisfies, or -1
    node_of: dict[str, Node]  # every id -> its node (duplicates absent)
    order: tuple[tuple[Node, Node], ...]  # (earlier, later) between nodes, deduplicated
    allowed: dict[tuple[str, str], int]  # meetings each pair may have

    def meeting_id(self, node: Node) -> str:
        """The id a placed meeting carries: a lock's explicit id, else the explicit id of the
        candidate it satisfies, else its generated id; a candidate's id."""
        kind, i = node
        if kind == "c":
            return self.cand_ids[i]
        return self.lock_ids[i]


def _rank(instance: Instance, i: int) -> tuple[int, float, int]:
    c = instance.candidates[i]
    rank = PRIORITIES.index(c.priority) if c.priority in PRIORITIES else len(PRIORITIES)
    return (rank, -c.weight, i)


def index(instance: Instance) -> MeetingIndex:
    """Resolve ids, repeats, lock matching and precedences of ``instance`` (see the module
    doc). Raises ``InstanceError`` naming the culprit for a duplicate id, an unknown id in
    ``after`` or a cycle of precedences. Cost O(candidates + locked + precedences)."""
    cands, locks = instance.candidates, instance.locked
    fixed = instance.options.fixed_meetings
    seen: dict[str, str] = {}

    def claim(ident: str, where: str) -> None:
        if ident in seen:
            raise InstanceError(f"{where}: id {ident!r} is also the id of {seen[ident]}")
        seen[ident] = where

    for i, c in enumerate(cands):
        if c.id is not None:
            claim(c.id, f"candidates[{i}]")
    for j, m in enumerate(locks):
        if m.id is not None:
            claim(m.id, f"locked[{j}]")
    cand_ids = []
    for i, c in enumerate(cands):
        if c.id is None:
            claim(f"c{i}", f"candidates[{i}] (generated id)")
        cand_ids.append(c.id if c.id is not None else f"c{i}")
    generated_lock = []
    for j, m in enumerate(locks):
        if m.id is None:
            claim(f"l{j}", f"locked[{j}] (generated id)")
        generated_lock.append(m.id if m.id is not None else f"l{j}")

    groups: dict[tuple[str, str], list[int]] = {}
    for i, c in enumerate(cands):
        groups.setdefault(pair_key(c.a, c.b), []).append(i)
    kept: list[int] = []
    duplicates: list[int] = []
    for members in groups.values():
        explicit = [i for i in members if cands[i].id is not None]
        if fixed or len(members) == 1:
            kept += members
        elif len(explicit) >= 2:
            kept += explicit
            duplicates += [i for i in members if cands[i].id is None]
        else:
            best = min(members, key=lambda i: _rank(instance, i))
            kept.append(best)
            duplicates += [i for i in members if i != best]
    kept.sort()
    duplicates.sort()

    open_of: dict[tuple[str, str], list[int]] = {}
    for i in kept:
        open_of.setdefault(pair_key(cands[i].a, cands[i].b), []).append(i)
    allowed = {key: len(v) for key, v in open_of.items()}
    lock_cand = []
    lock_ids = []
    for j, m in enumerate(locks):
        key = pair_key(m.a, m.b)
        waiting = open_of.get(key)
        if waiting:
            i = waiting.pop(0)
            lock_cand.append(i)
            lock_ids.append(m.id if m.id is not None else cands[i].id or generated_lock[j])
        else:
            lock_cand.append(-1)
            lock_ids.append(generated_lock[j])
            allowed[key] = allowed.get(key, 0) + 1

    satisfied = {i: j for j, i in enumerate(lock_cand) if i >= 0}
    node_of: dict[str, Node] = {}
    for i in kept:
        node_of[cand_ids[i]] = ("l", satisfied[i]) if i in satisfied else ("c", i)
    for j in range(len(locks)):
        node_of[generated_lock[j]] = ("l", j)
        node_of[lock_ids[j]] = ("l", j)
    known = set(cand_ids) | set(generated_lock) | set(lock_ids)
    order: set[tuple[Node, Node]] = set()
    entries = [(f"candidates[{i}]", cand_ids[i], c.after) for i, c in enumerate(cands)] + [
        (f"locked[{j}]", generated_lock[j], m.after) for j, m in enumerate(locks)
    ]
    for where, own, after in entries:
        for ref in after:
            if ref not in known:
                raise InstanceError(f"{where}.after: unknown meeting id {ref!r}")
            if ref == own:
                raise InstanceError(f"{where}.after: meeting {own!r} cannot come after itself")
            late, early = node_of.get(own), node_of.get(ref)
            if late is None or early is None:
                continue  # a duplicate: never placed, its order never applies
            if late == early:
                raise InstanceError(
                    f"{where}.after: {own!r} and {ref!r} are the same meeting (a locked "
                    "meeting satisfies the candidate)"
                )
            order.add((early, late))
    idx = MeetingIndex(
        tuple(cand_ids),
        tuple(lock_ids),
        tuple(kept),
        tuple(duplicates),
        tuple(lock_cand),
        node_of,
        tuple(sorted(order)),
        allowed,
    )
    cycle = _cycle(idx.order)
    if cycle:
        names = " -> ".join(idx.meeting_id(n) for n in cycle)
        raise InstanceError(f"the precedences (after) form a cycle: {names}")
    return idx


def _cycle(order) -> list[Node]:
    """A cycle of the precedence graph as a list of nodes (first repeated last), or []."""
    succ: dict[Node, list[Node]] = {}
    for early, late in order:
        succ.setdefault(early, []).append(late)
    state: dict[Node, int] = {}  # 1: on the path, 2: done
    for start in sorted(succ):
        if state.get(start):
            continue
        path = [start]
        iters = [iter(succ.get(start, ()))]
        state[start] = 1
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iters.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                iters.append(iter(succ.get(nxt, ())))
    return []


def slot_order(instance: Instance) -> dict[str, int]:
    """Position of every slot in time (day, start, then input order)."""
    order = sorted(
        range(len(instance.slots)),
        key=lambda i: (instance.slots[i].day, instance.slots[i].start, i),
    )
    return {instance.slots[i].id: pos for pos, i in enumerate(order)}


def lock_conflicts(instance: Instance, idx: MeetingIndex) -> list[LockConflict]:
    """Locked meetings against the instance: outside the allowed slots of the candidate they
    satisfy, outside a partner's availability, or ordered against another locked meeting the
    wrong way. Cost O(locked + precedences)."""
    out = []
    avail = {p.id: p.slots for p in instance.participants}
    for j, m in enumerate(instance.locked):
        ident = idx.lock_ids[j]
        away = [p for p in (m.a, m.b) if avail.get(p) is not None and m.slot not in avail[p]]
        if away:
            who = " and ".join(away)
            out.append(
                LockConflict(
                    ident,
                    m.a,
                    m.b,
                    m.slot,
                    CONFLICT_UNAVAILABLE,
                    f"{who} {'is' if len(away) == 1 else 'are'} not available in slot "
                    f"{m.slot}; the locked meeting {m.a}-{m.b} is kept there",
                )
            )
        i = idx.lock_cand[j]
        if i >= 0:
            c = instance.candidates[i]
            if c.slots is not None and m.slot not in c.slots:
                out.append(
                    LockConflict(
                        ident,
                        m.a,
                        m.b,
                        m.slot,
                        CONFLICT_NOT_ALLOWED,
                        f"{m.a} and {m.b} asked to meet only in other slots than {m.slot}; "
                        "the locked meeting is kept there",
                    )
                )
    position = slot_order(instance)
    locks = instance.locked
    for early, late in idx.order:
        if early[0] == "l" and late[0] == "l":
            e, lt = locks[early[1]], locks[late[1]]
            if position[e.slot] >= position[lt.slot]:
                out.append(
                    LockConflict(
                        idx.lock_ids[late[1]],
                        lt.a,
                        lt.b,
                        lt.slot,
                        CONFLICT_ORDER,
                        f"the locked meeting {lt.a}-{lt.b} (slot {lt.slot}) must come after "
                        f"{idx.lock_ids[early[1]]} ({e.a}-{e.b}, slot {e.slot})",
                    )
                )
    return out
