"""Choosing the next case: the channel and level asked for, reproducible from the recorded seed."""

from __future__ import annotations

import pytest

from toolkit.domain.codes import Channel, Level
from toolkit.errors import GenerationError
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.pick import DEFECT_COUNTS, MAX_TRIES, SEED_LIMIT, new_seed, pick_case, pick_dossier


@pytest.mark.parametrize("channel", list(Channel))
def test_the_case_has_the_channel_and_level_asked_for(generator: CaseGenerator, channel: Channel) -> None:
    for seed in (1, 2, 3):
        case = pick_case(generator, seed, Level.MEDIUM, channel)
        assert case.channel is channel and case.level is Level.MEDIUM and case.seed == seed
        earlier = [generator.case(seed, i, Level.MEDIUM).channel for i in range(case.index)]
        assert channel not in earlier, "the first matching case of the seed"
        assert pick_case(generator, seed, Level.MEDIUM, channel) == case


def test_any_channel_is_the_first_case_of_the_seed(generator: CaseGenerator) -> None:
    assert pick_case(generator, 9, Level.EASY).index == 0


def test_seeds_are_fresh_and_in_range() -> None:
    seeds = {new_seed() for _ in range(50)}
    assert len(seeds) > 45 and all(0 <= s < SEED_LIMIT for s in seeds)


def test_a_channel_the_mix_never_makes_is_a_clear_error(
    generator: CaseGenerator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("toolkit.generate.pick.MAX_TRIES", 0)
    with pytest.raises(GenerationError, match="channel weights"):
        pick_case(generator, 1, Level.EASY, Channel.PHONE)
    assert MAX_TRIES > 0


@pytest.mark.parametrize("level", list(Level))
def test_practice_dossiers_have_a_defect_count_of_their_level(generator: CaseGenerator, level: Level) -> None:
    counts = set()
    for seed in range(12):
        dossier = pick_dossier(generator, seed, level)
        assert dossier.level is level
        assert len(dossier.answer_key) in DEFECT_COUNTS[level]
        assert pick_dossier(generator, seed, level) == dossier, "reproducible from the seed"
        counts.add(len(dossier.answer_key))
    assert len(counts) > 1, "the count varies, so the reviewer cannot count on it"
