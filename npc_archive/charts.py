"""Charts as inline SVG, written by hand: no script, no external file, so a report opens offline
and prints. Every mark (bar, point, line, cell) has the class ``mark`` and a ``<title>`` tooltip."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 56  # margins: room for the axis labels
COLOURS = ("#2f6fb0", "#e07b39", "#4a9d5b", "#c44e52", "#8172b2", "#937860", "#da8bc3", "#8c8c8c", "#ccb974", "#64b5cd")


@dataclass
class Series:
    name: str
    values: list[float | None]  # one per category; None: no value there


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``: steps of 1, 2 or 5 times a power of ten."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(power * factor for factor in (1, 2, 5, 10) if power * factor >= raw)
    return [step * i for i in range(math.ceil(top / step) + 1)]


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _svg(body: list[str], label: str, height: int = HEIGHT) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'role="img" aria-label="{escape(label)}">' + "".join(body) + "</svg>")


def _axes(categories: list[str], ticks: list[float], x_label: str, y_label: str) -> tuple[list[str], float, float]:
    """The y grid and labels, the x labels; returns them, the width of a category and the y scale."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_width / max(len(categories), 1)
    scale = plot_height / ticks[-1]
    body = []
    for tick in ticks:
        y = HEIGHT - BOTTOM - tick * scale
        body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                    f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(tick)}</text>')
    every = max(1, math.ceil(len(categories) / 16))  # at most 16 labels along the axis
    for index, category in enumerate(categories):
        if index % every == 0:
            x = LEFT + band * (index + 0.5)
            body.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{escape(category)}</text>')
    body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}" class="axis"/>'
                f'<text x="{LEFT + plot_width / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" class="label">{escape(x_label)}</text>'
                f'<text transform="translate(14 {TOP + plot_height / 2:.1f}) rotate(-90)" text-anchor="middle" class="label">'
                f'{escape(y_label)}</text>')
    return body, band, scale


def legend(series: list[Series]) -> str:
    """The series' names and colours, as HTML above the chart (it wraps, an SVG legend would not)."""
    if len(series) < 2:
        return ""
    keys = "".join(f'<span><i style="background:{COLOURS[index % len(COLOURS)]}"></i>{escape(one.name)}</span>'
                   for index, one in enumerate(series))
    return f'<p class="legend">{keys}</p>'


def bar_chart(categories: list[str], series: list[Series], x_label: str, y_label: str, stacked: bool = False) -> str:
    """Bars per category: one bar, or one bar per series side by side, or the series stacked."""
    tops = [sum(one.values[i] or 0 for one in series) if stacked else max((one.values[i] or 0) for one in series)
            for i in range(len(categories))]
    body, band, scale = _axes(categories, nice_ticks(max(tops, default=0)), x_label, y_label)
    slots = 1 if stacked else len(series)
    width = band * 0.8 / slots
    for index, category in enumerate(categories):
        base = HEIGHT - BOTTOM
        for number, one in enumerate(series):
            value = one.values[index]
            if not value:
                continue
            x = LEFT + band * (index + 0.1) + (0 if stacked else number * width)
            height = value * scale
            y = base - height
            name = f"{one.name} " if len(series) > 1 else ""
            body.append(f'<rect class="mark" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
                        f'fill="{COLOURS[number % len(COLOURS)]}"><title>{escape(category)} {escape(name)}{_number(value)}</title></rect>')
            if stacked:
                base = y
    return legend(series) + _svg(body, y_label)


def line_chart(categories: list[str], series: list[Series], x_label: str, y_label: str) -> str:
    """A line per series over the categories, a point at each value (a gap where there is none)."""
    values = [value for one in series for value in one.values if value is not None]
    body, band, scale = _axes(categories, nice_ticks(max(values, default=0)), x_label, y_label)
    for number, one in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        points = [(LEFT + band * (index + 0.5), HEIGHT - BOTTOM - value * scale, categories[index], value)
                  for index, value in enumerate(one.values) if value is not None]
        if len(points) > 1:
            path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y, _, _) in enumerate(points))
            body.append(f'<path class="mark line" d="{path}" stroke="{colour}"><title>{escape(one.name)}</title></path>')
        body.extend(f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                    f'<title>{escape(one.name)} {escape(category)}: {_number(value)}</title></circle>'
                    for x, y, category, value in points)
    return legend(series) + _svg(body, y_label)


