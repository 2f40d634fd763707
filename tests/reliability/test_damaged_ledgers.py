"""Damaged ledger files: a broken workbook or undecodable text is a located ledger problem, never a crash.

Each case is one a fuzzing run found: a corrupt deflate stream and a damaged zip directory inside an
``.xlsx`` (errors openpyxl lets through), and an undecodable CRLF file whose message named a column with its
carriage return.
"""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from toolkit.errors import LedgerInvalid
from toolkit.ledger.importer import read_ledger
from toolkit.packs import Pack

from .conftest import scratch


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


def test_rows_wider_than_the_header_are_a_located_ledger_problem(base: list[list[str]], pack: Pack) -> None:
    """The header lost a column, the rows did not: pandas raised a bare ValueError."""
    text = "".join(",".join(row) + "\n" for row in [base[0][1:], *base[1:]])
    with scratch() as folder:
        path = folder / "ledger.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(LedgerInvalid) as info:
            read_ledger(path, pack)
    assert any(p.row == 2 and "the header row has" in p.message for p in info.value.problems)
    assert f"{path}:row 2" in str(info.value)


def test_a_workbook_with_a_damaged_xml_part_is_a_ledger_problem(workbook: bytes, pack: Pack) -> None:
    """Broken XML inside the zip: ElementTree's ParseError (a SyntaxError) escaped openpyxl."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, b"\x00" + content if name == "[Content_Types].xml" else content)
    with scratch(collect=True) as folder:
        path = folder / "ledger.xlsx"
        path.write_bytes(out.getvalue())
        with pytest.raises(LedgerInvalid) as info:
            read_ledger(path, pack)
    assert "xlsx" in str(info.value)
