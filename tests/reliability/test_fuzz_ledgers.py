"""Fuzzing ledger files: whatever a ledger file holds, reading it gives rows or names every problem.

The valid ledger of ``conftest.base`` (and its workbook) is built once per module; each example mutates it
(cell edits, header columns dropped, repeated or swapped, rows cut short or grown, then written as CSV in
UTF-8, UTF-8 with a byte-order mark or GBK; or bytes flipped, cut and inserted in the CSV or .xlsx file, or
in one part of the workbook's zip). :func:`toolkit.ledger.importer.read_ledger` must then return a frame or
raise :class:`~toolkit.errors.LedgerInvalid` whose problems name the file and, for a row, the column; any
other exception is a bug. ``xfkit audit create --ledger`` (the one path that writes a ledger into a store)
must leave the store's row counts as they were when it refuses the file.

Stability: every strategy is a pure function of hypothesis draws. Positions are drawn as plain integers and
taken modulo the size of what they point into, so no strategy depends on the fixture's shape, and the
number of edits is itself drawn; files are written into ``tempfile`` folders, never ``tmp_path``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from toolkit.audit.setup import demo_reviewers
from toolkit.cli import main
from toolkit.errors import LedgerInvalid
from toolkit.ledger.importer import read_ledger
from toolkit.packs import Pack
from toolkit.store import Store

from .conftest import scratch

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
ENCODINGS = ("utf-8", "utf-8-sig", "gbk")
#: positions are drawn this wide and taken modulo the length they index
WIDE = 1 << 16

#: what a person (or a broken export) puts in a cell
CELL = st.one_of(
    st.text(max_size=12),
    st.text(st.characters(codec="utf-8", categories=["Cc"]), max_size=4),  # control characters
    st.text(alphabet="编号收件日期检举控告类在办已办结匿名第一纪检监察室, \"'\r\n\t;", max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "=1+1",
            '=HYPERLINK("x")',
            "+SUM(A1:A2)",
            "-1",
            "@cmd",
            "2025-02-30",
            "2025/13/1",
            "2025.9.26",
            "2025年9月26日",
            "20250926",
            "26/09/2025",
            "Sep 26, 2025",
            "1899-12-31",
            "45926",
            "45926.5",
            "9999999",
            "2025-09-26T10:00:00",
            "0000-00-00",
            "NaN",
            "None",
            "null",
            "已办结",
            "留存备查",
            "匿名",
            '"',
            '""',
            "a\x00b",
            "\ufeff编号",
        ]
    ),
)
#: one edit of the table: (kind, row, column, text); row and column are taken modulo the table's shape
EDIT = st.tuples(
    st.sampled_from(["cell", "drop", "duplicate", "swap", "truncate", "extra", "header"]),
    st.integers(0, WIDE),
    st.integers(0, WIDE),
    CELL,
)
#: one byte-level change: (kind, position, bytes, length)
DAMAGE = st.tuples(
    st.sampled_from(["flip", "set", "insert", "delete", "truncate"]),
    st.integers(0, WIDE * 16),
    st.binary(min_size=1, max_size=8),
    st.integers(1, 64),
)


@dataclass(frozen=True)
class Inputs:
    """The module's fixtures, with a short repr (hypothesis prints a failing call with its arguments)."""

    pack: Pack
    base: list[list[str]]
    workbook: bytes

    def __repr__(self) -> str:
        return f"Inputs({len(self.base) - 1} rows, {len(self.workbook)} bytes of workbook)"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis prints dataclasses by field
        printer.text(repr(self))


@pytest.fixture(scope="module")
def inputs(pack: Pack, base: list[list[str]], workbook: bytes) -> Inputs:
    return Inputs(pack, base, workbook)


