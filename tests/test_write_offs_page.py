"""Collections on the ledger page (issue 14): the owner writes off a balance with a reason and reverses it, the
write-off is its own line (never a payment, never collected), credit limits refuse a clerk's sale and ask an
owner, and the reminders sent are listed; through the pages under AppTest, the API and raw SQL."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import mysql.connector
import pytest

from db.errors import NotAllowed
from duka import book, collections, customers, statements
from duka.clock import today
from support import api_client, api_token, click, signed_in, texts, unescaped

D = Decimal
REASON = "Moved to Kisumu, no way to reach him"


def customer_page(actor, customer_id, language=None):
    """The ledger page with this customer chosen, as after a tap in the picker."""
    at = signed_in(actor, "pages/3_Customer.py", language=language)
    return at.selectbox(key="customer_pick").set_value(customer_id).run()


def ledger_rows(at) -> list[tuple[str, str, str]]:
    """(entry, amount, balance after) of each line of the ledger table, newest first, as the person reads them."""
    frame = at.table[0].value
    return [tuple(unescaped(cell) for cell in row) for row in frame.iloc[:, 1:].itertuples(index=False)]


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def owing(staffed_shop):
    """Baraka owes 850: cement 1,000 forty days ago (400 paid today) and sugar 250 five days ago; Kamau owes 100."""
    owner = staffed_shop["owner"]
    baraka = customers.add_customer(owner, "Baraka", "0722000111")
    cement = book.record_sale(owner, baraka, "Cement", total="1000", debt_date=today() - timedelta(days=40))
    book.record_payment(owner, cement, "400")
    book.record_sale(owner, baraka, "Sugar", total="250", debt_date=today() - timedelta(days=5))
    kamau = customers.add_customer(owner, "Kamau")
    book.record_sale(owner, kamau, "Milk", total="100")
    return {**staffed_shop, "customer": baraka, "cement": cement}


def test_the_owner_writes_off_a_balance_with_a_reason_and_it_is_never_collected(owing):
    owner, baraka = owing["owner"], owing["customer"]
    collected_before = metrics(signed_in(owner, "pages/1_Dashboard.py"))["Collected this month"]
    at = customer_page(owner, baraka)
    reason = f"customer_write_off_{baraka}_reason"
    at = click(at, "Write off the balance")  # no reason yet: asked for one, nothing written off
    assert "Write the reason first" in texts(at.error)
    at.text_input(key=reason).input(REASON)
    at = click(at, "Write off the balance")
    assert "Write off Ksh 850.00 that Baraka owes?" in texts(at.warning)
    assert customers.customer(owner, baraka)["balance"] == D("850.00")  # asked, not done
    at = click(at, "Yes, write off Ksh 850.00")
    assert not at.exception and not at.error, texts(at.error)
    assert "Ksh 850.00 written off. Baraka leaves the debtors list" in texts(at.success)

    assert metrics(at)["Baraka owes"] == "Ksh 0.00"
    assert ledger_rows(at) == [  # newest first: two lines of their own, each with the balance after it
        (f"Write-off: Sugar — {REASON}", "−250.00", "0.00"),
        (f"Write-off: Cement — {REASON}", "−600.00", "250.00"),
        ("Payment: Cash for Cement", "−400.00", "850.00"),
        ("Sale: Sugar", "+250.00", "1,250.00"),
        ("Sale: Cement", "+1,000.00", "1,000.00"),
    ]
    debtors = signed_in(owner, "pages/2_Debtors.py")
    assert debtors.dataframe[0].value["name"].tolist() == ["Kamau"]
    assert metrics(signed_in(owner, "pages/1_Dashboard.py"))["Collected this month"] == collected_before

    rows = csv_rows(statements.statement_csv(statements.statement(owner, baraka)))
    assert rows[0] == ["Date", "Details", "Sale (KES)", "Paid (KES)", "Written off (KES)", "Balance (KES)"]
    assert [r[1:] for r in rows if r[1].startswith("Written off")] == [
        ["Written off: Cement", "", "", "600.00", "250.00"],
        ["Written off: Sugar", "", "", "250.00", "0.00"],
    ]
    assert rows[-1][1:] == ["Closing balance", "1250.00", "400.00", "850.00", "0.00"]  # paid: the 400 alone
    summary = statements.statement_summary(statements.statement(owner, baraka))
    assert "paid Ksh 400.00, written off Ksh 850.00, nothing owed" in summary


def test_the_owner_reverses_a_write_off_from_the_ledger_and_the_debt_comes_back(owing):
    owner, baraka = owing["owner"], owing["customer"]
    ids, _ = collections.write_off(owner, baraka, REASON)
    cement_write_off = ids[0]
    at = customer_page(owner, baraka)
    at.selectbox(key="fix_entry").set_value(("Write-off", cement_write_off)).run()
    assert not at.get("radio") or "fix_action" not in [r.key for r in at.radio]  # a write-off: reverse only
    at.text_input(key=f"fix_Write-off_{cement_write_off}_Reverse_reason").input("He came back and promised")
    at = click(at, "Reverse the write-off")
    assert not at.error, texts(at.error)
    assert "Write-off reversed" in texts(at.success)
    assert metrics(at)["Baraka owes"] == "Ksh 600.00"
    assert ledger_rows(at)[:2] == [
        (f"Write-off: Sugar — {REASON}", "−250.00", "600.00"),
        ("Write-off: Cement — reversed (He came back and promised)", "−600.00", "850.00"),  # counts zero
    ]
    assert customers.debtors(owner)["name"].tolist() == ["Baraka", "Kamau"]
    at.selectbox(key="ledger_history").set_value(("Write-off", cement_write_off)).run()
    said = texts(at.markdown)
    assert "Reversed by Amina Otieno" in said and "Reason for the reversal: — → He came back and promised" in said


def test_only_the_owner_sees_the_write_off_and_the_rules_refuse_a_clerk(owing):
    owner, clerk, baraka = owing["owner"], owing["clerk"], owing["customer"]
    write_off, limit = f"customer_write_off_{baraka}_reason", f"customer_limit_{baraka}_value"
    keys = {w.key for w in customer_page(owner, baraka).text_input}
    assert {write_off, limit} <= keys
    at = customer_page(clerk, baraka)
    assert not {write_off, limit} & {w.key for w in at.text_input}
    assert "Write off the balance" not in [b.label for b in at.button]
    with pytest.raises(NotAllowed, match="cannot write off debts"):
        collections.write_off(clerk, baraka, REASON)
    assert customers.customer(owner, baraka)["balance"] == D("850.00")


def test_a_credit_limit_refuses_a_clerks_sale_and_asks_the_owner(staffed_shop, raw):
    owner, clerk = staffed_shop["owner"], staffed_shop["clerk"]
    amina = customers.add_customer(owner, "Amina")
    book.record_sale(owner, amina, "Unga", total="300")
    at = customer_page(owner, amina)
    at.text_input(key=f"customer_limit_{amina}_value").input("1,000")
    at = click(at, "Save the credit limit")
    assert "Credit limit saved: Amina may owe up to Ksh 1,000.00" in texts(at.success)
    assert "Credit limit Ksh 1,000.00 · balance Ksh 300.00 · Ksh 700.00 left" in texts(at.caption)
    assert collections.credit_limit(owner, amina) == D("1000.00")

    at = signed_in(clerk, "pages/4_Record_sale.py")
    at.selectbox(key="sale_page_customer").set_value(amina)
    at.text_input(key="sale_page_product").input("Cooking oil")
    at.text_input(key="sale_page_total").input("900")
    at = click(at, "Record sale")
    assert (
        "Over the credit limit: the balance would be Ksh 1,200.00, past the limit of Ksh 1,000.00. "
        "Only an owner can allow it." in texts(at.error)
    )
    assert "Record it anyway" not in [b.label for b in at.button]
    assert at.selectbox(key="sale_page_customer").value == amina  # what was typed stays
    assert (at.text_input(key="sale_page_product").value, at.text_input(key="sale_page_total").value) == (
        "Cooking oil",
        "900",
    )
    assert customers.customer(owner, amina)["balance"] == D("300.00")

    at = signed_in(owner, "pages/4_Record_sale.py")
    at.selectbox(key="sale_page_customer").set_value(amina)
    at.text_input(key="sale_page_product").input("Cooking oil")
    at.text_input(key="sale_page_total").input("900")
    at = click(at, "Record sale")
    assert "This takes Amina to Ksh 1,200.00, past their limit of Ksh 1,000.00. Record it anyway?" in texts(at.warning)
    assert customers.customer(owner, amina)["balance"] == D("300.00")  # asked, not recorded
    at = click(at, "Record it anyway")
    assert not at.error, texts(at.error)
    assert "Amina now owes Ksh 1,200.00" in texts(at.success)
    assert customers.customer(owner, amina)["balance"] == D("1200.00")
    ledger = customer_page(clerk, amina)
    assert "Credit limit Ksh 1,000.00 · balance Ksh 1,200.00 · Ksh 200.00 over the limit" in texts(ledger.caption)

    with pytest.raises(mysql.connector.Error) as refused:  # any SQL client: the database keeps the limit
        raw.cursor().execute(
            "INSERT INTO debts (shop_id, customer_id, product, total, debt_date) VALUES (%s, %s, 'Salt', 1, CURDATE())",
            (owner.shop_id, amina),
        )
    assert refused.value.errno == 1644 and refused.value.msg.startswith("Over the credit limit")
    assert customers.customer(owner, amina)["balance"] == D("1200.00")


def test_a_correction_raising_a_sale_past_the_limit_is_asked_first(shop):
    amina = customers.add_customer(shop, "Amina")
    debt = book.record_sale(shop, amina, "Unga", total="300")
    collections.set_credit_limit(shop, amina, "500")
    at = customer_page(shop, amina)
    at.selectbox(key="fix_entry").set_value(("Sale", debt)).run()
    at.text_input(key=f"fix_Sale_{debt}_Edit_total").input("800")
    at = click(at, "Save correction")
    assert "This takes Amina to Ksh 800.00, past their limit of Ksh 500.00. Record it anyway?" in texts(at.warning)
    assert book.sale(shop, debt)["total"] == D("300.00")
    at = click(at, "Save it anyway")
    assert not at.error, texts(at.error)
    assert book.sale(shop, debt)["total"] == D("800.00")


def test_the_ledger_lists_the_reminders_sent(owing):
    owner, clerk, baraka = owing["owner"], owing["clerk"], owing["customer"]
    assert "No reminders sent yet." in texts(customer_page(clerk, baraka).caption)
    collections.record_reminder(clerk, baraka, "whatsapp", "Habari Baraka, salio lako ni Ksh 850.00.", "sw")
    at = customer_page(owner, baraka)
    [sent] = [e for e in at.expander if e.label == "1 reminder sent"]
    frame = sent.dataframe[0].value
    assert frame[["By", "Channel", "Owed then", "Message"]].values.tolist() == [
        ["Clerk Mwangi", "WhatsApp", "Ksh 850.00", "Habari Baraka, salio lako ni Ksh 850.00."]
    ]


def test_a_kiswahili_owner_writes_off_and_a_clerk_is_refused_in_kiswahili(owing):
    owner, clerk, baraka = owing["owner"], owing["clerk"], owing["customer"]
    at = customer_page(owner, baraka, language="sw")
    at.text_input(key=f"customer_write_off_{baraka}_reason").input(REASON)
    at = click(at, "Futa deni lote")
    assert "Futa deni la Ksh 850.00 analodaiwa Baraka?" in texts(at.warning)
    at = click(at, "Ndiyo, futa Ksh 850.00")
    assert not at.error, texts(at.error)
    assert "Deni la Ksh 850.00 limefutwa. Baraka ameondoka kwenye orodha ya wadaiwa" in texts(at.success)
    assert ledger_rows(at)[0] == (f"Deni lililofutwa: Sugar — {REASON}", "−250.00", "0.00")
    assert customers.customer(owner, baraka)["balance"] == 0

    collections.set_credit_limit(owner, baraka, "100")
    at = customer_page(clerk, baraka, language="sw")
    at.text_input(key="customer_sale_product").input("Sukari")
    at.text_input(key="customer_sale_total").input("150")
    at = click(at, "Rekodi mauzo")
    assert (
        "Zaidi ya kikomo cha mkopo: salio lingekuwa Ksh 150.00, kupita kikomo cha Ksh 100.00. "
        "Mwenye duka pekee ndiye anaweza kuruhusu." in texts(at.error)
    )
    assert at.text_input(key="customer_sale_total").value == "150"


def test_the_api_refuses_a_sale_past_the_limit_unless_an_owner_says_so(api_url, staffed_shop):
    owner, clerk = staffed_shop["owner"], staffed_shop["clerk"]
    amina = customers.add_customer(owner, "Amina")
    collections.set_credit_limit(owner, amina, "1000")
    sale = {"customer_id": amina, "product": "Cement", "total": "1200.00"}
    with api_client(api_url, api_token(clerk)) as as_clerk, api_client(api_url, api_token(owner)) as as_owner:
        refused = as_clerk.post("/api/v1/sales", json=sale)
        assert refused.status_code == 422
        assert refused.json()["detail"].startswith(
            "Over the credit limit: the balance would be Ksh 1,200.00, past the limit of Ksh 1,000.00."
        )
        assert as_clerk.post("/api/v1/sales", json={**sale, "over_limit_ok": True}).status_code == 403
        assert as_owner.post("/api/v1/sales", json=sale).status_code == 422
        made = as_owner.post("/api/v1/sales", json={**sale, "over_limit_ok": True})
        assert made.status_code == 201 and made.json()["balance"] == "1200.00", made.text
    assert customers.customer(owner, amina)["balance"] == D("1200.00")
