"""The SVG charts: pure functions, no app."""

import re
import xml.etree.ElementTree as ET

import pytest

from matchmaker import charts

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup):
    return ET.fromstring(str(markup))  # noqa: S314 - our own output, not untrusted input


ALL = [
    lambda: charts.bar_chart("c", "Bars <b>", [("<script>", 3), ("B", 5)]),
    lambda: charts.hbar_chart("c", "Bars <b>", [("<script>", 3), ("B", 5)]),
    lambda: charts.line_chart("c", "Line <b>", [("<script>", 1), ("B", 4), ("C", 9)]),
    lambda: charts.funnel_chart("c", "Funnel <b>", [("<script>", 10), ("Accepted", 6)]),
    lambda: charts.stacked_bar("c", "Share <b>", [("<script>", 1), ("B", 3)]),
    lambda: charts.heatmap("c", "Heat <b>", ["<script>"], ["09:00", "09:30"], [[2, 0]]),
]


@pytest.mark.parametrize("draw", ALL)
def test_every_chart_is_accessible_escaped_and_csp_clean(draw):
    markup = str(draw())
    svg = _parse(markup)  # well-formed XML: every label escaped
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c-title c-desc"
    assert svg.find(f"{SVG}title").text.endswith("<b>")
    assert svg.find(f"{SVG}desc").text
    assert "<script" not in markup and "style=" not in markup
    assert "&lt;script&gt;" in markup


def test_bar_heights_follow_the_values():
    svg = _parse(charts.bar_chart("c", "t", [("a", 2), ("b", 4), ("c", 0)]))
    heights = [float(rect.get("height")) for rect in svg.iter(f"{SVG}rect")]
    assert heights[1] == pytest.approx(2 * heights[0]) and heights[2] == 0


def test_funnel_shows_shares_of_the_first_stage():
    markup = str(charts.funnel_chart("c", "t", [("Sent", 40), ("Accepted", 10)]))
    assert "10 (25 %)" in markup


def test_heatmap_darkens_with_the_count_and_prints_it():
    svg = _parse(charts.heatmap("c", "t", ["Mon"], ["09:00", "09:30"], [[4, 1]]))
    cells = [r for r in svg.iter(f"{SVG}rect")]
    opacities = [float(r.get("fill-opacity")) for r in cells]
    assert opacities[0] > opacities[1]
    assert [t.text for t in svg.iter(f"{SVG}text")][-2:] == ["4", "1"]


def test_stacked_bar_legend_names_every_part():
    markup = str(charts.stacked_bar("c", "t", [("Held", 3), ("No-show", 1)]))
    assert "Held: 3" in markup and "No-show: 1" in markup and "75 %" in markup


@pytest.mark.parametrize(
    "draw",
    [
        lambda: charts.bar_chart("c", "t", []),
        lambda: charts.line_chart("c", "t", []),
        lambda: charts.funnel_chart("c", "t", [("Sent", 0)]),
        lambda: charts.stacked_bar("c", "t", [("a", 0)]),
        lambda: charts.heatmap("c", "t", [], [], []),
    ],
)
def test_empty_data_says_so(draw):
    assert "No data yet." in str(draw())


def test_charts_module_needs_no_flask_nor_database():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(charts.__file__).read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {"markupsafe"}


def test_meeting_status_chart_draws_held_green_and_no_show_red():
    from matchmaker.reports.figures import charts_for
    from matchmaker.services.statistics import EventStatistics

    stats = EventStatistics(meeting_status=[("Held", 8), ("No-show", 2), ("Cancelled", 1),
                                            ("Not yet marked", 0)])  # fmt: skip
    chart = next(c for c in charts_for(stats) if c.id == "meeting-status")
    fills = re.findall(r'<rect x="[\d.]+" y="8" width="[\d.]+" height="36" fill="(#\w+)"',
                       str(chart.svg))  # fmt: skip
    assert fills[:2] == ["#146c43", "#b02a37"]  # green held, red no-show
