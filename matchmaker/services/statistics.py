"""An event's figures for its organizers and its funder: registrations, participants by
country and type, the request funnel, meetings per slot and per participant, cross-border
share, held versus no-show, and the outcomes participants reported in their feedback.

`gather(event)` reads everything in six queries whatever the event's size and returns plain
data (numbers, labels, lists), ready for charts, tables and exports.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from matchmaker.countries import country_name
from matchmaker.extensions import db
from matchmaker.models import (
    ORGANISATION_TYPES,
    OUTCOMES,
    Feedback,
    FunderReport,
    Meeting,
    MeetingRequest,
    Organisation,
    Participant,
    Schedule,
    Slot,
)
from matchmaker.services import group_placement
from matchmaker.services.errors import NotAllowed

FUNNEL = (
    ("sent", "Sent"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("expired", "Expired"),
    ("cancelled", "Cancelled"),
)
MEETING_OUTCOMES = (
    ("held", "Held"),
    ("no_show", "No-show"),
    ("cancelled", "Cancelled"),
    ("scheduled", "Not yet marked"),
)


@dataclass
class EventStatistics:
    """Plain figures of one event. Lists of (label, value) keep their display order."""

    registrations: int = 0
    approved: int = 0
    organisations: int = 0
    countries: int = 0
    checked_in: int = 0
    published: bool = False
    meetings: int = 0  # in the published agenda, cancelled ones excluded
    meetings_with_cancelled: int = 0  # every meeting of the published agenda
    cross_border: int = 0  # of those, between organisations of different countries
    registrations_by_day: list = field(default_factory=list)  # (ISO day, cumulative count)
    by_country: list = field(default_factory=list)  # (country code, approved participants)
    by_type: list = field(default_factory=list)  # (type label, approved participants)
    funnel: list = field(default_factory=list)  # (label, requests)
    requests_pending: int = 0
    heatmap_days: list = field(default_factory=list)  # day labels
    heatmap_times: list = field(default_factory=list)  # "HH:MM"
    heatmap: list = field(default_factory=list)  # [day][time] -> meetings, None: no slot
    per_participant: list = field(default_factory=list)  # (meetings, participants having them)
    meeting_status: list = field(default_factory=list)  # (label, meetings)
    outcomes: list = field(default_factory=list)  # (label, answers), latest answer per side
    usefulness: list = field(default_factory=list)  # (score 1-5, answers)
    feedback_answers: int = 0

    @property
    def cross_border_share(self):
        """Share of the agenda's meetings that are cross-border, 0..1 (0 without meetings)."""
        return self.cross_border / self.meetings if self.meetings else 0.0

    @property
    def held(self):
        return dict(self.meeting_status).get("Held", 0)

    @property
    def no_shows(self):
        return dict(self.meeting_status).get("No-show", 0)

    @property
    def average_usefulness(self):
        """Mean usefulness (1-5) of the answers that gave one, or None."""
        answers = sum(count for _, count in self.usefulness)
        if not answers:
            return None
        return sum(score * count for score, count in self.usefulness) / answers

    @property
    def requests_sent(self):
        return self.funnel[0][1] if self.funnel else 0

    def key_figures(self):
        """The headline figures, each a KeyFigure (label, number, how it reads, what it
        counts): the report's and the statistics page's summary, and the export's first rows
        (the number itself, never its text)."""
        usefulness = self.average_usefulness
        share = round(100 * self.cross_border_share)
        return [
            KeyFigure(_("Registrations"), self.registrations, str(self.registrations),
                      _("Every registration, whatever became of it (approved, pending, "
                        "rejected or withdrawn).")),
            KeyFigure(_("Approved participants"), self.approved, str(self.approved),
                      _("Registrations the organizers approved: one person of one "
                        "organisation.")),
            KeyFigure(_("Organisations"), self.organisations, str(self.organisations),
                      _("Distinct organisations among the approved participants.")),
            KeyFigure(_("Countries"), self.countries, str(self.countries),
                      _("Countries of those organisations.")),
            KeyFigure(_("Checked in on the day"), self.checked_in, str(self.checked_in),
                      _("Participants who checked in at the desk.")),
            KeyFigure(_("Meeting requests sent"), self.requests_sent, str(self.requests_sent),
                      _("Requests participants sent each other before the event.")),
            KeyFigure(_("Meetings in the agenda"), self.meetings, str(self.meetings),
                      _("Meetings of the published agenda, walk-ins included, cancelled ones "
                        "left out (%(all)s with the %(cancelled)s cancelled).",
                        all=self.meetings_with_cancelled,
                        cancelled=self.meetings_with_cancelled - self.meetings)),
            KeyFigure(_("Meetings held"), self.held, str(self.held),
                      _("Meetings marked held on the day (at the tables or by a participant).")),
            KeyFigure(_("No-shows"), self.no_shows, str(self.no_shows),
                      _("Meetings one side did not come to.")),
            KeyFigure(_("Cross-border meetings (%)"), share, f"{share} %",
                      _("%(cross)s of the %(meetings)s meetings in the agenda bring together "
                        "organisations of two countries.", cross=self.cross_border,
                        meetings=self.meetings)),
            KeyFigure(_("Feedback answers"), self.feedback_answers, str(self.feedback_answers),
                      _("Answers in all feedback rounds together, one per meeting, side and "
                        "round; cancelled meetings' answers included.")),
            KeyFigure(_("Average usefulness (1-5)"),
                      round(usefulness, 1) if usefulness else None,
                      f"{usefulness:.1f}" if usefulness else "–",
                      _("Mean score of the latest answer of each side of each held meeting.")),
        ]  # fmt: skip


