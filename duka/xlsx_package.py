"""The parts of an .xlsx file as a zip, never trusted: its directory checked before anything is unpacked (how many
parts, how large unpacked, how tightly packed), which parts to read from its relationships, and one part at a time
streamed through expat with no DOCTYPE and a bounded depth."""

from __future__ import annotations

import posixpath
import struct
import zipfile
from collections.abc import Callable
from xml.parsers import expat

from db.errors import InvalidInput
from i18n import N_, number, t

MAX_PARTS = 1_000  # Excel writes a few dozen
MAX_DIRECTORY_BYTES = 1_000_000
MAX_PART_BYTES = 10_000_000  # the workbook, its relationships and styles
MAX_RATIO = 100  # a real sheet packs 5 to 30 times; the probe's bombs 300 and 500 times
RATIO_FROM = 1_000_000  # small parts may pack tighter without harm
MAX_DEPTH = 64  # elements inside elements: a sheet needs 7; expat's memory grows with the depth
CHUNK = 1 << 16
# Refusals more than one place raises: whole sentences, translated where raised (t(DAMAGED)).
DAMAGED = N_(
    "This workbook is damaged (its parts do not match its directory), so it was not opened. Save it again in Excel."
)
NOT_A_WORKBOOK = N_("This file is called .xlsx but is not an Excel workbook.")
TOO_DEEP = N_("This workbook nests its XML deeper than Excel ever does, so it was not opened.")


# --- the zip directory, before anything is unpacked -----------------------------------------------------------


def check_end_record(data: bytes) -> None:
    """Count the parts from the zip's end record before zipfile reads its directory (which it reads whole)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        raise InvalidInput(t(NOT_A_WORKBOOK))
    parts, directory = struct.unpack_from("<HL", data, end + 10)
    if parts == 0xFFFF or directory == 0xFFFFFFFF:  # ZIP64: the counts are in the record before the locator
        record = end - 20 - 56
        if record < 0 or data[record : record + 4] != b"PK\x06\x06":
            raise InvalidInput(t(DAMAGED))
        parts, directory = struct.unpack_from("<QQ", data, record + 32)
    if parts > MAX_PARTS or directory > MAX_DIRECTORY_BYTES:
        raise InvalidInput(_too_many_parts(parts))


def _too_many_parts(parts: int) -> str:
    return t(
        "This workbook has {parts} parts where Excel writes a few dozen, so it was not opened.", parts=number(parts)
    )


def check_directory(book: zipfile.ZipFile) -> None:
    """Refuse too many parts, or a large part packed more tightly than any spreadsheet packs."""
    infos = book.infolist()
    if len(infos) > MAX_PARTS:
        raise InvalidInput(_too_many_parts(len(infos)))
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InvalidInput(
                t(
                    "Part of this workbook unpacks to {times} times its packed size ({mb} MB), as files made to "
                    "overload a server do, so it was not opened. Save it again from your spreadsheet, or save it as "
                    "CSV.",
                    times=number(info.file_size / max(info.compress_size, 1), 0),
                    mb=number(info.file_size / 1e6, 0),
                )
            )


def check_size(book: zipfile.ZipFile, name: str | None, cap: int) -> None:
    """Refuse a part whose directory entry says it unpacks to more than `cap` bytes. zipfile stops unpacking at
    the size the directory gives, so a directory that understates a size gets a damaged part, never more data."""
    if name is None:
        return
    size = book.getinfo(name).file_size
    if size > cap:
        raise InvalidInput(
            t(
                "This workbook unpacks to {mb} MB (an .xlsx file is compressed); an import reads at most {cap} MB, "
                "so it was not opened. Split the sheet, or save it as CSV.",
                mb=number(size / 1e6, 0),
                cap=number(cap / 1e6, 0),
            )
        )


# --- which parts to read, from the relationships --------------------------------------------------------------


def workbook_parts(book: zipfile.ZipFile) -> tuple[str, str | None, str | None, bool]:
    """The part names of the first sheet, the shared strings and the styles, and whether dates count from 1904."""
    workbook = next((t for _, kind, t in _relationships(book, "") if kind.endswith("/officeDocument")), None)
    workbook = workbook or "xl/workbook.xml"
    sheets: list[str] = []
    date1904 = [False]

    def start(name: str, attrs: dict) -> None:
        name = name.rpartition(":")[2]
        if name == "sheet":
            sheets.append(next((v for k, v in attrs.items() if k.endswith(":id")), ""))
        elif name == "workbookPr" and attrs.get("date1904", "0").lower() in ("1", "true"):
            date1904[0] = True

    parse(book, workbook, start, cap=MAX_PART_BYTES)
    links = _relationships(book, workbook)
    sheet = next((t for rid, _, t in links if sheets and rid == sheets[0]), None)
    if sheet is None:
        raise InvalidInput(t("This workbook has no sheet, so it was not opened."))
    strings = next((t for _, kind, t in links if kind.endswith("/sharedStrings")), None)
    styles = next((t for _, kind, t in links if kind.endswith("/styles")), None)
    return sheet, existing(book, strings), existing(book, styles), date1904[0]


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

    if existing(book, rels):
        parse(book, rels, start, cap=MAX_PART_BYTES)
    return found


def existing(book: zipfile.ZipFile, name: str | None) -> str | None:
    """The part's name as the zip spells it (some writers differ in case), or None."""
    if name is None:
        return None
    names = book.NameToInfo
    return name if name in names else next((n for n in names if n.lower() == name.lower()), None)


# --- parsing: expat, fed in chunks, no DOCTYPE, a bounded depth -------------------------------------------------


def parse(
    book: zipfile.ZipFile,
    name: str,
    start: Callable[[str, dict], None],
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
    cap: int = MAX_PART_BYTES,
    counts_depth: bool = False,
) -> None:
    """Stream one part through expat. A DOCTYPE (entities: the billion laughs) stops it unread, and so does nesting
    deeper than MAX_DEPTH; handlers that count the depth themselves (the sheet's, for speed) say counts_depth."""
    info = book.getinfo(existing(book, name) or name)
    check_size(book, info.filename, cap)
    if not counts_depth:
        start, end = _depth_guarded(start, end)
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.EntityDeclHandler = _no_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    with book.open(info) as stream:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def _depth_guarded(start: Callable[[str, dict], None], end: Callable[[str], None] | None):
    depth = [0]

    def opened(name: str, attrs: dict) -> None:
        depth[0] += 1
        if depth[0] > MAX_DEPTH:
            raise InvalidInput(t(TOO_DEEP))
        start(name, attrs)

    def closed(name: str) -> None:
        depth[0] -= 1
        if end is not None:
            end(name)

    return opened, closed


def _no_doctype(*_: object) -> None:
    raise InvalidInput(t("This workbook declares XML entities, which Excel never writes, so it was not opened."))
