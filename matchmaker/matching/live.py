"""Live matching: an event's fitted state kept as bytes, and one participant scored against it.

The organizer's full run (`rank_matches`) fits the vocabulary and IDF on the event; `fit_state`
keeps that fit with every participant's vectors as plain arrays (a zlib-compressed npz archive,
strings as JSON: no pickled objects), so a web process can later score ONE registration in a
fraction of a second (`score_participant`) without refitting. A participant vectorised against
the stored fit gets the very same vectors as in the fit, so, while its text is unchanged, its
ranking equals the full run's (same partners, order and scores). Words the fit never saw add to
a vector's length (as a word used by one participant would) but meet nobody; the next full run
refits them.
"""

import io
import json
import zlib
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from matchmaker.matching.engine import _EXCLUDED, PairScorer, scoring_matrices
from matchmaker.matching.explain import Explainer
from matchmaker.matching.model import Match, MatchRules, Opportunity, Participant
from matchmaker.matching.text import DOCUMENT_BREAK, glossary, is_content_word, split_corpus
from matchmaker.matching.vectors import (
    GLOSSARY_WEIGHT,
    IDF_EXPONENT,
    _count_matrix,
    _norms,
    _sum_rows,
    _tfidf,
    _weights,
    column_factors,
)

# 2: the words each participant wrote itself (explanations name only those) and each
# participant's experience (the relevance model scores with it). A version-1 state is still
# read: nobody's experience is known and chips fall back to the fitted words, until the next
# full run replaces it.
STATE_VERSION = 2
_READABLE_VERSIONS = (1, 2)
_MAGIC = b"matchmaker-live-1\n"  # then a zlib-compressed npz archive


class _Vectors:
    """The fields EventVectors offers to scoring and explanations, over given rows."""

    def __init__(self, opportunities, owner, is_offer, profiles, state):
        n = profiles.shape[0]
        self.opportunities = opportunities
        self.profiles = profiles
        self.offers = _sum_rows(opportunities, owner, is_offer, n)
        self.requests = _sum_rows(opportunities, owner, ~is_offer, n)
        self.term = state.term
        self.kernel = state.kernel
        self.written = state.written


