"""A three-node MariaDB Galera cluster on this machine with HAProxy in front (./daftari cluster up|down|status):
nodes on 127.0.0.1:3411-3413, writes through WRITE_PORT (one writer at a time), reads through READ_PORT (every
synced node); configuration, logs and pid files in .data/galera/."""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import pwd
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import mysql.connector

from db import cluster_check, config, server
from db.sqlfiles import sql

FOLDER = config.ROOT / ".data" / "galera"
NODES = (1, 2, 3)
HOST = "127.0.0.1"
WRITE_PORT = 3400
READ_PORT = 3401
GALERA = Path("/usr/lib/galera/libgalera_smm.so")
JOIN_SECONDS = 600  # a joiner copies the whole database (SST) when it cannot catch up from the cache (IST)

# The account that administers the nodes is the OS user's own ("root" under root), authenticated by unix_socket:
# no password over a node's socket, refused over TCP. mariadb-install-db's "normal" root would also let any local
# user in as root through 127.0.0.1 (which resolves to 'localhost'; name resolution stays on because the app's
# accounts are @'localhost' and reach the nodes through HAProxy from 127.0.0.1).
ADMIN_USER = pwd.getpwuid(os.geteuid()).pw_name

# State transfers (SST) use rsync: the joiner runs an rsync daemon, which drops to 'nobody' when started by root
# (wsrep_sst_rsync's rsyncd.conf names no uid), so nodes running as root cannot receive one ("cannot stat
# destination: Permission denied"). Started by root, the nodes therefore run as mysql, like Debian's own server,
# and keep their files where mysql can reach them whatever the checkout's permissions (CI clones into a 0700
# directory of root's): /var/lib/daftari-galera/<hash of the checkout's path>/, linked as .data/galera/nodes.
# mariabackup SST does work as root, but it needs one more package and its donor sleeps 10 s before every
# transfer (wsrep_sst_mariabackup): `up` took 30 s instead of 11.
# Started by anyone else, the nodes run as that user in .data/galera/nodes/ itself.
RUN_AS = "mysql" if os.geteuid() == 0 else ADMIN_USER


class ClusterError(RuntimeError):
    """The cluster could not be brought to the state asked for; the message is one sentence."""


def node_port(n: int) -> int:
    """Node n's SQL port."""
    return 3410 + n


def check_port(n: int) -> int:
    """The port where the check service says whether node n may serve (HAProxy asks it)."""
    return 9200 + n


def nodes_home() -> Path:
    """Where the nodes' own folders are (see RUN_AS for why it is outside the checkout under root)."""
    if os.geteuid() != 0:
        return FOLDER / "nodes"
    return Path("/var/lib/daftari-galera") / hashlib.sha256(str(config.ROOT).encode()).hexdigest()[:12]


def _home(n: int) -> Path:
    return nodes_home() / f"node{n}"


def node_socket(n: int) -> Path:
    """Node n's unix socket, in a folder only the nodes' user (and root) may enter."""
    return _home(n) / "mysqld.sock"


def node_log(n: int) -> Path:
    """Node n's error log (every start, recovery and state transfer is appended)."""
    return FOLDER / f"node{n}.log"


def _datadir(n: int) -> Path:
    return _home(n) / "data"


def _pid_file(n: int) -> Path:
    # Ours, written at spawn: mariadbd writes its own only after a state transfer, which may take minutes.
    return FOLDER / f"node{n}.pid"


