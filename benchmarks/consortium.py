"""Consortium builder on real consortia: CORDIS H2020, recall of the true partners.

    python -m benchmarks.consortium [--cordis PATH] [--tune] [--limit N]

For each held-out project of the CORDIS H2020 extract (CORDIS, © European Union, CC BY 4.0)
with a coordinator: from the coordinator (already in the team) and the project's text (call
topic, title, objective) as the idea, propose teams of the project's true size from all the
organisations of the extract; each organisation's text is its *other* projects (never the
held-out one), its experience their number. Constraints: the true size, at least
min(3, countries of the true consortium) countries (the H2020 rule for most actions is three),
at most one participant per organisation, the coordinator in. Who worked with whom is the
organisations' shared projects other than the held-out one (CoParticipation): a candidate who
worked with the coordinator gains the builder's FAMILIAR weight.

Printed: recall of the true partners (members with another project, coordinator excepted)
in the best team and in the union of the three teams, beside three top-k baselines of the same
size (plain TF-IDF similarity of the project text to each organisation's text, popularity =
number of other projects, and the engine's own score of the idea without team building),
paired-bootstrap 95 % intervals of best team minus each baseline, and the share of proposed
teams meeting the constraints. Dev and test halves are those of benchmarks.match_quality
(split_queries, same seed); `--tune` grids the builder's weights on the dev half only. The
final stdout line is a JSON list with one object per half: dataset, queries, recall,
recall_union, baselines, ci_vs_*, constraints_met.
"""

import argparse
import csv
import glob
import json
import os
import random
import time
from collections import Counter, defaultdict
from itertools import combinations

import numpy as np

from benchmarks.match_quality import (
    CORDIS_DEFAULT,
    SPLIT_SEED,
    _read_cordis,
    cordis_queries,
    paired_bootstrap,
    profile_similarity_ranking,
    split_queries,
)
from matchmaker.matching import MatchWeights, Opportunity, Participant
from matchmaker.matching.consortium import (
    EXPERIENCE,
    FAMILIAR,
    IDEA_FIT,
    REDUNDANCY,
    Constraints,
    Idea,
    IdeaScores,
    build_consortia,
    team_problems,
)
from matchmaker.matching.coparticipation import CoParticipation

# CORDIS activity types as the app's organisation types.
TYPES = {
    "PRC": "company",
    "HES": "university",
    "REC": "research organisation",
    "PUB": "public body",
    "OTH": "other",
}
MIN_COUNTRIES = 3
ORDER_SEED = 11
TUNE_GRID = [
    (f, r, FAMILIAR, EXPERIENCE)
    for f in (0.0, 0.25, 0.5, 1.0, 2.0)
    for r in (0.0, 0.25, 0.5, 0.75, 1.0)
] + [(IDEA_FIT, REDUNDANCY, a, EXPERIENCE) for a in (0.0, 0.2, 0.8, 1.6)]
# `--tune experience`: the experience weight alone, the other weights at the module's.
EXPERIENCE_GRID = [(IDEA_FIT, REDUNDANCY, FAMILIAR, e) for e in (0.0, 0.05, 0.1, 0.2, 0.4, 0.8)]


