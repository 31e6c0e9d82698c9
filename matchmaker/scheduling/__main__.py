"""Command line: ``python -m matchmaker.scheduling solve INSTANCE.json [--time-limit S]``
writes the schedule JSON to stdout; ``check INSTANCE.json SCHEDULE.json`` lists violations.

Exit status: 0 success (``check``: no violation); 1 ``check`` found violations, or ``solve``
could not meet a requirement: status ``incomplete``, ``infeasible`` or ``fairness_violated``
(one line on stderr saying why), or a locked meeting conflicts with the instance (one line
each on stderr); 2 bad input (one line on stderr naming the problem).
"""

from __future__ import annotations

import argparse
import json
import sys

from matchmaker.scheduling.check import check
from matchmaker.scheduling.interchange import (
    parse_instance,
    parse_schedule,
    parse_schedule_groups,
    schedule_to_json,
)
from matchmaker.scheduling.model import FAILED_STATUSES, InstanceError
from matchmaker.scheduling.solver import solve


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every other bad input
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _load(path: str) -> object:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as exc:
        raise InstanceError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise InstanceError(f"{path}: not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise InstanceError(
            f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise InstanceError(f"{path}: JSON nested too deeply") from exc
    except ValueError as exc:
        # json refuses integers longer than sys.get_int_max_str_digits() (4,300 by default)
        raise InstanceError(f"{path}: a number in it has too many digits") from exc


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m matchmaker.scheduling", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_solve = sub.add_parser("solve", help="compute a schedule")
    p_solve.add_argument("instance", help="instance JSON (matchmaker.schedule-instance/1)")
    p_solve.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    p_solve.add_argument("--seed", type=int, default=0, help="annealing seed (default 0)")
    p_solve.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p_check = sub.add_parser("check", help="list hard-constraint violations of a schedule")
    p_check.add_argument("instance")
    p_check.add_argument("schedule")
    args = parser.parse_args(argv)
    try:
        if args.command == "solve":
            if not args.time_limit > 0 or args.time_limit > 86400:
                raise InstanceError("--time-limit must be between 0 and 86400 seconds")
            instance = parse_instance(_load(args.instance))

            def progress(stage: str, fraction: float) -> None:
                if not args.quiet:
                    print(f"[{fraction:4.0%}] {stage}", file=sys.stderr)

            schedule = solve(instance, args.time_limit, progress, seed=args.seed)
            json.dump(schedule_to_json(schedule), sys.stdout, indent=1)
            sys.stdout.write("\n")
            for c in schedule.conflicts:
                print(f"conflict: locked meeting {c.id}: {c.detail}", file=sys.stderr)
            f = schedule.figures
            failed = f is not None and f.status in FAILED_STATUSES
            if failed:
                print(f"{f.status}: {f.status_detail}", file=sys.stderr)
            return 1 if failed or schedule.conflicts else 0
        instance = parse_instance(_load(args.instance))
        document = _load(args.schedule)
        meetings = parse_schedule(document)
        problems = check(instance, meetings, parse_schedule_groups(document))
        for line in problems:
            print(line)
        return 1 if problems else 0
    except InstanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
