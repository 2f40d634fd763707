"""defects.yaml: the default catalogue's content floor; each kind of mistake named by file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pack_edits
import pytest

from toolkit.domain.codes import DefectDimension, DocumentType
from toolkit.errors import PackFileError, PackInvalid
from toolkit.packs import Pack, load_pack

#: what a source must name: the article of the rule, or say that it is unverified, a named local practice or
#: this pack's own simplification
ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条")
NO_ARTICLE = ("unverified", "地方做法", "本训练包")
JUDGEMENT = {"wrong_problem_type"}


def test_the_default_catalogue(pack: Pack) -> None:
    catalogue = pack.defects
    assert len(catalogue) >= 18
    assert {t.dimension for t in catalogue.types.values()} == set(DefectDimension)
    for dimension in DefectDimension:
        assert catalogue.by_dimension(dimension), dimension
    assert {t.code for t in catalogue.types.values() if t.judgement} == JUDGEMENT
    assert len(catalogue.mechanical()) == len(catalogue) - len(JUDGEMENT)
    for t in catalogue.types.values():
        assert t.severity > 0 and t.documents
        assert len(t.rule) >= 20 and len(t.explanation) >= 15 and t.name
        for part in t.source.split("；"):
            assert ARTICLE.search(part) or any(w in part for w in NO_ARTICLE), (t.code, part)
        assert all(isinstance(d, DocumentType) for d in t.documents)
        assert t.to_dict()["dimension"] == t.dimension.value
    assert catalogue.codes()[0] == "item_unanswered"
    assert "feedback_late" in catalogue and catalogue.get("feedback_late").severity == 6
    with pytest.raises(KeyError, match="no defect type 'nope'"):
        catalogue.get("nope")


def test_the_catalogue_names_the_faults_the_2019_and_2020_rules_add(pack: Pack) -> None:
    """A proposal out of proportion to what was proved, a transcript nobody signed, an inquiry reply
    endorsed by the wrong person, a 了结 not told in writing; copies of a transfer go to the office that
    follows the department (双向移交、单向反馈), not to the 信访局."""
    for code in ("disproportionate_proposal", "transcript_unsigned", "endorsement_wrong", "closure_not_told"):
        assert code in pack.defects, code
    assert "信访部门" not in pack.defects.get("copy_to_missing").rule
    assert "联系该主管部门" in pack.defects.get("copy_to_missing").rule


def test_the_examples_of_the_exercise_are_in_the_catalogue(pack: Pack) -> None:
    wanted = {
        "feedback_missing",  # real-name reporter never told the result
        "feedback_late",  # feedback after the deadline
        "item_unanswered",  # a reported item not answered in the 初核报告
        "wrong_disposal",  # a wrong disposal for the facts found
        "leader_approval_missing",
        "overdue_no_extension",
        "dates_out_of_order",
        "identity_leaked",  # reporter identity in the letter to the accused's unit
        "copy_to_missing",
        "out_of_scope_not_transferred",
        "repeat_not_linked",
        "wrong_route",  # a wrong management-level route
    }
    assert wanted <= set(pack.defects.codes())


# -- mistakes in a copy of the pack ---------------------------------------------------------------------


def _edit(folder: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in defects.yaml; return the 1-based line where it starts."""
    return pack_edits.edit(folder, "defects.yaml", old, new)


def _problem(folder: Path, field: str) -> PackFileError:
    problems = pack_edits.problems(folder)
    assert {p.file for p in problems} == {"defects.yaml"}, [p.describe() for p in problems]
    mine = [p for p in problems if p.field == field]
    assert len(mine) == 1, [p.describe() for p in problems]
    return mine[0]


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "  - code: feedback_late\n",
            "  - code: notice_late\n",
            "defects[15].code",
            "defect 'notice_late' is defined twice",
        ),
        (
            "    name: 结果反馈超期\n",
            "    name: 受理告知超期\n",
            "defects[15].name",
            "already used by defect 'notice_late'",
        ),
        (
            "    dimension: facts\n",
            "    dimension: truth\n",
            "defects[0].dimension",
            "'truth' is not one of: facts, qualification",
        ),
        (
            "    documents: [verification_report, inquiry_record]\n",
            "    documents: [verification_report, interview_notes]\n",
            "defects[0].documents[1]",
            "'interview_notes' is not one of",
        ),
        (
            "    documents: [verification_report, inquiry_record]\n",
            "    documents: [verification_report, verification_report]\n",
            "defects[0].documents[1]",
            "listed twice",
        ),
        (
            "    severity: 8\n",
            "    severity: 0\n",
            "defects[0].severity",
            "less than the minimum of 1",
        ),
        (
            "    severity: 8\n",
            "    severity: eight\n",
            "defects[0].severity",
            "is not of type 'integer'",
        ),
        (
            "    source: 《纪检监察机关处理检举控告工作规则》(2020)第十四条第一款\n",
            "    source: 《纪检监察机关处理检举控告工作规则》(2020)\n",
            "defects[11].source",
            "names no article",
        ),
        (
            "    judgement: false\n",
            "    judgement: false\n    hint: 看日期\n",
            "defects[0]",
            "unknown field(s) ('hint' was unexpected)",
        ),
        (
            "    judgement: true\n",
            "    judgement: maybe\n",
            "defects[4].judgement",
            "is not of type 'boolean'",
        ),
    ],
)
def test_catalogue_mistakes_are_reported(
    pack_copy: Path, old: str, new: str, field: str, message: str
) -> None:
    text = (pack_copy / "defects.yaml").read_text(encoding="utf-8")
    line = _edit(pack_copy, old, new)
    if field == "defects[0]":  # a problem with the entry as a whole is reported on its first line
        line = text[: text.index("  - code: item_unanswered")].count("\n") + 1
    problem = _problem(pack_copy, field)
    assert message in problem.message, problem.describe()
    assert problem.line is not None and abs(problem.line - line) <= 1, (problem.line, line)
    assert problem.describe().startswith("defects.yaml:")


def test_an_entry_without_an_explanation_is_reported(pack_copy: Path) -> None:
    path = pack_copy / "defects.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    explanation: 把登记表所列的")
    end = text.index("\n", start) + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    problem = _problem(pack_copy, "defects[0]")
    assert "'explanation' is required" in problem.message


def test_an_empty_catalogue_is_reported(pack_copy: Path) -> None:
    (pack_copy / "defects.yaml").write_text("schema_version: 1\ndefects: []\n", encoding="utf-8")
    problem = _problem(pack_copy, "defects")
    assert "should be non-empty" in problem.message


def test_a_too_new_catalogue_is_reported(pack_copy: Path) -> None:
    _edit(pack_copy, "schema_version: 1\n", "schema_version: 2\n")
    with pytest.raises(PackInvalid) as info:
        load_pack(pack_copy)
    [problem] = info.value.problems
    assert problem.file == "defects.yaml" and problem.line == 1 and "too new" in problem.message
