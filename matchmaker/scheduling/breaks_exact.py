"""Exact break minimisation for a fixed set of meetings: a CP-SAT "block" model searched
bottom-up.

The model follows the Boolean view of the MaxSAT encodings of the B2B meeting scheduling
problem (Bofill, Coll, Garcia, Giráldez-Cru, Pesant, Suy, Villaret, JAIR 2022): each
participant's day is a sequence of busy and idle slots.

- ``x[k, s]``: meeting ``k`` in slot ``s`` (only slots it may use); exactly one per meeting;
  at most the tables left after locked meetings per slot.
- ``busy[p, s]`` = sum of ``x`` over p's meetings (constant 1 for a locked meeting, 0 where p
  cannot meet); exactly ``n_p`` busy slots per participant (implied).
- ``ended[p, s]``: p meets in ``s`` or later that day (a suffix OR, as clauses).
- a break starts in ``s`` iff p is busy in ``s - 1``, idle in ``s`` and ``ended[p, s + 1]``;
  breaks(p) = number of break starts = blocks of consecutive meetings - 1 per day, the
  definition of ``core.breaks_of``. The objective is the sum of these literals.

Implied constraints (``implied=True``), stated for a literal ``nb[p, day]`` = "no break that
day" (true when every break-start literal of the day is false):

- span: ``nb ∧ busy[a] → ¬busy[c]`` for slots at least ``n_p`` apart;
- interval: for participants who can only meet on one day, an order encoding ``F[i]`` <->
  "first meeting at or before slot i"; under ``nb`` ``busy[i] <-> F[i] ∧ ¬F[i - n_p]``, so the
  whole day of a break-free participant hangs on one integer (its first slot);
- the break-start clauses themselves make every slot between two busy ones busy;
- per slot, participants busy <= 2 x tables (each meeting seats two): the table rows
  summed over participants. Redundant, yet it is what lets CP-SAT refute "no break at all"
  on the denser benchmark instances in under a second (60/200, 70/240: > 25 s without).

``max - min <= fairness`` becomes ``breaks(p) <= fairness`` for everyone when somebody surely
has no break (one meeting), else ``hi``/``lo`` variables.

Search (``solve_exact``): the model's LP bound is 0 and core-based search hardly moves it on
the benchmark instances, but "at most k breaks" as a hard constraint is settled much faster
(for k = 0 presolve fixes every break literal and the clauses become implications). So the
lower bound is raised bottom-up, k = 0, 1, ..., each step a feasibility question; the first
feasible k is the optimum. If that leaves a gap, half the time left (fixed meetings only)
goes to the breaker-set step (``breaker_search``: the two thirds of participants with the
most meetings must have no break, the others' breaks are minimised, a restriction that
CP-SAT searches much faster), and the rest to the plain minimisation (LNS from the best
agenda so far) with the proved bound as a constraint.

``break_free_possible`` asks a relaxation, "can these participants all have no break at
once?" (the others keep their meetings, their breaks are not counted); the benchmark uses it
to locate where breaks come from (see docs/scheduling.md, Limits).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from matchmaker.scheduling.core import breaks_of
from matchmaker.scheduling.place import State

#: CP-SAT subsolvers of the bottom-up steps ("at most k breaks?"): SAT search without LP.
BOTTOM_UP_SUBSOLVERS = ["no_lp", "core"]
#: Hint the bottom-up steps with the agenda being improved (it breaks the bound k, but
#: CP-SAT repairs from it: instance 55/190 of the benchmark, 0 breaks in 1.7 s instead of 9 s).
BOTTOM_UP_HINT = True
#: Add per slot: participants busy <= 2 x tables (the table rows summed over participants).
AGGREGATE_SLOTS = True
#: Breaker-set step: this share of the participants who could break, those with the most
#: meetings, must have none; the others' breaks are minimised (see ``breaker_search``).
BREAKER_HEAVY = 2 / 3
#: Share of the time left after the bottom-up steps given to the breaker-set step (0: off).
BREAKER_SHARE = 0.5
#: Race the SAT questions of ``breaks_sat`` (CaDiCaL) against CP-SAT (see ``solve_exact``).
USE_SAT = True


@dataclass
class BlockModel:
    """The CP-SAT model of ``build`` and what is needed to read it back."""

    model: object
    x: dict[tuple[int, int], object]
    objective: list  # break-start literals
    constant: int  # break starts that are certain
    hints: list = field(default_factory=list)
    complete: bool = False  # every meeting placed in ``st``: the hint is a full agenda
    before: int | None = None  # breaks of that agenda
    fair: bool = True  # that agenda keeps max - min breaks <= fairness
    lits_of: dict[int, list] = field(default_factory=dict)  # break-start literals per person
    meetings_of: dict[int, int] = field(default_factory=dict)  # meetings per participant


def build(
    st: State,
    fairness: int | None = None,
    meetings: list[int] | None = None,
    implied: bool = True,
    counted: set[int] | None = None,
) -> BlockModel | None:
    """The block model of the meetings of ``st`` (see the module doc); None when trivially
    infeasible (a meeting without a usable slot, a participant over its maximum).
    ``counted`` (default: everyone) limits the objective to those participants' breaks; the
    others keep their meetings and seats (a relaxation, see ``break_free_possible``).
    Cost O(meetings · slots + participants · slots²) constraints."""
    from ortools.sat.python import cp_model

    prob = st.prob
    S = prob.n_slots
    if meetings is None:
        meetings = [k for k, s in enumerate(st.slot_of) if s >= 0]
    complete = all(st.slot_of[k] >= 0 for k in meetings)
    model = cp_model.CpModel()
    x: dict[tuple[int, int], object] = {}
    by_ps: dict[tuple[int, int], list] = {}
    by_slot: dict[int, list] = {}
    hints: list = []
    for k in meetings:
        m = prob.usable[k]
        vs = []
        for s in range(S):
            if (m >> s) & 1:
                var = model.new_bool_var(f"x{k}_{s}")
                x[k, s] = var
                vs.append(var)
                by_ps.setdefault((prob.ca[k], s), []).append(var)
                by_ps.setdefault((prob.cb[k], s), []).append(var)
                by_slot.setdefault(s, []).append(var)
                if complete:
                    hints.append((var, int(st.slot_of[k] == s)))
        if not vs:
            return None
        model.add_exactly_one(vs)
    for s, vs in by_slot.items():
        if len(vs) > prob.cap_left[s]:
            model.add(sum(vs) <= prob.cap_left[s])

    people = sorted({p for k in meetings for p in (prob.ca[k], prob.cb[k])})
    n_of = {p: prob.locked_busy[p].bit_count() for p in people}
    reach = {p: prob.locked_busy[p] for p in people}
    for k in meetings:
        for p in (prob.ca[k], prob.cb[k]):
            n_of[p] += 1
            reach[p] |= prob.usable[k]
    if any(n_of[p] > prob.max_meetings[p] for p in people):
        return None
    days = [[s for s in range(S) if (dm >> s) & 1] for dm in prob.day_masks]

    def cur(p: int, s: int) -> int:
        return (st.busy[p] >> s) & 1

    def is_const(v: object, c: int | None = None) -> bool:
        return isinstance(v, int) and (c is None or v == c)

    objective: list = []
    constant = 0
    per_person: dict[int, tuple[list, int]] = {}
    surely_zero = False
    busy_of: dict[int, list] = {}
    for p in people:
        busy: list = []
        for s in range(S):
            if (prob.locked_busy[p] >> s) & 1:
                busy.append(1)
                continue
            vs = by_ps.get((p, s), [])
            if not vs:
                busy.append(0)
            elif len(vs) == 1:
                busy.append(vs[0])
            else:
                model.add_at_most_one(vs)
                b = model.new_bool_var(f"busy{p}_{s}")
                model.add(b == sum(vs))
                hints.append((b, cur(p, s)))
                busy.append(b)
        model.add(sum(busy) == n_of[p])
        busy_of[p] = busy
        if counted is not None and p not in counted:
            continue  # a partner only: seats and slots, its breaks are not counted
        n_p = n_of[p]
        if n_p <= 1:
            surely_zero = True  # one meeting: never a break
            per_person[p] = ([], 0)
            continue
        one_day = sum(1 for dm in prob.day_masks if dm & reach[p]) == 1
        p_lits: list = []
        p_const = 0
        for day in days:
            idx = [i for i, s in enumerate(day) if not is_const(busy[s], 0)]
            if not idx:
                continue
            seg = day[idx[0] : idx[-1] + 1]  # from the first to the last slot p might use
            bs = [busy[s] for s in seg]
            L = len(bs)
            if L <= 2 or all(is_const(b) for b in bs):
                if all(is_const(b) for b in bs):
                    p_const += breaks_of(
                        sum(1 << s for s, b in zip(seg, bs, strict=True) if b), prob
                    )
                continue
            # ended[i]: busy in seg[i] or later (a literal, or the constant 0/1)
            ended: list = [0] * (L + 1)
            for i in range(L - 1, -1, -1):
                b, nxt = bs[i], ended[i + 1]
                if is_const(b, 1) or is_const(nxt, 1):
                    ended[i] = 1
                elif is_const(b):
                    ended[i] = nxt
                elif is_const(nxt):
                    ended[i] = b
                else:
                    e = model.new_bool_var(f"e{p}_{seg[i]}")
                    model.add_implication(b, e)
                    model.add_implication(nxt, e)
                    model.add_bool_or([e.Not(), b, nxt])
                    hints.append((e, int(any(cur(p, t) for t in seg[i:]))))
                    ended[i] = e
            day_lits = []
            certain = p_const  # breaks certain before this day's literals
            for i in range(1, L - 1):
                before, b, later = bs[i - 1], bs[i], ended[i + 1]
                if is_const(before, 0) or is_const(later, 0) or is_const(b, 1):
                    continue
                lits = [t for t in (before, later) if not is_const(t)]
                if not lits and is_const(b):
                    p_const += 1  # busy before and after, idle here for sure
                    continue
                z = model.new_bool_var(f"br{p}_{seg[i]}")
                # z <-> before ∧ ¬b ∧ later
                model.add_bool_or([z, *(t.Not() for t in lits), *([] if is_const(b) else [b])])
                for t in lits:
                    model.add_implication(z, t)
                if not is_const(b):
                    model.add_implication(z, b.Not())
                hints.append(
                    (
                        z,
                        int(
                            cur(p, seg[i - 1]) == 1
                            and cur(p, seg[i]) == 0
                            and any(cur(p, t) for t in seg[i + 1 :])
                        ),
                    )
                )
                day_lits.append(z)
            p_lits += day_lits
            if not implied or not day_lits or n_p >= L or p_const > certain:
                # (a certain break this day, from locked meetings: no break-free variant)
                continue
            nb = model.new_bool_var(f"nb{p}_{seg[0]}")
            model.add_bool_or([nb, *day_lits])
            for z in day_lits:
                model.add_implication(nb, z.Not())
            day_mask = sum(1 << s for s in seg)
            hints.append((nb, int(breaks_of(st.busy[p] & day_mask, prob) == 0)))
            # span: two busy slots n_p or more apart mean a break
            for i in range(L):
                if is_const(bs[i]):
                    continue
                for j in range(i + n_p, L):
                    if is_const(bs[j], 1):
                        model.add_bool_or([nb.Not(), bs[i].Not()])
                    elif not is_const(bs[j]):
                        model.add_bool_or([nb.Not(), bs[i].Not(), bs[j].Not()])
            if one_day:
                _interval(model, nb, bs, n_p, [cur(p, s) for s in seg], hints)
        for z in p_lits:
            objective.append(z)
        constant += p_const
        per_person[p] = (p_lits, p_const)

    if AGGREGATE_SLOTS:
        for s in range(S):
            col = [b[s] for b in busy_of.values() if not isinstance(b[s], int)]
            fixed_n = sum(1 for b in busy_of.values() if isinstance(b[s], int) and b[s] == 1)
            if col:
                model.add(sum(col) + fixed_n <= 2 * prob.tables[s])
    if fairness is not None and per_person:
        if surely_zero:
            for lits, c in per_person.values():
                if c > fairness:
                    return None
                if len(lits) + c > fairness:
                    model.add(sum(lits) <= fairness - c)
        else:
            hi = model.new_int_var(0, S, "bmax")
            lo = model.new_int_var(0, S, "bmin")
            for lits, c in per_person.values():
                model.add(hi >= sum(lits) + c)
                model.add(lo <= sum(lits) + c)
            model.add(hi - lo <= fairness)
            if complete:
                pb = [breaks_of(st.busy[p], prob) for p in per_person]
                hints += [(hi, max(pb)), (lo, min(pb))]
    model.minimize(sum(objective) + constant)
    before = fair = None
    if complete:
        pb = [breaks_of(st.busy[p], prob) for p in people]
        before = sum(pb)
        fair = fairness is None or not pb or max(pb) - min(pb) <= fairness
    lits_of = {p: lits for p, (lits, _c) in per_person.items()}
    return BlockModel(
        model, x, objective, constant, hints, complete, before, bool(fair), lits_of, n_of
    )


def _interval(model, nb, bs: list, n: int, used: list[int], hints: list) -> None:
    """Under ``nb``, the busy slots ``bs`` of a day are ``n`` consecutive ones: order
    encoding F[i] <-> "first busy slot <= i", busy[i] <-> F[i] ∧ ¬F[i - n]."""
    L = len(bs)
    F = [model.new_bool_var("") for _ in range(L)]
    first = used.index(1) if 1 in used else L
    for i in range(L):
        hints.append((F[i], int(first <= i)))
        if i + 1 < L:
            model.add_implication(F[i], F[i + 1])
    model.add_bool_or([nb.Not(), F[max(0, L - n)]])
    for i in range(L):
        b = bs[i]
        back = [F[i - n]] if i >= n else []
        if isinstance(b, int):
            if b == 1:
                model.add_bool_or([nb.Not(), F[i]])
                if back:
                    model.add_bool_or([nb.Not(), back[0].Not()])
            else:
                model.add_bool_or([nb.Not(), F[i].Not(), *back])
            continue
        model.add_bool_or([nb.Not(), b.Not(), F[i]])
        if back:
            model.add_bool_or([nb.Not(), b.Not(), back[0].Not()])
        model.add_bool_or([nb.Not(), F[i].Not(), b, *back])


def break_free_possible(
    st: State,
    counted: set[int],
    time_limit: float,
    workers: int = 2,
    meetings: list[int] | None = None,
) -> bool | None:
    """Can the participants ``counted`` all have no break at once, every meeting of ``st``
    (or ``meetings``, as in ``build``) placed, the others' breaks being free? A relaxation:
    "no" means any agenda gives a break to somebody in ``counted``, so refuted sets that
    are disjoint add up to a lower bound.
    Fairness is not imposed. Returns True / False, or None when CP-SAT did not settle it
    within ``time_limit`` seconds on ``workers`` threads."""
    from ortools.sat.python import cp_model

    bm = build(st, None, meetings, True, counted=counted)
    if bm is None:
        return False
    if bm.constant > 0:
        return False
    m = bm.model
    m.add(sum(bm.objective) <= 0)
    if bm.complete:
        for var, val in bm.hints:
            m.add_hint(var, val)
    _solver, status = _run(m, time_limit, workers, BOTTOM_UP_SUBSOLVERS)
    if status == cp_model.INFEASIBLE:
        return False
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    return None


def heavy_participants(bm: BlockModel, share: float = BREAKER_HEAVY) -> list[int]:
    """The ``share`` (0-1) of the participants of ``bm`` who could have a break, those with the
    most meetings first (ties by index): the ones the breaker-set step keeps break-free."""
    order = sorted(
        (p for p, lits in bm.lits_of.items() if lits), key=lambda p: (-bm.meetings_of[p], p)
    )
    return order[: int(share * len(order))]


def breaker_search(
    bm: BlockModel,
    lb: int,
    best: int | None,
    hints: list,
    time_limit: float,
    workers: int = 2,
    share: float = BREAKER_HEAVY,
    race=None,
) -> tuple[object | None, int | None, bool]:
    """Look for an agenda with fewer than ``best`` breaks (any number if None) where the
    participants with the most meetings (``heavy_participants(bm, share)``) have none and the
    others' breaks are minimised, ``lb`` (a proved lower bound) as a constraint. Keeping most
    participants break-free fixes their day to one run of meetings, which cuts the search
    (benchmark instances, 60 s: 65/220 and 70/240 down to 7 breaks where the plain
    minimisation stays at 11 and 13; 60/200 at its bound, 2, in 10 s without a hint; nothing
    on 72/260 and 76/280, see docs/scheduling.md). When the restriction is refuted, or its
    optimum is above ``lb``, it is retried with three quarters as many heavy participants
    while time remains.

    A restriction: an agenda found is valid, but "none found" proves nothing about the
    problem. Returns (solver holding the best agenda found or None, its breaks, whether it
    meets ``lb`` so is optimal).
    Cost: CP-SAT search bounded by ``time_limit`` seconds on ``workers`` threads."""
    from ortools.sat.python import cp_model

    stop = time.perf_counter() + time_limit
    obj = sum(bm.objective) + bm.constant
    found_solver, found = None, None
    while share > 0 and stop - time.perf_counter() > 0.05:
        heavy = heavy_participants(bm, share)
        m = bm.model.clone()
        for p in heavy:
            for z in bm.lits_of[p]:
                m.add_bool_and([z.Not()])
        m.add(obj >= lb)
        cap = found if found is not None else best
        if cap is not None:
            m.add(obj <= cap - 1)
        for var, val in hints:
            m.add_hint(var, val)
        solver, status = _run(m, stop - time.perf_counter(), workers, BOTTOM_UP_SUBSOLVERS, race)
        if race is not None and race.done:
            break
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found_solver, found = solver, round(solver.objective_value)
            if found <= lb:
                return found_solver, found, True
        if status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE) or not heavy:
            break  # time out: no time left for a looser restriction
        share *= 0.75
    return found_solver, found, False


def _run(model, time_limit: float, workers: int, subsolvers: list[str] | None = None, race=None):
    """Solve ``model`` with CP-SAT; ``race`` (a ``_Race``) may stop it from another thread."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.max_time_in_seconds = max(0.05, time_limit)
    prm.num_workers = max(1, workers)
    prm.random_seed = 0
    if subsolvers and workers > 1:
        prm.subsolvers.extend(subsolvers)
    elif subsolvers:
        prm.linearization_level = 0  # one worker: the first subsolver, SAT search without LP
    if race is None:
        return solver, solver.solve(model)
    with race.lock:
        stale = race.cp_question is not None and race.cp_question < race.lb
        if race.done or stale:
            return solver, cp_model.UNKNOWN
        race.cp_solver = solver
    try:
        return solver, solver.solve(model)
    finally:
        with race.lock:
            race.cp_solver = None


