"""Tests for toolkit.rules.calendar: working-day arithmetic on the Chinese holiday schedule.

Facts checked against the State Council holiday notices:

* National Day / Mid-Autumn 2025: 2025-10-01..10-08 off; Sun 2025-09-28 and Sat 2025-10-11 are working days.
* Spring Festival 2025: 2025-01-28..02-04 off; Sun 2025-01-26 and Sat 2025-02-08 are working days.
* National Day 2026: 2026-10-01..10-07 off; Sat 2026-10-10 is a working day.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from datetime import date, datetime, timedelta

import chinese_calendar
import numpy as np
import pandas as pd
import pytest
from chinese_calendar import constants
from hypothesis import given
from hypothesis import strategies as st

from toolkit.errors import CalendarError, CalendarRangeError
from toolkit.rules.calendar import WorkCalendar, YearSchedule

CAL = WorkCalendar()
LIBRARY_YEARS = tuple(range(2004, 2027))

# Hypothesis ranges from the brief: starts in the library years, counts up to 60.
DATES = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 10, 31))
COUNTS = st.integers(min_value=0, max_value=60)
SIGNED_COUNTS = st.integers(min_value=-60, max_value=60)

# INVENTED for these tests only: NOT the published 2027 schedule (which did not exist when this was written).
INVENTED_2027 = YearSchedule(
    year=2027,
    holidays=frozenset(
        [date(2027, 1, 1)]  # Fri
        + [date(2027, 2, 5) + timedelta(days=k) for k in range(7)]  # Fri 02-05 .. Thu 02-11 (weekend: no-op)
    ),
    workdays=frozenset([date(2027, 2, 13)]),  # Sat, invented make-up day
    source="invented for tests",
)


def oracle_add(start: date, n: int) -> date:
    """Independent reference: step day by day with the library (NotImplementedError = no data)."""
    step = 1 if n > 0 else -1
    cur, left = start, abs(n)
    while left:
        cur += timedelta(days=step)
        if chinese_calendar.is_workday(cur):
            left -= 1
    return cur


def d(s: str) -> date:
    return date.fromisoformat(s)


# --------------------------------------------------------------------------- library data facts


def test_library_data_shape_assumptions() -> None:
    """What the module relies on: holidays include weekend days of holiday weeks (harmless),
    make-up workdays are all weekend days, and the two never overlap."""
    assert any(x.weekday() >= 5 for x in constants.holidays)
    assert all(x.weekday() >= 5 for x in constants.workdays)
    assert not set(constants.holidays) & set(constants.workdays)
    assert {x.year for x in constants.holidays} == set(LIBRARY_YEARS)


def test_years_and_covers() -> None:
    assert CAL.years == LIBRARY_YEARS
    assert CAL.covers(d("2004-01-01"))
    assert CAL.covers(d("2026-12-31"))
    assert not CAL.covers(d("2003-12-31"))
    assert not CAL.covers(d("2027-01-01"))
    assert "2004–2026" in repr(CAL)


# --------------------------------------------------------------------------- published 2025 / 2026 facts


@pytest.mark.parametrize("day", [d("2025-10-01") + timedelta(days=k) for k in range(8)])
def test_national_day_2025_is_off(day: date) -> None:
    assert not CAL.is_workday(day)


@pytest.mark.parametrize("day", [d("2025-01-28") + timedelta(days=k) for k in range(8)])
def test_spring_festival_2025_is_off(day: date) -> None:
    assert not CAL.is_workday(day)


@pytest.mark.parametrize("day", ["2025-09-28", "2025-10-11", "2025-01-26", "2025-02-08", "2026-10-10"])
def test_make_up_weekend_days_are_working(day: str) -> None:
    assert d(day).weekday() >= 5
    assert CAL.is_workday(d(day))


def test_ordinary_days() -> None:
    assert CAL.is_workday(d("2025-10-09"))  # Thu after the holiday
    assert not CAL.is_workday(d("2025-10-12"))  # ordinary Sunday
    assert not CAL.is_workday(d("2025-09-27"))  # ordinary Saturday


def test_2026_data_present() -> None:
    assert not CAL.is_workday(d("2026-10-01"))
    assert not CAL.is_workday(d("2026-10-07"))
    assert CAL.is_workday(d("2026-10-08"))
    assert not CAL.is_workday(d("2026-02-16"))  # Spring Festival 2026


def test_add_working_days_across_national_day_2025() -> None:
    assert CAL.add_working_days(d("2025-09-26"), 1) == d("2025-09-28")  # the make-up Sunday
    assert CAL.add_working_days(d("2025-09-30"), 1) == d("2025-10-09")
    assert CAL.add_working_days(d("2025-10-09"), -1) == d("2025-09-30")
    assert CAL.add_working_days(d("2025-09-29"), -1) == d("2025-09-28")


def test_fifteen_working_days_across_national_day_2025() -> None:
    # Received Fri 2025-09-26; the day of receipt is not counted.
    #  1 Sun 09-28 (make-up)   2 Mon 09-29   3 Tue 09-30   [10-01..10-08 off]
    #  4 Thu 10-09   5 Fri 10-10   6 Sat 10-11 (make-up)   [Sun 10-12 off]
    #  7 Mon 10-13   8 Tue 10-14   9 Wed 10-15  10 Thu 10-16  11 Fri 10-17   [weekend]
    # 12 Mon 10-20  13 Tue 10-21  14 Wed 10-22  15 Thu 10-23
    start = d("2025-09-26")
    assert CAL.add_working_days(start, 15) == d("2025-10-23")
    assert CAL.working_days_between(start, d("2025-10-23")) == 15
    assert CAL.working_days_between(start, d("2025-10-22")) == 14
    assert CAL.working_days_between(d("2025-10-23"), start) == -15
    assert CAL.calendar_days_between(start, d("2025-10-23")) == 27


def test_spring_festival_2025_arithmetic() -> None:
    # Fri 2025-01-24 -> Sun 01-26 (make-up), Mon 01-27, [01-28..02-04 off], Wed 02-05
    assert CAL.add_working_days(d("2025-01-24"), 1) == d("2025-01-26")
    assert CAL.add_working_days(d("2025-01-24"), 3) == d("2025-02-05")
    assert CAL.working_days_between(d("2025-01-27"), d("2025-02-04")) == 0
    # Fri 02-07 -> Sat 02-08 (make-up)
    assert CAL.add_working_days(d("2025-02-07"), 1) == d("2025-02-08")


def test_add_working_days_zero_and_start_not_counted() -> None:
    assert CAL.add_working_days(d("2025-10-03"), 0) == d("2025-10-03")  # a holiday, returned as is
    assert CAL.add_working_days(d("2025-10-03"), 1) == d("2025-10-09")
    # a working start is not counted either
    assert CAL.add_working_days(d("2025-10-09"), 1) == d("2025-10-10")


def test_next_workday() -> None:
    assert CAL.next_workday(d("2025-10-01")) == d("2025-10-09")
    assert CAL.next_workday(d("2025-10-09")) == d("2025-10-09")
    assert CAL.next_workday(d("2025-09-27")) == d("2025-09-28")


def test_next_workday_on_last_working_day_of_2026() -> None:
    assert CAL.next_workday(d("2026-12-31")) == d("2026-12-31")  # a Thursday
    with pytest.raises(CalendarRangeError, match="2027"):
        CAL.next_workday(d("2027-01-01"))


def test_datetime_inputs_use_the_calendar_date() -> None:
    assert CAL.is_workday(datetime(2025, 9, 28, 23, 59))
    assert CAL.add_working_days(datetime(2025, 9, 30, 18, 0), 1) == d("2025-10-09")
    assert type(CAL.add_working_days(datetime(2025, 9, 30, 18, 0), 0)) is date


# --------------------------------------------------------------------------- range errors


def test_2027_raises_naming_the_year() -> None:
    with pytest.raises(CalendarRangeError, match=r"2027-01-04 .*2004–2026.*2027 schedule"):
        CAL.is_workday(d("2027-01-04"))


def test_before_2004_raises() -> None:
    with pytest.raises(CalendarRangeError, match="2003"):
        CAL.is_workday(d("2003-12-31"))
    with pytest.raises(CalendarRangeError, match="2003"):
        CAL.add_working_days(d("2004-01-05"), -10)


def test_range_error_is_a_calendar_error() -> None:
    assert issubclass(CalendarRangeError, CalendarError)


def test_adding_into_2027_raises() -> None:
    with pytest.raises(CalendarRangeError, match=r"2026-12-20.*2027"):
        CAL.add_working_days(d("2026-12-20"), 15)
    with pytest.raises(CalendarRangeError, match="2027"):
        CAL.working_days_between(d("2026-12-20"), d("2027-01-10"))
    with pytest.raises(CalendarRangeError, match="2027"):
        CAL.add_working_days(d("2027-01-10"), 0)  # even n == 0 needs a covered start


def test_gap_year_is_never_jumped() -> None:
    # Covered: 2004–2026 and 2028 (invented), so 2027 is a gap.
    invented_2028 = YearSchedule(2028, frozenset([date(2028, 1, 3)]), frozenset(), "invented for tests")
    cal = WorkCalendar([invented_2028])
    assert cal.years == LIBRARY_YEARS + (2028,)
    assert "2004–2026, 2028" in repr(cal)
    assert not cal.is_workday(date(2028, 1, 3))
    assert cal.is_workday(date(2028, 1, 4))
    with pytest.raises(CalendarRangeError, match="2027"):
        cal.add_working_days(d("2026-12-20"), 15)  # would land in January 2028 through the gap
    with pytest.raises(CalendarRangeError, match="2027"):
        cal.add_working_days(d("2028-01-05"), -5)
    with pytest.raises(CalendarRangeError, match="2027"):
        cal.working_days_between(d("2026-12-01"), d("2028-01-10"))
    with pytest.raises(CalendarRangeError, match="2027"):
        cal.is_workday(d("2027-06-01"))
    with pytest.raises(CalendarRangeError, match=r"row 1: .*2027"):
        cal.add_working_days_array(np.array(["2026-06-01", "2026-12-20"], dtype="datetime64[D]"), 15)
    with pytest.raises(CalendarRangeError, match=r"row 0: .*2027"):
        cal.working_days_between_array([d("2026-12-01")], [d("2028-01-10")])
    # within one side of the gap everything works
    assert cal.add_working_days(d("2028-01-03"), 1) == d("2028-01-04")
    assert cal.working_days_between(d("2026-12-30"), d("2026-12-31")) == 1


# --------------------------------------------------------------------------- extra years


def test_invented_2027_makes_2027_work() -> None:
    cal = WorkCalendar([INVENTED_2027])
    assert cal.years == LIBRARY_YEARS + (2027,)
    assert not cal.is_workday(d("2027-01-01"))
    assert cal.is_workday(d("2027-01-04"))
    assert not cal.is_workday(d("2027-02-08"))
    assert cal.is_workday(d("2027-02-13"))  # invented make-up Saturday
    # Thu 2026-12-31 +1 -> Fri 2027-01-01 is off -> Mon 2027-01-04
    assert cal.add_working_days(d("2026-12-31"), 1) == d("2027-01-04")
    # Thu 2027-02-04 +1 -> 02-05..02-11 off, Fri 02-12, Sat 02-13 (make-up)
    assert cal.add_working_days(d("2027-02-04"), 2) == d("2027-02-13")
    # Mon 01-04..Fri 01-29 = 20, Mon 02-01..Thu 02-04 = 4, Fri 02-12, Sat 02-13 = 2
    assert cal.working_days_between(d("2026-12-31"), d("2027-02-13")) == 26
    with pytest.raises(CalendarRangeError, match="2028"):
        cal.is_workday(d("2028-01-01"))


def test_working_days_between_invented_2027_by_hand() -> None:
    cal = WorkCalendar([INVENTED_2027])
    # Mon 2027-01-04 .. Thu 2027-02-04: 5 weeks minus one day = 24 working days; plus Fri 02-12, Sat 02-13
    assert cal.working_days_between(d("2027-01-03"), d("2027-02-04")) == 24
    assert cal.working_days_between(d("2027-01-03"), d("2027-02-13")) == 26


def test_extra_year_replaces_library_year() -> None:
    # INVENTED replacement for 2025: only 10-01..10-03 off, no make-up days.
    off = frozenset(d(f"2025-10-0{k}") for k in (1, 2, 3))
    replacement = YearSchedule(2025, off, frozenset(), "invented")
    cal = WorkCalendar([replacement])
    assert cal.years == LIBRARY_YEARS
    assert not cal.is_workday(d("2025-09-28"))  # no longer a make-up day
    assert cal.is_workday(d("2025-10-06"))  # no longer a holiday
    assert cal.is_workday(d("2025-01-28"))  # Spring Festival gone too: the whole year was replaced
    assert cal.add_working_days(d("2025-09-30"), 1) == d("2025-10-06")
    # other years unchanged
    assert not cal.is_workday(d("2024-10-01"))
    assert CAL.is_workday(d("2025-09-28"))  # the default calendar is unaffected


def test_holiday_on_weekend_is_a_no_op() -> None:
    sched = YearSchedule(2027, frozenset([d("2027-01-02")]), frozenset(), "invented")  # a Saturday
    cal = WorkCalendar([sched])
    assert not cal.is_workday(d("2027-01-02"))
    assert cal.is_workday(d("2027-01-01"))


@pytest.mark.parametrize(
    ("holidays", "workdays", "message"),
    [
        ([d("2027-02-13")], [d("2027-02-13")], "both as a holiday and as a make-up workday"),
        ([d("2026-12-31")], [], "2026-12-31 is not in 2027"),
        ([], [d("2028-01-01")], "2028-01-01 is not in 2027"),
        ([], [d("2027-01-04")], "make-up workday 2027-01-04 is a Monday"),
        (["2027-01-01"], [], "is not a date"),
    ],
)
def test_bad_extra_year_data_raises(holidays: list[object], workdays: list[object], message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        YearSchedule(2027, frozenset(holidays), frozenset(workdays), "bad")  # type: ignore[arg-type]


def test_bad_year_data_reports_every_problem() -> None:
    with pytest.raises(CalendarError) as info:
        YearSchedule(2027, frozenset([d("2026-12-31")]), frozenset([d("2027-01-04")]), "国务院通知")
    text = str(info.value)
    assert "2027 schedule (国务院通知)" in text
    assert "2026-12-31 is not in 2027" in text and "2027-01-04" in text


def test_duplicate_extra_year_raises() -> None:
    with pytest.raises(CalendarError, match="more than once"):
        WorkCalendar([INVENTED_2027, INVENTED_2027])


def test_immutable() -> None:
    with pytest.raises(AttributeError):
        CAL._wd = np.zeros(1, dtype=np.int64)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        INVENTED_2027.year = 2030  # type: ignore[misc]
    assert isinstance(INVENTED_2027.holidays, frozenset)


# --------------------------------------------------------------------------- calendar days and months


def test_calendar_days() -> None:
    assert WorkCalendar.add_calendar_days(d("2025-09-30"), 30) == d("2025-10-30")
    assert WorkCalendar.add_calendar_days(d("2025-03-01"), -1) == d("2025-02-28")
    assert WorkCalendar.calendar_days_between(d("2025-03-01"), d("2025-02-28")) == -1
    assert WorkCalendar.add_calendar_days(d("2030-01-01"), 1) == d("2030-01-02")  # no holiday data needed


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-03-31", -1, "2025-02-28"),
        ("2025-05-31", 1, "2025-06-30"),
        ("2025-11-30", 3, "2026-02-28"),
        ("2025-01-15", 12, "2026-01-15"),
        ("2025-01-15", -13, "2023-12-15"),
        ("2025-12-31", 0, "2025-12-31"),
    ],
)
def test_add_months_examples(start: str, n: int, expected: str) -> None:
    assert WorkCalendar.add_months(d(start), n) == d(expected)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.integers(-240, 240))
def test_add_months_clamps(start: date, n: int) -> None:
    result = WorkCalendar.add_months(start, n)
    assert result.year * 12 + result.month == start.year * 12 + start.month + n
    last = stdlib_calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last)


# --------------------------------------------------------------------------- properties


@given(DATES)
def test_is_workday_matches_library(day: date) -> None:
    assert CAL.is_workday(day) == chinese_calendar.is_workday(day)


@given(DATES, SIGNED_COUNTS)
def test_add_working_days_matches_brute_force(start: date, n: int) -> None:
    try:
        expected = oracle_add(start, n)
    except NotImplementedError:  # the library has no data for the days needed
        with pytest.raises(CalendarRangeError):
            CAL.add_working_days(start, n)
        return
    assert CAL.add_working_days(start, n) == expected


def _add_or_none(start: date, n: int) -> date | None:
    try:
        return CAL.add_working_days(start, n)
    except CalendarRangeError:
        return None


@given(DATES, COUNTS)
def test_adding_then_counting_is_inverse(start: date, n: int) -> None:
    end = _add_or_none(start, n)
    if end is None:  # only near the end of 2026 (checked by the brute-force test)
        assert start >= d("2026-09-01")
        return
    assert CAL.working_days_between(start, end) == n
    assert CAL.working_days_between(end, start) == -n


@given(DATES, st.integers(min_value=-60, max_value=-1))
def test_backward_inverse_from_a_working_day(start: date, n: int) -> None:
    start = CAL.next_workday(start)
    end = _add_or_none(start, n)
    if end is None:
        assert start < d("2004-04-15")
        return
    assert CAL.working_days_between(start, end) == n


@given(DATES, DATES)
def test_counting_then_adding_is_inverse(a: date, b: date) -> None:
    start, end = min(a, b), max(a, b)
    k = CAL.working_days_between(start, end)
    assert k >= 0
    assert CAL.working_days_between(end, start) == -k
    landed = CAL.add_working_days(start, k)
    assert start <= landed <= end
    if CAL.is_workday(end) and end > start:
        assert landed == end
    if k > 0:
        # landed is the last working day on or before end
        assert CAL.is_workday(landed)
        assert CAL.working_days_between(landed, end) == 0


@given(DATES, st.integers(min_value=1, max_value=60))
def test_result_is_a_working_day_never_a_holiday(start: date, n: int) -> None:
    end = _add_or_none(start, n)
    if end is None:
        return
    assert end > start
    assert end not in constants.holidays
    assert CAL.is_workday(end)
    assert end.weekday() < 5 or end in constants.workdays


@given(st.sampled_from(sorted(constants.workdays)))
def test_every_library_make_up_day_is_working(day: date) -> None:
    assert CAL.is_workday(day)


def test_every_library_make_up_day_is_working_exhaustive() -> None:
    assert CAL.is_workday_array(sorted(constants.workdays)).all()
    weekday_holidays = sorted(x for x in constants.holidays if x.weekday() < 5)
    assert not CAL.is_workday_array(weekday_holidays).any()


@given(DATES, DATES)
def test_working_days_between_is_antisymmetric_and_additive(a: date, b: date) -> None:
    mid = a + (b - a) // 2
    assert CAL.working_days_between(a, b) == -CAL.working_days_between(b, a)
    via_mid = CAL.working_days_between(a, mid) + CAL.working_days_between(mid, b)
    assert CAL.working_days_between(a, b) == via_mid


# --------------------------------------------------------------------------- vectorised forms

# starts end at 2026-09-30 so that 60 working days still fit in 2026
SAFE_STARTS = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 9, 30))
ROWS = st.lists(st.tuples(SAFE_STARTS, COUNTS), max_size=40)


@given(ROWS)
def test_vectorised_equals_scalar(rows: list[tuple[date, int]]) -> None:
    starts = [s for s, _ in rows]
    counts = [n for _, n in rows]
    got = CAL.add_working_days_array(starts, np.array(counts, dtype=np.int64))
    assert got.dtype == np.dtype("datetime64[D]")
    assert [x.astype(date) for x in got] == [CAL.add_working_days(s, n) for s, n in rows]
    ends = [x.astype(date) for x in got]
    between = CAL.working_days_between_array(starts, ends)
    assert between.dtype == np.int64
    assert between.tolist() == counts
    assert CAL.is_workday_array(starts).tolist() == [CAL.is_workday(s) for s in starts]


@given(ROWS, COUNTS)
def test_vectorised_pandas_series_with_scalar_n(rows: list[tuple[date, int]], n: int) -> None:
    # timestamps with a time of day: normalised to the calendar date
    series = pd.Series(pd.to_datetime([datetime(s.year, s.month, s.day, 17, 45) for s, _ in rows]))
    got = CAL.add_working_days_array(series, n)
    assert [x.astype(date) for x in got] == [CAL.add_working_days(s, n) for s, _ in rows]
    assert CAL.is_workday_array(series).tolist() == [CAL.is_workday(s) for s, _ in rows]


@given(ROWS)
def test_vectorised_pandas_per_row_n_and_between(rows: list[tuple[date, int]]) -> None:
    frame = pd.DataFrame({"received": [s for s, _ in rows], "n": [n for _, n in rows]}, dtype=object)
    got = CAL.add_working_days_array(frame["received"], frame["n"].astype("int64"))
    expected = [CAL.add_working_days(s, n) for s, n in rows]
    assert [x.astype(date) for x in got] == expected
    index = pd.DatetimeIndex(pd.to_datetime(pd.Series(got, dtype="datetime64[s]")))
    assert CAL.working_days_between_array(frame["received"], index).tolist() == frame["n"].tolist()


@given(st.lists(st.tuples(DATES, DATES), max_size=40))
def test_vectorised_between_equals_scalar(pairs: list[tuple[date, date]]) -> None:
    starts = np.array([a for a, _ in pairs], dtype="datetime64[D]")
    ends = np.array([b for _, b in pairs], dtype="datetime64[D]")
    assert CAL.working_days_between_array(starts, ends).tolist() == [
        CAL.working_days_between(a, b) for a, b in pairs
    ]


def test_vectorised_negative_and_mixed_counts() -> None:
    starts = [d("2025-10-09"), d("2025-10-04"), d("2025-09-26"), d("2025-10-03")]
    counts = np.array([-1, -1, 15, 0])
    got = CAL.add_working_days_array(starts, counts)
    assert got.tolist() == [d("2025-09-30"), d("2025-09-30"), d("2025-10-23"), d("2025-10-03")]


def test_vectorised_tz_aware_uses_local_wall_date() -> None:
    # 2025-10-09 01:00 in Beijing is still 2025-10-08 (a holiday) in UTC; the local date counts.
    stamps = pd.Series(pd.to_datetime(["2025-10-09 01:00"])).dt.tz_localize("Asia/Shanghai")
    assert CAL.is_workday_array(stamps).tolist() == [True]
    assert CAL.is_workday_array(pd.DatetimeIndex(stamps)).tolist() == [True]


def test_vectorised_float_counts_from_pandas() -> None:
    got = CAL.add_working_days_array([d("2025-09-30")], pd.Series([1.0]))
    assert got.tolist() == [d("2025-10-09")]
    with pytest.raises(CalendarError, match="NaN"):
        CAL.add_working_days_array([d("2025-09-30")], pd.Series([float("nan")]))
    with pytest.raises(CalendarError, match="whole number"):
        CAL.add_working_days_array([d("2025-09-30")], [1.5])


def test_vectorised_mixed_sequence_and_far_dates() -> None:
    mixed = [
        d("2025-09-28"),
        np.datetime64("2025-10-01"),
        pd.Timestamp("2025-10-09 08:30"),
        datetime(2025, 10, 12),
    ]
    assert CAL.is_workday_array(mixed).tolist() == [True, False, True, False]
    with pytest.raises(CalendarRangeError, match="row 0"):
        CAL.is_workday_array(np.array(["12000-01-01"], dtype="datetime64[D]"))


def test_vectorised_empty() -> None:
    assert CAL.add_working_days_array([], 3).shape == (0,)
    assert CAL.working_days_between_array([], []).shape == (0,)
    assert CAL.is_workday_array(np.array([], dtype="datetime64[D]")).shape == (0,)


def test_vectorised_range_errors_name_first_offending_row() -> None:
    days = np.array(["2025-01-02", "2027-03-01", "2003-05-05"], dtype="datetime64[D]")
    with pytest.raises(CalendarRangeError, match=r"row 1: 2027-03-01 is outside .*2004–2026"):
        CAL.is_workday_array(days)
    with pytest.raises(CalendarRangeError, match=r"row 2: adding 40 working days to 2026-11-20 .*2027"):
        CAL.add_working_days_array([d("2025-01-02"), d("2026-01-05"), d("2026-11-20")], 40)
    with pytest.raises(CalendarRangeError, match=r"row 0: adding -5 working days to 2004-01-02 .*2003"):
        CAL.add_working_days_array([d("2004-01-02")], -5)
    with pytest.raises(CalendarRangeError, match=r"row 1: .*2027"):
        CAL.working_days_between_array([d("2025-01-02"), d("2026-06-01")], [d("2025-03-01"), d("2027-01-05")])
    with pytest.raises(CalendarRangeError, match="2027"):
        CAL.add_working_days_array([d("2025-01-02")], 10**12)  # absurd counts fail cleanly


def test_nat_inputs_raise_calendar_error() -> None:
    days = np.array(["2025-01-02", "NaT"], dtype="datetime64[D]")
    for call in (
        lambda: CAL.is_workday_array(days),
        lambda: CAL.add_working_days_array(days, 1),
        lambda: CAL.working_days_between_array(days, days),
        lambda: CAL.is_workday_array(pd.Series([d("2025-01-02"), None])),
        lambda: CAL.is_workday_array(pd.Series(pd.to_datetime(["2025-01-02", None]))),
        lambda: CAL.is_workday(pd.NaT),
    ):
        with pytest.raises(CalendarError, match="NaT") as info:
            call()
        assert not isinstance(info.value, CalendarRangeError)


def test_non_dates_rejected() -> None:
    with pytest.raises(TypeError):
        CAL.is_workday_array(np.array([1, 2, 3]))
    with pytest.raises(TypeError):
        CAL.is_workday("2025-01-01")  # type: ignore[arg-type]


def test_two_hundred_thousand_rows() -> None:
    rng = np.random.default_rng(20251001)
    first = np.datetime64("2004-01-01", "D").astype(np.int64)
    last = np.datetime64("2026-09-30", "D").astype(np.int64)
    starts = (rng.integers(first, last + 1, size=200_000)).astype("datetime64[D]")
    counts = rng.integers(0, 61, size=200_000)
    ends = CAL.add_working_days_array(starts, counts)
    assert ends.shape == (200_000,)
    assert (CAL.working_days_between_array(starts, ends) == counts).all()
    moved = counts > 0
    assert CAL.is_workday_array(ends[moved]).all()
    assert (ends[~moved] == starts[~moved]).all()
    for k in rng.choice(200_000, size=300, replace=False):
        assert ends[k].astype(date) == CAL.add_working_days(starts[k].astype(date), int(counts[k]))
