"""Hostile JSON for `python -m matchmaker.matching rank` and `python -m matchmaker.scheduling
solve|check`: whatever the document, the command answers with its result or with one line on
stderr and a non-zero exit code, never with a Python traceback."""

import copy
import json
import os
import pathlib
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matchmaker.matching.__main__ import main as matching_main
from matchmaker.scheduling.__main__ import main as scheduling_main
from tests.hostile.strategies import HOSTILE, MARKUP, SQL, UNICODE

ROOT = pathlib.Path(__file__).resolve().parents[2]

PARTICIPANTS = {
    "format": "matchmaker.participants/1",
    "rules": {"cross_border_bonus": 0.2, "excluded_type_pairs": [["university", "university"]],
              "not_interested": [[1, 2]]},
    "participants": [
        {"id": 1, "organisation_id": 10, "country": "RO", "type": "company",
         "profile": "Furniture factory", "sectors": ["wood"],
         "offers": [{"id": "1-o", "title": "Factory site for pilots"}],
         "requests": [{"id": "1-r", "title": "ERP integration",
                       "description": "Connect our ERP with the web shop",
                       "keywords": ["erp"]}]},
        {"id": 2, "organisation_id": 20, "country": "RS", "type": "company",
         "offers": [{"id": "2-o", "title": "Implementacija i integracija ERP sistema"}],
         "requests": [{"id": "2-r", "title": "Pilot customers in manufacturing"}]},
        {"id": 3, "organisation_id": 30, "country": "MD", "type": "university",
         "offers": [{"id": "3-o", "title": "Soil sensors"}], "requests": []},
    ],
}  # fmt: skip

INSTANCE = {
    "format": "matchmaker.schedule-instance/1",
    "tables": 2,
    "slots": [
        {"id": "d1-0900", "day": "2026-03-10", "start": "09:00", "end": "09:25"},
        {"id": "d1-0930", "day": "2026-03-10", "start": "09:30", "end": "09:55", "tables": 1},
    ],
    "participants": [{"id": "ana", "max_meetings": 2}, {"id": "bogdan", "slots": ["d1-0900"]},
                     {"id": "chiara"}, {"id": 17, "min_meetings": 1}],
    "candidates": [{"a": "ana", "b": "bogdan", "priority": "accepted", "weight": 0.4},
                   {"a": "ana", "b": "chiara", "priority": "suggestion", "weight": 0.7,
                    "slots": ["d1-0930"]},
                   {"a": "chiara", "b": 17, "priority": "mutual", "weight": 1}],
    "locked": [{"a": "bogdan", "b": 17, "slot": "d1-0900", "table": 1}],
    "options": {"min_meetings": 1, "fill_with_suggestions": True, "break_fairness": 1},
}  # fmt: skip

SCHEDULE = {
    "format": "matchmaker.schedule/1",
    "meetings": [{"a": "ana", "b": "chiara", "slot": "d1-0930", "table": 1,
                  "priority": "suggestion", "weight": 0.7, "locked": False}],
    "figures": None,
    "unplaced": [],
}  # fmt: skip

# Values of every JSON type, and the numbers and strings that break careless code.
HOSTILE_VALUES = st.one_of(
    st.sampled_from(
        [
            None,
            True,
            False,
            0,
            -1,
            -(2**63),
            2**63,
            10**30,
            1e308,
            -1e308,
            0.5,
            -0.0,
            "",
            " ",
            [],
            {},
            [None],
            {"": None},
            [[1, 2, 3]],
            "9" * 400,
            *MARKUP,
            *SQL,
            *UNICODE,
            "a\x00b",
            "matchmaker.participants/2",
            "matchmaker.schedule-instance/0",
            "d1-0900",
            "ana",
            17,
            "17",
            1,
            "1",
        ]  # fmt: skip
    ),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)


def _paths(value, path=()):
    """Every path into a JSON document (dict keys and list indexes), the root excluded."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, child in items:
        yield (*path, key)
        yield from _paths(child, (*path, key))


@st.composite
def mutated(draw, document):
    """`document` with one to three hostile edits: a value replaced (wrong type, huge,
    negative, unknown id), a key removed, an item duplicated, or a key added."""
    document = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(document))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        edit = draw(st.sampled_from(["replace", "replace", "remove", "duplicate", "add"]))
        if edit == "replace":
            parent[key] = draw(HOSTILE_VALUES)
        elif edit == "remove":
            del parent[key]
        elif edit == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "id", "format", "x" * 50]))] = draw(
                HOSTILE_VALUES
            )
    return document


def _run(main, argv, capsys):
    """Run a command's main in-process: (exit code, stdout, stderr). It may raise nothing
    but SystemExit (what argparse raises for bad arguments)."""
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_clean_outcome(code, out, err, ok_codes=(0,)):
    """Either the command's result, or exactly one line on stderr with a non-zero code."""
    assert "Traceback" not in err
    if code in ok_codes:
        return
    assert code not in (0, None)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(("error:", "python -m")), lines[0]


