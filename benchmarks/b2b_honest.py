"""Honest status on a fairness bound that may not hold (issue 19, case 2).

The issue's instance: 78 participants, 302 meetings, 22 slots, 22 tables, 40 % of the
meetings fixed to a slot, ``break_fairness`` 2; the published result is that no agenda within
2 exists, and ``solve`` used to answer ``feasible`` with a spread of 3 (``check`` passing).
The stand-in: ``synthetic.b2b_fixed`` of that size; a first ``solve`` without fairness gives
an agenda, and 40 % of the meetings (seeded) are then fixed to their slot there, so an agenda
placing every meeting exists; whether one within the bound does is what ``solve`` must say.

    python -m benchmarks.b2b_honest [--seeds 0,1,2] [--time-limit 30]

Per seed it prints the status, the spread (breaks max - min), the breaks, the proved lower
bound, the seconds and how many violations ``check`` finds; the status is honest when it is
``optimal``/``feasible`` exactly when ``check`` finds none. The last line is a JSON list.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import replace

from matchmaker.scheduling import Options, check, solve
from matchmaker.scheduling.synthetic import b2b_fixed


def fixed_share_instance(seed: int, share: float = 0.4):
    """The stand-in of the issue's instance for ``seed`` (see the module doc)."""
    inst = b2b_fixed(78, 302, 22, 22, seed=seed, fairness=2)
    loose = replace(inst, options=Options(fixed_meetings=True, reduce_breaks=False))
    agenda = {m.id: m.slot for m in solve(loose, 10).meetings}
    rng = random.Random(seed)
    cands = tuple(
        replace(c, slots=frozenset({agenda[f"c{i}"]})) if rng.random() < share else c
        for i, c in enumerate(inst.candidates)
    )
    return replace(inst, candidates=cands)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args(argv)
    rows = []
    for seed in (int(s) for s in args.seeds.split(",")):
        inst = fixed_share_instance(seed)
        t0 = time.perf_counter()
        sch = solve(inst, args.time_limit)
        seconds = round(time.perf_counter() - t0, 1)
        f = sch.figures
        violations = check(inst, sch)
        honest = (f.status in ("optimal", "feasible")) == (not violations)
        row = {
            "seed": seed,
            "status": f.status,
            "spread": f.breaks_max - f.breaks_min,
            "breaks": f.breaks_total,
            "bound": f.breaks_bound,
            "seconds": seconds,
            "violations": len(violations),
            "honest": honest,
        }
        rows.append(row)
        print(
            f"seed {seed}: {f.status}, spread {row['spread']} (bound 2), {f.breaks_total} breaks"
            f" (proved >= {f.breaks_bound}), {seconds} s, check: {len(violations)} violations"
            f"{'' if honest else ' -- DISHONEST'}"
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
