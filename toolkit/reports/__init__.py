"""Printable and downloadable reports: the audit workbook (Excel) and the audit report (HTML).

Reports are built from finished results (:class:`~toolkit.audit.results.AuditResults`) and the pack that
labels their codes; every label comes from the message catalogue (:func:`toolkit.i18n.t`) in the language
asked for. Modules here may import openpyxl (only :mod:`toolkit.reports.audit_workbook` does); they never
import widgets or the database.

This module holds what both audit reports share: the code-to-label lookups (:class:`AuditLabels`), the
words for the agreement statistics and the summary rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from toolkit.audit.results import AuditResults
from toolkit.domain.codes import Category, Channel, Coded, ItemStatus
from toolkit.i18n import normalise_lang, t
from toolkit.packs.model import Pack

__all__ = [
    "AuditLabels",
    "SummaryValue",
    "alpha_words",
    "audit_summary",
    "kappa_words",
]

#: a value of the summary: numbers stay numbers (the workbook writes them as such), None when undefined
SummaryValue = str | int | float | None

#: thresholds of the Landis & Koch (1977) reading of kappa, each the top of its band
_KAPPA_BANDS: tuple[tuple[float, str], ...] = (
    (0.0, "report.audit.kappa.poor"),
    (0.20, "report.audit.kappa.slight"),
    (0.40, "report.audit.kappa.fair"),
    (0.60, "report.audit.kappa.moderate"),
    (0.80, "report.audit.kappa.substantial"),
)
_CODED: Mapping[str, type[Coded]] = {"category": Category, "status": ItemStatus, "channel": Channel}
#: the column header of each stratifying attribute (:data:`toolkit.audit.model.STRATA_KEYS`)
KEY_HEADERS: Mapping[str, str] = {
    "unit": "report.audit.col.unit",
    "category": "report.audit.col.category",
    "status": "report.audit.col.status",
    "problem_type": "report.audit.col.problem_type",
    "channel": "report.audit.col.channel",
}
_METHODS: Mapping[str, str] = {
    "rate": "report.audit.method.rate",
    "confidence": "report.audit.method.confidence",
    "all": "report.audit.method.all",
}
_REASONS: Mapping[str, str] = {
    "grade": "report.audit.reason.grade",
    "subitem": "report.audit.reason.subitem",
}


def kappa_words(value: float | None, lang: str) -> str:
    """The Landis & Koch (1977) reading of a kappa value; "not defined" for None."""
    if value is None:
        return t("report.audit.undefined", lang)
    for top, key in _KAPPA_BANDS:
        if value <= top:
            return t(key, lang)
    return t("report.audit.kappa.almost_perfect", lang)


def alpha_words(value: float | None, lang: str) -> str:
    """Krippendorff's (2004) reading of an alpha value; "not defined" for None."""
    if value is None:
        return t("report.audit.undefined", lang)
    if value >= 0.8:
        return t("report.audit.alpha.reliable", lang)
    if value >= 0.667:
        return t("report.audit.alpha.tentative", lang)
    return t("report.audit.alpha.unreliable", lang)