def _write(tmp_path, name, document):
    path = tmp_path / name
    if isinstance(document, bytes | str):
        path.write_bytes(document if isinstance(document, bytes) else document.encode())
    else:
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


# Malformed files, whatever the command: not JSON, not UTF-8, too deep, not an object.
MALFORMED = [
    b"",
    b"{",
    b"\xff\xfe{\x00}\x00",
    b"\xef\xbb\xbf{}",  # a BOM before the JSON
    b"[" * 100_000 + b"]" * 100_000,
    b"null",
    b"[]",
    b'"a string"',
    b"NaN",
    b'{"format": NaN}',
    b'{"format": "x", "format": "y"}',
    b"\x00\x00\x00",
    b"{'single': 'quotes'}",
    b'{"format": ' + b"9" * 5000 + b"}",  # past Python's 4,300-digit limit for int("...")
    b'{"participants": [{"id": -' + b"1" * 5000 + b"}]}",
]


@pytest.mark.parametrize("content", MALFORMED, ids=range(len(MALFORMED)))
def test_rank_refuses_malformed_file_in_one_line(tmp_path, capsys, content):
    path = _write(tmp_path, "participants.json", content)
    code, out, err = _run(matching_main, ["rank", path], capsys)
    assert code == 2
    assert_clean_outcome(code, out, err)


@pytest.mark.parametrize("content", MALFORMED, ids=range(len(MALFORMED)))
def test_solve_and_check_refuse_malformed_file_in_one_line(tmp_path, capsys, content):
    bad = _write(tmp_path, "bad.json", content)
    good_instance = _write(tmp_path, "instance.json", INSTANCE)
    code, out, err = _run(scheduling_main, ["solve", "--quiet", bad], capsys)
    assert code == 2
    assert_clean_outcome(code, out, err)
    code, out, err = _run(scheduling_main, ["check", good_instance, bad], capsys)
    assert code == 2
    assert_clean_outcome(code, out, err)


@HOSTILE
@given(document=mutated(PARTICIPANTS), top=st.sampled_from(["3", "1", "0", "-5", "x", "10**9"]))
def test_rank_answers_hostile_document_cleanly(tmp_path, capsys, document, top):
    path = _write(tmp_path, "participants.json", document)
    code, out, err = _run(matching_main, ["rank", path, "--top", top], capsys)
    assert_clean_outcome(code, out, err)
    if code == 0:
        assert json.loads(out)["format"] == "matchmaker.matches/1"


@HOSTILE
@given(document=mutated(INSTANCE))
def test_solve_answers_hostile_instance_cleanly(tmp_path, capsys, document):
    path = _write(tmp_path, "instance.json", document)
    code, out, err = _run(scheduling_main, ["solve", "--quiet", "--time-limit", "2", path], capsys)
    assert_clean_outcome(code, out, err, ok_codes=(0, 1))
    if code in (0, 1) and out:
        assert json.loads(out)["format"] == "matchmaker.schedule/1"


@HOSTILE
@given(instance=mutated(INSTANCE), schedule=mutated(SCHEDULE))
def test_check_answers_hostile_schedule_cleanly(tmp_path, capsys, instance, schedule):
    instance_path = _write(tmp_path, "instance.json", instance)
    schedule_path = _write(tmp_path, "schedule.json", schedule)
    code, out, err = _run(scheduling_main, ["check", instance_path, schedule_path], capsys)
    assert_clean_outcome(code, out, err, ok_codes=(0, 1))


@pytest.mark.parametrize(
    "weight", ["heavy", {"kg": 1}, [1], "1e999"], ids=["text", "object", "list", "overflow"]
)
def test_check_refuses_meeting_weight_that_is_no_number(tmp_path, capsys, weight):
    schedule = copy.deepcopy(SCHEDULE)
    schedule["meetings"][0]["weight"] = weight
    code, out, err = _run(
        scheduling_main,
        ["check", _write(tmp_path, "i.json", INSTANCE), _write(tmp_path, "s.json", schedule)],
        capsys,
    )
    assert (code, err.strip()) == (
        2, f"error: meetings[0].weight must be a finite number, got {weight!r}"
    )  # fmt: skip


@pytest.mark.parametrize(
    "edit",
    [
        ("tables", 10**12),
        ("slots", [{"id": f"s{i}", "day": "d", "start": "0", "tables": 10**9} for i in range(3)]),
        ("participants", [{"id": "ana", "max_meetings": 10**18}, {"id": "bogdan"}]),
    ],
    ids=["tables-10^12", "slot-tables-10^9", "max-meetings-10^18"],
)
def test_solve_copes_with_huge_numbers(tmp_path, capsys, edit):
    document = copy.deepcopy(INSTANCE)
    key, value = edit
    document[key] = value
    if key == "participants":
        document["candidates"] = [{"a": "ana", "b": "bogdan", "priority": "accepted"}]
        document["locked"] = []
    if key == "slots":
        for candidate in document["candidates"]:
            candidate.pop("slots", None)
        document["participants"] = [{"id": p["id"]} for p in document["participants"]]
        document["locked"] = []
    path = _write(tmp_path, "instance.json", document)
    code, out, err = _run(scheduling_main, ["solve", "--quiet", "--time-limit", "2", path], capsys)
    assert_clean_outcome(code, out, err, ok_codes=(0, 1))


