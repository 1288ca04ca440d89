"""Columns that hold sums are wide enough that no legal sequence of entries can overflow them."""

from __future__ import annotations

from decimal import Decimal

from duka import analytics, book, customers, dashboard, expenses
from duka.analytics import Period
from duka.clock import today
from duka.money import MAX_AMOUNT
from support import category_ids


def test_a_customer_may_owe_more_than_the_largest_single_entry(shop):
    customer = customers.add_customer(shop, "Wholesaler")
    for _ in range(3):
        book.record_sale(shop, customer, "Container of rice", total=str(MAX_AMOUNT))
    owed = MAX_AMOUNT * 3
    assert customers.customer(shop, customer)["balance"] == owed
    assert customers.debtors(shop)["balance"].tolist() == [owed]
    assert dashboard.kpis(shop)["outstanding"] == owed
    book.pay_customer(shop, customer, str(MAX_AMOUNT))
    assert customers.customer(shop, customer)["balance"] == MAX_AMOUNT * 2


def test_a_hundred_and_one_maximal_expenses_in_one_day_roll_up_exactly(shop):
    food = category_ids(shop)["Food"]
    for _ in range(101):
        expenses.add_expense(shop, food, today(), str(MAX_AMOUNT), "Cash", "0", "Catering")
    spent = analytics.summary(shop, Period(today(), today()))
    assert Decimal(spent["total"]) == MAX_AMOUNT * 101
