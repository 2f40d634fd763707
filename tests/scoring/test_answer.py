"""Reading an answer: the JSON form of a truth parses back to it; every problem names its field."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import jsonschema
import pytest

from toolkit.domain.codes import ManagementLevel, RouteAction
from toolkit.domain.models import RegisteredAccused, RegisteredReporter, Route, Truth
from toolkit.errors import AnswerInvalid, XfkitError
from toolkit.generate.cases import CaseGenerator
from toolkit.packs import Pack
from toolkit.scoring.intake import parse_answer


@pytest.fixture(scope="module")
def truths(generator: CaseGenerator) -> list[Truth]:
    return [case.truth for case in generator.cases(11, 300)]


def _json(truth: Truth) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(truth.to_dict(), ensure_ascii=False))
    return data


def test_truth_round_trips_through_json(pack: Pack, truths: list[Truth]) -> None:
    for truth in truths:
        assert parse_answer(_json(truth)) == truth
        assert parse_answer(_json(truth), pack) == truth
        assert Truth.from_dict(truth.to_dict()) == truth


def test_parts_round_trip() -> None:
    route = Route(RouteAction.TRANSFER, "u_zj", "u_xfj")
    assert Route.from_dict(route.to_dict()) == route
    assert Route.from_dict({"action": "self", "unit": "jc1"}) == Route(RouteAction.SELF, "jc1")
    reporter = RegisteredReporter("王伟", "13800000000")
    assert RegisteredReporter.from_dict(reporter.to_dict()) == reporter
    accused = RegisteredAccused("刘海", "村党支部书记", "t01v01", ManagementLevel.VILLAGE)
    assert RegisteredAccused.from_dict(accused.to_dict()) == accused


def test_specificity_may_be_left_out(truths: list[Truth]) -> None:
    data = _json(truths[0])
    del data["specificity"]
    assert parse_answer(data).specificity == "specific"


def test_the_answer_schema_matches_the_case_schema_truth() -> None:
    schemas = resources.files("toolkit.schemas")
    answer = json.loads(schemas.joinpath("intake-answer.schema.json").read_text("utf-8"))
    truth = json.loads(schemas.joinpath("case.schema.json").read_text("utf-8"))["properties"]["truth"]
    jsonschema.Draft202012Validator.check_schema(answer)
    assert answer["properties"] == truth["properties"]
    assert set(truth["required"]) - set(answer["required"]) == {"specificity"}


Edit = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return edit


def _drop(key: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        del data[key]

    return edit


def _due(data: dict[str, Any]) -> None:
    data["due"] = {"acceptance_notice": "2025-02-30"}


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (_drop("route"), "route: is missing"),
        (_set("route.action", "elsewhere"), "route.action: 'elsewhere' is not one of: self, assign"),
        (_set("route.unit", ""), "route.unit: '' does not have the expected form"),
        (_set("flags", "real_name"), "flags: must be an array, not a string"),
        (_set("flags", ["real_name", "real_name"]), "flags: lists a value more than once"),
        (_set("category", None), "category: null is not one of: accusation"),
        (_set("disposal", "maybe"), "disposal: 'maybe' is not one of: talk_inquiry"),
        (_set("due", {"acceptance_notice": "15 days"}), "due.acceptance_notice: '15 days' does not have"),
        (_due, "due.acceptance_notice: '2025-02-30' is not a real date"),
        (
            _set("reporter", {"name": 7, "phone": None}),
            "reporter.name: must be a string or null, not a number",
        ),
        (
            _set("accused", [{"name": "甲", "post": "", "unit": "t01", "level": "boss"}]),
            "accused[0].level: 'boss'",
        ),
        (_set("accused", [{"name": "甲", "post": "", "unit": "t01"}]), "accused[0].level: is missing"),
        (_set("extra", 1), "extra: unknown field"),
        (_set("repeat_of", ""), "repeat_of: must not be empty"),
    ],
)
def test_schema_problems_name_the_field(truths: list[Truth], edit: Edit, problem: str) -> None:
    data = copy.deepcopy(_json(truths[0]))
    edit(data)
    with pytest.raises(AnswerInvalid) as info:
        parse_answer(data)
    assert any(p.startswith(problem) for p in info.value.problems), info.value.problems
    assert isinstance(info.value, XfkitError) and problem in str(info.value)


def test_every_problem_is_reported_once(truths: list[Truth]) -> None:
    with pytest.raises(AnswerInvalid) as info:
        parse_answer({"category": "x"})
    problems = info.value.problems
    assert len(problems) == len(set(problems))
    assert "category: 'x' is not one of: accusation, appeal, suggestion, out_of_scope" in problems
    missing = {p.split(":")[0] for p in problems if p.endswith("is missing")}
    assert missing == {
        "flags",
        "problem_type",
        "route",
        "disposal",
        "due",
        "repeat_of",
        "reporter",
        "accused",
    }


@pytest.mark.parametrize("data", [[], "answer", None, 3])
def test_an_answer_must_be_an_object(data: Any) -> None:
    with pytest.raises(AnswerInvalid) as info:
        parse_answer(data)
    assert info.value.problems[0].startswith("(answer): must be a JSON object")


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (_set("route.unit", "zz"), "route.unit: 'zz' is not a unit of this pack"),
        (_set("route.copy_to", "zz"), "route.copy_to: 'zz' is not a unit of this pack"),
        (_set("problem_type", "no_such_problem"), "problem_type: 'no_such_problem' is not a problem type"),
        (_set("due", {"no_such_limit": "2025-03-03"}), "due.no_such_limit: this pack has no time limit"),
        (_set("disposal", "file_case"), "disposal: 'file_case' is not a disposal of this pack"),
        (
            _set("accused", [{"name": "甲", "post": "", "unit": "zz", "level": "town"}]),
            "accused[0].unit: 'zz'",
        ),
    ],
)
def test_codes_are_checked_against_a_pack(pack: Pack, truths: list[Truth], edit: Edit, problem: str) -> None:
    data = copy.deepcopy(_json(truths[0]))
    edit(data)
    parse_answer(data)  # well-formed: only the pack knows these codes
    with pytest.raises(AnswerInvalid) as info:
        parse_answer(data, pack)
    assert [p for p in info.value.problems if p.startswith(problem)], info.value.problems


def test_unspecified_is_a_problem_type_of_every_pack(pack: Pack, truths: list[Truth]) -> None:
    data = _json(truths[0])
    data["problem_type"] = "unspecified"
    assert parse_answer(data, pack).problem_type == "unspecified"
