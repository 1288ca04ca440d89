"""CSV files as they arrive: the encoding decided per file, parser problems named by line, the upload limit, and
simultaneous imports of one file against the real database."""

from __future__ import annotations

import codecs
import threading
import tomllib
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal as D

import pytest

import db
from db.errors import InvalidInput
from duka import expenses, imports
from support import ROOT, category_ids, signed_in, unescaped

NAMES = "Date,Amount,Category,Description\r\n2026-03-02,250,Food,Café Müller\r\n2026-03-03,80,Food,Crème brûlée\r\n"


def _check(shop, data: bytes, name: str = "spend.csv"):
    frame = imports.read_table(name, data)
    return imports.check_rows(shop, frame, imports.guess_mapping(list(frame.columns)), category_ids(shop))


def _march(shop) -> dict:
    return expenses.filtered_totals(shop, expenses.Filter(date(2026, 3, 1), date(2026, 3, 31)))


# --- encodings -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        NAMES.encode("utf-8"),
        codecs.BOM_UTF8 + NAMES.encode("utf-8"),
        codecs.BOM_UTF16_LE + NAMES.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + NAMES.encode("utf-16-be"),
        NAMES.encode("utf-16-le"),  # no BOM: told apart by the NUL byte after every ASCII letter
        NAMES.encode("utf-16-be"),
        NAMES.encode("cp1252"),  # wholly Windows-1252, as older Excel writes a CSV
    ],
    ids=["utf-8", "utf-8 BOM", "utf-16-le BOM", "utf-16-be BOM", "utf-16-le", "utf-16-be", "cp1252"],
)
def test_each_encoding_is_read_as_typed(data):
    frame = imports.read_table("spend.csv", data)
    assert list(frame.columns) == ["Date", "Amount", "Category", "Description"]
    assert frame["Description"].tolist() == ["Café Müller", "Crème brûlée"]
    assert frame["Amount"].tolist() == ["250", "80"]


def test_one_windows_line_in_a_utf8_file_is_refused_naming_it():
    with pytest.raises(InvalidInput, match=r"^Line 7 is not UTF-8") as refused:
        imports.read_table("mixed.csv", _mixed())
    assert "save the file as UTF-8" in str(refused.value)


def test_a_byte_that_is_no_letter_in_either_encoding_is_refused_naming_its_line():
    data = b"Date,Amount,Category,Description\n2026-03-02,10,Food,M\xfcller\n2026-03-03,10,Food,Bad \x81 byte\n"
    with pytest.raises(InvalidInput, match=r"^Line 3 ") as refused:
        imports.read_table("odd.csv", data)
    assert "UTF-8" in str(refused.value)


def test_a_binary_file_called_csv_is_refused():
    with pytest.raises(InvalidInput, match="not text"):
        imports.read_table("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")


def test_utf16_names_import_into_the_book(shop):
    checked = _check(shop, codecs.BOM_UTF16_LE + NAMES.encode("utf-16-le"))
    assert checked.bad == []
    imports.import_rows(shop, checked)
    page = expenses.expenses_page(shop, expenses.Filter(date(2026, 3, 1), date(2026, 3, 31)), limit=10)
    assert sorted(page["description"]) == ["Café Müller", "Crème brûlée"]


def _mixed() -> bytes:
    lines = ["Date,Amount,Category,Description"] + [f"2026-03-0{d},10,Food,Café {d}" for d in range(1, 6)]
    return ("\n".join(lines) + "\n").encode() + "2026-03-06,10,Food,Müller\n".encode("cp1252")


def test_the_import_page_reads_utf16_and_names_a_mixed_files_bad_line(shop):
    at = signed_in(shop, "pages/11_Import.py")
    at.file_uploader[0].set_value(("names.csv", codecs.BOM_UTF16_LE + NAMES.encode("utf-16-le"), "text/csv")).run()
    assert not at.exception and not at.error
    assert any("**2** rows are good, **0** have problems" in m.value for m in at.markdown)
    at.file_uploader[0].set_value(("mixed.csv", _mixed(), "text/csv")).run()
    assert not at.exception
    assert [e.value for e in at.error if unescaped(e.value).startswith("Line 7 is not UTF-8")]


# --- parser problems, by line --------------------------------------------------------------------------


def test_a_line_with_too_many_fields_is_a_bad_row_naming_both_counts(shop):
    data = (
        b"Date,Amount,Category,Description\n"
        b"2026-03-02,250,Food,Lunch\n"
        b"2026-03-03,80,Food,Tea, with milk\n"
        b"2026-03-04,90,Food,Bread,,\n"  # trailing empty fields, as spreadsheets write them: fine
        b"2026-03-05,40,Food\n"  # a missing last field reads as empty
    )
    checked = _check(shop, data)
    assert checked.bad == [{"line": 3, "reason": "Line 3 has 5 fields; the header has 4."}]
    assert [(r["line"], r["description"]) for r in checked.good] == [(2, "Lunch"), (4, "Bread"), (5, "")]
    assert imports.import_rows(shop, checked)["imported"] == 3


