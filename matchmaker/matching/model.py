"""The values the matching engine takes and gives: plain frozen dataclasses, no database."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

import numpy as np

from matchmaker.matching.history import MET_BEFORE_FACTOR, MET_BEFORE_POLICIES, MetBefore, index

OPPORTUNITY_KINDS = ("offer", "request")


@dataclass(frozen=True)
class Opportunity:
    """Something a participant offers or needs at this event.

    `kind` is "offer" or "request"; `category` is free text such as "technology" or
    "R&D cooperation"; `keywords` are the participant's own tags.
    """

    id: int | str
    kind: str
    title: str
    description: str = ""
    category: str = ""
    keywords: tuple[str, ...] = ()

    def __post_init__(self):
        if self.kind not in OPPORTUNITY_KINDS:
            raise ValueError(f"opportunity {self.id!r}: kind must be 'offer' or 'request'")

    @property
    def text(self):
        """Everything the participant wrote about this opportunity, as one string."""
        return " ".join((self.title, self.category, self.description, *self.keywords))


@dataclass(frozen=True)
class Participant:
    """An organisation's registration to one event, as the matcher sees it.

    `offers` hold opportunities of kind "offer" and `requests` those of kind "request";
    `country` is an ISO code (empty when unknown), `type` the organisation type ("company",
    "university", ...), `profile` the organisation's description. `experience` is the
    organisation's history: the number of its past projects or brokerage events (None when
    unknown, None); experienced organisations are likelier partners (docs/matching.md).
    """

    id: int | str
    organisation_id: int | str
    profile: str = ""
    offers: tuple[Opportunity, ...] = ()
    requests: tuple[Opportunity, ...] = ()
    country: str = ""
    type: str = ""
    sectors: tuple[str, ...] = ()
    experience: int | None = None

    def __post_init__(self):
        if self.experience is None:
            pass
        elif isinstance(self.experience, bool) or not isinstance(self.experience, int):
            raise ValueError(f"participant {self.id!r}: experience must be an integer")
        elif self.experience < 0:
            raise ValueError(f"participant {self.id!r}: experience must be >= 0")
        for kind, opportunities in (("offer", self.offers), ("request", self.requests)):
            for opportunity in opportunities:
                if opportunity.kind != kind:
                    raise ValueError(
                        f"participant {self.id!r}: opportunity {opportunity.id!r} "
                        f"is a {opportunity.kind}, listed among the {kind}s"
                    )

    @property
    def profile_text(self):
        """The organisation's description and sectors, as one string."""
        return " ".join((self.profile, *self.sectors))


@dataclass(frozen=True)
class MatchWeights:
    """How the three signals add up to a score; they must be >= 0 and sum to 1.

    `complementarity` is shared equally between the two directions (the partner's offers
    against the participant's requests, and the other way round), so a score is symmetric;
    `profile` weighs plain profile-to-profile similarity.
    The defaults were tuned on benchmarks/data/match_eval.json (see docs/matching.md).
    """

    complementarity: float = 0.9
    profile: float = 0.1

    def __post_init__(self):
        if min(self.complementarity, self.profile) < 0:
            raise ValueError("weights must be >= 0")
        if abs(self.complementarity + self.profile - 1) > 1e-9:
            raise ValueError("complementarity + profile must be 1")


@dataclass(frozen=True)
class GroupRules:
    """Who may meet whom by group: a mission's delegation and hosts, buyers and sellers.

    `membership`: {participant id: group} (a group is any id or name; a participant not listed
    belongs to no group). `excluded`: pairs (g, h) of groups whose members never meet, in either
    order; (g, g) means the members of g never meet each other (a mission's delegates).
    A participant without a group meets everyone; so do members of groups no pair names.

    This is THE rule "may these two participants meet" as far as groups go: matching
    (rank_matches, score_participant), meeting requests and the optimiser's candidates all ask
    it, through `may_meet` or, for arrays of pairs, `codes` and `table`.
    """

    membership: Mapping = field(default_factory=dict, hash=False)
    excluded: frozenset = frozenset()

    def __post_init__(self):
        if not isinstance(self.membership, Mapping):
            raise ValueError("group membership must map participant ids to groups")
        for pair in self.excluded:
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise ValueError("an excluded group pair must be a pair (first, second)")
        # Read-only, so a frozen value stays frozen; both orders of each pair, once.
        object.__setattr__(self, "membership", MappingProxyType(dict(self.membership)))
        both = {(a, b) for a, b in self.excluded} | {(b, a) for a, b in self.excluded}
        object.__setattr__(self, "excluded", frozenset(both))

    def __bool__(self):
        """True when some pair of participants is kept apart."""
        return bool(self.excluded) and bool(self.membership)

    def group_of(self, participant_id):
        return self.membership.get(participant_id)

    def may_meet(self, first_id, second_id):
        """False when the two participants' groups are an excluded pair. Cost: O(1)."""
        first, second = self.group_of(first_id), self.group_of(second_id)
        if first is None or second is None:
            return True
        return (first, second) not in self.excluded

    def codes(self, participant_ids):
        """(codes, table) for vectorised checks: `codes[i]` is a small integer for the group
        of participant_ids[i] (0 for none), and table[codes[i], codes[j]] is True when i and j
        may not meet. Cost: linear in the ids and the groups' pairs."""
        groups = sorted({g for pair in self.excluded for g in pair}, key=repr)
        number = {g: n + 1 for n, g in enumerate(groups)}
        codes = np.fromiter(
            (number.get(self.group_of(pid), 0) for pid in participant_ids),
            dtype=np.int64,
            count=len(participant_ids),
        )
        table = np.zeros((len(groups) + 1,) * 2, dtype=bool)
        for a, b in self.excluded:
            table[number[a], number[b]] = True
        return codes, table


