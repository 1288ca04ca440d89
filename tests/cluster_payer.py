"""One app process of the cluster tests: `threads` threads each pay `each` cents-worth of one customer's debt
`rounds` times through the Galera node that MYSQL_PORT names, with the app's own rule (book.pay_customer).

    python tests/cluster_payer.py SHOP USER CUSTOMER THREADS ROUNDS AMOUNT

Prints one JSON line: the payments that were confirmed, the sum confirmed, and every exception that was not a
sentence for the user (a crash), so the test can compare the database's sum with what was confirmed."""

from __future__ import annotations

import json
import sys
import threading
from decimal import Decimal

import db  # noqa: F401  (the driver before anything imports hashlib: see duka/ask.py)
from db.errors import DaftariError
from duka import book
from duka.members import Actor


def main() -> None:
    shop, user, customer, threads, rounds, amount = sys.argv[1:7]
    actor = Actor(int(user), int(shop))
    confirmed, refused, unsure, crashes = [], [], [], []
    lock = threading.Lock()
    start = threading.Barrier(int(threads))

    def pay() -> None:
        start.wait()
        for _ in range(int(rounds)):
            try:
                book.pay_customer(actor, int(customer), amount, "Cash")
            except DaftariError as exc:  # a sentence for the user (busy, unreachable, overpayment): not a crash
                with lock:
                    (unsure if "may or may not" in str(exc) else refused).append(str(exc))
            except Exception as exc:  # noqa: BLE001 (what escapes the app's handling is what the test counts)
                with lock:
                    crashes.append(f"{type(exc).__name__}: {exc}")
            else:
                with lock:
                    confirmed.append(amount)

    workers = [threading.Thread(target=pay) for _ in range(int(threads))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    total = sum((Decimal(a) for a in confirmed), Decimal("0.00"))
    print(
        json.dumps(
            {
                "confirmed": len(confirmed),
                "sum": str(total),
                "refused": refused,
                "unsure": len(unsure),
                "crashes": crashes,
                "retried": db.retries["deadlock_or_lock_wait"],
            }
        )
    )


if __name__ == "__main__":
    main()
