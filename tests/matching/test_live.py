import random

import pytest

from matchmaker.matching import MatchRules, Opportunity, Participant, rank_matches
from matchmaker.matching.live import fit_state, remove_participant, score_participant

TOPICS = [
    "erp integration sap odoo accounting migration",
    "cloud hosting kubernetes devops monitoring backup",
    "cybersecurity audit penetration testing gdpr compliance",
    "iot sensors firmware lorawan telemetry gateways",
    "precision farming drones irrigation soil yield",
    "telemedicine patient records diagnostics wearables",
    "solar photovoltaic storage batteries grid efficiency",
    "ecommerce online shop mobile apps ux design",
]


def generated_event(n=120, seed=3):
    rng = random.Random(seed)

    def text(k):
        words = " ".join(rng.choice(TOPICS) for _ in range(2)).split()
        return " ".join(rng.sample(words, k))

    participants = []
    for i in range(n):
        offers = tuple(
            Opportunity(f"{i}o{j}", "offer", text(4), text(7)) for j in range(rng.randint(1, 3))
        )
        requests = tuple(
            Opportunity(f"{i}r{j}", "request", text(4), text(7)) for j in range(rng.randint(0, 2))
        )
        participants.append(
            Participant(
                id=i,
                organisation_id=i // 2 if i % 10 == 0 else i,
                profile=text(8),
                offers=offers,
                requests=requests,
                country=rng.choice(["RO", "RS", "BG"]),
                type=rng.choice(["sme", "university"]),
                experience=rng.choice([None, 0, 1, 4, 12]),
            )
        )
    participants.append(
        Participant(
            id=n,
            organisation_id=n,
            offers=(Opportunity(f"{n}o", "offer", "Hydroponic greenhouse lettuce"),),
        )
    )
    return participants


RULES = MatchRules(
    not_interested=frozenset({(1, 2), (5, 3)}),
    excluded_type_pairs=frozenset({("university", "university")}),
    cross_border_bonus=0.4,
)


def test_incremental_ranking_equals_the_full_run_on_a_generated_event():
    participants = generated_event()
    full = rank_matches(participants, RULES, top_k=10)
    state = fit_state(participants)

    for participant in participants[:40]:
        live = score_participant(state, participant, RULES, top_k=10).matches
        expected = full[participant.id]
        assert [m.partner_id for m in live] == [m.partner_id for m in expected]
        assert [m.score for m in live] == pytest.approx([m.score for m in expected], abs=1e-9)
        assert [m.explanation for m in live] == [m.explanation for m in expected]


def test_new_participant_is_scored_against_the_fit_and_kept_in_the_state():
    participants = generated_event()
    state = fit_state(participants)
    newcomer = Participant(
        id="new",
        organisation_id="new-org",
        offers=(Opportunity("n1", "offer", "Hydroponic greenhouse automation"),),
        requests=(Opportunity("n2", "request", "Precision farming drones"),),
        country="GR",
    )

    live = score_participant(state, newcomer, top_k=5)
    later = Participant(
        id="later",
        organisation_id="later-org",
        requests=(Opportunity("l1", "request", "Automation for a hydroponic greenhouse"),),
    )
    seen_by_later = score_participant(live.state, later, top_k=200).scores
    preview = score_participant(state, newcomer, top_k=5, keep=False)

    assert len(live.matches) == 5
    assert live.matches[0].explanation.terms
    assert "new" in seen_by_later
    assert "new" not in score_participant(preview.state, later, top_k=200).scores
    assert (
        "new"
        not in score_participant(remove_participant(live.state, "new"), later, top_k=200).scores
    )


def test_changed_text_changes_the_ranking_without_a_refit():
    participants = generated_event()
    state = fit_state(participants)
    changed = Participant(
        id=0,
        organisation_id=0,
        requests=(Opportunity("x", "request", "telemedicine patient records wearables"),),
    )

    best = score_participant(state, changed, top_k=3).matches

    health = {p.id for p in participants if any("telemedicine" in o.text for o in p.offers)}
    assert {m.partner_id for m in best} <= health


def test_state_of_other_bytes_is_refused():
    with pytest.raises(ValueError):
        score_participant(b"not a state", generated_event(3)[0])
