"""The consortium builder: one project idea in, three alternative teams out (issue 25).

A European call needs a team, not a pair: partners whose skills together cover the work,
from several countries, with the kinds of organisation the call asks for. The idea (title,
objective, the roles or work packages it needs, constraints) is scored against every
participant with the matching engine's own text scoring (vectors.EventVectors,
engine.scoring_matrices, engine.PairScorer: each role is a request of a stand-in participant,
so a partner's offers meet it exactly as they meet a participant's request in `rank_matches`),
and a greedy search builds the team one partner at a time, each time taking the candidate that
adds the most:

    gain(c) = (coverage gain  sum over roles of max(0, role score of c - best so far) / roles
               + IDEA_FIT     * c's score against the whole idea (title and objective)
               + FAMILIAR     * (1 if c worked with a partner already in before, else 0))
            * (1 - REDUNDANCY * c's largest text similarity (cosine) to a member of the team)

so a second copy of the lead adds no coverage and keeps only part of its fit (a copy
written word for word keeps 1 - REDUNDANCY of it; a candidate that fits nothing never
overtakes one that fits because of it), within the
constraints (team size, at least N countries, required organisation types, at most one
participant per organisation): a candidate is only taken if the places left can still meet
them. The second team is built without the first team's most decisive partner (the one whose
pick added the most), the third also without the second's: the three always differ.
Constraints that cannot be met are reported in sentences, never dropped silently.

Pure: standard library, numpy, scipy (checked by tests/matching/test_purity.py).
Cost: one fit of the event's vectors with a few stand-ins, one sparse product for the
roles against everyone, and one sparse row per team member for the likeness; a team of k
partners is k passes over the candidates (array operations).
"""

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from matchmaker.matching.engine import PairScorer, scoring_matrices
from matchmaker.matching.explain import Explainer
from matchmaker.matching.interchange import DocumentError
from matchmaker.matching.model import Match, MatchWeights, Opportunity, Participant
from matchmaker.matching.vectors import EventVectors

IDEA_FORMAT = "matchmaker.consortium-idea/1"
CONSORTIA_FORMAT = "matchmaker.consortia/1"
TEAMS = 3
# Weights of the greedy gain (module docstring), measured on the CORDIS H2020 dev half
# (python -m benchmarks.consortium --tune; docs/consortium.md): any IDEA_FIT > 0 gives the
# same teams there (no roles), and recall is flat in REDUNDANCY (0.124 at 0, 0.121 at 0.5, far
# inside the noise). 0.5 is kept because it is what stops near copies of the lead at an
# event (tests/matching/test_consortium.py); CORDIS organisations that write alike are past
# partners of the same projects, not copies.
IDEA_FIT = 0.5
REDUNDANCY = 0.5
# Gain of a candidate that worked with a partner already in before (past co-participation,
# matching/coparticipation.py): the published work on EU consortia finds that who worked with
# whom predicts partners better than text. Chosen on the CORDIS dev half only
# (docs/consortium.md); 0 without history.
FAMILIAR = 0.4
# Gain of experience: a candidate's past projects (Participant.experience) on a log scale,
# 1 for the most experienced participant. Popular organisations are the likeliest partners of
# a European consortium (the popularity baseline of benchmarks/consortium.py), but the engine's
# relevance model already weighs experience: on the CORDIS dev half any weight lowered recall
# (0.148 at 0, 0.148 at 0.05, 0.139 at 0.2, 0.127 at 0.8; docs/consortium.md), so it is off.
EXPERIENCE = 0.0
# A role counts as covered when a member's score for it is at least this (a probability of
# the relevance model, as rank_matches scores a pair; pairs sharing no term score 0).
COVERED_FROM = 0.02
# Terms shown per reason.
REASON_TERMS = 5
_STAND_IN = "\x00consortium"  # prefix of the stand-in participants' ids


@dataclass(frozen=True)
class Role:
    """A role or work package the idea needs, as a short text ("satellite data")."""

    id: int | str
    title: str
    description: str = ""

    @property
    def text(self):
        return f"{self.title} {self.description}".strip()


