"""Pack loading: every shipped pack is valid; each kind of mistake is reported with file, line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pack_edits
import pytest

from toolkit.errors import PackFileError, SchemaVersionError
from toolkit.packs import load_pack, validate_pack
from toolkit.packs.loader import slots_of

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.mark.parametrize(
    "folder", sorted(p for p in SCENARIOS.iterdir() if (p / "pack.yaml").is_file()), ids=str
)
def test_every_shipped_pack_is_valid(folder: Path) -> None:
    assert validate_pack(folder) == []
    pack = load_pack(folder)
    assert pack.ref == f"{folder.name}@{pack.version}"


def test_default_pack_meets_the_content_floor() -> None:
    pack = load_pack(SCENARIOS / "default")
    assert len(pack.jurisdiction.towns) >= 8
    assert all(town.villages for town in pack.jurisdiction.towns)
    assert len(pack.problems) >= 20
    assert {p.category.value for p in pack.problems} == {"accusation", "appeal", "suggestion", "out_of_scope"}
    assert all(len(p.facts) >= 2 for p in pack.problems)
    assert {c.level.value for c in pack.cadres} == {"city", "county", "town", "village"}
    assert {s.code for s in pack.rules.card_schemes} >= {"three", "four"}
    assert all(rule.source for rule in pack.rules.deadlines)


_edit = pack_edits.edit
_problems = pack_edits.problems


def _only(problems: list[PackFileError], file: str) -> PackFileError:
    mine = [p for p in problems if p.file == file]
    assert len(mine) == 1, [p.describe() for p in problems]
    return mine[0]


def test_yaml_syntax_error_names_file_and_line(pack_copy: Path) -> None:
    line = _edit(pack_copy, "rules.yaml", "  city:\n    action: report_up", "  city: {action: report_up")
    problem = _only(_problems(pack_copy), "rules.yaml")
    assert "YAML syntax error" in problem.message
    assert problem.line is not None and line <= problem.line <= line + 2


def test_missing_field(pack_copy: Path) -> None:
    line = _edit(pack_copy, "pack.yaml", 'version: "2.0.0"\n', "")
    problem = _only(_problems(pack_copy), "pack.yaml")
    assert "'version' is required" in problem.message
    assert problem.line == 1 and problem.field == ""
    assert line == 3


def test_wrong_type(pack_copy: Path) -> None:
    line = _edit(pack_copy, "rules.yaml", "    amount: 15\n", "    amount: fifteen\n")
    problem = _only(_problems(pack_copy), "rules.yaml")
    assert problem.field == "deadlines[0].amount"
    assert problem.line == line
    assert "'fifteen' is not of type 'integer'" in problem.message


def test_unknown_code(pack_copy: Path) -> None:
    line = _edit(pack_copy, "problems.yaml", "category: accusation", "category: bribery")
    problem = _only(_problems(pack_copy), "problems.yaml")
    assert problem.field == "problem_types[0].category"
    assert problem.line == line
    assert "'bribery' is not one of: accusation, appeal, suggestion, out_of_scope" in problem.message


def test_unknown_template_slot(pack_copy: Path) -> None:
    line = _edit(
        pack_copy,
        "problems.yaml",
        'text: "{accused_unit_name}{accused_post}{accused_name}',
        'text: "{accused_nmae}',
    )
    problem = _only(_problems(pack_copy), "problems.yaml")
    assert "unknown template slot(s) {accused_nmae}" in problem.message
    assert problem.field.startswith("problem_types[0].facts[")
    assert problem.line == line


def test_routing_points_to_a_unit_the_jurisdiction_lacks(pack_copy: Path) -> None:
    line = _edit(pack_copy, "rules.yaml", "copy_to: liaison", "copy_to: u_nowhere")
    problem = _only(_problems(pack_copy), "rules.yaml")
    assert problem.field == "routing.out_of_scope.copy_to"
    assert problem.line == line
    assert "no unit 'u_nowhere' in jurisdiction.yaml" in problem.message


def test_cadre_in_a_unit_that_does_not_exist(pack_copy: Path) -> None:
    text = (pack_copy / "people.yaml").read_text(encoding="utf-8")
    unit = "unit: d_lead"
    assert unit in text
    line = _edit(pack_copy, "people.yaml", unit, "unit: d_nowhere")
    problems = [p for p in _problems(pack_copy) if p.file == "people.yaml"]
    assert any(p.line == line and "d_nowhere" in p.message and p.field.endswith(".unit") for p in problems)


def test_disposal_not_allowed_by_the_rules(pack_copy: Path) -> None:
    line = _edit(pack_copy, "problems.yaml", "specific: preliminary_verification", "specific: file_case")
    problem = _only(_problems(pack_copy), "problems.yaml")
    assert "'file_case' is not allowed by rules.yaml disposals" in problem.message
    assert problem.line == line
    # allowing it in the rules makes the same pack valid
    _edit(pack_copy, "rules.yaml", "disposals: [talk_inquiry,", "disposals: [file_case, talk_inquiry,")
    assert validate_pack(pack_copy) == []


def test_duplicate_key(pack_copy: Path) -> None:
    line = _edit(pack_copy, "pack.yaml", "name: default\n", "name: default\nname: other\n")
    problem = _only(_problems(pack_copy), "pack.yaml")
    assert "duplicate key 'name'" in problem.message
    assert problem.line == line + 1


@pytest.mark.parametrize(("version", "word"), [(0, "too old"), (2, "too new")])
def test_schema_version_out_of_range_has_its_own_error(pack_copy: Path, version: int, word: str) -> None:
    _edit(pack_copy, "dialogue.yaml", "schema_version: 1", f"schema_version: {version}")
    problem = _only(_problems(pack_copy), "dialogue.yaml")
    assert isinstance(problem, SchemaVersionError)
    assert word in problem.message and problem.line == 1


def test_missing_schema_version(pack_copy: Path) -> None:
    _edit(pack_copy, "framing.yaml", "schema_version: 1\n", "")
    problem = _only(_problems(pack_copy), "framing.yaml")
    assert "schema_version is missing" in problem.message


def test_missing_file(pack_copy: Path) -> None:
    (pack_copy / "dialogue.yaml").unlink()
    problem = _only(_problems(pack_copy), "dialogue.yaml")
    assert problem.message == "file is missing"


def test_every_problem_is_reported_together(pack_copy: Path) -> None:
    _edit(pack_copy, "rules.yaml", "copy_to: liaison", "copy_to: u_nowhere")
    _edit(pack_copy, "problems.yaml", 'text: "{accused_unit_name}', 'text: "{nobody}')
    files = {p.file for p in _problems(pack_copy)}
    assert files == {"rules.yaml", "problems.yaml"}


def test_office_liaison_must_cover_every_town(pack_copy: Path) -> None:
    text = (pack_copy / "jurisdiction.yaml").read_text(encoding="utf-8")
    start = text.index("liaises: [") + len("liaises: [")
    first = text[start : text.index("]", start)].split(",")[0].strip()
    _edit(pack_copy, "jurisdiction.yaml", f"liaises: [{first}, ", "liaises: [")
    messages = [p.message for p in _problems(pack_copy) if p.file == "jurisdiction.yaml"]
    assert f"no office liaises with or supervises '{first}'" in messages


def test_window_beyond_the_holiday_data_is_refused(pack_copy: Path) -> None:
    line = _edit(pack_copy, "pack.yaml", 'to: "2026-06-30"', 'to: "2026-12-20"')
    problem = _only(_problems(pack_copy), "pack.yaml")
    assert "2027" in problem.message and "calendar_years" in problem.message
    assert problem.line == line


def test_a_pack_can_add_a_year_as_data(pack_copy: Path) -> None:
    # an invented 2027 schedule, for this test only: the mechanism, not the real announcement
    _edit(pack_copy, "pack.yaml", 'to: "2026-06-30"', 'to: "2026-12-20"')
    _edit(
        pack_copy,
        "rules.yaml",
        "calendar_years: []",
        'calendar_years:\n  - {year: 2027, source: test, holidays: ["2027-01-01"], workdays: ["2027-01-09"]}',
    )
    pack = load_pack(pack_copy)
    assert 2027 in pack.calendar.years
    assert not pack.calendar.is_workday(date(2027, 1, 1))


def test_pack_name_must_match_folder(tmp_path: Path, pack_copy: Path) -> None:
    moved = pack_copy.rename(tmp_path / "renamed")
    problem = _only(_problems(moved), "pack.yaml")
    assert "differs from its folder name 'renamed'" in problem.message


def test_slots_of() -> None:
    assert slots_of("{a}与{b}在{a}") == {"a", "b"}
    with pytest.raises(ValueError):
        slots_of("{unclosed")
