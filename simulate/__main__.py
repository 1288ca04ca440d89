"""python -m simulate: demo shops with an owner, a clerk and an analyst; Kenyan customers buying on credit
and paying the way real customers do; a household's or shop's monthly expenses. Same seed, same data."""

from __future__ import annotations

import argparse
import os
import sys

from db import startup
from db.errors import DaftariError
from duka.clock import today
from simulate import demo
from simulate.run import DEMO_PASSWORD, Options, demo_phone, simulate


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m simulate", description=__doc__)
    parser.add_argument("--seed", type=int, default=2026, help="same seed (and period), same data (default 2026)")
    parser.add_argument("--year", type=int, help="simulate this calendar year (up to today) instead of --months")
    parser.add_argument("--months", type=int, default=12, help="months of history up to today (default 12)")
    parser.add_argument("--shops", type=int, default=1, help="demo shops, each with owner, clerk, analyst (default 1)")
    parser.add_argument("--customers", type=int, default=60, help="customers per shop (default 60)")
    parser.add_argument(
        "--sales-per-month", type=float, default=2.0, help="credit sales per customer per month (default 2)"
    )
    parser.add_argument(
        "--expenses-per-month",
        type=int,
        default=60,
        help="expenses per shop per month besides recurring rent and bills (default 60)",
    )
    parser.add_argument("--currency", default="KES", help="shops' currency; amounts scale to it (default KES)")
    parser.add_argument("--database", help="database name (else MYSQL_DATABASE, secrets.toml or 'daftari')")
    parser.add_argument("--no-load-data", action="store_true", help="use batched INSERTs instead of LOAD DATA LOCAL")
    parser.add_argument(
        "--reset", action="store_true", help="empty every table first (refused while real, non-demo accounts exist)"
    )
    parser.add_argument("--force", action="store_true", help="with --reset: wipe real accounts too")
    parser.add_argument(
        "--demo", action="store_true", help="seed only if there is no demo owner yet (what ./daftari run --demo does)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.shops <= 999:
        parser.error("--shops must be between 1 and 999")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.database:
        os.environ["MYSQL_DATABASE"] = args.database
    try:
        startup.ensure_schema()
        if args.reset:
            demo.wipe(force=args.force)
        owner = demo_phone(1, "owner")
        if demo.demo_user(owner):
            if args.demo:
                print(f"Demo data is already there. Log in with {owner} / {DEMO_PASSWORD}")
                return 0
            print("Demo accounts exist already: add --reset to seed afresh.", file=sys.stderr)
            return 1
        options = Options(
            seed=args.seed,
            months=args.months,
            year=args.year,
            shops=args.shops,
            customers=args.customers,
            sales_per_month=args.sales_per_month,
            expenses_per_month=args.expenses_per_month,
            currency=args.currency,
            use_load_data=not args.no_load_data,
            progress=sys.stderr.isatty(),
        )
        result = simulate(options, today())
        print("Rows: " + ", ".join(f"{n:,} {table}" for table, n in result.rows.items()))
        print(
            f"Seeded {result.total:,} rows in {result.seconds:.1f} s ({result.total / result.seconds:,.0f} rows/s) "
            f"with {result.method}. Invariant breaches: {len(result.breaches)}."
        )
        print(
            f"Log in as the demo owner: phone {owner}, password {DEMO_PASSWORD} "
            f"(clerk {demo_phone(1, 'clerk')}, analyst {demo_phone(1, 'analyst')}, same password)."
        )
        return 1 if result.breaches else 0
    except (DaftariError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
