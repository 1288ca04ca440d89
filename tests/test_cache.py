"""Reads are cached per shop; a write to a shop clears that shop's reads, and only that shop's, whichever process or
client made it (the shop's version number, migration 015)."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import db
from db import cache
from duka import book, customers, dashboard
from support import ROOT, TEST_DB, register_owner


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


def test_a_write_by_raw_sql_is_seen_at_the_next_read(shop, raw):
    """The triggers change the shop's version with the write, so even SQL no Daftari process made is seen."""
    customer = customers.add_customer(shop, "Wekesa")
    assert dashboard.kpis(shop)["outstanding"] == 0
    cur = raw.cursor()
    cur.execute(
        "INSERT INTO debts (shop_id, customer_id, product, quantity, unit_price, total, debt_date, created_by)"
        " VALUES (%s, %s, 'Sugar', 1, 80, 80, CURDATE(), %s)",
        (shop.shop_id, customer, shop.user_id),
    )
    assert dashboard.kpis(shop)["outstanding"] == Decimal("80.00")


def test_a_write_in_another_process_is_seen_at_the_next_read(shop):
    """Two app processes (two Streamlit replicas, or the API beside the app) share no memory: the version does it."""
    customer = customers.add_customer(shop, "Achieng")
    assert dashboard.kpis(shop)["outstanding"] == 0
    script = (
        "import db\nfrom duka import book\nfrom duka.members import Actor\n"
        f"book.record_sale(Actor(user_id={shop.user_id}, shop_id={shop.shop_id}), {customer}, 'Rice',"
        " total='120')\n"
    )
    env = dict(os.environ, MYSQL_DATABASE=TEST_DB, PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-c", script], env=env, check=True, cwd=ROOT, timeout=60)
    assert dashboard.kpis(shop)["outstanding"] == Decimal("120.00")


def test_a_write_rolled_back_leaves_the_cache_in_use(shop, raw):
    """The version moves in the write's own transaction: a write that never commits invalidates nothing."""
    customers.add_customer(shop, "Kiprop")
    dashboard.kpis(shop)
    raw.autocommit = False
    cur = raw.cursor()
    cur.execute("UPDATE customers SET name = 'Kiprop K.' WHERE shop_id = %s", (shop.shop_id,))
    raw.rollback()
    hits = cache.stats["hits"]
    dashboard.kpis(shop)
    assert cache.stats["hits"] == hits + 2


def test_every_write_to_a_shops_book_moves_its_version(shop, raw):
    """Each table a cached read can show has the triggers (migration 015); a write to another shop does not."""
    other, _ = register_owner("Other shop")
    before, other_before = db.shop_version(shop.shop_id), db.shop_version(other.shop_id)
    customer = customers.add_customer(shop, "Baraka")
    after_customer = db.shop_version(shop.shop_id)
    book.record_sale(shop, customer, "Bread", total="55")
    after_sale = db.shop_version(shop.shop_id)
    cur = raw.cursor()
    cur.execute("DELETE FROM categories WHERE shop_id = %s AND name = 'Entertainment'", (shop.shop_id,))
    assert before < after_customer < after_sale < db.shop_version(shop.shop_id)
    assert db.shop_version(other.shop_id) == other_before


def test_a_version_read_gives_up_on_a_hung_single_server_after_2_seconds_and_waits_longer_only_on_galera(shop):
    """Only a Galera node's version reads wait for the cluster (tests/test_cluster.py shows why); on one server the
    short limit stays, so a hung server is not waited on for long."""
    from db import config, pool

    galera = any(row["Value"] == "ON" for row in db.rows("galera_is_on"))
    versions = pool.VersionReader(config.resolve())
    try:
        assert versions.read(shop.shop_id) is not None
        assert versions._galera is galera
        assert versions.settings.read_timeout == (config.READ_TIMEOUT if galera else pool.VERSION_SECONDS)
    finally:
        versions.close()