def _subprocess(module, *args):
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=120,
    )


def test_rank_subprocess_prints_no_traceback(tmp_path):
    bad = copy.deepcopy(PARTICIPANTS)
    bad["participants"][1]["offers"][0]["title"] = ["not", "text"]
    done = _subprocess("matchmaker.matching", "rank", _write(tmp_path, "p.json", bad))
    assert (done.returncode, done.stderr) == (
        2,
        "error: " + str(tmp_path / "p.json")
        + ": participants[1].offers[0].title: expected a string, got a list\n",
    )  # fmt: skip


def test_solve_subprocess_prints_no_traceback(tmp_path):
    bad = copy.deepcopy(INSTANCE)
    bad["candidates"].append(copy.deepcopy(bad["candidates"][0]))
    bad["candidates"][-1]["b"] = "nobody"
    done = _subprocess("matchmaker.scheduling", "solve", "--quiet", _write(tmp_path, "i.json", bad))
    assert done.returncode == 2
    assert done.stderr == "error: candidate 3 (ana-nobody): unknown participant 'nobody'\n"


def test_check_subprocess_prints_no_traceback(tmp_path):
    schedule = copy.deepcopy(SCHEDULE)
    schedule["meetings"][0]["weight"] = "heavy"
    done = _subprocess(
        "matchmaker.scheduling",
        "check",
        _write(tmp_path, "i.json", INSTANCE),
        _write(tmp_path, "s.json", schedule),
    )
    assert (done.returncode, "Traceback" in done.stderr) == (2, False)
    assert done.stderr.count("\n") == 1


# Raw JSON text put in place of one value of a valid document: numbers past what Python parses
# or what a float holds, deep nesting, and constants JSON does not have.
RAW_TOKENS = st.one_of(
    st.integers(4000, 6000).map(lambda digits: "7" * digits),
    st.integers(4000, 6000).map(lambda digits: "-" + "1" * digits),
    st.sampled_from(["1e999", "-1e999", "1" * 400 + ".5", "1e-999", "Infinity", "-Infinity",
                     "NaN", "0." + "0" * 5000 + "1"]),
    st.integers(1, 3000).map(lambda depth: "[" * depth + "1" + "]" * depth),
    st.integers(1, 3000).map(lambda depth: '{"a": ' * depth + "1" + "}" * depth),
)  # fmt: skip
SENTINEL = "\u2063raw\u2063"


@st.composite
def with_raw_token(draw, document):
    """`document` (already hostile-mutated) as JSON text with one value replaced by a raw
    token from RAW_TOKENS."""
    document = draw(mutated(document))
    paths = list(_paths(document))
    if paths:
        path = draw(st.sampled_from(paths))
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = SENTINEL
    else:
        document = SENTINEL
    text = json.dumps(document, ensure_ascii=False)
    return text.replace(json.dumps(SENTINEL, ensure_ascii=False), draw(RAW_TOKENS), 1)


@HOSTILE
@given(text=with_raw_token(PARTICIPANTS))
def test_rank_answers_raw_hostile_json_with_0_or_2(tmp_path, capsys, text):
    code, out, err = _run(matching_main, ["rank", _write(tmp_path, "p.json", text)], capsys)
    assert code in (0, 2)
    assert_clean_outcome(code, out, err)


@HOSTILE
@given(text=with_raw_token(INSTANCE))
def test_solve_answers_raw_hostile_json_with_0_1_or_2(tmp_path, capsys, text):
    path = _write(tmp_path, "i.json", text)
    code, out, err = _run(scheduling_main, ["solve", "--quiet", "--time-limit", "2", path], capsys)
    assert code in (0, 1, 2)
    assert_clean_outcome(code, out, err, ok_codes=(0, 1))


@HOSTILE
@given(text=with_raw_token(SCHEDULE))
def test_check_answers_raw_hostile_schedule_with_0_1_or_2(tmp_path, capsys, text):
    instance = _write(tmp_path, "i.json", INSTANCE)
    code, out, err = _run(scheduling_main, ["check", instance, _write(tmp_path, "s.json", text)],
                          capsys)  # fmt: skip
    assert code in (0, 1, 2)
    assert_clean_outcome(code, out, err, ok_codes=(0, 1))


@pytest.mark.parametrize("module", ["matchmaker.matching", "matchmaker.scheduling"])
def test_number_of_5000_digits_is_one_line_and_exit_2(tmp_path, module):
    """Python refuses to parse integers past 4,300 digits: this was a traceback and exit 1."""
    path = _write(tmp_path, "big.json", b'{"format": ' + b"9" * 5000 + b"}")
    args = ["rank", path] if module == "matchmaker.matching" else ["solve", "--quiet", path]
    done = _subprocess(module, *args)
    assert (done.returncode, done.stderr) == (
        2, f"error: {path}: a number in it has too many digits\n"
    )  # fmt: skip
