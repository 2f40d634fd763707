"""Scoring of intake answers: the key scores full marks, each mistake costs what the rubric says."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.domain.codes import (
    Category,
    Channel,
    Conduct,
    Disposal,
    Flag,
    Level,
    ManagementLevel,
    RouteAction,
)
from toolkit.domain.conversation import Conversation, ConversationTurn, Fault, ReplyOption
from toolkit.domain.models import Case, RegisteredAccused, RegisteredReporter, Route, Truth
from toolkit.generate.cases import CaseGenerator
from toolkit.packs import Pack
from toolkit.packs.rubrics import INTAKE_FIELDS
from toolkit.scoring.intake import FIELD_STEPS, AnswerKey, ScoreReport, score_intake

SEED = 2025
BOUNDED = settings(max_examples=60, deadline=None, derandomize=True)


@pytest.fixture(scope="module")
def cases(generator: CaseGenerator) -> list[Case]:
    return list(generator.cases(SEED, 1000))


def _total_without(pack: Pack, *fields: str) -> float:
    rubric = pack.intake_rubric
    return rubric.field_points - sum(rubric.field(f).points for f in fields)


def _first(cases: list[Case], test: Callable[[Case], bool]) -> Case:
    return next(c for c in cases if test(c))


# -- wrong values, one maker per field: each is wrong in every part -----------------------------------


def _other(options: list[str], current: str) -> str:
    return next(o for o in options if o != current)


def _wrong_category(t: Truth, pack: Pack) -> Truth:
    return dataclasses.replace(t, category=next(c for c in Category if c is not t.category))


def _wrong_flags(t: Truth, pack: Pack) -> Truth:
    return dataclasses.replace(t, flags=tuple(f for f in Flag if f not in t.flags))


def _wrong_problem_type(t: Truth, pack: Pack) -> Truth:
    return dataclasses.replace(t, problem_type=_other([p.code for p in pack.problems], t.problem_type))


def _wrong_reporter(t: Truth, pack: Pack) -> Truth:
    return dataclasses.replace(t, reporter=RegisteredReporter("查无此人", "12345"))


def _wrong_accused(t: Truth, pack: Pack) -> Truth:
    if not t.accused:
        return dataclasses.replace(
            t, accused=(RegisteredAccused("查无此人", "无", "xfs", ManagementLevel.TOWN),)
        )
    a = t.accused[0]
    level = next(x for x in ManagementLevel if x is not a.level)
    return dataclasses.replace(
        t, accused=(RegisteredAccused("查无此人", "无此职务", _other(["xfs", "sps"], a.unit), level),)
    )


def _wrong_route(t: Truth, pack: Pack) -> Truth:
    action = next(a for a in RouteAction if a is not t.route.action)
    return dataclasses.replace(t, route=Route(action, t.route.unit, t.route.copy_to))


def _wrong_disposal(t: Truth, pack: Pack) -> Truth:
    disposal = Disposal.HOLD if t.disposal is None else next(d for d in Disposal if d is not t.disposal)
    return dataclasses.replace(t, disposal=disposal)


def _wrong_due(t: Truth, pack: Pack) -> Truth:
    if not t.due:
        return dataclasses.replace(t, due=(("transfer", date(2025, 3, 3)),))
    return dataclasses.replace(t, due=tuple((code, day + timedelta(days=30)) for code, day in t.due))


def _wrong_repeat_of(t: Truth, pack: Pack) -> Truth:
    return dataclasses.replace(t, repeat_of=None if t.repeat_of else "default-0-H000001")


WRONG: dict[str, Callable[[Truth, Pack], Truth]] = {
    "category": _wrong_category,
    "flags": _wrong_flags,
    "problem_type": _wrong_problem_type,
    "reporter": _wrong_reporter,
    "accused": _wrong_accused,
    "route": _wrong_route,
    "disposal": _wrong_disposal,
    "due": _wrong_due,
    "repeat_of": _wrong_repeat_of,
}


def _spoil(t: Truth, pack: Pack, fields: set[str]) -> Truth:
    for name in FIELD_STEPS:  # a fixed order, so each example is reproducible
        if name in fields:
            t = WRONG[name](t, pack)
    return t


# -- full marks --------------------------------------------------------------------------------------


def test_every_field_has_a_step_and_a_price(pack: Pack) -> None:
    assert list(FIELD_STEPS) == list(INTAKE_FIELDS) == list(pack.intake_rubric.fields) == list(WRONG)
    assert pack.intake_rubric.field_points == 100


def test_the_truth_as_answer_earns_full_marks_on_1000_cases(pack: Pack, cases: list[Case]) -> None:
    assert {c.channel for c in cases} == set(Channel)
    assert {c.level for c in cases} == set(Level)
    assert {c.truth.category for c in cases} == set(Category)
    assert {c.truth.route.action for c in cases} == set(RouteAction)
    for case in cases:
        report = score_intake(case, case.truth, pack)
        assert report.total == report.max == 100, case.id
        assert report.grade == "excellent" and report.percent == 100
        assert all(item.points == item.max for item in report.items)
        assert [i.field.split(".")[0] for i in report.items if not i.field.startswith("due")] == [
            f for f in FIELD_STEPS if f != "due"
        ]
        assert all(item.reason.startswith("正确") and item.source for item in report.items)
        json.dumps(report.to_dict(), ensure_ascii=False)


def test_report_dict_has_the_documented_keys(pack: Pack, cases: list[Case]) -> None:
    case = cases[0]
    data = score_intake(case, case.truth, pack).to_dict()
    assert list(data) == ["case_id", "seed", "pack", "total", "max", "grade", "items"]
    assert (data["case_id"], data["seed"], data["pack"]) == (case.id, SEED, pack.ref)
    for item in data["items"]:
        assert {"field", "got", "expected", "points", "max", "reason"} <= set(item)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_an_answer_key_scores_like_the_case(pack: Pack, cases: list[Case]) -> None:
    case = cases[5]
    wrong = _wrong_route(case.truth, pack)
    assert score_intake(AnswerKey.of(case), wrong, pack) == score_intake(case, wrong, pack)


# -- each mistake costs what the rubric says ----------------------------------------------------------


@pytest.mark.parametrize("field", list(WRONG))
def test_a_wrong_field_costs_its_points(pack: Pack, cases: list[Case], field: str) -> None:
    points = pack.intake_rubric.field(field).points
    for case in cases[:300]:
        report = score_intake(case, WRONG[field](case.truth, pack), pack)
        assert report.total == _total_without(pack, field), (case.id, field)
        mine = [i for i in report.items if i.field == field or i.field.startswith(f"{field}.")]
        assert sum(i.points for i in mine) == 0
        assert round(sum(i.max for i in mine), 2) == points
        assert all(i.reason.startswith(("错误", "漏填")) for i in mine)


def test_right_action_wrong_unit_earns_the_action_share(pack: Pack, cases: list[Case]) -> None:
    route = pack.intake_rubric.field("route")
    case = cases[0]
    t = case.truth
    answer = dataclasses.replace(
        t, route=Route(t.route.action, _other(["xfs", "sps"], t.route.unit), t.route.copy_to)
    )
    report = score_intake(case, answer, pack)
    assert report.total == 100 - route.points * route.parts["unit"] == 94
    item = next(i for i in report.items if i.field == "route")
    assert item.points == 10 and item.reason.startswith("部分正确：承办单位不对")


def test_a_transfer_without_its_copy_to_loses_that_share(pack: Pack, cases: list[Case]) -> None:
    route = pack.intake_rubric.field("route")
    case = _first(cases, lambda c: c.truth.route.action is RouteAction.TRANSFER)
    t = case.truth
    assert t.route.copy_to is not None
    answer = dataclasses.replace(t, route=Route(t.route.action, t.route.unit, None))
    assert score_intake(case, answer, pack).total == 100 - route.points * route.parts["copy_to"] == 98


def test_the_wrong_action_with_the_right_unit_earns_nothing(pack: Pack, cases: list[Case]) -> None:
    case = cases[0]
    answer = _wrong_route(case.truth, pack)
    assert answer.route.unit == case.truth.route.unit
    item = next(i for i in score_intake(case, answer, pack).items if i.field == "route")
    assert item.points == 0 and item.reason.startswith("错误：应为")


@pytest.mark.parametrize("step", [1, -1])
def test_a_due_date_one_working_day_off_earns_the_share(pack: Pack, cases: list[Case], step: int) -> None:
    due = pack.intake_rubric.field("due")
    case = _first(cases, lambda c: len(c.truth.due) == 2)
    (code, day), other = case.truth.due
    near = pack.calendar.add_working_days(day, step)
    answer = dataclasses.replace(case.truth, due=((code, near), other))
    report = score_intake(case, answer, pack)
    item = next(i for i in report.items if i.field == f"due.{code}")
    assert item.max == due.points / 2
    assert item.points == item.max * due.one_working_day_off == 4.5
    assert report.total == 100 - item.max * (1 - due.one_working_day_off)
    assert item.reason.startswith("差一个工作日") and item.got == near.isoformat()


def test_a_due_date_on_the_weekend_after_is_not_one_working_day_off(pack: Pack, cases: list[Case]) -> None:
    case = _first(
        cases,
        lambda c: bool(c.truth.due) and not pack.calendar.is_workday(c.truth.due[0][1] + timedelta(days=1)),
    )
    code, day = case.truth.due[0]
    answer = dataclasses.replace(case.truth, due=((code, day + timedelta(days=1)), *case.truth.due[1:]))
    item = next(i for i in score_intake(case, answer, pack).items if i.field == f"due.{code}")
    assert item.points == 0


def test_due_points_split_over_expected_and_answered_limits(pack: Pack, cases: list[Case]) -> None:
    case = _first(cases, lambda c: len(c.truth.due) == 1)
    (code, day) = case.truth.due[0]
    extras = [r.code for r in pack.rules.deadlines if r.code != code][:6]
    answer = dataclasses.replace(case.truth, due=(*case.truth.due, *((x, day) for x in extras)))
    report = score_intake(case, answer, pack)
    due_items = [i for i in report.items if i.field.startswith("due.")]
    assert [i.field for i in due_items] == [f"due.{c}" for c in (code, *extras)]
    assert round(sum(i.max for i in due_items), 2) == 18 and report.max == 100
    assert due_items[0].points == due_items[0].max and due_items[-1].points == 0
    rule = next(r for r in pack.rules.deadlines if r.code == extras[-1])
    assert rule.note in due_items[-1].reason and due_items[-1].source == rule.source


def test_no_time_limit_to_set_earns_the_due_points(pack: Pack, cases: list[Case]) -> None:
    case = _first(cases, lambda c: not c.truth.due)
    item = next(i for i in score_intake(case, case.truth, pack).items if i.field == "due")
    assert (item.got, item.expected, item.points, item.max) == ({}, {}, 18, 18)


def test_each_due_reason_quotes_its_rule(pack: Pack, cases: list[Case]) -> None:
    rules = {r.code: r for r in pack.rules.deadlines}
    for case in cases[:100]:
        for item in score_intake(case, case.truth, pack).items:
            if item.field.startswith("due."):
                rule = rules[item.field.removeprefix("due.")]
                assert rule.note in item.reason and item.source == rule.source


def test_a_missing_flag_loses_its_share(pack: Pack, cases: list[Case]) -> None:
    case = _first(cases, lambda c: len(c.truth.flags) == 2)
    answer = dataclasses.replace(case.truth, flags=case.truth.flags[:1])
    report = score_intake(case, answer, pack)
    assert report.total == 100 - pack.intake_rubric.field("flags").points / 2
    item = next(i for i in report.items if i.field == "flags")
    assert item.reason.startswith("部分正确：漏标")


def test_an_extra_flag_loses_a_share(pack: Pack, cases: list[Case]) -> None:
    case = _first(cases, lambda c: len(c.truth.flags) == 1)
    answer = dataclasses.replace(case.truth, flags=(*case.truth.flags, Flag.REPEAT))
    assert score_intake(case, answer, pack).total == 95


@pytest.mark.parametrize("part", ["name", "post", "unit", "level"])
def test_one_wrong_accused_part_loses_its_share(pack: Pack, cases: list[Case], part: str) -> None:
    accused = pack.intake_rubric.field("accused")
    case = _first(cases, lambda c: len(c.truth.accused) == 1)
    a = case.truth.accused[0]
    wrong = {
        "name": "查无此人",
        "post": "无此职务",
        "unit": _other(["xfs", "sps"], a.unit),
        "level": next(x for x in ManagementLevel if x is not a.level),
    }[part]
    answer = dataclasses.replace(case.truth, accused=(dataclasses.replace(a, **{part: wrong}),))
    assert score_intake(case, answer, pack).total == 100 - accused.points * accused.parts[part] == 97


def test_an_extra_accused_shares_the_points(pack: Pack, cases: list[Case]) -> None:
    case = _first(cases, lambda c: len(c.truth.accused) == 1)
    extra = RegisteredAccused("查无此人", "无", "xfs", ManagementLevel.TOWN)
    for accused in ((*case.truth.accused, extra), (extra, *case.truth.accused)):
        answer = dataclasses.replace(case.truth, accused=accused)
        assert score_intake(case, answer, pack).total == 94


@pytest.mark.parametrize("part", ["name", "phone"])
def test_one_wrong_reporter_part_loses_its_share(pack: Pack, cases: list[Case], part: str) -> None:
    case = _first(cases, lambda c: c.truth.reporter.name is not None)
    answer = dataclasses.replace(
        case.truth, reporter=dataclasses.replace(case.truth.reporter, **{part: "错"})
    )
    assert score_intake(case, answer, pack).total == 97


def test_names_and_phones_are_compared_without_spaces_and_punctuation(pack: Pack, cases: list[Case]) -> None:
    case = _first(cases, lambda c: c.truth.reporter.name is not None and len(c.truth.accused) == 1)
    t = case.truth
    assert t.reporter.name and t.reporter.phone
    phone = t.reporter.phone
    spaced = " ".join(t.reporter.name)
    answer = dataclasses.replace(
        t,
        reporter=RegisteredReporter(f" {spaced} ", f"{phone[:3]} {phone[3:7]}-{phone[7:]}"),
        accused=(
            dataclasses.replace(t.accused[0], name=" ".join(t.accused[0].name), post=f"{t.accused[0].post} "),
        ),
        route=Route(t.route.action, f" {t.route.unit} ", t.route.copy_to),
    )
    assert score_intake(case, answer, pack).total == 100


def test_empty_text_counts_as_no_value(pack: Pack, cases: list[Case]) -> None:
    case = _first(cases, lambda c: c.truth.reporter.name is None and c.truth.repeat_of is None)
    answer = dataclasses.replace(case.truth, reporter=RegisteredReporter(" ", ""), repeat_of="")
    assert score_intake(case, answer, pack).total == 100


# -- properties -------------------------------------------------------------------------------------

FIELDS = list(WRONG)


@BOUNDED
@given(index=st.integers(0, 999), wrong=st.sets(st.sampled_from(FIELDS)))
def test_total_stays_in_range_and_fixing_a_field_never_lowers_it(
    pack: Pack, cases: list[Case], index: int, wrong: set[str]
) -> None:
    case = cases[index]
    report = score_intake(case, _spoil(case.truth, pack, wrong), pack)
    assert 0 <= report.total <= report.max == 100
    assert report.total == _total_without(pack, *wrong)
    for field in wrong:
        fixed = score_intake(case, _spoil(case.truth, pack, wrong - {field}), pack)
        assert fixed.total >= report.total


def _answers(pack: Pack, truth: Truth) -> st.SearchStrategy[Truth]:
    """Answers near the truth: every field either right or drawn from plausible values."""
    units = sorted({truth.route.unit, "xfs", "sps", "t01_cdi", "u_xfj"})
    codes = [r.code for r in pack.rules.deadlines]

    def maybe(right: object, other: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
        return st.one_of(st.just(right), other)

    day = st.dates(date(2025, 1, 1), date(2026, 9, 30))
    due = st.one_of(
        st.just(truth.due),
        st.lists(st.tuples(st.sampled_from(codes), day), max_size=4, unique_by=lambda x: x[0]).map(tuple),
        st.just(tuple((c, pack.calendar.add_working_days(d, 1)) for c, d in truth.due)),
    )
    accused = st.lists(
        st.builds(
            RegisteredAccused,
            st.sampled_from(["查无此人", *(a.name for a in truth.accused)]),
            st.sampled_from(["无", *(a.post for a in truth.accused)]),
            st.sampled_from(units),
            st.sampled_from(list(ManagementLevel)),
        ),
        max_size=2,
    ).map(tuple)
    return st.builds(
        Truth,
        category=maybe(truth.category, st.sampled_from(list(Category))),
        flags=maybe(truth.flags, st.lists(st.sampled_from(list(Flag)), unique=True).map(tuple)),
        problem_type=maybe(truth.problem_type, st.sampled_from([p.code for p in pack.problems])),
        route=maybe(
            truth.route,
            st.builds(
                Route,
                st.sampled_from(list(RouteAction)),
                st.sampled_from(units),
                st.none() | st.just("u_xfj"),
            ),
        ),
        disposal=maybe(truth.disposal, st.none() | st.sampled_from(list(Disposal))),
        due=due,
        repeat_of=maybe(truth.repeat_of, st.none() | st.just("default-0-H000001")),
        specificity=st.just(truth.specificity),
        reporter=maybe(
            truth.reporter, st.builds(RegisteredReporter, st.none() | st.just("查无此人"), st.none())
        ),
        accused=maybe(truth.accused, accused),
    )


@BOUNDED
@given(data=st.data(), index=st.integers(0, 999))
def test_any_answer_scores_within_range_and_each_correction_helps(
    pack: Pack, cases: list[Case], data: st.DataObject, index: int
) -> None:
    case = cases[index]
    answer = data.draw(_answers(pack, case.truth))
    report = score_intake(case, answer, pack)
    assert 0 <= report.total <= report.max == 100
    assert all(0 <= item.points <= item.max for item in report.items)
    for field in FIELD_STEPS:
        fixed = dataclasses.replace(answer, **{field: getattr(case.truth, field)})
        assert score_intake(case, fixed, pack).total >= report.total, field


# -- conversation conduct ----------------------------------------------------------------------------


def _fault(code: str, dimension: Conduct) -> Fault:
    return Fault(code, dimension, f"{code}名称", f"{code}违反的规则", f"{code}的来源")


def _conversation(case_id: str) -> Conversation:
    def turn(dimension: Conduct, model: str, faulty: str) -> ConversationTurn:
        options = [
            ReplyOption(model, "示范答复", None, ("好的。",)),
            ReplyOption(faulty, "不当答复", _fault(f"bad_{dimension.value}", dimension), ("……",)),
        ]
        return ConversationTurn("stage", dimension, tuple(sorted(options, key=lambda o: o.id)))

    return Conversation(
        case_id=case_id,
        seed=SEED,
        pack="default@1.0.0",
        talk="visit",
        opening=("来访人进门。",),
        turns=(
            turn(Conduct.WARM, "a", "b"),
            turn(Conduct.LISTEN, "b", "a"),
            turn(Conduct.RECORD, "a", "c"),
            turn(Conduct.WARM, "c", "a"),
        ),
    )


def test_conduct_items_score_each_turn(pack: Pack, cases: list[Case]) -> None:
    case = _first(cases, lambda c: c.channel is Channel.VISIT)
    conversation = _conversation(case.id)
    per_turn = pack.intake_rubric.conduct_points
    perfect = score_intake(
        case, case.truth, pack, conversation=conversation, choices=conversation.model_choices()
    )
    assert perfect.total == perfect.max == 100 + 4 * per_turn
    report = score_intake(case, case.truth, pack, conversation=conversation, choices=["a", "a", "c", "c"])
    conduct = [i for i in report.items if i.kind == "conduct"]
    assert [i.field for i in conduct] == [
        "conversation.1",
        "conversation.2",
        "conversation.3",
        "conversation.4",
    ]
    assert [i.turn for i in conduct] == [1, 2, 3, 4]
    assert [i.points for i in conduct] == [per_turn, 0, 0, per_turn]
    assert [(i.got, i.expected) for i in conduct] == [("a", "a"), ("a", "b"), ("c", "a"), ("c", "c")]
    faulty = conduct[1]
    assert faulty.dimension == "listen"
    assert faulty.reason == "bad_listen名称:bad_listen违反的规则" and faulty.source == "bad_listen的来源"
    assert conduct[0].source == pack.intake_rubric.conduct_rule.source
    assert report.total == 100 + 2 * per_turn and report.max == 100 + 4 * per_turn
    assert report.by_dimension() == {
        "warm": (2 * per_turn, 2 * per_turn),
        "listen": (0, per_turn),
        "record": (0, per_turn),
    }
    assert [i.kind for i in report.items[: -len(conduct)]] == ["field"] * (len(report.items) - len(conduct))


def test_without_choices_there_are_no_conduct_items(pack: Pack, cases: list[Case]) -> None:
    case = _first(cases, lambda c: c.channel is Channel.PHONE)
    report = score_intake(case, case.truth, pack, conversation=_conversation(case.id))
    assert all(i.kind == "field" for i in report.items) and report.by_dimension() == {}


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (["a", "a", "a"], "4 turn(s) but 3 choice(s)"),
        (["a", "a", "a", "a", "a"], "4 turn(s) but 5 choice(s)"),
        (["a", "z", "a", "a"], "turn 2 offers no reply 'z'"),
    ],
)
def test_bad_choices_are_refused(pack: Pack, cases: list[Case], choices: list[str], message: str) -> None:
    case = cases[0]
    with pytest.raises(ValueError, match=re.escape(message)):
        score_intake(case, case.truth, pack, conversation=_conversation(case.id), choices=choices)


def test_choices_need_the_conversation_of_this_case(pack: Pack, cases: list[Case]) -> None:
    case = cases[0]
    with pytest.raises(ValueError, match="without the conversation"):
        score_intake(case, case.truth, pack, choices=["a"])
    with pytest.raises(ValueError, match="is of case 'other'"):
        score_intake(case, case.truth, pack, conversation=_conversation("other"), choices=["a"] * 4)


# -- grades -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "code"),
    [
        (1.0, "excellent"),
        (0.9, "excellent"),
        (0.8999, "good"),
        (0.75, "good"),
        (0.6, "pass"),
        (0.5999, "fail"),
        (0, "fail"),
    ],
)
def test_grade_bands(pack: Pack, share: float, code: str) -> None:
    assert pack.intake_rubric.grade(share).code == code


@pytest.mark.parametrize(
    ("wrong", "code", "zh", "en"),
    [
        ((), "excellent", "优秀", "Excellent"),
        (("category",), "excellent", "优秀", "Excellent"),
        (("route",), "good", "良好", "Good"),
        (("route", "disposal"), "pass", "合格", "Pass"),
        (("due", "route", "repeat_of"), "fail", "不合格", "Fail"),
    ],
)
def test_a_report_carries_its_grade(
    pack: Pack, cases: list[Case], wrong: tuple[str, ...], code: str, zh: str, en: str
) -> None:
    case = cases[3]
    report = score_intake(case, _spoil(case.truth, pack, set(wrong)), pack)
    assert (report.grade, report.grade_label("zh"), report.grade_label("en")) == (code, zh, en)
    assert report.percent == round(100 * report.total / report.max, 2)


def test_an_empty_report_has_no_percent() -> None:
    report = ScoreReport("x", 0, "p@1.0.0", (), 0.0, 0.0, "fail")
    assert report.percent == 0 and report.grade_label("en") == "fail"


def test_scoring_imports_no_ui_or_database() -> None:
    code = (
        "import sys, toolkit.scoring, toolkit.scoring.intake\n"
        "print(','.join(m for m in ('ipywidgets', 'sqlalchemy', 'voila', 'tornado', 'IPython', 'openpyxl')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
