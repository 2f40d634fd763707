"""Item analysis: difficulty (p) and Kelley's discrimination (D) on a hand example, and the units read
from real intake and findings scores."""

from __future__ import annotations

import dataclasses

import pytest

from toolkit.competition.analysis import ItemStat, item_analysis, units_of
from toolkit.domain.codes import Channel, Level
from toolkit.domain.dossier import Finding
from toolkit.domain.models import Case
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.conversation import build_conversation
from toolkit.generate.dossiers import build_dossier
from toolkit.generate.pick import pick_case
from toolkit.packs import Pack
from toolkit.scoring.findings import score_findings
from toolkit.scoring.intake import score_intake
from toolkit.scoring.quiz import score_question

TOTALS = {"A": 90.0, "B": 80.0, "C": 70.0, "D": 60.0, "E": 50.0, "F": 40.0}


def test_p_and_d_on_a_hand_example() -> None:
    shares = {
        "A": {"route": 1.0, "flags": 1.0},
        "B": {"route": 1.0, "flags": 0.0},
        "C": {"route": 0.0, "flags": 1.0},
        "D": {"route": 0.5},
        "E": {"route": 0.0, "due.x": 1.0},
        "F": {"route": 1.0},
    }
    stats = item_analysis(shares, TOTALS, "intake")
    # route: p = 3.5 / 6; groups of round(0.27 * 6) = 2: top A, B (1.0), bottom E, F (0.5)
    # flags: 3 contestants, too few for D; due.x: 1 contestant
    assert stats == [
        ItemStat("route", "intake", 6, pytest.approx(3.5 / 6), 0.5),
        ItemStat("flags", "intake", 3, pytest.approx(2 / 3), None),
        ItemStat("due.x", "intake", 1, 1.0, None),
    ]


def test_four_contestants_make_groups_of_one_and_ties_sort_by_p_then_unit() -> None:
    shares = {c: {"b": s, "a": s} for c, s in zip("ABCD", (0.0, 1.0, 1.0, 1.0), strict=True)}
    stats = item_analysis(shares, TOTALS, "quiz")
    assert [(s.unit, s.p, s.discrimination) for s in stats] == [("a", 0.75, -1.0), ("b", 0.75, -1.0)]
    # a contestant missing from totals counts 0, so ranks last
    stats = item_analysis({**shares, "G": {"a": 1.0}}, TOTALS, "quiz")
    assert stats[0].unit == "b" and stats[1].discrimination == -1.0


def test_nothing_to_analyse() -> None:
    assert item_analysis({}, {}, "findings") == []


@pytest.fixture(scope="module")
def case(generator: CaseGenerator) -> Case:
    return pick_case(generator, 11, Level.MEDIUM, Channel.VISIT)


def test_intake_units_are_fields_and_conduct_dimensions(
    pack: Pack, generator: CaseGenerator, case: Case
) -> None:
    perfect = score_intake(case, case.truth, pack).to_dict()
    units = units_of("intake", perfect)
    fields = [item["field"] for item in perfect["items"] if item["max"] > 0]
    assert sorted(units) == sorted(set(fields))
    assert set(units.values()) == {1.0}
    wrong = dataclasses.replace(case.truth, problem_type="no_such_type", flags=())
    units = units_of("intake", score_intake(case, wrong, pack).to_dict())
    assert units["problem_type"] == 0.0
    assert 0.0 <= units["flags"] < 1.0
    conversation = build_conversation(generator, case)
    model = list(conversation.model_choices())
    bad = [next(o.id for o in turn.options if o.fault is not None) for turn in conversation.turns]
    choices = [bad[0], *model[1:]]
    report = score_intake(case, case.truth, pack, conversation=conversation, choices=choices).to_dict()
    units = units_of("intake", report)
    dims = {turn.dimension.value for turn in conversation.turns}
    assert {u for u in units if u.startswith("conduct.")} == {f"conduct.{d}" for d in dims}
    first = f"conduct.{conversation.turns[0].dimension.value}"
    turns = sum(t.dimension == conversation.turns[0].dimension for t in conversation.turns)
    assert units[first] == pytest.approx(1 - 1 / turns, abs=1e-6)
    assert not any(u.startswith("conversation.") for u in units)


def test_findings_units_are_defect_types(pack: Pack, generator: CaseGenerator) -> None:
    dossier = next(
        d
        for i in range(50)
        if len((d := build_dossier(generator, 5, i, defects=3, level=Level.EASY)).answer_key) == 3
    )
    key = dossier.answer_key
    marks = [Finding(p.document, p.defect) for p in key[:2]]
    units = units_of("findings", score_findings(dossier, marks, pack).to_dict())
    assert units == {key[0].defect: 1.0, key[1].defect: 1.0, key[2].defect: 0.0}
    assert units_of("findings", {"by_defect": {"x": [1, 2], "y": [0, 0]}}) == {"x": 0.5}


def test_quiz_units_are_questions_right_or_wrong(pack: Pack) -> None:
    question = pack.quiz.questions[0]
    right = score_question(question, question.answer, pack.quiz.points).to_dict()
    assert units_of("quiz", right) == {question.id: 1.0}
    assert units_of("quiz", score_question(question, None, pack.quiz.points).to_dict()) == {question.id: 0.0}
    assert units_of("quiz", {"id": "q003", "correct": True}) == {"q003": 1.0}
    assert units_of("quiz", {"question": "g-1", "correct": False, "points": 0, "max": 2}) == {"g-1": 0.0}
    assert units_of("quiz", {"question_id": "q1", "points": 2.0, "max": 2.0}) == {"q1": 1.0}


@pytest.mark.parametrize(
    ("kind", "payload", "message"),
    [
        ("essay", {}, "unknown round kind"),
        ("intake", {}, "no items"),
        ("findings", {"items": []}, "no by_defect"),
        ("quiz", {"correct": True}, "does not name its question"),
        ("quiz", {"id": "q1"}, "neither"),
    ],
)
def test_payloads_that_cannot_be_read(kind: str, payload: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        units_of(kind, payload)
