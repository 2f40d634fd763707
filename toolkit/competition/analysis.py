"""Item analysis after a round: how hard each unit was and how well it told strong contestants from weak.

A *unit* is what the trainer wants to know about: a field of the registration form or a conduct dimension
(intake), a defect type (findings), a question (quiz). Each contestant gets a *share* of each unit they
met, 0..1 (points / max, hits / planted, right or wrong). Then per unit:

- ``p`` (difficulty index): the mean share; low p = hard.
- ``D`` (discrimination, Kelley's upper-lower index): the mean share of the top 27 % of contestants by
  total score minus that of the bottom 27 % (groups of at least one; not computed for fewer than four
  contestants). D near 0 or negative marks an item that does not separate those who know from those who
  do not.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["KELLEY", "MIN_CONTESTANTS", "ItemStat", "item_analysis", "units_of"]

#: the share of contestants in each of the upper and lower groups
KELLEY = 0.27
#: discrimination needs at least this many contestants who met the unit
MIN_CONTESTANTS = 4


@dataclass(frozen=True, slots=True)
class ItemStat:
    """Difficulty and discrimination of one unit.

    Attributes
    ----------
    unit
        The field (``route``, ``due.acceptance_notice``), conduct dimension (``conduct.listen``), defect
        type or question id.
    kind
        The round's kind: ``intake``, ``findings`` or ``quiz``.
    n
        How many contestants met the unit.
    p
        Their mean share, 0..1.
    discrimination
        Kelley's D, -1..1; None with fewer than :data:`MIN_CONTESTANTS` contestants.
    """

    unit: str
    kind: str
    n: int
    p: float
    discrimination: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "kind": self.kind,
            "n": self.n,
            "p": self.p,
            "discrimination": self.discrimination,
        }


def item_analysis(
    shares: Mapping[str, Mapping[str, float]], totals: Mapping[str, float], kind: str
) -> list[ItemStat]:
    """Difficulty and discrimination of every unit of a round.

    Parameters
    ----------
    shares
        Per contestant: the share (0..1) earned on each unit they met (see :func:`units_of`).
    totals
        Per contestant: the total that ranks them into the upper and lower groups (the round's or the
        competition's); a contestant missing here counts 0.
    kind
        The round's kind, copied into each stat.

    Returns
    -------
    list of ItemStat
        Hardest first (p ascending), then by unit. For each unit only the contestants who met it count:
        ranked by total (ties by id), the top and bottom ``max(1, round(0.27 n))`` form the groups.
    """
    by_unit: dict[str, dict[str, float]] = {}
    for contestant, units in shares.items():
        for unit, share in units.items():
            by_unit.setdefault(unit, {})[contestant] = share
    stats = []
    for unit, got in by_unit.items():
        n = len(got)
        p = math.fsum(got.values()) / n
        d: float | None = None
        if n >= MIN_CONTESTANTS:
            ranked = sorted(got, key=lambda c: (-totals.get(c, 0.0), c))
            g = max(1, round(KELLEY * n))
            upper = math.fsum(got[c] for c in ranked[:g]) / g
            lower = math.fsum(got[c] for c in ranked[-g:]) / g
            d = round(upper - lower, 6)
        stats.append(ItemStat(unit=unit, kind=kind, n=n, p=round(p, 6), discrimination=d))
    stats.sort(key=lambda s: (s.p, s.unit))
    return stats


def units_of(kind: str, score_payload: Mapping[str, Any]) -> dict[str, float]:
    """The share of each unit in one scored answer.

    Parameters
    ----------
    kind
        ``"intake"``, ``"findings"`` or ``"quiz"``.
    score_payload
        What scoring stored: ``ScoreReport.to_dict()`` (intake), ``FindingsReport.to_dict()`` (findings),
        ``QuizScore.to_dict()`` or any mapping with the question's ``id``/``question`` and ``correct``
        (quiz).

    Returns
    -------
    dict
        intake: per form field, points / max summed over its items (``due.<rule>`` per time limit), and
        per conduct dimension ``conduct.<dimension>`` over the conversation's turns when it was scored;
        units worth nothing are left out. findings: per planted defect type, hits / planted. quiz: the
        question's id → 1.0 when right, 0.0 when not.

    Raises
    ------
    ValueError
        For an unknown kind or a payload that lacks what the kind needs.
    """
    if kind == "intake":
        return _intake_units(score_payload)
    if kind == "findings":
        return _findings_units(score_payload)
    if kind == "quiz":
        return _quiz_units(score_payload)
    raise ValueError(f"unknown round kind {kind!r}")


def _intake_units(payload: Mapping[str, Any]) -> dict[str, float]:
    """Fields and conduct dimensions of an intake report."""
    if "items" not in payload:
        raise ValueError("an intake score has no items")
    sums: dict[str, tuple[float, float]] = {}
    for item in payload["items"]:
        if item.get("kind", "field") == "conduct":
            unit = f"conduct.{item.get('dimension') or 'other'}"
        else:
            unit = str(item["field"])
        got, top = sums.get(unit, (0.0, 0.0))
        sums[unit] = (got + float(item["points"]), top + float(item["max"]))
    return {unit: _share(got, top) for unit, (got, top) in sums.items() if top > 0}


def _findings_units(payload: Mapping[str, Any]) -> dict[str, float]:
    """Defect types of a findings report: ``by_defect`` as ``{hits, planted}`` or ``[hits, planted]``."""
    if "by_defect" not in payload:
        raise ValueError("a findings score has no by_defect")
    out = {}
    for code, counts in payload["by_defect"].items():
        if isinstance(counts, Mapping):
            hits, planted = counts["hits"], counts["planted"]
        else:
            hits, planted = counts
        if planted:
            out[str(code)] = _share(float(hits), float(planted))
    return out


def _quiz_units(payload: Mapping[str, Any]) -> dict[str, float]:
    """One question, right or wrong."""
    qid = next((payload[k] for k in ("question", "question_id", "id") if payload.get(k)), None)
    if qid is None:
        raise ValueError("a quiz score does not name its question")
    if "correct" in payload:
        right = bool(payload["correct"])
    elif "points" in payload and "max" in payload:
        right = float(payload["max"]) > 0 and float(payload["points"]) >= float(payload["max"])
    else:
        raise ValueError("a quiz score says neither whether it is correct nor its points")
    return {str(qid): 1.0 if right else 0.0}


def _share(got: float, top: float) -> float:
    """``got / top`` clipped to 0..1 and rounded to 6 decimals."""
    return round(min(max(got / top, 0.0), 1.0), 6)
