"""Issue 9's acceptance walk in a real Chromium at 390 px: a new user records, corrects and sends a statement,
and the book keeps every value it was not told to change."""

from __future__ import annotations

import io
from datetime import timedelta

import pypdf
from playwright.sync_api import Page, expect

from duka import book, customers, members
from duka.clock import today, written_day
from duka.members import Actor
from support import (
    ARTIFACTS,
    PASSWORD,
    download_from_tab,
    go,
    metric,
    new_phone,
    no_sideways_scroll,
    panel,
    register,
    settled,
)


def owner_of(phone: str) -> Actor:
    """The Actor of the shop this phone registered."""
    user = members.login(phone, PASSWORD)
    return Actor(user["id"], members.memberships(user["id"])[0]["shop_id"])


def pick(page: Page, label: str, text: str, within=None) -> None:
    """Choose in a searchable select by typing, as a clerk would."""
    box = (within or page).get_by_label(label)
    box.click()
    box.fill(text)
    page.get_by_role("option", name=text).first.click()


def test_a_new_user_records_corrects_and_sends_a_statement_without_losing_a_value(server_url, phone_page):
    page, phone = phone_page, new_phone()
    ARTIFACTS.mkdir(exist_ok=True)
    register(page, server_url, phone)
    expect(page.get_by_text("Mboga Fresh is ready")).to_be_visible()

    # a sale with a due date to a new customer; "abc" as the total keeps everything else typed
    go(page, "Record a credit sale", "Record a credit sale")
    page.get_by_text("New customer").click()
    settled(page)
    expect(page.get_by_label("Product")).to_have_count(1)  # the run that drew the new-customer form has finished
    page.get_by_label("Customer name").fill("Kiprono")
    page.get_by_label("Customer phone (optional)").fill("0712 345 678")
    page.get_by_label("Product").fill("Unga 2kg")
    page.get_by_label("Total (Ksh)").fill("abc")
    due = today() + timedelta(days=14)
    for part, digits in (("year", f"{due:%Y}"), ("month", f"{due:%m}"), ("day", f"{due:%d}")):
        page.get_by_role("spinbutton", name=f"{part}, Due date (optional)").click()
        page.keyboard.type(digits)
    page.get_by_role("button", name="Record sale").click()
    expect(page.get_by_text("is not a number", exact=False)).to_be_visible()
    expect(page.get_by_label("Customer name")).to_have_value("Kiprono")
    expect(page.get_by_label("Customer phone (optional)")).to_have_value("0712 345 678")
    expect(page.get_by_label("Product")).to_have_value("Unga 2kg")
    page.screenshot(path=str(ARTIFACTS / "sale-error-keeps-fields-390px.png"), full_page=True)
    page.get_by_label("Total (Ksh)").fill("1,200")
    page.get_by_role("button", name="Record sale").click()
    expect(page.get_by_text("Kiprono now owes Ksh 1,200.00")).to_be_visible()

    # "Kiprono" again: a warning, and the clerk can use the existing one
    expect(page.get_by_label("Product")).to_have_count(1)  # the run that saved has finished redrawing
    expect(page.get_by_label("Product")).to_have_value("")  # a good save empties the form
    page.get_by_text("New customer").click()
    settled(page)
    page.get_by_label("Customer name").fill("Kiprono")
    page.get_by_label("Product").fill("Sugar 1kg")
    page.get_by_label("Total (Ksh)").fill("160")
    page.get_by_role("button", name="Record sale").click()
    expect(page.get_by_text("Kiprono already exists — +254712345678, owes Ksh 1,200.00")).to_be_visible()
    page.get_by_role("button", name="Use Kiprono · +254712345678 · owes Ksh 1,200.00").click()
    expect(page.get_by_text("Kiprono now owes Ksh 1,360.00")).to_be_visible()

    # an M-Pesa payment with its code; nobody is pre-selected
    go(page, "Record a payment", "Record a payment")
    pick(page, "Customer", "Kiprono · +254712345678 · owes Ksh 1,360.00")
    page.get_by_label("Amount (Ksh)").fill("200")
    page.get_by_label("Method").click()
    page.get_by_role("option", name="M-Pesa").click()
    page.get_by_label("Reference (optional)").fill("QK12AB34CD")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("Kiprono still owes Ksh 1,160.00")).to_be_visible()
    expect(page.get_by_placeholder("Choose a customer: type a name or phone…")).to_be_visible()  # choose again
    expect(page.get_by_label("Amount (Ksh)")).to_have_count(0)  # no form until someone is chosen

    actor = owner_of(phone)
    [kiprono] = customers.customer_choices(actor)["customer_id"].tolist()
    entries = book.ledger(actor, kiprono)
    payment_id = int(entries[entries["kind"] == "Payment"]["entry_id"].iloc[0])
    sale_id = int(entries[entries["description"] == "Unga 2kg"]["entry_id"].iloc[0])

    # the ledger: amounts inside a phone's width
    go(page, "Customer ledger", "Customer ledger")
    expect(metric(page, "Kiprono owes")).to_have_text("Ksh 1,160.00")
    table = page.locator('[data-testid="stTable"]')
    expect(table).to_be_visible()
    for cell in table.locator("td").all():
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "ledger-390px.png"), full_page=True)

    # edit only the payment's amount, then only the sale's product
    page.get_by_role("tab", name="Corrections").click()
    tab = panel(page)
    pick(page, "Entry", f"{written_day(today())} · Payment · M-Pesa QK12AB34CD for Unga 2kg · Ksh 200.00", tab)
    tab.get_by_label("Amount (Ksh)").fill("250")
    tab.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text("Correction saved")).to_be_visible()
    page.get_by_role("tab", name="Corrections").click()
    tab = panel(page)
    pick(page, "Entry", f"{written_day(today())} · Sale · Unga 2kg · Ksh 1,200.00", tab)
    tab.get_by_label("Product").fill("Unga 2kg (Jogoo)")
    tab.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text("Correction saved")).to_be_visible()
    picker = page.get_by_role("combobox", name="Customer")  # drawn before the save, kept after it
    expect(picker).to_have_value("Kiprono · +254712345678 · owes Ksh 1,110.00")  # the balance as of now
    paid = book.payment(actor, payment_id)
    assert (paid["amount"], paid["method"], paid["reference"]) == (250, "M-Pesa", "QK12AB34CD")
    sold = book.sale(actor, sale_id)
    assert (sold["product"], sold["due_date"]) == ("Unga 2kg (Jogoo)", due)

    # the history shows the old amount
    pick(
        page,
        "History of an edited or voided entry",
        f"{written_day(today())} · Payment · M-Pesa QK12AB34CD for Unga 2kg (Jogoo)",
    )
    expect(page.get_by_text("Amount: 200.00 → 250.00")).to_be_visible()

    # a PDF statement
    pdf = pypdf.PdfReader(io.BytesIO(download_from_tab(page, "Statement", "Statement (PDF)").read_bytes()))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Kiprono" in text and "Mboga Fresh" in text
    assert "1,110.00" in text  # 1,200 + 160 − 250
    page.screenshot(path=str(ARTIFACTS / "statement-390px.png"), full_page=True)