def _options(n: int) -> dict:
    galera = 4570 + n
    return {
        "user": RUN_AS,
        "datadir": _datadir(n),
        "socket": node_socket(n),
        "pid-file": _home(n) / "mariadbd.pid",
        "tmpdir": _home(n) / "tmp",  # its own: a starting server deletes every #sql file in its tmpdir (db/server.py)
        "bind-address": HOST,
        "port": node_port(n),
        "character-set-server": "utf8mb4",
        "collation-server": "utf8mb4_unicode_ci",
        "max-connections": 300,
        "innodb-buffer-pool-size": "256M",
        "log-bin-trust-function-creators": 1,  # the app's triggers (error 1419); SET GLOBAL is not replicated
        "binlog-format": "ROW",
        "default-storage-engine": "InnoDB",
        "innodb-autoinc-lock-mode": 2,
        # A row lock waited on longer than this is given up (1205, retried by the app). MariaDB 10.11 sometimes
        # leaves a node's applier waiting on a local transaction it should have aborted ('BF lock wait long'),
        # which then waits on the applier until this timeout: the default 50 s froze a node for 50 s after
        # writes through two nodes met (2 runs of 6), 5 s frees it sooner. App statements stop at 10 s anyway.
        "innodb-lock-wait-timeout": 5,
        "wsrep-on": "ON",
        "wsrep-provider": GALERA,
        "wsrep-cluster-name": "daftari",
        "wsrep-cluster-address": "gcomm://" + ",".join(f"{HOST}:{4570 + m}" for m in NODES),
        "wsrep-node-name": f"node{n}",
        "wsrep-node-address": f"{HOST}:{galera}",
        "wsrep-provider-options": f"base_port={galera};gmcast.listen_addr=tcp://{HOST}:{galera};"
        f"ist.recv_addr={HOST}:{4580 + n}",
        "wsrep-sst-receive-address": f"{HOST}:{4590 + n}",
        "wsrep-sst-method": "rsync",
        # Donors from the last node back, any other after the comma: node 1, the writer, donates (and stops
        # serving, see db/cluster_check.py) only when no other node can.
        "wsrep-sst-donor": ",".join(f"node{m}" for m in reversed(NODES) if m != n) + ",",
    }


def _cnf(n: int) -> Path:
    # One file per node, read with --defaults-file: like --no-defaults it keeps /etc/mysql out, and the SST script
    # and --wsrep-recover, which read options with my_print_defaults, then see exactly the node's own.
    return _home(n) / "my.cnf"


def _prepare() -> None:
    """Folders and option files; under root the nodes' folders belong to mysql."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    os.chmod(FOLDER, 0o700)
    home = nodes_home()
    home.mkdir(parents=True, exist_ok=True)
    if home.parent != FOLDER:  # mysql must pass through, whatever root's umask
        os.chmod(home.parent, 0o755)
        os.chmod(home, 0o755)
    link = FOLDER / "nodes"
    if home != link and (not link.is_symlink() or link.readlink() != home):  # a moved checkout has a new hash
        link.unlink(missing_ok=True)
        link.symlink_to(home)
    try:
        owner = pwd.getpwnam(RUN_AS)
    except KeyError:
        raise ClusterError(f"There is no '{RUN_AS}' user to run the nodes as: reinstall mariadb-server.") from None
    for n in NODES:
        _home(n).mkdir(exist_ok=True)
        os.chown(_home(n), owner.pw_uid, owner.pw_gid)
        os.chmod(_home(n), 0o700)  # the socket is here: the admin account has no password on it
        _datadir(n).mkdir(exist_ok=True)  # a joiner's stays empty until its first state transfer
        os.chown(_datadir(n), owner.pw_uid, owner.pw_gid)
        (_home(n) / "tmp").mkdir(exist_ok=True)
        os.chown(_home(n) / "tmp", owner.pw_uid, owner.pw_gid)
        lines = [f"{key}={value}" for key, value in _options(n).items()]
        _cnf(n).write_text("[mysqld]\n" + "\n".join(lines) + "\n")
        os.chmod(_cnf(n), 0o644)  # the SST script reads it as the nodes' user


def _install_missing() -> None:
    """Install with apt what the cluster needs and this machine lacks (root or passwordless sudo)."""
    mariadbd, install_db = server.binaries()
    wanted = [
        package
        for package, present in (
            ("mariadb-server", mariadbd and install_db),
            ("galera-4", GALERA.exists()),
            ("rsync", server._which("rsync")),  # the state transfers
            ("iproute2", server._which("ss", "lsof")),  # the SST script looks for its listener with ss or lsof
            ("haproxy", server._which("haproxy")),
        )
        if not present
    ]
    if not wanted:
        return
    try:
        server.apt_install(*wanted)
    except server.ServerError as exc:
        raise ClusterError(str(exc)) from None


def _env() -> dict:
    path = os.pathsep.join([os.environ.get("PATH", ""), *server.SBIN, "/usr/bin", "/bin", "/sbin"])
    return dict(os.environ, PATH=path)  # mariadbd finds wsrep_sst_rsync, rsync and ss on PATH


def _pid(n: int) -> int | None:
    try:
        number = int(_pid_file(n).read_text())
    except (FileNotFoundError, ValueError):
        return None
    if not cluster_check.alive(number):
        return None
    try:  # a pid left from before a reboot may be another process's now
        if f"--defaults-file={_cnf(n)}".encode() not in Path(f"/proc/{number}/cmdline").read_bytes():
            return None
    except FileNotFoundError:
        pass
    return number


def running(n: int) -> bool:
    """True while node n's mariadbd is alive (synced or not)."""
    return _pid(n) is not None