def _edited(base: Sequence[Sequence[str]], edits: Sequence[tuple[str, int, int, str]]) -> list[list[str]]:
    """The ledger's header and rows with ``edits`` applied (a pure function of its arguments)."""
    table = [list(row) for row in base]
    for kind, r, c, text in edits:
        row = table[r % len(table)]
        width = max(len(table[0]), 1)
        if kind == "cell" and row:
            row[c % len(row)] = text
        elif kind == "header" and table[0]:
            table[0][c % len(table[0])] = text
        elif kind == "drop" and table[0]:
            del table[0][c % len(table[0])]
        elif kind == "duplicate" and table[0]:
            table[0].insert(c % width, table[0][(c // width) % len(table[0])])
        elif kind == "swap" and table[0]:
            a, b = c % len(table[0]), (c // width) % len(table[0])
            table[0][a], table[0][b] = table[0][b], table[0][a]
        elif kind == "truncate":
            del row[c % (len(row) + 1) :]
        elif kind == "extra":
            row.append(text)
    return table


def _csv_text(table: Sequence[Sequence[str]], quoted: bool, newline: str) -> str:
    """The table as CSV: by the csv module (quoting where needed) or naively joined with commas."""
    if not quoted:
        return "".join(",".join(row) + newline for row in table)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(table)
    return buffer.getvalue()


def _damaged(raw: bytes, damage: Sequence[tuple[str, int, bytes, int]]) -> bytes:
    data = bytearray(raw)
    for kind, position, junk, length in damage:
        at = position % (len(data) + 1)
        if kind == "flip" and at < len(data):
            data[at] ^= junk[0] or 0xFF
        elif kind == "set":
            data[at : at + len(junk)] = junk
        elif kind == "insert":
            data[at:at] = junk
        elif kind == "delete":
            del data[at : at + length]
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


def _rezipped(raw: bytes, member: int, damage: Sequence[tuple[str, int, bytes, int]]) -> bytes:
    """The workbook with the uncompressed content of one of its parts damaged, re-zipped soundly."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        names = sorted(source.namelist())
        chosen = names[member % len(names)]
        for name in names:
            content = source.read(name)
            target.writestr(name, _damaged(content, damage) if name == chosen else content)
    return out.getvalue()


def _check_read(path: Path, pack: Pack) -> pd.DataFrame | LedgerInvalid:
    """Read ``path``: a frame, or the LedgerInvalid after checking that it locates every problem."""
    try:
        frame = read_ledger(path, pack)
    except LedgerInvalid as exc:
        _check_problems(exc, path)
        return exc
    assert isinstance(frame, pd.DataFrame)
    assert frame.attrs["source"] == path.name
    return frame


def _check_problems(exc: LedgerInvalid, path: Path) -> None:
    file = str(path)
    assert exc.file == file
    assert exc.problems, "LedgerInvalid without problems"
    text = str(exc)
    assert text.startswith(f"{file}: ") and "Traceback" not in text
    for problem, line in zip(exc.problems, exc.lines(), strict=True):
        assert isinstance(problem.message, str) and problem.message.strip(), problem
        assert isinstance(problem.column, str), problem
        assert problem.row is None or (isinstance(problem.row, int) and problem.row >= 1), problem
        assert line.startswith(file if problem.row is None else f"{file}:row {problem.row}: "), line
        if problem.row is not None and not problem.column:  # only file-wide problems found at the header
            assert "header" in problem.message, line


def _open_files() -> list[str]:
    """The files this process has open (Linux), to see that a read leaves none open."""
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        return []
    found = []
    for fd in fds.iterdir():
        with contextlib.suppress(OSError):
            found.append(os.readlink(fd))
    return sorted(t for t in found if "xfkit-fuzz-" in t)


def _read_clean(path: Path, pack: Pack) -> pd.DataFrame | LedgerInvalid:
    """:func:`_check_read`; no file of the scratch folder is left open."""
    result = _check_read(path, pack)
    assert not _open_files(), _open_files()
    return result


@FUZZ
@given(
    edits=st.lists(EDIT, max_size=6),
    encoding=st.sampled_from(ENCODINGS),
    quoted=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_csv_with_edited_cells_and_columns(
    inputs: Inputs,
    edits: list[tuple[str, int, int, str]],
    encoding: str,
    quoted: bool,
    newline: str,
) -> None:
    text = _csv_text(_edited(inputs.base, edits), quoted, newline)
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        raw = b""
    assume(raw or not text)  # GBK cannot write every character: such examples are skipped
    with scratch() as folder:
        path = folder / "台账.csv"
        path.write_bytes(raw)
        result = _read_clean(path, inputs.pack)
    if not edits:
        assert isinstance(result, pd.DataFrame) and len(result) == len(inputs.base) - 1


@FUZZ
@given(
    encoding=st.sampled_from(ENCODINGS),
    damage=st.lists(DAMAGE, min_size=1, max_size=4),
)
def test_csv_bytes_damaged(inputs: Inputs, encoding: str, damage: list[Any]) -> None:
    raw = _damaged(_csv_text(inputs.base, True, "\r\n").encode(encoding), damage)
    with scratch() as folder:
        path = folder / "ledger.csv"
        path.write_bytes(raw)
        _read_clean(path, inputs.pack)


@FUZZ
@given(
    inner=st.booleans(),
    member=st.integers(0, WIDE),
    damage=st.lists(DAMAGE, min_size=1, max_size=4),
)
def test_xlsx_bytes_damaged(inputs: Inputs, inner: bool, member: int, damage: list[Any]) -> None:
    """Bytes of the .xlsx file damaged, or the XML of one of its parts damaged and zipped again."""
    raw = _rezipped(inputs.workbook, member, damage) if inner else _damaged(inputs.workbook, damage)
    with scratch() as folder:
        path = folder / "ledger.xlsx"
        path.write_bytes(raw)
        _read_clean(path, inputs.pack)


def _row_counts(url: str) -> dict[str, int]:
    with Store.open(url) as store:
        engine = store.engine
        tables = sa.inspect(engine).get_table_names()
        with engine.connect() as conn:
            return {t: conn.execute(sa.text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one() for t in tables}


@settings(FUZZ, max_examples=10)
@given(
    edits=st.lists(EDIT, min_size=1, max_size=4),
    damage=st.lists(DAMAGE, max_size=2),
)
def test_a_refused_ledger_writes_nothing_to_the_store(
    inputs: Inputs, edits: list[tuple[str, int, int, str]], damage: list[Any]
) -> None:
    """``xfkit audit create --ledger``: a file the importer refuses leaves every table as it was."""
    raw = _damaged(_csv_text(_edited(inputs.base, edits), True, "\n").encode("utf-8"), damage)
    with scratch() as folder:
        ledger = folder / "ledger.csv"
        ledger.write_bytes(raw)
        reviewers = folder / "reviewers.csv"
        rows = "".join(f"{r.name},{r.unit}\n" for r in demo_reviewers(inputs.pack))
        reviewers.write_text("name,unit\n" + rows, encoding="utf-8")
        url = f"sqlite:///{(folder / 'xfkit.sqlite3').as_posix()}"
        before = _row_counts(url)
        refused = isinstance(_check_read(ledger, inputs.pack), LedgerInvalid)
        args = ["--ledger", str(ledger), "--rate", "1", "--seed", "5", "--reviewers", str(reviewers)]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["audit", "create", *args, "--db", url, "--name", "fuzz"])
        after = _row_counts(url)
    if refused:
        assert code != 0
        assert str(ledger) in err.getvalue() and "Traceback" not in err.getvalue()
    if code != 0:
        assert after == before, (before, after, err.getvalue())
