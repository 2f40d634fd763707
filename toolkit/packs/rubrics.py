"""The pack's ``rubrics.yaml``: how answers are scored.
Read by :func:`build_intake_rubric` (used by :mod:`toolkit.scoring.intake`),
:func:`build_findings_rubric` (used by :mod:`toolkit.scoring.findings`) and :func:`build_audit_rubric`
(used by :mod:`toolkit.audit.review`).

The file holds one top-level section per kind of scoring (``intake``, ``findings``, ``audit``) and the
shared ``grades`` bands. The intake section gives, for every field of the registration form, its points,
the rule that decides it (text and source), and for the fields scored in parts the share of each part.
The findings section gives what a false alarm costs and what a clean dossier is worth, each with its rule;
planted defects are priced by the defect catalogue. The audit section is the hierarchical rubric of a
quality audit (质量评查): dimensions of sub-items, each sub-item with its points and rule, 100 points in
all, each dimension naming the defect catalogue's dimensions it covers, and optionally the veto sub-items
(``veto``): any deduction on one grades the review in the lowest band whatever its total.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from toolkit.domain.codes import DefectDimension
from toolkit.packs.yamlio import PathKey, YamlDoc

Fail = Callable[[PathKey, str], None]

#: every field of an intake answer a rubric must price, with the parts it is scored in (empty: whole)
INTAKE_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "category": (),
        "flags": (),
        "problem_type": (),
        "reporter": ("name", "phone"),
        "accused": ("name", "post", "unit", "level"),
        "route": ("action", "unit", "copy_to"),
        "disposal": (),
        "due": (),
        "repeat_of": (),
    }
)
#: field-specific settings and the one field each belongs to
FIELD_OPTIONS: Mapping[str, str] = MappingProxyType({"one_working_day_off": "due"})
_TOLERANCE = 1e-9
#: what the sub-items of an audit rubric add up to
AUDIT_TOTAL = 100.0


@dataclass(frozen=True, slots=True)
class RuleRef:
    """A rule as a score report quotes it: the text (Chinese) and where it comes from."""

    text: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "source": self.source}


@dataclass(frozen=True, slots=True)
class FieldRubric:
    """How one field is scored.

    ``parts`` maps each part of the field to its share of the points (the shares add up to 1); it is
    empty for fields scored whole. When ``gate`` names a part and that part is wrong, the field earns
    nothing (a right unit with the wrong routing action still sends the item the wrong way).
    ``one_working_day_off`` is the share a due date earns when it misses by exactly one working day.
    """

    name: str
    points: float
    rule: RuleRef
    parts: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    gate: str | None = None
    one_working_day_off: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "points": self.points,
            "rule": self.rule.to_dict(),
            "parts": dict(self.parts),
            "gate": self.gate,
            "one_working_day_off": self.one_working_day_off,
        }


@dataclass(frozen=True, slots=True)
class GradeBand:
    """A grade: reached when the share of the maximum is at least ``min_share``."""

    code: str
    min_share: float
    zh: str
    en: str

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "min_share": self.min_share, "zh": self.zh, "en": self.en}


@dataclass(frozen=True, slots=True)
class IntakeRubric:
    """How an intake answer is scored (see docs/pack-format.md, section rubrics.yaml).

    Parameters
    ----------
    fields
        One :class:`FieldRubric` per field of :data:`INTAKE_FIELDS`.
    conduct_points
        Points per conversation turn of a visit or call: all of them for the model reply, none for a
        faulty one.
    conduct_rule
        The rule quoted for a model reply.
    grades
        Grade bands, highest first; the last starts at 0.
    """

    fields: Mapping[str, FieldRubric]
    conduct_points: float
    conduct_rule: RuleRef
    grades: tuple[GradeBand, ...]

    def field(self, name: str) -> FieldRubric:
        """The rubric of field ``name``; ``KeyError`` for a field the rubric does not price."""
        return self.fields[name]

    @property
    def field_points(self) -> float:
        """The points of all fields together (the maximum without conversation turns)."""
        return sum(f.points for f in self.fields.values())

    def grade(self, share: float) -> GradeBand:
        """The band a score of ``share`` (0–1 of the maximum) falls in."""
        return _band(self.grades, share)

    def to_dict(self) -> dict[str, Any]:
        return {
            "fields": {name: f.to_dict() for name, f in self.fields.items()},
            "conduct_points": self.conduct_points,
            "conduct_rule": self.conduct_rule.to_dict(),
            "grades": [g.to_dict() for g in self.grades],
        }


def build_intake_rubric(doc: YamlDoc, fail: Fail) -> IntakeRubric:
    """The intake rubric of ``doc`` (already schema-checked); cross-checks report through ``fail``."""
    data = doc.data
    intake = data["intake"]
    fields: dict[str, FieldRubric] = {}
    for name, raw in intake["fields"].items():
        at: PathKey = ("intake", "fields", name)
        if name not in INTAKE_FIELDS:
            fail(at, f"unknown field {name!r}; the intake fields are: {', '.join(INTAKE_FIELDS)}")
            continue
        fields[name] = _field(name, raw, at, fail)
    missing = [name for name in INTAKE_FIELDS if name not in intake["fields"]]
    if missing:
        fail(("intake", "fields"), f"no points for field(s) {', '.join(missing)}")
    if intake["fields"] and sum(f.points for f in fields.values()) <= 0:
        fail(("intake", "fields"), "the fields together must be worth more than 0 points")
    conduct = intake["conduct"]
    grades = _grades(data["grades"], fail)
    return IntakeRubric(
        fields=MappingProxyType({name: fields[name] for name in INTAKE_FIELDS if name in fields}),
        conduct_points=float(conduct["points_per_turn"]),
        conduct_rule=_rule(conduct["rule"]),
        grades=grades,
    )


def _rule(raw: Mapping[str, Any]) -> RuleRef:
    return RuleRef(text=raw["text"], source=raw["source"])


def _field(name: str, raw: Mapping[str, Any], at: PathKey, fail: Fail) -> FieldRubric:
    """One field's rubric; checks its parts, gate and options against what the field allows."""
    allowed = INTAKE_FIELDS[name]
    parts: dict[str, float] = {}
    raw_parts: Mapping[str, Any] = raw.get("parts", {})
    if allowed and "parts" not in raw:
        fail(at, f"{name} is scored in parts; give the share of each of: {', '.join(allowed)}")
    if not allowed and raw_parts:
        fail((*at, "parts"), f"{name} is scored whole and has no parts")
    for part, share in raw_parts.items():
        if allowed and part not in allowed:
            fail(
                (*at, "parts", part), f"unknown part {part!r} of {name}; its parts are: {', '.join(allowed)}"
            )
            continue
        if not 0 <= share <= 1:
            fail((*at, "parts", part), f"a share must lie between 0 and 1, got {share}")
        parts[part] = float(share)
    if allowed and raw_parts:
        uncovered = [p for p in allowed if p not in raw_parts]
        if uncovered:
            fail((*at, "parts"), f"no share for part(s) {', '.join(uncovered)} of {name}")
        elif abs(sum(parts.values()) - 1) > 1e-6:
            fail(
                (*at, "parts"),
                f"the shares of {name} must add up to 1, they add up to {sum(parts.values()):g}",
            )
    gate = raw.get("gate")
    if gate is not None and gate not in parts:
        fail((*at, "gate"), f"the gate must be one of the parts of {name}, got {gate!r}")
    near = 0.0
    for option, owner in FIELD_OPTIONS.items():
        if option in raw:
            if owner != name:
                fail((*at, option), f"{option} belongs to field {owner}, not {name}")
                continue
            near = float(raw[option])
            if not 0 <= near <= 1:
                fail((*at, option), f"a share must lie between 0 and 1, got {raw[option]}")
    return FieldRubric(
        name=name,
        points=float(raw["points"]),
        rule=_rule(raw["rule"]),
        parts=MappingProxyType(parts),
        gate=gate,
        one_working_day_off=near,
    )


