"""Every page under AppTest against the real database: login, routing, roles, forms, messages."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import db
from db import cache
from duka import book, customers, dashboard, invitations, members, mpesa, recovery, sessions
from duka.clock import today
from duka.members import Actor
from duka.periods import add_months, month_start
from support import PASSWORD, click, join, new_app, new_phone, register_owner, signed_in, texts, unescaped
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
ACCOUNT = "pages/13_Your_account.py"  # every signed-in person's own page, not a page of the shop
TOKENS = "pages/14_API_tokens.py"  # every member makes tokens for their own role
ALLOWED = {
    "owner": set(PAGES),
    "clerk": set(PAGES) - {"pages/6_Members.py", "pages/12_Questions.py", "pages/15_M-Pesa.py"},
    "analyst": READING | {"pages/12_Questions.py", ACCOUNT, TOKENS},
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
    assert texts(at.error) == f"{members.LOGIN_FAILED} 4 more tries before it locks for 15 minutes."
    assert titles(at) == [LOGIN_TITLE]


@pytest.mark.parametrize(
    "phone, password, message", [("", "", "Type your phone number"), ("0712 345 678", "", "Type your password")]
)
def test_an_empty_login_asks_for_what_is_missing(phone, password, message):
    at = new_app().run()
    at.text_input(key="login_phone").input(phone)
    at.text_input(key="login_password").input(password)
    at = click(at, "Log in")
    assert message in texts(at.error)


def _fill_registration(at: AppTest, phone: str, password: str = PASSWORD, again: str = PASSWORD) -> AppTest:
    at.text_input(key="register_first").input("Neema")
    at.text_input(key="register_last").input("Achieng")
    at.text_input(key="register_phone").input(phone)
    at.text_input(key="register_shop").input("Neema's Kiosk")
    at.text_input(key="register_password").input(password)
    at.text_input(key="register_again").input(again)
    return click(at, "Create my account")


def test_registering_shows_the_recovery_codes_once_then_the_dashboard_then_a_duplicate_phone_is_refused():
    phone = new_phone()
    at = _fill_registration(new_app().run(), phone)
    assert titles(at) == [LOGIN_TITLE]
    [shown] = at.code
    codes = shown.value.splitlines()
    assert len(codes) == 10 and "shown only this once" in texts(at.warning)
    at = click(at, "I have saved them")
    assert titles(at) == ["Dashboard"] and "Neema's Kiosk is ready" in texts(at.success)
    assert at.session_state["role"] == "owner" and "recovery_codes" not in at.session_state
    assert not at.code
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
    customer = customers.add_customer(owner, "Mzee Juma", "0711000222")
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
    assert "Mama Njeri now owes Ksh 1,200.00" in texts(at.success)
    customer = at.session_state["customer_id"]

    at.switch_page("pages/5_Record_payment.py")
    at.run()
    assert at.selectbox(key="payment_page_customer").value is None  # nobody chosen for the clerk
    at.selectbox(key="payment_page_customer").set_value(customer).run()
    at.text_input(key="payment_page_amount").input("2000")
    at = click(at, "Record payment")
    assert "Overpayment refused: this customer's balance is Ksh 1,200.00" in texts(at.error)
    at.text_input(key="payment_page_amount").input("500")
    at.selectbox(key="payment_page_method").set_value("M-Pesa")
    at.text_input(key="payment_page_reference").input("QK12AB34CD")
    at = click(at, "Record payment")
    assert "still owes Ksh 700.00" in texts(at.success)
    assert customers.customer(shop, customer)["balance"] == Decimal("700.00")


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
    customer = customers.add_customer(shop, "Baraka")
    at = signed_in(shop, "pages/4_Record_sale.py")
    at.selectbox(key="sale_page_customer").set_value(customer)
    at.text_input(key="sale_page_product").input("Bread")
    at.text_input(key="sale_page_total").input(amount)
    at = click(at, "Record sale")
    assert message in texts(at.error)
    assert not at.exception
    assert book.ledger(shop, customer).empty
    assert at.selectbox(key="sale_page_customer").value == customer  # what was chosen and typed stays
    assert at.text_input(key="sale_page_product").value == "Bread"


def test_a_failed_save_keeps_every_field_and_a_good_one_clears_them(shop):
    at = signed_in(shop, "pages/4_Record_sale.py")
    at.radio(key="sale_page_who").set_value("New customer").run()
    typed = {"name": "Kiprono", "phone": "0712 345 678", "product": "Unga 2kg", "total": "abc"}
    for field, value in typed.items():
        at.text_input(key=f"sale_page_{field}").input(value)
    at.date_input(key="sale_page_due").set_value(today() + timedelta(days=7))
    at = click(at, "Record sale")
    assert "is not a number" in texts(at.error) or "digits" in texts(at.error)
    assert {f: at.text_input(key=f"sale_page_{f}").value for f in typed} == typed
    assert at.date_input(key="sale_page_due").value == today() + timedelta(days=7)
    [form] = at.get("form")
    assert texts(form.error) == texts(at.error)  # the error sits inside the form, just above its button
    at.text_input(key="sale_page_total").input("250")
    at = click(at, "Record sale")
    assert "Kiprono now owes Ksh 250.00" in texts(at.success)
    assert all(at.text_input(key=f"sale_page_{f}").value == "" for f in typed)
    assert at.date_input(key="sale_page_due").value is None


def test_no_customer_is_chosen_for_the_clerk_and_a_sale_without_one_is_refused(shop):
    first = customers.add_customer(shop, "Achieng")
    book.record_sale(shop, first, "Tea", total="30")
    at = signed_in(shop, "pages/4_Record_sale.py")
    assert at.selectbox(key="sale_page_customer").value is None
    at.text_input(key="sale_page_product").input("Sugar")
    at.text_input(key="sale_page_total").input("100")
    at = click(at, "Record sale")
    assert "Choose the customer first" in texts(at.error)
    assert customers.customer(shop, first)["balance"] == Decimal("30.00")
    at.switch_page("pages/5_Record_payment.py")
    at.run()
    assert at.selectbox(key="payment_page_customer").value is None


def test_the_picker_shows_the_balance_as_of_now_after_a_payment_and_a_void(shop):
    customer = customers.add_customer(shop, "Wafula")
    debt = book.record_sale(shop, customer, "Maize", total="960")
    at = signed_in(shop, "pages/5_Record_payment.py")
    at.selectbox(key="payment_page_customer").set_value(customer).run()
    at.text_input(key="payment_page_amount").input("200")
    at = click(at, "Record payment")
    assert "still owes Ksh 760.00" in texts(at.success)
    assert at.selectbox(key="payment_page_customer").options == ["Wafula · owes Ksh 760.00"]
    payment = int(book.ledger(shop, customer)["entry_id"].iloc[0])
    at = customer_page(shop, customer)
    at.selectbox(key="fix_entry").set_value(("Payment", payment)).run()
    at.radio(key="fix_action").set_value("Void").run()
    at.text_input(key=f"fix_Payment_{payment}_Void_reason").input("Typed twice")
    at = click(at, "Void entry")
    assert at.selectbox(key="customer_pick").options == ["Wafula · owes Ksh 960.00"]
    at.selectbox(key="fix_entry").set_value(("Sale", debt)).run()
    at.radio(key="fix_action").set_value("Void").run()
    at.text_input(key=f"fix_Sale_{debt}_Void_reason").input("Wrong customer")
    at = click(at, "Void entry")
    assert at.selectbox(key="customer_pick").options == ["Wafula · owes nothing"]
    assert at.metric[0].value == "Ksh 0.00"


def test_editing_only_the_amount_of_an_mpesa_payment_keeps_its_method_and_code(shop):
    customer = customers.add_customer(shop, "Moraa", "0722 111 222")
    debt = book.record_sale(shop, customer, "Cooking oil", total="500")
    payment = book.record_payment(shop, debt, "200", "M-Pesa", "QK12AB34CD")
    at = customer_page(shop, customer)
    at.selectbox(key="fix_entry").set_value(("Payment", payment)).run()
    tag = f"fix_Payment_{payment}_Edit"
    assert at.selectbox(key=f"{tag}_method").value == "M-Pesa"
    assert at.text_input(key=f"{tag}_reference").value == "QK12AB34CD"
    at.text_input(key=f"{tag}_amount").input("250")
    at = click(at, "Save correction")
    assert not at.error, texts(at.error)
    now = book.payment(shop, payment)
    assert (now["amount"], now["method"], now["reference"]) == (Decimal("250.00"), "M-Pesa", "QK12AB34CD")
    at.selectbox(key="ledger_history").set_value(("Payment", payment)).run()
    assert "Amount: 200.00 → 250.00" in texts(at.markdown)


def test_editing_only_the_product_of_a_sale_keeps_its_due_date_and_quantity(shop):
    customer = customers.add_customer(shop, "Kerubo")
    due = today() + timedelta(days=14)
    debt = book.record_sale(shop, customer, "Sugar", quantity="2", unit_price="150", due_date=due)
    at = customer_page(shop, customer)
    at.selectbox(key="fix_entry").set_value(("Sale", debt)).run()
    tag = f"fix_Sale_{debt}_Edit"
    assert at.date_input(key=f"{tag}_due").value == due
    at.text_input(key=f"{tag}_product").input("Brown sugar")
    at = click(at, "Save correction")
    assert not at.error, texts(at.error)
    now = book.sale(shop, debt)
    assert (now["product"], now["due_date"], now["quantity"], now["unit_price"], now["total"]) == (
        "Brown sugar",
        due,
        Decimal("2.000"),
        Decimal("150.00"),
        Decimal("300.00"),
    )
    assert "edited" in unescaped(at.table[0].value["Entry"].iloc[0])


def test_a_second_kiprono_gets_a_warning_and_can_use_the_first(shop):
    first = customers.add_customer(shop, "Kiprono", "0712 345 678")
    book.record_sale(shop, first, "Bread", total="60")
    at = signed_in(shop, "pages/4_Record_sale.py")
    at.radio(key="sale_page_who").set_value("New customer").run()
    at.text_input(key="sale_page_name").input("kiprono ")
    at.text_input(key="sale_page_product").input("Milk")
    at.text_input(key="sale_page_total").input("55")
    at = click(at, "Record sale")
    assert "Kiprono already exists — +254712345678, owes Ksh 60.00" in texts(at.warning)
    assert at.text_input(key="sale_page_product").value == "Milk"
    at = click(at, plain("Use Kiprono · +254712345678 · owes Ksh 60.00"))
    assert "Kiprono now owes Ksh 115.00" in texts(at.success)
    assert len(customers.customer_choices(shop)) == 1


def test_a_different_person_with_the_same_name_is_added_when_confirmed(shop):
    customers.add_customer(shop, "Kiprono")
    at = signed_in(shop, "pages/4_Record_sale.py")
    at.radio(key="sale_page_who").set_value("New customer").run()
    at.text_input(key="sale_page_name").input("Kiprono")
    at.text_input(key="sale_page_product").input("Milk")
    at.text_input(key="sale_page_total").input("55")
    at = click(at, "Record sale")
    at = click(at, "No, it is a different person: add them")
    assert "Kiprono now owes Ksh 55.00" in texts(at.success)
    assert customers.customer_choices(shop)["name"].tolist() == ["Kiprono", "Kiprono"]


def test_the_owner_merges_a_duplicate_and_archives_a_customer_from_the_page(shop):
    keep = customers.add_customer(shop, "Nafula")
    twin = customers.add_customer(shop, "Nafula W.", "0733 000 111", look_alike_ok=True)
    book.record_sale(shop, keep, "Rice", total="100")
    book.record_sale(shop, twin, "Beans", total="40")
    at = customer_page(shop, keep)
    at.selectbox(key="customer_merge_duplicate").set_value(twin)
    at.checkbox(key="customer_merge_sure").check()
    at = click(at, "Merge")
    assert "Merged into Nafula: 1 sale moved" in texts(at.success)
    assert customers.customer(shop, keep)["balance"] == Decimal("140.00")
    assert customers.customer(shop, keep)["phone"] == "+254733000111"
    assert twin not in customers.customer_choices(shop)["customer_id"].tolist()
    at = click(at, "Archive this customer")
    assert "still owes Ksh 140.00" in texts(at.warning)
    at = click(at, "Archive anyway")
    assert "archived" in texts(at.success)
    assert customers.customer_choices(shop).empty
    assert customers.debtors(shop)["customer_id"].tolist() == [keep]  # the debt is still owed


def customer_page(actor, customer_id):
    """The ledger page with this customer chosen, as after a tap in the picker."""
    at = signed_in(actor, "pages/3_Customer.py")
    return at.selectbox(key="customer_pick").set_value(customer_id).run()


def reminder_links(at) -> list[dict]:
    """The links the ledger's one-tap reminder (ui/tap.py) draws: its data, as the browser gets it."""
    [tap] = at.get("bidi_component")
    return json.loads(tap.proto.json)["links"]


