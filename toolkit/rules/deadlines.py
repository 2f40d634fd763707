"""Deadline rules: which clock, from which event, whether the start day counts, extensions.

A :class:`DeadlineRule` is built from a pack's ``rules.yaml``; it knows nothing about files. Dates are
computed with a :class:`~toolkit.rules.calendar.WorkCalendar`, so 工作日 skip Chinese public holidays and
count 调休 make-up working days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from toolkit.domain.codes import Basis, Category, Channel, Clock, Flag, RouteAction, StartEvent, Step
from toolkit.errors import RuleError
from toolkit.rules.calendar import WorkCalendar, as_day_array


@dataclass(frozen=True, slots=True)
class Applies:
    """Which items a rule applies to. ``None`` means any value."""

    category: frozenset[Category] | None = None
    flags_all: frozenset[Flag] = frozenset()
    flags_none: frozenset[Flag] = frozenset()
    action: frozenset[RouteAction] | None = None
    channel: frozenset[Channel] | None = None
    problem: frozenset[str] | None = None

    def matches(
        self,
        *,
        category: Category,
        flags: Iterable[Flag],
        action: RouteAction,
        channel: Channel,
        problem: str | None = None,
    ) -> bool:
        have = frozenset(flags)
        return (
            (self.category is None or category in self.category)
            and self.flags_all <= have
            and not (self.flags_none & have)
            and (self.action is None or action in self.action)
            and (self.channel is None or channel in self.channel)
            and (self.problem is None or problem in self.problem)
        )


@dataclass(frozen=True, slots=True)
class Extension:
    """How far a limit may be extended, and what that needs (e.g. 延期审批).

    ``tell``: the person who raised the item must be told the reason (as the 信访工作条例 requires of a
    petition; the rules on leads ask nothing of the kind).
    """

    clock: Clock
    amount: int
    needs: str
    tell: bool = False


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """One time limit from a pack, with its source."""

    code: str
    name_zh: str
    name_en: str
    clock: Clock
    amount: int
    start: StartEvent
    count_start_day: bool
    roll_to_workday: bool
    applies: Applies
    source: str
    extension: Extension | None = None
    note: str = ""
    basis: Basis = Basis.NATIONAL
    step: Step | None = None

    def label(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh

    def describe(self, lang: str = "zh") -> str:
        """A one-line statement of the rule, e.g. "受理情况告知:收到之日起15个工作日内(来源)"."""
        if lang == "en":
            unit = self.clock.en[:-1] if self.amount == 1 else self.clock.en
            return f"{self.name_en}: within {self.amount} {unit} of {self.start.en} ({self.source})"
        unit = "个工作日" if self.clock is Clock.WORKING_DAYS else self.clock.zh
        return f"{self.name_zh}:{self.start.zh}起{self.amount}{unit}内({self.source})"

    def due(self, start: date, calendar: WorkCalendar, *, extended: bool = False) -> date:
        """The last day on which the obligation is met in time.

        An extension lengthens the limit itself: it counts on from the limit's own last day *before*
        that day is rolled off a holiday (60 日 extended by 30 日 is 90 日 from the start), and only the
        extended end is rolled.
        """
        if not extended:
            return _advance(
                start, self.clock, self.amount, self.count_start_day, self.roll_to_workday, calendar
            )
        if self.extension is None:
            raise RuleError(f"deadline {self.code!r} has no extension in this pack")
        ext = self.extension
        end = _advance(start, self.clock, self.amount, self.count_start_day, False, calendar)
        return _advance(end, ext.clock, ext.amount, False, self.roll_to_workday, calendar)

    def due_array(self, starts: npt.ArrayLike, calendar: WorkCalendar) -> npt.NDArray[np.datetime64]:
        """Vectorised :meth:`due` over an array of start dates (no extension)."""
        days = as_day_array(starts, "starts")
        if self.clock is Clock.WORKING_DAYS:
            if self.count_start_day:
                shifts = np.where(calendar.is_workday_array(days), self.amount - 1, self.amount)
                return calendar.add_working_days_array(days, shifts)
            return calendar.add_working_days_array(days, self.amount)
        if self.clock is Clock.CALENDAR_DAYS:
            offset = self.amount - 1 if self.count_start_day else self.amount
            result = (days + np.timedelta64(offset, "D")).astype("datetime64[D]")
        else:
            result = np.array([self._months(d) for d in days.astype(object)], dtype="datetime64[D]")
        if self.roll_to_workday:
            off = ~calendar.is_workday_array(result)
            if off.any():
                result = result.copy()
                result[off] = calendar.add_working_days_array(result[off], 1)
        return result

    def _months(self, start: date) -> date:
        end = WorkCalendar.add_months(start, self.amount)
        return end - timedelta(days=1) if self.count_start_day else end


def _advance(
    start: date, clock: Clock, amount: int, count_start_day: bool, roll: bool, calendar: WorkCalendar
) -> date:
    if clock is Clock.WORKING_DAYS:
        if count_start_day and calendar.is_workday(start):
            return calendar.add_working_days(start, amount - 1)
        return calendar.add_working_days(start, amount)
    if clock is Clock.CALENDAR_DAYS:
        end = start + timedelta(days=amount - 1 if count_start_day else amount)
    else:
        end = WorkCalendar.add_months(start, amount)
        if count_start_day:
            end -= timedelta(days=1)
    return calendar.next_workday(end) if roll else end
