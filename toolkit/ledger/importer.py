"""Read a ledger (台账) file into the canonical frame, all or nothing.

:func:`read_ledger` takes CSV, Excel ``.xlsx`` and the JSON lines ``xfkit generate ledger`` writes, checks
every row and returns the canonical frame of :mod:`toolkit.ledger.frame`, or raises
:class:`~toolkit.errors.LedgerInvalid` carrying every problem found, each with its row and column. There
is no partial result: a file with one bad cell imports nothing.

Files
-----
- CSV: the encoding is detected, never assumed: a UTF-8 byte-order mark means UTF-8; otherwise the bytes
  are read as strict UTF-8 and, when they are not UTF-8, as GB18030 (a superset of GBK and GB2312, which
  is what Excel and WPS write for "CSV" on a Chinese Windows). UTF-16 with a byte-order mark (Excel's
  "Unicode text") is read too. Commas, tabs or semicolons separate the cells, whichever the header row
  uses.
- Excel ``.xlsx``: the sheet named 台账, else the first sheet. Date cells, numbers and text are all read;
  merged cells in the header row or among the rows are problems (unmerge them), merged title rows above
  the header are fine.
- JSON lines: one ``LedgerItem.to_dict()`` object per line, as written by
  :func:`toolkit.ledger.export.write_ledger`. Lines written before ledgers had milestones (no
  ``milestone`` key in any line) are read as a file without the 节点事项 column.

Up to :data:`HEADER_SCAN` rows above the header (titles such as "2025年信访举报台账") are skipped: the header
row is the first row naming at least two known columns. Row numbers in problems are the ones a person
sees in a spreadsheet program; without title rows the header is row 1 and the first item row 2.

Columns
-------
Headers are matched after removing spaces, ``*`` marks and a trailing note in brackets
(``收件日期（年月日）`` is ``收件日期``). :data:`FIELDS` lists, for each column of the frame, the headers
accepted (the first one is what :mod:`toolkit.ledger.export` writes) and the header of its code column.
When a code column (``渠道代码`` …) is present it is read and the label column beside it is not; cells of
label columns may hold codes too. Of two synonyms for one column, the one earlier in :data:`FIELDS` is
read and the other is noted. Columns nobody knows are ignored and listed in the notes.

Required columns: 编号, 收件日期, 问题类别, 承办单位, 办理状态 (or their synonyms / code columns); 办理期限
as soon as one item is tracked against a time limit (see ``due`` below); 办结日期 as soon as one item is
closed (已办结). 节点事项 and 节点期限 (the milestone) are optional.

Values
------
- Dates: ``2025-09-26``, ``2025/9/26``, ``2025.9.26``, ``2025年9月26日``, ``20250926``, Excel date cells and
  Excel serial numbers (``45926``, in cells or as plain numbers in CSV). A time of day is dropped. Years
  outside 1950–2100 are refused.
- Labels: the Chinese and English labels of the codes of :mod:`toolkit.domain.codes`, the codes
  themselves and a few synonyms offices use (:data:`LABEL_SYNONYMS`); handling units by name, short name
  or code of the pack's jurisdiction; time-limit rules by name or code; problem types by name or code.
- 反映人 ``匿名`` means no name. Flags are separated by 、 , ， ; ； or spaces.
- Filed items (留存备查) have no time limit: their 办理期限 is not read and ``due`` is NaT.
- ``deadline``: from 时限规则 when given, else the pack's ``rules.ledger_deadline(action, category,
  problem type)`` when 分办方式 and 问题类别 are known ("" where no rule sets a limit: answered at once
  (告知), suggestions, an appeal without its 问题类型).
- ``due`` (办理期限) is required for every item except filed ones and those no time limit applies to: an
  item whose ``deadline`` is "" although its 分办方式 and 问题类别 are known. An item whose 分办方式 is
  not known needs one. Where a date is given for an item without a rule it is kept (and carded).
- ``milestone`` (节点事项, a time-limit rule by name or code): where the file has no such column, each
  item gets the pack's ``rules.milestone(action, category)`` (the 处置意见 of a lead handled here);
  where it has one, the cells are read as written and an empty cell means no milestone.
- ``milestone_due`` (节点期限): read where given; where the column or the cell is empty, an item with a
  milestone gets the day its rule gives from 收件日期 (NaT when the rule counts from another event, or
  the year has no holiday data). A day for an item without a milestone is a problem.

Problems
--------
Every problem is a :class:`~toolkit.errors.LedgerProblem` ``(row, column, message)``: unknown values
(with the allowed ones), bad or impossible dates, closed, due or milestone days before received, a
milestone day for an item without a milestone, a closed item without 办结日期 or an open one with it,
duplicate ids (naming the first row), empty required cells, missing or repeated required columns, an
empty file, a header without rows, merged cells, undecodable text.
Unknown extra columns are not problems: they are listed in ``frame.attrs["notes"]`` with other remarks
(title rows skipped, blank rows, synonyms not read).

Speed
-----
Work is done on distinct values, not rows: each column is factorised once (its distinct values plus one
code per row), values are parsed and looked up once per distinct value, and the results are spread back
with NumPy. pandas' C parser reads only the columns used (``dtype=object``, no NA detection) and decodes
GB18030 itself; dates in ISO form are parsed by pandas, the other forms one distinct value at a time.
Free text (内容摘要) is kept per row. ``benchmarks/bench_ledger_import.py`` measures a 1,000,000-row GBK
file against ``pandas.read_csv`` alone.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import difflib
import io
import json
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from toolkit.domain.codes import Category, Channel, Coded, Flag, ItemStatus, RouteAction, StartEvent
from toolkit.errors import CalendarRangeError, LedgerInvalid, LedgerProblem, PackError
from toolkit.generate.cases import UNSPECIFIED
from toolkit.ledger.frame import build_frame
from toolkit.packs.model import Pack

__all__ = ["FIELDS", "HEADER_SCAN", "LABEL_SYNONYMS", "FieldSpec", "read_ledger"]

Progress = Callable[[int, int], None]
Strings = npt.NDArray[np.object_]
Indices = npt.NDArray[np.intp]
Days = npt.NDArray[np.datetime64]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one column of the frame is found in a file.

    ``headers`` are the accepted headers, preferred first (the first is what export writes);
    ``code_header`` is the header of the column holding codes ("" if none); ``distinct`` is False for
    free text, whose values are rarely repeated.
    """

    name: str
    headers: tuple[str, ...]
    code_header: str = ""
    required: bool = False
    distinct: bool = True