def _band(grades: tuple[GradeBand, ...], share: float) -> GradeBand:
    """The first of ``grades`` (highest first) whose ``min_share`` ``share`` reaches; else the last."""
    for band in grades:
        if share + _TOLERANCE >= band.min_share:
            return band
    return grades[-1]


def _grades(raw: list[Mapping[str, Any]], fail: Fail) -> tuple[GradeBand, ...]:
    """Grade bands, checked to run from the highest share down to 0 with unique codes."""
    bands: list[GradeBand] = []
    codes: set[str] = set()
    for i, g in enumerate(raw):
        at: PathKey = ("grades", i)
        if g["code"] in codes:
            fail((*at, "code"), f"grade {g['code']!r} appears twice")
        codes.add(g["code"])
        share = g["min_share"]
        if not 0 <= share <= 1:
            fail((*at, "min_share"), f"a share must lie between 0 and 1, got {share}")
        if bands and not share < bands[-1].min_share:
            fail(
                (*at, "min_share"),
                f"grades run from the highest down: {share} is not below {bands[-1].min_share} "
                f"({bands[-1].code})",
            )
        bands.append(GradeBand(g["code"], float(share), g["name"]["zh"], g["name"]["en"]))
    if bands and bands[-1].min_share != 0:
        fail(
            ("grades", len(bands) - 1, "min_share"), "the last grade must start at 0, so every score has one"
        )
    return tuple(bands)


