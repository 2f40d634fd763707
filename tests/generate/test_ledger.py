"""The ledger generator: each item against its own 办结 / 报结 limit, as of a date, reproducible.

Expected due dates are worked out here from the rules' text in ``scenarios/default/rules.yaml`` with
``chinese_calendar`` directly (not with the toolkit's calendar or deadline code):

* lead_close: 本级办理的问题线索, 收到之日起3个月内办结 (training), a holiday end rolled on; extendable by 3
  more months.
* assign_report: 交办件, 交办之日起3个月 (the 交办函's 报结期限); the referral is a few working days after
  receipt.
* petition_close: 转送主管部门, 60 日 counted from the transfer; extendable by 30 日.
* report_up: 报送上级, 收到之日起5个工作日内.
* discipline_appeal_close: 3个月, from acceptance; accountability_appeal_decision and
  supervision_review_decision: 1个月, from receipt.
* disposal_plan (the milestone of a lead handled here): 收到之日起1个月内.
* No limit: 登记留存备查 (file), 告知 (advise, answered at once), 批评建议 (no rule sets one).
"""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date, timedelta

import chinese_calendar
import pytest

from toolkit.domain.codes import Category, Channel, ItemStatus, RouteAction
from toolkit.domain.models import LedgerItem
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.packs import Pack

AS_OF = date(2026, 3, 31)
#: the referral (交办 / 转送) or acceptance is at most this many working days after receipt
START_WORKDAYS = 8


