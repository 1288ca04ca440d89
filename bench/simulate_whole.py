"""bench/simulate --whole: the simulator's whole command as a process, and its parts, beside the committed baseline.

The baseline is the simulator of a commit (BASELINE: the one before issue 15's work), exported from git into a
folder of its own and run with the same Python, on the same server, on the same empty database, in turn with ours.
Its parts (the invariant check, the sales and payments, the expenses' rows, roll-ups and files) are imported from
that folder and timed beside ours in this process.
"""

from __future__ import annotations

import importlib.util
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from faker import Faker

from bench.common import ROOT, line, use_database
from db import bulk, config, pool
from duka.clock import today
from simulate import book, demo, expenses
from simulate.expenses import RANGES, ShopSpend

BASELINE = "8a45bab713bff98e2a6686785e440aefb28bcf48"  # main before issue 15's simulator
COMMAND = ["--seed", "1", "--shops", "50", "--months", "12", "--expenses-per-month", "1667"]
DATABASE = "daftari_bench_simulate_whole"
TARGET = 100_000  # rows/s, the whole process


def export(commit: str, folder: Path) -> Path:
    """The tree of `commit` (git archive), to run and import the baseline from, with today's migrations: the
    simulators are compared on one schema (and the baseline refuses a database migrated past its own files)."""
    archive = folder / "baseline.tar"
    with open(archive, "wb") as out:
        subprocess.run(["git", "archive", commit], cwd=ROOT, stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder / "tree", filter="data")
    shutil.rmtree(folder / "tree" / "sql" / "migrations")
    shutil.copytree(ROOT / "sql" / "migrations", folder / "tree" / "sql" / "migrations")
    return folder / "tree"


def run_command(tree: Path) -> dict:
    """python -m simulate COMMAND in `tree`, on an emptied database (wiped here, untimed, as a fresh one would
    be): wall time and peak memory as /usr/bin/time measures them, and the rows it reports."""
    demo.wipe(force=True)
    env = dict(os.environ, DAFTARI_DB_DIR=str(config.data_dir()), PYTHONPATH=str(tree), MYSQL_DATABASE=DATABASE)
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", sys.executable, "-m", "simulate", *COMMAND],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"python -m simulate failed in {tree}:\n{done.stdout}\n{done.stderr}")
    rows_line = next(text for text in done.stdout.splitlines() if text.startswith("Rows:"))
    wall, peak_kb = done.stderr.strip().splitlines()[-1].split()
    rows = sum(int(n.replace(",", "")) for n in re.findall(r"(\d[\d,]*) \w+", rows_line))
    return {"wall": float(wall), "rows": rows, "peak_mb": int(peak_kb) / 1024}


def _module(tree: Path, relative: str, name: str):
    spec = importlib.util.spec_from_file_location(name, tree / relative)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _named_sql(tree: Path, name: str) -> str:
    text = (tree / "sql" / "simulate.sql").read_text()
    block = text.split(f"-- name: {name}\n", 1)[1].split("\n-- name: ", 1)[0]
    return "\n".join(x for x in block.splitlines() if not x.startswith("--"))


def old_invariant_check(tree: Path) -> int:
    """The baseline's check: its two queries, once per shop."""
    statements = [_named_sql(tree, "book_invariants"), _named_sql(tree, "expense_rollup_breaches")]
    found = 0
    with pool.connection() as conn:
        cur = conn.cursor()
        for shop in demo.shop_ids():
            for statement in statements:
                cur.execute(statement, {"shop_id": shop})
                found += len(cur.fetchall())
    return found


def old_sales_and_payments(old_book, shops: int, first: date, last: date) -> int:
    """The baseline's book: per shop, row by row (random.Random), then its frames."""
    fake = Faker("en_KE")
    fake.seed_instance(1)
    rows = 0
    for shop in range(1, shops + 1):
        rng = random.Random(1000 + shop)
        people = old_book.customers(fake, rng, 60)
        sales, paid = old_book.sales_and_payments(rng, people, first, last, 2.0)
        frames = (
            old_book.customers_frame(shop, (1, 2), people, first),
            old_book.debts_frame(shop, (1, 2), sales, list(range(1, len(people) + 1))),
            old_book.payments_frame(shop, (1, 2), paid, list(range(1, len(sales) + 1))),
        )
        rows += sum(len(f) for f in frames)
    return rows


