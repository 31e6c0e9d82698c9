"""Figures across the editions of a network (issue 23): meetings between countries, meetings
and outcomes per edition, per partner cluster and per country, and how the outcomes moved
from one feedback round to the next.

The per-edition figures are services/statistics.py's own (`gather`, `country_pairs`), so an
edition's numbers here are the numbers its organizers see. The grouping is done by plain
functions (`count_groups`, `outcome_moves`) over plain rows, testable without a database.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from matchmaker.countries import country_name
from matchmaker.extensions import db
from matchmaker.models import (
    FEEDBACK_ROUND_KINDS,
    OUTCOMES,
    EventPartner,
    Feedback,
    FeedbackRound,
    Meeting,
    NetworkMember,
    Organisation,
    Participant,
    Schedule,
)
from matchmaker.services import statistics

NO_PARTNER = "Registered directly (no partner)"
OUTCOME_ORDER = list(OUTCOMES)  # from no further contact up to an agreement signed


@dataclass(frozen=True)
class MeetingRow:
    """One meeting of a published agenda, its two sides' countries and partner clusters
    (None: registered directly)."""

    status: str
    country_a: str
    country_b: str
    cluster_a: str | None = None
    cluster_b: str | None = None


@dataclass(frozen=True)
class AnswerRow:
    """One feedback answer: the side (meeting, participant), its round and outcome, and the
    answering side's country and partner cluster."""

    meeting_id: int
    participant_id: int
    round: int
    outcome: str | None
    country: str = ""
    cluster: str | None = None


@dataclass
class GroupFigures:
    """Meetings and outcomes of one group (a partner cluster or a country)."""

    label: str
    meetings: int = 0
    held: int = 0
    cross_border: int = 0
    outcomes: Counter = field(default_factory=Counter)  # outcome key -> sides, latest answer

    def outcome_row(self):
        return [self.outcomes.get(key, 0) for key in OUTCOMES]


def count_groups(meetings, answers, group_of):
    """Meetings, held meetings, cross-border meetings and outcomes per group. `group_of` is
    "country" or "cluster". A meeting counts once for each group among its two sides (a
    meeting inside one group counts once); cancelled meetings are left out. Outcomes count
    the latest answer of each side (statistics.latest_answers), under the answering side's
    group. Returns GroupFigures sorted by meetings, most first, then label."""
    groups = {}

    def group(key):
        label = _label(key, group_of)
        return groups.setdefault(label, GroupFigures(label))

    for row in meetings:
        if row.status == "cancelled":
            continue
        a, b = getattr(row, f"{group_of}_a"), getattr(row, f"{group_of}_b")
        for key in {a, b}:
            figures = group(key)
            figures.meetings += 1
            figures.held += row.status == "held"
            figures.cross_border += row.country_a != row.country_b
    ordered = sorted(answers, key=lambda answer: answer.round)
    for answer in statistics.latest_answers(ordered).values():
        if answer.outcome:
            group(getattr(answer, group_of)).outcomes[answer.outcome] += 1
    return sorted(groups.values(), key=lambda g: (-g.meetings, g.label))


def _label(key, group_of):
    if group_of == "country":
        return country_name(key)
    return key or NO_PARTNER


def outcome_moves(answers):
    """How each side's outcome moved from its first answer with an outcome to its last, over
    the sides that gave one in two rounds or more: {"up": n, "same": n, "down": n}, up being
    towards an agreement signed (the order of OUTCOMES)."""
    by_side = defaultdict(list)
    for answer in sorted(answers, key=lambda answer: answer.round):
        if answer.outcome:
            by_side[(answer.meeting_id, answer.participant_id)].append(answer.outcome)
    moves = {"up": 0, "same": 0, "down": 0}
    for outcomes in by_side.values():
        if len(outcomes) < 2:
            continue
        first, last = OUTCOME_ORDER.index(outcomes[0]), OUTCOME_ORDER.index(outcomes[-1])
        moves["up" if last > first else "down" if last < first else "same"] += 1
    return moves


