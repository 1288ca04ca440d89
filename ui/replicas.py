"""`./daftari run --replicas N`: N Streamlit processes behind HAProxy on one port (issue 13).

Each browser stays with the replica that served it first (a cookie HAProxy sets): a Streamlit session lives in one
process's memory, its websocket must reach that process, and so must its file uploads (streamlit#4173, #2936).
What a replica cannot share in memory is in the database: a sign-in is a server-side session, so a browser sent
to another replica (its own died, or the cookie is gone) is still signed in; and each cached read is checked
against its shop's version number (db/cache.py), so a payment recorded on one replica shows on the next rerun of
every other. A replica that stops answering /_stcore/health is taken out of rotation within two seconds.

    python -m ui.replicas N [--port 8501] [--first-port 8601]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request

from db import config, server
from db.server import ServerError

FOLDER = config.ROOT / ".data" / "replicas"
COOKIE = "DAFTARI_REPLICA"


def haproxy_config(port: int, ports: list[int], address: str = "0.0.0.0") -> str:
    """HTTP mode with a sticky cookie, websockets kept open (timeout tunnel), Streamlit's own health check."""
    servers = "\n".join(
        f"  server replica{n} 127.0.0.1:{p} check cookie replica{n}" for n, p in enumerate(ports, start=1)
    )
    return f"""global
  maxconn 4096

defaults
  mode http
  timeout connect 3s
  timeout client 1h
  timeout server 1h
  timeout tunnel 1h
  option forwardfor

frontend daftari
  bind {address}:{port}
  default_backend replicas

backend replicas
  balance roundrobin
  cookie {COOKIE} insert indirect nocache httponly
  option httpchk GET /_stcore/health
  http-check expect status 200
  default-server inter 1s fall 2 rise 2
{servers}
"""


def healthy(url: str, timeout: float = 60.0) -> bool:
    """Wait until url/_stcore/health answers ok."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                return True
        except OSError:
            time.sleep(0.2)
    return False


def start(
    replicas: int,
    port: int,
    first_port: int,
    address: str = "0.0.0.0",
    env: dict | None = None,
    ports: list[int] | None = None,
) -> list[subprocess.Popen]:
    """The replicas (on first_port, +1, +2... or the `ports` given), then HAProxy in front once they answer;
    every process started (HAProxy last)."""
    haproxy = _haproxy()
    FOLDER.mkdir(parents=True, exist_ok=True)
    ports = ports or [first_port + n for n in range(replicas)]
    env = dict(os.environ if env is None else env)
    processes = []
    for number, replica_port in enumerate(ports, start=1):
        log = open(FOLDER / f"replica{number}.log", "ab")  # noqa: SIM115 (open while the replica runs)
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    *("-m", "streamlit", "run", str(config.ROOT / "app.py")),
                    *("--server.port", str(replica_port), "--server.address", "127.0.0.1"),
                    *("--server.headless", "true", "--browser.gatherUsageStats", "false"),
                ],
                cwd=config.ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    for number, replica_port in enumerate(ports, start=1):
        if not healthy(f"http://127.0.0.1:{replica_port}"):
            stop(processes)
            raise ServerError(f"Replica {number} did not start within a minute; see {FOLDER / f'replica{number}.log'}")
    cfg = FOLDER / "haproxy.cfg"
    cfg.write_text(haproxy_config(port, ports, address))
    log = open(FOLDER / "haproxy.log", "ab")  # noqa: SIM115 (open while HAProxy runs)
    processes.append(subprocess.Popen([haproxy, "-db", "-f", str(cfg)], stdout=log, stderr=subprocess.STDOUT))
    if not healthy(f"http://127.0.0.1:{port}", timeout=15):
        stop(processes)
        raise ServerError(f"HAProxy did not answer on port {port}; see {FOLDER / 'haproxy.log'}")
    return processes


def stop(processes: list[subprocess.Popen]) -> None:
    """Stop HAProxy and the replicas (a replica that ignores SIGTERM for 10 s is killed)."""
    for proc in reversed(processes):
        if proc.poll() is None:
            proc.terminate()
    for proc in processes:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _haproxy() -> str:
    """HAProxy's binary, installed with apt the first time (as the private server's)."""
    if not server._which("haproxy"):
        server.apt_install("haproxy")
    return server._which("haproxy") or "haproxy"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./daftari run --replicas", description=__doc__.splitlines()[0])
    parser.add_argument("replicas", type=int, help="how many Streamlit processes (2 or more)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8501")), help="HAProxy's port")
    parser.add_argument("--first-port", type=int, default=8601, help="the first replica's port (then +1, +2...)")
    args = parser.parse_args(argv)
    if not 1 <= args.replicas <= 32:
        print("error: --replicas takes a number from 1 to 32.", file=sys.stderr)
        return 2
    try:
        processes = start(args.replicas, args.port, args.first_port)
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Daftari: {args.replicas} replicas behind HAProxy on http://localhost:{args.port} (Ctrl-C stops them)")
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    try:
        while all(proc.poll() is None for proc in processes[-1:]):
            time.sleep(1)
        print("error: HAProxy stopped; see .data/replicas/haproxy.log", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
