"""The app on the private 3-node Galera cluster behind HAProxy (issue 13): run by `./daftari test --cluster`, which
brings the cluster up and runs the whole suite against it with these tests beside it.

The numbers the issue asks for (payments confirmed and crashed, writes confirmed and lost, the failover gap) are
printed; run with -s to see them."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal

import mysql.connector
import pytest

from db import cluster, config, pool
from db.errors import DaftariError
from duka import book, customers, dashboard, expenses
from support import ROOT, TEST_DB, category_ids, register_owner

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module", autouse=True)
def on_the_cluster(database):
    """These tests mean the cluster: the suite must have been started with DAFTARI_CLUSTER=1 (a failure, not a
    skip, otherwise)."""
    assert config.resolve().source == "cluster", "run with ./daftari test --cluster (DAFTARI_CLUSTER=1)"
    assert cluster.is_up(), "the cluster is not up: ./daftari cluster up"
    yield
    for node in (1, 2, 3):  # leave every node running and synced for the tests after these
        if not cluster.running(node):
            cluster.start_node(node)
        cluster.wait_synced(node)


def node_env(node: int) -> dict:
    """An app process talking to one node directly (no HAProxy), with the app's own account."""
    app = config.resolve()
    env = {k: v for k, v in os.environ.items() if k != config.CLUSTER_ENV}
    return env | {
        "MYSQL_HOST": "127.0.0.1",
        "MYSQL_PORT": str(cluster.node_port(node)),
        "MYSQL_USER": app.user,
        "MYSQL_PASSWORD": app.password,
        "MYSQL_DATABASE": TEST_DB,
        "PYTHONPATH": str(ROOT),
    }


def node_connection(node: int):
    """The admin account on one node's own socket."""
    admin = replace(config.admin_settings(), unix_socket=str(cluster.node_socket(node)), database=TEST_DB)
    return mysql.connector.connect(**admin.without_time_limits().connect_args())


def table_hashes(node: int) -> dict[str, tuple[int, str]]:
    """table -> (rows, SHA-256 of its rows in primary-key order): CHECKSUM TABLE differs between nodes whose rows
    are identical, so the rows themselves are compared."""
    conn = node_connection(node)
    cur = conn.cursor()
    cur.execute(
        "SELECT table_name, GROUP_CONCAT(column_name ORDER BY seq_in_index) FROM information_schema.statistics"
        " WHERE table_schema = DATABASE() AND index_name = 'PRIMARY' GROUP BY table_name"
    )
    keys = dict(cur.fetchall())
    found = {}
    for table, key in sorted(keys.items()):
        cur.execute(f"SELECT * FROM `{table}` ORDER BY {', '.join(f'`{c}`' for c in key.split(','))}")
        digest, rows = hashlib.sha256(), 0
        for row in cur:
            digest.update(repr(row).encode())
            rows += 1
        found[table] = (rows, digest.hexdigest())
    conn.close()
    return found


WARM_CONNECTIONS = 48  # more than the 20 payers, the applier and the test's own sessions on one node at once


def warm_table_cache(node: int) -> None:
    """Give node `node` enough open instances of the payment path's tables, triggers parsed, before writers meet.

    MariaDB 10.11 parses a table's triggers each time it opens a new instance of the table for a session. On a
    Galera node, a session brute-force aborted by a conflicting write from the other node while it parses them
    leaves an instance whose triggers 'have an error in their body' (1064, near 'BEGIN' or 'THEN' of a valid body)
    in the node's table cache, and every statement that gets that instance fails the same way until the table is
    flushed: 2 to 50 payments of 200 in 3 runs of 7 here, and once in CI. It needs writes through two nodes that
    conflict on a cold cache; the app's single-writer endpoint does not do that. So each node first opens
    WARM_CONNECTIONS instances at the same moment, with nothing else running: an INSERT ... SELECT of no rows that
    holds its tables (payments, and through the triggers debts, customers, active_debtors, shop_versions) open for
    a second, in a transaction rolled back, so nothing is written or replicated."""
    start = threading.Barrier(WARM_CONNECTIONS)
    failures = []

    def hold() -> None:
        conn = node_connection(node)
        try:
            cur = conn.cursor()
            cur.execute("START TRANSACTION")
            start.wait(timeout=60)
            cur.execute("INSERT INTO payments SELECT * FROM payments WHERE shop_id = -(SELECT SLEEP(1))")
            conn.rollback()
        except Exception as exc:  # noqa: BLE001 (reported below: a warm-up that failed is a failed test)
            failures.append(exc)
        finally:
            conn.close()

    holders = [threading.Thread(target=hold) for _ in range(WARM_CONNECTIONS)]
    for holder in holders:
        holder.start()
    for holder in holders:
        holder.join()
    assert failures == []


