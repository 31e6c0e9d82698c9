"""Matching at scale: synthetic event of N participants, top-k partners each.

    python -m benchmarks.matching --participants 20000 --top 50

Prints wall time and peak memory of `rank_matches`, and the floor: the bare sparse product of
the same scoring matrices in the same blocks, with no top-k and no rules. The final stdout line
is one JSON document: participants, top, seconds, peak_mib, floor_seconds, ratio.
"""

import argparse
import json
import random
import resource
import time

from matchmaker.matching import MatchRules, Opportunity, Participant, rank_matches
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


def floor_seconds(participants, rules):
    """Time of the bare scoring product: the engine's own matrices, in the same blocks, with
    no rules, no top-k, no vectorising. Also the time of the product of the full (uncut)
    offers and requests TF-IDF matrices, the brief's example of a floor, for reference."""
    vectors = EventVectors(participants)
    left, right = scoring_matrices(vectors, rules.weights)
    n = left.shape[0]
    started = time.perf_counter()
    for start, stop in blocks(n, n):
        left[start:stop] @ right
    floor = time.perf_counter() - started
    requests_t = vectors.requests.T.tocsr()
    started = time.perf_counter()
    for start, stop in blocks(n, n):
        vectors.offers[start:stop] @ requests_t
    return floor, time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=20000)
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    participants = synthetic_participants(args.participants, args.seed)
    rules = MatchRules(
        excluded_type_pairs=frozenset({("university", "university")}),
        cross_border_bonus=0.2,
        not_interested=frozenset((i, i + 1) for i in range(0, args.participants - 1, 7)),
    )
    started = time.perf_counter()
    matches = rank_matches(participants, rules, top_k=args.top)
    seconds = time.perf_counter() - started
    returned = sum(len(m) for m in matches.values())
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    floor, full_offers_requests = floor_seconds(participants, rules)

    print(f"participants                       {args.participants}")
    print(f"matches returned                   {returned}")
    print(f"rank_matches, wall                 {seconds:.2f} s")
    print(f"peak RSS of the process            {peak_mib:.0f} MiB (after rank_matches)")
    print(f"floor: bare product of the engine's matrices  {floor:.2f} s")
    print(f"ratio                              {seconds / floor:.2f}")
    print(f"reference: full offers x requests product      {full_offers_requests:.2f} s")
    print(f"ratio to it                        {seconds / full_offers_requests:.2f}")
    print(
        json.dumps(
            {
                "participants": args.participants,
                "top": args.top,
                "seconds": round(seconds, 3),
                "peak_mib": round(peak_mib, 1),
                "floor_seconds": round(floor, 3),
                "ratio": round(seconds / floor, 3),
                "full_offers_requests_seconds": round(full_offers_requests, 3),
                "ratio_to_full_offers_requests": round(seconds / full_offers_requests, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
