"""The scale benchmarks' data set: 500 shops of 20,000 expenses a year and one wholesaler of 1,000,000, with
customers, credit sales and payments in the same proportion (185 customers per 20,000 expenses, two sales a month
each), made by the simulator and kept in a private MariaDB of its own under .data/bench-mariadb (a 4 GB buffer
pool; the app's private server and the tests' are untouched). Built once; again only when missing or asked.

The simulator makes shops of one size per run and numbers its demo staff from shop 1: the wholesaler is one run,
the small shops runs of 100, and the staff of each run but the last move off the demo numbers before the next.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import db
from bench.common import ROOT, line
from db import pool, server, startup
from duka.clock import today
from duka.members import Actor
from duka.periods import add_months
from simulate import demo, expenses
from simulate.run import Options, period, simulate

FOLDER = ROOT / ".data" / "bench-mariadb"
BUFFER_POOL = "4G"
DATABASE = "daftari_bench_scale"
SMALL_SHOPS = 500
SMALL_EXPENSES = 20_000  # a year's, per small shop
WHOLESALE_EXPENSES = 1_000_000
CUSTOMERS_PER_EXPENSE = 185 / 20_000  # bench/dashboard's proportion
SHOPS_PER_RUN = 100
WHOLESALER_BATCH = 99  # its staff's numbers become +254799SSS00R


@dataclass(frozen=True)
class Shape:
    """How big the data set is at a scale (1 is ten million expenses; the test runs 0.001)."""

    scale: float

    @property
    def small_shops(self) -> int:
        return max(2, round(SMALL_SHOPS * self.scale))

    @property
    def wholesale_expenses(self) -> int:
        return max(1_000, round(WHOLESALE_EXPENSES * self.scale))


@dataclass(frozen=True)
class DataSet:
    """The shops the benchmarks read: the wholesaler and a small shop (the middle one), as their owners, and the
    last day of the data (the day it was built: the pages read today, the figures this day)."""

    wholesaler: Actor
    small: Actor
    day: date
    built: dict


def use(here: bool, database: str | None) -> str:
    """Point this process at the data set's server and database: the bench server (started with its buffer
    pool), or with `here` the configured one (a test's); returns the database's name."""
    if not here:
        os.environ["DAFTARI_DB_DIR"] = str(FOLDER)
        os.environ.pop("DAFTARI_CLUSTER", None)
        server.start(folder=FOLDER, buffer_pool=BUFFER_POOL)
    os.environ["MYSQL_DATABASE"] = database or DATABASE
    db.reset_pool()
    startup.forget()
    startup.ensure_schema()
    return os.environ["MYSQL_DATABASE"]


def marker(database: str) -> Path:
    """Where the data set of `database` says how it was built (beside the server's data; .data/ for --here)."""
    folder = Path(os.environ.get("DAFTARI_DB_DIR") or ROOT / ".data")
    return folder / f"{database}.scale.json"


def per_month(months: list[date], yearly: int, through: date) -> int:
    """The simulator's expenses_per_month that gives a shop at least `yearly` expenses over `months`."""
    low, high = 1, yearly
    while low < high:
        middle = (low + high) // 2
        if expenses.rows_expected(months, middle, through) >= yearly:
            high = middle
        else:
            low = middle + 1
    return low


def _run(seed: int, shops: int, yearly: int, day: date, progress: bool) -> dict[str, int]:
    first, last = period(Options(months=12), day)  # the simulator's own months: the yearly count is what it makes
    months = [add_months(first, i) for i in range(12)]
    options = Options(
        seed=seed,
        months=12,
        shops=shops,
        customers=max(5, round(yearly * CUSTOMERS_PER_EXPENSE)),
        sales_per_month=2.0,
        expenses_per_month=per_month(months, yearly, last),
        progress=progress,
    )
    result = simulate(options, day)
    if result.breaches:
        raise RuntimeError(f"the simulator found {len(result.breaches)} breaches: {result.breaches[:3]}")
    return result.rows


def build(scale: float, progress: bool = True) -> dict:
    """Empty the database and make the data set; what was made, how long it took and how big it is."""
    shape, day = Shape(scale), today()
    demo.wipe(force=True)
    started = time.perf_counter()
    rows: dict[str, int] = {}

    def add(made: dict[str, int]) -> None:
        for table, n in made.items():
            rows[table] = rows.get(table, 0) + n

    add(_run(1, 1, shape.wholesale_expenses, day, progress))
    _move_demo_phones(WHOLESALER_BATCH)
    runs = range(0, shape.small_shops, SHOPS_PER_RUN)
    for number, first in enumerate(runs, 1):
        add(_run(1 + number, min(SHOPS_PER_RUN, shape.small_shops - first), SMALL_EXPENSES, day, progress))
        if number < len(runs):
            _move_demo_phones(number)
    seconds = time.perf_counter() - started
    size = db.rows("bench_database_size")[0]
    built = {
        "scale": scale,
        "day": day.isoformat(),
        "seconds": round(seconds, 1),
        "rows": rows,
        "data_mb": int(size["data_mb"]),
        "index_mb": int(size["index_mb"]),
    }
    marker(os.environ["MYSQL_DATABASE"]).write_text(json.dumps(built, indent=1))
    return built


def _move_demo_phones(batch: int) -> None:
    with pool.admin_connection() as conn:
        db.Tx(conn).execute("bench_move_demo_phones", batch=batch)
        conn.commit()


def ensure(scale: float, rebuild: bool = False, progress: bool = True) -> DataSet:
    """The data set at this scale: kept if it is there and whole (its marker says so and the shops are all
    there), built otherwise."""
    kept = marker(os.environ["MYSQL_DATABASE"])
    shops = len(demo.shop_ids())
    known = json.loads(kept.read_text()) if kept.exists() else None
    whole = known and known["scale"] == scale and shops == Shape(scale).small_shops + 1
    if rebuild or not whole:
        known = build(scale, progress)
    ids = demo.shop_ids()
    wholesaler, small = ids[0], ids[1 + (len(ids) - 1) // 2]
    return DataSet(_owner(wholesaler), _owner(small), date.fromisoformat(known["day"]), known)


def _owner(shop_id: int) -> Actor:
    return Actor(db.rows("members_of_shop", shop_id=shop_id)[0]["user_id"], shop_id)


def report_build(built: dict) -> None:
    rows = built["rows"]
    total = sum(rows.values())
    print(f"bench/scale data set (scale {built['scale']}, through {built['day']}):")
    line("rows", ", ".join(f"{n:,} {table}" for table, n in rows.items()))
    line("built in", f"{built['seconds']:.0f} s ({total / max(built['seconds'], 0.001):,.0f} rows/s)")
    line("size on the server (data + indexes)", f"{built['data_mb']:,} + {built['index_mb']:,} MB")
