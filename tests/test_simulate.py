"""The demo simulator: the same seed gives the same data; what it writes obeys the book's rules; a failed load
leaves nothing behind."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import mysql.connector
import numpy as np
import pandas as pd
import pytest
from faker import Faker

import db
from db import bulk, config, startup
from duka import members
from duka.clock import today
from duka.periods import add_months, month_start
from simulate import __main__ as simulate
from simulate import book, demo, expenses, run
from simulate.expenses import rows_expected
from support import TEST_DB, admin_connection

START, END = date(2026, 1, 1), date(2026, 6, 30)


def _generate(seed: int, shops: int = 2, count: int = 20):
    rng, fake = np.random.default_rng(seed), Faker("en_KE")
    fake.seed_instance(seed)
    people = book.customers(fake, rng, shops, count)
    sold = book.sales(rng, people, START, END, 2.0)
    return people, sold, book.payments(rng, people, sold, (END - START).days)


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first, again, other = _generate(7), _generate(7), _generate(8)
    assert all(a.equals(b) for a, b in zip(first, again))
    assert not any(a.equals(b) for a, b in zip(first, other))


def test_generated_payments_never_exceed_their_sale_nor_come_before_it_nor_pass_the_end_date():
    _, sold, paid = _generate(11, shops=5, count=200)
    assert (paid["amount"] > 0).all()
    per_sale = paid.groupby("sale")["amount"].sum()
    assert (per_sale <= sold["total"].to_numpy()[per_sale.index]).all()
    assert (paid["day"] >= sold["day"].to_numpy()[paid["sale"]]).all()
    assert paid["day"].max() <= (END - START).days
    assert sold["day"].between(0, (END - START).days).all()


def test_generated_customers_pay_as_their_habits_say():
    people, sold, paid = _generate(12, shops=5, count=300)
    habit = people["habit"].to_numpy()[sold["customer"].to_numpy()]
    share = paid.groupby("sale")["amount"].sum().reindex(range(len(sold)), fill_value=0).to_numpy() / sold["total"]
    parts = paid.groupby("sale").size().reindex(range(len(sold)), fill_value=0).to_numpy()
    long_ago = sold["day"].to_numpy() < (END - START).days - 120  # every part of such a sale is due by the end
    names = list(book.HABITS)
    for name, rule in book.HABITS.items():
        mine = (habit == names.index(name)) & long_ago
        assert rule.pays[0] - 0.01 <= share[mine].mean() <= rule.pays[1], name
        assert parts[mine].max() <= rule.parts[1], name
    assert share[(habit == names.index("prompt")) & long_ago].min() == 1.0  # prompt payers pay all of it
    assert share[(habit == names.index("defaulter")) & long_ago].max() <= 0.2


def test_part_payments_of_small_sales_never_add_up_to_more_than_the_sale():
    rng = np.random.default_rng(3)
    people = pd.DataFrame({"shop": 0, "habit": np.full(20_000, list(book.HABITS).index("part_payer"))})
    sold = pd.DataFrame({"customer": np.arange(20_000), "total": rng.integers(1, 40, 20_000), "day": 0})
    paid = book.payments(rng, people, sold, 10_000)
    per_sale = paid.groupby("sale")["amount"].sum()
    assert (paid.groupby("sale").size() > 1).any()
    assert (per_sale <= sold["total"].to_numpy()[per_sale.index]).all()


def test_generated_phones_are_unique_within_a_shop():
    people, _, _ = _generate(13, shops=3, count=2000)
    phones = people.dropna(subset=["phone"])
    assert not phones.duplicated(["shop", "phone"]).any()
    assert 0.8 < len(phones) / len(people) < 0.9
    assert phones["phone"].str.fullmatch(r"\+2547\d{8}").all()


def test_a_tsv_is_written_as_load_data_reads_it(tmp_path):
    frame = pd.DataFrame(
        {
            "number": [7, 0, 1234567],
            "text": ["tab\there", "line\nbreak \\ back", "Wanjirũ"],
            "coded": pd.Categorical.from_codes([1, -1, 0], categories=["2026-01-01", "2026-01-02"]),
            "maybe": ["x", None, "z"],
        }
    )
    bulk.write_tsv(frame, tmp_path / "rows.tsv")
    assert (tmp_path / "rows.tsv").read_bytes() == (
        "7\ttab here\t2026-01-02\tx\n0\tline break / back\t\\N\t\\N\n1234567\tWanjirũ\t2026-01-01\tz\n"
    ).encode()


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


def test_bulk_loading_expenses_into_a_shop_that_has_some_rebuilds_its_rollups(spending_shop_for_bulk):
    actor, ids = spending_shop_for_bulk
    shop = expenses.ShopSpend(
        actor.shop_id, actor.user_id, "KES", {**ids, "Stationery": ids["Other"], "Investment": ids["Other"]}
    )
    months = [add_months(date(2026, 1, 1), i) for i in range(2)]
    with bulk.loader(datetime(2026, 3, 1)) as load:
        loaded = load.load_expenses(
            expenses.generate_in_chunks(
                np.random.default_rng(1), [shop], months, 40, ["Duka"], through=date(2026, 2, 28)
            ),
            (actor.shop_id, actor.shop_id),
        )
    assert loaded == 2 * (40 + 3)
    assert demo.invariant_breaches([actor.shop_id]) == []


@pytest.fixture
def spending_shop_for_bulk(shop):
    from duka import expenses as spending

    ids = dict(zip(spending.categories(shop)["name"], spending.categories(shop)["category_id"]))
    spending.add_expense(shop, ids["Food"], date(2026, 1, 15), "99")  # the trigger writes its roll-up
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
    from simulate.expenses import RANGES, ShopSpend, generate

    shop = ShopSpend(1, 1, "KES", {name: i for i, name in enumerate(RANGES)})
    months = [date(2026, 5, 1), date(2026, 6, 1)]
    days = generate(np.random.default_rng(2), [shop], months, 60, ["Duka"], through=through)["spent_on"].astype(str)
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


SMALL = run.Options(seed=6, months=1, shops=3, customers=6, expenses_per_month=12, progress=False)
# (problem reported, raw SQL that plants it in shop %(shop)s, as anyone with a SQL client could)
PLANTED = {
    "paid differs from payments": [
        "UPDATE debts SET paid = paid + 1 WHERE shop_id = %(shop)s AND balance >= 1 LIMIT 1",
    ],
    "written_off differs from write-offs": [
        "SET @daftari_writing_off = 1",  # the write-off triggers' own mark: past the guard, without a write-off
        "UPDATE debts SET written_off = written_off + 1 WHERE shop_id = %(shop)s AND balance >= 1 LIMIT 1",
    ],
    "active_debtors differs from open balances": [
        "UPDATE active_debtors SET balance = balance + 1 WHERE shop_id = %(shop)s LIMIT 1",
    ],
    "active debtor owes nothing": [
        "INSERT INTO customers (shop_id, name, account_no) VALUES (%(shop)s, 'Owes Nothing', 9999)",
        "INSERT INTO active_debtors (shop_id, customer_id, balance) VALUES (%(shop)s, LAST_INSERT_ID(), 5)",
    ],
    "expense_days differs from expenses": [
        "UPDATE expense_days SET cashback = cashback + 1 WHERE shop_id = %(shop)s LIMIT 1",
    ],
    "expense_day_modes differs from expenses": [
        "UPDATE expense_day_modes SET expenses = expenses + 1 WHERE shop_id = %(shop)s LIMIT 1",
    ],
    "roll-up day without expenses": [
        "INSERT INTO expense_days (shop_id, spent_on, category_id, amount, cashback, expenses)"
        " SELECT shop_id, '2001-01-01', category_id, 5, 0, 1 FROM expense_days WHERE shop_id = %(shop)s LIMIT 1",
    ],
    "expenses in a category the shop does not have": [
        "SET foreign_key_checks = 0",  # as a bulk load's expenses branch runs
        "INSERT INTO expenses (shop_id, category_id, spent_on, amount) SELECT %(shop)s, MIN(id), '2026-06-01', 5"
        " FROM categories WHERE shop_id <> %(shop)s",
    ],
    "mode roll-up day without expenses": [
        "INSERT INTO expense_day_modes (shop_id, spent_on, payment_mode, amount, cashback, expenses)"
        " VALUES (%(shop)s, '2001-01-01', 'Cash', 5, 0, 1)",
    ],
}


@pytest.mark.parametrize("problem", PLANTED)
def test_the_set_based_invariant_check_finds_a_breach_of_each_kind_in_any_shop(demo_database, problem):
    run.simulate(SMALL, date(2026, 6, 15))
    first, middle, last = demo.shop_ids()
    conn = admin_connection()
    for statement in PLANTED[problem]:
        conn.cursor().execute(statement % {"shop": middle})
    conn.commit()
    conn.close()
    assert [(b["problem"], b["shop_id"]) for b in demo.invariant_breaches()] == [(problem, middle)]
    assert [b["problem"] for b in demo.invariant_breaches([middle])] == [problem]
    assert demo.invariant_breaches([first, last]) == []  # the range spans the middle shop: its rows are left out


def _counts() -> dict:
    return {table: n for table, n in demo.table_counts().items()}


def test_a_failure_while_the_expenses_load_leaves_nothing_half_written(demo_database, monkeypatch):
    startup.ensure_schema()
    made = expenses.generate

    def fails_after_a_month(*args, **kwargs):
        if args[2][0].month != 5:  # the first month loads, the second fails
            raise RuntimeError("the disk is full")
        return made(*args, **kwargs)

    monkeypatch.setattr(expenses, "generate", fails_after_a_month)
    with pytest.raises(RuntimeError, match="disk is full"):
        run.simulate(run.Options(seed=2, months=2, shops=2, customers=5, progress=False), date(2026, 6, 15))
    assert set(_counts().values()) == {0}  # no shop, user, customer, sale, payment or expense
    assert bulk.recover() == {}  # and no branch left prepared


def test_a_failure_in_the_book_leaves_no_expenses_either(demo_database, monkeypatch):
    startup.ensure_schema()
    made = book.payments_frame

    def a_payment_for_no_sale(*args, **kwargs):
        frame = made(*args, **kwargs)
        frame.loc[len(frame) - 1, "debt_id"] = 999_999_999
        return frame

    monkeypatch.setattr(book, "payments_frame", a_payment_for_no_sale)
    with pytest.raises(mysql.connector.Error, match="No such sale"):
        run.simulate(run.Options(seed=2, months=2, shops=2, customers=5, progress=False), date(2026, 6, 15))
    assert set(_counts().values()) == {0}


def _on_galera() -> bool:
    """Whether the tests run on a Galera cluster (./daftari test --cluster)."""
    conn = admin_connection()
    try:
        cur = conn.cursor()
        cur.execute("SHOW VARIABLES LIKE 'wsrep_on'")
        found = cur.fetchall()
        return bool(found) and found[0][1] == "ON"
    finally:
        conn.close()


def _stranded(gtrid: str, prepared: list[str], committed: list[str] = ()) -> None:
    """Two branches of a load, each adding a demo user, as a load that died while committing leaves them."""
    for branch in ("0", "1"):
        conn = admin_connection()
        cur = conn.cursor()
        cur.execute("XA START %s, %s", (gtrid, branch))
        cur.execute(
            "INSERT INTO users (first_name, last_name, phone, password_hash, demo) VALUES ('X', %s, %s, 'x', 1)",
            (branch, f"+25479990000{branch}"),
        )
        cur.execute("XA END %s, %s", (gtrid, branch))
        if branch in prepared or branch in committed:
            cur.execute("XA PREPARE %s, %s", (gtrid, branch))
        if branch in committed:
            cur.execute("XA COMMIT %s, %s", (gtrid, branch))
        conn.close()  # a prepared branch outlives its connection; the others roll back


@pytest.mark.parametrize(
    "prepared, committed, kept",
    [
        (["1"], [], 0),  # the first branch was never prepared: no decision, roll back
        (["0", "1"], [], 2),  # the first branch prepared: the decision was to commit
        (["0"], ["1"], 2),  # the others committed, the first still prepared: finish the commit
    ],
)
def test_recover_settles_a_load_left_prepared_as_its_first_branch_decided(demo_database, prepared, committed, kept):
    startup.ensure_schema()
    if _on_galera():  # ./daftari test --cluster: no load can be left prepared where XA is refused
        with pytest.raises(mysql.connector.Error, match="XA transactions with Galera"):
            _stranded("daftari-load-refused", prepared, committed)
        assert bulk.recover() == {}
        assert not bulk._has_xa(config.admin_settings())  # so the simulator loads in one transaction
        return
    gtrid = f"daftari-load-test{len(prepared)}{len(committed)}"
    _stranded(gtrid, prepared, committed)
    assert bulk.recover() == {gtrid: bool(kept)}
    assert demo.table_counts()["users"] == kept


def test_one_connection_gives_the_same_tables_as_two(demo_database, monkeypatch):
    options = run.Options(seed=8, months=2, shops=2, customers=6, expenses_per_month=25, progress=False)
    run.simulate(options, date(2026, 6, 15))
    side_by_side = demo.table_checksums()
    demo.wipe()
    monkeypatch.setattr(bulk, "_has_xa", lambda settings: False)  # a server without XA (a Galera cluster)
    run.simulate(options, date(2026, 6, 15))
    assert demo.table_checksums() == side_by_side


def test_the_simulator_checks_the_rollups_it_wrote(demo_database, monkeypatch):
    summed = bulk.rollup

    def a_cent_off(frame, by):
        rolled = summed(frame, by)
        if by == "payment_mode":
            rolled.loc[0, "amount_cents"] += 1
        return rolled

    monkeypatch.setattr(bulk, "rollup", a_cent_off)
    result = run.simulate(SMALL, date(2026, 6, 15))
    assert {b["problem"] for b in result.breaches} == {"expense_day_modes differs from expenses"}
    assert len(result.breaches) == 1  # the first day-and-mode of the one month loaded


@pytest.mark.parametrize("step", [1, 2])  # consecutive ids, and ids a cluster steps by its size
def test_every_sale_and_payment_is_loaded_against_the_customer_and_sale_it_was_drawn_for(
    demo_database, monkeypatch, step
):
    connected = bulk._connect

    def stepping(*args, **kwargs):
        conn = connected(*args, **kwargs)
        conn.cursor().execute("SET SESSION auto_increment_increment = %s", (step,))
        return conn

    monkeypatch.setattr(bulk, "_connect", stepping)
    drawn = {}
    for name in ("customers", "sales", "payments"):
        made = getattr(book, name)
        monkeypatch.setattr(book, name, lambda *a, made=made, name=name, **k: drawn.setdefault(name, made(*a, **k)))
    run.simulate(run.Options(seed=4, months=2, shops=3, customers=7, expenses_per_month=5, progress=False), today())
    people, sold, paid = drawn["customers"], drawn["sales"], drawn["payments"]
    conn = admin_connection()
    cur = conn.cursor()
    cur.execute("SELECT c.name, d.total FROM debts d JOIN customers c ON c.id = d.customer_id ORDER BY d.id")
    assert cur.fetchall() == [
        (name, Decimal(total)) for name, total in zip(people["name"][sold["customer"]], sold["total"])
    ]
    cur.execute("SELECT d.total, p.amount FROM payments p JOIN debts d ON d.id = p.debt_id ORDER BY p.id")
    assert cur.fetchall() == [(Decimal(t), Decimal(a)) for t, a in zip(sold["total"][paid["sale"]], paid["amount"])]
    cur.execute("SELECT MAX(id) - MIN(id) + 1, COUNT(*), @@global.auto_increment_increment FROM debts")
    span, count, cluster_step = cur.fetchone()
    conn.close()
    # a Galera node steps every id by the cluster's size, whatever a session asks (wsrep_auto_increment_control)
    assert span == (cluster_step if _on_galera() else step) * (count - 1) + 1
