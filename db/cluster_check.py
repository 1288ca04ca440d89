"""What stands in front of the Galera nodes: HAProxy, and the check service it asks whether a node may serve.
HAProxy's own MySQL check admits any node that accepts a connection, a donor or a desynced one too; the service
answers HTTP 200 only for a synced node (wsrep_local_state 4, wsrep_ready ON) and 503 otherwise, one port per
node. Both read the cluster's description, cluster.toml, which db/cluster.py writes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import mysql.connector

from db import config, server
from db.sqlfiles import sql


class FrontError(RuntimeError):
    """HAProxy or the check service could not be started; the message is one sentence."""


def alive(number: int) -> bool:
    """True if process `number` runs: an exited process nobody has reaped yet (its parent may be gone) does not."""
    try:
        if Path(f"/proc/{number}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return False
    except (FileNotFoundError, IndexError):
        pass
    return server._alive(number)


def pid_in(path: Path) -> int | None:
    """The live process a pid file names, or None."""
    try:
        number = int(path.read_text().split()[0])
    except (FileNotFoundError, ValueError, IndexError):
        return None
    return number if alive(number) else None


def _stop(path: Path) -> bool:
    number = pid_in(path)
    if number is None:
        return False
    os.kill(number, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while alive(number) and time.monotonic() < deadline:
        time.sleep(0.05)
    path.unlink(missing_ok=True)
    return True


def describe(folder: Path, cluster: dict) -> None:
    """Write cluster.toml: host, endpoints' ports, the admin account and the nodes (name, port, check_port, socket),
    for HAProxy's configuration, the check service, and people and scripts."""

    def toml(values: dict) -> str:
        return "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items())  # JSON strings are TOML's

    text = "# Written by ./daftari cluster up.\n" + toml({k: v for k, v in cluster.items() if k != "nodes"})
    for node in cluster["nodes"]:
        text += "\n[[nodes]]\n" + toml(node)
    (folder / "cluster.toml").write_text(text)


def _description(folder: Path) -> dict:
    with open(folder / "cluster.toml", "rb") as fh:
        return tomllib.load(fh)


def synced(sock: str, user: str, timeout: float = 2) -> tuple[bool, str]:
    """Whether the node on this socket may serve, and its wsrep_local_state_comment (or why it cannot say)."""
    try:
        # Pure Python: checks run in several threads, and the C extension holds the GIL while it waits.
        conn = mysql.connector.connect(unix_socket=sock, user=user, connection_timeout=timeout, use_pure=True)
        try:
            cur = conn.cursor()
            cur.execute(sql("node_synced_status"))
            status = dict(cur.fetchall())
        finally:
            conn.close()
    except mysql.connector.Error as exc:
        return False, f"not answering ({exc.errno})"
    # wsrep_local_state: 1 joining, 2 donor or desynced, 3 joined (catching up), 4 synced
    ok = status.get("wsrep_local_state") == "4" and status.get("wsrep_ready") == "ON"
    return ok, str(status.get("wsrep_local_state_comment"))


class _Check(BaseHTTPRequestHandler):
    def do_GET(self):
        node = self.server.node
        ok, said = synced(node["socket"], self.server.user)
        self.server.note(node["name"], ok, said)
        body = f"{node['name']}: {said}\n".encode()
        try:
            self.send_response(200 if ok else 503)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except ConnectionError:
            pass  # HAProxy hangs up once it has read the status line

    do_OPTIONS = do_HEAD = do_GET  # HAProxy's httpchk sends OPTIONS unless told otherwise

    def log_message(self, *args):
        pass  # six checks a second; only changes are logged (note)


def serve(folder: Path) -> None:
    """Run the check service until SIGTERM: one HTTP port per node of the cluster described in folder."""
    cluster = _description(folder)
    verdicts: dict[str, bool] = {}
    lock = threading.Lock()

    def note(name: str, ok: bool, said: str) -> None:
        with lock:
            if verdicts.get(name) != ok:
                verdicts[name] = ok
                print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {name}: {said} -> {200 if ok else 503}", flush=True)

    for node in cluster["nodes"]:
        httpd = ThreadingHTTPServer((cluster["host"], node["check_port"]), _Check)
        httpd.daemon_threads = True
        httpd.node, httpd.user, httpd.note = node, cluster["admin_user"], note
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    threading.Event().wait()


