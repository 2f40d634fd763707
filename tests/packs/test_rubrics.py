"""rubrics.yaml: the default intake rubric, and each mistake in the file reported with line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pack_edits
import pytest

from toolkit.errors import PackFileError
from toolkit.packs import Pack
from toolkit.packs.rubrics import INTAKE_FIELDS


def test_default_intake_rubric(pack: Pack) -> None:
    rubric = pack.intake_rubric
    points = {name: f.points for name, f in rubric.fields.items()}
    assert points == {
        "category": 10,
        "flags": 10,
        "problem_type": 8,
        "reporter": 6,
        "accused": 12,
        "route": 16,
        "disposal": 10,
        "due": 18,
        "repeat_of": 10,
    }
    assert rubric.field_points == 100
    assert dict(rubric.field("route").parts) == {"action": 0.5, "unit": 0.375, "copy_to": 0.125}
    assert rubric.field("route").gate == "action"
    assert rubric.field("due").one_working_day_off == 0.5
    assert rubric.conduct_points == 3
    assert [(g.code, g.min_share, g.zh) for g in rubric.grades] == [
        ("excellent", 0.9, "优秀"),
        ("good", 0.75, "良好"),
        ("pass", 0.6, "合格"),
        ("fail", 0.0, "不合格"),
    ]
    for f in rubric.fields.values():
        assert f.rule.text and f.rule.source.startswith("《")
        assert set(f.parts) == set(INTAKE_FIELDS[f.name])
    assert rubric.to_dict()["fields"]["accused"]["parts"]["level"] == 0.25


def _edit(folder: Path, old: str, new: str) -> int:
    """Replace ``old`` in rubrics.yaml; return the 1-based line where it starts."""
    return pack_edits.edit(folder, "rubrics.yaml", old, new)


def _problem(folder: Path, field: str) -> PackFileError:
    """The problem about ``field`` (a mistake can cause others, e.g. a renamed field is also missing)."""
    problems = pack_edits.problems(folder)
    assert {p.file for p in problems} == {"rubrics.yaml"}, [p.describe() for p in problems]
    mine = [p for p in problems if p.field == field]
    assert len(mine) == 1, [p.describe() for p in problems]
    return mine[0]


def test_the_intake_rules_cite_their_articles_and_copy_the_liaison_office(pack: Pack) -> None:
    """Issue 16: every rule names its article, or says unverified or that it is the pack's own; 双向移交、单向
    反馈 copies the office that liaises with the department (seed 004), not the 信访部门."""
    article = re.compile(r"第[一二三四五六七八九十百零]+条")
    rubric = pack.intake_rubric
    rules = [f.rule for f in rubric.fields.values()] + [rubric.conduct_rule]
    for rule in rules:
        for part in rule.source.split("；"):
            assert article.search(part) or any(w in part for w in ("unverified", "本训练包", "地方做法")), (
                part
            )
    route = rubric.field("route").rule.text
    assert "信访部门" not in route and "联系该部门的纪检监察室或派驻组" in route
    assert "提级办理" in route and "主要负责人" in route and "干部监督室" in route
    assert "无从查证的予以了结" in rubric.field("disposal").rule.text
    assert "新的证据" in rubric.field("repeat_of").rule.text


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "    problem_type:\n",
            "    problem_kind:\n",
            "intake.fields.problem_kind",
            "unknown field 'problem_kind'",
        ),
        ("parts: {name: 0.5, phone: 0.5}", "parts: {name: 1.0}", "intake.fields.reporter.parts", "phone"),
        (
            "parts: {name: 0.5, phone: 0.5}",
            "parts: {name: 0.5, phone: 0.4}",
            "intake.fields.reporter.parts",
            "add up to 1",
        ),
        (
            "parts: {name: 0.5, phone: 0.5}",
            "parts: {name: 1.5, phone: -0.5}",
            "intake.fields.reporter.parts.name",
            "between 0 and 1",
        ),
        (
            "parts: {name: 0.5, phone: 0.5}",
            "parts: {name: 0.5, email: 0.5}",
            "intake.fields.reporter.parts.email",
            "unknown part",
        ),
        ("gate: action", "gate: unit_name", "intake.fields.route.gate", "one of the parts"),
        (
            "one_working_day_off: 0.5",
            "one_working_day_off: 2",
            "intake.fields.due.one_working_day_off",
            "between 0 and 1",
        ),
        ("min_share: 0.75", "min_share: 0.95", "grades[1].min_share", "highest down"),
        ("min_share: 0, name", "min_share: 0.1, name", "grades[3].min_share", "start at 0"),
        ("code: good", "code: excellent", "grades[1].code", "appears twice"),
        (
            "      points: 8\n",
            "      points: eight\n",
            "intake.fields.problem_type.points",
            "not of type 'number'",
        ),
    ],
)
def test_rubric_mistakes_are_reported(pack_copy: Path, old: str, new: str, field: str, message: str) -> None:
    line = _edit(pack_copy, old, new)
    problem = _problem(pack_copy, field)
    assert message in problem.message
    assert problem.line is not None and abs(problem.line - line) <= 3


def test_a_field_without_points_is_reported(pack_copy: Path) -> None:
    path = pack_copy / "rubrics.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    repeat_of:\n")
    end = text.index("  # Visits and calls")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    problem = _problem(pack_copy, "intake.fields")
    assert "no points for field(s) repeat_of" in problem.message


def test_an_option_of_another_field_is_reported(pack_copy: Path) -> None:
    _edit(pack_copy, "      points: 8\n", "      points: 8\n      one_working_day_off: 0.5\n")
    problem = _problem(pack_copy, "intake.fields.problem_type.one_working_day_off")
    assert "belongs to field due" in problem.message


def test_a_whole_field_has_no_parts(pack_copy: Path) -> None:
    _edit(pack_copy, "      points: 8\n", "      points: 8\n      parts: {code: 1}\n")
    problem = _problem(pack_copy, "intake.fields.problem_type.parts")
    assert "scored whole" in problem.message
