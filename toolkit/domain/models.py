"""Frozen domain objects: people, cases, the material a learner sees, and the ground truth.

Every object has ``to_dict()`` giving the JSON interchange form: codes as their ``StrEnum`` members
(which are strings, so any JSON encoder writes the code), dates ISO 8601.
Nothing here knows about files, widgets or databases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from toolkit.domain.codes import (
    CadreRole,
    Category,
    Channel,
    Disposal,
    Flag,
    ItemStatus,
    Level,
    ManagementLevel,
    RouteAction,
    Sex,
)


@dataclass(frozen=True, slots=True)
class Cadre:
    """A cadre in the pack's roster: someone who can be accused."""

    name: str
    sex: Sex
    born: int
    post: str
    unit: str
    unit_name: str
    level: ManagementLevel
    town: str | None = None
    role: CadreRole | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "post": self.post,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "level": self.level,
        }


@dataclass(frozen=True, slots=True)
class Person:
    """A member of the public: a reporter, visitor or appellant."""

    name: str
    sex: Sex
    birth_date: date
    id_number: str
    phone: str
    address: str
    town: str
    village: str


@dataclass(frozen=True, slots=True)
class Reporter:
    """The reporter as the item presents them: named with contact (实名), or anonymous."""

    real_name: bool
    name: str | None
    phone: str | None
    id_number: str | None
    address: str | None = None
    sex: Sex | None = None
    birth_date: date | None = None

    @classmethod
    def anonymous(cls) -> Reporter:
        return cls(False, None, None, None)

    @classmethod
    def from_person(cls, person: Person, *, real_name: bool = True) -> Reporter:
        """The reporter as ``person``; ``real_name`` False when the particulars are someone else's."""
        p = person
        return cls(real_name, p.name, p.phone, p.id_number, p.address, p.sex, p.birth_date)

    def to_dict(self) -> dict[str, Any]:
        return {
            "real_name": self.real_name,
            "name": self.name,
            "phone": self.phone,
            "id_number": self.id_number,
            "address": self.address,
            "sex": self.sex,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
        }


@dataclass(frozen=True, slots=True)
class Turn:
    """One line of a visit or phone conversation."""

    speaker: str  # "visitor" | "officer"
    stage: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"speaker": self.speaker, "stage": self.stage, "text": self.text}


@dataclass(frozen=True, slots=True)
class Material:
    """What the learner sees: channel-specific, never containing the answer key."""

    kind: Channel
    title: str
    text: str
    dialogue: tuple[Turn, ...] = ()
    form: tuple[tuple[str, str], ...] = ()
    slip: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "text": self.text,
            "dialogue": [{"speaker": t.speaker, "stage": t.stage, "text": t.text} for t in self.dialogue],
            "form": [{"label": k, "value": v} for k, v in self.form],
            "slip": [{"label": k, "value": v} for k, v in self.slip],
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class Route:
    """Routing decision: action, the receiving unit's code, and a copy-to unit for transfers."""

    action: RouteAction
    unit: str
    copy_to: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "unit": self.unit, "copy_to": self.copy_to}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Route:
        """The inverse of :meth:`to_dict`; ``KeyError`` / ``ValueError`` for missing or unknown values."""
        return cls(RouteAction.parse(data["action"]), data["unit"], data.get("copy_to"))


@dataclass(frozen=True, slots=True)
class RegisteredReporter:
    """The reporter as the registration form records them: name and contact, both empty if anonymous."""

    name: str | None = None
    phone: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "phone": self.phone}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RegisteredReporter:
        """The inverse of :meth:`to_dict`."""
        return cls(data.get("name"), data.get("phone"))


@dataclass(frozen=True, slots=True)
class RegisteredAccused:
    """A person reported, as the registration form records them (``unit`` is a jurisdiction code)."""

    name: str
    post: str
    unit: str
    level: ManagementLevel

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "post": self.post, "unit": self.unit, "level": self.level}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RegisteredAccused:
        """The inverse of :meth:`to_dict`; ``KeyError`` / ``ValueError`` for missing or unknown values."""
        return cls(data["name"], data["post"], data["unit"], ManagementLevel.parse(data["level"]))


