"""Break minimisation on fixed meetings, instances of the published B2B shape.

The Forum of the Catalan ICT cluster instances (Bofill, Coll, Suy, Villaret et al.) were not
obtainable offline, so seeded instances of the same shape are generated: 40-80 participants,
150-300 meetings that must all be placed, 8-22 slots of one day split into morning and
afternoon, 12-27 tables, participants available in the morning, the afternoon or both, and a
bound of 2 on the difference between participants' break counts.

    python -m benchmarks.b2b_breaks [--time-limit 30] [--anneal 10]

Per instance it prints the breaks found by ``solve`` (annealing warm start + CP-SAT), whether
CP-SAT proved them optimal, the lower bound it proved (recorded from ``breaks.exact``, which
``solve`` calls), the seconds, and the breaks of annealing alone; the last line is a JSON list.
"""

from __future__ import annotations

import argparse
import json
import time

from matchmaker.scheduling import breaks as breaks_mod
from matchmaker.scheduling import check, solve
from matchmaker.scheduling.breaks import anneal, participant_breaks
from matchmaker.scheduling.core import build
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


def annealing_only(inst, seconds: float, seed: int) -> int | None:
    """Breaks after greedy placement and annealing alone (None: greedy left meetings out)."""
    prob = build(inst)
    st = place_selection(prob, list(prob.free))
    if any(st.slot_of[k] < 0 for k in prob.free):
        return None
    anneal(st, seconds, seed, inst.options.break_fairness)
    return sum(participant_breaks(st))


def solve_recording_bound(inst, time_limit: float, seed: int):
    """``solve``, and the lower bound proved by its exact break stage (None if it did not run)."""
    calls = []
    original = breaks_mod.exact

    def recording(*args, **kwargs):
        out = original(*args, **kwargs)
        calls.append(out)
        return out

    breaks_mod.exact = recording
    try:
        sch = solve(inst, time_limit=time_limit, seed=seed)
    finally:
        breaks_mod.exact = original
    return sch, (calls[-1][2] if calls else None)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--anneal", type=float, default=10.0, help="seconds of annealing alone")
    parser.add_argument("--fairness", type=int, default=2)
    args = parser.parse_args(argv)
    results = []
    for participants, meetings, slots, tables, seed in SHAPES:
        inst = b2b_fixed(participants, meetings, slots, tables, seed=seed, fairness=args.fairness)
        sa = annealing_only(inst, args.anneal, seed)
        t0 = time.perf_counter()
        sch, lower_bound = solve_recording_bound(inst, args.time_limit, seed)
        seconds = time.perf_counter() - t0
        f = sch.figures
        row = {
            "participants": participants,
            "meetings": len(inst.candidates),
            "slots": slots,
            "tables": tables,
            "breaks": f.breaks_total,
            "breaks_max_minus_min": f.breaks_max - f.breaks_min,
            "optimal_proved": f.breaks_optimal,
            "lower_bound": lower_bound,
            "status": f.status,
            "seconds": round(seconds, 2),
            "annealing_only_breaks": sa,
            "violations": len(check(inst, sch)),
        }
        results.append(row)
        print(
            f"{participants} participants, {row['meetings']} meetings, {slots} slots, "
            f"{tables} tables: breaks {row['breaks']} "
            f"({'optimal' if row['optimal_proved'] else 'not proved'}, lower bound "
            f"{lower_bound}) in {row['seconds']} s; "
            f"annealing alone {sa}",
            flush=True,
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
