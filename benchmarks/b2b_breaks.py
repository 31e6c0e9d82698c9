"""Break minimisation on fixed meetings: stand-ins of real brokerage events (issue 19) and
denser generated instances of the published B2B shape.

    python -m benchmarks.b2b_breaks [--time-limit 60] [--only S1/0,S1d/1]

runs the stand-ins (``FAMILY``, made by ``benchmarks.b2b_standins``: the shapes of the real
events of issue 19, each generated from a seed) and prints per instance the breaks of
``solve``, the lower bound it proved, the seconds, the status and whether the optimum is
proved (breaks = bound), then the share proved optimal within the time limit. A planted
agenda's breaks (column ``planted``) bound the optimum from above. ``--family dense`` runs
the denser generated family below instead (``--time-limit 30`` in docs/scheduling.md).

The Forum of the Catalan ICT cluster instances (Bofill, Coll, Suy, Villaret et al.) were not
obtainable offline, so seeded instances of the same shape are generated: 40-80 participants,
150-300 meetings that must all be placed, 8-22 slots of one day split into morning and
afternoon, 12-27 tables, participants available in the morning, the afternoon or both, and a
bound of 2 on the difference between participants' break counts.

    python -m benchmarks.b2b_breaks --family dense [--time-limit 30] [--anneal 10]

Per instance it prints the breaks found by ``solve`` (annealing warm start + CP-SAT), whether
CP-SAT proved them optimal, the lower bound it proved (``Figures.breaks_bound``), the seconds,
and the breaks of annealing alone; the last line is a JSON list.
Each row also gives the instance's shape: load (meetings / (slots x tables)), the largest
number of meetings of one participant and how many participants meet in every slot they are
available ("saturated").

    python -m benchmarks.b2b_breaks --instance forum.json [--instance ...]

runs instances in the JSON interchange format (``matchmaker.schedule-instance/1`` with
``options.fixed_meetings`` true: every candidate is a meeting to place) instead of the
generated ones, e.g. the published Forum
instances once converted. ``--only 4,5`` runs some generated shapes (0-based; stand-ins by
position or name, ``S1/0``, also seeds outside ``FAMILY``, ``S1t/3``). ``--repeats N`` and
``--precedences N`` (planted stand-ins): N pairs meet twice in the planted agenda (both
meetings are candidates), N precedences in planted order are in the instance (``after``)
and listed in the row.
``--relaxation SECONDS`` adds, per instance, the largest g such that the g participants with
the most meetings can all have no break at once (``breaks_exact.break_free_possible``,
bisection over g, SECONDS per question): where even that relaxation is refuted only near
all participants, the breaks come from the whole agenda, not from a small group.
``--split SECONDS`` (with ``--relaxation``) then asks "everyone but p has no break" for each
p of the refuted set: all refuted proves that every agenda has at least 2 breaks.
``--breaker-share F`` sets the time share of the breaker-set step inside ``solve`` (0: off,
for a comparison); ``--breakers SECONDS`` runs that step alone from a 2 s annealed agenda
(``breaks_exact.breaker_search``: the two thirds of participants with the most meetings kept
break-free, the others' breaks minimised, the lower bound of ``solve`` as a constraint).
``--at-most K --question-seconds S`` asks the bottom-up question "at most K breaks?" alone
(no fairness, hinted with a 2 s annealed agenda): "refuted" proves a lower bound of K + 1.
``--sat-bottom-up SECONDS`` asks the SAT questions of ``breaks_sat`` alone (CaDiCaL, with
fairness), k = 0, 1, ..., up to ``--sat-k-max``: the lower bound they reach, and the breaks
of the agenda when one is found (at the bound, so optimal).
"""

from __future__ import annotations

import argparse
import json
import time

from benchmarks.b2b_standins import standin
from matchmaker.scheduling import breaks_exact, check, solve
from matchmaker.scheduling import solver as solver_mod
from matchmaker.scheduling.breaks import anneal, participant_breaks
from matchmaker.scheduling.breaks_exact import break_free_possible
from matchmaker.scheduling.core import build
from matchmaker.scheduling.interchange import parse_instance
from matchmaker.scheduling.place import place_selection
from matchmaker.scheduling.synthetic import b2b_fixed

