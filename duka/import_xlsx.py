"""An .xlsx workbook read without trusting it: the zip directory is checked before anything is unpacked (how many
parts, how large unpacked, how tightly packed, the sheet's declared used range), then the first sheet is streamed
through expat with row, column and cell caps, so a file built to unpack into gigabytes is refused at once."""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from db.errors import InvalidInput
from duka.import_table import MAX_COLUMNS, MAX_ROWS, Table

MAX_PARTS = 1_000  # Excel writes a few dozen
MAX_DIRECTORY_BYTES = 1_000_000
MAX_SHEET_BYTES = 100_000_000  # a sheet of 100,000 rows of 10 columns unpacks to about 55 MB
MAX_STRINGS_BYTES = 50_000_000
MAX_PART_BYTES = 10_000_000  # the workbook, its relationships and styles
MAX_STRINGS = 2_000_000
MAX_RATIO = 100  # a real sheet packs 5 to 30 times; the probe's bombs 150 and 300 times
RATIO_FROM = 1_000_000  # small parts may pack tighter without harm
CHUNK = 1 << 16
NOT_OPENED = "so it was not opened"
DAMAGED = f"This workbook is damaged (its parts do not match its directory), {NOT_OPENED}. Save it again in Excel."
# Locale date formats that openpyxl leaves out of BUILTIN_FORMATS (East Asian Excel writes them).
_LOCALE_DATES = frozenset(range(27, 37)) | frozenset(range(50, 59))
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_OFFICE_DOCUMENT = "/officeDocument"


class _Stop(Exception):
    """Ends a parse early once what was wanted has been seen."""


