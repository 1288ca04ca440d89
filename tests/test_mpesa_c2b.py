"""M-Pesa payments that record themselves (Daraja C2B): once per TransID however often and however fast
Safaricom sends it, the customer found by account number (never by phone), everything else in the owner's
inbox with no balance moved; the callbacks over real HTTP."""

from __future__ import annotations

import hashlib
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from decimal import Decimal

import httpx
import pytest

from db.errors import InvalidInput, NotAllowed, NotFound
from duka import book, customers, mpesa, mpesa_import, mpesa_statement, reminders, statements
from support import admin_connection, click, new_phone, signed_in

SALE_DAY = date(2026, 3, 1)


def body(account: object, amount: str = "500.00", trans_id: str = "RKTQDM7W6S", **more) -> dict:
    """A C2B callback body as Safaricom sends it (v2: MSISDN hashed)."""
    return {
        "TransactionType": "Pay Bill",
        "TransID": trans_id,
        "TransTime": "20260302143000",
        "TransAmount": amount,
        "BusinessShortCode": "600984",
        "BillRefNumber": str(account),
        "InvoiceNumber": "",
        "OrgAccountBalance": "49197.00",
        "ThirdPartyTransID": "",
        "MSISDN": hashlib.sha256(b"254708374149").hexdigest(),
        "FirstName": "John",
        "MiddleName": "",
        "LastName": "Doe",
        **more,
    }


def count(sql: str, *params) -> int:
    conn = admin_connection()
    cur = conn.cursor()
    cur.execute(sql, params)
    found = cur.fetchone()[0]
    conn.close()
    return found


def paid_by_mpesa(shop_id: int, trans_id: str) -> Decimal:
    conn = admin_connection()
    cur = conn.cursor()
    cur.execute(
        "SELECT COALESCE(SUM(amount), 0) FROM payments WHERE shop_id = %s AND reference = %s AND method = 'M-Pesa'",
        (shop_id, trans_id),
    )
    found = cur.fetchone()[0]
    conn.close()
    return Decimal(found)


def run_together(n, job):
    barrier = threading.Barrier(n)

    def start(i):
        barrier.wait()
        return job(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(start, range(n)))


@pytest.fixture
def paybill(shop):
    """A shop with M-Pesa turned on and a customer owing 500 on two sales: (owner, secret, customer)."""
    secret = mpesa.rotate_secret(shop)
    customer = customers.add_customer(shop, "Achieng", new_phone())
    book.record_sale(shop, customer, "Unga", total="300", debt_date=SALE_DAY)
    book.record_sale(shop, customer, "Sukari", total="200", debt_date=SALE_DAY)
    return shop, secret, customers.customer(shop, customer)


def test_customers_are_numbered_from_1001_in_each_shop(shop, staffed_shop):
    first = customers.add_customer(shop, "Wanjiru")
    second = customers.add_customer(shop, "Kamau")
    elsewhere = customers.add_customer(staffed_shop["owner"], "Otieno")
    assert customers.customer(shop, first)["account_no"] == 1001
    assert customers.customer(shop, second)["account_no"] == 1002
    assert customers.customer(staffed_shop["owner"], elsewhere)["account_no"] == 1001


def test_customers_added_at_once_never_share_an_account_number(shop):
    made = run_together(12, lambda i: customers.add_customer(shop, f"Mteja {i}"))
    numbers = {customers.customer(shop, c)["account_no"] for c in made}
    assert numbers == set(range(1001, 1013))


def test_a_confirmation_posted_three_times_is_recorded_once(paybill):
    owner, secret, customer = paybill
    outcomes = [mpesa.confirm(secret, body(customer["account_no"], "300.00")) for _ in range(3)]
    assert [o["state"] for o in outcomes] == ["recorded"] * 3
    assert len({o["c2b_id"] for o in outcomes}) == 1
    assert paid_by_mpesa(owner.shop_id, "RKTQDM7W6S") == Decimal("300.00")
    assert customers.customer(owner, customer["customer_id"])["balance"] == Decimal("200.00")


def test_deliveries_of_one_transid_at_the_same_moment_pay_once(paybill):
    owner, secret, customer = paybill
    outcomes = run_together(8, lambda i: mpesa.confirm(secret, body(customer["account_no"], "120.00")))
    assert {o["state"] for o in outcomes} == {"recorded"}
    assert count("SELECT COUNT(*) FROM mpesa_c2b WHERE shop_id = %s", owner.shop_id) == 1
    assert paid_by_mpesa(owner.shop_id, "RKTQDM7W6S") == Decimal("120.00")