def node_status(n: int, timeout: float = 5) -> dict:
    """Node n's wsrep_% status values, asked over its socket; raises mysql.connector.Error when it cannot answer."""
    conn = mysql.connector.connect(
        unix_socket=str(node_socket(n)), user=ADMIN_USER, connection_timeout=timeout, use_pure=True
    )
    try:
        cur = conn.cursor()
        cur.execute(sql("node_wsrep_status"))
        return dict(cur.fetchall())
    finally:
        conn.close()


def synced(n: int) -> bool:
    """True if node n may serve: synced with the cluster and ready (what the check service tells HAProxy)."""
    return cluster_check.synced(str(node_socket(n)), ADMIN_USER)[0]


def wait_synced(n: int, timeout: float = 60) -> bool:
    """Wait until node n is synced and say True (`assert wait_synced(n)` reads well); a ClusterError if it stops
    or is not synced in time."""
    deadline = time.monotonic() + timeout
    while not synced(n):
        if not running(n):
            raise ClusterError(f"Node {n} stopped while starting; see {node_log(n)}.")
        if time.monotonic() > deadline:
            raise ClusterError(f"Node {n} was not synced within {timeout:.0f} s; see {node_log(n)}.")
        time.sleep(0.2)
    return True


def admin_socket() -> Path:
    """The socket of the first synced node (ADMIN_USER, no password), for work that must not go through HAProxy."""
    for n in NODES:
        if synced(n):
            return node_socket(n)
    raise ClusterError("No node of the cluster is synced: run ./daftari cluster up.")


STARTING = "daftari: starting node"  # our line in a node's log before every start (joined_by_ist looks for it)


def _spawn(n: int, *extra: str) -> None:
    node_socket(n).unlink(missing_ok=True)
    with open(node_log(n), "ab") as log:
        log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {STARTING}{n} {' '.join(extra)}\n".encode())
        log.flush()
        proc = subprocess.Popen(
            [server.binaries()[0], f"--defaults-file={_cnf(n)}", *extra],
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=_env(),
        )
    _pid_file(n).write_text(str(proc.pid))


def _grastate(n: int) -> dict:
    """Galera's saved state of node n: uuid, seqno (-1 while running or after a crash), safe_to_bootstrap."""
    try:
        text = (_datadir(n) / "grastate.dat").read_text()
    except FileNotFoundError:
        return {}
    return dict(re.findall(r"^(\w+):\s*(\S+)", text, re.M))


def _has_data(n: int) -> bool:
    return (_datadir(n) / "mysql").is_dir()


def _recover(n: int) -> str | None:
    """The last position node n committed (uuid:seqno), read from InnoDB by mariadbd --wsrep-recover."""
    result = subprocess.run(
        [server.binaries()[0], f"--defaults-file={_cnf(n)}", "--wsrep-recover"],
        capture_output=True,
        text=True,
        env=_env(),
    )
    with open(node_log(n), "a") as log:
        log.write(result.stdout + result.stderr)
    found = re.search(r"WSREP: Recovered position: ([0-9a-f-]{36}:-?\d+)", result.stderr)
    return found.group(1) if found else None


