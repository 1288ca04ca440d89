"""The trigger contract, through raw SQL as any client would send it (not through db/)."""

from __future__ import annotations

import mysql.connector
import pytest

from db import sqlfiles


def _one(raw, sql, *params):
    cur = raw.cursor()
    cur.execute(sql, params)
    rows = cur.fetchall()
    return rows[0] if rows else None


def _rows(raw, sql, *params):
    cur = raw.cursor()
    cur.execute(sql, params)
    return cur.fetchall()


def _exec(raw, sql, *params):
    cur = raw.cursor()
    cur.execute(sql, params)
    return cur.lastrowid


@pytest.fixture
def book(raw):
    """A shop with one customer, made with plain INSERTs."""
    shop = _exec(raw, "INSERT INTO shops (name) VALUES ('Raw Duka')")
    customer = _exec(raw, "INSERT INTO customers (shop_id, name) VALUES (%s, 'Achieng')", shop)
    return {"shop": shop, "customer": customer}


def _debt(raw, book, total, day="2026-01-10", due=None):
    return _exec(
        raw,
        "INSERT INTO debts (shop_id, customer_id, product, total, debt_date, due_date) "
        "VALUES (%s, %s, 'unga', %s, %s, %s)",
        book["shop"],
        book["customer"],
        total,
        day,
        due,
    )


def _pay(raw, book, debt, amount):
    return _exec(
        raw,
        "INSERT INTO payments (shop_id, debt_id, amount, paid_at) VALUES (%s, %s, %s, '2026-02-01')",
        book["shop"],
        debt,
        amount,
    )


def _active_balance(raw, book):
    row = _one(
        raw,
        "SELECT balance FROM active_debtors WHERE shop_id = %s AND customer_id = %s",
        book["shop"],
        book["customer"],
    )
    return None if row is None else str(row[0])


def test_a_new_debt_puts_the_customer_on_active_debtors(raw, book):
    _debt(raw, book, "150.50")
    assert _active_balance(raw, book) == "150.50"


def test_a_second_debt_raises_the_active_balance(raw, book):
    _debt(raw, book, "100.00")
    _debt(raw, book, "25.25")
    assert _active_balance(raw, book) == "125.25"


def test_a_plain_payment_insert_raises_the_debts_paid(raw, book):
    debt = _debt(raw, book, "100.00")
    _pay(raw, book, debt, "30.10")
    paid, balance = _one(raw, "SELECT paid, balance FROM debts WHERE id = %s", debt)
    assert (str(paid), str(balance)) == ("30.10", "69.90")
    assert _active_balance(raw, book) == "69.90"


def test_an_overpayment_is_refused_and_changes_nothing(raw, book):
    debt = _debt(raw, book, "100.00")
    _pay(raw, book, debt, "60.00")
    with pytest.raises(mysql.connector.Error) as refused:
        _pay(raw, book, debt, "40.01")
    assert refused.value.errno == 1644
    assert "balance of this debt is 40.00" in refused.value.msg
    assert str(_one(raw, "SELECT paid FROM debts WHERE id = %s", debt)[0]) == "60.00"
    assert _one(raw, "SELECT COUNT(*) FROM payments WHERE debt_id = %s", debt)[0] == 1
    assert _active_balance(raw, book) == "40.00"


@pytest.mark.parametrize("amount", ["0", "-5.00"])
def test_a_payment_of_zero_or_less_is_refused(raw, book, amount):
    debt = _debt(raw, book, "100.00")
    with pytest.raises(mysql.connector.Error):
        _pay(raw, book, debt, amount)
    assert str(_one(raw, "SELECT paid FROM debts WHERE id = %s", debt)[0]) == "0.00"


