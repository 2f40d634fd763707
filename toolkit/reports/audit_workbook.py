"""The audit workbook: an Excel file with one sheet per part of an audit's results.

Sheets (titles translated): summary, sample strata, assignment, reviewer workload, scores, deductions,
agreement, the consultation list, calibration and the rectification list. Each sheet is one table with a bold
header row, frozen below it, and columns sized to their contents. Every cell holds a value, never a formula:
text that Excel would read as one (starting with ``=``, ``+``, ``-`` or ``@``) is written as a string cell
with Excel's quote prefix, so it shows as typed and stays text when edited.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

# openpyxl ships no type information (the same ignore as in toolkit/ledger/importer.py)
from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell  # type: ignore[import-untyped, unused-ignore]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped, unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped, unused-ignore]

from toolkit.audit.model import Review
from toolkit.audit.results import AuditResults
from toolkit.fileio import atomic_output
from toolkit.packs.model import Pack
from toolkit.reports import AuditLabels, alpha_words, audit_summary, kappa_words

__all__ = ["audit_workbook_bytes", "write_audit_workbook"]

Value = str | int | float | None
Row = Sequence[Value]

#: text starting with one of these is a formula (or DDE payload) to Excel and other spreadsheets
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="FFE8EAED", end_color="FFE8EAED")
_WRAP = Alignment(wrap_text=True, vertical="top")
_MIN_WIDTH = 6
_MAX_WIDTH = 60
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
    _table(wb, labels.msg("report.audit.sheet.summary"), headers, audit_summary(labels), formats={1: _STAT})


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
    _table(wb, labels.msg("report.audit.sheet.sample"), headers, rows)


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
    _table(wb, labels.msg("report.audit.sheet.assignment"), headers, rows)


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
    _table(wb, labels.msg("report.audit.sheet.workload"), headers, rows)


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
        row += [r.mean, labels.grade(r.grade), labels.yes_no(r.complete)]
        rows.append(row)
    score_columns = {3 + 2 * n + 1: _SCORE for n in range(k)} | {3 + 2 * k: _SCORE}
    _table(wb, labels.msg("report.audit.sheet.scores"), headers, rows, formats=score_columns)


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
    _table(wb, labels.msg("report.audit.sheet.deductions"), headers, rows, wrap={7})


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
    _table(wb, labels.msg("report.audit.sheet.agreement"), headers, rows, formats={2: _STAT})


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
                labels.join([f"{name} {_number(total)}" for name, total in d.totals.items()]),
                labels.join([f"{name} {labels.grade(code)}" for name, code in d.grades.items()]),
                d.spread,
                labels.join([labels.subitem(code) for code in d.split_subitems]),
                labels.join([labels.reason(code) for code in d.reasons]),
            ]
        )
    _table(wb, labels.msg("report.audit.sheet.disagreements"), headers, rows, formats={4: _SCORE})


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
    _table(wb, labels.msg("report.audit.sheet.calibration"), headers, rows, formats={4: _PERCENT})


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
    _table(wb, labels.msg("report.audit.sheet.rectification"), headers, rows, wrap={5, 6})


# -- writing -----------------------------------------------------------------------------------------


def _subitem_kappas(labels: AuditLabels) -> list[tuple[str, float | None]]:
    """Per-sub-item kappa in rubric order, then any sub-item the rubric does not list."""
    by_code = labels.results.agreement.kappa_by_subitem
    codes = [s.code for s in labels.results.rubric.subitems if s.code in by_code]
    codes += [code for code in by_code if code not in codes]
    return [(code, by_code[code]) for code in codes]


def _number(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _table(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Row],
    *,
    formats: Mapping[int, str] | None = None,
    wrap: frozenset[int] | set[int] = frozenset(),
) -> Worksheet:
    """A sheet holding one table: bold header row frozen at the top, then ``rows``.

    ``formats`` gives the number format of float values by column index (0-based); ``wrap`` the columns
    whose text wraps (notes, lists).
    """
    ws = wb.create_sheet(title=title)
    widths = [_width(h) for h in headers]
    for col, header in enumerate(headers, start=1):
        cell = _put(ws, 1, col, header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            cell = _put(ws, r, c + 1, value)
            if isinstance(value, float) and formats and c in formats:
                cell.number_format = formats[c]
            if c in wrap:
                cell.alignment = _WRAP
            if c < len(widths):
                widths[c] = max(widths[c], _width(value))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
    ws.freeze_panes = "A2"
    return ws


def _put(ws: Worksheet, row: int, col: int, value: Value) -> Cell:
    """Write ``value`` into a cell; text is always a string cell, never a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        cell.data_type = "s"  # openpyxl makes text starting with "=" a formula
        if text.startswith(_FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def _width(value: Value) -> int:
    """Display width of ``value`` in Excel character units (CJK characters count two)."""
    if value is None:
        return 0
    if isinstance(value, float):
        value = _number(value)
    lines = str(value).split("\n")
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines)