@dataclass(frozen=True, slots=True)
class Truth:
    """The answer key for one case. Never sent to a learner's browser before submission."""

    category: Category
    flags: tuple[Flag, ...]
    problem_type: str
    route: Route
    disposal: Disposal | None
    due: tuple[tuple[str, date], ...]
    repeat_of: str | None = None
    specificity: str = "specific"
    reporter: RegisteredReporter = RegisteredReporter()
    accused: tuple[RegisteredAccused, ...] = ()
    #: an earlier item by the same person about the same cadre that this one adds new facts or evidence
    #: to: a new lead, not a repeat (not a field of the form; it explains why ``repeat_of`` is empty)
    related_to: str | None = None
    #: what that new lead adds: "facts" (another matter) or "evidence" (new evidence on the same one)
    novelty: str | None = None
    #: the line of the pack's routing table the route follows ("county", "escalate" …), for the reasons
    route_rule: str | None = None

    def due_dict(self) -> dict[str, date]:
        return dict(self.due)

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "flags": list(self.flags),
            "problem_type": self.problem_type,
            "route": self.route.to_dict(),
            "disposal": self.disposal,
            "due": {name: d.isoformat() for name, d in self.due},
            "repeat_of": self.repeat_of,
            "specificity": self.specificity,
            "reporter": self.reporter.to_dict(),
            "accused": [a.to_dict() for a in self.accused],
            "related_to": self.related_to,
            "novelty": self.novelty,
            "route_rule": self.route_rule,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Truth:
        """The inverse of :meth:`to_dict` (``specificity``, ``related_to``, ``novelty`` and ``route_rule``
        may be left out).

        Raises ``KeyError`` for a missing field and ``ValueError`` for an unknown code or a date that is
        not ``YYYY-MM-DD``; check untrusted input with :func:`toolkit.scoring.intake.parse_answer`.
        """
        disposal = data["disposal"]
        return cls(
            category=Category.parse(data["category"]),
            flags=tuple(Flag.parse(f) for f in data["flags"]),
            problem_type=data["problem_type"],
            route=Route.from_dict(data["route"]),
            disposal=Disposal.parse(disposal) if disposal is not None else None,
            due=tuple((code, date.fromisoformat(day)) for code, day in data["due"].items()),
            repeat_of=data["repeat_of"],
            specificity=data.get("specificity", "specific"),
            reporter=RegisteredReporter.from_dict(data["reporter"]),
            accused=tuple(RegisteredAccused.from_dict(a) for a in data["accused"]),
            related_to=data.get("related_to"),
            novelty=data.get("novelty"),
            route_rule=data.get("route_rule"),
        )


@dataclass(frozen=True, slots=True)
class Case:
    """One generated intake case with its answer key."""

    id: str
    seed: int
    index: int
    pack: str
    level: Level
    channel: Channel
    received_at: datetime
    reporter: Reporter
    accused: tuple[Cadre, ...]
    material: Material
    truth: Truth

    def public_dict(self) -> dict[str, Any]:
        """Everything a learner may see before submitting: no truth."""
        return {
            "id": self.id,
            "seed": self.seed,
            "index": self.index,
            "pack": self.pack,
            "level": self.level,
            "channel": self.channel,
            "received_at": self.received_at.isoformat(),
            "material": self.material.to_dict(),
        }

    def to_dict(self) -> dict[str, Any]:
        data = self.public_dict()
        data.update(
            {
                "reporter": self.reporter.to_dict(),
                "accused": [a.to_dict() for a in self.accused],
                "truth": self.truth.to_dict(),
            }
        )
        return data


@dataclass(frozen=True, slots=True)
class LedgerItem:
    """One row of a ledger (台账): an item as the office tracks it.

    ``deadline`` / ``due``: the 办结 or 报结 limit the item is tracked against ("" / None when no rule
    sets one: items logged and kept, answered at once, suggestions). ``milestone`` / ``milestone_due``:
    the intermediate step shown beside it (the 处置意见 of a lead handled here), "" / None when none.
    """

    id: str
    seed: int
    pack: str
    received: date
    channel: Channel
    reporter_name: str | None
    accused_name: str | None
    accused_unit: str | None
    category: Category
    problem_type: str
    flags: tuple[Flag, ...]
    route: Route
    handler_unit: str
    deadline: str
    due: date | None
    status: ItemStatus
    closed: date | None = None
    keywords: tuple[str, ...] = field(default_factory=tuple)
    summary: str = ""
    milestone: str = ""
    milestone_due: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "seed": self.seed,
            "pack": self.pack,
            "received": self.received.isoformat(),
            "channel": self.channel,
            "reporter_name": self.reporter_name,
            "accused_name": self.accused_name,
            "accused_unit": self.accused_unit,
            "category": self.category,
            "problem_type": self.problem_type,
            "flags": list(self.flags),
            "route_action": self.route.action,
            "handler_unit": self.handler_unit,
            "deadline": self.deadline,
            "due": self.due.isoformat() if self.due else None,
            "milestone": self.milestone,
            "milestone_due": self.milestone_due.isoformat() if self.milestone_due else None,
            "status": self.status,
            "closed": self.closed.isoformat() if self.closed else None,
            "keywords": list(self.keywords),
            "summary": self.summary,
        }