@dataclass(frozen=True)
class Constraints:
    """What a team must be: `partners` organisations in all (those already in included), from
    at least `min_countries` countries, with at least one of each of `required_types` (a type
    listed twice is needed twice), at most one participant per organisation unless
    `one_per_organisation` is False, and the participants `members` already in (the lead)."""

    partners: int
    min_countries: int = 0
    required_types: tuple[str, ...] = ()
    one_per_organisation: bool = True
    members: tuple[int | str, ...] = ()

    def __post_init__(self):
        if self.partners < 1:
            raise ValueError("a team needs at least one partner")
        if self.min_countries < 0:
            raise ValueError("min_countries must be >= 0")


@dataclass(frozen=True)
class Idea:
    """A call or project idea: its title, objective, the roles it needs and the constraints."""

    title: str
    objective: str = ""
    roles: tuple[Role, ...] = ()
    constraints: Constraints = Constraints(partners=3)

    @property
    def text(self):
        return f"{self.title}. {self.objective}".strip()


@dataclass(frozen=True)
class Reason:
    """Why a member is in the team: the role it covers (None: it fits the idea as a whole),
    its score for it, its offer that meets it best (id and title, or None) and shared terms."""

    role_id: int | str | None
    role: str
    score: float
    opportunity_id: int | str | None
    opportunity: str | None
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Member:
    participant_id: int | str
    organisation_id: int | str
    country: str
    type: str
    already_in: bool
    gain: float  # what the pick added to the team's value (0 for those already in)
    reasons: tuple[Reason, ...]

    @property
    def sentence(self):
        """Why, in words: "Covers "satellite data": its offer "…" (terms: a, b)."""
        parts = []
        for reason in self.reasons:
            what = f'Covers "{reason.role}"' if reason.role_id is not None else "Fits the idea"
            if reason.opportunity:
                what += f': its offer "{reason.opportunity}"'
            if reason.terms:
                what += f" (shared terms: {', '.join(reason.terms)})"
            parts.append(what + ".")
        if not parts:
            parts.append("Already in the team." if self.already_in else "Fills a place.")
        return " ".join(parts)


@dataclass(frozen=True)
class Team:
    members: tuple[Member, ...]
    value: float
    covered: tuple[int | str, ...]  # role ids covered
    uncovered: tuple[Role, ...]
    problems: tuple[str, ...]  # constraints this team does not meet, in sentences

    @property
    def constraints_met(self):
        return not self.problems


@dataclass(frozen=True)
class Proposal:
    teams: tuple[Team, ...]
    problems: tuple[str, ...] = field(default=())  # about the idea as a whole, in sentences


def _country(participant):
    return participant.country.strip().upper()


def _type(participant):
    return participant.type.strip().casefold()


def _a(word):
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


class Problem(str):
    """A constraint that is not met: the English sentence itself (a str), with a `code` and
    the `values` in it, so a page can say it in the reader's language and with names instead
    of ids (matchmaker/services/consortium.py)."""

    code: str
    values: dict

    def __new__(cls, text, code, **values):
        problem = super().__new__(cls, text)
        problem.code = code
        problem.values = values
        return problem

    def __reduce__(self):
        return (_problem, (str(self), self.code, self.values))


def _problem(text, code, values):
    return Problem(text, code, **values)


def _together(participants, co_participation):
    """Sparse participant x participant matrix: 1 where the two organisations shared a past
    project (CoParticipation), both ways; organisations outside the participants are left out."""
    rows_of = {}
    for i, p in enumerate(participants):
        rows_of.setdefault((type(p.organisation_id).__name__, p.organisation_id), []).append(i)
    r, c = [], []
    for pair in co_participation:
        a, b = ((type(o).__name__, o) for o in pair.organisations)
        for i in rows_of.get(a, ()):
            for j in rows_of.get(b, ()):
                r += [i, j]
                c += [j, i]
    n = len(participants)
    together = sp.csr_array((np.ones(len(r)), (r, c)), shape=(n, n))
    together.sum_duplicates()
    return together