#: (participants, meetings, slots, tables, seed), spanning the published range
SHAPES = [
    (40, 150, 12, 18, 1),
    (45, 160, 14, 16, 2),
    (50, 180, 16, 15, 3),
    (55, 190, 16, 17, 4),
    (60, 200, 18, 14, 5),
    (65, 220, 20, 15, 6),
    (70, 240, 20, 16, 7),
    (72, 260, 22, 16, 8),
    (76, 280, 22, 20, 9),
    (80, 300, 22, 27, 10),
]


#: The stand-ins of issue 19: (shape of ``b2b_standins.SHAPES``, seed). Planted (S1, S1f, S1t,
#: S1tf, S2, S3: an agenda with 1-2 breaks is planted, so the optimum is at most that) and
#: drawn (S2d, S3d: 40 % locked where a random feasible agenda put them; S1d, S1df: meetings
#: drawn around a random feasible agenda; optimum unknown).
#: S1t: the greedy placement leaves meetings out (the real event's failure) on seeds 1, 2, 4,
#: 6 and 7 of 0-7; the family takes 4, 6, 7 and 0 (where it does not). S1tf: on seeds 0 and
#: 1 of 0-3 (0 leaves two out, 1 four).
FAMILY = [
    ("S1", 0),
    ("S1", 1),
    ("S1f", 0),
    ("S1f", 1),
    ("S1t", 0),
    ("S1t", 4),
    ("S1t", 6),
    ("S1t", 7),
    ("S1tf", 0),
    ("S2", 0),
    ("S2", 1),
    ("S3", 0),
    ("S2d", 0),
    ("S3d", 0),
    ("S1d", 0),
    ("S1d", 1),
    ("S1df", 0),
]


def annealing_only(inst, seconds: float, seed: int) -> int | None:
    """Breaks after greedy placement and annealing alone (None: greedy left meetings out)."""
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    if any(st.slot_of[k] < 0 for k in prob.free):
        return None
    anneal(st, seconds, seed, inst.options.break_fairness)
    return sum(participant_breaks(st))


def greedy_left_out(inst) -> int:
    """Meetings the greedy placement of ``solve`` leaves out (fixed-meetings mode)."""
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    return sum(1 for k in prob.free if st.slot_of[k] < 0)


def shape(inst) -> dict:
    """Load, largest meeting count and saturated participants of a fixed-meetings instance."""
    prob = build(inst)
    n = [0] * prob.n_people
    for k in prob.free:
        n[prob.ca[k]] += 1
        n[prob.cb[k]] += 1
    capacity = sum(prob.cap_left)
    return {
        "load": round(len(prob.free) / capacity, 2) if capacity else None,
        "max_meetings": max(n, default=0),
        "saturated": sum(1 for p, c in enumerate(n) if c >= 2 and c == prob.avail[p].bit_count()),
    }


def relaxation(inst, seconds: float, seed: int) -> tuple[int | None, int | None]:
    """(largest g known break-free, smallest g refuted) for "the g participants with the most
    meetings all without a break", by bisection; None where unknown."""
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    anneal(st, 2.0, seed, None)  # a hint (used only when greedy placed every meeting)
    n = [0] * prob.n_people
    for k in prob.free:
        n[prob.ca[k]] += 1
        n[prob.cb[k]] += 1
    order = sorted((p for p in range(prob.n_people) if n[p] >= 2), key=lambda p: -n[p])
    answers: dict[int, bool | None] = {}

    def ask(g: int) -> bool | None:
        if g not in answers:
            answers[g] = break_free_possible(st, set(order[:g]), seconds, meetings=prob.free)
        return answers[g]

    # two bisections, as an unsettled question says nothing about larger or smaller g
    lo, hi = 0, len(order) + 1  # largest g known break-free in [lo, hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if ask(mid) is True else (lo, mid)
    ok = lo
    lo, hi = ok, len(order) + 1  # smallest g refuted in (lo, hi]; hi = len + 1: none
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if ask(mid) is False else (mid, hi)
    return ok, (hi if hi <= len(order) else None)


