"""Dashboard views: filters, key groups, milestones past and monthly trends with year-on-year change."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from toolkit.ledger.views import (
    KEY_GROUPS,
    LONG_OVERDUE_DAYS,
    ViewFilter,
    apply_filter,
    milestone_past,
    monthly_trends,
)


def frame_of(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = {"flags": "", "category": "accusation", "channel": "letter", "handler_unit": "jc1"}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["received"] = pd.to_datetime(frame["received"])
    return frame


def cards_of(overdue: list[float | None]) -> pd.DataFrame:
    return pd.DataFrame({"days_overdue": pd.array(overdue, dtype="Float64")})


def test_each_key_group_picks_its_items() -> None:
    frame = frame_of(
        [
            {"received": "2025-01-03", "flags": "real_name,repeat"},
            {"received": "2025-01-04", "category": "appeal", "flags": "real_name"},
            {"received": "2025-01-05", "channel": "forwarded", "flags": "anonymous"},
            {"received": "2025-01-06", "flags": "anonymous"},
        ]
    )
    cards = cards_of([0, LONG_OVERDUE_DAYS + 1, LONG_OVERDUE_DAYS, None])
    picked = {g: list(KEY_GROUPS[g](frame, cards)) for g in KEY_GROUPS}
    assert picked == {
        "repeat": [True, False, False, False],
        "appeal": [False, True, False, False],
        "real_name": [True, True, False, False],
        "forwarded": [False, False, True, False],
        "long_overdue": [False, True, False, False],
    }
    assert len(KEY_GROUPS) == 5


def test_filters_combine() -> None:
    frame = frame_of(
        [
            {"received": "2025-01-03", "handler_unit": "jc1", "flags": "repeat"},
            {"received": "2025-01-04", "handler_unit": "jc2", "flags": "repeat"},
            {"received": "2025-01-05", "handler_unit": "jc1", "category": "appeal"},
        ]
    )
    cards = cards_of([None, None, None])
    assert list(apply_filter(frame, cards, ViewFilter())) == [True, True, True]
    assert list(apply_filter(frame, cards, ViewFilter(unit="jc1"))) == [True, False, True]
    assert list(apply_filter(frame, cards, ViewFilter(unit="jc1", group="repeat"))) == [True, False, False]
    assert list(apply_filter(frame, cards, ViewFilter(category="appeal"))) == [False, False, True]


def test_monthly_trends_count_and_compare_with_a_year_before() -> None:
    rows = [{"received": "2024-03-10"}] * 4 + [{"received": "2024-03-11", "flags": "repeat"}]
    rows += [{"received": "2025-03-02"}] * 2 + [{"received": "2025-03-05", "category": "appeal"}]
    rows += [{"received": "2025-03-06", "flags": "repeat"}] * 2
    trends = monthly_trends(frame_of(rows))
    assert list(trends.index[:2]) == ["2024-03", "2024-04"] and trends.index[-1] == "2025-03"
    assert trends.loc["2024-04", "total"] == 0, "months without items are listed with 0"
    march = trends.loc["2025-03"]
    assert (march["total"], march["accusations"], march["repeats"]) == (5, 4, 2)
    assert march["total_yoy"] == pytest.approx(0.0)
    assert march["accusations_yoy"] == pytest.approx(-0.2)
    assert march["repeats_yoy"] == pytest.approx(1.0)
    assert pd.isna(trends.loc["2024-03", "total_yoy"]), "no year before"


def test_trends_of_an_empty_ledger() -> None:
    empty = frame_of([{"received": "2025-01-01"}]).iloc[0:0]
    assert monthly_trends(empty).empty


def test_milestones_past_only_for_open_items() -> None:
    frame = frame_of(
        [
            {"received": "2025-09-01", "status": "open", "milestone_due": "2025-10-01"},  # past
            {
                "received": "2025-09-01",
                "status": "extended",
                "milestone_due": "2025-10-15",
            },  # today: not past
            {"received": "2025-09-01", "status": "closed", "milestone_due": "2025-10-01"},  # closed
            {"received": "2025-09-01", "status": "open", "milestone_due": None},  # no milestone
        ]
    )
    frame["milestone_due"] = pd.to_datetime(frame["milestone_due"])
    assert milestone_past(frame, date(2025, 10, 15)).tolist() == [True, False, False, False]
    assert milestone_past(frame, date(2025, 10, 16)).tolist() == [True, True, False, False]
    assert not milestone_past(frame.drop(columns="milestone_due"), date(2025, 10, 16)).any()
