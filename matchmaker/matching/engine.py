"""Scoring every pair of participants blockwise and keeping each one's best partners."""

import gc

import numpy as np
import scipy.sparse as sp

from matchmaker.matching.coparticipation import CoParticipationGraph
from matchmaker.matching.explain import Explainer
from matchmaker.matching.model import Match, MatchRules
from matchmaker.matching.relevance import (
    experience_numbers,
    history_features,
    load_history_model,
    load_model,
    pair_features,
    typical_pair,
)
from matchmaker.matching.vectors import EventVectors, strongest_terms

# Rows per block: a block covers BLOCK_CELLS pairs whatever the event size, so memory stays
# flat (a few hundred MiB at most) while numpy and scipy still work on large arrays.
BLOCK_CELLS = 8_000_000
# Each field takes part in ranking with its strongest terms only. A pair's cost in the sparse
# product is the number of terms it shares, and the terms a field holds beyond its strongest
# ones are the frequent, low-weight words shared with thousands of participants: with all of
# them, 20,000 participants cost 3.4e9 multiply-adds instead of 1.2e8. Smaller events rank
# on the full vectors: their product takes under a second anyway.
RANKING_TERMS = 24
CUT_ABOVE_PARTICIPANTS = 2000
_EXCLUDED = -1.0  # below every real score (scores are >= 0)
# Participants whose scored pairs give the event's typical pair (PairScorer.calibrate).
TYPICAL_ROWS = 100
# The raw score given to a pair that shares no term but has history (past projects together or
# a common past partner), so that it is scored at all: far too small to count as text.
HISTORY_ONLY_RAW = np.float32(1e-9)


def scoring_matrices(vectors, weights, cut=True):
    """The two matrices whose product is the raw score before rules: row a of `left` times
    row b of `right` = complementarity/2 * (requests_a . offers_b + offers_a . requests_b)
    + profile * (profile_a . profile_b); in events of more than CUT_ABOVE_PARTICIPANTS (and
    if `cut`), each field cut to its RANKING_TERMS strongest terms. Returns (left CSR, right
    transposed CSR)."""
    half = np.float32(np.sqrt(weights.complementarity / 2))
    profile = np.float32(np.sqrt(weights.profile))
    offers, requests, profiles = vectors.offers, vectors.requests, vectors.profiles
    if cut and offers.shape[0] > CUT_ABOVE_PARTICIPANTS:
        offers, requests, profiles = (
            strongest_terms(matrix, RANKING_TERMS) for matrix in (offers, requests, profiles)
        )
    left = sp.hstack([requests * half, offers * half, profiles * profile], format="csr")
    right = sp.hstack(
        [offers * half, requests * half, profiles * profile],
        format="csr",
    )
    return left, right.T.tocsr()


