"""Command line: python -m matchmaker.matching rank PARTICIPANTS.json [--top K]
and python -m matchmaker.matching consortium IDEA.json PARTICIPANTS.json [--teams N]

`rank` reads a participants document (docs/matching.md) and writes each participant's ranked
matches with scores and explanations to stdout as JSON. `consortium` reads a project idea and a
participants document (docs/consortium.md) and writes alternative teams as JSON; it exits 1 when
a constraint cannot be met (the reasons are in the document). Bad input gives one line on
stderr and exit code 2.
"""

import argparse
import json
import os
import sys

from matchmaker.matching.consortium import build_consortia, consortia_document, read_idea
from matchmaker.matching.engine import rank_matches
from matchmaker.matching.interchange import (
    DocumentError,
    matches_document,
    read_co_participation,
    read_document,
)

EXIT_BAD_INPUT = 2
EXIT_UNMET = 1


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
    consortium = commands.add_parser("consortium", help="propose teams for a project idea")
    consortium.add_argument("idea", help="idea document (JSON), '-' for stdin")
    consortium.add_argument("participants", help="participants document (JSON)")
    consortium.add_argument("--teams", type=int, default=3, help="teams to propose (default 3)")
    args = parser.parse_args(argv)

    if args.command == "consortium":
        return _consortium(args)
    if args.top < 1:
        return _fail("--top must be at least 1")
    try:
        participants, rules, co_participation = _read(args.participants, _ranking_input)
    except _BadInput as error:
        return _fail(str(error))

    matches = rank_matches(participants, rules, top_k=args.top, co_participation=co_participation)
    _write(matches_document(matches, args.top))
    return 0


def _ranking_input(document):
    """The participants, rules and past co-participation of one document (read once: it may
    come from stdin)."""
    participants, rules = read_document(document)
    return participants, rules, read_co_participation(document, participants)


def _consortium(args):
    if args.teams < 1:
        return _fail("--teams must be at least 1")
    if args.idea == "-" and args.participants == "-":
        return _fail("only one of the two documents can come from stdin")
    try:
        idea = _read(args.idea, read_idea)
        participants, _ = _read(args.participants, read_document)
    except _BadInput as error:
        return _fail(str(error))
    proposal = build_consortia(idea, participants, teams=args.teams)
    _write(consortia_document(proposal))
    unmet = proposal.problems or not proposal.teams or not proposal.teams[0].constraints_met
    return EXIT_UNMET if unmet else 0


class _BadInput(Exception):
    """One line naming the file and what is wrong with it."""


def _read(name, reader):
    """reader(parsed document of file `name`); raises _BadInput with the one-line message."""
    try:
        return reader(_load(name))
    except OSError as error:
        raise _BadInput(f"{name}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise _BadInput(f"{name}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise _BadInput(f"{name}: not valid JSON: {error}") from None
    except (DocumentError, RecursionError) as error:
        raise _BadInput(f"{name}: {error}") from None


def _write(document):
    try:
        json.dump(document, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error. Python would otherwise complain
        # again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


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