class IdeaScores:
    """The idea's and its roles' scores against every participant, and the participants'
    likeness, from one fit of the engine's vectors."""

    def __init__(self, idea, participants, weights, co_participation=()):
        roles = idea.roles or (Role(id=None, title=idea.text),)
        self.roles = roles
        ids = {p.id for p in participants}
        prefix = _STAND_IN
        while any(isinstance(i, str) and i.startswith(prefix) for i in ids):
            prefix += "_"
        stand_ins = [
            Participant(
                id=f"{prefix}:{i}",
                organisation_id=f"{prefix}:{i}",
                profile=text,
                requests=(Opportunity(id=f"{prefix}:{i}", kind="request", title=text),),
            )
            for i, text in enumerate([idea.text] + [role.text for role in roles])
        ]
        everyone = (*participants, *stand_ins)
        n = len(participants)
        self.participants, self.everyone, self.n = participants, everyone, n
        vectors = EventVectors(everyone)
        self.vectors, self.weights = vectors, weights
        left, right = scoring_matrices(vectors, weights, cut=False)
        scorer = PairScorer.of(everyone).calibrate(left, right)
        rows = np.arange(n, len(everyone))
        raw = (left[rows] @ right[:, :n]).toarray()
        scores = np.zeros_like(raw, dtype=np.float64)
        r, c = np.nonzero(raw > 0)
        scores[r, c] = scorer.scores(rows[r], c, raw[r, c])
        self.idea_fit = scores[0]
        self.role_scores = scores[1:]  # roles x participants
        # Likeness: cosine of everything each participant wrote (offers, requests, profile).
        whole = sp.hstack([vectors.offers, vectors.requests, vectors.profiles], format="csr")
        norms = np.sqrt(np.asarray(whole.multiply(whole).sum(axis=1)).ravel())
        scale = np.divide(1, norms, out=np.zeros_like(norms), where=norms > 0)
        self.whole = (sp.diags_array(scale) @ whole).tocsr()[:n]
        self._likeness = {}
        self.together = _together(participants, co_participation)
        past = np.log1p(np.asarray([p.experience or 0 for p in participants], dtype=np.float64))
        self.experience = past / past.max() if len(past) and past.max() > 0 else past

    def worked_with(self, row):
        """1.0 for each participant whose organisation worked with `row`'s before, else 0."""
        return (self.together[row].toarray().ravel() > 0).astype(np.float64)

    def likeness(self, row):
        found = self._likeness.get(row)
        if found is None:
            found = self._likeness[row] = (self.whole @ self.whole[row].T).toarray().ravel()
        return found

    def reasons(self, picks):
        """{(stand-in row, participant row): Explanation} of the given pairs, in one batch."""
        explainer = Explainer(
            self.everyone,
            self.vectors,
            self.weights,
            np.zeros((len(self.everyone), 1), dtype=np.int64),
            np.zeros((len(self.everyone), 1), dtype=bool),
        )
        matches = [
            Match(self.everyone[a].id, self.everyone[b].id, 0.0, explainer) for a, b in picks
        ]
        explainer.explain_matches(matches)
        return {pair: match.explanation for pair, match in zip(picks, matches, strict=True)}


