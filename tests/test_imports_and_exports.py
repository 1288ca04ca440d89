"""Importing messy files and exporting safely."""

from __future__ import annotations

import io
import time
from datetime import date
from decimal import Decimal as D

import openpyxl
import pandas as pd
import pytest

from db.errors import InvalidInput
from duka import expenses, exports, imports
from simulate import demo
from support import MESSY


def _check(shop, data: bytes, name: str = "messy.csv"):
    frame = imports.read_table(name, data)
    categories = dict(zip(expenses.categories(shop)["name"], expenses.categories(shop)["category_id"]))
    return imports.check_rows(shop, frame, imports.guess_mapping(list(frame.columns)), categories)


def test_a_messy_csv_reports_bad_rows_with_line_numbers_and_imports_the_rest(shop):
    checked = _check(shop, MESSY.encode())
    assert [(b["line"], b["reason"].split(" ")[0]) for b in checked.bad] == [
        (4, "Amount"),
        (5, "date"),
        (8, "payment"),
        (9, "Amount"),
    ]
    assert checked.new_categories == ["Matatu fares"]
    assert [r["amount"] for r in checked.good] == [D("1250.50"), D("2000.00"), D("50.00"), D("50.00"), D("20.00")]
    result = imports.import_rows(shop, checked)
    assert result == {"imported": 5, "skipped_duplicates": 0, "bad": 4}
    totals = expenses.filtered_totals(shop, expenses.Filter(date(2026, 3, 1), date(2026, 3, 31)))
    assert totals["amount"] == D("3370.50")


def test_importing_the_same_file_twice_creates_no_duplicate(shop):
    imports.import_rows(shop, _check(shop, MESSY.encode()))
    again = _check(shop, MESSY.encode())
    assert len(again.duplicates) == 5
    assert imports.import_rows(shop, again) == {"imported": 0, "skipped_duplicates": 5, "bad": 4}
    assert expenses.filtered_totals(shop, expenses.Filter(date(2026, 3, 1), date(2026, 3, 31)))["expenses"] == 5


def test_the_duplicate_check_is_sent_only_the_expenses_with_a_files_day_and_amount_and_counts_each_once(shop):
    """The server sends only the expenses on a day and for an amount that a line of the file has (a wholesaler's
    year is two million expenses, all sent to Python before): an equal day and amount with another description is
    sent but is no duplicate, another amount or another day is not sent, and two equal fares in the shop match two
    equal lines of the file, not three."""
    fares = _category(shop, "Transport")
    for day, amount, note in (
        (date(2026, 3, 1), "50.00", "Matatu"),
        (date(2026, 3, 1), "50.00", "Matatu"),
        (date(2026, 3, 1), "50.00", "Boda"),
        (date(2026, 3, 2), "50.00", "Matatu"),
        (date(2026, 3, 1), "75.00", "Matatu"),
    ):
        expenses.add_expense(shop, fares, day, amount, "Cash", None, note)
    file = (
        "Date,Amount,Category,Description\n"
        "2026-03-01,50.00,Transport,matatu\n"
        "2026-03-01,50.00,Transport,Matatu\n"
        "2026-03-01,50.00,Transport,Matatu\n"
        "2026-03-01,20.00,Transport,Matatu\n"
    )
    checked = _check(shop, file.encode(), "fares.csv")
    sent = imports.db.rows("expense_keys_between", **imports._keys_of(shop, checked.good))
    assert sorted((str(r["spent_on"]), str(r["amount"]), r["description"]) for r in sent) == [
        ("2026-03-01", "50.00", "Boda"),
        ("2026-03-01", "50.00", "Matatu"),
        ("2026-03-01", "50.00", "Matatu"),
    ]
    assert checked.duplicates == [2, 3]
    assert imports.import_rows(shop, checked) == {"imported": 2, "skipped_duplicates": 2, "bad": 0}


def test_an_import_keeps_the_roll_ups_and_the_shops_version_as_the_triggers_would(shop, raw):
    """An import adds to the daily roll-ups once per day and key, and bumps the shop's version once, instead of
    the per-row triggers (its session skips them): the roll-ups still equal the expenses and cached reads are
    stale. Its categories exist already, so nothing else moves the version."""
    expenses.add_expense(shop, _category(shop, "Groceries"), date(2026, 3, 2), "10.00", "Cash", None, "Before")
    cur = raw.cursor()
    version = "SELECT version FROM shop_versions WHERE shop_id = %s"
    cur.execute(version, (shop.shop_id,))
    [(before,)] = cur.fetchall()
    bank = (
        "Date,Amount,Category,Mode,Cashback,Description\n"
        "2026-03-01,100.00,Groceries,M-Pesa,2.50,Unga\n"
        "2026-03-01,50.00,Groceries,Cash,,Sukari\n"
        "2026-03-02,20.00,Food,M-Pesa,0,Chai\n"
    )
    assert imports.import_rows(shop, _check(shop, bank.encode(), "bank.csv"))["imported"] == 3
    cur.execute(version, (shop.shop_id,))
    [(after,)] = cur.fetchall()
    assert after > before
    assert demo.invariant_breaches([shop.shop_id]) == []
    expenses.add_expense(shop, _category(shop, "Groceries"), date(2026, 3, 1), "5.00", "M-Pesa", "1.00", "After")
    assert demo.invariant_breaches([shop.shop_id]) == []
    cur.execute(
        "SELECT spent_on, payment_mode, amount, cashback, expenses FROM expense_day_modes "
        "WHERE shop_id = %s ORDER BY spent_on, payment_mode",
        (shop.shop_id,),
    )
    assert cur.fetchall() == [
        (date(2026, 3, 1), "Cash", D("50.00"), D("0.00"), 1),
        (date(2026, 3, 1), "M-Pesa", D("105.00"), D("3.50"), 2),
        (date(2026, 3, 2), "Cash", D("10.00"), D("0.00"), 1),
        (date(2026, 3, 2), "M-Pesa", D("20.00"), D("0.00"), 1),
    ]


