"""Inline SVG charts: well-formed XML, one mark per value, escaped text, nothing fetched."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from toolkit.charts import MAX_X_LABELS, bar_chart_svg, fmt_number, line_chart_svg

EVIL = '<script>alert("x")</script> & 第1次'


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "svg"
    return root


def _offline(svg: str) -> None:
    lowered = svg.lower()
    assert "http" not in lowered and "url(" not in lowered and "href" not in lowered
    assert "<script" not in lowered and "font-family: inherit" in lowered


def test_line_chart_has_a_point_and_a_tooltip_per_value() -> None:
    points = [("1", 40.0), ("2", 55.5), ("3", 80.0), ("4", 100.0)]
    svg = line_chart_svg(points, max_value=100, title="得分")
    _offline(svg)
    root = _parse(svg)
    circles = root.findall("circle")
    assert len(circles) == 4
    assert [c.findtext("title") for c in circles] == ["1: 40", "2: 55.5", "3: 80", "4: 100"]
    (line,) = root.findall("polyline")
    assert len(line.get("points", "").split()) == 4
    assert len(root.findall("line")) == 3  # gridlines at 0, 50% and 100%
    assert [t.text for t in root.findall("text")][1:4] == ["0", "50", "100"]
    assert root.get("aria-label") == "得分" and root.findtext("title") == "得分"


def test_line_chart_y_positions_follow_the_values_and_stay_in_the_plot() -> None:
    root = _parse(line_chart_svg([("a", 0), ("b", 50), ("c", 100), ("d", 250)], max_value=100, title="t"))
    ys = [float(c.get("cy", "nan")) for c in root.findall("circle")]
    grid = sorted(float(line.get("y1", "nan")) for line in root.findall("line"))
    assert ys[0] == pytest.approx(grid[2])  # 0 on the bottom gridline
    assert ys[1] == pytest.approx(grid[1])
    assert ys[2] == pytest.approx(grid[0])  # the maximum on the top gridline
    assert ys[3] == pytest.approx(grid[0])  # above the scale: drawn at the edge
    assert root.findall("circle")[3].findtext("title") == "d: 250"  # ... the tooltip tells the truth


def test_a_single_point_is_a_dot_without_a_line() -> None:
    root = _parse(line_chart_svg([("1", 60)], max_value=100, title="t", width=400))
    assert len(root.findall("circle")) == 1 and root.findall("polyline") == []
    assert 0 < float(root.findall("circle")[0].get("cx", "nan")) < 400


def test_many_points_keep_few_x_labels_and_the_last_one() -> None:
    points = [(f"{i}", float(i)) for i in range(1, 41)]
    root = _parse(line_chart_svg(points, max_value=40, title="t"))
    labels = [t.text for t in root.findall("text") if t.get("class") == "xf-chart-xlabel"]
    assert len(root.findall("circle")) == 40
    assert 2 <= len(labels) <= MAX_X_LABELS + 1 and labels[0] == "1" and labels[-1] == "40"


def test_line_chart_escapes_labels_and_title() -> None:
    svg = line_chart_svg([(EVIL, 1.0), ("b", 2.0)], max_value=2, title=EVIL)
    _offline(svg)
    root = _parse(svg)
    assert root.findall("circle")[0].findtext("title") == f"{EVIL}: 1"
    assert root.get("aria-label") == EVIL
    assert EVIL in [t.text for t in root.findall("text")]


def test_empty_charts_show_the_callers_text() -> None:
    for svg in (
        line_chart_svg([], max_value=100, title="历次得分", empty_text="暂无<记录>"),
        bar_chart_svg([], max_value=10, title="历次得分", empty_text="暂无<记录>"),
    ):
        _offline(svg)
        root = _parse(svg)
        assert root.findall("circle") == [] and root.findall("rect") == []
        assert "暂无<记录>" in [t.text for t in root.findall("text")]


def test_bar_chart_has_a_bar_and_a_value_per_row() -> None:
    bars = [("事实是否清楚", 8.0), ("定性是否准确", 5.0), ("手续是否完备", 0.0), ("时限", 12.0)]
    svg = bar_chart_svg(bars, max_value=10, title="各项得分", width=500, label_width=160)
    _offline(svg)
    root = _parse(svg)
    rects = root.findall("rect")
    assert len(rects) == 4
    widths = [float(r.get("width", "nan")) for r in rects]
    assert widths[0] == pytest.approx(widths[3] * 0.8)  # 12 of 10 is drawn full length
    assert widths[1] == pytest.approx(widths[3] * 0.5) and widths[2] == 0
    assert [r.findtext("title") for r in rects][0] == "事实是否清楚: 8 / 10"
    texts = [t.text for t in root.findall("text")]
    assert {"8", "5", "0", "12"} <= set(texts)
    assert int(root.get("height", "0")) > 4 * 22


def test_bar_chart_height_grows_with_the_rows() -> None:
    one = _parse(bar_chart_svg([("a", 1)], max_value=1, title="t"))
    five = _parse(bar_chart_svg([(str(i), 1) for i in range(5)], max_value=1, title="t"))
    assert int(five.get("height", "0")) > int(one.get("height", "0"))


def test_long_bar_labels_are_cut_but_the_tooltip_is_whole() -> None:
    label = "问题线索处置是否符合规定并及时报批" * 2
    root = _parse(bar_chart_svg([(label, 3)], max_value=5, title="t", label_width=120))
    shown = [t.text or "" for t in root.findall("text")]
    assert label not in shown and any(s.endswith("\u2026") for s in shown)
    assert root.findall("rect")[0].findtext("title") == f"{label}: 3 / 5"


def test_bar_chart_escapes_text() -> None:
    svg = bar_chart_svg([(EVIL, 1)], max_value=2, title=EVIL, label_width=600, width=800)
    _offline(svg)
    root = _parse(svg)
    assert EVIL in [t.text for t in root.findall("text")]


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_max_value_must_be_positive(bad: float) -> None:
    with pytest.raises(ValueError, match="max_value"):
        line_chart_svg([("a", 1)], max_value=bad, title="t")
    with pytest.raises(ValueError, match="max_value"):
        bar_chart_svg([("a", 1)], max_value=bad, title="t")


def test_numbers_are_short() -> None:
    assert [fmt_number(v) for v in (80.0, 80.04, 66.66, 0, -2.5)] == ["80", "80", "66.7", "0", "-2.5"]
    assert fmt_number(float("nan")) == "\u2013"


def test_coordinates_are_short() -> None:
    root = _parse(line_chart_svg([("1", 33.333333), ("2", 66.666666)], max_value=100, title="t"))
    coords = [c.get(a, "") for c in root.findall("circle") for a in ("cx", "cy")]
    coords += root.findall("polyline")[0].get("points", "").replace(",", " ").split()
    assert len(coords) == 8 and not [c for c in coords if re.search(r"\.\d{2,}", c)]
