"""Sessions and invitations in a real Chromium at 390 px: a refresh keeps you signed in on the same page, a
logout in one tab signs the other out on its next action, and an invited clerk joins and works."""

from __future__ import annotations

from playwright.sync_api import expect

from duka import members
from support import PASSWORD, go, log_in, new_phone, no_sideways_scroll, panel, register, register_owner, settled


def test_a_refresh_keeps_you_signed_in_on_the_same_page_and_a_logout_reaches_every_tab(server_url, phone_page):
    _, phone = register_owner()
    page = phone_page
    log_in(page, server_url, phone)
    go(page, "Expenses", "Expenses")
    cookie = next(c for c in page.context.cookies() if c["name"] == "daftari_session")
    assert cookie["sameSite"] == "Strict" and not cookie["httpOnly"] and cookie["expires"] > 0
    page.reload()  # F5
    expect(page.get_by_role("heading", name="Expenses", exact=True)).to_be_visible()
    settled(page)
    assert page.url.endswith("/Expenses")
    expect(page.get_by_role("button", name="Log in")).to_have_count(0)

    other = page.context.new_page()  # a second tab of the same browser
    other.goto(f"{server_url}/Debtors")  # a bookmarked page
    expect(other.get_by_role("heading", name="Debtors")).to_be_visible()
    settled(other)

    sidebar = page.locator('[data-testid="stSidebar"]')
    if sidebar.get_attribute("data-collapsed") == "true":
        page.locator('[data-testid="stExpandSidebarButton"]').click()
    sidebar.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()

    other_sidebar = other.locator('[data-testid="stSidebar"]')
    if other_sidebar.get_attribute("data-collapsed") == "true":
        other.locator('[data-testid="stExpandSidebarButton"]').click()
    other_sidebar.get_by_role("link", name="Dashboard", exact=True).click()  # its next action
    expect(other.get_by_text("You were logged out")).to_be_visible()
    expect(other.get_by_role("button", name="Log in")).to_be_visible()
    other.reload()  # and the cookie no longer signs anyone in
    expect(other.get_by_role("button", name="Log in")).to_be_visible()


def test_a_bookmarked_page_asks_for_the_login_then_opens_that_page(server_url, phone_page):
    _, phone = register_owner()
    page = phone_page
    page.goto(f"{server_url}/Expenses")
    form = panel(page)
    form.get_by_label("Phone number").fill(phone)
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Expenses", exact=True)).to_be_visible()


def test_an_owner_invites_an_unregistered_phone_who_registers_accepts_and_records_a_sale(
    server_url, browser, phone_page
):
    owner, owner_phone = register_owner("Duka la Baraka")
    page = phone_page
    log_in(page, server_url, owner_phone)
    go(page, "Shop members", "Shop members")
    clerk_phone = new_phone()
    page.get_by_label("Their phone number").fill(clerk_phone)
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text("Invited as clerk")).to_be_visible()
    expect(page.get_by_text("as clerk, until")).to_be_visible()
    no_sideways_scroll(page)

    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        clerk = context.new_page()
        clerk.set_default_timeout(20000)
        register(clerk, server_url, clerk_phone, shop="", first="Baraka")
        expect(clerk.get_by_text("invites you as")).to_be_visible()
        no_sideways_scroll(clerk)
        clerk.get_by_role("button", name="Accept").click()
        expect(clerk.get_by_role("heading", name="Dashboard")).to_be_visible()
        settled(clerk)
        go(clerk, "Record a credit sale", "Record a credit sale")
        clerk.get_by_text("New customer").click()
        settled(clerk)
        clerk.get_by_label("Customer name").fill("Mama Njeri")
        clerk.get_by_label("Product").fill("Sukuma wiki")
        clerk.get_by_label("Total (Ksh)").fill("120")
        clerk.get_by_role("button", name="Record sale").click()
        expect(clerk.get_by_text("Mama Njeri now owes Ksh 120.00")).to_be_visible()
    finally:
        context.close()
    roles = dict(zip(members.members(owner)["phone"], members.members(owner)["role"]))
    assert len(roles) == 2 and "clerk" in roles.values()
