"""Matching quality: recall@10 and MRR of the engine beside three baselines, on two data sets.

    python -m benchmarks.match_quality [--cordis PATH]

(a) benchmarks/data/match_eval.json: a hand-written event whose true partners are known;
    benchmarks/data/match_multilingual.json: the same across the region's languages.
(b) CORDIS H2020 (CORDIS, © European Union, CC BY 4.0): organisations that sat in the same
    project consortium, leave one project out (see docs/matching.md for the mapping).

Baselines: a random ranking, a popularity ranking and plain profile similarity (scikit-learn's
default TF-IDF cosine of everything a participant wrote). CORDIS queries are split into a dev
and a test half (split_queries, seed SPLIT_SEED): engine choices are tuned on the dev half and
the evaluation set only; figures are printed for dev, test and all. The final stdout line is a
JSON list with one object per data set (match_eval, match_multilingual, cordis_h2020_dev,
cordis_h2020_test, cordis_h2020_all, then cordis_h2020_coordinator_{dev,test}_{without,with}
_history): dataset, recall_at_10, mrr, baselines, ci_vs_popularity (and queries for CORDIS).

(c) CORDIS with history (cordis_history_queries): the held-out project's coordinator posts
    the need, and the event carries past co-participation from earlier projects (--history
    other: every other project); ranked without and with it. --train-history fits the
    history model (relevance_history.json) on its dev half.
"""

import argparse
import csv
import glob
import json
import os
import random
from collections import defaultdict

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matchmaker.matching import MatchRules, MatchWeights, Opportunity, Participant, rank_matches
from matchmaker.matching.coparticipation import CoParticipation, CoParticipationGraph
from matchmaker.matching.engine import PairScorer, scoring_matrices, with_history
from matchmaker.matching.interchange import read_document
from matchmaker.matching.relevance import (
    HISTORY_FEATURES,
    HISTORY_MODEL_PATH,
    MODEL_PATH,
    RelevanceModel,
)
from matchmaker.matching.vectors import EventVectors

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVAL_SET = os.path.join(REPO, "benchmarks", "data", "match_eval.json")
MULTILINGUAL_SET = os.path.join(REPO, "benchmarks", "data", "match_multilingual.json")
CORDIS_DEFAULT = os.path.join(REPO, "..", "shared", "data", "cordis_h2020")
CUTOFF = 10
POOL_SIZE = 100
RANDOM_RUNS = 20
# Seed of the CORDIS dev/test split (split_queries).
SPLIT_SEED = 2026
# Paired bootstrap of engine minus a baseline (resampling queries).
BOOTSTRAP_RUNS = 10_000
BOOTSTRAP_SEED = 7


def _per_query(rankings):
    """{recall_at_10: array, mrr: array}: each query's recall@CUTOFF and reciprocal rank, of
    [(ranked candidate ids, set of true ids), ...]."""
    recalls, reciprocal_ranks = [], []
    for ranked, true in rankings:
        recalls.append(len(true & set(ranked[:CUTOFF])) / len(true))
        first = next((i for i, candidate in enumerate(ranked) if candidate in true), None)
        reciprocal_ranks.append(0.0 if first is None else 1 / (first + 1))
    return {"recall_at_10": np.asarray(recalls), "mrr": np.asarray(reciprocal_ranks)}


def _metrics(rankings):
    """Mean recall@CUTOFF and MRR of [(ranked candidate ids, set of true ids), ...]."""
    return {key: float(values.mean()) for key, values in _per_query(rankings).items()}


def paired_bootstrap(first, second, runs=BOOTSTRAP_RUNS, seed=BOOTSTRAP_SEED):
    """95 % interval [low, high] of mean(first - second) over queries, resampling the queries
    with replacement `runs` times (paired: a query's two values stay together)."""
    differences = np.asarray(first, dtype=float) - np.asarray(second, dtype=float)
    rng = np.random.default_rng(seed)
    samples = rng.integers(0, len(differences), size=(runs, len(differences)))
    means = differences[samples].mean(axis=1)
    return [float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))]


