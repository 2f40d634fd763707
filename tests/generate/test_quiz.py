"""Generated quiz questions: every answer recomputed here from ``chinese_calendar`` alone (never the toolkit's
calendar), determinism, variety over seeds, holidays crossed, distractors that differ from the answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.domain.quiz import LETTERS, Question, QuestionKind
from toolkit.errors import GenerationError
from toolkit.generate.quiz import GENERATOR_KINDS, GENERATORS, generate_question, generate_questions
from toolkit.packs import Pack

DATE_ZH = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
FIRST, LAST = date(2024, 1, 1), date(2026, 9, 30)
SEEDS = st.integers(min_value=0, max_value=10**9)

# -- the deadlines, counted independently: DESIGN.md section 3 and chinese_calendar --------------------


def workday(day: date) -> bool:
    return bool(chinese_calendar.is_workday(day))


def working_days_after(start: date, n: int) -> date:
    """The n-th working day after ``start`` (the start day itself never counts)."""
    day = start
    while n:
        day += timedelta(days=1)
        if workday(day):
            n -= 1
    return day


def rolled(day: date) -> date:
    """``day``, or the first working day after it when it is a day off."""
    while not workday(day):
        day += timedelta(days=1)
    return day


def one_month_later(day: date) -> date:
    month = day.month % 12 + 1
    year = day.year + (day.month == 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)


LIMITS: dict[str, Callable[[date], date]] = {
    "acceptance_notice": lambda d: working_days_after(d, 15),  # 15 工作日 of receipt
    "report_up": lambda d: working_days_after(d, 5),  # 5 工作日
    "forwarded_disposition": lambda d: working_days_after(d, 5),  # 5 工作日
    "petition_acceptance_notice": lambda d: rolled(d + timedelta(days=15)),  # 15 日, rolled to a workday
    "petition_close": lambda d: rolled(d + timedelta(days=60)),  # 60 日 of acceptance
    # ≤ 30 日 more, counted (as the pack does) from the end of the 60 days
    "petition_close_extended": lambda d: rolled(rolled(d + timedelta(days=60)) + timedelta(days=30)),
    "result_feedback": lambda d: working_days_after(d, 15),  # 15 工作日 of closing
    "inquiry_reply": lambda d: working_days_after(d, 15),  # 15 工作日 of the letter
    "disposal_plan": lambda d: rolled(one_month_later(d)),  # 1 month
}
DATE_GENERATORS = tuple(LIMITS)
#: what the stem says is due, for telling which limit a choice or true/false question is about
ACTS = (
    ("延长办理期限", "petition_close_extended"),
    ("告知检举控告人受理情况", "acceptance_notice"),
    ("信访举报部门", "report_up"),
    ("完成受理或者转办", "forwarded_disposition"),
    ("告知信访人是否受理", "petition_acceptance_notice"),
    ("受理一件信访事项", "petition_close"),
    ("反馈处理结果", "result_feedback"),
    ("写出说明材料", "inquiry_reply"),
    ("提出处置意见", "disposal_plan"),
)


def dates_in(text: str) -> list[date]:
    return [date(*map(int, m.groups())) for m in DATE_ZH.finditer(text)]


def limit_of(stem: str) -> str:
    return next(name for words, name in ACTS if words in stem)


def check_date_question(q: Question, generator: str) -> date:
    """The question is right by the independent count; returns its start date."""
    assert q.kind is QuestionKind.DATE and q.options == ()
    start = dates_in(q.stem)[0]
    assert FIRST <= start <= LAST and workday(start), start
    assert q.answer == (LIMITS[generator](start).isoformat(),), (q.stem, q.answer)
    assert q.source and q.explanation and q.topic
    assert date.fromisoformat(q.answer[0]).isoformat() in q.explanation or DATE_ZH.search(q.explanation)
    return start


# -- the registry ---------------------------------------------------------------------------------------


def test_the_registry() -> None:
    assert set(DATE_GENERATORS) <= set(GENERATORS)
    assert set(GENERATORS) == set(DATE_GENERATORS) | {"last_day_choice", "in_time"}
    assert all(GENERATOR_KINDS[n] is QuestionKind.DATE for n in DATE_GENERATORS)
    assert GENERATOR_KINDS["last_day_choice"] is QuestionKind.SINGLE
    assert GENERATOR_KINDS["in_time"] is QuestionKind.TRUE_FALSE


# -- answers, checked independently ---------------------------------------------------------------------


@pytest.mark.parametrize("generator", DATE_GENERATORS)
def test_date_generators_over_many_seeds(pack: Pack, generator: str) -> None:
    for seed in range(40):
        check_date_question(generate_question(pack, generator, seed), generator)


@pytest.mark.parametrize("generator", DATE_GENERATORS)
@settings(max_examples=60, deadline=None)
@given(seed=SEEDS)
def test_date_generators_for_any_seed(pack: Pack, generator: str, seed: int) -> None:
    q = generate_question(pack, generator, seed)
    check_date_question(q, generator)
    assert q.seed == seed and q.pack == pack.ref and q.id.startswith("g-")


def check_choice(q: Question) -> None:
    assert q.kind is QuestionKind.SINGLE and len(q.options) == 4 and len(q.answer) == 1
    limit = limit_of(q.stem)
    assert limit in (
        "acceptance_notice",
        "report_up",
        "forwarded_disposition",
        "result_feedback",
        "inquiry_reply",
    )
    start = dates_in(q.stem)[0]
    due = LIMITS[limit](start)
    shown = [dates_in(option)[0] for option in q.options]
    assert shown[LETTERS.index(q.answer[0])] == due, (q.stem, q.options, q.answer)
    assert len(set(shown)) == 4, q.options  # every distractor differs from the answer and from each other
    assert all(d > start for d in shown)
    for option, day in zip(q.options, shown, strict=True):
        assert option == f"{day.year}年{day.month}月{day.day}日(星期{'一二三四五六日'[day.weekday()]})"


@settings(max_examples=80, deadline=None)
@given(seed=SEEDS)
def test_the_last_day_choice(pack: Pack, seed: int) -> None:
    check_choice(generate_question(pack, "last_day_choice", seed))


def test_the_last_day_choice_offers_the_day_count_mistake(pack: Pack) -> None:
    """Counting the working days as calendar days is one of the distractors whenever it differs."""
    seen = 0
    for seed in range(60):
        q = generate_question(pack, "last_day_choice", seed)
        check_choice(q)
        start = dates_in(q.stem)[0]
        amount = 5 if limit_of(q.stem) in ("report_up", "forwarded_disposition") else 15
        as_days = start + timedelta(days=amount)
        if as_days != LIMITS[limit_of(q.stem)](start):
            assert as_days in [dates_in(o)[0] for o in q.options], q.options
            seen += 1
    assert seen >= 50
    letters = {generate_question(pack, "last_day_choice", s).answer[0] for s in range(40)}
    assert letters == set("ABCD")  # the right date is not always in the same place


def check_in_time(q: Question) -> None:
    assert q.kind is QuestionKind.TRUE_FALSE and q.options == ()
    limit = limit_of(q.stem)
    start, done = dates_in(q.stem)[:2]
    assert done > start
    expected = "true" if done <= LIMITS[limit](start) else "false"
    assert q.answer == (expected,), (q.stem, q.answer)


@settings(max_examples=100, deadline=None)
@given(seed=SEEDS)
def test_in_time(pack: Pack, seed: int) -> None:
    check_in_time(generate_question(pack, "in_time", seed))


def test_in_time_asks_both_ways(pack: Pack) -> None:
    answers = [generate_question(pack, "in_time", s).answer[0] for s in range(60)]
    assert 15 <= answers.count("true") <= 50


# -- sets of questions ----------------------------------------------------------------------------------


def test_a_set_is_deterministic_and_each_question_checks(pack: Pack) -> None:
    first = generate_questions(pack, 11, 40)
    assert first == generate_questions(pack, 11, 40)
    assert generate_questions(pack, 11, 15) == first[:15]  # question i depends on (pack, seed, i) only
    assert len({q.id for q in first}) == 40
    assert all(q.seed == 11 and q.pack == pack.ref and re.fullmatch(r"g-[0-9a-f]{12}", q.id) for q in first)
    assert {q.kind for q in first} == {QuestionKind.DATE, QuestionKind.SINGLE, QuestionKind.TRUE_FALSE}
    for q in first:
        if q.kind is QuestionKind.SINGLE:
            check_choice(q)
        elif q.kind is QuestionKind.TRUE_FALSE:
            check_in_time(q)
        else:
            generator = limit_of(q.stem)
            check_date_question(q, generator)
    assert generate_questions(pack, 12, 40) != first
    assert generate_questions(pack, 11, 0) == ()


def test_generators_take_turns(pack: Pack) -> None:
    """Eleven questions of one set come from eleven different generators."""
    questions = generate_questions(pack, 3, len(GENERATORS))
    kinds = [q.kind for q in questions]
    assert kinds.count(QuestionKind.SINGLE) == 1 and kinds.count(QuestionKind.TRUE_FALSE) == 1
    limits = {limit_of(q.stem) for q in questions if q.kind is QuestionKind.DATE}
    assert limits == set(DATE_GENERATORS)


def test_variety_over_seeds(pack: Pack) -> None:
    for generator in GENERATORS:
        questions = [generate_question(pack, generator, s) for s in range(30)]
        assert len({q.stem for q in questions}) >= 25, generator
        assert len({q.answer for q in questions}) >= (4 if generator == "last_day_choice" else 2), generator
        assert len({dates_in(q.stem)[0] for q in questions}) >= 20, generator
    # the same generator with another seed: the same form, another date (an equal-difficulty variant)
    a, b = generate_question(pack, "acceptance_notice", 1), generate_question(pack, "acceptance_notice", 2)
    assert a.id != b.id and a.topic == b.topic and a.source == b.source and a.stem != b.stem
    assert generate_question(pack, "acceptance_notice", 1) == a


def test_start_dates_cross_holidays_often(pack: Pack) -> None:
    """About half the start dates fall within 10 days before a holiday period (a weekday off)."""
    questions = generate_questions(pack, 5, 300, kinds=["date"])
    starts = [dates_in(q.stem)[0] for q in questions]
    assert all(FIRST <= s <= LAST for s in starts)
    assert all(date.fromisoformat(q.answer[0]).year <= 2026 for q in questions)
    eve = [
        s
        for s in starts
        if any(
            (s + timedelta(days=n)).weekday() < 5 and not workday(s + timedelta(days=n)) for n in range(1, 12)
        )
    ]
    assert len(eve) >= 0.4 * len(starts), len(eve)
    months = {(s.year, s.month) for s in starts}
    assert len(months) >= 20  # and the rest spread over the window
    assert any(s.month == 9 for s in starts) and any(s.month in (1, 2) for s in starts)


def test_kinds_filter(pack: Pack) -> None:
    singles = generate_questions(pack, 2, 10, kinds=["single"])
    assert [q.kind for q in singles] == [QuestionKind.SINGLE] * 10
    mixed = generate_questions(pack, 2, 20, kinds=["true_false", "date"])
    assert {q.kind for q in mixed} == {QuestionKind.TRUE_FALSE, QuestionKind.DATE}
    with pytest.raises(GenerationError, match="no quiz generator makes multiple"):
        generate_questions(pack, 2, 5, kinds=["multiple"])
    with pytest.raises(GenerationError, match="unknown QuestionKind code 'essay'"):
        generate_questions(pack, 2, 5, kinds=["essay"])


def test_bad_requests(pack: Pack) -> None:
    with pytest.raises(GenerationError, match="seed must be a whole number ≥ 0"):
        generate_questions(pack, -1, 3)
    with pytest.raises(GenerationError, match="count must be a whole number ≥ 0"):
        generate_questions(pack, 1, -3)
    with pytest.raises(GenerationError, match="no quiz generator 'nope'; known: acceptance_notice"):
        generate_question(pack, "nope", 1)
    with pytest.raises(GenerationError, match="seed must be"):
        generate_question(pack, "report_up", -5)


def test_stems_are_chinese_and_keyless(pack: Pack) -> None:
    for q in generate_questions(pack, 8, 22):
        assert DATE_ZH.search(q.stem) and "-" not in q.stem
        assert "？" in q.stem or "判断" in q.stem
        public = q.public_dict()
        assert set(public) == {"id", "kind", "stem", "options"}
        assert Question.from_dict(q.to_dict()) == q
