"""The first sheet of an .xlsx workbook read without trusting it: the zip directory is checked before anything is
unpacked (duka/xlsx_package.py), the sheet's declared used range before any row, then the sheet is streamed through
expat with row, column and cell caps, so a file built to unpack into gigabytes is refused at once."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from db.errors import InvalidInput
from duka.import_table import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, Table
from duka.xlsx_package import (
    DAMAGED,
    MAX_DEPTH,
    MAX_PART_BYTES,
    NOT_A_WORKBOOK,
    TOO_DEEP,
    check_directory,
    check_end_record,
    check_size,
    parse,
    workbook_parts,
)
from i18n import number, t

MAX_SHEET_BYTES = 64_000_000  # 100,000 rows of 6 columns as openpyxl writes them: 33 MB
MAX_STRINGS_BYTES = 32_000_000  # 100,000 different descriptions take about 5 MB
MAX_STRINGS = MAX_CELLS  # texts in the shared table: more than the sheet could use
# Locale date formats that openpyxl leaves out of BUILTIN_FORMATS (East Asian Excel writes them).
_LOCALE_DATES = frozenset(range(27, 37)) | frozenset(range(50, 59))
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")


def column_letters(n: int) -> str:
    """1 -> A, 51 -> AY."""
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


COLUMNS = {column_letters(n): n for n in range(1, 16_385)}  # A -> 1 … XFD -> 16,384: Excel's columns


class _Stop(Exception):
    """Ends a parse early once what was wanted has been seen."""


def read_xlsx(data: bytes) -> Table:
    """The first sheet's rows as text, with its row numbers as lines and its formulas that have no saved value."""
    if not data.startswith(b"PK"):
        raise InvalidInput(t(NOT_A_WORKBOOK))
    check_end_record(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            check_directory(book)
            sheet, strings, styles, date1904 = workbook_parts(book)
            for part, cap in ((sheet, MAX_SHEET_BYTES), (strings, MAX_STRINGS_BYTES), (styles, MAX_PART_BYTES)):
                check_size(book, part, cap)
            _peek_used_range(book, sheet)
            shared = _shared_strings(book, strings) if strings else []
            dates = _date_styles(book, styles) if styles else frozenset()
            reader = _SheetReader(shared, dates, CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900)
            parse(book, sheet, reader.start, reader.end, reader.text, cap=MAX_SHEET_BYTES, counts_depth=True)
            return reader.table
    except InvalidInput:
        raise
    except (zipfile.BadZipFile, zlib.error, expat.ExpatError, KeyError, ValueError, IndexError, EOFError, OSError):
        raise InvalidInput(t(DAMAGED)) from None
    except (NotImplementedError, RuntimeError):  # an unknown compression method, an encrypted part
        raise InvalidInput(t("This workbook is packed in a way Excel does not use, so it was not opened.")) from None


def _peek_used_range(book: zipfile.ZipFile, sheet: str) -> None:
    """Check the sheet's declared used range (<dimension>) before any string or row is read."""

    def start(name: str, attrs: dict) -> None:
        name = name.rpartition(":")[2]
        if name == "dimension":
            check_used_range(attrs.get("ref", ""))
        if name in ("dimension", "sheetData"):
            raise _Stop

    try:
        parse(book, sheet, start, cap=MAX_SHEET_BYTES)
    except _Stop:
        pass


def check_used_range(ref: str) -> None:
    """Refuse a declared used range (A1:XFD2000) wider or longer than an import reads."""
    first, _, last = ref.upper().partition(":")
    a, b = _REF.match(first), _REF.match(last or first)
    if not a or not b:
        return  # no range Excel would write: the caps while streaming still hold
    if a[1] not in COLUMNS or b[1] not in COLUMNS:
        return
    columns = COLUMNS[b[1]] - COLUMNS[a[1]] + 1
    rows = int(b[2]) - int(a[2]) + 1
    if COLUMNS[b[1]] > MAX_COLUMNS:
        raise InvalidInput(
            t(
                "The sheet's used range is {range}: {columns} columns. An import reads at most {limit} columns "
                "(A to {last}); delete the columns after your data, save and upload again.",
                range=ref,
                columns=number(columns),
                limit=MAX_COLUMNS,
                last=column_letters(MAX_COLUMNS),
            )
        )
    if rows > MAX_ROWS + 1:
        raise InvalidInput(
            t(
                "The sheet's used range is {range}: {rows} rows. An import takes at most {limit} rows at once; "
                "delete the empty rows after your data, or split the file.",
                range=ref,
                rows=number(rows),
                limit=number(MAX_ROWS),
            )
        )


# --- shared strings and date styles --------------------------------------------------------------------------


def _shared_strings(book: zipfile.ZipFile, part: str) -> list[str]:
    strings: list[str] = []
    parts: list[str] = []
    state = {"t": False, "phonetic": False}

    def start(name: str, attrs: dict) -> None:
        name = name.rpartition(":")[2]
        if name == "t" and not state["phonetic"]:
            state["t"] = True
        elif name == "rPh":
            state["phonetic"] = True
        elif name == "si":
            parts.clear()

    def end(name: str) -> None:
        name = name.rpartition(":")[2]
        if name == "t":
            state["t"] = False
        elif name == "rPh":
            state["phonetic"] = False
        elif name == "si":
            if len(strings) >= MAX_STRINGS:
                raise InvalidInput(
                    t("This workbook holds more than {texts} texts, so it was not opened.", texts=number(MAX_STRINGS))
                )
            strings.append("".join(parts))

    def text(data: str) -> None:
        if state["t"]:
            parts.append(data)

    parse(book, part, start, end, text, cap=MAX_STRINGS_BYTES)
    return strings


def _date_styles(book: zipfile.ZipFile, part: str) -> frozenset[int]:
    """The cell styles (their index, a cell's s="…") whose number format shows a date."""
    formats: dict[int, str] = {}
    styles: list[int] = []
    inside = [False]

    def start(name: str, attrs: dict) -> None:
        name = name.rpartition(":")[2]
        if name == "numFmt":
            formats[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            inside[0] = True
        elif name == "xf" and inside[0]:
            styles.append(int(attrs.get("numFmtId", "0")))

    def end(name: str) -> None:
        if name.rpartition(":")[2] == "cellXfs":
            inside[0] = False

    parse(book, part, start, end, cap=MAX_PART_BYTES)

    def is_date(fmt: int) -> bool:
        code = formats.get(fmt, BUILTIN_FORMATS.get(fmt))
        return fmt in _LOCALE_DATES or (code is not None and is_date_format(code))

    return frozenset(i for i, fmt in enumerate(styles) if is_date(fmt))


# --- the sheet, streamed ---------------------------------------------------------------------------------------


class _SheetReader:
    """expat handlers that turn <row>/<c> events into Table rows of text, holding one row at a time."""

    def __init__(self, strings: list[str], date_styles: frozenset[int], epoch: datetime) -> None:
        self.table = Table()
        self.strings, self.date_styles, self.epoch = strings, date_styles, epoch
        self.in_data = self.in_cell = self.phonetic = False
        self.depth = self.line = 0
        self.row: dict[int, str] = {}
        self.unsaved: list[int] = []
        self.column = 0
        self.kind, self.style, self.formula = "n", None, False
        self.value: str | None = None
        self.inline: list[str] | None = None
        self.buffer: list[str] | None = None

    def start(self, name: str, attrs: dict) -> None:
        """An element opens: a row, a cell, a value or a formula."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise InvalidInput(t(TOO_DEEP))
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "c" and self.in_data:
            ref = attrs.get("r")
            self.column = COLUMNS[ref.rstrip("0123456789")] if ref else self.column + 1  # not a column: damaged
            self.kind, self.style = attrs.get("t", "n"), attrs.get("s")
            self.value, self.inline, self.formula, self.in_cell = None, None, False, True
        elif self.in_cell and (name == "v" or (name == "t" and self.inline is not None and not self.phonetic)):
            self.buffer = []
        elif self.in_cell and name == "f":
            self.formula = True
        elif self.in_cell and name == "is":
            self.inline = []
        elif name == "rPh":
            self.phonetic = True
        elif name == "row" and self.in_data:
            ref = attrs.get("r")
            self.line = int(ref) if ref else self.line + 1
            self.row, self.unsaved, self.column = {}, [], 0
        elif name == "sheetData":
            self.in_data = True
        elif name == "dimension":
            check_used_range(attrs.get("ref", ""))

    def text(self, data: str) -> None:
        """Characters inside a value being collected."""
        if self.buffer is not None:
            self.buffer.append(data)

    def end(self, name: str) -> None:
        """An element closes: a value is complete, a cell is stored, a row goes to the table."""
        self.depth -= 1
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "v" and self.buffer is not None:
            self.value, self.buffer = "".join(self.buffer), None
        elif name == "t" and self.buffer is not None:
            self.inline.append("".join(self.buffer))
            self.buffer = None
        elif name == "c" and self.in_cell:
            self.in_cell = False
            self._cell()
        elif name == "row" and self.in_data:
            if self.row or self.unsaved:
                cells = [""] * max([*self.row, *self.unsaved])
                for column, value in self.row.items():
                    cells[column - 1] = value
                self.table.add(self.line, cells, [c - 1 for c in self.unsaved])
        elif name == "rPh":
            self.phonetic = False
        elif name == "sheetData":
            self.in_data = False

    def _cell(self) -> None:
        kind, raw = self.kind, self.value
        if kind == "inlineStr":
            text = "".join(self.inline or ())
        elif self.formula and (raw is None or (not raw and kind != "str")):
            # no saved value: openpyxl and some exporters write <v/> (or nothing) and leave the sum to Excel
            if self.column <= MAX_COLUMNS:
                self.unsaved.append(self.column)
            return
        elif raw is None:
            return
        elif kind == "s":
            index = int(raw)
            if index < 0:
                raise IndexError(index)  # damaged
            text = self.strings[index]
        elif kind == "b":
            text = "TRUE" if raw.strip() == "1" else "FALSE"
        elif kind == "d":
            text = _date_text(datetime.fromisoformat(raw.strip()))
        elif kind == "n":
            text = _number_text(raw, self.style is not None and int(self.style) in self.date_styles, self.epoch)
        else:  # str (a formula's text), e (an error such as #DIV/0!)
            text = raw
        if not text:
            return
        if self.column > MAX_COLUMNS:
            raise InvalidInput(
                t(
                    "Line {line} has a value in column {column}; an import reads at most {limit} columns (A to "
                    "{last}). Delete what is beyond them, save and upload again.",
                    line=self.line,
                    column=column_letters(self.column),
                    limit=MAX_COLUMNS,
                    last=column_letters(MAX_COLUMNS),
                )
            )
        self.row[self.column] = text


def _number_text(raw: str, is_date: bool, epoch: datetime) -> str:
    """A number as typed (1250.5; 1.5E+2 as 150), or a date-formatted number as its date."""
    raw = raw.strip()
    if is_date:
        try:
            return _date_text(from_excel(float(raw), epoch))
        except (ValueError, OverflowError):
            return raw
    if "E" in raw or "e" in raw:
        try:
            return format(Decimal(raw).normalize(), "f")
        except InvalidOperation:
            return raw
    return raw


def _date_text(value: datetime | time) -> str:
    """2026-03-02 for a date, 2026-03-02 14:30:00 with a time of day, 14:30:00 for a time alone."""
    if isinstance(value, time):
        return value.isoformat()
    if value.time() == time(0):
        return value.date().isoformat()
    return value.isoformat(sep=" ", timespec="seconds")
