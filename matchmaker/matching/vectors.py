"""TF-IDF vectors of one event: words and word pairs, with spelling variants joined through
character n-grams, fitted on the event's own corpus."""

from collections import defaultdict

import numpy as np
import scipy.sparse as sp

from matchmaker.matching.text import (
    DOCUMENT_BREAK,
    glossary,
    is_content_word,
    is_generic,
    skeleton,
    split_corpus,
)

CHAR_NGRAM_SIZES = (3, 4, 5)
# Two words whose character 3-5-gram vectors have a cosine of at least this are spelling
# variants of each other: "softver"/"software" 0.31, "integracija"/"integration" 0.50,
# "sensors"/"senzori" 0.17 (too far), "masini"/"machine" 0.06.
SPELLING_THRESHOLD = 0.3
# Shorter words are acronyms and codes ("erp", "iot", "5g"): a letter apart is another thing.
SPELLING_MIN_LENGTH = 5
# Spelling variants share their first letters ("softver"/"software" 4, "integracija"/
# "integration" 7); words that only share "in" or "sup" are false friends however many
# n-grams they share ("innovation"/"integration" 0.35, "solului"/"solutii" 0.33).
SPELLING_MIN_PREFIX = 4
# A word of the glossary (text.Glossary) credits its English concept's column with this:
# "navodnjavanje" counts as "irrigation" too, so languages meet with no spelling in common.
GLOSSARY_WEIGHT = 1.0
# The weight of a generic business word ("solutions", "inovatoare", text.is_generic) in a
# normalised vector is multiplied by this, and so is that of a pair of two generic words
# ("innovative solutions").
GENERIC_WEIGHT = 0.1
# A feature used by more than this share of the participants (and by more than
# MIN_DOCUMENTS_CAP of them) tells partners apart poorly and costs the most in the product
# (its cost grows with the square of its document frequency), so it is dropped.
MAX_DOCUMENT_SHARE = 0.5
MIN_DOCUMENTS_CAP = 50
TOKENIZE_CHUNK = 4096
# The IDF (scikit-learn's smooth IDF, log((1 + n) / (1 + df)) + 1) raised to this power: a
# shared rare word ("lidar", "copernicus") outweighs shared common ones more than plain TF-IDF
# does. 1.5 was chosen on the CORDIS dev half and the evaluation set (docs/matching.md).
IDF_EXPONENT = 1.5


def _char_ngrams(word):
    # As scikit-learn's char_wb analyzer: the word padded with a space each side, so that
    # prefixes and suffixes ("soft", "are ") are n-grams of their own.
    padded = f" {word} "
    return [padded[i : i + n] for n in CHAR_NGRAM_SIZES for i in range(len(padded) - n + 1)]


def with_concepts(words):
    """`words` with the glossary concepts of its words appended where missing (a Romanian
    "irigatie" brings "irrigation" even if nobody wrote it), and each word's concept (or None)."""
    lookup = glossary().concept
    concepts = [lookup(word) for word in words]
    known = set(words)
    extra = sorted({c for c in concepts if c is not None and c not in known})
    return [*words, *extra], concepts + [c for c in extra]