@dataclass
class FittedEvent:
    """An event's fit (vocabulary, word pairs, IDF, spelling kernel) and its participants'
    vectors and attributes. Rows of `opportunities` are each participant's offers then
    requests, participant after participant; `sizes[i]` = (offers, requests) of participant i.
    """

    ids: list
    organisations: list
    countries: list
    types: list
    titles: list  # per participant: [[opportunity id, kind, title], ...] offers then requests
    experiences: list  # per participant: Participant.experience
    words: list
    pairs: np.ndarray
    idf: np.ndarray
    kernel: sp.csr_array
    fitted_participants: int
    sizes: np.ndarray
    opportunities: sp.csr_array
    profiles: sp.csr_array
    # Participants x words, 1 where a participant wrote the word itself (EventVectors.written);
    # None in a state of version 1, whose explanations then name the matching features.
    written: sp.csr_array = None
    row: dict = field(init=False, repr=False)

    def __post_init__(self):
        self.row = {pid: i for i, pid in enumerate(self.ids)}
        self._word_id = None
        self._factors = None

    # -- serialising -------------------------------------------------------------------------

    def to_bytes(self):
        """The state as bytes (an npz archive; strings in one JSON member)."""
        text = json.dumps(
            {
                "version": STATE_VERSION,
                "ids": self.ids,
                "organisations": self.organisations,
                "countries": self.countries,
                "types": self.types,
                "titles": self.titles,
                "experiences": self.experiences,
                "words": self.words,
                "fitted_participants": self.fitted_participants,
            }
        ).encode()
        arrays = {"text": np.frombuffer(text, dtype=np.uint8)}
        for name in ("kernel", "opportunities", "profiles", "written"):
            matrix = getattr(self, name)
            if matrix is None:
                continue
            arrays[f"{name}_data"] = matrix.data
            # Columns and row starts fit in 32 bits: half the bytes to store and move.
            arrays[f"{name}_indices"] = matrix.indices.astype(np.int32)
            arrays[f"{name}_indptr"] = matrix.indptr.astype(np.int64)
            arrays[f"{name}_shape"] = np.asarray(matrix.shape, dtype=np.int64)
        buffer = io.BytesIO()
        np.savez(buffer, pairs=self.pairs, idf=self.idf, sizes=self.sizes, **arrays)
        # Compressed here, fast (zlib level 1: 0.1 s for 2,000 participants), because a
        # database would otherwise compress the value itself on every write, slowly
        # (PostgreSQL's pglz took 0.6 s for the 9 MB of a 2,000-participant event).
        return _MAGIC + zlib.compress(buffer.getvalue(), 1)

    @classmethod
    def from_bytes(cls, data):
        """The state `to_bytes` wrote. Raises ValueError on bytes of another format."""
        try:
            if not bytes(data[: len(_MAGIC)]) == _MAGIC:
                raise ValueError("no header")
            archive = np.load(io.BytesIO(zlib.decompress(data[len(_MAGIC) :])), allow_pickle=False)
            text = json.loads(archive["text"].tobytes())
        except (OSError, KeyError, ValueError, zlib.error) as error:
            raise ValueError("not a fitted matching state") from error
        if text.get("version") not in _READABLE_VERSIONS:
            raise ValueError("a fitted matching state of another version")

        def matrix(name):
            return sp.csr_array(
                (archive[f"{name}_data"], archive[f"{name}_indices"], archive[f"{name}_indptr"]),
                shape=tuple(archive[f"{name}_shape"]),
            )

        return cls(
            ids=text["ids"],
            organisations=text["organisations"],
            countries=text["countries"],
            types=text["types"],
            titles=text["titles"],
            experiences=text.get("experiences") or [None] * len(text["ids"]),
            words=text["words"],
            pairs=archive["pairs"],
            idf=archive["idf"],
            kernel=matrix("kernel"),
            fitted_participants=text["fitted_participants"],
            sizes=archive["sizes"],
            opportunities=matrix("opportunities"),
            profiles=matrix("profiles"),
            written=matrix("written") if "written_data" in archive else None,
        )

    # -- vectors -----------------------------------------------------------------------------

    def term(self, column):
        """The readable name of feature `column`, as EventVectors.term."""
        n_words = len(self.words)
        if column < n_words:
            return self.words[column]
        first, second = divmod(int(self.pairs[column - n_words]), n_words)
        return f"{self.words[first]} {self.words[second]}"

    def vectorise(self, participant):
        """Rows (offers then requests) and the profile row of `participant` against the fit,
        computed as EventVectors computes them for a participant of the fit."""
        docs = [o.text for o in (*participant.offers, *participant.requests)]
        docs.append(participant.profile_text)
        if self._word_id is None:
            self._word_id = {word: i for i, word in enumerate(self.words)}
        n_words, n_docs = len(self.words), len(docs)
        tokens, doc_of, doc = [], [], 0
        for token in split_corpus(docs):
            if token == DOCUMENT_BREAK:
                doc += 1
            elif is_content_word(token):
                tokens.append(token)
                doc_of.append(doc)
        # Known words keep their fitted ids; unknown ones get ids after them (no column).
        unknown = {}
        ids = np.asarray(
            [
                self._word_id[t]
                if t in self._word_id
                else n_words + unknown.setdefault(t, len(unknown))
                for t in tokens
            ],
            dtype=np.int64,
        )
        doc_of = np.asarray(doc_of, dtype=np.int64)
        same_doc = doc_of[1:] == doc_of[:-1]
        first, second = ids[:-1][same_doc], ids[1:][same_doc]
        known_pair = (first < n_words) & (second < n_words)
        codes = first * n_words + second
        found = np.minimum(np.searchsorted(self.pairs, codes), max(len(self.pairs) - 1, 0))
        known_pair &= len(self.pairs) > 0
        if len(self.pairs):
            known_pair &= self.pairs[found] == codes
        pair_docs = doc_of[1:][same_doc]

        known = ids < n_words
        word_counts = _count_matrix(doc_of[known], ids[known], (n_docs, n_words))
        pair_counts = _count_matrix(
            pair_docs[known_pair], found[known_pair], (n_docs, len(self.pairs))
        )
        word_counts = word_counts @ self.kernel + self._concept_counts(
            [t for t, k in zip(tokens, known.tolist(), strict=True) if not k],
            doc_of[~known],
            n_docs,
        )
        counts = sp.hstack([word_counts, pair_counts], format="csr")
        idf = sp.diags_array(self.idf)
        unseen_words, unseen_pairs = doc_of[~known], pair_docs[~known_pair]
        if not (len(unseen_words) or len(unseen_pairs)):
            rows = _tfidf(counts, idf)
        else:
            # Features the fit never saw (this participant's alone) weigh as a word of one
            # participant would: they lengthen the vector, so its known terms weigh what they
            # would after a refit, but they meet nobody.
            rare = (np.log((1 + self.fitted_participants) / 2) + 1) ** IDF_EXPONENT
            unseen = _count_matrix(
                np.concatenate([unseen_words, unseen_pairs]),
                np.concatenate(
                    [ids[~known] - n_words, len(unknown) + np.arange(len(unseen_pairs))]
                ),
                (n_docs, len(unknown) + len(unseen_pairs)),
            )
            unseen_norms = _norms(
                _weights(unseen, sp.diags_array(np.full(unseen.shape[1], rare, dtype=np.float32)))
            )
            weighted = _weights(counts, idf)
            norms = np.sqrt(_norms(weighted) ** 2 + unseen_norms**2)
            scale = np.divide(1, norms, out=np.zeros_like(norms), where=norms > 0)
            rows = (sp.diags_array(scale) @ weighted).tocsr()
        if self._factors is None:
            self._factors = sp.diags_array(column_factors(self.words, self.pairs))
        rows = (rows @ self._factors).tocsr()  # generic words, as EventVectors scales them
        n_opportunities = n_docs - 1
        return rows[:n_opportunities], rows[n_opportunities:]

    # -- changing the participants -----------------------------------------------------------

    def _starts(self):
        return np.concatenate([[0], np.cumsum(self.sizes.sum(axis=1))]).astype(np.int64)

    def replaced(self, participant):
        """A new state with `participant` added, or replacing the one of the same id."""
        opportunity_rows, profile_row = self.vectorise(participant)
        entry = (
            repr(participant.organisation_id),
            participant.country.strip().upper(),
            participant.type.strip().casefold(),
            [[o.id, o.kind, o.title] for o in (*participant.offers, *participant.requests)],
            participant.experience,
        )
        size = [[len(participant.offers), len(participant.requests)]]
        ids, lists = (
            list(self.ids),
            [
                list(self.organisations),
                list(self.countries),
                list(self.types),
                list(self.titles),
                list(self.experiences),
            ],
        )
        starts = self._starts()
        i = self.row.get(participant.id)
        if i is None:
            ids.append(participant.id)
            for values, value in zip(lists, entry, strict=True):
                values.append(value)
            sizes = np.concatenate([self.sizes.reshape(-1, 2), size]).astype(np.int64)
            opportunities = sp.vstack([self.opportunities, opportunity_rows], format="csr")
            profiles = sp.vstack([self.profiles, profile_row], format="csr")
            written = self._stacked_written([self.written, self.written_row(participant)])
        else:
            for values, value in zip(lists, entry, strict=True):
                values[i] = value
            sizes = self.sizes.copy()
            sizes[i] = size[0]
            opportunities = sp.vstack(
                [
                    self.opportunities[: starts[i]],
                    opportunity_rows,
                    self.opportunities[starts[i + 1] :],
                ],
                format="csr",
            )
            profiles = sp.vstack(
                [self.profiles[:i], profile_row, self.profiles[i + 1 :]], format="csr"
            )
            written = self.written
            if written is not None:
                written = self._stacked_written(
                    [written[:i], self.written_row(participant), written[i + 1 :]]
                )
        return self._with(ids, lists, sizes, opportunities, profiles, written)

    def without(self, participant_id):
        """A new state without the participant of that id (the same state if absent)."""
        i = self.row.get(participant_id)
        if i is None:
            return self
        starts = self._starts()
        keep = [j for j in range(len(self.ids)) if j != i]
        lists = [
            [values[j] for j in keep]
            for values in (
                self.organisations,
                self.countries,
                self.types,
                self.titles,
                self.experiences,
            )
        ]
        opportunities = sp.vstack(
            [self.opportunities[: starts[i]], self.opportunities[starts[i + 1] :]], format="csr"
        )
        profiles = sp.vstack([self.profiles[:i], self.profiles[i + 1 :]], format="csr")
        sizes = np.delete(self.sizes.reshape(-1, 2), i, axis=0)
        written = self.written
        if written is not None:
            written = self._stacked_written([written[:i], written[i + 1 :]])
        return self._with(
            [self.ids[j] for j in keep], lists, sizes, opportunities, profiles, written
        )

    def _concept_counts(self, words, docs, n_docs):
        """Documents x words: the glossary concept each of `words` (unknown to the fit, in
        documents `docs`) credits, as the fit's kernel would have credited it, where the
        concept is a fitted word: a new registration writing "наводњавање" meets those who
        wrote "irrigation" before the next full run."""
        lookup = glossary().concept
        rows, columns = [], []
        for word, doc in zip(words, docs.tolist(), strict=True):
            column = self._word_id.get(lookup(word) or "")
            if column is not None:
                rows.append(doc)
                columns.append(column)
        credits = _count_matrix(
            np.asarray(rows, dtype=np.int64),
            np.asarray(columns, dtype=np.int64),
            (n_docs, len(self.words)),
        )
        return credits * np.float32(GLOSSARY_WEIGHT)

    def written_row(self, participant):
        """1 x words: the fitted words `participant` wrote (see EventVectors.written)."""
        docs = [o.text for o in (*participant.offers, *participant.requests)]
        docs.append(participant.profile_text)
        if self._word_id is None:
            self._word_id = {word: i for i, word in enumerate(self.words)}
        ids = sorted(
            {
                self._word_id[t]
                for t in split_corpus(docs)
                if t in self._word_id and t != DOCUMENT_BREAK
            }
        )
        return sp.csr_array(
            (np.ones(len(ids), dtype=np.float32), (np.zeros(len(ids), dtype=np.int64), ids)),
            shape=(1, len(self.words)),
        )

    def _stacked_written(self, parts):
        if self.written is None:
            return None
        return sp.vstack(parts, format="csr").astype(np.float32)

    def _with(self, ids, lists, sizes, opportunities, profiles, written=None):
        state = FittedEvent(
            ids,
            *lists,
            words=self.words,
            pairs=self.pairs,
            idf=self.idf,
            kernel=self.kernel,
            fitted_participants=self.fitted_participants,
            sizes=np.asarray(sizes, dtype=np.int64).reshape(-1, 2),
            opportunities=opportunities.astype(np.float32),
            profiles=profiles.astype(np.float32),
            written=written,
        )
        state._word_id = self._word_id
        state._factors = self._factors
        return state

    def vectors(self):
        """Offers, requests, profiles and opportunities of every participant (a _Vectors)."""
        sizes = self.sizes.reshape(-1, 2)
        counts = sizes.sum(axis=1)
        owner = np.repeat(np.arange(len(self.ids)), counts)
        within = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
        is_offer = within < np.repeat(sizes[:, 0], counts)
        return _Vectors(self.opportunities, owner, is_offer, self.profiles, self)

    def plain(self, i):
        """Participant i as the engine's Participant (titles only: what explanations need)."""
        offers, requests = [], []
        for opportunity_id, kind, title in self.titles[i]:
            target = offers if kind == "offer" else requests
            target.append(Opportunity(id=opportunity_id, kind=kind, title=title))
        return Participant(
            id=self.ids[i],
            organisation_id=self.organisations[i],
            offers=tuple(offers),
            requests=tuple(requests),
            country=self.countries[i],
            type=self.types[i],
            experience=self.experiences[i],
        )


