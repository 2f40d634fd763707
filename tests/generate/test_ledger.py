"""The ledger generator: statuses as of a date, due dates from the pack's rules, reproducible."""

from __future__ import annotations

from collections import Counter
from datetime import date

from toolkit.domain.codes import ItemStatus, RouteAction, StartEvent
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.packs import Pack

AS_OF = date(2026, 3, 31)


def test_statuses_and_dates_agree_with_the_as_of_day(pack: Pack, generator: CaseGenerator) -> None:
    items = list(ledger_items(generator, 11, 3000, AS_OF))
    assert len({i.id for i in items}) == 3000
    statuses = Counter(i.status for i in items)
    assert set(statuses) == {ItemStatus.OPEN, ItemStatus.EXTENDED, ItemStatus.CLOSED, ItemStatus.FILED}
    for it in items:
        assert it.received <= AS_OF
        assert it.pack == "default@1.0.0" and it.seed == 11
        assert pack.jurisdiction.has(it.handler_unit)
        if it.status in (ItemStatus.CLOSED, ItemStatus.FILED):
            assert it.closed is not None and it.received <= it.closed <= AS_OF
        else:
            assert it.closed is None
        if it.route.action is RouteAction.FILE:
            assert it.status is ItemStatus.FILED and it.deadline == ""
            continue
        rule = pack.rules.ledger_deadline(it.route.action, it.category)
        assert rule is not None and rule.code == it.deadline
        if rule.start is StartEvent.RECEIVED:
            base = rule.due(it.received, pack.calendar)
            if rule.extension is None:
                assert it.due == base
            else:
                assert it.due in (base, rule.due(it.received, pack.calendar, extended=True))
        if it.status is ItemStatus.EXTENDED:
            assert rule.extension is not None
    # some open items are already overdue on the as-of day: the red cards of the dashboard
    assert any(i.status is ItemStatus.OPEN and i.due < AS_OF for i in items)


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
