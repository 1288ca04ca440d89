"""A CSV file read as text: its encoding decided per file, its delimiter from how the lines split, every record with
the line it starts on, and a line the parser cannot take named in a sentence instead of a parser error."""

from __future__ import annotations

import codecs
import csv
import io
import re
from itertools import islice

from db.errors import InvalidInput
from duka.import_table import Table
from i18n import number, t

DELIMITERS = ",;\t|"
CELL_LIMIT = csv.field_size_limit()  # the csv module's own limit, 131,072 characters
_SEP_LINE = re.compile(r"sep=([,;\t|])\r?\n")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),  # before UTF-16: FF FE 00 00 also starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# A letter written in UTF-8 (a lead byte and its continuation bytes, no overlong forms or surrogates). Windows-1252
# text almost never holds one: it would need an accented capital followed directly by a symbol such as ©.
_UTF8_LETTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def read_csv(data: bytes) -> Table:
    """The file's rows with the line each starts on; a record with more fields than the header is a problem row."""
    text = decode(data)
    lines = io.StringIO(text, newline="")
    hint = _SEP_LINE.match(text)  # Excel's own "sep=;" first line names the delimiter
    if hint:
        next(lines)
    delimiter = hint[1] if hint else _delimiter(text)
    table = Table()
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', strict=False)
    skipped = 1 if hint else 0
    last = 1
    while True:
        start = reader.line_num + skipped + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as problem:
            if "field larger" in str(problem):
                raise InvalidInput(
                    t(
                        "Line {line} has a cell longer than {limit} characters; if that cell starts with a "
                        'quote ("), the quote is probably never closed.',
                        line=start,
                        limit=number(CELL_LIMIT),
                    )
                ) from None
            # the csv module's own words for what it met (English: Python's)
            raise InvalidInput(
                t("Line {line} cannot be read as CSV: {problem}.", line=start, problem=problem)
            ) from None
        last = start
        width = len(table.header) if table.header is not None else None
        if width is not None and len(cells) > width:
            if any(c.strip() for c in cells[width:]):
                table.problem(
                    start,
                    t(
                        "Line {line} has {fields} fields; the header has {width}.",
                        line=start,
                        fields=len(cells),
                        width=width,
                    ),
                )
                continue
            cells = cells[:width]  # trailing empty fields, as spreadsheets write them
        table.add(start, cells)
    if reader.line_num + skipped > last:  # the last record spans lines: an open quote swallows the rest of the file
        _refuse_an_open_quote(text, last, delimiter)
    return table


def decode(data: bytes) -> str:
    """The text, its encoding decided for the whole file: a BOM's; UTF-16 told by its NUL bytes; UTF-8 when it is
    valid; Windows-1252 when no part of it is UTF-8. A file mixing UTF-8 with other bytes is refused by line."""
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, label)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, "UTF-16")
    if b"\x00" in data:
        raise InvalidInput(t("This file holds binary data, not text: choose a CSV file saved from a spreadsheet."))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as bad:
        first_bad = bad.start
    if _UTF8_LETTER.search(data):
        raise InvalidInput(
            t(
                "Line {line} is not UTF-8, while other lines are, so its letters would come out wrong; save the file "
                "as UTF-8 (in Excel: Save As, then CSV UTF-8) and upload it again.",
                line=_line_at(data, first_bad),
            )
        )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as bad:
        raise InvalidInput(
            t(
                "Line {line} holds a byte that is a letter neither in UTF-8 nor in Windows-1252; save the file as "
                "UTF-8 (in Excel: Save As, then CSV UTF-8) and upload it again.",
                line=_line_at(data, bad.start),
            )
        ) from None


def _strict(data: bytes, encoding: str, label: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as bad:
        line = data[: bad.start].decode(encoding, "replace").count("\n") + 1
        raise InvalidInput(
            t(
                "Line {line} is not {encoding}; save the file as UTF-8 (in Excel: Save As, then CSV UTF-8) and upload "
                "it again.",
                line=line,
                encoding=label,
            )
        ) from None
    if "\x00" in text:
        raise InvalidInput(t("This file holds binary data, not text: choose a CSV file saved from a spreadsheet."))
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM, from its NUL bytes: text of Latin letters has one beside every character, always on
    the same side; UTF-8 and Windows-1252 text has none."""
    sample = data[:4096]
    if len(data) % 2 or len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= len(odd) / 2 and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= len(even) / 2 and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _line_at(data: bytes, offset: int) -> int:
    """The line (from 1) holding byte `offset`; a file of old Mac line ends counts its carriage returns."""
    end = b"\n" if b"\n" in data else b"\r"
    return data.count(end, 0, offset) + 1


def _delimiter(text: str) -> str:
    """The delimiter that splits the header into most columns agreed on by the lines after it."""
    sample = list(islice(io.StringIO(text, newline=""), 50))
    best, best_score = ",", (False, -1, 0)
    for delimiter in DELIMITERS:
        try:
            records = [r for r in csv.reader(sample, delimiter=delimiter, strict=False) if r]
        except csv.Error:
            continue
        if records:
            width = len(records[0])
            score = (width > 1, sum(len(r) == width for r in records[1:]), width)
            if score > best_score:
                best, best_score = delimiter, score
    return best


def _refuse_an_open_quote(text: str, start: int, delimiter: str) -> None:
    """Refuse the file if the record from `start` ends only because the file does, inside a quoted cell."""
    tail = "".join(islice(io.StringIO(text, newline=""), start - 1, None))
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, quotechar='"', strict=True):
            pass
    except csv.Error as problem:
        if "unexpected end of data" in str(problem):
            raise InvalidInput(
                t(
                    'Line {line} opens a quote (") that is never closed, so the rest of the file would be one cell; '
                    "close the quote or remove it, then upload the file again.",
                    line=start,
                )
            ) from None
