"""The debt book through db/: sales, payments, allocation, corrections, bad input."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from db.errors import InvalidInput, NotFound
from duka import book, customers, dashboard
from duka.clock import today


@pytest.fixture
def customer(shop):
    return customers.add_customer(shop, "Wanjiru Kamau", "0722000111")


def test_a_sale_and_part_payment_show_in_balance_and_ledger(shop, customer):
    debt = book.record_sale(shop, customer, "Sugar 2kg", total="400")
    book.record_payment(shop, debt, "150.50", "M-Pesa", "QK12AB34CD")
    assert customers.customer(shop, customer)["balance"] == Decimal("249.50")
    ledger = book.ledger(shop, customer)
    assert list(ledger["kind"]) == ["Payment", "Sale"]  # newest first
    assert list(ledger["running_balance"]) == [Decimal("249.50"), Decimal("400.00")]
    assert "QK12AB34CD" in ledger["description"].iloc[0]


def test_quantity_times_unit_price_makes_the_total(shop, customer):
    debt = book.record_sale(shop, customer, "Milk", quantity="3", unit_price="55.50")
    assert book.open_debts(shop, customer)["total"].tolist() == [Decimal("166.50")]
    assert debt > 0


def test_an_overpayment_is_refused_with_the_balance_and_nothing_changes(shop, customer):
    debt = book.record_sale(shop, customer, "Rice", total="1,000")
    with pytest.raises(InvalidInput, match=r"balance of Rice is Ksh 1,000\.00"):
        book.record_payment(shop, debt, "1000.01")
    assert customers.customer(shop, customer)["balance"] == Decimal("1000.00")


def test_paying_the_customer_total_clears_oldest_sales_first(shop, customer):
    old = book.record_sale(shop, customer, "Old", total="100", debt_date=today() - timedelta(days=20))
    new = book.record_sale(shop, customer, "New", total="100", debt_date=today() - timedelta(days=1))
    allocations = book.pay_customer(shop, customer, "150")
    assert allocations == [(old, Decimal("100.00")), (new, Decimal("50.00"))]
    assert book.open_debts(shop, customer)["balance"].tolist() == [Decimal("50.00")]


def test_paying_more_than_the_customer_owes_is_refused_whole(shop, customer):
    book.record_sale(shop, customer, "A", total="100")
    book.record_sale(shop, customer, "B", total="50")
    with pytest.raises(InvalidInput, match=r"customer's balance is Ksh 150\.00"):
        book.pay_customer(shop, customer, "150.01")
    assert customers.customer(shop, customer)["balance"] == Decimal("150.00")
    assert len(book.ledger(shop, customer)) == 2


def test_clearing_the_balance_removes_the_customer_from_debtors_but_keeps_the_ledger(shop, customer):
    debt = book.record_sale(shop, customer, "Flour", total="200")
    book.record_payment(shop, debt, "200")
    assert customer not in customers.debtors(shop)["customer_id"].tolist()
    assert customer in customers.debtors(shop, include_cleared=True)["customer_id"].tolist()
    assert len(book.ledger(shop, customer)) == 2


def test_debtors_search_matches_name_or_phone_and_treats_wildcards_as_text(shop, customer):
    other = customers.add_customer(shop, "Baraka 100%", None)
    book.record_sale(shop, customer, "x", total="10")
    book.record_sale(shop, other, "x", total="10")
    assert customers.debtors(shop, "wanjiru")["customer_id"].tolist() == [customer]
    assert customers.debtors(shop, "722000111")["customer_id"].tolist() == [customer]
    assert customers.debtors(shop, "100%")["customer_id"].tolist() == [other]
    assert customers.debtors(shop, "%")["customer_id"].tolist() == [other]
    assert customers.debtors(shop, "_")["customer_id"].tolist() == []


def test_a_duplicate_customer_phone_in_one_shop_is_refused(shop, customer):
    with pytest.raises(InvalidInput, match="Wanjiru Kamau already has phone"):
        customers.add_customer(shop, "Someone Else", "+254 722 000 111")


def test_the_owner_voids_a_payment_and_then_the_sale(shop, customer):
    debt = book.record_sale(shop, customer, "Soap", total="90")
    payment = book.record_payment(shop, debt, "90")
    with pytest.raises(InvalidInput, match="void them first"):
        book.void_sale(shop, debt, "typed twice")
    book.void_payment(shop, payment, "wrong customer")
    assert customers.customer(shop, customer)["balance"] == Decimal("90.00")
    book.void_sale(shop, debt, "typed twice")
    assert customers.customer(shop, customer)["balance"] == Decimal("0.00")
    ledger = book.ledger(shop, customer)
    assert ledger["voided"].tolist() == [True, True]
    assert ledger["running_balance"].tolist() == [Decimal("0.00"), Decimal("0.00")]


def test_the_owner_edits_a_sale_and_a_payment(shop, customer):
    debt = book.record_sale(shop, customer, "Tea", total="100")
    payment = book.record_payment(shop, debt, "40")
    book.edit_sale(shop, debt, "Tea leaves", "120", today())
    book.edit_payment(shop, payment, "50", "Cash", None, today())
    assert customers.customer(shop, customer)["balance"] == Decimal("70.00")
    with pytest.raises(InvalidInput, match="cannot be less than what was already paid"):
        book.edit_sale(shop, debt, "Tea leaves", "49.99", today())
    with pytest.raises(InvalidInput, match="at most Ksh 120.00"):
        book.edit_payment(shop, payment, "120.01", "Cash", None, today())


def test_dashboard_figures_follow_sales_and_payments(shop, customer):
    day = today()
    before = dashboard.kpis(shop)
    assert before["outstanding"] == 0 and before["active_debtors"] == 0
    overdue = book.record_sale(
        shop, customer, "Old", total="300", debt_date=day - timedelta(days=45), due_date=day - timedelta(days=15)
    )
    book.record_sale(shop, customer, "New", total="200")
    book.record_payment(shop, overdue, "100")
    figures = dashboard.kpis(shop)
    assert figures["outstanding"] == Decimal("400.00")
    assert figures["active_debtors"] == 1
    assert figures["collected_today"] == Decimal("100.00")
    assert figures["overdue"] == Decimal("200.00")
    ageing = dict(zip(dashboard.ageing(shop)["bucket"], dashboard.ageing(shop)["owed"]))
    assert ageing == {
        "0–30 days": Decimal("200.00"),
        "31–60 days": Decimal("200.00"),
        "61–90 days": Decimal("0"),
        "over 90 days": Decimal("0"),
    }
    flow = dashboard.monthly_flow(shop)
    assert len(flow) == 12 and flow["month"].iloc[-1] == day.replace(day=1)
    assert flow["collected"].sum() == Decimal("100.00")
    assert flow["credit_given"].sum() == Decimal("500.00")
    assert dashboard.top_debtors(shop)["balance"].tolist() == [Decimal("400.00")]


@pytest.mark.parametrize(
    "amount, message",
    [
        ("", "missing"),
        ("   ", "missing"),
        ("0", "more than zero"),
        ("-5", "more than zero"),
        ("abc", "not a number"),
        ("12.345", "two decimal places"),
        ("10000000000", "too large"),
        ("1e3", "not a number"),
        ("NaN", "not a number"),
    ],
)
def test_bad_amounts_get_a_clear_message_and_save_nothing(shop, customer, amount, message):
    with pytest.raises(InvalidInput, match=message):
        book.record_sale(shop, customer, "Bread", total=amount)
    assert book.ledger(shop, customer).empty


@pytest.mark.parametrize(
    "text, value", [("1,250", "1250.00"), ("Ksh 99.5", "99.50"), ("9999999999.99", "9999999999.99")]
)
def test_amounts_people_type_are_read_exactly(shop, customer, text, value):
    debt = book.record_sale(shop, customer, "Bread", total=text)
    assert book.open_debts(shop, customer).set_index("debt_id").loc[debt, "total"] == Decimal(value)


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_empty_names_are_refused(shop, name):
    with pytest.raises(InvalidInput, match="cannot be empty"):
        customers.add_customer(shop, name)


@pytest.mark.parametrize("name", ["Mama Mboga 🥬🍅", "محمد علي", "<script>alert(1)</script>", "' OR 1=1 --"])
def test_unusual_names_are_stored_exactly(shop, name):
    customer = customers.add_customer(shop, name)
    assert customers.customer(shop, customer)["name"] == name


def test_an_invalid_customer_phone_is_refused(shop):
    with pytest.raises(InvalidInput, match="not a valid phone number"):
        customers.add_customer(shop, "Juma", "12345")


def test_dates_in_the_future_and_due_before_sale_are_refused(shop, customer):
    with pytest.raises(InvalidInput, match="future"):
        book.record_sale(shop, customer, "x", total="1", debt_date=today() + timedelta(days=1))
    with pytest.raises(InvalidInput, match="due date"):
        book.record_sale(shop, customer, "x", total="1", debt_date=date(2026, 1, 10), due_date=date(2026, 1, 9))


def test_a_missing_sale_is_not_found(shop):
    with pytest.raises(NotFound):
        book.record_payment(shop, 999999999, "10")


def test_a_new_customer_with_a_bad_sale_is_not_created(shop):
    with pytest.raises(InvalidInput, match="more than zero"):
        book.record_sale_to_new_customer(shop, "Halima", None, "Rice", total="0")
    assert "Halima" not in customers.customer_choices(shop)["name"].tolist()
    customer, debt = book.record_sale_to_new_customer(shop, "Halima", None, "Rice", total="120")
    assert customers.customer(shop, customer)["balance"] == Decimal("120.00") and debt


def test_a_payment_is_never_dated_before_its_sale(shop, customer):
    old_day, new_day = today() - timedelta(days=10), today() - timedelta(days=2)
    old = book.record_sale(shop, customer, "Flour", total="100", debt_date=old_day)
    new = book.record_sale(shop, customer, "Oil", total="50", debt_date=new_day)
    with pytest.raises(InvalidInput, match="before the sale of Oil"):
        book.record_payment(shop, new, "10", paid_at=old_day)
    # paying the customer's total on a day between the two sales reaches only the older one
    assert book.pay_customer(shop, customer, "100", paid_at=new_day - timedelta(days=1)) == [(old, Decimal("100.00"))]
    with pytest.raises(InvalidInput, match="owed Ksh 0.00; a payment cannot pay for later sales"):
        book.pay_customer(shop, customer, "10", paid_at=new_day - timedelta(days=1))
    payment = book.record_payment(shop, new, "10", paid_at=new_day)
    with pytest.raises(InvalidInput, match="before the sale of Oil"):
        book.edit_payment(shop, payment, "10", "Cash", None, old_day)
    with pytest.raises(InvalidInput, match="after its first payment"):
        book.edit_sale(shop, new, "Oil", "50", today())
    assert customers.customer(shop, customer)["balance"] == Decimal("40.00")
