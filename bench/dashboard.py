"""bench/dashboard: one shop's dashboard data at scale (50 shops, 1M expenses, ~220k debts, 400k payments),
against a seed-style naive version (a new connection per query, SELECT * of the shop's rows, pandas).

Run:  .venv/bin/python -m bench.dashboard [--repeat 30]
The app pool runs on pure Python (see db/pool.py); each run is also measured on the C extension, interleaved.
The data set is made once with the simulator (seed 1) and kept in its own database for later runs.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import statistics
import time
from datetime import date

from streamlit.testing.v1 import AppTest

import db
from bench.common import ROOT, line, median_time, use_database
from bench.scale_naive import dashboard as naive_dashboard
from bench.scale_reads import dashboard_data
from db import cache, config
from duka import members
from duka.members import Actor
from simulate import demo
from simulate.run import Options, simulate

DATABASE = "daftari_bench_dashboard"
TODAY = date(2026, 10, 31)


def ensure_data() -> None:
    counts = demo.table_counts()
    if counts["shops"] == 50 and counts["expenses"] >= 1_000_000 and counts["payments"] >= 400_000:
        return
    demo.wipe(force=True)
    started = time.perf_counter()
    result = simulate(
        Options(
            seed=1, months=12, shops=50, customers=185, sales_per_month=2.0, expenses_per_month=1664, progress=True
        ),
        TODAY,
    )
    print(f"made the data set in {time.perf_counter() - started:.0f} s: {result.rows}, breaches {len(result.breaches)}")


def a_shop():
    shop = db.rows("shop_ids")[24]["shop_id"]
    owner = db.rows("members_of_shop", shop_id=shop)[0]["user_id"]
    return Actor(owner, shop)


def ours(actor) -> dict:
    """What the dashboard and the analytics page of one year ask the database for, in one page run (as a page
    does: each shop's version is read once per run, db/cache.py)."""
    return dashboard_data(actor, TODAY)


def naive(actor) -> dict:
    """The seed apps' way: for every figure, a new connection, SELECT * of the shop's rows, the sums in pandas."""
    return naive_dashboard(actor.shop_id, TODAY)


def page_time(actor, repeat: int, cached: bool) -> float:
    """The dashboard page's median time under AppTest (in this process, against the benchmark's database)."""
    # Setting an AppTest's session state from outside its script run warns "missing ScriptRunContext" on
    # every call; the warning is about bare mode, not about the measurement. A filter, because Streamlit
    # resets its loggers' levels when AppTest loads its config.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = {"id": actor.user_id, "first_name": "Bench", "last_name": "Owner", "phone": "+254"}
    at.session_state["shops"] = members.memberships(actor.user_id)
    at.session_state["shop_id"] = actor.shop_id
    at.session_state["role"] = "owner"
    at.session_state["last_seen"] = time.time()
    at.switch_page("pages/1_Dashboard.py")
    at.run()
    assert not at.exception

    def render():
        if not cached:
            cache.clear()
        at.session_state["last_seen"] = time.time()
        at.run()

    return median_time(render, repeat)[0]


def on_the_c_extension(measure, actor):
    """`measure()` with the app pool on the connector's C extension (warmed first), then back on pure Python."""
    os.environ[config.DRIVER_ENV] = "c"
    try:
        cache.clear()
        ours(actor)  # a connection of the new pool, opened outside the measurement
        cache.clear()
        return measure()
    finally:
        os.environ.pop(config.DRIVER_ENV, None)
        cache.clear()
        ours(actor)
        cache.clear()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--naive-repeat", type=int, default=5)
    args = parser.parse_args()
    use_database(DATABASE)
    ensure_data()
    actor = a_shop()
    ours(actor)  # warm the buffer pool for both contenders
    naive(actor)
    ours_times, naive_times, c_times = [], [], []
    for i in range(args.repeat):  # interleaved runs, side by side
        cache.clear()
        ours_times.append(median_time(lambda: ours(actor), 1)[0])
        if i < args.naive_repeat:
            naive_times.append(median_time(lambda: naive(actor), 1)[0])
        c_times.append(on_the_c_extension(lambda: median_time(lambda: ours(actor), 1)[0], actor))
    hit, _ = median_time(lambda: ours(actor), args.repeat)
    page_cold = page_time(actor, 10, cached=False)
    page_warm = page_time(actor, 10, cached=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ours_median, naive_median = statistics.median(ours_times), statistics.median(naive_times)
    print(f"bench/dashboard: shop {actor.shop_id} of 50; medians ({args.repeat} runs ours, {args.naive_repeat} naive)")
    line("ours: the dashboard's data in SQL, cache cleared each run (target <= 30 ms)", f"{ours_median * 1000:8.1f} ms")
    line("naive: new connection per query, SELECT *, pandas", f"{naive_median * 1000:8.1f} ms")
    line("naive / ours (target >= 30x)", f"{naive_median / ours_median:8.1f}x")
    c_median = statistics.median(c_times)
    line("ours with the app pool on the C extension instead of pure Python", f"{c_median * 1000:8.1f} ms")
    line("pure Python / C extension", f"{ours_median / c_median:8.2f}x")
    line("ours from the cache (a hit)", f"{hit * 1000:8.2f} ms")
    line("dashboard page under AppTest, cache cleared (target <= 200 ms)", f"{page_cold * 1000:8.1f} ms")
    line("dashboard page under AppTest, cached", f"{page_warm * 1000:8.1f} ms")
    line("peak memory of this process (target < 500 MB)", f"{peak:8.0f} MB")


if __name__ == "__main__":
    main()
