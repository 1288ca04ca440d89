"""Excel files as they arrive: values read as typed, formulas without a saved value named by line, and files built
to overload the server (decompression bombs, lying zip directories, huge used ranges) refused quickly, measured in
a separate process for time and peak memory."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterable
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, to_excel

from db.errors import InvalidInput
from duka import imports
from support import ROOT, category_ids

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
)
# Styles by index: 0 General, 1 a built-in date (14), 2 a custom date (dd/mm/yyyy), 3 a number with two decimals.
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
    '<xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="4" applyNumberFormat="1"/></cellXfs></styleSheet>'
)


def _workbook(target, rows: Iterable[bytes], strings=("Date", "Amount", "Category"), epoch1904=False, dimension=""):
    """A real .xlsx written part by part: the sheet streamed into the zip, so a bomb never sits in memory."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", TYPES)
        book.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{RELS}/officeDocument"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><workbookPr date1904="{int(epoch1904)}"/>'
            '<sheets><sheet name="Spend" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{RELS}/styles" Target="/xl/styles.xml"/></Relationships>',
        )
        items = "".join(f"<si><t>{s}</t></si>" for s in strings)
        book.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}" count="{len(strings)}">{items}</sst>')
        book.writestr("xl/styles.xml", STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dimension}'.encode())
            sheet.write(b"<sheetData>")
            for part in rows:
                sheet.write(part)
            sheet.write(b"</sheetData></worksheet>")
    return target


def _bytes(rows: Iterable[bytes], **kwargs) -> bytes:
    return _workbook(io.BytesIO(), rows, **kwargs).getvalue()


HEADER = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'


def _frame_and_check(shop, data: bytes):
    frame = imports.read_table("spend.xlsx", data)
    mapping = imports.guess_mapping(list(frame.columns))
    return frame, imports.check_rows(shop, frame, mapping, category_ids(shop))


# --- values as typed -----------------------------------------------------------------------------------


@pytest.mark.parametrize("epoch1904", [False, True], ids=["1900 dates", "1904 dates"])
def test_dates_numbers_and_strings_are_read_as_typed_with_the_sheets_row_numbers(shop, epoch1904):
    calendar = CALENDAR_MAC_1904 if epoch1904 else CALENDAR_WINDOWS_1900
    day2, day3 = (int(to_excel(date(2026, 3, d), calendar)) for d in (2, 3))
    rows = [
        HEADER.replace(b"</row>", b'<c r="D1" t="inlineStr"><is><t>Description</t></is></c></row>'),
        f'<row r="2"><c r="A2" s="1"><v>{day2}</v></c><c r="B2" s="3"><v>1250.5</v></c>'
        '<c r="C2" t="s"><v>3</v></c><c r="D2" t="inlineStr"><is><r><t>Café </t></r><r><t>Müller</t></r></is></c>'
        "</row>".encode(),
        # row 4 is empty in the sheet; a formula's saved text and number count as typed
        f'<row r="3"><c r="A3" s="2"><v>{day3}</v></c><c r="B3"><v>1.5E+2</v></c>'
        '<c r="C3" t="str"><f>"Fo"&amp;"od"</f><v>Food</v></c><c r="D3" t="b"><v>1</v></c></row>'.encode(),
        b'<row r="5"><c r="A5" t="d"><v>2026-03-04T00:00:00</v></c><c r="B5"><f>2*50</f><v>100</v></c>'
        b'<c r="C5" t="s"><v>3</v></c></row>',
    ]
    data = _bytes(rows, strings=("Date", "Amount", "Category", "Groceries"), epoch1904=epoch1904)
    frame, checked = _frame_and_check(shop, data)
    assert frame["Date"].tolist() == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert frame["Amount"].tolist() == ["1250.5", "150", "100"]
    assert frame["Description"].tolist() == ["Café Müller", "TRUE", ""]
    assert checked.bad == []
    assert [(r["line"], r["spent_on"], r["amount"], r["category"]) for r in checked.good] == [
        (2, date(2026, 3, 2), D("1250.50"), "Groceries"),
        (3, date(2026, 3, 3), D("150.00"), "Food"),
        (5, date(2026, 3, 4), D("100.00"), "Groceries"),
    ]


def test_a_formula_without_a_saved_value_is_a_bad_row_named_by_line_and_column(shop):
    book = openpyxl.Workbook()  # openpyxl writes formulas without their values, as some tools do
    sheet = book.active
    sheet.append(["Date", "Amount", "Category", "Check"])
    sheet.append([date(2026, 3, 2), 99.5, "Health", "fine"])
    sheet.append([date(2026, 3, 3), "=2*50", "Food", "the amount is a formula"])
    sheet.append([date(2026, 3, 4), 20, "Food", "=B2*2"])  # a formula in a column that is not imported
    out = io.BytesIO()
    book.save(out)
    _, checked = _frame_and_check(shop, out.getvalue())
    assert checked.bad == [
        {
            "line": 3,
            "reason": "Line 3, Amount: a formula with no saved value — open the file in Excel and save it again, "
            "or type the value.",
        }
    ]
    assert [(r["line"], r["amount"]) for r in checked.good] == [(2, D("99.50")), (4, D("20.00"))]