def build_consortia(
    idea,
    participants,
    teams=TEAMS,
    weights=MatchWeights(),
    idea_fit=IDEA_FIT,
    redundancy=REDUNDANCY,
    scores=None,
    co_participation=(),
    familiar=FAMILIAR,
    experience=EXPERIENCE,
):
    """Up to `teams` alternative teams for `idea` (an Idea) from `participants` (Participant,
    as in rank_matches), best first, as a Proposal. Each team holds the members already in
    and is filled up to `idea.constraints.partners`; see the module docstring for how. Every
    constraint that cannot be met is named in `Proposal.problems` (for the idea: a member not
    among the participants, too few countries or organisations of a required type to choose
    from) or in the team's `problems` (what that team misses). Deterministic: equal gains
    go to the participant listed first.

    `co_participation` (CoParticipation, as for rank_matches) is who worked with whom before:
    a candidate who worked with a partner already in (the lead) gains `familiar`; a candidate
    gains `experience` times its past projects on a log scale (1 for the most experienced).
    `idea_fit` and `redundancy` weigh the greedy gain (module docstring); `scores`, if given,
    is the IdeaScores of this idea and these participants (computed here otherwise), so a
    caller trying several weights fits the vectors once.

    Raises ValueError on duplicate participant ids."""
    participants = tuple(participants)
    if len({p.id for p in participants}) != len(participants):
        raise ValueError("participant ids must be unique")
    constraints = idea.constraints
    problems = []
    row_of = {p.id: i for i, p in enumerate(participants)}
    members = []
    for member in constraints.members:
        if member not in row_of:
            problems.append(
                Problem(
                    f"{member!r} is named as already in the team but is not a participant.",
                    "unknown_member",
                    member=member,
                )
            )
        elif row_of[member] not in members:
            members.append(row_of[member])
    if len(members) > constraints.partners:
        problems.append(
            Problem(
                f"{len(members)} partners are already in, more than the team size of "
                f"{constraints.partners}.",
                "too_many_members",
                members=len(members),
                partners=constraints.partners,
            )
        )
    problems += _pool_problems(participants, constraints)
    if not participants:
        return Proposal(teams=(), problems=tuple(problems))

    if scores is None:
        scores = IdeaScores(idea, participants, weights, co_participation)
    built, excluded = [], set()
    for _ in range(teams):
        team = _greedy(
            scores, constraints, members, excluded, (idea_fit, redundancy, familiar, experience)
        )
        if team is None or any(team.rows == other.rows for other in built):
            if built:
                problems.append(
                    Problem(
                        f"Only {len(built)} different team{'s' if len(built) > 1 else ''} "
                        "could be formed from these participants.",
                        "few_teams",
                        teams=len(built),
                    )
                )
            break
        built.append(team)
        decisive = _decisive(team.gains, participants, constraints, excluded)
        if decisive is None:
            if len(built) < teams and not team.gains:
                problems.append(
                    Problem(
                        "The team is fixed by the partners already in: no alternative to propose.",
                        "fixed_team",
                    )
                )
            elif len(built) < teams:
                problems.append(
                    Problem(
                        "Leaving out any partner of this team would break a constraint: "
                        "no alternative to propose.",
                        "no_alternative",
                    )
                )
            break
        excluded.add(decisive)
    return Proposal(
        teams=tuple(_describe(scores, constraints, team) for team in built),
        problems=tuple(problems),
    )


def _pool_problems(participants, constraints):
    """Sentences for constraints no team of these participants can meet."""
    problems = []
    organisations = {p.organisation_id for p in participants}
    available = len(organisations) if constraints.one_per_organisation else len(participants)
    if constraints.partners > available:
        what = "organisations" if constraints.one_per_organisation else "participants"
        problems.append(
            Problem(
                f"The team needs {constraints.partners} partners but "
                + (f"only {available} {what} can" if available else f"no {what} can")
                + " be chosen.",
                "too_few_organisations",
                partners=constraints.partners,
                available=available,
            )
        )
    countries = sorted({_country(p) for p in participants} - {""})
    if constraints.min_countries > len(countries):
        problems.append(
            Problem(
                f"At least {constraints.min_countries} countries were asked for, but the "
                f"participants come from only {len(countries)}"
                + (f" ({', '.join(countries)})." if countries else "."),
                "too_few_countries",
                wanted=constraints.min_countries,
                countries=tuple(countries),
            )
        )
    if constraints.min_countries > constraints.partners:
        problems.append(
            Problem(
                f"{constraints.partners} partners cannot come from {constraints.min_countries} "
                "countries.",
                "countries_exceed_partners",
                partners=constraints.partners,
                wanted=constraints.min_countries,
            )
        )
    if len(constraints.required_types) > constraints.partners:
        problems.append(
            Problem(
                f"{len(constraints.required_types)} required organisation types do not fit in "
                f"a team of {constraints.partners}.",
                "types_exceed_partners",
                types=len(constraints.required_types),
                partners=constraints.partners,
            )
        )
    for kind in sorted(set(constraints.required_types)):
        wanted = sum(1 for t in constraints.required_types if t == kind)
        present = sum(1 for p in participants if _type(p) == kind.strip().casefold())
        if present < wanted:
            problems.append(
                Problem(
                    f"{_a(kind).capitalize()} was required"
                    + (f" ({wanted} of them)" if wanted > 1 else "")
                    + f", but {'no' if present == 0 else f'only {present}'} participant"
                    + f"{'s are' if present > 1 else ' is'} {kind}.",
                    "type_missing",
                    type=kind,
                    wanted=wanted,
                    present=present,
                )
            )
    return problems


