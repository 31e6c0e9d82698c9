"""Matching at scale: synthetic event of N participants, top-k partners each.

    python -m benchmarks.matching --participants 20000 --top 50
    python -m benchmarks.matching --explanations      # demo event, then 2,000 participants

Prints wall time and peak memory of `rank_matches` and two floors, each a bare sparse product in
the same blocks with no rules, no top-k and no vectorising: `floor_seconds` is the product of
the full TF-IDF scoring matrices (every term of every field, what a plain TF-IDF matcher
multiplies), `pruned_floor_seconds` the product of the engine's own pruned matrices (each field
cut to its strongest terms above 2,000 participants). The final stdout line is one JSON
document: participants, top, seconds, peak_mib, floor_seconds, ratio, pruned_floor_seconds,
pruned_ratio, offers_requests_seconds, offers_requests_ratio (one direction of the full
matrices, the floor of earlier versions) and load_average (1-minute, before and after).

With --past-partners K: the event carries past co-participation (rank_matches'
co_participation): each organisation worked with K others before, half of them at the event and
half outside it, 1-3 projects each (synthetic_co_participation); the JSON adds past_partners and
cpu_seconds (process time of rank_matches, less sensitive than wall time to a loaded machine).

With --incremental: live matching (matchmaker/services/matchmaking.py refresh_matches) in a
2,000-participant event (--participants) on a scratch SQLite database (or --database-url): the
organizer's full run first, then, --repeats times, one participant edits an opportunity, or a
pending registration is approved, and its matches and its partners' lists are refreshed and
committed; prints p50 and p95 of that update (bar: p95 <= 1 s) and a final JSON line.

With --explanations: time of the explanation of every returned match, read one by one as
matchmaker/services/matchmaking.py does (lazy, batched per block of participants), and through
`explain_all`, on the demo event (matchmaker/demo_data/organisations.toml) and on N synthetic
participants.
"""

import argparse
import json
import random
import resource
import time

from matchmaker.demo_data import ORGANISATIONS
from matchmaker.matching import (
    MatchRules,
    Opportunity,
    Participant,
    engine,
    explain_all,
    rank_matches,
)
from matchmaker.matching.coparticipation import CoParticipation
from matchmaker.matching.engine import blocks, scoring_matrices
from matchmaker.matching.vectors import EventVectors