#: the columns of the frame and the headers they are read from
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", ("编号", "信访编号", "件号", "登记编号", "受理编号", "序号"), required=True),
    FieldSpec(
        "received", ("收件日期", "受理日期", "来件日期", "收到日期", "登记日期", "收件时间"), required=True
    ),
    FieldSpec("channel", ("来源渠道", "来源", "渠道", "来源方式", "反映方式"), "渠道代码"),
    FieldSpec("reporter_name", ("反映人", "举报人", "信访人", "反映人姓名", "举报人姓名", "信访人姓名")),
    FieldSpec("accused_name", ("被反映人", "被举报人", "被反映人姓名", "被举报人姓名")),
    FieldSpec("accused_unit", ("被反映人单位", "被举报人单位", "被反映人工作单位", "被反映人所在单位")),
    FieldSpec("category", ("问题类别", "类别", "信访类别", "件类"), "类别代码", required=True),
    FieldSpec("problem_type", ("问题类型", "反映问题类型", "问题分类"), "问题类型代码"),
    FieldSpec("route_action", ("分办方式", "分办", "处理方式"), "分办代码"),
    FieldSpec(
        "handler_unit", ("承办单位", "承办部门", "办理单位", "责任单位"), "承办单位代码", required=True
    ),
    FieldSpec("deadline", ("时限规则", "期限规则", "时限类型", "时限依据")),
    FieldSpec("due", ("办理期限", "期限", "截止日期", "办结期限", "到期日期")),
    FieldSpec("milestone", ("节点事项", "节点", "节点名称", "阶段节点")),
    FieldSpec("milestone_due", ("节点期限", "节点日期", "节点截止日期", "节点到期日期")),
    FieldSpec("status", ("办理状态", "状态", "办理进度"), "状态代码", required=True),
    FieldSpec("closed", ("办结日期", "办结时间", "结案日期", "完成日期")),
    FieldSpec("flags", ("标记", "标签", "特殊标记")),
    FieldSpec(
        "summary", ("内容摘要", "摘要", "主要内容", "反映内容", "问题摘要", "简要内容"), distinct=False
    ),
)
_SPEC = {f.name: f for f in FIELDS}

#: headers export writes that the frame does not keep (not noted as unknown)
KNOWN_UNUSED: tuple[str, ...] = ("训练包", "种子")
#: keys of the JSON lines that are not columns of the frame
_JSON_UNUSED = ("seed", "pack", "keywords")
#: keys of the JSON lines read only when some line has them (older files lack them: derived instead)
_JSON_OPTIONAL = ("milestone", "milestone_due")

#: labels offices write besides the catalogue's own, per column: label → code
LABEL_SYNONYMS: Mapping[str, Mapping[str, str]] = {
    "channel": {
        "信": "letter",
        "访": "visit",
        "来电": "phone",
        "电话举报": "phone",
        "网": "online",
        "网上": "online",
        "网上举报": "online",
        "网络举报": "online",
        "上级转送": "forwarded",
        "上级交办": "forwarded",
        "转送": "forwarded",
        "交办": "forwarded",
    },
    "category": {
        "检举": "accusation",
        "控告": "accusation",
        "检举控告类": "accusation",
        "申诉类": "appeal",
        "建议": "suggestion",
        "意见建议": "suggestion",
        "批评建议类": "suggestion",
        "业务范围外事项": "out_of_scope",
        "非纪检监察业务范围": "out_of_scope",
    },
    "route_action": {
        "自办": "self",
        "本级": "self",
        "交办": "assign",
        "上报": "report_up",
        "报上级": "report_up",
        "移送": "transfer",
        "转办": "transfer",
        "留存备查": "file",
        "存档备查": "file",
    },
    "status": {
        "在办": "open",
        "正在办理": "open",
        "未办结": "open",
        "延期": "extended",
        "已延期": "extended",
        "办结": "closed",
        "已结": "closed",
        "存档备查": "filed",
        "备查": "filed",
    },
}

#: rows above the header that may hold titles
HEADER_SCAN = 10
#: bytes of a CSV read to find its encoding, separator and header
_HEAD_BYTES = 1 << 18
#: vocabularies longer than this are not listed in full in a problem
_LISTED = 40
_ANONYMOUS = ("匿名", "（匿名）", "(匿名)")
_FLAG_SPLIT = re.compile(r"[、,，;；\s]+")
_YEARS = (1950, 2100)
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIALS = ((date(_YEARS[0], 1, 1) - _EXCEL_EPOCH).days, (date(_YEARS[1], 12, 31) - _EXCEL_EPOCH).days)
_NAT = np.datetime64("NaT", "D")
_DATE_HINT = "write dates like 2025-09-26, 2025/9/26, 2025.9.26 or 2025年9月26日 (Excel date cells are fine)"
_DATE_FORMS = (
    re.compile(
        r"(?P<y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})"
        r"(?:[ T]+\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d*)?)?)?"
    ),
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)
_SERIAL_FORM = re.compile(r"(?P<n>\d{1,6})(?:\.\d+)?")


def read_ledger(path: str | Path, pack: Pack, *, progress: Progress | None = None) -> pd.DataFrame:
    """Read and check a ledger file; every problem or nothing.

    Parameters
    ----------
    path
        A ``.csv``, ``.xlsx`` or ``.jsonl`` file.
    pack
        The pack whose jurisdiction (unit names and codes), problem types and deadline rules the ledger
        uses.
    progress
        Called as ``progress(done, total)`` after each stage of the import (reading, each column, the
        checks across columns); ``done == total`` at the end.

    Returns
    -------
    pandas.DataFrame
        The canonical ledger frame (:data:`toolkit.ledger.frame.LEDGER_COLUMNS`). ``attrs["notes"]`` lists
        remarks that are not problems (columns not used, title or blank rows skipped);
        ``attrs["source"]`` is the file's name.

    Raises
    ------
    LedgerInvalid
        With every problem found, each naming the row and column; nothing is returned then.
    """
    path = Path(path)
    file = str(path)
    total = len(_STEPS) + 2
    tell = progress or (lambda done, total: None)
    tell(0, total)
    table = _read_file(path, pack)
    tell(1, total)
    if table.fatal:
        raise LedgerInvalid(file, _sorted(table.problems, table))
    state = _State(table, pack)
    for done, (_name, step) in enumerate(_STEPS, start=2):
        step(state)
        tell(done, total)
    problems = _sorted(table.problems + state.problems, table)
    if problems:
        raise LedgerInvalid(file, problems)
    frame = build_frame(state.out)
    frame.attrs["notes"] = list(table.notes)
    frame.attrs["source"] = path.name
    tell(total, total)
    return frame


