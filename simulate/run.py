"""One simulation: demo accounts and shops, then customers, sales, payments and expenses, bulk-loaded."""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import bcrypt
import numpy as np
import pandas as pd
from faker import Faker

import db
from db import bulk, startup
from duka.periods import add_months, month_start
from simulate import book, demo, expenses

DEMO_PASSWORD = "Daftari-demo-2026"
ROLES = ("owner", "clerk", "analyst")
_SALT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@dataclass
class Options:
    seed: int = 2026
    months: int = 12
    year: int | None = None
    shops: int = 1
    customers: int = 60
    sales_per_month: float = 2.0
    expenses_per_month: int = 60
    currency: str = "KES"
    use_load_data: bool = True
    progress: bool = True


@dataclass
class Summary:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    method: str = ""
    breaches: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def demo_phone(shop: int, role: str) -> str:
    """+254 700 SSS 00R: shop SSS, role R (1 owner, 2 clerk, 3 analyst)."""
    return f"+254700{shop:03d}{ROLES.index(role) + 1:03d}"


def period(options: Options, today: date) -> tuple[date, date]:
    """The simulated days: a calendar year, or the last `months` months up to today; nothing is dated after
    today (sales, payments and expenses; a due date may be later: it is a promise)."""
    if options.year:
        return date(options.year, 1, 1), min(date(options.year, 12, 31), today)
    return add_months(month_start(today), 1 - options.months), today


def _password_hash(seed: int) -> str:
    rng = random.Random(seed)
    salt = "$2b$12$" + "".join(rng.choice(_SALT_ALPHABET) for _ in range(21)) + "."
    return bcrypt.hashpw(DEMO_PASSWORD.encode(), salt.encode()).decode()


class Progress:
    """A one-line bar on stderr for anything that takes more than a moment."""

    def __init__(self, enabled: bool) -> None:
        self.enabled, self.started = enabled, time.perf_counter()

    def show(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        filled = int(30 * done / max(total, 1))
        print(
            f"\r{label:<10} [{'#' * filled}{' ' * (30 - filled)}] {done:>10,}/{total:,} "
            f"{time.perf_counter() - self.started:6.1f} s",
            end="" if done < total else "\n",
            file=sys.stderr,
        )


def _load_in_chunks(load: bulk.Loader, table: str, frame: pd.DataFrame, bar: Progress, chunk: int = 100_000) -> int:
    done = 0
    bar.show(table, 0, len(frame))
    for start in range(0, len(frame), chunk):
        done += load.load(table, frame.iloc[start : start + chunk])
        bar.show(table, done, len(frame))
    return done


def _ids_by_shop(found: list[dict]) -> dict[int, list[int]]:
    """shop_id -> the ids of its rows in load order (the rows come ordered by shop, then id)."""
    ids: dict[int, list[int]] = {}
    for row in found:
        ids.setdefault(row["shop_id"], []).append(row["id"])
    return ids


def simulate(options: Options, today: date) -> Summary:
    """Seed the configured database; the same options and day give byte-for-byte the same tables."""
    startup.ensure_schema()
    started = time.perf_counter()
    first_day, last_day = period(options, today)
    months = [
        add_months(month_start(first_day), i)
        for i in range((last_day.year - first_day.year) * 12 + last_day.month - first_day.month + 1)
    ]
    clock = datetime.combine(last_day, datetime.min.time()) + timedelta(hours=20)
    password_hash = _password_hash(options.seed)
    summary, bar = Summary(), Progress(options.progress)
    np_rng = np.random.default_rng(options.seed)
    fake = Faker("en_KE")
    fake.seed_instance(options.seed)
    companies = sorted({fake.company() for _ in range(300)})
    with bulk.loader(clock, use_load_data=options.use_load_data) as load:
        spend, shops = [], []  # shops: (shop_id, staff, sales, payments), for the sales and payments loaded later
        customer_frames = []
        for shop_no in range(1, options.shops + 1):
            staff = {}
            for role in ROLES:
                load.tx.execute(
                    "insert_demo_user",
                    first_name="Demo",
                    last_name=f"{role.title()} {shop_no}",
                    phone=demo_phone(shop_no, role),
                    password_hash=password_hash,
                )
                staff[role] = load.tx.lastrowid
            load.tx.execute("insert_demo_shop", name=f"{fake.last_name()} General Store", currency=options.currency)
            shop_id = load.tx.lastrowid
            for role in ROLES:
                load.tx.execute("insert_demo_member", shop_id=shop_id, user_id=staff[role], role=role)
            for name, description in expenses.EXTRA_CATEGORIES.items():
                load.tx.execute("insert_extra_category", shop_id=shop_id, name=name, description=description)
            category_ids = {r["name"]: r["category_id"] for r in load.tx.rows("category_ids_of_shop", shop_id=shop_id)}
            spend.append(expenses.ShopSpend(shop_id, staff["owner"], options.currency, category_ids))
            rng = random.Random(options.seed * 1000 + shop_no)
            people = book.customers(fake, rng, options.customers)
            sales, payments = book.sales_and_payments(rng, people, first_day, last_day, options.sales_per_month)
            customer_frames.append(book.customers_frame(shop_id, (staff["owner"], staff["clerk"]), people, first_day))
            shops.append((shop_id, (staff["owner"], staff["clerk"]), sales, payments))
            bar.show("shops", shop_no, options.shops)
        summary.rows["users"] = options.shops * len(ROLES)
        summary.rows["shops"] = options.shops
        shop_ids = (spend[0].shop_id, spend[-1].shop_id)
        span = {"first_shop": shop_ids[0], "last_shop": shop_ids[1]}
        summary.rows["customers"] = _load_in_chunks(load, "customers", pd.concat(customer_frames), bar)
        customer_ids = _ids_by_shop(load.tx.rows("customer_ids_of_shops", **span))
        debt_frames = [
            book.debts_frame(shop, staff, sales, customer_ids.get(shop, [])) for shop, staff, sales, _ in shops
        ]
        summary.rows["debts"] = _load_in_chunks(load, "debts", pd.concat(debt_frames), bar)
        debt_ids = _ids_by_shop(load.tx.rows("debt_ids_of_shops", **span))
        payment_frames = [
            book.payments_frame(shop, staff, paid, debt_ids.get(shop, [])) for shop, staff, _, paid in shops
        ]
        summary.rows["payments"] = _load_in_chunks(load, "payments", pd.concat(payment_frames), bar)
        total = options.shops * expenses.rows_expected(months, options.expenses_per_month, last_day)
        chunks = expenses.generate_in_chunks(np_rng, spend, months, options.expenses_per_month, companies, last_day)
        summary.rows["expenses"] = load.load_expenses(chunks, shop_ids, lambda done: bar.show("expenses", done, total))
        summary.method = load.method
    db.reset_pool()
    summary.seconds = time.perf_counter() - started
    summary.breaches = demo.invariant_breaches()
    return summary
