"""The imported-ledger cache: the same frame as importing the file, never stale, never a bad file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import toolkit.ledger.frame
import toolkit.ledger.importer as importer
import toolkit.packs.cache
from toolkit.errors import LedgerInvalid
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.ledger.cache import cache_entry, cached_ledger, is_cached, warm_cache
from toolkit.ledger.export import write_ledger
from toolkit.ledger.importer import read_ledger
from toolkit.packs import Pack
from toolkit.packs.cache import cached_pack

SEED = 31


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XFKIT_CACHE", str(folder))
    return folder


@pytest.fixture
def workbook(tmp_path: Path, generator: CaseGenerator, pack: Pack) -> Path:
    path = tmp_path / "ledger.xlsx"
    write_ledger(ledger_items(generator, SEED, 40), pack, path)
    return path


def _ledgers(folder: Path) -> list[Path]:
    return sorted(folder.glob("ledger-*.pickle")) if folder.exists() else []


def test_the_cached_frame_is_the_imported_frame(workbook: Path, cache: Path, pack: Pack) -> None:
    served = cached_pack("default")
    first = cached_ledger(workbook, served)
    assert len(_ledgers(cache)) == 1
    second = cached_ledger(workbook, served)
    assert second is not first, "the second call read the file"
    expected = read_ledger(workbook, pack)
    pd.testing.assert_frame_equal(first, expected)
    pd.testing.assert_frame_equal(second, expected)
    assert second.attrs == expected.attrs


def test_the_second_call_does_not_import_again(
    workbook: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = cached_pack("default")
    expected = cached_ledger(workbook, served)

    def no_import(*args: object, **kwargs: object) -> pd.DataFrame:
        raise AssertionError("the ledger was imported again")

    monkeypatch.setattr(importer, "read_ledger", no_import)
    pd.testing.assert_frame_equal(cached_ledger(workbook, served), expected)
    renamed = workbook.with_name("另一个名字.xlsx")
    renamed.write_bytes(workbook.read_bytes())
    assert cached_ledger(renamed, served).attrs["source"] == renamed.name, "the same bytes under another name"


def test_a_changed_file_is_imported_again(
    workbook: Path, cache: Path, generator: CaseGenerator, pack: Pack
) -> None:
    served = cached_pack("default")
    before = cached_ledger(workbook, served)
    write_ledger(ledger_items(generator, SEED + 1, 25), pack, workbook)
    after = cached_ledger(workbook, served)
    assert (len(before), len(after)) == (40, 25)
    assert len(_ledgers(cache)) == 2


def test_a_file_with_problems_raises_and_leaves_nothing(tmp_path: Path, cache: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("编号,收件日期\nX-1,不是日期\n", encoding="utf-8")
    with pytest.raises(LedgerInvalid):
        cached_ledger(bad, cached_pack("default"))
    assert _ledgers(cache) == []
    assert "bad.csv" in warm_cache(str(bad), "default"), "the server gets the problem as a message"
    assert _ledgers(cache) == []


def test_a_pack_not_from_the_cache_imports_directly(workbook: Path, cache: Path, pack: Pack) -> None:
    # the session's pack was loaded with load_pack: there is no digest to name an entry by
    pd.testing.assert_frame_equal(cached_ledger(workbook, pack), read_ledger(workbook, pack))
    assert _ledgers(cache) == []


def test_a_damaged_entry_is_rebuilt(workbook: Path, cache: Path) -> None:
    served = cached_pack("default")
    expected = cached_ledger(workbook, served)
    (entry,) = _ledgers(cache)
    entry.write_bytes(b"not a pickle")
    pd.testing.assert_frame_equal(cached_ledger(workbook, served), expected)
    assert entry.read_bytes() != b"not a pickle"


def test_warm_cache_fills_the_cache(workbook: Path, cache: Path) -> None:
    assert warm_cache(str(workbook), "default") == ""
    assert len(_ledgers(cache)) == 1


def test_is_cached_tells_without_importing(workbook: Path, cache: Path) -> None:
    served = cached_pack("default")
    assert not is_cached(workbook, served)
    cached_ledger(workbook, served)
    assert is_cached(workbook, served)
    workbook.write_bytes(workbook.read_bytes() + b"\0")
    assert not is_cached(workbook, served), "other bytes, another entry"


def test_changing_the_frames_columns_names_another_entry(
    workbook: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key digests the ledger code (toolkit/ledger, frame.py included): an entry written before the
    frame gained its milestone columns is never read by the code that has them."""
    served = cached_pack("default")
    now = cache_entry(workbook, served)
    frame_py = Path(toolkit.ledger.frame.__file__)
    copy = tmp_path / "toolkit"
    shutil.copytree(frame_py.parent, copy / "ledger", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(toolkit.packs.cache, "_TOOLKIT", copy)
    assert cache_entry(workbook, served) == now, "the same code, the same entry"
    text = (copy / "ledger" / "frame.py").read_text(encoding="utf-8")
    older = text.replace('        "milestone": "str",\n        "milestone_due": "datetime64[ns]",\n', "")
    assert older != text
    (copy / "ledger" / "frame.py").write_text(older, encoding="utf-8")
    assert cache_entry(workbook, served) != now