def fit_state(participants):
    """The fitted state of an event's participants as bytes: what `rank_matches` fits
    (vocabulary, word pairs, IDF, spelling kernel) and each participant's vectors and
    attributes. Store it beside the full run's matches and give it to `score_participant`.

    Cost: one EventVectors fit (as rank_matches does); the bytes hold the sparse vectors,
    about 3.5 MB for 2,000 participants with two to six opportunities each.
    """
    from matchmaker.matching.vectors import EventVectors

    participants = tuple(participants)
    vectors = EventVectors(participants)
    return FittedEvent(
        ids=[p.id for p in participants],
        organisations=[repr(p.organisation_id) for p in participants],
        countries=[p.country.strip().upper() for p in participants],
        types=[p.type.strip().casefold() for p in participants],
        titles=[[[o.id, o.kind, o.title] for o in (*p.offers, *p.requests)] for p in participants],
        experiences=[p.experience for p in participants],
        words=list(vectors._words),
        pairs=np.asarray(vectors._pairs, dtype=np.int64),
        idf=vectors.idf,
        kernel=vectors.kernel.tocsr(),
        fitted_participants=len(participants),
        sizes=np.asarray(
            [(len(p.offers), len(p.requests)) for p in participants], dtype=np.int64
        ).reshape(-1, 2),
        opportunities=vectors.opportunities,
        profiles=vectors.profiles,
        written=vectors.written,
    ).to_bytes()


