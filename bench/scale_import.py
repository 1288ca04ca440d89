"""bench/scale's import: a 100,000-row CSV of expenses imported the way the Import page does it (read the file, guess
the columns, check every row and look for duplicates, insert in one transaction), into a small shop (20,000
expenses) and into the wholesaler (1,000,000: the duplicate check reads every expense of the file's dates);
beside it the naive way, one add_expense (one transaction) per row of the csv module, timed on the first
1,000 rows. Each import is taken out again afterwards, so the data set stays as it was built."""

from __future__ import annotations

import csv
import io
import statistics
import time
from datetime import date, timedelta

import numpy as np

import db
from bench.common import line
from bench.scale_data import DataSet
from db import cache, pool
from duka import expenses, imports
from duka.members import Actor
from duka.periods import add_months, month_start

ROWS = 100_000  # at scale 1; a smaller scale imports fewer (the test's 0.001: 500)
NAIVE_ROWS = 1_000
TARGET_S = 5.0


def csv_file(actor: Actor, day: date, rows: int, seed: int = 15) -> bytes:
    """A bank-export-like CSV of `rows` expenses over the year before `day`, in the shop's own categories."""
    rng = np.random.default_rng(seed)
    names = expenses.categories(actor)["name"].tolist()
    first = add_months(month_start(day), -11)
    days = [first + timedelta(days=int(d)) for d in rng.integers(0, (day - first).days + 1, rows)]
    modes = ["Cash", "M-Pesa", "Debit Card", "Bank transfer"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Date", "Amount", "Category", "Payment mode", "Cashback", "Description"])
    amounts = rng.integers(50, 20_000, rows)
    category = rng.integers(0, len(names), rows)
    mode = rng.integers(0, len(modes), rows)
    for i in range(rows):
        cashback = f"{amounts[i] // 50}" if i % 7 == 0 else ""
        writer.writerow(
            [
                days[i].isoformat(),
                f"{amounts[i]:,}.00",
                names[category[i]],
                modes[mode[i]],
                cashback,
                f"Import line {i}",
            ]
        )
    return out.getvalue().encode()


def import_once(actor: Actor, data: bytes) -> dict:
    """The Import page's steps, each timed (seconds), and what was imported."""
    timings = {}
    started = time.perf_counter()
    frame = imports.read_table("bank.csv", data)
    timings["read"] = time.perf_counter() - started
    mapping = imports.guess_mapping(list(frame.columns))
    named = dict(zip(*expenses.categories(actor)[["name", "category_id"]].T.values))
    mark = time.perf_counter()
    checked = imports.check_rows(actor, frame, mapping, named)
    timings["check"] = time.perf_counter() - mark
    mark = time.perf_counter()
    done = imports.import_rows(actor, checked)
    timings["insert"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return {**timings, "imported": done["imported"], "bad": len(checked.bad), "duplicates": len(checked.duplicates)}


def naive_once(actor: Actor, data: bytes, rows: int) -> float:
    """Seconds for the first `rows` rows the naive way: the csv module, one add_expense each."""
    named = dict(zip(*expenses.categories(actor)[["name", "category_id"]].T.values))
    started = time.perf_counter()
    for i, row in enumerate(csv.DictReader(io.StringIO(data.decode()))):
        if i == rows:
            break
        expenses.add_expense(
            actor,
            named[row["Category"]],
            date.fromisoformat(row["Date"]),
            row["Amount"].replace(",", ""),
            row["Payment mode"],
            row["Cashback"] or None,
            row["Description"],
        )
    return time.perf_counter() - started


def take_out(actor: Actor, after_id: int) -> None:
    """Delete the shop's expenses after `after_id` (what the import added); the triggers mend the roll-ups."""
    with pool.admin_connection() as conn:
        db.Tx(conn).execute("bench_delete_expenses_after", shop_id=actor.shop_id, after_id=after_id)
        conn.commit()
    cache.clear()


def import_bench(data: DataSet, args) -> dict:
    repeat = args.repeat or 3
    rows = max(500, round(ROWS * min(1.0, data.built["scale"])))
    naive_rows = min(NAIVE_ROWS, rows // 10)
    result = {}
    print(f"bench/scale import: a {rows:,}-row CSV through the Import page's steps, medians of {repeat} imports")
    for label, actor in (("small", data.small), ("wholesaler", data.wholesaler)):
        file = csv_file(actor, data.day, rows)
        last = db.rows("bench_last_expense_id", shop_id=actor.shop_id)[0]["id"]
        runs, naive = [], []
        try:
            for _ in range(repeat):  # in turns with the naive way
                runs.append(import_once(actor, file))
                take_out(actor, last)
                naive.append(naive_once(actor, file, naive_rows) * rows / naive_rows)
                take_out(actor, last)
        finally:
            take_out(actor, last)
        if any(r["imported"] != rows or r["bad"] for r in runs):
            raise RuntimeError(f"the import took {[r['imported'] for r in runs]} of {rows:,} rows")
        figures = {k: statistics.median(r[k] for r in runs) for k in ("read", "check", "insert", "total")}
        figures.update(
            naive_s=statistics.median(naive),
            target_s=TARGET_S,
            megabytes=round(len(file) / 1e6, 1),
            rows=rows,
            runs=len(runs),
        )
        figures["ratio"] = figures["naive_s"] / figures["total"]
        result[label] = figures
        name = f"{label} (shop {actor.shop_id})"
        line(
            f"{name}: {rows:,} rows, {figures['megabytes']} MB (target <= {TARGET_S:g} s)",
            f"{figures['total']:6.2f} s (read {figures['read']:.2f}, check {figures['check']:.2f}, "
            f"insert {figures['insert']:.2f})",
        )
        line(
            f"{name}: naive, one add_expense per row ({naive_rows:,} rows x {rows // naive_rows})",
            f"{figures['naive_s']:6.1f} s ({figures['ratio']:.1f}x)",
        )
    return {"import": result}
