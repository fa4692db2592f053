"""The staff Insights charts, drawn on the server as SVG: no chart library, no script, nothing for the page's
Content-Security-Policy to refuse (a browser plotting library needs ``eval``, which the policy forbids).

Each chart is a small SVG document shown as an image with a text alternative that says what it shows; the
tables under the charts hold every number. One day of data draws one labelled bar; none draws no chart but a
message saying so.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import math
from collections import defaultdict
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 16, 52  # plot margins, room for the axes' labels
MAX_DAY_LABELS = 8
LEGEND_CHAR, LEGEND_ROW = 6.8, 16  # a legend letter's width at 12 px (generous), and a legend row's height
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK, MUTED, GRID = "#1f2937", "#4b5563", "#e5e7eb"
NO_DATA = "No questions yet: the charts fill in as patients ask."
KIND_COLOURS = {  # distinct, and each at least 3:1 against white (WCAG 1.4.11, graphical objects)
    "answer": "#4338ca",
    "no_answer": "#b45309",
    "personal_advice": "#0f766e",
    "out_of_scope": "#6b7280",
    "emergency": "#b91c1c",
    "crisis": "#9d174d",
}
KIND_NAMES = {
    "answer": "answered",
    "no_answer": "not in the materials",
    "personal_advice": "personal advice",
    "out_of_scope": "out of scope",
    "emergency": "emergency",
    "crisis": "crisis",
}


@dataclass(frozen=True)
class Chart:
    """An SVG chart and its text alternative."""

    svg: str
    alt: str

    def data_uri(self) -> str:
        """The SVG as a ``data:`` URI for an ``<img>`` (the page's policy allows ``img-src data:``)."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode("utf-8")).decode("ascii")

    def markdown(self, title: str) -> str:
        """A titled figure for a ``gr.Markdown``: heading, image and its text alternative."""
        return f'## {html.escape(title)}\n\n<img src="{self.data_uri()}" alt="{html.escape(self.alt)}">'


def per_day(counts: list[tuple[str, str, int]]) -> dict[dt.date, dict[str, int]]:
    """(day, kind, count) rows as day -> kind -> count, with every day between the first and the last."""
    days: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for day, kind, count in counts:
        days[dt.date.fromisoformat(str(day))][str(kind)] = int(count)
    if not days:
        return {}
    first, last = min(days), max(days)
    return {first + dt.timedelta(n): days.get(first + dt.timedelta(n), {}) for n in range((last - first).days + 1)}


def nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) that covers ``top`` in about ``ticks`` steps."""
    raw = max(top, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def _text(x: float, y: float, text: str, *, anchor: str = "middle", size: int = 12, fill: str = MUTED) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">'
        f"{html.escape(text)}</text>"
    )


def _frame(title: str, body: list[str], step: float, top: float, label: str, height: int = HEIGHT) -> str:
    """The SVG document: y grid and labels, the bars, and the baseline (``height`` leaves room for a legend)."""
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="{FONT}">',
        f"<title>{html.escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    value = 0.0
    while value <= top + 1e-9:
        y = TOP + plot_h - value / top * plot_h
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(LEFT - 6, y + 4, label.format(value), anchor="end"))
        value += step
    parts += body
    base = TOP + plot_h
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}" stroke="{MUTED}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _slots(days: list[dt.date]) -> tuple[float, float, int]:
    """Each day's slot width, its bar width, and how often a day is labelled."""
    slot = (WIDTH - LEFT - RIGHT) / len(days)
    return slot, min(slot * 0.7, 56), max(1, math.ceil(len(days) / MAX_DAY_LABELS))