@dataclass
class LiveRanking:
    """What `score_participant` found for one participant.

    `matches`: its `top_k` best partners, best first, as `rank_matches` gives them (explained).
    `scores`: {partner id: score in (0, 1]} for every partner the rules allow with a positive
    score (to tell whether the participant enters a partner's own list). `state`: the state
    bytes with this participant's new vectors (store them when the participant is kept), and
    `participant_count` the number of participants they hold.
    """

    participant_id: object
    matches: list
    scores: dict
    state: bytes
    participant_count: int
    explain_with: object = field(repr=False, default=None)

    def matches_with(self, partner_ids):
        """Explained Matches of this participant with each of `partner_ids` (as seen from it)."""
        return self.explain_with(partner_ids)


def score_participant(state, participant, rules=MatchRules(), top_k=20, keep=True):
    """Score ONE participant (plain `Participant`) against the fitted `state` (bytes of
    `fit_state` or of an earlier LiveRanking): its new vectors replace its old ones (or are
    added), and its `top_k` best partners are ranked, scored and explained exactly as
    `rank_matches` would rank them on the stored participants with the stored fit.

    `keep`: whether the returned state holds this participant (False for a preview: a pending
    registration sees its suggestions but stays out of everyone else's).

    Returns a LiveRanking. Raises ValueError on bytes that are not a state, or top_k < 1.

    Cost: vectorising one participant (milliseconds), building the scoring matrices of the
    event and one sparse row product (about 0.1 s at 2,000 participants), plus reading and
    writing the state's bytes.
    """
    if top_k < 1:
        raise ValueError("top_k must be at least 1")
    fitted = FittedEvent.from_bytes(state)
    changed = fitted.replaced(participant)
    i = changed.row[participant.id]
    n = len(changed.ids)
    vectors = changed.vectors()
    left, right = scoring_matrices(vectors, rules.weights)
    product = (left[i : i + 1] @ right).tocsr()
    columns = product.indices.astype(np.int64)
    sizes = changed.sizes.reshape(-1, 2)
    scorer = PairScorer(sizes[:, 0], sizes[:, 1], changed.experiences).calibrate(left, right)
    scores = scorer.scores(np.full(len(columns), i), columns, product.data)
    values = _apply_rules(changed, i, columns, scores, rules)

    k = min(top_k, n - 1)
    if k >= 1 and len(values):
        padded = np.full(max(k, len(values)), _EXCLUDED, dtype=np.float32)
        padded[: len(values)] = values
        padded_columns = np.zeros(len(padded), dtype=np.int64)
        padded_columns[: len(values)] = columns
        best = np.argpartition(-padded, k - 1)[:k]
        best = best[np.argsort(-padded[best], kind="stable")]
        top = [
            (int(c), float(s))
            for c, s in zip(
                padded_columns[best].tolist(),
                padded[best].astype(float).tolist(),
                strict=True,
            )
            if s > 0
        ]
    else:
        top = []
    scores = {
        changed.ids[c]: float(s)
        for c, s in zip(columns.tolist(), values.astype(float).tolist(), strict=True)
        if s > 0
    }

    def explain_with(partner_ids):
        partner_rows = [changed.row[pid] for pid in partner_ids]
        return _explained(changed, vectors, participant, i, partner_rows, scores, rules)

    top_matches = _explained(
        changed,
        vectors,
        participant,
        i,
        [c for c, _ in top],
        dict((changed.ids[c], s) for c, s in top),
        rules,
    )
    result_state = changed if keep else fitted.without(participant.id)
    return LiveRanking(
        participant.id,
        top_matches,
        scores,
        result_state.to_bytes(),
        len(result_state.ids),
        explain_with,
    )