class _Race:
    """What the SAT questions (main thread) and the CP-SAT search (a second thread) share:
    the proved lower bound, the best agenda, and a way to stop the CP-SAT search."""

    def __init__(self, lb: int, best: int | None):
        import threading

        self.lock = threading.Lock()
        self.lb = lb
        self.best = best
        self.slots: dict[int, int] | None = None  # the best agenda found, if better than st's
        self.done = False
        self.cp_solver = None
        self.cp_question: int | None = None  # k of the CP-SAT "at most k" question running

    def raise_lb(self, value: int) -> None:
        with self.lock:
            if value <= self.lb:
                return
            self.lb = value
            if self.cp_question is not None and self.cp_question < value:
                self._stop_cp()  # its question is settled: ask the next one
            self._check()

    def offer(self, breaks: int, slots: dict[int, int]) -> None:
        with self.lock:
            if self.best is None or breaks < self.best:
                self.best, self.slots = breaks, slots
            self._check()

    def finish(self) -> None:
        with self.lock:
            self.done = True
            self._stop_cp()

    def _check(self) -> None:
        if self.best is not None and self.lb >= self.best:
            self.done = True
            self._stop_cp()

    def _stop_cp(self) -> None:
        if self.cp_solver is not None:
            self.cp_solver.stop_search()


