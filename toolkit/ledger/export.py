"""Write ledgers as CSV (UTF-8 with BOM, opens cleanly in Excel), Excel ``.xlsx`` or JSON lines.

Column headers are the Chinese ones offices use; values are Chinese labels and unit names, with the
codes kept in their own columns so a file can be read back without guessing
(:func:`toolkit.ledger.importer.read_ledger` reads every file written here). 时限规则 and 办理期限 are the
item's own 办结 / 报结 limit; 节点事项 and 节点期限 the milestone beside it (the 处置意见 of a lead handled
here), each rule by its Chinese name.

Two entry points share one writer: :func:`write_ledger_frame` writes a canonical ledger frame (the
dashboard's or the CLI's "current view", with extra columns such as the card colour), and
:func:`write_ledger` writes generated items (their frame plus the pack and seed they were made with).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit.domain.codes import Category, Channel, Coded, Flag, ItemStatus, RouteAction
from toolkit.domain.models import LedgerItem
from toolkit.errors import XfkitError
from toolkit.fileio import atomic_output
from toolkit.generate.cases import UNSPECIFIED
from toolkit.ledger.frame import LEDGER_COLUMNS, ledger_frame
from toolkit.packs.model import Pack

__all__ = [
    "COLUMNS",
    "FRAME_HEADERS",
    "PROVENANCE_HEADERS",
    "ledger_rows",
    "ledger_table",
    "write_ledger",
    "write_ledger_frame",
]

#: the columns written from a ledger frame, in file order
FRAME_HEADERS: tuple[str, ...] = (
    "编号",
    "收件日期",
    "来源渠道",
    "反映人",
    "被反映人",
    "被反映人单位",
    "问题类别",
    "问题类型",
    "分办方式",
    "承办单位",
    "时限规则",
    "办理期限",
    "节点事项",
    "节点期限",
    "办理状态",
    "办结日期",
    "标记",
    "内容摘要",
    "渠道代码",
    "类别代码",
    "问题类型代码",
    "分办代码",
    "承办单位代码",
    "状态代码",
)
#: what generated items add after them: the pack (name@version) and the seed they were made with
PROVENANCE_HEADERS: tuple[str, ...] = ("训练包", "种子")
#: every column of a file written by :func:`write_ledger`, in file order
COLUMNS: tuple[str, ...] = FRAME_HEADERS + PROVENANCE_HEADERS

_SUFFIXES = (".csv", ".xlsx")
#: a reporter without a name is written as 匿名 (and read back as none)
ANONYMOUS = "匿名"


def ledger_table(frame: pd.DataFrame, pack: Pack) -> pd.DataFrame:
    """The frame as it is written: Chinese headers (:data:`FRAME_HEADERS`), labels, names, ISO dates.

    Codes the pack or the code lists do not know are written as they are.
    """
    missing = [c for c in LEDGER_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"not a ledger frame: missing columns {', '.join(missing)}")
    j = pack.jurisdiction
    units = {code: j.name(code) for code in j.codes()}
    problems = {p.code: p.name for p in pack.problems}
    problems[UNSPECIFIED] = Flag.NO_SUBSTANCE.zh
    rules = {r.code: r.name_zh for r in pack.rules.deadlines}
    flags = {f.value: f.zh for f in Flag}

    def text(name: str) -> pd.Series[str]:
        return frame[name].fillna("").astype(str).reset_index(drop=True)

    def relabel(name: str, labels: Mapping[str, str]) -> pd.Series[str]:
        return _relabel(text(name), labels)

    def flag_labels(value: str) -> str:
        return "、".join(flags.get(code, code) for code in value.split(",") if code)

    reporter = text("reporter_name")
    table = {
        "编号": text("id"),
        "收件日期": _iso_days(frame["received"]),
        "来源渠道": relabel("channel", _labels(Channel)),
        "反映人": reporter.where(reporter != "", ANONYMOUS),
        "被反映人": text("accused_name"),
        "被反映人单位": text("accused_unit"),
        "问题类别": relabel("category", _labels(Category)),
        "问题类型": relabel("problem_type", problems),
        "分办方式": relabel("route_action", _labels(RouteAction)),
        "承办单位": relabel("handler_unit", units),
        "时限规则": relabel("deadline", rules),
        "办理期限": _iso_days(frame["due"]),
        "节点事项": relabel("milestone", rules),
        "节点期限": _iso_days(frame["milestone_due"]),
        "办理状态": relabel("status", _labels(ItemStatus)),
        "办结日期": _iso_days(frame["closed"]),
        "标记": _apply_distinct(text("flags"), flag_labels),
        "内容摘要": text("summary"),
        "渠道代码": text("channel"),
        "类别代码": text("category"),
        "问题类型代码": text("problem_type"),
        "分办代码": text("route_action"),
        "承办单位代码": text("handler_unit"),
        "状态代码": text("status"),
    }
    return pd.DataFrame(table, columns=list(FRAME_HEADERS))


def write_ledger_frame(
    frame: pd.DataFrame,
    path: Path | str,
    pack: Pack,
    *,
    extra: Mapping[str, Sequence[Any]] | None = None,
) -> int:
    """Write a ledger frame to ``path`` (``.xlsx``, or ``.csv`` in UTF-8 with BOM); all or nothing.

    Parameters
    ----------
    frame
        A canonical ledger frame (:mod:`toolkit.ledger.frame`), e.g. a filtered view of one.
    path
        The file to write; its suffix chooses the format. It is replaced only once it is complete.
    pack
        The pack whose labels, unit names, problem types and rule names are written.
    extra
        More columns after :data:`FRAME_HEADERS`, by Chinese header, one value per row of ``frame`` in
        its order (for instance the card colour and the days left).

    Returns
    -------
    int
        The number of rows written.

    Raises
    ------
    XfkitError
        For a suffix other than ``.csv`` or ``.xlsx``.
    ValueError
        When ``frame`` is not a ledger frame, or an extra column has the wrong length or the header of a
        column written anyway.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise XfkitError(f"{path}: unknown ledger format {suffix or '(none)'}; use .csv or .xlsx")
    table = ledger_table(frame, pack)
    for header, values in (extra or {}).items():
        if header in table.columns:
            raise ValueError(f"extra column {header!r} is already written")
        if len(values) != len(table):
            raise ValueError(f"extra column {header!r} has {len(values)} values for {len(table)} rows")
        table[header] = list(values)
    _write_table(table, path)
    return len(table)


