"""Customers: a look-alike name asks first, name and phone corrected, archived and restored, duplicates merged
with every sale and payment moved in one transaction and the debtors list right."""

from __future__ import annotations

from decimal import Decimal

import pytest

from db.errors import InvalidInput, NotAllowed
from duka import book, customers
from duka.customers import LookAlike, StillOwes
from simulate.demo import invariant_breaches


def test_a_second_customer_with_the_same_name_asks_first_whatever_the_case(shop):
    first = customers.add_customer(shop, "Kiprono", "0712 345 678")
    book.record_sale(shop, first, "Bread", total="60")
    with pytest.raises(LookAlike) as same:
        customers.add_customer(shop, "  KIPRONO ")
    assert str(same.value).startswith("Kiprono already exists — +254712345678, owes Ksh 60.00")
    assert [m["customer_id"] for m in same.value.matches] == [first]
    with pytest.raises(LookAlike):
        book.record_sale_to_new_customer(shop, "kiprono", None, "Milk", total="50")
    assert len(customers.customer_choices(shop)) == 1  # nothing half-made
    second = customers.add_customer(shop, "Kiprono", look_alike_ok=True)
    assert second != first


def test_a_bad_sale_to_a_new_look_alike_is_reported_before_the_name(shop):
    customers.add_customer(shop, "Amina")
    with pytest.raises(InvalidInput, match="not a number"):
        book.record_sale_to_new_customer(shop, "Amina", None, "Rice", total="abc")


def test_name_and_phone_are_corrected_and_a_taken_phone_is_refused(staffed_shop):
    owner, clerk = staffed_shop["owner"], staffed_shop["clerk"]
    one = customers.add_customer(owner, "Jmua", None)
    other = customers.add_customer(owner, "Otieno", "0722 000 111")
    customers.edit_customer(clerk, one, "Juma", "0733 123 456")
    assert (customers.customer(owner, one)["name"], customers.customer(owner, one)["phone"]) == (
        "Juma",
        "+254733123456",
    )
    with pytest.raises(InvalidInput, match="Otieno already has phone"):
        customers.edit_customer(owner, one, "Juma", "0722000111")
    customers.edit_customer(owner, other, "Otieno", "")  # the phone may be taken away
    assert customers.customer(owner, other)["phone"] is None
    with pytest.raises(NotAllowed):
        customers.edit_customer(staffed_shop["analyst"], one, "X", None)


def test_archiving_someone_who_owes_asks_first_and_takes_them_out_of_the_pickers(shop):
    customer = customers.add_customer(shop, "Wekesa")
    book.record_sale(shop, customer, "Nails", total="75")
    with pytest.raises(StillOwes, match="still owes Ksh 75.00"):
        customers.archive_customer(shop, customer)
    customers.archive_customer(shop, customer, even_if_owing=True)
    assert customers.customer_choices(shop).empty
    assert customers.customer_choices(shop, include_archived=True)["customer_id"].tolist() == [customer]
    assert customers.debtors(shop)["balance"].tolist() == [Decimal("75.00")]  # the money is still owed
    with pytest.raises(InvalidInput, match="archived"):
        book.record_sale(shop, customer, "Paint", total="10")
    customers.restore_customer(shop, customer)
    book.record_sale(shop, customer, "Paint", total="10")


def test_a_clerk_may_not_archive_or_merge(staffed_shop):
    owner, clerk = staffed_shop["owner"], staffed_shop["clerk"]
    a, b = customers.add_customer(owner, "A"), customers.add_customer(owner, "B")
    with pytest.raises(NotAllowed):
        customers.archive_customer(clerk, a)
    with pytest.raises(NotAllowed):
        customers.merge_customers(clerk, a, b)


def test_merging_moves_every_sale_and_payment_and_keeps_the_debtors_list_right(shop, raw):
    keep = customers.add_customer(shop, "Nafula")
    twin = customers.add_customer(shop, "Nafula W", "0711 999 000")
    book.record_sale(shop, keep, "Rice", total="100")
    paid = book.record_sale(shop, twin, "Beans", total="40")
    book.record_payment(shop, paid, "15", "M-Pesa", "QA1")
    voided = book.record_sale(shop, twin, "Typo", total="5")
    book.void_sale(shop, voided, "typed twice")
    assert customers.merge_customers(shop, keep, twin) == 2
    assert customers.customer(shop, keep)["balance"] == Decimal("125.00")
    assert customers.customer(shop, keep)["phone"] == "+254711999000"  # the phone went with the person
    gone = customers.customer(shop, twin)
    assert (gone["balance"], gone["merged_into"], gone["phone"]) == (Decimal("0.00"), keep, None)
    assert sorted(book.ledger(shop, keep)["description"]) == ["Beans", "M-Pesa QA1 for Beans", "Rice", "Typo"]
    assert customers.debtors(shop)["customer_id"].tolist() == [keep]
    assert invariant_breaches([shop.shop_id]) == []
    cur = raw.cursor()
    cur.execute(
        "SELECT COUNT(*) FROM audit_log WHERE shop_id = %s AND table_name = 'debts' AND changed_by = %s",
        (shop.shop_id, shop.user_id),
    )
    assert cur.fetchone()[0] == 3  # the void, then each moved sale
    with pytest.raises(InvalidInput, match="already merged"):
        customers.merge_customers(shop, keep, twin)
    with pytest.raises(InvalidInput, match="merged into another"):
        customers.restore_customer(shop, twin)
    with pytest.raises(InvalidInput, match="two different"):
        customers.merge_customers(shop, keep, keep)