def organisation_facts(directory):
    """({organisation: (country, type)}, {project: coordinator}) from the participations."""
    facts, coordinator = {}, {}
    for path in sorted(glob.glob(os.path.join(directory, "organizations_*.csv"))):
        with open(path, encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                organisation = row["organisationID"]
                facts.setdefault(
                    organisation, (row["country"].strip(), TYPES.get(row["activityType"], ""))
                )
                if row["role"] == "coordinator":
                    coordinator.setdefault(row["projectID"], organisation)
    return facts, coordinator


def consortium_queries(directory):
    """(dev, test): lists of queries {project, coordinator, text, size, countries, true} of
    the projects of the match_quality dev and test halves that have a coordinator and at
    least one true partner (a member with another project, the coordinator excepted)."""
    members, texts = _read_cordis(directory)
    facts, coordinator = organisation_facts(directory)
    projects_of = defaultdict(set)
    for project, organisations in members.items():
        for organisation in organisations:
            projects_of[organisation].add(project)
    halves = []
    for half in split_queries(cordis_queries(directory)):
        queries = []
        for need, _, _ in half:
            project = need.requests[0].id
            lead = coordinator.get(project)
            if lead not in members[project]:
                continue
            true = {o for o in members[project] - {lead} if len(projects_of[o]) > 1}
            if not true:
                continue
            countries = {facts[o][0] for o in members[project] if facts[o][0]}
            queries.append(
                {
                    "project": project,
                    "coordinator": lead,
                    "text": texts[project],
                    "size": len(members[project]),
                    "countries": len(countries),
                    "true": true,
                }
            )
        halves.append(queries)
    return halves, (members, texts, facts, projects_of)


def participants_for(query, data):
    """Every organisation as a Participant, its offers its projects other than the held-out
    one, in a seeded random order (so no ranking profits from the file's order)."""
    _, texts, facts, projects_of = data
    held_out = query["project"]
    everyone = []
    for organisation in sorted(projects_of):
        projects = sorted(projects_of[organisation] - {held_out})
        country, kind = facts[organisation]
        everyone.append(
            Participant(
                id=organisation,
                organisation_id=organisation,
                country=country,
                type=kind,
                experience=len(projects),
                offers=tuple(Opportunity(id=p, kind="offer", title=texts[p]) for p in projects),
            )
        )
    random.Random(f"{ORDER_SEED}-{held_out}").shuffle(everyone)
    return everyone


def past_projects(data):
    """Counter {(organisation, organisation): projects shared}, every project counted."""
    members = data[0]
    pairs = Counter()
    for organisations in members.values():
        pairs.update(combinations(sorted(organisations), 2))
    return pairs


def co_participation_for(query, data, pairs):
    """Who worked with whom in the projects other than the held-out one (CoParticipation)."""
    held_out = Counter(combinations(sorted(data[0][query["project"]]), 2))
    return [
        CoParticipation(pair, shared - held_out[pair])
        for pair, shared in pairs.items()
        if shared > held_out[pair]
    ]


def idea_of(query):
    return Idea(
        title=query["text"],
        constraints=Constraints(
            partners=query["size"],
            min_countries=min(MIN_COUNTRIES, query["countries"]),
            members=(query["coordinator"],),
        ),
    )


def _recall(chosen, true):
    return len(true & set(chosen)) / len(true)


def run_query(query, data, configs, pairs):
    """{config: (recall best, recall union, teams meeting constraints, teams)} for each
    (idea_fit, redundancy, familiar, experience) of `configs`, and the baselines' recalls."""
    participants = participants_for(query, data)
    idea = idea_of(query)
    lead, k = query["coordinator"], query["size"] - 1
    co_participation = co_participation_for(query, data, pairs)
    scores = IdeaScores(idea, participants, MatchWeights(), co_participation)
    by_id = {p.id: p for p in participants}
    results = {}
    for config in configs:
        idea_fit, redundancy, familiar, experience = config
        proposal = build_consortia(
            idea,
            participants,
            idea_fit=idea_fit,
            redundancy=redundancy,
            familiar=familiar,
            experience=experience,
            scores=scores,
        )
        teams = [[m.participant_id for m in team.members] for team in proposal.teams]
        met = sum(not team_problems([by_id[i] for i in team], idea.constraints) for team in teams)
        union = set().union(*teams) if teams else set()
        results[config] = (
            _recall(teams[0] if teams else [], query["true"]),
            _recall(union, query["true"]),
            met,
            len(teams),
        )
    others = [p for p in participants if p.id != lead]
    need = Participant(
        id="need",
        organisation_id="need",
        requests=(Opportunity(id="need", kind="request", title=query["text"]),),
    )
    plain = profile_similarity_ranking(need, others)[:k]
    # sorted() is stable: equally popular organisations stay in their random order.
    popular = [p.id for p in sorted(others, key=lambda p: -p.experience)][:k]
    fit = scores.idea_fit
    engine = [
        participants[i].id for i in np.argsort(-fit, kind="stable") if participants[i].id != lead
    ]
    baselines = {
        "profile_similarity": _recall(plain, query["true"]),
        "popularity": _recall(popular, query["true"]),
        "engine_top_k": _recall(engine[:k], query["true"]),
    }
    return results, baselines


def evaluate(queries, data, configs, progress=False):
    """Per-query figures of every config and the baselines over `queries`."""
    per_config = {config: [] for config in configs}
    baselines = defaultdict(list)
    started = time.perf_counter()
    pairs = past_projects(data)
    for i, query in enumerate(queries):
        results, base = run_query(query, data, configs, pairs)
        for config, row in results.items():
            per_config[config].append(row)
        for name, value in base.items():
            baselines[name].append(value)
        if progress and (i + 1) % 25 == 0:
            elapsed = time.perf_counter() - started
            print(f"  {i + 1}/{len(queries)} projects, {elapsed:.0f} s", flush=True)
    return per_config, baselines


def summary(name, rows, baselines):
    """The figures of one half: means, intervals, constraints."""
    best = np.asarray([r[0] for r in rows])
    union = np.asarray([r[1] for r in rows])
    met, teams = sum(r[2] for r in rows), sum(r[3] for r in rows)
    return {
        "dataset": f"cordis_h2020_{name}",
        "queries": len(rows),
        "recall": float(best.mean()),
        "recall_union": float(union.mean()),
        "baselines": {key: float(np.mean(values)) for key, values in baselines.items()},
        **{f"ci_vs_{key}": paired_bootstrap(best, values) for key, values in baselines.items()},
        "teams": teams,
        "constraints_met": met / teams if teams else 0.0,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cordis", default=CORDIS_DEFAULT, help="CORDIS H2020 extract folder")
    parser.add_argument(
        "--tune",
        nargs="?",
        const="all",
        choices=("all", "experience"),
        help="grid of the builder's weights on the dev half only (experience: that weight alone)",
    )
    parser.add_argument("--limit", type=int, default=0, help="first N projects of each half")
    parser.add_argument(
        "--idea-fit", type=float, default=IDEA_FIT, help="weight (default: the module's)"
    )
    parser.add_argument(
        "--redundancy", type=float, default=REDUNDANCY, help="weight (default: the module's)"
    )
    parser.add_argument(
        "--familiar", type=float, default=FAMILIAR, help="weight (default: the module's)"
    )
    parser.add_argument(
        "--experience", type=float, default=EXPERIENCE, help="weight (default: the module's)"
    )
    args = parser.parse_args(argv)
    weights = (args.idea_fit, args.redundancy, args.familiar, args.experience)
    (dev, test), data = consortium_queries(args.cordis)
    if args.limit:
        dev, test = dev[: args.limit], test[: args.limit]

    if args.tune:
        grid = EXPERIENCE_GRID if args.tune == "experience" else TUNE_GRID
        per_config, baselines = evaluate(dev, data, grid, progress=True)
        rows = []
        for (idea_fit, redundancy, familiar, experience), results in per_config.items():
            figures = summary("dev", results, baselines)
            rows.append(
                {
                    "idea_fit": idea_fit,
                    "redundancy": redundancy,
                    "familiar": familiar,
                    "experience": experience,
                    **figures,
                }
            )
            print(
                f"idea_fit {idea_fit:.2f} redundancy {redundancy:.2f} familiar {familiar:.2f} "
                f"experience {experience:.2f}  "
                f"recall "
                f"{figures['recall']:.3f}  union {figures['recall_union']:.3f}  constraints "
                f"{figures['constraints_met']:.0%}"
            )
        print(json.dumps(rows))
        return

    results = []
    for name, queries in (("dev", dev), ("test", test)):
        print(f"{name} half: {len(queries)} held-out projects", flush=True)
        per_config, baselines = evaluate(queries, data, [weights], progress=True)
        results.append(summary(name, per_config[weights], baselines))
    for result in results:
        print(
            f"{result['dataset']} ({result['queries']} projects): recall best team "
            f"{result['recall']:.3f}, union of three {result['recall_union']:.3f}; "
            f"teams meeting the constraints {result['constraints_met']:.1%} of {result['teams']}"
        )
        for key, value in result["baselines"].items():
            low, high = result[f"ci_vs_{key}"]
            print(
                f"  {key:<20} top-k recall {value:.3f}   best team - it: 95% CI "
                f"[{low:+.3f}, {high:+.3f}]"
            )
    print(
        f"Split seed {SPLIT_SEED} (benchmarks.match_quality), weights idea_fit {weights[0]}, "
        f"redundancy {weights[1]}, familiar {weights[2]}, experience {weights[3]}. "
        "CORDIS, © European Union."
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
