"""Past co-participation (who worked with whom before) as an optional input of the engine."""

import json

import pytest

from matchmaker.matching import Opportunity, Participant, rank_matches
from matchmaker.matching.__main__ import main
from matchmaker.matching.coparticipation import CoParticipation
from matchmaker.matching.interchange import DocumentError, read_co_participation, read_document
from matchmaker.matching.relevance import (
    HISTORY_FEATURES,
    HISTORY_MODEL_PATH,
    MODEL_PATH,
    load_history_model,
    load_model,
)


def participant(pid, offers=(), requests=(), experience=None):
    return Participant(
        id=pid,
        organisation_id=f"org-{pid}",
        offers=tuple(Opportunity(f"{pid}-o{i}", "offer", t) for i, t in enumerate(offers)),
        requests=tuple(Opportunity(f"{pid}-r{i}", "request", t) for i, t in enumerate(requests)),
        experience=experience,
    )


@pytest.fixture
def event():
    """A need for irrigation sensors, two companies offering the very same thing, a third
    that wrote nothing alike, and fillers so that the event has a typical pair."""
    people = [
        participant("farm", requests=["Soil moisture sensors for orchard irrigation"]),
        participant("alpha", offers=["Soil moisture sensors and irrigation controllers"]),
        participant("beta", offers=["Soil moisture sensors and irrigation controllers"]),
        participant("gamma", offers=["Accounting software for hotels"]),
    ]
    topics = ["sensors for greenhouses", "irrigation pumps", "orchard machinery", "soil tests"]
    for i in range(12):
        people.append(participant(f"filler{i}", offers=[f"{topics[i % 4]} service {i}"]))
    return people


def partners(result, pid):
    return [m.partner_id for m in result[pid]]


def test_without_history_twins_tie_and_with_a_shared_past_partner_one_leads(event):
    # alpha and the farm both worked with an organisation that is not at the event.
    history = [
        CoParticipation(("org-farm", "old-partner"), 2),
        CoParticipation(("org-alpha", "old-partner"), 1),
    ]

    without = rank_matches(event, top_k=5)
    with_history = rank_matches(event, top_k=5, co_participation=history)

    scores = {m.partner_id: m.score for m in without["farm"]}
    assert scores["alpha"] == pytest.approx(scores["beta"])
    assert partners(with_history, "farm")[0] == "alpha"
    ranked = {m.partner_id: m.score for m in with_history["farm"]}
    assert ranked["alpha"] > ranked["beta"]


def test_a_past_partner_sharing_no_word_is_suggested_only_with_history(event):
    history = [CoParticipation(("org-farm", "org-gamma"), 3)]

    assert "gamma" not in partners(rank_matches(event, top_k=15), "farm")
    result = rank_matches(event, top_k=15, co_participation=history)
    match = next(m for m in result["farm"] if m.partner_id == "gamma")
    # The explanation stays honest: no opportunity pair and no term is claimed.
    assert match.explanation.partner_offers == ()
    assert match.explanation.terms == ()


def test_scores_with_history_are_the_same_both_ways(event):
    history = [
        CoParticipation(("org-farm", "old-partner")),
        CoParticipation(("org-alpha", "old-partner")),
        CoParticipation(("org-farm", "org-beta"), 2),
    ]

    result = rank_matches(event, top_k=15, co_participation=history)

    for a in ("farm", "alpha", "beta"):
        for match in result[a]:
            back = {m.partner_id: m.score for m in result[match.partner_id]}
            assert back[a] == pytest.approx(match.score)


def test_an_empty_history_changes_nothing(event):
    plain = rank_matches(event, top_k=5)
    empty = rank_matches(event, top_k=5, co_participation=())

    assert {p: [(m.partner_id, m.score) for m in ms] for p, ms in plain.items()} == {
        p: [(m.partner_id, m.score) for m in ms] for p, ms in empty.items()
    }


@pytest.mark.parametrize(
    ("organisations", "projects", "message"),
    [(("a", "a"), 1, "worked with itself"), (("a", "b"), 0, ">= 1"), (("a",), 1, "two")],
)
def test_co_participation_refuses_nonsense(organisations, projects, message):
    with pytest.raises(ValueError, match=message):
        CoParticipation(organisations, projects)


def test_shipped_history_model_has_the_history_features_and_weighs_shared_partners():
    model = load_history_model()

    assert model.features == HISTORY_FEATURES
    assert model.coefficients[HISTORY_FEATURES.index("log_shared_past_partners")] > 0
    with open(HISTORY_MODEL_PATH, encoding="utf-8") as file:
        assert json.load(file) == model.to_document()


def test_the_text_model_file_is_refused_where_the_history_model_is_expected():
    with pytest.raises(ValueError, match="features"):
        load_model(MODEL_PATH, HISTORY_FEATURES)


def document(co_participation):
    return {
        "format": "matchmaker.participants/1",
        "participants": [
            {"id": 1, "organisation_id": 10, "requests": [{"id": "r", "title": "ERP integration"}]},
            {"id": 2, "organisation_id": 20, "offers": [{"id": "a", "title": "ERP integration"}]},
            {"id": 3, "organisation_id": 30, "offers": [{"id": "b", "title": "ERP integration"}]},
        ],
        "co_participation": co_participation,
    }


def test_document_co_participation_is_read_with_organisations_outside_the_event():
    doc = document([{"organisations": [10, 99], "projects": 2}, {"organisations": [30, 99]}])
    participants, _ = read_document(doc)

    assert read_co_participation(doc, participants) == (
        CoParticipation((10, 99), 2),
        CoParticipation((30, 99), 1),
    )
    assert (
        read_co_participation({k: v for k, v in doc.items() if k != "co_participation"}, ()) == ()
    )


@pytest.mark.parametrize(
    ("co_participation", "message"),
    [
        ("many", "document.co_participation: expected a list"),
        ([{"projects": 2}], "co_participation[0]: 'organisations' is missing"),
        ([{"organisations": [10]}], "co_participation[0].organisations: expected two"),
        ([{"organisations": [10, True]}], "co_participation[0].organisations: expected two"),
        ([{"organisations": [10, 20], "projects": 0}], "co_participation[0]: projects must be"),
        ([{"organisations": [10, 20], "projects": "2"}], "projects: expected an integer"),
        ([{"organisations": [10, 10]}], "co_participation[0]: organisation 10 cannot"),
        ([{"organisations": ["10", 20]}], "co_participation[0].organisations[0]: '10' and 10"),
    ],
)
def test_bad_co_participation_is_refused_naming_the_place(co_participation, message):
    doc = document(co_participation)
    participants, _ = read_document(doc)

    with pytest.raises(DocumentError) as error:
        read_co_participation(doc, participants)

    assert message in str(error.value)


def test_cli_puts_the_partner_with_a_shared_past_partner_first(tmp_path, capsys):
    path = tmp_path / "participants.json"
    path.write_text(
        json.dumps(document([{"organisations": [10, 99]}, {"organisations": [30, 99]}]))
    )

    code = main(["rank", str(path)])

    first = json.loads(capsys.readouterr().out)["results"][0]["matches"]
    assert code == 0
    assert [m["partner_id"] for m in first] == [3, 2]


def test_cli_refuses_a_bad_co_participation_in_one_line(tmp_path, capsys):
    path = tmp_path / "participants.json"
    path.write_text(json.dumps(document([{"organisations": [10, 10]}])))

    code = main(["rank", str(path)])

    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert "co_participation[0]: organisation 10 cannot have worked with itself" in err
    assert err.count("\n") == 1