@dataclass
class _Built:
    rows: tuple[int, ...]
    gains: dict  # row of each pick (not those already in) -> its gain, in order of picking


def _greedy(scores, constraints, members, excluded, weights, focus=None):
    """One team: the members already in, then the candidate of largest gain while places are
    left, among those that keep the constraints reachable (if none does, among all, and the
    team reports what it misses). None if nobody can be added and the team is not complete.
    With `focus` (a role's row), coverage counts that role only (a swap for that role)."""
    participants, n = scores.participants, scores.n
    countries = np.asarray([_country(p) for p in participants], dtype=object)
    types = np.asarray([_type(p) for p in participants], dtype=object)
    organisations = [repr(p.organisation_id) for p in participants]
    organisation_code = np.unique(np.asarray(organisations), return_inverse=True)[1].ravel()

    available = np.ones(n, dtype=bool)
    available[list(excluded)] = False
    best = np.zeros(len(scores.roles))
    likeness = np.zeros(n)
    familiar = np.zeros(n)
    team, gains = [], {}
    missing_types = [t.strip().casefold() for t in constraints.required_types]

    def add(row):
        nonlocal best, likeness
        team.append(row)
        available[row] = False
        if constraints.one_per_organisation:
            available[organisation_code == organisation_code[row]] = False
        best = np.maximum(best, scores.role_scores[:, row])
        likeness = np.maximum(likeness, scores.likeness(row))
        if types[row] in missing_types:
            missing_types.remove(types[row])

    for row in members:
        add(row)
        # Familiar: worked with a partner already in (the lead); a pick's own past partners
        # do not count (measured: chaining through picks lowers recall on the dev half).
        if len(weights) > 2 and weights[2]:
            familiar = np.maximum(familiar, scores.worked_with(row))
    while len(team) < constraints.partners:
        if not available.any():
            return None if not team else _Built(tuple(team), gains)
        if focus is None:
            coverage = np.maximum(scores.role_scores - best[:, None], 0).sum(axis=0) / len(best)
        else:
            coverage = np.maximum(scores.role_scores[focus] - best[focus], 0)
        fit = coverage + weights[0] * scores.idea_fit
        if len(weights) > 2 and weights[2]:
            fit = fit + weights[2] * familiar
        if len(weights) > 3 and weights[3]:
            fit = fit + weights[3] * scores.experience
        gain = fit * (1 - weights[1] * likeness)
        left = constraints.partners - len(team) - 1  # places left after this pick
        in_team = set(countries[team]) - {""}
        new_country = np.asarray([c != "" and c not in in_team for c in countries])
        countries_after = np.maximum(constraints.min_countries - len(in_team) - new_country, 0)
        needed_type = np.asarray([t in missing_types for t in types])
        types_after = len(missing_types) - needed_type
        # Safe: the places left can meet what is missing even if each pick brings only a
        # country or only a type; else possible: if some picks bring both; else the least
        # shortfall (the team will say what it misses).
        safe = available & (countries_after + types_after <= left)
        possible = available & (np.maximum(countries_after, types_after) <= left)
        if safe.any():
            pool = safe
        elif possible.any():
            pool = possible
        else:
            shortfall = np.where(available, countries_after + types_after, np.inf)
            pool = shortfall == shortfall.min()
        row = int(np.argmax(np.where(pool, gain, -np.inf)))
        gains[row] = float(gain[row])
        add(row)
    return _Built(tuple(team), gains)


def _rows(scores, ids):
    """Rows of participant ids; ValueError naming one that is not a participant."""
    row_of = {p.id: i for i, p in enumerate(scores.participants)}
    missing = [i for i in ids if i not in row_of]
    if missing:
        raise ValueError(f"not participants: {missing!r}")
    return [row_of[i] for i in ids]


