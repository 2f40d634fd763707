"""Tests for toolkit.rules.ledger_cards: cards and remaining time for whole ledger frames.

The default pack's schemes:

* three (红橙黄): red overdue; orange at most 15 days left; yellow at most 1 month left; else no card.
* four (红黄蓝绿): red overdue; yellow at most 15 days left; blue at most 1 month left; green otherwise.

Holiday facts used (State Council notices, as in ``chinese_calendar`` 1.11):

* National Day / Mid-Autumn 2025: 10-01..10-08 off; Sun 09-28 and Sat 10-11 are working days.
* Spring Festival 2025: 01-28..02-04 off; Sun 01-26 and Sat 02-08 are working days.
* New Year 2026: 01-01..01-03 off; Sun 01-04 is a working day.
* Spring Festival 2026: 02-15..02-23 off; Sat 02-14 and Sat 02-28 are working days.
* 2027: no data (the library knows 2004–2026).

Frames are built directly with the columns of the canonical ledger frame that the cards use.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.domain.codes import Category, Clock, RouteAction
from toolkit.errors import CalendarRangeError, RuleError
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.ledger.frame import ledger_frame
from toolkit.packs import Pack
from toolkit.rules.cards import CardScheme
from toolkit.rules.ledger_cards import CARD_COLUMNS, card_counts, ledger_cards, red_list, unknown_workdays

WORKING = "report_up"  # 5 工作日
CALENDAR = "petition_close"  # 60 日
MONTHS = "lead_close"  # 3 个月
RULES = ("", WORKING, CALENDAR, MONTHS, "assign_report", "discipline_appeal_close")
STATUSES = ("open", "extended", "closed", "filed")


def d(s: str) -> date:
    return date.fromisoformat(s)


def dues(values: list[str | None] | list[date | None]) -> np.ndarray:
    """``datetime64[ns]`` values, NaT for None (the dtype of the frame's ``due`` column)."""
    return pd.to_datetime(pd.Series(values, dtype=object)).to_numpy(dtype="datetime64[ns]")


def ledger(
    rows: list[tuple[str, str | None, str]], *, unit: str = "xfs", index: object = None
) -> pd.DataFrame:
    """A frame from (status, due or None, deadline code) rows, with ids and a handling unit."""
    return pd.DataFrame(
        {
            "id": [f"T{k:04d}" for k in range(len(rows))],
            "status": [r[0] for r in rows],
            "due": dues([r[1] for r in rows]),
            "deadline": [r[2] for r in rows],
            "handler_unit": [unit] * len(rows),
        },
        index=index,
    )


def one(pack: Pack, scheme: str, as_of: date, status: str, due: str | None, rule: str) -> pd.Series:
    cards = ledger_cards(
        ledger([(status, due, rule)]), as_of=as_of, scheme=pack.rules.card_scheme(scheme), pack=pack
    )
    return cards.iloc[0]


def na(value: object) -> bool:
    return value is pd.NA


# ---------------------------------------------------------------------------------------- card boundaries

AS_OF = d("2025-09-15")

# due, days left, card under three, card under four
BOUNDARIES = [
    ("2025-10-16", 31, "", "green"),  # one day more than a month
    ("2025-10-15", 30, "yellow", "blue"),  # exactly one month (09-15 -> 10-15)
    ("2025-10-01", 16, "yellow", "blue"),  # one day more than half a month
    ("2025-09-30", 15, "orange", "yellow"),  # exactly half a month = 15 days
    ("2025-09-15", 0, "orange", "yellow"),  # due today: 0 days left, not overdue
    ("2025-09-14", -1, "red", "red"),  # one day overdue
    ("2025-06-30", -77, "red", "red"),  # long overdue
]


@pytest.mark.parametrize(("due", "left", "three", "four"), BOUNDARIES)
@pytest.mark.parametrize("status", ["open", "extended"])
def test_card_boundaries(pack: Pack, status: str, due: str, left: int, three: str, four: str) -> None:
    for scheme, expected in (("three", three), ("four", four)):
        row = one(pack, scheme, AS_OF, status, due, CALENDAR)
        assert row["card"] == expected, scheme
        assert row["days_left"] == left
        assert row["days_overdue"] == max(-left, 0)
        assert bool(row["is_open"]) is True


def test_due_today_is_not_overdue(pack: Pack) -> None:
    row = one(pack, "three", AS_OF, "open", "2025-09-15", WORKING)
    assert (row["card"], row["days_left"], row["days_overdue"], row["workdays_left"]) == ("orange", 0, 0, 0)


def test_one_month_at_a_month_end_is_clamped(pack: Pack) -> None:
    as_of = d("2025-01-31")
    assert one(pack, "three", as_of, "open", "2025-02-28", CALENDAR)["card"] == "yellow"  # clamped month
    assert one(pack, "three", as_of, "open", "2025-03-01", CALENDAR)["card"] == ""
    assert one(pack, "four", as_of, "open", "2025-03-01", CALENDAR)["card"] == "green"


def test_whole_frame_at_once_matches_row_by_row(pack: Pack) -> None:
    frame = ledger([("open", due, CALENDAR) for due, *_ in BOUNDARIES])
    for scheme, col in (("three", 2), ("four", 3)):
        cards = ledger_cards(frame, as_of=AS_OF, scheme=pack.rules.card_scheme(scheme), pack=pack)
        assert cards["card"].tolist() == [b[col] for b in BOUNDARIES]
        assert cards["days_left"].tolist() == [b[1] for b in BOUNDARIES]


# ---------------------------------------------------------------------------------------- working days


# as of, due, working days left (the 5-工作日 report_up rule), calendar days left
HOLIDAY_SPANS = [
    # National Day 2025: 09-28 (Sun) works, 10-01..08 off
    ("2025-09-26", "2025-10-09", 4, 13),  # 09-28, 09-29, 09-30, 10-09
    ("2025-09-30", "2025-10-11", 3, 11),  # 10-09, 10-10, 10-11 (Sat make-up)
    ("2025-10-01", "2025-10-08", 0, 7),  # the whole holiday: no working day
    ("2025-10-09", "2025-09-29", -2, -10),  # overdue across the holiday: 09-30 and 10-09
    # Spring Festival 2025: 01-26 (Sun) and 02-08 (Sat) work, 01-28..02-04 off
    ("2025-01-24", "2025-02-10", 7, 17),  # 01-26, 01-27, 02-05..02-08, 02-10
    # New Year 2026 across the year end: 01-01..03 off, 01-04 (Sun) works
    ("2025-12-31", "2026-01-05", 2, 5),
    # Spring Festival 2026: 02-14 (Sat) works, 02-15..23 off
    ("2026-02-13", "2026-02-27", 5, 14),  # 02-14, 02-24..02-27
    ("2026-02-13", "2026-02-28", 6, 15),  # and 02-28 (Sat make-up)
]


@pytest.mark.parametrize(("as_of", "due", "workdays", "days"), HOLIDAY_SPANS)
def test_working_days_left_across_holidays(
    pack: Pack, as_of: str, due: str, workdays: int, days: int
) -> None:
    row = one(pack, "three", d(as_of), "open", due, WORKING)
    assert row["workdays_left"] == workdays == pack.calendar.working_days_between(d(as_of), d(due))
    assert row["days_left"] == days
    assert row["clock"] == Clock.WORKING_DAYS.value


def test_working_days_only_for_working_day_rules(pack: Pack) -> None:
    frame = ledger(
        [
            ("open", "2025-10-09", WORKING),
            ("open", "2025-10-09", CALENDAR),
            ("open", "2025-10-09", MONTHS),
            ("open", "2025-10-09", ""),
        ]
    )
    cards = ledger_cards(frame, as_of=d("2025-09-26"), scheme=pack.rules.card_scheme("three"), pack=pack)
    assert cards["workdays_left"].tolist()[0] == 4
    assert cards["workdays_left"].isna().tolist() == [False, True, True, True]
    assert cards["clock"].tolist() == ["working_days", "calendar_days", "months", ""]
    assert cards["card"].tolist() == ["orange"] * 4  # the card is from calendar days, whatever the clock


# ---------------------------------------------------------------------------------------- no card


@pytest.mark.parametrize("status", ["closed", "filed"])
def test_closed_and_filed_items_carry_no_card(pack: Pack, status: str) -> None:
    for due in ("2025-09-14", "2025-09-15", "2025-10-15", "2025-12-31"):
        for scheme in ("three", "four"):
            row = one(pack, scheme, AS_OF, status, due, WORKING)
            assert row["card"] == ""
            assert bool(row["is_open"]) is False
            assert na(row["days_left"]) and na(row["workdays_left"]) and na(row["days_overdue"])
            assert row["clock"] == "working_days"


def test_open_item_without_a_due_date_carries_no_card(pack: Pack) -> None:
    row = one(pack, "four", AS_OF, "open", None, "")
    assert row["card"] == "" and row["clock"] == ""
    assert na(row["days_left"]) and na(row["workdays_left"]) and na(row["days_overdue"])


# ---------------------------------------------------------------------------------------- years without data


def test_due_dates_in_2027_keep_their_card_but_not_their_working_days(pack: Pack) -> None:
    frame = ledger(
        [
            ("open", "2026-12-31", WORKING),  # covered: 2026
            ("open", "2027-01-04", WORKING),  # 15 days after 12-20: orange, working days unknown
            ("open", "2027-03-01", WORKING),  # far: no card (three), green (four)
            ("open", "2027-01-04", CALENDAR),  # not a working-day rule: NA anyway, not "unknown"
            ("closed", "2027-01-04", WORKING),  # not open: not counted as unknown
        ]
    )
    as_of = d("2026-12-20")
    three = ledger_cards(frame, as_of=as_of, scheme=pack.rules.card_scheme("three"), pack=pack)
    four = ledger_cards(frame, as_of=as_of, scheme=pack.rules.card_scheme("four"), pack=pack)
    assert three["card"].tolist() == ["orange", "orange", "", "orange", ""]
    assert four["card"].tolist() == ["yellow", "yellow", "green", "yellow", ""]
    assert three["days_left"].tolist()[:4] == [11, 15, 71, 15]
    assert three["workdays_left"].tolist()[0] == pack.calendar.working_days_between(as_of, d("2026-12-31"))
    assert three["workdays_left"].isna().tolist() == [False, True, True, True, True]
    assert unknown_workdays(three) == 2
    with pytest.raises(CalendarRangeError):  # what the scalar form says about the same row
        pack.calendar.working_days_between(as_of, d("2027-01-04"))


def test_as_of_in_a_year_without_data(pack: Pack) -> None:
    frame = ledger([("open", "2026-12-31", WORKING), ("open", "2027-01-08", WORKING)])
    cards = ledger_cards(frame, as_of=d("2027-01-05"), scheme=pack.rules.card_scheme("three"), pack=pack)
    assert cards["card"].tolist() == ["red", "orange"]
    assert cards["days_overdue"].tolist() == [5, 0]
    assert cards["workdays_left"].isna().all()
    assert unknown_workdays(cards) == 2


# ---------------------------------------------------------------------------------------- shape and errors


def test_result_keeps_the_index_and_columns(pack: Pack) -> None:
    frame = ledger(
        [("open", "2025-09-20", WORKING), ("closed", "2025-09-20", CALENDAR)], index=pd.Index([17, 3])
    )
    cards = ledger_cards(frame, as_of=AS_OF, scheme=pack.rules.card_scheme("three"), pack=pack)
    assert tuple(cards.columns) == CARD_COLUMNS
    assert cards.index.equals(frame.index)
    assert str(cards["days_left"].dtype) == "Int64"
    assert cards.loc[17, "card"] == "orange" and cards.loc[3, "card"] == ""
    assert "card" not in frame.columns  # the input is not changed


def test_empty_ledger(pack: Pack) -> None:
    scheme = pack.rules.card_scheme("four")
    frame = ledger([])
    cards = ledger_cards(frame, as_of=AS_OF, scheme=scheme, pack=pack)
    assert len(cards) == 0 and tuple(cards.columns) == CARD_COLUMNS
    totals, per_unit = card_counts(cards, frame, scheme)
    assert totals == {"red": 0, "yellow": 0, "blue": 0, "green": 0}
    assert per_unit.empty
    assert red_list(frame, cards).empty


def test_unknown_rule_is_named(pack: Pack) -> None:
    frame = ledger([("open", "2025-09-20", WORKING), ("open", "2025-09-20", "no_such_rule")])
    with pytest.raises(RuleError, match=r"'no_such_rule' \(first at row 1\)"):
        ledger_cards(frame, as_of=AS_OF, scheme=pack.rules.card_scheme("three"), pack=pack)


def test_missing_column_is_named(pack: Pack) -> None:
    frame = ledger([("open", "2025-09-20", WORKING)]).drop(columns=["deadline"])
    with pytest.raises(RuleError, match="no column deadline"):
        ledger_cards(frame, as_of=AS_OF, scheme=pack.rules.card_scheme("three"), pack=pack)


def test_due_dates_as_text_are_read(pack: Pack) -> None:
    frame = ledger([("open", "2025-09-20", WORKING)])
    frame["due"] = ["2025-09-20"]
    cards = ledger_cards(frame, as_of=AS_OF, scheme=pack.rules.card_scheme("three"), pack=pack)
    assert cards["card"].tolist() == ["orange"]
    frame["due"] = ["soon"]
    with pytest.raises(RuleError, match="due: expected dates"):
        ledger_cards(frame, as_of=AS_OF, scheme=pack.rules.card_scheme("three"), pack=pack)


# ---------------------------------------------------------------------------------------- counts and red list


def test_card_counts_per_colour_and_unit(pack: Pack) -> None:
    frame = pd.concat(
        [
            ledger([("open", "2025-09-10", CALENDAR), ("open", "2025-09-20", CALENDAR)], unit="xfs"),
            ledger([("open", "2025-09-01", WORKING), ("closed", "2025-09-01", WORKING)], unit="sps"),
            ledger([("closed", "2025-09-01", WORKING)], unit="u_xfj"),
        ],
        ignore_index=True,
    )
    scheme = pack.rules.card_scheme("three")
    cards = ledger_cards(frame, as_of=AS_OF, scheme=scheme, pack=pack)
    totals, per_unit = card_counts(cards, frame, scheme)
    assert list(totals.items()) == [("red", 2), ("orange", 1), ("yellow", 0)]  # band order
    assert list(per_unit.columns) == ["red", "orange", "yellow"]
    assert list(per_unit.index) == ["sps", "u_xfj", "xfs"]  # every unit, sorted, zeros filled
    assert per_unit.loc["sps"].tolist() == [1, 0, 0]
    assert per_unit.loc["u_xfj"].tolist() == [0, 0, 0]
    assert per_unit.loc["xfs"].tolist() == [1, 1, 0]


def test_red_list_most_overdue_first(pack: Pack) -> None:
    frame = ledger(
        [
            ("open", "2025-09-10", CALENDAR),  # 5 days over
            ("open", "2025-09-20", CALENDAR),  # orange
            ("open", "2025-08-01", WORKING),  # 45 days over
            ("closed", "2025-07-01", WORKING),  # closed: not listed
            ("extended", "2025-09-10", MONTHS),  # 5 days over, after row 0 (ties keep ledger order)
        ]
    )
    cards = ledger_cards(frame, as_of=AS_OF, scheme=pack.rules.card_scheme("four"), pack=pack)
    reds = red_list(frame, cards)
    assert reds["id"].tolist() == ["T0002", "T0000", "T0004"]
    assert reds["days_overdue"].tolist() == [45, 5, 5]
    assert {"status", "due", "days_left", "workdays_left", "clock"} <= set(reds.columns)


def test_counts_need_the_matching_frame(pack: Pack) -> None:
    frame = ledger([("open", "2025-09-20", WORKING)])
    scheme = pack.rules.card_scheme("three")
    cards = ledger_cards(frame, as_of=AS_OF, scheme=scheme, pack=pack)
    with pytest.raises(ValueError, match="same index"):
        card_counts(cards, ledger([("open", "2025-09-20", WORKING)] * 2), scheme)


def test_generated_ledger(pack: Pack, generator: CaseGenerator) -> None:
    """The canonical frame of generated items: cards agree with the scalar colour, item by item."""
    as_of = d("2026-03-31")
    items = list(ledger_items(generator, 3, 600, as_of))
    frame = ledger_frame(items, pack=pack)
    scheme = pack.rules.card_scheme("three")
    cards = ledger_cards(frame, as_of=as_of, scheme=scheme, pack=pack)
    for item, (_, row) in zip(items, cards.iterrows(), strict=True):
        if item.status.value in ("closed", "filed") or item.due is None:
            assert row["card"] == ""
        else:
            color = scheme.color(item.due, as_of)
            assert row["card"] == ("" if color is None else color.value)
    assert (cards["card"] == "red").any()
    # items without a limit (suggestions, advice, filed) never carry a card
    unlimited = (frame["deadline"] == "").to_numpy()
    assert unlimited.any() and (cards.loc[unlimited, "card"] == "").all()
    assert ((frame["category"] == "suggestion") & frame["status"].isin(["open"])).any()
    # a lead received in the last month is not carded: it has three months
    recent = (frame["deadline"] == "lead_close") & (
        frame["received"] > pd.Timestamp(as_of - timedelta(days=30))
    )
    assert recent.any() and (cards.loc[recent.to_numpy(), "card"] == "").all()


# ---------------------------------------------------------------------------------------- a lead's own limit


def rolled(day: date) -> date:
    while not chinese_calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def test_a_lead_received_yesterday_carries_no_card(pack: Pack) -> None:
    """收到之日起3个月内办结 (the pack's lead_close): 2025-07-01 + 3 months = 10-01, National Day, rolled to
    10-09. Seen the next day, 99 days are left: no card on the three-colour scheme. Tracked against the
    1-month 处置意见 step instead (08-01), it would have been yellow on arrival."""
    received, next_day = d("2025-07-01"), d("2025-07-02")
    due = rolled(date(2025, 10, 1))
    assert due == d("2025-10-09")
    rule = pack.rules.ledger_deadline(RouteAction.SELF, Category.ACCUSATION)
    assert rule is not None and rule.code == "lead_close" and rule.due(received, pack.calendar) == due
    row = one(pack, "three", next_day, "open", due.isoformat(), rule.code)
    assert (row["card"], row["days_left"]) == ("", 99)
    old = one(pack, "three", next_day, "open", rolled(date(2025, 8, 1)).isoformat(), "disposal_plan")
    assert old["card"] == "yellow", "what every lead got when tracked against 处置意见"


def test_cards_never_read_the_milestone(pack: Pack) -> None:
    frame = ledger([("open", "2025-12-15", MONTHS), ("open", None, "")])
    frame["milestone"] = ["disposal_plan", "disposal_plan"]
    frame["milestone_due"] = dues(["2025-08-01", "2025-08-01"])  # long past
    cards = ledger_cards(frame, as_of=AS_OF, scheme=pack.rules.card_scheme("three"), pack=pack)
    assert cards["card"].tolist() == ["", ""]
    assert cards["days_overdue"].tolist()[0] == 0


# ---------------------------------------------------------------------------------------- properties

DUES = st.one_of(st.none(), st.dates(min_value=date(2024, 6, 1), max_value=date(2027, 6, 30)))
ROWS = st.lists(
    st.tuples(
        st.sampled_from(STATUSES), DUES, st.sampled_from(RULES), st.sampled_from(("xfs", "sps", "jcs"))
    ),
    max_size=40,
)
AS_OFS = st.dates(min_value=date(2024, 12, 1), max_value=date(2027, 2, 28))


def expected_row(
    pack: Pack, scheme: CardScheme, as_of: date, status: str, due: date | None, rule: str
) -> tuple[str, object, object, object, str]:
    """card, days left, working days left, days overdue, clock, from the scalar functions."""
    clock = pack.rules.deadline(rule).clock.value if rule else ""
    if status not in ("open", "extended") or due is None:
        return "", pd.NA, pd.NA, pd.NA, clock
    color = scheme.color(due, as_of)
    left = (due - as_of).days
    workdays: object = pd.NA
    if clock == Clock.WORKING_DAYS.value:
        try:
            workdays = pack.calendar.working_days_between(as_of, due)
        except CalendarRangeError:
            workdays = pd.NA
    return ("" if color is None else color.value), left, workdays, max(-left, 0), clock


def test_vectorised_equals_scalar(pack: Pack) -> None:
    """On random frames, every row equals the scalar ``scheme.color`` and ``working_days_between``."""

    @settings(max_examples=150, deadline=None)
    @given(rows=ROWS, as_of=AS_OFS, scheme_code=st.sampled_from(("three", "four")))
    def check(rows: list[tuple[str, date | None, str, str]], as_of: date, scheme_code: str) -> None:
        scheme = pack.rules.card_scheme(scheme_code)
        frame = pd.DataFrame(
            {
                "status": [r[0] for r in rows],
                "due": dues([r[1] for r in rows]),
                "deadline": [r[2] for r in rows],
                "handler_unit": [r[3] for r in rows],
            },
            index=pd.RangeIndex(100, 100 + len(rows)),
        )
        cards = ledger_cards(frame, as_of=as_of, scheme=scheme, pack=pack)
        columns = ("card", "days_left", "workdays_left", "days_overdue", "clock")
        got = list(zip(*(cards[c] for c in columns), strict=True))
        want = [expected_row(pack, scheme, as_of, *r[:3]) for r in rows]
        assert got == want

        totals, per_unit = card_counts(cards, frame, scheme)
        carded = int((cards["card"] != "").sum())
        assert sum(totals.values()) == carded
        assert int(per_unit.to_numpy().sum()) == carded
        assert set(per_unit.index) == {r[3] for r in rows}
        reds = red_list(frame, cards)
        assert len(reds) == totals["red"]
        assert np.all(np.diff(reds["days_overdue"].to_numpy(dtype=np.int64)) <= 0)
        unknown = sum(1 for w in want if w[4] == "working_days" and w[1] is not pd.NA and w[2] is pd.NA)
        assert unknown_workdays(cards) == unknown

    check()


def test_cards_only_get_more_urgent_as_days_pass(pack: Pack) -> None:
    """Seen later, an open item's card only gets more urgent (three: none -> yellow -> orange -> red)."""
    rank = {"": 0, "yellow": 1, "orange": 2, "red": 3}
    frame = ledger([("open", (d("2025-09-01") + timedelta(days=k)).isoformat(), CALENDAR) for k in range(90)])
    scheme = pack.rules.card_scheme("three")
    before = None
    for k in range(0, 120, 7):
        cards = ledger_cards(frame, as_of=d("2025-08-01") + timedelta(days=k), scheme=scheme, pack=pack)
        now = [rank[c] for c in cards["card"]]
        if before is not None:
            assert all(a <= b for a, b in zip(before, now, strict=True))
        before = now
