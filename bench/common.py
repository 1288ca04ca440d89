"""Shared by the benchmarks: a database of their own and medians."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import db
from db import startup

ROOT = Path(__file__).resolve().parent.parent


def use_database(name: str) -> None:
    """Point every connection of this process at the benchmark's own database, migrated."""
    os.environ["MYSQL_DATABASE"] = name
    db.reset_pool()
    startup.ensure_schema()


def median_time(fn, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def line(label: str, value: str) -> None:
    print(f"  {label:<58} {value}")