def describe_team(scores, constraints, ids, weights=(IDEA_FIT, REDUNDANCY, FAMILIAR, EXPERIENCE)):
    """The Team (members with their reasons, covered and uncovered roles, problems) of the
    participants `ids`, in this order, for the idea `scores` was computed for (an
    IdeaScores): a team the builder proposed and a person then changed (a swap, a member
    replaced). Each member's gain is what it adds to those listed before it, as in the greedy
    search; those in `constraints.members` count as already in. Raises ValueError for an id
    that is not one of the participants."""
    rows = _rows(scores, ids)
    members = {r for r in _rows(scores, [m for m in constraints.members if m in set(ids)])}
    best = np.zeros(len(scores.roles))
    likeness = np.zeros(scores.n)
    familiar = np.zeros(scores.n)
    gains = {}
    for row in rows:
        if row not in members:
            coverage = np.maximum(scores.role_scores[:, row] - best, 0).sum() / len(best)
            fit = coverage + weights[0] * scores.idea_fit[row] + weights[2] * familiar[row]
            gains[row] = float(fit * (1 - weights[1] * likeness[row]))
        best = np.maximum(best, scores.role_scores[:, row])
        likeness = np.maximum(likeness, scores.likeness(row))
        if weights[2] and row in members:
            familiar = np.maximum(familiar, scores.worked_with(row))
    return _describe(scores, constraints, _Built(tuple(rows), gains))


def next_best(
    scores,
    constraints,
    ids,
    leaving,
    passed=(),
    weights=(IDEA_FIT, REDUNDANCY, FAMILIAR, EXPERIENCE),
):
    """The participant id to take the place of `leaving` in the team `ids` (a swap, or a
    member who declined), or None when nobody can: the best candidate for the role `leaving`
    covers in this team (for the idea as a whole if it covers none), as the greedy search
    would pick it for the one free place (the constraints kept reachable, at most one
    participant per organisation, the likeness penalty), never a member of the team nor one
    of `passed` (those already swapped out or who declined). Pure; costs one greedy pass."""
    rows = _rows(scores, ids)
    gone = _rows(scores, [leaving])[0]
    # The role it covers, as _describe assigns roles (its best member, if covered at all),
    # without the explanations, which cost more than the pick.
    team_scores = scores.role_scores[:, rows]
    best_member = np.argmax(team_scores, axis=1)
    focus = next(
        (
            r
            for r, role in enumerate(scores.roles)
            if role.id is not None
            and rows[best_member[r]] == gone
            and team_scores[r, best_member[r]] >= COVERED_FROM
        ),
        None,
    )
    staying = [row for row in rows if row != gone]
    excluded = set(rows) | set(_rows(scores, [p for p in passed if p in _ids(scores)]))
    kept = Constraints(
        partners=len(staying) + 1,
        min_countries=constraints.min_countries,
        required_types=constraints.required_types,
        one_per_organisation=constraints.one_per_organisation,
        members=(),
    )
    built = _greedy(scores, kept, staying, excluded, weights, focus=focus)
    if built is None or len(built.rows) <= len(staying):
        return None
    return scores.participants[built.rows[-1]].id


def _ids(scores):
    return {p.id for p in scores.participants}


def _decisive(gains, participants, constraints, excluded):
    """The pick that added the most (the earlier pick on ties) among those whose exclusion
    leaves a pool that can still meet the constraints (the only university of the event is
    never excluded); None if there is no such pick."""
    before = len(_pool_problems(_without(participants, excluded), constraints))
    order = sorted(gains, key=lambda row: -gains[row])  # stable: earlier picks first on ties
    for row in order:
        pool = _without(participants, excluded | {row})
        if len(_pool_problems(pool, constraints)) <= before:
            return row
    return None


def _without(participants, rows):
    return [p for i, p in enumerate(participants) if i not in rows]


