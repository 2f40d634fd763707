"""Working-day (工作日) and calendar-day (日) arithmetic on the Chinese public-holiday schedule.

Deadlines for petitions and reports are counted either in 工作日, where the published public
holidays are days off and the 调休 make-up weekend days are working days, or in 日 (plain
calendar days), or in months. This module does the counting.

Holiday data for 2004–2026 comes from the ``chinese_calendar`` library. A scenario pack can add a
year's published schedule as data (``rules.yaml`` ``calendar_years``); such a year is given to
:class:`WorkCalendar` as a :class:`YearSchedule`, and if the library also knows that year the
pack's data replaces the library's. A date in a year with no data is never guessed at: every
operation that would need it raises :class:`~toolkit.errors.CalendarRangeError`.

All working days of the covered years are precomputed into one sorted array, so every scalar
and vectorised operation is a binary search (:func:`numpy.searchsorted`).

Conventions
-----------
``add_working_days(start, n)`` with ``n > 0`` is the n-th working day strictly after ``start``
(the start day is never counted, whatever it is); ``n < 0`` counts backwards strictly before
``start``; ``n == 0`` is ``start`` itself.

``working_days_between(start, end)`` is the number of working days ``d`` with
``start < d <= end``, and ``-working_days_between(end, start)`` when ``end < start``. Hence
``working_days_between(s, add_working_days(s, n)) == n`` for every ``n >= 0``, and for ``n < 0``
whenever ``s`` is itself a working day (from a day off, the backward count is one short because
the count is antisymmetric: it excludes the earlier end and includes the later one).

Examples
--------
>>> from datetime import date
>>> cal = WorkCalendar()
>>> cal.add_working_days(date(2025, 9, 30), 1)  # National Day 2025: 10-01..10-08 are off
datetime.date(2025, 10, 9)
>>> cal.is_workday(date(2025, 9, 28))  # a Sunday made a working day (调休)
True
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from toolkit.errors import CalendarError, CalendarRangeError

__all__ = ["DatesLike", "IntsLike", "WorkCalendar", "YearSchedule"]

DatesLike: TypeAlias = "npt.ArrayLike | Sequence[date] | Sequence[np.datetime64]"
"""Dates for the vectorised methods: a 1-D ``datetime64`` array (any unit), a pandas
``Series``/``DatetimeIndex`` of dates or timestamps, or a sequence of :class:`datetime.date`."""

IntsLike: TypeAlias = "int | npt.ArrayLike"
"""Day counts for the vectorised methods: one int for every row, or one whole number per row."""

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EPOCH_WEEKDAY = date(1970, 1, 1).weekday()  # Thursday = 3
_MIN_YEAR = 1
_MAX_YEAR = 9999
_FIRST_DAY = date.min.toordinal() - _EPOCH_ORDINAL
_LAST_DAY = date.max.toordinal() - _EPOCH_ORDINAL


def _day_number(d: date) -> int:
    """Days since 1970-01-01 of the calendar date of ``d`` (the wall date for a datetime)."""
    return d.toordinal() - _EPOCH_ORDINAL


def _from_day_number(n: int) -> date:
    return date.fromordinal(n + _EPOCH_ORDINAL)


def _as_date(d: date, what: str = "date") -> date:
    """Return the calendar date of ``d``; reject non-dates and NaT."""
    if not isinstance(d, date):
        raise TypeError(f"{what} must be a datetime.date, not {type(d).__name__}")
    if d != d:  # pandas NaT is a datetime subclass that is not equal to itself
        raise CalendarError(f"{what} is missing (NaT); working-day arithmetic needs a date")
    if isinstance(d, datetime):
        return d.date()
    return d


def _describe_years(years: Sequence[int]) -> str:
    """``(2004, ..., 2026, 2028)`` -> ``"2004–2026, 2028"``."""
    runs: list[str] = []
    i = 0
    while i < len(years):
        j = i
        while j + 1 < len(years) and years[j + 1] == years[j] + 1:
            j += 1
        runs.append(str(years[i]) if i == j else f"{years[i]}–{years[j]}")
        i = j + 1
    return ", ".join(runs)


def _years_of(days: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Calendar year of each day number."""
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """One year's published schedule, added as data.

    Parameters
    ----------
    year
        The calendar year the schedule is for.
    holidays
        Days off that would otherwise be working days. A holiday listed on a Saturday or Sunday
        is allowed and changes nothing (published notices list whole holiday periods).
    workdays
        调休 make-up days: Saturdays or Sundays that are working days.
    source
        Where the schedule was published, e.g. the State Council notice; used in messages.

    Raises
    ------
    CalendarError
        If a date is not in ``year``, a date is both a holiday and a make-up workday, a make-up
        workday falls on a weekday, or a listed value is not a date. All problems are reported
        in one message.
    """

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str = ""

    def __post_init__(self) -> None:
        label = f"{self.year} schedule" + (f" ({self.source})" if self.source else "")
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise CalendarError(f"{label}: year must be a whole number, not {self.year!r}")
        if not _MIN_YEAR <= self.year <= _MAX_YEAR:
            raise CalendarError(f"{label}: year must be between {_MIN_YEAR} and {_MAX_YEAR}")
        problems: list[str] = []
        holidays = self._normalise("holiday", self.holidays, problems)
        workdays = self._normalise("make-up workday", self.workdays, problems)
        for d in sorted(holidays | workdays):
            if d.year != self.year:
                kind = "holiday" if d in holidays else "make-up workday"
                problems.append(f"{kind} {d.isoformat()} is not in {self.year}")
        for d in sorted(holidays & workdays):
            problems.append(f"{d.isoformat()} is listed both as a holiday and as a make-up workday")
        for d in sorted(workdays):
            if d.weekday() < 5:
                problems.append(
                    f"make-up workday {d.isoformat()} is a {d.strftime('%A')}, already a working day; "
                    "make-up workdays (调休) must be Saturdays or Sundays"
                )
        if problems:
            raise CalendarError(f"{label}: " + "; ".join(problems))
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "workdays", workdays)

    @staticmethod
    def _normalise(kind: str, values: Iterable[object], problems: list[str]) -> frozenset[date]:
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            problems.append(f"{kind}s must be a collection of dates, not {type(values).__name__}")
            return frozenset()
        out: set[date] = set()
        for v in values:
            if not isinstance(v, date) or v != v:
                problems.append(f"{kind} {v!r} is not a date")
            else:
                out.add(v.date() if isinstance(v, datetime) else v)
        return frozenset(out)