def round_outcomes(answers):
    """{round number: [answers per outcome, in OUTCOMES order]} of the answers of each round
    that name an outcome."""
    per_round = defaultdict(Counter)
    for answer in answers:
        if answer.outcome:
            per_round[answer.round][answer.outcome] += 1
    return {number: [counts[key] for key in OUTCOMES] for number, counts in per_round.items()}


def country_matrix(pairs):
    """(countries, values) for a matrix chart from [(country, country, meetings)]: the
    countries in name order, values[i][j] the meetings between countries i and j (the same
    both ways; the diagonal: meetings inside one country)."""
    countries = sorted({name for first, second, _ in pairs for name in (first, second)})
    index = {name: i for i, name in enumerate(countries)}
    values = [[0] * len(countries) for _ in countries]
    for first, second, meetings in pairs:
        i, j = index[first], index[second]
        values[i][j] += meetings
        if i != j:
            values[j][i] += meetings
    return countries, values


# --- reading a network's events --------------------------------------------------------------


@dataclass
class Edition:
    """One event of the network with its own statistics (statistics.EventStatistics)."""

    event: object
    stats: object
    rounds: list = field(default_factory=list)  # (round label, [answers per outcome])
    moves: dict = field(default_factory=dict)  # outcome_moves of its answers


@dataclass
class NetworkStatistics:
    editions: list = field(default_factory=list)
    pairs: list = field(default_factory=list)  # (country, country, meetings) summed
    countries: list = field(default_factory=list)  # matrix axes
    matrix: list = field(default_factory=list)
    by_cluster: list = field(default_factory=list)  # GroupFigures
    by_country: list = field(default_factory=list)

    @property
    def meetings(self):
        return sum(edition.stats.meetings for edition in self.editions)

    @property
    def cross_border(self):
        return sum(edition.stats.cross_border for edition in self.editions)


def gather(network):
    """The network's statistics over its events that are not drafts, earliest first.
    Costs statistics.gather's six queries per event plus three."""
    from matchmaker.services.networks import network_events

    events = network_events(network)
    result = NetworkStatistics()
    pairs = Counter()
    meetings, answers, rounds = _rows([event.id for event in events])
    for event in events:
        edition = Edition(event, statistics.gather(event))
        for first, second, n in statistics.country_pairs(event):
            pairs[(first, second)] += n
        mine = answers.get(event.id, [])
        per_round = round_outcomes(mine)
        edition.rounds = [
            (f"Round {number}: {FEEDBACK_ROUND_KINDS[kind]}", per_round.get(number, [0] * 5))
            for number, kind in rounds.get(event.id, [])
        ]
        edition.moves = outcome_moves(mine)
        result.editions.append(edition)
    result.pairs = sorted(
        ((a, b, n) for (a, b), n in pairs.items()), key=lambda row: (-row[2], row[0], row[1])
    )
    result.countries, result.matrix = country_matrix(result.pairs)
    every_meeting = [row for rows in meetings.values() for row in rows]
    every_answer = [row for rows in answers.values() for row in rows]
    result.by_cluster = count_groups(every_meeting, every_answer, "cluster")
    result.by_country = count_groups(every_meeting, every_answer, "country")
    return result


def headline(network):
    """The public page's figures across editions: [(label, number)] for the events (not
    drafts), approved participants, meetings held and countries of the participants."""
    from matchmaker.services.networks import network_events

    events = network_events(network)
    figures = [statistics.gather(event) for event in events]
    countries = {code for stats in figures for code, _ in stats.by_country}
    return [
        (_("Events"), len(events)),
        (_("Participants"), sum(stats.approved for stats in figures)),
        (_("Meetings held"), sum(stats.held for stats in figures)),
        (_("Countries"), len(countries)),
    ]