def _describe(scores, constraints, built):
    """The Team of a built one: members with their reasons, covered and uncovered roles,
    and the constraints it misses."""
    participants, roles = scores.participants, scores.roles
    rows = list(built.rows)
    role_scores = scores.role_scores[:, rows]  # roles x members
    covers = {row: [] for row in rows}
    covered = []
    uncovered = []
    best_member = np.argmax(role_scores, axis=1)
    for r, role in enumerate(roles):
        m = int(best_member[r])
        if role_scores[r, m] >= COVERED_FROM:
            covers[rows[m]].append(r)
            covered.append(r)
        elif role.id is not None:
            uncovered.append(role)
    # Who covers no role is there for the idea as a whole (the idea's stand-in is row n).
    pairs = []
    for row in rows:
        if covers[row]:
            pairs += [(scores.n + 1 + r, row) for r in covers[row]]
        elif scores.idea_fit[row] > 0:
            pairs.append((scores.n, row))
    explanations = scores.reasons(pairs)
    members = []
    value = 0.0
    for row in rows:
        reasons = []
        for stand_in, member_row in pairs:
            if member_row != row:
                continue
            explanation = explanations[(stand_in, member_row)]
            r = stand_in - scores.n - 1
            offer = explanation.partner_offers[0] if explanation.partner_offers else None
            named = r >= 0 and roles[r].id is not None
            reasons.append(
                Reason(
                    role_id=roles[r].id if named else None,
                    role=roles[r].title if named else "",
                    score=round(
                        float(scores.role_scores[r, row] if r >= 0 else scores.idea_fit[row]), 4
                    ),
                    opportunity_id=offer.offer_id if offer else None,
                    opportunity=offer.offer_title if offer else None,
                    terms=explanation.terms[:REASON_TERMS],
                )
            )
        participant = participants[row]
        gain = built.gains.get(row, 0.0)
        value += gain
        members.append(
            Member(
                participant_id=participant.id,
                organisation_id=participant.organisation_id,
                country=participant.country,
                type=participant.type,
                already_in=row not in built.gains,
                gain=round(gain, 4),
                reasons=tuple(reasons),
            )
        )
    return Team(
        members=tuple(members),
        value=round(value, 4),
        covered=tuple(roles[r].id for r in covered if roles[r].id is not None),
        uncovered=tuple(uncovered),
        problems=tuple(team_problems([participants[row] for row in rows], constraints)),
    )


def team_problems(team, constraints):
    """Sentences naming each constraint the team (Participants) does not meet; [] if none."""
    problems = []
    if len(team) != constraints.partners:
        problems.append(
            Problem(
                f"The team has {len(team)} partner{'' if len(team) == 1 else 's'}, "
                f"{constraints.partners} were asked for.",
                "team_size",
                size=len(team),
                partners=constraints.partners,
            )
        )
    countries = {_country(p) for p in team} - {""}
    if len(countries) < constraints.min_countries:
        problems.append(
            Problem(
                f"The team's partners come from {len(countries)} "
                f"countr{'y' if len(countries) == 1 else 'ies'}, at least "
                f"{constraints.min_countries} were asked for.",
                "team_countries",
                countries=len(countries),
                wanted=constraints.min_countries,
            )
        )
    types = [_type(p) for p in team]
    for kind in sorted(set(constraints.required_types)):
        wanted = sum(1 for t in constraints.required_types if t == kind)
        present = types.count(kind.strip().casefold())
        if present < wanted:
            problems.append(
                Problem(
                    f"The team has {present} {kind}{'' if present == 1 else ' partners'}, "
                    f"{wanted} {'was' if wanted == 1 else 'were'} required.",
                    "team_type",
                    type=kind,
                    present=present,
                    wanted=wanted,
                )
            )
    if constraints.one_per_organisation:
        seen = [p.organisation_id for p in team]
        doubled = sorted({repr(o) for o in seen if seen.count(o) > 1})
        if doubled:
            problems.append(
                Problem(
                    f"Organisation {', '.join(doubled)} has more than one participant in the team.",
                    "team_same_organisation",
                    organisations=tuple(doubled),
                )
            )
    ids = {p.id for p in team}
    missing = [m for m in constraints.members if m not in ids]
    if missing:
        problems.append(
            Problem(
                f"Partners named as already in are missing: {', '.join(repr(m) for m in missing)}.",
                "team_member_missing",
                members=tuple(missing),
            )
        )
    return problems


