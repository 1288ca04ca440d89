"""bench/scale's naive baselines, in a process of their own: the seed apps' way of reading a shop (a new connection
per figure, SELECT * of the shop's rows, the sums in pandas) holds the wholesaler's million expenses as Python
objects, over a gigabyte, which would be counted in the benchmark's own peak memory. The benchmark starts this
process once and asks it for one run at a time, interleaved with its own; the times are measured here.

Protocol: started as `python -m bench.scale_naive SHOP_ID DAY` with the benchmark's environment; each line read
is a job (`dashboard`, or `table NAME`), each answered with the seconds it took; at the end of input it writes
`peak MB` (its max RSS).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from datetime import date

import mysql.connector
import pandas as pd

from db import config
from duka.periods import add_months, month_start

ROOT = config.ROOT

TABLES = ("debts", "payments", "expenses", "customers", "categories")


def raw_rows(table: str, shop_id: int) -> pd.DataFrame:
    """SELECT * of one table's rows of the shop, into pandas, on a new connection (the C extension, as the seed)."""
    if table not in TABLES:
        raise ValueError(table)
    conn = mysql.connector.connect(**config.admin_settings().connect_args())
    try:
        cur = conn.cursor()
        cur.execute("SELECT * FROM " + table + " WHERE shop_id = %s", (shop_id,))
        return pd.DataFrame(cur.fetchall(), columns=cur.column_names)
    finally:
        conn.close()


def dashboard(shop_id: int, day: date) -> dict:
    """The figures of bench/scale_reads.dashboard_data, the naive way (bench/dashboard.py's baseline, for `day`)."""
    first = add_months(month_start(day), -11)

    def rows(table: str) -> pd.DataFrame:
        return raw_rows(table, shop_id)

    def open_debts() -> pd.DataFrame:
        debts = rows("debts")
        return debts[debts["voided_at"].isna() & (debts["balance"] > 0)]

    def year() -> pd.DataFrame:
        spent = rows("expenses")
        return spent[(spent["spent_on"] >= first) & (spent["spent_on"] <= day)]

    def month(column):
        return column.map(lambda d: d.replace(day=1))

    payments = rows("payments")
    return {
        "outstanding": open_debts()["balance"].sum(),
        "debtors": open_debts()["customer_id"].nunique(),
        "collected_today": payments[payments["paid_at"] == day]["amount"].sum(),
        "overdue": (lambda d: d[d["due_date"].notna() & (d["due_date"] < day)]["balance"].sum())(open_debts()),
        "ageing": (
            lambda d: d.groupby(
                pd.cut(d["debt_date"].map(lambda x: (day - x).days), [-1, 30, 60, 90, 10**6]), observed=False
            )["balance"].sum()
        )(open_debts()),
        "credit": (lambda d: d.groupby(month(d["debt_date"]))["total"].sum())(rows("debts")),
        "collected": (lambda p: p.groupby(month(p["paid_at"]))["amount"].sum())(rows("payments")),
        "top": (
            lambda d, c: (
                d.groupby("customer_id")["balance"]
                .sum()
                .sort_values(ascending=False)
                .head(10)
                .rename(c.set_index("id")["name"])
            )
        )(open_debts(), rows("customers")),
        "total": year()["amount"].sum(),
        "cashback": year()["cashback"].sum(),
        "trend": (lambda y: y.groupby(month(y["spent_on"]))[["amount", "cashback"]].sum())(year()),
        "categories": year().groupby("category_id")["amount"].sum(),
        "modes": year().groupby("payment_mode")["amount"].sum(),
        "weekdays": (lambda y: y.groupby(y["spent_on"].map(lambda d: d.weekday()))["amount"].sum())(year()),
        "top_day": year().groupby("spent_on")["amount"].sum().idxmax(),
    }


class Baseline:
    """The benchmark's side: this module's process for one shop, asked for one job at a time."""

    def __init__(self, shop_id: int, day: date) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.scale_naive", str(shop_id), day.isoformat()],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def time(self, job: str) -> float:
        """Seconds the job took there."""
        self.proc.stdin.write(job + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise RuntimeError(f"the naive baseline's process ended (exit {self.proc.wait()})")
        return float(answer)

    def close(self) -> float:
        """End the process; its peak memory (MB)."""
        self.proc.stdin.close()
        said = self.proc.stdout.read().split()
        self.proc.wait()
        return float(said[-1]) if said else float("nan")


def main() -> None:
    shop_id, day = int(sys.argv[1]), date.fromisoformat(sys.argv[2])
    for job in sys.stdin:
        kind, _, table = job.strip().partition(" ")
        started = time.perf_counter()
        if kind == "dashboard":
            dashboard(shop_id, day)
        else:
            raw_rows(table, shop_id)
        print(time.perf_counter() - started, flush=True)
    print(f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", flush=True)


if __name__ == "__main__":
    main()
