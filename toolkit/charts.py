"""Small charts as inline SVG strings: no JavaScript, no fonts or files fetched, nothing to install.

The SVG goes straight into an HTML widget or a printable report. Text uses the surrounding page's font
(``font-family: inherit``), so Chinese labels render with the page's CJK font. Every label and tooltip
is escaped. The SVG has no ``xmlns`` attribute: HTML5 places inline ``<svg>`` in the SVG namespace
itself, and the string then holds no URL at all.

Two charts:

* :func:`line_chart_svg`: one series over ordered labels (a learner's score per attempt or per day);
* :func:`bar_chart_svg`: horizontal bars with their values (scores per dimension, counts per unit).

Both draw values on a fixed scale from 0 to ``max_value`` (values outside are drawn at the edge, the
tooltip still gives the true value) and, given no data, a short placeholder chosen by the caller.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

__all__ = ["bar_chart_svg", "fmt_number", "line_chart_svg", "stacked_bar_svg"]

INK = "#1d2129"
MUTED = "#4e5969"
GRID = "#c9cdd4"
ACCENT = "#a8071a"
BAR = "#1a5fb4"
FONT_PX = 14
TITLE_PX = 16
#: x labels drawn at most; with more points every k-th label is drawn (and always the last)
MAX_X_LABELS = 12
_ELLIPSIS = "\u2026"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _n(value: float) -> str:
    """A coordinate, short and stable: at most one decimal."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def fmt_number(value: float) -> str:
    """A value as people read it: ``80`` not ``80.0``, at most one decimal otherwise."""
    if not math.isfinite(value):
        return "\u2013"
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _scale(max_value: float) -> float:
    if not math.isfinite(max_value) or max_value <= 0:
        raise ValueError(f"max_value must be a positive number, got {max_value!r}")
    return max_value


def _fraction(value: float, max_value: float) -> float:
    if not math.isfinite(value):
        return 0.0
    return min(max(value / max_value, 0.0), 1.0)


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 1)] + _ELLIPSIS


def _open(width: int, height: int, title: str) -> list[str]:
    label = _esc(title)
    return [
        f'<svg class="xf-chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{label}" '
        f'style="font-family: inherit; max-width: 100%; height: auto; display: block">',
        f"<title>{label}</title>",
        f'<text x="0" y="{TITLE_PX + 2}" font-size="{TITLE_PX}" font-weight="700" fill="{INK}">'
        f"{label}</text>",
    ]