def write_ledger(items: Iterable[LedgerItem], pack: Pack, path: Path) -> int:
    """Write ``items`` to ``path`` (format by suffix); returns the row count. All or nothing.

    ``.csv`` and ``.xlsx`` get :data:`COLUMNS`; ``.jsonl`` gets one ``LedgerItem.to_dict()`` per line.
    """
    suffix = path.suffix.lower()
    if suffix not in (*_SUFFIXES, ".jsonl"):
        raise XfkitError(f"{path}: unknown ledger format {suffix or '(none)'}; use .csv, .xlsx or .jsonl")
    materialised = list(items)
    if suffix == ".jsonl":
        with atomic_output(path) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as fh:
            for it in materialised:
                fh.write(json.dumps(it.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        return len(materialised)
    provenance: dict[str, Sequence[Any]] = {
        "训练包": [it.pack for it in materialised],
        "种子": [it.seed for it in materialised],
    }
    return write_ledger_frame(ledger_frame(materialised, pack=pack), path, pack, extra=provenance)


def ledger_rows(items: Iterable[LedgerItem], pack: Pack) -> list[dict[str, Any]]:
    """Rows of generated items with Chinese headers and labels, as :func:`write_ledger` writes them."""
    materialised = list(items)
    table = ledger_table(ledger_frame(materialised, pack=pack), pack)
    table["训练包"] = [it.pack for it in materialised]
    table["种子"] = [it.seed for it in materialised]
    return [{str(k): v for k, v in row.items()} for row in table.to_dict("records")]


def _write_table(table: pd.DataFrame, path: Path) -> None:
    with atomic_output(path) as tmp:
        if path.suffix.lower() == ".csv":
            table.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
        else:
            table.to_excel(tmp, index=False, sheet_name="台账", engine="openpyxl")


def _labels(enum: type[Coded]) -> dict[str, str]:
    return {m.value: m.zh for m in enum}


def _relabel(codes: pd.Series[str], labels: Mapping[str, str]) -> pd.Series[str]:
    """Each code's label (codes without one as they are), looked up once per distinct code."""
    return _apply_distinct(codes, lambda code: labels.get(code, code))


def _apply_distinct(values: pd.Series[str], fn: Callable[[str], str]) -> pd.Series[str]:
    """``fn`` applied once per distinct value of ``values``, spread back over the rows."""
    codes, uniques = pd.factorize(values)
    mapped = np.asarray([fn(u) for u in uniques.tolist()] + [""], dtype=object)
    return pd.Series(mapped[codes], dtype="str")


def _iso_days(days: pd.Series[Any]) -> pd.Series[str]:
    """``YYYY-MM-DD`` for each day, "" for NaT."""
    text = np.datetime_as_string(days.to_numpy(dtype="datetime64[D]"), unit="D")
    return pd.Series(np.where(text == "NaT", "", text).astype(object), dtype="str")
