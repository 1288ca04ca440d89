"""bench/scale's API: requests a second and latency (p50, p95) of GET /api/v1/debtors and one analyst question over
real HTTP on localhost, 16 clients at once, for the wholesaler and a small shop; beside them the floor, GET
/api/v1/health (HTTP, the framework and one database round trip, no token, no figure). The API is a uvicorn
process of its own, one worker, as ./daftari api runs it; the clients are threads of this process."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time

import httpx

from bench.common import ROOT, line
from bench.scale_data import DataSet
from duka import tokens

CLIENTS = 16
QUESTION = "expenses/spending_by_category"  # the analytics page's own figure, with its defaults (this year)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve() -> tuple[subprocess.Popen, str]:
    """python -m api on a free port, against this process's server and database, without its rate limit."""
    port = _free_port()
    env = dict(os.environ, API_PORT=str(port), API_HOST="127.0.0.1", API_RATE_PER_MINUTE="100000000")
    env["API_LOG_LEVEL"] = "warning"
    proc = subprocess.Popen([sys.executable, "-m", "api"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the API did not start")


def hammer(url: str, path: str, token: str | None, seconds: float, clients: int) -> list[float]:
    """Every latency (seconds) of `clients` threads asking for `path` for `seconds`; any answer but 200 fails."""
    times: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    def client() -> None:
        mine = []
        with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
            while time.monotonic() < stop:
                started = time.perf_counter()
                answer = http.get(path)
                mine.append(time.perf_counter() - started)
                if answer.status_code != 200:
                    with lock:
                        failures.append(f"{path}: {answer.status_code} {answer.text[:200]}")
                    return
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError(failures[0])
    return times


def _figures(times: list[float], seconds: float) -> dict:
    ordered = sorted(times)
    return {
        "requests_per_s": len(ordered) / seconds,
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
        "requests": len(ordered),
    }


def api_bench(data: DataSet, args) -> dict:
    seconds = args.seconds
    shops = (("wholesaler", data.wholesaler), ("small", data.small))
    keys = {label: tokens.create(actor, "bench/scale") for label, actor in shops}
    cases = [("health (the floor)", "/api/v1/health", None)]
    for label, _ in shops:
        cases.append((f"debtors, {label}", "/api/v1/debtors", keys[label]))
        cases.append((f"{QUESTION}, {label}", f"/api/v1/questions/{QUESTION}", keys[label]))
    proc, url = serve()
    result = {}
    try:
        for _, path, token in cases:  # warm the pool, the server's buffers and each path
            hammer(url, path, token, 0.5, 2)
        print(f"bench/scale api: {CLIENTS} clients over HTTP on localhost, {seconds:g} s per endpoint")
        for label, path, token in cases:
            result[label] = _figures(hammer(url, path, token, seconds, CLIENTS), seconds)
            f = result[label]
            line(
                f"GET {path.removeprefix('/api/v1/')} ({label.split(', ')[-1]})",
                f"{f['requests_per_s']:6.0f} req/s, p50 {f['p50_ms']:6.1f} ms, p95 {f['p95_ms']:6.1f} ms",
            )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return {"api": result}