def _sat_side(race: _Race, sat, st: State, fairness: int | None, stop: float) -> None:
    """Raise ``race.lb`` with SAT questions "at most k breaks?" until ``stop`` (perf_counter),
    a proof, or an agenda at the bound (offered to ``race``)."""
    while not race.done and time.perf_counter() < stop:
        k = race.lb
        answer = sat.at_most(k, min(0.5, stop - time.perf_counter()))
        if answer is False:
            race.raise_lb(k + 1)
        elif answer:
            slots = sat.slots()
            per = _breaks_per_person(st, slots)
            if (
                fairness is not None
                and not sat.fair_encoded
                and per
                and (max(per) - min(per) > fairness)
            ):
                return  # an unfair agenda: this relaxation cannot settle k, CP-SAT goes on
            race.offer(sum(per), slots)
            return


def _breaks_per_person(st: State, slots: dict[int, int]) -> list[int]:
    """Breaks of every participant of the meetings in ``slots`` (locked meetings included)."""
    prob = st.prob
    busy: dict[int, int] = {}
    for k, s in slots.items():
        for p in (prob.ca[k], prob.cb[k]):
            busy[p] = busy.get(p, prob.locked_busy[p]) | (1 << s)
    return [breaks_of(m, prob) for m in busy.values()]