def test_the_payment_goes_to_the_oldest_sales_first_as_m_pesa_with_the_transid(paybill):
    owner, secret, customer = paybill
    mpesa.confirm(secret, body(customer["account_no"], "350.00"))
    conn = admin_connection()
    cur = conn.cursor()
    cur.execute(
        "SELECT d.product, p.amount, p.method, p.reference, p.paid_at, p.recorded_by FROM payments p"
        " JOIN debts d ON d.id = p.debt_id WHERE p.shop_id = %s ORDER BY p.id",
        (owner.shop_id,),
    )
    rows = cur.fetchall()
    conn.close()
    assert rows == [
        ("Unga", Decimal("300.00"), "M-Pesa", "RKTQDM7W6S", date(2026, 3, 2), owner.user_id),
        ("Sukari", Decimal("50.00"), "M-Pesa", "RKTQDM7W6S", date(2026, 3, 2), owner.user_id),
    ]


def test_a_debtor_who_pays_everything_leaves_active_debtors_exactly_once(paybill):
    owner, secret, customer = paybill
    listed = customers.debtors(owner)
    assert customer["customer_id"] in set(listed["customer_id"])
    for _ in range(2):
        assert mpesa.confirm(secret, body(customer["account_no"], "500"))["state"] == "recorded"
    assert customer["customer_id"] not in set(customers.debtors(owner)["customer_id"])
    assert count("SELECT COUNT(*) FROM active_debtors WHERE customer_id = %s", customer["customer_id"]) == 0
    assert paid_by_mpesa(owner.shop_id, "RKTQDM7W6S") == Decimal("500.00")


def test_an_unknown_account_waits_in_the_inbox_and_no_balance_moves(paybill):
    owner, secret, customer = paybill
    outcome = mpesa.confirm(secret, body("9999", "100"))
    assert outcome["state"] == "inbox" and outcome["customer_id"] is None
    assert "9999" in outcome["reason"]
    inbox = mpesa.transactions(owner)
    assert list(inbox["trans_id"]) == ["RKTQDM7W6S"] and inbox["amount"].iloc[0] == Decimal("100.00")
    assert customers.customer(owner, customer["customer_id"])["balance"] == Decimal("500.00")
    assert count("SELECT COUNT(*) FROM payments WHERE shop_id = %s", owner.shop_id) == 0


def test_an_overpayment_waits_in_the_inbox_with_the_balance_untouched(paybill):
    owner, secret, customer = paybill
    outcome = mpesa.confirm(secret, body(customer["account_no"], "500.01"))
    assert outcome["state"] == "inbox" and outcome["customer_id"] == customer["customer_id"]
    assert "Overpayment" in outcome["reason"]
    assert customers.customer(owner, customer["customer_id"])["balance"] == Decimal("500.00")
    assert paid_by_mpesa(owner.shop_id, "RKTQDM7W6S") == 0


def test_a_hashed_msisdn_still_matches_by_account_number_and_never_by_phone(paybill):
    owner, secret, customer = paybill
    by_phone = body("", "100", trans_id="PHONE00001", MSISDN=customer["phone"].lstrip("+"))
    assert mpesa.confirm(secret, by_phone)["state"] == "inbox"  # the phone alone pays nothing
    hashed = body(customer["account_no"], "100", trans_id="HASHED0001")
    assert len(hashed["MSISDN"]) == 64
    assert mpesa.confirm(secret, hashed)["state"] == "recorded"


@pytest.mark.parametrize(
    ("trans_time", "day"),
    [
        ("20260302003000", date(2026, 3, 2)),  # 00:30 in Nairobi is still 1 March in UTC
        ("20260302235959", date(2026, 3, 2)),
        ("20260301000000", date(2026, 3, 1)),
    ],
)
def test_transtime_is_the_day_in_nairobi(trans_time, day):
    assert mpesa.shop_day(mpesa.trans_time(trans_time)) == day


def test_the_recorded_payment_is_dated_by_transtime_in_nairobi(paybill):
    owner, secret, customer = paybill
    mpesa.confirm(secret, body(customer["account_no"], "10", TransTime="20260302003000"))
    assert count("SELECT COUNT(*) FROM payments WHERE shop_id = %s AND paid_at = '2026-03-02'", owner.shop_id) == 1


