"""The debt book in Kiswahili (issue 14): the statement a Kiswahili shopkeeper sends reads Kiswahili with 'Ksh'
amounts and Kiswahili dates, the book's refusals are Kiswahili sentences, and amounts are read by the same rule in
either language."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal as D

import pypdf
import pytest

import i18n
from db.errors import InvalidInput
from duka import book, customers, statements
from duka.money import parse_amount, parse_quantity
from duka.reminders import default_template, reminder_text
from support import signed_in, texts, unescaped

# Months whose Kiswahili abbreviation differs from the English one: Machi, Agosti, Oktoba.
SALE_DAY, PAID_DAY, END = date(2024, 3, 19), date(2024, 8, 5), date(2024, 10, 31)


@pytest.fixture
def sukari(shop) -> dict:
    """A customer who bought sugar on credit in March 2024 and paid part of it in cash in August."""
    customer = customers.add_customer(shop, "Wanjiru Kamau", "0712 345 678")
    debt = book.record_sale(shop, customer, "Sukari 2kg", total="1,250", debt_date=SALE_DAY)
    book.record_payment(shop, debt, "450", "Cash", paid_at=PAID_DAY)
    return {"actor": shop, "customer": customer, "debt": debt}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def statement_in(language: str, sukari: dict) -> statements.Statement:
    with i18n.using(language):
        return statements.statement(sukari["actor"], sukari["customer"], date(2024, 3, 1), END)


# --- the statement -------------------------------------------------------------------------------


def test_the_pdf_statement_of_a_kiswahili_reader_reads_kiswahili_with_ksh_and_kiswahili_dates(sukari):
    s = statement_in("sw", sukari)
    with i18n.using("sw"):
        text = pdf_text(statements.statement_pdf(s))
    for words in ("Taarifa", "Mteja: Wanjiru Kamau", "Kipindi: 1 Mac 2024 – 31 Okt 2024", "Salio la mwanzo"):
        assert words in text
    assert "Salio la kulipa: Ksh 800.00" in text  # money() in Kiswahili: 'Ksh', the same digits
    assert "19 Mac 2024" in text and "5 Ago 2024" in text  # each entry's day, Babel's sw_KE months
    assert "Pesa taslimu kwa Sukari 2kg" in text  # the payment's method and 'for' in Kiswahili
    assert "Ukurasa 1 kati ya 1" in text
    for english in ("Statement", "Opening balance", "Balance due", "Customer:", "Period", "Mar 2024", "Aug", "Cash"):
        assert english not in text


def test_the_same_statement_for_an_english_reader_reads_as_before(sukari):
    text = pdf_text(statements.statement_pdf(statement_in("en", sukari)))
    assert "Period: 1 Mar 2024 – 31 Oct 2024" in text
    assert "Balance due: Ksh 800.00" in text
    assert "Cash for Sukari 2kg" in text and "Page 1 of 1" in text


def test_the_csv_and_the_whatsapp_summary_of_a_kiswahili_reader_read_kiswahili(sukari):
    s = statement_in("sw", sukari)
    with i18n.using("sw"):
        rows = list(csv.reader(io.StringIO(statements.statement_csv(s).decode("utf-8-sig"))))
        summary = statements.statement_summary(s)
        filename = statements.statement_filename(s, "pdf")
    assert rows[0] == ["Tarehe", "Maelezo", "Mauzo (KES)", "Malipo (KES)", "Salio (KES)"]
    assert rows[1][1] == "Salio la mwanzo" and rows[-1][1] == "Salio la mwisho"
    assert rows[-1][-1] == "800.00"  # amounts stay plain numbers a spreadsheet reads
    assert summary.startswith("Duka la Mama — taarifa ya akaunti ya Wanjiru Kamau, 1 Mac – 31 Okt 2024: ")
    assert "salio la kulipa Ksh 800.00" in summary and summary.endswith("Asante.")
    assert filename == "taarifa-wanjiru-kamau-2024-03-01-hadi-2024-10-31.pdf"


# --- the book's refusals -------------------------------------------------------------------------


def test_an_overpayment_is_refused_with_a_kiswahili_sentence_for_a_kiswahili_reader(sukari):
    actor, debt = sukari["actor"], sukari["debt"]
    with i18n.using("sw"), pytest.raises(InvalidInput) as refused:
        book.record_payment(actor, debt, "1,000")
    assert str(refused.value) == "Malipo ya ziada yamekataliwa: salio la Sukari 2kg ni Ksh 800.00."
    with i18n.using("sw"), pytest.raises(InvalidInput) as refused:
        book.pay_customer(actor, sukari["customer"], "900")
    assert str(refused.value) == "Malipo ya ziada yamekataliwa: salio la mteja huyu ni Ksh 800.00."
    with pytest.raises(InvalidInput, match=r"^Overpayment refused: the balance of Sukari 2kg is Ksh 800\.00\.$"):
        book.record_payment(actor, debt, "1,000")  # the English reader's sentence, unchanged
    assert customers.customer(actor, sukari["customer"])["balance"] == D("800.00")  # nothing was recorded


def test_a_payment_dated_before_its_sale_names_both_days_in_kiswahili(sukari):
    with i18n.using("sw"), pytest.raises(InvalidInput) as refused:
        book.record_payment(sukari["actor"], sukari["debt"], "50", paid_at=date(2024, 3, 2))
    assert str(refused.value) == (
        "Malipo hayawezi kuwekwa tarehe 02 Mac 2024, kabla ya mauzo ya Sukari 2kg ya tarehe 19 Mac 2024."
    )


@pytest.mark.parametrize("typed", ["1,250", "1250", "1 250", "Ksh 1,250", "1,250.00"])
def test_amounts_read_the_same_for_a_kiswahili_reader(typed):
    with i18n.using("sw"):
        assert parse_amount(typed) == D("1250.00")


def test_a_sale_typed_1_250_by_a_kiswahili_clerk_is_1250_shillings(shop):
    customer = customers.add_customer(shop, "Kamau Njoroge")
    with i18n.using("sw"):
        first = book.record_sale(shop, customer, "Mchele", total="1,250")
        second = book.record_sale(shop, customer, "Mchele", total="1250")
    assert book.sale(shop, first)["total"] == book.sale(shop, second)["total"] == D("1250.00")


def test_an_unclear_amount_is_refused_in_kiswahili_naming_the_field_in_kiswahili():
    with i18n.using("sw"), pytest.raises(InvalidInput) as refused:
        parse_amount("12,50")
    assert str(refused.value) == (
        'Sielewi Kiasi "12,50": andika 12.50 ukitumia nukta kama alama ya desimali, au 1,250 kama ulimaanisha maelfu.'
    )
    with i18n.using("sw"), pytest.raises(InvalidInput, match=r"^Idadi: andika namba iliyo zaidi ya sifuri\.$"):
        parse_quantity("0")


def test_a_date_in_the_future_is_refused_in_kiswahili(shop):
    customer = customers.add_customer(shop, "Kiprono")
    with i18n.using("sw"), pytest.raises(InvalidInput, match=r"^Tarehe ya mauzo haiwezi kuwa siku zijazo\.$"):
        book.record_sale(shop, customer, "Maziwa", total="60", debt_date=date(2999, 1, 1))
    with (
        i18n.using("sw"),
        pytest.raises(InvalidInput, match=r"^Tarehe ya malipo haiwezi kuwa kabla ya 1 Januari 2000\.$"),
    ):
        book.pay_customer(shop, customer, "10", paid_at=date(1999, 12, 31))


# --- reminders and the ledger page ---------------------------------------------------------------


def test_a_kiswahili_shopkeeper_starts_from_a_kiswahili_reminder_with_the_paybill_line():
    with i18n.using("sw"):
        text = reminder_text(
            default_template(), "Wanjiru", D("800"), "Duka la Mama", "KES", "Lipa kupitia Paybill 522533, akaunti 1001."
        )
    assert text == (
        "Habari Wanjiru, huu ni ukumbusho wa kirafiki kutoka Duka la Mama: salio lako ni Ksh 800.00. "
        "Tafadhali lipa utakapoweza. Asante! Lipa kupitia Paybill 522533, akaunti 1001."
    )


def test_the_ledger_page_of_a_kiswahili_owner_reads_kiswahili_in_its_tabs(sukari):
    actor, customer = sukari["actor"], sukari["customer"]
    at = signed_in(actor, "pages/3_Customer.py", language="sw")
    at = at.selectbox(key="customer_pick").set_value(customer).run()
    assert [tab.label for tab in at.tabs] == [
        "Kumbusha",
        "Taarifa",
        "Rekodi mauzo",
        "Rekodi malipo",
        "Marekebisho",
        "Mteja",
    ]
    assert at.metric[0].label == "Wanjiru Kamau anadaiwa" and at.metric[0].value == "Ksh 800.00"
    entries = at.selectbox(key="fix_entry").options
    assert "05 Ago 2024 · Malipo · Pesa taslimu kwa Sukari 2kg · Ksh 450.00" in entries
    assert at.selectbox(key="customer_payment_method").options == ["Pesa taslimu", "M-Pesa", "Benki", "Nyingine"]
    ledger = at.table[0].value
    assert list(ledger.columns) == ["Tarehe", "Ingizo", "Kiasi (Ksh)", "Salio"]
    assert unescaped(ledger["Ingizo"].iloc[0]) == "Malipo: Pesa taslimu kwa Sukari 2kg"
    # a payment recorded from the Kiswahili page: its radio and method keep their English values underneath
    at.radio(key="customer_payment_target").set_value("Oldest sales first").run()
    at.text_input(key="customer_payment_amount").input("1,000")
    at = [b for b in at.button if b.label == "Rekodi malipo"][0].click().run()
    assert texts(at.error) == "Malipo ya ziada yamekataliwa: salio la mteja huyu ni Ksh 800.00."
    at.text_input(key="customer_payment_amount").input("300")
    at = [b for b in at.button if b.label == "Rekodi malipo"][0].click().run()
    assert "Malipo yamerekodiwa. Wanjiru Kamau bado anadaiwa Ksh 500.00." in texts(at.success)
    assert customers.customer(actor, customer)["balance"] == D("500.00")
