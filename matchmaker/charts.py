"""Server-rendered SVG charts: plain numbers in, an accessible <svg> element out.

Pure: no Flask, no database. Every chart is an `<svg role="img">` with a <title> and a <desc>
named by `aria-labelledby`, colours and sizes as presentation attributes (fill=, stroke=),
never `style=` and never script, so the Content-Security-Policy stays strict. Every label is
escaped. The figures themselves belong in a table beside the chart (templates do that), for
screen readers and for copying.
"""

from markupsafe import Markup, escape

PALETTE = ("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#6c757d", "#ffc107")
TEXT = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"
FONT = 'font-family="system-ui, sans-serif"'


def _markup(parts):
    # Safe by construction: every label and number above went through escape() or _fmt().
    return Markup("".join(parts))  # noqa: S704


def _fmt(value):
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value):,}".replace(",", " ")


def _open(chart_id, width, height, title, desc):
    chart_id = escape(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="chart" id="{chart_id}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" {FONT} font-size="12">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def _empty(chart_id, title, message="No data yet."):
    return _markup(
        [
            _open(chart_id, 400, 60, title, message),
            f'<text x="200" y="35" text-anchor="middle" fill="{MUTED}">{escape(message)}</text>',
            "</svg>",
        ]
    )


def _nice_max(value):
    """A round axis maximum at or above `value` (1, 2, 5 times a power of ten)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _short(label, limit=18):
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(chart_id, title, items, desc="", colour=PALETTE[0], x_label="", y_label=""):
    """Vertical bars: `items` is a list of (label, value) with value >= 0, drawn in order."""
    if not items or not any(value for _, value in items):
        return _empty(chart_id, title)
    width, height, left, bottom, top = 640, 300, 48, 56, 16
    plot_w, plot_h = width - left - 16, height - bottom - top
    top_value = _nice_max(max(value for _, value in items))
    band = plot_w / len(items)
    parts = [_open(chart_id, width, height, title, desc or _describe(items))]
    parts += _y_grid(left, top, plot_w, plot_h, top_value)
    for index, (label, value) in enumerate(items):
        bar_h = plot_h * value / top_value
        x = left + index * band + band * 0.15
        y = top + plot_h - bar_h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{band * 0.7:.1f}" height="{bar_h:.1f}" '
            f'fill="{escape(colour)}"><title>{escape(label)}: {_fmt(value)}</title></rect>'
        )
        if len(items) <= 24 or index % max(1, len(items) // 12) == 0:
            parts.append(
                f'<text x="{x + band * 0.35:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'fill="{TEXT}">{escape(_short(label, 10))}</text>'
            )
    parts += _axis_labels(width, height, left, top, plot_h, x_label, y_label)
    parts.append("</svg>")
    return _markup(parts)


def hbar_chart(chart_id, title, items, desc="", colour=PALETTE[0]):
    """Horizontal bars, one row per (label, value), values written at the bars' ends."""
    if not items or not any(value for _, value in items):
        return _empty(chart_id, title)
    row, left, right = 26, 220, 60
    width = 640
    height = row * len(items) + 16
    top_value = max(value for _, value in items) or 1
    plot_w = width - left - right
    parts = [_open(chart_id, width, height, title, desc or _describe(items))]
    for index, (label, value) in enumerate(items):
        y = 8 + index * row
        bar_w = plot_w * value / top_value
        parts.append(
            f'<text x="{left - 8}" y="{y + row * 0.62:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{escape(_short(label, 32))}</text>"
            f'<rect x="{left}" y="{y + 3}" width="{bar_w:.1f}" height="{row - 8}" '
            f'fill="{escape(colour)}"><title>{escape(label)}: {_fmt(value)}</title></rect>'
            f'<text x="{left + bar_w + 6:.1f}" y="{y + row * 0.62:.1f}" fill="{TEXT}">'
            f"{_fmt(value)}</text>"
        )
    parts.append("</svg>")
    return _markup(parts)


def line_chart(chart_id, title, points, desc="", colour=PALETTE[0], y_label=""):
    """A line through (label, value) points in order, e.g. cumulative registrations by day,
    with the area under it lightly filled."""
    if not points:
        return _empty(chart_id, title)
    width, height, left, bottom, top = 640, 280, 48, 48, 16
    plot_w, plot_h = width - left - 24, height - bottom - top
    top_value = _nice_max(max(value for _, value in points))
    step = plot_w / max(1, len(points) - 1)
    coords = [
        (left + index * step, top + plot_h - plot_h * value / top_value)
        for index, (_, value) in enumerate(points)
    ]
    parts = [_open(chart_id, width, height, title, desc or _describe(points[-1:], "last: "))]
    parts += _y_grid(left, top, plot_w, plot_h, top_value)
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    base = top + plot_h
    parts.append(
        f'<polygon points="{left:.1f},{base} {line} {coords[-1][0]:.1f},{base}" '
        f'fill="{escape(colour)}" fill-opacity="0.15" stroke="none"/>'
        f'<polyline points="{line}" fill="none" stroke="{escape(colour)}" stroke-width="2"/>'
    )
    for index in sorted({0, len(points) // 2, len(points) - 1}):
        x = coords[index][0]
        anchor = "start" if index == 0 else "end" if index == len(points) - 1 else "middle"
        parts.append(
            f'<text x="{x:.1f}" y="{base + 16}" text-anchor="{anchor}" fill="{TEXT}">'
            f"{escape(points[index][0])}</text>"
        )
    parts += _axis_labels(width, height, left, top, plot_h, "", y_label)
    parts.append("</svg>")
    return _markup(parts)


def funnel_chart(chart_id, title, stages, desc=""):
    """Stages of a funnel as centred bars, widest first, each with its share of the first."""
    if not stages or not stages[0][1]:
        return _empty(chart_id, title)
    row, width = 34, 640
    height = row * len(stages) + 12
    first = stages[0][1]
    parts = [_open(chart_id, width, height, title, desc or _describe(stages))]
    for index, (label, value) in enumerate(stages):
        bar_w = 400 * value / first
        x = 180 + (400 - bar_w) / 2
        y = 6 + index * row
        share = f" ({100 * value / first:.0f} %)" if index else ""
        parts.append(
            f'<text x="172" y="{y + row * 0.6:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{escape(label)}</text>"
            f'<rect x="{x:.1f}" y="{y + 3}" width="{max(bar_w, 1):.1f}" height="{row - 8}" '
            f'fill="{PALETTE[index % len(PALETTE)]}"><title>{escape(label)}: {_fmt(value)}'
            f"</title></rect>"
            f'<text x="{x + bar_w + 6:.1f}" y="{y + row * 0.6:.1f}" fill="{TEXT}">'
            f"{_fmt(value)}{share}</text>"
        )
    parts.append("</svg>")
    return _markup(parts)


def stacked_bar(chart_id, title, parts_, desc="", colours=PALETTE):
    """One bar split into (label, value) parts, with a legend: shares of a whole. `colours`:
    one per part, in order (say, held green and no-show red); white text must read on them."""
    total = sum(value for _, value in parts_)
    if not total:
        return _empty(chart_id, title)
    width, bar_h = 640, 36
    legend_rows = (len(parts_) + 2) // 3
    height = bar_h + 24 + legend_rows * 22
    out = [_open(chart_id, width, height, title, desc or _describe(parts_))]
    x = 8.0
    for index, (label, value) in enumerate(parts_):
        part_w = (width - 16) * value / total
        colour = escape(colours[index % len(colours)])
        out.append(
            f'<rect x="{x:.1f}" y="8" width="{part_w:.1f}" height="{bar_h}" fill="{colour}">'
            f"<title>{escape(label)}: {_fmt(value)} ({100 * value / total:.0f} %)</title></rect>"
        )
        if part_w > 44:
            out.append(
                f'<text x="{x + part_w / 2:.1f}" y="{8 + bar_h * 0.65:.1f}" text-anchor="middle" '
                f'fill="#ffffff">{100 * value / total:.0f} %</text>'
            )
        x += part_w
    for index, (label, value) in enumerate(parts_):
        column, line = index % 3, index // 3
        lx, ly = 8 + column * 210, bar_h + 24 + line * 22
        out.append(
            f'<rect x="{lx}" y="{ly}" width="12" height="12" '
            f'fill="{escape(colours[index % len(colours)])}"/>'
            f'<text x="{lx + 18}" y="{ly + 11}" fill="{TEXT}">'
            f"{escape(_short(label, 22))}: {_fmt(value)}</text>"
        )
    out.append("</svg>")
    return _markup(out)


def heatmap(chart_id, title, rows, columns, values, desc=""):
    """A grid of `rows` (e.g. days) by `columns` (e.g. start times): values[r][c] >= 0, the
    darker the more, or None where there is no such cell (left blank). Cells carry their
    number."""
    if not rows or not columns:
        return _empty(chart_id, title)
    cell_w, cell_h, left, top = 44, 30, 110, 28
    width = left + cell_w * len(columns) + 8
    height = top + cell_h * len(rows) + 8
    peak = max((v for line in values for v in line if v is not None), default=0) or 1
    out = [_open(chart_id, width, height, title, desc or f"Highest cell: {peak}.")]
    for c, label in enumerate(columns):
        out.append(
            f'<text x="{left + c * cell_w + cell_w / 2:.1f}" y="{top - 10}" text-anchor="middle" '
            f'font-size="10" fill="{TEXT}">{escape(label)}</text>'
        )
    for r, label in enumerate(rows):
        y = top + r * cell_h
        out.append(
            f'<text x="{left - 8}" y="{y + cell_h * 0.62:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{escape(_short(label, 16))}</text>"
        )
        for c, value in enumerate(values[r]):
            if value is None:
                continue
            x = left + c * cell_w
            share = value / peak
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{PALETTE[0]}" fill-opacity="{0.06 + 0.94 * share:.2f}" stroke="{GRID}">'
                f"<title>{escape(label)} {escape(columns[c])}: {_fmt(value)}</title></rect>"
                f'<text x="{x + cell_w / 2 - 1:.1f}" y="{y + cell_h * 0.62:.1f}" '
                f'text-anchor="middle" font-size="11" '
                f'fill="{"#ffffff" if share > 0.55 else TEXT}">'
                f"{_fmt(value) if value else ''}</text>"
            )
    out.append("</svg>")
    return _markup(out)


def _y_grid(left, top, plot_w, plot_h, top_value, lines=4):
    parts = []
    for step in range(lines + 1):
        value = top_value * step / lines
        y = top + plot_h - plot_h * step / lines
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="10" '
            f'fill="{MUTED}">{_fmt(value)}</text>'
        )
    return parts


def _axis_labels(width, height, left, top, plot_h, x_label, y_label):
    parts = []
    if x_label:
        parts.append(
            f'<text x="{left + (width - left) / 2:.1f}" y="{height - 8}" text-anchor="middle" '
            f'fill="{MUTED}">{escape(x_label)}</text>'
        )
    if y_label:
        y = top + plot_h / 2
        parts.append(
            f'<text x="12" y="{y:.1f}" text-anchor="middle" fill="{MUTED}" '
            f'transform="rotate(-90 12 {y:.1f})">{escape(y_label)}</text>'
        )
    return parts


def _describe(items, prefix=""):
    """A one-line text version of the figures, for the chart's <desc>."""
    text = "; ".join(f"{label}: {_fmt(value)}" for label, value in items[:12])
    if len(items) > 12:
        text += f"; and {len(items) - 12} more"
    return prefix + text + "."