def spelling_kernel(words, concepts=None):
    """W x W sparse matrix: 1 on the diagonal; where a word has a glossary concept, that
    concept's column gets GLOSSARY_WEIGHT ("navodnjavanje" -> "irrigation"); words of one
    `skeleton` ("reshenje"/"resenje") credit each other 1; and two words with a common
    prefix of SPELLING_MIN_PREFIX letters credit each other their character 3-5-gram cosine
    where it is at least SPELLING_THRESHOLD ("softver"/"software"), unless the glossary puts
    them in different concepts (false friends: "furnizeze"/"furniture", "solului"/"solutii").
    Where several rules give a value, the largest is kept. `concepts` are the words' concepts
    (see `with_concepts`; looked up if None).

    The n-gram part is what character n-gram features would do, factored through the
    vocabulary: the n-gram cosine of two documents is C_a (G G^T) C_b^T with G the
    word-to-n-gram matrix, and G G^T is this kernel before its weak entries are cut. It costs
    W n-gram vectors instead of an n-gram vector per document, and keeps the document vectors
    as sparse as words. Only words with the same first SPELLING_MIN_PREFIX letters (of their
    skeleton) are compared, one small product per prefix.
    """
    n_words = len(words)
    if concepts is None:
        concepts = [glossary().concept(word) for word in words]
    position = {word: i for i, word in enumerate(words)}
    concept_id = np.asarray(
        [position.get(c, -1) if c is not None else -1 for c in concepts], dtype=np.int64
    )
    kernel_rows, kernel_columns, kernel_values = [], [], []

    linked = np.flatnonzero((concept_id >= 0) & (concept_id != np.arange(n_words)))
    kernel_rows.append(linked)
    kernel_columns.append(concept_id[linked])
    kernel_values.append(np.full(len(linked), GLOSSARY_WEIGHT))

    skeletons = [skeleton(word) for word in words]
    by_skeleton = defaultdict(list)
    for i, key in enumerate(skeletons):
        by_skeleton[key].append(i)
    for members in by_skeleton.values():
        if len(members) > 1:
            members = np.asarray(members, dtype=np.int64)
            first, second = np.meshgrid(members, members)
            off = first != second
            kernel_rows.append(first[off])
            kernel_columns.append(second[off])
            kernel_values.append(np.ones(off.sum()))

    candidates = [i for i, word in enumerate(words) if len(word) >= SPELLING_MIN_LENGTH]
    ngram_ids, rows, columns = {}, [], []
    for row, word_id in enumerate(candidates):
        for ngram in set(_char_ngrams(words[word_id])):
            rows.append(row)
            columns.append(ngram_ids.setdefault(ngram, len(ngram_ids)))
    ngrams = sp.csr_array(
        (np.ones(len(rows)), (rows, columns)), shape=(len(candidates), len(ngram_ids))
    )
    norms = np.sqrt(np.asarray(ngrams.sum(axis=1))).ravel()
    ngrams = (sp.diags_array(1 / np.maximum(norms, 1)) @ ngrams).tocsr()

    candidates = np.asarray(candidates, dtype=np.int64)
    prefixes = np.asarray([skeletons[i][:SPELLING_MIN_PREFIX] for i in candidates], dtype=object)
    order = np.argsort(prefixes, kind="stable")
    bounds = np.flatnonzero(np.r_[True, prefixes[order][1:] != prefixes[order][:-1], True])
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):  # one product per prefix
        if stop - start < 2:
            continue
        members = order[start:stop]
        similarity = (ngrams[members] @ ngrams[members].T).tocoo()
        first = candidates[members[similarity.row]]
        second = candidates[members[similarity.col]]
        close = (similarity.data >= SPELLING_THRESHOLD) & (first != second)
        # The glossary knows better than the spelling: two words of different concepts are
        # false friends.
        a, b = concept_id[first], concept_id[second]
        close &= (a < 0) | (b < 0) | (a == b)
        kernel_rows.append(first[close])
        kernel_columns.append(second[close])
        kernel_values.append(similarity.data[close])

    diagonal = np.arange(n_words)
    rows = np.concatenate([diagonal, *kernel_rows]).astype(np.int64)
    columns = np.concatenate([diagonal, *kernel_columns]).astype(np.int64)
    values = np.concatenate([np.ones(n_words), *kernel_values])
    # The largest value of each cell (coo would add duplicates up).
    order = np.lexsort((-values, columns, rows))
    rows, columns, values = rows[order], columns[order], values[order]
    first = np.r_[True, (rows[1:] != rows[:-1]) | (columns[1:] != columns[:-1])][: len(rows)]
    return sp.csr_array(
        (values[first].astype(np.float32), (rows[first], columns[first])),
        shape=(n_words, n_words),
    )


