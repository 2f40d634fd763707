"""Choosing the next case for a learner: a fresh seed, a level, and optionally a channel."""

from __future__ import annotations

import secrets

from toolkit.domain.codes import Channel, Level
from toolkit.domain.models import Case
from toolkit.errors import GenerationError
from toolkit.generate.cases import CaseGenerator

#: how many indices of one seed are tried to find a case of the asked-for channel
MAX_TRIES = 400
#: seeds drawn for attempts are below this (they fit a 32-bit integer column anywhere)
SEED_LIMIT = 2**31


def new_seed() -> int:
    """A seed for a new attempt; recorded with the attempt, so the case can be made again."""
    return secrets.randbelow(SEED_LIMIT)


def pick_case(gen: CaseGenerator, seed: int, level: Level, channel: Channel | None = None) -> Case:
    """The first case of ``seed`` at ``level`` that arrived by ``channel`` (any channel when None).

    The same arguments give the same case everywhere. Raises :class:`GenerationError` when the pack's
    mix never produces ``channel`` within :data:`MAX_TRIES` cases.
    """
    for index in range(MAX_TRIES):
        case = gen.case(seed, index, level)
        if channel is None or case.channel is channel:
            return case
    raise GenerationError(
        f"no {channel.value if channel else ''} case among the first {MAX_TRIES} of seed {seed}; "
        "check the channel weights in the pack's mix"
    )