def _rows(event_ids):
    """Plain MeetingRows and AnswerRows of the published agendas of `event_ids`, each keyed by
    event id, and the feedback rounds [(number, kind)] per event. Three queries."""
    if not event_ids:
        return {}, {}, {}
    a, b = aliased(Participant), aliased(Participant)
    org_a, org_b = aliased(Organisation), aliased(Organisation)
    cluster_a, cluster_b = _cluster_name(a), _cluster_name(b)
    published = sa.and_(Schedule.id == Meeting.schedule_id, Schedule.status == "published")
    found = db.session.execute(
        sa.select(Meeting.event_id, Meeting.status, org_a.country, org_b.country,
                  cluster_a, cluster_b)
        .join(Schedule, published)
        .join(a, a.id == Meeting.participant_a_id)
        .join(org_a, org_a.id == a.organisation_id)
        .join(b, b.id == Meeting.participant_b_id)
        .join(org_b, org_b.id == b.organisation_id)
        .where(Meeting.event_id.in_(event_ids))
    ).all()  # fmt: skip
    meetings = defaultdict(list)
    for event_id, status, *rest in found:
        status = "no_show" if status.startswith("no_show") else status
        meetings[event_id].append(MeetingRow(status, *rest))
    side = aliased(Participant)
    side_org = aliased(Organisation)
    found = db.session.execute(
        sa.select(Meeting.event_id, Feedback.meeting_id, Feedback.participant_id,
                  Feedback.round, Feedback.outcome, side_org.country, _cluster_name(side))
        .join(Meeting, Meeting.id == Feedback.meeting_id)
        .join(Schedule, published)
        .join(side, side.id == Feedback.participant_id)
        .join(side_org, side_org.id == side.organisation_id)
        .where(Meeting.event_id.in_(event_ids))
    ).all()  # fmt: skip
    answers = defaultdict(list)
    for event_id, *rest in found:
        answers[event_id].append(AnswerRow(*rest))
    rounds = defaultdict(list)
    for event_id, number, kind in db.session.execute(
        sa.select(FeedbackRound.event_id, FeedbackRound.number, FeedbackRound.kind)
        .where(FeedbackRound.event_id.in_(event_ids))
        .order_by(FeedbackRound.number)
    ):
        rounds[event_id].append((number, kind))
    return meetings, answers, rounds


def _cluster_name(participant):
    """A scalar subquery: the name of the member organisation `participant` came through."""
    member_org = aliased(Organisation)
    return (
        sa.select(member_org.name)
        .join(NetworkMember, NetworkMember.organisation_id == member_org.id)
        .join(EventPartner, EventPartner.member_id == NetworkMember.id)
        .where(EventPartner.id == participant.partner_id)
        .scalar_subquery()
    )


EXPORT_HEADER = ("Figure", "Edition, cluster or country", "Item", "Value")


def export_rows(result):
    """Every figure of the statistics page as (figure, edition or group, item, number)."""
    rows = []
    for edition in result.editions:
        title = edition.event.title
        for figure in edition.stats.key_figures():
            rows.append(("Per edition", title, figure.label, figure.value))
        rows += [("Outcomes per edition", title, label, n) for label, n in edition.stats.outcomes]
        for round_label, counts in edition.rounds:
            rows += [
                ("Outcomes per feedback round", f"{title}: {round_label}", label, n)
                for label, n in zip(OUTCOMES.values(), counts, strict=True)
            ]
        rows += [
            ("Outcome moves between rounds", title, f"Moved {way}", n)
            for way, n in edition.moves.items()
        ]
    rows += [
        ("Meetings between countries", f"{a} – {b}", "Meetings", n) for a, b, n in result.pairs
    ]
    for name, groups in (("Per partner cluster", result.by_cluster),
                         ("Per country", result.by_country)):  # fmt: skip
        for group in groups:
            rows += [
                (name, group.label, "Meetings", group.meetings),
                (name, group.label, "Held", group.held),
                (name, group.label, "Cross-border", group.cross_border),
            ]
            rows += [
                (name, group.label, label, n)
                for label, n in zip(OUTCOMES.values(), group.outcome_row(), strict=True)
            ]
    return rows
