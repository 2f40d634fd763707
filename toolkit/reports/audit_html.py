"""The printable audit report: one self-contained HTML document, A4 when printed.

Sections: title and summary; grade distribution (with the items a veto sub-item graded, when the rubric
has veto sub-items); mean score per unit; average points deducted per
dimension; agreement between reviewers; the consultation list; reviewer calibration; and a rectification
list per unit, each unit starting on a new page in print. Charts are inline SVG
(:mod:`toolkit.charts`); the document loads nothing (no link, script, image or font file), so it can be
saved, mailed and printed offline. Every value from the data is escaped; every label comes from the
message catalogue.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from toolkit.audit.results import AuditResults, RectificationRow
from toolkit.charts import bar_chart_svg, fmt_number
from toolkit.i18n import html_lang
from toolkit.packs.model import Pack
from toolkit.reports import AuditLabels, alpha_words, audit_summary, kappa_words

__all__ = ["audit_report_html"]

_DASH = "\u2013"
_FONTS = (
    '"Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimSun", sans-serif'
)
_CSS = f"""
:root {{ color: #1d2129; background: #ffffff; }}
body {{ font-family: {_FONTS}; font-size: 14px; line-height: 1.6; margin: 24px auto; max-width: 960px;
  padding: 0 16px; }}
h1 {{ font-size: 24px; margin: 0 0 4px; }}
h2 {{ font-size: 18px; border-bottom: 2px solid #a8071a; padding-bottom: 4px; margin: 28px 0 10px; }}
h3 {{ font-size: 15px; margin: 16px 0 6px; }}
.subtitle {{ color: #4e5969; margin: 0 0 16px; }}
.note {{ color: #4e5969; font-size: 12px; }}
table {{ border-collapse: collapse; width: 100%; margin: 8px 0 12px; }}
th, td {{ border: 1px solid #c9cdd4; padding: 4px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f2f3f5; font-weight: 700; }}
td.num {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
td.key {{ white-space: nowrap; }}
table.summary th {{ width: 30%; }}
.chart {{ margin: 8px 0 16px; }}
@page {{ size: A4; margin: 15mm; }}
@media print {{
  body {{ margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }}
  .unit {{ break-before: page; page-break-before: always; }}
  .screen-only {{ display: none; }}
  thead {{ display: table-header-group; }}
  tr, .chart {{ break-inside: avoid; page-break-inside: avoid; }}
  h2, h3 {{ break-after: avoid; page-break-after: avoid; }}
}}
"""


class _Html(str):
    """Text that is already HTML (escaped where it holds data): table cells put it in as it is."""


Cell = str | int | float | None


def audit_report_html(results: AuditResults, pack: Pack, lang: str = "zh") -> str:
    """The audit report as a complete, printable HTML document.

    Parameters
    ----------
    results
        The audit's results.
    pack
        The pack whose unit names, problem types and defect names label the codes.
    lang
        ``"zh"`` or ``"en"``: every label, the ``lang`` attribute and the number words. Data (unit names,
        notes) is shown as entered.

    Returns
    -------
    str
        ``<!doctype html>`` and one ``<html>`` element with inline CSS (A4 pages when printed, each unit's
        rectification list on a new page) and inline SVG charts; it refers to no other file or address.
    """
    labels = AuditLabels(results, pack, lang)
    title = labels.msg("report.audit.title")
    parts = [
        f"<h1>{_e(title)}</h1>",
        f'<p class="subtitle">{_e(results.audit.name)}</p>',
        _summary(labels),
        _grades(labels),
        _vetoes(labels),
        _units(labels),
        _dimensions(labels),
        _agreement(labels),
        _disagreements(labels),
        _calibration(labels),
        _rectification(labels),
    ]
    body = "\n".join(parts)
    return (
        "<!doctype html>\n"
        f'<html lang="{html_lang(labels.lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)} {_e(_DASH)} {_e(results.audit.name)}</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


# -- sections ----------------------------------------------------------------------------------------


def _summary(labels: AuditLabels) -> str:
    rows = "".join(
        f"<tr><th>{_e(label)}</th><td>{_e(_value(value))}</td></tr>" for label, value in audit_summary(labels)
    )
    heading = labels.msg("report.audit.heading.summary")
    return f'<section><h2>{_e(heading)}</h2><table class="summary"><tbody>{rows}</tbody></table></section>'


def _grades(labels: AuditLabels) -> str:
    counts = labels.results.grade_counts()
    bars = [
        (band.label(labels.lang), float(counts.get(band.code, 0))) for band in labels.results.rubric.grades
    ]
    top = max([1.0, *(value for _, value in bars)])
    chart = bar_chart_svg(
        bars if sum(counts.values()) else [],
        max_value=top,
        title=labels.msg("report.audit.chart.grades"),
        empty_text=labels.msg("chart.no_data"),
    )
    return _chart_section(labels.msg("report.audit.heading.grades"), chart)


def _vetoes(labels: AuditLabels) -> str:
    """The rubric's veto rule and the items it graded ("" when the rubric has no veto sub-item)."""
    rubric = labels.results.rubric
    if not rubric.veto:
        return ""
    veto_grade = rubric.veto_grade.label(labels.lang)
    rule = labels.msg(
        "report.audit.veto.rule",
        subitems=labels.join([labels.subitem(code) for code in rubric.veto]),
        grade=veto_grade,
    )
    heading = f"<h2>{_e(labels.msg('report.audit.heading.vetoes'))}</h2>"
    note = f'<p class="note">{_e(rule)}</p>'
    vetoed = [r for r in labels.results.items if r.vetoed_by]
    if not vetoed:
        return f"<section>{heading}<p>{_e(labels.msg('report.audit.none.vetoes'))}</p>{note}</section>"
    table = _table(
        [
            labels.msg("report.audit.col.item"),
            labels.msg("report.audit.col.unit"),
            labels.msg("report.audit.col.mean"),
            labels.msg("report.audit.col.grade"),
            labels.msg("report.audit.col.veto"),
            labels.msg("report.audit.col.vetoed_by"),
        ],
        [
            [
                r.item.id,
                r.item.unit_name or labels.unit(r.item.unit),
                _DASH if r.mean is None else fmt_number(r.mean),
                labels.vetoed_grade(r.grade, r.vetoed_by),
                labels.join([labels.subitem(code) for code in r.vetoed_by]),
                labels.join([name for name, s in r.scores.items() if s.vetoed_by]),
            ]
            for r in vetoed
        ],
        numeric={2},
        keys={0},
    )
    return f"<section>{heading}{table}{note}</section>"


def _units(labels: AuditLabels) -> str:
    means: dict[str, list[float]] = {}
    for r in labels.results.items:
        bucket = means.setdefault(r.item.unit, [])
        if r.mean is not None:
            bucket.append(r.mean)
    bars = [(labels.unit(unit), sum(values) / len(values)) for unit, values in means.items() if values]
    total = labels.results.rubric.total
    chart = bar_chart_svg(
        bars,
        width=680,
        label_width=280,  # unit names are long (a district bureau is 11 characters)
        max_value=total if total > 0 else 1.0,
        title=labels.msg("report.audit.chart.units", total=fmt_number(total)),
        empty_text=labels.msg("chart.no_data"),
    )
    return _chart_section(labels.msg("report.audit.heading.units"), chart)


def _dimensions(labels: AuditLabels) -> str:
    scores = [s for r in labels.results.items for s in r.scores.values()]
    dimensions = labels.results.rubric.dimensions
    bars: list[tuple[str, float]] = []
    if scores:
        for dim in dimensions:
            lost = sum(s.deducted.get(sub.code, 0.0) for s in scores for sub in dim.subitems)
            bars.append((dim.label(labels.lang), lost / len(scores)))
    top = max([1.0, *(d.points for d in dimensions)])
    chart = bar_chart_svg(
        bars,
        width=680,
        label_width=280,
        max_value=top,
        title=labels.msg("report.audit.chart.dimensions"),
        empty_text=labels.msg("chart.no_data"),
    )
    return _chart_section(labels.msg("report.audit.heading.dimensions"), chart)


def _agreement(labels: AuditLabels) -> str:
    agreement = labels.results.agreement
    lang = labels.lang
    overall = _table(
        [
            labels.msg("report.audit.col.statistic"),
            labels.msg("report.audit.col.number"),
            labels.msg("report.audit.col.meaning"),
        ],
        [
            [
                labels.msg("report.audit.stat.kappa"),
                _stat(agreement.kappa),
                kappa_words(agreement.kappa, lang),
            ],
            [
                labels.msg("report.audit.stat.alpha"),
                _stat(agreement.alpha),
                alpha_words(agreement.alpha, lang),
            ],
            [labels.msg("report.audit.stat.items"), agreement.items, ""],
        ],
        numeric={1},
    )
    by_code = agreement.kappa_by_subitem
    codes = [s.code for s in labels.results.rubric.subitems if s.code in by_code]
    codes += [code for code in by_code if code not in codes]
    per_subitem = _table(
        [
            labels.msg("report.audit.col.subitem"),
            labels.msg("report.audit.col.dimension"),
            labels.msg("report.audit.col.number"),
            labels.msg("report.audit.col.meaning"),
        ],
        [
            [
                labels.subitem(code),
                labels.dimension_of(code),
                _stat(by_code[code]),
                kappa_words(by_code[code], lang),
            ]
            for code in codes
        ],
        numeric={2},
    )
    notes = (
        f'<p class="note">{_e(labels.msg("report.audit.kappa.scale"))}</p>'
        f'<p class="note">{_e(labels.msg("report.audit.alpha.scale"))}</p>'
    )
    return (
        f"<section><h2>{_e(labels.msg('report.audit.heading.agreement'))}</h2>{overall}"
        f"<h3>{_e(labels.msg('report.audit.heading.subitem_kappa'))}</h3>{per_subitem}{notes}</section>"
    )


def _disagreements(labels: AuditLabels) -> str:
    heading = f"<h2>{_e(labels.msg('report.audit.heading.disagreements'))}</h2>"
    items = labels.results.disagreements
    if not items:
        return f"<section>{heading}<p>{_e(labels.msg('report.audit.none.disagreements'))}</p></section>"
    table = _table(
        [
            labels.msg("report.audit.col.item"),
            labels.msg("report.audit.col.unit"),
            labels.msg("report.audit.col.totals"),
            labels.msg("report.audit.col.grades"),
            labels.msg("report.audit.col.spread"),
            labels.msg("report.audit.col.split"),
            labels.msg("report.audit.col.reasons"),
        ],
        [
            [
                d.item_id,
                d.unit_name,
                labels.join([f"{name} {fmt_number(total)}" for name, total in d.totals.items()]),
                labels.join(
                    [
                        f"{name} {labels.vetoed_grade(code, d.vetoed.get(name, ()))}"
                        for name, code in d.grades.items()
                    ]
                ),
                fmt_number(d.spread),
                labels.join([labels.subitem(code) for code in d.split_subitems]),
                labels.join([labels.reason(code) for code in d.reasons]),
            ]
            for d in items
        ],
        numeric={4},
        keys={0},
    )
    return f"<section>{heading}{table}</section>"


def _calibration(labels: AuditLabels) -> str:
    heading = f"<h2>{_e(labels.msg('report.audit.heading.calibration'))}</h2>"
    rows = labels.results.calibration
    if not rows:
        return f"<section>{heading}<p>{_e(labels.msg('report.audit.none.calibration'))}</p></section>"
    table = _table(
        [
            labels.msg("report.audit.col.reviewer"),
            labels.msg("report.audit.col.items_reviewed"),
            labels.msg("report.audit.col.planted"),
            labels.msg("report.audit.col.found"),
            labels.msg("report.audit.col.recall"),
            labels.msg("report.audit.col.false_deductions"),
        ],
        [
            [
                c.reviewer,
                c.items,
                c.planted,
                c.found,
                _DASH if c.recall is None else f"{c.recall * 100:.0f}%",
                c.false_deductions,
            ]
            for c in rows
        ],
        numeric={1, 2, 3, 4, 5},
    )
    note = f'<p class="note">{_e(labels.msg("report.audit.calibration.note"))}</p>'
    return f"<section>{heading}{table}{note}</section>"


def _rectification(labels: AuditLabels) -> str:
    results = labels.results
    units: list[str] = []
    for r in results.items:
        if r.item.unit not in units:
            units.append(r.item.unit)
    for row in results.rectification:
        if row.unit not in units:
            units.append(row.unit)
    sections = [f'<h2 class="screen-only">{_e(labels.msg("report.audit.heading.rectification"))}</h2>']
    for unit in units:
        sections.append(
            _unit_section(labels, unit, [row for row in results.rectification if row.unit == unit])
        )
    return "\n".join(sections)


def _unit_section(labels: AuditLabels, unit: str, rows: Sequence[RectificationRow]) -> str:
    """One unit's rectification list: its problems grouped by rubric dimension, in rubric order."""
    name = next((row.unit_name for row in rows if row.unit_name), "") or labels.unit(unit)
    items = [r for r in labels.results.items if r.item.unit == unit]
    means = [r.mean for r in items if r.mean is not None]
    intro = labels.msg(
        "report.audit.unit_items",
        n=len(items),
        mean=fmt_number(sum(means) / len(means)) if means else _DASH,
    )
    parts = [
        f'<section class="unit" data-unit="{_e(unit)}">',
        f"<h2>{_e(labels.msg('report.audit.heading.unit', unit=name))}</h2>",
        f"<p>{_e(intro)}</p>",
    ]
    if not rows:
        parts.append(f"<p>{_e(labels.msg('report.audit.none.rectification'))}</p>")
    rank = {d.code: i for i, d in enumerate(labels.results.rubric.dimensions)}
    dimensions = sorted({row.dimension for row in rows}, key=lambda code: (rank.get(code, len(rank)), code))
    for dim in dimensions:
        group = [row for row in rows if row.dimension == dim]
        count = sum(row.count for row in group)
        heading = labels.msg("report.audit.heading.dimension", dimension=labels.dimension(dim), count=count)
        parts.append(f"<h3>{_e(heading)}</h3>")
        parts.append(
            _table(
                [
                    labels.msg("report.audit.col.subitem"),
                    labels.msg("report.audit.col.defect"),
                    labels.msg("report.audit.col.count"),
                    labels.msg("report.audit.col.item_ids"),
                    labels.msg("report.audit.col.notes"),
                ],
                [
                    [
                        labels.subitem(row.subitem),
                        labels.defect(row.defect),
                        row.count,
                        labels.join(list(row.item_ids)),
                        _Html("<br>".join(_e(note) for note in row.notes)),
                    ]
                    for row in group
                ],
                numeric={2},
            )
        )
    parts.append("</section>")
    return "".join(parts)


# -- building blocks ---------------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _value(value: str | int | float | None) -> str:
    """A summary value as text: statistics (the only floats there) to three decimals."""
    if value is None:
        return _DASH
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _stat(value: float | None) -> str:
    return _DASH if value is None else f"{value:.3f}"


def _chart_section(heading: str, chart: str) -> str:
    return f'<section><h2>{_e(heading)}</h2><div class="chart">{chart}</div></section>'


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    numeric: set[int] | None = None,
    keys: set[int] | None = None,
) -> str:
    """A table with a header row; cells are escaped unless already HTML.

    ``numeric`` columns are right-aligned, ``keys`` columns (item numbers) never wrap.
    """
    right = numeric or set()
    unbroken = keys or set()
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = value if isinstance(value, _Html) else _e(_value(value) if value is not None else "")
            cls = ' class="num"' if i in right else ' class="key"' if i in unbroken else ""
            cells.append(f"<td{cls}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
