"""An audit's results: per-item scores and grades, agreement, the 会商 list, calibration, rectification.

:func:`audit_results` scores every done review with :func:`~toolkit.audit.review.score_review` and builds
each part of the report in its own small function; agreement statistics come from
:mod:`toolkit.audit.agreement`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.audit.agreement import fleiss_kappa, interpretation, krippendorff_alpha, pass_fail_table
from toolkit.audit.model import Audit, AuditItem, Deduction, Review
from toolkit.audit.review import ReviewScore, score_review
from toolkit.domain.dossier import PlantedDefect
from toolkit.packs.rubrics import AuditRubric

#: float noise allowed when comparing a spread of totals with ``rubric.disagreement_points``
_TOLERANCE = 1e-9


def _counted(review: Review) -> tuple[Deduction, ...]:
    """The deductions that take points (as in ``score_review``, others count as nothing)."""
    return tuple(d for d in review.deductions if math.isfinite(d.points) and d.points > 0)


def _item_summary(item: AuditItem) -> dict[str, Any]:
    """The item's codes for a report; no summary, fields or personal data (exports leave the server)."""
    return {
        "id": item.id,
        "unit": item.unit,
        "unit_name": item.unit_name,
        "category": item.category,
        "status": item.status,
        "problem_type": item.problem_type,
        "channel": item.channel,
    }


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One sampled item: every assigned reviewer's score so far.

    ``scores`` holds the reviews marked done, by reviewer name; ``mean`` and ``grade`` (a grade band code)
    are over those, None while no review is done; ``complete`` when every assigned reviewer is done.
    ``vetoed_by`` lists the veto sub-items any done review deducts on (rubric order): when it is not empty
    the grade is the rubric's lowest band whatever the mean (one reviewer's finding of a leak is a finding).
    """

    item: AuditItem
    reviewers: tuple[str, ...]
    scores: Mapping[str, ReviewScore]
    mean: float | None
    grade: str | None
    complete: bool
    vetoed_by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": _item_summary(self.item),
            "reviewers": list(self.reviewers),
            "scores": {name: s.to_dict() for name, s in self.scores.items()},
            "mean": self.mean,
            "grade": self.grade,
            "complete": self.complete,
            "vetoed_by": list(self.vetoed_by),
        }


@dataclass(frozen=True, slots=True)
class Agreement:
    """Agreement between reviewers over the complete items.

    ``kappa`` is Fleiss' kappa on per-sub-item pass/fail, pooled over every (item, sub-item) pair;
    ``kappa_by_subitem`` the same per sub-item; ``alpha`` Krippendorff's alpha (interval) on the totals.
    None where the statistic is undefined (fewer than 2 items, or no variation at all).
    ``items`` is the number of complete items they were computed on.
    """

    items: int
    kappa: float | None
    kappa_by_subitem: Mapping[str, float | None]
    alpha: float | None

    def to_dict(self) -> dict[str, Any]:
        """Also gives each statistic's Landis & Koch band (``*_band``)."""
        return {
            "items": self.items,
            "kappa": self.kappa,
            "kappa_band": interpretation(self.kappa),
            "kappa_by_subitem": dict(self.kappa_by_subitem),
            "kappa_by_subitem_band": {s: interpretation(v) for s, v in self.kappa_by_subitem.items()},
            "alpha": self.alpha,
            "alpha_band": interpretation(self.alpha),
        }


@dataclass(frozen=True, slots=True)
class Disagreement:
    """An item for 会商: reviewers' totals and grades, and the sub-items they split on.

    ``vetoed`` gives, for each reviewer whose grade a veto sub-item decided, the veto sub-items deducted on.
    """

    item_id: str
    unit_name: str
    totals: Mapping[str, float]
    grades: Mapping[str, str]
    spread: float
    split_subitems: tuple[str, ...]
    reasons: tuple[str, ...]  # codes: "spread", "grade", "subitem"
    vetoed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "unit_name": self.unit_name,
            "totals": dict(self.totals),
            "grades": dict(self.grades),
            "spread": self.spread,
            "split_subitems": list(self.split_subitems),
            "reasons": list(self.reasons),
            "vetoed": {name: list(codes) for name, codes in self.vetoed.items()},
        }


