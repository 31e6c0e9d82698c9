"""The consortium builder at an event (issue 25): the adapter between the event's approved
participants and the pure core (matching/consortium.py), and the draft a lead works on.

A draft is the idea and the three teams as the lead sees them, after any swaps. It lives in
the page, not in the database (nothing is stored until the lead invites a team): a signed
token (itsdangerous, the app's SECRET_KEY) carries it from one request to the next, so a
swap or an invitation can only start from a team the builder proposed here. The core is
deterministic, so the teams are scored again from the token and the current participants.
"""

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadSignature, URLSafeSerializer

from matchmaker.countries import country_name
from matchmaker.matching.consortium import (
    Constraints,
    Idea,
    IdeaScores,
    Role,
    build_consortia,
    describe_team,
    next_best,
)
from matchmaker.matching.model import MatchWeights
from matchmaker.models import ORGANISATION_TYPES
from matchmaker.services.errors import DomainError
from matchmaker.services.matchmaking import _approved, _plain

TITLE_LENGTH = 200  # group_meetings.title
OBJECTIVE_LENGTH = 2000
ROLE_LENGTH = 100
MAX_ROLES = 8
_SALT = "consortium-draft/1"


class DraftError(DomainError):
    """A draft token that is not ours, or names a team that no longer exists."""


@dataclass(frozen=True)
class IdeaInput:
    """What the lead typed: the idea and its constraints, plain values (checked by the form).
    `partners` counts the whole team, the lead included; `already_in` are participant ids
    beside the lead."""

    title: str
    objective: str
    roles: tuple[str, ...]
    partners: int
    min_countries: int = 0
    required_types: tuple[str, ...] = ()
    one_per_organisation: bool = True
    already_in: tuple[int, ...] = ()

    def idea(self, lead_id):
        members = (lead_id, *(i for i in self.already_in if i != lead_id))
        return Idea(
            title=self.title,
            objective=self.objective,
            roles=tuple(Role(id=i + 1, title=text) for i, text in enumerate(self.roles)),
            constraints=Constraints(
                partners=self.partners,
                min_countries=self.min_countries,
                required_types=self.required_types,
                one_per_organisation=self.one_per_organisation,
                members=members,
            ),
        )

    def as_dict(self):
        return {
            "title": self.title,
            "objective": self.objective,
            "roles": list(self.roles),
            "partners": self.partners,
            "min_countries": self.min_countries,
            "required_types": list(self.required_types),
            "one_per_organisation": self.one_per_organisation,
            "already_in": list(self.already_in),
        }

    @classmethod
    def of(cls, data):
        return cls(
            title=str(data["title"]),
            objective=str(data["objective"]),
            roles=tuple(str(r) for r in data["roles"]),
            partners=int(data["partners"]),
            min_countries=int(data["min_countries"]),
            required_types=tuple(str(t) for t in data["required_types"]),
            one_per_organisation=bool(data["one_per_organisation"]),
            already_in=tuple(int(i) for i in data["already_in"]),
        )


@dataclass
class MemberView:
    """A team member as a person reads it: the participant, the roles it covers (titles),
    why (reasons: role title or "" for the idea as a whole, the offer, shared terms), and the
    participant a swap would bring instead (None: nobody else fits)."""

    participant: object
    roles: list
    reasons: list
    already_in: bool
    alternative: object = None

    @property
    def role(self):
        """The member's role in the lead's words, for GroupMeetingMember.role."""
        return "; ".join(self.roles)[:200]


@dataclass
class TeamView:
    number: int
    members: list
    uncovered: list  # role titles
    problems: list  # sentences
    countries: list = field(default_factory=list)  # names


@dataclass
class DraftView:
    idea: IdeaInput
    lead: object
    teams: list
    problems: list  # about the idea as a whole, sentences
    token: str = ""


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def type_label(kind):
    return _(ORGANISATION_TYPES.get(kind, kind))


