"""Write ledgers as CSV (UTF-8 with BOM, opens cleanly in Excel), Excel ``.xlsx`` or JSON lines.

Column headers are the Chinese ones offices use; values are Chinese labels and unit names, with the
codes kept in their own columns so a file can be read back without guessing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.domain.models import LedgerItem
from toolkit.errors import XfkitError
from toolkit.fileio import atomic_output
from toolkit.packs.model import Pack

#: (header, how to get the value) in file order
COLUMNS: tuple[str, ...] = (
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
    "训练包",
    "种子",
)


def ledger_rows(items: Iterable[LedgerItem], pack: Pack) -> list[dict[str, Any]]:
    """Rows with Chinese headers and labels."""
    j = pack.jurisdiction
    problems = {p.code: p.name for p in pack.problems}
    rules = {r.code: r.name_zh for r in pack.rules.deadlines}
    rows = []
    for it in items:
        rows.append(
            {
                "编号": it.id,
                "收件日期": it.received.isoformat(),
                "来源渠道": it.channel.zh,
                "反映人": it.reporter_name or "匿名",
                "被反映人": it.accused_name or "",
                "被反映人单位": j.name(it.accused_unit) if it.accused_unit else "",
                "问题类别": it.category.zh,
                "问题类型": problems.get(it.problem_type, "无实质内容"),
                "分办方式": it.route.action.zh,
                "承办单位": j.name(it.handler_unit),
                "时限规则": rules.get(it.deadline, ""),
                "办理期限": it.due.isoformat(),
                "办理状态": it.status.zh,
                "办结日期": it.closed.isoformat() if it.closed else "",
                "标记": "、".join(f.zh for f in it.flags),
                "内容摘要": it.summary[:80],
                "渠道代码": it.channel.value,
                "类别代码": it.category.value,
                "问题类型代码": it.problem_type,
                "分办代码": it.route.action.value,
                "承办单位代码": it.handler_unit,
                "状态代码": it.status.value,
                "训练包": it.pack,
                "种子": it.seed,
            }
        )
    return rows


def write_ledger(items: Iterable[LedgerItem], pack: Pack, path: Path) -> int:
    """Write ``items`` to ``path`` (format by suffix); returns the row count. All or nothing."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".jsonl"):
        raise XfkitError(f"{path}: unknown ledger format {suffix or '(none)'}; use .csv, .xlsx or .jsonl")
    materialised = list(items)
    with atomic_output(path) as tmp:
        if suffix == ".jsonl":
            with tmp.open("w", encoding="utf-8", newline="\n") as fh:
                for it in materialised:
                    fh.write(json.dumps(it.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        else:
            frame = pd.DataFrame(ledger_rows(materialised, pack), columns=list(COLUMNS))
            if suffix == ".csv":
                frame.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
            else:
                frame.to_excel(tmp, index=False, sheet_name="台账", engine="openpyxl")
    return len(materialised)
