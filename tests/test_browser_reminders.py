"""The reminders round in Chromium at 390 px against the real server (issue 14): one tap on WhatsApp opens wa.me
with the customer's message in a new tab AND records the reminder, one tap on SMS does the same through sms:, a
customer without a phone can only be skipped, and a new round leaves out everyone just reminded; then the demo shop
the simulator seeds, walked the same way."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote

import pytest
from playwright.sync_api import Page, expect

from duka import book, collections, customers, members
from duka.clock import today
from duka.members import Actor
from duka.reminders import sms_link
from simulate import __main__ as simulate
from support import ARTIFACTS, admin_connection, go, log_in, no_sideways_scroll, panel, register_owner, settled

WHATSAPP, SMS = "Send on WhatsApp", "Send SMS"
# The phone's messages app, played by the page itself: an sms: link's navigation is stopped and its address kept,
# the tap's own handler running as it would. (Headless Chromium has no app for sms: and, once it has tried one, takes
# no more clicks on the page: an external-protocol prompt nobody can answer.)
SMS_APP = """
window.addEventListener("click", (event) => {
  const link = event.composedPath().find((node) => node instanceof HTMLAnchorElement);
  if (link && link.href.startsWith("sms:")) {
    event.preventDefault();
    window.smsOpened = (window.smsOpened || []).concat([link.href]);
  }
}, true);
"""


def _reminders(shop_id: int) -> list[tuple]:
    """(customer_id, channel, text, sent_by, language) of the shop's reminders, as any SQL client reads them."""
    conn = admin_connection()
    try:
        cur = conn.cursor()
        cur.execute(
            "SELECT customer_id, channel, text, sent_by, language FROM reminders WHERE shop_id = %s ORDER BY id",
            (shop_id,),
        )
        return cur.fetchall()
    finally:
        conn.close()


@pytest.fixture
def phone(phone_page: Page) -> Page:
    """The phone browser, wa.me answered by a page of our own (no internet here: the URL is what matters) and the
    sms: links kept by SMS_APP."""
    phone_page.context.route(
        "https://wa.me/**", lambda route: route.fulfill(body="<title>WhatsApp</title>", content_type="text/html")
    )
    phone_page.add_init_script(SMS_APP)
    return phone_page


def tap_whatsapp(page: Page) -> str:
    """Tap WhatsApp on the card; the URL the new tab opened."""
    with page.expect_popup() as opened:
        page.get_by_role("link", name=WHATSAPP).click()
    popup = opened.value
    popup.wait_for_load_state()
    url = popup.url
    popup.close()
    settled(page)
    return url


def tap_sms(page: Page) -> str:
    """Tap SMS on the card; the sms: address the messages app was given."""
    page.get_by_role("link", name=SMS).click()
    settled(page)
    return page.evaluate("window.smsOpened.at(-1)")


def next_card(page: Page, at: int, of: int) -> None:
    """Wait for the card of the `at`-th customer (or the round's end) and for the run drawing it to finish."""
    if at > of:
        expect(page.get_by_text("Round finished:")).to_be_visible()
    else:
        expect(page.get_by_text(f"Customer {at} of {of}", exact=True)).to_be_visible()
    settled(page)


@pytest.fixture
def small_shop():
    """Akinyi, Baraka and Chebet, with phones, and Daudi, without, owe on sales 50, 45, 40 and 35 days old (no
    due dates: overdue after the 30 days of credit), in that order; Esther bought today (not due)."""
    owner, phone = register_owner("Duka la Round")
    ids = {}
    for days, (name, number) in zip(
        (50, 45, 40, 35, 0),
        (
            ("Akinyi", "0733000001"),
            ("Baraka", "0733000002"),
            ("Chebet", "0733000003"),
            ("Daudi", None),
            ("Esther", "0733000005"),
        ),
    ):
        ids[name] = customers.add_customer(owner, name, number)
        book.record_sale(owner, ids[name], "Unga", total=str(100 + days), debt_date=today() - timedelta(days=days))
    return owner, phone, ids


