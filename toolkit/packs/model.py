"""Typed, immutable view of a loaded scenario pack. Built by :mod:`toolkit.packs.loader` only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from toolkit.domain.codes import Category, Disposal, ManagementLevel, RouteAction
from toolkit.domain.models import Cadre
from toolkit.errors import PackError
from toolkit.packs.defects import DefectCatalogue
from toolkit.packs.quiz import QuizBank
from toolkit.packs.replies import Replies
from toolkit.packs.rubrics import AuditRubric, FindingsRubric, IntakeRubric
from toolkit.rules.calendar import WorkCalendar, YearSchedule
from toolkit.rules.cards import CardScheme
from toolkit.rules.deadlines import DeadlineRule


@dataclass(frozen=True, slots=True)
class Named:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Village:
    code: str
    name: str
    kind: str
    town: str


@dataclass(frozen=True, slots=True)
class Town:
    code: str
    name: str
    kind: str
    commission: Named
    villages: tuple[Village, ...]


@dataclass(frozen=True, slots=True)
class Office:
    code: str
    name: str
    role: str
    liaises: tuple[str, ...] = ()
    units: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    name: str
    short: str


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """The fictional district: its towns and villages, the commission's offices, county units."""

    district: str
    city: str
    commission: Named
    superior: Named
    leadership: Named
    towns: tuple[Town, ...]
    offices: tuple[Office, ...]
    units: tuple[Unit, ...]
    _names: Mapping[str, str] = field(repr=False)
    _town_of: Mapping[str, str] = field(repr=False)
    _supervisor: Mapping[str, str] = field(repr=False)

    def name(self, code: str) -> str:
        """Display name of any unit, office, town or village code."""
        try:
            return self._names[code]
        except KeyError:
            raise PackError(f"unknown unit code {code!r}") from None

    def has(self, code: str) -> bool:
        return code in self._names

    def codes(self) -> frozenset[str]:
        return frozenset(self._names)

    def town_of(self, code: str) -> str | None:
        """The town a town, village or town commission belongs to (None for county-level bodies)."""
        return self._town_of.get(code)

    def town(self, code: str) -> Town:
        for town in self.towns:
            if town.code == code:
                return town
        raise PackError(f"unknown town {code!r}")

    def supervising_office(self, unit: str) -> str:
        """The office that liaises with a town (or its villages) or supervises a county unit."""
        key = self._town_of.get(unit, unit)
        try:
            return self._supervisor[key]
        except KeyError:
            raise PackError(f"no office supervises {unit!r}") from None

    def office_by_role(self, role: str) -> Office:
        for office in self.offices:
            if office.role == role:
                return office
        raise PackError(f"the pack has no office with role {role!r}")

    def villages(self) -> tuple[Village, ...]:
        return tuple(v for t in self.towns for v in t.villages)

    def workplace_kinds(self) -> dict[str, str]:
        """Every place a cadre can work, by code: ``leadership``, ``town``, ``village`` or ``unit``."""
        kinds = {self.leadership.code: "leadership"}
        kinds.update({t.code: "town" for t in self.towns})
        kinds.update({v.code: "village" for v in self.villages()})
        kinds.update({u.code: "unit" for u in self.units})
        return kinds


@dataclass(frozen=True, slots=True)
class WordLists:
    surnames: tuple[str, ...]
    surname_weights: tuple[float, ...]
    given_male: tuple[str, ...]
    given_female: tuple[str, ...]
    given_any: tuple[str, ...]
    area_codes: tuple[str, ...]
    mobile_prefixes: tuple[str, ...]
    landline_prefix: str


@dataclass(frozen=True, slots=True)
class FactTemplate:
    specificity: str
    text: str


@dataclass(frozen=True, slots=True)
class ProblemType:
    code: str
    name: str
    category: Category
    accused_levels: tuple[ManagementLevel, ...]
    accused_unit_kinds: tuple[str, ...]
    handler: str | None
    disposal: Mapping[str, Disposal] | None
    keywords: tuple[str, ...]
    vars: Mapping[str, tuple[str, ...]]
    amount: tuple[int, int, int] | None
    facts: tuple[FactTemplate, ...]


@dataclass(frozen=True, slots=True)
class RoutingRule:
    action: RouteAction
    unit: str | None = None
    copy_to: str | None = None


@dataclass(frozen=True, slots=True)
class DialogueStage:
    code: str
    officer: Mapping[str, tuple[str, ...]]
    visitor: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Rules:
    disposals: tuple[Disposal, ...]
    routing: Mapping[str, RoutingRule]
    deadlines: tuple[DeadlineRule, ...]
    card_schemes: tuple[CardScheme, ...]
    calendar_years: tuple[YearSchedule, ...]
    ledger_by_action: Mapping[str, str]
    ledger_by_category: Mapping[str, str]

    def ledger_deadline(self, action: RouteAction, category: Category) -> DeadlineRule | None:
        """The time limit a ledger tracks an item against (None for items only logged and kept)."""
        if action is RouteAction.FILE:
            return None
        code = self.ledger_by_action.get(action.value) or self.ledger_by_category[category.value]
        return self.deadline(code)

    def deadline(self, code: str) -> DeadlineRule:
        for rule in self.deadlines:
            if rule.code == code:
                return rule
        raise PackError(f"the pack has no deadline rule {code!r}")

    def card_scheme(self, code: str) -> CardScheme:
        for scheme in self.card_schemes:
            if scheme.code == code:
                return scheme
        known = ", ".join(s.code for s in self.card_schemes)
        raise PackError(f"the pack has no card scheme {code!r}; it has: {known}")


@dataclass(frozen=True, slots=True)
class Mix:
    """How generated cases are mixed: relative weights and shares from pack.yaml."""

    channel: Mapping[str, float]
    category: Mapping[str, float]
    anonymous: float
    repeat: float
    no_substance: float
    impersonation: float
    vague: float
    history_size: int


@dataclass(frozen=True, slots=True)
class Pack:
    """A validated scenario pack."""

    name: str
    version: str
    title_zh: str
    title_en: str
    description: str
    received_window: tuple[date, date]
    history_window: tuple[date, date]
    mix: Mix
    jurisdiction: Jurisdiction
    words: WordLists
    cadres: tuple[Cadre, ...]
    problems: tuple[ProblemType, ...]
    framing: Mapping[str, Any]
    temperaments: tuple[Named, ...]
    stages: tuple[DialogueStage, ...]
    replies: Replies
    rules: Rules
    intake_rubric: IntakeRubric
    findings_rubric: FindingsRubric
    audit_rubric: AuditRubric
    defects: DefectCatalogue
    quiz: QuizBank
    calendar: WorkCalendar = field(repr=False)

    @property
    def ref(self) -> str:
        """``name@version``, stored with every generated item."""
        return f"{self.name}@{self.version}"

    def title(self, lang: str = "zh") -> str:
        return self.title_en if lang == "en" else self.title_zh

    def problem(self, code: str) -> ProblemType:
        for problem in self.problems:
            if problem.code == code:
                return problem
        raise PackError(f"the pack has no problem type {code!r}")