def reminder_text_of(at, customer_id: int) -> str:
    """The reminder as the ledger fills it in, before the sender edits it."""
    return at.text_area(key=f"customer_reminder_{customer_id}_en").value


def test_the_customer_page_shows_ledger_reminders_and_statement(shop):
    customer = customers.add_customer(shop, "<script>alert('x')</script>", "0712 000 333")
    debt = book.record_sale(shop, customer, "' OR 1=1 --", total="300")
    book.record_payment(shop, debt, "100")
    at = signed_in(shop, "pages/3_Customer.py")
    assert at.selectbox(key="customer_pick").value is None  # nobody chosen until someone is
    at = at.selectbox(key="customer_pick").set_value(customer).run()
    assert not at.exception
    assert at.metric[0].value == "Ksh 200.00"
    assert at.metric[0].label == plain("<script>alert('x')</script>") + " owes"  # escaped markdown
    ledger = at.table[0].value
    assert ledger["Entry"].map(unescaped).tolist() == ["Payment: Cash for ' OR 1=1 --", "Sale: ' OR 1=1 --"]
    assert ledger["Balance"].map(unescaped).tolist() == ["200.00", "300.00"]  # newest first
    links = [link["href"] for link in reminder_links(at)]
    assert links[0].startswith("https://wa.me/254712000333?text=") and "Ksh%20200.00" in links[0]
    assert links[1].startswith("sms:+254712000333?body=")
    tabs = ["Remind", "Statement", "Record sale", "Record payment", "Corrections", "Customer"]
    assert [t.label for t in at.tabs] == tabs