@pytest.mark.parametrize("text", ["12.5", "1250", "0.01", "1250.00"])
def test_the_amount_is_a_decimal_read_from_the_text(text):
    assert mpesa.amount(text) == Decimal(text).quantize(Decimal("0.01"))


@pytest.mark.parametrize("text", ["0", "-5", "abc", "", "NaN", "1.234"])
def test_an_amount_that_no_payment_has_is_refused(text):
    with pytest.raises(InvalidInput):
        mpesa.amount(text)


def test_an_unknown_secret_is_not_found_and_stores_nothing(paybill):
    owner, _, customer = paybill
    with pytest.raises(NotFound):
        mpesa.confirm("not-the-secret", body(customer["account_no"]))
    with pytest.raises(NotFound):
        mpesa.validate("not-the-secret", body(customer["account_no"]))
    assert count("SELECT COUNT(*) FROM mpesa_c2b WHERE shop_id = %s", owner.shop_id) == 0


def test_validation_accepts_any_account_and_rejects_an_amount_not_above_zero(paybill):
    _, secret, _ = paybill
    assert mpesa.validate(secret, body("no such account", "10")) == {"ResultCode": 0, "ResultDesc": "Accepted"}
    assert mpesa.validate(secret, body("1001", "0"))["ResultCode"] == "C2B00013"


def test_rotating_the_secret_stops_the_old_one_at_once(paybill):
    owner, old, customer = paybill
    new = mpesa.rotate_secret(owner)
    assert new != old and len(new) >= 43
    with pytest.raises(NotFound):
        mpesa.confirm(old, body(customer["account_no"]))
    assert mpesa.confirm(new, body(customer["account_no"], "1"))["state"] == "recorded"
    stored = count(
        "SELECT COUNT(*) FROM mpesa_settings WHERE secret_hash = %s", hashlib.sha256(new.encode()).hexdigest()
    )
    assert stored == 1
    assert count("SELECT COUNT(*) FROM mpesa_settings WHERE secret_hash = %s", new) == 0  # never in clear


def test_the_owner_assigns_an_inbox_payment_to_a_customer(paybill):
    owner, secret, customer = paybill
    waiting = mpesa.confirm(secret, body("typo", "200"))
    mpesa.assign(owner, waiting["c2b_id"], customer["customer_id"])
    assert customers.customer(owner, customer["customer_id"])["balance"] == Decimal("300.00")
    assert mpesa.transactions(owner).empty
    everything = mpesa.transactions(owner, inbox_only=False)
    assert list(everything["state"]) == ["assigned"]
    with pytest.raises(InvalidInput, match="already assigned"):
        mpesa.assign(owner, waiting["c2b_id"], customer["customer_id"])
    assert paid_by_mpesa(owner.shop_id, "RKTQDM7W6S") == Decimal("200.00")


def test_assigning_more_than_the_customer_owes_is_refused_and_the_payment_keeps_waiting(paybill):
    owner, secret, customer = paybill
    waiting = mpesa.confirm(secret, body(customer["account_no"], "900"))
    with pytest.raises(InvalidInput, match="Overpayment"):
        mpesa.assign(owner, waiting["c2b_id"], customer["customer_id"])
    mpesa.note_overpayment(owner, waiting["c2b_id"], "Credit of 400 for Achieng's next purchase")
    [row] = mpesa.transactions(owner, inbox_only=False).to_dict("records")
    assert row["state"] == "noted" and row["note"].startswith("Credit of 400")
    assert customers.customer(owner, customer["customer_id"])["balance"] == Decimal("500.00")


def test_only_the_owner_sees_and_decides_the_inbox(paybill, staffed_shop):
    owner, secret, _ = paybill
    waiting = mpesa.confirm(secret, body("typo", "200"))
    theirs = staffed_shop["owner"]
    for member in (staffed_shop["clerk"], staffed_shop["analyst"]):
        with pytest.raises(NotAllowed):
            mpesa.transactions(member)
        with pytest.raises(NotAllowed):
            mpesa.rotate_secret(member)
    with pytest.raises(NotAllowed):
        mpesa.note_overpayment(staffed_shop["clerk"], waiting["c2b_id"], "mine now")
    with pytest.raises(NotFound):  # another shop's owner: nothing is revealed
        mpesa.assign(theirs, waiting["c2b_id"], 1)
    assert mpesa.transactions(owner)["c2b_id"].tolist() == [waiting["c2b_id"]]


