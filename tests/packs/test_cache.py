"""The validated-pack cache: the same pack as loading it, never stale, never a half-written file."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

import pytest

import toolkit.packs.cache as cache_module
from tests.pack_edits import edit
from toolkit.errors import PackInvalid
from toolkit.packs import Pack, load_pack
from toolkit.packs.cache import cache_dir, cached_pack, pack_digest


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XFKIT_CACHE", str(folder))
    return folder


def test_the_cached_pack_is_the_loaded_pack(pack_copy: Path, cache: Path) -> None:
    first = cached_pack(pack_copy)
    files = list(cache.iterdir())
    assert [f.name for f in files] == [f"pack-default-{pack_digest(pack_copy)}.pickle"]
    second = cached_pack(pack_copy)
    assert second is not first, "the second call read the file"
    assert first == second == load_pack(pack_copy)
    start = first.received_window[0]
    assert second.calendar.add_working_days(start, 15) == first.calendar.add_working_days(start, 15)


def test_the_second_load_does_not_validate_again(
    pack_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = cached_pack(pack_copy)

    def no_loading(path: object) -> Pack:
        raise AssertionError("the pack was loaded again")

    monkeypatch.setattr(cache_module, "load_pack", no_loading)
    assert cached_pack(pack_copy) == expected


def test_an_edited_pack_is_loaded_again(pack_copy: Path, cache: Path) -> None:
    before = cached_pack(pack_copy)
    edit(pack_copy, "pack.yaml", 'version: "2.0.0"', 'version: "2.0.1"')
    after = cached_pack(pack_copy)
    assert (before.version, after.version) == ("2.0.0", "2.0.1")
    assert len(list(cache.iterdir())) == 2


def test_an_invalid_pack_raises_and_leaves_nothing(pack_copy: Path, cache: Path) -> None:
    edit(pack_copy, "pack.yaml", "schema_version: 1", "schema_version: one")
    with pytest.raises(PackInvalid):
        cached_pack(pack_copy)
    assert not cache.exists() or list(cache.iterdir()) == []


def test_a_damaged_cache_file_is_rebuilt(
    pack_copy: Path, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cached_pack(pack_copy)
    (target,) = cache.iterdir()
    target.write_bytes(target.read_bytes()[:1000])
    with caplog.at_level(logging.WARNING, "xfkit.packs"):
        rebuilt = cached_pack(pack_copy)
    assert rebuilt == load_pack(pack_copy)
    assert "could not be read" in caplog.text
    assert isinstance(pickle.loads(target.read_bytes()), Pack), "the file was written again, whole"


def test_something_else_in_the_cache_file_is_not_used(pack_copy: Path, cache: Path) -> None:
    cached_pack(pack_copy)
    (target,) = cache.iterdir()
    target.write_bytes(pickle.dumps({"not": "a pack"}))
    assert cached_pack(pack_copy) == load_pack(pack_copy)


def test_a_file_in_place_of_the_cache_folder_is_skipped(
    pack_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XFKIT_CACHE", str(blocker))
    with caplog.at_level(logging.WARNING, "xfkit.packs"):
        assert cached_pack(pack_copy) == load_pack(pack_copy)
    assert "could not keep" in caplog.text


def test_the_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XFKIT_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "xfkit"
    monkeypatch.setenv("XFKIT_CACHE", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