def _start_service(folder: Path) -> None:
    if pid_in(folder / "check.pid"):
        return
    cluster = _description(folder)
    with open(folder / "check.log", "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "db.cluster_check", str(folder)],
            cwd=config.ROOT,
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    (folder / "check.pid").write_text(str(proc.pid))
    deadline = time.monotonic() + 15
    for node in cluster["nodes"]:
        while not _accepts(cluster["host"], node["check_port"]):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise FrontError(f"The check service did not start; see {folder / 'check.log'}.")
            time.sleep(0.1)


def _accepts(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


def haproxy_config(folder: Path) -> str:
    """HAProxy's configuration: a write endpoint with one writer and a read endpoint over every synced node."""
    cluster = _description(folder)
    host, first = cluster["host"], cluster["nodes"][0]["name"]

    def servers(writes: bool) -> str:
        lines = []
        for node in cluster["nodes"]:
            line = f"    server {node['name']} {host}:{node['port']} check port {node['check_port']}"
            if writes:
                # One writer: the first node while it is up, else the first backup up. The first node back up cuts
                # the backup's sessions, or pooled connections would keep writing there beside it for an hour.
                line += " on-marked-up shutdown-backup-sessions" if node["name"] == first else " backup"
            lines.append(line)
        return "\n".join(lines)

    return f"""# Written by ./daftari cluster up from cluster.toml; see db/cluster_check.py.
global
    stats socket {folder / "haproxy.sock"} mode 600 level admin

defaults
    mode tcp
    timeout connect 3s
    timeout client 1h
    timeout server 1h
    option httpchk
    default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions

listen write
    bind {host}:{cluster["write_port"]}
{servers(writes=True)}

listen read
    bind {host}:{cluster["read_port"]}
    balance leastconn
{servers(writes=False)}
"""


def _start_haproxy(folder: Path) -> None:
    # Left running when its configuration is the same; a changed one replaces it (-sf).
    cfg, pid_file, text = folder / "haproxy.cfg", folder / "haproxy.pid", haproxy_config(folder)
    old = pid_in(pid_file)
    if old and cfg.exists() and cfg.read_text() == text:
        return
    cfg.write_text(text)
    cmd = [server._which("haproxy") or "haproxy", "-D", "-p", str(pid_file), "-f", str(cfg)]
    result = subprocess.run(cmd + (["-sf", str(old)] if old else []), capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if "ALERT" in line] or result.stderr.splitlines()
        raise FrontError(f"HAProxy did not start: {lines[-1] if lines else 'no message'}")


def haproxy_servers(folder: Path) -> dict[str, dict[str, str]]:
    """HAProxy's view, {"write"|"read": {"node1": "UP"|"DOWN"|...}}, from its stats socket; {} if it is not running."""
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(2)
            sock.connect(str(folder / "haproxy.sock"))
            sock.sendall(b"show stat\n")
            data = b"".join(iter(lambda: sock.recv(65536), b""))
    except OSError:
        return {}
    lines = data.decode().splitlines()
    if not lines or not lines[0].startswith("# "):
        return {}
    header = lines[0][2:].split(",")
    view: dict[str, dict[str, str]] = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split(",")))
        if row.get("svname") not in (None, "FRONTEND", "BACKEND"):
            view.setdefault(row["pxname"], {})[row["svname"]] = row["status"]
    return view


def start(folder: Path) -> None:
    """Start the check service and HAProxy in the background unless they run, and wait until HAProxy sends to
    every node."""
    _start_service(folder)
    _start_haproxy(folder)
    wait_serving(folder, [node["name"] for node in _description(folder)["nodes"]])


def wait_serving(folder: Path, names: list[str], timeout: float = 10) -> None:
    """Wait until HAProxy sends to these nodes on both endpoints (a node is UP after two good checks)."""
    deadline = time.monotonic() + timeout
    while not (view := haproxy_servers(folder)) or any(
        servers.get(name) != "UP" for servers in view.values() for name in names
    ):
        if time.monotonic() > deadline:
            raise FrontError(f"HAProxy does not send to {', '.join(names)} within {timeout:.0f} s: {view}.")
        time.sleep(0.2)


def stop(folder: Path) -> None:
    """Stop HAProxy, then the check service."""
    _stop(folder / "haproxy.pid")
    _stop(folder / "check.pid")


def running(folder: Path) -> bool:
    """True if HAProxy and the check service both run."""
    return pid_in(folder / "haproxy.pid") is not None and pid_in(folder / "check.pid") is not None


def report(folder: Path) -> list[str]:
    """status()'s lines for HAProxy (the servers it sends to, per endpoint) and the check service."""
    haproxy, check = pid_in(folder / "haproxy.pid"), pid_in(folder / "check.pid")
    lines = [] if haproxy else ["haproxy  not running"]
    if haproxy:
        cluster, view = _description(folder), haproxy_servers(folder)
        for name in ("write", "read"):
            serving = [node for node, state in view.get(name, {}).items() if state == "UP"]
            where = f"{cluster['host']}:{cluster[name + '_port']}"
            lines.append(f"haproxy  {name} {where}  pid {haproxy}  up: {', '.join(serving) or 'none'}")
    lines.append("check service  " + (f"running, pid {check}" if check else "not running"))
    return lines


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
