"""Shared fixtures: the default pack (loaded once), a seeded generator, a copy of a pack to break."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.generate.cases import CaseGenerator
from toolkit.packs import Pack, load_pack

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session", autouse=True)
def pack_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Validated packs go to a folder of this run's own (servers the tests start inherit it)."""
    folder = tmp_path_factory.mktemp("pack-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XFKIT_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack(SCENARIOS / "default")


@pytest.fixture(scope="session")
def generator(pack: Pack) -> CaseGenerator:
    return CaseGenerator(pack)


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A writable copy of the default pack, named ``default`` (its folder name must match pack.yaml)."""
    target = tmp_path / "default"
    shutil.copytree(SCENARIOS / "default", target)
    return target