@dataclass(frozen=True)
class KeyFigure:
    """One headline figure: `value` a number (None: nothing to count yet), `text` how the
    page shows it, `definition` what exactly it counts (for the funder)."""

    label: str
    value: int | float | None
    text: str
    definition: str


def gather(event):
    """All the figures of `event` (see EventStatistics). Meetings come from the published
    agenda only; none published gives empty meeting figures. Six queries."""
    stats = EventStatistics()
    approved_ids = _participants(event, stats)
    _requests(event, stats)
    schedule_id = db.session.scalar(
        sa.select(Schedule.id).where(Schedule.event_id == event.id, Schedule.status == "published")
    )
    stats.published = schedule_id is not None
    _meetings(event, schedule_id, approved_ids, stats)
    _feedback(schedule_id, stats)
    return stats


def _participants(event, stats):
    rows = db.session.execute(
        sa.select(
            Participant.id,
            Participant.status,
            Participant.registered_at,
            Participant.checked_in_at,
            Participant.organisation_id,
            Organisation.country,
            Organisation.type,
        )
        .join(Organisation, Organisation.id == Participant.organisation_id)
        .where(Participant.event_id == event.id)
    ).all()
    stats.registrations = len(rows)
    approved = [row for row in rows if row.status == "approved"]
    stats.approved = len(approved)
    stats.organisations = len({row.organisation_id for row in approved})
    countries = Counter(row.country for row in approved)
    stats.countries = len(countries)
    stats.by_country = sorted(countries.items(), key=lambda item: (-item[1], item[0]))
    types = Counter(row.type for row in approved)
    stats.by_type = [
        (str(label), types[key]) for key, label in ORGANISATION_TYPES.items() if types[key]
    ]
    stats.checked_in = sum(1 for row in rows if row.checked_in_at is not None)
    stats.registrations_by_day = _cumulative(row.registered_at.date() for row in rows)
    return {row.id for row in approved}


def _cumulative(days):
    """(ISO day, running total) for every day from the first registration to the last."""
    per_day = Counter(days)
    if not per_day:
        return []
    day, last, total, points = min(per_day), max(per_day), 0, []
    while day <= last:
        total += per_day.get(day, 0)
        points.append((day.isoformat(), total))
        day += timedelta(days=1)
    return points