def settled(read, seconds: float = 60.0):
    """read() once the cluster answers again. After conflicting writes through two nodes, MariaDB 10.11 sometimes
    leaves a node's applier waiting up to innodb_lock_wait_timeout (5 s on our nodes, 50 s by default; 'BF lock
    wait long' in its log) on a local transaction it should have aborted, and a read that waits for the node to
    catch up (wsrep_sync_wait) says the database cannot be reached meanwhile, as it should; the figures are
    checked once it has caught up (within a minute)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return read()
        except DaftariError:
            if time.monotonic() > deadline:
                raise
            time.sleep(2)


def test_forty_threads_paying_one_debt_through_two_nodes_crash_nothing_and_lose_no_cent():
    """20 threads in an app process on node 1 and 20 on node 2 pay the same customer 5 times each: a certification
    conflict (1213 at COMMIT) is retried like a deadlock, so nothing escapes and the money is exact."""
    owner, _ = register_owner("Duka la Galera")
    customer = customers.add_customer(owner, "Nyambura")
    book.record_sale(owner, customer, "Mchele", total="100000")
    for node in (1, 2):
        warm_table_cache(node)
    started = time.perf_counter()
    payers = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "cluster_payer.py"), str(owner.shop_id), str(owner.user_id)]
            + [str(customer), "20", "5", "7.35"],
            env=node_env(node),
            stdout=subprocess.PIPE,
            text=True,
        )
        for node in (1, 2)
    ]
    results = [json.loads(p.communicate(timeout=600)[0].strip().splitlines()[-1]) for p in payers]
    seconds = time.perf_counter() - started
    confirmed = sum(r["confirmed"] for r in results)
    print(
        f"\n40 threads x 5 payments through two nodes: {confirmed} of 200 confirmed, "
        f"{sum(len(r['refused']) for r in results)} refused with a sentence, "
        f"{sum(r['unsure'] for r in results)} told 'may or may not', "
        f"{sum(len(r['crashes']) for r in results)} crashed, {sum(r['retried'] for r in results)} retried, "
        f"{seconds:.1f} s"
    )
    assert [r["crashes"] for r in results] == [[], []]
    refused = [sentence for r in results for sentence in r["refused"]]
    # A payment still in conflict after five tries, or stopped after 10 s of waiting, is told so: nothing saved.
    assert all("Nothing was saved" in sentence for sentence in refused), refused
    unsure = sum(r["unsure"] for r in results)  # a COMMIT that timed out: told it may or may not be saved
    # Most go through: 198-200 of 200 in 8 runs with the nodes' 5 s lock wait (35-66 with the default 50 s, when
    # the stalls above held the nodes for 50 s and more), so a return of those stalls fails here.
    assert confirmed >= 180
    balance = settled(lambda: customers.customer(owner, customer)["balance"])
    conn = node_connection(3)
    cur = conn.cursor()
    cur.execute("SET SESSION wsrep_sync_wait = 1")  # after every write committed anywhere
    cur.execute("SELECT COUNT(*) FROM payments WHERE shop_id = %s", (owner.shop_id,))
    recorded = cur.fetchone()[0]
    conn.close()
    # every confirmed payment is there, on a third node; beyond them only payments whose person was told "may or
    # may not have been saved"; and the balance is exactly what the recorded payments leave
    assert confirmed <= recorded <= confirmed + unsure
    assert balance == Decimal("100000") - recorded * Decimal("7.35")


def test_a_write_through_one_node_is_seen_by_an_app_process_on_another_at_once():
    """wsrep_sync_wait = 1 and the shop's version: a process on node 3 that has the dashboard cached sees a sale
    made through node 1 (HAProxy's writer) at its next read."""
    owner, _ = register_owner("Duka la Nodes")
    customer = customers.add_customer(owner, "Otieno")
    script = (
        "import sys\nimport db\nfrom duka import dashboard\nfrom duka.members import Actor\n"
        f"actor = Actor({owner.user_id}, {owner.shop_id})\n"
        "for line in sys.stdin:\n"
        "    print(dashboard.kpis(actor)['outstanding'], flush=True)\n"
    )
    reader = subprocess.Popen(
        [sys.executable, "-c", script],
        env=node_env(3),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )

    def ask() -> str:
        reader.stdin.write("\n")
        reader.stdin.flush()
        return reader.stdout.readline().strip()

    try:
        assert ask() == "0.00"
        assert ask() == "0.00"  # served from that process's cache
        book.record_sale(owner, customer, "Sukari", total="250")
        assert ask() == "250.00"
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)


