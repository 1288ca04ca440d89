"""The whole shopkeeper path in a real headless Chromium against a real Streamlit server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from duka import book
from support import MESSY, PASSWORD, TEST_DB, new_phone, register_owner

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
expect.set_options(timeout=20_000)  # a 2-core machine running the whole suite can be slow to rerun a page
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server_url(database):
    port = _free_port()
    env = dict(os.environ, MYSQL_DATABASE=TEST_DB)
    log = open(ROOT / ".data" / "streamlit-test.log", "wb")  # noqa: SIM115 (open while the server runs)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("streamlit did not start; see .data/streamlit-test.log")
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: ./daftari test installs it"
    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone_page(browser):
    """A 390-pixel-wide phone browser."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def panel(page: Page):
    return page.locator('[role="tabpanel"]:visible')


def metric(page: Page, label: str):
    return page.locator('[data-testid="stMetric"]', has_text=label).locator('[data-testid="stMetricValue"]')


def no_sideways_scroll(page: Page) -> None:
    """Neither the document nor Streamlit's own scrolling main area is wider than the phone."""
    widths = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]');
        return [document.documentElement.scrollWidth, main.scrollWidth, main.clientWidth];
    }""")
    assert widths[0] <= 390 and widths[1] <= widths[2], widths


def go(page: Page, link: str, heading: str) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    if sidebar.get_attribute("data-collapsed") == "true":
        page.locator('[data-testid="stExpandSidebarButton"]').click()  # collapsed on a phone
    sidebar.locator("a", has_text=link).click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    if sidebar.get_attribute("data-collapsed") == "false":  # on a phone it would cover the page
        sidebar.locator('[data-testid="stSidebarCollapseButton"] button').click()
    page.wait_for_timeout(300)


def test_a_shopkeeper_registers_sells_on_credit_is_paid_and_the_customer_leaves_the_debtors(server_url, phone_page):
    page, phone = phone_page, new_phone()
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server_url)
    expect(page.get_by_role("heading", name="Daftari")).to_be_visible()

    page.get_by_role("tab", name="Register").click()
    form = panel(page)
    form.get_by_label("First name").fill("Mama")
    form.get_by_label("Last name").fill("Mboga")
    form.get_by_label("Phone number").fill(phone)
    form.get_by_label("Shop name").fill("Mboga Fresh")
    form.get_by_label("Password (at least 8 characters)").fill(PASSWORD)
    form.get_by_label("Password again").fill(PASSWORD)
    no_sideways_scroll(page)
    form.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Account created")).to_be_visible()

    page.get_by_role("tab", name="Log in").click()
    form = panel(page)
    form.get_by_label("Phone number").fill(phone)
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(metric(page, "Total outstanding")).to_have_text("KES 0.00")

    go(page, "Record a credit sale", "Record a credit sale")
    page.get_by_text("New customer").click()
    page.get_by_label("Customer name").fill("Wanjiku Kamau")
    page.get_by_label("Product").fill("Sukuma wiki and tomatoes")
    page.get_by_label("Total (KES)").fill("1,000")
    no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "record-sale-390px.png"), full_page=True)
    page.get_by_role("button", name="Record sale").click()
    expect(page.get_by_text("Wanjiku Kamau now owes KES 1,000.00")).to_be_visible()

    go(page, "Record a payment", "Record a payment")
    page.get_by_label("Amount (KES)").fill("400")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("still owes KES 600.00")).to_be_visible()

    go(page, "Dashboard", "Dashboard")
    expect(metric(page, "Total outstanding")).to_have_text("KES 600.00")
    expect(metric(page, "Collected today")).to_have_text("KES 400.00")
    expect(metric(page, "Active debtors")).to_have_text("1")
    no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "dashboard-390px.png"), full_page=True)

    go(page, "Record a payment", "Record a payment")
    page.get_by_label("Amount (KES)").fill("601")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("Overpayment refused: this customer's balance is KES 600.00")).to_be_visible()
    page.get_by_label("Amount (KES)").fill("600")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("has paid everything and leaves the debtors list")).to_be_visible()

    go(page, "Debtors", "Debtors")
    expect(page.get_by_text("Nobody owes anything right now.")).to_be_visible()
    no_sideways_scroll(page)

    go(page, "Customer ledger", "Customer ledger")
    expect(metric(page, "Wanjiku Kamau owes")).to_have_text("KES 0.00")
    no_sideways_scroll(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download statement (CSV)").click()
    statement = Path(download.value.path()).read_text().splitlines()
    assert [line.split(",")[1] for line in statement[1:]] == ["Sale", "Payment", "Payment"]
    assert statement[-1].split(",")[-2] == "0.00"  # running balance
    page.screenshot(path=str(ARTIFACTS / "ledger-390px.png"), full_page=True)


def log_in(page: Page, url: str, phone: str) -> None:
    page.goto(url)
    form = panel(page)
    form.get_by_label("Phone number").fill(phone)
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_names_with_html_markdown_and_sql_are_shown_exactly_as_typed(server_url, phone_page):
    owner, phone = register_owner()
    name = "<script>alert('x')</script> *Mama* $5$ :red[Mboga] -- ' OR 1=1"
    book.record_sale(owner, book.add_customer(owner, name), "<b>Sugar</b>", total="10")
    page = phone_page
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    log_in(page, server_url, phone)
    go(page, "Customer ledger", "Customer ledger")
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
        page.locator('input[type="file"]').set_input_files(
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