def single_breaker(inst, seconds: float, seed: int, refuted: int) -> bool | None:
    """Is "only one participant has breaks" refuted, so that every agenda has 2 breaks or
    more? With the first ``refuted`` participants by meeting count known not to be all
    break-free, only "everyone but p" for p among them needs refuting. True: refuted;
    False: an agenda with breaks at one participant only exists; None: not settled."""
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    anneal(st, 2.0, seed, None)
    n = [0] * prob.n_people
    for k in prob.free:
        n[prob.ca[k]] += 1
        n[prob.cb[k]] += 1
    order = sorted((p for p in range(prob.n_people) if n[p] >= 2), key=lambda p: -n[p])
    everyone = set(order)
    for p in order[:refuted]:
        answer = break_free_possible(st, everyone - {p}, seconds, meetings=prob.free)
        if answer is not False:
            return None if answer is None else False  # False: an agenda with one breaker
    return True


def breaker_step(inst, seconds: float, seed: int, lower_bound: int) -> dict:
    """The breaker-set step alone (``breaks_exact.breaker_search``) from an annealed agenda:
    the participants with the most meetings kept break-free, the others' breaks minimised,
    ``lower_bound`` as a constraint. Returns the breaks found (None: none better than the
    annealed agenda), the annealed breaks, whether the bound is met, and the seconds."""
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    anneal(st, 2.0, seed, inst.options.break_fairness)
    bm = breaks_exact.build(st, inst.options.break_fairness, list(prob.free))
    t0 = time.perf_counter()
    _solver, found, optimal = breaks_exact.breaker_search(
        bm, lower_bound, bm.before if bm.fair else None, bm.hints, seconds
    )
    return {
        "breaker_breaks": found,
        "breaker_start": bm.before,
        "breaker_meets_bound": optimal,
        "breaker_seconds": round(time.perf_counter() - t0, 2),
    }


def at_most(inst, k: int, seconds: float, seed: int) -> tuple[str, int | None, float]:
    """The bottom-up question of ``solve_exact`` alone, without fairness (a relaxation, so a
    refutation holds with fairness too): is there an agenda with at most ``k`` breaks?
    Returns ("refuted" | "found" | "unknown", breaks of the agenda found, seconds)."""
    from ortools.sat.python import cp_model

    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    anneal(st, 2.0, seed, inst.options.break_fairness)  # the hint
    bm = breaks_exact.build(st, None, list(prob.free))
    bm.model.add(sum(bm.objective) + bm.constant <= k)
    for var, val in bm.hints:
        bm.model.add_hint(var, val)
    t0 = time.perf_counter()
    solver, status = breaks_exact._run(bm.model, seconds, 2, breaks_exact.BOTTOM_UP_SUBSOLVERS)
    took = round(time.perf_counter() - t0, 2)
    if status == cp_model.INFEASIBLE:
        return "refuted", None, took
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "found", round(solver.objective_value), took
    return "unknown", None, took


