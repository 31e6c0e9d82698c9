import json
import pathlib
import subprocess
import sys

import pytest

from matchmaker.matching.__main__ import main


def opportunity(pid, title):
    return {"id": pid, "title": title, "category": "service", "description": "", "keywords": []}


@pytest.fixture
def document():
    return {
        "format": "matchmaker.participants/1",
        "rules": {"cross_border_bonus": 0.2, "not_interested": [], "excluded_type_pairs": []},
        "participants": [
            {
                "id": 1,
                "organisation_id": 10,
                "profile": "Furniture factory",
                "country": "RO",
                "type": "company",
                "sectors": ["wood"],
                "offers": [opportunity("1-o", "Factory site for pilots")],
                "requests": [opportunity("1-r", "ERP integration")],
            },
            {
                "id": 2,
                "organisation_id": 20,
                "profile": "Software company",
                "country": "RS",
                "offers": [opportunity("2-o", "ERP integration and implementation")],
                "requests": [opportunity("2-r", "Pilot sites in factories")],
            },
        ],
    }


def run(tmp_path, capsys, document, *options):
    path = tmp_path / "participants.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    code = main(["rank", str(path), *options])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_rank_writes_matches_with_explanations(tmp_path, capsys, document):
    code, out, err = run(tmp_path, capsys, document, "--top", "5")

    result = json.loads(out)
    assert (code, err) == (0, "")
    assert result["format"] == "matchmaker.matches/1"
    first = result["results"][0]
    assert first["participant_id"] == 1
    match = first["matches"][0]
    assert match["partner_id"] == 2
    assert 0 < match["score"] <= 1
    assert match["explanation"]["partner_offers"][0]["offer_id"] == "2-o"
    assert match["explanation"]["partner_offers"][0]["request_id"] == "1-r"
    assert "erp integration" in match["explanation"]["terms"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["participants"][1]["offers"][0].pop("title"),
            "participants[1].offers[0]: 'title' is missing",
        ),
        (
            lambda d: d["participants"][0].update(country=7),
            "participants[0].country: expected a string, got an integer",
        ),
        (
            lambda d: d["participants"][0].update(id=True),
            "participants[0].id: expected a string or an integer, got a boolean",
        ),
        (lambda d: d["participants"][1].update(id=1), "participants[1].id: 1 is used twice"),
        (
            lambda d: d["participants"][0]["requests"][0].update(kind="offer"),
            "participants[0].requests[0].kind: 'offer' listed among the requests",
        ),
        (lambda d: d.update(format="other/2"), "document.format: expected"),
        (lambda d: d.pop("participants"), "document: 'participants' is missing"),
        (
            lambda d: d["rules"].update(not_interested=[[1]]),
            "rules.not_interested[0]: expected a pair",
        ),
        (lambda d: d["rules"].update(cross_border_bonus=-1), "rules: cross_border_bonus"),
        (
            lambda d: d["participants"][1].update(experience=-2),
            "participants[1].experience: expected a count >= 0, got -2",
        ),
        (
            lambda d: d["participants"][1].update(experience="many"),
            "participants[1].experience: expected an integer, got a string",
        ),
    ],
)
def test_cli_rank_bad_document_exits_2_naming_the_problem(
    tmp_path, capsys, document, change, message
):
    change(document)

    code, out, err = run(tmp_path, capsys, document)

    assert (code, out) == (2, "")
    assert message in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not valid JSON"), ("[]", "document: expected an object")],
)
def test_cli_rank_malformed_file_exits_2(tmp_path, capsys, content, message):
    code, out, err = run(tmp_path, capsys, content)

    assert (code, out) == (2, "")
    assert message in err
    assert err.count("\n") == 1


def test_cli_rank_missing_file_exits_2(tmp_path, capsys):
    code = main(["rank", str(tmp_path / "absent.json")])

    _, err = capsys.readouterr()
    assert code == 2
    assert "No such file or directory" in err


def test_cli_bad_arguments_exit_2_in_one_line(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["rank"])

    _, err = capsys.readouterr()
    assert stopped.value.code == 2
    assert err.count("\n") == 1


def test_cli_module_bad_input_one_line_no_traceback(tmp_path):
    path = tmp_path / "participants.json"
    path.write_text('{"format": "matchmaker.participants/1", "participants": [{"id": 1}]}')

    finished = subprocess.run(
        [sys.executable, "-m", "matchmaker.matching", "rank", str(path), "--top", "3"],
        capture_output=True,
        text=True,
        cwd=pathlib.Path(__file__).parents[2],
        check=False,
    )

    assert finished.returncode == 2
    assert finished.stderr.endswith("participants[0]: 'organisation_id' is missing\n")
    assert "Traceback" not in finished.stderr


def test_readme_example_output_is_what_the_command_prints(tmp_path, capsys):
    readme = (pathlib.Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index('```json\n{"format": "matchmaker.participants/1"') + len("```json\n")
    example = readme[start : readme.index("```", start)]
    code, out, _ = run(tmp_path, capsys, example, "--top", "10")
    match = json.loads(out)["results"][0]["matches"][0]
    assert code == 0
    shown = " ".join(readme[readme.index("writes `", start) :].split()[:40])
    assert f'"score": {match["score"]}' in shown
    assert json.dumps(match["explanation"]["terms"], ensure_ascii=False) in shown


def test_experience_in_the_document_raises_the_experienced_partner(tmp_path, capsys, document):
    # Two partners with the same offer; only the experience given in the document differs.
    twin = {**document["participants"][1], "id": 3, "organisation_id": 30}
    document["participants"].append(twin)
    document["participants"][1]["experience"] = 6

    code, out, _ = run(tmp_path, capsys, document)

    first = json.loads(out)["results"][0]["matches"]
    assert code == 0
    assert [m["partner_id"] for m in first] == [2, 3]
    assert first[0]["score"] > first[1]["score"]