# --- bombs, measured in a process of their own ------------------------------------------------------------

# Peak memory is VmHWM, the high-water mark of this process's own memory: ru_maxrss would carry over the pytest
# process's size through fork and exec, and hide any growth below it.
MEASURE = """
import json, sys, time
from db.errors import InvalidInput
from duka import imports
def peak_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
# Defences switched off (argv[3]) show that the next one still holds: each must refuse the bombs alone.
from duka import import_xlsx, xlsx_package
off = sys.argv[3].split(",") if len(sys.argv) > 3 else []
if "ratio" in off:
    xlsx_package.MAX_RATIO = float("inf")
if "size" in off:
    import_xlsx.MAX_SHEET_BYTES = 10**12
if "range" in off:
    import_xlsx.check_used_range = lambda ref: None
data = open(sys.argv[1], "rb").read()
before = peak_mb()
started = time.perf_counter()
try:
    outcome = f"read {len(imports.read_table(sys.argv[2], data)):,} rows"
except InvalidInput as refused:
    outcome = str(refused)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "before_mb": before, "peak_mb": peak_mb(), "outcome": outcome}))
"""


def _measure(path: Path, limit: float = 60, off: str = "") -> dict:
    """read_table on the file in a fresh Python: seconds, peak resident memory before and after, what it said."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", MEASURE, str(path), path.name, off],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=limit,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{path.name} was still being read after {limit:.0f} s")
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _rows_bomb(path: Path) -> Path:
    """The probe's first bomb: 5,000,000 rows of five cells, about 565 MB of sheet XML in well under 2 MB."""
    row = (
        b'<row><c t="s"><v>0</v></c><c><v>1250.5</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c>'
        b"<c><v>46000</v></c></row>"
    )
    block = row * 10_000
    return _workbook(path, (block for _ in range(500)))


def _columns_bomb(path: Path) -> Path:
    """The probe's second bomb: 2,000 rows of 16,384 cells (every column Excel has), its used range declared."""
    cells = b"<c><v>1</v></c>" * 16_384
    rows = (b'<row r="%d">' % n + cells + b"</row>" for n in range(1, 2001))
    return _workbook(path, rows, dimension='<dimension ref="A1:XFD2000"/>')


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {"rows": _rows_bomb(folder / "rows.xlsx"), "columns": _columns_bomb(folder / "columns.xlsx")}


def _unpacked_mb(path: Path) -> float:
    return sum(i.file_size for i in zipfile.ZipFile(path).infolist()) / 1e6


@pytest.mark.parametrize(
    "kind, off, words",
    [
        ("rows", "", "times its packed size"),
        ("columns", "", "times its packed size"),
        # each defence alone, with the ones before it switched off
        ("rows", "ratio", "unpacks to 565 MB (an .xlsx file is compressed); an import reads at most 64 MB"),
        ("columns", "ratio", "unpacks to 492 MB (an .xlsx file is compressed); an import reads at most 64 MB"),
        ("rows", "ratio,size", f"more than {imports.MAX_ROWS:,} rows"),
        ("columns", "ratio,size", "used range is A1:XFD2000: 16,384 columns"),
        ("columns", "ratio,size,range", "Line 1 has a value in column AY"),
    ],
    ids=["rows", "columns", "rows by size", "columns by size", "rows by row cap", "columns by range", "columns by cap"],
)
def test_a_decompression_bomb_is_refused_within_5_seconds_and_300_mb(bombs, kind, off, words):
    path = bombs[kind]
    measured = _measure(path, off=off)
    print(
        f"{kind} bomb ({path.stat().st_size / 1e6:.2f} MB file, {_unpacked_mb(path):.0f} MB unpacked), "
        f"{'checks off: ' + off if off else 'every check on'}: refused in {measured['seconds']:.3f} s, peak RSS "
        f"{measured['peak_mb']:.0f} MB ({measured['before_mb']:.0f} MB before reading): {measured['outcome']}"
    )
    assert words in measured["outcome"]
    assert measured["seconds"] < 5
    assert measured["peak_mb"] < 300


def _understate(path: Path, part: str, size: int) -> None:
    """Rewrite the zip so that its central directory and local header claim `size` bytes unpacked for `part`."""
    data = bytearray(path.read_bytes())
    end = data.rindex(b"PK\x05\x06")
    (entries,) = struct.unpack_from("<H", data, end + 10)
    (at,) = struct.unpack_from("<L", data, end + 16)
    for _ in range(entries):
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, at + 28)
        if data[at + 46 : at + 46 + name_length] == part.encode():
            struct.pack_into("<L", data, at + 24, size)
            (local,) = struct.unpack_from("<L", data, at + 42)
            struct.pack_into("<L", data, local + 22, size)
        at += 46 + name_length + extra_length + comment_length
    path.write_bytes(bytes(data))


