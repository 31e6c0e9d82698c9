"""The two mixed-integer models, solved by HiGHS through ``scipy.optimize.milp``.

- *full*: a 0/1 variable per (candidate, usable slot): exact for the meeting objective, used
  when the variable count is small (a few hundred participants).
- *selection*: a 0/1 variable per candidate, a b-matching with the participants' degree caps,
  Hall-type caps per participant and availability pattern, per-day table capacity and the
  fairness reward. Every schedule projects onto a feasible selection, so its optimum and its LP
  relaxation are upper bounds on the full problem.

Both maximise sum(value * x) + fairness * sum(y) where y_p <= meetings of p and
y_p <= target_p - locked_p (0 <= y_p, continuous).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from matchmaker.scheduling.core import Problem


@dataclass
class MilpResult:
    x: np.ndarray | None  # values of the 0/1 variables (None: no solution in time)
    value: float  # objective of x (without the locked constant), -inf if none
    bound: float  # upper bound on the objective (without the locked constant)
    optimal: bool
    seconds: float


def _solve(
    c_value: np.ndarray,
    rows: list[np.ndarray],
    cols: list[np.ndarray],
    n_rows: int,
    row_ub: np.ndarray,
    n_int: int,
    y_ub: np.ndarray,
    fairness: float,
    time_limit: float,
) -> MilpResult:
    """Maximise c_value @ x + fairness * sum(y) s.t. A [x; y] <= row_ub, x binary."""
    t0 = time.perf_counter()
    n = n_int + len(y_ub)
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    data = np.ones(len(r))
    # fairness rows carry -1 for x and +1 for y; they are marked by negative row ids
    neg = r < 0
    data[neg & (c < n_int)] = -1.0
    r = np.where(neg, -r - 1, r)
    A = csr_array((data, (r, c)), shape=(n_rows, n))
    obj = -np.concatenate([c_value, np.full(len(y_ub), fairness)])
    lb = np.zeros(n)
    ub = np.concatenate([np.ones(n_int), y_ub])
    integrality = np.concatenate([np.ones(n_int), np.zeros(len(y_ub))])
    if n_int == 0:
        return MilpResult(np.zeros(0), 0.0, 0.0, True, 0.0)
    res = milp(
        obj,
        integrality=integrality,
        bounds=Bounds(lb, ub),
        constraints=LinearConstraint(A, -np.inf, row_ub),
        options={"time_limit": max(0.5, time_limit), "mip_rel_gap": 1e-4, "disp": False},
    )
    seconds = time.perf_counter() - t0
    dual = getattr(res, "mip_dual_bound", None)
    bound = -dual if dual is not None and np.isfinite(dual) else np.inf
    if res.x is None:
        return MilpResult(None, -np.inf, bound, False, seconds)
    x = np.round(res.x[:n_int]).astype(np.int8)
    y = np.minimum(res.x[n_int:], y_ub)
    value = float(c_value @ x + fairness * y.sum())
    optimal = res.status == 0
    if optimal:
        bound = min(bound, value * (1 + 1e-6) + 1e-9)
    return MilpResult(x, value, max(bound, value), optimal, seconds)


def full_model_size(prob: Problem) -> int:
    """Number of (candidate, slot) variables of the full model."""
    usable = prob.usable
    return sum(usable[k].bit_count() for k in prob.free)


def _fairness_part(prob: Problem, row0: int, per_person_cols: list[list[int]], n_int: int):
    """Rows y_p - sum(x of p) <= 0 for people whose target is not met by locked meetings."""
    rows, cols, ubs = [], [], []
    y_ub = []
    r = row0
    for p in range(prob.n_people):
        room = prob.target[p] - prob.locked_count[p]
        if room <= 0 or not per_person_cols[p]:
            continue
        j = n_int + len(y_ub)
        y_ub.append(float(min(room, prob.max_left[p])))
        xs = per_person_cols[p]
        rows.append(np.full(len(xs) + 1, -(r + 1), dtype=np.int64))
        cols.append(np.array([*xs, j], dtype=np.int64))
        ubs.append(0.0)
        r += 1
    return rows, cols, ubs, np.array(y_ub, dtype=float), r


def _order_rows(prob: Problem, var: list[tuple[int, int]], row0: int):
    """Precedences of the full model: for e earlier than k and every slot s,
    sum(x[k, t], t <= s) + sum(x[e, t], t >= s) <= 1 (if both are placed, e's slot is below
    k's). Returns (row ids, column ids, next row). S rows per precedence."""
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    if not prob.ordered:
        return rows, cols, row0
    at: dict[int, list[tuple[int, int]]] = {}
    for i, (k, s) in enumerate(var):
        at.setdefault(k, []).append((s, i))
    r = row0
    for k in prob.free:
        for e in prob.earlier[k]:
            if k not in at or e not in at:
                continue
            for s in range(prob.n_slots):
                xs = [i for t, i in at[k] if t <= s] + [i for t, i in at[e] if t >= s]
                if len(xs) > 1:
                    rows.append(np.full(len(xs), r, dtype=np.int64))
                    cols.append(np.array(xs, dtype=np.int64))
                    r += 1
    return rows, cols, r


def solve_full(prob: Problem, time_limit: float) -> tuple[MilpResult, list[tuple[int, int]]]:
    """Solve the full (candidate, slot) model. Returns the result and the variable list
    [(candidate, slot)]. Cost: HiGHS branch and bound, bounded by ``time_limit`` seconds."""
    S = prob.n_slots
    var: list[tuple[int, int]] = []
    for k in prob.free:
        m = prob.usable[k]
        while m:
            low = m & -m
            var.append((k, low.bit_length() - 1))
            m ^= low
    n_int = len(var)
    vk = np.array([v[0] for v in var], dtype=np.int64)
    vs = np.array([v[1] for v in var], dtype=np.int64)
    ca = np.array(prob.ca, dtype=np.int64)[vk] if n_int else np.zeros(0, dtype=np.int64)
    cb = np.array(prob.cb, dtype=np.int64)[vk] if n_int else np.zeros(0, dtype=np.int64)
    idx = np.arange(n_int)
    rows, cols, ubs = [], [], []
    # one slot per candidate
    kpos = {k: i for i, k in enumerate(prob.free)}
    rows.append(np.array([kpos[k] for k in vk], dtype=np.int64))
    cols.append(idx)
    ubs.append(np.ones(len(prob.free)))
    r0 = len(prob.free)
    # one meeting per participant and slot
    P = prob.n_people
    rows += [r0 + ca * S + vs, r0 + cb * S + vs]
    cols += [idx, idx]
    ubs.append(np.ones(P * S))
    r0 += P * S
    # tables per slot (online meetings take none)
    seated = np.array([prob.seated[k] for k in vk], dtype=bool) if n_int else np.zeros(0, bool)
    rows.append(r0 + vs[seated])
    cols.append(idx[seated])
    ubs.append(np.array(prob.cap_left, dtype=float))
    r0 += S
    # maximum meetings per participant
    rows += [r0 + ca, r0 + cb]
    cols += [idx, idx]
    ubs.append(np.array(prob.max_left, dtype=float))
    r0 += P
    pr, pc, r0 = _order_rows(prob, var, r0)
    rows += pr
    cols += pc
    ubs.append(np.ones(len(pr)))
    per_person: list[list[int]] = [[] for _ in range(P)]
    for i in range(n_int):
        per_person[int(ca[i])].append(i)
        per_person[int(cb[i])].append(i)
    fr, fc, fu, y_ub, r_end = _fairness_part(prob, r0, per_person, n_int)
    rows += fr
    cols += fc
    row_ub = np.concatenate([*ubs, np.array(fu, dtype=float)])
    c_value = np.array([prob.value[k] for k in vk], dtype=float)
    res = _solve(c_value, rows, cols, r_end, row_ub, n_int, y_ub, prob.fairness, time_limit)
    return res, var


def solve_selection(prob: Problem, time_limit: float) -> tuple[MilpResult, list[int], float]:
    """Solve the selection (b-matching) model and its LP relaxation.

    Returns (result, candidate list of the variables, LP bound). Cost: two HiGHS solves on
    C variables and about P·(patterns) rows; seconds for 30,000 candidates."""
    usable = prob.usable
    ks = [k for k in prob.free if usable[k]]
    n_int = len(ks)
    P = prob.n_people
    per_person: list[list[int]] = [[] for _ in range(P)]
    for i, k in enumerate(ks):
        per_person[prob.ca[k]].append(i)
        per_person[prob.cb[k]].append(i)
    rows, cols, ubs = [], [], []
    r = 0
    for p in range(P):
        xs = per_person[p]
        if not xs:
            continue
        # (a candidate's usable slots already leave out the full ones when it needs a table)
        free_p = prob.avail[p] & ~prob.locked_busy[p]
        union = 0
        masks: dict[int, list[int]] = {}
        for i in xs:
            m = usable[ks[i]]
            union |= m
            masks.setdefault(m, []).append(i)
        cap = min(prob.max_left[p], (free_p & union).bit_count())
        if len(xs) > cap:
            rows.append(np.full(len(xs), r, dtype=np.int64))
            cols.append(np.array(xs, dtype=np.int64))
            ubs.append(cap)
            r += 1
        # Hall-type rows: candidates confined to a sub-pattern of slots
        if len(masks) > 1:
            for m in masks:
                inside = [i for mm, lst in masks.items() if mm & ~m == 0 for i in lst]
                room = min(cap, m.bit_count())
                if len(inside) > room:
                    rows.append(np.full(len(inside), r, dtype=np.int64))
                    cols.append(np.array(inside, dtype=np.int64))
                    ubs.append(room)
                    r += 1
    # tables: per day and in total, for the meetings in the hall (online ones take none)
    total_cap = sum(prob.cap_left)
    day_groups: dict[int, list[int]] = {}
    seated = [i for i, k in enumerate(ks) if prob.seated[k]]
    for i in seated:
        m = usable[ks[i]]
        for d, dm in enumerate(prob.day_masks):
            if m & ~dm == 0:
                day_groups.setdefault(d, []).append(i)
                break
    for d, xs in day_groups.items():
        cap_d = sum(prob.cap_left[s] for s in range(prob.n_slots) if prob.day_of[s] == d)
        if len(xs) > cap_d:
            rows.append(np.full(len(xs), r, dtype=np.int64))
            cols.append(np.array(xs, dtype=np.int64))
            ubs.append(cap_d)
            r += 1
    if len(seated) > total_cap:
        rows.append(np.full(len(seated), r, dtype=np.int64))
        cols.append(np.array(seated, dtype=np.int64))
        ubs.append(total_cap)
        r += 1
    fr, fc, fu, y_ub, r_end = _fairness_part(prob, r, per_person, n_int)
    rows += fr
    cols += fc
    row_ub = np.array([*ubs, *fu], dtype=float)
    c_value = np.array([prob.value[k] for k in ks], dtype=float)
    t0 = time.perf_counter()
    lp_bound = _lp_bound(c_value, rows, cols, r_end, row_ub, n_int, y_ub, prob.fairness)
    rest = max(0.5, time_limit - (time.perf_counter() - t0))
    res = _solve(c_value, rows, cols, r_end, row_ub, n_int, y_ub, prob.fairness, rest)
    res.bound = min(res.bound, lp_bound)
    return res, ks, lp_bound


def _lp_bound(c_value, rows, cols, n_rows, row_ub, n_int, y_ub, fairness) -> float:
    """Optimum of the LP relaxation (an upper bound), by HiGHS' dual simplex."""
    from scipy.optimize import linprog

    if n_int == 0:
        return 0.0
    n = n_int + len(y_ub)
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    data = np.ones(len(r))
    neg = r < 0
    data[neg & (c < n_int)] = -1.0
    r = np.where(neg, -r - 1, r)
    A = csr_array((data, (r, c)), shape=(n_rows, n))
    obj = -np.concatenate([c_value, np.full(len(y_ub), fairness)])
    bounds = np.column_stack([np.zeros(n), np.concatenate([np.ones(n_int), y_ub])])
    res = linprog(obj, A_ub=A, b_ub=row_ub, bounds=bounds, method="highs")
    if res.status != 0:
        return float(np.inf)
    # the LP optimum is exact to the solver's tolerance; pad it so it stays an upper bound
    return float(-res.fun) * (1 + 1e-9) + 1e-7
