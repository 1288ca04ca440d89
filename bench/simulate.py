"""bench/simulate: the simulator, against its committed baseline and the LOAD DATA limit.

Run:  .venv/bin/python -m bench.simulate [--rows 1000000] [--repeat 3] [--baseline-rows 20000]
      one million expense rows: ours, the limit (LOAD DATA of a ready file), a seed-style baseline.
Run:  .venv/bin/python -m bench.simulate --whole [--repeat 5] [--baseline COMMIT]
      the whole command (python -m simulate --seed 1 --shops 50 --months 12 --expenses-per-month 1667, 1.2 M rows)
      as a process, wall time and rows/s, ours and the baseline's (its code exported from git) run in turn; then
      its parts side by side with the baseline's in this process: the invariant check, the sales and payments,
      the expenses' rows and files.
Everything runs side by side, interleaved; medians and ratios are printed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date

import mysql.connector
import numpy as np
from faker import Faker

import db
from bench import simulate_whole as whole
from bench.common import line, median_time, use_database
from db import bulk, config, pool
from duka.periods import add_months
from simulate import demo, expenses
from simulate.expenses import ShopSpend
from simulate.run import Options, simulate

DATABASE = "daftari_bench_simulate"


def _setup(months: int):
    """One demo shop to hang expenses on; returns (ShopSpend, month list, companies)."""

    demo.wipe(force=True)
    simulate(Options(seed=1, months=1, customers=1, expenses_per_month=1, progress=False), date(2026, 10, 31))
    shop = demo.shop_ids()[0]
    owner = db.rows("members_of_shop", shop_id=shop)[0]["user_id"]
    ids = {r["name"]: r["category_id"] for r in db.rows("category_ids_of_shop", shop_id=shop)}
    fake = Faker("en_KE")
    fake.seed_instance(1)
    companies = sorted({fake.company() for _ in range(300)})
    months = [add_months(date(2025, 11, 1), i) for i in range(months)]
    return ShopSpend(shop, owner, "KES", ids), months, companies


def _truncate_expenses() -> None:
    with pool.admin_connection() as conn:  # TRUNCATE needs DROP: the admin account, not the app's
        tx = db.Tx(conn)
        tx.execute("foreign_key_checks_off")  # M-Pesa receipts may point at expenses (none here)
        try:
            for statement in ("truncate_expenses", "truncate_expense_days", "truncate_expense_day_modes"):
                tx.execute(statement)
        finally:
            tx.execute("foreign_key_checks_on")
        conn.commit()


def ours(shop, months, companies, rows: int) -> int:
    """The simulator's path: numpy generation, TSV, LOAD DATA LOCAL in chunks."""

    per_month = rows // len(months) - len(expenses.RECURRING)
    chunks = expenses.generate_in_chunks(np.random.default_rng(7), [shop], months, per_month, companies)
    with bulk.loader(time_now()) as load:
        return load.load_expenses(chunks, (shop.shop_id, shop.shop_id))


def prepare_file(shop, months, companies, rows: int, path) -> int:

    per_month = rows // len(months) - len(expenses.RECURRING)
    frame = expenses.generate(np.random.default_rng(7), [shop], months, per_month, companies)
    bulk.write_tsv(frame, path)
    return len(frame)


def load_ready_file(path) -> None:
    """The practical limit: LOAD DATA of a file that already exists (no roll-up triggers, no roll-ups)."""
    with bulk.loader(time_now()) as load:
        load.tx.execute("skip_rollups")
        load.tx.execute("load_expenses", path=str(path))


def seed_style(shop, rows: int) -> None:
    """What the seed simulator does: Faker per row and one INSERT per row."""

    fake = Faker()
    fake.seed_instance(3)
    rng = random.Random(3)
    conn = mysql.connector.connect(**config.admin_settings().connect_args())  # the C extension, as the seed had
    cur = conn.cursor()
    names = list(shop.category_ids)
    for _ in range(rows):
        category = rng.choice(names)
        amount = round(rng.uniform(20, 300) * 100, 2)
        cur.execute(
            "INSERT INTO expenses (shop_id, category_id, spent_on, amount, payment_mode, cashback, description) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                shop.shop_id,
                shop.category_ids[category],
                fake.date_between(date(2025, 11, 1), date(2026, 10, 31)),
                f"{amount:.2f}",
                rng.choice(["Cash", "Credit Card", "Debit Card", "Online"]),
                "0.00",
                f"{category} at {fake.company()}",
            ),
        )
    conn.commit()
    conn.close()


def time_now():
    from datetime import datetime

    return datetime(2026, 10, 31, 20, 0)


def main() -> None:
    import tempfile
    from pathlib import Path

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-rows", type=int, default=20_000)
    parser.add_argument("--whole", action="store_true", help="the whole command as a process, and its parts")
    parser.add_argument("--baseline", default=whole.BASELINE, help="the commit whose simulator is the baseline")
    args = parser.parse_args()
    if args.whole:
        whole.main(args.repeat, args.baseline)
        return
    use_database(DATABASE)
    shop, months, companies = _setup(12)
    folder = Path(tempfile.mkdtemp(prefix="daftari-bench-"))
    ready = folder / "expenses.tsv"
    file_rows = prepare_file(shop, months, companies, args.rows, ready)

    ours_times, limit_times, seed_rates = [], [], []
    for _ in range(args.repeat):  # interleaved, so a noisy moment hurts every contender alike
        _truncate_expenses()
        started = time.perf_counter()
        loaded = ours(shop, months, companies, args.rows)
        ours_times.append(time.perf_counter() - started)
        _truncate_expenses()
        seconds, _ = median_time(lambda: load_ready_file(ready), 1)
        limit_times.append(seconds)
        _truncate_expenses()
        seconds, _ = median_time(lambda: seed_style(shop, args.baseline_rows), 1)
        seed_rates.append(args.baseline_rows / seconds)
    _truncate_expenses()
    ours_median, limit_median = statistics.median(ours_times), statistics.median(limit_times)
    ours_rate, limit_rate, seed_rate = loaded / ours_median, file_rows / limit_median, statistics.median(seed_rates)
    print(f"bench/simulate: {loaded:,} expense rows, median of {args.repeat} interleaved runs")
    line(
        "ours (numpy + TSV + LOAD DATA LOCAL + roll-ups), end to end",
        f"{ours_median:6.2f} s  {ours_rate:10,.0f} rows/s",
    )
    line("limit: LOAD DATA of a ready file", f"{limit_median:6.2f} s  {limit_rate:10,.0f} rows/s")
    line(
        f"seed-style: Faker + one INSERT per row ({args.baseline_rows:,}-row sample)",
        f"{'':8}  {seed_rate:10,.0f} rows/s",
    )
    line("ours vs seed-style (target >= 20x)", f"{ours_rate / seed_rate:6.1f}x")
    line("ours time / LOAD DATA limit time (target <= 1.5)", f"{ours_median / limit_median:6.2f}")
    line("ours rows/s (target >= 100,000)", f"{ours_rate:,.0f}")


if __name__ == "__main__":
    main()