def problem_words(problem, names=None):
    """A Problem of the core (matching/consortium.py) in the reader's language, with country
    and type names instead of codes; `names` maps participant ids to organisation names."""
    v, names = getattr(problem, "values", {}), names or {}
    code = getattr(problem, "code", "")
    if code == "too_few_organisations":
        return _(
            "The team needs %(partners)d partners, but only %(available)d organisations can "
            "be chosen at this event.",
            **v,
        )
    if code == "too_few_countries":
        countries = ", ".join(country_name(c) for c in v["countries"]) or _("none")
        return _(
            "At least %(wanted)d countries were asked for, but the participants come from only "
            "%(count)d (%(countries)s).",
            wanted=v["wanted"],
            count=len(v["countries"]),
            countries=countries,
        )
    if code == "countries_exceed_partners":
        return _("%(partners)d partners cannot come from %(wanted)d countries.", **v)
    if code == "types_exceed_partners":
        return _("%(types)d required organisation types do not fit in a team of %(partners)d.", **v)
    if code == "type_missing":
        return _(
            "%(type)s was required (%(wanted)d), but only %(present)d participants of the event "
            "are of that type.",
            type=type_label(v["type"]),
            wanted=v["wanted"],
            present=v["present"],
        )
    if code == "too_many_members":
        return _(
            "%(members)d partners are already in, more than the team size of %(partners)d.",
            **v,
        )
    if code == "few_teams":
        return ngettext(
            "Only %(num)d different team could be formed from the event's participants.",
            "Only %(num)d different teams could be formed from the event's participants.",
            v["teams"],
        )
    if code in ("fixed_team", "no_alternative"):
        return _("No alternative team can be proposed within these constraints.")
    if code == "team_size":
        return _(
            "The team has %(size)d partners, %(partners)d were asked for.",
            size=v["size"],
            partners=v["partners"],
        )
    if code == "team_countries":
        return _(
            "The team's partners come from %(countries)d countries, at least %(wanted)d were "
            "asked for.",
            **v,
        )
    if code == "team_type":
        return _(
            "The team has %(present)d partners of type %(type)s, %(wanted)d required.",
            present=v["present"],
            type=type_label(v["type"]),
            wanted=v["wanted"],
        )
    if code == "team_same_organisation":
        return _("Two partners of the team belong to the same organisation.")
    if code in ("unknown_member", "team_member_missing"):
        return _("A partner named as already in is not an approved participant of the event.")
    return str(problem)


class _Scored:
    """The event's approved participants with the idea's scores, fitted once per request."""

    def __init__(self, event, idea_input, lead):
        self.participants = {p.id: p for p in _approved(event)}
        if lead.id not in self.participants:
            raise DomainError(_("The lead must be an approved participant of the event."))
        missing = [i for i in idea_input.already_in if i not in self.participants]
        if missing:
            raise DomainError(
                _("A partner named as already in is not an approved participant of the event.")
            )
        self.idea = idea_input.idea(lead.id)
        self.plain = [_plain(p) for p in self.participants.values()]
        self.scores = IdeaScores(self.idea, self.plain, MatchWeights())


def _view(scored, number, team, passed=()):
    ids = [m.participant_id for m in team.members]
    constraints = scored.idea.constraints
    members = []
    for member in team.members:
        reasons = [
            {"role": r.role, "offer": r.opportunity, "terms": list(r.terms)} for r in member.reasons
        ]
        alternative = None
        if not member.already_in:
            found = next_best(scored.scores, constraints, ids, member.participant_id, passed)
            alternative = scored.participants.get(found)
        members.append(
            MemberView(
                participant=scored.participants[member.participant_id],
                roles=[r.role for r in member.reasons if r.role],
                reasons=reasons,
                already_in=member.already_in,
                alternative=alternative,
            )
        )
    countries = sorted({country_name(m.participant.organisation.country) for m in members})
    return TeamView(
        number=number,
        members=members,
        uncovered=[role.title for role in team.uncovered],
        problems=[problem_words(p) for p in team.problems],
        countries=countries,
    )


