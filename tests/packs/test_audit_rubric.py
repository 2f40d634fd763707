"""rubrics.yaml, section audit: the default quality-audit rubric; mistakes reported with line and field."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pack_edits
import pytest

from toolkit.domain.codes import DefectDimension
from toolkit.errors import PackFileError
from toolkit.packs import Pack, load_pack

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
    assert [d.points for d in rubric.dimensions] == [23, 20, 20, 15, 12, 10]
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
    assert data["veto"] == ["confidentiality_identity"]


def test_the_subitems_add_up_to_exactly_100(pack: Pack) -> None:
    assert sum(s.points for s in pack.audit_rubric.subitems) == 100
    assert sum(d.points for d in pack.audit_rubric.dimensions) == 100


#: the sub-item a reviewer deducts on for each defect type of severity 10 in defects.yaml
SEVERITY_10 = {
    "wrong_route": "procedure_routing",
    "wrong_disposal": "disposal_method",
    "feedback_missing": "feedback_result",
}


def test_subitems_of_severity_10_defects_weigh_alike_and_most(pack: Pack) -> None:
    # the rule: defects of severity 10 are the worst but a leak (a veto), so their sub-items weigh alike
    # and no sub-item outweighs them (a missing result feedback is as bad as a wrong route)
    worst = {code for code, t in pack.defects.types.items() if t.severity == 10}
    assert worst == set(SEVERITY_10), "map every severity-10 defect type to its sub-item"
    rubric = pack.audit_rubric
    for code, subitem in SEVERITY_10.items():
        assert rubric.dimension_of(subitem).defect_dimensions == (str(pack.defects.types[code].dimension),)
    points = {rubric.subitem(subitem).points for subitem in SEVERITY_10.values()}
    assert points == {8}
    assert rubric.subitem("feedback_result").points == rubric.subitem("procedure_routing").points
    assert max(s.points for s in rubric.subitems) == 8


def test_a_reporter_identity_leak_is_the_veto(pack: Pack) -> None:
    rubric = pack.audit_rubric
    assert rubric.veto == ("confidentiality_identity",)
    assert rubric.veto_grade.code == "fail" and rubric.veto_grade.zh == "不合格"
    assert rubric.vetoes({"confidentiality_identity": 1, "facts_particulars": 2}) == (
        "confidentiality_identity",
    )
    assert rubric.vetoes({"facts_particulars": 2}) == ()
    identity = rubric.subitem("confidentiality_identity")
    assert "否决" in identity.rule.text and "第四十七条" in identity.rule.source


def test_rule_sources_name_the_article_or_say_it_is_unverified(pack: Pack) -> None:
    for sub in pack.audit_rubric.subitems:
        source = sub.rule.source
        for part in source.split(";"):
            if part.startswith("《") and re.fullmatch(r"《[^》]+》\(\d{4}\)", part):
                pytest.fail(f"{sub.code}: {part} names no article")
        assert "第" in source or "unverified" in source, sub.code


def test_the_rules_teach_no_petition_limits_for_leads(pack: Pack) -> None:
    rubric = pack.audit_rubric
    texts = {s.code: s.rule.text for s in rubric.subitems}
    assert "信访部门" not in texts["procedure_routing"]
    assert "纪检监察室" in texts["procedure_routing"] and "派驻纪检监察组" in texts["procedure_routing"]
    assert "告知其向有权处理的机关" in texts["procedure_routing"]
    assert "莱西" in rubric.subitem("procedure_routing").rule.source
    assert "15日内告知是否受理" not in texts["time_intake"]
    assert "60日" not in texts["time_handling"] and "30日" not in texts["time_handling"]
    assert "第二十一条第二款" in rubric.subitem("time_handling").rule.source
    assert "第五十九条" in rubric.subitem("time_handling").rule.source
    assert "当天" not in texts["time_feedback"]
    assert all(
        "《信访工作条例》" not in rubric.subitem(code).rule.source
        for code in ("feedback_notice", "feedback_result", "time_handling", "time_feedback")
    )
    with pytest.raises(KeyError):
        rubric.subitem("feedback_extension")


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


VETO = "  veto: [confidentiality_identity]\n"


def test_a_veto_that_is_no_subitem_is_reported(pack_copy: Path) -> None:
    line = pack_edits.edit(pack_copy, "rubrics.yaml", VETO, "  veto: [confidentiality_identity, leak]\n")
    problem = _problem(pack_copy, "audit.veto[1]")
    assert problem.line == line
    assert "unknown sub-item 'leak'" in problem.message and "confidentiality_identity" in problem.message
    assert problem.describe().startswith(f"rubrics.yaml:{line}: audit.veto[1]: ")


def test_a_veto_listed_twice_is_reported(pack_copy: Path) -> None:
    twice = "  veto:\n    - confidentiality_identity\n    - confidentiality_identity\n"
    line = pack_edits.edit(pack_copy, "rubrics.yaml", VETO, twice)
    problem = _problem(pack_copy, "audit.veto[1]")
    assert problem.line == line + 2 and "listed twice" in problem.message


def test_a_veto_must_be_a_list_of_codes(pack_copy: Path) -> None:
    line = pack_edits.edit(pack_copy, "rubrics.yaml", VETO, "  veto: confidentiality_identity\n")
    problem = _problem(pack_copy, "audit.veto")
    assert problem.line == line and "not of type 'array'" in problem.message


def test_a_rubric_without_a_veto_has_none(pack_copy: Path) -> None:
    pack_edits.edit(pack_copy, "rubrics.yaml", VETO, "")
    assert load_pack(pack_copy).audit_rubric.veto == ()


def test_a_rubrics_file_without_an_audit_section_is_reported(pack_copy: Path) -> None:
    path = pack_copy / "rubrics.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("audit:\n"), text.index("# Grade bands")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    problems = pack_edits.problems(pack_copy)
    assert any(p.file == "rubrics.yaml" and "'audit' is required" in p.message for p in problems)
