"""bench/faults: what a paused database (mariadbd stopped with SIGSTOP) costs the sessions of one app process.

A private MariaDB of the benchmark's own (a temporary folder; the shared one under .data/mariadb is never
paused) is paused for --pause seconds while --sessions threads each ask for one small read, and another thread
does non-database work. Three contenders, in turns in this process:

  before  the connector's own pool on the C extension, no read timeout (the app before issue 10)
  pure    the app's pool (db/pool.py) on pure Python: 1 s to answer the reset at checkout
  c       the app's pool on the C extension (its read timeout cannot be shortened once connected)

Printed: medians over --repeat rounds of each session's wait for an answer (data or the outage sentence), the
longest wait, how many got the sentence, and the non-database thread's longest gap.

Run:  .venv/bin/python -m bench.faults [--pause 10] [--sessions 8] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import tempfile
import threading
import time
from pathlib import Path

import mysql.connector
from mysql.connector import pooling

import db
from bench.common import line
from db import config, server, startup
from db.errors import DatabaseUnavailable
from db.sqlfiles import sql

DATABASE = "daftari_bench_faults"
CONTENDERS = ("before", "pure", "c")


class Before:
    """The app's pool as it was: the connector's MySQLConnectionPool, C extension, no read or write timeout."""

    def __init__(self) -> None:
        settings = config.resolve().without_time_limits()
        self.pool = pooling.MySQLConnectionPool(
            pool_name=f"before{time.monotonic_ns()}", pool_size=32, pool_reset_session=True, **settings.connect_args()
        )

    def read(self) -> list:
        deadline = time.monotonic() + 5.0
        while True:
            try:
                conn = self.pool.get_connection()
                break
            except mysql.connector.errors.PoolError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        try:
            cur = conn.cursor()
            cur.execute(sql("memberships_of_user"), {"user_id": 1})
            return cur.fetchall()
        finally:
            conn.close()


def app_read() -> list:
    return db.rows("memberships_of_user", user_id=1)


def one_round(contender: str, folder: Path, sessions: int, pause: float) -> dict:
    if contender == "before":
        read = Before().read
    else:
        os.environ[config.DRIVER_ENV] = contender
        db.reset_pool()
        read = app_read
    warm = [threading.Thread(target=read) for _ in range(sessions)]  # as many idle connections as sessions
    for t in warm:
        t.start()
    for t in warm:
        t.join()

    gaps, stop = [], threading.Event()

    def ticker() -> None:
        last = time.monotonic()
        while not stop.is_set():
            sum(range(2000))
            time.sleep(0.02)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    waits, outcomes = [], []

    def session() -> None:
        started = time.monotonic()
        try:
            read()
            outcome = "data"
        except DatabaseUnavailable:
            outcome = "sentence"
        except Exception as exc:  # noqa: BLE001 (the benchmark reports what the old pool raised)
            outcome = type(exc).__name__
        waits.append(time.monotonic() - started)
        outcomes.append(outcome)

    tick = threading.Thread(target=ticker)
    tick.start()
    pid = server.pid(folder)
    os.kill(pid, signal.SIGSTOP)
    resume = threading.Timer(pause, os.kill, (pid, signal.SIGCONT))
    resume.start()
    time.sleep(0.2)
    threads = [threading.Thread(target=session) for _ in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    resume.join()
    os.kill(pid, signal.SIGCONT)
    stop.set()
    tick.join()
    os.environ.pop(config.DRIVER_ENV, None)
    db.reset_pool()
    time.sleep(1)  # the server settles (connections that timed out are closed on its side)
    return {"waits": waits, "outcomes": outcomes, "gap": max(gaps)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pause", type=float, default=10.0, help="seconds the server is paused")
    parser.add_argument("--sessions", type=int, default=8, help="sessions asking for data during the pause")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="daftari-faults-"))
    os.environ["DAFTARI_DB_DIR"] = str(folder)
    os.environ["MYSQL_DATABASE"] = DATABASE
    results: dict[str, list[dict]] = {c: [] for c in CONTENDERS}
    try:
        server.start(folder=folder, buffer_pool="64M")
        startup.ensure_schema()
        for _ in range(args.repeat):
            for contender in CONTENDERS:  # in turns, so a noisy moment of the machine does not favour one
                results[contender].append(one_round(contender, folder, args.sessions, args.pause))
    finally:
        db.reset_pool()
        server.stop(folder=folder)
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"bench/faults: server paused {args.pause:g} s, {args.sessions} sessions asking for data, "
        f"medians of {args.repeat} rounds"
    )
    medians = {}
    for contender in CONTENDERS:
        rounds = results[contender]
        median_wait = statistics.median(statistics.median(r["waits"]) for r in rounds)
        longest = statistics.median(max(r["waits"]) for r in rounds)
        gap = statistics.median(r["gap"] for r in rounds)
        kinds = sorted({o for r in rounds for o in r["outcomes"]})
        told = statistics.median(r["outcomes"].count("sentence") for r in rounds)
        medians[contender] = median_wait
        line(f"[{contender}] a session's wait for an answer, median / longest", f"{median_wait:6.2f} / {longest:.2f} s")
        line(f"[{contender}] sessions given the outage sentence", f"{told:g} of {args.sessions} ({', '.join(kinds)})")
        line(f"[{contender}] longest wait of a thread doing no database work", f"{gap:6.3f} s")
    line("before / pure, a session's median wait", f"{medians['before'] / medians['pure']:6.1f}x")


if __name__ == "__main__":
    main()