def _cp_side(
    race: _Race,
    bm: BlockModel,
    workers: int,
    bottom_up_stop: float,
    breaker_time: float,
    stop: float,
) -> None:
    """The CP-SAT half of the race: the bottom-up questions at the current bound (hinted with
    the agenda, which finds agendas at the bound where SAT is slow), then the breaker-set step,
    then the plain minimisation (LNS), each offering what it finds to ``race``."""
    from ortools.sat.python import cp_model

    obj = sum(bm.objective) + bm.constant
    hints = bm.hints

    def offer(solver) -> None:
        slots = {k: s for (k, s), var in bm.x.items() if solver.boolean_value(var)}
        race.offer(round(solver.objective_value), slots)

    while not race.done and bottom_up_stop - time.perf_counter() > 0.05:
        with race.lock:
            q = race.lb
            race.cp_question = q
        m = bm.model.clone()
        m.add(obj <= q)
        if BOTTOM_UP_HINT:
            for var, val in hints:
                m.add_hint(var, val)
        solver, status = _run(
            m, bottom_up_stop - time.perf_counter(), workers, BOTTOM_UP_SUBSOLVERS, race
        )
        with race.lock:
            race.cp_question = None
        if status == cp_model.INFEASIBLE:
            race.raise_lb(q + 1)
        elif status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            offer(solver)  # at most q breaks, q proved: optimal
            return
        elif race.lb == q:
            break  # out of time for this question
    if race.done:
        return
    if breaker_time > 0.05:
        solver, found, _optimal = breaker_search(
            bm, race.lb, race.best, hints, breaker_time, workers, race=race
        )
        if solver is not None:
            offer(solver)
            hints = [(var, solver.value(var)) for var, _val in bm.hints]
    if race.done or stop - time.perf_counter() <= 0.05:
        return
    m = bm.model.clone()
    m.add(obj >= race.lb)
    if race.best is not None:
        m.add(obj <= race.best - 1)
    for var, val in hints:
        m.add_hint(var, val)
    solver, status = _run(m, stop - time.perf_counter(), workers, None, race)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        offer(solver)
        if status == cp_model.OPTIMAL:
            race.raise_lb(round(solver.objective_value))
    elif status == cp_model.INFEASIBLE:
        race.raise_lb(race.best if race.best is not None else race.lb + 1)


