"""Indexed form of an instance shared by the stages: integers and slot bitmasks.

Slots are sorted by (day, start) and numbered 0..S-1; a set of slots is a Python int whose
bit ``s`` is slot ``s``. Participants are numbered 0..P-1. Candidates are the meetings of
``meetings.index`` (a pair once, unless the instance repeats it) and split into the *free*
ones the optimiser chooses among and those already satisfied by a locked meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matchmaker.scheduling import meetings
from matchmaker.scheduling.groups import place_groups
from matchmaker.scheduling.model import (
    ACCEPTED,
    MUTUAL,
    PRIORITIES,
    SUGGESTION,
    Candidate,
    Instance,
)

RANK = {p: i for i, p in enumerate(PRIORITIES)}


@dataclass
class Problem:
    instance: Instance
    slot_ids: list[str]
    slot_index: dict[str, int]
    day_of: list[int]  # day number of each slot
    day_masks: list[int]  # slots of each day
    not_day_start: int  # bits of slots that follow another slot of the same day
    tables: list[int]
    person_ids: list[str]
    person_index: dict[str, int]
    avail: list[int]  # slot mask per participant
    max_meetings: list[int]
    target: list[int]  # fairness target per participant (>= 1)
    # locked meetings: (a, b, slot, table or None, candidate index or -1)
    locked: list[tuple[int, int, int, int | None, int]]
    locked_busy: list[int]  # slots taken by locked meetings, per participant
    locked_count: list[int]
    cap_left: list[int]  # tables per slot not taken by locked meetings in the hall
    max_left: list[int]
    # all deduplicated candidates
    cands: list[Candidate]
    ca: list[int]
    cb: list[int]
    allowed: list[int]  # slots the candidate may use (availability & its own slots)
    value: list[float]
    # per candidate: it needs a table (False for an online meeting, which is held by video)
    seated: list[bool] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)  # indices into instance.candidates
    free: list[int] = field(default_factory=list)  # candidates the optimiser may place
    disabled: list[int] = field(default_factory=list)  # suggestions when filling is off
    locked_cand: set[int] = field(default_factory=set)
    # slots a free candidate can use: allowed, not taken by its pair's locked meetings, a
    # table left after locked meetings (0 for candidates satisfied by a lock)
    usable: list[int] = field(default_factory=list)
    input_index: dict[int, int] = field(default_factory=dict)  # candidate -> input position
    bonus: dict[str, float] = field(default_factory=dict)
    fairness: float = 1.0
    all_slots: int = 0
    ids: list[str] = field(default_factory=list)  # meeting id per candidate
    meeting_index: object = None  # meetings.MeetingIndex of the instance
    # precedences (see ``_orders``): free candidates before / after k, and k's slot window
    earlier: list[list[int]] = field(default_factory=list)
    later: list[list[int]] = field(default_factory=list)
    window: list[int] = field(default_factory=list)
    ordered: bool = False  # any precedence between two free candidates
    # group meetings (groups.py): placed ones (group index, members, slot, table), the others
    # with their reasons, members seated in groups per slot, tables per slot before the
    # groups took theirs (``tables`` and ``cap_left`` are what is left for pairs), and the
    # pair candidates whose partners meet in a group (candidate -> group id)
    group_rows: list = field(default_factory=list)
    unplaced_groups: list = field(default_factory=list)
    group_people: list[int] = field(default_factory=list)
    slot_tables: list[int] = field(default_factory=list)
    in_group: dict[int, str] = field(default_factory=dict)

    @property
    def any_online(self) -> bool:
        """Whether some candidate is an online meeting (takes no table)."""
        return not all(self.seated)

    @property
    def n_slots(self) -> int:
        return len(self.slot_ids)

    @property
    def n_people(self) -> int:
        return len(self.person_ids)


def build(instance: Instance) -> Problem:
    """Index ``instance`` (assumed valid). Cost O(P·S + C)."""
    order = sorted(
        range(len(instance.slots)),
        key=lambda i: (instance.slots[i].day, instance.slots[i].start, i),
    )
    slots = [instance.slots[i] for i in order]
    slot_ids = [s.id for s in slots]
    slot_index = {sid: i for i, sid in enumerate(slot_ids)}
    days: dict[str, int] = {}
    day_of = [days.setdefault(s.day, len(days)) for s in slots]
    day_masks = [0] * len(days)
    not_day_start = 0
    for i, d in enumerate(day_of):
        day_masks[d] |= 1 << i
        if i > 0 and day_of[i - 1] == d:
            not_day_start |= 1 << i
    all_slots = (1 << len(slots)) - 1

    def mask(ids) -> int:
        if ids is None:
            return all_slots
        m = 0
        for sid in ids:
            m |= 1 << slot_index[sid]
        return m

    people = instance.participants
    person_ids = [p.id for p in people]
    person_index = {pid: i for i, pid in enumerate(person_ids)}
    avail = [mask(p.slots) for p in people]
    n_slots = len(slots)
    max_meetings = [
        min(n_slots, p.max_meetings) if p.max_meetings is not None else n_slots for p in people
    ]
    opts = instance.options
    target = [
        max(1, p.min_meetings if p.min_meetings is not None else opts.min_meetings) for p in people
    ]

    # which candidates are meetings (repeated pairs), ids, locks, precedences: meetings.py
    midx = meetings.index(instance)
    duplicates = list(midx.duplicates)
    cand_of_input = list(midx.kept)
    cands = [instance.candidates[i] for i in cand_of_input]
    input_index = dict(zip(range(len(cands)), cand_of_input, strict=True))
    k_of_input = {i: k for k, i in enumerate(cand_of_input)}
    ca = [person_index[c.a] for c in cands]
    cb = [person_index[c.b] for c in cands]
    allowed = [avail[a] & avail[b] & mask(c.slots) for c, a, b in zip(cands, ca, cb, strict=True)]

    weights = [c.weight for c in cands]
    wmax = max(weights, default=0.0)
    if wmax <= 0:
        wmax = 1.0
    fairness = opts.fairness_reward if opts.fairness_reward is not None else wmax
    # Class bonuses: placing one meeting of a class outweighs losing three lower ones and the
    # fairness they carry, which is what any local exchange (a's seat, b's seat, one table)
    # can cost; that makes the weighted objective behave lexicographically in practice.
    b_mutual = 4 * wmax + 8 * fairness
    b_accepted = 4 * (b_mutual + wmax) + 8 * fairness
    bonus = {ACCEPTED: b_accepted, MUTUAL: b_mutual}
    value = [bonus.get(c.priority, 0.0) + c.weight for c in cands]

    tables = [s.tables for s in slots]
    locked: list[tuple[int, int, int, int | None, int]] = []
    locked_busy = [0] * len(people)
    locked_count = [0] * len(people)
    cap_left = list(tables)
    locked_cand: set[int] = set()
    for j, lock in enumerate(instance.locked):
        a, b, s = person_index[lock.a], person_index[lock.b], slot_index[lock.slot]
        k = k_of_input.get(midx.lock_cand[j], -1)
        if k >= 0:
            locked_cand.add(k)
        locked.append((a, b, s, lock.table, k))
        for p in (a, b):
            locked_busy[p] |= 1 << s
            locked_count[p] += 1
        if not lock.online:
            cap_left[s] -= 1
    max_left: list[int] = []  # after the groups (below)

    free: list[int] = []
    disabled: list[int] = []
    for k, c in enumerate(cands):
        if k in locked_cand:
            continue
        if c.priority == SUGGESTION and not (opts.fill_with_suggestions or opts.fixed_meetings):
            disabled.append(k)
            continue
        free.append(k)

    prob = Problem(
        instance=instance,
        slot_ids=slot_ids,
        slot_index=slot_index,
        day_of=day_of,
        day_masks=day_masks,
        not_day_start=not_day_start,
        tables=tables,
        person_ids=person_ids,
        person_index=person_index,
        avail=avail,
        max_meetings=max_meetings,
        target=target,
        locked=locked,
        locked_busy=locked_busy,
        locked_count=locked_count,
        cap_left=cap_left,
        max_left=max_left,
        cands=cands,
        ca=ca,
        cb=cb,
        allowed=allowed,
        value=value,
        duplicates=duplicates,
        free=free,
        disabled=disabled,
        locked_cand=locked_cand,
        bonus=bonus,
        fairness=fairness,
        all_slots=all_slots,
        slot_tables=list(tables),
    )
    prob.seated = [not c.online for c in cands]
    prob.tables = list(tables)
    place_groups(prob)  # folds placed groups into locked_busy, locked_count, tables, cap_left
    prob.max_left = [max(0, m - n) for m, n in zip(max_meetings, prob.locked_count, strict=True)]
    open_slots = sum(1 << s for s in range(n_slots) if cap_left[s] > 0)
    prob.input_index = input_index
    prob.meeting_index = midx
    prob.ids = [midx.cand_ids[i] for i in cand_of_input]
    _orders(prob, midx, k_of_input)
    prob.usable = [
        allowed[k]
        & ~locked_busy[ca[k]]
        & ~locked_busy[cb[k]]
        & (open_slots if prob.seated[k] else all_slots)
        & prob.window[k]
        if k not in locked_cand and k not in prob.in_group
        else 0
        for k in range(len(cands))
    ]
    return prob


def _orders(prob: Problem, midx: meetings.MeetingIndex, k_of_input: dict[int, int]) -> None:
    """Precedences as the stages use them: between two free candidates, ``earlier[k]`` /
    ``later[k]`` (slot of each earlier one < slot of k when both are placed); against a locked
    meeting, folded into ``window[k]`` (the slots after every locked predecessor and before
    every locked successor)."""
    n = len(prob.cands)
    prob.earlier = [[] for _ in range(n)]
    prob.later = [[] for _ in range(n)]
    prob.window = [prob.all_slots] * n
    lock_slot = [s for _a, _b, s, _t, _k in prob.locked]
    for early, late in midx.order:
        if early[0] == "l" and late[0] == "l":
            continue  # both fixed: a lock conflict if wrong (meetings.lock_conflicts)
        if early[0] == "l":
            k = k_of_input[late[1]]
            prob.window[k] &= ~((2 << lock_slot[early[1]]) - 1)  # strictly after
        elif late[0] == "l":
            k = k_of_input[early[1]]
            prob.window[k] &= (1 << lock_slot[late[1]]) - 1  # strictly before
        else:
            e, lt = k_of_input[early[1]], k_of_input[late[1]]
            prob.earlier[lt].append(e)
            prob.later[e].append(lt)
    prob.ordered = any(prob.earlier) or any(prob.later)


def breaks_of(mask: int, prob: Problem) -> int:
    """Breaks of one participant whose meetings occupy the slots of ``mask``: per day, the
    number of blocks of consecutive meetings minus one. Cost O(days)."""
    if not mask:
        return 0
    starts = mask & ~((mask << 1) & prob.not_day_start)
    days = 0
    for dm in prob.day_masks:
        if mask & dm:
            days += 1
    return starts.bit_count() - days


def objective(prob: Problem, chosen: list[int], counts: list[int]) -> float:
    """Objective of a schedule: locked meetings and chosen candidates' values plus the fairness
    reward ``fairness * min(target, meetings)`` per participant. ``counts`` are meetings per
    participant, locked included."""
    total = sum(prob.value[k] for k in chosen)
    for lock in prob.locked:
        if lock[4] >= 0:
            total += prob.value[lock[4]]
    total += prob.fairness * sum(min(t, n) for t, n in zip(prob.target, counts, strict=True))
    return total
