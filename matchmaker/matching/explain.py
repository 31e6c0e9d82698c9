"""Explanations of matches, computed in batches with sparse array operations.

An explanation needs, for a pair of participants, the element-wise products of their fields
(which terms they share, and how much each adds to the score) and the cosines of every pair of
their opportunities. One pair at a time, the fixed cost of slicing sparse rows dominates
(milliseconds a pair); here the rows of thousands of pairs are gathered at once, every product
and every per-pair "best n" is one array operation, and only the final dataclasses are built in
Python (microseconds a pair).

`rank_matches` gives each Match an `Explainer`; the first access to a match's `explanation`
explains every returned pair of that participant's block of EXPLAIN_BLOCK participants, so
looping over all matches (as the app does) costs one batch per block. `explain_all(ranked)`
explains every match of a result at once.
"""

from collections import defaultdict

import numpy as np

from matchmaker.matching.model import Explanation, OpportunityPair
from matchmaker.matching.text import glossary, is_generic

EXPLAINED_PAIRS = 3
EXPLAINED_TERMS = 5
# Features looked at per pair before grouping word forms into chips: word forms of one stem or
# concept take several of them ("monitoring", "monitor", "monitorizare").
TERM_CANDIDATES = 12
# Word forms shown in one chip at most ("monitoring / monitor / monitorizare").
FORMS_PER_TERM = 3
# Participants whose returned pairs are explained together on the first lazy access.
EXPLAIN_BLOCK = 256
# Pairs per batch of sparse operations (bounds the memory of the gathered rows).
BATCH_PAIRS = 8192


def squash(raw):
    """Raw scores (sums of cosines, >= 0) to [0, 1): 1 - exp(-raw). Keeps the order, and stays
    close to the raw value where most scores are (0.2 -> 0.18); several good opportunity
    pairs add up but never past 1."""
    return -np.expm1(-np.maximum(raw, 0))


def flip(explanation):
    """The same explanation seen from the partner's side (the score is symmetric)."""
    return Explanation(
        need_score=explanation.offer_score,
        offer_score=explanation.need_score,
        profile_score=explanation.profile_score,
        partner_offers=explanation.participant_offers,
        participant_offers=explanation.partner_offers,
        terms=explanation.terms,
        met_before=explanation.met_before,
    )


def _best_per_group(groups, values, tiebreak, n_best):
    """Indices of the `n_best` largest positive `values` of each group (groups are integers),
    best first, ties by `tiebreak` ascending; grouped by ascending group."""
    positive = np.flatnonzero(values > 0)
    order = positive[np.lexsort((tiebreak[positive], -values[positive], groups[positive]))]
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    return order[rank < n_best]


def _row_dots(matrix, first_rows, second_rows):
    """Dot products of rows first_rows[i] and second_rows[i] of CSR `matrix`, as float64."""
    if len(first_rows) == 0:
        return np.zeros(0)
    product = matrix[first_rows].multiply(matrix[second_rows])
    return np.asarray(product.sum(axis=1), dtype=np.float64).ravel()


