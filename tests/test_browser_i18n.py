"""Issue 14's acceptance in a real Chromium at 390 px: a shopkeeper switches to Kiswahili on the login page and
does the whole path — a credit sale, a payment, a reminders round, a statement — reading Kiswahili and Ksh
throughout, while a second shopkeeper on the same server at the same time reads English."""

from __future__ import annotations

import io
from datetime import timedelta
from urllib.parse import unquote

import pypdf
import pytest
from playwright.sync_api import expect

import i18n
from duka import book, customers
from duka.clock import today
from support import ARTIFACTS, PASSWORD, admin_connection, download_from_tab, go, log_in, panel, register_owner, settled


def sw(message: str, **values) -> str:
    """What a Kiswahili reader sees for this message."""
    with i18n.using("sw"):
        return i18n.t(message, **values)


@pytest.fixture
def two_phones(browser):
    """Two people's phones (390 px), each a browser of its own, on the same server at the same time."""
    contexts = [browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True) for _ in range(2)]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.set_default_timeout(20000)
    pages[0].context.route(  # WhatsApp, played by a page of our own (no internet here: the URL is what matters)
        "https://wa.me/**", lambda route: route.fulfill(body="<title>WhatsApp</title>", content_type="text/html")
    )
    yield pages
    for context in contexts:
        context.close()


def test_a_shopkeeper_works_in_kiswahili_while_another_reads_english(server_url, two_phones):
    mama, other = two_phones
    owner, phone = register_owner("Duka la Mama Mboga", first="Amina")
    _, other_phone = register_owner("Kiosk ya Juma", first="Juma")
    ARTIFACTS.mkdir(exist_ok=True)

    # Kiswahili chosen on the login page, before logging in: the login page itself turns Kiswahili
    mama.goto(server_url)
    mama.get_by_role("radio", name="Kiswahili").click()
    settled(mama)
    form = panel(mama)
    expect(form.get_by_role("button", name=sw("Log in"))).to_be_visible()
    form.get_by_label(sw("Phone number")).fill(phone)
    form.get_by_label(sw("Password"), exact=True).fill(PASSWORD)
    form.get_by_role("button", name=sw("Log in")).click()
    expect(mama.get_by_role("heading", name=sw("Dashboard"))).to_be_visible()

    log_in(other, server_url, other_phone)  # English, at the same time, on the same server
    expect(other.get_by_role("heading", name="Dashboard")).to_be_visible()

    # a credit sale to a new customer, typed "1,250"
    go(mama, sw("Record a credit sale"), sw("Record a credit sale"))
    mama.get_by_text(sw("New customer")).click()
    settled(mama)
    expect(mama.get_by_label(sw("Product"))).to_have_count(1)
    mama.get_by_label(sw("Customer name")).fill("Wanjiru")
    mama.get_by_label(sw("Customer phone (optional)")).fill("0712 345 678")
    mama.get_by_label(sw("Product")).fill("Unga 2kg")
    mama.get_by_label(sw("Total ({currency})", currency="Ksh")).fill("1,250")
    mama.get_by_role("button", name=sw("Record sale")).click()
    expect(mama.get_by_text("Ksh 1,250.00").first).to_be_visible()
    [wanjiru] = customers.customer_choices(owner)["customer_id"].tolist()
    # an older sale of hers, 40 days ago (no due date: overdue after the shop's 30 days), so a round finds her
    book.record_sale(owner, wanjiru, "Sukari", total="300", debt_date=today() - timedelta(days=40))

    # a payment of 200: 1,250 + 300 − 200 = 1,350
    go(mama, sw("Record a payment"), sw("Record a payment"))
    picker = mama.get_by_role("combobox", name=sw("Customer"))
    picker.click()
    picker.fill("Wanjiru")
    mama.get_by_role("option").filter(has_text="Wanjiru").first.click()
    settled(mama)
    mama.get_by_label(sw("Amount ({currency})", currency="Ksh")).fill("200")
    mama.get_by_role("button", name=sw("Record payment")).click()
    expect(mama.get_by_text("Ksh 1,350.00").first).to_be_visible()
    assert customers.customer(owner, wanjiru)["balance"] == 1350

    # a reminders round: one tap opens WhatsApp with her Kiswahili message and records it
    go(mama, sw("Reminders"), sw("Reminders"))
    mama.get_by_role("button", name=sw("Start a round")).click()
    settled(mama)
    expect(mama.get_by_text(sw("Customer {at} of {total}", at="1", total="1"), exact=True)).to_be_visible()
    with mama.expect_popup() as opened:
        mama.get_by_role("link", name=sw("Send on WhatsApp")).click()
    popup = opened.value
    popup.wait_for_load_state()
    url = unquote(popup.url)
    popup.close()
    settled(mama)
    assert url.startswith("https://wa.me/254712345678?text=") and "Wanjiru" in url and "Ksh 1,350.00" in url
    conn = admin_connection()
    try:
        cur = conn.cursor()
        cur.execute("SELECT channel, language, text FROM reminders WHERE shop_id = %s", (owner.shop_id,))
        [(channel, language, text)] = cur.fetchall()
    finally:
        conn.close()
    assert (channel, language) == ("whatsapp", "sw") and text in url
    expect(
        mama.get_by_text(sw("Round finished: {sent} sent, {skipped} skipped.", sent="1", skipped="0"))
    ).to_be_visible()
    mama.screenshot(path=str(ARTIFACTS / "reminders-round-sw-390px.png"), full_page=True)

    # her statement as a PDF, in Kiswahili with Ksh
    go(mama, sw("Customer ledger"), sw("Customer ledger"))
    picker = mama.get_by_role("combobox", name=sw("Customer"))
    picker.click()
    picker.fill("Wanjiru")
    mama.get_by_role("option").filter(has_text="Wanjiru").first.click()
    settled(mama)
    pdf = pypdf.PdfReader(io.BytesIO(download_from_tab(mama, sw("Statement"), sw("Statement (PDF)")).read_bytes()))
    statement = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Wanjiru" in statement and "Ksh 1,350.00" in statement
    assert sw("Opening balance") in statement and "Opening balance" not in statement

    # meanwhile the other shopkeeper still reads English, run after run
    other.reload()
    expect(other.get_by_role("heading", name="Dashboard")).to_be_visible()
    settled(other)
    sidebar = other.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_role("link", name="Record a credit sale", exact=True)).to_have_count(1)
    expect(other.get_by_text(sw("Dashboard"), exact=True)).to_have_count(0)
