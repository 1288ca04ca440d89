"""python -m simulate: seed demo shops (owner, clerk, analyst; customers; a year of credit sales and payments)."""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import timedelta

from faker import Faker

from db import auth, demo, startup
from db.access import Actor, today
from db.errors import DaftariError
from simulate.book import customers, sales_and_payments

DEMO_PASSWORD = "Daftari-demo-2026"
ROLES = ("owner", "clerk", "analyst")


def demo_phone(shop: int, role: str) -> str:
    """+254 700 00s 00r: shop s, role r (1 owner, 2 clerk, 3 analyst)."""
    return f"+25470000{shop}{ROLES.index(role) + 1:03d}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m simulate", description=__doc__)
    parser.add_argument("--seed", type=int, default=2026, help="same seed, same data (default 2026)")
    parser.add_argument("--months", type=int, default=12, help="months of history up to today (default 12)")
    parser.add_argument("--shops", type=int, default=1, help="demo shops, each with owner, clerk, analyst (max 9)")
    parser.add_argument("--customers", type=int, default=60, help="customers per shop (default 60)")
    parser.add_argument("--sales-per-month", type=float, default=2.0, help="credit sales per customer per month")
    parser.add_argument("--reset", action="store_true", help="empty the book's tables first (refused if real accounts exist)")
    parser.add_argument("--force", action="store_true", help="with --reset: wipe even real accounts")
    parser.add_argument("--demo", action="store_true", help="seed only if the demo owner does not exist yet (for ./daftari run --demo)")
    args = parser.parse_args(argv)
    if not 1 <= args.shops <= 9:
        parser.error("--shops must be between 1 and 9")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        startup.ensure_schema()
        if args.reset:
            demo.wipe(force=args.force)
        if args.demo and demo.demo_user(demo_phone(1, "owner")):
            print(f"Demo data is already there. Log in with {demo_phone(1, 'owner')} / {DEMO_PASSWORD}")
            return 0
        if demo.demo_user(demo_phone(1, "owner")):
            print("Demo accounts exist already: add --reset to seed afresh.", file=sys.stderr)
            return 1
        started, totals = time.perf_counter(), {"customers": 0, "debts": 0, "payments": 0}
        end = today()
        start = end - timedelta(days=30 * args.months)
        for shop_no in range(1, args.shops + 1):
            rng = random.Random(args.seed * 1000 + shop_no)
            fake = Faker("en_KE")
            fake.seed_instance(args.seed * 1000 + shop_no)
            owner = auth.register("Demo", f"Owner {shop_no}", demo_phone(shop_no, "owner"), DEMO_PASSWORD,
                                  f"{fake.last_name()} General Store")
            actor = Actor(owner["user_id"], owner["shop_id"])
            for role in ROLES[1:]:
                auth.register("Demo", f"{role.title()} {shop_no}", demo_phone(shop_no, role), DEMO_PASSWORD,
                              f"{role.title()}'s own shop")
                auth.add_member(actor, demo_phone(shop_no, role), role)
            people = customers(fake, rng, args.customers)
            sales, payments = sales_and_payments(rng, people, start, end, args.sales_per_month)
            for key, n in demo.seed_book(actor, people, sales, payments).items():
                totals[key] += n
            print(f"shop {shop_no}: {len(people)} customers, {len(sales)} credit sales, {len(payments)} payments",
                  file=sys.stderr)
        seconds = time.perf_counter() - started
        rows = sum(totals.values())
        breaches = demo.invariant_breaches()
        print(f"Seeded {rows:,} rows ({', '.join(f'{v:,} {k}' for k, v in totals.items())}) "
              f"in {seconds:.1f} s ({rows / seconds:,.0f} rows/s). Invariant breaches: {len(breaches)}.")
        print(f"Log in as the demo owner: phone {demo_phone(1, 'owner')}, password {DEMO_PASSWORD} "
              f"(clerk {demo_phone(1, 'clerk')}, analyst {demo_phone(1, 'analyst')}, same password).")
        return 1 if breaches else 0
    except (DaftariError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