def test_the_pay_to_line_names_the_paybill_and_the_account():
    assert reminders.pay_to_line("522533", 1042) == "Pay to Paybill 522533, account 1042."
    assert reminders.pay_to_line(None, 1042) == ""
    text = reminders.reminder_text(
        "Habari {name}.", "Achieng", Decimal("500"), "Duka", "KES", "Pay to Paybill 1, account 1042."
    )
    assert text == "Habari Achieng. Pay to Paybill 1, account 1042."


def test_the_statement_says_where_to_pay(paybill):
    owner, _, customer = paybill
    mpesa.set_short_code(owner, "522533")
    summary = statements.statement_summary(statements.statement(owner, customer["customer_id"]))
    assert f"Pay to Paybill 522533, account {customer['account_no']}." in summary


def test_callback_urls_carry_the_secret_under_the_public_address():
    urls = mpesa.callback_urls("https://duka.example.co.ke/", "s3cret")
    assert urls == {
        "validation": "https://duka.example.co.ke/api/v1/mpesa/s3cret/c2b/validation",
        "confirmation": "https://duka.example.co.ke/api/v1/mpesa/s3cret/c2b/confirmation",
    }


def test_a_time_that_is_not_safaricoms_format_is_refused():
    with pytest.raises(InvalidInput):
        mpesa.trans_time("2026-03-02 14:30:00")
    assert mpesa.trans_time("20260302143000") == datetime(2026, 3, 2, 14, 30)


# --- over real HTTP (part A's api_url fixture: `python -m api` on a free localhost port) ----------------


def post(api_url: str, secret: str, which: str, payload) -> httpx.Response:
    return httpx.post(f"{api_url}/api/v1/mpesa/{secret}/c2b/{which}", json=payload, timeout=30)


def test_a_confirmation_posted_three_times_over_http_is_accepted_and_recorded_once(api_url, paybill):
    owner, secret, customer = paybill
    for _ in range(3):
        answer = post(api_url, secret, "confirmation", body(customer["account_no"], "500.00"))
        assert answer.status_code == 200
        assert answer.json() == {"ResultCode": 0, "ResultDesc": "Accepted"}
    assert paid_by_mpesa(owner.shop_id, "RKTQDM7W6S") == Decimal("500.00")
    assert customer["customer_id"] not in set(customers.debtors(owner)["customer_id"])


def test_an_unmatched_and_an_overpaid_confirmation_over_http_wait_in_the_inbox(api_url, paybill):
    owner, secret, customer = paybill
    assert post(api_url, secret, "confirmation", body("4242", "50", trans_id="UNMATCHED1")).json()["ResultCode"] == 0
    over = body(customer["account_no"], "9000", trans_id="OVERPAID01")
    assert post(api_url, secret, "confirmation", over).json()["ResultCode"] == 0
    inbox = mpesa.transactions(owner)
    assert sorted(inbox["trans_id"]) == ["OVERPAID01", "UNMATCHED1"]
    assert customers.customer(owner, customer["customer_id"])["balance"] == Decimal("500.00")