def test_a_clerk_sees_no_corrections_and_an_analyst_no_forms(staffed_shop):
    owner = staffed_shop["owner"]
    customer = customers.add_customer(owner, "Halima")
    book.record_sale(owner, customer, "Rice", total="10")
    clerk = customer_page(staffed_shop["clerk"], customer)
    assert [t.label for t in clerk.tabs] == ["Remind", "Statement", "Record sale", "Record payment", "Customer"]
    analyst = customer_page(staffed_shop["analyst"], customer)
    assert [t.label for t in analyst.tabs] == ["Remind", "Statement"]


def test_the_owner_voids_a_payment_from_the_customer_page(shop):
    customer = customers.add_customer(shop, "Otieno")
    debt = book.record_sale(shop, customer, "Soap", total="90")
    payment = book.record_payment(shop, debt, "90")
    at = customer_page(shop, customer)
    at.selectbox(key="fix_entry").set_value(("Payment", payment)).run()
    at.radio(key="fix_action").set_value("Void").run()
    at.text_input(key=f"fix_Payment_{payment}_Void_reason").input("Wrong customer")
    at = click(at, "Void entry")
    assert not at.exception and not at.error
    assert "Payment voided" in texts(at.success)
    assert customers.customer(shop, customer)["balance"] == Decimal("90.00")
    assert unescaped(at.table[0].value["Entry"].iloc[0]) == "Payment: Cash for Soap — void (Wrong customer)"


