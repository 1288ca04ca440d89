"""Many payments on one debt at once: exact totals, overpayments refused, nothing lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import mysql.connector

from db.errors import InvalidInput
from duka import book, customers
from support import admin_connection


def _run_together(n, job):
    barrier = threading.Barrier(n)

    def start(i):
        barrier.wait()
        return job(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(start, range(n)))


def test_twenty_five_clerks_paying_one_debt_at_once_lose_nothing(staffed_shop):
    owner, clerk = staffed_shop["owner"], staffed_shop["clerk"]
    customer = customers.add_customer(owner, "Njoroge")
    debt = book.record_sale(owner, customer, "Cement", total="1000.00")

    def pay(i):
        try:
            book.record_payment(clerk if i % 2 else owner, debt, "50.00", "M-Pesa", f"REF{i:03d}")
            return "paid"
        except InvalidInput as refused:
            assert "Overpayment refused" in str(refused)
            return "refused"

    outcomes = _run_together(25, pay)
    assert outcomes.count("paid") == 20 and outcomes.count("refused") == 5
    ledger = book.ledger(owner, customer)
    payments = ledger[ledger["kind"] == "Payment"]
    assert len(payments) == 20 and payments["payment"].sum() == Decimal("1000.00")
    assert customers.customer(owner, customer)["balance"] == Decimal("0.00")
    assert customer not in customers.debtors(owner)["customer_id"].tolist()


def test_raw_parallel_inserts_are_serialised_by_the_trigger_without_deadlocks(shop):
    customer = customers.add_customer(shop, "Atieno")
    debt = book.record_sale(shop, customer, "Iron sheets", total="2000.00")

    def insert(i):
        conn = admin_connection()
        try:
            cur = conn.cursor()
            cur.execute(
                "INSERT INTO payments (shop_id, debt_id, amount, paid_at) VALUES (%s, %s, 100, CURDATE())",
                (shop.shop_id, debt),
            )
            conn.commit()
            return "paid"
        except mysql.connector.Error as exc:
            conn.rollback()
            return exc.errno
        finally:
            conn.close()

    outcomes = _run_together(24, insert)
    assert outcomes.count("paid") == 20
    assert sorted(set(outcomes) - {"paid"}) == [1644]  # the overpayment SIGNAL; no 1213 deadlock
    check = admin_connection()
    cur = check.cursor()
    cur.execute(
        "SELECT d.paid, (SELECT SUM(amount) FROM payments p WHERE p.debt_id = d.id) FROM debts d WHERE id = %s", (debt,)
    )
    assert cur.fetchone() == (Decimal("2000.00"), Decimal("2000.00"))
    check.close()