@dataclass(frozen=True, slots=True)
class FindingsRubric:
    """How a reviewer's findings on a dossier are scored (see docs/pack-format.md, section rubrics.yaml).

    A planted defect earns its severity from the defect catalogue (``defects.yaml``) when it is hit;
    this rubric prices what the catalogue cannot.

    Parameters
    ----------
    false_alarm
        Points lost per false alarm: a mark that matches no planted defect, a mark of a planted defect
        in a document where it does not show, or a second mark of a defect already hit.
    false_alarm_rule
        The rule quoted for a false alarm.
    clean_points
        What a clean dossier (no planted defect) is worth: all of it for a reviewer who marks nothing.
    clean_rule
        The rule quoted for a clean dossier.
    grades
        The shared grade bands of the file, highest first; the last starts at 0.
    """

    false_alarm: float
    false_alarm_rule: RuleRef
    clean_points: float
    clean_rule: RuleRef
    grades: tuple[GradeBand, ...]

    def grade(self, share: float) -> GradeBand:
        """The band a score of ``share`` (0–1 of the maximum) falls in."""
        return _band(self.grades, share)

    def to_dict(self) -> dict[str, Any]:
        return {
            "false_alarm": self.false_alarm,
            "false_alarm_rule": self.false_alarm_rule.to_dict(),
            "clean_points": self.clean_points,
            "clean_rule": self.clean_rule.to_dict(),
            "grades": [g.to_dict() for g in self.grades],
        }


def build_findings_rubric(doc: YamlDoc, fail: Fail) -> FindingsRubric:
    """The findings rubric of ``doc`` (already schema-checked); cross-checks report through ``fail``.

    The grade bands are checked once, by :func:`build_intake_rubric`; here they are only read.
    """
    data = doc.data
    findings = data["findings"]
    if findings["clean_points"] <= 0:
        fail(
            ("findings", "clean_points"),
            "a clean dossier must be worth more than 0 points, or it has no share to grade",
        )
    return FindingsRubric(
        false_alarm=float(findings["false_alarm"]),
        false_alarm_rule=_rule(findings["false_alarm_rule"]),
        clean_points=float(findings["clean_points"]),
        clean_rule=_rule(findings["clean_rule"]),
        grades=_grades(data["grades"], _ignore),
    )


def _ignore(path: PathKey, message: str) -> None:
    """A ``fail`` that drops the problem (for checks another builder already reports)."""


