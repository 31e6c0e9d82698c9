"""The charts of an event's statistics, each with the numbers it draws as a table: shared by
the statistics page and the funder's report."""

from dataclasses import dataclass

from flask_babel import gettext as _

from matchmaker import charts
from matchmaker.countries import country_name

# Held reads as good (green), a no-show as bad (red), never the other way round; white
# percentages stay readable (contrast above 4.5:1) on each.
STATUS_COLOURS = {
    "Held": "#146c43",
    "No-show": "#b02a37",
    "Cancelled": "#6c757d",
    "Not yet marked": "#0a58ca",
}


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    svg: str
    header: tuple
    rows: list
    note: str = ""


def _words():
    """The statistics' fixed labels (kept in English in the figures, see
    services/statistics.py) in the reader's language."""
    return {
        "Sent": _("Sent"),
        "Accepted": _("Accepted"),
        "Declined": _("Declined"),
        "Expired": _("Expired"),
        "Cancelled": _("Cancelled"),
        "Held": _("Held"),
        "No-show": _("No-show"),
        "Not yet marked": _("Not yet marked"),
    }


def charts_for(stats):
    """The statistics' charts in reading order (an EventStatistics in, Charts out)."""
    words = _words()
    countries = [(country_name(code), count) for code, count in stats.by_country]
    heat_rows = [
        (day, *values) for day, values in zip(stats.heatmap_days, stats.heatmap, strict=True)
    ]
    registrations = stats.registrations_by_day
    per_participant = [(str(n), count) for n, count in stats.per_participant]
    share = stats.cross_border_share
    status_colours = [STATUS_COLOURS[label] for label, _n in stats.meeting_status]
    funnel = [(words.get(label, label), n) for label, n in stats.funnel]
    meeting_status = [(words.get(label, label), n) for label, n in stats.meeting_status]
    cross = [
        (_("Cross-border"), stats.cross_border),
        (_("Same country"), stats.meetings - stats.cross_border),
    ]
    title = {
        "registrations": _("Registrations over time"),
        "countries": _("Participants by country"),
        "types": _("Participants by type of organisation"),
        "funnel": _("Meeting requests"),
        "heatmap": _("Meetings per slot"),
        "per-participant": _("Meetings per participant"),
        "cross-border": _("Cross-border meetings"),
        "meeting-status": _("Held and no-show"),
        "outcomes": _("Expected outcomes"),
        "usefulness": _("Usefulness of the meetings"),
    }
    return [
        Chart(
            "registrations", title["registrations"],
            charts.line_chart("registrations", title["registrations"], registrations,
                              y_label=_("registrations")),
            (_("Day"), _("Registrations so far")), registrations[-60:],
            _("The table lists the last 60 days.") if len(registrations) > 60 else "",
        ),
        Chart(
            "countries", title["countries"],
            charts.hbar_chart("countries", title["countries"], countries),
            (_("Country"), _("Participants")), countries,
        ),
        Chart(
            "types", title["types"],
            charts.hbar_chart("types", title["types"], stats.by_type,
                              colour=charts.PALETTE[1]),
            (_("Type"), _("Participants")), stats.by_type,
        ),
        Chart(
            "funnel", title["funnel"],
            charts.funnel_chart("funnel", title["funnel"], funnel),
            (_("Requests"), _("Number")), funnel,
            _("%(num)s still pending.", num=stats.requests_pending)
            if stats.requests_pending else "",
        ),
        Chart(
            "heatmap", title["heatmap"],
            charts.heatmap("heatmap", title["heatmap"], stats.heatmap_days,
                           stats.heatmap_times, stats.heatmap),
            (_("Day"), *stats.heatmap_times), heat_rows,
        ),
        Chart(
            "per-participant", title["per-participant"],
            charts.bar_chart("per-participant", title["per-participant"], per_participant,
                             colour=charts.PALETTE[3], x_label=_("meetings"),
                             y_label=_("participants")),
            (_("Meetings"), _("Participants")), per_participant,
        ),
        Chart(
            "cross-border", title["cross-border"],
            charts.stacked_bar("cross-border", title["cross-border"], cross),
            (_("Meetings"), _("Number")), cross,
            _("%(percent)s %% of the meetings bring together organisations of two countries.",
              percent=f"{100 * share:.0f}"),
        ),
        Chart(
            "meeting-status", title["meeting-status"],
            charts.stacked_bar("meeting-status", title["meeting-status"], meeting_status,
                               colours=status_colours),
            (_("Meetings"), _("Number")), meeting_status,
        ),
        Chart(
            "outcomes", title["outcomes"],
            charts.hbar_chart("outcomes", title["outcomes"], stats.outcomes,
                              colour=charts.PALETTE[2]),
            (_("Outcome"), _("Answers")), stats.outcomes,
            _("The latest answer of each side of each meeting."),
        ),
        Chart(
            "usefulness", title["usefulness"],
            charts.bar_chart("usefulness", title["usefulness"],
                             [(str(score), n) for score, n in stats.usefulness],
                             colour=charts.PALETTE[5],
                             x_label=_("score (1 = not at all, 5 = very)"),
                             y_label=_("answers")),
            (_("Score"), _("Answers")), stats.usefulness,
            _("Average %(average)s of 5.", average=f"{stats.average_usefulness:.1f}")
            if stats.average_usefulness else "",
        ),
    ]  # fmt: skip