def _requests(event, stats):
    counts = dict(
        db.session.execute(
            sa.select(MeetingRequest.status, sa.func.count())
            .where(MeetingRequest.event_id == event.id)
            .group_by(MeetingRequest.status)
        ).all()
    )
    stats.requests_pending = counts.get("pending", 0)
    stats.funnel = [
        (label, sum(counts.values()) if key == "sent" else counts.get(key, 0))
        for key, label in FUNNEL
    ]


def _meetings(event, schedule_id, approved_ids, stats):
    slots = db.session.scalars(
        sa.select(Slot.starts_at).where(Slot.event_id == event.id).order_by(Slot.starts_at)
    ).all()
    days = sorted({start.date() for start in slots})
    times = sorted({start.strftime("%H:%M") for start in slots})
    stats.heatmap_days = [format_date(day, "EEE dd MMM") for day in days]  # in the reader's words
    stats.heatmap_times = times
    # A (day, time) without a slot stays None: the chart and the export leave it out
    # instead of showing a zero for a slot that never existed.
    grid = [[None] * len(times) for _ in days]
    for start in slots:
        grid[days.index(start.date())][times.index(start.strftime("%H:%M"))] = 0
    statuses = Counter()
    per_participant = Counter()
    if schedule_id is not None:
        a, b = aliased(Participant), aliased(Participant)
        org_a, org_b = aliased(Organisation), aliased(Organisation)
        rows = db.session.execute(
            sa.select(
                Meeting.status,
                Meeting.participant_a_id,
                Meeting.participant_b_id,
                Slot.starts_at,
                org_a.country,
                org_b.country,
                Meeting.group_meeting_id,
            )
            .join(Slot, Slot.id == Meeting.slot_id)
            .join(a, a.id == Meeting.participant_a_id)
            .join(org_a, org_a.id == a.organisation_id)
            .join(b, b.id == Meeting.participant_b_id)
            .join(org_b, org_b.id == b.organisation_id)
            .where(Meeting.schedule_id == schedule_id)
        ).all()
        day_index = {day: i for i, day in enumerate(days)}
        time_index = {time: i for i, time in enumerate(times)}
        for status, first, second, starts_at, country_a, country_b, group in rows:
            statuses["no_show" if status.startswith("no_show") else status] += 1
            stats.meetings_with_cancelled += 1
            if status == "cancelled":
                continue
            stats.meetings += 1
            stats.cross_border += country_a != country_b
            grid[day_index[starts_at.date()]][time_index[starts_at.strftime("%H:%M")]] += 1
            if not group:  # a group meeting counts for every member, below
                per_participant[first] += 1
                per_participant[second] += 1
        for _meeting, member in group_placement.member_rows(schedule_id, ("cancelled",)):
            per_participant[member] += 1
        stats.meeting_status = [(label, statuses[key]) for key, label in MEETING_OUTCOMES]
    stats.heatmap = grid
    histogram = Counter(per_participant.get(pid, 0) for pid in approved_ids)
    if stats.published and histogram:
        stats.per_participant = [(n, histogram.get(n, 0)) for n in range(max(histogram) + 1)]


def _feedback(schedule_id, stats):
    if schedule_id is None:
        return
    rows = db.session.execute(
        sa.select(
            Feedback.meeting_id, Feedback.participant_id, Feedback.held,
            Feedback.usefulness, Feedback.outcome,
        )
        .join(Meeting, Meeting.id == Feedback.meeting_id)
        .where(Meeting.schedule_id == schedule_id)
        .order_by(Feedback.round)
    ).all()  # fmt: skip
    latest = latest_answers(rows)
    stats.feedback_answers = len(rows)
    outcomes = Counter(row.outcome for row in latest.values() if row.outcome)
    stats.outcomes = [(label, outcomes[key]) for key, label in OUTCOMES.items()]
    scores = Counter(row.usefulness for row in latest.values() if row.held and row.usefulness)
    stats.usefulness = [(score, scores[score]) for score in range(1, 6)]


def latest_answers(rows):
    """{(meeting id, participant id): row} keeping each side's answer of the latest round:
    the rule every outcome figure follows. `rows` have meeting_id and participant_id and come
    ordered by round."""
    return {(row.meeting_id, row.participant_id): row for row in rows}


