"""What an audit (质量评查) is made of: population items, reviewers, the sample, the assignment, reviews.

Pure, frozen data with a JSON form (``to_dict`` / ``from_dict``), so an audit can be stored whole and read
back the same. An :class:`AuditItem` is one handled item of the population, from an imported ledger row or
from a generated dossier (then ``dossier`` says how to rebuild it on the server, answer key included; the
key never goes into a reviewer's page).

Units are compared by code: ``AuditItem.unit`` is the code of the unit that handled the item (the unit
being audited) and ``Reviewer.unit`` the code of the reviewer's own unit; :meth:`Reviewer.same_unit` also
accepts the unit's display name, so a reviewers file may give either.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

#: item attributes a sample may be stratified by
STRATA_KEYS: tuple[str, ...] = ("unit", "category", "status", "problem_type", "channel")


@dataclass(frozen=True, slots=True)
class DossierRef:
    """How to rebuild a generated dossier on the server.

    ``build_dossier(gen, seed, index, defects=defects, level=level)`` with the audit's pack; without
    ``defects`` (older audits) ``pick_dossier(gen, seed, level)``.
    """

    seed: int
    level: str
    index: int = 0
    defects: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"seed": self.seed, "level": self.level, "index": self.index, "defects": self.defects}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DossierRef:
        defects = data.get("defects")
        return cls(
            int(data["seed"]),
            str(data["level"]),
            int(data.get("index", 0)),
            None if defects is None else int(defects),
        )


@dataclass(frozen=True, slots=True)
class AuditItem:
    """One handled item of the population.

    Attributes
    ----------
    id
        The item's number (ledger id, or the dossier's opaque id), unique in the population.
    unit, unit_name
        Code and display name of the unit that handled the item: the unit audited.
    category, status, problem_type, channel
        Codes (``""`` when unknown); any of them may stratify a sample.
    received
        Day received, if known.
    summary
        What the item is about (shown to reviewers after masking).
    personal
        The reporter's personal data as it appears in the item's texts (name, phone, ID number): masked
        everywhere before a reviewer sees anything.
    fields
        ``(label, value)`` rows shown to a reviewer for a ledger item (before masking).
    dossier
        Set for a generated dossier: how to rebuild it on the server.
    """

    id: str
    unit: str
    unit_name: str
    category: str = ""
    status: str = ""
    problem_type: str = ""
    channel: str = ""
    received: date | None = None
    summary: str = ""
    personal: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    dossier: DossierRef | None = None

    def stratum(self, by: Sequence[str]) -> tuple[str, ...]:
        """The values of the attributes ``by`` (each one of :data:`STRATA_KEYS`), in that order."""
        return tuple(str(getattr(self, key)) for key in by)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "category": self.category,
            "status": self.status,
            "problem_type": self.problem_type,
            "channel": self.channel,
            "received": self.received.isoformat() if self.received else None,
            "summary": self.summary,
            "personal": list(self.personal),
            "fields": [list(row) for row in self.fields],
            "dossier": self.dossier.to_dict() if self.dossier else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuditItem:
        received = data.get("received")
        dossier = data.get("dossier")
        return cls(
            id=str(data["id"]),
            unit=str(data["unit"]),
            unit_name=str(data.get("unit_name", "")),
            category=str(data.get("category", "")),
            status=str(data.get("status", "")),
            problem_type=str(data.get("problem_type", "")),
            channel=str(data.get("channel", "")),
            received=date.fromisoformat(received) if received else None,
            summary=str(data.get("summary", "")),
            personal=tuple(str(v) for v in data.get("personal", ())),
            fields=tuple((str(a), str(b)) for a, b in data.get("fields", ())),
            dossier=DossierRef.from_dict(dossier) if dossier else None,
        )


@dataclass(frozen=True, slots=True)
class Reviewer:
    """A reviewer (评查人员) and the unit they come from."""

    name: str
    unit: str

    def same_unit(self, item: AuditItem) -> bool:
        """Whether reviewing ``item`` would be self-review (the reviewer's unit handled it)."""
        mine = self.unit.strip()
        return bool(mine) and mine in (item.unit, item.unit_name)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "unit": self.unit}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reviewer:
        return cls(str(data["name"]), str(data["unit"]))


@dataclass(frozen=True, slots=True)
class SizeRule:
    """How the sample size was decided, with every number used, so the page can show the working.

    Attributes
    ----------
    method
        ``"rate"`` (a share of each stratum, at least ``min_per_stratum``), ``"confidence"`` (Cochran's
        formula with the finite-population correction, allocated to strata in proportion) or ``"all"``.
    population
        N, the number of items sampled from.
    size
        n, the number drawn in the end (after per-stratum minimums and rounding).
    rate, confidence, margin, proportion, z, n0
        The inputs and intermediate values that apply to the method (None otherwise).
    min_per_stratum
        The minimum drawn from each stratum (or the whole stratum when smaller).
    formula
        The formula with the numbers put in, e.g. ``"n0 = 1.96² × 0.5 × 0.5 / 0.05² = 384.16; n = ..."``.
    """

    method: str
    population: int
    size: int
    min_per_stratum: int = 0
    rate: float | None = None
    confidence: float | None = None
    margin: float | None = None
    proportion: float | None = None
    z: float | None = None
    n0: float | None = None
    formula: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "population": self.population,
            "size": self.size,
            "min_per_stratum": self.min_per_stratum,
            "rate": self.rate,
            "confidence": self.confidence,
            "margin": self.margin,
            "proportion": self.proportion,
            "z": self.z,
            "n0": self.n0,
            "formula": self.formula,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SizeRule:
        def number(key: str) -> float | None:
            value = data.get(key)
            return None if value is None else float(value)

        return cls(
            method=str(data["method"]),
            population=int(data["population"]),
            size=int(data["size"]),
            min_per_stratum=int(data.get("min_per_stratum", 0)),
            rate=number("rate"),
            confidence=number("confidence"),
            margin=number("margin"),
            proportion=number("proportion"),
            z=number("z"),
            n0=number("n0"),
            formula=str(data.get("formula", "")),
        )


