"""What the tests share besides fixtures: the test database, people and shops, the expense fixture worked
out by hand, and AppTest helpers. Test modules import from here, never from each other.

Importing it points this process at its own test database and a cheaper bcrypt work factor; the app reads
both when it connects or hashes, never at import, so the order of imports does not matter."""

from __future__ import annotations

import itertools
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

TEST_DB = f"daftari_test_{os.getpid()}"
os.environ["MYSQL_DATABASE"] = TEST_DB
os.environ.setdefault("DAFTARI_BCRYPT_ROUNDS", "4")  # real bcrypt, cheaper work factor

import mysql.connector  # noqa: E402
from playwright.sync_api import Page, expect  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from db import config  # noqa: E402
from duka import expenses, invitations, members  # noqa: E402
from duka.members import Actor  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Sokoni-2026!"
_phones = itertools.count(1)

# (day, category, amount, mode, cashback, description) — weekdays: 5 Jan Mon, 10 Jan Sat, 20 Jan Tue,
# 3 Feb Tue, 10 Feb Tue, 14 Feb Sat (2026). tests/test_expenses.py works its figures out by hand.
FIXTURE = [
    (date(2026, 1, 5), "Groceries", "100.00", "Cash", "0", "Groceries at Naivas"),
    (date(2026, 1, 5), "Food", "50.50", "M-Pesa", "2.50", "Lunch"),
    (date(2026, 1, 10), "Rent", "1000.00", "Bank transfer", "0", "January rent"),
    (date(2026, 1, 20), "Groceries", "200.00", "Credit Card", "10.00", "Groceries at Carrefour"),
    (date(2026, 2, 3), "Food", "75.25", "M-Pesa", "0", "Dinner"),
    (date(2026, 2, 10), "Rent", "1000.00", "Bank transfer", "0", "February rent"),
    (date(2026, 2, 14), "Entertainment", "300.00", "Credit Card", "30.00", "Cinema"),
]

# A CSV as people really send them: mixed date and amount formats, bad rows, a duplicate, formulas.
MESSY = """Date;Amount;Category;Mode;Cashback;Description
2026-03-01;1.250,50;Groceries;mpesa;0;Weekly shop
31/03/2026;"2,000";Rent;Bank transfer;;March rent
2026-03-05;abc;Food;Cash;0;Broken amount
2026-13-45;10;Food;Cash;0;Broken date
05 Mar 2026;50;Matatu fares;cash;;Bus
05 Mar 2026;50;Matatu fares;cash;;Bus
2026-03-06;10;Food;Barter;0;Unknown mode
2026-03-07;=HYPERLINK("http://evil","click");Food;Cash;0;Formula amount
2026-03-08;20;Food;Cash;0;=HYPERLINK("http://evil","click")
"""


def admin_connection(with_database: bool = True):
    """A plain connection with the admin account, as any SQL client (or a person at the server) would open one."""
    return mysql.connector.connect(**config.admin_settings().connect_args(with_database=with_database))


def phone_of(user_id: int) -> str:
    """A user's phone number, read as any SQL client would."""
    conn = admin_connection()
    try:
        cur = conn.cursor()
        cur.execute("SELECT phone FROM users WHERE id = %s", (user_id,))
        return cur.fetchone()[0]
    finally:
        conn.close()


def join(owner: Actor, phone: str, role: str) -> Actor:
    """The registered user with this phone joins the owner's shop as `role`: invited, then accepting."""
    invitation_id = invitations.invite(owner, phone, "clerk" if role == "owner" else role)
    user_id = members.login(phone, PASSWORD)["id"]
    invitee = Actor(user_id, owner.shop_id)
    invitations.accept(invitee, invitation_id)
    if role == "owner":  # an owner is invited as clerk and made owner once a member
        members.change_role(owner, user_id, "owner")
    return invitee


def new_phone() -> str:
    """A Kenyan mobile number no other test of this run uses."""
    return f"07{20000000 + next(_phones) * 7 + os.getpid() % 7:08d}"


def register_owner(shop_name: str = "Duka la Mama", first: str = "Amina") -> tuple[Actor, str]:
    """A new user who owns a new shop: (Actor, phone)."""
    phone = new_phone()
    ids = members.register(first, "Otieno", phone, PASSWORD, shop_name)
    return Actor(ids["user_id"], ids["shop_id"]), phone


def category_ids(actor: Actor) -> dict[str, int]:
    """The shop's categories, name -> id."""
    frame = expenses.categories(actor)
    return dict(zip(frame["name"], frame["category_id"]))


def seed_expenses(actor: Actor, rows=FIXTURE) -> Actor:
    """Record the fixture's expenses (or some of them) in the actor's shop."""
    ids = category_ids(actor)
    for day, category, amount, mode, cashback, text in rows:
        expenses.add_expense(actor, ids[category], day, amount, mode, cashback, text)
    return actor


def new_app() -> AppTest:
    """The app at its front door, not yet run."""
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)


