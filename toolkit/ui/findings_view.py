"""The score report of a fault-finding review, shown only after the marks are stored.

The total with hits, misses and false alarms; one row per planted defect (found or missed) and per false
alarm, with what the reviewer should have noticed and the rule with its source; then the answer key: every
planted defect with its document and place in it.
"""

from __future__ import annotations

import html

from toolkit.domain.codes import DefectDimension
from toolkit.domain.dossier import Dossier, PlantedDefect
from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.scoring.findings import FindingItem, FindingsReport
from toolkit.ui.cite import cited
from toolkit.ui.score_view import col_labels

__all__ = ["findings_report_html", "place_text"]


def _points(value: float) -> str:
    return f"{value:g}"


def place_text(dossier: Dossier, planted: PlantedDefect, lang: str) -> str:
    """Where a planted defect is: the document (as the tabs name it) and the field or paragraph."""
    n = next((i for i, d in enumerate(dossier.documents, start=1) if d.id == planted.document), 0)
    try:
        doc = dossier.document(planted.document)
    except KeyError:
        return planted.document
    where = t("faults.report.doc", lang, n=n, title=doc.title)
    kind, _, detail = planted.location.partition(":")
    if kind == "field":
        found = doc.field(detail)
        return where + t("faults.report.in_field", lang, field=found.label if found else detail)
    if kind == "paragraph" and detail.isdigit():
        return where + t("faults.report.in_paragraph", lang, n=int(detail) + 1)
    return where


def _row(item: FindingItem, label: dict[str, str], lang: str, pack: Pack) -> str:
    status = {"hit": "full", "clean": "full", "miss": "none", "false_alarm": "none"}[item.kind.value]
    name = item.name or (item.defect or "")
    if item.dimension:
        name = f"{DefectDimension(item.dimension).label(lang)} · {name}"
    explanation = f"<p>{html.escape(item.explanation)}</p>" if item.explanation else ""
    rule = (
        f"{explanation}<p>{html.escape(item.rule)}</p>"
        f'<span class="xf-source">{html.escape(cited(item.source, lang, pack))}</span>'
    )
    return (
        f'<tr class="xf-score-{status}"><th>{html.escape(item.kind.label(lang))}</th>'
        f'<td data-label="{label["defect"]}">{html.escape(name)}</td>'
        f'<td data-label="{label["detail"]}">{html.escape(item.reason.removesuffix(item.rule))}</td>'
        f'<td class="xf-num" data-label="{label["points"]}">{_points(item.points)} / {_points(item.max)}</td>'
        f'<td data-label="{label["rule"]}">{rule}</td></tr>'
    )


def findings_report_html(report: FindingsReport, *, dossier: Dossier, pack: Pack, lang: str) -> str:
    """The whole report as HTML."""
    total = t(
        "faults.report.total",
        lang,
        total=_points(report.total),
        max=_points(report.max),
        percent=f"{report.percent:.0f}",
        grade=report.grade_label(lang),
        hits=report.hits,
        misses=report.misses,
        false_alarms=report.false_alarms,
    )
    heads, label = col_labels("faults.report.col.", ("result", "defect", "detail", "points", "rule"), lang)
    head = "".join(f"<th>{text}</th>" for text in heads.values())
    rows = "".join(_row(item, label, lang, pack) for item in report.items)
    if dossier.answer_key:
        key_rows = "".join(
            f"<li><b>{html.escape(pack.defects.types[p.defect].name)}</b>"
            f"{html.escape(t('intake.report.colon', lang))}{html.escape(place_text(dossier, p, lang))}"
            + (f"<br><span class='xf-hint'>{html.escape(p.note)}</span>" if p.note else "")
            + "</li>"
            for p in dossier.answer_key
        )
        key = f'<ol class="xf-answer-key">{key_rows}</ol>'
    else:
        key = f"<p>{html.escape(t('faults.report.clean', lang))}</p>"
    return (
        f'<div class="xf-report"><div class="xf-score-total">{html.escape(total)}</div>'
        f'<table class="xf-table xf-score-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        f"<h3>{html.escape(t('faults.report.key', lang))}</h3>{key}</div>"
    )
