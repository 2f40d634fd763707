"""The audit workbook: an Excel file with one sheet per part of an audit's results.

Sheets (titles translated): summary, sample strata, assignment, reviewer workload, scores, deductions,
agreement, the consultation list, calibration and the rectification list. Each sheet is one table with a bold
header row, frozen below it, and columns sized to their contents. Every cell holds a value, never a formula:
text that Excel would read as one (starting with ``=``, ``+``, ``-`` or ``@``) is written as a string cell
with Excel's quote prefix, so it shows as typed and stays text when edited. A grade decided by a veto
sub-item says so, naming the sub-item (scores and consultation sheets).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

# openpyxl ships no type information (the same ignore as in toolkit/ledger/importer.py)
from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]

from toolkit.audit.model import Review
from toolkit.audit.results import AuditResults
from toolkit.fileio import atomic_output
from toolkit.packs.model import Pack
from toolkit.reports import AuditLabels, alpha_words, audit_summary, kappa_words
from toolkit.reports.sheets import Row, Value, number_text, table

__all__ = ["audit_workbook_bytes", "write_audit_workbook"]


_SCORE = "0.0"
_STAT = "0.000"
_PERCENT = "0.0%"


def audit_workbook_bytes(
    results: AuditResults,
    pack: Pack,
    reviews: Sequence[Review] = (),
    lang: str = "zh",
) -> bytes:
    """The audit workbook as ``.xlsx`` bytes (for a download button).

    Parameters
    ----------
    results
        The audit's results.
    pack
        The pack whose unit names, problem types and defect names label the codes.
    reviews
        The reviews behind ``results`` (latest per item and reviewer), for the deductions sheet; done or
        not, each row says which. Without them that sheet has its header only.
    lang
        ``"zh"`` or ``"en"``: sheet titles, headers and labels. Data (unit names, notes) is as entered.

    Returns
    -------
    bytes
        A complete ``.xlsx`` file.
    """
    labels = AuditLabels(results, pack, lang)
    wb = Workbook()
    first = wb.active
    if first is not None:
        wb.remove(first)
    _summary_sheet(wb, labels)
    _sample_sheet(wb, labels)
    _assignment_sheet(wb, labels)
    _workload_sheet(wb, labels)
    _scores_sheet(wb, labels)
    _deductions_sheet(wb, labels, reviews)
    _agreement_sheet(wb, labels)
    _disagreements_sheet(wb, labels)
    _calibration_sheet(wb, labels)
    _rectification_sheet(wb, labels)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_audit_workbook(
    results: AuditResults,
    pack: Pack,
    path: Path | str,
    reviews: Sequence[Review] = (),
    lang: str = "zh",
) -> None:
    """Write the audit workbook to ``path``, all or nothing.

    Parameters
    ----------
    results, pack, reviews, lang
        As for :func:`audit_workbook_bytes`.
    path
        The ``.xlsx`` file to write; it is replaced only once the new one is complete.

    Raises
    ------
    OSError
        When the file cannot be written; ``path`` is then left as it was.
    """
    data = audit_workbook_bytes(results, pack, reviews, lang)
    with atomic_output(Path(path)) as tmp:
        tmp.write_bytes(data)


# -- sheets ------------------------------------------------------------------------------------------


def _summary_sheet(wb: Workbook, labels: AuditLabels) -> None:
    headers = [labels.msg("report.audit.col.field"), labels.msg("report.audit.col.value")]
    table(wb, labels.msg("report.audit.sheet.summary"), headers, audit_summary(labels), formats={1: _STAT})


def _sample_sheet(wb: Workbook, labels: AuditLabels) -> None:
    sample = labels.results.audit.sample
    by = sample.by
    keys = [labels.key_header(k) for k in by] or [labels.msg("report.audit.field.strata")]
    headers = [*keys, labels.msg("report.audit.col.population"), labels.msg("report.audit.col.sample")]
    rows: list[Row] = []
    for stratum in sample.strata:
        if by:
            values = [labels.stratum_value(k, v) for k, v in zip(by, stratum.key, strict=False)]
        else:
            values = [labels.msg("report.audit.stratum.all")]
        rows.append([*values, stratum.population, stratum.sample])
    table(wb, labels.msg("report.audit.sheet.sample"), headers, rows)


def _assignment_sheet(wb: Workbook, labels: AuditLabels) -> None:
    audit = labels.results.audit
    units = {item.id: item.unit for item in audit.items}
    headers = [
        labels.msg("report.audit.col.item"),
        labels.msg("report.audit.col.unit"),
        labels.msg("report.audit.col.reviewers"),
    ]
    rows: list[Row] = [
        [item_id, labels.unit(units.get(item_id, "")), labels.join(list(names))]
        for item_id, names in audit.assignment.pairs.items()
    ]
    table(wb, labels.msg("report.audit.sheet.assignment"), headers, rows)


def _workload_sheet(wb: Workbook, labels: AuditLabels) -> None:
    results = labels.results
    loads = results.audit.assignment.loads()
    done: dict[str, int] = {}
    for item in results.items:
        for name in item.scores:
            done[name] = done.get(name, 0) + 1
    headers = [
        labels.msg("report.audit.col.reviewer"),
        labels.msg("report.audit.col.reviewer_unit"),
        labels.msg("report.audit.col.assigned"),
        labels.msg("report.audit.col.done"),
    ]
    rows: list[Row] = []
    for reviewer in results.audit.reviewers:
        progress = results.progress.get(reviewer.name)
        rows.append(
            [
                reviewer.name,
                labels.unit(reviewer.unit),
                progress[1] if progress else loads.get(reviewer.name, 0),
                progress[0] if progress else done.get(reviewer.name, 0),
            ]
        )
    table(wb, labels.msg("report.audit.sheet.workload"), headers, rows)


def _scores_sheet(wb: Workbook, labels: AuditLabels) -> None:
    results = labels.results
    k = max([results.audit.assignment.k, *(len(r.reviewers) for r in results.items)])
    headers = [
        labels.msg("report.audit.col.item"),
        labels.msg("report.audit.col.unit"),
        labels.msg("report.audit.col.category"),
    ]
    for n in range(1, k + 1):
        headers += [
            labels.msg("report.audit.col.reviewer_n", n=n),
            labels.msg("report.audit.col.score_n", n=n),
        ]
    headers += [
        labels.msg("report.audit.col.mean"),
        labels.msg("report.audit.col.grade"),
        labels.msg("report.audit.col.complete"),
    ]
    rows: list[Row] = []
    for r in results.items:
        row: list[Value] = [
            r.item.id,
            labels.unit(r.item.unit),
            labels.stratum_value("category", r.item.category),
        ]
        for n in range(k):
            name = r.reviewers[n] if n < len(r.reviewers) else None
            score = r.scores.get(name) if name is not None else None
            row += [name, score.total if score else None]
        row += [r.mean, labels.vetoed_grade(r.grade, r.vetoed_by), labels.yes_no(r.complete)]
        rows.append(row)
    score_columns = {3 + 2 * n + 1: _SCORE for n in range(k)} | {3 + 2 * k: _SCORE}
    table(wb, labels.msg("report.audit.sheet.scores"), headers, rows, formats=score_columns)


def _deductions_sheet(wb: Workbook, labels: AuditLabels, reviews: Sequence[Review]) -> None:
    order = {item.id: i for i, item in enumerate(labels.results.audit.items)}
    headers = [
        labels.msg("report.audit.col.item"),
        labels.msg("report.audit.col.reviewer"),
        labels.msg("report.audit.col.review_status"),
        labels.msg("report.audit.col.dimension"),
        labels.msg("report.audit.col.subitem"),
        labels.msg("report.audit.col.points"),
        labels.msg("report.audit.col.defect"),
        labels.msg("report.audit.col.note"),
    ]
    rows: list[Row] = []
    for review in sorted(reviews, key=lambda rv: (order.get(rv.item_id, len(order)), rv.item_id)):
        status = labels.msg("report.audit.review.done" if review.done else "report.audit.review.draft")
        for d in review.deductions:
            rows.append(
                [
                    review.item_id,
                    review.reviewer,
                    status,
                    labels.dimension_of(d.subitem),
                    labels.subitem(d.subitem),
                    d.points,
                    labels.defect(d.defect),
                    d.note,
                ]
            )
    table(wb, labels.msg("report.audit.sheet.deductions"), headers, rows, wrap={7})


def _agreement_sheet(wb: Workbook, labels: AuditLabels) -> None:
    agreement = labels.results.agreement
    lang = labels.lang
    headers = [
        labels.msg("report.audit.col.statistic"),
        labels.msg("report.audit.col.dimension"),
        labels.msg("report.audit.col.number"),
        labels.msg("report.audit.col.meaning"),
    ]
    rows: list[Row] = [
        [labels.msg("report.audit.stat.kappa"), "", agreement.kappa, kappa_words(agreement.kappa, lang)],
        [labels.msg("report.audit.stat.alpha"), "", agreement.alpha, alpha_words(agreement.alpha, lang)],
        [labels.msg("report.audit.stat.items"), "", agreement.items, ""],
    ]
    for code, value in _subitem_kappas(labels):
        rows.append([labels.subitem(code), labels.dimension_of(code), value, kappa_words(value, lang)])
    table(wb, labels.msg("report.audit.sheet.agreement"), headers, rows, formats={2: _STAT})


def _disagreements_sheet(wb: Workbook, labels: AuditLabels) -> None:
    headers = [
        labels.msg("report.audit.col.item"),
        labels.msg("report.audit.col.unit"),
        labels.msg("report.audit.col.totals"),
        labels.msg("report.audit.col.grades"),
        labels.msg("report.audit.col.spread"),
        labels.msg("report.audit.col.split"),
        labels.msg("report.audit.col.reasons"),
    ]
    rows: list[Row] = []
    for d in labels.results.disagreements:
        rows.append(
            [
                d.item_id,
                d.unit_name,
                labels.join([f"{name} {number_text(total)}" for name, total in d.totals.items()]),
                labels.join(
                    [
                        f"{name} {labels.vetoed_grade(code, d.vetoed.get(name, ()))}"
                        for name, code in d.grades.items()
                    ]
                ),
                d.spread,
                labels.join([labels.subitem(code) for code in d.split_subitems]),
                labels.join([labels.reason(code) for code in d.reasons]),
            ]
        )
    table(wb, labels.msg("report.audit.sheet.disagreements"), headers, rows, formats={4: _SCORE})


def _calibration_sheet(wb: Workbook, labels: AuditLabels) -> None:
    headers = [
        labels.msg("report.audit.col.reviewer"),
        labels.msg("report.audit.col.items_reviewed"),
        labels.msg("report.audit.col.planted"),
        labels.msg("report.audit.col.found"),
        labels.msg("report.audit.col.recall"),
        labels.msg("report.audit.col.false_deductions"),
    ]
    rows: list[Row] = [
        [c.reviewer, c.items, c.planted, c.found, c.recall, c.false_deductions]
        for c in labels.results.calibration
    ]
    table(wb, labels.msg("report.audit.sheet.calibration"), headers, rows, formats={4: _PERCENT})


def _rectification_sheet(wb: Workbook, labels: AuditLabels) -> None:
    headers = [
        labels.msg("report.audit.col.unit"),
        labels.msg("report.audit.col.dimension"),
        labels.msg("report.audit.col.subitem"),
        labels.msg("report.audit.col.defect"),
        labels.msg("report.audit.col.count"),
        labels.msg("report.audit.col.item_ids"),
        labels.msg("report.audit.col.notes"),
    ]
    rows: list[Row] = [
        [
            row.unit_name or labels.unit(row.unit),
            labels.dimension(row.dimension),
            labels.subitem(row.subitem),
            labels.defect(row.defect),
            row.count,
            labels.join(list(row.item_ids)),
            "\n".join(row.notes),
        ]
        for row in labels.results.rectification
    ]
    table(wb, labels.msg("report.audit.sheet.rectification"), headers, rows, wrap={5, 6})


# -- writing -----------------------------------------------------------------------------------------


def _subitem_kappas(labels: AuditLabels) -> list[tuple[str, float | None]]:
    """Per-sub-item kappa in rubric order, then any sub-item the rubric does not list."""
    by_code = labels.results.agreement.kappa_by_subitem
    codes = [s.code for s in labels.results.rubric.subitems if s.code in by_code]
    codes += [code for code in by_code if code not in codes]
    return [(code, by_code[code]) for code in codes]
