"""The Galera cluster over real sockets: three synced nodes, one writer behind HAProxy's write endpoint, failover
when the writer is killed and its rejoin by IST, a full copy (SST) for a node without data, and a desynced node
kept out of the read endpoint by the check service. The cluster is left up, every node synced, for the suites
that use it."""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import mysql.connector
import pytest

from db import cluster, cluster_check

pytestmark = pytest.mark.cluster

PROBE = "daftari_cluster_probe"  # the scratch database, and the account that reaches it over TCP


def admin(n: int):
    """An autocommit connection to node n over its socket, as the admin account."""
    conn = mysql.connector.connect(unix_socket=str(cluster.node_socket(n)), user=cluster.ADMIN_USER, use_pure=True)
    conn.autocommit = True
    return conn


def scalar(conn, sql: str, params: tuple = ()):
    cur = conn.cursor()
    cur.execute(sql, params)
    return cur.fetchall()[0][0]


def eventually(predicate, seconds: float, what: str) -> float:
    """Wait until predicate() is true; the seconds it took."""
    began = time.monotonic()
    while not predicate():
        assert time.monotonic() - began < seconds, f"{what} did not happen within {seconds} s"
        time.sleep(0.2)
    return time.monotonic() - began


def check(n: int) -> int:
    """The check service's HTTP status for node n."""
    try:
        with urllib.request.urlopen(f"http://{cluster.HOST}:{cluster.check_port(n)}/", timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def haproxy_says(endpoint: str, node: int) -> str:
    return cluster_check.haproxy_servers(cluster.FOLDER).get(endpoint, {}).get(f"node{node}", "")


@pytest.fixture(scope="module")
def probe_account():
    """The cluster up, the scratch database and an account with a password for it (the admin account has none,
    so it is refused over TCP); afterwards both are dropped and every node is running and synced again."""
    cluster.up()
    password = secrets.token_urlsafe(16)
    conn = admin(1)
    cur = conn.cursor()
    cur.execute(f"CREATE DATABASE IF NOT EXISTS {PROBE}")
    cur.execute(f"CREATE TABLE IF NOT EXISTS {PROBE}.writes (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(40))")
    cur.execute(f"CREATE OR REPLACE USER '{PROBE}'@'localhost' IDENTIFIED BY %s", (password,))
    cur.execute(f"GRANT ALL ON {PROBE}.* TO '{PROBE}'@'localhost'")
    conn.close()
    yield password
    cluster.up()  # starts whatever a failed test left down
    conn = admin(1)
    conn.cursor().execute(f"DROP USER IF EXISTS '{PROBE}'@'localhost'")
    conn.cursor().execute(f"DROP DATABASE IF EXISTS {PROBE}")
    conn.close()


@pytest.fixture
def through(probe_account):
    """through(port): a new autocommit connection through HAProxy as the probe account."""

    def connect(port: int):
        conn = mysql.connector.connect(
            host=cluster.HOST,
            port=port,
            user=PROBE,
            password=probe_account,
            database=PROBE,
            connection_timeout=20,  # a write may wait while Galera evicts a killed node (evs.suspect_timeout 5 s)
            use_pure=True,
        )
        conn.autocommit = True
        return conn

    return connect


def node_behind(conn) -> str:
    return scalar(conn, "SELECT @@wsrep_node_name")


def test_three_nodes_are_synced_in_one_cluster(probe_account):
    for n in cluster.NODES:
        status = cluster.node_status(n)
        assert status["wsrep_local_state_comment"] == "Synced"
        assert status["wsrep_cluster_size"] == "3"
        assert status["wsrep_cluster_status"] == "Primary"
    assert len({cluster.node_status(n)["wsrep_cluster_state_uuid"] for n in cluster.NODES}) == 1
    assert cluster.is_up()


def test_up_on_a_running_cluster_changes_nothing(probe_account):
    pids = re.findall(r"pid (\d+)", cluster.status())  # the nodes', HAProxy's and the check service's
    assert len(pids) == 6
    assert cluster.up() < 3
    assert re.findall(r"pid (\d+)", cluster.status()) == pids


def test_status_names_every_node_and_the_servers_haproxy_sends_to(probe_account):
    result = subprocess.run([sys.executable, "-m", "db.cluster", "status"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for n in cluster.NODES:
        assert any(line.startswith(f"node{n} ") and "Synced, cluster size 3" in line for line in lines)
    assert any(line.startswith("haproxy  write") and line.endswith("up: node1, node2, node3") for line in lines)
    assert any(line.startswith("check service") and "running" in line for line in lines)


def test_a_node_number_out_of_range_is_refused_without_a_traceback():
    result = subprocess.run([sys.executable, "-m", "db.cluster", "kill", "7"], capture_output=True, text=True)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "invalid choice" in result.stderr


def test_the_admin_account_is_refused_over_tcp(probe_account):
    for port in (cluster.WRITE_PORT, cluster.node_port(1)):
        with pytest.raises(mysql.connector.Error) as refused:
            mysql.connector.connect(host=cluster.HOST, port=port, user=cluster.ADMIN_USER, use_pure=True)
        assert refused.value.errno in (1045, 1698)


def test_a_row_written_through_the_write_endpoint_is_on_every_node(through):
    note = secrets.token_hex(8)
    conn = through(cluster.WRITE_PORT)
    conn.cursor().execute("INSERT INTO writes (note) VALUES (%s)", (note,))
    conn.close()
    for n in cluster.NODES:
        node = admin(n)
        node.cursor().execute("SET SESSION wsrep_sync_wait = 1")  # read after every write the cluster has ordered
        assert scalar(node, f"SELECT COUNT(*) FROM {PROBE}.writes WHERE note = %s", (note,)) == 1
        node.close()


def test_the_write_endpoint_sends_every_connection_to_node_1(through):
    connections = [through(cluster.WRITE_PORT) for _ in range(6)]
    assert {node_behind(conn) for conn in connections} == {"node1"}
    assert scalar(connections[0], "SELECT @@port") == cluster.node_port(1)
    for conn in connections:
        conn.close()


def test_the_read_endpoint_spreads_connections_over_every_synced_node(through):
    connections = [through(cluster.READ_PORT) for _ in range(6)]
    assert {node_behind(conn) for conn in connections} == {"node1", "node2", "node3"}
    for conn in connections:
        conn.close()


def test_a_desynced_node_leaves_the_read_endpoint_until_it_is_synced_again(through):
    assert check(2) == 200
    node2 = admin(2)
    try:
        node2.cursor().execute("SET GLOBAL wsrep_desync = ON")
        assert check(2) == 503
        eventually(lambda: haproxy_says("read", 2) == "DOWN", 5, "HAProxy taking node 2 out")
        connections = [through(cluster.READ_PORT) for _ in range(6)]
        assert {node_behind(conn) for conn in connections} == {"node1", "node3"}
        for conn in connections:
            conn.close()
    finally:
        node2.cursor().execute("SET GLOBAL wsrep_desync = OFF")
        node2.close()
    eventually(lambda: check(2) == 200, 10, "node 2 synced again")
    eventually(lambda: haproxy_says("read", 2) == "UP", 5, "HAProxy sending to node 2 again")
    connections = [through(cluster.READ_PORT) for _ in range(6)]
    assert "node2" in {node_behind(conn) for conn in connections}
    for conn in connections:
        conn.close()


def test_a_killed_writer_fails_over_to_node_2_and_rejoins_by_ist(through):
    def writer() -> str:
        try:
            conn = through(cluster.WRITE_PORT)
        except mysql.connector.Error:
            return ""  # HAProxy has not marked node 1 down yet: it takes the connection, node 1 refuses it
        try:
            return node_behind(conn)
        finally:
            conn.close()

    log = cluster.node_log(1)
    assert cluster.kill_node(1)
    try:
        took = eventually(lambda: writer() == "node2", 10, "the write endpoint reaching node 2")
        assert took < 5  # two failed checks a second apart
        notes = [secrets.token_hex(8) for _ in range(3)]
        conn = through(cluster.WRITE_PORT)
        for note in notes:
            conn.cursor().execute("INSERT INTO writes (note) VALUES (%s)", (note,))
        conn.close()
        written = log.stat().st_size
    finally:
        cluster.start_node(1)
    rejoin = log.read_bytes()[written:].decode(errors="replace")
    assert "WSREP: Recovered position: " in rejoin  # --wsrep-recover, then --wsrep-start-position
    assert "Receiving IST:" in rejoin
    assert cluster.joined_by_ist(1)  # the joiner's "rsync IST completed", no "rsync SST completed"
    node1 = admin(1)
    placeholders = ", ".join(["%s"] * len(notes))
    assert scalar(node1, f"SELECT COUNT(*) FROM {PROBE}.writes WHERE note IN ({placeholders})", tuple(notes)) == 3
    node1.close()
    assert haproxy_says("write", 1) == "UP"  # start_node waits for HAProxy too
    assert writer() == "node1"
    assert all(cluster.node_status(n)["wsrep_local_state_comment"] == "Synced" for n in cluster.NODES)


def test_a_node_that_lost_its_data_is_sent_a_full_copy(through):
    note = secrets.token_hex(8)
    conn = through(cluster.WRITE_PORT)
    conn.cursor().execute("INSERT INTO writes (note) VALUES (%s)", (note,))
    conn.close()
    assert cluster.stop_node(3)
    for entry in (cluster.nodes_home() / "node3" / "data").iterdir():
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    written = cluster.node_log(3).stat().st_size
    cluster.start_node(3)  # rsync SST into a folder of the nodes' user (mysql under root)
    assert "rsync SST completed on joiner" in cluster.node_log(3).read_bytes()[written:].decode(errors="replace")
    assert not cluster.joined_by_ist(3)
    node3 = admin(3)
    assert scalar(node3, f"SELECT COUNT(*) FROM {PROBE}.writes WHERE note = %s", (note,)) == 1
    node3.close()
    assert cluster.node_status(3)["wsrep_cluster_size"] == "3"