def _empty(width: int, title: str, empty_text: str) -> str:
    height = 64
    parts = _open(width, height, title)
    if empty_text:
        parts.append(
            f'<text class="xf-chart-empty" x="0" y="{TITLE_PX + 30}" font-size="{FONT_PX}" '
            f'fill="{MUTED}">{_esc(empty_text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart_svg(
    points: Sequence[tuple[str, float]],
    *,
    max_value: float,
    title: str,
    width: int = 560,
    height: int = 180,
    empty_text: str = "",
) -> str:
    """A line chart of ``points`` (label, value) from left to right.

    Parameters
    ----------
    points
        The series in order; labels go under the x axis (e.g. the attempt number or a date).
    max_value
        The top of the y scale (e.g. a score's maximum); gridlines at 0, half and all of it.
    title
        Shown above the chart and read out by screen readers.
    width, height
        Size in pixels; the chart shrinks with a narrow page.
    empty_text
        What the chart says when there are no points (e.g. ``t("chart.no_data", lang)``).

    Returns
    -------
    str
        An ``<svg>`` element with one circle per point, each with a ``<title>`` tooltip.
    """
    top = _scale(max_value)
    if not points:
        return _empty(width, title, empty_text)
    left, right, upper, lower = 44, 32, TITLE_PX + 18, FONT_PX + 14
    plot_w = max(width - left - right, 1)
    plot_h = max(height - upper - lower, 1)
    n = len(points)
    step = plot_w / (n - 1) if n > 1 else 0.0

    def x_at(i: int) -> float:
        return left + (step * i if n > 1 else plot_w / 2)

    def y_at(value: float) -> float:
        return upper + plot_h * (1 - _fraction(value, top))

    parts = _open(width, height, title)
    for share in (0.0, 0.5, 1.0):
        y = _n(upper + plot_h * (1 - share))
        parts.append(
            f'<line class="xf-chart-grid" x1="{left}" y1="{y}" x2="{left + plot_w}" y2="{y}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y}" dy="0.35em" text-anchor="end" font-size="{FONT_PX}" '
            f'fill="{MUTED}">{_esc(fmt_number(top * share))}</text>'
        )
    every = math.ceil(n / MAX_X_LABELS)
    for i, (label, _) in enumerate(points):
        if i % every == 0 or i == n - 1:
            parts.append(
                f'<text class="xf-chart-xlabel" x="{_n(x_at(i))}" y="{height - 6}" text-anchor="middle" '
                f'font-size="{FONT_PX}" fill="{MUTED}">{_esc(label)}</text>'
            )
    coords = " ".join(f"{_n(x_at(i))},{_n(y_at(v))}" for i, (_, v) in enumerate(points))
    if n > 1:
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{ACCENT}" stroke-width="2.5" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    for i, (label, value) in enumerate(points):
        parts.append(
            f'<circle class="xf-chart-point" cx="{_n(x_at(i))}" cy="{_n(y_at(value))}" r="4.5" '
            f'fill="{ACCENT}" stroke="#ffffff" stroke-width="1.5">'
            f"<title>{_esc(label)}: {_esc(fmt_number(value))}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart_svg(
    bars: Sequence[tuple[str, float]],
    *,
    max_value: float,
    title: str,
    width: int = 560,
    bar_height: int = 22,
    label_width: int = 168,
    empty_text: str = "",
) -> str:
    """Horizontal bars, one per (label, value), with the value written after each bar.

    Parameters
    ----------
    bars
        Top to bottom. A label longer than ``label_width`` allows is cut with an ellipsis; the bar's
        tooltip gives it in full.
    max_value
        The value of a full-length bar (e.g. a dimension's maximum score).
    title
        Shown above the chart and read out by screen readers.
    width
        Width in pixels; the height follows from the number of bars.
    bar_height
        Thickness of a bar in pixels (rows are 10 px more apart).
    label_width
        Pixels reserved left of the bars for the labels.
    empty_text
        What the chart says when there are no bars.

    Returns
    -------
    str
        An ``<svg>`` element with one ``<rect>`` per bar, each with a ``<title>`` tooltip.
    """
    top = _scale(max_value)
    if not bars:
        return _empty(width, title, empty_text)
    row = bar_height + 10
    upper = TITLE_PX + 16
    value_room = 56
    plot_w = max(width - label_width - value_room, 1)
    height = upper + row * len(bars) + 4
    chars = max((label_width - 10) // FONT_PX, 2)
    parts = _open(width, height, title)
    parts.append(
        f'<line x1="{label_width}" y1="{upper - 4}" x2="{label_width}" y2="{height - 4}" '
        f'stroke="{GRID}" stroke-width="1"/>'
    )
    for i, (label, value) in enumerate(bars):
        y = upper + row * i
        middle = _n(y + bar_height / 2)
        length = plot_w * _fraction(value, top)
        tip = f"{_esc(label)}: {_esc(fmt_number(value))} / {_esc(fmt_number(top))}"
        parts.append(
            f'<text x="{label_width - 8}" y="{middle}" dy="0.35em" text-anchor="end" '
            f'font-size="{FONT_PX}" fill="{INK}">{_esc(_clip(label, chars))}</text>'
            f'<rect class="xf-chart-bar" x="{label_width}" y="{y}" width="{_n(length)}" '
            f'height="{bar_height}" rx="3" fill="{BAR}"><title>{tip}</title></rect>'
            f'<text x="{_n(label_width + length + 6)}" y="{middle}" dy="0.35em" font-size="{FONT_PX}" '
            f'fill="{INK}">{_esc(fmt_number(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_svg(
    bars: Sequence[tuple[str, Sequence[tuple[str, float, str]]]],
    *,
    max_value: float,
    title: str,
    width: int = 640,
    bar_height: int = 22,
    label_width: int = 168,
    empty_text: str = "",
) -> str:
    """Horizontal stacked bars: per label, segments of (name, value, fill colour), total written after.

    Used for counts per unit split by card colour. Segments of value 0 are left out; each segment has a
    tooltip with its name and value.
    """
    top = _scale(max_value)
    if not bars:
        return _empty(width, title, empty_text)
    row = bar_height + 10
    upper = TITLE_PX + 16
    value_room = 56
    plot_w = max(width - label_width - value_room, 1)
    height = upper + row * len(bars) + 4
    chars = max((label_width - 10) // FONT_PX, 2)
    parts = _open(width, height, title)
    for i, (label, segments) in enumerate(bars):
        y = upper + row * i
        middle = _n(y + bar_height / 2)
        parts.append(
            f'<text x="{label_width - 8}" y="{middle}" dy="0.35em" text-anchor="end" '
            f'font-size="{FONT_PX}" fill="{INK}"><title>{_esc(label)}</title>'
            f"{_esc(_clip(label, chars))}</text>"
        )
        x = float(label_width)
        total = 0.0
        for name, value, fill in segments:
            if value <= 0:
                continue
            total += value
            length = plot_w * _fraction(value, top)
            tip = f"{_esc(label)} · {_esc(name)}: {_esc(fmt_number(value))}"
            parts.append(
                f'<rect class="xf-chart-bar" x="{_n(x)}" y="{y}" width="{_n(length)}" height="{bar_height}" '
                f'fill="{_esc(fill)}"><title>{tip}</title></rect>'
            )
            x += length
        parts.append(
            f'<text x="{_n(x + 6)}" y="{middle}" dy="0.35em" font-size="{FONT_PX}" '
            f'fill="{INK}">{_esc(fmt_number(total))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