def test_paying_the_whole_balance_removes_the_customer_but_keeps_history(raw, book):
    first = _debt(raw, book, "100.00")
    second = _debt(raw, book, "50.00")
    _pay(raw, book, first, "100.00")
    assert _active_balance(raw, book) == "50.00"
    _pay(raw, book, second, "20.00")
    _pay(raw, book, second, "30.00")
    assert _active_balance(raw, book) is None
    assert _one(raw, "SELECT COUNT(*) FROM debts WHERE customer_id = %s", book["customer"])[0] == 2
    assert _one(raw, "SELECT COUNT(*), SUM(amount) FROM payments WHERE shop_id = %s", book["shop"])[0] == 3


def test_a_later_debt_brings_a_cleared_customer_back(raw, book):
    debt = _debt(raw, book, "80.00")
    _pay(raw, book, debt, "80.00")
    assert _active_balance(raw, book) is None
    _debt(raw, book, "12.00")
    assert _active_balance(raw, book) == "12.00"


def test_a_payment_to_another_shops_debt_is_refused(raw, book):
    debt = _debt(raw, book, "100.00")
    other_shop = _exec(raw, "INSERT INTO shops (name) VALUES ('Other')")
    with pytest.raises(mysql.connector.Error):
        _exec(
            raw,
            "INSERT INTO payments (shop_id, debt_id, amount, paid_at) VALUES (%s, %s, 10, '2026-02-01')",
            other_shop,
            debt,
        )
    assert str(_one(raw, "SELECT paid FROM debts WHERE id = %s", debt)[0]) == "0.00"


def test_a_debt_cannot_point_at_another_shops_customer(raw, book):
    other_shop = _exec(raw, "INSERT INTO shops (name) VALUES ('Other')")
    with pytest.raises(mysql.connector.Error):
        _exec(
            raw,
            "INSERT INTO debts (shop_id, customer_id, product, total, debt_date) "
            "VALUES (%s, %s, 'x', 10, '2026-01-01')",
            other_shop,
            book["customer"],
        )


@pytest.mark.parametrize("table", ["payments", "debts"])
def test_history_cannot_be_deleted(raw, book, table):
    debt = _debt(raw, book, "100.00")
    _pay(raw, book, debt, "10.00")
    with pytest.raises(mysql.connector.Error) as refused:
        _exec(raw, f"DELETE FROM {table} WHERE shop_id = %s", book["shop"])
    assert "void" in refused.value.msg
    assert _one(raw, f"SELECT COUNT(*) FROM {table} WHERE shop_id = %s", book["shop"])[0] == 1


def test_a_customer_with_debts_cannot_be_deleted(raw, book):
    _debt(raw, book, "10.00")
    with pytest.raises(mysql.connector.Error):
        _exec(raw, "DELETE FROM customers WHERE id = %s", book["customer"])


def test_voiding_a_payment_gives_the_balance_back(raw, book):
    debt = _debt(raw, book, "100.00")
    payment = _pay(raw, book, debt, "100.00")
    assert _active_balance(raw, book) is None
    _exec(raw, "UPDATE payments SET voided_at = NOW() WHERE id = %s", payment)
    assert _active_balance(raw, book) == "100.00"
    assert str(_one(raw, "SELECT paid FROM debts WHERE id = %s", debt)[0]) == "0.00"


def test_voiding_a_debt_takes_it_off_active_debtors(raw, book):
    keep = _debt(raw, book, "30.00")
    void = _debt(raw, book, "70.00")
    _exec(raw, "UPDATE debts SET voided_at = NOW() WHERE id = %s", void)
    assert _active_balance(raw, book) == "30.00"
    _pay(raw, book, keep, "30.00")
    assert _active_balance(raw, book) is None
    with pytest.raises(mysql.connector.Error):
        _pay(raw, book, void, "1.00")


def test_editing_a_debts_total_follows_into_active_debtors(raw, book):
    debt = _debt(raw, book, "100.00")
    _pay(raw, book, debt, "40.00")
    _exec(raw, "UPDATE debts SET total = 90.00 WHERE id = %s", debt)
    assert _active_balance(raw, book) == "50.00"
    with pytest.raises(mysql.connector.Error):
        _exec(raw, "UPDATE debts SET total = 39.99 WHERE id = %s", debt)
    assert _active_balance(raw, book) == "50.00"


