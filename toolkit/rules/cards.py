"""Deadline supervision cards (红橙黄牌督办 and four-colour schemes) from a pack's bands.

A scheme is an ordered list of bands (overdue; at most N days or months left; any time left); the first
band an open item matches gives its colour, an item matching none carries no card. Remaining time for
the thresholds is counted in calendar days from the as-of date to the due date (a due date today has
0 days left and is not yet overdue).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from toolkit.domain.codes import CardColor
from toolkit.rules.calendar import WorkCalendar, as_day_array


@dataclass(frozen=True, slots=True)
class Band:
    """One colour band: overdue, or at most ``days`` / ``months`` left."""

    color: CardColor
    overdue: bool = False
    within_days: int | None = None
    within_months: int | None = None
    otherwise: bool = False

    def limit(self, as_of: date) -> date | None:
        """The latest due date that still falls in this band (None: overdue, or any time left)."""
        if self.overdue or self.otherwise:
            return None
        if self.within_months is not None:
            return WorkCalendar.add_months(as_of, self.within_months)
        return WorkCalendar.add_calendar_days(as_of, self.within_days or 0)


@dataclass(frozen=True, slots=True)
class CardScheme:
    """A named card scheme from the pack, with its source."""

    code: str
    name_zh: str
    name_en: str
    source: str
    bands: tuple[Band, ...]
    note: str = ""

    def label(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh

    def color(self, due: date, as_of: date) -> CardColor | None:
        """The card for an open item due on ``due``, seen on ``as_of``."""
        for band in self.bands:
            if band.overdue:
                if due < as_of:
                    return band.color
                continue
            limit = band.limit(as_of)
            if as_of <= due and (limit is None or due <= limit):
                return band.color
        return None

    def colors_array(self, dues: npt.ArrayLike, as_of: date) -> npt.NDArray[np.str_]:
        """Vectorised :meth:`color`: an array of colour codes, "" where no card applies."""
        days = as_day_array(dues, "due dates")
        today = np.datetime64(as_of, "D")
        out = np.full(days.shape, "", dtype="<U6")
        unset = np.ones(days.shape, dtype=bool)
        for band in self.bands:
            if band.overdue:
                hit = days < today
            else:
                limit = band.limit(as_of)
                hit = days >= today
                if limit is not None:
                    hit &= days <= np.datetime64(limit, "D")
            take = hit & unset
            out[take] = band.color.value
            unset &= ~take
        return out