def _field(obj, path, name, kind, default=None, required=False):
    if not isinstance(obj, dict):
        raise DocumentError(f"{path}: expected an object")
    if name not in obj:
        if required:
            raise DocumentError(f"{path}: '{name}' is missing")
        return default
    value = obj[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        names = {str: "a string", int: "an integer", bool: "true or false", list: "a list"}
        names[dict] = "an object"
        expected = " or ".join(names[k] for k in kinds)
        raise DocumentError(f"{path}.{name}: expected {expected}")
    return value


def _role(item, path, i):
    if isinstance(item, str):
        role = Role(id=i + 1, title=item)
    else:
        role = Role(
            id=_field(item, path, "id", (str, int), default=i + 1),
            title=_field(item, path, "title", str, required=True),
            description=_field(item, path, "description", str, default=""),
        )
    if not role.title.strip():
        raise DocumentError(f"{path}: a role needs a title")
    return role


def read_idea(document):
    """The Idea of a parsed idea document (docs/consortium.md):
    {"format": IDEA_FORMAT, "title", "objective", "roles": [text or {id, title, description}],
    "constraints": {"partners", "min_countries", "required_types", "one_per_organisation",
    "members"}}. Raises DocumentError naming the first problem (interchange's error type)."""
    if not isinstance(document, dict):
        raise DocumentError("document: expected an object")
    tag = _field(document, "document", "format", str, required=True)
    if tag != IDEA_FORMAT:
        raise DocumentError(f"document.format: expected '{IDEA_FORMAT}', got '{tag}'")
    title = _field(document, "document", "title", str, required=True)
    if not title.strip():
        raise DocumentError("document.title: the idea needs a title")
    items = _field(document, "document", "roles", list, default=[])
    roles = tuple(_role(item, f"roles[{i}]", i) for i, item in enumerate(items))
    ids = [repr(role.id) for role in roles]
    for i, key in enumerate(ids):
        if key in ids[:i]:
            raise DocumentError(f"roles[{i}].id: {roles[i].id!r} is used twice")
    given = _field(document, "document", "constraints", dict, required=True)
    path = "constraints"
    partners = _field(given, path, "partners", int, required=True)
    if partners < 1 or partners > 100:
        raise DocumentError(f"{path}.partners: expected a team of 1 to 100 partners")
    min_countries = _field(given, path, "min_countries", int, default=0)
    if min_countries < 0:
        raise DocumentError(f"{path}.min_countries: expected a count >= 0")
    required = _field(given, path, "required_types", list, default=[])
    for i, kind in enumerate(required):
        if not isinstance(kind, str) or not kind.strip():
            raise DocumentError(f"{path}.required_types[{i}]: expected an organisation type")
    members = _field(given, path, "members", list, default=[])
    for i, member in enumerate(members):
        if isinstance(member, bool) or not isinstance(member, (str, int)):
            raise DocumentError(f"{path}.members[{i}]: expected a participant id")
    return Idea(
        title=title,
        objective=_field(document, "document", "objective", str, default=""),
        roles=roles,
        constraints=Constraints(
            partners=partners,
            min_countries=min_countries,
            required_types=tuple(kind.strip() for kind in required),
            one_per_organisation=_field(given, path, "one_per_organisation", bool, default=True),
            members=tuple(members),
        ),
    )


def consortia_document(proposal):
    """The JSON-ready document of a Proposal (docs/consortium.md)."""
    teams = []
    for number, team in enumerate(proposal.teams, 1):
        teams.append(
            {
                "team": number,
                "value": team.value,
                "constraints_met": team.constraints_met,
                "problems": list(team.problems),
                "members": [
                    {
                        "participant_id": member.participant_id,
                        "organisation_id": member.organisation_id,
                        "country": member.country,
                        "type": member.type,
                        "already_in": member.already_in,
                        "gain": member.gain,
                        "why": member.sentence,
                        "reasons": [
                            {
                                "role_id": reason.role_id,
                                "role": reason.role,
                                "score": reason.score,
                                "opportunity_id": reason.opportunity_id,
                                "opportunity": reason.opportunity,
                                "terms": list(reason.terms),
                            }
                            for reason in member.reasons
                        ],
                    }
                    for member in team.members
                ],
                "covered": list(team.covered),
                "uncovered": [{"role_id": role.id, "role": role.title} for role in team.uncovered],
            }
        )
    return {"format": CONSORTIA_FORMAT, "problems": list(proposal.problems), "teams": teams}