def _intervals(engine, baseline):
    """{recall_at_10: [low, high], mrr: [low, high]}: paired_bootstrap of engine - baseline."""
    engine, baseline = _per_query(engine), _per_query(baseline)
    return {key: paired_bootstrap(engine[key], baseline[key]) for key in engine}


def _average(metric_runs):
    return {key: float(np.mean([run[key] for run in metric_runs])) for key in metric_runs[0]}


def whole_text(participant):
    """Everything a participant wrote, for the plain-similarity baseline."""
    parts = [participant.profile_text]
    parts += [o.text for o in (*participant.offers, *participant.requests)]
    return " ".join(parts)


def profile_similarity_ranking(query, candidates):
    """Candidates by TF-IDF cosine of whole texts (scikit-learn defaults), best first."""
    vectorizer = TfidfVectorizer()
    matrix = vectorizer.fit_transform([whole_text(query)] + [whole_text(c) for c in candidates])
    similarity = (matrix[1:] @ matrix[0].T).toarray().ravel()
    order = np.argsort(-similarity, kind="stable")
    return [candidates[i].id for i in order]


def evaluate(queries, rank_engine, popularity):
    """Engine and baseline figures over `queries`: [(query, candidates, true ids), ...].

    `rank_engine(query, candidates)` returns candidate ids best first; `popularity(c)` a
    number, larger for more popular candidates."""
    engine, plain, popular, shuffled = [], [], [], [[] for _ in range(RANDOM_RUNS)]
    rng = random.Random(1)
    for query, candidates, true in queries:
        # Candidates in a random order, so that no ranking profits from ties or from unscored
        # candidates keeping the order of the file (true partners are listed first there).
        candidates = rng.sample(candidates, len(candidates))
        ids = [c.id for c in candidates]
        ranked = rank_engine(query, candidates)
        scored = set(ranked)
        engine.append((ranked + [i for i in ids if i not in scored], true))  # unscored last
        plain.append((profile_similarity_ranking(query, candidates), true))
        # sorted() is stable: equally popular candidates stay in their random order.
        popular.append(([c.id for c in sorted(candidates, key=lambda c: -popularity(c))], true))
        for run in shuffled:
            run.append((rng.sample(ids, len(ids)), true))
    return {
        **_metrics(engine),
        "baselines": {
            "random": _average([_metrics(run) for run in shuffled]),
            "popularity": _metrics(popular),
            "profile_similarity": _metrics(plain),
        },
        "ci_vs_popularity": _intervals(engine, popular),
        "ci_vs_profile_similarity": _intervals(engine, plain),
    }


def labelled_set(path):
    """(participants, {participant id: ids of its known partners}) of a labelled set: a
    matchmaker.participants/1 document with a `partners` list of pairs."""
    with open(path, encoding="utf-8") as file:
        document = json.load(file)
    participants, _ = read_document(document)
    partners = defaultdict(set)
    for a, b in document["partners"]:
        partners[a].add(b)
        partners[b].add(a)
    return participants, partners


def eval_set_figures(path=EVAL_SET, rules=MatchRules()):
    """Figures on the labelled evaluation set: every participant with a known partner asks for
    a ranking of all the others. Popularity there is the amount of text written (the only
    activity measure an event has before it starts)."""
    participants, partners = labelled_set(path)
    matches = rank_matches(participants, rules, top_k=len(participants))
    queries = [
        (p, [c for c in participants if c.id != p.id], partners[p.id])
        for p in participants
        if p.id in partners
    ]
    return evaluate(
        queries,
        lambda query, candidates: [m.partner_id for m in matches[query.id]],
        lambda candidate: len(whole_text(candidate).split()),
    )


def multilingual_figures(path=MULTILINGUAL_SET):
    """Figures on the multilingual labelled set: 182 participants, 70 known pairs, each with
    one side writing in a language of the region and the other in English or another of them;
    same queries and baselines as `eval_set_figures`."""
    return eval_set_figures(path)


