"""The results of a competition as an Excel workbook: the ranking, scores per round, every answer.

Built from plain data gathered by :func:`toolkit.competitions.export_data`; every label comes from the
catalogue in the language asked for.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]

from toolkit.competition.leaderboard import Standing
from toolkit.competition.model import CompetitionSpec
from toolkit.i18n import t
from toolkit.reports.sheets import Row, table

__all__ = ["contest_workbook_bytes"]


def contest_workbook_bytes(
    *,
    name: str,
    code: str,
    spec: CompetitionSpec,
    standings: Sequence[Standing],
    answers: Sequence[Mapping[str, Any]],
    lang: str = "zh",
) -> bytes:
    """Three sheets: ranking (rank, name, total, time used), per-round scores, and one row per answer.

    ``answers`` are dicts with ``contestant`` (display name), ``round``, ``key``, ``kind``, ``points``,
    ``max``, ``time_used_s``, ``submitted_at`` (text) and ``answer`` (JSON-compatible).
    """
    wb = Workbook()
    wb.remove(wb.active)
    rounds = range(1, len(spec.rounds) + 1)

    def round_head(n: int) -> str:
        kind = t(f"contest.kind.{spec.round(n).kind}", lang)
        return f"{t('contest.round_no', lang, n=n, total=len(spec.rounds))} {kind}"

    ranking: list[Row] = [[s.rank, s.name, s.total, round(s.time_used_s, 1), s.answered] for s in standings]
    heads = [t(f"export.col.{c}", lang) for c in ("rank", "name", "total", "time", "answered")]
    table(wb, t("export.sheet.ranking", lang), heads, ranking)
    per_round: list[Row] = [[s.name, *(s.per_round.get(n, 0.0) for n in rounds), s.total] for s in standings]
    table(
        wb,
        t("export.sheet.rounds", lang),
        [t("export.col.name", lang), *(round_head(n) for n in rounds), t("export.col.total", lang)],
        per_round,
    )
    rows: list[Row] = [
        [
            a["contestant"],
            int(a["round"]),
            str(a["key"]),
            t(f"contest.kind.{a['kind']}", lang),
            float(a["points"]),
            float(a["max"]),
            round(float(a["time_used_s"]), 1),
            str(a["submitted_at"]),
            json.dumps(a["answer"], ensure_ascii=False),
        ]
        for a in answers
    ]
    cols = ("name", "round", "item", "kind", "points", "max", "time", "submitted", "answer")
    table(wb, t("export.sheet.answers", lang), [t(f"export.col.{c}", lang) for c in cols], rows, wrap={8})
    summary: list[Row] = [
        [t("export.col.competition", lang), name],
        [t("export.col.code", lang), code],
        [t("export.col.seed", lang), spec.seed],
        [t("export.col.variants", lang), t("export.yes" if spec.variants else "export.no", lang)],
        *([round_head(n), f"{spec.round(n).count} × {spec.round(n).minutes}′"] for n in rounds),
    ]
    table(
        wb,
        t("export.sheet.summary", lang),
        [t("export.col.field", lang), t("export.col.value", lang)],
        summary,
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