def blocks(n_rows, n_columns):
    """Row ranges (start, stop) of at most BLOCK_CELLS cells each, covering range(n_rows)."""
    size = max(1, BLOCK_CELLS // max(n_columns, 1))
    return [(start, min(start + size, n_rows)) for start in range(0, n_rows, size)]


class _RuleMask:
    """The organizer's rules as arrays, applied to the stored scores of a block at once."""

    def __init__(self, participants, rules):
        self.n = len(participants)
        self.organisation = _codes([p.organisation_id for p in participants])
        country = [p.country.strip().upper() for p in participants]
        self.country = _codes(country)
        self.country_known = np.array([bool(c) for c in country], dtype=bool)
        self.divisor = np.float32(1 + rules.cross_border_bonus)

        types = [p.type.strip().casefold() for p in participants]
        type_names = sorted(set(types))
        self.type = np.searchsorted(type_names, types).astype(np.int64)
        self.type_excluded = np.zeros((len(type_names),) * 2, dtype=bool)
        for first, second in rules.excluded_type_pairs:
            first, second = first.strip().casefold(), second.strip().casefold()
            if first in type_names and second in type_names:
                i, j = type_names.index(first), type_names.index(second)
                self.type_excluded[i, j] = self.type_excluded[j, i] = True

        # Groups whose members never meet (GroupRules: the one rule matching, requests and
        # the optimiser share).
        self.group, self.group_excluded = rules.groups.codes([p.id for p in participants])
        # Online participants and those in the hall only (attendance_rules) never meet.
        self.mode, self.mode_excluded = rules.attendance.codes([p.id for p in participants])

        # "Not interested" hides the pair both ways (see MatchRules); ids not in the event
        # are ignored, a participant may have withdrawn since.
        row = {p.id: i for i, p in enumerate(participants)}
        refused = [(row[a], row[b]) for a, b in rules.not_interested if a in row and b in row]
        codes = [a * self.n + b for a, b in refused] + [b * self.n + a for a, b in refused]
        self.refused = np.unique(np.asarray(codes, dtype=np.int64))

        # Organisation pairs that met before, as codes of organisation codes, when lowered.
        self.met_factor = np.float32(rules.met_before_factor)
        self.n_organisations = int(self.organisation.max(initial=-1)) + 1
        met = []
        if self.met_factor != 1:
            code = {
                repr(p.organisation_id): int(c)
                for p, c in zip(participants, self.organisation, strict=True)
            }
            for pair in rules.met_before:
                a, b = (code.get(repr(o)) for o in (*pair,))
                if a is not None and b is not None:
                    met += [a * self.n_organisations + b, b * self.n_organisations + a]
        self.met = np.unique(np.asarray(met, dtype=np.int64))

    def apply(self, rows, columns, scores):
        """Scores of pairs (rows[i], columns[i]) after the rules: excluded pairs get
        _EXCLUDED, domestic pairs are divided by 1 + cross_border_bonus."""
        excluded = self.organisation[rows] == self.organisation[columns]
        if self.type_excluded.any():
            excluded |= self.type_excluded[self.type[rows], self.type[columns]]
        if self.group_excluded.any():
            excluded |= self.group_excluded[self.group[rows], self.group[columns]]
        if self.mode_excluded.any():
            excluded |= self.mode_excluded[self.mode[rows], self.mode[columns]]
        if len(self.refused):
            codes = rows * self.n + columns
            found = np.minimum(np.searchsorted(self.refused, codes), len(self.refused) - 1)
            excluded |= self.refused[found] == codes
        if self.divisor != 1:
            domestic = self.country_known[rows] & (self.country[rows] == self.country[columns])
            scores = np.where(domestic, scores / self.divisor, scores)
        if len(self.met):
            codes = self.organisation[rows] * self.n_organisations + self.organisation[columns]
            found = np.minimum(np.searchsorted(self.met, codes), len(self.met) - 1)
            scores = np.where(self.met[found] == codes, scores * self.met_factor, scores)
        return np.where(excluded, np.float32(_EXCLUDED), scores)


class PairScorer:
    """The relevance model applied to stored raw scores: what a pair's features need beyond
    its raw score (each participant's numbers of offers and requests and experience, and the
    event's typical scored pair, from `calibrate`). With `history` true, the default model is
    the one over past co-participation too (relevance.HISTORY_FEATURES), and `scores` and
    `features` take each pair's past projects together and shared past partners."""

    def __init__(self, n_offers, n_requests, experience, model=None, history=False):
        self.n_offers = np.asarray(n_offers, dtype=np.float64)
        self.n_requests = np.asarray(n_requests, dtype=np.float64)
        self.experience = experience_numbers(experience)
        self.log_experience = np.log1p(self.experience).astype(np.float32)
        if model is None:
            model = load_history_model() if history else load_model()
        self.model = model
        self.history = history
        self.typical = (1.0, 1.0)

    @classmethod
    def of(cls, participants, model=None, history=False):
        return cls(
            [len(p.offers) for p in participants],
            [len(p.requests) for p in participants],
            [p.experience for p in participants],
            model,
            history,
        )

    def calibrate(self, left, right):
        """Set the event's typical scored pair from the rows of up to TYPICAL_ROWS participants
        spread evenly over the event (the rows depend only on the number of participants, so
        a live update of an unchanged event finds the same). Cost: one product of those rows,
        a few per cent of the ranking's."""
        n = left.shape[0]
        rows = np.unique(np.linspace(0, n - 1, min(n, TYPICAL_ROWS)).astype(np.int64))
        sample = (left[rows] @ right).tocoo()
        sample_rows = rows[sample.row]
        columns = sample.col.astype(np.int64)
        other = sample_rows != columns
        raw = sample.data[other]
        self.typical = typical_pair(raw, self.pairs(sample_rows[other], columns[other]))
        return self

    def pairs(self, rows, columns):
        """Opportunity pairs the raw scores of (rows[i], columns[i]) sum over."""
        return (
            self.n_requests[rows] * self.n_offers[columns]
            + self.n_offers[rows] * self.n_requests[columns]
        )

    def features(self, rows, columns, raw, history=None):
        """relevance.pair_features of pairs (rows[i], columns[i]) with raw scores `raw`, and,
        given `history` = (together, shared) arrays, relevance.history_features beside."""
        features = pair_features(
            raw,
            self.pairs(rows, columns),
            self.experience[rows],
            self.experience[columns],
            self.typical,
        )
        if history is None:
            return features
        return np.hstack([features, history_features(*history)])

    def scores(self, rows, columns, raw, history=None):
        """Scores in (0, 1) of pairs (rows[i], columns[i]) with raw scores `raw` (> 0),
        float32: the model over `features`, computed in float32 without the feature matrix
        (tens of millions of pairs at 20,000 participants). `history`, for a history model:
        the BlockHistory of these pairs (they are a whole widened block), or None when none
        has history."""
        text, mean, experience = (np.float32(c) for c in self.model.coefficients[:3])
        typical_raw, typical_per_pair = (np.float32(t) for t in self.typical)
        raw = np.asarray(raw, dtype=np.float32)
        pairs = np.maximum(self.pairs(rows, columns).astype(np.float32), np.float32(1))
        logit = text * np.log1p(raw / typical_raw)
        logit += mean * np.log1p(raw / pairs / typical_per_pair)
        logit += experience * (self.log_experience[rows] + self.log_experience[columns])
        if self.history and history is not None:
            together, shared = (np.float32(c) for c in self.model.coefficients[3:5])
            # Each pair is stored once in either matrix: positions do not repeat.
            logit[history.together_at] += together * np.log1p(history.together.astype(np.float32))
            logit[history.shared_at] += shared * np.log1p(history.shared.astype(np.float32))
        logit += np.float32(self.model.intercept)
        return np.float32(1) / (np.float32(1) + np.exp(-logit))


def _codes(values):
    """Small integer codes, equal where the values are equal: 1 and "1" are two codes (their
    repr differs), so two organisations are never merged because their ids print alike."""
    return np.unique(np.asarray([repr(v) for v in values]), return_inverse=True)[1].ravel()


class BlockHistory:
    """Where the pairs with history sit among a block's stored pairs (their positions in the
    CSR data of `with_history`'s widened block) and their past projects together and shared
    past partners (Adamic-Adar). Pairs without history have 0 for both, so a history model
    only adds its two terms at these positions."""

    def __init__(self, widened, together, shared):
        # Codes row * width + column of the stored pairs are increasing in a canonical CSR
        # matrix: searching them finds each history pair's position.
        width = widened.shape[1]
        rows = np.repeat(np.arange(widened.shape[0], dtype=np.int64), np.diff(widened.indptr))
        codes = rows * width + widened.indices
        self.size = len(codes)
        self.together_at, self.together = self._positions(together, codes, width)
        self.shared_at, self.shared = self._positions(shared, codes, width)

    @staticmethod
    def _positions(matrix, codes, width):
        matrix = matrix.tocoo()
        wanted = matrix.row.astype(np.int64) * width + matrix.col
        return np.searchsorted(codes, wanted), matrix.data

    def arrays(self):
        """(together, shared) as arrays over all the block's stored pairs."""
        together, shared = np.zeros(self.size), np.zeros(self.size)
        together[self.together_at] = self.together
        shared[self.shared_at] = self.shared
        return together, shared


def with_history(block, graph, start, stop):
    """(block widened, BlockHistory of its pairs): `block`, the sparse raw scores of rows
    start..stop, with every pair that has history (past projects together or a common past
    partner in `graph`, a CoParticipationGraph) stored too (raw HISTORY_ONLY_RAW if it shares
    no term)."""
    together, shared = graph.block(start, stop)
    known = (together + shared).tocsr()
    known.data = np.full(len(known.data), HISTORY_ONLY_RAW, dtype=np.float32)
    widened = (block + known).tocsr()
    widened.sum_duplicates()  # canonical: sorted columns in each row
    return widened, BlockHistory(widened, together, shared)


def _top_k(block, start, mask, scorer, k, history=None):
    """Columns and scores (best first, _EXCLUDED where there are fewer than k partners) of
    the k best allowed partners of each row of `block`, the sparse raw scores of rows
    start..., scored by `scorer` (a PairScorer); `history` (the BlockHistory of
    `with_history`) gives the pairs' co-participation to a history model.

    Only stored (non-zero) scores are looked at: they are laid out row by row in a padded
    array as wide as the fullest row, and argpartition picks the k best of each row."""
    n_rows = block.shape[0]
    per_row = np.diff(block.indptr)
    rows = np.repeat(np.arange(n_rows), per_row)
    columns = block.indices.astype(np.int64)
    scores = scorer.scores(rows + start, columns, block.data, history)
    scores = mask.apply(rows + start, columns, scores)
    width = max(k, int(per_row.max(initial=0)))
    position = np.arange(len(rows)) - block.indptr[rows]
    padded = np.full((n_rows, width), _EXCLUDED, dtype=np.float32)
    padded[rows, position] = scores
    padded_columns = np.zeros((n_rows, width), dtype=np.int64)
    padded_columns[rows, position] = columns
    best = np.argpartition(-padded, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(padded, best, axis=1)
    order = np.argsort(-values, axis=1, kind="stable")
    best = np.take_along_axis(best, order, axis=1)
    return np.take_along_axis(padded_columns, best, axis=1), np.take_along_axis(
        padded, best, axis=1
    )


def rank_matches(participants, rules=MatchRules(), top_k=20, progress=None, co_participation=()):
    """Each participant's `top_k` best partners, best first, with scores in [0, 1].

    The raw score of a partner b for a participant a is
    complementarity/2 * (need + offer) + profile * cos(a's profile, b's profile), where need
    sums the cosines of every pair (a's request, b's offer), and offer those of every pair
    (a's offer, b's request), with the weights of `rules.weights`, over TF-IDF vectors of
    words and word pairs (spelling variants joined through character n-grams) fitted on these
    participants. Pairs with raw > 0 are scored by the relevance model (relevance.py: raw and
    raw per opportunity pair relative to the event's typical pair, and both sides'
    experience), a probability in (0, 1); domestic pairs have it divided by
    1 + `rules.cross_border_bonus`, and pairs of organisations that met before multiplied by
    MET_BEFORE_FACTOR under the "lower" policy (matching/history.py). Pairs excluded by the
    rules (same organisation, "not interested" either way, excluded organisation types,
    excluded groups: `rules.groups`) and pairs with raw 0 are never returned, so a list can be
    shorter than `top_k`. Equal scores keep no particular order.

    `progress`, if given, is called as progress(done, total) with the number of participants
    ranked so far, after each block.

    `co_participation` (coparticipation.CoParticipation items: two organisations and their number of
    past projects together; organisations outside the event count as past partners), if any,
    scores the pairs with the history model (relevance.HISTORY_FEATURES: past projects
    together and shared past partners beside the text), and pairs with history are scored even
    when they share no term. Without it the engine is text and experience alone.

    Returns {participant id: [Match, ...]} for every participant (possibly an empty list).
    Each Match's `explanation` is computed on first access, in batches: the first access
    explains every returned pair of that participant's block of participants
    (explain.EXPLAIN_BLOCK); `explain_all(result)` explains them all at once.

    Raises ValueError on duplicate participant ids or top_k < 1.

    In events of more than CUT_ABOVE_PARTICIPANTS, ranking uses each field's RANKING_TERMS
    strongest terms (a score is then a lower bound of the full one; the explanation reports
    the full similarities).

    Cost: one sparse product per block of rows (never an N x N matrix in memory), time about
    the number of (pair, shared term) combinations; memory about N * top_k plus the vectors
    and one block. 20,000 participants with top_k=50: see docs/matching.md.
    """
    participants = tuple(participants)
    if top_k < 1:
        raise ValueError("top_k must be at least 1")
    if len({p.id for p in participants}) != len(participants):
        raise ValueError("participant ids must be unique")
    n = len(participants)
    k = min(top_k, n - 1)
    if k < 1:
        return {p.id: [] for p in participants}

    vectors = EventVectors(participants)
    left, right = scoring_matrices(vectors, rules.weights)
    mask = _RuleMask(participants, rules)
    graph = CoParticipationGraph(participants, co_participation) if co_participation else None
    if graph is not None and graph.empty:
        graph = None
    scorer = PairScorer.of(participants, history=graph is not None).calibrate(left, right)

    results = []
    for start, stop in blocks(n, n):
        block, history = left[start:stop] @ right, None
        if graph is not None:
            block, history = with_history(block, graph, start, stop)
        results.append(_top_k(block, start, mask, scorer, k, history))
        if progress is not None:
            progress(stop, n)
    columns = np.concatenate([c for c, _ in results])
    values = np.concatenate([v for _, v in results]).astype(float)

    explainer = Explainer(
        participants, vectors, rules.weights, columns, values > 0, rules.met_before
    )
    ids = [p.id for p in participants]
    # Up to a million Match objects: without a pause, the garbage collector would walk all
    # the young ones again and again while they are made (a third of the total time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return {
            ids[row]: [
                Match(ids[row], ids[column], score, explainer)
                for column, score in zip(columns[row].tolist(), values[row].tolist(), strict=True)
                if score > 0
            ]
            for row in range(n)
        }
    finally:
        if collecting:
            gc.enable()
