"""Roles are enforced in db/, and no read or write crosses from one shop into another."""

from __future__ import annotations

from decimal import Decimal

import pytest

from db.errors import InvalidInput, NotAllowed, NotFound
from duka import book, customers, dashboard, invitations, members
from duka.members import Actor
from duka.values import normalise_phone
from support import new_phone, register_owner


@pytest.fixture
def sale(staffed_shop):
    owner = staffed_shop["owner"]
    customer = customers.add_customer(owner, "Kamau")
    debt = book.record_sale(owner, customer, "Maize", total="500")
    payment = book.record_payment(owner, debt, "100")
    return {"customer": customer, "debt": debt, "payment": payment}


def test_a_clerk_records_customers_sales_and_payments(staffed_shop, sale):
    clerk = staffed_shop["clerk"]
    customer = customers.add_customer(clerk, "Otieno")
    debt = book.record_sale(clerk, customer, "Beans", total="80")
    book.record_payment(clerk, debt, "30")
    book.pay_customer(clerk, sale["customer"], "50")
    assert customers.customer(clerk, customer)["balance"] == Decimal("50.00")


@pytest.mark.parametrize("action", ["edit_sale", "void_sale", "edit_payment", "void_payment", "invite"])
def test_a_clerk_cannot_correct_or_manage(staffed_shop, sale, action):
    clerk = staffed_shop["clerk"]
    calls = {
        "edit_sale": lambda: book.edit_sale(clerk, sale["debt"], "Maize", "400", book.today()),
        "void_sale": lambda: book.void_sale(clerk, sale["debt"], "no"),
        "edit_payment": lambda: book.edit_payment(clerk, sale["payment"], "10", "Cash", None, book.today()),
        "void_payment": lambda: book.void_payment(clerk, sale["payment"], "no"),
        "invite": lambda: invitations.invite(clerk, new_phone(), "clerk"),
    }
    with pytest.raises(NotAllowed, match="A clerk cannot"):
        calls[action]()
    assert customers.customer(staffed_shop["owner"], sale["customer"])["balance"] == Decimal("400.00")


@pytest.mark.parametrize("action", ["add_customer", "record_sale", "record_payment", "pay_customer", "void_payment"])
def test_an_analyst_writes_nothing(staffed_shop, sale, action):
    analyst = staffed_shop["analyst"]
    calls = {
        "add_customer": lambda: customers.add_customer(analyst, "New"),
        "record_sale": lambda: book.record_sale(analyst, sale["customer"], "x", total="1"),
        "record_payment": lambda: book.record_payment(analyst, sale["debt"], "1"),
        "pay_customer": lambda: book.pay_customer(analyst, sale["customer"], "1"),
        "void_payment": lambda: book.void_payment(analyst, sale["payment"], "no"),
    }
    with pytest.raises(NotAllowed, match="An? analyst cannot"):
        calls[action]()
    assert len(book.ledger(staffed_shop["owner"], sale["customer"])) == 2


def test_an_analyst_reads_the_dashboard_and_debtors(staffed_shop, sale):
    analyst = staffed_shop["analyst"]
    assert dashboard.kpis(analyst)["outstanding"] == Decimal("400.00")
    assert customers.debtors(analyst)["customer_id"].tolist() == [sale["customer"]]


def test_the_owner_changes_roles_removes_members_and_keeps_one_owner(staffed_shop):
    owner, clerk = staffed_shop["owner"], staffed_shop["clerk"]
    members.change_role(owner, clerk.user_id, "analyst")
    with pytest.raises(NotAllowed):
        customers.add_customer(clerk, "x")
    members.remove_member(owner, clerk.user_id)
    with pytest.raises(NotAllowed, match="not a member"):
        customers.debtors(clerk)
    with pytest.raises(InvalidInput, match="at least one owner"):
        members.change_role(owner, owner.user_id, "clerk")
    with pytest.raises(InvalidInput, match="at least one owner"):
        members.remove_member(owner, owner.user_id)


def test_inviting_an_unknown_phone_makes_no_member_and_names_nobody(shop):
    phone = new_phone()
    invitations.invite(shop, phone, "clerk")
    assert len(members.members(shop)) == 1
    assert list(invitations.waiting(shop)["phone"]) == [normalise_phone(phone)]


@pytest.fixture
def two_shops():
    """Two shops, each with a customer called Mary Wambui who owes."""
    shops = []
    for name in ("Duka A", "Duka B"):
        owner, _ = register_owner(name)
        customer = customers.add_customer(owner, "Mary Wambui", "0733000222")
        debt = book.record_sale(owner, customer, "Cooking oil", total="300")
        shops.append({"owner": owner, "customer": customer, "debt": debt})
    return shops


def test_the_same_customer_phone_may_exist_in_two_shops(two_shops):
    assert two_shops[0]["customer"] != two_shops[1]["customer"]


def test_reads_never_show_another_shops_rows(two_shops):
    a, b = two_shops
    assert customers.debtors(a["owner"])["customer_id"].tolist() == [a["customer"]]
    assert dashboard.kpis(a["owner"])["outstanding"] == Decimal("300.00")
    with pytest.raises(NotFound):
        customers.customer(a["owner"], b["customer"])
    assert book.ledger(a["owner"], b["customer"]).empty
    assert book.open_debts(a["owner"], b["customer"]).empty


def test_writes_with_another_shops_ids_are_refused(two_shops):
    a, b = two_shops
    with pytest.raises(NotFound):
        book.record_payment(a["owner"], b["debt"], "10")
    with pytest.raises(NotFound):
        book.pay_customer(a["owner"], b["customer"], "10")
    with pytest.raises(NotFound):
        book.record_sale(a["owner"], b["customer"], "x", total="10")
    with pytest.raises(NotFound):
        book.void_sale(a["owner"], b["debt"], "x")
    assert customers.customer(b["owner"], b["customer"])["balance"] == Decimal("300.00")


def test_an_actor_naming_a_shop_they_do_not_belong_to_is_refused(two_shops):
    a, b = two_shops
    intruder = Actor(a["owner"].user_id, b["owner"].shop_id)
    with pytest.raises(NotAllowed, match="not a member"):
        customers.debtors(intruder)
    with pytest.raises(NotAllowed):
        book.record_payment(intruder, b["debt"], "10")