@dataclass(frozen=True, slots=True)
class Calibration:
    """One reviewer against the answer keys of the generated dossiers they reviewed (done reviews only).

    A planted defect counts as *found* when the reviewer deducted on the rubric dimension covering its
    defect dimension, or named its defect type. ``false_deductions`` counts deductions on dimensions where
    nothing was planted (a deduction naming a planted defect type is never false).
    """

    reviewer: str
    items: int
    planted: int
    found: int
    false_deductions: int

    @property
    def recall(self) -> float | None:
        return self.found / self.planted if self.planted else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "reviewer": self.reviewer,
            "items": self.items,
            "planted": self.planted,
            "found": self.found,
            "false_deductions": self.false_deductions,
            "recall": self.recall,
        }


@dataclass(frozen=True, slots=True)
class RectificationRow:
    """One line of a unit's rectification list (整改清单): a problem and the items it was found in.

    A problem is a rubric sub-item (with the defect type when reviewers named one); an item counts once
    however many of its reviewers deducted for it.
    """

    unit: str
    unit_name: str
    dimension: str
    subitem: str
    defect: str
    count: int
    item_ids: tuple[str, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "unit_name": self.unit_name,
            "dimension": self.dimension,
            "subitem": self.subitem,
            "defect": self.defect,
            "count": self.count,
            "item_ids": list(self.item_ids),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class AuditResults:
    """Everything an audit report shows."""

    audit: Audit
    rubric: AuditRubric
    items: tuple[ItemResult, ...]
    agreement: Agreement
    disagreements: tuple[Disagreement, ...]
    calibration: tuple[Calibration, ...]
    rectification: tuple[RectificationRow, ...]
    progress: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # reviewer -> (done, assigned)

    def grade_counts(self) -> dict[str, int]:
        """Complete-or-partly-reviewed items per grade band code (items with no done review are left out)."""
        out: dict[str, int] = {}
        for r in self.items:
            if r.grade is not None:
                out[r.grade] = out.get(r.grade, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible data for storing and exports.

        The audit appears by id, name, pack and source only: reviewers' link tokens and the items'
        personal data stay out of a report.
        """
        audit = self.audit
        return {
            "audit": {"id": audit.id, "name": audit.name, "pack": audit.pack, "source": audit.source},
            "rubric": self.rubric.to_dict(),
            "items": [r.to_dict() for r in self.items],
            "grade_counts": self.grade_counts(),
            "agreement": self.agreement.to_dict(),
            "disagreements": [d.to_dict() for d in self.disagreements],
            "calibration": [c.to_dict() for c in self.calibration],
            "rectification": [r.to_dict() for r in self.rectification],
            "progress": {name: list(counts) for name, counts in self.progress.items()},
        }


def audit_results(
    audit: Audit,
    reviews: Sequence[Review],
    rubric: AuditRubric,
    answer_keys: Mapping[str, Sequence[PlantedDefect]] | None = None,
    defect_dimensions: Mapping[str, str] | None = None,
) -> AuditResults:
    """Aggregate the latest review of each (item, reviewer).

    Parameters
    ----------
    audit
        The audit.
    reviews
        Latest review per (item, reviewer); reviews of items or by reviewers outside the assignment are
        ignored.
    rubric
        The pack's audit rubric.
    answer_keys
        Item id -> planted defects, for items that are generated dossiers (calibration).
    defect_dimensions
        Defect type code -> its :class:`~toolkit.domain.codes.DefectDimension` code (from the pack's
        defect catalogue).

    Returns
    -------
    AuditResults
        Items in the audit's order; agreement over the complete items reviewed by the assignment's k
        reviewers; the disagreement list sorted by spread (largest first), then item id; calibration by
        reviewer name; rectification rows by unit, then count (largest first), then rubric order.

    Raises
    ------
    KeyError
        A done review deducts on a sub-item the rubric lacks (see
        :func:`~toolkit.audit.review.check_deduction`).
    """
    kept = _assigned_reviews(audit, reviews)
    items = _item_results(audit, kept, rubric)
    return AuditResults(
        audit=audit,
        rubric=rubric,
        items=items,
        agreement=_agreement(items, rubric, audit.assignment.k),
        disagreements=_disagreements(items, rubric),
        calibration=_calibration(items, kept, rubric, answer_keys or {}, defect_dimensions or {}),
        rectification=_rectification(items, kept, rubric),
        progress=_progress(audit, kept),
    )


def _assigned_reviews(audit: Audit, reviews: Sequence[Review]) -> dict[tuple[str, str], Review]:
    """(item id, reviewer) -> review, for assigned pairs of sampled items only (a later one wins)."""
    sampled = {item.id for item in audit.items}
    pairs = audit.assignment.pairs
    out: dict[tuple[str, str], Review] = {}
    for review in reviews:
        if review.item_id in sampled and review.reviewer in pairs.get(review.item_id, ()):
            out[(review.item_id, review.reviewer)] = review
    return out


def _item_results(
    audit: Audit, kept: Mapping[tuple[str, str], Review], rubric: AuditRubric
) -> tuple[ItemResult, ...]:
    """Every sampled item with its done reviews scored, in the audit's item order.

    An item any of whose done reviews is vetoed is graded in the rubric's lowest band.
    """
    out: list[ItemResult] = []
    for item in audit.items:
        names = tuple(audit.assignment.pairs.get(item.id, ()))
        scores: dict[str, ReviewScore] = {}
        for name in names:
            review = kept.get((item.id, name))
            if review is not None and review.done:
                scores[name] = score_review(review, rubric)
        mean = sum(s.total for s in scores.values()) / len(scores) if scores else None
        grade = rubric.grade(mean / rubric.total).code if mean is not None and rubric.total else None
        vetoed = {code for s in scores.values() for code in s.vetoed_by}
        vetoed_by = tuple(code for code in rubric.veto if code in vetoed)
        if vetoed_by:
            grade = rubric.veto_grade.code
        complete = bool(names) and len(scores) == len(names)
        out.append(ItemResult(item, names, scores, mean, grade, complete, vetoed_by))
    return tuple(out)


def _agreement(items: Sequence[ItemResult], rubric: AuditRubric, k: int) -> Agreement:
    """Fleiss' kappa on sub-item pass/fail and Krippendorff's alpha on totals, over complete k-rater items."""
    used = [r for r in items if r.complete and len(r.reviewers) == k and k >= 2]
    codes = [s.code for s in rubric.subitems]
    if len(used) < 2:
        return Agreement(len(used), None, dict.fromkeys(codes), None)

    by_subitem: dict[str, list[list[int]]] = {code: [] for code in codes}
    for r in used:
        rows = pass_fail_table([[r.scores[name].passed[code] for name in r.reviewers] for code in codes])
        for code, row in zip(codes, rows, strict=True):
            by_subitem[code].append(row)
    pooled = [row for rows in by_subitem.values() for row in rows]

    raters = list(dict.fromkeys(name for r in used for name in r.reviewers))
    totals = [[r.scores[name].total if name in r.scores else None for r in used] for name in raters]
    return Agreement(
        items=len(used),
        kappa=fleiss_kappa(pooled),
        kappa_by_subitem={code: fleiss_kappa(rows) for code, rows in by_subitem.items()},
        alpha=krippendorff_alpha(totals, level="interval"),
    )


def _disagreements(items: Sequence[ItemResult], rubric: AuditRubric) -> tuple[Disagreement, ...]:
    """Items with at least 2 done reviews that differ in spread, grade band or a sub-item's pass/fail."""
    out: list[Disagreement] = []
    for r in items:
        if len(r.scores) < 2:
            continue
        totals = {name: s.total for name, s in r.scores.items()}
        grades = {name: s.grade for name, s in r.scores.items()}
        spread = max(totals.values()) - min(totals.values())
        split = tuple(
            s.code for s in rubric.subitems if len({score.passed[s.code] for score in r.scores.values()}) > 1
        )
        reasons: list[str] = []
        if spread > rubric.disagreement_points + _TOLERANCE:
            reasons.append("spread")
        if len(set(grades.values())) > 1:
            reasons.append("grade")
        if split:
            reasons.append("subitem")
        if reasons:
            vetoed = {name: s.vetoed_by for name, s in r.scores.items() if s.vetoed_by}
            out.append(
                Disagreement(
                    r.item.id, r.item.unit_name, totals, grades, spread, split, tuple(reasons), vetoed
                )
            )
    out.sort(key=lambda d: (-d.spread, d.item_id))
    return tuple(out)


def _calibration(
    items: Sequence[ItemResult],
    kept: Mapping[tuple[str, str], Review],
    rubric: AuditRubric,
    answer_keys: Mapping[str, Sequence[PlantedDefect]],
    defect_dimensions: Mapping[str, str],
) -> tuple[Calibration, ...]:
    """Each reviewer's found and false deductions on the generated dossiers they marked done."""
    counts: dict[str, list[int]] = {}  # reviewer -> [items, planted, found, false]
    for r in items:
        planted = answer_keys.get(r.item.id)
        if planted is None:
            continue
        # each planted defect: its type, and the sub-items of the rubric dimension covering it (if any)
        expected: list[tuple[str, frozenset[str]]] = []
        covered: set[str] = set()
        for defect in planted:
            dimension = rubric.dimension_for_defect(defect_dimensions.get(defect.defect, ""))
            subitems = frozenset(s.code for s in dimension.subitems) if dimension else frozenset()
            expected.append((defect.defect, subitems))
            if dimension is not None:
                covered.add(dimension.code)
        planted_types = {defect_type for defect_type, _ in expected}
        for name in r.scores:
            deductions = _counted(kept[(r.item.id, name)])
            found = sum(
                1
                for defect_type, subitems in expected
                if any(d.defect == defect_type or d.subitem in subitems for d in deductions)
            )
            false = sum(
                1
                for d in deductions
                if rubric.dimension_of(d.subitem).code not in covered and d.defect not in planted_types
            )
            row = counts.setdefault(name, [0, 0, 0, 0])
            row[0] += 1
            row[1] += len(planted)
            row[2] += found
            row[3] += false
    return tuple(Calibration(name, *counts[name]) for name in sorted(counts))


def _rectification(
    items: Sequence[ItemResult], kept: Mapping[tuple[str, str], Review], rubric: AuditRubric
) -> tuple[RectificationRow, ...]:
    """Per unit, each (sub-item, defect type) deducted on by a done review, with the items it was found in."""
    order = {s.code: i for i, s in enumerate(rubric.subitems)}
    unit_names: dict[str, str] = {}
    found: dict[tuple[str, str, str], tuple[set[str], dict[str, None]]] = {}
    for r in items:
        unit_names.setdefault(r.item.unit, r.item.unit_name)
        for name in r.scores:
            for d in _counted(kept[(r.item.id, name)]):
                ids, notes = found.setdefault((r.item.unit, d.subitem, d.defect), (set(), {}))
                ids.add(r.item.id)
                if d.note.strip():
                    notes[d.note.strip()] = None
    rows = [
        RectificationRow(
            unit=unit,
            unit_name=unit_names[unit],
            dimension=rubric.dimension_of(subitem).code,
            subitem=subitem,
            defect=defect,
            count=len(ids),
            item_ids=tuple(sorted(ids)),
            notes=tuple(notes),
        )
        for (unit, subitem, defect), (ids, notes) in found.items()
    ]
    rows.sort(key=lambda row: (row.unit, -row.count, order.get(row.subitem, len(order)), row.defect))
    return tuple(rows)


def _progress(audit: Audit, kept: Mapping[tuple[str, str], Review]) -> dict[str, tuple[int, int]]:
    """Reviewer -> (done, assigned) for every reviewer with assigned items, in the audit's reviewer order."""
    loads = audit.assignment.loads()
    names = [r.name for r in audit.reviewers if r.name in loads]
    names += [name for name in loads if name not in names]
    done: dict[str, int] = {}
    for (_, name), review in kept.items():
        if review.done:
            done[name] = done.get(name, 0) + 1
    return {name: (done.get(name, 0), loads[name]) for name in names}
