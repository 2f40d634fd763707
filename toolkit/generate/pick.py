"""Choosing a learner's next item: a fresh seed, a level, and a channel or a defect count."""

from __future__ import annotations

import random
import secrets

from toolkit.domain.codes import Channel, Level
from toolkit.domain.dossier import Dossier
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


#: how many defects a practice dossier gets at each level (drawn uniformly; 0 is a clean dossier)
DEFECT_COUNTS: dict[Level, tuple[int, ...]] = {
    Level.EASY: (1, 2),
    Level.MEDIUM: (1, 2, 3),
    Level.HARD: (0, 1, 2, 3, 4),
}


def pick_dossier(gen: CaseGenerator, seed: int, level: Level) -> Dossier:
    """A practice dossier for ``seed`` at ``level``: its defect count drawn from :data:`DEFECT_COUNTS`.

    Dossiers are tried from index 0 until one has enough applicable defect types; the same arguments give
    the same dossier everywhere.
    """
    from toolkit.generate.dossiers import build_dossier

    count = random.Random(f"{gen.pack.ref}|{seed}|defect-count|{level.value}").choice(DEFECT_COUNTS[level])
    last: GenerationError | None = None
    for index in range(MAX_TRIES):
        try:
            return build_dossier(gen, seed, index, defects=count, level=level)
        except GenerationError as exc:
            last = exc
    raise GenerationError(
        f"no dossier with {count} defect(s) among the first {MAX_TRIES} of seed {seed}: {last}"
    )
