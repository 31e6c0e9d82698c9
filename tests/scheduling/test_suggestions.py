"""Choosing the suggestions participants consented to (pure, no app)."""

from collections import Counter

from matchmaker.scheduling import choose_suggestions

PAIRS = [
    ("ana", "bo", 0.9),
    ("ana", "cem", 0.8),
    ("ana", "dana", 0.7),
    ("bo", "cem", 0.6),
    ("bo", "dana", 0.5),
    ("cem", "dana", 0.05),
]


def _per_person(chosen):
    return Counter(p for a, b, _ in chosen for p in (a, b))


def test_choose_suggestions_gives_none_to_who_said_no():
    chosen = choose_suggestions(PAIRS, {"ana": 0, "bo": 5, "cem": 5, "dana": 5})
    assert "ana" not in _per_person(chosen)
    assert [(a, b) for a, b, _ in chosen] == [("bo", "cem"), ("bo", "dana"), ("cem", "dana")]


def test_choose_suggestions_keeps_each_side_within_its_limit_best_first():
    chosen = choose_suggestions(PAIRS, {"ana": 2, "bo": 5, "cem": 5, "dana": 5})
    assert [(a, b) for a, b, _ in chosen] == [
        ("ana", "bo"), ("ana", "cem"), ("bo", "cem"), ("bo", "dana"), ("cem", "dana"),
    ]  # fmt: skip
    assert _per_person(chosen)["ana"] == 2


def test_choose_suggestions_never_goes_under_the_floor():
    chosen = choose_suggestions(PAIRS, dict.fromkeys(("ana", "bo", "cem", "dana"), 9), floor=0.1)
    assert ("cem", "dana", 0.05) not in chosen
    assert len(chosen) == 5


def test_choose_suggestions_ignores_participants_without_consent():
    assert choose_suggestions(PAIRS, {"ana": 3}) == []
    assert choose_suggestions(PAIRS, {}) == []


def test_choose_suggestions_is_repeatable_on_ties():
    pairs = [("d", "e", 0.5), ("a", "b", 0.5), ("a", "c", 0.5)]
    assert choose_suggestions(pairs, {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}) == [
        ("a", "b", 0.5), ("d", "e", 0.5),
    ]  # fmt: skip
