"""Seeded ledger (台账) generator for the dashboard and audit apps.

Items are received in the pack's window and seen on ``as_of`` (the window's last day unless given):
an item whose handling ended by then is closed, the rest are open, some with an approved extension.
Nothing is dated after ``as_of``: no item is received, closed, accepted or referred later.

Each item is tracked against its own 办结 / 报结 limit, ``pack.rules.ledger_deadline(action, category,
problem type)`` (a lead handled here: 3 months from receipt; an item assigned down: the 报结期限 of the
交办函, counted from the day it was sent; an appeal: its own rule), so cards computed later agree with
the due dates. The limit counts from the event its rule names: receipt; acceptance, a few working days
after receipt; or referral (交办 / 转送), a few working days after registration as in
:func:`toolkit.generate.dossiers.plan_dates`, and never after ``as_of``. Only a rule with an extension
extends an item. Items no rule sets a limit for have no due date: logged and kept (``file``, status
filed), answered at once (``advise``, closed on the day received) and suggestions (open or closed like
any item). The milestone beside the limit (``pack.rules.milestone``, the 处置意见 of a lead handled
here) is counted the same way.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from toolkit.domain.codes import ItemStatus, Level, RouteAction, StartEvent
from toolkit.domain.models import LedgerItem
from toolkit.errors import GenerationError
from toolkit.generate.cases import CaseGenerator, Draft
from toolkit.generate.draw import between, pick
from toolkit.generate.history import HISTORY_STEPS
from toolkit.rules.calendar import WorkCalendar
from toolkit.rules.deadlines import DeadlineRule

#: how long an item takes, as a share of its limit: most finish in time, some late, a few much later
TAKES: tuple[float, ...] = (0.3, 0.5, 0.7, 0.9, 1.0, 1.2, 1.6)
#: the span (days) the shares of :data:`TAKES` apply to for an item without a limit (a suggestion is
#: studied and answered; no rule sets a number, so this is the generator's own)
NO_LIMIT_SPAN = 30


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
    route = truth.route
    events = _events(received, rng, cal, today)
    rule = pack.rules.ledger_deadline(route.action, truth.category, truth.problem_type)
    due: date | None = None
    closed: date | None
    if route.action is RouteAction.FILE:
        status, closed = ItemStatus.FILED, received
    elif route.action is RouteAction.ADVISE:
        status, closed = ItemStatus.CLOSED, received
    else:
        start = received if rule is None else _start(rule, events)
        limit = None if rule is None else rule.due(start, cal)
        span = NO_LIMIT_SPAN if limit is None else (limit - start).days
        finish = start + timedelta(days=max(1, int(span * pick(rng, TAKES))))
        extended = False
        due = limit
        if rule is not None and limit is not None and rule.extension is not None and finish > limit:
            extended = rng.random() < 0.5
            if extended:
                due = rule.due(start, cal, extended=True)
        if finish <= today:
            status, closed = ItemStatus.CLOSED, finish
        else:
            status, closed = (ItemStatus.EXTENDED if extended else ItemStatus.OPEN), None
    step = pack.rules.milestone(route.action, truth.category)
    accused = d.accused
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
        deadline=rule.code if rule is not None else "",
        due=due,
        status=status,
        closed=closed,
        keywords=d.problem.keywords,
        summary=d.facts,
        milestone=step.code if step is not None else "",
        milestone_due=step.due(_start(step, events), cal) if step is not None else None,
    )


def _events(received: date, rng: random.Random, cal: WorkCalendar, today: date) -> dict[StartEvent, date]:
    """The days a ledger limit may count from: receipt, acceptance and referral, none after ``today``."""
    accepted = cal.add_working_days(received, between(rng, 1, 8))
    referred = cal.add_working_days(cal.next_workday(received), between(rng, 1, 6))
    return {
        StartEvent.RECEIVED: received,
        StartEvent.ACCEPTED: max(received, min(accepted, today)),
        StartEvent.REFERRED: max(received, min(referred, today)),
    }


def _start(rule: DeadlineRule, events: dict[StartEvent, date]) -> date:
    try:
        return events[rule.start]
    except KeyError:
        raise GenerationError(
            f"deadline {rule.code!r} counts from {rule.start.value}, which a ledger item does not record; "
            f"a ledger limit counts from one of {', '.join(e.value for e in events)}"
        ) from None