@dataclass(frozen=True)
class AuditLabels:
    """Labels for the codes an audit's results carry, in one language (``lang`` is normalised).

    Codes nobody knows are shown as they are, so a report never fails on data it cannot label.
    """

    results: AuditResults
    pack: Pack
    lang: str
    _unit_names: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lang", normalise_lang(self.lang))
        names = {item.unit: item.unit_name for item in self.results.audit.items if item.unit_name}
        for row in self.results.rectification:
            if row.unit_name:
                names.setdefault(row.unit, row.unit_name)
        object.__setattr__(self, "_unit_names", names)

    def msg(self, key: str, **fields: object) -> str:
        """The catalogue message ``key`` in this language."""
        return t(key, self.lang, **fields)

    def join(self, values: tuple[str, ...] | list[str]) -> str:
        """``values`` joined with the language's list separator."""
        return self.msg("report.audit.sep").join(values)

    def source(self, text: str) -> str:
        """The population source in words (``dossiers:N``, ``ledger:FILE``); anything else as it is."""
        kind, _, rest = text.partition(":")
        if kind == "dossiers" and rest.isdigit():
            return self.msg("report.audit.source.dossiers", n=int(rest))
        if kind == "ledger" and rest:
            return self.msg(
                "report.audit.source.demo" if rest == "demo" else "report.audit.source.ledger", name=rest
            )
        return text

    def yes_no(self, value: bool) -> str:
        return self.msg("report.audit.yes" if value else "report.audit.no")

    def unit(self, code: str) -> str:
        """A unit's display name: as the items give it, else the pack's, else the code."""
        if code in self._unit_names:
            return self._unit_names[code]
        j = self.pack.jurisdiction
        return j.name(code) if j.has(code) else code

    def stratum_value(self, key: str, code: str) -> str:
        """The label of the value ``code`` of the stratifying attribute ``key``."""
        if not code:
            return self.msg("report.audit.unknown")
        if key == "unit":
            return self.unit(code)
        if key == "problem_type":
            return next((p.name for p in self.pack.problems if p.code == code), code)
        enum = _CODED.get(key)
        if enum is None:
            return code
        try:
            return enum(code).label(self.lang)
        except ValueError:
            return code

    def key_header(self, key: str) -> str:
        """The header of the stratifying attribute ``key``."""
        return self.msg(KEY_HEADERS[key]) if key in KEY_HEADERS else key

    def grade(self, code: str | None) -> str:
        """A grade band's label ("" for None)."""
        if code is None:
            return ""
        band = next((g for g in self.results.rubric.grades if g.code == code), None)
        return band.label(self.lang) if band else code

    def vetoed_grade(self, code: str | None, vetoed_by: Sequence[str]) -> str:
        """A grade's label, with the veto sub-items that decided it when there are any."""
        grade = self.grade(code)
        if not vetoed_by or code is None:
            return grade
        subitems = self.join([self.subitem(s) for s in vetoed_by])
        return self.msg("report.audit.grade_vetoed", grade=grade, subitems=subitems)

    def dimension(self, code: str) -> str:
        dim = next((d for d in self.results.rubric.dimensions if d.code == code), None)
        return dim.label(self.lang) if dim else code

    def subitem(self, code: str) -> str:
        try:
            return self.results.rubric.subitem(code).label(self.lang)
        except KeyError:
            return code

    def dimension_of(self, subitem: str) -> str:
        """The label of the dimension holding ``subitem`` ("" when the rubric has no such sub-item)."""
        try:
            return self.results.rubric.dimension_of(subitem).label(self.lang)
        except KeyError:
            return ""

    def defect(self, code: str) -> str:
        """A defect type's name from the pack's catalogue ("" for no defect)."""
        if not code:
            return ""
        found = self.pack.defects.types.get(code)
        return found.name if found else code

    def method(self, code: str) -> str:
        return self.msg(_METHODS[code]) if code in _METHODS else code

    def reason(self, code: str) -> str:
        """Why an item is on the consultation list."""
        if code == "spread":
            return self.msg(
                "report.audit.reason.spread", points=_short(self.results.rubric.disagreement_points)
            )
        return self.msg(_REASONS[code]) if code in _REASONS else code


def _short(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def audit_summary(labels: AuditLabels) -> list[tuple[str, SummaryValue]]:
    """The summary rows (label, value) both reports open with, grade counts last."""
    results = labels.results
    audit = results.audit
    rule = audit.sample.rule
    complete = sum(1 for r in results.items if r.complete)
    by = audit.sample.by
    rows: list[tuple[str, SummaryValue]] = [
        (labels.msg("report.audit.field.name"), audit.name),
        (labels.msg("report.audit.field.id"), audit.id),
        (labels.msg("report.audit.field.pack"), f"{labels.pack.title(labels.lang)} ({audit.pack})"),
        (labels.msg("report.audit.field.source"), labels.source(audit.source)),
        (labels.msg("report.audit.field.population"), rule.population),
        (labels.msg("report.audit.field.sample"), rule.size),
        (labels.msg("report.audit.field.method"), labels.method(rule.method)),
        (labels.msg("report.audit.field.formula"), rule.formula),
        (
            labels.msg("report.audit.field.strata"),
            labels.join([labels.key_header(k) for k in by]) if by else labels.msg("report.audit.strata.none"),
        ),
        (labels.msg("report.audit.field.seed"), audit.sample.seed),
        (labels.msg("report.audit.field.k"), audit.assignment.k),
        (labels.msg("report.audit.field.reviewers"), labels.join([r.name for r in audit.reviewers])),
        (
            labels.msg("report.audit.field.complete"),
            labels.msg("report.audit.complete_of", done=complete, total=len(results.items)),
        ),
        (labels.msg("report.audit.field.agreement_items"), results.agreement.items),
        (labels.msg("report.audit.field.kappa"), results.agreement.kappa),
        (labels.msg("report.audit.field.kappa_meaning"), kappa_words(results.agreement.kappa, labels.lang)),
        (labels.msg("report.audit.field.alpha"), results.agreement.alpha),
        (labels.msg("report.audit.field.alpha_meaning"), alpha_words(results.agreement.alpha, labels.lang)),
    ]
    counts = results.grade_counts()
    for band in results.rubric.grades:
        rows.append(
            (
                labels.msg("report.audit.field.grade_count", grade=band.label(labels.lang)),
                counts.get(band.code, 0),
            )
        )
    return rows