def test_a_bomb_whose_zip_directory_understates_its_size_is_still_refused_quickly(bombs, tmp_path):
    path = tmp_path / "liar.xlsx"
    path.write_bytes(bombs["rows"].read_bytes())
    _understate(path, "xl/worksheets/sheet1.xml", 1_000_000)
    assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size == 1_000_000
    measured = _measure(path)
    print(
        f"lying bomb: refused in {measured['seconds']:.3f} s, peak {measured['peak_mb']:.0f} MB: {measured['outcome']}"
    )
    assert measured["seconds"] < 5 and measured["peak_mb"] < 300
    assert measured["outcome"].startswith("This workbook")


def test_a_full_size_workbook_of_100_000_rows_still_reads(tmp_path):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Date", "Amount", "Category", "Payment mode", "Cashback", "Description"])
    for i in range(imports.MAX_ROWS):
        sheet.append([date(2026, 1, 1 + i % 28), 10 + i % 5000 + 0.25, "Food", "M-Pesa", 0, f"Groceries at shop {i}"])
    book.save(tmp_path / "full.xlsx")
    measured = _measure(tmp_path / "full.xlsx")
    print(
        f"100,000-row workbook ({(tmp_path / 'full.xlsx').stat().st_size / 1e6:.1f} MB, "
        f"{_unpacked_mb(tmp_path / 'full.xlsx'):.0f} MB unpacked): {measured['outcome']} in "
        f"{measured['seconds']:.2f} s, peak RSS {measured['peak_mb']:.0f} MB ({measured['before_mb']:.0f} MB before)"
    )
    assert measured["outcome"] == "read 100,000 rows"
    assert measured["seconds"] < 20 and measured["peak_mb"] < 600


# --- the checks before and during the read ----------------------------------------------------------------


@pytest.mark.parametrize(
    "ref, words",
    [("A1:XFD2000", "16,384 columns"), ("A1:C5000000", "5,000,000 rows")],
)
def test_a_used_range_beyond_the_caps_is_refused_before_any_row_is_read(ref, words):
    data = _bytes([HEADER], dimension=f'<dimension ref="{ref}"/>')
    with pytest.raises(InvalidInput, match=words) as refused:
        imports.read_table("spend.xlsx", data)
    assert ref in str(refused.value)


def test_rows_beyond_the_cap_stop_the_read_early():
    row = '<row r="%d"><c r="A%d" t="s"><v>0</v></c><c r="B%d"><v>%d</v></c><c r="C%d" t="s"><v>2</v></c></row>'
    rows = "".join(row % (n, n, n, n, n) for n in range(2, imports.MAX_ROWS + 50_000))
    data = _bytes([HEADER, rows.encode()])  # no used range declared, packed as tightly as a real sheet
    started = time.perf_counter()
    with pytest.raises(InvalidInput, match=f"more than {imports.MAX_ROWS:,} rows"):
        imports.read_table("spend.xlsx", data)
    assert time.perf_counter() - started < 3


def test_a_value_beyond_the_column_cap_is_refused_naming_its_line_and_column():
    data = _bytes([HEADER, b'<row r="2"><c r="A2"><v>1</v></c><c r="AY2"><v>1</v></c></row>'])
    with pytest.raises(InvalidInput, match=r"^Line 2 has a value in column AY"):
        imports.read_table("spend.xlsx", data)


def test_a_workbook_declaring_xml_entities_is_not_opened():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "haha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<sst xmlns="{MAIN}"><si><t>&b;</t></si></sst>'
    )
    buffer = io.BytesIO(_bytes([HEADER]))
    with zipfile.ZipFile(buffer) as book:
        parts = {i.filename: book.read(i) for i in book.infolist()}
    parts["xl/sharedStrings.xml"] = laughs.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, content in parts.items():
            book.writestr(name, content)
    with pytest.raises(InvalidInput, match="was not opened"):
        imports.read_table("spend.xlsx", out.getvalue())


def test_xml_nested_deeper_than_a_workbook_ever_is_stops_the_read():
    # expat keeps every open element: a million levels in a few MB would take gigabytes
    deep = b"<a>" * 100_000
    with pytest.raises(InvalidInput, match="nests its XML deeper than Excel ever does"):
        imports.read_table("spend.xlsx", _bytes([HEADER, deep]))
    with pytest.raises(InvalidInput, match="nests its XML deeper than Excel ever does"):
        imports.read_table("spend.xlsx", _bytes([HEADER], strings=("Date", "Amount", deep.decode())))


def test_a_zip_of_thousands_of_parts_is_refused_from_its_end_record():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for i in range(5000):
            book.writestr(f"x/{i}.xml", b"")
    with pytest.raises(InvalidInput, match="5,000 parts"):
        imports.read_table("spend.xlsx", out.getvalue())