def remove_participant(state, participant_id):
    """The state bytes without that participant (withdrawn, rejected): it meets nobody."""
    return FittedEvent.from_bytes(state).without(participant_id).to_bytes()


def _apply_rules(state, i, columns, scores, rules):
    """Scores of participant i against `columns` after the rules, as engine._RuleMask does."""
    organisations = np.asarray(state.organisations, dtype=object)
    excluded = organisations[columns] == state.organisations[i]
    excluded |= columns == i
    types = np.asarray(state.types, dtype=object)
    for first, second in rules.excluded_type_pairs:
        first, second = first.strip().casefold(), second.strip().casefold()
        mine = state.types[i]
        if mine == first:
            excluded |= types[columns] == second
        if mine == second:
            excluded |= types[columns] == first
    for apart in (rules.groups, rules.attendance):
        if apart:
            ids = np.asarray(state.ids, dtype=object)
            groups, table = apart.codes([state.ids[i], *ids[columns].tolist()])
            excluded |= table[groups[0], groups[1:]]
    me = state.ids[i]
    refused = {b for a, b in rules.not_interested if a == me}
    refused |= {a for a, b in rules.not_interested if b == me}
    if refused:
        ids = np.asarray(state.ids, dtype=object)
        excluded |= np.fromiter((pid in refused for pid in ids[columns]), bool, len(columns))
    divisor = np.float32(1 + rules.cross_border_bonus)
    if divisor != 1 and state.countries[i]:
        countries = np.asarray(state.countries, dtype=object)
        domestic = countries[columns] == state.countries[i]
        scores = np.where(domestic, scores / divisor, scores)
    factor = np.float32(rules.met_before_factor)
    mine = state.organisations[i]  # the state keeps organisations as their repr
    met = {o for pair in _met_before(rules) if mine in pair for o in pair if o != mine}
    if factor != 1 and met:
        seen = np.fromiter((o in met for o in organisations[columns]), bool, len(columns))
        scores = np.where(seen, scores * factor, scores)
    return np.where(excluded, np.float32(_EXCLUDED), scores).astype(np.float32)


