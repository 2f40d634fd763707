"""Reading findings: a JSON list of marks parses to Finding objects; each problem names mark and field."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources
from typing import Any

import jsonschema
import pytest

from toolkit.domain.codes import DocumentType, Level
from toolkit.domain.dossier import Document, Dossier, Finding
from toolkit.errors import AnswerInvalid, XfkitError
from toolkit.packs import Pack
from toolkit.scoring.findings import parse_findings

CODES = ("late_feedback", "no_signature")


@pytest.fixture(scope="module")
def fpack(pack: Pack) -> Pack:
    """The default pack with a catalogue of two defect types (parsing only looks at the codes)."""
    types = {code: object() for code in CODES}
    return dataclasses.replace(pack, defects=dataclasses.replace(pack.defects, types=types))


DOSSIER = Dossier(
    "t-2",
    3,
    0,
    "default@1.0.0",
    "default-3-000000",
    Level.EASY,
    (
        Document("d1", DocumentType.REGISTRATION, "登记表", None),
        Document("d2", DocumentType.CLOSING_REPORT, "办结报告", None),
    ),
)


def _problems(data: Any, dossier: Dossier | None = None, pack: Pack | None = None) -> list[str]:
    with pytest.raises(AnswerInvalid) as info:
        parse_findings(data, dossier, pack)
    assert isinstance(info.value, XfkitError)
    return info.value.problems


def test_marks_round_trip_through_json(fpack: Pack) -> None:
    marks = [
        Finding("d1", "late_feedback", "反馈晚了"),
        Finding("d2", "no_signature"),
        Finding("d2", "no_signature"),
    ]
    data = json.loads(json.dumps([m.to_dict() for m in marks], ensure_ascii=False))
    assert parse_findings(data) == marks
    assert parse_findings(data, DOSSIER, fpack) == marks, "duplicates are for scoring to judge"
    assert parse_findings([{"document": "d1", "defect": "late_feedback"}]) == [
        Finding("d1", "late_feedback", "")
    ]
    assert parse_findings([]) == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"document": "d1"}, ["findings: must be a list, not an object"]),
        ("d1", ["findings: must be a list, not a string"]),
        (None, ["findings: must be a list, not null"]),
        (["d1"], ["findings[0]: must be an object, not a string"]),
        (
            [{"document": "d1", "defect": "late_feedback"}, {"note": "x"}],
            ["findings[1].document: is missing", "findings[1].defect: is missing"],
        ),
        (
            [{"document": "d1", "defect": "late_feedback", "page": 2}],
            ["findings[0].page: unknown field"],
        ),
        ([{"document": "", "defect": "late_feedback"}], ["findings[0].document: must not be empty"]),
        (
            [{"document": 1, "defect": "late_feedback"}],
            ["findings[0].document: must be a string, not a number"],
        ),
        (
            [{"document": "d1", "defect": "Late Feedback"}],
            ["findings[0].defect: 'Late Feedback' is not a defect code (lower-case letters, digits and _)"],
        ),
        (
            [{"document": "d1", "defect": "late_feedback", "note": ["a"]}],
            ["findings[0].note: must be a string, not a list"],
        ),
        (
            [{"document": "d1", "defect": "late_feedback", "note": "长" * 2001}],
            ["findings[0].note: is longer than 2000 characters"],
        ),
        ([{"document": "d1", "defect": "late_feedback"}] * 501, ["findings: more than 500 marks"]),
    ],
)
def test_schema_problems_name_the_mark_and_field(data: Any, expected: list[str]) -> None:
    assert _problems(data) == expected


def test_every_problem_is_listed_in_mark_order() -> None:
    data = [
        {"document": "d1", "defect": "late_feedback"},
        {"document": "d1", "defect": 7, "extra": True},
        {"defect": "x"},
    ]
    assert _problems(data) == [
        "findings[1].extra: unknown field",
        "findings[1].defect: must be a string, not a number",
        "findings[2].document: is missing",
    ]


def test_documents_are_checked_against_the_dossier() -> None:
    data = [{"document": "d1", "defect": "late_feedback"}, {"document": "d7", "defect": "late_feedback"}]
    assert _problems(data, DOSSIER) == [
        "findings[1].document: 'd7' is not a document of this dossier (it has: d1, d2)"
    ]
    assert parse_findings(data) == [Finding("d1", "late_feedback"), Finding("d7", "late_feedback")]


def test_defects_are_checked_against_the_pack(fpack: Pack) -> None:
    data = [
        {"document": "d9", "defect": "made_up"},
        {"document": "d2", "defect": "no_signature"},
        {"document": "d1", "defect": "also_made_up"},
    ]
    assert _problems(data, DOSSIER, fpack) == [
        "findings[0].document: 'd9' is not a document of this dossier (it has: d1, d2)",
        "findings[0].defect: 'made_up' is not a defect type of this pack",
        "findings[2].defect: 'also_made_up' is not a defect type of this pack",
    ]
    assert _problems(data[2:], pack=fpack) == [
        "findings[0].defect: 'also_made_up' is not a defect type of this pack"
    ]


def test_the_findings_schema_is_valid_and_matches_a_finding() -> None:
    schema = json.loads(
        resources.files("toolkit.schemas").joinpath("findings.schema.json").read_text("utf-8")
    )
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(schema["items"]["properties"]) == set(Finding("d1", "x").to_dict())
