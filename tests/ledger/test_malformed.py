"""Malformed ledger files: each gives its own clear problem (row, column, message) and imports nothing.

Every file is made here, in ``tmp_path``; the cases cover the encoding, the header, the cells and the
Excel specifics (merged cells), one problem kind per case.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from toolkit.errors import LedgerInvalid, LedgerProblem
from toolkit.ledger.importer import read_ledger
from toolkit.packs import Pack

HEAD = ["编号", "收件日期", "问题类别", "承办单位", "办理状态", "办理期限", "办结日期"]
OPEN = ["A1", "2025-09-26", "检举控告", "第一纪检监察室", "办理中", "2025-10-26", ""]
CLOSED = ["A2", "2025-09-20", "申诉", "信访室", "已办结", "2025-11-19", "2025-10-08"]


def text(*rows: list[str]) -> str:
    return "".join(",".join(row) + "\n" for row in rows)


def with_cell(row: list[str], column: str, value: str) -> list[str]:
    changed = list(row)
    changed[HEAD.index(column)] = value
    return changed


def csv_file(content: bytes | str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "ledger.csv"
        path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
        return path

    return make


def xlsx_file(rows: list[list[object]], merge: tuple[str, ...] = ()) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        for cells in merge:
            sheet.merge_cells(cells)
        path = folder / "ledger.xlsx"
        book.save(path)
        return path

    return make


def named(name: str, content: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return make


@dataclass(frozen=True)
class Case:
    make: Callable[[Path], Path]
    #: (row, column, fragment of the message) that must be among the problems
    expected: tuple[tuple[int | None, str, str], ...]


CASES: dict[str, Case] = {
    "empty file": Case(csv_file(b""), ((None, "", "the file is empty"),)),
    "only blank lines": Case(csv_file("\n \r\n\t\n"), ((None, "", "the file is empty"),)),
    "only a byte-order mark": Case(csv_file(codecs.BOM_UTF8), ((None, "", "the file is empty"),)),
    "header only": Case(csv_file(text(HEAD)), ((1, "", "header row but no ledger rows"),)),
    "header and blank rows only": Case(
        csv_file(text(HEAD) + ",,,,,,\n\n"), ((1, "", "header row but no ledger rows"),)
    ),
    "neither UTF-8 nor GBK": Case(
        csv_file(text(HEAD).encode("gbk") + b"A1,2025-09-26,\xff\xfe\x80\n"),
        ((None, "", "neither UTF-8 nor GBK/GB18030 text (row 2, column 问题类别"),),
    ),
    "UTF-16 without a byte-order mark": Case(
        csv_file(text(HEAD, OPEN), "utf-16-le"), ((None, "", "the file holds NUL bytes"),)
    ),
    "not a ledger at all": Case(
        csv_file("name,phone\n张三,123\n"),
        ((1, "", "no ledger column headers found in the first 10 rows (found: name, phone)"),),
    ),
    "missing required columns": Case(
        csv_file(text(HEAD[:2], OPEN[:2])),
        (
            (1, "问题类别", "required column is missing (also accepted: 类别"),
            (1, "承办单位", "required column is missing"),
            (1, "办理状态", "required column is missing"),
            (1, "办理期限", "required column is missing: 1 item is tracked against a time limit"),
        ),
    ),
    "no 办结日期 column but a closed item": Case(
        csv_file(text(HEAD[:-1], OPEN[:-1], CLOSED[:-1])),
        ((1, "办结日期", "required column is missing: 1 item is 已办结 (the first in row 3)"),),
    ),
    "the same header twice": Case(
        csv_file(text([*HEAD, "编号"], [*OPEN, "B1"])),
        ((1, "编号", "the header appears twice (columns A and H)"),),
    ),
    "impossible dates": Case(
        csv_file(
            text(HEAD, with_cell(OPEN, "收件日期", "2025-13-40"), with_cell(CLOSED, "收件日期", "2025/2/30"))
        ),
        (
            (2, "收件日期", "'2025-13-40' is not a real day: there is no month 13"),
            (3, "收件日期", "'2025/2/30' is not a real day: 2025-02 has no day 30"),
        ),
    ),
    "words and numbers that are not dates": Case(
        csv_file(
            text(
                HEAD,
                with_cell(OPEN, "收件日期", "昨天"),
                with_cell(CLOSED, "办结日期", "99"),
                with_cell(with_cell(OPEN, "编号", "A3"), "办理期限", "1899-01-01"),
            )
        ),
        (
            (2, "收件日期", "'昨天' is not a date; write dates like 2025-09-26"),
            (3, "办结日期", "'99' is a number but not an Excel date between 1950 and 2100"),
            (4, "办理期限", "'1899-01-01': the year 1899 is out of range (1950–2100)"),
        ),
    ),
    "closed before received": Case(
        csv_file(text(HEAD, with_cell(CLOSED, "办结日期", "2025-09-01"))),
        ((2, "办结日期", "2025-09-01 is before the 收件日期 2025-09-20"),),
    ),
    "due before received": Case(
        csv_file(text(HEAD, with_cell(OPEN, "办理期限", "2025-09-25"))),
        ((2, "办理期限", "2025-09-25 is before the 收件日期 2025-09-26"),),
    ),
    "duplicate ids": Case(
        csv_file(text(HEAD, OPEN, CLOSED, with_cell(CLOSED, "编号", " A1 "))),
        ((4, "编号", "duplicate id 'A1': also in row 2"),),
    ),
    "empty required cells": Case(
        csv_file(text(HEAD, with_cell(with_cell(OPEN, "编号", ""), "承办单位", ""))),
        ((2, "编号", "is empty (required)"), (2, "承办单位", "is empty (required)")),
    ),
    "unknown label": Case(
        csv_file(text([*HEAD, "来源渠道"], [*OPEN, "微信"])),
        ((2, "来源渠道", "unknown channel '微信'; allowed: 来信, 来访, 电话, 网络, 上级转送/交办 (or"),),
    ),
    "unknown code": Case(
        csv_file(text([*HEAD, "状态代码"], [*OPEN, "done"])),
        ((2, "状态代码", "unknown status code 'done'; allowed: open, extended, closed, filed"),),
    ),
    "unknown unit": Case(
        csv_file(text(HEAD, with_cell(OPEN, "承办单位", "第一纪检室"))),
        ((2, "承办单位", "unknown unit '第一纪检室'; did you mean 第一纪检监察室"),),
    ),
    "unknown flag": Case(
        csv_file(text([*HEAD, "标记"], [*OPEN, "实名、加急"])),
        ((2, "标记", "unknown flag '加急'; allowed: 实名, 匿名, 重复件, 无实质内容, 冒名/贴牌"),),
    ),
    "unknown time-limit rule": Case(
        csv_file(text([*HEAD, "时限规则"], [*OPEN, "三天办结"])),
        ((2, "时限规则", "unknown time-limit rule '三天办结'; allowed: 实名检举控告受理情况告知"),),
    ),
    "status and 办结日期 disagree": Case(
        csv_file(text(HEAD, with_cell(OPEN, "办结日期", "2025-10-01"), with_cell(CLOSED, "办结日期", ""))),
        (
            (2, "办结日期", "2025-10-01 is given, but 办理状态 is 办理中"),
            (3, "办结日期", "is empty, but 办理状态 is 已办结"),
        ),
    ),
    "an open item without 办理期限": Case(
        csv_file(text(HEAD, with_cell(OPEN, "办理期限", ""))),
        ((2, "办理期限", "is empty (required unless the item is 留存备查 or no time limit applies to its"),),
    ),
    "a quotation mark never closed": Case(
        csv_file(text(HEAD) + 'A1,2025-09-26,"检举控告,第一纪检监察室,办理中,2025-10-26,\n'),
        ((None, "", "cannot be read as CSV"), (None, "", "a quotation mark that is never closed")),
    ),
    "an Excel workbook named .csv": Case(
        lambda folder: _rename(xlsx_file([HEAD, OPEN])(folder), "ledger.csv"),
        ((None, "", "this is an Excel workbook"),),
    ),
    "CSV text named .xlsx": Case(
        named("ledger.xlsx", text(HEAD, OPEN).encode()), ((None, "", "not an Excel .xlsx workbook"),)
    ),
    "an old .xls workbook": Case(
        named("ledger.xls", b"\xd0\xcf\x11\xe0"), ((None, "", "an old Excel 97–2003 workbook"),)
    ),
    "Excel: merged header cells": Case(
        xlsx_file([[*HEAD[:2], None, *HEAD[3:]], OPEN], merge=("B1:C1",)),
        ((1, "B1:C1", "merged cells in the header row: unmerge them"),),
    ),
    "Excel: merged cells among the rows": Case(
        xlsx_file([HEAD, OPEN, with_cell(CLOSED, "承办单位", "")], merge=("D2:D3",)),
        ((2, "承办单位", "merged cells D2:D3: unmerge them and fill in every row"),),
    ),
    "Excel: an empty sheet": Case(xlsx_file([]), ((None, "", "the sheet Sheet is empty"),)),
    "Excel: header only": Case(xlsx_file([HEAD]), ((1, "", "header row but no ledger rows"),)),
    "Excel: text where a date belongs": Case(
        xlsx_file([HEAD, with_cell(OPEN, "办理期限", "下月底")]),
        ((2, "办理期限", "'下月底' is not a date"),),
    ),
    "JSON lines: a broken line": Case(named("ledger.jsonl", b'{"id": "A1"\n'), ((1, "", "not valid JSON"),)),
    "no such file": Case(lambda folder: folder / "missing.csv", ((None, "", "no such file"),)),
}


def _rename(path: Path, name: str) -> Path:
    return path.rename(path.with_name(name))


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_malformed_file_is_refused_with_its_problem(case: Case, pack: Pack, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    result: object = None
    with pytest.raises(LedgerInvalid) as caught:
        result = read_ledger(path, pack)
    assert result is None, "nothing is returned from a file with problems"
    exc = caught.value
    assert exc.file == str(path) and exc.problems
    assert all(isinstance(p, LedgerProblem) for p in exc.problems)
    for row, column, fragment in case.expected:
        matches = [p for p in exc.problems if p.row == row and p.column == column and fragment in p.message]
        assert matches, f"no problem ({row}, {column!r}, {fragment!r}) in:\n{exc}"
    message = str(exc)
    where = str(path) if case.expected[0][0] is None else f"{path}:row {case.expected[0][0]}"
    assert where in message and "nothing was imported" in message


def test_at_least_twenty_two_kinds_of_malformed_file() -> None:
    assert len(CASES) >= 22


def test_every_problem_is_collected_and_the_message_lists_fifty(pack: Pack, tmp_path: Path) -> None:
    rows = [with_cell(with_cell(OPEN, "编号", f"A{i}"), "收件日期", "someday") for i in range(60)]
    path = tmp_path / "many.csv"
    path.write_text(text(HEAD, *rows), encoding="utf-8")
    with pytest.raises(LedgerInvalid) as caught:
        read_ledger(path, pack)
    exc = caught.value
    assert [p.row for p in exc.problems] == list(range(2, 62))
    lines = str(exc).splitlines()
    assert lines[0] == f"{path}: 60 problems; nothing was imported:"
    assert lines[1].strip() == f"{path}:row 2: 收件日期: 'someday' is not a date; " + (
        "write dates like 2025-09-26, 2025/9/26, 2025.9.26 or 2025年9月26日 (Excel date cells are fine)"
    )
    assert len(lines) == 1 + 50 + 1 and lines[-1].strip() == "… and 10 more"
    assert exc.lines()[-1].startswith(f"{path}:row 61: 收件日期:")


def test_problems_come_in_row_then_column_order(pack: Pack, tmp_path: Path) -> None:
    bad = with_cell(with_cell(OPEN, "办理状态", "不知道"), "收件日期", "x")
    path = tmp_path / "order.csv"
    path.write_text(text(HEAD, OPEN, bad, with_cell(bad, "编号", "A9")), encoding="utf-8")
    with pytest.raises(LedgerInvalid) as caught:
        read_ledger(path, pack)
    # the first row is fine except that it repeats the id of row 2
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (3, "编号"),
        (3, "收件日期"),
        (3, "办理状态"),
        (4, "收件日期"),
        (4, "办理状态"),
    ]