def signed_in(actor: Actor, page: str | None = None, language: str | None = None) -> AppTest:
    """An app whose session holds the actor, as after a login, opened at a page (in `language`, 'en' or 'sw',
    when given)."""
    at = new_app()
    if language:
        at.session_state["language"] = language
    shops = members.memberships(actor.user_id)
    user = members.login(phone_of(actor.user_id), PASSWORD)  # a real session on the server, as a login makes
    at.session_state["user"] = {k: user[k] for k in ("id", "first_name", "last_name", "phone")}
    at.session_state["session_token"] = user["token"]
    at.session_state["shops"] = shops
    at.session_state["shop_id"] = actor.shop_id
    at.session_state["role"] = next(s["role"] for s in shops if s["shop_id"] == actor.shop_id)
    if page:
        at.switch_page(page)
    return at.run()


def click(at: AppTest, label: str) -> AppTest:
    """Click the one button with this label and run the script again."""
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def money_format(table, column: str) -> str | None:
    """The number format a shown table gives a column (None if it shows the column as it is)."""
    config = json.loads(table.proto.columns or "{}").get(column, {})
    return config.get("type_config", {}).get("format")


def unescaped(text: str) -> str:
    """What the person reads of a markdown-escaped text (see ui/text.py)."""
    return re.sub(r"\\(.)", r"\1", str(text)).replace("\u2060", "")


def texts(elements) -> str:
    """What the person reads of these elements, joined by ' | '."""
    return unescaped(" | ".join(str(e.value) for e in elements))


# --- a real browser (the fixtures are in conftest.py) ---------------------------------------------

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
expect.set_options(timeout=20_000)  # a 2-core machine running the whole suite can be slow to rerun a page


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
    sidebar.get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    if sidebar.get_attribute("data-collapsed") == "false":  # on a phone it would cover the page
        sidebar.locator('[data-testid="stSidebarCollapseButton"] button').click()
    settled(page)


def settled(page: Page) -> None:
    """Wait until the app's run has finished drawing: no stale element left, no 'running' sign."""
    page.wait_for_timeout(150)  # a click's rerun starts a moment after the click
    page.wait_for_function(
        """() => !document.querySelector('[data-stale="true"]')
               && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"],'
                                          + '[data-testid="stStatusWidgetRunningManIcon"]')"""
    )


def download_from_tab(page: Page, tab: str, button: str) -> Path:
    """Open a tab drawn only while open (its switch reruns the page), wait until that run has drawn `button` and
    finished, then take its download. A click while the run is still drawing is lost: a CI run on a loaded machine
    saw the rerun start after settled()'s first look, and the statement never came."""
    page.get_by_role("tab", name=tab).click()
    expect(page.get_by_role("button", name=button)).to_be_visible()
    settled(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    return Path(download.value.path())


def register(page: Page, url: str, phone: str, shop: str = "Mboga Fresh", first: str = "Mama") -> None:
    """Register through the form at 390 px (with no shop name: someone invited); registering signs you in and
    shows the recovery codes once; past them, the Dashboard (or, without a shop, the invitations)."""
    page.goto(url)
    page.get_by_role("tab", name="Register").click()
    form = panel(page)
    form.get_by_label("First name").fill(first)
    form.get_by_label("Last name").fill("Mboga")
    form.get_by_label("Phone number").fill(phone)
    form.get_by_label("Shop name").fill(shop)
    form.get_by_label("Password (at least 8 characters)").fill(PASSWORD)
    form.get_by_label("Password again").fill(PASSWORD)
    no_sideways_scroll(page)
    form.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("shown only this once")).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_role("button", name="I have saved them").click()
    if shop:
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def log_in(page: Page, url: str, phone: str) -> None:
    """Sign in through the login form and wait for the dashboard."""
    page.goto(url)
    form = panel(page)
    form.get_by_label("Phone number").fill(phone)
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


# --- the REST API over real HTTP ------------------------------------------------------------------


def api_client(url: str, token: str | None = None):
    """An httpx client for the API at `url`, sending the token as a bearer (none: no Authorization header)."""
    import httpx

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=url, headers=headers, timeout=30)


def api_token(actor: Actor, read_only: bool = False, name: str = "Tests") -> str:
    """A new API token of the actor for their shop (the plain token)."""
    from duka import tokens

    return tokens.create(actor, name, read_only)


# --- the REST API over real HTTP (the fixtures are in conftest.py) -------------------------------------


def free_port() -> int:
    """A localhost port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_api(env_extra: dict | None = None, log_name: str = "api-test.log"):
    """`python -m api` on a free localhost port against the test database, once /api/v1/health answers:
    (url, process, log file)."""
    port = free_port()
    env = dict(os.environ, MYSQL_DATABASE=TEST_DB, API_PORT=str(port), API_HOST="127.0.0.1", **(env_extra or {}))
    log = open(ROOT / ".data" / log_name, "wb")  # noqa: SIM115 (open while the server runs)
    proc = subprocess.Popen([sys.executable, "-m", "api"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/api/v1/health", timeout=2).status == 200:
                return url, proc, log
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    proc.kill()
    log.close()
    raise RuntimeError(f"the API did not start; see .data/{log_name}")


def stop_api(proc, log) -> None:
    proc.terminate()
    proc.wait(timeout=10)
    log.close()
