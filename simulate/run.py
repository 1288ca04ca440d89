"""One simulation: demo accounts and shops, then customers, sales, payments and expenses, bulk-loaded: the book on
one connection and the expenses on another, side by side, committed as one (db.bulk.loaders)."""

from __future__ import annotations

import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import bcrypt
import numpy as np
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


def _open_shops(tx, options: Options, names: list[str], password_hash: str) -> tuple[list, np.ndarray, np.ndarray]:
    """The demo shops with their owner, clerk and analyst and the demo's extra categories: what each shop's
    expenses need (expenses.ShopSpend), the shops' ids and their (owner, clerk) ids, in shop order."""
    spend, shop_ids, staff = [], [], []
    for shop_no, name in enumerate(names, 1):
        people = {}
        for role in ROLES:
            tx.execute(
                "insert_demo_user",
                first_name="Demo",
                last_name=f"{role.title()} {shop_no}",
                phone=demo_phone(shop_no, role),
                password_hash=password_hash,
            )
            people[role] = tx.lastrowid
        tx.execute("insert_demo_shop", name=name, currency=options.currency)
        shop_id = tx.lastrowid
        for role in ROLES:
            tx.execute("insert_demo_member", shop_id=shop_id, user_id=people[role], role=role)
        for category, description in expenses.EXTRA_CATEGORIES.items():
            tx.execute("insert_extra_category", shop_id=shop_id, name=category, description=description)
        category_ids = {r["name"]: r["category_id"] for r in tx.rows("category_ids_of_shop", shop_id=shop_id)}
        spend.append(expenses.ShopSpend(shop_id, people["owner"], options.currency, category_ids))
        shop_ids.append(shop_id)
        staff.append((people["owner"], people["clerk"]))
    return spend, np.array(shop_ids), np.array(staff)


def _ids(tx, span_query: str, ids_query: str, span: dict) -> np.ndarray:
    """The ids the server gave a load's rows, in load order. One LOAD DATA holds the table's AUTO-INC lock, so
    they are usually consecutive: then their first, last and count say them all. Otherwise (a cluster steps ids
    by its size) they are read, ordered by shop, then id: the rows were loaded in shop order."""
    found = tx.one(span_query, **span)
    if found["n"] and found["last"] - found["first"] + 1 == found["n"]:
        return np.arange(found["first"], found["last"] + 1, dtype=np.int64)
    return np.array([row["id"] for row in tx.rows(ids_query, **span)], dtype=np.int64)


def simulate(options: Options, today: date) -> Summary:
    """Seed the configured database; the same options and day give byte-for-byte the same tables (each table is
    loaded by one connection, in one order: the server's ids follow it)."""
    startup.ensure_schema()
    started = time.perf_counter()
    first_day, last_day = period(options, today)
    months = [
        add_months(month_start(first_day), i)
        for i in range((last_day.year - first_day.year) * 12 + last_day.month - first_day.month + 1)
    ]
    clock = datetime.combine(last_day, datetime.min.time()) + timedelta(hours=20)
    summary, bar = Summary(), Progress(options.progress)
    with ThreadPoolExecutor(max_workers=1) as hasher:
        hashed = hasher.submit(_password_hash, options.seed)  # bcrypt lets go of the GIL: hash while we draw
        book_rng, spend_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(options.seed).spawn(2))
        fake = Faker("en_KE")
        fake.seed_instance(options.seed)
        companies = sorted({fake.company() for _ in range(300)})
        names = [f"{fake.last_name()} General Store" for _ in range(options.shops)]
        people = book.customers(fake, book_rng, options.shops, options.customers)
        sold = book.sales(book_rng, people, first_day, last_day, options.sales_per_month)
        paid = book.payments(book_rng, people, sold, (last_day - first_day).days)
        password_hash = hashed.result()
    with bulk.loaders(clock, 2, use_load_data=options.use_load_data) as loads, ThreadPoolExecutor(1) as aside:
        book_load, spend_load = loads[0], loads[-1]  # one and the same where the server has no XA
        spend, shop_ids, staff = _open_shops(book_load.tx, options, names, password_hash)
        summary.rows["users"] = options.shops * len(ROLES)
        summary.rows["shops"] = options.shops
        span = {"first_shop": int(shop_ids[0]), "last_shop": int(shop_ids[-1])}
        total = options.shops * expenses.rows_expected(months, options.expenses_per_month, last_day)
        chunks = expenses.generate_in_chunks(spend_rng, spend, months, options.expenses_per_month, companies, last_day)

        def spend_side() -> int:
            """The new shops' expenses and their roll-ups, while the book is loading on the other connection."""
            shops = (span["first_shop"], span["last_shop"])
            return spend_load.load_expenses(chunks, shops, lambda n: bar.show("expenses", n, total))

        spending = aside.submit(spend_side)
        if spend_load is book_load:
            spending.result()  # one connection: one statement at a time
        summary.rows["customers"] = book_load.load(
            "customers", book.customers_frame(people, shop_ids, staff, first_day)
        )
        customer_ids = _ids(book_load.tx, "customer_id_span_of_shops", "customer_ids_of_shops", span)
        book_load.tx.execute("skip_credit_limit_lookups")
        book_load.tx.execute("skip_debtors")  # kept per row, they took a third of the book's load: rebuilt below
        book_load.tx.execute("skip_book_days")  # the same for the book's daily roll-up
        summary.rows["debts"] = book_load.load(
            "debts", book.debts_frame(people, sold, shop_ids, staff, customer_ids, first_day)
        )
        debt_ids = _ids(book_load.tx, "debt_id_span_of_shops", "debt_ids_of_shops", span)
        summary.rows["payments"] = book_load.load(
            "payments", book.payments_frame(people, sold, paid, shop_ids, staff, debt_ids, first_day)
        )
        book_load.tx.execute("clear_active_debtors_of_shops", **span)
        book_load.tx.execute("rebuild_active_debtors_of_shops", **span)
        book_load.tx.execute("keep_debtors")
        book_load.tx.execute("clear_book_days_of_shops", **span)
        book_load.tx.execute("rebuild_book_days_of_shops", **span)
        book_load.tx.execute("keep_book_days")
        summary.rows["expenses"] = spending.result()
        summary.method = book_load.method
    db.reset_pool()
    summary.seconds = time.perf_counter() - started
    # Once committed, side by side: the expenses' checks read the covering indexes then (inside the load's
    # transaction its own new rows are visible only through the clustered index: 3.1 s against 1.3 s), and the
    # expenses' branch could not check its categories, made by the other branch.
    summary.breaches = demo.invariant_breaches([int(shop) for shop in shop_ids])
    return summary