def _met_before(rules):
    """rules.met_before keyed by the repr of the organisations, as the state keeps them."""
    return {frozenset(repr(o) for o in pair): record for pair, record in rules.met_before.items()}


def _explained(state, vectors, participant, i, partner_rows, scores, rules):
    """Explained Matches of participant row i with `partner_rows`, built by an Explainer over
    these rows only (the same computation as in a full run)."""
    if not partner_rows:
        return []
    rows = [i, *partner_rows]
    # Organisations as the state keeps them (their repr), on both sides, for met_before.
    plain = [
        replace(participant, organisation_id=repr(participant.organisation_id)),
        *(state.plain(r) for r in partner_rows),
    ]
    starts = np.concatenate([[0], np.cumsum(state.sizes.reshape(-1, 2).sum(axis=1))])
    opportunity_rows = np.concatenate([np.arange(starts[r], starts[r + 1]) for r in rows]).astype(
        np.int64
    )
    sizes = np.asarray([(len(p.offers), len(p.requests)) for p in plain]).reshape(-1, 2)
    counts = sizes.sum(axis=1)
    owner = np.repeat(np.arange(len(rows)), counts)
    within = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    mini = _Vectors(
        vectors.opportunities[opportunity_rows],
        owner,
        within < np.repeat(sizes[:, 0], counts),
        vectors.profiles[rows],
        state,
    )
    mini.offers, mini.requests = vectors.offers[rows], vectors.requests[rows]
    if state.written is not None:
        mini.written = state.written[rows]
    n = len(rows)
    explainer = Explainer(
        plain,
        mini,
        rules.weights,
        np.arange(1, n).reshape(1, -1),
        np.ones((1, n - 1), bool),
        _met_before(rules),
    )
    matches = [
        Match(participant.id, state.ids[r], scores[state.ids[r]], explainer) for r in partner_rows
    ]
    explainer.explain_matches(matches)
    return matches
