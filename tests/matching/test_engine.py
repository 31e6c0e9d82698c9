import math
import random

import pytest

from matchmaker.matching import (
    Match,
    MatchRules,
    MatchWeights,
    Opportunity,
    Participant,
    engine,
    rank_matches,
    vectors,
)
from matchmaker.matching.relevance import load_model
from matchmaker.matching.vectors import EventVectors


@pytest.fixture
def make_participant():
    """Build a Participant from plain strings: offers and requests are titles or
    (title, description) pairs; the organisation defaults to one of its own."""

    def make(
        pid,
        offers=(),
        requests=(),
        profile="",
        country="RO",
        type="company",
        org=None,
        experience=None,
    ):
        def opportunities(kind, items):
            built = []
            for i, item in enumerate(items):
                title, description = (item, "") if isinstance(item, str) else item
                built.append(Opportunity(f"{pid}-{kind}{i}", kind, title, description))
            return tuple(built)

        return Participant(
            id=pid,
            organisation_id=org or f"org-{pid}",
            profile=profile,
            offers=opportunities("offer", offers),
            requests=opportunities("request", requests),
            country=country,
            type=type,
            experience=experience,
        )

    return make


@pytest.fixture
def event(make_participant):
    return [
        make_participant(
            "factory",
            offers=["Production site for pilots of automation"],
            requests=[("ERP integration", "Connect our ERP with the web shop and warehouse")],
            profile="Furniture manufacturer",
        ),
        make_participant(
            "integrator",
            offers=[("ERP integration services", "Odoo and SAP implementation and integration")],
            requests=["Manufacturing pilot customers"],
            profile="Software company",
            country="RS",
        ),
        make_participant(
            "webagency",
            offers=["Web shop design and online marketing"],
            requests=["Clients among retailers"],
            profile="Software company building web sites",
            country="BG",
        ),
        make_participant(
            "lab",
            offers=["Laboratory testing of composite materials"],
            requests=["Industry partners for research projects"],
            profile="University laboratory",
            type="university",
        ),
    ]


def partners(matches, pid):
    return [m.partner_id for m in matches[pid]]


def test_rank_matches_erp_need_finds_erp_integrator_first(event):
    matches = rank_matches(event)

    assert partners(matches, "factory")[0] == "integrator"


def test_rank_matches_same_organisation_never_matched(make_participant):
    event = [
        make_participant("a", offers=["cloud hosting"], requests=["cloud hosting"], org="acme"),
        make_participant("b", offers=["cloud hosting"], requests=["cloud hosting"], org="acme"),
        make_participant("c", offers=["cloud hosting"], requests=["cloud hosting"]),
    ]

    matches = rank_matches(event)

    assert partners(matches, "a") == ["c"]
    assert partners(matches, "b") == ["c"]
    assert sorted(partners(matches, "c")) == ["a", "b"]


def test_rank_matches_not_interested_hides_pair_both_ways(event):
    rules = MatchRules(not_interested=frozenset({("factory", "integrator")}))

    matches = rank_matches(event, rules)

    assert "integrator" not in partners(matches, "factory")
    assert "factory" not in partners(matches, "integrator")


def test_rank_matches_not_interested_unknown_id_ignored(event):
    rules = MatchRules(not_interested=frozenset({("factory", "gone")}))

    assert rank_matches(event, rules) == rank_matches(event)


def test_rank_matches_excluded_type_pair_never_matched(make_participant):
    event = [
        make_participant(
            "u1", offers=["robotics research"], requests=["robotics"], type="university"
        ),
        make_participant(
            "u2", offers=["robotics research"], requests=["robotics"], type="University"
        ),
        make_participant("c1", offers=["robotics research"], requests=["robotics"], type="company"),
    ]
    rules = MatchRules(excluded_type_pairs=frozenset({("university", "university")}))

    matches = rank_matches(event, rules)

    assert partners(matches, "u1") == ["c1"]
    assert partners(matches, "u2") == ["c1"]


def test_rank_matches_cross_border_bonus_puts_foreign_partner_first(make_participant):
    event = [
        make_participant("me", requests=["cloud migration and hosting"], country="RO"),
        make_participant("home", offers=["cloud migration and hosting"], country="RO"),
        make_participant("abroad", offers=["cloud migration, hosting and catering"], country="GR"),
        make_participant("caterer", offers=["catering"], country="GR"),
    ]

    plain = rank_matches(event)
    preferred = rank_matches(event, MatchRules(cross_border_bonus=1.0))

    assert partners(plain, "me")[:2] == ["home", "abroad"]
    assert partners(preferred, "me")[:2] == ["abroad", "home"]


