"""Batch explanations (matchmaker/matching/explain.py) against a plain per-pair reference."""

import numpy as np
import pytest

from benchmarks.matching import synthetic_participants
from matchmaker.matching import Match, MatchRules, explain_all, rank_matches
from matchmaker.matching.explain import (
    EXPLAINED_PAIRS,
    EXPLAINED_TERMS,
    FORMS_PER_TERM,
    TERM_CANDIDATES,
    squash,
)
from matchmaker.matching.text import glossary, is_generic
from matchmaker.matching.vectors import EventVectors


def reference_terms(vectors, a, b, columns, values):
    """Chips of one pair, the plain way: each feature named by the words both sides wrote that
    credit it, generic words left out, chips sharing a word merged, heaviest first."""
    n_words = vectors.kernel.shape[0]
    credits = vectors.kernel.tocsc()
    wrote = [set(vectors.written[[row]].indices.tolist()) for row in (a, b)]

    def generic(word):
        return is_generic(word, glossary().concept(word))

    chips = []
    for column, value in zip(columns, values, strict=True):
        if column >= n_words:
            name = vectors.term(column)
            forms = [] if all(generic(w) for w in name.split()) else [name]
        else:
            sources = credits[:, [column]].indices.tolist()
            either = {w for w in sources if w in wrote[0] | wrote[1]}
            ordered = sorted(either, key=lambda w: (w != column, w))
            forms = [vectors.term(w) for w in ordered if not generic(vectors.term(w))]
        if not forms:
            continue
        touching = [chip for chip in chips if set(chip[1]) & set(forms)]
        if not touching:
            chips.append([value, forms])
            continue
        target = touching[0]
        for other in touching[1:]:
            target[0] += other[0]
            target[1] += [f for f in other[1] if f not in target[1]]
            chips.remove(other)
        target[0] += value
        target[1] += [f for f in forms if f not in target[1]]
    chips.sort(key=lambda chip: -chip[0])
    return [" / ".join(forms[:FORMS_PER_TERM]) for _, forms in chips[:EXPLAINED_TERMS]]


def reference_explanation(participants, vectors, weights, a, b):
    """One pair, the straightforward way (the engine's first, per-pair implementation)."""

    def opportunity_rows(row, kind):
        first = sum(len(p.offers) + len(p.requests) for p in participants[:row])
        if kind == "request":
            first += len(participants[row].offers)
        return first

    def pairs(offerer, requester):
        offers, requests = participants[offerer].offers, participants[requester].requests
        if not offers or not requests:
            return []
        o, r = opportunity_rows(offerer, "offer"), opportunity_rows(requester, "request")
        m = vectors.opportunities
        similarity = (m[o : o + len(offers)] @ m[r : r + len(requests)].T).toarray()
        best = np.argsort(-similarity, axis=None, kind="stable")[:EXPLAINED_PAIRS]
        return [
            (offers[i].id, requests[j].id, float(similarity[i, j]))
            for i, j in zip(*np.unravel_index(best, similarity.shape), strict=True)
            if similarity[i, j] > 0
        ]

    v, half = vectors, weights.complementarity / 2
    need = v.requests[[a]].multiply(v.offers[[b]])
    offer = v.offers[[a]].multiply(v.requests[[b]])
    profile = v.profiles[[a]].multiply(v.profiles[[b]])
    words = ((need + offer) * half + profile * weights.profile).tocoo()
    top = np.lexsort((words.col, -words.data))[:TERM_CANDIDATES]
    top = [i for i in top if words.data[i] > 0]
    return {
        "need": float(squash(need.sum())),
        "offer": float(squash(offer.sum())),
        "profile": float(profile.sum()),
        "partner_offers": pairs(b, a),
        "participant_offers": pairs(a, b),
        "terms": reference_terms(v, a, b, words.col[top].tolist(), words.data[top].tolist()),
    }


def assert_same(explanation, expected):
    assert explanation.need_score == pytest.approx(expected["need"], abs=1e-4)
    assert explanation.offer_score == pytest.approx(expected["offer"], abs=1e-4)
    assert explanation.profile_score == pytest.approx(expected["profile"], abs=1e-4)
    for got, want in (
        (explanation.partner_offers, expected["partner_offers"]),
        (explanation.participant_offers, expected["participant_offers"]),
    ):
        assert [(p.offer_id, p.request_id) for p in got] == [w[:2] for w in want]
        assert [p.score for p in got] == pytest.approx([w[2] for w in want], abs=1e-4)
    assert list(explanation.terms) == expected["terms"]


@pytest.fixture(scope="module")
def event():
    participants = synthetic_participants(120, seed=3)
    rules = MatchRules(cross_border_bonus=0.2)
    return participants, rules, rank_matches(participants, rules, top_k=8)


def test_lazy_explanations_match_the_per_pair_reference(event):
    participants, rules, ranked = event
    vectors = EventVectors(participants)
    row = {p.id: i for i, p in enumerate(participants)}
    checked = 0
    for pid in list(ranked)[::7]:
        for match in ranked[pid]:
            expected = reference_explanation(
                participants, vectors, rules.weights, row[pid], row[match.partner_id]
            )
            assert_same(match.explanation, expected)
            checked += 1
    assert checked > 50


def test_explain_all_fills_every_explanation_and_both_sides_agree(event):
    participants, rules, _ = event
    ranked = rank_matches(participants, rules, top_k=8)
    explain_all(ranked)
    assert all("explanation" in m.__dict__ for ms in ranked.values() for m in ms)
    by_pair = {(m.participant_id, m.partner_id): m for ms in ranked.values() for m in ms}
    for (a, b), match in by_pair.items():
        other = by_pair.get((b, a))
        if other is not None:
            mine, theirs = match.explanation, other.explanation
            assert (mine.need_score, mine.offer_score) == (theirs.offer_score, theirs.need_score)
            assert mine.partner_offers == theirs.participant_offers
            assert mine.terms == theirs.terms


def test_explanation_of_a_pair_that_was_not_returned(event):
    participants, rules, ranked = event
    match = ranked[participants[0].id][0]
    returned = {m.partner_id for m in ranked[participants[0].id]}
    outsider = next(p.id for p in participants[1:] if p.id not in returned)
    explanation = Match(participants[0].id, outsider, 0.0, match.explain).explanation
    vectors = EventVectors(participants)
    expected = reference_explanation(participants, vectors, rules.weights, 0, outsider)
    assert_same(explanation, expected)


def test_explain_all_on_matches_built_elsewhere():
    calls = []
    ranked = {"a": [Match("a", "b", 0.5, lambda m: calls.append(m) or "explained")]}
    explain_all(ranked)
    assert calls and ranked["a"][0].explanation == "explained"