def sat_bottom_up(inst, k_max: int, seconds: float, seed: int) -> dict:
    """The SAT questions of ``breaks_sat`` alone, with fairness, k = 0, 1, ... up to ``k_max``
    (one CaDiCaL instance, ``seconds`` in all, hinted with a 2 s annealed agenda): the
    lower bound they prove, the agenda found (its breaks, or None) and per question the
    seconds it took."""
    from matchmaker.scheduling.breaks_sat import BreakSat

    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    anneal(st, 2.0, seed, inst.options.break_fairness)
    t0 = time.perf_counter()
    sat = BreakSat(st, inst.options.break_fairness, list(prob.free), bound=k_max)
    lower, found, steps = sat.constant, None, []
    while lower <= k_max and time.perf_counter() - t0 < seconds:
        t1 = time.perf_counter()
        answer = sat.at_most(lower, seconds - (t1 - t0))
        steps.append(
            [
                lower,
                {True: "found", False: "refuted", None: "open"}[answer],
                round(time.perf_counter() - t1, 1),
            ]
        )
        if answer is False:
            lower += 1
            continue
        if answer:
            found = sum(breaks_exact._breaks_per_person(st, sat.slots()))
        break
    sat.close()
    return {"sat_lower_bound": lower, "sat_found": found, "sat_steps": steps}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", choices=["standins", "dense"], default="standins")
    parser.add_argument("--time-limit", type=float, default=None, help="60 (dense: 30)")
    parser.add_argument(
        "--anneal", type=float, default=None, help="seconds of annealing alone (0: skip)"
    )
    parser.add_argument("--fairness", type=int, default=2)
    parser.add_argument("--instance", action="append", default=[], help="JSON instance file")
    parser.add_argument("--only", default="", help="generated shapes to run, e.g. 4,5")
    parser.add_argument("--relaxation", type=float, default=0.0, help="seconds per question")
    parser.add_argument("--skip-solve", action="store_true", help="shape and relaxation only")
    parser.add_argument(
        "--split", type=float, default=0.0, help="with --relaxation: seconds per breaker case"
    )
    parser.add_argument(
        "--breaker-share",
        type=float,
        default=None,
        help="time share of the breaker-set step in solve (0: off; default: the module's)",
    )
    parser.add_argument(
        "--breakers",
        type=float,
        default=0.0,
        help="seconds for the breaker-set step alone, from a 2 s annealed agenda",
    )
    parser.add_argument(
        "--at-most",
        type=int,
        default=None,
        help="ask 'an agenda with at most K breaks?' alone (--question-seconds each)",
    )
    parser.add_argument("--question-seconds", type=float, default=60.0)
    parser.add_argument(
        "--sat-bottom-up",
        type=float,
        default=0.0,
        help="seconds for the SAT questions alone, k = 0, 1, ... (CaDiCaL, with fairness)",
    )
    parser.add_argument("--sat-k-max", type=int, default=12)
    parser.add_argument(
        "--repeats",
        type=int,
        default=0,
        help="stand-ins: pairs meeting twice in the planted agenda",
    )
    parser.add_argument(
        "--precedences",
        type=int,
        default=0,
        help="stand-ins: precedences in planted order (candidates' after)",
    )
    parser.add_argument(
        "--no-complete",
        action="store_true",
        help="fixed meetings the greedy placement left out stay out (as before issue 19)",
    )
    args = parser.parse_args(argv)
    if args.no_complete:
        solver_mod.COMPLETE_SHARE = 0.0
    if args.breaker_share is not None:
        breaks_exact.BREAKER_SHARE = args.breaker_share
    runs = []
    for path in args.instance:
        with open(path, encoding="utf-8") as fh:
            inst = parse_instance(json.load(fh))
        runs.append((path, inst, 0))
    dense = args.family == "dense"
    if args.time_limit is None:
        args.time_limit = 30.0 if dense else 60.0
    if args.anneal is None:
        args.anneal = 10.0 if dense else 0.0
    chosen = {i.strip() for i in args.only.split(",") if i.strip()}
    planted: dict[str, int | None] = {}
    hooks: dict[str, dict] = {}  # repeated pairs and precedences (indices of planted meetings)
    if not args.instance and not dense:
        family = list(FAMILY)
        for key in sorted(chosen):  # other seeds of the shapes, e.g. S1t/3
            name, _, seed = key.partition("/")
            if seed.isdigit() and (name, int(seed)) not in family:
                family.append((name, int(seed)))
        for i, (name, seed) in enumerate(family):
            key = f"{name}/{seed}"
            if chosen and key not in chosen and str(i) not in chosen:
                continue
            st = standin(name, seed, args.fairness, args.repeats, args.precedences)
            planted[key] = st.planted_breaks
            hooks[key] = {"repeats": st.repeats, "after": st.after}
            runs.append((key, st.instance, seed))
    if not args.instance and dense:
        chosen = {int(i) for i in chosen}
        for i, (participants, meetings, slots, tables, seed) in enumerate(SHAPES):
            if chosen and i not in chosen:
                continue
            inst = b2b_fixed(
                participants, meetings, slots, tables, seed=seed, fairness=args.fairness
            )
            runs.append((f"{participants}/{meetings}", inst, seed))
    results = []
    for name, inst, seed in runs:
        participants = len(inst.participants)
        slots = len(inst.slots)
        tables = max(s.tables for s in inst.slots)
        row = {
            "instance": name,
            "participants": participants,
            "meetings": len(inst.candidates),
            "slots": slots,
            "tables": tables,
            **shape(inst),
        }
        text = f"{participants} participants, {row['meetings']} meetings, {slots} slots, "
        text += f"{tables} tables (load {row['load']}, max meetings {row['max_meetings']}, "
        text += f"saturated {row['saturated']})"
        if name in planted:
            row["planted"] = planted[name]
            text = f"{name}: {text}, planted {planted[name]}"
        if hooks.get(name, {}).get("repeats") or hooks.get(name, {}).get("after"):
            row |= hooks[name]
        row["greedy_left_out"] = greedy_left_out(inst)
        if row["greedy_left_out"]:
            text += f", greedy placement leaves {row['greedy_left_out']} out"
        if not args.skip_solve:
            sa = annealing_only(inst, args.anneal, seed) if args.anneal > 0 else None
            t0 = time.perf_counter()
            sch = solve(inst, time_limit=args.time_limit, seed=seed)
            f = sch.figures
            lower_bound = f.breaks_bound
            row |= {
                "breaks": f.breaks_total,
                "breaks_max_minus_min": f.breaks_max - f.breaks_min,
                "optimal_proved": f.breaks_optimal,
                "lower_bound": lower_bound,
                "status": f.status,
                "seconds": round(time.perf_counter() - t0, 2),
                "annealing_only_breaks": sa,
                "violations": len(check(inst, sch)),
            }
            text += (
                f": breaks {row['breaks']} "
                f"({'optimal' if row['optimal_proved'] else 'not proved'}, lower bound "
                f"{lower_bound}) in {row['seconds']} s, {row['status']}"
            )
            text += f"; annealing alone {sa}" if sa is not None else ""
        if args.relaxation > 0:
            row["break_free_top"], row["refuted_top"] = relaxation(inst, args.relaxation, seed)
            text += (
                f"; top {row['break_free_top']} break-free possible, "
                f"top {row['refuted_top']} refuted"
            )
            if args.split > 0 and row["refuted_top"]:
                t0 = time.perf_counter()
                two = single_breaker(inst, args.split, seed, row["refuted_top"])
                row["two_breaks_proved"] = two
                row["split_seconds"] = round(time.perf_counter() - t0, 1)
                text += (
                    f"; one breaker only: {'refuted, >= 2 breaks' if two else two} "
                    f"in {row['split_seconds']} s"
                )
        if args.breakers > 0:
            row |= breaker_step(inst, args.breakers, seed, row.get("lower_bound") or 0)
            text += (
                f"; breaker set: {row['breaker_start']} -> {row['breaker_breaks']} in "
                f"{row['breaker_seconds']} s"
                f"{' (meets the bound)' if row['breaker_meets_bound'] else ''}"
            )
        if args.at_most is not None:
            answer, found, took = at_most(inst, args.at_most, args.question_seconds, seed)
            row |= {"at_most": args.at_most, "answer": answer, "answer_seconds": took}
            text += f"; at most {args.at_most} breaks: {answer}"
            text += f" ({found} breaks)" if found is not None else ""
            text += f" in {took} s"
        if args.sat_bottom_up > 0:
            row |= sat_bottom_up(inst, args.sat_k_max, args.sat_bottom_up, seed)
            text += (
                f"; SAT alone: lower bound {row['sat_lower_bound']}, agenda "
                f"{row['sat_found']}, steps {row['sat_steps']}"
            )
        results.append(row)
        print(text, flush=True)
    solved = [r for r in results if "optimal_proved" in r]
    if solved:
        proved = sum(1 for r in solved if r["optimal_proved"])
        print(
            f"proved optimal within {args.time_limit:g} s: {proved} of {len(solved)}; "
            f"median {sorted(r['seconds'] for r in solved)[len(solved) // 2]} s",
            flush=True,
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