def joined_by_ist(n: int) -> bool:
    """True if node n, at its last start, caught up by IST (only the writesets it missed, from a donor's cache);
    False if it was sent a full copy (SST), started a new cluster or has not joined yet. Read from its log."""
    text = node_log(n).read_bytes().decode(errors="replace")
    since = text[text.rfind(STARTING) :]
    return "rsync IST completed on joiner" in since and "rsync SST completed on joiner" not in since


def _launch(n: int) -> None:
    """Start node n's mariadbd into the running cluster without waiting (see start_node)."""
    extra = []
    if _has_data(n) and _grastate(n).get("seqno") == "-1":
        position = _recover(n)
        if position:  # else it starts without one and the cluster sends it a full copy (SST)
            extra.append(f"--wsrep-start-position={position}")
    _spawn(n, *extra)


def start_node(n: int, timeout: float = JOIN_SECONDS) -> None:
    """Start node n into the running cluster and wait until it is synced and HAProxy (if it runs) sends to it:
    after a kill it first recovers its position from InnoDB, so it catches up by IST (only the missing
    writesets) instead of a full copy (SST); after a clean stop its grastate.dat holds the position already."""
    with _lock():
        if running(n):
            return
        if not any(synced(m) for m in NODES if m != n):
            raise ClusterError(
                "No other node is synced (none runs, or a majority crashed): ./daftari cluster up starts them."
            )
        _launch(n)
        wait_synced(n, timeout)
        if cluster_check.running(FOLDER):
            cluster_check.wait_serving(FOLDER, [f"node{n}"])


