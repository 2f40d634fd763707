"""Scoring a review against the default pack's audit rubric, and what can be wrong with its deductions."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from toolkit.audit.model import Deduction, Review
from toolkit.audit.review import NOTE_MAX, check_deduction, review_problems, score_review
from toolkit.packs import Pack
from toolkit.packs.rubrics import AuditRubric


@pytest.fixture(scope="module")
def rubric(pack: Pack) -> AuditRubric:
    return pack.audit_rubric


@pytest.fixture(scope="module")
def defect_codes(pack: Pack) -> frozenset[str]:
    return frozenset(pack.defects.codes())


def _review(*deductions: Deduction, done: bool = True) -> Review:
    return Review("item-1", "王评查", tuple(deductions), done)


def test_no_deductions_is_full_marks_and_excellent(rubric: AuditRubric) -> None:
    score = score_review(_review(), rubric)
    assert score.total == 100 and score.grade == "excellent"
    assert score.deducted == {}
    assert score.by_dimension == {d.code: d.points for d in rubric.dimensions}
    assert set(score.passed) == {s.code for s in rubric.subitems} and all(score.passed.values())
    assert (score.item_id, score.reviewer, score.done) == ("item-1", "王评查", True)


def test_deductions_on_a_subitem_are_capped_at_its_points(rubric: AuditRubric) -> None:
    assert rubric.subitem("facts_items_verified").points == 8
    score = score_review(
        _review(
            Deduction("facts_items_verified", 6, "第2项未核查"),
            Deduction("facts_items_verified", 7, "第3项未核查"),
            Deduction("feedback_result", 3.5),
        ),
        rubric,
    )
    assert score.deducted == {"facts_items_verified": 8, "feedback_result": 3.5}
    assert score.total == 88.5
    assert score.by_dimension["facts"] == 15 and score.by_dimension["feedback"] == 8.5
    assert score.by_dimension["time"] == 15
    assert sum(score.by_dimension.values()) == score.total
    assert score.grade == "good" and score.vetoed_by == ()


def test_passed_flags_only_the_subitems_deducted_on(rubric: AuditRubric) -> None:
    score = score_review(
        _review(Deduction("confidentiality_identity", 4), Deduction("time_handling", 2)), rubric
    )
    failed = {code for code, ok in score.passed.items() if not ok}
    assert failed == {"confidentiality_identity", "time_handling"}
    assert len(score.passed) == len(rubric.subitems)


def test_totals_have_no_float_noise(rubric: AuditRubric) -> None:
    score = score_review(
        _review(Deduction("documents_complete", 0.1), Deduction("documents_complete", 0.2)), rubric
    )
    assert score.total == 99.7 and score.deducted == {"documents_complete": 0.3}
    assert score.by_dimension["confidentiality_documents"] == 9.7


@pytest.mark.parametrize(
    ("deduct", "grade"),
    [(10, "excellent"), (10.5, "good"), (25, "good"), (25.5, "pass"), (40, "pass"), (41, "fail")],
)
def test_the_grade_follows_the_shared_bands(rubric: AuditRubric, deduct: float, grade: str) -> None:
    deductions: list[Deduction] = []
    left = deduct
    for sub in rubric.subitems:
        if left <= 0:
            break
        take = min(left, sub.points)
        deductions.append(Deduction(sub.code, take))
        left -= take
    score = score_review(_review(*deductions), rubric)
    assert score.total == 100 - deduct and score.grade == grade


def test_subitems_of_another_rubric_and_invalid_points_count_nothing(rubric: AuditRubric) -> None:
    # a review stored under pack 1.0.0 deducted on 延期理由已告知 (feedback_extension), which 2.0.0 dropped
    old = score_review(_review(Deduction("feedback_extension", 2), Deduction("facts_particulars", 1)), rubric)
    assert old.total == 99 and "feedback_extension" not in old.deducted
    score = score_review(
        _review(Deduction("facts_particulars", -5), Deduction("facts_particulars", math.nan)), rubric
    )
    assert score.total == 100 and score.passed["facts_particulars"]


def test_a_score_has_a_json_form(rubric: AuditRubric) -> None:
    score = score_review(_review(Deduction("procedure_routing", 3), done=False), rubric)
    data = json.loads(json.dumps(score.to_dict()))
    assert data["total"] == 97 and data["done"] is False and data["deducted"] == {"procedure_routing": 3}
    assert data["vetoed_by"] == []
    vetoed = score_review(_review(Deduction("confidentiality_identity", 1)), rubric).to_dict()
    assert json.loads(json.dumps(vetoed))["vetoed_by"] == ["confidentiality_identity"]


def test_one_point_off_the_veto_subitem_grades_fail(rubric: AuditRubric) -> None:
    score = score_review(_review(Deduction("confidentiality_identity", 1, "交办函写明了举报人姓名")), rubric)
    assert score.total == 99 and score.grade == "fail"
    assert score.vetoed_by == ("confidentiality_identity",)
    assert not score.passed["confidentiality_identity"]
    # the same review under the rubric without its veto would be excellent: the veto decides the grade
    assert score_review(
        _review(Deduction("confidentiality_identity", 1)), replace(rubric, veto=())
    ).grade == ("excellent")


def test_deductions_that_take_nothing_do_not_veto(rubric: AuditRubric) -> None:
    score = score_review(
        _review(Deduction("confidentiality_identity", 0), Deduction("confidentiality_identity", -1)), rubric
    )
    assert score.grade == "excellent" and score.vetoed_by == ()
    other = score_review(_review(Deduction("confidentiality_marking", 2)), rubric)
    assert other.grade == "excellent" and other.vetoed_by == ()


def test_a_valid_deduction_has_no_problems(rubric: AuditRubric, defect_codes: frozenset[str]) -> None:
    assert (
        check_deduction(Deduction("feedback_result", 4, "未反馈", "feedback_missing"), rubric, defect_codes)
        == []
    )
    assert check_deduction(Deduction("feedback_result", 0.5), rubric, defect_codes) == []
    assert check_deduction(Deduction("feedback_result", 1, "x" * NOTE_MAX), rubric, defect_codes) == []


@pytest.mark.parametrize(
    ("deduction", "expected"),
    [
        (Deduction("nope", 1), "subitem: unknown sub-item 'nope'"),
        (Deduction("", 1), "subitem: unknown sub-item ''"),
        (Deduction("feedback_result", 0), "points: must be a positive finite number, got 0"),
        (Deduction("feedback_result", -2), "points: must be a positive finite number, got -2"),
        (Deduction("feedback_result", math.inf), "points: must be a positive finite number, got inf"),
        (Deduction("feedback_result", math.nan), "points: must be a positive finite number, got nan"),
        (Deduction("feedback_result", 9), "points: 9 exceed the 8 points of sub-item 'feedback_result'"),
        (
            Deduction("feedback_result", 1, defect="no_such_defect"),
            "defect: unknown defect type 'no_such_defect'",
        ),
        (
            Deduction("feedback_result", 1, "长" * (NOTE_MAX + 1)),
            f"note: {NOTE_MAX + 1} characters, at most 500",
        ),
    ],
)
def test_deduction_problems_name_the_field(
    rubric: AuditRubric, defect_codes: frozenset[str], deduction: Deduction, expected: str
) -> None:
    problems = check_deduction(deduction, rubric, defect_codes)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected)


def test_several_problems_of_one_deduction_are_all_reported(
    rubric: AuditRubric, defect_codes: frozenset[str]
) -> None:
    problems = check_deduction(Deduction("nope", -1, "x" * 600, "nothing"), rubric, defect_codes)
    assert [p.split(":")[0] for p in problems] == ["points", "subitem", "defect", "note"]


def test_review_problems_number_the_deductions_and_check_sums(
    rubric: AuditRubric, defect_codes: frozenset[str]
) -> None:
    review = _review(
        Deduction("feedback_result", 5),
        Deduction("nope", 1),
        Deduction("feedback_result", 5),
        Deduction("time_feedback", 2),
        Deduction("time_feedback", 2),
    )
    assert review_problems(review, rubric, defect_codes) == [
        "deduction 2: subitem: unknown sub-item 'nope'",
        "subitem feedback_result: deductions 10 exceed its 8 points",
    ]
    assert review_problems(_review(Deduction("time_feedback", 4)), rubric, defect_codes) == []
    assert review_problems(_review(), rubric, defect_codes) == []
