"""Scoring one reviewer's review of one item against the pack's audit rubric.

A review is a list of deductions, each on one sub-item of the rubric. :func:`score_review` turns it into a
:class:`ReviewScore` (deductions on a sub-item capped at its points; a deduction on a veto sub-item grades
it in the lowest band); :func:`check_deduction` and :func:`review_problems` say what is wrong with
deductions a reviewer entered, before they are stored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.audit.model import Deduction, Review
from toolkit.packs.rubrics import AuditRubric

#: the longest note a deduction may carry, in characters
NOTE_MAX = 500


@dataclass(frozen=True, slots=True)
class ReviewScore:
    """What a review comes to.

    Attributes
    ----------
    item_id, reviewer, done
        As in the :class:`~toolkit.audit.model.Review`.
    total
        The rubric's total (100) minus the deductions, each sub-item's deductions capped at its points.
    deducted
        Sub-item code -> points deducted on it (after the cap); sub-items with none are absent.
    by_dimension
        Dimension code -> points kept in it.
    passed
        Sub-item code -> True when nothing was deducted on it, for every sub-item of the rubric.
    grade
        Code of the grade band of ``total / rubric.total``; the lowest band's when ``vetoed_by`` is not empty.
    vetoed_by
        The rubric's veto sub-items (``AuditRubric.veto``) this review deducts on, in rubric order: why the
        grade is the lowest whatever the total. Empty when no veto applies.
    """

    item_id: str
    reviewer: str
    done: bool
    total: float
    deducted: Mapping[str, float]
    by_dimension: Mapping[str, float]
    passed: Mapping[str, bool]
    grade: str
    vetoed_by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "reviewer": self.reviewer,
            "done": self.done,
            "total": self.total,
            "deducted": dict(self.deducted),
            "by_dimension": dict(self.by_dimension),
            "passed": dict(self.passed),
            "grade": self.grade,
            "vetoed_by": list(self.vetoed_by),
        }


def score_review(review: Review, rubric: AuditRubric) -> ReviewScore:
    """Score ``review`` with ``rubric``.

    A deduction on a sub-item the rubric lacks counts nothing: it was made under another version of the
    pack's rubric (a stored review outlives a pack upgrade), and new ones are refused when saved
    (:func:`check_deduction`). Each sub-item loses the sum of the deductions on it, capped at its points;
    deductions that are not a positive finite number count as nothing (:func:`check_deduction` reports
    them). Totals are rounded to 2 decimals so that, e.g., 100 − 0.1 − 0.2 reads 99.7. Points taken on a
    veto sub-item, however few, grade the review in the rubric's lowest band (``vetoed_by`` says which).
    """
    taken = _taken(review, rubric)
    deducted = {code: _round(points) for code, points in taken.items() if points > 0}
    by_dimension = {
        d.code: _round(d.points - sum(taken.get(s.code, 0.0) for s in d.subitems)) for d in rubric.dimensions
    }
    total = _round(rubric.total - sum(taken.values()))
    share = total / rubric.total if rubric.total > 0 else 0.0
    vetoed_by = rubric.vetoes(taken)
    grade = rubric.veto_grade if vetoed_by else rubric.grade(share)
    return ReviewScore(
        item_id=review.item_id,
        reviewer=review.reviewer,
        done=review.done,
        total=total,
        deducted=deducted,
        by_dimension=by_dimension,
        passed={s.code: taken.get(s.code, 0.0) <= 0 for s in rubric.subitems},
        grade=grade.code,
        vetoed_by=vetoed_by,
    )


def check_deduction(deduction: Deduction, rubric: AuditRubric, defect_codes: frozenset[str]) -> list[str]:
    """Problems with one deduction (empty list: fine), each a short English sentence naming the field.

    Checked: the sub-item is one of the rubric's; the points are a positive finite number no larger than
    the sub-item's points; the defect type, when one is named, is one of ``defect_codes``; the note is at
    most :data:`NOTE_MAX` characters.
    """
    problems: list[str] = []
    points = deduction.points
    number = isinstance(points, int | float) and not isinstance(points, bool)
    if not number or not math.isfinite(points) or points <= 0:
        problems.append(f"points: must be a positive finite number, got {points!r}")
        number = False
    try:
        subitem = rubric.subitem(deduction.subitem)
    except KeyError:
        problems.append(f"subitem: unknown sub-item {deduction.subitem!r}")
    else:
        if number and points > subitem.points:
            problems.append(
                f"points: {points:g} exceed the {subitem.points:g} points of sub-item {subitem.code!r}"
            )
    if deduction.defect and deduction.defect not in defect_codes:
        problems.append(f"defect: unknown defect type {deduction.defect!r}")
    if len(deduction.note) > NOTE_MAX:
        problems.append(f"note: {len(deduction.note)} characters, at most {NOTE_MAX} allowed")
    return problems


def review_problems(review: Review, rubric: AuditRubric, defect_codes: frozenset[str]) -> list[str]:
    """Problems with a whole review (empty list: fine).

    Each deduction's problems from :func:`check_deduction`, prefixed ``"deduction N: "`` (N counts from 1),
    then, for a sub-item with several deductions, their sum when it exceeds the sub-item's points.
    """
    problems: list[str] = []
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    for n, deduction in enumerate(review.deductions, start=1):
        mine = check_deduction(deduction, rubric, defect_codes)
        problems.extend(f"deduction {n}: {p}" for p in mine)
        if _counts(deduction.points):
            sums[deduction.subitem] = sums.get(deduction.subitem, 0.0) + deduction.points
            counts[deduction.subitem] = counts.get(deduction.subitem, 0) + 1
    for subitem in rubric.subitems:
        got = _round(sums.get(subitem.code, 0.0))
        if counts.get(subitem.code, 0) > 1 and got > subitem.points:
            problems.append(
                f"subitem {subitem.code}: deductions {got:g} exceed its {subitem.points:g} points"
            )
    return problems


def _taken(review: Review, rubric: AuditRubric) -> dict[str, float]:
    """Points taken per sub-item (capped at its points); sub-items the rubric lacks are left out."""
    known = {s.code for s in rubric.subitems}
    sums: dict[str, float] = {}
    for deduction in review.deductions:
        if deduction.subitem in known and _counts(deduction.points):
            sums[deduction.subitem] = sums.get(deduction.subitem, 0.0) + deduction.points
    return {code: min(points, rubric.subitem(code).points) for code, points in sums.items()}


def _counts(points: float) -> bool:
    """Whether a deduction's points count (a positive finite number)."""
    return (
        isinstance(points, int | float)
        and not isinstance(points, bool)
        and math.isfinite(points)
        and points > 0
    )


def _round(points: float) -> float:
    """``points`` rounded to 2 decimals (no float noise; -0.0 becomes 0.0)."""
    return round(points, 2) + 0.0