def test_the_amount_arrives_exact_when_safaricom_sends_a_json_number(api_url, paybill):
    owner, secret, customer = paybill
    raw = json.dumps(body(customer["account_no"])).replace('"500.00"', "100.10")
    answer = httpx.post(
        f"{api_url}/api/v1/mpesa/{secret}/c2b/confirmation",
        content=raw,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.json()["ResultCode"] == 0
    assert paid_by_mpesa(owner.shop_id, "RKTQDM7W6S") == Decimal("100.10")


def test_validation_over_http_accepts_or_rejects_the_amount(api_url, paybill):
    _, secret, customer = paybill
    assert post(api_url, secret, "validation", body(customer["account_no"], "10")).json() == {
        "ResultCode": 0,
        "ResultDesc": "Accepted",
    }
    assert post(api_url, secret, "validation", body(customer["account_no"], "0")).json() == {
        "ResultCode": "C2B00013",
        "ResultDesc": "Rejected",
    }


@pytest.mark.parametrize("which", ["validation", "confirmation"])
def test_an_unknown_secret_over_http_is_404_and_stores_nothing(api_url, paybill, which):
    owner, secret, customer = paybill
    answer = post(api_url, secret + "x", which, body(customer["account_no"]))
    assert answer.status_code == 404
    assert set(answer.json()) >= {"error", "detail"}
    assert count("SELECT COUNT(*) FROM mpesa_c2b WHERE shop_id = %s", owner.shop_id) == 0


def test_a_body_that_is_no_payment_is_422_without_a_traceback(api_url, paybill):
    _, secret, _ = paybill
    answer = post(api_url, secret, "confirmation", {"TransID": "X1", "TransTime": "yesterday", "TransAmount": "5"})
    assert answer.status_code == 422 and "TransTime" in answer.json()["detail"]
    assert "Traceback" not in answer.text


def test_the_owner_makes_the_callback_urls_and_assigns_from_the_inbox_on_the_page(paybill):
    owner, secret, customer = paybill
    mpesa.confirm(secret, body("typo", "200"))
    at = signed_in(owner, "pages/15_M-Pesa.py")
    assert not at.exception
    at = click(at, "Rotate secret")
    assert "/api/v1/mpesa/" in at.code[0].value
    with pytest.raises(NotFound):  # the old secret stopped at once
        mpesa.confirm(secret, body(customer["account_no"], "1", trans_id="AFTER00001"))
    at.selectbox(key="mpesa_who").set_value(customer["customer_id"])
    at = click(at, "Record as their payment")
    assert not at.exception
    assert customers.customer(owner, customer["customer_id"])["balance"] == Decimal("300.00")
    assert mpesa.transactions(owner).empty


# --- one receipt, however it arrives, pays once (found in review) ---------------------------------------------

BUSINESS = ["Receipt No.", "Completion Time", "Details", "Transaction Status", "Transaction Type", "Other Party"]
BUSINESS += ["Paid In", "Withdrawn", "Balance"]


def _business_statement(account: int, trans_id: str = "SE11AA22BB") -> mpesa_statement.Statement:
    """The owner's business statement holding the Paybill payment that C2B may also have reported."""
    row = [trans_id, "2026-03-10 11:00:00", f"Pay Bill from 2547****678 - JOHN KAMAU Acc. {account}", "Completed"]
    row += ["Pay Bill", "2547****678 - JOHN KAMAU", "600.00", "", "5,600.00"]
    text = "\r\n".join(",".join(f'"{cell}"' for cell in line) for line in [BUSINESS, row]) + "\r\n"
    return mpesa_statement.read_statement("business.csv", text.encode())


@pytest.fixture
def kamau(shop):
    customer = customers.add_customer(shop, "John Kamau", new_phone())
    book.record_sale(shop, customer, "Sugar", total="1500", debt_date=date(2026, 3, 1))
    return customer, customers.customer(shop, customer)["account_no"]


def test_a_receipt_c2b_recorded_is_not_offered_again_by_a_statement(shop, kamau):
    customer, account = kamau
    secret = mpesa.rotate_secret(shop)
    assert mpesa.confirm(secret, body(account, "600.00", "SE11AA22BB", TransTime="20260310110000"))["state"] == (
        "recorded"
    )
    found = mpesa_import.preview(shop, _business_statement(account))
    assert found.payments == [] and [a["receipt_no"] for a in found.already] == ["SE11AA22BB"]
    mpesa_import.import_statement(shop, found, {})
    assert paid_by_mpesa(shop.shop_id, "SE11AA22BB") == Decimal("600.00")
    assert customers.customer(shop, customer)["balance"] == Decimal("900.00")


def test_a_statement_payment_offered_before_c2b_arrived_is_not_recorded_twice(shop, kamau):
    """The preview was made before the confirmation came; the import reads the C2B receipts again, locked."""
    customer, account = kamau
    found = mpesa_import.preview(shop, _business_statement(account))
    assert [p["receipt_no"] for p in found.payments] == ["SE11AA22BB"]
    mpesa.confirm(mpesa.rotate_secret(shop), body(account, "600.00", "SE11AA22BB", TransTime="20260310110000"))
    mpesa_import.import_statement(shop, found, {"SE11AA22BB": customer})
    assert paid_by_mpesa(shop.shop_id, "SE11AA22BB") == Decimal("600.00")


def test_a_confirmation_of_a_receipt_imported_from_a_statement_pays_nothing(shop, kamau):
    customer, account = kamau
    found = mpesa_import.preview(shop, _business_statement(account))
    mpesa_import.import_statement(shop, found, {"SE11AA22BB": customer})
    answer = mpesa.confirm(mpesa.rotate_secret(shop), body(account, "600.00", "SE11AA22BB", TransTime="20260310110000"))
    assert answer["state"] == "noted" and "statement" in answer["reason"]
    assert paid_by_mpesa(shop.shop_id, "SE11AA22BB") == Decimal("600.00")
    assert customers.customer(shop, customer)["balance"] == Decimal("900.00")