def test_debtors_page_searches_and_can_include_cleared_customers(shop):
    owing = customers.add_customer(shop, "Akinyi")
    cleared = customers.add_customer(shop, "Barasa")
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
    customer = customers.add_customer(shop, "Chebet")
    debt = book.record_sale(shop, customer, "Flour", total="1500")
    book.record_payment(shop, debt, "250.50")
    at = signed_in(shop, "pages/1_Dashboard.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Total outstanding"] == "Ksh 1,249.50"
    assert metrics["Collected today"] == "Ksh 250.50"
    assert metrics["Active debtors"] == "1"
    assert len(at.get("plotly_chart")) == 1


def test_thirty_idle_minutes_ask_for_the_password_again(shop, raw):
    at = signed_in(shop)
    raw.cursor().execute(
        "UPDATE sessions SET last_seen_at = NOW() - INTERVAL 31 MINUTE WHERE token_hash = %s",
        (sessions.token_hash(at.session_state["session_token"]),),
    )
    at.switch_page("pages/1_Dashboard.py")
    at.run()
    assert "away for more than 30 minutes" in texts(at.warning)
    assert not at.metric
    at.text_input[0].input(PASSWORD)
    at = click(at, "Continue")
    assert titles(at) == ["Dashboard"] and at.metric


def test_logout_clears_the_session_and_ends_it_on_the_server(shop):
    at = signed_in(shop, "pages/1_Dashboard.py")
    token = at.session_state["session_token"]
    at = at.sidebar.button(key="sidebar_logout").click().run()
    assert at.session_state["user"] is None
    assert titles(at) == [LOGIN_TITLE]
    assert sessions.find(token).state == "ended"