def test_a_quote_never_closed_is_refused_naming_the_line_it_opens():
    data = (
        b'Date,Amount,Category,Description\n2026-03-02,250,Food,Lunch\n2026-03-03,80,Food,"Tea\n2026-03-04,9,Food,x\n'
    )
    with pytest.raises(InvalidInput, match=r"^Line 3 opens a quote \(\"\) that is never closed"):
        imports.read_table("quote.csv", data)


def test_an_enormous_cell_is_refused_naming_its_line():
    data = b"Date,Amount,Category,Description\n2026-03-02,250,Food,Lunch\n2026-03-03,80,Food," + b"x" * 200_000 + b"\n"
    with pytest.raises(InvalidInput, match=r"^Line 3 has a cell longer than 131,072 characters"):
        imports.read_table("huge.csv", data)


def test_line_numbers_are_the_files_own_lines_blank_lines_and_line_breaks_in_cells_included(shop):
    data = (
        b"Date,Amount,Category,Description\n"
        b"2026-03-02,250,Food,Lunch\n"
        b"\n"
        b'2026-03-03,80,Food,"Tea\nand cake"\n'
        b"2026-03-04,abc,Food,Bread\n"
    )
    checked = _check(shop, data)
    assert [r["line"] for r in checked.good] == [2, 4]
    assert [b["line"] for b in checked.bad] == [6]


def test_excels_sep_line_names_the_delimiter_and_counts_as_a_line(shop):
    checked = _check(shop, b"sep=;\r\nDate;Amount;Category\r\n2026-03-02;12,50;Food\r\n2026-03-03;x;Food\r\n")
    assert [(r["line"], r["amount"]) for r in checked.good] == [(3, D("12.50"))]
    assert [b["line"] for b in checked.bad] == [4]


def test_too_many_rows_are_refused_before_anything_is_checked():
    lines = ["Date,Amount,Category"] + ["2026-03-02,1,Food"] * (imports.MAX_ROWS + 1)
    with pytest.raises(InvalidInput, match=f"more than {imports.MAX_ROWS:,} rows"):
        imports.read_table("big.csv", "\n".join(lines).encode())


def test_too_many_columns_are_refused():
    header = ",".join(f"C{i}" for i in range(imports.MAX_COLUMNS + 1))
    with pytest.raises(InvalidInput, match=f"at most {imports.MAX_COLUMNS} columns"):
        imports.read_table("wide.csv", f"{header}\n{header}\n".encode())


# --- the upload limit ----------------------------------------------------------------------------------


def test_the_upload_limit_in_the_server_config_is_the_one_read_table_applies():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == imports.MAX_UPLOAD_MB == 20
    # Streamlit's server counts a megabyte as 1024 * 1024 bytes (starlette_routes: maxUploadSize * 1024 * 1024).
    assert imports.MAX_BYTES == 20 * 1024 * 1024
    with pytest.raises(InvalidInput, match="larger than 20 MB"):
        imports.read_table("big.csv", b"Date,Amount,Category\n" + b" " * imports.MAX_BYTES)
    # at the limit the size is fine, and the file is judged on what it holds
    with pytest.raises(InvalidInput) as refused:
        imports.read_table("big.csv", b"Date,Amount,Category\n" + b" " * (imports.MAX_BYTES - 21))
    assert "MB" not in str(refused.value)


# --- simultaneous imports ------------------------------------------------------------------------------


def _file(rows: int, category: str) -> bytes:
    lines = ["Date,Amount,Category,Description"] + [
        f"2026-03-{1 + i % 28:02d},{10 + i % 90}.{i % 100:02d},{category},Item {i}" for i in range(rows)
    ]
    return "\n".join(lines).encode()


def _together(n: int, job):
    barrier = threading.Barrier(n)

    def start(i):
        barrier.wait()
        return job(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(start, range(n)))


def test_two_simultaneous_imports_of_one_file_create_each_row_once(shop):
    data = _file(2000, "Groceries")
    checks = [_check(shop, data) for _ in range(2)]  # both people saw a preview with nothing already recorded
    assert [len(c.duplicates) for c in checks] == [0, 0]
    retried = db.retries["deadlock_or_lock_wait"]
    results = _together(2, lambda i: imports.import_rows(shop, checks[i]))
    assert db.retries["deadlock_or_lock_wait"] == retried  # they took turns: no deadlock to retry
    assert sorted(r["imported"] for r in results) == [0, 2000]
    assert sorted(r["skipped_duplicates"] for r in results) == [0, 2000]
    assert _march(shop)["expenses"] == 2000
    print(f"2 simultaneous imports of a 2,000-row file: {_march(shop)['expenses']:,} rows in the book")


def test_four_simultaneous_imports_with_a_new_category_create_it_and_each_row_once(shop):
    data = _file(500, "Matatu fares")
    checks = [_check(shop, data) for _ in range(4)]
    assert all(c.new_categories == ["Matatu fares"] for c in checks)
    retried = db.retries["deadlock_or_lock_wait"]
    results = _together(4, lambda i: imports.import_rows(shop, checks[i]))
    assert db.retries["deadlock_or_lock_wait"] == retried
    assert sorted(r["imported"] for r in results) == [0, 0, 0, 500]
    assert _march(shop)["expenses"] == 500
    assert "Matatu fares" in category_ids(shop)