def heatmap(rows: list[str], columns: list[str], counts: dict[tuple[str, str], int], x_label: str) -> str:
    """A cell per (row, column), darker the higher its count, the count written in it."""
    cell_height, label_width = 22, 110
    height = TOP + cell_height * len(rows) + BOTTOM
    cell_width = (WIDTH - label_width - RIGHT) / max(len(columns), 1)
    top = max(counts.values(), default=1)
    body = []
    for row_index, row in enumerate(rows):
        y = TOP + row_index * cell_height
        body.append(f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">{escape(row)}</text>')
        for column_index, column in enumerate(columns):
            count = counts.get((row, column), 0)
            if not count:
                continue
            x = label_width + column_index * cell_width
            shade = 0.15 + 0.85 * count / top
            ink = "#fff" if shade > 0.55 else "#222"
            body.append(f'<rect class="mark" x="{x:.1f}" y="{y}" width="{cell_width - 2:.1f}" height="{cell_height - 2}" '
                        f'fill="{COLOURS[0]}" fill-opacity="{shade:.2f}"><title>{escape(row)} {escape(column)}: {count}</title></rect>'
                        f'<text x="{x + cell_width / 2 - 1:.1f}" y="{y + 15}" text-anchor="middle" fill="{ink}">{count}</text>')
    every = max(1, math.ceil(len(columns) / 16))
    bottom = TOP + cell_height * len(rows)
    for column_index, column in enumerate(columns):
        if column_index % every == 0:
            x = label_width + (column_index + 0.5) * cell_width
            body.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">{escape(column)}</text>')
    body.append(f'<text x="{label_width + (WIDTH - label_width) / 2:.1f}" y="{height - 8}" text-anchor="middle" class="label">'
                f'{escape(x_label)}</text>')
    return _svg(body, x_label, height)


@dataclass
class Span:
    label: str
    start: date
    due: date
    end: date | None  # when it was done (a report), None: not yet
    status: str  # a key of SPAN_COLOURS


# What a span's end says: done in time, done late, not due yet, overdue and not done.
SPAN_COLOURS = {"met": COLOURS[2], "late": COLOURS[1], "pending": COLOURS[7], "missing": COLOURS[3]}


def timeline(spans: list[Span], names: dict[str, str], today: date) -> str:
    """A row per span on one time axis: a bar from its start to its due date, a point where it
    ended (coloured by its status, named in ``names``), an overdue span's bar continued to ``today``."""
    row_height, label_width = 14, 150
    height = TOP + row_height * len(spans) + BOTTOM
    first = min(span.start for span in spans)
    last = max(max(span.due, span.end or span.due) for span in spans)
    if any(span.status == "missing" for span in spans):
        last = max(last, today)
    days = max((last - first).days, 1)
    plot_width = WIDTH - label_width - RIGHT

    def x(day: date) -> float:
        return label_width + plot_width * (day - first).days / days

    body = []
    for year in range(first.year + 1, last.year + 1):  # a grid line on each 1 January
        at = x(date(year, 1, 1))
        body.append(f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{TOP}" y2="{height - BOTTOM}" class="grid"/>')
        if (year - first.year) % max(1, math.ceil((last.year - first.year) / 12)) == 0:
            body.append(f'<text x="{at:.1f}" y="{height - BOTTOM + 16}" text-anchor="middle">{year}</text>')
    for index, span in enumerate(spans):
        y = TOP + index * row_height
        middle = y + row_height / 2
        colour = SPAN_COLOURS[span.status]
        tip = f"{span.label}: {span.start} → {span.due}, {names[span.status]}" + (f" {span.end}" if span.end else "")
        body.append(f'<text x="{label_width - 6}" y="{middle + 4:.1f}" text-anchor="end" font-size="10">{escape(span.label[:14])}</text>'
                    f'<rect class="mark" x="{x(span.start):.1f}" y="{y + 3}" width="{max(x(span.due) - x(span.start), 1):.1f}" '
                    f'height="{row_height - 6}" fill="#b8c7d9"><title>{escape(tip)}</title></rect>')
        if span.status == "missing":
            body.append(f'<line class="mark" x1="{x(span.due):.1f}" x2="{x(today):.1f}" y1="{middle:.1f}" y2="{middle:.1f}" '
                        f'stroke="{colour}" stroke-width="2"><title>{escape(tip)}</title></line>')
        if span.end:
            body.append(f'<circle class="mark" cx="{x(span.end):.1f}" cy="{middle:.1f}" r="4" fill="{colour}">'
                        f'<title>{escape(tip)}</title></circle>')
    shown = {span.status for span in spans}
    keys = "".join(f'<span><i style="background:{SPAN_COLOURS[status]}"></i>{escape(name)}</span>'
                   for status, name in names.items() if status in shown)
    return f'<p class="legend">{keys}</p>' + _svg(body, "timeline", height)