def test_a_tab_whose_session_ended_elsewhere_is_signed_out_on_its_next_action(shop):
    one = signed_in(shop, "pages/1_Dashboard.py")
    other = new_app()  # a second tab of the same browser: the same session
    for key in ("user", "session_token", "shops", "shop_id", "role"):
        other.session_state[key] = one.session_state[key]
    other.switch_page("pages/7_Expenses.py")
    other.run()
    assert titles(other) == ["Expenses"]
    one = one.sidebar.button(key="sidebar_logout").click().run()
    other.run()
    assert titles(other) == [LOGIN_TITLE] and "logged out" in texts(other.info)
    assert other.session_state["user"] is None


def test_a_user_in_two_shops_switches_shop_in_the_sidebar(shop):
    other_owner, _ = register_owner("Second Duka")
    user_phone = db.rows("user_by_id", user_id=shop.user_id)[0]["phone"]
    join(other_owner, user_phone, "analyst")
    book.record_sale(other_owner, customers.add_customer(other_owner, "Wekesa"), "Nails", total="75")
    at = signed_in(shop, "pages/1_Dashboard.py")
    assert {m.label: m.value for m in at.metric}["Total outstanding"] == "Ksh 0.00"
    at.sidebar.selectbox(key="sidebar_shop").set_value(other_owner.shop_id).run()
    assert at.session_state["role"] == "analyst"
    assert {m.label: m.value for m in at.metric}["Total outstanding"] == "Ksh 75.00"


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


def test_a_user_removed_from_every_shop_is_offered_invitations_or_a_shop_of_their_own():
    leaver, leaver_phone = register_owner("Leaver's shop")
    heir, heir_phone = register_owner("Heir's shop")
    join(leaver, heir_phone, "owner")
    members.remove_member(Actor(heir.user_id, leaver.shop_id), leaver.user_id)
    assert members.memberships(leaver.user_id) == []
    at = new_app().run()
    at.text_input(key="login_phone").input(leaver_phone)
    at.text_input(key="login_password").input(PASSWORD)
    at = click(at, "Log in")
    assert "not in any shop yet" in texts(at.info) and not at.exception
    invitations.invite(heir, leaver_phone, "clerk")
    at.run()
    assert "**Heir's shop** invites you as **clerk**" in unescaped(" ".join(m.value for m in at.markdown))
    at = click(at, "Accept")
    assert titles(at) == ["Dashboard"] and at.session_state["role"] == "clerk"