def test_rank_matches_scores_between_zero_and_one(make_participant):
    event = [
        make_participant(
            str(i),
            offers=["cloud hosting", "cloud hosting backup", "cloud"],
            requests=["cloud hosting", "cloud backup"],
            profile="cloud hosting",
        )
        for i in range(5)
    ]

    scores = [m.score for ranked in rank_matches(event).values() for m in ranked]

    assert len(scores) == 20
    assert all(0 <= s <= 1 for s in scores)


def test_rank_matches_explanation_names_opportunity_pair_and_terms(event):
    match = rank_matches(event)["factory"][0]

    explanation = match.explanation

    best = explanation.partner_offers[0]
    assert (best.offer_id, best.offer_title) == ("integrator-offer0", "ERP integration services")
    assert (best.request_id, best.request_title) == ("factory-request0", "ERP integration")
    assert 0 < best.score <= 1
    assert "erp" in explanation.terms
    assert "erp integration" in explanation.terms
    assert explanation.participant_offers[0].offer_id == "factory-offer0"


def test_rank_matches_spelling_and_case_variants_meet(make_participant):
    event = [
        make_participant("need", requests=["Softver za računovodstvo"]),
        make_participant("upper", offers=["SOFTWARE"]),
        make_participant("plural", offers=["softwares"]),
        make_participant("other", offers=["catering"]),
    ]

    matches = rank_matches(event)

    assert sorted(partners(matches, "need")) == ["plural", "upper"]


def test_rank_matches_top_k_limits_list(event):
    matches = rank_matches(event, top_k=1)

    assert all(len(ranked) <= 1 for ranked in matches.values())


def test_rank_matches_duplicate_ids_rejected(make_participant):
    with pytest.raises(ValueError, match="unique"):
        rank_matches([make_participant("a"), make_participant("a")])


def test_rank_matches_progress_reports_every_participant(event, monkeypatch):
    monkeypatch.setattr(engine, "BLOCK_CELLS", 8)  # two rows per block
    calls = []

    rank_matches(event, progress=lambda done, total: calls.append((done, total)))

    assert calls == [(2, 4), (4, 4)]


def test_match_without_explainer_has_no_explanation():
    with pytest.raises(ValueError, match="no explanation"):
        _ = Match("a", "b", 0.5).explanation


WORDS = "cloud erp iot sensors robots welding solar hosting data analytics web shop".split()


def random_event(make_participant, n, seed):
    rng = random.Random(seed)

    def text():
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))

    return [
        make_participant(
            i,
            offers=[text() for _ in range(rng.randint(0, 2))],
            requests=[text() for _ in range(rng.randint(0, 2))],
            profile=text(),
            country=rng.choice(["RO", "RS", ""]),
            type=rng.choice(["company", "university"]),
            org=f"org{i // 3}" if i % 4 == 0 else None,
            experience=rng.choice([None, 0, 2, 9]),
        )
        for i in range(n)
    ]


def brute_force(participants, rules, top_k):
    """Every pair scored densely, rules applied pair by pair (fine for a test). The event's
    typical pair is the mean over every scored pair (the engine samples up to 100 rows, so
    all of them here)."""
    vectors = EventVectors(participants)
    weights = rules.weights
    need = vectors.requests.toarray() @ vectors.offers.toarray().T
    profile = vectors.profiles.toarray() @ vectors.profiles.toarray().T
    raw = weights.complementarity / 2 * (need + need.T) + weights.profile * profile
    model = load_model()

    def pairs(a, b):
        return max(1, len(a.requests) * len(b.offers) + len(a.offers) * len(b.requests))

    scored_pairs = [
        (raw[i, j], raw[i, j] / pairs(a, b))
        for i, a in enumerate(participants)
        for j, b in enumerate(participants)
        if i != j and raw[i, j] > 0
    ]
    typical_raw = sum(r for r, _ in scored_pairs) / len(scored_pairs)
    typical_per_pair = sum(p for _, p in scored_pairs) / len(scored_pairs)
    refused = rules.not_interested | {(b, a) for a, b in rules.not_interested}
    expected = {}
    for i, a in enumerate(participants):
        scored = []
        for j, b in enumerate(participants):
            if a.organisation_id == b.organisation_id or (a.id, b.id) in refused:
                continue
            if (a.type, b.type) in rules.excluded_type_pairs:
                continue
            if raw[i, j] <= 0:
                continue
            features = (
                math.log1p(raw[i, j] / typical_raw),
                math.log1p(raw[i, j] / pairs(a, b) / typical_per_pair),
                sum(math.log1p(1 if e is None else e) for e in (a.experience, b.experience)),
            )
            logit = sum(c * f for c, f in zip(model.coefficients, features, strict=True))
            score = 1 / (1 + math.exp(-(logit + model.intercept)))
            if a.country and a.country == b.country:
                score /= 1 + rules.cross_border_bonus
            scored.append((score, b.id))
        expected[a.id] = {bid: score for score, bid in sorted(scored, reverse=True)[:top_k]}
    return expected


