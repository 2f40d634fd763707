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

from toolkit.domain.codes import Basis
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


def months_later(day: date, n: int) -> date:
    """The same day ``n`` months on, or that month's last day (民法典 第二百零二条)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + n, 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month0 + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)


LIMITS: dict[str, Callable[[date], date]] = {
    "acceptance_notice": lambda d: working_days_after(d, 15),  # 15 工作日 of receipt
    "report_up": lambda d: working_days_after(d, 5),  # 5 工作日
    "forwarded_disposition": lambda d: working_days_after(d, 5),  # 5 工作日
    # 信访工作条例 第二十三条第三款: 15 日 of receiving a forwarded item, rolled off a holiday
    "petition_acceptance_notice": lambda d: rolled(d + timedelta(days=15)),
    # the department's 60 日, counted (this pack's simplification) from the transfer
    "petition_close": lambda d: rolled(d + timedelta(days=60)),
    # extended by ≤ 30 日: the limit itself grows to 90 日, and only its end is rolled
    "petition_close_extended": lambda d: rolled(d + timedelta(days=90)),
    "result_feedback": lambda d: working_days_after(d, 15),  # 15 工作日 of closing
    "inquiry_reply": lambda d: working_days_after(d, 15),  # 15 工作日 of receiving the letter
    "disposal_plan": lambda d: rolled(months_later(d, 1)),  # 1 month of receipt
    "inquiry_report": lambda d: rolled(months_later(d, 1)),  # 1 month after the talk or the reply
    "discipline_appeal_close": lambda d: rolled(months_later(d, 3)),  # 3 months of acceptance
    "accountability_appeal_decision": lambda d: rolled(months_later(d, 1)),  # 1 month of receipt
    "supervision_review_decision": lambda d: rolled(months_later(d, 1)),  # 1 month of receipt
}
DATE_GENERATORS = tuple(LIMITS)
#: the limits of the appeal procedures, which never borrow the 信访 15 日 or 60 日
APPEAL_LIMITS = ("discipline_appeal_close", "accountability_appeal_decision", "supervision_review_decision")
#: limits whose rule is this pack's own simplification (basis: training in rules.yaml)
TRAINING_LIMITS = ("petition_close", "petition_close_extended")
#: what the stem says is due, for telling which limit a choice or true/false question is about
ACTS = (
    ("延长办理期限", "petition_close_extended"),
    ("告知检举控告人受理情况", "acceptance_notice"),
    ("信访举报部门", "report_up"),
    ("完成受理或者转办", "forwarded_disposition"),
    ("告知信访人接收情况", "petition_acceptance_notice"),
    ("业务范围外事项", "petition_close"),
    ("反馈处理结果", "result_feedback"),
    ("写出说明材料", "inquiry_reply"),
    ("写出情况报告", "inquiry_report"),
    ("提出处置意见", "disposal_plan"),
    ("复议复查", "discipline_appeal_close"),
    ("申诉处理决定", "accountability_appeal_decision"),
    ("复审决定", "supervision_review_decision"),
)
#: words that make a stem about an appeal (申诉求决类 is a 信访 category, not an appeal)
APPEAL_WORDS = ("申诉", "复审", "处分决定", "问责决定", "处分不服")


#: the 信访 15 日 and 60 日 written in a text (not the 15th of a month)
PETITION_DAYS = re.compile(r"(?<![\d月])(?:15|60)日")


def appeal_related(text: str) -> bool:
    return any(word in text.replace("申诉求决类", "") for word in APPEAL_WORDS)


def zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


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


# -- what the stems and sources say -----------------------------------------------------------------------


def test_no_generated_question_gives_an_appeal_a_petition_limit(pack: Pack) -> None:
    """党纪处分申诉 (监督执纪工作规则 第五十九条: 3个月), 问责申诉 (1个月) and 监察复审 (监察法
    第五十六条: 一个月) have limits of their own: no generated question about one keys the 信访 15 日 or
    60 日, and the petition scenes (接收告知, 主管部门办结) never draw an appeal."""
    seen: set[str] = set()
    for generator in GENERATORS:
        for seed in range(40):
            q = generate_question(pack, generator, seed)
            if not appeal_related(q.stem):
                continue
            limit = limit_of(q.stem)
            assert limit in APPEAL_LIMITS, (generator, q.stem)
            seen.add(limit)
            assert not PETITION_DAYS.search(q.source + q.explanation), (q.source, q.explanation)
            if q.kind is QuestionKind.DATE:
                start = dates_in(q.stem)[0]
                petition = {rolled(start + timedelta(days=n)) for n in (15, 60)}
                assert date.fromisoformat(q.answer[0]) not in petition, q.stem
    assert seen == set(APPEAL_LIMITS)


def test_the_petition_scenes_follow_the_rules_they_name(pack: Pack) -> None:
    """接收告知: a real-name 建议意见类 item the level above forwarded (信访工作条例 第二十三条第三款);
    主管部门办结: an out-of-scope letter sent to its department and copied to the office that liaises with
    it (莱西 “双向移交、单向反馈”), never the 信访局."""
    for seed in range(20):
        notice = generate_question(pack, "petition_acceptance_notice", seed).stem
        assert "建议意见类" in notice and "实名" in notice and pack.jurisdiction.superior.name in notice
        for generator in ("petition_close", "petition_close_extended"):
            close = generate_question(pack, generator, seed).stem
            assert "来信" in close and "转送" in close and "抄送" in close and "信访局" not in close, close


def test_training_limits_say_so(pack: Pack) -> None:
    """A limit that is this pack's simplification says so in the stem and the source; the others do not."""
    assert pack.rules.deadline("petition_close").basis is Basis.TRAINING
    for generator in DATE_GENERATORS:
        for seed in range(10):
            q = generate_question(pack, generator, seed)
            training = generator in TRAINING_LIMITS
            assert ("按本训练包规则" in q.stem) is training, q.stem
            assert ("本训练包的简化" in q.source) is training, q.source
    for seed in range(60):
        q = generate_question(pack, "in_time", seed)
        training = limit_of(q.stem) in TRAINING_LIMITS
        assert ("按本训练包规则" in q.stem) is training and ("本训练包的简化" in q.source) is training