def test_the_dashboard_compares_this_months_collections_with_the_same_days_of_last_month(shop):
    today_ = today()
    last_start = add_months(month_start(today_), -1)
    customer = customers.add_customer(shop, "Njoroge")
    debt = book.record_sale(shop, customer, "Cement", total="1000", debt_date=last_start)
    book.record_payment(shop, debt, "300", paid_at=last_start)  # the 1st of last month: inside the same days
    book.record_payment(shop, debt, "100")  # today
    figures = dashboard.kpis(shop)
    assert (figures["collected_month"], figures["collected_last_month"]) == (Decimal("100.00"), Decimal("300.00"))
    assert (figures["credit_month"], figures["credit_last_month"]) == (Decimal("0.00"), Decimal("1000.00"))
    at = signed_in(shop, "pages/1_Dashboard.py")
    deltas = {m.label: m.proto.delta for m in at.metric}
    assert deltas["Collected this month"].startswith("-Ksh 200.00 against 1–")
    assert deltas["Credit given this month"].startswith("-Ksh 1,000.00 against 1–")
    assert deltas["Total outstanding"] == ""


def test_the_same_days_of_last_month_end_on_its_last_day_when_it_is_shorter(shop):
    figures = dashboard.kpis(shop, on=date(2026, 3, 31))
    assert (figures["last_month_start"], figures["last_month_day"]) == (date(2026, 2, 1), date(2026, 2, 28))


def test_a_payment_for_one_sale_needs_the_sale_chosen(shop):
    customer = customers.add_customer(shop, "Chepkoech")
    book.record_sale(shop, customer, "Old", total="100", debt_date=today() - timedelta(days=9))
    new = book.record_sale(shop, customer, "New", total="50")
    at = signed_in(shop, "pages/5_Record_payment.py")
    at.selectbox(key="payment_page_customer").set_value(customer).run()
    at.radio(key="payment_page_target").set_value("One sale").run()
    at.text_input(key="payment_page_amount").input("20")
    at = click(at, "Record payment")
    assert "Choose the sale" in texts(at.error)
    assert customers.customer(shop, customer)["balance"] == Decimal("150.00")  # not put on the oldest sale
    at.selectbox(key="payment_page_debt").set_value(new)
    at = click(at, "Record payment")
    assert "still owes Ksh 130.00" in texts(at.success)
    assert book.sale(shop, new)["paid"] == Decimal("20.00")


def test_opening_a_ledger_from_the_debtors_shows_that_customer_not_the_last_one(shop):
    first = customers.add_customer(shop, "Achieng")
    second = customers.add_customer(shop, "Baraka")
    book.record_sale(shop, first, "Tea", total="10")
    book.record_sale(shop, second, "Rice", total="20")
    at = customer_page(shop, first)
    at.switch_page("pages/2_Debtors.py")
    at.run()
    at.selectbox(key="debtors_open_choice").set_value(second).run()
    at = click(at, "Open ledger")
    assert at.selectbox(key="customer_pick").value == second
    assert at.metric[0].value == "Ksh 20.00"


def test_a_person_in_no_shop_whose_session_ended_elsewhere_is_asked_to_log_in_again():
    phone = new_phone()
    made = members.register("Juma", "Kazi", phone, PASSWORD)
    at = new_app()
    user = members.login(phone, PASSWORD)
    at.session_state["user"] = {k: user[k] for k in ("id", "first_name", "last_name", "phone")}
    at.session_state["session_token"] = user["token"]
    at.run()
    assert "not in any shop yet" in texts(at.info)
    recovery.log_out(made["user_id"], user["token"])  # logged out in another tab
    at.run()
    assert at.session_state["user"] is None and "Log in again" in texts(at.info)
    assert [b.label for b in at.button if b.label == "Accept"] == []


def test_a_reminder_says_where_to_pay_once_the_owner_sets_the_paybill(staffed_shop):
    """The M-Pesa account number of the customer, in the message a clerk sends as well."""
    owner = staffed_shop["owner"]
    customer = customers.add_customer(owner, "Wanjiku", "0712 000 444")
    book.record_sale(owner, customer, "Flour", total="150")
    account = customers.customer(owner, customer)["account_no"]
    before = customer_page(staffed_shop["clerk"], customer)
    assert "Paybill" not in reminder_text_of(before, customer)
    mpesa.set_short_code(owner, "522533")
    after = customer_page(staffed_shop["clerk"], customer)
    assert f"Pay to Paybill 522533, account {account}." in reminder_text_of(after, customer)
    assert "account%20" + str(account) in reminder_links(after)[0]["href"]
