"""The history ledger made with each seed: earlier items that repeats point back to and 查重 searches."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from toolkit.domain.codes import Level
from toolkit.generate.cases import STEPS, HistoryRecord, compose_material, fact_slots
from toolkit.generate.draw import between

if TYPE_CHECKING:
    from toolkit.generate.cases import CaseGenerator

#: history items need no learner material
HISTORY_STEPS = tuple(step for step in STEPS if step is not compose_material)


def make_history(gen: CaseGenerator, seed: int) -> tuple[HistoryRecord, ...]:
    """``pack.mix.history_size`` earlier items received in the pack's history window, oldest first."""
    pack = gen.pack
    records = []
    for index in range(pack.mix.history_size):
        d = gen.draft(
            seed, index, Level.EASY, window=pack.history_window, steps=HISTORY_STEPS, stream="history"
        )
        assert d.truth is not None and d.problem is not None
        received = d.received.date()
        closed = received + timedelta(days=between(d.rng, 5, 80))
        records.append(
            HistoryRecord(
                id=f"{pack.name}-{seed}-H{index:05d}",
                received=received,
                closed=closed,
                channel=d.channel,
                category=d.category,
                problem=d.problem,
                accused=d.accused,
                person=d.person,
                flags=d.truth.flags,
                route=d.truth.route,
                summary=d.facts,
                template=d.template,
                fact_slots=fact_slots(d),
                specificity=d.specificity,
            )
        )
    records.sort(key=lambda r: (r.received, r.id))
    return tuple(records)