@dataclass(frozen=True, slots=True)
class AuditSubitem:
    """One sub-item of the audit rubric: what a reviewer checks and the points it carries.

    A reviewer's deductions on a sub-item are capped at its points; the sub-item *passes* when nothing was
    deducted on it (the pass/fail judgement Fleiss' kappa is computed on).
    """

    code: str
    zh: str
    en: str
    points: float
    rule: RuleRef

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "zh": self.zh,
            "en": self.en,
            "points": self.points,
            "rule": self.rule.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class AuditDimension:
    """One dimension of the audit rubric (事实认定 ...) with its sub-items.

    ``defect_dimensions`` lists the defect catalogue's dimensions (:class:`~toolkit.domain.codes.
    DefectDimension` codes) this dimension covers: a planted defect of one of them is something a reviewer
    should deduct for here (reviewer calibration).
    """

    code: str
    zh: str
    en: str
    subitems: tuple[AuditSubitem, ...]
    defect_dimensions: tuple[str, ...] = ()

    @property
    def points(self) -> float:
        return sum(s.points for s in self.subitems)

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "zh": self.zh,
            "en": self.en,
            "subitems": [s.to_dict() for s in self.subitems],
            "defect_dimensions": list(self.defect_dimensions),
        }


@dataclass(frozen=True, slots=True)
class AuditRubric:
    """The hierarchical weighted rubric of a quality audit (质量评查): dimensions of sub-items, 100 points.

    ``disagreement_points``: two reviewers' totals for one item further apart than this put the item on the
    disagreement list for 会商 (as does a different grade band, or a sub-item one passes and the other fails).
    ``veto``: codes of the veto sub-items (一票否决), in rubric order; a review that deducts on one of them is
    graded in the lowest band (:attr:`veto_grade`) whatever its total.
    """

    dimensions: tuple[AuditDimension, ...]
    grades: tuple[GradeBand, ...]
    disagreement_points: float = 10.0
    veto: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        return sum(d.points for d in self.dimensions)

    @property
    def subitems(self) -> tuple[AuditSubitem, ...]:
        return tuple(s for d in self.dimensions for s in d.subitems)

    def subitem(self, code: str) -> AuditSubitem:
        """The sub-item ``code``; KeyError when the rubric has none."""
        for s in self.subitems:
            if s.code == code:
                return s
        raise KeyError(code)

    def dimension_of(self, subitem: str) -> AuditDimension:
        """The dimension holding sub-item ``subitem``; KeyError when none does."""
        for d in self.dimensions:
            if any(s.code == subitem for s in d.subitems):
                return d
        raise KeyError(subitem)

    def dimension_for_defect(self, defect_dimension: str) -> AuditDimension | None:
        """The rubric dimension covering a defect catalogue dimension, if any."""
        return next((d for d in self.dimensions if defect_dimension in d.defect_dimensions), None)

    def grade(self, share: float) -> GradeBand:
        return _band(self.grades, share)

    @property
    def veto_grade(self) -> GradeBand:
        """The band a vetoed review (or item) is graded in: the lowest."""
        return self.grades[-1]

    def vetoes(self, deducted: Mapping[str, float]) -> tuple[str, ...]:
        """The veto sub-items (in ``veto`` order) on which ``deducted`` (code -> points) takes points."""
        return tuple(code for code in self.veto if deducted.get(code, 0.0) > 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimensions": [d.to_dict() for d in self.dimensions],
            "grades": [g.to_dict() for g in self.grades],
            "disagreement_points": self.disagreement_points,
            "veto": list(self.veto),
        }


