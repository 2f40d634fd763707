"""Damaged ledger files: a broken workbook or undecodable text is a located ledger problem, never a crash.

Each case is one a fuzzing run found: a corrupt deflate stream and a damaged zip directory inside an
``.xlsx`` (errors openpyxl lets through), and an undecodable CRLF file whose message named a column with its
carriage return.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from toolkit.errors import LedgerInvalid
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.ledger.export import write_ledger
from toolkit.ledger.importer import read_ledger
from toolkit.packs import Pack

ROWS = 8


#: cell text: short strings, dates in several forms, numbers, the labels a ledger really holds
@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, generator: CaseGenerator, pack: Pack) -> list[list[str]]:
    """The header and rows of a small valid ledger, as write_ledger writes them."""
    path = tmp_path_factory.mktemp("fuzz-ledgers") / "base.csv"
    write_ledger(ledger_items(generator, 5, ROWS), pack, path)
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


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


def test_a_corrupt_deflate_stream_in_an_xlsx_is_a_ledger_problem(workbook: bytes, pack: Pack) -> None:
    raw = bytearray(workbook)
    member = zipfile.ZipFile(io.BytesIO(workbook)).getinfo("xl/worksheets/sheet1.xml")
    at = member.header_offset
    name_len = int.from_bytes(raw[at + 26 : at + 28], "little")
    extra_len = int.from_bytes(raw[at + 28 : at + 30], "little")
    start = at + 30 + name_len + extra_len
    raw[start : start + 2] = b"\xff\xff"  # a deflate block of the reserved type 11: zlib refuses it
    escaped = ""
    with scratch(collect=True) as folder:
        path = folder / "ledger.xlsx"
        path.write_bytes(bytes(raw))
        try:
            read_ledger(path, pack)
        except LedgerInvalid as exc:
            assert "xlsx" in str(exc)
        except zlib.error as exc:  # kept as text: the traceback would keep the leaked file alive
            escaped = f"zlib.error: {exc}"
        else:
            pytest.fail("a workbook with a corrupt deflate stream was read")
    assert not escaped, escaped


def test_an_undecodable_crlf_file_names_its_column_without_a_carriage_return(pack: Pack) -> None:
    with scratch() as folder:
        path = folder / "ledger.csv"
        path.write_bytes("编号,收件日期\r\n".encode("gbk") + b"A1,\x80\x81\xff\r\n")
        with pytest.raises(LedgerInvalid) as info:
            read_ledger(path, pack)
    message = info.value.problems[0].message
    assert "收件日期" in message
    assert "\r" not in message


def test_a_workbook_with_a_damaged_zip_directory_is_a_ledger_problem(workbook: bytes, pack: Pack) -> None:
    raw = bytearray(workbook)
    directory = raw.index(b"PK\x01\x02")
    raw[directory + 6] = 150  # "version needed to extract": 15.0, more than zipfile knows
    with scratch(collect=True) as folder:
        path = folder / "ledger.xlsx"
        path.write_bytes(bytes(raw))
        with pytest.raises(LedgerInvalid):
            read_ledger(path, pack)
