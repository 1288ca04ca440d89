"""bench/concurrency: 32 threads recording credit sales and payments in the same shops at once, through the
app's own db functions. Prints payments per second, p50/p95 latency, and proves no cent was lost by checking
the database against the threads' own independent tally.

Run:  .venv/bin/python -m bench.concurrency [--threads 32] [--operations 150] [--drivers pure,c] [--repeat 3]

The app pool runs on pure Python (it lets a hung server cost only the sessions waiting on it, see db/pool.py);
--drivers runs the same rounds on the connector's C extension too, in turns in this process, for the price.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import threading
import time
from decimal import Decimal

import db
from bench.common import line, use_database
from db import config
from db.errors import InvalidInput
from duka import book, customers, invitations, members
from duka.members import Actor
from simulate import demo

DATABASE = "daftari_bench_concurrency"


def setup(shops: int, per_shop: int) -> list[dict]:
    demo.wipe(force=True)
    made = []
    for s in range(shops):
        owner_phone, clerk_phone = f"+254711{s:03d}001", f"+254711{s:03d}002"
        owner = members.register("Bench", f"Owner {s}", owner_phone, "Bench-password-1", f"Bench shop {s}")
        clerk = members.register("Bench", f"Clerk {s}", clerk_phone, "Bench-password-1", f"Clerk {s} shop")
        actor = Actor(owner["user_id"], owner["shop_id"])
        invitation = invitations.invite(actor, clerk_phone, "clerk")
        invitations.accept(Actor(clerk["user_id"], owner["shop_id"]), invitation)
        ids = [customers.add_customer(actor, f"Customer {s}-{c}") for c in range(per_shop)]
        debts = [book.record_sale(actor, c, "Opening balance", total="5000") for c in ids]
        made.append({"actors": [actor, Actor(clerk["user_id"], owner["shop_id"])], "customers": ids, "debts": debts})
    return made


def worker(shops: list[dict], operations: int, seed: int, tally: dict, latencies: list, lock: threading.Lock) -> None:
    rng = random.Random(seed)
    mine = {"sales": Decimal(0), "payments": Decimal(0), "paid": 0, "sold": 0, "refused": 0, "failed": 0}
    for _ in range(operations):
        shop = rng.choice(shops)
        actor = rng.choice(shop["actors"])
        started = time.perf_counter()
        try:
            if rng.random() < 0.7:
                amount = Decimal(rng.randint(1, 400))
                book.record_payment(actor, rng.choice(shop["debts"]), amount, "M-Pesa")
                mine["payments"] += amount
                mine["paid"] += 1
            else:
                amount = Decimal(rng.randint(50, 900))
                debt = book.record_sale(actor, rng.choice(shop["customers"]), "Bench sale", total=amount)
                mine["sales"] += amount
                mine["sold"] += 1
                with lock:
                    shop["debts"].append(debt)
        except InvalidInput:
            mine["refused"] += 1  # an overpayment on a debt already paid down: refused, nothing written
        except Exception as exc:  # anything else is reported, and the tally stays honest
            mine["failed"] += 1
            with lock:
                tally.setdefault("errors", []).append(repr(exc)[:160])
        with lock:
            latencies.append(time.perf_counter() - started)
    with lock:
        for key, value in mine.items():
            tally[key] += value


def run_once(args, driver: str) -> dict:
    """One round: fresh shops, then the threads, on the app pool with this driver ("c" or "pure")."""
    os.environ[config.DRIVER_ENV] = driver
    db.reset_pool()
    shops = setup(args.shops, 40)
    before = demo.table_counts()
    tally = {"sales": Decimal(0), "payments": Decimal(0), "paid": 0, "sold": 0, "refused": 0, "failed": 0}
    latencies, lock = [], threading.Lock()
    retried = db.retries["deadlock_or_lock_wait"]
    threads = [
        threading.Thread(target=worker, args=(shops, args.operations, i, tally, latencies, lock))
        for i in range(args.threads)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    latencies.sort()
    return {
        "driver": driver,
        "shops": shops,
        "before": before,
        "tally": tally,
        "ops": len(latencies) / seconds,
        "paid": tally["paid"] / seconds,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95)] * 1000,
        "retried": db.retries["deadlock_or_lock_wait"] - retried,
    }


def check(args, result: dict) -> None:
    """No cent lost: the database against the threads' own tally, and the book's invariants."""
    shops, tally = result["shops"], result["tally"]
    opening = Decimal(5000) * 40 * args.shops
    totals = {}
    for shop in shops:
        actor = shop["actors"][0]
        for name, row in (
            ("sales", db.rows("bench_debt_total", shop_id=actor.shop_id)[0]),
            ("payments", db.rows("bench_payment_total", shop_id=actor.shop_id)[0]),
        ):
            totals[name] = totals.get(name, Decimal(0)) + row["amount"]
    breaches = demo.invariant_breaches()
    label = f"[{result['driver']}] "
    line(
        label + "payments / sales / refused overpayments",
        f"{tally['paid']:,} / {tally['sold']:,} / {tally['refused']:,}",
    )
    line(label + "transactions retried after a deadlock or lock wait", f"{result['retried']:,}")
    line(label + "operations that failed (after retries)", f"{tally['failed']:,}")
    for error in sorted(set(tally.get("errors", [])))[:5]:
        print(f"    {error}")
    line(
        label + "payments: database sum vs the threads' own tally",
        f"{totals['payments']} vs {tally['payments']} {'OK' if totals['payments'] == tally['payments'] else 'LOST'}",
    )
    line(
        label + "sales: database sum vs opening + the threads' tally",
        f"{totals['sales']} vs {opening + tally['sales']} "
        f"{'OK' if totals['sales'] == opening + tally['sales'] else 'LOST'}",
    )
    line(label + "book invariants", "OK" if not breaches else f"{len(breaches)} BREACHES")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--operations", type=int, default=150, help="per thread")
    parser.add_argument("--shops", type=int, default=3)
    parser.add_argument(
        "--drivers",
        default="pure,c",
        help="the app pool's drivers to compare, run in turns in this process (pure Python is the app's; c is "
        "the connector's C extension)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="rounds per driver; medians are printed")
    args = parser.parse_args()
    drivers = [d.strip() for d in args.drivers.split(",") if d.strip()]
    use_database(DATABASE)
    results: dict[str, list[dict]] = {d: [] for d in drivers}
    for _ in range(args.repeat):
        for driver in drivers:  # in turns, so a noisy moment of the machine does not favour one
            results[driver].append(run_once(args, driver))
            check(args, results[driver][-1])
    os.environ.pop(config.DRIVER_ENV, None)
    db.reset_pool()
    print(
        f"bench/concurrency: {args.threads} threads x {args.operations} operations on {args.shops} shops "
        f"({results[drivers[0]][0]['before']['debts']:,} opening debts), medians of {args.repeat} rounds per driver"
    )
    medians = {}
    for driver in drivers:
        runs = results[driver]
        medians[driver] = {k: statistics.median(r[k] for r in runs) for k in ("ops", "paid", "p50", "p95")}
        m = medians[driver]
        line(
            f"[{driver}] operations per second",
            f"{m['ops']:10,.0f}   (rounds: {', '.join(format(r['ops'], ',.0f') for r in runs)})",
        )
        line(f"[{driver}] payments recorded per second", f"{m['paid']:10,.0f}")
        line(f"[{driver}] latency p50 / p95", f"{m['p50']:6.1f} / {m['p95']:.1f} ms")
    if "c" in medians and "pure" in medians:
        line("pure Python / C extension, operations per second", f"{medians['pure']['ops'] / medians['c']['ops']:.2f}x")
        line("pure Python / C extension, p50 latency", f"{medians['pure']['p50'] / medians['c']['p50']:.2f}x")


if __name__ == "__main__":
    main()
