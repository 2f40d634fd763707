"""Pure rules: the working-day calendar, deadlines and supervision cards. No I/O."""

from __future__ import annotations

from toolkit.rules.calendar import WorkCalendar, YearSchedule
from toolkit.rules.cards import Band, CardScheme
from toolkit.rules.deadlines import Applies, DeadlineRule, Extension

__all__ = ["Applies", "Band", "CardScheme", "DeadlineRule", "Extension", "WorkCalendar", "YearSchedule"]
