import json

import numpy as np
import pytest

from matchmaker.matching.relevance import (
    FEATURES,
    MODEL_PATH,
    MODEL_VERSION,
    load_model,
    pair_features,
    read_model,
)


def shipped_document():
    with open(MODEL_PATH, encoding="utf-8") as file:
        return json.load(file)


def test_shipped_model_loads_with_its_version_and_features():
    document = shipped_document()

    model = load_model()

    assert document["version"] == MODEL_VERSION
    assert document["features"] == list(FEATURES)
    assert model.to_document() == document


def test_model_of_another_version_is_refused():
    document = {**shipped_document(), "version": MODEL_VERSION + 1}

    with pytest.raises(ValueError, match="version"):
        read_model(document)


def test_model_of_other_features_is_refused():
    document = {**shipped_document(), "features": list(reversed(FEATURES))}

    with pytest.raises(ValueError, match="features"):
        read_model(document)


def test_scores_are_probabilities_that_grow_with_each_feature():
    model = load_model()
    typical = (0.1, 0.05)
    base = pair_features([0.2], [2], [1], [1], typical)
    more_text = pair_features([0.4], [2], [1], [1], typical)
    fewer_pairs = pair_features([0.2], [1], [1], [1], typical)
    more_experience = pair_features([0.2], [2], [5], [1], typical)

    scores = model.score(np.vstack([base, more_text, fewer_pairs, more_experience]))

    assert np.all((scores > 0) & (scores < 1))
    assert scores[1] > scores[0] and scores[2] > scores[0] and scores[3] > scores[0]


def test_features_are_symmetric_in_the_two_sides():
    typical = (0.1, 0.05)
    assert np.array_equal(
        pair_features([0.3], [4], [2], [7], typical), pair_features([0.3], [4], [7], [2], typical)
    )


def test_the_same_pair_scores_the_same_relative_to_its_events_typical_pair():
    # Twice the typical pair of an event of short texts = twice that of an event of long ones.
    short_texts = pair_features([0.06], [1], [0], [0], (0.03, 0.03))
    long_texts = pair_features([0.4], [1], [0], [0], (0.2, 0.2))

    assert np.allclose(short_texts, long_texts)