def test_the_inquiry_scenes_name_their_start(pack: Pack) -> None:
    """The reply is due 15 working days after the letter is received; the report 1 month after the talk ends
    or the reply arrives."""
    for seed in range(20):
        reply = generate_question(pack, "inquiry_reply", seed).stem
        assert re.search(r"被函询人于\d{4}年\d{1,2}月\d{1,2}日\(星期.\)收到函件", reply), reply
        report = generate_question(pack, "inquiry_report", seed).stem
        assert re.search(r"谈话于\d{4}年\S+?结束|于\d{4}年\S+?收到被函询人的函询回复", report), report


def test_explanations_give_the_rule_summary_and_count_an_extension_on(pack: Pack) -> None:
    """The note is the pack's summary (规则要点), not the regulation's text; an extension runs on from the
    original limit's own last day (60+30 = 90 日), not from that day rolled off a holiday."""
    for generator in GENERATORS:
        for seed in range(5):
            q = generate_question(pack, generator, seed)
            assert "规则原文" not in q.explanation and "规则要点" in q.explanation, generator
    rolled_first = 0
    for seed in range(40):
        q = generate_question(pack, "petition_close_extended", seed)
        start = dates_in(q.stem)[0]
        sixtieth = start + timedelta(days=60)
        assert "60+30=90日" in q.explanation and f"最后一天是{zh(sixtieth)}" in q.explanation
        assert f"从{zh(sixtieth)}起算30日" in q.explanation
        if rolled(sixtieth) != sixtieth:
            rolled_first += 1
            assert f"从{zh(rolled(sixtieth))}起算30日" not in q.explanation
    assert rolled_first >= 3


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
