"""bench/api: requests a second and latency (p50, p95) of GET /api/v1/debtors over real HTTP, on the
simulator's data set of bench/dashboard (50 shops, ~9k customers, ~220k sales, 400k payments), one shop's
token, a uvicorn server of its own (one process, as ./daftari api runs it).

Run:  .venv/bin/python -m bench.api [--seconds 10] [--clients 8]
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

import httpx

from bench.common import line, use_database
from bench.dashboard import DATABASE, a_shop, ensure_data
from bench.scale_api import serve
from duka import customers, tokens


def hammer(url: str, token: str, seconds: float, clients: int) -> list[float]:
    """Every latency (seconds) of `clients` threads asking for the debtors for `seconds`."""
    times: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        mine = []
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
            while time.monotonic() < stop:
                started = time.perf_counter()
                answer = http.get("/api/v1/debtors")
                mine.append(time.perf_counter() - started)
                assert answer.status_code == 200, answer.text
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    use_database(DATABASE)
    ensure_data()
    actor = a_shop()
    debtors = len(customers.debtors(actor))
    token = tokens.create(actor, "bench")
    proc, url = serve()  # python -m api against this process's database (use_database above)
    try:
        hammer(url, token, 1.0, 2)  # warm the pool and the server's buffers
        for clients in (1, args.clients):
            times = sorted(hammer(url, token, args.seconds, clients))
            p95 = times[int(0.95 * (len(times) - 1))]
            print(f"GET /api/v1/debtors, shop {actor.shop_id} ({debtors} debtors), {clients} client(s):")
            line("requests/s", f"{len(times) / args.seconds:.0f}")
            line("p50 / p95 (ms)", f"{statistics.median(times) * 1000:.1f} / {p95 * 1000:.1f}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