def test_rank_matches_blockwise_equals_brute_force(make_participant, monkeypatch):
    participants = random_event(make_participant, 40, seed=5)
    rules = MatchRules(
        not_interested=frozenset({(0, 1), (5, 9), (12, 3)}),
        excluded_type_pairs=frozenset({("university", "university")}),
        cross_border_bonus=0.5,
        weights=MatchWeights(complementarity=0.7, profile=0.3),
    )
    monkeypatch.setattr(engine, "BLOCK_CELLS", 40 * 7)  # seven rows per block, six blocks

    matches = rank_matches(participants, rules, top_k=5)

    expected = brute_force(participants, rules, top_k=5)
    for pid, ranked in matches.items():
        scores = [m.score for m in ranked]
        assert scores == pytest.approx(sorted(expected[pid].values(), reverse=True), abs=1e-5)
        # Ties may come in any order; each partner must carry its brute-force score.
        full = brute_force(participants, rules, top_k=len(participants))[pid]
        assert all(m.score == pytest.approx(full[m.partner_id], abs=1e-5) for m in ranked)


def test_rank_matches_tokenizing_in_chunks_changes_nothing(make_participant, monkeypatch):
    participants = random_event(make_participant, 30, seed=8)
    whole = rank_matches(participants, top_k=5)
    monkeypatch.setattr(vectors, "TOKENIZE_CHUNK", 4)

    chunked = rank_matches(participants, top_k=5)

    assert chunked == whole


def test_ten_unrelated_offers_do_not_outrank_one_offer_that_fits(make_participant):
    # Each of the busy organisation's offers is about something else but shares a word with
    # the need; summed over ten offers they used to outweigh the one offer that fits.
    need = make_participant("need", requests=["ERP integration for furniture factories"])
    busy = make_participant(
        "busy",
        offers=[
            "ERP training courses",
            "ERP licence resale",
            "Furniture export fairs",
            "Furniture varnish supplies",
            "Factories energy audits",
            "Factories cleaning crews",
            "Integration of solar panels",
            "Integration of payroll staff",
            "ERP hosting in the cloud",
            "Furniture transport",
        ],
    )
    fitting = make_participant("fit", offers=["ERP integration for furniture factories"])
    others = [make_participant(i, offers=[f"unrelated topic {i}"]) for i in range(5)]

    ranked = rank_matches([need, busy, fitting, *others], top_k=3)["need"]

    assert [m.partner_id for m in ranked][:2] == ["fit", "busy"]


def test_experience_raises_a_partner_whose_text_fits_as_well(make_participant):
    need = make_participant("need", requests=["Cold chain logistics for fruit exports"])
    novice = make_participant("novice", offers=["Cold chain logistics for fruit"])
    veteran = make_participant("veteran", offers=["Cold chain logistics for fruit"], experience=8)

    ranked = rank_matches([need, novice, veteran], top_k=2)["need"]

    assert [m.partner_id for m in ranked] == ["veteran", "novice"]
    assert ranked[0].score > ranked[1].score


def test_negative_experience_is_refused(make_participant):
    with pytest.raises(ValueError, match="experience must be >= 0"):
        make_participant("a", experience=-1)


def test_an_event_whose_texts_hold_no_content_word_ranks_nobody():
    # Only stop words and numbers: no vocabulary at all, as a first registration may have.
    participants = [
        Participant(id=i, organisation_id=i, offers=(Opportunity(f"o{i}", "offer", "the 42"),))
        for i in range(3)
    ]

    ranked = rank_matches(participants)

    assert ranked == {0: [], 1: [], 2: []}
