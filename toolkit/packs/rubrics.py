"""The pack's ``rubrics.yaml``: how answers are scored.
Read by :func:`build_intake_rubric` (used by :mod:`toolkit.scoring.intake`) and
:func:`build_findings_rubric` (used by :mod:`toolkit.scoring.findings`).

The file holds one top-level section per kind of scoring (``intake``, ``findings``; an audit rubric will
get a key of its own) and the shared ``grades`` bands. The intake section gives, for every field of the
registration form, its points, the rule that decides it (text and source), and for the fields scored in
parts the share of each part. The findings section gives what a false alarm costs and what a clean
dossier is worth, each with its rule; planted defects are priced by the defect catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

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
