"""The leaderboard: contestants ranked by total score, ties broken by the running time they used.

Totals are sums of the points of every scored submission (rounded to 6 decimals so that sums of
2-decimal points compare exactly); time used is the sum of the round seconds at which each answer came in
(rounded to milliseconds), so of two contestants with the same score the one who answered sooner ranks
higher. Two contestants share a rank only when both total and time are equal (competition ranking:
1, 2, 2, 4). A freeze hides every result submitted at or after the moment the board was frozen.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

__all__ = ["Result", "Standing", "standings"]


@dataclass(frozen=True, slots=True)
class Result:
    """One scored submission.

    Attributes
    ----------
    contestant
        The contestant's id.
    round, key
        The round (1-based) and the item's key (``r1-03``).
    points, max
        Points earned and what the item was worth.
    time_used_s
        Running seconds of the round used when the answer came in.
    submitted_at
        The server's time of the submission (what a freeze compares with).
    """

    contestant: str
    round: int
    key: str
    points: float
    max: float
    time_used_s: float
    submitted_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "contestant": self.contestant,
            "round": self.round,
            "key": self.key,
            "points": self.points,
            "max": self.max,
            "time_used_s": self.time_used_s,
            "submitted_at": self.submitted_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Standing:
    """One line of the leaderboard.

    Attributes
    ----------
    rank
        1-based; equal for contestants with equal total and time.
    contestant, name
        The contestant's id and the name shown.
    total
        Points over all counted results.
    time_used_s
        Running seconds used over all counted results.
    per_round
        Points by round number (only rounds with a counted result).
    answered
        How many results were counted.
    """

    rank: int
    contestant: str
    name: str
    total: float
    time_used_s: float
    per_round: Mapping[int, float] = field(default_factory=dict, hash=False)
    answered: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "contestant": self.contestant,
            "name": self.name,
            "total": self.total,
            "time_used_s": self.time_used_s,
            "per_round": {str(k): v for k, v in sorted(self.per_round.items())},
            "answered": self.answered,
        }


def standings(
    names: Mapping[str, str], results: Sequence[Result], *, frozen_at: datetime | None = None
) -> list[Standing]:
    """The leaderboard, best first.

    Parameters
    ----------
    names
        Every contestant's id and display name; contestants without a counted result are listed too.
    results
        Scored submissions. Only the first (by ``submitted_at``) per contestant and item key counts;
        results of contestants missing from ``names`` are shown under their id.
    frozen_at
        When given, only results submitted before this moment count.

    Returns
    -------
    list of Standing
        Contestants with a counted result by total (highest first), then time used (least first), then
        name and id; contestants without any after them, with total 0, by name. Ranks follow the
        competition rule (1, 2, 2, 4), equal only for exactly equal total and time.
    """
    first: dict[tuple[str, str], Result] = {}
    for r in sorted(results, key=lambda r: r.submitted_at):
        if frozen_at is not None and r.submitted_at >= frozen_at:
            continue
        first.setdefault((r.contestant, r.key), r)
    by_contestant: dict[str, list[Result]] = {c: [] for c in names}
    for (contestant, _), r in first.items():
        by_contestant.setdefault(contestant, []).append(r)

    lines: list[tuple[tuple[Any, ...], Standing]] = []
    for contestant, rs in by_contestant.items():
        name = names.get(contestant, contestant)
        total = round(math.fsum(r.points for r in rs), 6)
        time_used = round(math.fsum(r.time_used_s for r in rs), 3)
        per_round: dict[int, float] = {}
        for r in rs:
            per_round[r.round] = per_round.get(r.round, 0.0) + r.points
        standing = Standing(
            rank=0,
            contestant=contestant,
            name=name,
            total=total,
            time_used_s=time_used,
            per_round=MappingProxyType({k: round(v, 6) for k, v in sorted(per_round.items())}),
            answered=len(rs),
        )
        lines.append(((not rs, -total, time_used, name, contestant), standing))
    lines.sort(key=lambda line: line[0])

    out: list[Standing] = []
    for i, (key, standing) in enumerate(lines):
        rank = i + 1
        if out and key[:3] == lines[i - 1][0][:3]:
            rank = out[-1].rank
        out.append(replace(standing, rank=rank))
    return out