def _category(shop, name: str) -> int:
    found = expenses.categories(shop)
    return int(found.loc[found["name"] == name, "category_id"].iloc[0])


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(shop):
    with pytest.raises(InvalidInput, match="nothing was imported"):
        imports.import_rows(shop, _check(shop, MESSY.encode()), all_or_nothing=True)
    assert expenses.filtered_totals(shop, expenses.Filter(date(2026, 3, 1), date(2026, 3, 31)))["expenses"] == 0
    assert "Matatu fares" not in expenses.categories(shop)["name"].tolist()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.csv", b"", "empty"),
        ("header.csv", b"Date,Amount,Category\n", "no rows"),
        ("photo.png", b"\x89PNG\r\n", ".csv or .xlsx"),
        ("fake.xlsx", b"Date,Amount\n1,2\n", "not an Excel"),
    ],
)
def test_files_that_cannot_be_imported_say_why(name, data, message):
    with pytest.raises(InvalidInput, match=message):
        imports.read_table(name, data)


def test_a_huge_cell_is_a_bad_row_not_a_crash(shop):
    data = f"Date,Amount,Category,Description\n2026-03-01,10,Food,{'x' * 100_000}\n".encode()
    checked = _check(shop, data)
    assert checked.good == [] and "too long" in checked.bad[0]["reason"]


def test_a_missing_required_column_is_named(shop):
    frame = imports.read_table("a.csv", b"When,How much\n2026-01-01,5\n")
    with pytest.raises(InvalidInput, match="spent_on, amount, category"):
        imports.check_rows(shop, frame, imports.guess_mapping(list(frame.columns)), {})


def test_an_excel_file_imports(shop):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Amount", "Category", "Payment mode", "Description"])
    sheet.append([date(2026, 3, 2), 99.5, "Health", "Cash", "Panadol"])
    out = io.BytesIO()
    book.save(out)
    checked = _check(shop, out.getvalue(), "spend.xlsx")
    assert [(r["spent_on"], r["amount"]) for r in checked.good] == [(date(2026, 3, 2), D("99.50"))]


def test_ten_thousand_rows_import_in_seconds(shop):
    lines = ["Date,Amount,Category,Description"] + [
        f"2026-0{1 + i % 9}-{1 + i % 28:02d},{10 + i % 500}.{i % 100:02d},Groceries,Item {i}" for i in range(10_000)
    ]
    started = time.perf_counter()
    checked = _check(shop, "\n".join(lines).encode())
    result = imports.import_rows(shop, checked)
    elapsed = time.perf_counter() - started
    assert result["imported"] == 10_000
    print(f"10,000-row CSV checked and imported in {elapsed:.2f} s")


def test_exports_defuse_formulas_in_csv_and_excel(shop):
    imports.import_rows(shop, _check(shop, MESSY.encode()))
    page = expenses.expenses_page(shop, expenses.Filter(date(2026, 3, 1), date(2026, 3, 31)), limit=1000)
    csv_text = exports.to_csv(page, "KES").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "\n=HYPERLINK" not in csv_text and ",=HYPERLINK" not in csv_text
    assert csv_text.splitlines()[0].endswith(",currency")
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_excel(page, "KES"))).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://evil","click")' in cells
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    assert pd.read_excel(io.BytesIO(exports.to_excel(page, "KES")))["amount"].sum() == pytest.approx(3370.5)


def test_an_import_stores_each_line_exactly_and_in_the_files_order(shop, raw):
    """The batch goes to the server as one JSON array (duka/expenses.insert_rows): quotes, backslashes, JSON's own
    characters, Kiswahili and emoji come back as written, cents exact, and the ids follow the file's lines."""
    descriptions = ['Chai ☕ na "maandazi"', "C:\\\\risiti\\\\01", '[{"a": 1}]', "Mama Mboga — sukuma 😀", "it's"]
    rows = "".join(
        f'2026-03-0{i + 1},{100 + i}.05,Food,M-Pesa,0.5{i},"{d.replace(chr(34), chr(34) * 2)}"\n'
        for i, d in enumerate(descriptions)
    )
    file = "Date,Amount,Category,Payment mode,Cashback,Description\n" + rows
    assert imports.import_rows(shop, _check(shop, file.encode(), "odd.csv"))["imported"] == 5
    cur = raw.cursor()
    cur.execute(
        "SELECT spent_on, amount, payment_mode, cashback, description FROM expenses WHERE shop_id = %s ORDER BY id",
        (shop.shop_id,),
    )
    assert cur.fetchall() == [
        (date(2026, 3, i + 1), D(f"{100 + i}.05"), "M-Pesa", D(f"0.5{i}"), d) for i, d in enumerate(descriptions)
    ]
