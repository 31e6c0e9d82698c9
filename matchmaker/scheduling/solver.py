"""The ``solve`` entry point: select meetings, place them in slots, cut breaks, seat tables."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from matchmaker.scheduling import breaks as breaks_mod
from matchmaker.scheduling.core import RANK, Problem, breaks_of, build, objective
from matchmaker.scheduling.groups import improve_groups
from matchmaker.scheduling.meetings import lock_conflicts
from matchmaker.scheduling.milp import full_model_size, solve_full, solve_selection
from matchmaker.scheduling.model import (
    ACCEPTED,
    MANUAL,
    PRIORITIES,
    REASON_DISPLACED,
    REASON_DUPLICATE,
    REASON_IN_GROUP,
    REASON_MAXIMUM,
    REASON_NO_COMMON_SLOT,
    REASON_NO_TABLE,
    REASON_NOT_SELECTED,
    REASON_ORDER,
    REASON_SUGGESTIONS_OFF,
    STATUS_FAIRNESS_VIOLATED,
    STATUS_INCOMPLETE,
    STATUS_INFEASIBLE,
    STATUS_OPTIMAL,
    Figures,
    Instance,
    PlacedGroup,
    PlacedMeeting,
    Schedule,
    Unplaced,
)
from matchmaker.scheduling.place import State, fill, place_selection
from matchmaker.scheduling.tables import assign_tables, table_moves

#: Above this many (candidate, slot) variables the split method replaces the full MILP.
FULL_MODEL_LIMIT = 8_000
#: Fixed meetings: at most this share of the time anneals (the warm start and hint of the
#: exact stage, which gets the rest: its SAT questions are what prove lower bounds).
FIXED_ANNEAL_SHARE = 0.25
#: Fixed meetings the greedy placement left out: at most this share of the time goes to
#: finding a complete agenda before the annealing (usually well under a second).
COMPLETE_SHARE = 0.3
#: Up to this many meetings the exact CP-SAT break model runs after annealing.
EXACT_BREAKS_LIMIT = 1_500

Progress = Callable[[str, float], None]


def solve(
    instance: Instance,
    time_limit: float = 30.0,
    progress: Progress | None = None,
    seed: int = 0,
) -> Schedule:
    """Compute a schedule for ``instance`` within about ``time_limit`` seconds (wall clock).

    Maximises, in this order, accepted requests placed, mutual interests placed, total weight,
    and fairness (first meeting for everyone who can have one, then up to the minimum); then
    minimises breaks (spread fairly) and table moves without changing which meetings happen.
    Small events (up to ``FULL_MODEL_LIMIT`` candidate-slot pairs) are solved exactly by one
    MILP; larger ones by a selection MILP, a placement heuristic and a fill pass. The figures
    always carry an upper bound on the objective (solver bound or LP relaxation).

    With ``options.fixed_meetings`` every candidate and locked meeting must be placed and the
    fewest breaks are sought (CP-SAT, warm-started by annealing) within the fairness bound.
    Precedences (``after``) hold in every stage. The status is computed from the agenda
    returned: ``incomplete`` / ``infeasible`` / ``fairness_violated`` whenever a required
    meeting is missing or the spread of breaks is above ``break_fairness`` (never
    ``optimal``/``feasible`` then); locks against the instance are in ``Schedule.conflicts``.

    ``progress(stage, fraction)`` is called between stages (``fraction`` in [0, 1]).
    ``seed`` makes the annealing reproducible. Raises ``InstanceError`` on invalid input.
    Cost: bounded by ``time_limit`` plus the table stage (well under a second per 1,000
    meetings); memory O(candidates × slots) for the full model, O(candidates) otherwise.
    """
    t0 = time.perf_counter()
    deadline = t0 + max(0.1, float(time_limit))

    def left() -> float:
        return max(0.0, deadline - time.perf_counter())

    def report(stage: str, fraction: float) -> None:
        if progress is not None:
            progress(stage, fraction)

    report("prepare", 0.0)
    instance.validate()
    prob = build(instance)
    opts = instance.options
    breaks_optimal = False
    breaks_gap: int | None = None  # breaks above the exact stage's proved lower bound
    status = "feasible"

    if opts.fixed_meetings:
        report("place", 0.1)
        st = place_selection(prob, list(prob.free))
        all_in = all(st.slot_of[k] >= 0 for k in prob.free)
        if not all_in and COMPLETE_SHARE > 0:
            all_in = _complete(st, prob, left() * COMPLETE_SHARE, seed)
        report("breaks", 0.3)
        if all_in and opts.reduce_breaks:
            improve_groups(st)
            breaks_mod.anneal(
                st,
                min(left() * FIXED_ANNEAL_SHARE, 2.0 + 0.05 * len(prob.free)),
                seed,
                opts.break_fairness,
                max_iterations=2_000 + 100_000 * len(prob.free),
            )
            improve_groups(st)  # before the exact stage: its bound is for these groups' slots
        name, found, lb = breaks_mod.exact(
            st, left() * 0.95, opts.break_fairness, meetings=list(prob.free)
        )
        breaks_gap = _gap(found, lb)
        if name == "OPTIMAL":
            breaks_optimal = True
            status = STATUS_OPTIMAL
        elif name == "INFEASIBLE":
            status = STATUS_INFEASIBLE  # proved for these meetings, which are all required
        method = "fixed-meetings: greedy + annealing + CP-SAT"
        chosen = [k for k in prob.free if st.slot_of[k] >= 0]
        bound_value = objective(prob, list(prob.free), _full_counts(prob))
    else:
        size = full_model_size(prob)
        if size <= FULL_MODEL_LIMIT:
            report("select", 0.05)
            res, var = solve_full(prob, left() * 0.5)
        if size <= FULL_MODEL_LIMIT and res.x is not None:
            st = State(prob)
            for i, (k, s) in enumerate(var):
                if res.x[i]:
                    st.place(k, s)
            fill(st)
            method = "full MILP (HiGHS)"
            status = "optimal" if res.optimal else "feasible"
        else:
            report("select", 0.05)
            res, ks, _lp = solve_selection(prob, left() * 0.4)
            selected = [] if res.x is None else [k for i, k in enumerate(ks) if res.x[i]]
            report("place", 0.35)
            st = place_selection(prob, selected)
            method = "selection MILP (HiGHS) + placement + fill"
        const = objective(prob, [], list(prob.locked_count))
        chosen = [k for k in prob.free if st.slot_of[k] >= 0]
        bound_value = res.bound + const
        if not math.isfinite(bound_value):
            # no solver bound in time: every candidate placed is a (weak) upper bound
            bound_value = objective(prob, list(prob.free), _full_counts(prob))
        if opts.reduce_breaks and chosen:
            report("breaks", 0.5)
            budget = min(left() * 0.5, 0.3 + 0.001 * len(chosen))
            improve_groups(st)
            breaks_mod.anneal(
                st, budget, seed, opts.break_fairness, max_iterations=2_000 + 50_000 * len(chosen)
            )
            improve_groups(st)  # before the exact stage: its bound is for these groups' slots
            if len(chosen) <= EXACT_BREAKS_LIMIT and left() > 0.5:
                name, found, lb = breaks_mod.exact(st, min(left() * 0.8, 15.0), opts.break_fairness)
                breaks_optimal = name == "OPTIMAL"
                breaks_gap = _gap(found, lb)
                # INFEASIBLE here is about these meetings only (another selection might hold
                # the bound): the final check says fairness_violated, not infeasible

    report("tables", 0.9)
    schedule = _finish(
        prob, st, chosen, bound_value, status, method, breaks_optimal, breaks_gap, t0
    )
    report("done", 1.0)
    return schedule


def _complete(st: State, prob: Problem, seconds: float, seed: int) -> bool:
    """Fixed meetings the greedy placement left out: find a complete agenda (CP-SAT
    feasibility, see ``breaks_exact.complete_agenda``) so that the annealing and the exact
    stage start from one. True when every meeting is now placed."""
    from matchmaker.scheduling.breaks_exact import complete_agenda

    complete_agenda(st, list(prob.free), seconds, seed=seed)
    return all(st.slot_of[k] >= 0 for k in prob.free)


def _gap(found: int | None, lb: int | None) -> int | None:
    """Breaks of the agenda kept above the proved lower bound (None: nothing proved)."""
    return None if found is None or lb is None else max(0, found - lb)


def _full_counts(prob: Problem) -> list[int]:
    counts = list(prob.locked_count)
    for k in prob.free:
        counts[prob.ca[k]] += 1
        counts[prob.cb[k]] += 1
    return counts


def _finish(
    prob: Problem,
    st: State,
    chosen: list[int],
    bound_value: float,
    status: str,
    method: str,
    breaks_optimal: bool,
    breaks_gap: int | None,
    t0: float,
) -> Schedule:
    """Seat tables, explain the unplaced, compute the figures."""
    cands = prob.cands
    rows: list[tuple[int, int, int, int | None]] = []
    info: list[tuple[str, str, str, float, bool, str]] = []
    online: list[bool] = []  # per row: held by video, no table
    lock_ids = prob.meeting_index.lock_ids
    for j, (a, b, s, t, k) in enumerate(prob.locked):
        rows.append((a, b, s, t))
        online.append(prob.instance.locked[j].online)
        if k >= 0:
            c = cands[k]
            info.append((c.a, c.b, c.priority, c.weight, True, lock_ids[j]))
        else:
            pa, pb = prob.person_ids[a], prob.person_ids[b]
            info.append((pa, pb, MANUAL, 0.0, True, lock_ids[j]))
    for k in chosen:
        rows.append((prob.ca[k], prob.cb[k], st.slot_of[k], None))
        online.append(not prob.seated[k])
        c = cands[k]
        info.append((c.a, c.b, c.priority, c.weight, False, prob.ids[k]))
    in_hall = [i for i in range(len(rows)) if not online[i]]
    seats = [0] * len(rows)  # table 0: an online meeting, which has none
    # the groups' tables are fixed rows here (numbers of the slot's real tables)
    group_rows = [(m[0], m[1], s, t) for _g, m, s, t in prob.group_rows]
    hall_seats = assign_tables(
        [rows[i] for i in in_hall] + group_rows, prob.n_slots, prob.slot_tables, prob.day_of
    )
    for i, t in zip(in_hall, hall_seats[: len(in_hall)], strict=True):
        seats[i] = t
    placed = [
        PlacedMeeting(a, b, prob.slot_ids[r[2]], seats[i], pr, w, lk, ident, online[i])
        for i, (r, (a, b, pr, w, lk, ident)) in enumerate(zip(rows, info, strict=True))
    ]
    order = sorted(range(len(placed)), key=lambda i: (rows[i][2], seats[i]))
    meetings = tuple(placed[i] for i in order)
    moves = table_moves(
        [(rows[i][0], rows[i][1], rows[i][2], seats[i]) for i in in_hall], prob.day_of
    )

    unplaced = _reasons(prob, st)
    counts = st.count
    value = objective(prob, chosen, counts)
    bound = max(bound_value, value)
    gap = (bound - value) / bound if bound > 0 else 0.0
    if gap <= 1e-6 and status == "feasible" and not prob.instance.options.fixed_meetings:
        status = "optimal"
    per_person = [breaks_of(m, prob) for m in st.busy]
    with_meetings = [b for b, n in zip(per_person, counts, strict=True) if n > 0]
    status, status_detail = _honest(prob, st, status, per_person, counts)
    placed_by = {p: 0 for p in (*PRIORITIES, MANUAL)}
    offered = {p: 0 for p in PRIORITIES}
    for m in meetings:
        placed_by[m.priority] += 1
    for c in cands:
        offered[c.priority] += 1
    feasible_alone = [
        k
        for k in range(len(cands))
        if k in prob.locked_cand
        or (
            prob.usable[k]
            and prob.max_left[prob.ca[k]] > 0
            and prob.max_left[prob.cb[k]] > 0
            and k not in prob.disabled
        )
    ]
    could_meet = set()
    for k in feasible_alone:
        could_meet.add(prob.ca[k])
        could_meet.add(prob.cb[k])
    zero = tuple(prob.person_ids[p] for p in sorted(could_meet) if counts[p] == 0)
    without = tuple(prob.person_ids[p] for p in range(prob.n_people) if counts[p] == 0)
    figures = Figures(
        placed=placed_by,
        candidates=offered,
        objective=round(value, 6),
        bound=round(bound, 6),
        gap=round(gap, 8),
        total_weight=round(sum(m.weight for m in meetings), 6),
        breaks_total=sum(per_person),
        breaks_max=max(per_person, default=0),
        breaks_min=min(with_meetings, default=0),
        breaks_optimal=breaks_optimal,
        # the exact stage counts the breaks of participants with a movable meeting; the
        # others' are fixed, so the gap carries over to the total
        breaks_bound=None if breaks_gap is None else sum(per_person) - breaks_gap,
        table_moves=moves,
        zero_meeting_participants=zero,
        without_meetings=without,
        accepted_feasible=sum(1 for k in feasible_alone if cands[k].priority == ACCEPTED),
        status=status,
        method=method,
        seconds=round(time.perf_counter() - t0, 3),
        status_detail=status_detail,
        groups=len(prob.instance.groups),
        groups_placed=len(prob.group_rows),
    )
    conflicts = tuple(lock_conflicts(prob.instance, prob.meeting_index))
    groups = prob.instance.groups
    placed_groups = tuple(
        sorted(
            (
                PlacedGroup(groups[g].id, groups[g].members, prob.slot_ids[s], t, groups[g].title)
                for g, _m, s, t in prob.group_rows
            ),
            key=lambda x: (prob.slot_index[x.slot], x.table),
        )
    )
    return Schedule(
        meetings=meetings,
        unplaced=unplaced,
        figures=figures,
        conflicts=conflicts,
        groups=placed_groups,
        unplaced_groups=tuple(prob.unplaced_groups),
    )


def _honest(
    prob: Problem, st: State, status: str, per_person: list[int], counts: list[int]
) -> tuple[str, str]:
    """The status the figures may claim, from the agenda itself: a required meeting missing
    (fixed mode) is ``incomplete`` unless proved ``infeasible``; a spread of breaks above
    ``break_fairness`` is ``fairness_violated`` (never ``optimal``/``feasible``). Returns
    (status, one sentence saying why; "" when every requirement holds)."""
    opts = prob.instance.options
    bound = opts.break_fairness
    missing = [k for k in prob.free if st.slot_of[k] < 0] if opts.fixed_meetings else []
    within = f" within a spread of {bound} breaks" if bound is not None else ""
    if status == STATUS_INFEASIBLE:
        return status, f"proved: no agenda places all {len(prob.cands)} meetings{within}"
    if missing:
        return STATUS_INCOMPLETE, (
            f"{len(missing)} of the {len(prob.cands)} required meetings could not be placed"
            f"{within} (listed as unplaced); that no agenda holds them all is not proved"
        )
    with_meetings = [(b, p) for p, (b, n) in enumerate(zip(per_person, counts, strict=True)) if n]
    if bound is not None and with_meetings:
        (hi, p_hi), (lo, p_lo) = max(with_meetings), min(with_meetings)
        if hi - lo > bound:
            pid = prob.person_ids
            return STATUS_FAIRNESS_VIOLATED, (
                f"breaks range from {lo} ({pid[p_lo]}) to {hi} ({pid[p_hi]}), a spread of "
                f"{hi - lo} above the bound of {bound}; no agenda within it was found"
            )
    return status, ""


def _slot_list(prob: Problem, mask: int, limit: int = 4) -> str:
    ids = [prob.slot_ids[s] for s in range(prob.n_slots) if (mask >> s) & 1]
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return ", ".join(ids[:limit]) + more


def _reasons(prob: Problem, st: State) -> tuple[Unplaced, ...]:
    """A reason for every candidate that is not in the schedule, in input order."""
    out: list[tuple[int, Unplaced]] = []
    inst = prob.instance
    index = prob.input_index
    for i in prob.duplicates:
        c = inst.candidates[i]
        out.append(
            (
                i,
                Unplaced(
                    c.a,
                    c.b,
                    c.priority,
                    c.weight,
                    REASON_DUPLICATE,
                    f"{c.a} and {c.b} are offered more than once; the pair meets at most once "
                    "(give each of its candidates an id to make them separate meetings)",
                    prob.meeting_index.cand_ids[i],
                ),
            )
        )
    disabled = set(prob.disabled)
    pid = prob.person_ids
    for k, c in enumerate(prob.cands):
        if k in prob.locked_cand or st.slot_of[k] >= 0:
            continue
        a, b = prob.ca[k], prob.cb[k]
        if k in prob.in_group:
            reason, detail = (
                REASON_IN_GROUP,
                f"{c.a} and {c.b} meet in group meeting {prob.in_group[k]}",
            )
        elif k in disabled:
            reason, detail = (
                REASON_SUGGESTIONS_OFF,
                "suggestions do not fill free slots at this event",
            )
        elif not prob.allowed[k]:
            where = " within the slots asked for" if c.slots is not None else ""
            reason, detail = (
                REASON_NO_COMMON_SLOT,
                f"{c.a} and {c.b} are never available at the same time{where}",
            )
        elif not prob.allowed[k] & prob.window[k]:
            reason, detail = (
                REASON_ORDER,
                f"no slot {c.a} and {c.b} share comes after (or before) the locked meetings "
                "it is ordered against",
            )
        elif not prob.usable[k]:
            reason, detail = (
                REASON_NO_COMMON_SLOT,
                f"the slots both {c.a} and {c.b} are available in are taken by locked meetings",
            )
        elif st.count[a] >= prob.max_meetings[a] or st.count[b] >= prob.max_meetings[b]:
            full = [p for p in (a, b) if st.count[p] >= prob.max_meetings[p]]
            detail = "; ".join(
                f"{pid[p]} already has {st.count[p]} meetings (maximum {prob.max_meetings[p]})"
                for p in full
            )
            reason = REASON_MAXIMUM
        else:
            both_free = prob.usable[k] & ~st.busy[a] & ~st.busy[b]
            open_ = st.open if prob.seated[k] else prob.all_slots  # online: no table needed
            if both_free & open_ and not both_free & open_ & st.order_mask(k):
                reason, detail = (
                    REASON_ORDER,
                    f"the slots where {c.a} and {c.b} are both free "
                    f"({_slot_list(prob, both_free & open_)}) are not after every meeting "
                    "it must follow and before every one that must follow it",
                )
            elif both_free and not both_free & open_:
                reason, detail = (
                    REASON_NO_TABLE,
                    f"all tables are taken in the slots where {c.a} and {c.b} are both free "
                    f"({_slot_list(prob, both_free)})",
                )
            elif not both_free:
                s = (prob.usable[k] & -prob.usable[k]).bit_length() - 1
                busy_with = []
                for p in (a, b):
                    j = st.occ[p].get(s)
                    if j is not None:
                        if j >= 0:
                            other = prob.cb[j] if prob.ca[j] == p else prob.ca[j]
                            busy_with.append(f"{pid[p]} meets {pid[other]}")
                        else:
                            busy_with.append(f"{pid[p]} has a locked meeting")
                lower = any(
                    (j := st.occ[p].get(t, -1)) >= 0
                    and RANK[prob.cands[j].priority] > RANK[c.priority]
                    for p in (a, b)
                    for t in range(prob.n_slots)
                    if (prob.usable[k] >> t) & 1
                )
                why = (
                    "lower-priority meetings that fit better displaced it"
                    if lower
                    else "meetings of higher priority or weight came first"
                )
                reason, detail = (
                    REASON_DISPLACED,
                    f"in every slot they could share, {c.a} or {c.b} already has a meeting "
                    f"(e.g. slot {prob.slot_ids[s]}: {', '.join(busy_with)}); {why}",
                )
            else:
                reason, detail = (
                    REASON_NOT_SELECTED,
                    "it still fits; the optimiser stopped at its time limit before adding it",
                )
        out.append(
            (index[k], Unplaced(c.a, c.b, c.priority, c.weight, reason, detail, prob.ids[k]))
        )
    out.sort(key=lambda item: item[0])
    return tuple(u for _i, u in out)