# -- the table read from a file ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Column:
    """One column of the file: its header as written, whether it holds codes, its values factorised."""

    header: str
    coded: bool
    codes: Indices
    uniques: Strings

    def rows_of(self, bad: npt.NDArray[np.bool_]) -> Indices:
        """Positions of the data rows whose value is one of the distinct values marked in ``bad``."""
        return np.flatnonzero(bad[self.codes])


@dataclass(slots=True)
class _Table:
    """What a reader found: the data rows' row numbers, the columns by field, problems and notes."""

    rows: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    columns: dict[str, _Column] = field(default_factory=dict)
    problems: list[LedgerProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: set when the rows cannot be checked at all (unreadable, empty, no header, no rows)
    fatal: bool = False
    header_row: int = 1
    #: header → position in the file, to order problems by column
    order: dict[str, int] = field(default_factory=dict)

    def fail(self, message: str, *, row: int | None = None, column: str = "") -> _Table:
        self.problems.append(LedgerProblem(row, column, message))
        self.fatal = True
        return self

    def header_of(self, name: str) -> str:
        column = self.columns.get(name)
        return column.header if column else _SPEC[name].headers[0]


def _read_file(path: Path, pack: Pack) -> _Table:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".jsonl", ".txt", ".tsv"):
        hint = (
            "an old Excel 97–2003 workbook: open it and save it as .xlsx"
            if suffix in (".xls", ".et")
            else "save the ledger as .xlsx or .csv"
        )
        return _Table().fail(f"unsupported file type {suffix or '(none)'}: {hint}")
    if not path.exists():
        return _Table().fail("no such file")
    if path.is_dir():
        return _Table().fail("is a folder, not a file")
    try:
        if suffix == ".xlsx":
            return _read_xlsx(path)
        raw = path.read_bytes()
    except PermissionError:
        return _Table().fail("cannot be read (permission denied)")
    if suffix == ".jsonl":
        return _read_jsonl(raw, pack)
    return _read_csv(raw)


# -- CSV --------------------------------------------------------------------------------------------


_UTF8 = "utf-8"
_GB = "gb18030"  # covers GBK and GB2312


def _read_csv(raw: bytes) -> _Table:
    table = _Table()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            return table.fail(
                f"the file starts like UTF-16 text but is not ({exc.reason} at byte {exc.start})"
            )
    # a UTF-8 byte-order mark stays: it is valid UTF-8, and pandas skips it with the header row
    start = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    if not raw[start : start + _HEAD_BYTES].strip() and not raw[start:].strip():
        return table.fail(
            "the file is empty: a ledger needs a header row (编号, 收件日期 …) and one row per item"
        )
    if raw.startswith(b"PK\x03\x04", start):
        return table.fail("this is an Excel workbook (or another zip file), not CSV text: name it .xlsx")
    if b"\x00" in raw[start : start + _HEAD_BYTES]:
        return table.fail(
            "the file holds NUL bytes: it is UTF-16 text without a byte-order mark, or not text at all; "
            "save it from Excel or WPS as “CSV UTF-8” or as .xlsx"
        )
    encoding = _UTF8 if _looks_utf8(raw) else _GB
    head = _decode_head(raw, encoding)
    if head is None:
        first_line = raw[: raw.find(b"\n")].decode(_GB, errors="replace").rstrip("\r")
        return table.fail(_undecodable(raw, _GB, ",", [cell.strip() for cell in first_line.split(",")]))
    sep, records = _head_records(head)
    header_index = _find_header(records)
    header = [cell.strip() for cell in records[header_index]] if records else []
    table.header_row = header_index + 1
    used = _map_headers(header, table)
    if table.fatal:
        return table
    positions = sorted(position for position, _, _ in used.values())
    try:
        try:
            data = _pandas_csv(raw, encoding, sep, len(header), header_index + 1, positions)
        except UnicodeDecodeError:
            if encoding == _GB or not head.isascii():
                raise
            encoding = _GB  # ASCII at the start, GBK further on
            data = _pandas_csv(raw, encoding, sep, len(header), header_index + 1, positions)
    except pd.errors.ParserError as exc:
        return table.fail(f"cannot be read as CSV: {_parser_message(exc)}")
    except UnicodeDecodeError:
        return table.fail(_undecodable(raw, encoding, sep, header))
    except ValueError:  # pandas: the first rows below the header have more cells than the header
        return _wider_than_header(table, raw, encoding, sep, len(header), header_index)
    table.rows = np.arange(header_index + 2, header_index + 2 + len(data), dtype=np.int64)
    for name, (position, text, coded) in used.items():
        values = data[position].to_numpy(dtype=object)
        table.columns[name] = _text_column(values, text, coded, _SPEC[name].distinct)
    return _finish_table(table)


def _wider_than_header(table: _Table, raw: bytes, encoding: str, sep: str, width: int, skip: int) -> _Table:
    """The problem for rows with more cells than the header row, naming the first such row."""
    text = raw.decode("utf-8-sig" if encoding == _UTF8 else encoding, errors="replace")
    records = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    with contextlib.suppress(csv.Error):  # a field longer than csv's limit: the message below then
        for number, record in enumerate(records, start=1):
            if number > skip + 1 and len(record) > width:
                return table.fail(
                    f"cannot be read as CSV: {len(record)} cells, but the header row has {width}; "
                    "give every extra column a header or remove the extra cells",
                    row=number,
                )
    return table.fail(f"cannot be read as CSV: rows have more cells than the header row ({width})")


def _undecodable(raw: bytes, encoding: str, sep: str, header: Sequence[str] = ()) -> str:
    """The message for a file that is neither UTF-8 nor GB18030, naming the first bad place."""
    where = ""
    try:
        raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        row = raw.count(b"\n", 0, exc.start) + 1
        cell = raw.count(sep.encode(), line_start, exc.start)
        column = header[cell] if cell < len(header) else _letter(cell)
        where = f" (row {row}, column {column}: bytes {raw[exc.start : exc.start + 4].hex(' ')})"
    return (
        f"the file is neither UTF-8 nor GBK/GB18030 text{where}; save it from Excel or WPS as "
        "“CSV UTF-8” or as .xlsx"
    )


def _pandas_csv(
    raw: bytes, encoding: str, sep: str, width: int, skip: int, positions: list[int]
) -> pd.DataFrame:
    """The cells below the header of the columns at ``positions``, as pandas' C parser reads them."""
    try:
        return pd.read_csv(
            io.BytesIO(raw),
            sep=sep,
            header=None,
            names=list(range(max(width, 1))),
            skiprows=skip,
            usecols=positions,
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            encoding=encoding,
        )
    except pd.errors.EmptyDataError:
        return pd.DataFrame({p: pd.Series([], dtype=object) for p in positions})


