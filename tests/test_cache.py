"""Reads are cached per shop; a write to a shop clears that shop's reads, and only that shop's."""

from __future__ import annotations

from decimal import Decimal

from db import cache
from duka import book, customers, dashboard
from support import register_owner


def test_a_repeated_read_is_served_from_the_cache(shop):
    dashboard.kpis(shop)
    hits = cache.stats["hits"]
    dashboard.kpis(shop)
    assert cache.stats["hits"] == hits + 2  # the role check and the figures


def test_a_write_clears_its_shops_reads_at_once(shop):
    customer = customers.add_customer(shop, "Nduta")
    assert dashboard.kpis(shop)["outstanding"] == 0
    book.record_sale(shop, customer, "Salt", total="45")
    assert dashboard.kpis(shop)["outstanding"] == Decimal("45.00")


def test_a_write_to_one_shop_keeps_the_other_shops_cache(shop):
    other, _ = register_owner("Another shop")
    dashboard.kpis(other)
    customers.add_customer(shop, "Muthoni")
    hits = cache.stats["hits"]
    dashboard.kpis(other)
    assert cache.stats["hits"] == hits + 2


def test_callers_cannot_change_what_is_cached(shop):
    customer = customers.add_customer(shop, "Odhiambo")
    book.record_sale(shop, customer, "Milk", total="60")
    first = book.ledger(shop, customer)
    first["description"] = "changed by a caller"
    assert book.ledger(shop, customer)["description"].tolist() == ["Milk"]


def test_a_role_change_takes_effect_at_once_despite_the_cache(staffed_shop):
    import pytest

    from db.errors import NotAllowed
    from duka import members

    owner, clerk = staffed_shop["owner"], staffed_shop["clerk"]
    customers.debtors(clerk)  # the clerk's role is now cached
    members.change_role(owner, clerk.user_id, "analyst")
    with pytest.raises(NotAllowed, match="An analyst cannot"):
        customers.add_customer(clerk, "Someone")
    members.remove_member(owner, clerk.user_id)
    with pytest.raises(NotAllowed, match="not a member"):
        customers.debtors(clerk)