# How a participant takes part in an event (issue 24): in the hall, or online by video. In a
# hybrid event an in-person participant may refuse online meetings: it is then "hall only".
ONLINE = "online"
HALL_ONLY = "hall_only"


def attendance_rules(online=(), hall_only=()):
    """THE rule of online and hybrid events, as GroupRules: an online participant (ids in
    `online`) meets online, so it never meets a participant who is in the hall and cannot join
    online meetings (ids in `hall_only`). Everyone else may meet; a meeting is online when
    either side is (`meets_online`). Matching, requests, the optimiser's candidates, manual
    meetings and walk-ins all ask this rule (MatchRules.attendance). Cost: linear in the ids."""
    online, hall_only = frozenset(online), frozenset(hall_only)
    if not online or not hall_only:
        return GroupRules()
    membership = {pid: ONLINE for pid in online} | {pid: HALL_ONLY for pid in hall_only}
    return GroupRules(membership=membership, excluded=frozenset({(ONLINE, HALL_ONLY)}))


def meets_online(first_online, second_online):
    """Whether a meeting of two participants is held online (by video, with no table): when
    either of them takes part online."""
    return bool(first_online or second_online)


@dataclass(frozen=True)
class MatchRules:
    """The organizer's rules and the participants' refusals.

    - Two participants of the same organisation are never matched (always on).
    - `not_interested`: pairs (a, b) of participant ids meaning "a does not want to meet b".
      The pair is hidden both ways: b disappears from a's list, and a from b's, because a
      request from b would only meet a refusal.
    - `excluded_type_pairs`: pairs of organisation types never matched, in either order
      (e.g. {("university", "university")}).
    - `cross_border_bonus` >= 0: pairs from the same country have their score divided by
      (1 + bonus), so a foreign partner outranks a domestic one unless the domestic one scores
      more than (1 + bonus) times higher. 0 turns it off; unknown countries count as foreign.
    - `groups`: the participants' groups and the pairs of groups whose members never meet
      (GroupRules: an economic mission's delegates never meet each other).
    - `attendance`: who takes part online and who is in the hall only (`attendance_rules`):
      those two never meet.
    - `history`: MetBefore records, pairs of organisations that met at an earlier event of
      the network; every explanation of such a pair names that meeting (`met_before`).
    - `met_before_policy`: "leave", "lower" (such pairs have their score multiplied by
      MET_BEFORE_FACTOR, after the cross-border preference) or "follow_up" (ranking as
      "leave"; the app proposes follow-up meetings). See matching/history.py.
    """

    not_interested: frozenset[tuple[int | str, int | str]] = frozenset()
    excluded_type_pairs: frozenset[tuple[str, str]] = frozenset()
    cross_border_bonus: float = 0.0
    weights: MatchWeights = MatchWeights()
    groups: GroupRules = GroupRules()
    attendance: GroupRules = GroupRules()
    history: tuple[MetBefore, ...] = ()
    met_before_policy: str = "leave"

    def __post_init__(self):
        if self.cross_border_bonus < 0:
            raise ValueError("cross_border_bonus must be >= 0")
        if self.met_before_policy not in MET_BEFORE_POLICIES:
            raise ValueError(
                f"met_before_policy must be one of {', '.join(MET_BEFORE_POLICIES)}, "
                f"got {self.met_before_policy!r}"
            )

    @cached_property
    def met_before(self):
        """{frozenset({organisation a, organisation b}): MetBefore} of `history`."""
        return index(self.history)

    @property
    def met_before_factor(self):
        """What a met-before pair's score is multiplied by: MET_BEFORE_FACTOR under "lower",
        else 1."""
        return MET_BEFORE_FACTOR if self.met_before_policy == "lower" else 1.0


@dataclass(frozen=True)
class OpportunityPair:
    """One opportunity that meets another: `offer` of one side against `request` of the other,
    with their text similarity `score` in [0, 1]."""

    offer_id: int | str
    offer_title: str
    request_id: int | str
    request_title: str
    score: float


@dataclass(frozen=True)
class Explanation:
    """Why a partner was suggested to a participant.

    `partner_offers` lists the partner's offers meeting the participant's requests, and
    `participant_offers` the participant's offers meeting the partner's requests (best first,
    at most three each); `need_score` and `offer_score` are the similarities of each direction
    (1 - exp(-sum of the pair cosines)), `profile_score` the profiles' cosine, all in [0, 1];
    `terms` the words and word pairs that contributed most to the score; `met_before` the
    MetBefore of the two organisations when they met at an earlier event (else None).
    """

    need_score: float
    offer_score: float
    profile_score: float
    partner_offers: tuple[OpportunityPair, ...]
    participant_offers: tuple[OpportunityPair, ...]
    terms: tuple[str, ...]
    met_before: MetBefore | None = None


@dataclass(frozen=True)
class Match:
    """A suggested partner for a participant, with its score in [0, 1] (after the organizer's
    rules). `explanation` is computed on first access and then kept, so ranking thousands of
    participants does not pay for explanations nobody reads. For a Match of `rank_matches`,
    the first access explains every returned pair of a block of participants at once (tens of
    microseconds a pair); `explain_all(ranked)` explains a whole result.
    """

    participant_id: int | str
    partner_id: int | str
    score: float
    explain: object = field(default=None, repr=False, compare=False)

    @cached_property
    def explanation(self):
        """The `Explanation` of this match; raises ValueError on a Match built without one."""
        if self.explain is None:
            raise ValueError("this match was not built by rank_matches and has no explanation")
        return self.explain(self)
