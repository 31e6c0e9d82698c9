"""Command line: python -m matchmaker.matching rank PARTICIPANTS.json [--top K]

Reads a participants document (docs/matching.md), writes each participant's ranked matches with
scores and explanations to stdout as JSON. Bad input gives one line on stderr and exit code 2.
"""

import argparse
import json
import os
import sys

from matchmaker.matching.engine import rank_matches
from matchmaker.matching.interchange import (
    DocumentError,
    matches_document,
    read_co_participation,
    read_document,
)

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # argparse's own usage block is several lines; the contract is one line.
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def main(argv=None):
    """Run the command; returns the exit code (0, or 2 on bad input)."""
    parser = _Parser(prog="python -m matchmaker.matching", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    rank = commands.add_parser("rank", help="rank every participant's partners")
    rank.add_argument("participants", help="participants document (JSON), '-' for stdin")
    rank.add_argument("--top", type=int, default=20, help="matches per participant (default 20)")
    args = parser.parse_args(argv)

    if args.top < 1:
        return _fail("--top must be at least 1")
    try:
        document = _load(args.participants)
        participants, rules = read_document(document)
        co_participation = read_co_participation(document, participants)
    except OSError as error:
        return _fail(f"{args.participants}: {error.strerror}")
    except UnicodeDecodeError:
        return _fail(f"{args.participants}: not UTF-8 text")
    except json.JSONDecodeError as error:
        return _fail(f"{args.participants}: not valid JSON: {error}")
    except (DocumentError, RecursionError) as error:
        return _fail(f"{args.participants}: {error}")

    matches = rank_matches(participants, rules, top_k=args.top, co_participation=co_participation)
    try:
        json.dump(matches_document(matches, args.top), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error. Python would otherwise complain
        # again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _load(name):
    try:
        if name == "-":
            return json.load(sys.stdin)
        with open(name, encoding="utf-8") as file:
            return json.load(file)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise
    except ValueError as error:
        # json refuses integers longer than sys.get_int_max_str_digits() (4,300 by default)
        raise DocumentError("a number in it has too many digits") from error


def _fail(message):
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