def _looks_utf8(raw: bytes) -> bool:
    """True when the start of ``raw`` is UTF-8 (the rest is checked while reading)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(raw[:_HEAD_BYTES], final=len(raw) <= _HEAD_BYTES)
    except UnicodeDecodeError:
        return False
    return True


def _decode_head(raw: bytes, encoding: str) -> str | None:
    """The first complete lines of the file as text (None if they do not decode)."""
    whole = len(raw) <= _HEAD_BYTES
    chunk = raw if whole else raw[: raw.rfind(b"\n", 0, _HEAD_BYTES) + 1] or raw[:_HEAD_BYTES]
    codec = "utf-8-sig" if encoding == _UTF8 else encoding
    try:
        return codecs.getincrementaldecoder(codec)().decode(chunk, final=whole)
    except UnicodeDecodeError:
        return None


def _head_records(head: str) -> tuple[str, list[list[str]]]:
    """The separator (the one giving the most known headers) and the first records under it."""
    best: tuple[int, str, list[list[str]]] = (-1, ",", [])
    for sep in (",", "\t", ";"):
        reader = csv.reader(io.StringIO(head), delimiter=sep)
        records = [row for _, row in zip(range(HEADER_SCAN + 1), reader, strict=False)]
        known = max((_known_count(r) for r in records[:HEADER_SCAN]), default=0)
        if known > best[0]:
            best = (known, sep, records)
    return best[1], best[2]


def _parser_message(exc: Exception) -> str:
    text = str(exc).replace("Error tokenizing data. C error: ", "")
    match = re.search(r"(?:row|line) (\d+)", text)
    if match:  # pandas counts the file's lines from 0
        text = f"{text[: match.start()]}row {int(match.group(1)) + 1}{text[match.end() :]}"
    if "EOF inside string" in text:
        text += " (a quotation mark that is never closed)"
    return text


def _text_column(values: Strings, header: str, coded: bool, distinct: bool) -> _Column:
    """A column of cells as read: stripped and, unless free text, factorised."""
    if not distinct:
        stripped = np.array([t.strip() for t in values.tolist()], dtype=object)
        return _Column(header, coded, np.arange(len(stripped), dtype=np.intp), stripped)
    codes, uniques = pd.factorize(values)
    row_codes = np.asarray(codes, dtype=np.intp)
    texts: list[str] = uniques.tolist()
    stripped_list = [t.strip() for t in texts]
    if any(
        a is not b for a, b in zip(stripped_list, texts, strict=True)
    ):  # strip() returns the same object when it strips nothing
        again, merged = pd.factorize(np.array(stripped_list, dtype=object))
        return _Column(
            header, coded, np.asarray(again, dtype=np.intp)[row_codes], np.asarray(merged, dtype=object)
        )
    return _Column(header, coded, row_codes, np.asarray(uniques, dtype=object))


# -- Excel ------------------------------------------------------------------------------------------


def _read_xlsx(path: Path) -> _Table:
    import openpyxl  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped, unused-ignore]

    table = _Table()
    try:
        with warnings.catch_warnings(), path.open("rb") as handle:
            # openpyxl warns about workbook features it does not read (data validation, styles …)
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(handle, data_only=True)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        ValueError,
        TypeError,
        zlib.error,  # a damaged compressed part
        NotImplementedError,  # zipfile: a damaged directory naming an unknown zip version
        EOFError,
        SyntaxError,  # a damaged XML part: xml.etree's ParseError (lxml's XMLSyntaxError) derive from it
    ) as exc:
        detail = "it is not a zip archive" if isinstance(exc, zipfile.BadZipFile) else str(exc)
        return table.fail(f"not an Excel .xlsx workbook ({detail}); save it from Excel or WPS as .xlsx")
    sheets = book.worksheets
    if not sheets:
        return table.fail("the workbook has no worksheet")
    sheet = book["台账"] if "台账" in book.sheetnames else sheets[0]
    if len(sheets) > 1:
        table.notes.append(f"sheet {sheet.title} read; the workbook has {len(sheets)} sheets")
    cells = [[_cell_text(v) for v in row] for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]
    while cells and not any(cells[-1]):
        cells.pop()
    if not cells:
        return table.fail(
            f"the sheet {sheet.title} is empty: a ledger needs a header row and one row per item"
        )
    header_index = _find_header(cells)
    table.header_row = header_row = header_index + 1
    header = cells[header_index]
    merged = [r for r in sheet.merged_cells.ranges if r.max_row >= header_row]
    for rng in sorted(merged, key=lambda r: (r.min_row, r.min_col)):
        if rng.min_row <= header_row:
            table.problems.append(
                LedgerProblem(
                    header_row,
                    rng.coord,
                    "merged cells in the header row: unmerge them so that every column has its own header",
                )
            )
        else:
            name = header[rng.min_col - 1] if rng.min_col <= len(header) else ""
            table.problems.append(
                LedgerProblem(
                    rng.min_row,
                    name or _letter(rng.min_col - 1),
                    f"merged cells {rng.coord}: unmerge them and fill in every row",
                )
            )
    used = _map_headers(header, table)
    if table.fatal:
        return table
    body = cells[header_index + 1 :]
    table.rows = np.arange(header_row + 1, header_row + 1 + len(body), dtype=np.int64)
    for name, (position, text, coded) in used.items():
        values = [row[position] if position < len(row) else "" for row in body]
        codes, uniques = pd.factorize(np.array(values, dtype=object))
        table.columns[name] = _Column(
            text, coded, np.asarray(codes, dtype=np.intp), np.asarray(uniques, dtype=object)
        )
    return _finish_table(table)


def _cell_text(value: object) -> str:
    """A cell's value as the text the checks read (dates as ISO, whole numbers without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _letter(position: int) -> str:
    """The spreadsheet column letter of a 0-based position (0 → A, 26 → AA)."""
    letters = ""
    n = position + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# -- JSON lines -------------------------------------------------------------------------------------


