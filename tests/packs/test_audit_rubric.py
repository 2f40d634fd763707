"""rubrics.yaml, section audit: the default quality-audit rubric; mistakes reported with line and field."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pack_edits
import pytest

from toolkit.domain.codes import DefectDimension
from toolkit.errors import PackFileError
from toolkit.packs import Pack

SOURCES = (
    "《纪检监察机关处理检举控告工作规则》(2020)",
    "《信访工作条例》(2022)",
    "《中国共产党纪律检查机关监督执纪工作规则》(2019)",
)


def test_default_audit_rubric_has_six_dimensions_worth_100(pack: Pack) -> None:
    rubric = pack.audit_rubric
    assert [(d.code, d.zh) for d in rubric.dimensions] == [
        ("facts", "事实认定"),
        ("disposal", "定性处置"),
        ("procedure", "程序手续"),
        ("time", "办理时限"),
        ("feedback", "反馈答复"),
        ("confidentiality_documents", "保密与文书"),
    ]
    assert rubric.total == 100
    assert [d.points for d in rubric.dimensions] == [25, 20, 20, 15, 10, 10]
    assert rubric.disagreement_points == 10
    assert rubric.grades == pack.intake_rubric.grades
    assert rubric.grade(0.9).code == "excellent" and rubric.grade(0.59).code == "fail"


def test_each_defect_dimension_is_covered_exactly_once(pack: Pack) -> None:
    rubric = pack.audit_rubric
    for dimension in DefectDimension:
        owners = [d.code for d in rubric.dimensions if dimension.value in d.defect_dimensions]
        assert len(owners) == 1, (dimension, owners)
        covering = rubric.dimension_for_defect(dimension.value)
        assert covering is not None and covering.code == owners[0]
    assert rubric.dimension_for_defect("confidentiality") is rubric.dimension_for_defect("documents")
    assert rubric.dimension_for_defect("no_such_dimension") is None


def test_every_subitem_has_points_a_rule_and_a_source(pack: Pack) -> None:
    rubric = pack.audit_rubric
    codes = [s.code for s in rubric.subitems]
    assert len(codes) == len(set(codes))
    for dimension in rubric.dimensions:
        assert 2 <= len(dimension.subitems) <= 4, dimension.code
        assert dimension.zh and dimension.en
        for sub in dimension.subitems:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", sub.code)
            assert sub.points > 0 and sub.zh and sub.en
            assert sub.rule.text and sub.rule.source
            assert any(source in sub.rule.source for source in SOURCES) or "做法" in sub.rule.source, sub.code
            assert rubric.dimension_of(sub.code) is dimension
            assert rubric.subitem(sub.code) is sub
    with pytest.raises(KeyError):
        rubric.subitem("no_such_subitem")


def test_the_rubric_has_a_json_form(pack: Pack) -> None:
    data = json.loads(json.dumps(pack.audit_rubric.to_dict(), ensure_ascii=False))
    assert [d["code"] for d in data["dimensions"]][0] == "facts"
    first = data["dimensions"][0]["subitems"][0]
    assert set(first) == {"code", "zh", "en", "points", "rule"} and first["rule"]["source"]
    assert data["disagreement_points"] == 10


# -- broken copies of the pack ----------------------------------------------------------------------


def _problem(folder: Path, field: str) -> PackFileError:
    """The one problem about ``field`` (all problems must be in rubrics.yaml)."""
    problems = pack_edits.problems(folder)
    assert {p.file for p in problems} == {"rubrics.yaml"}, [p.describe() for p in problems]
    mine = [p for p in problems if p.field == field]
    assert len(mine) == 1, [p.describe() for p in problems]
    return mine[0]


def _line_of(folder: Path, text: str) -> int:
    content = (folder / "rubrics.yaml").read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


PARTICULARS = (
    "        - code: facts_particulars\n"
    "          name: {zh: 基本要素准确, en: Particulars recorded correctly}\n"
)


def test_a_total_other_than_100_is_reported(pack_copy: Path) -> None:
    pack_edits.edit(
        pack_copy,
        "rubrics.yaml",
        PARTICULARS + "          points: 7\n",
        PARTICULARS + "          points: 6\n",
    )
    problem = _problem(pack_copy, "audit.dimensions")
    assert "add up to exactly 100" in problem.message and "99" in problem.message
    assert problem.line == _line_of(pack_copy, "audit:\n  dimensions:") + 1
    assert problem.describe().startswith(f"rubrics.yaml:{problem.line}: audit.dimensions: ")


def test_a_duplicate_subitem_code_is_reported(pack_copy: Path) -> None:
    line = pack_edits.edit(
        pack_copy, "rubrics.yaml", "code: disposal_problem_type", "code: facts_particulars"
    )
    problem = _problem(pack_copy, "audit.dimensions[1].subitems[2].code")
    assert problem.line == line
    assert "'facts_particulars' appears twice" in problem.message
    assert "dimensions[0].subitems[2]" in problem.message


def test_an_unknown_defect_dimension_is_reported(pack_copy: Path) -> None:
    old = "defect_dimensions: [qualification]"
    line = pack_edits.edit(pack_copy, "rubrics.yaml", old, "defect_dimensions: [qualifications]")
    problem = _problem(pack_copy, "audit.dimensions[1].defect_dimensions[0]")
    assert problem.line == line
    assert "unknown defect dimension 'qualifications'" in problem.message
    assert "qualification" in problem.message.split(":", 1)[1]


def test_a_defect_dimension_covered_twice_is_reported(pack_copy: Path) -> None:
    old = "defect_dimensions: [qualification]"
    line = pack_edits.edit(pack_copy, "rubrics.yaml", old, "defect_dimensions: [qualification, facts]")
    problem = _problem(pack_copy, "audit.dimensions[1].defect_dimensions[1]")
    assert problem.line == line
    assert "'facts' is already covered by dimension 'facts'" in problem.message


def test_a_duplicate_dimension_code_is_reported(pack_copy: Path) -> None:
    line = pack_edits.edit(pack_copy, "rubrics.yaml", "    - code: feedback\n", "    - code: time\n")
    problem = _problem(pack_copy, "audit.dimensions[4].code")
    assert problem.line == line and "dimension 'time' appears twice" in problem.message


@pytest.mark.parametrize("points", ["0", "-7", ".inf"])
def test_subitem_points_must_be_above_zero(pack_copy: Path, points: str) -> None:
    line = pack_edits.edit(
        pack_copy,
        "rubrics.yaml",
        PARTICULARS + "          points: 7\n",
        PARTICULARS + f"          points: {points}\n",
    )
    problem = _problem(pack_copy, "audit.dimensions[0].subitems[2].points")
    assert problem.line == line + 2 and "more than 0 points" in problem.message


def test_schema_mistakes_in_the_audit_section_are_reported(pack_copy: Path) -> None:
    line = pack_edits.edit(
        pack_copy, "rubrics.yaml", "  disagreement_points: 10\n", "  disagreement_points: ten\n"
    )
    problem = _problem(pack_copy, "audit.disagreement_points")
    assert problem.line == line and "not of type 'number'" in problem.message


def test_a_rubrics_file_without_an_audit_section_is_reported(pack_copy: Path) -> None:
    path = pack_copy / "rubrics.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("audit:\n"), text.index("# Grade bands")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    problems = pack_edits.problems(pack_copy)
    assert any(p.file == "rubrics.yaml" and "'audit' is required" in p.message for p in problems)