# Topics of an ICT / industry brokerage event, each a small bag of domain words.
TOPICS = {
    "erp": "erp enterprise resource planning sap odoo integration implementation modules "
    "inventory procurement accounting invoicing migration customisation consultancy",
    "cloud": "cloud hosting kubernetes containers devops migration infrastructure aws azure "
    "scalability microservices serverless monitoring backup disaster recovery",
    "security": "cybersecurity penetration testing audit compliance gdpr encryption firewall "
    "intrusion detection vulnerability assessment soc incident response iso27001",
    "ai": "artificial intelligence machine learning deep neural networks computer vision "
    "natural language processing predictive analytics models training datasets",
    "iot": "iot sensors embedded firmware gateways lorawan telemetry wireless connectivity "
    "edge devices microcontrollers smart metering asset tracking",
    "manufacturing": "manufacturing industry automation robotics plc scada production lines "
    "quality control predictive maintenance factory cnc machining digital twin",
    "energy": "energy efficiency renewable solar photovoltaic wind storage batteries grid "
    "smart buildings heating consumption monitoring hydrogen",
    "agri": "agriculture precision farming drones irrigation crops soil yield livestock "
    "greenhouse food traceability supply chain",
    "health": "health medical devices telemedicine hospitals patient records diagnostics "
    "wearables clinical trials ehealth pharmaceutical",
    "mobility": "mobility transport logistics fleet management route optimisation electric "
    "vehicles charging stations tracking warehouses last mile",
    "fintech": "fintech payments banking blockchain mobile wallets lending insurance fraud "
    "detection open banking api regulatory",
    "web": "web development ecommerce online shop website design ux ui mobile apps android "
    "ios frontend backend cms marketing",
    "data": "data analytics business intelligence dashboards data warehouse etl big data "
    "reporting visualisation sql databases",
    "education": "education elearning training courses digital skills platform students "
    "teachers curriculum university research",
    "textile": "textile apparel garments fabrics sewing fashion design production "
    "sustainable materials recycling",
    "construction": "construction buildings bim architecture civil engineering concrete "
    "facades insulation renovation cranes surveying",
    "automotive": "automotive components suppliers tier wiring harness injection moulding "
    "stamping assembly electric drivetrain",
    "space": "space satellites earth observation remote sensing gnss navigation imagery "
    "geospatial mapping antennas",
    "gaming": "gaming video games unity unreal animation virtual reality augmented reality "
    "3d modelling storytelling esports",
    "tourism": "tourism hotels booking travel hospitality restaurants destinations guests "
    "reservations guides heritage",
    "water": "water wastewater treatment filtration pumps pipelines leakage desalination "
    "utilities flood sludge",
    "chemistry": "chemistry chemicals coatings polymers plastics laboratory synthesis "
    "catalysts adhesives paints",
    "legal": "legal legaltech contracts compliance notary intellectual property patents "
    "trademarks licensing litigation",
    "hr": "recruitment human resources payroll hiring talent outsourcing staffing "
    "onboarding workforce freelancers",
    "telecom": "telecom 5g fibre optic networks broadband antennas spectrum operators "
    "routers voip satellite",
    "media": "media publishing broadcasting journalism video production podcasts "
    "advertising content creators streaming",
    "wood": "wood furniture timber sawmill joinery carpentry pellets forestry veneer panels",
    "metal": "metal steel aluminium welding casting forging sheet fabrication "
    "galvanising laser cutting",
    "biotech": "biotech genomics enzymes fermentation bioreactors proteins vaccines "
    "microbiology cell cultures bioinformatics",
    "retail": "retail shops pos loyalty omnichannel merchandising stores consumers "
    "inventory pricing",
}
GENERAL = (
    "company team solution solutions service services product products development partner "
    "partners market markets customers clients project projects experience years support "
    "quality innovative innovation international european regional expertise technology "
    "technologies software hardware system systems platform tools needs looking offer "
    "cooperation joint venture distribution export import investment funding growth sme "
    "startup research laboratory testing consulting engineering design management process "
    "processes digital transformation high performance cost reduction efficiency"
).split()
FUNCTION_WORDS = "we our the and for with of to in a is are that on by as from an".split()
COUNTRIES = "RO BG RS HR BA GR TR AL MK UA MD SI HU AT IT DE".split()
TYPES = ["company", "company", "company", "sme", "university", "research", "public body"]


def _tail_words(rng, size=30000):
    # Product names, places and jargon: the long tail of real event text, a fixed pool drawn
    # from unevenly (a few names recur, most are rare).
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(5, 10))) for _ in range(size)]


def _text(rng, topics, tail, n_words):
    words = []
    for _ in range(n_words):
        draw = rng.random()
        if draw < 0.35:
            words.append(rng.choice(FUNCTION_WORDS))
        elif draw < 0.7:
            words.append(rng.choice(TOPICS[rng.choice(topics)].split()))
        elif draw < 0.93:
            words.append(GENERAL[min(int(rng.paretovariate(1.2)) - 1, len(GENERAL) - 1)])
        else:
            words.append(tail[min(int(rng.paretovariate(0.5)) - 1, len(tail) - 1)])
    return " ".join(words)