def _sign(idea_input, lead, teams, passed):
    return _serializer().dumps(
        {"idea": idea_input.as_dict(), "lead": lead.id, "teams": teams, "passed": passed}
    )


def propose(event, idea_input, lead):
    """Three alternative teams for the idea with `lead` (an approved Participant) in, from the
    event's approved participants, as a DraftView (names, roles, reasons, the swap each member
    offers, what stays uncovered, unmet constraints in sentences, and the draft's token).
    Raises DomainError when the lead or a partner already in is not an approved participant.
    Cost: one vector fit of the event's participants (seconds for thousands)."""
    scored = _Scored(event, idea_input, lead)
    proposal = build_consortia(scored.idea, scored.plain, scores=scored.scores)
    teams = [[m.participant_id for m in team.members] for team in proposal.teams]
    passed = [[] for _team in teams]
    return DraftView(
        idea=idea_input,
        lead=lead,
        teams=[_view(scored, n, team) for n, team in enumerate(proposal.teams, 1)],
        problems=[problem_words(p) for p in proposal.problems],
        token=_sign(idea_input, lead, teams, passed),
    )


def read_draft(event, token):
    """(IdeaInput, lead Participant, teams as lists of ids, passed ids per team) of a draft
    token; raises DraftError for a token not signed here or naming another event's lead."""
    try:
        data = _serializer().loads(token or "")
        idea_input = IdeaInput.of(data["idea"])
        teams = [[int(i) for i in team] for team in data["teams"]]
        passed = [[int(i) for i in ids] for ids in data["passed"]]
        lead_id = int(data["lead"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise DraftError(_("This proposal has expired: please build the team again.")) from None
    lead = {p.id: p for p in _approved(event)}.get(lead_id)
    if lead is None:
        raise DraftError(_("This proposal has expired: please build the team again."))
    return idea_input, lead, teams, passed


def draft_view(event, token, swap=None):
    """The DraftView of a draft token, after swapping (team number, participant id) for the
    next best for its role, when `swap` is given. Raises DraftError for a bad token, a team
    or member that is not in the draft, or a team member who left the event meanwhile."""
    idea_input, lead, teams, passed = read_draft(event, token)
    scored = _Scored(event, idea_input, lead)
    for team in teams:
        if any(i not in scored.participants for i in team):
            raise DraftError(
                _("A partner of this proposal has left the event: please build again.")
            )
    if swap is not None:
        number, leaving = swap
        if not 1 <= number <= len(teams) or leaving not in teams[number - 1]:
            raise DraftError(_("This partner is not in that team."))
        team = teams[number - 1]
        found = next_best(scored.scores, scored.idea.constraints, team, leaving, passed[number - 1])
        if found is None or leaving in scored.idea.constraints.members:
            raise DraftError(_("Nobody else can take this place."))
        team[team.index(leaving)] = found
        passed[number - 1].append(leaving)
    described = [describe_team(scored.scores, scored.idea.constraints, t) for t in teams]
    return DraftView(
        idea=idea_input,
        lead=lead,
        teams=[_view(scored, n, team, passed[n - 1]) for n, team in enumerate(described, 1)],
        problems=[],
        token=_sign(idea_input, lead, teams, passed),
    )


def replacement(event, group_meeting, leaving):
    """The approved participant to invite in place of `leaving` (a member of `group_meeting`,
    a consortium, who declined), the next best for its role, never a member nor anyone who
    declined before; None when nobody fits."""
    data = group_meeting.consortium or {}
    idea_input = IdeaInput.of(data["idea"])
    scored = _Scored(event, idea_input, group_meeting.lead)
    team = [m.participant_id for m in group_meeting.members]
    team = [i for i in team if i in scored.participants or i == leaving.id]
    if leaving.id not in scored.participants:
        return None
    passed = [int(i) for i in data.get("passed", [])]
    found = next_best(scored.scores, scored.idea.constraints, team, leaving.id, passed)
    return scored.participants.get(found)
