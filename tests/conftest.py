"""Shared fixtures: the default pack (loaded once), a seeded generator, a copy of a pack to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit.generate.cases import CaseGenerator
from toolkit.packs import Pack, load_pack

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


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