@pytest.mark.parametrize("total", ["0", "-1"])
def test_a_debt_must_be_more_than_zero(raw, book, total):
    with pytest.raises(mysql.connector.Error):
        _debt(raw, book, total)
    assert _active_balance(raw, book) is None


def _all(raw, sql):
    cur = raw.cursor()
    cur.execute(sql)
    return cur.fetchall()


def _version(raw, book):
    return _one(raw, "SELECT version FROM shop_versions WHERE shop_id = %s", book["shop"])[0]


def test_a_bulk_session_leaves_active_debtors_to_its_rebuild_which_gives_what_the_triggers_give(raw, book):
    """Migration 019: a bulk-loading session (the simulator) sets @daftari_skip_debtors and rebuilds its shops'
    active debtors in one statement; that statement gives the very rows the per-row triggers give. Every check on
    a sale and a payment still runs in such a session."""
    paid_off = _exec(raw, "INSERT INTO customers (shop_id, name) VALUES (%s, 'Baraka')", book["shop"])
    span = {"first_shop": book["shop"], "last_shop": book["shop"]}
    _debt(raw, book, "100.00")
    by_triggers = sorted(_rows(raw, "SELECT customer_id, balance FROM active_debtors WHERE shop_id = %s", book["shop"]))
    _exec(raw, "SET @daftari_skip_debtors = 1")
    try:
        second = _debt(raw, book, "50.00")
        _pay(raw, book, second, "20.00")
        cleared = _debt(raw, {**book, "customer": paid_off}, "30.00")
        _pay(raw, book, cleared, "30.00")
        assert _active_balance(raw, book) == "100.00"  # left as it was: the session rebuilds it
        with pytest.raises(mysql.connector.Error, match="Overpayment refused"):
            _pay(raw, book, second, "31.00")
        # the credit limit reads the balance from the open sales in such a session (130.00 owed now)
        _exec(raw, "UPDATE customers SET credit_limit = 140 WHERE id = %s", book["customer"])
        with pytest.raises(mysql.connector.Error, match="the balance would be 145.00, past the limit of 140.00"):
            _debt(raw, book, "15.00")
        _debt(raw, book, "10.00")  # up to the limit exactly
        _exec(raw, "UPDATE customers SET credit_limit = NULL WHERE id = %s", book["customer"])
    finally:
        _exec(raw, "SET @daftari_skip_debtors = NULL")
    raw.cursor().execute(sqlfiles.sql("clear_active_debtors_of_shops"), span)
    raw.cursor().execute(sqlfiles.sql("rebuild_active_debtors_of_shops"), span)
    rebuilt = sorted(_rows(raw, "SELECT customer_id, balance FROM active_debtors WHERE shop_id = %s", book["shop"]))
    assert [(c, str(b)) for c, b in rebuilt] == [(book["customer"], "140.00")]
    assert by_triggers == [(book["customer"], 100)]
    _pay(raw, book, second, "30.00")  # and the triggers carry on from the rebuilt rows
    assert _active_balance(raw, book) == "110.00"


def test_the_version_triggers_skip_only_for_a_session_that_asks(raw, book):
    """Migration 019 tests @daftari_skip_versions in the triggers of the bulk-loaded tables, before the CALL."""
    before = _version(raw, book)
    debt = _debt(raw, book, "10.00")
    bumped = _version(raw, book)
    assert bumped > before
    _exec(raw, "SET @daftari_skip_versions = 1")
    try:
        _pay(raw, book, debt, "5.00")
        _exec(raw, "INSERT INTO customers (shop_id, name) VALUES (%s, 'Zawadi')", book["shop"])
        assert _version(raw, book) == bumped
    finally:
        _exec(raw, "SET @daftari_skip_versions = NULL")
    _pay(raw, book, debt, "5.00")
    assert _version(raw, book) > bumped