class Explainer:
    """Builds the Explanation of the matches of one `rank_matches` result.

    `columns[row]` are the partner rows returned to participant `row`, `returned[row]` says
    which of them were returned (score > 0). Explanations are kept per unordered pair and
    flipped for the other side."""

    def __init__(self, participants, vectors, weights, columns, returned, met_before=None):
        self.participants = participants
        # {frozenset of two organisation ids: MetBefore} (MatchRules.met_before)
        self.met_before = met_before or {}
        self.vectors = vectors
        self.weights = weights
        self.columns = columns
        self.returned = returned
        self.row = {p.id: row for row, p in enumerate(participants)}
        sizes = np.array([(len(p.offers), len(p.requests)) for p in participants]).reshape(-1, 2)
        self.n_offers, self.n_requests = sizes[:, 0], sizes[:, 1]
        # Row of each participant's first offer and first request in vectors.opportunities.
        self.first_offer = np.concatenate([[0], np.cumsum(sizes.sum(axis=1))[:-1]]).astype(np.int64)
        self.first_request = self.first_offer + self.n_offers
        self.cache = {}  # (row a, row b), a <= b -> Explanation seen from a
        self.explained_blocks = set()
        self.term_names = {}
        # Which written words credit each word column (the kernel's columns), and the words
        # each participant wrote: a term is shown as what the two sides wrote, never as a
        # variant or concept only a third participant (or nobody) wrote.
        kernel = getattr(vectors, "kernel", None)
        self.n_words = None if kernel is None else kernel.shape[0]
        self.credited_by = None if kernel is None else kernel.T.tocsr()
        self.written = getattr(vectors, "written", None)
        self.written_sets = {}
        self.sources = {}
        self.plain_forms = {}
        self.generic = {}

    def __call__(self, match):
        a, b = self.row[match.participant_id], self.row[match.partner_id]
        explanation = self._cached(a, b)
        if explanation is not None:
            return explanation
        block = a // EXPLAIN_BLOCK
        if block not in self.explained_blocks:
            self.explained_blocks.add(block)
            stop = min((block + 1) * EXPLAIN_BLOCK, len(self.participants))
            rows = np.arange(block * EXPLAIN_BLOCK, stop)
            returned = self.returned[rows]
            self.explain_rows(np.repeat(rows, returned.sum(axis=1)), self.columns[rows][returned])
            explanation = self._cached(a, b)
        if explanation is None:  # a pair that was not returned: explain it alone
            self.explain_rows(np.array([a]), np.array([b]))
            explanation = self._cached(a, b)
        return explanation

    def explain_matches(self, matches):
        """Set the explanation of every Match of `matches` (all made by this explainer)."""
        rows = np.fromiter((self.row[m.participant_id] for m in matches), np.int64, len(matches))
        partners = np.fromiter((self.row[m.partner_id] for m in matches), np.int64, len(matches))
        self.explain_rows(rows, partners)
        for match, a, b in zip(matches, rows.tolist(), partners.tolist(), strict=True):
            # What functools.cached_property stores (Match is frozen, its __dict__ is not).
            match.__dict__["explanation"] = self._cached(a, b)

    def _cached(self, a, b):
        if a <= b:
            return self.cache.get((a, b))
        explanation = self.cache.get((b, a))
        return None if explanation is None else flip(explanation)

    def explain_rows(self, a, b):
        """Explain the pairs (a[i], b[i]) of participant rows that are not explained yet."""
        low, high = np.minimum(a, b), np.maximum(a, b)
        codes = np.unique(low * len(self.participants) + high)
        low, high = np.divmod(codes, len(self.participants))
        missing = np.fromiter(
            ((x, y) not in self.cache for x, y in zip(low.tolist(), high.tolist(), strict=True)),
            bool,
            len(codes),
        )
        low, high = low[missing], high[missing]
        for start in range(0, len(low), BATCH_PAIRS):
            self._explain_batch(low[start : start + BATCH_PAIRS], high[start : start + BATCH_PAIRS])

    def _explain_batch(self, a, b):
        v, half = self.vectors, self.weights.complementarity / 2
        profile_weight = self.weights.profile
        need = v.requests[a].multiply(v.offers[b]).tocsr()
        offer = v.offers[a].multiply(v.requests[b]).tocsr()
        profile = v.profiles[a].multiply(v.profiles[b]).tocsr()
        need_scores = squash(np.asarray(need.sum(axis=1), dtype=np.float64).ravel())
        offer_scores = squash(np.asarray(offer.sum(axis=1), dtype=np.float64).ravel())
        profile_scores = np.asarray(profile.sum(axis=1), dtype=np.float64).ravel()

        contribution = ((need + offer) * half + profile * profile_weight).tocoo()
        best = _best_per_group(
            contribution.row, contribution.data, contribution.col, TERM_CANDIDATES
        )
        term_rows, term_columns = contribution.row[best], contribution.col[best]
        term_values = contribution.data[best]
        term_starts = np.searchsorted(term_rows, np.arange(len(a) + 1))
        columns, values = term_columns.tolist(), term_values.tolist()

        partner_offers = self._opportunity_pairs(b, a)  # b's offers x a's requests
        participant_offers = self._opportunity_pairs(a, b)
        for i, (x, y) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
            self.cache[(x, y)] = Explanation(
                need_score=round(float(need_scores[i]), 4),
                offer_score=round(float(offer_scores[i]), 4),
                profile_score=round(float(profile_scores[i]), 4),
                partner_offers=partner_offers[i],
                participant_offers=participant_offers[i],
                terms=self._terms(
                    x,
                    y,
                    columns[term_starts[i] : term_starts[i + 1]],
                    values[term_starts[i] : term_starts[i + 1]],
                ),
                met_before=self._met_before(x, y),
            )

    def _met_before(self, a, b):
        if not self.met_before:
            return None
        pair = frozenset(
            (self.participants[a].organisation_id, self.participants[b].organisation_id)
        )
        return self.met_before.get(pair)

    def _term(self, column):
        name = self.term_names.get(column)
        if name is None:
            name = self.term_names[column] = self.vectors.term(column)
        return name

    def _is_generic(self, word):
        generic = self.generic.get(word)
        if generic is None:
            generic = self.generic[word] = is_generic(word, glossary().concept(word))
        return generic

    def _written(self, row):
        words = self.written_sets.get(row)
        if words is None:
            written = self.written
            words = frozenset(written.indices[written.indptr[row] : written.indptr[row + 1]])
            self.written_sets[row] = words
        return words

    def _sources(self, column):
        sources = self.sources.get(column)
        if sources is None:
            credited_by = self.credited_by
            found = credited_by.indices[credited_by.indptr[column] : credited_by.indptr[column + 1]]
            # The column's own word first, then its variants or concept forms.
            sources = self.sources[column] = sorted(found.tolist(), key=lambda w: (w != column, w))
        return sources

    def _forms(self, a, b, column):
        """The words a or b wrote that meet in word `column`, not generic: the column's own
        word if one of them wrote it, then the variants or concept forms (vocabulary order)."""
        if self.written is None or self.credited_by is None:  # a state without them
            forms = [self._term(column)]
        elif len(self._sources(column)) == 1:  # no variant: one of them wrote the word
            forms = self.plain_forms.get(column)
            if forms is None:
                name = self._term(column)
                forms = self.plain_forms[column] = [] if self._is_generic(name) else [name]
            return forms
        else:
            # Usually both sides wrote a source; a live registration's word unknown to the
            # fit credits its concept without a column of its own, and only the other side's
            # word can be shown.
            written_a, written_b = self._written(a), self._written(b)
            forms = [
                self._term(w) for w in self._sources(column) if w in written_a or w in written_b
            ]
        return [form for form in forms if not self._is_generic(form)]

    def _terms(self, a, b, columns, values):
        """The EXPLAINED_TERMS chips of pair (a, b) from its strongest features (`columns`,
        contributions `values`, best first): each feature named by the forms the two sides
        wrote (see `_forms`); features sharing a form merged into one chip
        ("monitoring / monitor / monitorizare") with their contributions added up; generic
        words dropped (never the reason for a match). Best chip first."""
        weights, forms_of, chip_of = [], [], {}  # chip weights, chip forms, form -> chip
        for column, value in zip(columns, values, strict=True):
            if self.n_words is not None and column >= self.n_words:  # a word pair
                name = self._term(column)
                generic = all(self._is_generic(word) for word in name.split(" "))
                forms = [] if generic else [name]
            else:
                forms = self._forms(a, b, column)
            if not forms:
                continue
            found = sorted({chip_of[f] for f in forms if f in chip_of})
            if not found:
                target = len(weights)
                weights.append(0.0)
                forms_of.append([])
            else:
                target = found[0]
                for other in found[1:]:  # this feature joins chips that were apart
                    weights[target] += weights[other]
                    weights[other] = -1.0
                    for form in forms_of[other]:
                        chip_of[form] = target
                        if form not in forms_of[target]:
                            forms_of[target].append(form)
            weights[target] += value
            for form in forms:
                if form not in chip_of:
                    chip_of[form] = target
                    forms_of[target].append(form)
        order = sorted((i for i, w in enumerate(weights) if w >= 0), key=lambda i: -weights[i])
        return tuple(" / ".join(forms_of[i][:FORMS_PER_TERM]) for i in order[:EXPLAINED_TERMS])

    def _opportunity_pairs(self, offerers, requesters):
        """For each i, the best EXPLAINED_PAIRS (offer of offerers[i], request of
        requesters[i]) pairs with a positive cosine, as a tuple of OpportunityPair."""
        n_offers, n_requests = self.n_offers[offerers], self.n_requests[requesters]
        counts = n_offers * n_requests
        pair = np.repeat(np.arange(len(offerers)), counts)
        within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        offer_index, request_index = np.divmod(within, n_requests[pair])
        offer_rows = self.first_offer[offerers[pair]] + offer_index
        request_rows = self.first_request[requesters[pair]] + request_index
        cosines = _row_dots(self.vectors.opportunities, offer_rows, request_rows)
        best = _best_per_group(pair, cosines, within, EXPLAINED_PAIRS)
        result = [()] * len(offerers)
        participants = self.participants
        grouped = defaultdict(list)
        for p, offerer, requester, i, j, score in zip(
            pair[best].tolist(),
            offerers[pair[best]].tolist(),
            requesters[pair[best]].tolist(),
            offer_index[best].tolist(),
            request_index[best].tolist(),
            [round(score, 4) for score in cosines[best].tolist()],
            strict=True,
        ):
            offer = participants[offerer].offers[i]
            request = participants[requester].requests[j]
            grouped[p].append(
                OpportunityPair(
                    offer_id=offer.id,
                    offer_title=offer.title,
                    request_id=request.id,
                    request_title=request.title,
                    score=score,
                )
            )
        for p, pairs in grouped.items():
            result[p] = tuple(pairs)
        return result


def explain_all(ranked):
    """Compute the explanation of every Match in `ranked` (a `rank_matches` result) in
    batches, so that reading `match.explanation` afterwards costs nothing. Matches built
    elsewhere are explained one by one. Returns None."""
    by_explainer = defaultdict(list)
    for matches in ranked.values():
        for match in matches:
            if "explanation" in match.__dict__:
                continue
            if isinstance(match.explain, Explainer):
                by_explainer[match.explain].append(match)
            elif match.explain is not None:
                _ = match.explanation
    for explainer, matches in by_explainer.items():
        explainer.explain_matches(matches)