def test_one_tap_opens_whatsapp_or_sms_with_the_message_and_records_the_reminder(server_url, phone, small_shop):
    owner, owner_phone, ids = small_shop
    page = phone
    log_in(page, server_url, owner_phone)
    go(page, "Reminders", "Reminders")
    expect(page.get_by_text("4 customers are due for a reminder, owing Ksh 570.00 in all.")).to_be_visible()
    page.get_by_role("button", name="Start a round").click()
    settled(page)
    next_card(page, 1, 4)
    no_sideways_scroll(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reminders-round-390px.png"), full_page=True)

    akinyi = collections.message(owner, {"customer_id": ids["Akinyi"]}, "en")
    url = tap_whatsapp(page)
    assert url.startswith("https://wa.me/254733000001?text=")
    assert unquote(url.split("?text=", 1)[1]) == akinyi
    next_card(page, 2, 4)
    assert _reminders(owner.shop_id) == [(ids["Akinyi"], "whatsapp", akinyi, owner.user_id, "en")]
    expect(page.get_by_text("Baraka", exact=True)).to_be_visible()

    baraka = collections.message(owner, {"customer_id": ids["Baraka"]}, "en")
    assert tap_sms(page) == sms_link("+254733000002", baraka)
    next_card(page, 3, 4)
    assert _reminders(owner.shop_id)[1] == (ids["Baraka"], "sms", baraka, owner.user_id, "en")

    # the message is the person's to change before sending: what the tap opens is what is recorded
    message = page.locator(f".st-key-reminders_text_{ids['Chebet']}_en textarea")
    message.fill("Chebet, tafadhali lipa leo. Asante!")
    message.press("Control+Enter")
    settled(page)
    url = tap_whatsapp(page)
    assert unquote(url.split("?text=", 1)[1]) == "Chebet, tafadhali lipa leo. Asante!"
    next_card(page, 4, 4)
    assert _reminders(owner.shop_id)[2] == (
        ids["Chebet"],
        "whatsapp",
        "Chebet, tafadhali lipa leo. Asante!",
        owner.user_id,
        "en",
    )

    expect(page.get_by_text("Daudi has no phone number: this reminder can only be skipped.")).to_be_visible()
    expect(page.get_by_role("link", name=WHATSAPP)).to_have_count(0)
    page.get_by_role("button", name="Skip").click()
    settled(page)
    expect(page.get_by_text("Round finished: 3 sent, 1 skipped.")).to_be_visible()
    assert len(_reminders(owner.shop_id)) == 3

    # the next round leaves out everyone just reminded: only Daudi, skipped, is due
    expect(page.get_by_text("1 customer is due for a reminder, owing Ksh 135.00.")).to_be_visible()
    page.get_by_role("button", name="Start a new round").click()
    settled(page)
    next_card(page, 1, 1)
    expect(page.get_by_text("Daudi", exact=True)).to_be_visible()
    assert collections.due_for_reminder(owner)["name"].tolist() == ["Daudi"]


@pytest.fixture(scope="module")
def demo_shop(database):
    """The demo shop the simulator seeds (one shop, 8 customers, 2 months up to today) in the test database: its
    owner (Actor) and phone."""
    args = ["--demo", "--customers", "8", "--months", "2", "--seed", "14", "--expenses-per-month", "3"]
    assert simulate.main(args) == 0
    phone = simulate.demo_phone(1, "owner")
    user = members.login(phone, simulate.DEMO_PASSWORD)
    [membership] = members.memberships(user["id"])
    return Actor(user["id"], membership["shop_id"]), phone


def test_a_round_over_the_demo_shop_records_each_reminder_and_the_next_round_leaves_them_out(
    server_url, phone, demo_shop
):
    owner, owner_phone = demo_shop
    due = collections.due_for_reminder(owner)
    assert len(due) >= 2, due  # the demo has someone to remind
    page = phone
    page.goto(server_url)
    form = panel(page)
    form.get_by_label("Phone number").fill(owner_phone)
    form.get_by_label("Password", exact=True).fill(simulate.DEMO_PASSWORD)
    form.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    go(page, "Reminders", "Reminders")
    page.get_by_role("button", name="Start a round").click()
    settled(page)
    sent, skipped = [], []
    for at, row in enumerate(due.itertuples(), start=1):
        next_card(page, at, len(due))
        expect(page.get_by_text(row.name, exact=True)).to_be_visible()
        if not isinstance(row.phone, str) or not row.phone:
            page.get_by_role("button", name="Skip").click()
            settled(page)
            skipped.append(row.customer_id)
        elif at % 2:
            assert tap_whatsapp(page).startswith(f"https://wa.me/{row.phone.lstrip('+')}?text=")
            sent.append((row.customer_id, "whatsapp"))
        else:
            assert tap_sms(page).startswith(f"sms:{row.phone}?body=")
            sent.append((row.customer_id, "sms"))
    next_card(page, len(due) + 1, len(due))
    expect(page.get_by_text(f"Round finished: {len(sent)} sent, {len(skipped)} skipped.")).to_be_visible()
    recorded = _reminders(owner.shop_id)
    assert [(customer, channel) for customer, channel, *_ in recorded] == sent
    assert all(sent_by == owner.user_id and language == "en" for *_, sent_by, language in recorded)
    names = dict(zip(due["customer_id"], due["name"]))
    assert all(names[customer].split()[0] in text for customer, _, text, *_ in recorded)  # each their own message
    # the next round: only those skipped (no phone) are due still
    assert sorted(collections.due_for_reminder(owner)["customer_id"]) == sorted(skipped)
    if skipped:
        expect(page.get_by_role("button", name="Start a new round")).to_be_visible()
    else:
        expect(page.get_by_text("Nobody is due for a reminder right now.")).to_be_visible()


def test_a_reminder_sent_from_the_ledger_is_recorded_and_listed_there(server_url, phone, small_shop):
    """The ledger's own WhatsApp tap is the same one tap: it opens the message and records it, so the ledger's list
    of reminders sent (and the next round) knows of it."""
    owner, owner_phone, ids = small_shop
    page = phone
    log_in(page, server_url, owner_phone)
    go(page, "Customer ledger", "Customer ledger")
    picker = page.get_by_role("combobox", name="Customer")
    picker.click()
    picker.fill("Akinyi")
    page.get_by_role("option").filter(has_text="Akinyi").first.click()
    settled(page)
    akinyi = collections.message(owner, {"customer_id": ids["Akinyi"]}, "en")
    url = tap_whatsapp(page)
    assert unquote(url.split("?text=", 1)[1]) == akinyi
    expect(page.get_by_text("Reminder to Akinyi recorded.")).to_be_visible()
    assert _reminders(owner.shop_id) == [(ids["Akinyi"], "whatsapp", akinyi, owner.user_id, "en")]
    assert "Akinyi" not in collections.due_for_reminder(owner)["name"].tolist()