def read_xlsx(data: bytes) -> Table:
    """The first sheet's rows as text, with its row numbers as lines and its formulas that have no saved value."""
    if not data.startswith(b"PK"):
        raise InvalidInput("This file is called .xlsx but is not an Excel workbook.")
    _check_end_record(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            _check_directory(book)
            sheet, strings, styles, epoch = _parts(book)
            _check_sizes(book, {sheet: MAX_SHEET_BYTES, strings: MAX_STRINGS_BYTES, styles: MAX_PART_BYTES})
            _peek_used_range(book, sheet)
            shared = _shared_strings(book, strings) if strings else []
            dates = _date_styles(book, styles) if styles else frozenset()
            reader = _SheetReader(shared, dates, epoch)
            _parse(book, sheet, reader.start, reader.end, reader.text)
            return reader.table
    except InvalidInput:
        raise
    except (zipfile.BadZipFile, zlib.error, expat.ExpatError, KeyError, ValueError, IndexError, EOFError, OSError):
        raise InvalidInput(DAMAGED) from None
    except (NotImplementedError, RuntimeError):  # an unknown compression method, an encrypted part
        raise InvalidInput(f"This workbook is packed in a way Excel does not use, {NOT_OPENED}.") from None


# --- the zip directory, before anything is unpacked -----------------------------------------------------------


def _check_end_record(data: bytes) -> None:
    """Count the parts from the zip's end record before zipfile reads its directory (which it reads whole)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        raise InvalidInput("This file is called .xlsx but is not an Excel workbook.")
    parts, directory = struct.unpack_from("<HL", data, end + 10)
    if parts == 0xFFFF or directory == 0xFFFFFFFF:  # ZIP64: the counts are in the record before the locator
        record = end - 20 - 56
        if record < 0 or data[record : record + 4] != b"PK\x06\x06":
            raise InvalidInput(DAMAGED)
        parts, directory = struct.unpack_from("<QQ", data, record + 32)
    if parts > MAX_PARTS or directory > MAX_DIRECTORY_BYTES:
        raise InvalidInput(f"This workbook has {parts:,} parts where Excel writes a few dozen, {NOT_OPENED}.")


def _check_directory(book: zipfile.ZipFile) -> None:
    infos = book.infolist()
    if len(infos) > MAX_PARTS:
        raise InvalidInput(f"This workbook has {len(infos):,} parts where Excel writes a few dozen, {NOT_OPENED}.")
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InvalidInput(
                f"Part of this workbook unpacks to {info.file_size / max(info.compress_size, 1):,.0f} times its "
                f"packed size ({info.file_size / 1e6:,.0f} MB), as files made to overload a server do, {NOT_OPENED}. "
                "Save it again from your spreadsheet, or save it as CSV."
            )


def _check_sizes(book: zipfile.ZipFile, caps: dict[str | None, int]) -> None:
    for name, cap in caps.items():
        if name is None:
            continue
        size = book.getinfo(name).file_size  # a size the directory understates stops the unpacking there
        if size > cap:
            raise InvalidInput(
                f"This workbook unpacks to {size / 1e6:,.0f} MB in {name}; an import reads at most {cap / 1e6:,.0f} "
                f"MB there, {NOT_OPENED}. Split the sheet, or save it as CSV."
            )


# --- which parts to read, from the relationships --------------------------------------------------------------


def _parts(book: zipfile.ZipFile) -> tuple[str, str | None, str | None, datetime]:
    """The first sheet, the shared strings and the styles (part names), and the workbook's date epoch."""
    workbook = next((t for _, kind, t in _relationships(book, "") if kind.endswith("/officeDocument")), None)
    workbook = workbook or "xl/workbook.xml"
    sheets: list[str] = []
    epoch = [CALENDAR_WINDOWS_1900]

    def start(name: str, attrs: dict) -> None:
        name = name.rpartition(":")[2]
        if name == "sheet":
            sheets.append(next((v for k, v in attrs.items() if k.endswith(":id")), ""))
        elif name == "workbookPr" and attrs.get("date1904", "0").lower() in ("1", "true"):
            epoch[0] = CALENDAR_MAC_1904

    _parse(book, workbook, start, cap=MAX_PART_BYTES)
    links = _relationships(book, workbook)
    sheet = next((t for rid, _, t in links if sheets and rid == sheets[0]), None)
    if sheet is None:
        raise InvalidInput(f"This workbook has no sheet, {NOT_OPENED}.")
    strings = next((t for _, kind, t in links if kind.endswith("/sharedStrings")), None)
    styles = next((t for _, kind, t in links if kind.endswith("/styles")), None)
    return sheet, _existing(book, strings), _existing(book, styles), epoch[0]


def _relationships(book: zipfile.ZipFile, source: str) -> list[tuple[str, str, str]]:
    """(id, type, part name) of a part's relationships ("" for the package's), targets resolved to part names."""
    folder, name = posixpath.split(source)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    found: list[tuple[str, str, str]] = []

    def start(tag: str, attrs: dict) -> None:
        if tag.rpartition(":")[2] == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found.append((attrs.get("Id", ""), attrs.get("Type", ""), posixpath.normpath(path)))

    if _existing(book, rels):
        _parse(book, rels, start, cap=MAX_PART_BYTES)
    return found


def _existing(book: zipfile.ZipFile, name: str | None) -> str | None:
    """The part's name as the zip spells it (some writers differ in case), or None."""
    if name is None:
        return None
    names = book.NameToInfo
    return name if name in names else next((n for n in names if n.lower() == name.lower()), None)


# --- parsing: expat, fed in chunks, no DOCTYPE --------------------------------------------------------------------


def _parse(book: zipfile.ZipFile, name: str, start, end=None, text=None, cap: int = MAX_SHEET_BYTES) -> None:
    """Stream one part through expat; a declared DOCTYPE (entities: the billion laughs) stops it unread."""
    info = book.getinfo(_existing(book, name) or name)
    if info.file_size > cap:
        raise InvalidInput(
            f"This workbook unpacks to {info.file_size / 1e6:,.0f} MB in {info.filename}; an import reads at most "
            f"{cap / 1e6:,.0f} MB there, {NOT_OPENED}."
        )
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.EntityDeclHandler = _no_doctype
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    with book.open(info) as stream:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def _no_doctype(*_: object) -> None:
    raise InvalidInput(f"This workbook declares XML entities, which Excel never writes, {NOT_OPENED}.")


def _peek_used_range(book: zipfile.ZipFile, sheet: str) -> None:
    """Check the sheet's declared used range (<dimension>) before any string or row is read."""

    def start(name: str, attrs: dict) -> None:
        name = name.rpartition(":")[2]
        if name == "dimension":
            check_used_range(attrs.get("ref", ""))
        if name in ("dimension", "sheetData"):
            raise _Stop

    try:
        _parse(book, sheet, start)
    except _Stop:
        pass


def check_used_range(ref: str) -> None:
    """Refuse a declared used range (A1:XFD2000) wider or longer than an import reads."""
    first, _, last = ref.upper().partition(":")
    a, b = _REF.match(first), _REF.match(last or first)
    if not a or not b:
        return  # no range Excel would write: the caps while streaming still hold
    columns = column_number(b[1]) - column_number(a[1]) + 1
    rows = int(b[2]) - int(a[2]) + 1
    if column_number(b[1]) > MAX_COLUMNS:
        raise InvalidInput(
            f"The sheet's used range is {ref}: {columns:,} columns. An import reads at most {MAX_COLUMNS} columns "
            f"(A to {column_letters(MAX_COLUMNS)}); delete the columns after your data, save and upload again."
        )
    if rows > MAX_ROWS + 1:
        raise InvalidInput(
            f"The sheet's used range is {ref}: {rows:,} rows. An import takes at most {MAX_ROWS:,} rows at once; "
            "delete the empty rows after your data, or split the file."
        )


def column_number(letters: str) -> int:
    """A (1) to XFD (16,384)."""
    n = 0
    for letter in letters:
        n = n * 26 + ord(letter) - 64
    return n


def column_letters(n: int) -> str:
    """1 -> A, 51 -> AY."""
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


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
                raise InvalidInput(f"This workbook holds more than {MAX_STRINGS:,} texts, {NOT_OPENED}.")
            strings.append("".join(parts))

    def text(data: str) -> None:
        if state["t"]:
            parts.append(data)

    _parse(book, part, start, end, text, cap=MAX_STRINGS_BYTES)
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

    _parse(book, part, start, end, cap=MAX_PART_BYTES)

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
        self.line = 0
        self.row: dict[int, str] = {}
        self.unsaved: list[int] = []
        self.column = 0
        self.kind, self.style, self.formula = "n", None, False
        self.value: str | None = None
        self.inline: list[str] | None = None
        self.buffer: list[str] | None = None

    def start(self, name: str, attrs: dict) -> None:
        """An element opens: a row, a cell, a value or a formula."""
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "c" and self.in_data:
            ref = attrs.get("r")
            self.column = column_number(ref.rstrip("0123456789")) if ref else self.column + 1
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
            text = self.strings[int(raw)]
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
                f"Line {self.line} has a value in column {column_letters(self.column)}; an import reads at most "
                f"{MAX_COLUMNS} columns (A to {column_letters(MAX_COLUMNS)}). Delete what is beyond them, save and "
                "upload again."
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
