"""Audit results over a small hand-built audit: scores, agreement, 会商 list, calibration, rectification.

The rubric has two dimensions of two sub-items each (F1 30, F2 30 | P1 20, P2 20 = 100 points).
Six items, two reviewers each; what each reviewer deducted (→ total, grade):

====  ====  =====  ==============================  ==============================
item  unit  done   first reviewer                  second reviewer
====  ====  =====  ==============================  ==============================
I1    u1    both   bob: F1 −5 (95, excellent)      carol: F1 −3, P2 −2 (95, excellent)
I2    u2    both   alice: nothing (100, excellent) carol: F2 −2, P1 −10 (88, good)
I3    u3    both   alice: F2 −20 (80, good)        bob: F2 −35→30, P2 −5 (65, pass)
I4    u1    one    bob: P1 −10 (90, excellent)     carol: draft, not done
I5    u2    both   alice: P1 −8 (92, excellent)    carol: P1 −12 (88, good)
I6    u3    none   alice: —                        bob: —
====  ====  =====  ==============================  ==============================
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from toolkit.audit.agreement import fleiss_kappa, krippendorff_alpha
from toolkit.audit.model import (
    Assignment,
    Audit,
    AuditItem,
    Deduction,
    Review,
    Reviewer,
    Sample,
    SizeRule,
)
from toolkit.audit.results import AuditResults, Calibration, audit_results
from toolkit.domain.dossier import PlantedDefect
from toolkit.packs import Pack
from toolkit.packs.rubrics import AuditDimension, AuditRubric, AuditSubitem, GradeBand, RuleRef

RULE = RuleRef("按规定办理", "test")

RUBRIC = AuditRubric(
    dimensions=(
        AuditDimension(
            "facts",
            "事实认定",
            "Facts",
            (
                AuditSubitem("F1", "事实清楚", "Facts clear", 30, RULE),
                AuditSubitem("F2", "证据", "Evidence", 30, RULE),
            ),
            defect_dimensions=("facts", "qualification"),
        ),
        AuditDimension(
            "procedure",
            "程序",
            "Procedure",
            (
                AuditSubitem("P1", "手续", "Papers", 20, RULE),
                AuditSubitem("P2", "时限", "Time limits", 20, RULE),
            ),
            defect_dimensions=("procedure", "time"),
        ),
    ),
    grades=(
        GradeBand("excellent", 0.9, "优秀", "Excellent"),
        GradeBand("good", 0.75, "良好", "Good"),
        GradeBand("pass", 0.6, "合格", "Pass"),
        GradeBand("fail", 0, "不合格", "Fail"),
    ),
    disagreement_points=10,
)

#: defect type -> its defect catalogue dimension; "confidentiality" is covered by no rubric dimension
DEFECT_DIMENSIONS = {
    "wrong_amount": "facts",
    "leak": "confidentiality",
    "late_reply": "time",
    "no_signature": "procedure",
}

ANSWER_KEYS = {
    "I1": [PlantedDefect("wrong_amount", "report", "p1"), PlantedDefect("leak", "report", "p2")],
    "I2": [],  # a clean dossier
    "I3": [PlantedDefect("late_reply", "reply", "p1")],
    "I4": [PlantedDefect("no_signature", "approval", "p1")],
}

UNITS = {"u1": "一室", "u2": "二室", "u3": "三室"}


def make_audit(pairs: dict[str, tuple[str, ...]]) -> Audit:
    items = tuple(
        AuditItem(id=i, unit=unit, unit_name=UNITS[unit], personal=("张三", "13800000000"))
        for i, unit in [("I1", "u1"), ("I2", "u2"), ("I3", "u3"), ("I4", "u1"), ("I5", "u2"), ("I6", "u3")]
        if i in pairs
    )
    return Audit(
        id="A1",
        name="2024 评查",
        pack="default",
        source="ledger",
        items=items,
        reviewers=(
            Reviewer("alice", "u1"),
            Reviewer("bob", "u2"),
            Reviewer("carol", "u3"),
            Reviewer("dan", "u1"),
        ),
        sample=Sample(1, ("unit",), SizeRule("all", len(items), len(items)), tuple(i.id for i in items), ()),
        assignment=Assignment(1, 2, pairs),
        tokens={"alice": "s3cret-token"},
    )


PAIRS = {
    "I1": ("bob", "carol"),
    "I2": ("alice", "carol"),
    "I3": ("alice", "bob"),
    "I4": ("bob", "carol"),
    "I5": ("alice", "carol"),
    "I6": ("alice", "bob"),
}


def review(item: str, reviewer: str, *deductions: Deduction, done: bool = True) -> Review:
    return Review(item, reviewer, tuple(deductions), done)


REVIEWS = [
    review("I1", "bob", Deduction("F1", 5, "事实不清", "wrong_amount")),
    review("I1", "carol", Deduction("F1", 3, "金额未核实", "wrong_amount"), Deduction("P2", 2, "", "leak")),
    review("I2", "alice"),
    review("I2", "carol", Deduction("F2", 2), Deduction("P1", 10)),
    review("I3", "alice", Deduction("F2", 20)),
    review("I3", "bob", Deduction("F2", 35), Deduction("P2", 5)),
    review("I4", "bob", Deduction("P1", 10, "未签字")),
    review("I4", "carol", Deduction("F2", 5, "草稿"), done=False),
    review("I5", "alice", Deduction("P1", 8)),
    review("I5", "carol", Deduction("P1", 12)),
    review("I6", "alice", done=False),
    # outside the assignment: ignored
    review("I1", "dan", Deduction("F1", 30, "不该计入")),
    review("X9", "alice", Deduction("F1", 30)),
]


@pytest.fixture(scope="module")
def results() -> AuditResults:
    return audit_results(make_audit(PAIRS), REVIEWS, RUBRIC, ANSWER_KEYS, DEFECT_DIMENSIONS)


def test_items_keep_the_audit_order_with_means_grades_and_completeness(results: AuditResults) -> None:
    rows = {r.item.id: r for r in results.items}
    assert [r.item.id for r in results.items] == ["I1", "I2", "I3", "I4", "I5", "I6"]
    assert {i: r.mean for i, r in rows.items()} == {
        "I1": pytest.approx(95),
        "I2": pytest.approx(94),
        "I3": pytest.approx(72.5),
        "I4": pytest.approx(90),
        "I5": pytest.approx(90),
        "I6": None,
    }
    assert {i: r.grade for i, r in rows.items()} == {
        "I1": "excellent",
        "I2": "excellent",
        "I3": "pass",
        "I4": "excellent",
        "I5": "excellent",
        "I6": None,
    }
    assert [i for i, r in rows.items() if r.complete] == ["I1", "I2", "I3", "I5"]
    assert rows["I1"].reviewers == ("bob", "carol")
    assert set(rows["I1"].scores) == {"bob", "carol"}  # dan's unassigned review is ignored
    assert set(rows["I4"].scores) == {"bob"}  # carol's draft is not scored
    assert rows["I3"].scores["bob"].total == pytest.approx(65)  # F2 capped at its 30 points
    assert results.grade_counts() == {"excellent": 4, "pass": 1}


def test_agreement_is_over_the_complete_items(results: AuditResults) -> None:
    agreement = results.agreement
    assert agreement.items == 4
    # pass (True) / fail per sub-item for I1, I2, I3, I5, each reviewer in assignment order
    passed = {
        "F1": [[False, False], [True, True], [True, True], [True, True]],
        "F2": [[True, True], [True, False], [False, False], [True, True]],
        "P1": [[True, True], [True, False], [True, True], [False, False]],
        "P2": [[True, False], [True, True], [True, False], [True, True]],
    }
    tables = {code: [[row.count(True), row.count(False)] for row in rows] for code, rows in passed.items()}
    assert agreement.kappa == pytest.approx(fleiss_kappa([row for t in tables.values() for row in t]))
    assert agreement.kappa_by_subitem == {code: pytest.approx(fleiss_kappa(t)) for code, t in tables.items()}
    assert agreement.kappa_by_subitem["F1"] == pytest.approx(1.0)
    # raters as rows, units I1, I2, I3, I5 as columns
    totals: list[list[float | None]] = [
        [None, 100, 80, 92],  # alice
        [95, None, 65, None],  # bob
        [95, 88, None, 88],  # carol
    ]
    assert agreement.alpha is not None
    assert agreement.alpha == pytest.approx(krippendorff_alpha(totals))


def test_agreement_is_undefined_on_one_item() -> None:
    one = audit_results(make_audit({"I1": ("bob", "carol")}), REVIEWS, RUBRIC)
    assert one.agreement.items == 1
    assert one.agreement.kappa is None
    assert one.agreement.alpha is None
    assert one.agreement.kappa_by_subitem == {"F1": None, "F2": None, "P1": None, "P2": None}


def test_disagreements_give_reasons_sorted_by_spread(results: AuditResults) -> None:
    found = [(d.item_id, d.spread, d.reasons, d.split_subitems) for d in results.disagreements]
    assert found == [
        ("I3", pytest.approx(15), ("spread", "grade", "subitem"), ("P2",)),
        ("I2", pytest.approx(12), ("spread", "grade", "subitem"), ("F2", "P1")),
        ("I5", pytest.approx(4), ("grade",), ()),
        ("I1", pytest.approx(0), ("subitem",), ("P2",)),
    ]
    first = results.disagreements[0]
    assert first.unit_name == "三室"
    assert first.totals == {"alice": pytest.approx(80), "bob": pytest.approx(65)}
    assert first.grades == {"alice": "good", "bob": "pass"}


def test_disagreement_ties_on_spread_go_by_item_id() -> None:
    reviews = [
        review("I2", "alice", Deduction("F1", 1)),
        review("I2", "carol", Deduction("F2", 1)),
        review("I1", "bob", Deduction("F1", 1)),
        review("I1", "carol", Deduction("F2", 1)),
    ]
    tied = audit_results(make_audit({"I1": ("bob", "carol"), "I2": ("alice", "carol")}), reviews, RUBRIC)
    assert [d.item_id for d in tied.disagreements] == ["I1", "I2"]
    assert [d.reasons for d in tied.disagreements] == [("subitem",), ("subitem",)]


def test_calibration_counts_found_and_false_deductions(results: AuditResults) -> None:
    assert results.calibration == (
        # I2 clean, nothing deducted; I3 late_reply missed (F2 is no procedure sub-item: a false one)
        Calibration("alice", items=2, planted=1, found=0, false_deductions=1),
        # I1 wrong_amount found (type and dimension), leak missed; I3 late_reply found through P2's
        # dimension, F2 false; I4 no_signature found through P1's dimension
        Calibration("bob", items=3, planted=4, found=3, false_deductions=1),
        # I1 both found, leak by its type alone (no rubric dimension covers it); I2 clean: both false;
        # the draft on I4 does not count
        Calibration("carol", items=2, planted=2, found=2, false_deductions=2),
    )
    assert results.calibration[1].recall == pytest.approx(0.75)


def test_calibration_leaves_out_reviewers_without_answer_keys() -> None:
    partial = audit_results(make_audit(PAIRS), REVIEWS, RUBRIC, {"I4": ANSWER_KEYS["I4"]}, DEFECT_DIMENSIONS)
    assert [c.reviewer for c in partial.calibration] == ["bob"]
    assert audit_results(make_audit(PAIRS), REVIEWS, RUBRIC).calibration == ()


def test_rectification_counts_an_item_once_per_problem(results: AuditResults) -> None:
    rows = [(r.unit, r.subitem, r.defect, r.count, r.item_ids, r.notes) for r in results.rectification]
    assert rows == [
        # two reviewers deducted F1/wrong_amount on I1: one item
        ("u1", "F1", "wrong_amount", 1, ("I1",), ("事实不清", "金额未核实")),
        ("u1", "P1", "", 1, ("I4",), ("未签字",)),
        ("u1", "P2", "leak", 1, ("I1",), ()),
        # count first, then rubric order
        ("u2", "P1", "", 2, ("I2", "I5"), ()),
        ("u2", "F2", "", 1, ("I2",), ()),
        ("u3", "F2", "", 1, ("I3",), ()),
        ("u3", "P2", "", 1, ("I3",), ()),
    ]
    assert {(r.unit_name, r.dimension) for r in results.rectification if r.unit == "u1"} == {
        ("一室", "facts"),
        ("一室", "procedure"),
    }
    assert all("草稿" not in r.notes and "不该计入" not in r.notes for r in results.rectification)


def test_progress_counts_done_and_assigned_per_reviewer(results: AuditResults) -> None:
    assert dict(results.progress) == {"alice": (3, 4), "bob": (3, 4), "carol": (3, 4)}


def test_to_dict_is_json_without_tokens_or_personal_data(results: AuditResults) -> None:
    data = results.to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert json.loads(text) == data
    assert "s3cret-token" not in text
    assert "张三" not in text and "13800000000" not in text
    assert data["audit"] == {"id": "A1", "name": "2024 评查", "pack": "default", "source": "ledger"}
    assert [i["item"]["id"] for i in data["items"]] == ["I1", "I2", "I3", "I4", "I5", "I6"]
    assert data["agreement"]["items"] == 4
    assert data["calibration"][1]["recall"] == pytest.approx(0.75)
    assert data["progress"]["alice"] == [3, 4]
    assert data["grade_counts"] == {"excellent": 4, "pass": 1}


def test_deductions_taking_no_points_count_nowhere() -> None:
    # as in score_review, a deduction of 0 (or a negative or nan one) takes nothing: the sub-item passes
    reviews = [
        review("I1", "bob", Deduction("P1", 0, "零分"), Deduction("P2", float("nan"))),
        review("I1", "carol", Deduction("P1", -3)),
    ]
    keys = {"I1": [PlantedDefect("no_signature", "approval", "p1")]}
    quiet = audit_results(make_audit({"I1": ("bob", "carol")}), reviews, RUBRIC, keys, DEFECT_DIMENSIONS)
    assert quiet.items[0].mean == pytest.approx(100)
    assert quiet.disagreements == ()
    assert quiet.rectification == ()
    assert [(c.found, c.false_deductions) for c in quiet.calibration] == [(0, 0), (0, 0)]


# -- veto sub-items ----------------------------------------------------------------------------------

#: the hand-built rubric with P2 as its veto sub-item
VETO_RUBRIC = replace(RUBRIC, veto=("P2",))


def test_an_item_with_one_vetoed_review_grades_fail() -> None:
    vetoed = audit_results(make_audit(PAIRS), REVIEWS, VETO_RUBRIC, ANSWER_KEYS, DEFECT_DIMENSIONS)
    rows = {r.item.id: r for r in vetoed.items}
    # I1: bob 95 (excellent), carol 95 with 2 points off P2: her review and the item are vetoed
    first = rows["I1"]
    assert first.scores["bob"].grade == "excellent" and first.scores["bob"].vetoed_by == ()
    assert first.scores["carol"].grade == "fail" and first.scores["carol"].vetoed_by == ("P2",)
    assert first.mean == pytest.approx(95) and first.grade == "fail" and first.vetoed_by == ("P2",)
    assert rows["I3"].grade == "fail"  # bob's P2 −5
    assert {i: r.vetoed_by for i, r in rows.items() if r.vetoed_by} == {"I1": ("P2",), "I3": ("P2",)}
    assert {i: r.grade for i, r in rows.items() if not r.vetoed_by} == {
        "I2": "excellent",
        "I4": "excellent",
        "I5": "excellent",
        "I6": None,
    }
    assert vetoed.grade_counts() == {"excellent": 3, "fail": 2}
    # the grades now differ on I1, and the 会商 list says whose grade the veto decided
    on_i1 = next(d for d in vetoed.disagreements if d.item_id == "I1")
    assert on_i1.reasons == ("grade", "subitem")
    assert on_i1.grades == {"bob": "excellent", "carol": "fail"}
    assert on_i1.vetoed == {"carol": ("P2",)}
    data = vetoed.to_dict()
    assert data["items"][0]["vetoed_by"] == ["P2"] and data["items"][1]["vetoed_by"] == []
    assert data["items"][0]["scores"]["carol"]["vetoed_by"] == ["P2"]
    assert next(d for d in data["disagreements"] if d["item_id"] == "I1")["vetoed"] == {"carol": ["P2"]}
    assert data["rubric"]["veto"] == ["P2"]


def test_a_draft_on_the_veto_subitem_does_not_veto() -> None:
    reviews = [review("I4", "bob"), review("I4", "carol", Deduction("P2", 1, "草稿"), done=False)]
    results = audit_results(make_audit({"I4": ("bob", "carol")}), reviews, VETO_RUBRIC)
    assert results.items[0].grade == "excellent" and results.items[0].vetoed_by == ()


def test_default_pack_a_one_point_leak_fails_the_item(pack: Pack) -> None:
    reviews = [
        review("I1", "bob"),
        review("I1", "carol", Deduction("confidentiality_identity", 1, "函询函附了举报信原件")),
    ]
    results = audit_results(make_audit({"I1": ("bob", "carol")}), reviews, pack.audit_rubric)
    item = results.items[0]
    assert item.mean == pytest.approx(99.5)
    assert item.scores["bob"].grade == "excellent"
    assert item.scores["carol"].grade == "fail" and item.scores["carol"].total == 99
    assert item.grade == "fail" and item.vetoed_by == ("confidentiality_identity",)
    assert [d.reasons for d in results.disagreements] == [("grade", "subitem")]
