"""Hostile JSON for `python -m matchmaker.matching consortium`: whatever the idea document, the
command answers with teams (exit 0, or 1 when a constraint cannot be met) or with one line on
stderr and exit 2, never with a Python traceback."""

import json

import pytest
from hypothesis import given

from matchmaker.matching.__main__ import main as matching_main
from tests.hostile.strategies import HOSTILE
from tests.hostile.test_interchange import (
    MALFORMED,
    PARTICIPANTS,
    _run,
    _write,
    assert_clean_outcome,
    mutated,
    with_raw_token,
)

IDEA = {
    "format": "matchmaker.consortium-idea/1",
    "title": "ERP for furniture factories",
    "objective": "Pilot an ERP integration in a furniture factory",
    "roles": [{"id": "erp", "title": "ERP integration"}, "pilot factory", "soil sensors"],
    "constraints": {"partners": 3, "min_countries": 2, "required_types": ["university"],
                    "one_per_organisation": True, "members": [1]},
}  # fmt: skip


def _consortium(tmp_path, capsys, idea, participants=PARTICIPANTS):
    idea_path = _write(tmp_path, "idea.json", idea)
    participants_path = _write(tmp_path, "participants.json", participants)
    return _run(matching_main, ["consortium", idea_path, participants_path], capsys)


@pytest.mark.parametrize("content", MALFORMED, ids=range(len(MALFORMED)))
def test_consortium_refuses_malformed_idea_in_one_line(tmp_path, capsys, content):
    code, out, err = _consortium(tmp_path, capsys, content)
    assert code == 2
    assert_clean_outcome(code, out, err)


@HOSTILE
@given(idea=mutated(IDEA))
def test_consortium_answers_hostile_idea_cleanly(tmp_path, capsys, idea):
    code, out, err = _consortium(tmp_path, capsys, idea)
    assert code in (0, 1, 2)
    assert_clean_outcome(code, out, err, ok_codes=(0, 1))
    if code in (0, 1):
        assert json.loads(out)["format"] == "matchmaker.consortia/1"


@HOSTILE
@given(participants=mutated(PARTICIPANTS))
def test_consortium_answers_hostile_participants_cleanly(tmp_path, capsys, participants):
    code, out, err = _consortium(tmp_path, capsys, IDEA, participants)
    assert code in (0, 1, 2)
    assert_clean_outcome(code, out, err, ok_codes=(0, 1))


@HOSTILE
@given(text=with_raw_token(IDEA))
def test_consortium_answers_raw_hostile_json_with_0_1_or_2(tmp_path, capsys, text):
    code, out, err = _consortium(tmp_path, capsys, text)
    assert code in (0, 1, 2)
    assert_clean_outcome(code, out, err, ok_codes=(0, 1))
