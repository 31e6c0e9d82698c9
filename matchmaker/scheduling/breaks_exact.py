"""Exact break minimisation for a fixed set of meetings: a CP-SAT "block" model searched
bottom-up.

The model is ``block.encode`` (the Boolean view of the MaxSAT encodings of Bofill et al.,
JAIR 2022, with its implied constraints), stated here through a CP-SAT back end; fairness
that it cannot state as per-person caps becomes ``hi``/``lo`` variables.

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
from dataclasses import dataclass, field, fields

from matchmaker.scheduling import block
from matchmaker.scheduling.core import breaks_of
from matchmaker.scheduling.place import State

#: CP-SAT subsolvers of the bottom-up steps ("at most k breaks?"): SAT search without LP.
BOTTOM_UP_SUBSOLVERS = ["no_lp", "core"]
#: Hint the bottom-up steps with the agenda being improved (it breaks the bound k, but
#: CP-SAT repairs from it: instance 55/190 of the benchmark, 0 breaks in 1.7 s instead of 9 s).
BOTTOM_UP_HINT = True
#: Breaker-set step: this share of the participants who could break, those with the most
#: meetings, must have none; the others' breaks are minimised (see ``breaker_search``).
BREAKER_HEAVY = 2 / 3
#: Share of the time left after the bottom-up steps given to the breaker-set step (0: off).
BREAKER_SHARE = 0.5
#: Race the SAT questions of ``breaks_sat`` (CaDiCaL) against CP-SAT (see ``solve_exact``).
USE_SAT = True


@dataclass
class BlockModel(block.Block):
    """The literals of ``block.Block``, with the CP-SAT model of ``build`` that holds them and
    the hints (the agenda of ``st``)."""

    model: object = None
    hints: list = field(default_factory=list)


class _CpBackend:
    """``block.Backend`` for a CP-SAT model; every new literal is hinted with its value."""

    def __init__(self):
        from ortools.sat.python import cp_model

        self.model = cp_model.CpModel()
        self.hints: list = []

    def new(self, name: str, value: int):
        var = self.model.new_bool_var(name)
        self.hints.append((var, value))
        return var

    def neg(self, lit):
        return lit.Not()

    def clause(self, lits: list) -> None:
        self.model.add_bool_or(lits)

    def at_most(self, lits: list, k: int) -> None:
        if len(lits) <= k:
            return
        if k == 1:
            self.model.add_at_most_one(lits)
        else:
            self.model.add(sum(lits) <= k)

    def exactly(self, lits: list, k: int) -> None:
        if k == 1:
            self.model.add_exactly_one(lits)
        else:
            self.model.add(sum(lits) == k)

    def sum_of(self, lits: list, name: str, value: int):
        self.model.add_at_most_one(lits)
        b = self.new(name, value)
        self.model.add(b == sum(lits))
        return b


def build(
    st: State,
    fairness: int | None = None,
    meetings: list[int] | None = None,
    implied: bool = True,
    counted: set[int] | None = None,
) -> BlockModel | None:
    """The block model (``block.encode``) of the meetings of ``st`` as CP-SAT, minimising the
    breaks; None when trivially infeasible. ``counted`` (default: everyone) limits the
    objective to those participants' breaks (see ``break_free_possible``). Fairness that
    ``block`` cannot state as per-person caps becomes ``max - min`` over integer variables.
    Cost O(meetings · slots + participants · slots²) constraints."""
    be = _CpBackend()
    blk = block.encode(st, be, fairness, meetings, implied, counted)
    if blk is None:
        return None
    model, hints = be.model, be.hints
    if not blk.fair_encoded:
        S = st.prob.n_slots
        hi = model.new_int_var(0, S, "bmax")
        lo = model.new_int_var(0, S, "bmin")
        for lits, c in blk.per_person.values():
            model.add(hi >= sum(lits) + c)
            model.add(lo <= sum(lits) + c)
        model.add(hi - lo <= fairness)
        if blk.complete:
            pb = [breaks_of(st.busy[p], st.prob) for p in blk.per_person]
            hints += [(hi, max(pb)), (lo, min(pb))]
    model.minimize(sum(blk.objective) + blk.constant)
    return BlockModel(
        **{f.name: getattr(blk, f.name) for f in fields(blk)}, model=model, hints=hints
    )


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
            for z in bm.per_person[p][0]:
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


def complete_agenda(
    st: State, meetings: list[int], time_limit: float, workers: int = 2, seed: int = 0
) -> bool | None:
    """Place every meeting of ``meetings`` that ``st`` left out, moving the others as needed
    (slots each may use, one meeting per participant and slot, tables per slot; locked
    meetings stay): a CP-SAT feasibility question hinted with the current slots, so the
    meetings already placed mostly stay. The greedy placement leaves a meeting or two out
    when tables are tight within a session; without a complete agenda neither the annealing
    nor the SAT questions can start (issue 19: 26 breaks against an optimum of 1).
    Returns True (``st`` updated, every meeting placed), False (proved impossible) or None
    (not settled within ``time_limit`` seconds).
    Cost: one CP-SAT search over meetings x usable slots Booleans."""
    from ortools.sat.python import cp_model

    prob = st.prob
    # Every meeting of ``meetings`` must be placed: a participant who has more of them than
    # its maximum allows cannot be given an agenda (the exact stage says so with its proof).
    per_person = [0] * len(prob.max_left)
    for k in meetings:
        per_person[prob.ca[k]] += 1
        per_person[prob.cb[k]] += 1
    if any(n > cap for n, cap in zip(per_person, prob.max_left, strict=True)):
        return False
    be = _CpBackend()
    m = be.model
    x: dict[tuple[int, int], object] = {}
    by_ps: dict[tuple[int, int], list] = {}
    by_slot: dict[int, list] = {}
    for k in meetings:
        vs = []
        for s in range(prob.n_slots):
            if (prob.usable[k] >> s) & 1:
                v = x[k, s] = m.new_bool_var(f"x{k}_{s}")
                m.add_hint(v, int(st.slot_of[k] == s))
                vs.append(v)
                by_ps.setdefault((prob.ca[k], s), []).append(v)
                by_ps.setdefault((prob.cb[k], s), []).append(v)
                if prob.seated[k]:  # an online meeting takes no table
                    by_slot.setdefault(s, []).append(v)
        if not vs:
            return False
        m.add_exactly_one(vs)
    for vs in by_ps.values():
        if len(vs) > 1:
            m.add_at_most_one(vs)
    for s, vs in by_slot.items():
        if len(vs) > prob.cap_left[s]:
            m.add(sum(vs) <= prob.cap_left[s])
    if any(prob.earlier) or any(prob.later):
        block._precedences(st, x, meetings, *block.clause_writers(be))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    status = solver.solve(m)
    if status == cp_model.INFEASIBLE:
        return False
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    slots = list(st.slot_of)
    for (k, s), v in x.items():
        if solver.boolean_value(v):
            slots[k] = s
    _restore(st, slots)
    return True


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
        self.infeasible = False  # proved: no agenda of these meetings within the bounds

    def prove_infeasible(self) -> None:
        with self.lock:
            self.infeasible = True
            self.done = True
            self._stop_cp()

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
    a proof, or an agenda at the bound (offered to ``race``). Without an admissible agenda
    yet (the one given breaks the fairness bound), it first asks for any: "no" proves that
    none exists (``race.infeasible``)."""
    if race.best is None and not _sat_any(race, sat, st, fairness, stop):
        return
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


def _sat_any(race: _Race, sat, st: State, fairness: int | None, stop: float) -> bool:
    """Ask SAT for any agenda (no bound on breaks) until one is known (CP-SAT may find one
    first); offer it when fair. False when that settled everything (proved infeasible), True
    to go on with the bottom-up questions."""
    while race.best is None and not race.done and time.perf_counter() < stop:
        answer = sat.at_most(sat.any_breaks, min(0.5, stop - time.perf_counter()))
        if answer is False:
            race.prove_infeasible()
            return False
        if answer:
            per = _breaks_per_person(st, sat.slots())
            if fairness is None or not per or max(per) - min(per) <= fairness:
                race.offer(sum(per), sat.slots())
            break
    return True


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
        solver, _found, _optimal = breaker_search(
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
        if race.best is None:
            race.prove_infeasible()  # only ``obj >= lb`` (a proved bound) was added
        else:
            race.raise_lb(race.best)


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
    if race.infeasible:
        return "INFEASIBLE", None, None
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
