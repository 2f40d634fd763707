"""The canonical in-memory ledger (台账): one pandas DataFrame with fixed columns and dtypes.

Every way into the dashboard and the audit tools ends here: generated items (:func:`ledger_frame`) and
imported files (:func:`toolkit.ledger.importer.read_ledger`) give frames with exactly the columns of
:data:`LEDGER_COLUMNS`, in that order, with a fresh ``RangeIndex``:

============== ================ ===============================================================
column         dtype            value
============== ================ ===============================================================
id             str              the item's number, unique in the ledger
received       datetime64[ns]   day received (midnight)
channel        str              :class:`~toolkit.domain.codes.Channel` code, or ""
reporter_name  str              the reporter's name, "" when anonymous or not recorded
accused_name   str              the person reported, or ""
accused_unit   str              the unit of the person reported, as its display name, or ""
category       str              :class:`~toolkit.domain.codes.Category` code
problem_type   str              the pack's problem type code (``unspecified`` for 无实质内容), or ""
route_action   str              :class:`~toolkit.domain.codes.RouteAction` code, or ""
handler_unit   str              the handling unit's code in the pack's jurisdiction
deadline       str              the pack's deadline rule code of the item's own 办结 / 报结 limit
                                (``rules.ledger_deadline``), or "" where no rule sets one
due            datetime64[ns]   the last day in time; NaT for items with no limit (filed, answered
                                at once, suggestions)
milestone      str              the rule code of the intermediate step shown beside the limit
                                (``rules.milestone``: the 处置意见 of a lead handled here), or ""
milestone_due  datetime64[ns]   the milestone's last day, counted by its rule; NaT without one. The
                                cards never use it; the dashboard shows whether it is past
status         str              :class:`~toolkit.domain.codes.ItemStatus` code
closed         datetime64[ns]   day closed; NaT while not closed
flags          str              :class:`~toolkit.domain.codes.Flag` codes, comma-separated, or ""
summary        str              what the item is about
============== ================ ===============================================================

String columns never hold missing values: "" stands for "none".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from toolkit.domain.codes import ItemStatus
from toolkit.domain.models import LedgerItem

if TYPE_CHECKING:
    from toolkit.packs.model import Pack

__all__ = ["DATE_COLUMNS", "LEDGER_COLUMNS", "build_frame", "empty_ledger", "ledger_frame"]

#: column name → dtype of the canonical ledger frame, in column order
LEDGER_COLUMNS: Mapping[str, str] = MappingProxyType(
    {
        "id": "str",
        "received": "datetime64[ns]",
        "channel": "str",
        "reporter_name": "str",
        "accused_name": "str",
        "accused_unit": "str",
        "category": "str",
        "problem_type": "str",
        "route_action": "str",
        "handler_unit": "str",
        "deadline": "str",
        "due": "datetime64[ns]",
        "milestone": "str",
        "milestone_due": "datetime64[ns]",
        "status": "str",
        "closed": "datetime64[ns]",
        "flags": "str",
        "summary": "str",
    }
)

#: the date columns (all others are strings)
DATE_COLUMNS: tuple[str, ...] = tuple(c for c, t in LEDGER_COLUMNS.items() if t.startswith("datetime"))


def build_frame(columns: Mapping[str, Any]) -> pd.DataFrame:
    """A canonical ledger frame from one array-like per column of :data:`LEDGER_COLUMNS`.

    Parameters
    ----------
    columns
        Every column of :data:`LEDGER_COLUMNS`, all of the same length: strings for the string columns
        (``None`` or NaN become ""), and for the date columns anything NumPy turns into
        ``datetime64`` (``datetime.date`` objects, ``datetime64`` arrays; ``None`` is NaT). Times of day
        are dropped.

    Returns
    -------
    pandas.DataFrame
        The columns in order, with their dtypes and a ``RangeIndex``.

    Raises
    ------
    ValueError
        A column is missing, or one is not known.
    """
    missing = [c for c in LEDGER_COLUMNS if c not in columns]
    extra = [c for c in columns if c not in LEDGER_COLUMNS]
    if missing or extra:
        raise ValueError(f"ledger columns: missing {missing}, not known {extra}")
    data: dict[str, Any] = {}
    for name, dtype in LEDGER_COLUMNS.items():
        values = columns[name]
        if dtype == "str":
            text = pd.Series(np.asarray(values, dtype=object), dtype="str")
            data[name] = text.fillna("") if text.hasnans else text
        else:
            days = np.asarray(values, dtype="datetime64[D]")
            data[name] = pd.Series(days.astype("datetime64[ns]"), dtype="datetime64[ns]")
    return pd.DataFrame(data, columns=list(LEDGER_COLUMNS), copy=False)


def empty_ledger() -> pd.DataFrame:
    """A canonical ledger frame with no rows."""
    return build_frame({name: [] for name in LEDGER_COLUMNS})


def ledger_frame(items: Iterable[LedgerItem], *, pack: Pack | None = None) -> pd.DataFrame:
    """The canonical frame of generated ledger items.

    Parameters
    ----------
    items
        Ledger items, e.g. from :func:`toolkit.generate.ledger.ledger_items`.
    pack
        The pack the items were made with. With it, ``accused_unit`` holds the unit's display name, as a
        ledger file written by :func:`toolkit.ledger.export.write_ledger` and read back has it; without
        it, the unit code.

    Returns
    -------
    pandas.DataFrame
        One row per item, in order. Items without a limit (filed, answered at once, suggestions) get a
        NaT ``due``; items without a milestone an empty ``milestone`` and a NaT ``milestone_due``.
    """
    rows = list(items)
    unit_name = _unit_namer(pack)
    filed = ItemStatus.FILED
    return build_frame(
        {
            "id": [it.id for it in rows],
            "received": _days([it.received for it in rows]),
            "channel": [it.channel.value for it in rows],
            "reporter_name": [it.reporter_name or "" for it in rows],
            "accused_name": [it.accused_name or "" for it in rows],
            "accused_unit": [unit_name(it.accused_unit) for it in rows],
            "category": [it.category.value for it in rows],
            "problem_type": [it.problem_type for it in rows],
            "route_action": [it.route.action.value for it in rows],
            "handler_unit": [it.handler_unit for it in rows],
            "deadline": [it.deadline for it in rows],
            "due": _days([None if it.status is filed else it.due for it in rows]),
            "milestone": [it.milestone for it in rows],
            "milestone_due": _days([it.milestone_due for it in rows]),
            "status": [it.status.value for it in rows],
            "closed": _days([it.closed for it in rows]),
            "flags": [",".join(f.value for f in it.flags) for it in rows],
            "summary": [it.summary for it in rows],
        }
    )


def _days(values: list[date | None]) -> np.ndarray[Any, np.dtype[np.datetime64]]:
    return np.array(values, dtype="datetime64[D]")


def _unit_namer(pack: Pack | None) -> Callable[[str | None], str]:
    """code → display name with ``pack`` (codes it does not know stay as they are); code → code without."""
    if pack is None:
        return lambda code: code or ""
    j = pack.jurisdiction
    return lambda code: (j.name(code) if j.has(code) else code) if code else ""
