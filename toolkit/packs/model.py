"""Typed, immutable view of a loaded scenario pack. Built by :mod:`toolkit.packs.loader` only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from toolkit.domain.codes import (
    Basis,
    Category,
    Channel,
    Disposal,
    ManagementLevel,
    Proposal,
    RouteAction,
    StartEvent,
)
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
        """Every place a cadre can work, by code: ``leadership``, ``commission`` (this commission's own
        staff), ``town``, ``village`` or ``unit``."""
        kinds = {self.leadership.code: "leadership", self.commission.code: "commission"}
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
    #: how many days before receipt the reported event happens (an appeal comes soon after its decision)
    event_days: tuple[int, int] = (30, 420)


#: ``copy_to`` of a routing rule meaning "the office that liaises with the receiving department"
LIAISON = "liaison"


@dataclass(frozen=True, slots=True)
class RoutingRule:
    """One line of the routing table: the action, a fixed unit if any, a copy-to unit (or :data:`LIAISON`),
    the channels it is for (empty: all), and where the rule comes from."""

    action: RouteAction
    unit: str | None = None
    copy_to: str | None = None
    channels: frozenset[Channel] = frozenset()
    source: str = ""
    basis: Basis = Basis.NATIONAL
    note: str = ""


@dataclass(frozen=True, slots=True)
class EscalationRule:
    """提级办理 / 直接办理: a town- or village-level case handled here when its problem type is listed and
    the amount reported reaches ``min_amount``."""

    code: str
    problems: frozenset[str]
    min_amount: int
    source: str
    basis: Basis
    note: str = ""

    def matches(self, problem: str, amount: int | None) -> bool:
        return problem in self.problems and amount is not None and amount >= self.min_amount


@dataclass(frozen=True, slots=True)
class ProposalRule:
    """One line of the proportionality table: what a verification proposes for what it proved."""

    proposal: Proposal
    source: str
    basis: Basis
    note: str = ""
    nothing_proved: bool = False
    min_amount: int | None = None
    all_proved: bool = False

    def matches(self, proved: int, listed: int, amount: int) -> bool:
        """``proved`` of ``listed`` reported items proved (wholly or in part), ``amount`` yuan proved."""
        if self.nothing_proved:
            return proved == 0
        if proved == 0:
            return False
        if self.min_amount is not None and amount < self.min_amount:
            return False
        return not self.all_proved or proved == listed


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
    ledger_by_problem: Mapping[str, str] = field(default_factory=dict)
    milestones: Mapping[str, str] = field(default_factory=dict)
    escalation: tuple[EscalationRule, ...] = ()
    proposals: tuple[ProposalRule, ...] = ()
    #: rules switched off with ``enabled: false`` (kept for reference, never applied)
    disabled: tuple[DeadlineRule, ...] = ()
    disposals_source: str = ""

    def ledger_deadline(
        self, action: RouteAction, category: Category, problem: str | None = None
    ) -> DeadlineRule | None:
        """The 办结 / 报结 limit a ledger tracks an item against: by action, else problem type, else
        category; None where no rule sets one (items logged and kept, answered at once, suggestions)."""
        if action in (RouteAction.FILE, RouteAction.ADVISE):
            return None
        code = (
            self.ledger_by_action.get(action.value)
            or (self.ledger_by_problem.get(problem) if problem else None)
            or self.ledger_by_category.get(category.value)
        )
        return self.deadline(code) if code else None

    def intake_deadlines(self) -> tuple[DeadlineRule, ...]:
        """The limits an intake officer sets (and the intake key holds): those that run from receipt,
        national or local, switched on, but not the pack's training simplifications (those are tracked in
        ledgers and dossiers, never keyed at intake)."""
        return tuple(
            r for r in self.deadlines if r.start is StartEvent.RECEIVED and r.basis is not Basis.TRAINING
        )

    def milestone(self, action: RouteAction, category: Category) -> DeadlineRule | None:
        """The intermediate step shown beside a ledger item's own limit (处置意见 of a lead handled here)."""
        code = self.milestones.get(category.value)
        if code is None:
            return None
        rule = self.deadline(code)
        return rule if rule.applies.action is None or action in rule.applies.action else None

    def escalation_for(self, problem: str, amount: int | None) -> EscalationRule | None:
        """The 提级办理 rule a town- or village-level case falls under, if any."""
        return next((e for e in self.escalation if e.matches(problem, amount)), None)

    def proposal_for(self, proved: int, listed: int, amount: int) -> ProposalRule | None:
        """The first line of the proportionality table that fits what a verification proved."""
        return next((p for p in self.proposals if p.matches(proved, listed, amount)), None)

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
    unverifiable: float = 0.0
    new_lead: float = 0.0
    repeat_by_channel: Mapping[str, float] = field(default_factory=dict)
    #: relative weight of a cadre of each management level being the one reported (1 where not given)
    accused_level: Mapping[str, float] = field(default_factory=dict)

    def repeat_share(self, channel: str) -> float:
        """The share of repeats among items arriving on ``channel``."""
        return self.repeat_by_channel.get(channel, self.repeat)


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