def _read_jsonl(raw: bytes, pack: Pack) -> _Table:
    table = _Table(header_row=0)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return table.fail(f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    keys = [f.name for f in FIELDS]
    values: dict[str, list[str]] = {k: [] for k in keys}
    rows: list[int] = []
    unknown: set[str] = set()
    present: set[str] = set()
    j = pack.jurisdiction
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            table.problems.append(
                LedgerProblem(number, "", f"not valid JSON ({exc.msg} at column {exc.colno})")
            )
            continue
        if not isinstance(item, dict):
            table.problems.append(LedgerProblem(number, "", "not a ledger item (a JSON object per line)"))
            continue
        unknown.update(k for k in item if k not in values and k not in _JSON_UNUSED)
        present.update(k for k in _JSON_OPTIONAL if k in item)
        rows.append(number)
        for key in keys:
            value = item.get(key)
            if key == "flags" and isinstance(value, list):
                value = ",".join(str(v) for v in value)
            elif key == "accused_unit" and isinstance(value, str) and j.has(value):
                value = j.name(value)
            if isinstance(value, (dict, list)):
                table.problems.append(
                    LedgerProblem(number, key, f"expected text, got {type(value).__name__}")
                )
                value = ""
            values[key].append("" if value is None else str(value).strip())
    if not rows and not table.problems:
        return table.fail("the file is empty: no ledger items")
    if unknown:
        table.notes.append(f"keys not used: {', '.join(sorted(unknown))}")
    table.rows = np.array(rows, dtype=np.int64)
    for key in keys:
        if key in _JSON_OPTIONAL and key not in present:
            continue
        codes, uniques = pd.factorize(np.array(values[key], dtype=object))
        table.columns[key] = _Column(
            key, True, np.asarray(codes, dtype=np.intp), np.asarray(uniques, dtype=object)
        )
    table.order = {k: i for i, k in enumerate(keys)}
    return table


# -- headers ----------------------------------------------------------------------------------------


def _norm_header(text: str) -> str:
    text = re.sub(r"[\s*＊]+", "", text)
    text = re.sub(r"[（(][^（()）]*[）)]$", "", text)
    return text.casefold()


def _header_index() -> dict[str, tuple[str, int, bool]]:
    """normalised header → (field, rank, holds codes); code columns rank before labels."""
    index: dict[str, tuple[str, int, bool]] = {}
    for spec in FIELDS:
        index[_norm_header(spec.name)] = (spec.name, -2, True)
        if spec.code_header:
            index[_norm_header(spec.code_header)] = (spec.name, -1, True)
        for rank, header in enumerate(spec.headers):
            index.setdefault(_norm_header(header), (spec.name, rank, False))
    return index


_HEADERS = _header_index()
_UNUSED = {_norm_header(h) for h in KNOWN_UNUSED}


def _known_count(cells: Sequence[str]) -> int:
    return len({_HEADERS[k][0] for k in (_norm_header(c) for c in cells) if k in _HEADERS})


def _find_header(records: Sequence[Sequence[str]]) -> int:
    """The first of the top rows naming at least two known columns (row 0 when none does)."""
    for index, record in enumerate(records[:HEADER_SCAN]):
        if _known_count(record) >= 2:
            return index
    return 0


def _map_headers(header: Sequence[str], table: _Table) -> dict[str, tuple[int, str, bool]]:
    """field → (position, header as written, holds codes) for the columns read; problems and notes."""
    row = table.header_row
    if row == 2:
        table.notes.append("row 1 above the header row was skipped (a title)")
    elif row > 2:
        table.notes.append(f"rows 1–{row - 1} above the header row were skipped (titles)")
    seen: dict[str, int] = {}
    candidates: dict[str, list[tuple[int, int, str, bool]]] = {}
    unknown: list[str] = []
    for position, text in enumerate(header):
        text = text.strip()
        key = _norm_header(text)
        if not key:
            continue
        table.order.setdefault(text, position)
        if key in seen:
            if key not in _HEADERS:
                continue  # a column nobody reads may appear twice
            table.problems.append(
                LedgerProblem(
                    row,
                    text,
                    f"the header appears twice (columns {_letter(seen[key])} and {_letter(position)}); "
                    "rename or remove one",
                )
            )
            continue
        seen[key] = position
        if key in _HEADERS:
            name, rank, coded = _HEADERS[key]
            candidates.setdefault(name, []).append((rank, position, text, coded))
        elif key not in _UNUSED:
            unknown.append(text)
    used: dict[str, tuple[int, str, bool]] = {}
    for name, found in candidates.items():
        found.sort()
        _, position, text, coded = found[0]
        used[name] = (position, text, coded)
        skipped = [t for _, _, t, c in found[1:] if not (c is False and coded)]
        if skipped:
            table.notes.append(f"{', '.join(skipped)} not read: {text} is read for the same column")
    if unknown:
        table.notes.append(f"columns not used: {', '.join(unknown)}")
    if not used:
        shown = ", ".join(t for t in header if t.strip())[:200] or "(nothing)"
        table.fail(
            f"no ledger column headers found in the first {HEADER_SCAN} rows (found: {shown}); "
            "expected headers such as 编号, 收件日期, 问题类别, 承办单位, 办理状态, 办理期限",
            row=row,
        )
        return used
    for spec in FIELDS:
        if spec.required and spec.name not in used:
            also = [*spec.headers[1:], *([spec.code_header] if spec.code_header else [])]
            table.problems.append(
                LedgerProblem(
                    row, spec.headers[0], f"required column is missing (also accepted: {', '.join(also)})"
                )
            )
    return used


def _finish_table(table: _Table) -> _Table:
    """Drop blank rows; a table without rows is a problem."""
    n = len(table.rows)
    if n and table.columns:
        blank = np.ones(n, dtype=bool)
        for column in table.columns.values():
            empty = column.uniques == ""
            blank &= empty[column.codes] if empty.any() else False
        if blank.any():
            keep = np.flatnonzero(~blank)
            table.rows = table.rows[keep]
            table.columns = {
                k: _Column(c.header, c.coded, c.codes[keep], c.uniques) for k, c in table.columns.items()
            }
            if len(keep):
                skipped = int(blank.sum())
                table.notes.append(f"{skipped} blank row{'s' if skipped != 1 else ''} skipped")
    if not len(table.rows):
        table.fail("the file has a header row but no ledger rows", row=table.header_row)
    return table


# -- checking the values ----------------------------------------------------------------------------


class _State:
    """The table being checked, what each step made of it so far, and the problems found."""

    def __init__(self, table: _Table, pack: Pack) -> None:
        self.table = table
        self.pack = pack
        self.n = len(table.rows)
        self.problems: list[LedgerProblem] = []
        self.out: dict[str, Any] = {}

    def column(self, name: str) -> _Column | None:
        return self.table.columns.get(name)

    def report(self, column: _Column, messages: Mapping[int, str]) -> None:
        """One problem per row whose value is one of the distinct values (by index) in ``messages``."""
        if not messages:
            return
        bad = np.zeros(len(column.uniques), dtype=bool)
        bad[list(messages)] = True
        for at in column.rows_of(bad).tolist():
            text = messages[int(column.codes[at])]
            self.problems.append(LedgerProblem(int(self.table.rows[at]), column.header, text))

    def report_rows(self, where: npt.NDArray[np.bool_], column: str, message: Callable[[int], str]) -> None:
        for at in np.flatnonzero(where).tolist():
            self.problems.append(LedgerProblem(int(self.table.rows[at]), column, message(at)))

    def strings(self, name: str, mapped: Sequence[str] | Strings, column: _Column) -> None:
        """Spread one result per distinct value back over the rows as column ``name``."""
        self.out[name] = np.asarray(mapped, dtype=object)[column.codes]

    def empty_strings(self, name: str) -> None:
        self.out[name] = np.full(self.n, "", dtype=object)

    def required(self, column: _Column) -> None:
        empty = column.uniques == ""
        if empty.any():
            self.report(column, {int(i): "is empty (required)" for i in np.flatnonzero(empty)})


def _step_id(s: _State) -> None:
    column = s.column("id")
    if column is None:
        s.empty_strings("id")
        return
    s.required(column)
    s.strings("id", column.uniques, column)
    counts = np.bincount(column.codes, minlength=len(column.uniques))
    repeated = (counts > 1) & (column.uniques != "")
    if not repeated.any():
        return
    rows = column.rows_of(repeated)
    _, first = np.unique(column.codes[rows], return_index=True)
    first_row = dict(zip(column.codes[rows[first]].tolist(), s.table.rows[rows[first]].tolist(), strict=True))
    for at in rows.tolist():
        code = int(column.codes[at])
        row = int(s.table.rows[at])
        if row != first_row[code]:
            value = column.uniques[code]
            s.problems.append(
                LedgerProblem(row, column.header, f"duplicate id {value!r}: also in row {first_row[code]}")
            )


def _dates(s: _State, name: str, *, required: bool) -> Days:
    """Column ``name`` parsed as days per row (NaT where empty); problems for what is not a date."""
    column = s.column(name)
    if column is None:
        return np.full(s.n, _NAT)
    days, errors = parse_days(column.uniques)
    if required:
        errors.update({int(i): "is empty (required)" for i in np.flatnonzero(column.uniques == "")})
    s.report(column, errors)
    return days[column.codes]


def parse_days(values: Sequence[str] | Strings) -> tuple[Days, dict[int, str]]:
    """Days for each of ``values`` (NaT for "" and for what is not a date) and a message per bad one.

    ISO dates are parsed vectorised by pandas; the rest (2025/9/26, 2025年9月26日, Excel serials …) one by
    one. Called with the distinct values of a column, so a ledger has few of each.
    """
    texts = pd.Series(np.asarray(values, dtype=object), dtype=object)
    iso = pd.to_datetime(texts, format="%Y-%m-%d", errors="coerce")
    days = iso.to_numpy(dtype="datetime64[D]", na_value=_NAT)
    errors: dict[int, str] = {}
    years = iso.dt.year
    wrong_year = (iso.notna() & ((years < _YEARS[0]) | (years > _YEARS[1]))).to_numpy()
    days[wrong_year] = _NAT
    leftovers = np.flatnonzero((texts != "").to_numpy() & np.isnat(days))
    for i in leftovers.tolist():
        value = str(texts.iat[i])
        parsed = _parse_day(value)
        if isinstance(parsed, date):
            days[i] = np.datetime64(parsed, "D")
        else:
            errors[i] = parsed
    return days, errors


def _parse_day(text: str) -> date | str:
    """The day ``text`` names, or a message saying why it is not one."""
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match:
            y, m, d = (int(match.group(k)) for k in ("y", "m", "d"))
            if not _YEARS[0] <= y <= _YEARS[1]:
                return f"{text!r}: the year {y} is out of range ({_YEARS[0]}–{_YEARS[1]})"
            if not 1 <= m <= 12:
                return f"{text!r} is not a real day: there is no month {m}"
            try:
                return date(y, m, d)
            except ValueError:
                return f"{text!r} is not a real day: {y}-{m:02d} has no day {d}"
    serial = _SERIAL_FORM.fullmatch(text)
    if serial:
        n = int(serial.group("n"))
        if _SERIALS[0] <= n <= _SERIALS[1]:
            return _EXCEL_EPOCH + timedelta(days=n)
        return f"{text!r} is a number but not an Excel date between {_YEARS[0]} and {_YEARS[1]}; {_DATE_HINT}"
    return f"{text!r} is not a date; {_DATE_HINT}"


def _step_received(s: _State) -> None:
    s.out["received"] = _dates(s, "received", required=True)


def _step_texts(s: _State) -> None:
    """Names and free text as written; 匿名 as a reporter's name means none."""
    for name in ("reporter_name", "accused_name", "accused_unit", "summary"):
        column = s.column(name)
        if column is None:
            s.empty_strings(name)
            continue
        values = column.uniques
        if name == "reporter_name":
            values = np.array(["" if v in _ANONYMOUS else v for v in values.tolist()], dtype=object)
        s.strings(name, values, column)


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    """The values a column accepts: normalised text → code, and what to show when a value is unknown."""

    lookup: Mapping[str, str]
    labels: tuple[str, ...]
    codes: tuple[str, ...]
    noun: str
    suggest: Callable[[str], list[str]] = field(default=lambda _value: [])

    def message(self, value: str, coded: bool) -> str:
        close = self.suggest(value)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        if len(self.codes) > _LISTED:  # the pack's units: suggestions, or a few to show the form
            if close:
                return f"unknown {self.noun} {value!r}{hint}"
            shown = ", ".join(self.labels[:8])
            return f"unknown {self.noun} {value!r}; allowed: {shown} … ({len(self.labels)} in the pack)"
        if coded:
            return f"unknown {self.noun} code {value!r}; allowed: {', '.join(self.codes)}{hint}"
        return (
            f"unknown {self.noun} {value!r}; allowed: {', '.join(self.labels)} "
            f"(or the codes {', '.join(self.codes)}){hint}"
        )

    def parse(self, value: str) -> str | None:
        return self.lookup.get(_key(value))


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("／", "/").casefold()


def _enum_vocabulary(name: str, enum: type[Coded], noun: str) -> _Vocabulary:
    lookup: dict[str, str] = {}
    for member in enum:
        for text in (member.value, member.zh, member.en):
            lookup[_key(text)] = member.value
    for text, code in LABEL_SYNONYMS.get(name, {}).items():
        lookup.setdefault(_key(text), code)
    return _Vocabulary(lookup, tuple(m.zh for m in enum), tuple(m.value for m in enum), noun)


def _units(pack: Pack) -> _Vocabulary:
    j = pack.jurisdiction
    names = {code: j.name(code) for code in sorted(j.codes())}
    lookup: dict[str, str] = {_key(code): code for code in names}
    lookup.update({_key(name): code for code, name in names.items()})
    shorts: dict[str, list[str]] = {}
    for unit in j.units:
        shorts.setdefault(_key(unit.short), []).append(unit.code)
    for short, codes in shorts.items():
        if len(codes) == 1:
            lookup.setdefault(short, codes[0])
    every = list(names.values())

    def suggest(value: str) -> list[str]:
        return difflib.get_close_matches(value, every, n=3, cutoff=0.5)

    return _Vocabulary(lookup, tuple(every), tuple(names), "unit", suggest)


def _vocabulary(name: str, pack: Pack) -> _Vocabulary:
    if name == "channel":
        return _enum_vocabulary(name, Channel, "channel")
    if name == "category":
        return _enum_vocabulary(name, Category, "category")
    if name == "route_action":
        return _enum_vocabulary(name, RouteAction, "routing")
    if name == "status":
        return _enum_vocabulary(name, ItemStatus, "status")
    if name == "handler_unit":
        return _units(pack)
    if name == "problem_type":
        pairs = [(p.code, p.name) for p in pack.problems] + [(UNSPECIFIED, Flag.NO_SUBSTANCE.zh)]
    else:  # deadline
        pairs = [(r.code, r.name_zh) for r in pack.rules.deadlines]
        pairs += [(r.code, r.name_en) for r in pack.rules.deadlines]
    lookup = {_key(code): code for code, _ in pairs}
    for code, label in pairs:
        lookup.setdefault(_key(label), code)
    noun = "problem type" if name == "problem_type" else "time-limit rule"
    labels = tuple(dict.fromkeys(label for _, label in pairs if name == "problem_type" or _is_zh(label)))
    return _Vocabulary(lookup, labels, tuple(dict.fromkeys(c for c, _ in pairs)), noun)


def _is_zh(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _coded(s: _State, name: str, *, required: bool) -> None:
    """Labels or codes of column ``name`` as codes ("" where empty); problems for unknown values."""
    column = s.column(name)
    if column is None:
        s.empty_strings(name)
        return
    vocabulary = _vocabulary(name, s.pack)
    mapped: list[str] = []
    errors: dict[int, str] = {}
    for index, value in enumerate(column.uniques.tolist()):
        if value == "":
            mapped.append("")
            if required:
                errors[index] = "is empty (required)"
            continue
        code = vocabulary.parse(value)
        if code is None:
            errors[index] = vocabulary.message(value, column.coded)
            mapped.append("")
        else:
            mapped.append(code)
    s.report(column, errors)
    s.strings(name, mapped, column)


def _step_channel(s: _State) -> None:
    _coded(s, "channel", required=False)


def _step_category(s: _State) -> None:
    _coded(s, "category", required=True)


def _step_problem_type(s: _State) -> None:
    _coded(s, "problem_type", required=False)


def _step_route_action(s: _State) -> None:
    _coded(s, "route_action", required=False)


def _step_handler_unit(s: _State) -> None:
    _coded(s, "handler_unit", required=True)


def _step_status(s: _State) -> None:
    _coded(s, "status", required=True)


def _step_deadline(s: _State) -> None:
    """From 时限规则 where given, else the pack's ledger rule for the item's routing and category."""
    _coded(s, "deadline", required=False)
    deadline: Strings = s.out["deadline"]
    missing = deadline == ""
    column = s.column("deadline")
    if column is not None:  # a cell that was not understood is a problem, not a hole to fill
        missing &= (column.uniques == "")[column.codes]
    if not missing.any():
        return
    keys = (
        s.out["route_action"][missing]
        + "|"
        + s.out["category"][missing]
        + "|"
        + s.out["problem_type"][missing]
    )
    codes, uniques = pd.factorize(keys)
    derived = [_ledger_rule(s.pack, *str(key).split("|")) for key in uniques.tolist()]
    deadline[missing] = np.asarray(derived, dtype=object)[codes]


def _ledger_rule(pack: Pack, action: str, category: str, problem: str) -> str:
    if not action or not category:
        return ""
    try:
        rule = pack.rules.ledger_deadline(RouteAction(action), Category(category), problem or None)
    except (KeyError, ValueError, PackError):
        return ""
    return rule.code if rule is not None else ""


def _milestone_rule(pack: Pack, action: str, category: str) -> str:
    if not action or not category:
        return ""
    try:
        rule = pack.rules.milestone(RouteAction(action), Category(category))
    except (KeyError, ValueError, PackError):
        return ""
    return rule.code if rule is not None else ""


def _step_milestone(s: _State) -> None:
    """From 节点事项 where the file has it, else the pack's milestone for the item's routing and category."""
    if s.column("milestone") is not None:
        _coded(s, "milestone", required=False)
        return
    keys = s.out["route_action"] + "|" + s.out["category"]
    codes, uniques = pd.factorize(keys)
    derived = [_milestone_rule(s.pack, *str(key).split("|")) for key in uniques.tolist()]
    s.out["milestone"] = np.asarray(derived, dtype=object)[codes]


def _step_flags(s: _State) -> None:
    column = s.column("flags")
    if column is None:
        s.empty_strings("flags")
        return
    vocabulary = _enum_vocabulary("flags", Flag, "flag")
    mapped: list[str] = []
    errors: dict[int, str] = {}
    for index, value in enumerate(column.uniques.tolist()):
        codes: list[str] = []
        for token in (t for t in _FLAG_SPLIT.split(value) if t):
            code = vocabulary.parse(token)
            if code is None:
                errors[index] = (
                    f"unknown flag {token!r}; allowed: {', '.join(vocabulary.labels)} "
                    f"(or the codes {', '.join(vocabulary.codes)}), separated by 、 or commas"
                )
            elif code not in codes:
                codes.append(code)
        mapped.append(",".join(codes))
    s.report(column, errors)
    s.strings("flags", mapped, column)


def _step_due(s: _State) -> None:
    """Due days; filed items and items no time limit applies to need none (see the module docstring)."""
    status: Strings = s.out["status"]
    filed = status == ItemStatus.FILED.value
    # no limit applies: the shape is known and the pack (or 时限规则) gives the item no rule
    unlimited = (s.out["deadline"] == "") & (s.out["route_action"] != "") & (s.out["category"] != "")
    needs = ~filed & ~unlimited
    column = s.column("due")
    if column is None:
        s.out["due"] = np.full(s.n, _NAT)
        _missing_column(
            s,
            "due",
            needs,
            lambda first: (
                f"tracked against a time limit (the first in row {first}; also accepted: "
                f"{', '.join(_SPEC['due'].headers[1:])})"
            ),
        )
        return
    days, errors = parse_days(column.uniques)
    bad = np.zeros(len(column.uniques), dtype=bool)
    bad[list(errors)] = True
    s.report_rows(bad[column.codes] & ~filed, column.header, lambda at: errors[int(column.codes[at])])
    empty = (column.uniques == "")[column.codes] & needs & (status != "")  # no 办理状态: its own problem
    shape = f"{s.table.header_of('route_action')} and {s.table.header_of('category')}"
    s.report_rows(
        empty,
        column.header,
        lambda _at: (
            f"is empty (required unless the item is {ItemStatus.FILED.zh} or no time limit applies "
            f"to its {shape})"
        ),
    )
    due = days[column.codes]
    due[filed] = _NAT
    s.out["due"] = due


def _step_milestone_due(s: _State) -> None:
    """Milestone days as written; derived from 收件日期 by the milestone's rule where not given."""
    milestone: Strings = s.out["milestone"]
    column = s.column("milestone_due")
    days = _dates(s, "milestone_due", required=False)
    if column is not None:
        lacking = milestone == ""
        named = s.column("milestone")
        if named is not None:  # a 节点事项 that was not understood is its own problem
            lacking &= (named.uniques == "")[named.codes]
        header = s.table.header_of("milestone")
        s.report_rows(
            ~np.isnat(days) & lacking,
            column.header,
            lambda at: f"{_iso(days[at])} is given, but the item has no {header}",
        )
    received: Days = s.out["received"]
    wanted = np.isnat(days) & (milestone != "") & ~np.isnat(received)
    if wanted.any():
        codes, rules = pd.factorize(milestone[wanted])
        where = np.flatnonzero(wanted)
        for i, code in enumerate(rules.tolist()):
            rows = where[codes == i]
            days[rows] = _rule_days(s.pack, str(code), received[rows])
    s.out["milestone_due"] = days


def _rule_days(pack: Pack, code: str, received: Days) -> Days:
    """The days rule ``code`` gives from ``received`` (NaT where it counts from another event, or the
    calendar has no data for a row)."""
    try:
        rule = pack.rules.deadline(code)
    except PackError:
        return np.full(len(received), _NAT)
    if rule.start is not StartEvent.RECEIVED:
        return np.full(len(received), _NAT)
    try:
        return rule.due_array(received, pack.calendar).astype("datetime64[D]")
    except CalendarRangeError:  # some rows in a year without holiday data: those alone stay NaT
        out = np.full(len(received), _NAT)
        for at, day in enumerate(received.astype(object).tolist()):
            with contextlib.suppress(CalendarRangeError):
                out[at] = np.datetime64(rule.due(day, pack.calendar), "D")
        return out


def _step_closed(s: _State) -> None:
    """Closing days: required for closed items, refused for items still being handled."""
    status: Strings = s.out["status"]
    closed_status = status == ItemStatus.CLOSED.value
    open_status = (status == ItemStatus.OPEN.value) | (status == ItemStatus.EXTENDED.value)
    column = s.column("closed")
    status_header = s.table.header_of("status")
    if column is None:
        s.out["closed"] = np.full(s.n, _NAT)
        _missing_column(
            s, "closed", closed_status, lambda first: f"{ItemStatus.CLOSED.zh} (the first in row {first})"
        )
        return
    closed = _dates(s, "closed", required=False)
    empty = (column.uniques == "")[column.codes]
    s.report_rows(
        empty & closed_status,
        column.header,
        lambda _at: f"is empty, but {status_header} is {ItemStatus.CLOSED.zh}",
    )
    s.report_rows(
        ~np.isnat(closed) & open_status,
        column.header,
        lambda at: (
            f"{_iso(closed[at])} is given, but {status_header} is {ItemStatus(status[at]).zh}; "
            "an item not yet closed has no closing day"
        ),
    )
    s.out["closed"] = closed


def _step_order(s: _State) -> None:
    """Closing and due days cannot come before the day received."""
    received: Days = s.out["received"]
    header = s.table.header_of("received")
    for name in ("closed", "due", "milestone_due"):
        days: Days = s.out[name]
        early = ~np.isnat(days) & ~np.isnat(received) & (days < received)
        for at in np.flatnonzero(early).tolist():
            message = f"{_iso(days[at])} is before the {header} {_iso(received[at])}"
            s.problems.append(LedgerProblem(int(s.table.rows[at]), s.table.header_of(name), message))


def _missing_column(s: _State, name: str, needs: Any, what: Callable[[int], str]) -> None:
    """Report the missing column ``name`` when any row ``needs`` it: how many do, and ``what`` they are
    (given the sheet row of the first)."""
    if needs.any():
        first = int(s.table.rows[int(np.argmax(needs))])
        s.problems.append(
            LedgerProblem(
                s.table.header_row,
                _SPEC[name].headers[0],
                f"required column is missing: {_items(int(needs.sum()))} {what(first)}",
            )
        )


def _items(n: int) -> str:
    return "1 item is" if n == 1 else f"{n} items are"


def _iso(day: Any) -> str:
    return str(np.datetime_as_string(day, unit="D"))


#: the checks, in order; each reads the table and what earlier steps made
_STEPS: tuple[tuple[str, Callable[[_State], None]], ...] = (
    ("id", _step_id),
    ("received", _step_received),
    ("texts", _step_texts),
    ("channel", _step_channel),
    ("category", _step_category),
    ("problem_type", _step_problem_type),
    ("route_action", _step_route_action),
    ("handler_unit", _step_handler_unit),
    ("status", _step_status),
    ("deadline", _step_deadline),
    ("milestone", _step_milestone),
    ("flags", _step_flags),
    ("due", _step_due),
    ("milestone_due", _step_milestone_due),
    ("closed", _step_closed),
    ("order", _step_order),
)


def _sorted(problems: Iterable[LedgerProblem], table: _Table) -> list[LedgerProblem]:
    """File-wide problems first, then by row and by the column's place in the file."""
    order = table.order

    def key(p: LedgerProblem) -> tuple[int, int, int]:
        return (0 if p.row is None else 1, p.row or 0, order.get(p.column, len(order)))

    return sorted(problems, key=key)
