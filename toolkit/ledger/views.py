"""Views of a ledger for the supervision dashboard: filters, the key groups of 色标管理, monthly trends.

Everything works on the canonical ledger frame (:mod:`toolkit.ledger.frame`) and is vectorised. The key
groups are the kinds of item supervisors single out; each is a named predicate over the frame (and its
cards), declared once in :data:`KEY_GROUPS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from toolkit.domain.codes import ItemStatus

__all__ = [
    "KEY_GROUPS",
    "LONG_OVERDUE_DAYS",
    "ViewFilter",
    "apply_filter",
    "milestone_past",
    "monthly_trends",
]

#: an item this many calendar days past its limit counts as 久拖不决
LONG_OVERDUE_DAYS = 30

Predicate = Callable[[pd.DataFrame, pd.DataFrame], "pd.Series[bool]"]


def _has_flag(frame: pd.DataFrame, flag: str) -> pd.Series[bool]:
    return frame["flags"].fillna("").str.split(",").apply(lambda codes: flag in codes).astype(bool)


#: the key groups (重点类别) of 色标管理: code → predicate over (frame, cards)
KEY_GROUPS: Mapping[str, Predicate] = {
    # 重复举报: the same person on the same matter again
    "repeat": lambda f, c: _has_flag(f, "repeat"),
    # 结而不服: an appeal against how a matter was concluded
    "appeal": lambda f, c: f["category"] == "appeal",
    # 实名举报: the reporter is owed notices and feedback
    "real_name": lambda f, c: _has_flag(f, "real_name"),
    # 上级交办: forwarded or assigned from the level above
    "forwarded": lambda f, c: f["channel"] == "forwarded",
    # 久拖不决: open and long past the limit
    "long_overdue": lambda f, c: c["days_overdue"].fillna(0) > LONG_OVERDUE_DAYS,
}


@dataclass(frozen=True, slots=True)
class ViewFilter:
    """What the dashboard shows: a handling unit, a category and a key group ("" = all)."""

    unit: str = ""
    category: str = ""
    group: str = ""


def apply_filter(frame: pd.DataFrame, cards: pd.DataFrame, view: ViewFilter) -> pd.Series[bool]:
    """The rows ``view`` keeps, as a boolean mask aligned with ``frame``."""
    mask = pd.Series(True, index=frame.index)
    if view.unit:
        mask &= frame["handler_unit"] == view.unit
    if view.category:
        mask &= frame["category"] == view.category
    if view.group:
        mask &= KEY_GROUPS[view.group](frame, cards).astype(bool)
    return mask


def milestone_past(frame: pd.DataFrame, as_of: date) -> pd.Series[bool]:
    """Open items (办理中, 延期办理) whose milestone day (``milestone_due``) is before ``as_of``.

    A milestone is shown beside the item's own limit and never carded; a frame without the milestone
    columns has none past.
    """
    if "milestone_due" not in frame.columns:
        return pd.Series(False, index=frame.index, dtype=bool)
    still_open = frame["status"].isin((ItemStatus.OPEN.value, ItemStatus.EXTENDED.value))
    due = pd.to_datetime(frame["milestone_due"])
    return (still_open & due.notna() & (due < pd.Timestamp(as_of))).astype(bool)


def monthly_trends(frame: pd.DataFrame) -> pd.DataFrame:
    """Per month received: 总量, 检举控告量 and 重复举报量, each with its change on a year before.

    Returns a frame indexed by month (``YYYY-MM``) with columns ``total``, ``accusations``, ``repeats`` and
    ``total_yoy``, ``accusations_yoy``, ``repeats_yoy`` (a share, e.g. -0.113; NA without a year before).
    """
    if frame.empty:
        cols = ["total", "accusations", "repeats", "total_yoy", "accusations_yoy", "repeats_yoy"]
        return pd.DataFrame(columns=cols)
    month = frame["received"].dt.to_period("M")
    counts = (
        pd.DataFrame(
            {
                "total": 1,
                "accusations": (frame["category"] == "accusation").astype(int),
                "repeats": _has_flag(frame, "repeat").astype(int),
            }
        )
        .groupby(month)
        .sum()
    )
    full = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
    counts = counts.reindex(full, fill_value=0)
    out = counts.copy()
    for name in ("total", "accusations", "repeats"):
        before = counts[name].shift(12)
        out[f"{name}_yoy"] = ((counts[name] - before) / before.where(before > 0)).astype("Float64")
    out.index = out.index.astype(str)
    return out
