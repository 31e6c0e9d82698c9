"""The charts of a network's statistics page, each with the numbers it draws as a table
(reports.figures.Chart, so the page reuses the event statistics' chart cards)."""

from flask_babel import gettext as _

from matchmaker import charts
from matchmaker.models import OUTCOMES
from matchmaker.reports.figures import Chart

OUTCOME_LABELS = tuple(OUTCOMES.values())


def network_charts(result):
    """NetworkStatistics in, Charts out, in reading order."""
    editions = [(edition.event.title, edition.stats.meetings) for edition in result.editions]
    edition_rows = [
        (e.event.title, e.stats.approved, e.stats.meetings, e.stats.held, e.stats.cross_border,
         *_outcome_counts(e.stats))
        for e in result.editions
    ]  # fmt: skip
    matrix_rows = [(name, *row) for name, row in zip(result.countries, result.matrix, strict=True)]
    moves = {"up": 0, "same": 0, "down": 0}
    for edition in result.editions:
        for way, n in edition.moves.items():
            moves[way] += n
    move_parts = [(_("Moved up"), moves["up"]), (_("Stayed"), moves["same"]),
                  (_("Moved down"), moves["down"])]  # fmt: skip
    round_rows = [
        (f"{edition.event.title}: {label}", *counts)
        for edition in result.editions
        for label, counts in edition.rounds
    ]
    return [
        Chart(
            "country-pairs", _("Meetings between countries"),
            charts.heatmap("country-pairs", _("Meetings between countries"), result.countries,
                           [_abbreviate(name) for name in result.countries], result.matrix,
                           desc=_pairs_text(result.pairs)),
            (_("Country"), *result.countries), matrix_rows,
            _("%(cross)d of the %(meetings)d meetings of all editions were cross-border. A "
              "cell: meetings between the row's and the column's countries.",
              cross=result.cross_border, meetings=result.meetings),
        ),
        Chart(
            "editions", _("Meetings per edition"),
            charts.hbar_chart("editions", _("Meetings per edition"), editions),
            (_("Edition"), _("Participants"), _("Meetings"), _("Held"), _("Cross-border"),
             *OUTCOME_LABELS),
            edition_rows,
            _("Meetings of each published agenda, cancelled ones left out; outcomes as the "
              "latest answer of each side."),
        ),
        _group_chart("clusters", _("Meetings per partner cluster"), result.by_cluster, _("Cluster"),
                     charts.PALETTE[1]),
        _group_chart("countries", _("Meetings per country"), result.by_country, _("Country"),
                     charts.PALETTE[3]),
        Chart(
            "outcome-moves", _("How outcomes moved between feedback rounds"),
            charts.stacked_bar("outcome-moves", _("How outcomes moved between feedback rounds"),
                               move_parts, colours=("#146c43", "#0a58ca", "#b02a37")),
            (_("Feedback round"), *OUTCOME_LABELS), round_rows,
            _("Sides that named an outcome in two rounds or more: towards an agreement (up), "
              "the same, or back. The table: the answers of each round."),
        ),
    ]  # fmt: skip


def _group_chart(chart_id, title, groups, name, colour):
    return Chart(
        chart_id, title,
        charts.hbar_chart(chart_id, title, [(_fit(g.label), g.meetings) for g in groups],
                          colour=colour),
        (name, _("Meetings"), _("Held"), _("Cross-border"), *OUTCOME_LABELS),
        [(g.label, g.meetings, g.held, g.cross_border, *g.outcome_row()) for g in groups],
        _("A meeting counts for each side's group; outcomes under the answering side's group."),
    )  # fmt: skip


def _fit(label, limit=26):
    """A bar label that fits the chart's label column (the table keeps the full name)."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _abbreviate(name):
    """A column label that fits a matrix cell: the name's first letters."""
    return name if len(name) <= 6 else name[:5] + "."


def _pairs_text(pairs):
    text = "; ".join(f"{a} – {b}: {n}" for a, b, n in pairs[:12])
    return (text + ".") if text else _("No meetings yet.")


def _outcome_counts(stats):
    counts = dict(stats.outcomes)
    return [counts.get(label, 0) for label in OUTCOME_LABELS]