def _bootstrap() -> int:
    """Start a new cluster from the node with the latest data and return it: the node stopped last by a clean
    `down` (safe_to_bootstrap: 1), else the one whose recovered position is highest, else a new node 1."""
    with_data = [n for n in NODES if _has_data(n)]
    if not with_data:
        install_db = server.binaries()[1]
        result = subprocess.run(
            [
                install_db,
                "--no-defaults",
                f"--datadir={_datadir(1)}",
                f"--user={RUN_AS}",
                "--auth-root-authentication-method=socket",
                f"--auth-root-socket-user={ADMIN_USER}",
                "--skip-test-db",
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise ClusterError(f"mariadb-install-db failed for node 1; its output: {result.stderr.strip()[-300:]}")
        first, extra = 1, []
    elif safe := [n for n in with_data if _grastate(n).get("safe_to_bootstrap") == "1"]:
        first, extra = safe[0], []
    else:  # every node crashed: no grastate.dat knows who was last
        positions = {n: _recover(n) for n in with_data}
        known = {n: p for n, p in positions.items() if p}
        if not known:
            raise ClusterError(f"No node's position could be recovered; see the node logs in {FOLDER}.")
        first = max(known, key=lambda n: int(known[n].rsplit(":", 1)[1]))
        state = _datadir(first) / "grastate.dat"
        state.write_text(re.sub(r"safe_to_bootstrap:\s*0", "safe_to_bootstrap: 1", state.read_text()))
        extra = [f"--wsrep-start-position={known[first]}"]
    _spawn(first, "--wsrep-new-cluster", *extra)
    wait_synced(first)
    return first


def _stop(n: int, timeout: float = 120) -> bool:
    number = _pid(n)
    if number is None:
        return False
    os.kill(number, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while cluster_check.alive(number):
        if time.monotonic() > deadline:
            raise ClusterError(f"Node {n} did not stop within {timeout:.0f} s; see {node_log(n)}.")
        time.sleep(0.1)
    return True


def stop_node(n: int) -> bool:
    """Stop node n cleanly (it leaves the cluster and saves its position); True if it was running."""
    with _lock():
        return _stop(n)


def kill_node(n: int) -> bool:
    """Kill node n with SIGKILL, as a crash would (for tests); True if it was running."""
    number = _pid(n)
    if number is None:
        return False
    os.kill(number, signal.SIGKILL)
    while cluster_check.alive(number):
        time.sleep(0.05)
    return True


@contextmanager
def _lock():
    """One up, down, start or stop at a time, across processes."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    with open(FOLDER / "cluster.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield


def is_up() -> bool:
    """True if every node is synced and HAProxy and the check service run: what up() leaves behind."""
    return all(synced(n) for n in NODES) and cluster_check.running(FOLDER)


def up() -> float:
    """Bring the cluster up, or whatever part of it is down, wait until HAProxy sends to every node, and return
    the seconds it took."""
    began = time.monotonic()
    with _lock():
        _install_missing()
        _prepare()
        alive = [n for n in NODES if running(n)] or [_bootstrap()]
        if len(alive) <= len(NODES) // 2:
            # Fewer than a majority: if the others crashed, the running nodes have lost the primary component and
            # wait for every member of it to come back (pc.recovery), so one joiner at a time would wait forever.
            for n in NODES:
                if n not in alive:
                    _launch(n)
        for n in NODES:
            if not running(n):  # one at a time: two joining together unsettle the group for seconds
                _launch(n)
                wait_synced(n, JOIN_SECONDS)
        for n in NODES:  # the ones that were running too: they may have been waiting for the others
            wait_synced(n, JOIN_SECONDS)
        nodes = [
            {"name": f"node{n}", "port": node_port(n), "check_port": check_port(n), "socket": str(node_socket(n))}
            for n in NODES
        ]
        front = {"host": HOST, "write_port": WRITE_PORT, "read_port": READ_PORT, "admin_user": ADMIN_USER}
        cluster_check.describe(FOLDER, front | {"nodes": nodes})
        cluster_check.start(FOLDER)
    return time.monotonic() - began


def down() -> None:
    """Stop HAProxy, the check service and the nodes one at a time, node 1 last: it is then the one whose
    grastate.dat says safe_to_bootstrap, and the next up starts from it."""
    with _lock():
        cluster_check.stop(FOLDER)
        for n in reversed(NODES):
            _stop(n)


def status() -> str:
    """One line per node (running, pid, wsrep state, cluster size), then the servers HAProxy sends to on each
    endpoint, then the check service."""
    lines = []
    for n in NODES:
        pid, said = _pid(n), "not running"
        if pid:
            try:
                state = node_status(n, timeout=2)
                said = f"{state['wsrep_local_state_comment']}, cluster size {state['wsrep_cluster_size']}"
            except mysql.connector.Error:
                said = "not answering yet"
            said = f"running, pid {pid}  {said}"
        lines.append(f"node{n}  {HOST}:{node_port(n)}  {said}")
    return "\n".join(lines + cluster_check.report(FOLDER))


def main(argv: list[str] | None = None) -> int:
    """./daftari cluster up|down|status|kill N|start N|stop N; 0 when it worked, else one sentence and 1."""
    parser = argparse.ArgumentParser(prog="./daftari cluster", description=__doc__)
    parser.add_argument("action", choices=["up", "down", "status", "kill", "start", "stop"])
    parser.add_argument("node", nargs="?", type=int, choices=NODES)
    args = parser.parse_args(argv)
    if args.action in ("kill", "start", "stop") and args.node is None:
        parser.error(f"{args.action} needs a node number (1, 2 or 3)")
    try:
        if args.action == "up":
            seconds = up()
            print(f"Galera cluster up in {seconds:.1f} s: writes {HOST}:{WRITE_PORT}, reads {HOST}:{READ_PORT}")
            print(status())
        elif args.action == "down":
            down()
            print("Galera cluster stopped")
        elif args.action == "status":
            print(status())
            return 0 if is_up() else 1
        elif args.action == "kill":
            print(f"node{args.node} " + ("killed" if kill_node(args.node) else "was not running"))
        elif args.action == "start":
            start_node(args.node)
            print(f"node{args.node} synced")
        else:
            print(f"node{args.node} " + ("stopped" if stop_node(args.node) else "was not running"))
        return 0
    except (ClusterError, cluster_check.FrontError, server.ServerError, OSError, mysql.connector.Error) as exc:
        print(f"error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
