"""``python -m matchmaker.scheduling``: happy path, and bad input -> one line, exit 2."""

import json
import os
import pathlib
import subprocess
import sys

import pytest

from matchmaker.scheduling import instance_to_json, parse_instance, parse_schedule
from matchmaker.scheduling.__main__ import main

ROOT = pathlib.Path(__file__).resolve().parents[2]

EXAMPLE = {
    "format": "matchmaker.schedule-instance/1",
    "tables": 2,
    "slots": [
        {"id": "d1-0900", "day": "2026-03-10", "start": "09:00", "end": "09:25"},
        {"id": "d1-0930", "day": "2026-03-10", "start": "09:30", "end": "09:55"},
        {"id": "d1-1000", "day": "2026-03-10", "start": "10:00", "end": "10:25", "tables": 1},
    ],
    "participants": [
        {"id": "ana", "max_meetings": 2},
        {"id": "bogdan", "slots": ["d1-0900", "d1-0930"]},
        {"id": "chiara"},
        {"id": 17},
    ],
    "candidates": [
        {"a": "ana", "b": "bogdan", "priority": "accepted", "weight": 0.4},
        {"a": "ana", "b": "chiara", "priority": "mutual", "weight": 0.7},
        {"a": "ana", "b": 17, "priority": "suggestion", "weight": 0.9},
        {
            "a": "bogdan",
            "b": "chiara",
            "priority": "one_sided",
            "weight": 0.5,
            "slots": ["d1-0930"],
        },
    ],
    "locked": [{"a": "chiara", "b": 17, "slot": "d1-1000", "table": 1}],
    "options": {"min_meetings": 1, "fill_with_suggestions": True, "break_fairness": 1},
}


def run(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "matchmaker.scheduling", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture
def instance_file(tmp_path):
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(EXAMPLE))
    return path


def test_cli_solve_writes_schedule_json(instance_file, tmp_path):
    proc = run("solve", str(instance_file), "--time-limit", "10", "--quiet")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["format"] == "matchmaker.schedule/1"
    meetings = {(m["a"], m["b"]): (m["slot"], m["table"]) for m in out["meetings"]}
    assert meetings[("chiara", "17")] == ("d1-1000", 1)
    assert ("ana", "bogdan") in meetings and ("ana", "chiara") in meetings
    assert out["figures"]["placed"]["accepted"] == 1
    assert out["figures"]["bound"] >= out["figures"]["objective"]
    # bogdan-chiara may only use 09:30, where ana's two meetings keep one of them busy
    assert [(u["a"], u["b"], u["reason"]) for u in out["unplaced"]] == [
        ("ana", "17", "maximum_reached"),
        ("bogdan", "chiara", "displaced"),
    ]
    assert out["unplaced"][0]["detail"] == "ana already has 2 meetings (maximum 2)"
    schedule_file = tmp_path / "schedule.json"
    schedule_file.write_text(proc.stdout)
    assert main(["check", str(instance_file), str(schedule_file)]) == 0


def test_cli_check_lists_violations_and_exits_1(instance_file, tmp_path, capsys):
    bad = {
        "format": "matchmaker.schedule/1",
        "meetings": [{"a": "ana", "b": "bogdan", "slot": "d1-1000", "table": 1}],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    assert main(["check", str(instance_file), str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "bogdan is not available in slot d1-1000" in lines
    assert "the locked meeting chiara-17 in slot d1-1000 is missing" in lines


def test_cli_solve_reports_progress_on_stderr(instance_file, capsys):
    assert main(["solve", str(instance_file), "--time-limit", "5"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "[  0%] prepare"
    assert err[-1] == "[100%] done"


def broken(**change):
    doc = json.loads(json.dumps(EXAMPLE))
    for key, value in change.items():
        if value is None:
            del doc[key]
        else:
            doc[key] = value
    return doc


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "invalid JSON at line 1 column 2"),
        ("[]", "the instance must be an object"),
        (json.dumps(broken(format="v0")), "format must be 'matchmaker.schedule-instance/1'"),
        (json.dumps(broken(slots=[])), "the instance has no slots"),
        (json.dumps(broken(tables=None)), "slots[0]: tables missing"),
        (json.dumps(broken(tables=-1)), "tables must be an integer >= 0, got -1"),
        (
            json.dumps(broken(candidates=[{"a": "ana", "b": "zoe"}])),
            "candidate 0 (ana-zoe): unknown participant 'zoe'",
        ),
        (
            json.dumps(broken(candidates=[{"a": "ana", "b": "chiara", "weight": "high"}])),
            "candidates[0].weight must be a finite number",
        ),
        (json.dumps(broken(participants="x")), "participants must be a list"),
        (json.dumps(broken(options={"fixed": True})), "options: unknown field 'fixed'"),
        (
            json.dumps(broken(candidates=[{"a": "ana", "b": "chiara", "after": ["nope"]}])),
            "candidates[0].after: unknown meeting id 'nope'",
        ),
        (
            json.dumps(
                broken(
                    candidates=[
                        {"id": "x", "a": "ana", "b": "chiara", "after": ["y"]},
                        {"id": "y", "a": "ana", "b": "bogdan", "after": ["x"]},
                    ]
                )
            ),
            "the precedences (after) form a cycle: x -> y -> x",
        ),
        (
            json.dumps(broken(candidates=[{"id": "x", "a": "ana", "b": "chiara"}] * 2)),
            "candidates[1]: id 'x' is also the id of candidates[0]",
        ),
        ("[" * 100000 + "]" * 100000, "JSON nested too deeply"),
    ],
)
def test_cli_bad_instance_prints_one_line_and_exits_2(tmp_path, capsys, content, message):
    path = tmp_path / "instance.json"
    path.write_text(content)
    assert main(["solve", str(path), "--quiet"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("error: ")
    assert message in line


def test_cli_missing_file_exits_2_without_traceback(tmp_path):
    proc = run("solve", str(tmp_path / "nope.json"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "cannot read" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["solve"], "the following arguments are required: instance"),
        (["solve", "x.json", "--time-limit", "soon"], "invalid float value: 'soon'"),
        (["solve", "x.json", "--time-limit", "-3"], "--time-limit must be between"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_cli_bad_arguments_exit_2(capsys, argv, message):
    with pytest.raises(SystemExit) as exc:
        code = main(argv)
        raise SystemExit(code)
    assert exc.value.code == 2
    [line] = capsys.readouterr().err.splitlines()
    assert message in line


def test_instance_json_round_trip():
    inst = parse_instance(EXAMPLE)
    assert parse_instance(instance_to_json(inst)) == inst


def test_parse_schedule_rejects_wrong_format():
    from matchmaker.scheduling import InstanceError

    with pytest.raises(InstanceError, match="format must be"):
        parse_schedule({"format": "x", "meetings": []})