def solve_exact(
    st: State,
    time_limit: float,
    fairness: int | None = None,
    workers: int = 2,
    meetings: list[int] | None = None,
    implied: bool = True,
    bottom_up_share: float = 0.6,
    breaker_share: float | None = None,
) -> tuple[str, int | None, int | None]:
    """Minimise the total breaks of the meetings of ``st`` exactly (see the module doc).
    The current slots are the hint when every meeting is placed; ``meetings`` (default: the
    placed ones) may include unplaced ones, which must then be placed. ``st`` is updated only
    with a strictly better agenda.

    With a complete agenda to start from, two searches race on the two cores until one
    closes the gap: in this thread the SAT questions of ``breaks_sat`` ("at most k
    breaks?", k = 0, 1, ... raising the lower bound) for the whole time, and in a second
    thread CP-SAT (one worker): for ``bottom_up_share`` of the time the same question at the
    current bound, hinted with the agenda (it finds agendas at the bound where SAT is slow),
    then ``breaker_share`` (default ``BREAKER_SHARE``; 0: off) of the time left in
    ``breaker_search``, then the plain minimisation (LNS) with the bound as a constraint.
    Without PySAT (``USE_SAT`` False) CP-SAT runs alone on ``workers`` threads.

    Returns ("OPTIMAL" | "FEASIBLE" | "INFEASIBLE" | "UNKNOWN" ..., breaks of the agenda kept
    or None, proved lower bound or None).
    Cost: CP-SAT and SAT search bounded by ``time_limit`` seconds on ``workers`` threads."""
    import threading

    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    bm = build(st, fairness, meetings, implied)
    if bm is None:
        return "INFEASIBLE", None, None

    def left() -> float:
        return time_limit - (time.perf_counter() - t0)

    best = bm.before if bm.fair else None  # breaks of the agenda in ``st``, if admissible
    race = _Race(bm.constant, best)
    if breaker_share is None:
        breaker_share = BREAKER_SHARE
    sat = None
    if bm.complete and USE_SAT and workers >= 2:
        from matchmaker.scheduling.breaks_sat import BreakSat

        sat = BreakSat(st, fairness, meetings, implied, bound=best)
        if not sat.ok:
            sat.close()
            sat = None
    if bm.complete and (best is None or race.lb < best):
        stop = t0 + time_limit
        bottom_up_stop = time.perf_counter() + bottom_up_share * left()
        breaker_time = breaker_share * (1 - bottom_up_share) * left()
        cp_workers = workers - 1 if sat is not None else workers
        args = (race, bm, cp_workers, bottom_up_stop, breaker_time, stop)
        if sat is None:
            _cp_side(*args)
        else:
            thread = threading.Thread(target=_cp_side, args=args, daemon=True)
            thread.start()
            try:
                _sat_side(race, sat, st, fairness, stop)
                while thread.is_alive() and not race.done and time.perf_counter() < stop:
                    thread.join(0.05)  # SAT gave up (an unfair relaxation): CP-SAT goes on
            finally:
                race.finish()
                thread.join()
                sat.close()
    elif not bm.complete:
        solver, status = _run(bm.model, max(0.05, left()), workers)
        if status == cp_model.INFEASIBLE:
            return "INFEASIBLE", None, None
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return solver.status_name(status), None, None
        race.offer(
            round(solver.objective_value),
            {k: s for (k, s), var in bm.x.items() if solver.boolean_value(var)},
        )
        if status == cp_model.OPTIMAL:
            race.raise_lb(round(solver.objective_value))
        else:
            race.raise_lb(round(solver.best_objective_bound))
    best, lb = race.best, race.lb
    if best is None:
        return "UNKNOWN", None, None
    if race.slots is not None:
        new_slots = list(st.slot_of)
        for k, s in race.slots.items():
            new_slots[k] = s
        _restore(st, new_slots)
    return ("OPTIMAL" if lb >= best else "FEASIBLE"), best, lb


def _restore(st: State, slots: list[int]) -> None:
    """Put every meeting of ``st`` into ``slots``."""
    if slots == st.slot_of:
        return
    for k, s in enumerate(st.slot_of):
        if s >= 0:
            st.remove(k)
    for k, s in enumerate(slots):
        if s >= 0:
            st.place(k, s)
