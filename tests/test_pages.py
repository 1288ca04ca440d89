"""Every page under AppTest against the real database: login, routing, roles, forms, messages."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import db
from db import cache
from duka import book, dashboard, members
from duka.clock import today
from duka.members import Actor
from duka.periods import add_months, month_start
from support import PASSWORD, click, money_format, new_app, new_phone, register_owner, signed_in, texts
from ui.text import plain

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
LOGIN_TITLE = "📒 Daftari"
READING = {
    "pages/1_Dashboard.py",
    "pages/2_Debtors.py",
    "pages/3_Customer.py",
    "pages/7_Expenses.py",
    "pages/8_Budgets.py",
    "pages/9_Analytics.py",
    "pages/10_Shop_overview.py",
}
ALLOWED = {
    "owner": set(PAGES),
    "clerk": set(PAGES) - {"pages/6_Members.py", "pages/12_Questions.py"},
    "analyst": READING | {"pages/12_Questions.py"},
}


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def test_a_registered_user_logs_in_through_the_form_and_lands_on_the_dashboard():
    owner, phone = register_owner()
    at = new_app().run()
    at.text_input(key="login_phone").input(phone)
    at.text_input(key="login_password").input(PASSWORD)
    at = click(at, "Log in")
    assert not at.exception
    assert titles(at) == ["Dashboard"]
    assert at.session_state["user"]["id"] == owner.user_id and at.session_state["role"] == "owner"


def test_a_wrong_password_shows_the_generic_message_only():
    _, phone = register_owner()
    at = new_app().run()
    at.text_input(key="login_phone").input(phone)
    at.text_input(key="login_password").input("not-the-password")
    at = click(at, "Log in")
    assert texts(at.error) == members.LOGIN_FAILED
    assert titles(at) == [LOGIN_TITLE]


def _fill_registration(at: AppTest, phone: str, password: str = PASSWORD, again: str = PASSWORD) -> AppTest:
    at.text_input(key="register_first").input("Neema")
    at.text_input(key="register_last").input("Achieng")
    at.text_input(key="register_phone").input(phone)
    at.text_input(key="register_shop").input("Neema's Kiosk")
    at.text_input(key="register_password").input(password)
    at.text_input(key="register_again").input(again)
    return click(at, "Create my account")


def test_registering_through_the_form_then_a_duplicate_phone_is_refused():
    phone = new_phone()
    at = _fill_registration(new_app().run(), phone)
    assert "Account created" in texts(at.success)
    at = _fill_registration(new_app().run(), phone)
    assert "already exists" in texts(at.error)
    assert not at.exception


def test_registration_with_mismatched_or_weak_passwords_explains_why():
    at = _fill_registration(new_app().run(), new_phone(), again="something-else")
    assert "passwords differ" in texts(at.error)
    at = _fill_registration(new_app().run(), new_phone(), password="password123", again="password123")
    assert "too common" in texts(at.error)


@pytest.mark.parametrize("page", PAGES)
def test_a_logged_out_visitor_to_any_page_lands_on_the_login(page):
    at = new_app()
    at.switch_page(page)
    at.run()
    assert not at.exception
    assert titles(at) == [LOGIN_TITLE]


@pytest.mark.parametrize("role", ["owner", "clerk", "analyst"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_every_role_or_refuses_politely(staffed_shop, role, page):
    owner = staffed_shop["owner"]
    customer = book.add_customer(owner, "Mzee Juma", "0711000222")
    debt = book.record_sale(owner, customer, "Paraffin", total="250")
    book.record_payment(owner, debt, "50")
    at = signed_in(staffed_shop[role], page)
    assert not at.exception, at.exception
    assert not at.error, texts(at.error)
    if page in ALLOWED[role]:
        assert not at.warning
    else:
        assert f"{'An' if role == 'analyst' else 'A'} {role} cannot open this page." in texts(at.warning)


def test_the_sidebar_shows_only_the_pages_a_role_may_open(staffed_shop):
    for role, allowed in ALLOWED.items():
        at = signed_in(staffed_shop[role], "pages/1_Dashboard.py")
        links = {link.proto.page for link in at.sidebar.get("page_link")}
        assert links == {Path(page).stem.split("_", 1)[1] for page in allowed}, role


def test_recording_a_sale_to_a_new_customer_and_a_part_payment_through_the_pages(shop):
    at = signed_in(shop, "pages/4_Record_sale.py")
    at.radio(key="sale_page_who").set_value("New customer").run()
    at.text_input(key="sale_page_name").input("Mama Njeri")
    at.text_input(key="sale_page_phone").input("0799 123 456")
    at.text_input(key="sale_page_product").input("Sukuma wiki")
    at.text_input(key="sale_page_total").input("1,200")
    at = click(at, "Record sale")
    assert "Mama Njeri now owes KES 1,200.00" in texts(at.success)
    customer = at.session_state["customer_id"]

    at.switch_page("pages/5_Record_payment.py")
    at.run()
    at.text_input(key="payment_page_amount").input("2000")
    at = click(at, "Record payment")
    assert "Overpayment refused: this customer's balance is KES 1,200.00" in texts(at.error)
    at.text_input(key="payment_page_amount").input("500")
    at.selectbox(key="payment_page_method").set_value("M-Pesa")
    at.text_input(key="payment_page_reference").input("QK12AB34CD")
    at = click(at, "Record payment")
    assert "still owes KES 700.00" in texts(at.success)
    assert book.customer(shop, customer)["balance"] == Decimal("700.00")


@pytest.mark.parametrize(
    "amount, message",
    [
        ("0", "more than zero"),
        ("-3", "more than zero"),
        ("abc", "not a number"),
        ("1.999", "two decimal places"),
        ("99999999999", "too large"),
        ("", "missing"),
    ],
)
def test_a_bad_amount_on_the_sale_page_is_explained_and_saves_nothing(shop, amount, message):
    customer = book.add_customer(shop, "Baraka")
    at = signed_in(shop, "pages/4_Record_sale.py")
    at.text_input(key="sale_page_product").input("Bread")
    at.text_input(key="sale_page_total").input(amount)
    at = click(at, "Record sale")
    assert message in texts(at.error)
    assert not at.exception
    assert book.ledger(shop, customer).empty


def test_the_customer_page_shows_ledger_reminders_and_statement(shop):
    customer = book.add_customer(shop, "<script>alert('x')</script>", "0712 000 333")
    debt = book.record_sale(shop, customer, "' OR 1=1 --", total="300")
    book.record_payment(shop, debt, "100")
    at = signed_in(shop, "pages/3_Customer.py")
    assert not at.exception
    assert at.metric[0].value == "KES 200.00"
    assert at.metric[0].label == plain("<script>alert('x')</script>") + " owes"  # escaped markdown
    ledger = at.dataframe[0].value
    assert ledger["description"].tolist()[0] == "' OR 1=1 --"
    assert ledger["running_balance"].tolist() == [Decimal("300.00"), Decimal("200.00")]
    assert money_format(at.dataframe[0], "running_balance") == "KES %,.2f"
    links = [b.proto.url for b in at.get("link_button")]
    assert links[0].startswith("https://wa.me/254712000333?text=") and "KES%20200.00" in links[0]
    assert links[1].startswith("sms:+254712000333?body=")
    assert [t.label for t in at.tabs] == ["Remind", "Record sale", "Record payment", "Corrections"]


def test_a_clerk_sees_no_corrections_and_an_analyst_no_forms(staffed_shop):
    owner = staffed_shop["owner"]
    book.record_sale(owner, book.add_customer(owner, "Halima"), "Rice", total="10")
    clerk = signed_in(staffed_shop["clerk"], "pages/3_Customer.py")
    assert [t.label for t in clerk.tabs] == ["Remind", "Record sale", "Record payment"]
    analyst = signed_in(staffed_shop["analyst"], "pages/3_Customer.py")
    assert [t.label for t in analyst.tabs] == ["Remind"]


def test_the_owner_voids_a_payment_from_the_customer_page(shop):
    customer = book.add_customer(shop, "Otieno")
    debt = book.record_sale(shop, customer, "Soap", total="90")
    payment = book.record_payment(shop, debt, "90")
    at = signed_in(shop, "pages/3_Customer.py")
    entry = at.selectbox(key="fix_entry")
    entry.set_value(next(o for o in entry.options if "Payment" in o)).run()
    at.radio(key="fix_action").set_value("Void").run()
    at.text_input(key=f"fix_reason_Payment_{payment}").input("Wrong customer")
    at = click(at, "Void entry")
    assert not at.exception and not at.error
    assert "Correction saved" in texts(at.success)
    assert book.customer(shop, customer)["balance"] == Decimal("90.00")
    assert at.dataframe[0].value["kind"].tolist() == ["Sale", "Payment (void)"]


def test_debtors_page_searches_and_can_include_cleared_customers(shop):
    owing = book.add_customer(shop, "Akinyi")
    cleared = book.add_customer(shop, "Barasa")
    book.record_sale(shop, owing, "Milk", total="60")
    paid = book.record_sale(shop, cleared, "Eggs", total="40")
    book.record_payment(shop, paid, "40")
    at = signed_in(shop, "pages/2_Debtors.py")
    assert at.dataframe[0].value["name"].tolist() == ["Akinyi"]
    at.toggle(key="debtors_cleared").set_value(True).run()
    assert sorted(at.dataframe[0].value["name"]) == ["Akinyi", "Barasa"]
    at.text_input(key="debtors_search").input("bara").run()
    assert at.dataframe[0].value["name"].tolist() == ["Barasa"]


def test_the_dashboard_shows_the_shops_figures(shop):
    customer = book.add_customer(shop, "Chebet")
    debt = book.record_sale(shop, customer, "Flour", total="1500")
    book.record_payment(shop, debt, "250.50")
    at = signed_in(shop, "pages/1_Dashboard.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Total outstanding"] == "KES 1,249.50"
    assert metrics["Collected today"] == "KES 250.50"
    assert metrics["Active debtors"] == "1"
    assert len(at.get("plotly_chart")) == 1


def test_thirty_idle_minutes_ask_for_the_password_again(shop):
    at = signed_in(shop)
    at.session_state["last_seen"] = time.time() - 31 * 60
    at.switch_page("pages/1_Dashboard.py")
    at.run()
    assert "away for more than 30 minutes" in texts(at.warning)
    assert not at.metric
    at.text_input[0].input(PASSWORD)
    at = click(at, "Continue")
    assert titles(at) == ["Dashboard"] and at.metric


def test_logout_clears_the_session(shop):
    at = signed_in(shop, "pages/1_Dashboard.py")
    at = at.sidebar.button(key="sidebar_logout").click().run()
    assert at.session_state["user"] is None
    assert titles(at) == [LOGIN_TITLE]


def test_a_user_in_two_shops_switches_shop_in_the_sidebar(shop):
    other_owner, _ = register_owner("Second Duka")
    user_phone = db.rows("user_by_id", user_id=shop.user_id)[0]["phone"]
    members.add_member(other_owner, user_phone, "analyst")
    book.record_sale(other_owner, book.add_customer(other_owner, "Wekesa"), "Nails", total="75")
    at = signed_in(shop, "pages/1_Dashboard.py")
    assert {m.label: m.value for m in at.metric}["Total outstanding"] == "KES 0.00"
    at.sidebar.selectbox(key="sidebar_shop").set_value(other_owner.shop_id).run()
    assert at.session_state["role"] == "analyst"
    assert {m.label: m.value for m in at.metric}["Total outstanding"] == "KES 75.00"


def test_a_database_that_went_away_gives_a_message_not_a_traceback(shop, monkeypatch):
    at = signed_in(shop, "pages/1_Dashboard.py")
    monkeypatch.setenv("MYSQL_UNIX_SOCKET", "/nonexistent/mysqld.sock")
    monkeypatch.setenv("MYSQL_USER", "root")
    cache.clear()  # what the page shows is no longer cached, as after the cache's TTL
    try:
        at.run()
        assert not at.exception
        assert "database cannot be reached" in texts(at.error)
    finally:
        monkeypatch.undo()
        db.reset_pool()


def test_a_user_removed_from_every_shop_is_told_so_at_login():
    leaver, leaver_phone = register_owner("Leaver's shop")
    heir, heir_phone = register_owner("Heir's shop")
    members.add_member(leaver, heir_phone, "owner")
    members.remove_member(Actor(heir.user_id, leaver.shop_id), leaver.user_id)
    assert members.memberships(leaver.user_id) == []
    at = new_app().run()
    at.text_input(key="login_phone").input(leaver_phone)
    at.text_input(key="login_password").input(PASSWORD)
    at = click(at, "Log in")
    assert "not in any shop" in texts(at.error)
    assert at.session_state["user"] is None


def test_the_dashboard_compares_this_months_collections_with_the_same_days_of_last_month(shop):
    today_ = today()
    last_start = add_months(month_start(today_), -1)
    customer = book.add_customer(shop, "Njoroge")
    debt = book.record_sale(shop, customer, "Cement", total="1000", debt_date=last_start)
    book.record_payment(shop, debt, "300", paid_at=last_start)  # the 1st of last month: inside the same days
    book.record_payment(shop, debt, "100")  # today
    figures = dashboard.kpis(shop)
    assert (figures["collected_month"], figures["collected_last_month"]) == (Decimal("100.00"), Decimal("300.00"))
    assert (figures["credit_month"], figures["credit_last_month"]) == (Decimal("0.00"), Decimal("1000.00"))
    at = signed_in(shop, "pages/1_Dashboard.py")
    deltas = {m.label: m.proto.delta for m in at.metric}
    assert deltas["Collected this month"].startswith("-KES 200.00 against 1–")
    assert deltas["Credit given this month"].startswith("-KES 1,000.00 against 1–")
    assert deltas["Total outstanding"] == ""


def test_the_same_days_of_last_month_end_on_its_last_day_when_it_is_shorter(shop):
    figures = dashboard.kpis(shop, on=date(2026, 3, 31))
    assert (figures["last_month_start"], figures["last_month_day"]) == (date(2026, 2, 1), date(2026, 2, 28))