def build_audit_rubric(doc: YamlDoc, fail: Fail) -> AuditRubric:
    """The audit rubric of ``doc`` (already schema-checked); cross-checks report through ``fail``.

    Checked beyond the schema: every sub-item is worth a finite number of points above 0 and together they
    are worth exactly :data:`AUDIT_TOTAL`; dimension codes are unique, and sub-item codes unique across the
    whole rubric; ``defect_dimensions`` are codes of :class:`~toolkit.domain.codes.DefectDimension`, each
    covered by at most one dimension; every ``veto`` code is a sub-item of the rubric, listed once. The grade
    bands are checked once, by :func:`build_intake_rubric`.
    """
    data = doc.data
    audit = data["audit"]
    known = {d.value for d in DefectDimension}
    dimension_at: dict[str, int] = {}
    subitem_at: dict[str, tuple[int, int]] = {}
    covered_by: dict[str, str] = {}
    dimensions: list[AuditDimension] = []
    total = 0.0
    priced = True  # every sub-item has valid points (else the total is not worth reporting)
    for i, raw in enumerate(audit["dimensions"]):
        at: PathKey = ("audit", "dimensions", i)
        code = raw["code"]
        if code in dimension_at:
            fail(
                (*at, "code"), f"dimension {code!r} appears twice (first as dimensions[{dimension_at[code]}])"
            )
        else:
            dimension_at[code] = i
        covers: list[str] = []
        for k, defect_dimension in enumerate(raw["defect_dimensions"]):
            where: PathKey = (*at, "defect_dimensions", k)
            if defect_dimension not in known:
                fail(
                    where,
                    f"unknown defect dimension {defect_dimension!r}; the defect dimensions are: "
                    f"{', '.join(sorted(known))}",
                )
            elif defect_dimension in covers:
                fail(where, f"defect dimension {defect_dimension!r} is listed twice")
            elif defect_dimension in covered_by:
                fail(
                    where,
                    f"defect dimension {defect_dimension!r} is already covered by dimension "
                    f"{covered_by[defect_dimension]!r}; each belongs to at most one",
                )
            else:
                covered_by[defect_dimension] = code
                covers.append(defect_dimension)
        subitems: list[AuditSubitem] = []
        for j, sub in enumerate(raw["subitems"]):
            sub_at: PathKey = (*at, "subitems", j)
            sub_code = sub["code"]
            if sub_code in subitem_at:
                first_i, first_j = subitem_at[sub_code]
                fail(
                    (*sub_at, "code"),
                    f"sub-item {sub_code!r} appears twice (first as dimensions[{first_i}]"
                    f".subitems[{first_j}]); sub-item codes are unique across the rubric",
                )
            else:
                subitem_at[sub_code] = (i, j)
            points = float(sub["points"])
            if not math.isfinite(points) or points <= 0:
                fail((*sub_at, "points"), f"a sub-item must be worth more than 0 points, got {sub['points']}")
                priced = False
            else:
                total += points
            subitems.append(
                AuditSubitem(
                    code=sub_code,
                    zh=sub["name"]["zh"],
                    en=sub["name"]["en"],
                    points=points,
                    rule=_rule(sub["rule"]),
                )
            )
        dimensions.append(
            AuditDimension(
                code=code,
                zh=raw["name"]["zh"],
                en=raw["name"]["en"],
                subitems=tuple(subitems),
                defect_dimensions=tuple(covers),
            )
        )
    if priced and abs(total - AUDIT_TOTAL) > _TOLERANCE:
        fail(
            ("audit", "dimensions"),
            f"the sub-items must add up to exactly {AUDIT_TOTAL:g} points, they add up to {total:g}",
        )
    disagreement = float(audit["disagreement_points"])
    if not math.isfinite(disagreement):
        fail(("audit", "disagreement_points"), f"must be a finite number of points, got {disagreement}")
    veto = _veto(audit.get("veto", []), subitem_at, fail)
    return AuditRubric(
        dimensions=tuple(dimensions),
        grades=_grades(data["grades"], _ignore),
        disagreement_points=disagreement,
        veto=tuple(sorted(veto, key=lambda code: subitem_at[code])),
    )


def _veto(raw: list[str], subitem_at: Mapping[str, tuple[int, int]], fail: Fail) -> list[str]:
    """The veto codes of ``raw`` that name a sub-item, each once; others reported through ``fail``."""
    kept: list[str] = []
    for k, code in enumerate(raw):
        where: PathKey = ("audit", "veto", k)
        if code not in subitem_at:
            fail(
                where,
                f"unknown sub-item {code!r}; a veto must name one of the sub-items: {', '.join(subitem_at)}",
            )
        elif code in kept:
            fail(where, f"sub-item {code!r} is listed twice")
        else:
            kept.append(code)
    return kept
