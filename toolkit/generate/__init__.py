"""Seeded generators: intake cases (with their answer keys), the history ledger, ledgers.

Randomness always comes from a ``random.Random`` seeded per item from (pack, seed, index): never from
global state, never from today's date.
"""

from __future__ import annotations

from toolkit.generate.cases import UNSPECIFIED, CaseGenerator, HistoryRecord
from toolkit.generate.ledger import ledger_items
from toolkit.generate.routing import route_for

__all__ = ["UNSPECIFIED", "CaseGenerator", "HistoryRecord", "ledger_items", "route_for"]