def test_a_version_read_waits_for_a_node_that_is_catching_up_instead_of_calling_it_hung():
    """On a Galera node a shop's version is read after the node has applied every write made anywhere
    (wsrep_sync_wait). A node held back for 3.5 s (FLUSH TABLES WITH READ LOCK pauses its applier, as flow control
    can on a busy machine) answers late but rightly: the CI run saw the 2 s limit of a single server call that
    "cannot be reached" right after the conflict test."""
    owner, _ = register_owner("Duka la Subira")
    app = config.resolve()
    on_node = {n: replace(app, host="127.0.0.1", port=cluster.node_port(n), failover=()) for n in (1, 2)}
    versions = pool.VersionReader(on_node[1])
    before = versions.read(owner.shop_id)
    assert versions.settings.read_timeout == config.READ_TIMEOUT > pool.VERSION_SECONDS
    writer = mysql.connector.connect(**on_node[2].connect_args())
    cur = writer.cursor()
    # The shop was registered through the write endpoint (node 1); node 2 applies it a moment later, and an INSERT
    # does not wait for that unless it is told to (a CI run: 1452, no such shop on node 2).
    cur.execute("SET SESSION wsrep_sync_wait = 15")
    holder = node_connection(1)
    holder.cursor().execute("FLUSH TABLES WITH READ LOCK")
    try:
        cur.execute("INSERT INTO customers (shop_id, name) VALUES (%s, 'Subira')", (owner.shop_id,))
        writer.commit()
        release = threading.Timer(3.5, lambda: holder.cursor().execute("UNLOCK TABLES"))
        release.start()
        started = time.monotonic()
        after = versions.read(owner.shop_id)
        waited = time.monotonic() - started
        release.join()
    finally:
        writer.close()
        holder.close()
        versions.close()
    print(f"\na version read on a node held back 3.5 s answered after {waited:.2f} s")
    assert after > before and waited >= 3


def test_a_host_list_fails_over_without_a_proxy():
    """MYSQL_HOST='a,b,c': a server that does not answer is skipped, and the next one is used."""
    closed = cluster.node_port(3) + 100  # nothing listens there
    settings = config.resolve(
        {
            "MYSQL_HOST": f"127.0.0.1:{closed},127.0.0.1:{cluster.node_port(2)}",
            "MYSQL_USER": config.resolve().user,
            "MYSQL_PASSWORD": config.resolve().password,
            "MYSQL_DATABASE": TEST_DB,
        }
    )
    assert settings.hosts() == (("127.0.0.1", closed), ("127.0.0.1", cluster.node_port(2)))
    conn = config.connect(settings)
    cur = conn.cursor()
    cur.execute("SELECT @@port")
    assert cur.fetchone()[0] == cluster.node_port(2)
    conn.close()


def test_killing_the_writer_during_40_seconds_of_writes_loses_nothing_confirmed():
    """Four threads record expenses through HAProxy for 40 s; 10 s in, node 1 (the writer) is killed with -9, and
    15 s later it is started again and catches up by IST while the writes go on. Every expense whose save was
    confirmed is there, and every table is identical on the three nodes."""
    owner, _ = register_owner("Duka la Kill")
    food = category_ids(owner)["Food"]
    confirmed, unsure, refused, crashes = [], [], [], []
    lock = threading.Lock()
    stop_at = time.monotonic() + 40
    last_ok = [time.monotonic()]
    gaps = []

    def write(number: int) -> None:
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            try:
                expense = expenses.add_expense(owner, food, date(2026, 3, 1), "12.50", description=f"w{number}-{n}")
            except DaftariError as exc:
                with lock:
                    (unsure if "may or may not" in str(exc) else refused).append(str(exc))
                time.sleep(0.05)
            except Exception as exc:  # noqa: BLE001 (anything not a sentence is a crash)
                with lock:
                    crashes.append(f"{type(exc).__name__}: {exc}")
            else:
                now = time.monotonic()
                with lock:
                    confirmed.append(expense)
                    gaps.append(now - last_ok[0])
                    last_ok[0] = now

    writers = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for writer in writers:
        writer.start()
    time.sleep(10)
    cluster.kill_node(1)
    killed_at = time.monotonic()
    time.sleep(15)
    cluster.start_node(1)
    rejoined = cluster.wait_synced(1, timeout=120)  # True, or it raises
    for writer in writers:
        writer.join()
    print(
        f"\nkill -9 of the writer during 40 s of writes: {len(confirmed)} confirmed, {len(refused)} refused with a"
        f" sentence, {len(unsure)} 'may or may not', {len(crashes)} crashed; longest pause between two confirmed"
        f" writes {max(gaps):.2f} s; node 1 back and synced {time.monotonic() - killed_at:.1f} s after the kill"
    )
    assert crashes == []
    assert rejoined
    assert cluster.joined_by_ist(1), "node 1 should have caught up by IST, not a full SST"
    ids = ",".join(str(int(i)) for i in confirmed)
    for node in (1, 2, 3):
        conn = node_connection(node)
        cur = conn.cursor()
        cur.execute(f"SELECT COUNT(*) FROM expenses WHERE shop_id = %s AND id IN ({ids})", (owner.shop_id,))
        assert cur.fetchone()[0] == len(confirmed), f"node {node} lost confirmed writes"
        conn.close()
    hashes = [table_hashes(node) for node in (1, 2, 3)]
    assert hashes[0] == hashes[1] == hashes[2]
    assert dashboard.kpis(owner) is not None  # the app goes on through HAProxy
