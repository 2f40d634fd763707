"""Seeded ledger (台账) generator for the dashboard and audit apps.

Items are received in the pack's window and seen on ``as_of`` (the window's last day unless given):
an item whose handling ended by then is closed, the rest are open, some with an approved extension.
Due dates come from the pack's rules (``ledger_deadlines``), so cards computed later agree with them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from toolkit.domain.codes import ItemStatus, Level, StartEvent
from toolkit.domain.models import LedgerItem
from toolkit.errors import GenerationError
from toolkit.generate.cases import CaseGenerator, Draft
from toolkit.generate.draw import between, pick
from toolkit.generate.history import HISTORY_STEPS


def ledger_items(
    gen: CaseGenerator, seed: int, count: int, as_of: date | None = None
) -> Iterator[LedgerItem]:
    """``count`` ledger rows made with ``seed``, as they stand on ``as_of``."""
    pack = gen.pack
    if count < 0:
        raise GenerationError(f"count must be ≥ 0, got {count}")
    today = as_of or pack.received_window[1]
    window = (pack.received_window[0], min(pack.received_window[1], today))
    if window[1] < window[0]:
        raise GenerationError(f"as_of {today} is before the pack's received window starts ({window[0]})")
    history = gen.history(seed)
    for index in range(count):
        d = gen.draft(
            seed, index, Level.MEDIUM, window=window, history=history, steps=HISTORY_STEPS, stream="ledger"
        )
        yield _item(gen, d, seed, index, today)


def _item(gen: CaseGenerator, d: Draft, seed: int, index: int, today: date) -> LedgerItem:
    pack, cal, rng = gen.pack, gen.pack.calendar, d.rng
    truth = d.truth
    assert truth is not None and d.problem is not None
    received = d.received.date()
    rule = pack.rules.ledger_deadline(truth.route.action, truth.category)
    closed: date | None
    if rule is None:
        status, due, closed, deadline = ItemStatus.FILED, received, received, ""
    else:
        start = received
        if rule.start is StartEvent.ACCEPTED:
            start = cal.add_working_days(received, between(rng, 1, 8))
        due = rule.due(start, cal)
        # most items finish in time, some late, a few much later
        spread = (due - received).days
        took = int(spread * pick(rng, (0.3, 0.5, 0.7, 0.9, 1.0, 1.2, 1.6)))
        finish = received + timedelta(days=max(1, took))
        extended = rule.extension is not None and finish > due and rng.random() < 0.5
        if extended:
            due = rule.due(start, cal, extended=True)
        if finish <= today:
            status, closed = ItemStatus.CLOSED, finish
        else:
            status, closed = (ItemStatus.EXTENDED if extended else ItemStatus.OPEN), None
        deadline = rule.code
    accused = d.accused
    route = truth.route
    return LedgerItem(
        id=f"{pack.name}-{seed}-L{index:06d}",
        seed=seed,
        pack=pack.ref,
        received=received,
        channel=d.channel,
        reporter_name=d.person.name if d.person else None,
        accused_name=accused.name if accused else None,
        accused_unit=accused.unit if accused else None,
        category=truth.category,
        problem_type=truth.problem_type,
        flags=truth.flags,
        route=route,
        handler_unit=route.unit,
        deadline=deadline,
        due=due,
        status=status,
        closed=closed,
        keywords=d.problem.keywords,
        summary=d.facts,
    )
