"""Shared by the ledger reliability tests: a small valid ledger (rows and .xlsx bytes) and a scratch folder.

Both fixtures are module-scoped and built once, so that hypothesis examples mutate the same bytes on every
run (a workbook saved twice differs in its timestamps).
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.ledger.export import write_ledger
from toolkit.packs import Pack

ROWS = 8


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, generator: CaseGenerator, pack: Pack) -> list[list[str]]:
    """The header and rows of a small valid ledger, as write_ledger writes them."""
    path = tmp_path_factory.mktemp("fuzz-ledgers") / "base.csv"
    write_ledger(ledger_items(generator, 5, ROWS), pack, path)
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def workbook(base: list[list[str]]) -> bytes:
    """The base ledger as .xlsx bytes (made once: a workbook saved twice differs in its timestamps)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in base:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@contextlib.contextmanager
def scratch(*, collect: bool = False) -> Iterator[Path]:
    """A temporary folder; with ``collect``, files a failed openpyxl read left open are closed afterwards."""
    try:
        with tempfile.TemporaryDirectory(prefix="xfkit-fuzz-") as name:
            yield Path(name)
    finally:
        if collect:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                gc.collect()
