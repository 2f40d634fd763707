"""Writing tables into Excel sheets, shared by the report workbooks.

Every sheet is one table with a bold header row, frozen below it, and columns sized to their contents.
Every cell holds a value, never a formula: text that Excel would read as one (starting with ``=``, ``+``,
``-`` or ``@``) is written as a string cell with Excel's quote prefix, so it shows as typed and stays text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

# openpyxl ships no type information (the same ignore as in toolkit/ledger/importer.py)
from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell  # type: ignore[import-untyped, unused-ignore]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped, unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped, unused-ignore]

__all__ = ["Row", "Value", "number_text", "put", "table", "text_width"]

Value = str | int | float | None
Row = Sequence[Value]

#: text starting with one of these is a formula (or DDE payload) to Excel and other spreadsheets
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="FFE8EAED", end_color="FFE8EAED")
_WRAP = Alignment(wrap_text=True, vertical="top")
_MIN_WIDTH = 6
_MAX_WIDTH = 60


def number_text(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def table(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Row],
    *,
    formats: Mapping[int, str] | None = None,
    wrap: frozenset[int] | set[int] = frozenset(),
) -> Worksheet:
    """A sheet holding one table: bold header row frozen at the top, then ``rows``.

    ``formats`` gives the number format of float values by column index (0-based); ``wrap`` the columns
    whose text wraps (notes, lists).
    """
    ws = wb.create_sheet(title=title)
    widths = [text_width(h) for h in headers]
    for col, header in enumerate(headers, start=1):
        cell = put(ws, 1, col, header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            cell = put(ws, r, c + 1, value)
            if isinstance(value, float) and formats and c in formats:
                cell.number_format = formats[c]
            if c in wrap:
                cell.alignment = _WRAP
            if c < len(widths):
                widths[c] = max(widths[c], text_width(value))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
    ws.freeze_panes = "A2"
    return ws


def put(ws: Worksheet, row: int, col: int, value: Value) -> Cell:
    """Write ``value`` into a cell; text is always a string cell, never a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        cell.data_type = "s"  # openpyxl makes text starting with "=" a formula
        if text.startswith(_FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def text_width(value: Value) -> int:
    """Display width of ``value`` in Excel character units (CJK characters count two)."""
    if value is None:
        return 0
    if isinstance(value, float):
        value = number_text(value)
    lines = str(value).split("\n")
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines)
