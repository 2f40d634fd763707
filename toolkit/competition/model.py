"""What a trainer builds: a competition's name, pack, seed and rounds.

The command line writes rounds as ``intake:5,findings:3,quiz:20`` (kind and item count) with their minutes
as ``15,20,10``; :func:`parse_rounds` reads that, :func:`spec_problems` checks a spec built any other way
(a form, a JSON file) against the same limits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.competition.events import ROUND_KINDS
from toolkit.errors import ContestRefused

__all__ = [
    "COUNT_LIMITS",
    "MINUTE_LIMITS",
    "CompetitionSpec",
    "RoundSpec",
    "parse_rounds",
    "round_problems",
    "spec_problems",
]

#: the smallest and largest item count of a round, by kind
COUNT_LIMITS: Mapping[str, tuple[int, int]] = {"intake": (1, 50), "findings": (1, 50), "quiz": (1, 100)}
#: the shortest and longest round, in minutes
MINUTE_LIMITS: tuple[int, int] = (1, 240)
_WHOLE = re.compile(r"-?[0-9]+")


@dataclass(frozen=True, slots=True)
class RoundSpec:
    """One round: what kind of items, how many, and how many minutes the contestants get."""

    kind: str
    count: int
    minutes: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "count": self.count, "minutes": self.minutes}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoundSpec:
        return cls(kind=str(data["kind"]), count=int(data["count"]), minutes=int(data["minutes"]))


@dataclass(frozen=True, slots=True)
class CompetitionSpec:
    """A competition as the trainer set it up.

    Attributes
    ----------
    name
        Shown on the contestants' pages and the leaderboard.
    pack
        The scenario pack's name; items are made from it.
    seed
        Every item of every round follows from it (and the round, position and contestant slot).
    rounds
        In the order they are played; round numbers are 1-based positions in this tuple.
    variants
        False: every contestant gets the same items. True: each contestant gets items of equal difficulty
        made for them (see :mod:`toolkit.competition.items`).
    """

    name: str
    pack: str
    seed: int
    rounds: tuple[RoundSpec, ...]
    variants: bool = False

    def round(self, round_no: int) -> RoundSpec:
        """Round ``round_no`` (1-based); ``IndexError`` when there is no such round."""
        if not 1 <= round_no <= len(self.rounds):
            raise IndexError(f"the competition has rounds 1..{len(self.rounds)}, not {round_no}")
        return self.rounds[round_no - 1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "pack": self.pack,
            "seed": self.seed,
            "rounds": [r.to_dict() for r in self.rounds],
            "variants": self.variants,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CompetitionSpec:
        return cls(
            name=str(data["name"]),
            pack=str(data["pack"]),
            seed=int(data["seed"]),
            rounds=tuple(RoundSpec.from_dict(r) for r in data["rounds"]),
            variants=bool(data.get("variants", False)),
        )


def round_problems(spec: RoundSpec, where: str) -> list[str]:
    """What is wrong with one round, each message starting with ``where`` (``"round 2 (quiz)"``)."""
    if spec.kind not in ROUND_KINDS:
        return [f"{where}: unknown kind {spec.kind!r}; allowed: {', '.join(ROUND_KINDS)}"]
    problems = []
    lo, hi = COUNT_LIMITS[spec.kind]
    if not lo <= spec.count <= hi:
        problems.append(f"{where}: {spec.kind} rounds have {lo}..{hi} items, not {spec.count}")
    lo, hi = MINUTE_LIMITS
    if not lo <= spec.minutes <= hi:
        problems.append(f"{where}: a round lasts {lo}..{hi} minutes, not {spec.minutes}")
    return problems


def spec_problems(spec: CompetitionSpec) -> list[str]:
    """Everything wrong with a competition spec (empty when it can be played).

    Parameters
    ----------
    spec
        The spec, however it was built.

    Returns
    -------
    list of str
        One message per problem, naming the part: the name, the seed, or ``round N (kind)``.
    """
    problems = []
    if not spec.name.strip():
        problems.append("name: a competition needs a name")
    if not spec.pack.strip():
        problems.append("pack: a competition needs a pack")
    if spec.seed < 0:
        problems.append(f"seed: must be a whole number ≥ 0, not {spec.seed}")
    if not spec.rounds:
        problems.append("rounds: a competition needs at least one round")
    for n, r in enumerate(spec.rounds, start=1):
        problems += round_problems(r, f"round {n} ({r.kind})")
    return problems


def parse_rounds(rounds: str, minutes: str) -> tuple[RoundSpec, ...]:
    """Rounds from the command line's ``intake:5,findings:3,quiz:20`` and ``15,20,10``.

    Parameters
    ----------
    rounds
        Comma-separated ``kind:count``; kinds are those of :data:`~toolkit.competition.events.ROUND_KINDS`.
    minutes
        Comma-separated minutes, one per round in the same order.

    Returns
    -------
    tuple of RoundSpec
        In the order given.

    Raises
    ------
    ContestRefused
        Reason ``"bad-spec"``, naming every part that is wrong: a part that is not ``kind:count``, an
        unknown kind, a count outside :data:`COUNT_LIMITS`, minutes outside :data:`MINUTE_LIMITS` or not a
        number, or a different number of rounds and minutes.
    """
    parts = [p.strip() for p in rounds.split(",")]
    times = [t.strip() for t in minutes.split(",")]
    problems: list[str] = []
    if len(parts) != len(times):
        problems.append(f"{len(parts)} round(s) ({rounds!r}) but {len(times)} minute value(s) ({minutes!r})")
    specs: list[RoundSpec] = []
    for n, part in enumerate(parts, start=1):
        where = f"round {n} ({part!r})"
        kind, sep, count_text = part.partition(":")
        kind, count_text = kind.strip(), count_text.strip()
        if not sep or not kind or not count_text:
            problems.append(f"{where}: write kind:count, e.g. quiz:20")
            continue
        count = _whole(count_text)
        if count is None:
            problems.append(f"{where}: the count {count_text!r} is not a whole number")
            continue
        minute_text = times[n - 1] if n <= len(times) else ""
        mins = _whole(minute_text)
        if mins is None:
            if n <= len(times):
                problems.append(f"{where}: the minutes {minute_text!r} are not a whole number")
            mins = MINUTE_LIMITS[0]  # only to check the rest of the part
        spec = RoundSpec(kind, count, mins)
        problems += round_problems(spec, where)
        specs.append(spec)
    if problems:
        raise ContestRefused(
            "bad-spec", "the rounds cannot be used:\n" + "\n".join(f"  {p}" for p in problems)
        )
    return tuple(specs)


def _whole(text: str) -> int | None:
    """``text`` as a whole number, None when it is not one."""
    return int(text) if _WHOLE.fullmatch(text) else None
