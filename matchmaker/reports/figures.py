"""The charts of an event's statistics, each with the numbers it draws as a table: shared by
the statistics page and the funder's report."""

from dataclasses import dataclass

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


def charts_for(stats):
    """The statistics' charts in reading order (an EventStatistics in, Charts out)."""
    countries = [(country_name(code), count) for code, count in stats.by_country]
    heat_rows = [
        (day, *values) for day, values in zip(stats.heatmap_days, stats.heatmap, strict=True)
    ]
    registrations = stats.registrations_by_day
    per_participant = [(str(n), count) for n, count in stats.per_participant]
    share = stats.cross_border_share
    status_colours = [STATUS_COLOURS[label] for label, _ in stats.meeting_status]
    return [
        Chart(
            "registrations", "Registrations over time",
            charts.line_chart("registrations", "Registrations over time", registrations,
                              y_label="registrations"),
            ("Day", "Registrations so far"), registrations[-60:],
            "The table lists the last 60 days." if len(registrations) > 60 else "",
        ),
        Chart(
            "countries", "Participants by country",
            charts.hbar_chart("countries", "Participants by country", countries),
            ("Country", "Participants"), countries,
        ),
        Chart(
            "types", "Participants by type of organisation",
            charts.hbar_chart("types", "Participants by type of organisation", stats.by_type,
                              colour=charts.PALETTE[1]),
            ("Type", "Participants"), stats.by_type,
        ),
        Chart(
            "funnel", "Meeting requests",
            charts.funnel_chart("funnel", "Meeting requests", stats.funnel),
            ("Requests", "Number"), stats.funnel,
            f"{stats.requests_pending} still pending." if stats.requests_pending else "",
        ),
        Chart(
            "heatmap", "Meetings per slot",
            charts.heatmap("heatmap", "Meetings per slot", stats.heatmap_days,
                           stats.heatmap_times, stats.heatmap),
            ("Day", *stats.heatmap_times), heat_rows,
        ),
        Chart(
            "per-participant", "Meetings per participant",
            charts.bar_chart("per-participant", "Meetings per participant", per_participant,
                             colour=charts.PALETTE[3], x_label="meetings",
                             y_label="participants"),
            ("Meetings", "Participants"), per_participant,
        ),
        Chart(
            "cross-border", "Cross-border meetings",
            charts.stacked_bar("cross-border", "Cross-border meetings", [
                ("Cross-border", stats.cross_border),
                ("Same country", stats.meetings - stats.cross_border),
            ]),
            ("Meetings", "Number"),
            [("Cross-border", stats.cross_border),
             ("Same country", stats.meetings - stats.cross_border)],
            f"{100 * share:.0f} % of the meetings bring together organisations of two countries.",
        ),
        Chart(
            "meeting-status", "Held and no-show",
            charts.stacked_bar("meeting-status", "Held and no-show", stats.meeting_status,
                               colours=status_colours),
            ("Meetings", "Number"), stats.meeting_status,
        ),
        Chart(
            "outcomes", "Expected outcomes",
            charts.hbar_chart("outcomes", "Expected outcomes", stats.outcomes,
                              colour=charts.PALETTE[2]),
            ("Outcome", "Answers"), stats.outcomes,
            "The latest answer of each side of each meeting.",
        ),
        Chart(
            "usefulness", "Usefulness of the meetings",
            charts.bar_chart("usefulness", "Usefulness of the meetings",
                             [(str(score), n) for score, n in stats.usefulness],
                             colour=charts.PALETTE[5], x_label="score (1 = not at all, 5 = very)",
                             y_label="answers"),
            ("Score", "Answers"), stats.usefulness,
            f"Average {stats.average_usefulness:.1f} of 5." if stats.average_usefulness else "",
        ),
    ]  # fmt: skip
