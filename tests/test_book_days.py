"""The book's daily roll-up (migration 020), kept by triggers for raw SQL as for the app: credit given and collected
per day, what the dashboard's figures and chart read instead of a year of sales and payments (issue 15)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd

from duka import book, customers, dashboard
from simulate import demo
from support import register_owner

D = Decimal


def _exec(raw, statement, *params):
    cur = raw.cursor()
    cur.execute(statement, params)
    return cur.lastrowid


def _days(raw, shop) -> dict[str, tuple[str, int, str, int]]:
    """book_day -> (credit_given, sales, collected, payments), days of zeros left out (they mean no day)."""
    cur = raw.cursor()
    cur.execute(
        "SELECT book_day, credit_given, sales, collected, payments FROM book_days WHERE shop_id = %s"
        " AND (sales <> 0 OR payments <> 0 OR credit_given <> 0 OR collected <> 0) ORDER BY book_day",
        (shop,),
    )
    return {str(day): (str(credit), sales, str(collected), n) for day, credit, sales, collected, n in cur.fetchall()}


def test_raw_sales_payments_voids_edits_and_write_offs_keep_the_days_equal_to_the_book(raw):
    shop = _exec(raw, "INSERT INTO shops (name) VALUES ('Duka la Siku')")
    customer = _exec(raw, "INSERT INTO customers (shop_id, name) VALUES (%s, 'Wanjiku')", shop)
    sale = "INSERT INTO debts (shop_id, customer_id, product, total, debt_date) VALUES (%s, %s, 'unga', %s, %s)"
    first = _exec(raw, sale, shop, customer, "100.00", "2026-03-01")
    second = _exec(raw, sale, shop, customer, "50.50", "2026-03-01")
    third = _exec(raw, sale, shop, customer, "80.00", "2026-03-02")
    pay = "INSERT INTO payments (shop_id, debt_id, amount, paid_at) VALUES (%s, %s, %s, %s)"
    _exec(raw, pay, shop, first, "30.00", "2026-03-02")
    kept = _exec(raw, pay, shop, first, "20.00", "2026-03-03")
    voided = _exec(raw, pay, shop, second, "10.00", "2026-03-03")
    assert _days(raw, shop) == {
        "2026-03-01": ("150.50", 2, "0.00", 0),
        "2026-03-02": ("80.00", 1, "30.00", 1),
        "2026-03-03": ("0.00", 0, "30.00", 2),
    }
    _exec(raw, "UPDATE payments SET voided_at = NOW() WHERE id = %s", voided)  # a voided payment is not collected
    _exec(raw, "UPDATE payments SET amount = 25.00, paid_at = '2026-03-04' WHERE id = %s", kept)  # corrected
    _exec(raw, "UPDATE debts SET voided_at = NOW() WHERE id = %s", second)  # a voided sale is not credit given
    _exec(raw, "UPDATE debts SET total = 90.00, debt_date = '2026-03-05' WHERE id = %s", third)
    _exec(raw, "INSERT INTO write_offs (shop_id, debt_id, amount, reason) VALUES (%s, %s, 45.00, 'gone')", shop, first)
    assert _days(raw, shop) == {
        "2026-03-01": ("100.00", 1, "0.00", 0),
        "2026-03-02": ("0.00", 0, "30.00", 1),
        "2026-03-04": ("0.00", 0, "25.00", 1),
        "2026-03-05": ("90.00", 1, "0.00", 0),
    }
    assert demo.invariant_breaches([shop]) == []


def test_the_invariant_check_catches_a_book_day_written_by_hand(raw):
    shop = _exec(raw, "INSERT INTO shops (name) VALUES ('Duka la Mkono')")
    customer = _exec(raw, "INSERT INTO customers (shop_id, name) VALUES (%s, 'Otieno')", shop)
    _exec(
        raw,
        "INSERT INTO debts (shop_id, customer_id, product, total, debt_date) VALUES (%s, %s, 'sukari', 70, CURDATE())",
        shop,
        customer,
    )
    assert demo.invariant_breaches([shop]) == []
    _exec(raw, "UPDATE book_days SET collected = collected + 1 WHERE shop_id = %s", shop)
    assert [b["problem"] for b in demo.invariant_breaches([shop])] == ["book_days differs from sales and payments"]
    _exec(raw, "INSERT INTO book_days (shop_id, book_day, credit_given, sales) VALUES (%s, '2020-01-01', 5, 1)", shop)
    assert len(demo.invariant_breaches([shop])) == 2


def test_the_dashboard_figures_from_the_days_equal_the_sums_of_the_book():
    owner, _ = register_owner("Duka la Hesabu")
    on = date(2026, 3, 20)
    amina = customers.add_customer(owner, "Amina")
    sale = book.record_sale(owner, amina, "Mchele", total="500", debt_date=date(2026, 3, 2))
    earlier = book.record_sale(owner, amina, "Sukari", total="120.50", debt_date=date(2026, 2, 10))
    book.record_sale(owner, amina, "Unga", total="40", debt_date=date(2026, 3, 20))
    book.record_payment(owner, sale, "100", paid_at=date(2026, 3, 20))
    book.record_payment(owner, earlier, "60", paid_at=date(2026, 2, 18))
    figures = dashboard.kpis(owner, on)
    assert (figures["collected_today"], figures["collected_month"], figures["credit_month"]) == (
        D("100.00"),
        D("100.00"),
        D("540.00"),
    )
    assert (figures["collected_last_month"], figures["credit_last_month"]) == (D("60.00"), D("120.50"))
    flow = dashboard.monthly_flow(owner, 2, on)
    assert flow[["credit_given", "collected"]].values.tolist() == [
        [D("120.50"), D("60.00")],
        [D("540.00"), D("100.00")],
    ]


def test_the_dashboards_top_debtors_are_the_questions_first_rows_ties_and_all(raw):
    """The dashboard reads its ten with a query of its own: the same rows in the same order as the first rows of
    the analyst's question, with balances tied across the cut (sorted by name) and fewer debtors than asked."""
    from duka.questions import answer, question

    owner, _ = register_owner("Duka la Wadeni")
    for name, owed in (("Zawadi", "300"), ("Baraka", "300"), ("Chebet", "300"), ("Neema", "50"), ("Juma", "900")):
        book.record_sale(owner, customers.add_customer(owner, name), "Mafuta", total=owed)
    everyone = answer(owner.shop_id, question("debts/top_debtors"), {"how_many": 1000}).frame
    for limit in (1, 2, 3, 4, 5, 10):
        pd.testing.assert_frame_equal(dashboard.top_debtors(owner, limit), everyone.head(limit))
    assert dashboard.top_debtors(owner, 3)["customer"].tolist() == ["Juma", "Baraka", "Chebet"]
