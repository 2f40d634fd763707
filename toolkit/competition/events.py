"""What happened to a competition's rounds, as the store records it: one event per trainer action.

A round's state (running, paused, ended, time left) is computed from its events and the database server's
clock (:mod:`toolkit.competition.timing`), never from a clock in a browser or a kernel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["EVENT_KINDS", "ROUND_KINDS", "RoundEvent"]

#: the kinds of round a competition has
ROUND_KINDS: tuple[str, ...] = ("intake", "findings", "quiz")

#: trainer actions on a round (``freeze``/``unfreeze`` stop and restart the projector's board; round 0
#: stands for the whole competition for those two)
EVENT_KINDS: tuple[str, ...] = ("start", "pause", "resume", "end", "release", "freeze", "unfreeze")


@dataclass(frozen=True, slots=True)
class RoundEvent:
    """One trainer action on round ``round`` (1-based; 0 for the whole competition), at the server's time."""

    competition: str
    round: int
    kind: str
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "competition": self.competition,
            "round": self.round,
            "kind": self.kind,
            "at": self.at.isoformat(),
        }
