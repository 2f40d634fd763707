"""Tests for toolkit.rules.deadlines: DeadlineRule.due / due_array, Applies, Extension, describe.

Rules are built directly (not loaded from a pack); their parameters copy ``scenarios/default/rules.yaml``.
Expected dates are counted by hand on the published holiday schedules:

* National Day / Mid-Autumn 2025: 10-01..10-08 off; Sun 09-28 and Sat 10-11 are working days.
* Spring Festival 2025: 01-28..02-04 off; Sun 01-26 and Sat 02-08 are working days.
* Labour Day 2025: 05-01..05-05 off; Sun 04-27 is a working day.
* Dragon Boat 2025: 05-31..06-02 off.
* 2026 (checked in chinese_calendar 1.11.0): Mid-Autumn 09-25..09-27 off; National Day 10-01..10-07 off;
  Sun 09-20 and Sat 10-10 are working days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.domain.codes import Basis, Category, Channel, Clock, Flag, RouteAction, StartEvent, Step
from toolkit.errors import RuleError
from toolkit.packs import Pack
from toolkit.rules.calendar import WorkCalendar
from toolkit.rules.deadlines import Applies, DeadlineRule, Extension

CAL = WorkCalendar()

SOURCE_2020 = "《纪检监察机关处理检举控告工作规则》(2020)"
SOURCE_2022 = "《信访工作条例》(2022)"
SOURCE_2019 = "《中国共产党纪律检查机关监督执纪工作规则》(2019)"


def d(s: str) -> date:
    return date.fromisoformat(s)


def rule(
    clock: Clock,
    amount: int,
    *,
    count_start_day: bool = False,
    roll_to_workday: bool = False,
    extension: Extension | None = None,
    applies: Applies | None = None,
    code: str = "test_rule",
    source: str = "test source",
) -> DeadlineRule:
    return DeadlineRule(
        code=code,
        name_zh="测试时限",
        name_en="Test limit",
        clock=clock,
        amount=amount,
        start=StartEvent.RECEIVED,
        count_start_day=count_start_day,
        roll_to_workday=roll_to_workday,
        applies=applies if applies is not None else Applies(),
        source=source,
        extension=extension,
    )


# The default pack's rules (scenarios/default/rules.yaml), built by hand; the articles each source must
# name are checked in test_the_default_pack_loads_the_rules_written_out_here.
ACCEPTANCE_NOTICE = DeadlineRule(
    code="acceptance_notice",
    name_zh="实名检举控告受理情况告知",
    name_en="Tell a real-name reporter whether accepted",
    clock=Clock.WORKING_DAYS,
    amount=15,
    start=StartEvent.RECEIVED,
    count_start_day=False,
    roll_to_workday=False,
    applies=Applies(
        category=frozenset({Category.ACCUSATION}),
        action=frozenset({RouteAction.SELF}),
        flags_all=frozenset({Flag.REAL_NAME}),
        flags_none=frozenset({Flag.REPEAT, Flag.NO_SUBSTANCE, Flag.IMPERSONATION}),
    ),
    source=SOURCE_2020,
    step=Step.NOTICE,
)
REPORT_UP = DeadlineRule(
    code="report_up",
    name_zh="报送上级",
    name_en="Send up to the level above",
    clock=Clock.WORKING_DAYS,
    amount=5,
    start=StartEvent.RECEIVED,
    count_start_day=False,
    roll_to_workday=False,
    applies=Applies(action=frozenset({RouteAction.REPORT_UP})),
    source=SOURCE_2020,
    step=Step.REFERRAL,
)
FORWARDED = DeadlineRule(
    code="forwarded_disposition",
    name_zh="转送件受理或转办",
    name_en="Accept or pass on a forwarded item",
    clock=Clock.WORKING_DAYS,
    amount=5,
    start=StartEvent.RECEIVED,
    count_start_day=False,
    roll_to_workday=False,
    applies=Applies(channel=frozenset({Channel.FORWARDED})),
    source=SOURCE_2020,
    step=Step.ROUTING,
)
DISPOSAL_PLAN = DeadlineRule(
    code="disposal_plan",
    name_zh="提出线索处置意见",
    name_en="Propose how to dispose of the lead",
    clock=Clock.MONTHS,
    amount=1,
    start=StartEvent.RECEIVED,
    count_start_day=False,
    roll_to_workday=True,
    applies=Applies(
        category=frozenset({Category.ACCUSATION}),
        action=frozenset({RouteAction.SELF}),
        flags_none=frozenset({Flag.REPEAT, Flag.NO_SUBSTANCE}),
    ),
    source=SOURCE_2019,
    step=Step.DISPOSAL,
)
PETITION_ACCEPTANCE = DeadlineRule(
    code="petition_acceptance_notice",
    name_zh="转送信访事项接收告知",
    name_en="Tell the petitioner a forwarded petition was received",
    clock=Clock.CALENDAR_DAYS,
    amount=15,
    start=StartEvent.RECEIVED,
    count_start_day=False,
    roll_to_workday=True,
    applies=Applies(
        category=frozenset({Category.SUGGESTION}),
        channel=frozenset({Channel.FORWARDED}),
        flags_all=frozenset({Flag.REAL_NAME}),
        flags_none=frozenset({Flag.REPEAT}),
    ),
    source=SOURCE_2022,
    step=Step.NOTICE,
)
PETITION_CLOSE = DeadlineRule(
    code="petition_close",
    name_zh="主管部门办结(跟踪督办)",
    name_en="The competent department closes the petition",
    clock=Clock.CALENDAR_DAYS,
    amount=60,
    start=StartEvent.REFERRED,
    count_start_day=False,
    roll_to_workday=True,
    applies=Applies(category=frozenset({Category.OUT_OF_SCOPE}), action=frozenset({RouteAction.TRANSFER})),
    source=SOURCE_2022,
    extension=Extension(
        clock=Clock.CALENDAR_DAYS, amount=30, needs="经本机关负责人批准并告知信访人延期理由", tell=True
    ),
    basis=Basis.TRAINING,
    step=Step.CLOSE,
)
LOCAL_CONSULTATION = DeadlineRule(
    code="local_consultation",
    name_zh="咨询类诉求解答(地方做法)",
    name_en="Answer a consultation (local practice)",
    clock=Clock.WORKING_DAYS,
    amount=5,
    start=StartEvent.RECEIVED,
    count_start_day=False,
    roll_to_workday=False,
    applies=Applies(category=frozenset()),
    source="四川隆昌市群众诉求“五环”机制(地方做法)",
)


def as_dates(arr: np.ndarray) -> list[date]:
    return list(arr.astype("datetime64[D]").astype(object))


# ---------------------------------------------------------------------------------------- working days


def test_fifteen_working_days_from_receipt_skip_national_day_2025() -> None:
    # Fri 09-26 not counted; 09-28(Sun 调休),29,30 = 3; 10-01..08 off; 10-09,10,11(Sat 调休) = 6;
    # 10-13..17 = 11; 10-20,21,22,23 = 15 -> Thu 2025-10-23.
    assert ACCEPTANCE_NOTICE.due(d("2025-09-26"), CAL) == d("2025-10-23")


def test_count_start_day_on_a_working_day_is_one_working_day_earlier() -> None:
    # Fri 09-26 is itself working day 1, so the 15th is one working day before 10-23: Wed 2025-10-22.
    r = rule(Clock.WORKING_DAYS, 15, count_start_day=True)
    assert r.due(d("2025-09-26"), CAL) == d("2025-10-22")


def test_count_start_day_on_a_holiday_start_changes_nothing() -> None:
    # Start Wed 10-01 (holiday) cannot be counted: 10-09,10,11(Sat 调休) = 3; 10-13..17 = 8;
    # 10-20..24 = 13; 10-27,28 = 15 -> Tue 2025-10-28, with or without count_start_day.
    start = d("2025-10-01")
    expected = d("2025-10-28")
    assert rule(Clock.WORKING_DAYS, 15, count_start_day=False).due(start, CAL) == expected
    assert rule(Clock.WORKING_DAYS, 15, count_start_day=True).due(start, CAL) == expected


def test_count_start_day_on_a_makeup_sunday_counts_it() -> None:
    # Sun 2025-09-28 is a 调休 working day, so it counts as day 1: 09-29 = 2, 09-30 = 3, 10-09 = 4, 10-10 = 5.
    r = rule(Clock.WORKING_DAYS, 5, count_start_day=True)
    assert r.due(d("2025-09-28"), CAL) == d("2025-10-10")


def test_five_working_days_from_2025_09_30() -> None:
    # Tue 09-30 not counted; 10-01..08 off; 10-09 = 1, 10-10 = 2, Sat 10-11 (调休) = 3, 10-13 = 4, 10-14 = 5.
    assert REPORT_UP.due(d("2025-09-30"), CAL) == d("2025-10-14")
    assert FORWARDED.due(d("2025-09-30"), CAL) == d("2025-10-14")


def test_five_working_days_over_spring_festival_2025() -> None:
    # Mon 01-27 not counted; 01-28..02-04 off; 02-05,06,07 = 3, Sat 02-08 (调休) = 4, Mon 02-10 = 5.
    assert REPORT_UP.due(d("2025-01-27"), CAL) == d("2025-02-10")


def test_five_working_days_over_labour_day_2025() -> None:
    # Fri 04-25 not counted; Sun 04-27 (调休) = 1, 04-28 = 2, 04-29 = 3, 04-30 = 4; 05-01..05 off; 05-06 = 5.
    assert REPORT_UP.due(d("2025-04-25"), CAL) == d("2025-05-06")


def test_five_working_days_over_national_day_2026() -> None:
    # Wed 2026-09-30 not counted; 10-01..07 off; 10-08,09 = 2, Sat 10-10 (调休) = 3, 10-12 = 4, 10-13 = 5.
    assert REPORT_UP.due(d("2026-09-30"), CAL) == d("2026-10-13")


def test_working_day_rule_ignores_roll_flag() -> None:
    # A working-day count always ends on a working day; roll_to_workday changes nothing (09-26 -> 10-23).
    r = rule(Clock.WORKING_DAYS, 15, roll_to_workday=True)
    assert r.due(d("2025-09-26"), CAL) == d("2025-10-23")


# ---------------------------------------------------------------------------------------- calendar days


def test_fifteen_calendar_days_on_a_holiday_rolls_to_next_working_day() -> None:
    # 09-16 + 15 days = Wed 10-01 (National Day); 10-01..08 off -> first working day Thu 2025-10-09.
    assert PETITION_ACCEPTANCE.due(d("2025-09-16"), CAL) == d("2025-10-09")


def test_fifteen_calendar_days_on_a_holiday_without_roll_stays() -> None:
    # Same count without roll: the last day is the holiday itself, Wed 2025-10-01.
    r = rule(Clock.CALENDAR_DAYS, 15, roll_to_workday=False)
    assert r.due(d("2025-09-16"), CAL) == d("2025-10-01")


def test_fifteen_calendar_days_on_a_plain_weekend_rolls_to_monday() -> None:
    # 09-05 + 15 = Sat 09-20, an ordinary weekend -> Mon 2025-09-22.
    assert PETITION_ACCEPTANCE.due(d("2025-09-05"), CAL) == d("2025-09-22")


def test_fifteen_calendar_days_on_a_makeup_sunday_does_not_roll() -> None:
    # 09-13 + 15 = Sun 09-28, a 调休 working day -> stays 2025-09-28.
    assert PETITION_ACCEPTANCE.due(d("2025-09-13"), CAL) == d("2025-09-28")


def test_fifteen_calendar_days_on_dragon_boat_rolls() -> None:
    # 05-16 + 15 = Sat 05-31; Dragon Boat 05-31..06-02 off -> Tue 2025-06-03.
    assert PETITION_ACCEPTANCE.due(d("2025-05-16"), CAL) == d("2025-06-03")


def test_fifteen_calendar_days_on_mid_autumn_2026_rolls() -> None:
    # 2026-09-10 + 15 = Fri 09-25 (Mid-Autumn 09-25..27 off) -> Mon 2026-09-28.
    assert PETITION_ACCEPTANCE.due(d("2026-09-10"), CAL) == d("2026-09-28")


def test_calendar_days_count_start_day_is_one_day_earlier() -> None:
    # Counting 09-17 as day 1, day 15 is 10-01 (holiday) -> rolls to 2025-10-09; without roll 2025-10-01.
    assert rule(Clock.CALENDAR_DAYS, 15, count_start_day=True, roll_to_workday=True).due(
        d("2025-09-17"), CAL
    ) == d("2025-10-09")
    assert rule(Clock.CALENDAR_DAYS, 15, count_start_day=True).due(d("2025-09-17"), CAL) == d("2025-10-01")


# ---------------------------------------------------------------------------------------- months


def test_one_month_from_january_31_clamps_to_february_28() -> None:
    # 2025 is not a leap year: 01-31 + 1 month -> 02-28 (Fri, a working day, so no roll).
    assert DISPOSAL_PLAN.due(d("2025-01-31"), CAL) == d("2025-02-28")
    assert rule(Clock.MONTHS, 1).due(d("2025-01-31"), CAL) == d("2025-02-28")


def test_one_month_landing_on_national_day_rolls() -> None:
    # 09-08 + 1 month = Wed 10-08, the last National Day holiday -> Thu 2025-10-09.
    assert DISPOSAL_PLAN.due(d("2025-09-08"), CAL) == d("2025-10-09")
    assert rule(Clock.MONTHS, 1, roll_to_workday=False).due(d("2025-09-08"), CAL) == d("2025-10-08")


def test_one_month_landing_in_spring_festival_rolls() -> None:
    # 2024-12-28 + 1 month = Tue 2025-01-28 (Spring Festival 01-28..02-04) -> Wed 2025-02-05.
    assert DISPOSAL_PLAN.due(d("2024-12-28"), CAL) == d("2025-02-05")


def test_one_month_from_leap_year_january_31() -> None:
    # 2024 is a leap year: 01-31 + 1 month -> Thu 2024-02-29, a working day.
    assert DISPOSAL_PLAN.due(d("2024-01-31"), CAL) == d("2024-02-29")


# ---------------------------------------------------------------------------------------- extension


def test_sixty_days_plus_thirty_day_extension() -> None:
    # 08-01 + 60 = Tue 09-30 (working day); extended: 09-30 + 30 = Thu 2025-10-30 (working day).
    assert PETITION_CLOSE.due(d("2025-08-01"), CAL) == d("2025-09-30")
    assert PETITION_CLOSE.due(d("2025-08-01"), CAL, extended=True) == d("2025-10-30")


def test_extension_ending_on_a_holiday_rolls() -> None:
    # 07-03 + 60 = Mon 09-01; extended: 09-01 + 30 = Wed 10-01 (National Day) -> Thu 2025-10-09.
    assert PETITION_CLOSE.due(d("2025-07-03"), CAL) == d("2025-09-01")
    assert PETITION_CLOSE.due(d("2025-07-03"), CAL, extended=True) == d("2025-10-09")


def test_an_extension_lengthens_the_limit_itself() -> None:
    # 信访工作条例 第三十四条: 60日内办结, 延长不得超过30日 — the 60 days become at most 90 from the start.
    # 08-03 + 60 = 10-02 (holiday) rolls to 10-09; extended, 08-03 + 90 = Sat 11-01 rolls to Mon 11-03.
    # Counting the 30 days on from the rolled 10-09 (11-08 -> 11-10) would give a week the rule never gave.
    assert PETITION_CLOSE.due(d("2025-08-03"), CAL) == d("2025-10-09")
    assert PETITION_CLOSE.due(d("2025-08-03"), CAL, extended=True) == d("2025-11-03")
    assert PETITION_CLOSE.due(d("2025-08-05"), CAL, extended=True) == d("2025-11-03")


def test_extended_without_extension_raises_rule_error() -> None:
    with pytest.raises(RuleError, match="acceptance_notice"):
        ACCEPTANCE_NOTICE.due(d("2025-09-26"), CAL, extended=True)
    with pytest.raises(RuleError):
        rule(Clock.CALENDAR_DAYS, 15).due(d("2025-09-16"), CAL, extended=True)


def test_extended_false_is_the_default() -> None:
    assert PETITION_CLOSE.due(d("2025-08-01"), CAL, extended=False) == PETITION_CLOSE.due(
        d("2025-08-01"), CAL
    )


# ---------------------------------------------------------------------------------------- Applies


def _match(
    applies: Applies,
    *,
    category: Category = Category.ACCUSATION,
    flags: Iterable[Flag] = (),
    action: RouteAction = RouteAction.SELF,
    channel: Channel = Channel.LETTER,
) -> bool:
    return applies.matches(category=category, flags=flags, action=action, channel=channel)


def test_applies_default_matches_everything() -> None:
    a = Applies()
    for cat in Category:
        for act in RouteAction:
            for ch in Channel:
                assert _match(a, category=cat, action=act, channel=ch, flags=tuple(Flag))


def test_applies_category() -> None:
    a = ACCEPTANCE_NOTICE.applies
    assert _match(a, category=Category.ACCUSATION, flags=(Flag.REAL_NAME,))
    assert not _match(a, category=Category.APPEAL, flags=(Flag.REAL_NAME,))
    b = PETITION_CLOSE.applies
    assert _match(b, category=Category.OUT_OF_SCOPE, action=RouteAction.TRANSFER)
    assert not _match(b, category=Category.OUT_OF_SCOPE, action=RouteAction.ADVISE)
    assert not _match(b, category=Category.ACCUSATION, action=RouteAction.TRANSFER)


def test_applies_empty_category_set_matches_nothing() -> None:
    a = LOCAL_CONSULTATION.applies
    for cat in Category:
        for act in RouteAction:
            for ch in Channel:
                assert not _match(a, category=cat, action=act, channel=ch, flags=(Flag.REAL_NAME,))


def test_applies_flags_all() -> None:
    a = ACCEPTANCE_NOTICE.applies
    assert not _match(a, flags=())
    assert not _match(a, flags=(Flag.ANONYMOUS,))
    assert _match(a, flags=(Flag.REAL_NAME,))
    two = Applies(flags_all=frozenset({Flag.REAL_NAME, Flag.REPEAT}))
    assert not _match(two, flags=(Flag.REAL_NAME,))
    assert _match(two, flags=(Flag.REPEAT, Flag.REAL_NAME))


def test_applies_flags_none() -> None:
    a = ACCEPTANCE_NOTICE.applies
    assert not _match(a, flags=(Flag.REAL_NAME, Flag.REPEAT))
    assert not _match(a, flags=(Flag.REAL_NAME, Flag.NO_SUBSTANCE))
    assert not _match(a, flags=(Flag.REAL_NAME, Flag.IMPERSONATION))
    assert _match(a, flags=(Flag.REAL_NAME, Flag.ANONYMOUS))  # not in flags_none


def test_applies_flags_accepts_any_iterable() -> None:
    a = ACCEPTANCE_NOTICE.applies
    assert _match(a, flags=iter([Flag.REAL_NAME]))
    assert a.matches(
        category=Category.ACCUSATION, flags=[Flag.REAL_NAME], action=RouteAction.SELF, channel=Channel.VISIT
    )


def test_applies_action() -> None:
    a = REPORT_UP.applies
    assert _match(a, action=RouteAction.REPORT_UP, category=Category.SUGGESTION)
    for act in RouteAction:
        if act is not RouteAction.REPORT_UP:
            assert not _match(a, action=act)
    b = DISPOSAL_PLAN.applies
    assert _match(b, action=RouteAction.SELF)
    assert not _match(b, action=RouteAction.ASSIGN)
    assert not _match(b, action=RouteAction.SELF, flags=(Flag.REPEAT,))


def test_applies_channel() -> None:
    a = FORWARDED.applies
    assert _match(a, channel=Channel.FORWARDED)
    for ch in Channel:
        if ch is not Channel.FORWARDED:
            assert not _match(a, channel=ch)


def test_applies_empty_action_and_channel_sets_match_nothing() -> None:
    assert not _match(Applies(action=frozenset()))
    assert not _match(Applies(channel=frozenset()))


# ---------------------------------------------------------------------------------------- describe / label


def test_describe_zh_working_days() -> None:
    text = ACCEPTANCE_NOTICE.describe("zh")
    assert SOURCE_2020 in text
    assert "15个工作日" in text
    assert "收到之日" in text
    assert "实名检举控告受理情况告知" in text


def test_describe_en_working_days() -> None:
    text = ACCEPTANCE_NOTICE.describe("en")
    assert SOURCE_2020 in text
    assert "15 working days" in text
    assert "receipt" in text
    assert "Tell a real-name reporter whether accepted" in text


def test_describe_calendar_days_and_months() -> None:
    assert "15日" in PETITION_ACCEPTANCE.describe("zh")
    assert SOURCE_2022 in PETITION_ACCEPTANCE.describe("zh")
    assert "15 calendar days" in PETITION_ACCEPTANCE.describe("en")
    assert "1个月" in DISPOSAL_PLAN.describe("zh")
    assert "60日" in PETITION_CLOSE.describe("zh") and "转送)之日" in PETITION_CLOSE.describe("zh")
    assert "60" in PETITION_CLOSE.describe("en") and "referral" in PETITION_CLOSE.describe("en")
    assert SOURCE_2019 in DISPOSAL_PLAN.describe("en")


def test_describe_default_language_is_zh() -> None:
    assert ACCEPTANCE_NOTICE.describe() == ACCEPTANCE_NOTICE.describe("zh")
    assert ACCEPTANCE_NOTICE.describe("fr") == ACCEPTANCE_NOTICE.describe("zh")


def test_label() -> None:
    assert REPORT_UP.label() == "报送上级"
    assert REPORT_UP.label("en") == "Send up to the level above"


# ---------------------------------------------------------------------------------------- due_array, examples


def test_due_array_examples_match_hand_counts() -> None:
    starts = [d("2025-09-26"), d("2025-10-01"), d("2025-01-27")]
    got = as_dates(ACCEPTANCE_NOTICE.due_array(starts, CAL))
    # 09-26 -> 10-23 (above); 10-01 -> 10-28 (above);
    # 01-27: 02-05,06,07,08(Sat 调休) = 4; 02-10..14 = 9; 02-17..21 = 14; 02-24 = 15 -> 2025-02-24.
    assert got == [d("2025-10-23"), d("2025-10-28"), d("2025-02-24")]
    assert ACCEPTANCE_NOTICE.due(d("2025-01-27"), CAL) == d("2025-02-24")


def test_due_array_rolls_calendar_days_and_months() -> None:
    # 09-16 + 15 = 10-01 -> 10-09; 09-05 + 15 = Sat 09-20 -> 09-22; 09-13 + 15 = Sun 09-28 (调休) stays.
    got = as_dates(PETITION_ACCEPTANCE.due_array([d("2025-09-16"), d("2025-09-05"), d("2025-09-13")], CAL))
    assert got == [d("2025-10-09"), d("2025-09-22"), d("2025-09-28")]
    # 01-31 + 1 month = 02-28; 09-08 + 1 month = 10-08 (holiday) -> 10-09.
    got = as_dates(DISPOSAL_PLAN.due_array([d("2025-01-31"), d("2025-09-08")], CAL))
    assert got == [d("2025-02-28"), d("2025-10-09")]


def test_due_array_accepts_datetime64_and_returns_day_unit() -> None:
    starts = np.array(["2025-09-26", "2025-09-30"], dtype="datetime64[D]")
    out = REPORT_UP.due_array(starts, CAL)
    assert out.dtype == np.dtype("datetime64[D]")
    # 09-26 + 5 wd: 09-28, 29, 30, 10-09, 10-10 -> 10-10; 09-30 -> 10-14 (above).
    assert as_dates(out) == [d("2025-10-10"), d("2025-10-14")]


def test_due_array_empty() -> None:
    for r in (ACCEPTANCE_NOTICE, PETITION_ACCEPTANCE, DISPOSAL_PLAN):
        assert len(r.due_array([], CAL)) == 0


# ---------------------------------------------------------------------------------------- properties

STARTS = st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 6, 30))
START_LISTS = st.lists(STARTS, min_size=1, max_size=25)
# Amounts kept small enough that every due date stays inside the library's last year (2026).
AMOUNTS = {Clock.WORKING_DAYS: (1, 60), Clock.CALENDAR_DAYS: (1, 90), Clock.MONTHS: (1, 3)}


@st.composite
def rules(draw: st.DrawFn, clocks: tuple[Clock, ...] = tuple(Clock)) -> DeadlineRule:
    clock = draw(st.sampled_from(clocks))
    lo, hi = AMOUNTS[clock]
    return rule(
        clock,
        draw(st.integers(min_value=lo, max_value=hi)),
        count_start_day=draw(st.booleans()),
        roll_to_workday=draw(st.booleans()),
    )


@pytest.mark.parametrize("clock", list(Clock))
@pytest.mark.parametrize("count_start_day", [False, True])
@pytest.mark.parametrize("roll", [False, True])
@given(starts=START_LISTS, amount=st.integers(min_value=0, max_value=60))
def test_due_array_equals_scalar_due(
    clock: Clock, count_start_day: bool, roll: bool, starts: list[date], amount: int
) -> None:
    if clock is Clock.MONTHS:
        amount = amount % 4
    r = rule(clock, amount, count_start_day=count_start_day, roll_to_workday=roll)
    assert as_dates(r.due_array(starts, CAL)) == [r.due(s, CAL) for s in starts]


@given(r=rules(clocks=(Clock.WORKING_DAYS,)), start=STARTS)
def test_working_day_dues_are_working_days(r: DeadlineRule, start: date) -> None:
    assert CAL.is_workday(r.due(start, CAL))


@given(r=rules(clocks=(Clock.CALENDAR_DAYS, Clock.MONTHS)), start=STARTS)
def test_rolled_dues_are_working_days(r: DeadlineRule, start: date) -> None:
    due = r.due(start, CAL)
    if r.roll_to_workday:
        assert CAL.is_workday(due)
        # ... and the roll only moves forward past days off.
        unrolled = rule(r.clock, r.amount, count_start_day=r.count_start_day).due(start, CAL)
        assert unrolled <= due
        assert all(not CAL.is_workday(unrolled + timedelta(days=k)) for k in range((due - unrolled).days))


@given(r=rules(), start=STARTS)
def test_due_is_not_before_start(r: DeadlineRule, start: date) -> None:
    assert r.due(start, CAL) >= start


@given(r=rules(clocks=(Clock.WORKING_DAYS,)), start=STARTS)
def test_working_days_between_start_and_due_is_the_amount(r: DeadlineRule, start: date) -> None:
    # Receipt day not counted: exactly ``amount`` working days lie in (start, due]; counting a working
    # start day makes it one fewer.
    counted = 1 if r.count_start_day and CAL.is_workday(start) else 0
    assert CAL.working_days_between(start, r.due(start, CAL)) == r.amount - counted


@given(
    start=STARTS, amount=st.integers(min_value=1, max_value=60), ext=st.integers(min_value=1, max_value=60)
)
def test_extended_due_is_not_before_due(start: date, amount: int, ext: int) -> None:
    r = rule(
        Clock.CALENDAR_DAYS,
        amount,
        roll_to_workday=True,
        extension=Extension(clock=Clock.CALENDAR_DAYS, amount=ext, needs="延期审批"),
    )
    base = r.due(start, CAL)
    extended = r.due(start, CAL, extended=True)
    assert extended >= base
    assert extended >= start + timedelta(days=amount + ext)
    assert CAL.is_workday(extended)


# A receipt at 2025-09-26 01:00 Beijing time counts from 2025-09-26, not from its UTC date.
def test_due_array_keeps_wall_date_of_tz_aware_starts() -> None:
    import pandas as pd

    starts = pd.Series(pd.to_datetime(["2025-09-26 01:00"])).dt.tz_localize("Asia/Shanghai")
    # 15 working days from Fri 2025-09-26 (local date) = Thu 2025-10-23, as in the scalar tests above.
    assert ACCEPTANCE_NOTICE.due(starts[0], CAL) == d("2025-10-23")
    assert as_dates(CAL.add_working_days_array(starts, 15)) == [d("2025-10-23")]
    assert as_dates(ACCEPTANCE_NOTICE.due_array(starts, CAL)) == [d("2025-10-23")]


def test_the_default_pack_loads_the_rules_written_out_here(pack: Pack) -> None:
    """The loader maps rules.yaml onto DeadlineRule field by field (notes aside)."""
    for expected in (
        ACCEPTANCE_NOTICE,
        REPORT_UP,
        FORWARDED,
        DISPOSAL_PLAN,
        PETITION_ACCEPTANCE,
        PETITION_CLOSE,
    ):
        loaded = pack.rules.deadline(expected.code)
        assert replace(loaded, note="", source=expected.source) == expected
        assert expected.source in loaded.source
    articles = {
        "report_up": "第十五条第一款",
        "forwarded_disposition": "第十六条第二款",
        "disposal_plan": "第二十一条第二款",
        "petition_acceptance_notice": "第二十三条第三款",
        "acceptance_notice": "unverified",
    }
    for code, article in articles.items():
        assert article in pack.rules.deadline(code).source, code