@dataclass(frozen=True, slots=True)
class StratumCount:
    """One stratum: its key (values of the stratifying attributes), population and sample counts."""

    key: tuple[str, ...]
    population: int
    sample: int

    def to_dict(self) -> dict[str, Any]:
        return {"key": list(self.key), "population": self.population, "sample": self.sample}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StratumCount:
        return cls(tuple(str(v) for v in data["key"]), int(data["population"]), int(data["sample"]))


@dataclass(frozen=True, slots=True)
class Sample:
    """A drawn sample: the ids chosen (in population order), the strata and the size rule."""

    seed: int
    by: tuple[str, ...]
    rule: SizeRule
    item_ids: tuple[str, ...]
    strata: tuple[StratumCount, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "by": list(self.by),
            "rule": self.rule.to_dict(),
            "item_ids": list(self.item_ids),
            "strata": [s.to_dict() for s in self.strata],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Sample:
        return cls(
            seed=int(data["seed"]),
            by=tuple(data["by"]),
            rule=SizeRule.from_dict(data["rule"]),
            item_ids=tuple(str(i) for i in data["item_ids"]),
            strata=tuple(StratumCount.from_dict(s) for s in data["strata"]),
        )


@dataclass(frozen=True, slots=True)
class Assignment:
    """Which reviewers review which item: ``pairs`` maps each item id to its k reviewer names."""

    seed: int
    k: int
    pairs: Mapping[str, tuple[str, ...]]

    def loads(self) -> dict[str, int]:
        """Number of items per reviewer (reviewers with none are absent)."""
        out: dict[str, int] = {}
        for names in self.pairs.values():
            for name in names:
                out[name] = out.get(name, 0) + 1
        return out

    def items_of(self, reviewer: str) -> tuple[str, ...]:
        """The items assigned to ``reviewer``, in assignment order."""
        return tuple(item for item, names in self.pairs.items() if reviewer in names)

    def to_dict(self) -> dict[str, Any]:
        return {"seed": self.seed, "k": self.k, "pairs": {i: list(n) for i, n in self.pairs.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Assignment:
        pairs = {str(i): tuple(str(n) for n in names) for i, names in data["pairs"].items()}
        return cls(int(data["seed"]), int(data["k"]), pairs)


@dataclass(frozen=True, slots=True)
class Deduction:
    """One deduction a reviewer records: the rubric sub-item, points taken, a note, and optionally the
    defect type (a code of the pack's defect catalogue) it is an instance of."""

    subitem: str
    points: float
    note: str = ""
    defect: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"subitem": self.subitem, "points": self.points, "note": self.note, "defect": self.defect}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Deduction:
        return cls(
            str(data["subitem"]),
            float(data["points"]),
            str(data.get("note", "")),
            str(data.get("defect", "")),
        )


@dataclass(frozen=True, slots=True)
class Review:
    """A reviewer's work on one item: deductions so far, and whether they have marked it done."""

    item_id: str
    reviewer: str
    deductions: tuple[Deduction, ...] = ()
    done: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "reviewer": self.reviewer,
            "deductions": [d.to_dict() for d in self.deductions],
            "done": self.done,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Review:
        return cls(
            str(data["item_id"]),
            str(data["reviewer"]),
            tuple(Deduction.from_dict(d) for d in data.get("deductions", ())),
            bool(data.get("done", False)),
        )


@dataclass(frozen=True)
class Audit:
    """One audit as stored: its population items that were sampled, reviewers, sample and assignment.

    ``items`` holds only the sampled items (the population's size and strata are in ``sample``);
    ``tokens`` maps each reviewer's name to the secret in their personal review link.
    """

    id: str
    name: str
    pack: str
    source: str
    items: tuple[AuditItem, ...]
    reviewers: tuple[Reviewer, ...]
    sample: Sample
    assignment: Assignment
    tokens: Mapping[str, str] = field(default_factory=dict)

    def item(self, item_id: str) -> AuditItem:
        """The sampled item ``item_id``; KeyError when it is not in this audit."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def reviewer_for(self, token: str) -> str | None:
        """The reviewer whose link carries ``token``, if any (compared in constant time)."""
        for name, secret in self.tokens.items():
            if hmac.compare_digest(secret.encode(), token.encode()):
                return name
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "pack": self.pack,
            "source": self.source,
            "items": [i.to_dict() for i in self.items],
            "reviewers": [r.to_dict() for r in self.reviewers],
            "sample": self.sample.to_dict(),
            "assignment": self.assignment.to_dict(),
            "tokens": dict(self.tokens),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Audit:
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            pack=str(data["pack"]),
            source=str(data["source"]),
            items=tuple(AuditItem.from_dict(i) for i in data["items"]),
            reviewers=tuple(Reviewer.from_dict(r) for r in data["reviewers"]),
            sample=Sample.from_dict(data["sample"]),
            assignment=Assignment.from_dict(data["assignment"]),
            tokens={str(k): str(v) for k, v in data.get("tokens", {}).items()},
        )
