"""Pure matching engine: participants' offers, requests and profiles in; each participant's best
partners out, with scores in [0, 1] and explanations. Imports only the standard library, numpy,
scipy and scikit-learn (checked by tests/matching/test_purity.py).

The entry point is `rank_matches` (and `explain_all` to explain a whole result at once);
`interchange.read_document` and `interchange.matches_document` handle the JSON format of
`python -m matchmaker.matching` (docs/matching.md).
"""

from matchmaker.matching.coparticipation import CoParticipation
from matchmaker.matching.engine import rank_matches
from matchmaker.matching.explain import explain_all
from matchmaker.matching.history import MetBefore
from matchmaker.matching.model import (
    Explanation,
    GroupRules,
    Match,
    MatchRules,
    MatchWeights,
    Opportunity,
    OpportunityPair,
    Participant,
    attendance_rules,
    meets_online,
)

__all__ = [
    "CoParticipation",
    "Explanation",
    "GroupRules",
    "Match",
    "MatchRules",
    "MatchWeights",
    "MetBefore",
    "Opportunity",
    "OpportunityPair",
    "Participant",
    "attendance_rules",
    "explain_all",
    "meets_online",
    "rank_matches",
]
