"""The learned relevance of a pair: a few features of the pair and a logistic model over them.

The text similarity (`raw`, the sum of opportunity-pair cosines and the profile cosine of
engine.scoring_matrices) ranks partners by how much they wrote that meets, so an organisation
with many offers outranks one with a single offer that fits exactly. The model mixes it with
the *mean* similarity per opportunity pair and the two sides' experience (past projects or
events), with weights learned on real partnerships (the CORDIS H2020 dev half:
`python -m benchmarks.match_quality --train`), and its output, a probability, is the score.

Every feature is symmetric in (a, b), so a pair's score is too. They are element-wise
functions of numbers the engine already has (the raw score of the pair, how many opportunities
each side has, each side's experience), so the model scores every stored pair of a block at
once, at the cost of a few array operations.

The model is a small JSON file beside this module (`relevance.json`: version, feature names,
coefficients, intercept, what it was trained on); `load_model` refuses a file of another
version or with other features. An event that carries past co-participation between
organisations (history.py) is scored by a second model, `relevance_history.json`, over the same
features plus two of the co-participation graph (HISTORY_FEATURES), trained on the same CORDIS
dev half with each project's coordinator as the participant who needs partners
(`python -m benchmarks.match_quality --train-history`). Two models rather than one, so that an
event without history keeps exactly the scores (and the score bands) it had.
"""

import json
import os
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

MODEL_VERSION = 1
MODEL_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "relevance.json")
HISTORY_MODEL_PATH = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "relevance_history.json"
)
# The experience a participant of unknown history is scored with: the median of the
# candidates the model was trained on (CORDIS organisations: one other project), so an event
# without history is scored as a typical training pair, not as one of newcomers.
UNKNOWN_EXPERIENCE = 1
# In this order, the columns of `pair_features`.
FEATURES = ("log_relative_text", "log_relative_text_per_pair", "experience")
# The history model's columns: FEATURES, then `history_features`.
HISTORY_FEATURES = (*FEATURES, "log_past_projects_together", "log_shared_past_partners")


def pair_features(raw, pairs, experience_a, experience_b, typical):
    """The model's features of pairs (a[i], b[i]), as an (n, 3) float64 array:

    - log_relative_text = log(1 + raw / typical raw): the engine's raw similarity (>= 0)
      relative to the event's typical scored pair, with diminishing returns;
    - log_relative_text_per_pair = log(1 + (raw / pairs) / typical raw per pair), where
      `pairs` = requests_a * offers_b + offers_a * requests_b (at least 1) are the opportunity
      pairs the raw score sums over: ten unrelated offers do not add up to one that fits;
    - experience = log(1 + experience_a) + log(1 + experience_b), experience being the number
      of past projects or events (see `experience_numbers` for unknown ones).

    `typical` = (mean raw, mean raw per pair) of the event's scored pairs (`typical_pair`):
    short texts (project titles) and long ones (company profiles) give cosines of very
    different sizes, and "three times the event's typical pair" means the same in both, so
    the learned weights and the score's scale carry over from one event to another.
    """
    raw = np.asarray(raw, dtype=np.float64)
    per_pair = raw / np.maximum(np.asarray(pairs, dtype=np.float64), 1)
    typical_raw, typical_per_pair = typical
    return np.column_stack(
        [
            np.log1p(raw / typical_raw),
            np.log1p(per_pair / typical_per_pair),
            np.log1p(np.asarray(experience_a, dtype=np.float64))
            + np.log1p(np.asarray(experience_b, dtype=np.float64)),
        ]
    )


def history_features(together, shared):
    """The co-participation columns of HISTORY_FEATURES, as an (n, 2) float64 array:
    log(1 + past projects the two organisations shared) and log(1 + Adamic-Adar of their
    common past partners), both symmetric (coparticipation.CoParticipationGraph)."""
    return np.column_stack(
        [np.log1p(np.asarray(together, dtype=np.float64)), np.log1p(np.asarray(shared))]
    )


def typical_pair(raw, pairs):
    """(mean raw, mean raw per pair) of a sample of an event's scored pairs (raw > 0); (1, 1)
    for an event without any."""
    raw = np.asarray(raw, dtype=np.float64)
    if not len(raw):
        return (1.0, 1.0)
    per_pair = raw / np.maximum(np.asarray(pairs, dtype=np.float64), 1)
    return (float(raw.mean()), float(per_pair.mean()))


def experience_numbers(values):
    """Participants' experience (int or None) as a float64 array, None read as
    UNKNOWN_EXPERIENCE."""
    return np.fromiter(
        (UNKNOWN_EXPERIENCE if value is None else value for value in values), np.float64
    )


@dataclass(frozen=True)
class RelevanceModel:
    """A logistic model over `features` (FEATURES or HISTORY_FEATURES): score = 1 / (1 +
    exp(-(features . coefficients + intercept))), in (0, 1). `trained_on` says on what data
    and with which command."""

    coefficients: tuple[float, ...]
    intercept: float
    trained_on: str = ""
    features: tuple[str, ...] = FEATURES

    def __post_init__(self):
        if len(self.coefficients) != len(self.features):
            raise ValueError(f"a relevance model needs {len(self.features)} coefficients")

    def score(self, features):
        """Scores in (0, 1) of the rows of `features` (from `pair_features`), float64."""
        logit = features @ np.asarray(self.coefficients, dtype=np.float64) + self.intercept
        return 1 / (1 + np.exp(-logit))

    def to_document(self):
        """The JSON-ready document of this model (what `load_model` reads)."""
        return {
            "version": MODEL_VERSION,
            "features": list(self.features),
            "coefficients": [float(c) for c in self.coefficients],
            "intercept": float(self.intercept),
            "trained_on": self.trained_on,
        }


def read_model(document, features=FEATURES):
    """The RelevanceModel of a parsed model document. Raises ValueError if its version is not
    MODEL_VERSION or its features are not `features` (a model trained for other features would
    score nonsense)."""
    if not isinstance(document, dict) or document.get("version") != MODEL_VERSION:
        found = document.get("version") if isinstance(document, dict) else None
        raise ValueError(f"relevance model version {found!r}, expected {MODEL_VERSION}")
    if document.get("features") != list(features):
        raise ValueError(
            f"relevance model features {document.get('features')!r}, expected {list(features)!r}"
        )
    return RelevanceModel(
        coefficients=tuple(float(c) for c in document["coefficients"]),
        intercept=float(document["intercept"]),
        trained_on=str(document.get("trained_on", "")),
        features=tuple(features),
    )


@lru_cache(maxsize=4)
def load_model(path=MODEL_PATH, features=FEATURES):
    """The RelevanceModel stored at `path` (the shipped one by default), read once."""
    with open(path, encoding="utf-8") as file:
        return read_model(json.load(file), features)


def load_history_model():
    """The shipped model of events that carry past co-participation (HISTORY_FEATURES)."""
    return load_model(HISTORY_MODEL_PATH, HISTORY_FEATURES)