def synthetic_participants(n, seed=7):
    """`n` participants of an ICT/industry event with 1-3 offers and 1-3 requests of 20-120
    words and a 20-60 word profile, the same for the same seed."""
    rng = random.Random(seed)
    tail = _tail_words(rng)
    topic_names = sorted(TOPICS)
    participants = []
    for i in range(n):
        topics = rng.sample(topic_names, 2)
        opportunities = {}
        for kind in ("offer", "request"):
            opportunities[kind] = tuple(
                Opportunity(
                    id=f"{i}-{kind}-{j}",
                    kind=kind,
                    title=_text(rng, topics, tail, rng.randint(3, 7)),
                    description=_text(rng, topics, tail, rng.randint(20, 120)),
                    category=rng.choice(["product", "service", "technology", "partnership"]),
                    keywords=tuple(rng.choice(TOPICS[rng.choice(topics)].split()) for _ in "ab"),
                )
                for j in range(rng.randint(1, 3))
            )
        participants.append(
            Participant(
                id=i,
                organisation_id=i // 2 if i % 10 == 0 else i,
                profile=_text(rng, topics, tail, rng.randint(20, 60)),
                offers=opportunities["offer"],
                requests=opportunities["request"],
                country=rng.choice(COUNTRIES),
                type=rng.choice(TYPES),
                sectors=tuple(topics),
            )
        )
    return participants


def synthetic_co_participation(participants, per_organisation, seed=7):
    """CoParticipation items: each organisation of `participants` with `per_organisation`
    past partners picked at random, half at the event and half among as many outside
    organisations as there are inside ("past-0", ...), 1-3 past projects each."""
    rng = random.Random(seed)
    inside = sorted({p.organisation_id for p in participants})
    outside = [f"past-{i}" for i in range(len(inside))]
    items = {}
    for organisation in inside:
        for i in range(per_organisation):
            other = rng.choice(inside if i % 2 == 0 else outside)
            if other != organisation:
                items[organisation, other] = CoParticipation(
                    (organisation, other), rng.randint(1, 3)
                )
    return list(items.values())


def floor_seconds(participants, rules):
    """Times of bare products in the engine's blocks, with no rules, no top-k and no
    vectorising: (full, pruned, offers x requests).

    full: the product of the full TF-IDF scoring matrices (every term of offers, requests and
    profiles, both directions: what the engine's score is, computed without pruning);
    pruned: the product of the engine's own scoring matrices (each field cut to its
    RANKING_TERMS strongest terms above CUT_ABOVE_PARTICIPANTS); offers x requests: one
    direction of the full matrices only, the floor printed by earlier versions."""
    vectors = EventVectors(participants)
    n = len(participants)
    times = []
    for left, right in (
        scoring_matrices(vectors, rules.weights, cut=False),
        scoring_matrices(vectors, rules.weights),
        (vectors.offers, vectors.requests.T.tocsr()),
    ):
        started = time.perf_counter()
        for start, stop in blocks(n, n):
            left[start:stop] @ right
        times.append(time.perf_counter() - started)
        del left, right
    return tuple(times)


def demo_participants():
    """One participant per organisation of the demo event (demo_data/organisations.toml), as
    matchmaker/services/matchmaking.py builds them."""
    participants = []
    for row, organisation in enumerate(ORGANISATIONS):
        opportunities = {"offer": [], "request": []}
        for i, item in enumerate(organisation["opportunities"]):
            opportunities[item["kind"]].append(
                Opportunity(
                    id=f"{row}-{i}",
                    kind=item["kind"],
                    title=item["title"],
                    description=item.get("description", ""),
                    category=item.get("category", ""),
                    keywords=tuple(item.get("keywords", ())),
                )
            )
        participants.append(
            Participant(
                id=row,
                organisation_id=row,
                profile=" ".join(
                    filter(None, (organisation["description"], organisation.get("looking_for")))
                ),
                offers=tuple(opportunities["offer"]),
                requests=tuple(opportunities["request"]),
                country=organisation["country"],
                type=organisation["type"],
                sectors=tuple(organisation["sectors"]),
            )
        )
    return participants


def _load_average():
    with open("/proc/loadavg", encoding="ascii") as file:
        return float(file.read().split()[0])


