"""The whole shopkeeper path in a real headless Chromium against a real Streamlit server (fixtures in
conftest.py, helpers in support.py)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from duka import book, expenses
from duka.clock import today
from support import (
    ARTIFACTS,
    MESSY,
    download_from_tab,
    go,
    log_in,
    metric,
    new_phone,
    no_sideways_scroll,
    register,
    register_owner,
    settled,
)


def test_a_shopkeeper_registers_sells_on_credit_is_paid_and_the_customer_leaves_the_debtors(server_url, phone_page):
    page, phone = phone_page, new_phone()
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server_url)
    expect(page.get_by_role("heading", name="Daftari")).to_be_visible()
    register(page, server_url, phone)
    expect(metric(page, "Total outstanding")).to_have_text("Ksh 0.00")

    go(page, "Record a credit sale", "Record a credit sale")
    page.get_by_text("New customer").click()
    settled(page)
    page.get_by_label("Customer name").fill("Wanjiku Kamau")
    page.get_by_label("Product").fill("Sukuma wiki and tomatoes")
    page.get_by_label("Total (Ksh)").fill("1,000")
    no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "record-sale-390px.png"), full_page=True)
    page.get_by_role("button", name="Record sale").click()
    expect(page.get_by_text("Wanjiku Kamau now owes Ksh 1,000.00")).to_be_visible()

    go(page, "Record a payment", "Record a payment")
    choose_customer(page, "Wanjiku Kamau · owes Ksh 1,000.00")
    page.get_by_label("Amount (Ksh)").fill("400")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("still owes Ksh 600.00")).to_be_visible()

    go(page, "Dashboard", "Dashboard")
    expect(metric(page, "Total outstanding")).to_have_text("Ksh 600.00")
    expect(metric(page, "Collected today")).to_have_text("Ksh 400.00")
    expect(metric(page, "Active debtors")).to_have_text("1")
    no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "dashboard-390px.png"), full_page=True)

    go(page, "Record a payment", "Record a payment")
    choose_customer(page, "Wanjiku Kamau · owes Ksh 600.00")
    page.get_by_label("Amount (Ksh)").fill("601")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("Overpayment refused: this customer's balance is Ksh 600.00")).to_be_visible()
    page.get_by_label("Amount (Ksh)").fill("600")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("has paid everything and leaves the debtors list")).to_be_visible()

    go(page, "Debtors", "Debtors")
    expect(page.get_by_text("Nobody owes anything right now.")).to_be_visible()
    no_sideways_scroll(page)

    go(page, "Customer ledger", "Customer ledger")
    choose_customer(page, "Wanjiku Kamau · owes nothing")
    expect(metric(page, "Wanjiku Kamau owes")).to_have_text("Ksh 0.00")
    no_sideways_scroll(page)
    statement = download_from_tab(page, "Statement", "Statement (CSV)").read_text(encoding="utf-8-sig").splitlines()
    assert statement[0].startswith("Date,Details,Sale (KES),Paid (KES),Balance (KES)")
    assert statement[-1].split(",")[-1] == "0.00"  # the closing balance
    page.screenshot(path=str(ARTIFACTS / "ledger-statement-390px.png"), full_page=True)


def choose_customer(page: Page, label: str) -> None:
    """Nobody is pre-selected: type in the customer picker and take the option."""
    box = page.get_by_role("combobox", name="Customer")
    box.click()
    box.fill(label.split(" · ")[0])
    page.get_by_role("option", name=label).click()


def test_names_with_html_markdown_and_sql_are_shown_exactly_as_typed(server_url, phone_page):
    owner, phone = register_owner()
    name = "<script>alert('x')</script> *Mama* $5$ :red[Mboga] -- ' OR 1=1"
    book.record_sale_to_new_customer(owner, name, None, "<b>Sugar</b>", "10")
    page = phone_page
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    log_in(page, server_url, phone)
    go(page, "Customer ledger", "Customer ledger")
    page.locator('[data-testid="stMain"]').get_by_role("combobox").first.click()  # nobody is pre-selected
    page.get_by_role("option").first.click()
    label = page.locator('[data-testid="stMetricLabel"]').first.inner_text()
    assert label.replace("\u2060", "") == f"{name} owes"
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("script, b, em, .katex").count() == 0
    assert alerts == []


def test_a_messy_csv_is_checked_imported_and_not_duplicated_on_a_second_import(server_url, phone_page):
    _, phone = register_owner()
    page = phone_page
    log_in(page, server_url, phone)
    for attempt in ("first", "second"):
        go(page, "Import expenses", "Import expenses")
        page.locator('input[type="file"]').first.set_input_files(  # the expense tab comes first
            files=[{"name": "messy.csv", "mimeType": "text/csv", "buffer": MESSY.encode()}]
        )
        duplicates = "0" if attempt == "first" else "5"
        expect(
            page.get_by_text(f"5 rows are good, 4 have problems, {duplicates} look already recorded.")
        ).to_be_visible()
        expect(page.get_by_text("New categories will be created: Matatu fares")).to_be_visible(
            visible=attempt == "first"
        )
        no_sideways_scroll(page)
        page.get_by_role("button", name="Import", exact=True).click()
        imported = "5" if attempt == "first" else "0"
        expect(
            page.get_by_text(
                f"Imported {imported} expenses; skipped {duplicates} already recorded and 4 with problems."
            )
        ).to_be_visible()


def test_html_in_a_customer_name_is_no_link_in_the_top_debtors_chart(server_url, phone_page):
    owner, phone = register_owner()
    name = '<a href="https://evil.example/pay">Pay fee</a>'
    book.record_sale_to_new_customer(owner, name, None, "Sugar", "500")
    page = phone_page
    log_in(page, server_url, phone)
    go(page, "Analyst questions", "Analyst questions")
    sidebar = page.locator('[data-testid="stSidebar"]')
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    sidebar.get_by_role("combobox").click()
    page.keyboard.type("Top debtors")  # the list shows only its first options until searched
    page.get_by_role("option", name="Debts · Top debtors").click()
    sidebar.locator('[data-testid="stSidebarCollapseButton"] button').click()
    expect(page.get_by_role("heading", name="Top debtors")).to_be_visible()
    chart = page.locator(".js-plotly-plot")
    expect(chart.get_by_text(name)).to_be_visible()  # the name as typed, a tick label
    assert chart.locator("a").count() == 0  # Plotly draws <a href> in labels as a link unless it is escaped
    assert page.locator('a[href*="evil.example"]').count() == 0


def test_markdown_in_a_category_name_renders_as_text_on_the_budgets_page(server_url, phone_page):
    owner, phone = register_owner()
    name = "[Pay](https://evil.example) ![t](https://evil.example/p.png)"
    expenses.add_expense(owner, expenses.add_category(owner, name, None, "100"), today(), "120")
    page = phone_page
    log_in(page, server_url, phone)
    go(page, "Categories and budgets", "Categories and budgets")
    line = page.locator('[data-testid="stAlert"]', has_text="Over budget.")
    expect(line).to_be_visible()
    assert line.inner_text().replace("\u2060", "").startswith(f"Over budget. {name}: Ksh 120.00 of Ksh 100.00")
    assert page.locator('a[href*="evil.example"]').count() == 0
    assert page.locator('img[src*="evil.example"]').count() == 0
    no_sideways_scroll(page)


def test_a_refused_expense_keeps_what_was_typed_and_the_reason_is_on_screen(server_url, phone_page):
    _, phone = register_owner()
    page = phone_page
    log_in(page, server_url, phone)
    page.locator('[data-testid="stExpandSidebarButton"]').click()  # go() would match "Import expenses" too
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Expenses", exact=True).click()
    expect(page.get_by_role("heading", name="Expenses", exact=True)).to_be_visible()
    page.locator('[data-testid="stSidebarCollapseButton"] button').click()
    form = page.locator('[data-testid="stForm"]').first
    form.get_by_label("Amount (Ksh)").fill("abc")
    form.get_by_label("Cashback (Ksh, optional)").fill("5")
    form.get_by_label("Description").fill("Chapati for the staff")
    form.get_by_role("button", name="Add expense").click()
    reason = form.locator('[data-testid="stAlert"]')
    expect(reason).to_contain_text("is not a number")
    expect(reason).to_be_in_viewport()
    expect(form.get_by_label("Amount (Ksh)")).to_have_value("abc")
    expect(form.get_by_label("Cashback (Ksh, optional)")).to_have_value("5")
    expect(form.get_by_label("Description")).to_have_value("Chapati for the staff")
    form.get_by_label("Amount (Ksh)").fill("Ksh 300")
    form.get_by_role("button", name="Add expense").click()
    expect(page.get_by_text("Expense of Ksh 300.00 added.")).to_be_visible()
    expect(form.get_by_label("Amount (Ksh)")).to_have_value("")
    expect(form.get_by_label("Description")).to_have_value("")


def test_pickers_show_a_category_and_an_expense_as_they_are_after_a_change(server_url, phone_page):
    owner, phone = register_owner()
    expenses.add_expense(
        owner, expenses.add_category(owner, "Airtime", None, None), today(), "100", "Cash", None, "Safaricom"
    )
    page = phone_page
    log_in(page, server_url, phone)
    go(page, "Categories and budgets", "Categories and budgets")
    page.get_by_text("Rename, budget or delete a category").click()
    expect(page.get_by_label("Category", exact=True)).to_have_value("Airtime")
    page.get_by_label("Name", exact=True).last.fill("Airtime and data")  # the first is "Add a category"
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Category renamed to Airtime and data")).to_be_visible()
    settled(page)
    expect(page.get_by_label("Category", exact=True)).to_have_count(1)  # the rerun has finished drawing
    if not page.get_by_label("Category", exact=True).is_visible():
        page.get_by_text("Rename, budget or delete a category").click()
        settled(page)
    expect(page.get_by_label("Category", exact=True)).to_have_value("Airtime and data")  # the browser kept "Airtime"

    page.locator('[data-testid="stExpandSidebarButton"]').click()  # go() would match "Import expenses" too
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Expenses", exact=True).click()
    expect(page.get_by_role("heading", name="Expenses", exact=True)).to_be_visible()
    settled(page)
    page.locator('[data-testid="stSidebarCollapseButton"] button').click()
    page.get_by_text("Correct an expense").click()
    settled(page)
    expect(page.get_by_label("Expense", exact=True)).to_have_value(f"{today()} · Airtime and data · Safaricom · 100.00")
    page.get_by_label("Amount", exact=True).fill("120")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text("Expense corrected")).to_be_visible()
    settled(page)
    if not page.get_by_label("Expense", exact=True).is_visible():
        page.get_by_text("Correct an expense").click()
        settled(page)
    expect(page.get_by_label("Expense", exact=True)).to_have_value(f"{today()} · Airtime and data · Safaricom · 120.00")


def test_the_api_tokens_and_m_pesa_pages_work_at_390_px(server_url, phone_page):
    """Issue 12's screens on a phone: a token is made and shown once, the Paybill saved and the callback URLs made,
    nothing wider than the screen."""
    _, phone = register_owner()
    page = phone_page
    log_in(page, server_url, phone)
    go(page, "API tokens", "API tokens")
    page.get_by_label("What it is for").fill("Accounting sync")
    page.get_by_role("button", name="Make token").click()
    settled(page)
    expect(page.get_by_text("dft_", exact=False).first).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "api-tokens-390px.png"), full_page=True)
    go(page, "M-Pesa", "M-Pesa")
    page.get_by_label("Paybill number (reminders and statements say where to pay)").fill("522533")
    page.get_by_role("button", name="Save Paybill number").click()
    settled(page)
    page.get_by_label("The API's public HTTPS address").fill("https://duka.example.co.ke")
    page.get_by_role("button", name="Make callback URLs").click()
    settled(page)
    expect(page.get_by_text("/c2b/confirmation", exact=False).first).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "m-pesa-390px.png"), full_page=True)
