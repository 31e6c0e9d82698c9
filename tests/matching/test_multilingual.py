"""Matching across the region's languages, generic words, false friends and honest
explanations (issue 18)."""

import json

import pytest

from matchmaker.matching import Opportunity, Participant, rank_matches
from matchmaker.matching.__main__ import main
from matchmaker.matching.text import tokenize


def participant(pid, offers=(), requests=(), org=None, country=""):
    def opportunities(kind, titles):
        return tuple(Opportunity(f"{pid}-{kind}{i}", kind, t) for i, t in enumerate(titles))

    return Participant(
        id=pid,
        organisation_id=f"org-{pid}" if org is None else org,
        offers=opportunities("offer", offers),
        requests=opportunities("request", requests),
        country=country,
    )


def ranked(participants, pid):
    return rank_matches(participants, top_k=10)[pid]


def score(matches, partner):
    return next((m.score for m in matches if m.partner_id == partner), 0.0)


def written_words(*participants):
    return {
        word for p in participants for o in (*p.offers, *p.requests) for word in tokenize(o.text)
    }


def test_serbian_cyrillic_erp_integration_offer_ranks_first_for_an_english_need():
    event = [
        participant(
            "distributor",
            requests=["Connect our ERP to the online shop so that stock updates automatically"],
        ),
        participant(
            "novi-sad",
            offers=["Повезивање ERP система са веб продавницом и ажурирање залиха"],
            country="RS",
        ),
        participant("trainer", offers=["ERP training courses for accountants"]),
        participant("installer", offers=["We connect solar panels to the grid"]),
        participant("translator", offers=["Превођење и локализација веб сајтова"], country="RS"),
    ]
    assert [m.partner_id for m in ranked(event, "distributor")][0] == "novi-sad"


def test_irrigation_need_in_serbian_meets_an_english_offer_with_no_spelling_in_common():
    need = participant("farm", requests=["Tražimo navodnjavanje i senzore vlažnosti zemljišta"])
    offer = participant("vendor", offers=["Irrigation with soil moisture sensors"])
    other = participant("clinic", offers=["Dental implants and oral surgery"])
    matches = ranked([need, offer, other], "farm")
    assert [m.partner_id for m in matches] == ["vendor"]
    assert any("navodnjavanje" in t and "irrigation" in t for t in matches[0].explanation.terms)


def test_pair_sharing_only_generic_words_scores_below_a_pair_sharing_one_specific_term():
    event = [
        participant(
            "gen-offer",
            offers=[
                "We deliver innovation and innovative solutions for companies that want to grow"
            ],
        ),
        participant(
            "gen-need",
            requests=[
                "looking for innovative solutions and innovation partners to grow our company"
            ],
        ),
        participant("lidar-offer", offers=["Lidar mapping of forests from drones"]),
        participant("lidar-need", requests=["A partner for lidar surveys of our quarry"]),
        participant("bakery", offers=["Sourdough bread for hotels"]),
    ]
    generic = score(ranked(event, "gen-need"), "gen-offer")
    specific = score(ranked(event, "lidar-need"), "lidar-offer")
    assert generic < specific
    generic_terms = [m.explanation.terms for m in ranked(event, "gen-need")]
    assert all(not terms for terms in generic_terms)  # generic words are never the reason


def test_false_friends_are_not_matched():
    event = [
        participant("insulator", offers=["Thermal insulation installation"]),
        participant("bank", requests=["Integration of our information systems"]),
        participant("shop", requests=["Căutăm o companie care să furnizeze soluții de plată"]),
        participant("joinery", offers=["Furniture for hotels"]),
    ]
    assert score(ranked(event, "bank"), "insulator") == 0
    assert score(ranked(event, "shop"), "joinery") == 0


def test_spelling_variants_still_meet():
    event = [
        participant("rs", offers=["Softver za automatsku integraciju skladišta"], country="RS"),
        participant("at", requests=["Software for automatic warehouse integration"]),
        participant("bakery", offers=["Sourdough bread for hotels"]),
    ]
    matches = ranked(event, "at")
    assert [m.partner_id for m in matches] == ["rs"]
    chips = " | ".join(matches[0].explanation.terms)
    assert "softver" in chips and "software" in chips


def test_explanation_groups_word_forms_and_names_only_what_the_two_sides_wrote():
    farm = participant("farm", requests=["Monitorizare culturi si irigatie automata"])
    sensors = participant(
        "sensors",
        offers=["Crop monitoring: sensors monitor every field and an automatic irrigation pump"],
    )
    third = participant("packer", offers=["Automatski sistemi za pakovanje"], country="RS")
    dentist = participant("dentist", offers=["Innovation in dental integration"])
    matches = ranked([farm, sensors, third, dentist], "farm")
    explanation = next(m for m in matches if m.partner_id == "sensors").explanation
    terms = explanation.terms
    monitoring = [t for t in terms if "monitorizare" in t]
    assert len(monitoring) == 1 and "monitoring" in monitoring[0]
    shown = {form for term in terms for form in term.split(" / ") for form in form.split(" ")}
    assert shown <= written_words(farm, sensors)
    assert "automatski" not in shown


def test_organisation_ids_one_and_string_one_are_kept_apart():
    event = [
        participant("a", offers=["ERP integration services"], org=1),
        participant("b", requests=["ERP integration for our shop"], org="1"),
    ]
    assert [m.partner_id for m in ranked(event, "b")] == ["a"]


@pytest.mark.parametrize("field", ["organisation_id", "id"])
def test_interchange_refuses_ids_one_and_string_one(tmp_path, capsys, field):
    people = [
        {"id": 1, "organisation_id": 10, "offers": [{"id": "o", "title": "ERP"}]},
        {"id": 2, "organisation_id": 20, "requests": [{"id": "r", "title": "ERP"}]},
    ]
    people[1][field] = str(people[0][field])
    path = tmp_path / "participants.json"
    path.write_text(json.dumps({"format": "matchmaker.participants/1", "participants": people}))
    code = main(["rank", str(path)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    value = people[0][field]
    assert f"participants[1].{field}: '{value}' and {value}" in err


def test_new_registration_in_another_language_meets_the_fitted_event_before_a_refit():
    from matchmaker.matching.live import fit_state, score_participant

    event = [
        participant("vendor", offers=["Drip irrigation controllers with soil moisture sensors"]),
        participant("clinic", offers=["Dental implants and oral surgery"]),
        participant("mill", offers=["Olive oil bottling lines"]),
    ]
    newcomer = participant("farm", requests=["Тражимо наводњавање кап по кап"], country="RS")

    live = score_participant(fit_state(event), newcomer, top_k=3)

    assert [m.partner_id for m in live.matches] == ["vendor"]
    assert "irrigation" in live.matches[0].explanation.terms


def test_state_without_written_words_still_scores_and_explains():
    # A state stored before issue 18 (version 1) has no `written` matrix: it is read, and
    # its explanations name the matching features as before, until the next full run.
    from matchmaker.matching.live import FittedEvent, fit_state, score_participant

    event = [
        participant("vendor", offers=["Drip irrigation controllers"]),
        participant("clinic", offers=["Dental implants"]),
    ]
    state = FittedEvent.from_bytes(fit_state(event))
    state.written = None
    newcomer = participant("farm", requests=["Drip irrigation for orchards"])

    live = score_participant(state.to_bytes(), newcomer, top_k=2)

    assert [m.partner_id for m in live.matches] == ["vendor"]
    assert "irrigation" in live.matches[0].explanation.terms
