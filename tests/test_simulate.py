"""The demo simulator: the same seed gives the same data; what it writes obeys the book's rules."""

from __future__ import annotations

import random
from datetime import date

import pytest
from faker import Faker

import db
from db import startup
from duka import members
from duka.clock import today
from duka.periods import add_months, month_start
from simulate import __main__ as simulate
from simulate import demo, run
from simulate.book import customers, sales_and_payments
from simulate.expenses import rows_expected
from support import TEST_DB, admin_connection


def _generate(seed: int, count: int = 20):
    rng, fake = random.Random(seed), Faker("en_KE")
    fake.seed_instance(seed)
    people = customers(fake, rng, count)
    return people, *sales_and_payments(rng, people, date(2026, 1, 1), date(2026, 6, 30), 2.0)


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    assert _generate(7) == _generate(7)
    assert _generate(7) != _generate(8)


def test_generated_payments_never_exceed_their_sale_nor_pass_the_end_date():
    _, sales, payments = _generate(11, count=400)
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
    db.reset_pool()
    startup.forget()
    conn = admin_connection(with_database=False)
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
    conn.close()


def test_a_small_simulation_seeds_a_consistent_book_with_a_working_demo_login(demo_database, capsys):
    assert simulate.main(["--customers", "15", "--months", "3", "--shops", "2", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "Invariant breaches: 0" in out and simulate.DEMO_PASSWORD in out
    assert demo.invariant_breaches() == []
    owner = members.login(simulate.demo_phone(1, "owner"), simulate.DEMO_PASSWORD)
    assert [m["role"] for m in members.memberships(owner["id"])] == ["owner"]
    clerk = members.login(simulate.demo_phone(2, "clerk"), simulate.DEMO_PASSWORD)
    assert [m["role"] for m in members.memberships(clerk["id"])] == ["clerk"]
    counts = demo.table_counts()
    assert counts["shops"] == 2 and counts["users"] == 6 and counts["customers"] == 30
    months = [add_months(month_start(today()), i) for i in (-2, -1, 0)]
    assert counts["expenses"] == 2 * rows_expected(months, 60, today())  # 60 a month, rent, bills and utilities
    assert 0 < counts["active_debtors"] <= 30
    assert simulate.main(["--demo"]) == 0  # already seeded: says so and leaves it


def test_the_invariant_check_catches_a_tampered_book(demo_database):
    assert simulate.main(["--customers", "5", "--months", "1"]) == 0
    conn = admin_connection()
    cur = conn.cursor()
    cur.execute("UPDATE active_debtors SET balance = balance + 1 LIMIT 1")
    conn.commit()
    conn.close()
    assert [b["problem"] for b in demo.invariant_breaches()] == ["active_debtors differs from open balances"]


def test_the_same_seed_gives_the_same_checksum_of_every_table(demo_database):
    options = run.Options(seed=9, months=2, shops=2, customers=8, expenses_per_month=30, progress=False)
    first = run.simulate(options, date(2026, 6, 15))
    checksums = demo.table_checksums()
    assert first.breaches == [] and first.method == "LOAD DATA LOCAL"
    demo.wipe()
    run.simulate(options, date(2026, 6, 15))
    assert demo.table_checksums() == checksums
    demo.wipe()
    run.simulate(
        run.Options(seed=10, months=2, shops=2, customers=8, expenses_per_month=30, progress=False), date(2026, 6, 15)
    )
    changed = {t for t, c in demo.table_checksums().items() if c != checksums[t]}
    assert {"customers", "debts", "payments", "expenses"} <= changed


def test_a_demo_reset_clears_the_audit_log_too(demo_database):
    run.simulate(
        run.Options(seed=3, months=1, shops=1, customers=3, expenses_per_month=5, progress=False), date(2026, 6, 15)
    )
    with db.connection() as conn:
        conn.cursor().execute("UPDATE customers SET name = CONCAT(name, ' (edited)')")  # as any SQL client
        conn.commit()
    with db.connection() as conn:
        cur = conn.cursor()
        cur.execute("SELECT table_name, COUNT(*) FROM audit_log GROUP BY table_name")
        logged = dict(cur.fetchall())
        cur.execute("SELECT COUNT(*) FROM shop_members")
        (joined,) = cur.fetchone()
    assert logged == {"customers": 3, "shop_members": joined}  # the edits, and each member joining a shop
    members.login(simulate.demo_phone(1, "owner"), simulate.DEMO_PASSWORD)  # a session, and a guard's row
    demo.wipe()
    assert demo.table_counts()["audit_log"] == 0  # a later demo shop with the same id sees no old history
    with db.connection() as conn:
        cur = conn.cursor()
        cur.execute(
            "SELECT (SELECT COUNT(*) FROM sessions) + (SELECT COUNT(*) FROM login_guards)"
            " + (SELECT COUNT(*) FROM one_time_codes) + (SELECT COUNT(*) FROM invitations)"
        )
        assert cur.fetchone()[0] == 0  # no demo sign-in, code or invitation outlives the reset


def test_batched_inserts_give_the_same_data_as_load_data(demo_database):
    options = run.Options(seed=4, months=1, customers=5, expenses_per_month=20, progress=False)
    run.simulate(options, date(2026, 6, 15))
    loaded = demo.table_checksums()
    demo.wipe()
    result = run.simulate(run.Options(**{**options.__dict__, "use_load_data": False}), date(2026, 6, 15))
    assert result.method == "batched INSERT" and demo.table_checksums() == loaded


def test_reset_refuses_to_wipe_a_database_with_real_accounts(shop):
    with pytest.raises(RuntimeError, match="real account"):
        demo.wipe()


def test_part_payments_of_small_sales_never_add_up_to_more_than_the_sale():
    from decimal import Decimal

    from simulate.book import HABITS, _payments_for

    for seed in range(3000):
        rng = random.Random(seed)
        total = Decimal(rng.randint(1, 40))
        paid = sum(
            p["amount"]
            for p in _payments_for(rng, 0, total, date(2026, 1, 1), date(2026, 12, 31), HABITS["part_payer"])
        )
        assert paid <= total, (seed, total, paid)


def test_bulk_loading_expenses_into_a_shop_that_has_some_rebuilds_its_rollups(spending_shop_for_bulk):
    import numpy as np

    from db import bulk
    from duka.periods import add_months
    from simulate.expenses import ShopSpend, generate_in_chunks

    actor, ids = spending_shop_for_bulk
    shop = ShopSpend(
        actor.shop_id, actor.user_id, "KES", {**ids, "Stationery": ids["Other"], "Investment": ids["Other"]}
    )
    months = [add_months(date(2026, 1, 1), i) for i in range(2)]
    from datetime import datetime

    with bulk.loader(datetime(2026, 3, 1)) as load:
        loaded = load.load_expenses(
            generate_in_chunks(np.random.default_rng(1), [shop], months, 40, ["Duka"], through=date(2026, 2, 28)),
            (actor.shop_id, actor.shop_id),
        )
    assert loaded == 2 * (40 + 3)
    assert demo.invariant_breaches([actor.shop_id]) == []


@pytest.fixture
def spending_shop_for_bulk(shop):
    from duka import expenses

    ids = dict(zip(expenses.categories(shop)["name"], expenses.categories(shop)["category_id"]))
    expenses.add_expense(shop, ids["Food"], date(2026, 1, 15), "99")  # the trigger writes its roll-up
    return shop, ids


def test_nothing_is_dated_after_the_simulated_today(demo_database):
    day = date(2026, 6, 15)  # mid-month: the month's last fortnight has not happened yet
    run.simulate(run.Options(seed=3, months=2, customers=30, expenses_per_month=200, progress=False), day)
    conn = admin_connection()
    cur = conn.cursor()
    cur.execute(
        "SELECT (SELECT MAX(spent_on) FROM expenses), (SELECT MAX(spent_on) FROM expense_days),"
        " (SELECT MAX(debt_date) FROM debts), (SELECT MAX(paid_at) FROM payments),"
        " (SELECT COUNT(*) FROM expenses WHERE spent_on > %s)",
        (day,),
    )
    *latest, after = cur.fetchone()
    conn.close()
    assert all(latest_day <= day for latest_day in latest), latest
    assert after == 0
    assert latest[0] >= date(2026, 6, 1)  # this month so far has its expenses


@pytest.mark.parametrize(
    "through, june",
    [
        (date(2026, 6, 1), 2 + 1),  # a fifteenth of the month's 60, and the rent (due 1–5)
        (date(2026, 6, 14), 28 + 2),  # and the bills (8–12); the utilities (15–20) are not due yet
        (date(2026, 6, 15), 30 + 3),
        (date(2026, 6, 30), 60 + 3),
    ],
)
def test_a_month_in_progress_gets_expenses_for_its_days_so_far(through, june):
    import numpy as np

    from simulate.expenses import RANGES, ShopSpend, generate, rows_expected

    shop = ShopSpend(1, 1, "KES", {name: i for i, name in enumerate(RANGES)})
    months = [date(2026, 5, 1), date(2026, 6, 1)]
    days = generate(np.random.default_rng(2), [shop], months, 60, ["Duka"], through=through)["spent_on"]
    assert days.max() <= str(through)
    assert (days < "2026-06-01").sum() == 60 + 3  # May is over: all of it, with rent, bills and utilities
    assert (days >= "2026-06-01").sum() == june == rows_expected(months, 60, through) - 63


def test_simulated_customers_have_account_numbers_from_1001_in_each_shop(demo_database):
    """So a demo customer can be paid by M-Pesa C2B (BillRefNumber) like one added on the page."""
    assert simulate.main(["--customers", "7", "--months", "1", "--shops", "2", "--seed", "3"]) == 0
    conn = admin_connection()
    cur = conn.cursor()
    cur.execute(
        "SELECT MIN(account_no), MAX(account_no), COUNT(*), COUNT(DISTINCT account_no), SUM(account_no IS NULL) "
        "FROM customers GROUP BY shop_id"
    )
    rows = cur.fetchall()
    conn.close()
    assert [tuple(int(v) for v in row) for row in rows] == [(1001, 1007, 7, 7, 0)] * 2
