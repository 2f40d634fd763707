"""Tests for toolkit.rules.cards: Band limits and CardScheme.color / colors_array.

Schemes are built directly with the bands of ``scenarios/default/rules.yaml``:

* three (红橙黄): red overdue; orange at most 15 days left; yellow at most 1 month left; else no card.
* four (红黄蓝绿): red overdue; yellow at most 15 days left; blue at most 1 month left; green otherwise.

Remaining time is counted in calendar days from the as-of date (holidays count like any other day); a due
date today has 0 days left and is not overdue.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.domain.codes import CardColor
from toolkit.packs import Pack
from toolkit.rules.calendar import WorkCalendar
from toolkit.rules.cards import Band, CardScheme

RED, ORANGE, YELLOW, BLUE, GREEN = (
    CardColor.RED,
    CardColor.ORANGE,
    CardColor.YELLOW,
    CardColor.BLUE,
    CardColor.GREEN,
)

THREE = CardScheme(
    code="three",
    name_zh="红橙黄三色牌督办",
    name_en="Red / orange / yellow cards",
    source="湖北荆州市沙市区纪委监委“红橙黄”牌督办制度(地方做法)",
    bands=(
        Band(RED, overdue=True),
        Band(ORANGE, within_days=15),
        Band(YELLOW, within_months=1),
    ),
)
FOUR = CardScheme(
    code="four",
    name_zh="红黄蓝绿四色督办",
    name_en="Four-colour supervision",
    source="山东德州市红、绿、蓝、黄“四色”督查",
    bands=(
        Band(RED, overdue=True),
        Band(YELLOW, within_days=15),
        Band(BLUE, within_months=1),
        Band(GREEN, otherwise=True),
    ),
)


def d(s: str) -> date:
    return date.fromisoformat(s)


def array_colors(scheme: CardScheme, dues: list[date], as_of: date) -> list[str]:
    return [str(x) for x in scheme.colors_array(dues, as_of)]


def scalar_colors(scheme: CardScheme, dues: list[date], as_of: date) -> list[str]:
    out = []
    for due in dues:
        c = scheme.color(due, as_of)
        out.append("" if c is None else c.value)
    return out


# ---------------------------------------------------------------------------------------- Band.limit


def test_band_limits() -> None:
    as_of = d("2025-09-15")
    assert Band(RED, overdue=True).limit(as_of) is None
    assert Band(GREEN, otherwise=True).limit(as_of) is None
    assert Band(ORANGE, within_days=15).limit(as_of) == d("2025-09-30")  # 09-15 + 15 days
    assert Band(YELLOW, within_months=1).limit(as_of) == d("2025-10-15")  # same day next month
    assert Band(YELLOW, within_months=1).limit(d("2025-01-31")) == d("2025-02-28")  # clamped
    assert Band(YELLOW, within_months=1).limit(d("2024-01-31")) == d("2024-02-29")  # leap year
    assert Band(ORANGE, within_days=0).limit(as_of) == as_of  # due today only


# ---------------------------------------------------------------------------------------- three colours

AS_OF = d("2025-09-15")

THREE_BOUNDARIES = [
    (d("2025-09-14"), RED),  # 1 day overdue
    (d("2025-08-01"), RED),  # long overdue
    (d("2025-09-15"), ORANGE),  # due today: 0 days left, not overdue
    (d("2025-09-30"), ORANGE),  # exactly 15 days left
    (d("2025-10-01"), YELLOW),  # 16 days left
    (d("2025-10-15"), YELLOW),  # exactly one month left (09-15 -> 10-15)
    (d("2025-10-16"), None),  # more than a month left: no card
    (d("2026-06-30"), None),  # far away: no card
]


@pytest.mark.parametrize(("due", "expected"), THREE_BOUNDARIES)
def test_three_colour_boundaries(due: date, expected: CardColor | None) -> None:
    assert THREE.color(due, AS_OF) is expected


def test_three_colour_array_boundaries() -> None:
    dues = [due for due, _ in THREE_BOUNDARIES]
    expected = ["" if c is None else c.value for _, c in THREE_BOUNDARIES]
    assert array_colors(THREE, dues, AS_OF) == expected


def test_three_colour_month_end_as_of() -> None:
    as_of = d("2025-01-31")
    assert THREE.color(d("2025-01-30"), as_of) is RED  # 1 day overdue
    assert THREE.color(d("2025-01-31"), as_of) is ORANGE  # due today
    assert THREE.color(d("2025-02-15"), as_of) is ORANGE  # 01-31 + 15 days = 02-15
    assert THREE.color(d("2025-02-16"), as_of) is YELLOW  # 16 days left
    assert THREE.color(d("2025-02-28"), as_of) is YELLOW  # one month from 01-31 is 02-28 (clamped)
    assert THREE.color(d("2025-03-01"), as_of) is None  # past the clamped month
    assert array_colors(THREE, [d("2025-02-28"), d("2025-03-01")], as_of) == ["yellow", ""]


def test_three_colour_with_real_deadline_across_national_day(pack: Pack) -> None:
    # 15 working days from Fri 2025-09-26 = Thu 2025-10-23 (10-01..08 off, 09-28 and 10-11 worked).
    rule = pack.rules.deadline("acceptance_notice")
    assert replace(pack.rules.card_scheme("three"), note="") == THREE
    due = rule.due(d("2025-09-26"), WorkCalendar())
    assert due == d("2025-10-23")
    assert THREE.color(due, d("2025-09-26")) is YELLOW  # 27 calendar days left (<= 10-26)
    assert THREE.color(due, d("2025-10-07")) is YELLOW  # 16 days left, on a holiday
    assert THREE.color(due, d("2025-10-08")) is ORANGE  # 15 days left, on a holiday
    assert THREE.color(due, d("2025-10-23")) is ORANGE  # due today
    assert THREE.color(due, d("2025-10-24")) is RED  # overdue


# ---------------------------------------------------------------------------------------- four colours

FOUR_BOUNDARIES = [
    (d("2025-09-14"), RED),  # 1 day overdue
    (d("2025-09-15"), YELLOW),  # due today
    (d("2025-09-30"), YELLOW),  # exactly 15 days left
    (d("2025-10-01"), BLUE),  # 16 days left
    (d("2025-10-15"), BLUE),  # exactly one month
    (d("2025-10-16"), GREEN),  # more than a month
    (d("2026-06-30"), GREEN),  # far away
]


@pytest.mark.parametrize(("due", "expected"), FOUR_BOUNDARIES)
def test_four_colour_boundaries(due: date, expected: CardColor) -> None:
    assert FOUR.color(due, AS_OF) is expected


def test_four_colour_array_boundaries() -> None:
    dues = [due for due, _ in FOUR_BOUNDARIES]
    assert array_colors(FOUR, dues, AS_OF) == [c.value for _, c in FOUR_BOUNDARIES]


def test_four_colour_as_of_across_national_day() -> None:
    # Calendar days: the 10-01..10-08 holidays count like any other day.
    as_of = d("2025-09-30")
    assert FOUR.color(d("2025-09-29"), as_of) is RED  # 1 day overdue
    assert FOUR.color(d("2025-10-09"), as_of) is YELLOW  # 9 days left, 8 of them holidays
    assert FOUR.color(d("2025-10-15"), as_of) is YELLOW  # 09-30 + 15 = 10-15
    assert FOUR.color(d("2025-10-16"), as_of) is BLUE  # 16 days left
    assert FOUR.color(d("2025-10-30"), as_of) is BLUE  # one month from 09-30 is 10-30
    assert FOUR.color(d("2025-10-31"), as_of) is GREEN  # 31 days: past one month
    # Seen on a holiday (Wed 10-08): due the day before is overdue, due today is not.
    assert FOUR.color(d("2025-10-07"), d("2025-10-08")) is RED
    assert FOUR.color(d("2025-10-08"), d("2025-10-08")) is YELLOW
    assert FOUR.color(d("2025-11-08"), d("2025-10-08")) is BLUE  # one month from 10-08
    assert FOUR.color(d("2025-11-09"), d("2025-10-08")) is GREEN


def test_colors_array_dtype_and_datetime64_input() -> None:
    dues = np.array(["2025-09-14", "2025-09-30", "2025-10-15", "2025-10-16"], dtype="datetime64[D]")
    out = THREE.colors_array(dues, AS_OF)
    assert out.dtype.kind == "U"
    assert out.tolist() == ["red", "orange", "yellow", ""]
    assert FOUR.colors_array(dues, AS_OF).tolist() == ["red", "yellow", "blue", "green"]


def test_colors_array_empty() -> None:
    assert THREE.colors_array([], AS_OF).shape == (0,)


def test_scheme_without_overdue_band_gives_overdue_items_no_card() -> None:
    scheme = CardScheme(code="x", name_zh="x", name_en="x", source="s", bands=(Band(YELLOW, within_days=15),))
    assert scheme.color(d("2025-09-14"), AS_OF) is None
    assert array_colors(scheme, [d("2025-09-14")], AS_OF) == [""]


def test_first_matching_band_wins() -> None:
    # A wider band listed first shadows a narrower one.
    scheme = CardScheme(
        code="x",
        name_zh="x",
        name_en="x",
        source="s",
        bands=(Band(BLUE, within_months=1), Band(YELLOW, within_days=15)),
    )
    assert scheme.color(d("2025-09-20"), AS_OF) is BLUE
    assert array_colors(scheme, [d("2025-09-20")], AS_OF) == ["blue"]


def test_label() -> None:
    assert THREE.label() == "红橙黄三色牌督办"
    assert FOUR.label("en") == "Four-colour supervision"


# ---------------------------------------------------------------------------------------- properties

AS_OFS = st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 6, 30))
# Offsets around as-of so the band boundaries (-1, 0, 15, 16, ~28..31) are hit often.
OFFSETS = st.lists(st.integers(min_value=-45, max_value=75), min_size=1, max_size=30)


@st.composite
def schemes(draw: st.DrawFn) -> CardScheme:
    colors = list(CardColor)
    bands: list[Band] = []
    if draw(st.booleans()):
        bands.append(Band(draw(st.sampled_from(colors)), overdue=True))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        color = draw(st.sampled_from(colors))
        if draw(st.booleans()):
            bands.append(Band(color, within_days=draw(st.integers(min_value=0, max_value=40))))
        else:
            bands.append(Band(color, within_months=draw(st.integers(min_value=0, max_value=2))))
    if draw(st.booleans()):
        bands.append(Band(draw(st.sampled_from(colors)), otherwise=True))
    return CardScheme(code="gen", name_zh="生成", name_en="generated", source="test", bands=tuple(bands))


@pytest.mark.parametrize("scheme", [THREE, FOUR], ids=["three", "four"])
@given(as_of=AS_OFS, offsets=OFFSETS)
def test_colors_array_equals_scalar_color(scheme: CardScheme, as_of: date, offsets: list[int]) -> None:
    dues = [as_of + timedelta(days=k) for k in offsets]
    assert array_colors(scheme, dues, as_of) == scalar_colors(scheme, dues, as_of)


@pytest.mark.parametrize("scheme", [THREE, FOUR], ids=["three", "four"])
@given(as_of=AS_OFS, dues=st.lists(AS_OFS, min_size=1, max_size=30))
def test_colors_array_equals_scalar_color_any_dates(
    scheme: CardScheme, as_of: date, dues: list[date]
) -> None:
    assert array_colors(scheme, dues, as_of) == scalar_colors(scheme, dues, as_of)


@given(scheme=schemes(), as_of=AS_OFS, offsets=OFFSETS)
def test_colors_array_equals_scalar_color_generated_schemes(
    scheme: CardScheme, as_of: date, offsets: list[int]
) -> None:
    dues = [as_of + timedelta(days=k) for k in offsets]
    assert array_colors(scheme, dues, as_of) == scalar_colors(scheme, dues, as_of)


@given(as_of=AS_OFS, offset=st.integers(min_value=-45, max_value=75))
def test_three_colour_matches_day_count(as_of: date, offset: int) -> None:
    due = as_of + timedelta(days=offset)
    month = WorkCalendar.add_months(as_of, 1)
    if offset < 0:
        expected: CardColor | None = RED
    elif offset <= 15:
        expected = ORANGE
    elif due <= month:
        expected = YELLOW
    else:
        expected = None
    assert THREE.color(due, as_of) is expected


@given(as_of=AS_OFS, offset=st.integers(min_value=-45, max_value=75))
def test_four_colour_always_gives_a_card(as_of: date, offset: int) -> None:
    assert FOUR.color(as_of + timedelta(days=offset), as_of) is not None
