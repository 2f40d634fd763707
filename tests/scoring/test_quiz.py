"""Quiz scoring: every accepted way of writing an answer, all-or-nothing scores, messages for bad input."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.domain.quiz import Question, QuestionKind
from toolkit.errors import AnswerInvalid
from toolkit.packs import Pack
from toolkit.scoring.quiz import QuizReport, parse_response, score_question, score_quiz

POINTS = {
    QuestionKind.SINGLE: 1.0,
    QuestionKind.MULTIPLE: 2.0,
    QuestionKind.TRUE_FALSE: 1.0,
    QuestionKind.DATE: 2.0,
}

SINGLE = Question(
    id="s1",
    kind=QuestionKind.SINGLE,
    stem="实名检举控告的受理告知期限是？",
    options=("5个工作日", "15日", "15个工作日", "30日"),
    answer=("C",),
    source="《纪检监察机关处理检举控告工作规则》(2020)",
    explanation="收到之日起15个工作日内告知。",
    topic="feedback",
)
MULTIPLE = Question(
    id="m1",
    kind=QuestionKind.MULTIPLE,
    stem="问题线索的四类处置方式有哪些？",
    options=("谈话函询", "初步核实", "留存备查", "暂存待查", "予以了结"),
    answer=("A", "B", "D", "E"),
    source="《中国共产党纪律检查机关监督执纪工作规则》(2019)",
    explanation="留存备查用于重复件。",
    topic="disposal",
)
TRUE_FALSE = Question(
    id="t1",
    kind=QuestionKind.TRUE_FALSE,
    stem="重复检举控告不再告知受理情况。",
    options=(),
    answer=("true",),
    source="《纪检监察机关处理检举控告工作规则》(2020)",
    explanation="登记后留存备查。",
    topic="repeat",
)
DATE = Question(
    id="d1",
    kind=QuestionKind.DATE,
    stem="2025年9月26日收到实名检举控告，最迟哪天告知？",
    options=(),
    answer=("2025-10-23",),
    source="《纪检监察机关处理检举控告工作规则》(2020)",
    explanation="国庆中秋假期不计入。",
    topic="time_limits",
)
ALL = (SINGLE, MULTIPLE, TRUE_FALSE, DATE)


# -- parsing --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "raw", "parsed"),
    [
        (SINGLE, "C", ("C",)),
        (SINGLE, "c", ("C",)),
        (SINGLE, " C. ", ("C",)),
        (SINGLE, ["c"], ("C",)),
        (SINGLE, ("C", "C"), ("C",)),
        (MULTIPLE, "ABDE", ("A", "B", "D", "E")),
        (MULTIPLE, "e,d,b,a", ("A", "B", "D", "E")),
        (MULTIPLE, "A、B、D、E", ("A", "B", "D", "E")),
        (MULTIPLE, "A B；D，E", ("A", "B", "D", "E")),
        (MULTIPLE, ["E", "a", "D", "b"], ("A", "B", "D", "E")),
        (MULTIPLE, ("AB", "DE"), ("A", "B", "D", "E")),
        (MULTIPLE, "A", ("A",)),
        (TRUE_FALSE, "true", ("true",)),
        (TRUE_FALSE, " TRUE ", ("true",)),
        (TRUE_FALSE, "对", ("true",)),
        (TRUE_FALSE, "正确", ("true",)),
        (TRUE_FALSE, True, ("true",)),
        (TRUE_FALSE, ["对"], ("true",)),
        (TRUE_FALSE, "false", ("false",)),
        (TRUE_FALSE, "错", ("false",)),
        (TRUE_FALSE, "错误", ("false",)),
        (TRUE_FALSE, False, ("false",)),
        (DATE, "2025-10-23", ("2025-10-23",)),
        (DATE, "2025-9-26", ("2025-09-26",)),
        (DATE, "2025年10月23日", ("2025-10-23",)),
        (DATE, " 2025年9月26日 ", ("2025-09-26",)),
        (DATE, "2025年10月23日(星期四)", ("2025-10-23",)),
        (DATE, "2025年10月23日（周四）", ("2025-10-23",)),
        (DATE, "2025/10/23", ("2025-10-23",)),
        (DATE, "2025/9/6", ("2025-09-06",)),
        (DATE, date(2025, 10, 23), ("2025-10-23",)),
        (DATE, ("2025-10-23",), ("2025-10-23",)),
    ],
)
def test_parsing(question: Question, raw: object, parsed: tuple[str, ...]) -> None:
    assert parse_response(question, raw) == parsed  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "raw", "message"),
    [
        (SINGLE, "", "s1: no answer given"),
        (SINGLE, None, "s1: no answer given"),
        (SINGLE, (), "s1: no answer given"),
        (SINGLE, "AC", "s1: a single-choice question takes one letter, got AC"),
        (SINGLE, "E", "s1: E is not an option; the options are A–D"),
        (SINGLE, "3", "s1: '3' is not an option letter"),
        (SINGLE, "选C", "s1: '选C' is not an option letter"),
        (SINGLE, True, "s1: True is not an option letter"),
        (MULTIPLE, "ABF", "m1: F is not an option; the options are A–E"),
        (MULTIPLE, ["A", 2], "m1: 2 is not an option letter"),
        (TRUE_FALSE, "maybe", "t1: 'maybe' is not true or false (write one of true/false/对/正确/错/错误)"),
        (TRUE_FALSE, "", "t1: no answer given"),
        (TRUE_FALSE, ["对", "错"], "t1: one answer expected, got 2: '对', '错'"),
        (DATE, "2025-02-30", "d1: '2025-02-30' is not a real date"),
        (DATE, "2025年13月1日", "d1: '2025年13月1日' is not a real date"),
        (DATE, "10月23日", "d1: '10月23日' is not a date (write 2025-09-26, 2025年9月26日 or 2025/9/26)"),
        (DATE, "23/10/2025", "d1: '23/10/2025' is not a date"),
        (DATE, True, "d1: True is not a date"),
        (DATE, "  ", "d1: no answer given"),
    ],
)
def test_bad_input_is_refused_with_a_message(question: Question, raw: object, message: str) -> None:
    with pytest.raises(AnswerInvalid) as info:
        parse_response(question, raw)  # type: ignore[arg-type]
    [problem] = info.value.problems
    assert problem.startswith(message), problem


# -- scoring one question --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "right", "wrong"),
    [
        (SINGLE, ("C",), ("B",)),
        (MULTIPLE, ("A", "B", "D", "E"), ("A", "B", "C", "D", "E")),
        (TRUE_FALSE, ("true",), ("false",)),
        (DATE, ("2025-10-23",), ("2025-10-22",)),
    ],
)
def test_each_kind_right_and_wrong(
    question: Question, right: tuple[str, ...], wrong: tuple[str, ...]
) -> None:
    good = score_question(question, right, POINTS)
    assert good.correct and good.points == good.max == POINTS[question.kind]
    bad = score_question(question, wrong, POINTS)
    assert not bad.correct and bad.points == 0.0 and bad.max == POINTS[question.kind]
    assert bad.response == wrong and bad.answer == question.answer
    assert bad.source == question.source and bad.explanation == question.explanation
    data = bad.to_dict()
    assert data == {
        "question": question.id,
        "kind": question.kind.value,
        "correct": False,
        "points": 0.0,
        "max": POINTS[question.kind],
        "response": list(wrong),
        "answer": list(question.answer),
        "source": question.source,
        "explanation": question.explanation,
        "topic": question.topic,
    }


def test_multiple_choice_is_all_or_nothing() -> None:
    assert score_question(MULTIPLE, ("E", "D", "B", "A"), POINTS).points == 2.0  # order does not matter
    assert score_question(MULTIPLE, ("A", "B", "D"), POINTS).points == 0.0  # one missing
    assert score_question(MULTIPLE, ("A", "B", "C", "D", "E"), POINTS).points == 0.0  # one too many
    assert score_question(MULTIPLE, ("A", "B", "C", "D"), POINTS).points == 0.0  # one of each


@given(st.sets(st.sampled_from("ABCDE")))
def test_only_the_exact_set_of_letters_scores(letters: set[str]) -> None:
    score = score_question(MULTIPLE, tuple(letters), POINTS)
    assert score.correct == (letters == {"A", "B", "D", "E"})
    assert score.points == (2.0 if score.correct else 0.0)


def test_unanswered_and_unknown_points() -> None:
    for question in ALL:
        for nothing in (None, ()):
            score = score_question(question, nothing, POINTS)
            assert not score.correct and score.points == 0.0 and score.response == ()
    with pytest.raises(ValueError, match="no points for date questions"):
        score_question(DATE, ("2025-10-23",), {QuestionKind.SINGLE: 1.0})


# -- scoring a set ---------------------------------------------------------------------------------------


def test_scoring_a_set() -> None:
    report = score_quiz(ALL, {"s1": "c", "m1": "A,B,D", "t1": "对", "d1": "2025年10月23日"}, POINTS)
    assert isinstance(report, QuizReport)
    assert [i.correct for i in report.items] == [True, False, True, True]
    assert report.total == 4.0 and report.max == 6.0 and report.correct == 3 and report.percent == 66.67
    assert report.by_topic() == {
        "feedback": (1, 1),
        "disposal": (0, 1),
        "repeat": (1, 1),
        "time_limits": (1, 1),
    }
    data = report.to_dict()
    assert data["total"] == 4.0 and data["max"] == 6.0 and len(data["items"]) == 4
    assert data["items"][1]["response"] == ["A", "B", "D"]


def test_left_out_and_blank_answers_score_nothing() -> None:
    report = score_quiz(ALL, {"s1": "C", "t1": "", "d1": None}, POINTS)
    assert report.total == 1.0 and report.max == 6.0
    assert [i.response for i in report.items] == [("C",), (), (), ()]
    assert score_quiz((), {}, POINTS).percent == 0.0


def test_every_bad_response_of_a_set_is_reported() -> None:
    with pytest.raises(AnswerInvalid) as info:
        score_quiz(ALL, {"s1": "AB", "m1": "Z", "t1": "yes", "d1": "2025-10-23", "x9": "A"}, POINTS)
    problems = info.value.problems
    assert problems[0] == "x9: no such question in this set"
    assert [p.split(":")[0] for p in problems] == ["x9", "s1", "m1", "t1"]


def test_the_pack_bank_scores_its_own_keys(pack: Pack) -> None:
    bank = pack.quiz
    responses = {q.id: list(q.answer) for q in bank.questions}
    report = score_quiz(bank.questions, responses, bank.points)
    assert report.total == report.max == bank.max_points() and report.correct == len(bank)
    wrong = {q.id: "2024-01-01" for q in bank.by_kind(QuestionKind.DATE)}
    assert score_quiz(bank.by_kind(QuestionKind.DATE), wrong, bank.points).total == 0.0
