"""The score report of an intake attempt, shown only after the attempt is stored.

One table row per scored field: what the learner recorded, what was expected, points, and the rule that
decides it with its source. Visits and calls add the conduct of every turn (the reply chosen, the model
reply, the fault and its rule) and points per conduct dimension. Codes are shown as labels of the page's
language; unit codes as the pack's unit names.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from toolkit.domain.codes import Category, Conduct, Disposal, Flag, ManagementLevel, RouteAction
from toolkit.domain.conversation import Conversation
from toolkit.errors import PackError
from toolkit.generate.cases import UNSPECIFIED
from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.scoring.intake import ScoreItem, ScoreReport
from toolkit.ui.cite import cited

__all__ = ["ValueFormatter", "report_html"]

DASH = "—"


class ValueFormatter:
    """Turns the JSON values of a score item into text for people (labels, unit names, dates)."""

    def __init__(self, pack: Pack, lang: str) -> None:
        self.pack = pack
        self.lang = lang

    def unit(self, code: str | None) -> str:
        if not code:
            return DASH
        try:
            return self.pack.jurisdiction.name(code)
        except PackError:
            return code

    def code(self, enum: Any, value: Any) -> str:
        try:
            label: str = enum(value).label(self.lang)
        except ValueError:
            return str(value)
        return label

    def problem(self, code: Any) -> str:
        if not code:
            return DASH
        if code == UNSPECIFIED:
            return t("intake.form.problem_unspecified", self.lang)
        try:
            return self.pack.problem(str(code)).name
        except PackError:
            return str(code)

    def format(self, field: str, value: Any) -> str:
        """``value`` of ``field`` as text."""
        if value is None or value == [] or value == {}:
            return DASH
        head = field.split(".", 1)[0]
        if head == "category":
            return self.code(Category, value)
        if head == "flags":
            return t("intake.report.list_sep", self.lang).join(self.code(Flag, v) for v in value)
        if head == "problem_type":
            return self.problem(value)
        if head == "disposal":
            return self.code(Disposal, value)
        if head == "route" and isinstance(value, Mapping):
            text = f"{self.code(RouteAction, value.get('action'))} → {self.unit(value.get('unit'))}"
            if value.get("copy_to"):
                text += t("intake.report.copy_to", self.lang, unit=self.unit(value["copy_to"]))
            return text
        if head == "reporter" and isinstance(value, Mapping):
            parts = [str(v) for v in (value.get("name"), value.get("phone")) if v]
            return " / ".join(parts) if parts else DASH
        if head == "accused" and isinstance(value, Sequence) and not isinstance(value, str):
            sep = t("intake.report.item_sep", self.lang)
            return sep.join(self._accused(a) for a in value if isinstance(a, Mapping)) or DASH
        return str(value)

    def _accused(self, a: Mapping[str, Any]) -> str:
        level = self.code(ManagementLevel, a.get("level")) if a.get("level") else DASH
        return t(
            "intake.report.accused",
            self.lang,
            name=a.get("name") or DASH,
            post=a.get("post") or DASH,
            unit=self.unit(a.get("unit")),
            level=level,
        )


def col_labels(prefix: str, columns: Sequence[str], lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """Column names of a report table, HTML-escaped, by column: for the header cells, and for the
    ``data-label`` each cell carries (with a colon) so that a phone shows each cell under its column's
    name."""
    heads = {c: html.escape(t(f"{prefix}{c}", lang)) for c in columns}
    colon = html.escape(t("intake.report.colon", lang))
    return heads, {c: text + colon for c, text in heads.items()}


def _table(css: str, head: str, rows: Sequence[str]) -> str:
    return (
        f'<table class="xf-table {css}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _points(value: float) -> str:
    return f"{value:g}"


def _field_label(item: ScoreItem, pack: Pack, lang: str) -> str:
    head, _, rest = item.field.partition(".")
    if head == "due" and rest:
        try:
            rule = pack.rules.deadline(rest)
        except PackError:
            return t("intake.report.field.due", lang) + f" · {rest}"
        return t("intake.report.field.due", lang) + " · " + (rule.name_en if lang == "en" else rule.name_zh)
    return t(f"intake.report.field.{head}", lang)


def _status(item: ScoreItem) -> str:
    if item.points >= item.max:
        return "full"
    return "part" if item.points > 0 else "none"


def _fields_table(report: ScoreReport, pack: Pack, lang: str) -> str:
    fmt = ValueFormatter(pack, lang)
    heads, label = col_labels("intake.report.col.", ("field", "got", "expected", "points", "rule"), lang)
    head = "".join(f"<th>{text}</th>" for text in heads.values())
    rows = []
    for item in report.items:
        if item.kind != "field":
            continue
        rule = html.escape(item.reason)
        if item.source:
            rule += f'<span class="xf-source">{html.escape(cited(item.source, lang, pack))}</span>'
        got, expected, points, why = (label[c] for c in ("got", "expected", "points", "rule"))
        rows.append(
            f'<tr class="xf-score-{_status(item)}"><th>{html.escape(_field_label(item, pack, lang))}</th>'
            f'<td data-label="{got}">{html.escape(fmt.format(item.field, item.got))}</td>'
            f'<td data-label="{expected}">{html.escape(fmt.format(item.field, item.expected))}</td>'
            f'<td class="xf-num" data-label="{points}">{_points(item.points)} / {_points(item.max)}</td>'
            f'<td data-label="{why}">{rule}</td></tr>'
        )
    return _table("xf-score-table", head, rows)


def _conduct_html(report: ScoreReport, conversation: Conversation, choices: Sequence[str], lang: str) -> str:
    items = [i for i in report.items if i.kind == "conduct"]
    if not items:
        return ""
    heads, label = col_labels("intake.report.col.", ("turn", "dimension", "reply", "points"), lang)
    rows = []
    for n, item in enumerate(items):
        turn = conversation.turns[n]
        chosen = turn.option(choices[n]) if n < len(choices) else None
        dimension = Conduct(turn.dimension).label(lang)
        fault = ""
        if chosen is not None and chosen.fault is not None:
            fault = (
                f'<p class="xf-fault"><b>{html.escape(chosen.fault.name)}</b>'
                f"{html.escape(t('intake.report.colon', lang))}{html.escape(chosen.fault.rule)}"
                f'<span class="xf-source">{html.escape(cited(chosen.fault.source, lang))}</span></p>'
            )
        model = ""
        if chosen is None or chosen.fault is not None:
            model = (
                f'<p class="xf-model"><span class="xf-label">'
                f"{html.escape(t('intake.report.model_reply', lang))}</span>"
                f"{html.escape(turn.model.text)}</p>"
            )
        said = html.escape(chosen.text) if chosen is not None else DASH
        rows.append(
            f'<tr class="xf-score-{_status(item)}"><th>{n + 1}</th>'
            f'<td data-label="{label["dimension"]}">{html.escape(dimension)}</td>'
            f'<td data-label="{label["reply"]}"><p>{said}</p>{fault}{model}</td>'
            f'<td class="xf-num" data-label="{label["points"]}">'
            f"{_points(item.points)} / {_points(item.max)}</td></tr>"
        )
    head = "".join(f"<th>{text}</th>" for text in heads.values())
    dims = report.by_dimension()
    summary = "".join(
        f"<li>{html.escape(Conduct(code).label(lang) + t('intake.report.colon', lang))}"
        f"{_points(got)} / {_points(top)}</li>"
        for code, (got, top) in dims.items()
    )
    return (
        f"<h3>{html.escape(t('intake.report.conduct', lang))}</h3>"
        f'<ul class="xf-dims">{summary}</ul>' + _table("xf-conduct-table", head, rows)
    )


def report_html(
    report: ScoreReport,
    *,
    pack: Pack,
    lang: str,
    conversation: Conversation | None = None,
    choices: Sequence[str] = (),
) -> str:
    """The whole score report as HTML: total and grade, fields, conduct, and the model answer."""
    grade = report.grade_label(lang)
    total = t(
        "intake.report.total",
        lang,
        total=_points(report.total),
        max=_points(report.max),
        percent=f"{report.percent:.0f}",
        grade=grade,
    )
    parts = [
        f'<div class="xf-score-total xf-grade-{html.escape(report.grade)}">{html.escape(total)}</div>',
        f"<h3>{html.escape(t('intake.report.fields', lang))}</h3>",
        _fields_table(report, pack, lang),
    ]
    if conversation is not None:
        parts.append(_conduct_html(report, conversation, choices, lang))
    parts.append(f'<p class="xf-hint">{html.escape(t("intake.report.expected_is_model", lang))}</p>')
    return f'<div class="xf-report">{"".join(parts)}</div>'
