"""Seeded synthetic brokerage events, for tests and benchmarks (not used by ``solve``)."""

from __future__ import annotations

import random

from matchmaker.scheduling.model import (
    ACCEPTED,
    MUTUAL,
    ONE_SIDED,
    SUGGESTION,
    Candidate,
    Instance,
    LockedMeeting,
    Options,
    Participant,
    Slot,
)


def make_slots(n_slots: int, tables: int, days: int | None = None) -> list[Slot]:
    """``n_slots`` slots of 25 minutes every 30 minutes, split evenly over ``days`` days (1 up
    to 16 slots, else 2), each day's morning and afternoon separated by lunch."""
    if days is None:
        days = 1 if n_slots <= 16 else 2
    per_day = [n_slots // days + (1 if d < n_slots % days else 0) for d in range(days)]
    out = []
    for d, n in enumerate(per_day):
        morning = (n + 1) // 2
        for i in range(n):
            minutes = 9 * 60 + 30 * i + (90 if i >= morning else 0)
            h, m = divmod(minutes, 60)
            h2, m2 = divmod(minutes + 25, 60)
            out.append(
                Slot(
                    f"d{d + 1}-{h:02d}{m:02d}",
                    f"2026-03-{10 + d:02d}",
                    f"{h:02d}:{m:02d}",
                    f"{h2:02d}:{m2:02d}",
                    tables,
                )
            )
    return out


def halves(slots: list[Slot]) -> tuple[frozenset[str], frozenset[str], dict[str, frozenset[str]]]:
    """(mornings, afternoons, slots per day) of ``slots`` as made by ``make_slots``."""
    by_day: dict[str, list[Slot]] = {}
    for s in slots:
        by_day.setdefault(s.day, []).append(s)
    morning, afternoon = set(), set()
    for day_slots in by_day.values():
        day_slots.sort(key=lambda s: s.start)
        half = (len(day_slots) + 1) // 2
        morning |= {s.id for s in day_slots[:half]}
        afternoon |= {s.id for s in day_slots[half:]}
    days = {d: frozenset(s.id for s in v) for d, v in by_day.items()}
    return frozenset(morning), frozenset(afternoon), days


def event(
    participants: int,
    slots: int,
    candidates: int,
    seed: int = 0,
    tables: int | None = None,
    locked: int = 0,
    options: Options | None = None,
) -> Instance:
    """A realistic event: 75 % available all the time, the others a half day or one day;
    maxima 6..16; pairs drawn with skewed popularity; ~10 % accepted requests (at most
    max - 2 per participant), ~10 % mutual, ~20 % one-sided, the rest suggestions; 5 % of
    candidates restricted to mornings or to one day; ``locked`` meetings fixed at random."""
    rng = random.Random(seed)
    if tables is None:
        tables = max(2, round(participants * 0.35))
    slot_list = make_slots(slots, tables)
    morning, afternoon, days = halves(slot_list)
    day_sets = list(days.values())
    people = []
    for i in range(participants):
        r = rng.random()
        if r < 0.75:
            avail = None
        elif r < 0.85:
            avail = morning
        elif r < 0.93 or len(day_sets) == 1:
            avail = afternoon
        else:
            avail = rng.choice(day_sets)
        people.append(Participant(f"p{i}", avail, rng.randint(6, 16)))
    pop = [1.0 / (1 + i) ** 0.5 for i in range(participants)]
    order = list(range(participants))
    rng.shuffle(order)
    weights = [pop[order[i]] for i in range(participants)]
    pairs: set[tuple[int, int]] = set()
    target = min(candidates, participants * (participants - 1) // 2)
    while len(pairs) < target:
        need = target - len(pairs)
        xs = rng.choices(range(participants), weights, k=need + 16)
        ys = rng.choices(range(participants), k=need + 16)
        for x, y in zip(xs, ys, strict=True):
            if x != y:
                pairs.add((min(x, y), max(x, y)))
                if len(pairs) >= target:
                    break
    accepted_of = [0] * participants
    cands = []
    for x, y in sorted(pairs):
        r = rng.random()
        if (
            r < 0.10
            and accepted_of[x] < people[x].max_meetings - 2
            and (accepted_of[y] < people[y].max_meetings - 2)
        ):
            prio, w = ACCEPTED, rng.uniform(0.3, 1.0)
            accepted_of[x] += 1
            accepted_of[y] += 1
        elif r < 0.20:
            prio, w = MUTUAL, rng.uniform(0.3, 1.0)
        elif r < 0.40:
            prio, w = ONE_SIDED, rng.uniform(0.2, 0.9)
        else:
            prio, w = SUGGESTION, rng.uniform(0.1, 0.8)
        own = None
        if rng.random() < 0.05:
            own = morning if rng.random() < 0.5 else rng.choice(day_sets)
        cands.append(Candidate(f"p{x}", f"p{y}", prio, round(w, 4), own))
    locks = []
    busy: set[tuple[str, str]] = set()
    per_slot: dict[str, int] = {}
    avail_of = {p.id: p.slots for p in people}
    for c in rng.sample(cands, min(locked, len(cands))):
        options_ = [
            s.id
            for s in slot_list
            if all(avail_of[p] is None or s.id in avail_of[p] for p in (c.a, c.b))
            and (c.slots is None or s.id in c.slots)
            and (c.a, s.id) not in busy
            and (c.b, s.id) not in busy
            and per_slot.get(s.id, 0) < tables
        ]
        if options_:
            s = rng.choice(options_)
            busy |= {(c.a, s), (c.b, s)}
            per_slot[s] = per_slot.get(s, 0) + 1
            locks.append(LockedMeeting(c.a, c.b, s))
    return Instance(
        tuple(slot_list), tuple(people), tuple(cands), tuple(locks), options or Options()
    )


def b2b_fixed(
    participants: int,
    meetings: int,
    slots: int,
    tables: int,
    seed: int = 0,
    fairness: int | None = 2,
) -> Instance:
    """A fixed-meetings instance of the published B2B shape (one day, morning and afternoon
    sessions; participants available in the morning, the afternoon or both; skewed demand: a
    few participants are in many meetings, most in a few; every meeting must be placed).
    Meetings are drawn so that a feasible agenda exists (a random agenda is built first), then
    only their pairs are kept."""
    rng = random.Random(seed)
    slot_list = make_slots(slots, tables, days=1)
    morning, afternoon, _days = halves(slot_list)
    order = [s.id for s in slot_list]
    avail = []
    for _ in range(participants):
        r = rng.random()
        avail.append(None if r < 0.6 else (morning if r < 0.8 else afternoon))
    # some participants are much sought after, most have a few meetings (as in real forums)
    popularity = [1.0 / (1 + i) ** 0.8 for i in range(participants)]
    rng.shuffle(popularity)
    for _attempt in range(200):
        busy: set[tuple[int, str]] = set()
        load = dict.fromkeys(order, 0)
        pairs: set[tuple[int, int]] = set()
        tries = 0
        while len(pairs) < meetings and tries < meetings * 200:
            tries += 1
            x = rng.choices(range(participants), popularity)[0]
            y = rng.randrange(participants)
            if x == y:
                continue
            key = (min(x, y), max(x, y))
            if key in pairs:
                continue
            free = [
                s
                for s in order
                if load[s] < tables
                and (x, s) not in busy
                and (y, s) not in busy
                and (avail[x] is None or s in avail[x])
                and (avail[y] is None or s in avail[y])
            ]
            if not free:
                continue
            s = rng.choice(free)
            busy |= {(x, s), (y, s)}
            load[s] += 1
            pairs.add(key)
        if len(pairs) == meetings:
            break
    people = tuple(Participant(f"p{i}", avail[i]) for i in range(participants))
    cands = tuple(Candidate(f"p{x}", f"p{y}", ACCEPTED, 1.0) for x, y in sorted(pairs))
    opts = Options(fixed_meetings=True, break_fairness=fairness)
    return Instance(tuple(slot_list), people, cands, (), opts)
