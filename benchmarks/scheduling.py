"""Schedule optimiser benchmark on seeded synthetic events.

    python -m benchmarks.scheduling --participants 2000 --slots 24 --candidates 20000
    python -m benchmarks.scheduling --all      # 200/16/2,000, 2,000/24/20,000, 3,000/40/30,000

Prints one line per event and, last, one JSON document (a list with --all). The bar
(design.md): 2,000 participants, 24 slots, 20,000 candidates in <= 30 s including break
reduction, every feasible accepted request placed, objective >= 99.5 % of the bound.
"""

from __future__ import annotations

import argparse
import json
import time

from matchmaker.scheduling import check, solve
from matchmaker.scheduling.synthetic import event

SIZES = [(200, 16, 2_000), (2_000, 24, 20_000), (3_000, 40, 30_000)]


def run(
    participants: int,
    slots: int,
    candidates: int,
    seed: int,
    time_limit: float,
    tables: int | None = None,
) -> dict:
    inst = event(
        participants, slots, candidates, seed=seed, tables=tables, locked=participants // 100
    )
    t0 = time.perf_counter()
    schedule = solve(inst, time_limit=time_limit, seed=seed)
    seconds = time.perf_counter() - t0
    f = schedule.figures
    violations = check(inst, schedule)
    result = {
        "participants": participants,
        "slots": slots,
        "candidates": candidates,
        "tables_per_slot": inst.slots[0].tables,
        "seconds": round(seconds, 2),
        "method": f.method,
        "meetings": len(schedule.meetings),
        "placed": f.placed,
        "objective": f.objective,
        "bound": f.bound,
        "gap": f.gap,
        "objective_share_of_bound": round(f.objective / f.bound, 6) if f.bound else 1.0,
        "total_weight": f.total_weight,
        "accepted_placed": f.placed["accepted"],
        "accepted_feasible": f.accepted_feasible,
        "zero_meeting_participants": len(f.zero_meeting_participants),
        "breaks_total": f.breaks_total,
        "breaks_max": f.breaks_max,
        "table_moves": f.table_moves,
        "violations": len(violations),
    }
    result["meets_bar"] = (
        result["seconds"] <= 30
        and result["accepted_placed"] == result["accepted_feasible"]
        and result["objective_share_of_bound"] >= 0.995
        and not violations
    )
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=2_000)
    parser.add_argument("--slots", type=int, default=24)
    parser.add_argument("--candidates", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=25.0)
    parser.add_argument(
        "--tables", type=int, default=None, help="tables per slot (default 0.35 x participants)"
    )
    parser.add_argument("--all", action="store_true", help="run the three standard sizes")
    args = parser.parse_args(argv)
    sizes = SIZES if args.all else [(args.participants, args.slots, args.candidates)]
    results = []
    for p, s, c in sizes:
        r = run(p, s, c, args.seed, args.time_limit, args.tables)
        results.append(r)
        print(
            f"{p} participants, {s} slots, {c} candidates: {r['seconds']} s, "
            f"{r['meetings']} meetings, accepted {r['accepted_placed']}/{r['accepted_feasible']}, "
            f"objective {r['objective']} / bound {r['bound']} (gap {r['gap']:.2e}), "
            f"breaks {r['breaks_total']} (max {r['breaks_max']}), "
            f"zero-meeting {r['zero_meeting_participants']}, "
            f"bar {'met' if r['meets_bar'] else 'MISSED'}",
            flush=True,
        )
    print(json.dumps(results if args.all else results[0]))


if __name__ == "__main__":
    main()