def volume_chart(counts: list[tuple[str, str, int]]) -> Chart | None:
    """Questions per day, each bar split by reply kind, with a legend; None when there are none."""
    days = per_day(counts)
    if not days:
        return None
    totals = {day: sum(kinds.values()) for day, kinds in days.items()}
    step = max(1.0, nice_step(max(totals.values())))  # whole questions only
    top = step * math.ceil(max(totals.values()) / step)
    plot_h = HEIGHT - TOP - BOTTOM
    slot, bar, every = _slots(list(days))
    body: list[str] = []
    for i, (day, kinds) in enumerate(days.items()):
        x = LEFT + i * slot + (slot - bar) / 2
        y = TOP + plot_h
        for kind, colour in KIND_COLOURS.items():
            if kinds.get(kind):
                h = kinds[kind] / top * plot_h
                y -= h
                name = f"{_day(day)}: {kinds[kind]} {KIND_NAMES[kind]}"
                body.append(
                    f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                    f"<title>{html.escape(name)}</title></rect>"
                )
        if len(days) <= 14 and totals[day]:  # few bars: each carries its number
            body.append(_text(x + bar / 2, y - 4, f"{totals[day]:,}", fill=INK))
        if i % every == 0:
            body.append(_text(x + bar / 2, TOP + plot_h + 16, _day(day)))
    seen = [kind for kind in KIND_COLOURS if any(kinds.get(kind) for kinds in days.values())]
    x, y = 8.0, HEIGHT - 20
    for kind in seen:  # the legend, along the bottom, in as many rows as it needs
        width = 30 + LEGEND_CHAR * len(KIND_NAMES[kind])
        if x > 8 and x + width > WIDTH - 8:
            x, y = 8.0, y + LEGEND_ROW
        body.append(f'<rect x="{x:.1f}" y="{y}" width="10" height="10" fill="{KIND_COLOURS[kind]}"/>')
        body.append(_text(x + 14, y + 9, KIND_NAMES[kind], anchor="start", fill=INK))
        x += width
    first, last = min(days), max(days)
    busiest = max(totals, key=lambda d: totals[d])
    span = _day(first) if first == last else f"{_day(first)} to {_day(last)}"
    alt = (
        f"Questions per day, {span}: {sum(totals.values()):,} in all, most on {_day(busiest)} ({totals[busiest]:,}). "
        "The table of replies per day and kind below has every number."
    )
    return Chart(_frame("Questions per day", body, step, top, "{:,.0f}", height=y + 20), alt)


def answer_rate_chart(counts: list[tuple[str, str, int]]) -> Chart | None:
    """The share of questions answered from the documents per day, 0-100 %; None when there are none."""
    days = per_day(counts)
    if not days:
        return None
    rates = {
        day: (kinds.get("answer", 0) / sum(kinds.values()) if sum(kinds.values()) else None)
        for day, kinds in days.items()
    }
    plot_h = HEIGHT - TOP - BOTTOM
    slot, bar, every = _slots(list(days))
    body: list[str] = []
    for i, (day, rate) in enumerate(rates.items()):
        x = LEFT + i * slot + (slot - bar) / 2
        if rate is not None:
            h = max(rate * plot_h, 1.0)  # a day with no answer still shows a hairline at 0 %
            y = TOP + plot_h - h
            name = f"{_day(day)}: {rate:.0%} answered"
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{KIND_COLOURS["answer"]}"><title>{html.escape(name)}</title></rect>'
            )
            if len(days) <= 14:
                body.append(_text(x + bar / 2, y - 4, f"{rate:.0%}", fill=INK))
        if i % every == 0:
            body.append(_text(x + bar / 2, TOP + plot_h + 16, _day(day)))
    known = [r for r in rates.values() if r is not None]
    answered = sum(k.get("answer", 0) for k in days.values())
    total = sum(sum(k.values()) for k in days.values())
    alt = (
        f"Answer rate per day: {answered / total:.0%} of {total:,} questions answered from the documents overall; "
        f"lowest day {min(known):.0%}, highest {max(known):.0%}."
    )
    return Chart(_frame("Answer rate per day", body, 0.25, 1.0, "{:.0%}"), alt)
