"""The demo simulator: the same seed gives the same data; what it writes obeys the book's rules."""
from __future__ import annotations

import random
from datetime import date

import pytest
from faker import Faker

from conftest import TEST_DB, _admin_connection
from db import auth, core, demo, startup
from simulate import __main__ as simulate
from simulate.book import customers, sales_and_payments


def _generate(seed: int):
    rng, fake = random.Random(seed), Faker("en_KE")
    fake.seed_instance(seed)
    people = customers(fake, rng, 20)
    return people, *sales_and_payments(rng, people, date(2026, 1, 1), date(2026, 6, 30), 2.0)


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    assert _generate(7) == _generate(7)
    assert _generate(7) != _generate(8)


def test_generated_payments_never_exceed_their_sale_nor_pass_the_end_date():
    _, sales, payments = _generate(11)
    paid = {}
    for p in payments:
        paid[p["sale"]] = paid.get(p["sale"], 0) + p["amount"]
        assert sales[p["sale"]]["debt_date"] <= p["paid_at"] <= date(2026, 6, 30)
    assert all(paid[i] <= sales[i]["total"] for i in paid)


@pytest.fixture
def demo_database(monkeypatch):
    name = f"{TEST_DB}_demo"
    monkeypatch.setenv("MYSQL_DATABASE", name)
    yield name
    monkeypatch.undo()
    core.reset_pool()
    startup.forget()
    conn = _admin_connection(with_database=False)
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
    conn.close()


def test_a_small_simulation_seeds_a_consistent_book_with_a_working_demo_login(demo_database, capsys):
    assert simulate.main(["--customers", "15", "--months", "3", "--shops", "2", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "Invariant breaches: 0" in out and simulate.DEMO_PASSWORD in out
    assert demo.invariant_breaches() == []
    owner = auth.login(simulate.demo_phone(1, "owner"), simulate.DEMO_PASSWORD)
    roles = {m["role"] for m in auth.memberships(owner["id"])}
    assert roles == {"owner"}
    counts = core.rows("shop_ids")
    assert len(counts) == 2 + 2 * 2  # two demo shops, plus the clerk's and analyst's own shops in each
    assert simulate.main(["--demo"]) == 0  # already seeded: says so and leaves it


def test_the_invariant_check_catches_a_tampered_book(demo_database):
    assert simulate.main(["--customers", "5", "--months", "1"]) == 0
    conn = _admin_connection()
    cur = conn.cursor()
    cur.execute("UPDATE active_debtors SET balance = balance + 1 LIMIT 1")
    conn.commit()
    conn.close()
    assert [b["problem"] for b in demo.invariant_breaches()] == ["active_debtors differs from open balances"]


def test_reset_refuses_to_wipe_a_database_with_real_accounts(shop):
    with pytest.raises(RuntimeError, match="real account"):
        demo.wipe()
