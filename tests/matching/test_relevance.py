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
    document = {**shipped_document(), "features": ["log_text", "experience", "text_per_pair"]}

    with pytest.raises(ValueError, match="features"):
        read_model(document)


def test_scores_are_probabilities_that_grow_with_each_feature():
    model = load_model()
    base = pair_features([0.2], [2], [1], [1])
    more_text = pair_features([0.4], [2], [1], [1])
    fewer_pairs = pair_features([0.2], [1], [1], [1])
    more_experience = pair_features([0.2], [2], [5], [1])

    scores = model.score(np.vstack([base, more_text, fewer_pairs, more_experience]))

    assert np.all((scores > 0) & (scores < 1))
    assert scores[1] > scores[0] and scores[2] > scores[0] and scores[3] > scores[0]


def test_features_are_symmetric_in_the_two_sides():
    assert np.array_equal(pair_features([0.3], [4], [2], [7]), pair_features([0.3], [4], [7], [2]))
