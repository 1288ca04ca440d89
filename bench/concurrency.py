"""bench/concurrency: 32 threads recording credit sales and payments in the same shops at once, through the
app's own db functions. Prints payments per second, p50/p95 latency, and proves no cent was lost by checking
the database against the threads' own independent tally.

Run:  .venv/bin/python -m bench.concurrency [--threads 32] [--operations 150]
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from decimal import Decimal

import db
from bench.common import line, use_database
from db.errors import InvalidInput
from duka import book, customers, members
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
        members.add_member(actor, clerk_phone, "clerk")
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--operations", type=int, default=150, help="per thread")
    parser.add_argument("--shops", type=int, default=3)
    args = parser.parse_args()
    use_database(DATABASE)
    shops = setup(args.shops, 40)
    before = demo.table_counts()
    opening = Decimal(5000) * 40 * args.shops
    tally = {"sales": Decimal(0), "payments": Decimal(0), "paid": 0, "sold": 0, "refused": 0, "failed": 0}
    latencies, lock = [], threading.Lock()
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
    totals = {}
    for shop in shops:
        actor = shop["actors"][0]
        for name, row in (
            ("sales", db.rows("bench_debt_total", shop_id=actor.shop_id)[0]),
            ("payments", db.rows("bench_payment_total", shop_id=actor.shop_id)[0]),
        ):
            totals[name] = totals.get(name, Decimal(0)) + row["amount"]
    latencies.sort()
    breaches = demo.invariant_breaches()
    print(
        f"bench/concurrency: {args.threads} threads x {args.operations} operations on {args.shops} shops "
        f"({before['debts']:,} opening debts)"
    )
    line("operations per second", f"{len(latencies) / seconds:10,.0f}")
    line("payments recorded per second", f"{tally['paid'] / seconds:10,.0f}")
    line(
        "latency p50 / p95",
        f"{statistics.median(latencies) * 1000:6.1f} / {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms",
    )
    line("payments / sales / refused overpayments", f"{tally['paid']:,} / {tally['sold']:,} / {tally['refused']:,}")
    line("transactions retried after a deadlock or lock wait", f"{db.retries['deadlock_or_lock_wait']:,}")
    line("operations that failed (after retries)", f"{tally['failed']:,}")
    for error in sorted(set(tally.get("errors", [])))[:5]:
        print(f"    {error}")
    line(
        "payments: database sum vs the threads' own tally",
        f"{totals['payments']} vs {tally['payments']} {'OK' if totals['payments'] == tally['payments'] else 'LOST'}",
    )
    line(
        "sales: database sum vs opening + the threads' tally",
        f"{totals['sales']} vs {opening + tally['sales']} "
        f"{'OK' if totals['sales'] == opening + tally['sales'] else 'LOST'}",
    )
    line(
        "book invariants (paid = payments, active_debtors = open balances)",
        "OK" if not breaches else f"{len(breaches)} BREACHES",
    )


if __name__ == "__main__":
    main()