def _library_schedules() -> list[YearSchedule]:
    """The years the ``chinese_calendar`` library knows, as schedules."""
    import chinese_calendar  # type: ignore[import-untyped]
    from chinese_calendar import constants

    holidays: dict[date, str] = constants.holidays
    workdays: dict[date, str] = constants.workdays
    version = getattr(chinese_calendar, "__version__", "")
    source = f"chinese_calendar {version}".strip()
    first, last = min(holidays).year, max(holidays).year  # the range the library itself accepts
    return [
        YearSchedule(
            year=y,
            holidays=frozenset(d for d in holidays if d.year == y),
            workdays=frozenset(d for d in workdays if d.year == y),
            source=source,
        )
        for y in range(first, last + 1)
    ]


class WorkCalendar:
    """Working-day arithmetic over the years with known holiday schedules.

    Parameters
    ----------
    extra_years
        Published schedules to add, e.g. from a pack's ``rules.yaml`` ``calendar_years``. A year
        the library also covers is replaced by the schedule given here. Covered years need not be
        contiguous; a year in a gap is uncovered.

    Raises
    ------
    CalendarError
        If the same year is given twice in ``extra_years``.

    Notes
    -----
    Instances are immutable. Every method that needs a date in an uncovered year raises
    :class:`~toolkit.errors.CalendarRangeError`, including when the result lies in a covered
    year but the days in between cross an uncovered one.
    """

    __slots__ = ("_years", "_year_set", "_year_lo", "_year_hi", "_gap_prefix", "_wd", "_schedules")

    _years: tuple[int, ...]
    _year_set: frozenset[int]
    _year_lo: int
    _year_hi: int
    _gap_prefix: npt.NDArray[np.int64]
    _wd: npt.NDArray[np.int64]
    _schedules: dict[int, YearSchedule]

    def __init__(self, extra_years: Iterable[YearSchedule] = ()) -> None:
        schedules = {s.year: s for s in _library_schedules()}
        seen: set[int] = set()
        for s in extra_years:
            if not isinstance(s, YearSchedule):
                raise TypeError(f"extra_years must hold YearSchedule objects, not {type(s).__name__}")
            if s.year in seen:
                raise CalendarError(f"the {s.year} schedule is given more than once")
            seen.add(s.year)
            schedules[s.year] = s
        years = tuple(sorted(schedules))
        lo, hi = years[0], years[-1]
        covered = np.zeros(hi - lo + 1, dtype=bool)
        covered[np.asarray(years, dtype=np.int64) - lo] = True
        gap_prefix = np.concatenate(([0], np.cumsum(~covered))).astype(np.int64)
        wd = np.concatenate([self._working_days_of(schedules[y]) for y in years])
        gap_prefix.setflags(write=False)
        wd.setflags(write=False)
        set_ = object.__setattr__
        set_(self, "_years", years)
        set_(self, "_year_set", frozenset(years))
        set_(self, "_year_lo", lo)
        set_(self, "_year_hi", hi)
        set_(self, "_gap_prefix", gap_prefix)
        set_(self, "_wd", wd)
        set_(self, "_schedules", schedules)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        return f"WorkCalendar(years={_describe_years(self._years)})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        return self._years == other._years and self._schedules == other._schedules

    def __hash__(self) -> int:
        return hash(self._years)

    def __reduce__(self) -> tuple[type[WorkCalendar], tuple[tuple[YearSchedule, ...]]]:
        # rebuilt from its schedules (every covered year's, so the library's do not matter)
        return WorkCalendar, (tuple(self._schedules[y] for y in self._years),)

    @staticmethod
    def _working_days_of(s: YearSchedule) -> npt.NDArray[np.int64]:
        first = _day_number(date(s.year, 1, 1))
        last = _day_number(date(s.year, 12, 31))
        days = np.arange(first, last + 1, dtype=np.int64)
        weekday = (days + _EPOCH_WEEKDAY) % 7
        holidays = np.fromiter((_day_number(d) for d in s.holidays), dtype=np.int64, count=len(s.holidays))
        workdays = np.fromiter((_day_number(d) for d in s.workdays), dtype=np.int64, count=len(s.workdays))
        working = ((weekday < 5) & ~np.isin(days, holidays)) | np.isin(days, workdays)
        return days[working]

    # ------------------------------------------------------------------ coverage

    @property
    def years(self) -> tuple[int, ...]:
        """The covered years, sorted."""
        return self._years

    def covers(self, d: date) -> bool:
        """Whether ``d`` lies in a year with holiday data."""
        return _as_date(d).year in self._year_set

    def _first_uncovered(self, a: int, b: int) -> int | None:
        """The first year in ``a..b`` (inclusive, either order) without data, or None."""
        lo, hi = min(a, b), max(a, b)
        for y in range(lo, hi + 1):
            if y not in self._year_set:
                return y
        return None

    def _range_error(self, lead: str, year: int) -> CalendarRangeError:
        """``"<lead> outside the years with holiday data (...); add the <year> schedule ..."``."""
        return CalendarRangeError(
            f"{lead} outside the years with holiday data ({_describe_years(self._years)}); "
            f"add the {year} schedule to the pack's rules.yaml calendar_years"
        )

    def _require(self, d: date) -> None:
        if d.year not in self._year_set:
            raise self._range_error(f"{d.isoformat()} is", d.year)

    def _span_covered(self, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Per row, whether every year from ``min(a, b)`` to ``max(a, b)`` is covered."""
        lo = np.minimum(a, b)
        hi = np.maximum(a, b)
        inside = (lo >= self._year_lo) & (hi <= self._year_hi)
        lo_i = np.clip(lo - self._year_lo, 0, self._year_hi - self._year_lo)
        hi_i = np.clip(hi - self._year_lo, 0, self._year_hi - self._year_lo)
        no_gap = self._gap_prefix[hi_i + 1] - self._gap_prefix[lo_i] == 0
        result: npt.NDArray[np.bool_] = inside & no_gap
        return result

    # ------------------------------------------------------------------ working days, scalar

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day (调休 weekend days are; public holidays are not).

        Raises
        ------
        CalendarRangeError
            If ``d`` is in a year without holiday data.
        """
        d = _as_date(d)
        self._require(d)
        x = _day_number(d)
        i = int(np.searchsorted(self._wd, x, side="left"))
        return i < len(self._wd) and int(self._wd[i]) == x

    def next_workday(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it.

        Raises
        ------
        CalendarRangeError
            If ``d``, or the days up to the next working day, are in a year without data.
        """
        d = _as_date(d)
        self._require(d)
        i = int(np.searchsorted(self._wd, _day_number(d), side="left"))
        gap: int | None
        if i >= len(self._wd):
            gap = self._first_uncovered_after(d.year)
        else:
            result = _from_day_number(int(self._wd[i]))
            gap = self._first_uncovered(d.year, result.year)
            if gap is None:
                return result
        raise self._range_error(
            f"finding the first working day on or after {d.isoformat()} needs dates in {gap}, which is", gap
        )

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (before it if ``n < 0``; ``start`` if ``n == 0``).

        The start day is never counted, whether or not it is a working day.

        Raises
        ------
        CalendarRangeError
            If ``start``, the result, or any day in between is in a year without data.
        """
        start = _as_date(start, "start")
        n = operator.index(n)
        self._require(start)
        if n == 0:
            return start
        x = _day_number(start)
        size = len(self._wd)
        gap: int | None
        if n > 0:
            idx = int(np.searchsorted(self._wd, x, side="right")) + n - 1
            gap = self._first_uncovered_after(start.year) if idx >= size else None
        else:
            idx = int(np.searchsorted(self._wd, x, side="left")) + n
            gap = self._first_uncovered_before(start.year) if idx < 0 else None
        if gap is None:
            result = _from_day_number(int(self._wd[idx]))
            gap = self._first_uncovered(start.year, result.year)
            if gap is None:
                return result
        raise self._range_error(
            f"adding {n} working days to {start.isoformat()} needs dates in {gap}, which is", gap
        )

    def _first_uncovered_after(self, year: int) -> int:
        y = year + 1
        while y in self._year_set:
            y += 1
        return y

    def _first_uncovered_before(self, year: int) -> int:
        y = year - 1
        while y in self._year_set:
            y -= 1
        return y

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days ``d`` with ``start < d <= end``; negative if ``end < start``.

        Raises
        ------
        CalendarRangeError
            If any year from ``start`` to ``end`` has no holiday data.
        """
        start = _as_date(start, "start")
        end = _as_date(end, "end")
        self._require(start)
        self._require(end)
        gap = self._first_uncovered(start.year, end.year)
        if gap is not None:
            raise self._range_error(
                f"counting working days from {start.isoformat()} to {end.isoformat()} "
                f"needs dates in {gap}, which is",
                gap,
            )
        i = np.searchsorted(self._wd, [_day_number(start), _day_number(end)], side="right")
        return int(i[1] - i[0])

    # ------------------------------------------------------------------ calendar days and months

    @staticmethod
    def add_calendar_days(start: date, n: int) -> date:
        """``start`` plus ``n`` calendar days (日)."""
        start = _as_date(start, "start")
        try:
            return start + timedelta(days=operator.index(n))
        except OverflowError:
            raise CalendarError(
                f"adding {n} days to {start.isoformat()} leaves the representable dates"
            ) from None

    @staticmethod
    def calendar_days_between(start: date, end: date) -> int:
        """``end - start`` in calendar days (negative if ``end < start``)."""
        return (_as_date(end, "end") - _as_date(start, "start")).days

    @staticmethod
    def add_months(start: date, n: int) -> date:
        """The same day of the month ``n`` months later, clamped to that month's last day.

        ``add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)``.
        """
        start = _as_date(start, "start")
        total = start.year * 12 + (start.month - 1) + operator.index(n)
        year, month0 = divmod(total, 12)
        if not _MIN_YEAR <= year <= _MAX_YEAR:
            raise CalendarError(f"adding {n} months to {start.isoformat()} leaves the representable dates")
        if month0 == 11:
            last = 31
        else:
            last = (date(year, month0 + 2, 1) - timedelta(days=1)).day
        return date(year, month0 + 1, min(start.day, last))

    # ------------------------------------------------------------------ vectorised

    def is_workday_array(self, days: DatesLike) -> npt.NDArray[np.bool_]:
        """Vectorised :meth:`is_workday`.

        Raises
        ------
        CalendarError
            If a value is missing (NaT).
        CalendarRangeError
            Naming the first date in a year without holiday data.
        """
        x = _day_array(days, "days")
        ys = _years_of(x)
        bad = ~self._span_covered(ys, ys)
        if bad.any():
            self._raise_row(int(np.argmax(bad)), lambda k: self.is_workday(_from_day_number(int(x[k]))))
        i = np.searchsorted(self._wd, x, side="left")
        in_range = i < len(self._wd)
        result: npt.NDArray[np.bool_] = in_range & (self._wd[np.where(in_range, i, 0)] == x)
        return result

    def add_working_days_array(self, starts: DatesLike, n: IntsLike) -> npt.NDArray[np.datetime64]:
        """Vectorised :meth:`add_working_days`; ``n`` is one count or one count per row.

        Returns
        -------
        numpy.ndarray
            ``datetime64[D]`` results, one per row.

        Raises
        ------
        CalendarError
            If a start or a count is missing (NaT / NaN).
        CalendarRangeError
            Naming the first row whose start, result or days in between are in a year without data.
        """
        s = _day_array(starts, "starts")
        counts = _int_array(n, "n")
        try:
            s, counts = np.broadcast_arrays(s, counts)
        except ValueError:
            raise ValueError(f"n has {counts.shape[0]} values but starts has {s.shape[0]}") from None
        size = len(self._wd)
        ys = _years_of(s)
        start_ok = self._span_covered(ys, ys)
        right = np.searchsorted(self._wd, s, side="right").astype(np.int64)
        left = np.searchsorted(self._wd, s, side="left").astype(np.int64)
        pos = counts > 0
        neg = counts < 0
        out_of_data = (pos & (counts > size - right)) | (neg & (counts < -left))
        usable = start_ok & ~out_of_data
        safe = np.where(usable, counts, 0)
        idx = np.where(pos, right + safe - 1, np.where(neg, left + safe, 0))
        idx = np.clip(idx, 0, size - 1)
        result = np.where(usable & (counts != 0), self._wd[idx], s)
        bad = ~usable | ~self._span_covered(ys, _years_of(result))
        if bad.any():
            self._raise_row(
                int(np.argmax(bad)),
                lambda k: self.add_working_days(_from_day_number(int(s[k])), int(counts[k])),
            )
        out: npt.NDArray[np.datetime64] = result.astype("datetime64[D]")
        return out

    def working_days_between_array(self, starts: DatesLike, ends: DatesLike) -> npt.NDArray[np.int64]:
        """Vectorised :meth:`working_days_between`.

        Raises
        ------
        CalendarError
            If a value is missing (NaT).
        CalendarRangeError
            Naming the first row whose span touches a year without holiday data.
        """
        s = _day_array(starts, "starts")
        e = _day_array(ends, "ends")
        try:
            s, e = np.broadcast_arrays(s, e)
        except ValueError:
            raise ValueError(f"ends has {e.shape[0]} values but starts has {s.shape[0]}") from None
        bad = ~self._span_covered(_years_of(s), _years_of(e))
        if bad.any():
            self._raise_row(
                int(np.argmax(bad)),
                lambda k: self.working_days_between(_from_day_number(int(s[k])), _from_day_number(int(e[k]))),
            )
        right_s = np.searchsorted(self._wd, s, side="right").astype(np.int64)
        right_e = np.searchsorted(self._wd, e, side="right").astype(np.int64)
        result: npt.NDArray[np.int64] = right_e - right_s
        return result

    @staticmethod
    def _raise_row(row: int, scalar: Callable[[int], object]) -> None:
        """Re-run the scalar form on the first bad row so its message names the date and year."""
        try:
            scalar(row)
        except CalendarError as exc:
            raise type(exc)(f"row {row}: {exc}") from None
        raise AssertionError(f"row {row} was flagged as uncovered but the scalar form accepted it")


# ---------------------------------------------------------------------- input normalisation


def as_day_array(values: DatesLike, what: str = "dates") -> npt.NDArray[np.datetime64]:
    """1-D ``datetime64[D]`` of date-like input; time-zoned timestamps keep their local (wall) date."""
    return _day_array(values, what).astype("datetime64[D]")


def _day_array(values: DatesLike, what: str) -> npt.NDArray[np.int64]:
    """Day numbers (days since 1970-01-01) of 1-D date-like input; raise on NaT."""
    obj: Any = values
    if getattr(obj, "tz", None) is not None and hasattr(obj, "tz_localize"):  # tz-aware DatetimeIndex
        obj = obj.tz_localize(None)  # keep the local wall date
    else:
        accessor = getattr(obj, "dt", None)  # a pandas Series of timestamps
        if accessor is not None and getattr(accessor, "tz", None) is not None:
            obj = accessor.tz_localize(None)
    arr = np.asarray(obj)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{what} must be one-dimensional, not of shape {arr.shape}")
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype.kind == "M":
        days = arr.astype("datetime64[D]")
        missing = np.isnat(days)
        out = days.astype(np.int64)
    elif arr.dtype.kind == "O":
        out, missing = _object_days(arr, what)
    else:
        raise TypeError(f"{what} must hold dates, not values of dtype {arr.dtype}")
    if missing.any():
        row = int(np.argmax(missing))
        raise CalendarError(
            f"{what} row {row} has no date (NaT); working-day arithmetic needs a date, "
            "so drop or fill missing dates first"
        )
    unrepresentable = (out < _FIRST_DAY) | (out > _LAST_DAY)
    if unrepresentable.any():
        row = int(np.argmax(unrepresentable))
        raise CalendarRangeError(
            f"{what} row {row} is {out[row].astype('datetime64[D]')}, outside any year with holiday data"
        )
    return out


def _object_days(arr: npt.NDArray[Any], what: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    out = np.zeros(arr.shape[0], dtype=np.int64)
    missing = np.zeros(arr.shape[0], dtype=bool)
    for k, v in enumerate(arr):
        if v is None or v != v:  # None, NaN, NaT
            missing[k] = True
        elif isinstance(v, date):  # date, datetime and pandas Timestamp: the wall date
            out[k] = _day_number(v)
        elif isinstance(v, np.datetime64):
            d = v.astype("datetime64[D]")
            if np.isnat(d):
                missing[k] = True
            else:
                out[k] = d.astype(np.int64)
        else:
            raise TypeError(f"{what} row {k} is {type(v).__name__} {v!r}, not a date")
    return out, missing


def _int_array(values: IntsLike, what: str) -> npt.NDArray[np.int64]:
    arr = np.asarray(values)
    if arr.ndim > 1:
        raise ValueError(f"{what} must be one number or one-dimensional, not of shape {arr.shape}")
    kind = arr.dtype.kind
    if kind in "iu":
        if kind == "u" and arr.size and int(arr.max()) > np.iinfo(np.int64).max:
            raise CalendarError(f"{what} holds a count too large for date arithmetic")
        return arr.astype(np.int64)
    if kind == "f":
        flat = np.atleast_1d(arr)
        missing = ~np.isfinite(flat)
        if missing.any():
            raise CalendarError(f"{what} row {int(np.argmax(missing))} has no count (NaN)")
        fractional = flat != np.round(flat)
        if fractional.any():
            row = int(np.argmax(fractional))
            raise CalendarError(f"{what} row {row} is {flat[row]}, not a whole number of days")
        if np.abs(flat).max(initial=0.0) >= 2.0**62:
            raise CalendarError(f"{what} holds a count too large for date arithmetic")
        return arr.astype(np.int64)
    if kind == "O":
        try:
            ints = [operator.index(v) for v in np.atleast_1d(arr)]
            return np.array(ints, dtype=np.int64).reshape(arr.shape)
        except (TypeError, OverflowError):
            raise TypeError(f"{what} must hold whole numbers") from None
    raise TypeError(f"{what} must hold whole numbers, not values of dtype {arr.dtype}")