# --- the funder report ------------------------------------------------------------------------


REPORT_FIELDS = ("organizer_name", "funder", "programme", "project", "narrative")


def funder_details(event):
    """The FunderReport the organizers filled in for `event`, or an unsaved empty one."""
    return db.session.get(FunderReport, event.id) or FunderReport(
        event_id=event.id, **dict.fromkeys(REPORT_FIELDS, "")
    )


def save_funder_details(event, data, by):
    """Save what the organizers write for the funder report (`data`: REPORT_FIELDS, text) and
    commit. Raises NotAllowed for anyone but the event's organizers."""
    if not event.is_organized_by(by):
        raise NotAllowed("Only the event's organizers can write its funder report.")
    details = db.session.get(FunderReport, event.id) or FunderReport(event_id=event.id)
    for name in REPORT_FIELDS:
        setattr(details, name, (data.get(name) or "").strip())
    db.session.add(details)
    db.session.commit()
    return details


def organisations_by_country(event):
    """[(country name, [organisation names])] of the approved participants, the countries
    with most organisations first, names sorted. One query."""
    rows = db.session.execute(
        sa.select(Organisation.country, Organisation.name)
        .join(Participant, Participant.organisation_id == Organisation.id)
        .where(Participant.event_id == event.id, Participant.status == "approved")
        .distinct()
    ).all()
    grouped = {}
    for code, name in rows:
        grouped.setdefault(country_name(code), set()).add(name)
    return sorted(
        ((country, sorted(names, key=str.casefold)) for country, names in grouped.items()),
        key=lambda item: (-len(item[1]), item[0]),
    )


def country_pairs(event):
    """[(first country, second country, meetings)] of the published agenda's meetings that
    were not cancelled, the two countries in name order, most meetings first (the same
    country twice: meetings within one country). One query; empty without an agenda."""
    a, b = aliased(Participant), aliased(Participant)
    org_a, org_b = aliased(Organisation), aliased(Organisation)
    rows = db.session.execute(
        sa.select(org_a.country, org_b.country)
        .select_from(Meeting)
        .join(Schedule, Schedule.id == Meeting.schedule_id)
        .join(a, a.id == Meeting.participant_a_id)
        .join(org_a, org_a.id == a.organisation_id)
        .join(b, b.id == Meeting.participant_b_id)
        .join(org_b, org_b.id == b.organisation_id)
        .where(
            Schedule.event_id == event.id,
            Schedule.status == "published",
            Meeting.status != "cancelled",
        )
    ).all()
    pairs = Counter(tuple(sorted((country_name(x), country_name(y)))) for x, y in rows)
    return sorted(
        ((first, second, n) for (first, second), n in pairs.items()),
        key=lambda row: (-row[2], row[0], row[1]),
    )


def quotes(event, limit=8):
    """Up to `limit` comments participants allowed to be quoted (without names), on meetings
    of the published agenda: [(comment, outcome label or "", organisation type label)],
    the most useful meetings first, then the longer comments. One query."""
    a = aliased(Participant)
    rows = db.session.execute(
        sa.select(Feedback.comment, Feedback.outcome, Feedback.usefulness, Organisation.type)
        .join(Meeting, Meeting.id == Feedback.meeting_id)
        .join(Schedule, Schedule.id == Meeting.schedule_id)
        .join(a, a.id == Feedback.participant_id)
        .join(Organisation, Organisation.id == a.organisation_id)
        .where(
            Schedule.event_id == event.id,
            Schedule.status == "published",
            Feedback.may_quote.is_(True),
            Feedback.comment != "",
        )
    ).all()
    ranked = sorted(rows, key=lambda row: (-(row.usefulness or 0), -len(row.comment)))
    seen, result = set(), []
    for row in ranked:
        if row.comment in seen:
            continue
        seen.add(row.comment)
        result.append((row.comment, OUTCOMES.get(row.outcome, ""),
                       str(ORGANISATION_TYPES.get(row.type, ""))))  # fmt: skip
        if len(result) == limit:
            break
    return result