def new_sales_and_payments(shops: int, first: date, last: date) -> int:
    """Ours: every shop at once, numpy, then the frames."""
    fake = Faker("en_KE")
    fake.seed_instance(1)
    rng = np.random.default_rng(1)
    people = book.customers(fake, rng, shops, 60)
    sold = book.sales(rng, people, first, last, 2.0)
    paid = book.payments(rng, people, sold, (last - first).days)
    shop_ids, staff = np.arange(1, shops + 1), np.tile([1, 2], (shops, 1))
    frames = (
        book.customers_frame(people, shop_ids, staff, first),
        book.debts_frame(people, sold, shop_ids, staff, np.arange(len(people)) + 1, first),
        book.payments_frame(people, sold, paid, shop_ids, staff, np.arange(len(sold)) + 1, first),
    )
    return sum(len(f) for f in frames)


def expense_files(generate_in_chunks, rollup, write_tsv, shops: int, months: list[date], folder: Path) -> int:
    """The Python side of the expenses' load: the rows, their roll-ups and the files LOAD DATA reads."""
    spend = [ShopSpend(i, 1, "KES", {n: j for j, n in enumerate(RANGES)}) for i in range(1, shops + 1)]
    rows = 0
    for frame in generate_in_chunks(np.random.default_rng(2), spend, months, 1667, ["Duka", "Soko"], today()):
        write_tsv(frame, folder / "expenses.tsv")
        write_tsv(rollup(frame, "category_id"), folder / "days.tsv")
        write_tsv(rollup(frame, "payment_mode"), folder / "modes.tsv")
        rows += len(frame)
    return rows


def _side_by_side(label: str, old, new, repeat: int) -> None:
    olds, news = [], []
    for _ in range(repeat):
        for fn, times in ((old, olds), (new, news)):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
    old_s, new_s = statistics.median(olds), statistics.median(news)
    line(f"{label}: baseline / ours", f"{old_s:6.2f} s / {new_s:5.2f} s  {old_s / new_s:5.1f}x")


def main(repeat: int, commit: str) -> None:
    use_database(DATABASE)
    with tempfile.TemporaryDirectory(prefix="daftari-bench-") as scratch:
        folder = Path(scratch)
        tree = export(commit, folder)
        runs = {"baseline": [], "ours": []}
        for _ in range(repeat):  # in turn, so a noisy moment hurts both alike
            runs["baseline"].append(run_command(tree))
            runs["ours"].append(run_command(ROOT))
        print(f"bench/simulate --whole: python -m simulate {' '.join(COMMAND)}, median of {repeat} runs each")
        walls = {}
        for who, found in runs.items():
            walls[who] = statistics.median(r["wall"] for r in found)
            rows = found[-1]["rows"]
            peak = max(r["peak_mb"] for r in found)
            every = " ".join(f"{r['wall']:.1f}" for r in found)
            line(f"{who}: {rows:,} rows, wall (s: {every})", f"{walls[who]:6.2f} s  {rows / walls[who]:10,.0f} rows/s")
            line(f"{who}: peak memory", f"{peak:6.0f} MB")
        line("ours vs baseline, whole process", f"{walls['baseline'] / walls['ours']:6.2f}x")
        rate = runs["ours"][-1]["rows"] / walls["ours"]
        line(f"ours rows/s (target >= {TARGET:,})", f"{rate:,.0f} {'met' if rate >= TARGET else 'NOT met'}")

        first = today().replace(day=1) - timedelta(days=334)
        print("parts, in this process (the database holds our last run):")
        _side_by_side("invariant check", lambda: old_invariant_check(tree), lambda: demo.invariant_breaches(), repeat)
        old_book = _module(tree, "simulate/book.py", "baseline_book")
        _side_by_side(
            "sales, payments and their frames",
            lambda: old_sales_and_payments(old_book, 50, first, today()),
            lambda: new_sales_and_payments(50, first, today()),
            repeat,
        )
        old_expenses = _module(tree, "simulate/expenses.py", "baseline_expenses")
        old_bulk = _module(tree, "db/bulk.py", "baseline_bulk")
        months = [date(first.year + (first.month + i - 1) // 12, (first.month + i - 1) % 12 + 1, 1) for i in range(12)]
        _side_by_side(
            "expenses: rows, roll-ups and files",
            lambda: expense_files(
                old_expenses.generate_in_chunks, old_bulk.rollup, old_bulk.write_tsv, 50, months, folder
            ),
            lambda: expense_files(expenses.generate_in_chunks, bulk.rollup, bulk.write_tsv, 50, months, folder),
            repeat,
        )