def explanation_figures(participants, top, repeats=3):
    """Best of `repeats` times of explaining every returned match: read one by one (as the
    app does: lazy, batched per block) and through explain_all; and per explanation."""
    rules = MatchRules(cross_border_bonus=0.2)
    lazy, batch = [], []
    for _ in range(repeats):
        ranked = rank_matches(participants, rules, top_k=top)
        matches = [match for listed in ranked.values() for match in listed]
        started = time.perf_counter()
        for match in matches:
            _ = match.explanation
        lazy.append(time.perf_counter() - started)
        ranked = rank_matches(participants, rules, top_k=top)
        started = time.perf_counter()
        explain_all(ranked)
        batch.append(time.perf_counter() - started)
    return {
        "participants": len(participants),
        "top": top,
        "matches": len(matches),
        "lazy_seconds": round(min(lazy), 3),
        "explain_all_seconds": round(min(batch), 3),
        "ms_per_explanation": round(1000 * min(lazy) / max(len(matches), 1), 4),
        "load_average": _load_average(),
    }


def incremental_figures(n, repeats, seed, database_url=None, log=print):
    """Seconds of live-matching updates in an event of `n` participants (see the module
    docstring): {"participants", "updates", "p50_seconds", "p95_seconds", "max_seconds",
    "full_run_seconds", "state_mib", "load_average"}."""
    import tempfile

    import sqlalchemy as sa

    from matchmaker import create_app
    from matchmaker.extensions import db
    from matchmaker.models import Event, MatchModel, Opportunity, Organisation
    from matchmaker.models import Participant as Registration
    from matchmaker.services import matchmaking

    with tempfile.TemporaryDirectory(prefix="matchmaker-bench-live-") as scratch:
        url = database_url or f"sqlite:///{scratch}/live.sqlite3"
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "OUTBOX_DIR": scratch}
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            event = Event(
                slug="live", title="Live matching", status="registration_open",
                timezone="Europe/Bucharest", meeting_minutes=25, gap_minutes=5, table_count=10,
            )  # fmt: skip
            db.session.add(event)
            pending = set(range(0, repeats, 2))  # every other update approves a registration
            for i, p in enumerate(synthetic_participants(n, seed)):
                registration = Registration(
                    event=event,
                    organisation=Organisation(
                        name=f"Organisation {i}", country=p.country, city="", type="sme",
                        description=p.profile, sectors=list(p.sectors),
                    ),
                    status="pending" if i in pending else "approved",
                )  # fmt: skip
                registration.opportunities = [
                    Opportunity(
                        kind=o.kind, category=o.category, title=o.title[:200],
                        description=o.description, keywords=", ".join(o.keywords),
                    )
                    for o in (*p.offers, *p.requests)
                ]  # fmt: skip
                db.session.add(registration)
            db.session.commit()
            started = time.perf_counter()
            matchmaking.compute_matches(event)
            full_run = time.perf_counter() - started
            state_mib = len(db.session.get(MatchModel, event.id).payload) / 2**20
            log(f"{n} participants: full run {full_run:.1f} s, state {state_mib:.1f} MiB")

            registrations = db.session.scalars(
                sa.select(Registration).where(Registration.event_id == event.id)
            ).all()
            load_before = _load_average()
            seconds = []
            for update in range(repeats):
                registration = registrations[update * (n // repeats) if update % 2 else update]
                db.session.expire_all()
                started = time.perf_counter()
                if registration.status == "pending":
                    registration.status = "approved"
                else:
                    registration.opportunities[0].description += " lidar mapping drones"
                matchmaking.refresh_matches(registration)
                db.session.commit()
                seconds.append(time.perf_counter() - started)
            db.session.remove()
            db.engine.dispose()
    ordered = sorted(seconds)

    def percentile(q):
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "participants": n,
        "updates": repeats,
        "p50_seconds": round(percentile(0.5), 3),
        "p95_seconds": round(percentile(0.95), 3),
        "max_seconds": round(ordered[-1], 3),
        "full_run_seconds": round(full_run, 2),
        "state_mib": round(state_mib, 1),
        "load_average": [load_before, _load_average()],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, help="20,000 (2,000 with --explanations)")
    parser.add_argument("--top", type=int, help="50 (20 with --explanations)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--explanations",
        action="store_true",
        help="time explanations: demo event, then --participants (2,000 if not given) x --top",
    )
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="time live matching updates at --participants (2,000 if not given)",
    )
    parser.add_argument("--repeats", type=int, default=40, help="updates with --incremental")
    parser.add_argument("--database-url", help="with --incremental: a scratch database")
    parser.add_argument(
        "--past-partners",
        type=int,
        default=0,
        help="give every organisation this many past partners (co-participation history)",
    )
    args = parser.parse_args(argv)

    if args.incremental:
        result = incremental_figures(
            args.participants or 2000, args.repeats, args.seed, args.database_url
        )
        print(
            f"live matching at {result['participants']} participants: p50 "
            f"{result['p50_seconds']:.3f} s, p95 {result['p95_seconds']:.3f} s over "
            f"{result['updates']} updates (bar: p95 <= 1 s)"
        )
        print(json.dumps(result))
        return

    if args.explanations:
        top = args.top or 20
        results = [
            explanation_figures(demo_participants(), top),
            explanation_figures(synthetic_participants(args.participants or 2000, args.seed), top),
        ]
        for result in results:
            print(
                f"{result['participants']} participants x top {result['top']}: "
                f"{result['matches']} matches explained in {result['lazy_seconds']:.2f} s "
                f"one by one ({result['ms_per_explanation']:.3f} ms each), "
                f"{result['explain_all_seconds']:.2f} s with explain_all "
                f"(load average {result['load_average']:.1f})"
            )
        print(json.dumps(results))
        return

    args.participants, args.top = args.participants or 20000, args.top or 50
    participants = synthetic_participants(args.participants, args.seed)
    rules = MatchRules(
        excluded_type_pairs=frozenset({("university", "university")}),
        cross_border_bonus=0.2,
        not_interested=frozenset((i, i + 1) for i in range(0, args.participants - 1, 7)),
    )
    history = synthetic_co_participation(participants, args.past_partners, args.seed)
    load_before = _load_average()
    started, cpu_started = time.perf_counter(), time.process_time()
    matches = rank_matches(participants, rules, top_k=args.top, co_participation=history)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    returned = sum(len(m) for m in matches.values())
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del matches
    full, pruned, offers_requests = floor_seconds(participants, rules)
    load_after = _load_average()

    print(f"participants                         {args.participants}")
    print(f"matches returned                     {returned}")
    print(f"past partners per organisation       {args.past_partners}")
    print(f"rank_matches, wall                   {seconds:.2f} s ({cpu_seconds:.2f} s CPU)")
    print(f"peak RSS of the process              {peak_mib:.0f} MiB (after rank_matches)")
    print(f"floor: bare product of the full TF-IDF scoring matrices   {full:.2f} s")
    print(f"  ratio rank_matches / floor         {seconds / full:.2f}")
    print(
        f"bare product of the engine's pruned matrices (top {engine.RANKING_TERMS} terms)"
        f"  {pruned:.2f} s"
    )
    print(f"  ratio rank_matches / pruned        {seconds / pruned:.2f}")
    print(f"bare full offers x requests product (one direction)      {offers_requests:.2f} s")
    print(f"  ratio rank_matches / it            {seconds / offers_requests:.2f}")
    print(f"load average (1 min) before / after  {load_before:.2f} / {load_after:.2f}")
    print(
        json.dumps(
            {
                "participants": args.participants,
                "top": args.top,
                "seconds": round(seconds, 3),
                "cpu_seconds": round(cpu_seconds, 3),
                "past_partners": args.past_partners,
                "peak_mib": round(peak_mib, 1),
                "floor_seconds": round(full, 3),
                "ratio": round(seconds / full, 3),
                "pruned_floor_seconds": round(pruned, 3),
                "pruned_ratio": round(seconds / pruned, 3),
                "offers_requests_seconds": round(offers_requests, 3),
                "offers_requests_ratio": round(seconds / offers_requests, 3),
                "load_average": [load_before, load_after],
            }
        )
    )


if __name__ == "__main__":
    main()