def months_later(day: date, n: int) -> date:
    """The same day ``n`` months on (the month's last day where it has none)."""
    year, month = divmod(day.month - 1 + n, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def rolled(day: date) -> date:
    """A last day falling on a holiday or weekend moves to the next working day."""
    while not chinese_calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def workdays_later(day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (the start day not counted)."""
    while n:
        day += timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


def starts_after(received: date, as_of: date) -> list[date]:
    """The days an acceptance or referral may fall on: a few working days after receipt, not after as-of."""
    days = {min(workdays_later(received, n), as_of) for n in range(0, START_WORKDAYS + 1)}
    return sorted(d for d in days if d >= received)


@pytest.fixture(scope="module")
def items(generator: CaseGenerator) -> list[LedgerItem]:
    return list(ledger_items(generator, 11, 3000, AS_OF))


def of(items: list[LedgerItem], deadline: str) -> list[LedgerItem]:
    found = [it for it in items if it.deadline == deadline]
    assert found, f"no item tracked against {deadline}"
    return found


def test_statuses_and_dates_agree_with_the_as_of_day(pack: Pack, items: list[LedgerItem]) -> None:
    assert len({i.id for i in items}) == 3000
    statuses = Counter(i.status for i in items)
    assert set(statuses) == {ItemStatus.OPEN, ItemStatus.EXTENDED, ItemStatus.CLOSED, ItemStatus.FILED}
    for it in items:
        assert it.received <= AS_OF
        assert it.pack == pack.ref and it.seed == 11
        assert pack.jurisdiction.has(it.handler_unit)
        if it.status in (ItemStatus.CLOSED, ItemStatus.FILED):
            assert it.closed is not None and it.received <= it.closed <= AS_OF
        else:
            assert it.closed is None
        rule = pack.rules.ledger_deadline(it.route.action, it.category, it.problem_type)
        assert it.deadline == (rule.code if rule is not None else "")
        assert (it.due is None) == (rule is None)
        if it.status is ItemStatus.EXTENDED:
            assert rule is not None and rule.extension is not None, "only a rule with an extension extends"
    # some open items are already overdue on the as-of day: the red cards of the dashboard
    assert any(i.status is ItemStatus.OPEN and i.due is not None and i.due < AS_OF for i in items)


def test_an_open_lead_is_due_three_months_after_receipt(items: list[LedgerItem]) -> None:
    leads = [it for it in of(items, "lead_close") if it.status is ItemStatus.OPEN]
    assert leads
    for it in leads:
        assert it.route.action is RouteAction.SELF and it.category is Category.ACCUSATION
        assert it.due == rolled(months_later(it.received, 3)), it.id
        assert it.due != rolled(months_later(it.received, 1)), "not the 1-month 处置意见 step"
    extended = [it for it in of(items, "lead_close") if it.status is ItemStatus.EXTENDED]
    assert extended
    for it in extended:
        assert it.due == rolled(months_later(months_later(it.received, 3), 3)), it.id


def test_no_open_lead_is_carded_in_its_first_two_months(items: list[LedgerItem], pack: Pack) -> None:
    """With 3 months to go, a lead carries no card on arrival (yellow starts a month before the end)."""
    scheme = pack.rules.card_scheme("three")
    recent = [it for it in of(items, "lead_close") if it.received >= AS_OF - timedelta(days=45)]
    assert recent
    for it in recent:
        assert it.due is not None
        assert scheme.color(it.due, it.received + timedelta(days=1)) is None, it.id
        assert scheme.color(it.due, AS_OF) is None, it.id


def test_the_milestone_of_a_lead_is_one_month_after_receipt(items: list[LedgerItem]) -> None:
    for it in items:
        lead = it.route.action is RouteAction.SELF and it.category is Category.ACCUSATION
        if lead:
            assert it.milestone == "disposal_plan"
            assert it.milestone_due == rolled(months_later(it.received, 1)), it.id
        else:
            assert (it.milestone, it.milestone_due) == ("", None), it.id


def test_an_assigned_item_is_due_three_months_after_its_referral(items: list[LedgerItem]) -> None:
    assigned = of(items, "assign_report")
    later = 0
    for it in assigned:
        assert it.route.action is RouteAction.ASSIGN
        assert it.status is not ItemStatus.EXTENDED, "the 交办函's 报结期限 has no extension here"
        possible = {rolled(months_later(r, 3)) for r in starts_after(it.received, AS_OF)}
        assert it.due in possible, it.id
        later += it.due != rolled(months_later(it.received, 3))
    assert later > len(assigned) // 2, "counted from the day the 交办函 was sent, not from receipt"


def test_a_transfer_is_due_sixty_days_after_it_was_sent(items: list[LedgerItem]) -> None:
    for it in of(items, "petition_close"):
        assert it.route.action is RouteAction.TRANSFER
        days = 90 if it.status is ItemStatus.EXTENDED else 60
        possible = {rolled(r + timedelta(days=days)) for r in starts_after(it.received, AS_OF)}
        if it.status is ItemStatus.CLOSED:  # closed late: extended or not
            possible |= {rolled(r + timedelta(days=90)) for r in starts_after(it.received, AS_OF)}
        assert it.due in possible, it.id


def test_an_item_reported_up_is_due_in_five_working_days(items: list[LedgerItem]) -> None:
    for it in of(items, "report_up"):
        assert it.due == workdays_later(it.received, 5), it.id


def test_appeals_carry_their_own_limits(items: list[LedgerItem]) -> None:
    for it in of(items, "discipline_appeal_close"):
        assert it.problem_type == "discipline_appeal"
        assert it.due in {rolled(months_later(a, 3)) for a in starts_after(it.received, AS_OF)}, it.id
    for code, problem in (
        ("accountability_appeal_decision", "accountability_appeal"),
        ("supervision_review_decision", "supervision_review"),
    ):
        for it in of(items, code):
            assert it.problem_type == problem
            assert it.due == rolled(months_later(it.received, 1)), it.id
    appeals = [it for it in items if it.category is Category.APPEAL]
    assert appeals and all(it.status is not ItemStatus.EXTENDED for it in appeals)


def test_suggestions_advice_and_filed_items_have_no_due_date(items: list[LedgerItem]) -> None:
    suggestions = [it for it in items if it.category is Category.SUGGESTION]
    advised = [it for it in items if it.route.action is RouteAction.ADVISE]
    filed = [it for it in items if it.route.action is RouteAction.FILE]
    assert suggestions and advised and filed
    for it in (*suggestions, *advised, *filed):
        assert (it.deadline, it.due) == ("", None), it.id
        assert it.to_dict()["due"] is None
    # suggestions stay open or closed like any item; advice is closed on the day; filed items are filed
    assert {it.status for it in suggestions} == {ItemStatus.OPEN, ItemStatus.CLOSED}
    assert all(it.status is ItemStatus.CLOSED and it.closed == it.received for it in advised)
    assert all(it.status is ItemStatus.FILED for it in filed)


@pytest.mark.parametrize(
    "as_of",
    [
        date(2025, 1, 3),  # the window's second day
        date(2025, 5, 31),  # a Saturday, the first day of the Dragon Boat holiday
        date(2025, 9, 27),  # a Saturday before National Day (Sunday 09-28 is a make-up working day)
        date(2025, 10, 4),  # a Saturday in the National Day holiday
        date(2026, 2, 14),  # a make-up working Saturday before the Spring Festival
        date(2026, 6, 30),  # the window's last day
    ],
)
def test_nothing_is_received_or_closed_after_the_as_of_day(
    generator: CaseGenerator, pack: Pack, as_of: date
) -> None:
    items = list(ledger_items(generator, 3, 400, as_of))
    assert items
    for it in items:
        assert pack.received_window[0] <= it.received <= as_of, it.id
        assert it.closed is None or it.received <= it.closed <= as_of, it.id
        if it.channel is not Channel.ONLINE:  # offices receive letters, visits and calls on working days
            assert chinese_calendar.is_workday(it.received), it.id


def test_same_seed_same_ledger(generator: CaseGenerator) -> None:
    a = [i.to_dict() for i in ledger_items(generator, 4, 200, AS_OF)]
    b = [i.to_dict() for i in ledger_items(CaseGenerator(generator.pack), 4, 200, AS_OF)]
    assert a == b
    assert a != [i.to_dict() for i in ledger_items(generator, 5, 200, AS_OF)]


def test_default_as_of_is_the_window_end_not_today(pack: Pack, generator: CaseGenerator) -> None:
    items = list(ledger_items(generator, 2, 100))
    assert max(i.received for i in items) <= pack.received_window[1]
    assert [i.to_dict() for i in items] == [
        i.to_dict() for i in ledger_items(generator, 2, 100, pack.received_window[1])
    ]
