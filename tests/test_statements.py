"""The customer statement: figures from the real database, and the PDF, CSV and WhatsApp text a customer gets."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

import pypdf
import pytest

from db.errors import InvalidInput, NotAllowed, NotFound
from duka import book, customers, members, statements
from duka.clock import today
from duka.members import Actor
from duka.money import money
from duka.values import normalise_phone
from support import PASSWORD, join, new_phone, register_owner

HYPERLINK = '=HYPERLINK("http://evil","x")'


def days_ago(n: int):
    return today() - timedelta(days=n)


@pytest.fixture
def history(shop) -> dict:
    """A customer with a worked history (KES), and the period 45 to 5 days ago:

    60 days ago  sale     Maize flour 2kg   1,000.00
    55 days ago  sale     Paraffin (voided)    80.00   counts zero
    50 days ago  payment  M-Pesa QK12AB34CD   300.00   -> opening balance 700.00 for the period
    40 days ago  sale     Cooking oil 1L      500.00
    35 days ago  sale     Soap (voided)       200.00   counts zero
    30 days ago  payment  Cash (voided)       100.00   counts zero
    20 days ago  sale     Sugar 2kg           250.00
    10 days ago  payment  Cash                150.00   -> closing balance 1,300.00
     2 days ago  sale     Bread                60.00   after the period
    """
    customer = customers.add_customer(shop, "Wanjiku Ñandú", "0722 000 333")
    maize = book.record_sale(shop, customer, "Maize flour 2kg", total="1000", debt_date=days_ago(60))
    paraffin = book.record_sale(shop, customer, "Paraffin", total="80", debt_date=days_ago(55))
    book.void_sale(shop, paraffin, "Wrong customer")
    book.record_payment(shop, maize, "300", "M-Pesa", "QK12AB34CD", paid_at=days_ago(50))
    oil = book.record_sale(shop, customer, "Cooking oil 1L", total="500", debt_date=days_ago(40))
    soap = book.record_sale(shop, customer, "Soap", total="200", debt_date=days_ago(35))
    book.void_sale(shop, soap, "Recorded twice")
    mistaken = book.record_payment(shop, oil, "100", "Cash", paid_at=days_ago(30))
    book.void_payment(shop, mistaken, "Paid by another customer")
    book.record_sale(shop, customer, "Sugar 2kg", total="250", debt_date=days_ago(20))
    book.record_payment(shop, maize, "150", "Cash", paid_at=days_ago(10))
    book.record_sale(shop, customer, "Bread", total="60", debt_date=days_ago(2))
    return {"actor": shop, "customer": customer, "start": days_ago(45), "end": days_ago(5)}


@pytest.fixture
def period(history) -> statements.Statement:
    return statements.statement(history["actor"], history["customer"], history["start"], history["end"])


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


# --- the figures ---------------------------------------------------------------------------------


def test_the_opening_balance_is_what_was_owed_before_the_period(period):
    assert period.opening_balance == D("700.00")


def test_the_closing_balance_is_opening_plus_sales_less_payments_with_voids_counting_zero(period):
    assert period.closing_balance == D("1300.00")
    assert period.total_sales == D("750.00")
    assert period.total_paid == D("150.00")
    assert period.closing_balance == period.opening_balance + period.total_sales - period.total_paid


def test_entries_read_oldest_first_with_a_running_balance_and_voids_marked_without_effect(period):
    shown = [(e.day, e.kind, e.details, e.charge, e.paid, e.balance, e.voided) for e in period.entries]
    assert shown == [
        (days_ago(40), "Sale", "Cooking oil 1L", D("500.00"), D("0.00"), D("1200.00"), False),
        (days_ago(35), "Sale", "Soap", D("200.00"), D("0.00"), D("1200.00"), True),
        (days_ago(30), "Payment", "Cash for Cooking oil 1L", D("0.00"), D("100.00"), D("1200.00"), True),
        (days_ago(20), "Sale", "Sugar 2kg", D("250.00"), D("0.00"), D("1450.00"), False),
        (days_ago(10), "Payment", "Cash for Maize flour 2kg", D("0.00"), D("150.00"), D("1300.00"), False),
    ]
    assert [e.void_reason for e in period.entries if e.voided] == ["Recorded twice", "Paid by another customer"]
    assert [e.details for e in period.counted] == ["Cooking oil 1L", "Sugar 2kg", "Cash for Maize flour 2kg"]


def test_money_stays_decimal_end_to_end(period):
    amounts = [period.opening_balance, period.closing_balance, period.total_sales, period.total_paid]
    amounts += [value for e in period.entries for value in (e.charge, e.paid, e.balance)]
    assert all(type(value) is D for value in amounts)


def test_a_payment_names_its_method_reference_and_sale(history):
    whole = statements.statement(history["actor"], history["customer"])
    assert "M-Pesa QK12AB34CD for Maize flour 2kg" in [e.details for e in whole.entries]


def test_by_default_the_statement_runs_from_the_first_entry_to_today_and_closes_at_the_balance(history):
    whole = statements.statement(history["actor"], history["customer"])
    assert (whole.start, whole.end, whole.opening_balance) == (days_ago(60), today(), D("0.00"))
    assert whole.closing_balance == customers.customer(history["actor"], history["customer"])["balance"] == D("1360.00")


def test_the_shop_and_customer_are_named_with_the_owners_phone(period):
    assert (period.shop_name, period.currency) == ("Duka la Mama", "KES")
    assert period.shop_phone.startswith("+2547")  # register_owner's 07… number, in E.164
    assert (period.customer_name, period.customer_phone) == ("Wanjiku Ñandú", normalise_phone("0722 000 333"))


def test_the_shop_phone_is_the_first_owners_even_when_another_owner_joins(shop):
    first_phone = statements.statement(shop, customers.add_customer(shop, "Kiprono")).shop_phone
    second = new_phone()
    members.register("Second", "Owner", second, PASSWORD, "Their own shop")
    join(shop, second, "owner")
    assert statements.statement(shop, customers.add_customer(shop, "Akinyi")).shop_phone == first_phone
    assert first_phone != normalise_phone(second)


def test_a_customer_without_entries_gets_an_empty_statement_for_today(shop):
    customer = customers.add_customer(shop, "Kiprono")
    s = statements.statement(shop, customer)
    assert (s.start, s.end, s.entries, s.opening_balance, s.closing_balance) == (today(), today(), (), 0, 0)
    assert s.customer_phone is None


def test_a_period_that_starts_after_it_ends_is_refused(history):
    with pytest.raises(InvalidInput, match="start"):
        statements.statement(history["actor"], history["customer"], history["end"], history["start"])


def test_another_shops_customer_is_not_found(history):
    other, _ = register_owner("Another duka")
    with pytest.raises(NotFound):
        statements.statement(other, history["customer"])


def test_someone_outside_the_shop_cannot_read_a_statement(history):
    stranger = Actor(register_owner("Stranger's duka")[0].user_id, history["actor"].shop_id)
    with pytest.raises(NotAllowed):
        statements.statement(stranger, history["customer"])


@pytest.mark.parametrize("role", ["clerk", "analyst"])
def test_clerks_and_analysts_may_read_a_statement(staffed_shop, role):
    customer = customers.add_customer(staffed_shop["owner"], "Baraka")
    book.record_sale(staffed_shop["owner"], customer, "Rice 5kg", total="900")
    assert statements.statement(staffed_shop[role], customer).closing_balance == D("900.00")


# --- the PDF -------------------------------------------------------------------------------------


def test_the_pdf_holds_shop_customer_period_each_product_and_the_closing_balance(period):
    text = "\n".join(pdf_text(statements.statement_pdf(period)))
    assert "Statement" in text
    assert "Duka la Mama" in text
    assert period.shop_phone.lstrip("+") in text.replace(" ", "")
    assert "Wanjiku Ñandú" in text
    assert period.customer_phone.lstrip("+") in text.replace(" ", "")
    assert statements.long_date(period.start) in text and statements.long_date(period.end) in text
    assert "Opening balance" in text and money(D("700.00"), "KES") in text
    for product in ("Cooking oil 1L", "Sugar 2kg", "Cash for Maize flour 2kg"):
        assert product in text
    for amount in ("500.00", "250.00", "150.00", "1,200.00", "1,450.00"):
        assert amount in text
    assert "Balance due: " + money(D("1300.00"), "KES") in text


def test_the_pdf_leaves_voided_entries_out(period):
    text = "\n".join(pdf_text(statements.statement_pdf(period)))
    assert "Soap" not in text and "Recorded twice" not in text and "Paid by another" not in text
    assert text.count("Cash for") == 1  # the voided payment of 100.00 is not there


def test_a_customer_who_owes_nothing_reads_nothing_owed(shop):
    customer = customers.add_customer(shop, "Kiprono")
    debt = book.record_sale(shop, customer, "Milk", total="55.50")
    book.record_payment(shop, debt, "55.50")
    s = statements.statement(shop, customer)
    assert "Nothing owed" in "\n".join(pdf_text(statements.statement_pdf(s)))
    assert "nothing owed" in statements.statement_summary(s)


@pytest.mark.parametrize(
    "name",
    [
        "Wanjiku Ñandú",
        "Ζωή Παπαδοπούλου",  # Greek
        "Олена Коваль",  # Cyrillic
    ],
)
def test_names_in_other_scripts_come_out_of_the_pdf_as_typed(shop, name):
    customer = customers.add_customer(shop, name)
    book.record_sale(shop, customer, "Chai", total="20")
    assert name in pdf_text(statements.statement_pdf(statements.statement(shop, customer)))[0]


def test_an_arabic_name_is_laid_out_right_to_left(shop):
    customer = customers.add_customer(shop, "كريم")
    book.record_sale(shop, customer, "Chai", total="20")
    text = pdf_text(statements.statement_pdf(statements.statement(shop, customer)))[0]
    # fpdf2 writes right-to-left text in visual order (its bidi algorithm); pypdf reads glyphs left to right.
    assert "كريم"[::-1] in text


def test_an_emoji_the_font_lacks_does_not_stop_the_pdf(shop):
    customer = customers.add_customer(shop, "Mama 🙂 Njeri")
    book.record_sale(shop, customer, "Mandazi 🍩", total="30")
    text = pdf_text(statements.statement_pdf(statements.statement(shop, customer)))[0]
    assert "Mama □ Njeri" in text and "Mandazi □" in text


def test_a_joined_emoji_prints_as_one_placeholder(period):
    # woman, skin tone, joiner, cooking: one picture on a phone; a flag is two regional letters
    cook = replace(period, customer_name="Chef 👩🏽\u200d🍳 Amani 🇰🇪")
    assert "Chef □ Amani □□" in pdf_text(statements.statement_pdf(cook))[0]


def test_without_a_unicode_font_the_pdf_falls_back_to_helvetica(period, monkeypatch):
    monkeypatch.setattr(statements, "FONT_DIRS", ())
    text = "\n".join(pdf_text(statements.statement_pdf(period)))
    assert "Wanjiku Ñandú" in text  # Windows-1252 still holds it
    assert "Balance due: " + money(D("1300.00"), "KES") in text


def test_a_long_product_name_is_cut_with_an_ellipsis(shop):
    customer = customers.add_customer(shop, "Kiprono")
    book.record_sale(shop, customer, "Unga " * 31 + "end", total="10")
    text = pdf_text(statements.statement_pdf(statements.statement(shop, customer)))[0]
    assert "…" in text and "end" not in text.split("Unga")[-1]


def test_a_statement_of_200_entries_runs_over_several_pages_with_the_heading_on_each(shop):
    customer = customers.add_customer(shop, "Otieno")
    for n in range(100):
        debt = book.record_sale(shop, customer, f"Item {n:03d}", total="100", debt_date=days_ago(300 - 2 * n))
        book.record_payment(shop, debt, "40", "Cash", paid_at=days_ago(299 - 2 * n))
    s = statements.statement(shop, customer)
    assert len(s.entries) == 200 and s.closing_balance == D("6000.00")
    pages = pdf_text(statements.statement_pdf(s))
    assert len(pages) >= 3
    assert all("Date" in page and "Balance" in page for page in pages)
    assert all(f"Item {n:03d}" in "\n".join(pages) for n in range(100))
    assert "Balance due: Ksh 6,000.00" in pages[-1]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


# --- the CSV -------------------------------------------------------------------------------------


def test_the_csv_has_a_bom_human_headings_and_no_internal_columns(period):
    data = statements.statement_csv(period)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    assert rows[0] == ["Date", "Details", "Sale (KES)", "Paid (KES)", "Balance (KES)"]
    assert not {"debt_id", "voided", "void_reason"} & {cell.lower() for row in rows for cell in row}


def test_the_csv_opens_and_closes_with_the_balances_and_leaves_voids_out(period):
    rows = csv_rows(statements.statement_csv(period))
    assert rows[1] == [period.start.isoformat(), "Opening balance", "", "", "700.00"]
    assert rows[2:-1] == [
        [days_ago(40).isoformat(), "Cooking oil 1L", "500.00", "", "1200.00"],
        [days_ago(20).isoformat(), "Sugar 2kg", "250.00", "", "1450.00"],
        [days_ago(10).isoformat(), "Cash for Maize flour 2kg", "", "150.00", "1300.00"],
    ]
    assert rows[-1] == [period.end.isoformat(), "Closing balance", "750.00", "150.00", "1300.00"]


def test_a_formula_in_a_product_is_defused_in_the_csv(shop):
    customer = customers.add_customer(shop, "=cmd|' /C calc'!A0")
    debt = book.record_sale(shop, customer, HYPERLINK, total="10")
    book.record_payment(shop, debt, "5", "Other", "+254700000000")
    rows = csv_rows(statements.statement_csv(statements.statement(shop, customer)))
    details = [row[1] for row in rows[1:]]
    assert "'" + HYPERLINK in details
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_csv_names_the_shops_currency(shop):
    phone = new_phone()
    ids = members.register("Nakato", "Okello", phone, PASSWORD, "Duka ya Kampala", "UGX")
    owner = Actor(ids["user_id"], ids["shop_id"])
    customer = customers.add_customer(owner, "Musa")
    book.record_sale(owner, customer, "Matooke", total="15000")
    s = statements.statement(owner, customer)
    assert csv_rows(statements.statement_csv(s))[0][2:] == ["Sale (UGX)", "Paid (UGX)", "Balance (UGX)"]
    assert "Balance due: UGX 15,000.00" in "\n".join(pdf_text(statements.statement_pdf(s)))


# --- the WhatsApp text ---------------------------------------------------------------------------


def test_the_summary_names_shop_customer_period_and_figures(period):
    text = statements.statement_summary(period)
    assert text.startswith("Duka la Mama — statement for Wanjiku Ñandú, ")
    assert statements.short_period(period.start, period.end) in text
    assert "opening Ksh 700.00, sales Ksh 750.00, paid Ksh 150.00, balance due Ksh 1,300.00" in text
    assert "\n" not in text


def test_the_whatsapp_link_carries_the_summary_to_the_customers_phone(period):
    link = statements.statement_whatsapp_link(period)
    assert link.startswith("https://wa.me/254722000333?text=")
    assert "Ksh%201%2C300.00" in link


def test_a_customer_without_a_phone_has_no_whatsapp_link(shop):
    assert (
        statements.statement_whatsapp_link(statements.statement(shop, customers.add_customer(shop, "Kiprono"))) is None
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((2026, 10, 1), (2026, 11, 22), "1 Oct – 22 Nov 2026"),
        ((2025, 12, 1), (2026, 1, 22), "1 Dec 2025 – 22 Jan 2026"),
        ((2026, 11, 22), (2026, 11, 22), "22 Nov 2026"),
    ],
)
def test_periods_read_short_in_the_summary(start, end, expected):
    assert statements.short_period(date(*start), date(*end)) == expected


def test_the_files_are_named_for_the_customer_and_period(period):
    name = statements.statement_filename(period, "pdf")
    assert name == f"statement-wanjiku-nandu-{period.start.isoformat()}-to-{period.end.isoformat()}.pdf"
