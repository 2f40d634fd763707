"""Supervision cards (红橙黄牌督办) for a whole ledger (台账) at once, vectorised.

Works on the canonical ledger frame (:mod:`toolkit.ledger.frame`): the columns used are ``status``,
``due``, ``deadline`` and, for the counts, ``handler_unit``. ``due`` is the item's own 办结 / 报结 limit;
the milestone beside it (``milestone``, ``milestone_due``: the 处置意见 step of a lead) is never read, so
a lead is not carded a month after receipt. For an as-of date every open item (status
``open`` or ``extended``) with a due date gets its remaining calendar days, its card under the chosen
:class:`~toolkit.rules.cards.CardScheme`, how many days it is overdue and, when its time limit runs on
working days (工作日), its remaining working days on the pack's calendar (public holidays off, 调休
make-up weekend days on).

Conventions
-----------
- Remaining time for the card thresholds is counted in calendar days, whatever the item's own clock (the
  cards' sources speak of "a month" and "half a month" left); a due date today has 0 days left and is not
  overdue.
- ``workdays_left`` is ``WorkCalendar.working_days_between(as_of, due)``: the working days ``d`` with
  ``as_of < d <= due``, negative for an overdue item. Where the span from the as-of date to the due date
  touches a year without holiday data (``chinese_calendar`` 1.11 knows 2004–2026), the count is unknown
  (NA) for that row only; its card is still given, since the card needs calendar days alone.
- Closed and filed items, and items without a due date, carry no card and NA for the remaining time.

No row is visited in a Python loop: rows are grouped once by the clock of their deadline rule (a loop over
the few distinct rule codes), and the calendar's array functions do the counting.

pandas is imported when a function is first called, so that importing :mod:`toolkit.rules` (which every
app page does for the calendar) does not load it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from toolkit.domain.codes import CardColor, Clock, ItemStatus
from toolkit.errors import PackError, RuleError
from toolkit.rules.calendar import WorkCalendar
from toolkit.rules.cards import CardScheme

if TYPE_CHECKING:
    import pandas as pd

    from toolkit.packs.model import Pack

__all__ = ["CARD_COLUMNS", "card_counts", "ledger_cards", "red_list", "unknown_workdays"]

#: the columns :func:`ledger_cards` returns, in order
CARD_COLUMNS: tuple[str, ...] = ("is_open", "days_left", "workdays_left", "days_overdue", "card", "clock")

#: statuses under which an item is still being handled and so can carry a card
OPEN_STATUSES: tuple[str, ...] = (ItemStatus.OPEN.value, ItemStatus.EXTENDED.value)

_NEEDED = ("status", "due", "deadline")


def ledger_cards(frame: pd.DataFrame, *, as_of: date, scheme: CardScheme, pack: Pack) -> pd.DataFrame:
    """Cards and remaining time of every item of a ledger, seen on ``as_of``.

    Parameters
    ----------
    frame
        The canonical ledger frame; ``status``, ``due`` (``datetime64``, NaT for items without a limit)
        and ``deadline`` (a deadline-rule code of ``pack``, or "") are used.
    as_of
        The day the ledger is looked at (a datetime counts by its date).
    scheme
        The card scheme, e.g. ``pack.rules.card_scheme("three")``.
    pack
        Gives the deadline rules (for each rule's clock) and the working-day calendar.

    Returns
    -------
    pandas.DataFrame
        A new frame with the index of ``frame`` and the columns of :data:`CARD_COLUMNS`:

        ``is_open`` (bool)
            The status is ``open`` or ``extended``.
        ``days_left`` (Int64)
            Calendar days from ``as_of`` to the due date, negative when overdue; NA when the item is not
            open or has no due date.
        ``workdays_left`` (Int64)
            Working days from ``as_of`` to the due date (see the module conventions) for open items whose
            rule runs on working days; NA for other rules, items not open, and spans touching a year
            without holiday data.
        ``days_overdue`` (Int64)
            Calendar days past the due date, 0 when not overdue; NA when not open or without a due date.
        ``card`` (str)
            The colour code of the item's card, "" for none (not open, no due date, or no band matches).
        ``clock`` (str)
            The clock code of the item's deadline rule (``working_days``, ``calendar_days``, ``months``),
            "" for items without a rule.

    Raises
    ------
    RuleError
        If a needed column is missing, ``due`` does not hold dates, or a deadline code is not a rule of
        ``pack`` (the message names the code and the first row with it).

    Examples
    --------
    >>> cards = ledger_cards(frame, as_of=date(2025, 9, 15), scheme=pack.rules.card_scheme("three"),
    ...                      pack=pack)  # doctest: +SKIP
    >>> cards["card"].value_counts()  # doctest: +SKIP
    """
    import pandas as pd

    missing = [c for c in _NEEDED if c not in frame.columns]
    if missing:
        raise RuleError(f"the ledger has no column {', '.join(missing)}; cards need {', '.join(_NEEDED)}")
    today_d = as_of.date() if isinstance(as_of, datetime) else as_of
    today = np.datetime64(today_d, "D")
    n = len(frame)

    is_open = frame["status"].isin(OPEN_STATUSES).to_numpy(dtype=bool)
    due = _due_days(frame["due"])
    carded = is_open & ~np.isnat(due)
    # days from as_of to due; rows outside ``carded`` are masked, their value is never read
    left = np.where(carded, (due - today).astype(np.int64), 0)

    # colour codes by position in a small table, so that rows share its str objects
    names = np.array(sorted({b.color.value for b in scheme.bands} | {""}))
    which = np.zeros(n, dtype=np.intp)  # names[0] is ""
    if carded.any():
        which[carded] = np.searchsorted(names, scheme.colors_array(due[carded], today_d))
    card = names.astype(object)[which]

    clock_codes, clocks = _clocks(frame["deadline"], pack)
    clock = np.asarray(clocks, dtype=object)[clock_codes]

    workdays = np.zeros(n, dtype=np.int64)
    workdays_known = np.zeros(n, dtype=bool)
    if Clock.WORKING_DAYS.value in clocks:
        on_workdays = carded & (clock_codes == clocks.index(Clock.WORKING_DAYS.value))
        covered = on_workdays & _span_covered(pack.calendar, today_d, due)
        if covered.any():
            workdays[covered] = pack.calendar.working_days_between_array(
                np.array([today], dtype="datetime64[D]"), due[covered]
            )
        workdays_known = covered

    return pd.DataFrame(
        {
            "is_open": is_open,
            "days_left": pd.arrays.IntegerArray(left, ~carded),
            "workdays_left": pd.arrays.IntegerArray(workdays, ~workdays_known),
            "days_overdue": pd.arrays.IntegerArray(np.maximum(-left, 0), ~carded),
            "card": card,
            "clock": clock,
        },
        index=frame.index,
    )


def unknown_workdays(cards: pd.DataFrame) -> int:
    """How many open items on a working-day clock have unknown remaining working days (no holiday data)."""
    on_workdays = cards["is_open"] & (cards["clock"] == Clock.WORKING_DAYS.value) & cards["days_left"].notna()
    return int((on_workdays & cards["workdays_left"].isna()).sum())


def card_counts(
    cards: pd.DataFrame, frame: pd.DataFrame, scheme: CardScheme
) -> tuple[dict[str, int], pd.DataFrame]:
    """Cards per colour, over the whole ledger and per handling unit.

    Parameters
    ----------
    cards
        The result of :func:`ledger_cards` for ``frame``.
    frame
        The ledger frame (its ``handler_unit`` column is used).
    scheme
        The scheme the cards were given under; it fixes the colours and their order.

    Returns
    -------
    tuple of (dict, pandas.DataFrame)
        The count per colour code, in the scheme's band order (colours with no card included, as 0);
        and a table of counts with one row per handling unit in ``frame`` (sorted by unit code, units
        without cards included) and one column per colour in band order, zeros filled.
    """
    import pandas as pd

    _check_aligned(cards, frame)
    colors = _scheme_colors(scheme)
    color_index = {c: i for i, c in enumerate(colors)}
    card = cards["card"].to_numpy(dtype=object)
    unit_codes, units = pd.factorize(frame["handler_unit"].fillna("").astype(str), sort=True)
    # colour position of each row; -1 for rows without a card (or a colour not in the scheme)
    color_codes, found = pd.factorize(card)
    pos = np.array([color_index.get(str(c), -1) for c in found] + [-1], dtype=np.int64)[color_codes]
    keep = pos >= 0
    k = len(colors)
    table = np.bincount(unit_codes[keep] * k + pos[keep], minlength=len(units) * k).reshape(len(units), k)
    per_unit = pd.DataFrame(
        table.astype(np.int64),
        index=pd.Index(units, name="handler_unit", dtype=object),
        columns=pd.Index(colors, name="card", dtype=object),
    )
    totals = {c: int(per_unit[c].sum()) for c in colors}
    return totals, per_unit


def red_list(frame: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """The red-card (overdue) items: the rows of ``frame`` with their card columns, most overdue first.

    Ties keep the ledger's order. The columns are those of ``frame`` followed by ``days_overdue``,
    ``days_left``, ``workdays_left`` and ``clock`` (a column ``frame`` already has is not repeated).
    """
    _check_aligned(cards, frame)
    red = (cards["card"] == CardColor.RED.value).to_numpy(dtype=bool)
    extra = [c for c in ("days_overdue", "days_left", "workdays_left", "clock") if c not in frame.columns]
    out = frame.loc[red].join(cards.loc[red, extra])
    return out.sort_values("days_overdue", ascending=False, kind="stable")


# ---------------------------------------------------------------------------------------- helpers


def _due_days(column: pd.Series) -> npt.NDArray[np.datetime64]:
    """The due dates as ``datetime64[D]`` (NaT kept); time-zoned timestamps keep their wall date."""
    import pandas as pd

    if not pd.api.types.is_datetime64_any_dtype(column.dtype):
        if column.isna().all():
            return np.full(len(column), np.datetime64("NaT"), dtype="datetime64[D]")
        try:
            column = pd.to_datetime(column, errors="raise")
        except (ValueError, TypeError) as exc:
            raise RuleError(f"due: expected dates, got values of type {column.dtype} ({exc})") from None
    if getattr(column.dt, "tz", None) is not None:
        column = column.dt.tz_localize(None)
    days: npt.NDArray[np.datetime64] = column.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    return days


def _clocks(deadline: pd.Series, pack: Pack) -> tuple[npt.NDArray[np.intp], list[str]]:
    """Per row, an index into the returned list of distinct clock codes ("" for rows without a rule)."""
    import pandas as pd

    codes, rules = pd.factorize(deadline.to_numpy(dtype=object))  # missing values get code -1
    clocks: list[str] = []
    per_rule: list[int] = []
    for i, code in enumerate(rules):  # one pass over the distinct rule codes, not the rows
        clock = ""
        if isinstance(code, str) and code:
            try:
                clock = pack.rules.deadline(code).clock.value
            except PackError:
                row = deadline.index[int(np.argmax(codes == i))]
                known = ", ".join(r.code for r in pack.rules.deadlines)
                raise RuleError(
                    f"deadline: {code!r} (first at row {row}) is not a time limit of pack {pack.ref}; "
                    f"it has: {known}"
                ) from None
        if clock not in clocks:
            clocks.append(clock)
        per_rule.append(clocks.index(clock))
    if "" not in clocks:
        clocks.append("")
    lookup = np.array([*per_rule, clocks.index("")], dtype=np.intp)
    return lookup[codes], clocks  # code -1 (a missing value) takes the last entry: ""


def _span_covered(
    calendar: WorkCalendar, as_of: date, due: npt.NDArray[np.datetime64]
) -> npt.NDArray[np.bool_]:
    """Per row, whether every year from ``as_of`` to ``due`` has holiday data (False for NaT)."""
    years = frozenset(calendar.years)
    if as_of.year not in years:
        return np.zeros(due.shape, dtype=bool)
    lo = hi = as_of.year  # the run of covered years around as_of
    while lo - 1 in years:
        lo -= 1
    while hi + 1 in years:
        hi += 1
    first = np.datetime64(date(lo, 1, 1), "D")
    last = np.datetime64(date(hi, 12, 31), "D")
    result: npt.NDArray[np.bool_] = (due >= first) & (due <= last)  # NaT compares False
    return result


def _scheme_colors(scheme: CardScheme) -> list[str]:
    """The scheme's colour codes in band order, each once."""
    colors: list[str] = []
    for band in scheme.bands:
        if band.color.value not in colors:
            colors.append(band.color.value)
    return colors


def _check_aligned(cards: pd.DataFrame, frame: pd.DataFrame) -> None:
    if not cards.index.equals(frame.index):
        raise ValueError("cards and frame must have the same index (cards = ledger_cards(frame, ...))")