def _read_cordis(directory, coordinators=None):
    """(members of each project, text of each project) from the CORDIS extract; fills
    `coordinators` (a dict, if given) with each project's coordinating organisation."""
    members = defaultdict(set)
    for path in sorted(glob.glob(os.path.join(directory, "organizations_*.csv"))):
        with open(path, encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file, delimiter=","):
                members[row["projectID"]].add(row["organisationID"])
                if coordinators is not None and row["role"] == "coordinator":
                    coordinators[row["projectID"]] = row["organisationID"]
    texts = defaultdict(list)
    with open(os.path.join(directory, "topics.csv"), encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if row["projectID"] in members:
                # The topic code ("ICT-37-2015-1") names the programme part: a category.
                texts[row["projectID"]].append(f"{row['topic']} {row['title']}")
    # Project records have no header; column 3 is the title, column 16 the objective.
    records = {}
    for path in sorted(glob.glob(os.path.join(directory, "projects_latest", "*.csv"))):
        with open(path, encoding="utf-8", newline="") as file:
            for row in csv.reader(file):
                if len(row) > 16 and row[0] in members:
                    records[row[0]] = f"{row[3]}. {row[16]}"
    for project, record in records.items():
        texts[project].append(record)
    return members, {project: " ".join(texts[project]) for project in members}


def cordis_queries(directory, seed=3, pool_size=POOL_SIZE):
    """The CORDIS H2020 leave-one-project-out queries: [(need, candidates, true ids), ...].

    For each project with at least one member active in another project: the project's text
    is one participant's request; the pool is its members that have other projects plus
    random other organisations, POOL_SIZE in all; each organisation is a participant whose
    offers are its other projects' texts and whose experience is their number. rank_matches
    runs on that small event (so the vectoriser is refitted per fold and never sees the
    held-out text in a profile)."""
    members, texts = _read_cordis(directory)
    projects_of = defaultdict(set)
    for project, organisations in members.items():
        for organisation in organisations:
            projects_of[organisation].add(project)
    rng = random.Random(seed)
    everyone = sorted(projects_of)
    queries = []
    for project in sorted(members):
        true = {o for o in members[project] if len(projects_of[o]) > 1}
        if not true:
            continue
        others = [o for o in everyone if o not in members[project]]
        pool = sorted(true) + rng.sample(others, max(0, pool_size - len(true)))
        candidates = [
            Participant(
                id=o,
                organisation_id=o,
                # History: the organisation's other projects (never the held-out one).
                experience=len(projects_of[o] - {project}),
                offers=tuple(
                    Opportunity(id=p, kind="offer", title=texts[p])
                    for p in sorted(projects_of[o] - {project})
                ),
            )
            for o in pool
        ]
        need = Participant(
            id=f"need-{project}",
            organisation_id=f"need-{project}",
            requests=(Opportunity(id=project, kind="request", title=texts[project]),),
        )
        queries.append((need, candidates, true))
    return queries


def split_queries(queries, seed=SPLIT_SEED):
    """(dev, test): the queries shuffled by `seed` and cut in two halves (dev gets the extra
    one). Engine choices are tuned on dev (and the evaluation set) only; test is reported."""
    order = list(range(len(queries)))
    random.Random(seed).shuffle(order)
    half = (len(order) + 1) // 2
    return [queries[i] for i in sorted(order[:half])], [queries[i] for i in sorted(order[half:])]


# Which past projects make an organisation's history in cordis_history_queries: "earlier"
# (grant numbers below the held-out project's: H2020 numbers grants in the order they were
# prepared, so these are projects that started before it, about) or "other" (every project but
# the held-out one, future ones too: an upper bound).
HISTORY_KINDS = ("earlier", "other")


def _co_participation(members, projects):
    """CoParticipation items of the organisations that sat together in `projects`."""
    together = defaultdict(int)
    for project in projects:
        organisations = sorted(members[project])
        for i, first in enumerate(organisations):
            for second in organisations[i + 1 :]:
                together[first, second] += 1
    return [CoParticipation((a, b), n) for (a, b), n in together.items()]


def cordis_history_queries(directory, history="earlier", seed=3):
    """CORDIS queries where the need is posted by a member of the held-out project, its
    coordinator, so that the need's side has a history: [(need, candidates, true ids,
    co-participation), ...] and the set of dev projects.

    The queries of `cordis_queries` (same pools, same dev/test split by project) whose
    coordinator is in the extract and whose other members include one with another project:
    the need participant is the coordinator's organisation (experience unknown, no offers, the
    held-out text as its request); the coordinator leaves the pool and the true
    members. Co-participation is counted over the projects of HISTORY_KINDS `history`, never
    the held-out one."""
    if history not in HISTORY_KINDS:
        raise ValueError(f"history must be one of {HISTORY_KINDS}")
    coordinators = {}
    members, _ = _read_cordis(directory, coordinators)
    queries = cordis_queries(directory, seed)
    dev, _ = split_queries(queries)
    dev_projects = {query.requests[0].id for query, _, _ in dev}
    result = []
    for query, candidates, true in queries:
        project = query.requests[0].id
        coordinator = coordinators.get(project)
        if coordinator is None or not true - {coordinator}:
            continue
        # The need's experience stays unknown, as in cordis_queries: the coordinator's own
        # count is the same for every candidate of a query, and pooled over queries it would
        # teach the model that experienced needs (which have many past partners, so many
        # pairs scored through history, mostly not partners) make any pair less likely.
        need = Participant(id=query.id, organisation_id=coordinator, requests=query.requests)
        past = [
            p for p in members if p != project and (history == "other" or int(p) < int(project))
        ]
        result.append(
            (
                need,
                [c for c in candidates if c.id != coordinator],
                true - {coordinator},
                _co_participation(members, past),
            )
        )
    return result, dev_projects


def cordis_history_figures(directory, history="earlier", rankings=("with", "without")):
    """Figures of `cordis_history_queries` on the dev half and the test half, ranked with the
    history (`with`) and without it (`without`, the text model alone), those of `rankings`:
    {"with": {"dev": figures, "test": figures}, "without": {...}}, and the number of
    queries."""
    queries, dev_projects = cordis_history_queries(directory, history)
    past = {need.id: co for need, _, _, co in queries}
    halves = {
        "dev": [q[:3] for q in queries if q[0].requests[0].id in dev_projects],
        "test": [q[:3] for q in queries if q[0].requests[0].id not in dev_projects],
    }

    def with_past(query, candidates):
        matches = rank_matches(
            (query, *candidates), top_k=len(candidates), co_participation=past[query.id]
        )
        return [m.partner_id for m in matches[query.id]]

    figures = {
        name: {
            part: evaluate(subset, engine, lambda c: len(c.offers))
            for part, subset in halves.items()
        }
        for name, engine in (("with", with_past), ("without", cordis_rank_engine))
        if name in rankings
    }
    return figures, {part: len(subset) for part, subset in halves.items()}


def cordis_rank_engine(query, candidates):
    matches = rank_matches((query, *candidates), top_k=len(candidates))
    return [m.partner_id for m in matches[query.id]]


def cordis_figures(directory, seed=3):
    """Figures on CORDIS H2020, leave one project out (see `cordis_queries`), on the dev half,
    the test half and all queries: {"dev": figures, "test": figures, "all": figures}, and the
    number of queries. Popularity is the number of projects an organisation ran, the held-out
    one excepted."""
    queries = cordis_queries(directory, seed)
    dev, test = split_queries(queries)
    figures = {
        name: evaluate(subset, cordis_rank_engine, lambda c: len(c.offers))
        for name, subset in (("dev", dev), ("test", test), ("all", queries))
    }
    return figures, {"dev": len(dev), "test": len(test), "all": len(queries)}


def tune_weights(steps=(0.5, 0.6, 0.7, 0.8, 0.9, 1.0)):
    """Grid search of MatchWeights.complementarity (profile = 1 - complementarity) on the
    labelled evaluation set only. Returns one row per value:
    {complementarity, recall_at_10, mrr}; pick the best MRR, then the best recall."""
    rows = []
    for complementarity in steps:
        weights = MatchWeights(complementarity=complementarity, profile=1 - complementarity)
        figures = eval_set_figures(rules=MatchRules(weights=weights))
        rows.append(
            {
                "complementarity": complementarity,
                "recall_at_10": figures["recall_at_10"],
                "mrr": figures["mrr"],
            }
        )
    return rows


def tune_idf_exponent(directory, steps=(1.0, 1.25, 1.5, 1.75, 2.0)):
    """IDF_EXPONENT grid on the CORDIS dev half and the evaluation set (never the test half).
    Returns one row per value: {idf_exponent, dev: figures, match_eval: figures}; the rule used
    in docs/matching.md is the best dev MRR, then the best dev recall."""
    from matchmaker.matching import vectors

    dev, _ = split_queries(cordis_queries(directory))
    chosen, rows = vectors.IDF_EXPONENT, []
    try:
        for exponent in steps:
            vectors.IDF_EXPONENT = exponent
            dev_figures = evaluate(dev, cordis_rank_engine, lambda c: len(c.offers))
            rows.append(
                {"idf_exponent": exponent, "dev": dev_figures, "match_eval": eval_set_figures()}
            )
    finally:
        vectors.IDF_EXPONENT = chosen
    return rows


# Inverse regularisation of the relevance model's logistic regression (--train).
TRAIN_C = 1.0


def relevance_training_rows(queries):
    """(features, labels) of every (need, candidate) pair of `queries` that the engine scores
    (raw score > 0): relevance.pair_features as PairScorer computes them, and whether the
    candidate is a true partner."""
    features, labels = [], []
    for query, candidates, true in queries:
        participants = (query, *candidates)
        left, right = scoring_matrices(EventVectors(participants), MatchRules().weights)
        row = (left[0] @ right).tocsr()
        columns = row.indices.astype(np.int64)
        scored = columns != 0
        columns, raw = columns[scored], row.data[scored]
        scorer = PairScorer.of(participants).calibrate(left, right)
        features.append(scorer.features(np.zeros_like(columns), columns, raw))
        labels.append([participants[c].id in true for c in columns.tolist()])
    return np.vstack(features), np.concatenate(labels)


def train_relevance(directory, path=MODEL_PATH):
    """Fit the relevance model on the CORDIS dev half only (never the test half) and write it
    to `path`. Returns the RelevanceModel."""
    from sklearn.linear_model import LogisticRegression

    dev, _ = split_queries(cordis_queries(directory))
    features, labels = relevance_training_rows(dev)
    fitted = LogisticRegression(C=TRAIN_C, max_iter=5000).fit(features, labels)
    model = RelevanceModel(
        coefficients=tuple(round(float(c), 4) for c in fitted.coef_[0]),
        intercept=round(float(fitted.intercept_[0]), 4),
        trained_on=(
            f"CORDIS H2020 dev half ({len(dev)} held-out projects, {len(labels)} scored pairs, "
            f"{int(labels.sum())} true), LogisticRegression(C={TRAIN_C}); "
            "python -m benchmarks.match_quality --train"
        ),
    )
    with open(path, "w", encoding="utf-8") as file:
        json.dump(model.to_document(), file, indent=2)
        file.write("\n")
    return model


def history_training_rows(queries):
    """(features, labels) of every (need, candidate) pair that the engine scores with history
    (raw > 0, or any co-participation): PairScorer.features with history, as rank_matches
    computes them, of [(need, candidates, true ids, co-participation), ...]."""
    features, labels = [], []
    for query, candidates, true, co_participation in queries:
        participants = (query, *candidates)
        left, right = scoring_matrices(EventVectors(participants), MatchRules().weights)
        graph = CoParticipationGraph(participants, co_participation)
        block, history = with_history((left[0:1] @ right).tocsr(), graph, 0, 1)
        columns = block.indices.astype(np.int64)
        scored = columns != 0
        columns, raw = columns[scored], block.data[scored]
        together, shared = (values[scored] for values in history.arrays())
        rows = np.zeros_like(columns)
        # Features only: the model is not used (and need not exist yet).
        unused = RelevanceModel((0.0,) * len(HISTORY_FEATURES), 0.0, features=HISTORY_FEATURES)
        scorer = PairScorer.of(participants, unused, history=True).calibrate(left, right)
        features.append(scorer.features(rows, columns, raw, (together, shared)))
        labels.append([participants[c].id in true for c in columns.tolist()])
    return np.vstack(features), np.concatenate(labels)


def train_history_relevance(directory, path=HISTORY_MODEL_PATH):
    """Fit the history model (HISTORY_FEATURES) on the dev half of cordis_history_queries
    (co-participation in earlier projects only; never the test half) and write it to `path`.
    Returns the RelevanceModel."""
    from sklearn.linear_model import LogisticRegression

    queries, dev_projects = cordis_history_queries(directory, "earlier")
    dev = [q for q in queries if q[0].requests[0].id in dev_projects]
    features, labels = history_training_rows(dev)
    fitted = LogisticRegression(C=TRAIN_C, max_iter=5000).fit(features, labels)
    model = RelevanceModel(
        coefficients=tuple(round(float(c), 4) for c in fitted.coef_[0]),
        intercept=round(float(fitted.intercept_[0]), 4),
        trained_on=(
            f"CORDIS H2020 dev half, need posted by the coordinator, co-participation in "
            f"earlier projects ({len(dev)} held-out projects, {len(labels)} scored pairs, "
            f"{int(labels.sum())} true), LogisticRegression(C={TRAIN_C}); "
            "python -m benchmarks.match_quality --train-history"
        ),
        features=HISTORY_FEATURES,
    )
    with open(path, "w", encoding="utf-8") as file:
        json.dump(model.to_document(), file, indent=2)
        file.write("\n")
    return model


# Score bands proposed for the app (matchmaker/services/matchmaking.py BANDS): strong, good.
BAND_THRESHOLDS = (0.25, 0.12)


def _band_shares(scores, labels, thresholds):
    """Share of all true pairs, and share of true pairs among the pairs, in each band
    [thresholds[0], 1], [thresholds[1], thresholds[0]), ..., [0, thresholds[-1])."""
    scores, labels = np.asarray(scores), np.asarray(labels, dtype=bool)
    edges = [np.inf, *thresholds, -np.inf]
    rows = []
    for high, low in zip(edges[:-1], edges[1:], strict=True):
        inside = (scores >= low) & (scores < high)
        rows.append(
            {
                "from": max(low, 0.0),
                "true_share": float(labels[inside].sum() / max(labels.sum(), 1)),
                "precision": float(labels[inside].mean()) if inside.any() else 0.0,
            }
        )
    return rows


def band_figures(directory, thresholds=BAND_THRESHOLDS, pools=(100, 300)):
    """How the score bands split the true partners: on the CORDIS dev half with pools of each
    size in `pools`, with the organisations' history (experience) and without it, and on the
    evaluation set (no history). Returns [{setting, pairs, bands}, ...]."""
    import dataclasses

    results = []
    for pool in pools:
        dev, _ = split_queries(cordis_queries(directory, pool_size=pool))
        for history in (True, False):
            scores, labels = [], []
            for query, candidates, true in dev:
                if not history:
                    candidates = [dataclasses.replace(c, experience=None) for c in candidates]
                matches = rank_matches((query, *candidates), top_k=len(candidates))
                for match in matches[query.id]:
                    scores.append(match.score)
                    labels.append(match.partner_id in true)
            setting = f"CORDIS dev, pools of {pool}, {'history' if history else 'no history'}"
            results.append(
                {
                    "setting": setting,
                    "pairs": len(scores),
                    "bands": _band_shares(scores, labels, thresholds),
                }
            )
    participants, partners = labelled_set(EVAL_SET)
    matches = rank_matches(participants, top_k=len(participants))
    pairs = [(m.score, m.partner_id in partners[p]) for p in partners for m in matches[p]]
    results.append(
        {
            "setting": "evaluation set (no history)",
            "pairs": len(pairs),
            "bands": _band_shares([s for s, _ in pairs], [t for _, t in pairs], thresholds),
        }
    )
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cordis", default=CORDIS_DEFAULT, help="CORDIS H2020 extract folder")
    parser.add_argument(
        "--tune", action="store_true", help="grid search of the weights on the evaluation set"
    )
    parser.add_argument(
        "--tune-idf",
        action="store_true",
        help="grid search of the IDF exponent on the CORDIS dev half and the evaluation set",
    )
    parser.add_argument(
        "--train",
        action="store_true",
        help="fit the relevance model on the CORDIS dev half and write "
        "matchmaker/matching/relevance.json",
    )
    parser.add_argument(
        "--train-history",
        action="store_true",
        help="fit the history model on the CORDIS dev half (need posted by the coordinator, "
        "earlier co-participation) and write matchmaker/matching/relevance_history.json",
    )
    parser.add_argument(
        "--history",
        choices=HISTORY_KINDS,
        default="earlier",
        help="past projects that make the CORDIS history figures (default: earlier ones)",
    )
    parser.add_argument(
        "--bands",
        action="store_true",
        help="share of true partners in each score band, CORDIS dev pools of 100 and 300",
    )
    args = parser.parse_args(argv)
    if args.bands:
        rows = band_figures(args.cordis)
        for row in rows:
            bands = "  ".join(
                f">= {band['from']:.2f}: {band['true_share']:.0%} of true "
                f"(precision {band['precision']:.0%})"
                for band in row["bands"]
            )
            print(f"{row['setting']} ({row['pairs']} pairs): {bands}")
        print(json.dumps(rows))
        return
    if args.train_history:
        model = train_history_relevance(args.cordis)
        print(model.trained_on)
        print(json.dumps(model.to_document()))
        return
    if args.train:
        model = train_relevance(args.cordis)
        print(model.trained_on)
        print(json.dumps(model.to_document()))
        return
    if args.tune_idf:
        rows = tune_idf_exponent(args.cordis)
        for row in rows:
            dev, labelled = row["dev"], row["match_eval"]
            print(
                f"idf exponent {row['idf_exponent']:.2f}  CORDIS dev recall@10 "
                f"{dev['recall_at_10']:.3f} MRR {dev['mrr']:.3f}  evaluation set recall@10 "
                f"{labelled['recall_at_10']:.3f} MRR {labelled['mrr']:.3f}"
            )
        print(json.dumps(rows))
        return
    if args.tune:
        rows = tune_weights()
        for row in rows:
            print(
                f"complementarity {row['complementarity']:.1f}  "
                f"recall@10 {row['recall_at_10']:.3f}  MRR {row['mrr']:.3f}"
            )
        print(json.dumps(rows))
        return

    results = [{"dataset": "match_eval", **eval_set_figures()}]
    results.append({"dataset": "match_multilingual", **multilingual_figures()})
    cordis, folds = cordis_figures(args.cordis)
    for part in ("dev", "test", "all"):
        results.append({"dataset": f"cordis_h2020_{part}", "queries": folds[part], **cordis[part]})
    history, history_folds = cordis_history_figures(args.cordis, args.history)
    for name in ("without", "with"):
        for part in ("dev", "test"):
            results.append(
                {
                    "dataset": f"cordis_h2020_coordinator_{part}_{name}_history",
                    "history": args.history if name == "with" else None,
                    "queries": history_folds[part],
                    **history[name][part],
                }
            )
    for result in results:
        print(
            f"{result['dataset']}: recall@10 {result['recall_at_10']:.3f}  MRR {result['mrr']:.3f}"
        )
        for name, figures in result["baselines"].items():
            print(f"  {name:<20} recall@10 {figures['recall_at_10']:.3f}  MRR {figures['mrr']:.3f}")
        for name in ("popularity", "profile_similarity"):
            interval = result[f"ci_vs_{name}"]
            print(
                f"  engine - {name:<11} 95% CI recall@10 [{interval['recall_at_10'][0]:+.3f}, "
                f"{interval['recall_at_10'][1]:+.3f}]  MRR [{interval['mrr'][0]:+.3f}, "
                f"{interval['mrr'][1]:+.3f}]"
            )
    print(
        f"CORDIS: {folds['all']} held-out projects ({folds['dev']} dev, {folds['test']} test, "
        f"split seed {SPLIT_SEED}), pools of {POOL_SIZE}; coordinator queries: "
        f"{history_folds['dev']} dev, {history_folds['test']} test, "
        f"history from {args.history} projects. CORDIS, © European Union."
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
