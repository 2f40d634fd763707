"""Fast seeded draws. One ``rng.random()`` per draw: cheaper than ``choice``/``randrange`` and just as
reproducible (the float sequence of ``random.Random`` is the same on every platform)."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One item of a non-empty sequence."""
    return items[int(rng.random() * len(items))]


def between(rng: random.Random, lo: int, hi: int) -> int:
    """A whole number with ``lo <= n < hi``."""
    return lo + int(rng.random() * (hi - lo))


def weighted(rng: random.Random, items: Sequence[T], cum_weights: Sequence[float]) -> T:
    """One item, with probability proportional to its weight (``cum_weights`` are running totals)."""
    return items[bisect(cum_weights, rng.random() * cum_weights[-1])]