def _tokens(docs):
    """Word ids of the content words of all documents in order, the document of each, and
    the words."""
    vocabulary = defaultdict()
    vocabulary.default_factory = vocabulary.__len__  # a new word gets the next id
    vocabulary[DOCUMENT_BREAK]  # id 0
    token_ids, doc_of_token = [], []
    # Chunks of documents: one regular-expression pass each, without holding every word of
    # the event as a Python string at once (that doubled the peak memory at 20,000).
    for first in range(0, len(docs), TOKENIZE_CHUNK):
        tokens = split_corpus(docs[first : first + TOKENIZE_CHUNK])
        ids = np.fromiter(map(vocabulary.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        token_ids.append(ids)
        doc_of_token.append(first + np.cumsum(ids == 0))
    token_ids = np.concatenate(token_ids or [np.zeros(0, dtype=np.int64)])
    doc_of_token = np.concatenate(doc_of_token or [np.zeros(0, dtype=np.int64)])
    # Stop words and bare numbers are dropped per distinct word, not per occurrence.
    words = np.asarray(list(vocabulary), dtype=object)
    content = np.fromiter(map(is_content_word, words), dtype=bool, count=len(words))
    content[0] = False
    new_id = np.cumsum(content) - 1
    kept = content[token_ids]
    return new_id[token_ids[kept]], doc_of_token[kept], words[content].tolist()


class EventVectors:
    """The fitted vectors of one event's participants.

    Rows of `offers`, `requests` and `profiles` are participants (in the given order), rows of
    `opportunities` every opportunity (the offers then requests of the first participant, then
    of the next...). Rows of `opportunities` and `profiles` have unit norm or are empty, so
    their dot products are cosines in [0, 1]; a row of `offers` (`requests`) is the sum of the
    participant's offers' (requests') rows, so its dot products are sums of cosines.
    Columns are words (spelling variants and glossary concepts credited through
    `spelling_kernel`) then pairs of adjacent words; `term(column)` names them. Generic
    words are scaled by GENERIC_WEIGHT after normalising (`column_factors`). `written`
    (participants x words) marks the words each participant wrote itself.

    The IDF is fitted on this event (one document per participant), so a word everybody here
    uses ("solutions") weighs little and a rare one ("lidar") much; it is raised to
    IDF_EXPONENT.

    Cost: linear in the total text length, plus a glossary lookup per distinct word and one
    small product per four-letter prefix of the vocabulary.
    """

    def __init__(self, participants):
        opportunity_owner, docs, is_offer = [], [], []
        for row, participant in enumerate(participants):
            for opportunity in (*participant.offers, *participant.requests):
                opportunity_owner.append(row)
                is_offer.append(opportunity.kind == "offer")
                docs.append(opportunity.text)
        docs.extend(participant.profile_text for participant in participants)
        counts, self._words, self._pairs = self._counts(docs)
        n_participants, n_opportunities = len(participants), len(opportunity_owner)

        owner = np.asarray(opportunity_owner, dtype=np.int64)
        is_offer = np.asarray(is_offer, dtype=bool)
        opportunity_counts = counts[:n_opportunities]
        profile_counts = counts[n_opportunities:]

        # A participant is one document for the IDF, whatever field a word appears in.
        owns = sp.csr_array(
            (np.ones(n_opportunities, dtype=np.float32), (owner, np.arange(n_opportunities))),
            shape=(n_participants, n_opportunities),
        )
        everything = (owns @ opportunity_counts + profile_counts).tocsr()
        document_frequency = np.bincount(everything.indices, minlength=everything.shape[1])
        idf = (np.log((1 + n_participants) / (1 + document_frequency)) + 1) ** IDF_EXPONENT
        cap = max(MAX_DOCUMENT_SHARE * n_participants, MIN_DOCUMENTS_CAP)
        idf[document_frequency > cap] = 0
        self.idf = idf.astype(np.float32)
        weights = sp.diags_array(self.idf)

        # Generic words are scaled down after normalising, so they still lengthen a vector as
        # any word does, but a text of generic words alone meets others only faintly.
        generic = sp.diags_array(column_factors(self._words, self._pairs, self._concepts))
        self.opportunities = (_tfidf(opportunity_counts, weights) @ generic).tocsr()
        self.profiles = (_tfidf(profile_counts, weights) @ generic).tocsr()
        # A participant's offers are the sum of its offers' unit vectors, not their normalised
        # concatenation: a dot product then adds up the cosines of every pair of opportunities,
        # so a partner with three relevant offers is not diluted below one with a single offer.
        self.offers = _sum_rows(self.opportunities, owner, is_offer, n_participants)
        self.requests = _sum_rows(self.opportunities, owner, ~is_offer, n_participants)
        # The words each participant wrote itself (before the kernel credits variants and
        # concepts): explanations name only those (explain.py).
        self.written = written_words(self._word_counts, owns, n_opportunities)
        del self._word_counts

    def term(self, column):
        """The readable name of feature `column`: a word ("erp") or a pair ("erp integration")."""
        n_words = len(self._words)
        if column < n_words:
            return self._words[column]
        first, second = divmod(int(self._pairs[column - n_words]), n_words)
        return f"{self._words[first]} {self._words[second]}"

    def _counts(self, docs):
        """Counts per document of words (through the spelling kernel) and of word pairs; the
        words; and the pairs, each coded first * len(words) + second."""
        token_ids, doc_of_token, words = _tokens(docs)
        words, self._concepts = with_concepts(words)
        n_words, n_docs = len(words), len(docs)
        same_doc = doc_of_token[1:] == doc_of_token[:-1]
        pair_codes = (token_ids[:-1] * n_words + token_ids[1:])[same_doc]
        pairs, pair_ids = np.unique(pair_codes, return_inverse=True)
        word_counts = _count_matrix(doc_of_token, token_ids, (n_docs, n_words))
        pair_counts = _count_matrix(doc_of_token[1:][same_doc], pair_ids, (n_docs, len(pairs)))
        self.kernel = spelling_kernel(words, self._concepts)
        self._word_counts = word_counts
        counts = sp.hstack([word_counts @ self.kernel, pair_counts], format="csr")
        return counts, words, pairs


def column_factors(words, pairs, concepts=None):
    """Multipliers of the normalised TF-IDF columns (words, then pairs): GENERIC_WEIGHT for a
    generic word (text.is_generic) and for a pair of two generic words, 1 otherwise (float32).
    `concepts` as `with_concepts` gives them (looked up if None)."""
    if concepts is None:
        concepts = [glossary().concept(word) for word in words]
    generic = np.fromiter(
        (is_generic(word, concept) for word, concept in zip(words, concepts, strict=True)),
        dtype=bool,
        count=len(words),
    )
    first, second = np.divmod(np.asarray(pairs, dtype=np.int64), max(len(words), 1))
    columns = np.concatenate([generic, generic[first] & generic[second]])
    return np.where(columns, GENERIC_WEIGHT, 1).astype(np.float32)


def written_words(word_counts, owns, n_opportunities):
    """Participants x words (float32 CSR, 1 where the participant wrote the word) from the raw
    word counts of the opportunities then the profiles, `owns` mapping participants to their
    opportunities."""
    written = (owns @ word_counts[:n_opportunities] + word_counts[n_opportunities:]).tocsr()
    written.data[:] = 1
    return written.astype(np.float32)


def _count_matrix(rows, columns, shape):
    counts = sp.csr_array((np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=shape)
    counts.sum_duplicates()
    return counts


def _sum_rows(matrix, owner, selected, n_rows):
    """Rows of `matrix` added up per owner, for the `selected` rows only."""
    rows = owner[selected]
    picker = sp.csr_array(
        (np.ones(len(rows), dtype=np.float32), (rows, np.flatnonzero(selected))),
        shape=(n_rows, matrix.shape[0]),
    )
    return (picker @ matrix).tocsr()


def _weights(counts, idf):
    """Sublinear term frequency (1 + log count, so a word repeated ten times does not outweigh
    ten different words) times IDF, columns sorted in each row; float32 CSR, not normalised."""
    weighted = counts.astype(np.float32)
    # Spelling variants give fractional counts below 1, which keep their value.
    data = weighted.data
    weighted.data = np.where(data > 1, 1 + np.log(np.maximum(data, 1)), data)
    weighted = (weighted @ idf).tocsr()
    weighted.eliminate_zeros()
    # Sorted columns: a row's norm then sums its squares in one order whatever the other rows
    # hold, so a participant vectorised alone (matching/live.py) gets the very same bits.
    weighted.sort_indices()
    return weighted


def _norms(weighted):
    """Euclidean length of each row, float32."""
    return np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())


def _tfidf(counts, idf):
    """`_weights` with rows scaled to unit length; float32 CSR."""
    weighted = _weights(counts, idf)
    norms = _norms(weighted)
    scale = np.divide(1, norms, out=np.zeros_like(norms), where=norms > 0)
    return (sp.diags_array(scale) @ weighted).tocsr()


def strongest_terms(matrix, n_terms):
    """`matrix` (CSR) with only the `n_terms` largest values of each row kept (more on ties);
    the others are dropped, not redistributed, so dot products become lower bounds of the
    full cosines. Cost: O(nnz), rows laid out in a padded array as wide as the fullest row."""
    per_row = np.diff(matrix.indptr)
    if per_row.max(initial=0) <= n_terms:
        return matrix
    rows = np.repeat(np.arange(matrix.shape[0]), per_row)
    position = np.arange(matrix.nnz) - matrix.indptr[rows]
    padded = np.zeros((matrix.shape[0], per_row.max()), dtype=matrix.data.dtype)
    padded[rows, position] = matrix.data
    # Column n_terms - 1 after the partition is each row's n_terms-th largest value.
    threshold = -np.partition(-padded, n_terms - 1, axis=1)[:, n_terms - 1]
    kept = matrix.data >= threshold[rows]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows[kept], minlength=matrix.shape[0]))])
    return sp.csr_array((matrix.data[kept], matrix.indices[kept], indptr), shape=matrix.shape)
