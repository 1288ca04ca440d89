"""Daftari in containers (containers/stack.py): three Galera nodes behind HAProxy and the app, run by podman,
checked from outside through the published ports as an operator would. A running stack is used (and updated
by `up`: changed images are made anew); one started here is removed at the end unless DAFTARI_CONTAINERS_KEEP
is set."""

from __future__ import annotations

import os
import time
import urllib.request
import uuid

import mysql.connector
import pytest
from playwright.sync_api import expect

from containers import stack

pytestmark = pytest.mark.containers

MIGRATIONS = sorted(path.name[:3] for path in (stack.ROOT / "sql" / "migrations").glob("*.sql"))


@pytest.fixture(scope="module")
def accounts() -> dict[str, str]:
    """The stack up to date and synced; yields the env file's accounts and passwords."""
    existed = stack.podman("container", "exists", stack.APP, check=False).returncode == 0
    stack.up()
    yield stack.credentials()
    if not existed and not os.environ.get("DAFTARI_CONTAINERS_KEEP"):
        stack.down(volumes=True)


def connect(accounts, port: int = stack.WRITE_PORT, admin: bool = False):
    """A connection through HAProxy's published port, as the app's account or the admin."""
    prefix = "MYSQL_ADMIN_" if admin else "MYSQL_"
    return mysql.connector.connect(
        host="127.0.0.1",
        port=port,
        user=accounts[prefix + "USER"],
        password=accounts[prefix + "PASSWORD"],
        database=accounts["MYSQL_DATABASE"],
        connection_timeout=3,
        autocommit=True,
    )


def answer(accounts, sql: str, params: tuple = (), port: int = stack.WRITE_PORT, admin: bool = False):
    """The first row of one statement on a connection of its own."""
    conn = connect(accounts, port, admin)
    try:
        cur = conn.cursor()
        cur.execute(sql, params)
        return cur.fetchone()
    finally:
        conn.close()


def open_shop(accounts, name: str) -> str:
    """A shop made through the write endpoint as the app's account; the name of the node that took the write."""
    conn = connect(accounts)
    try:
        cur = conn.cursor()
        cur.execute("INSERT INTO shops (name) VALUES (%s)", (name,))
        cur.execute("SELECT @@hostname")
        return cur.fetchone()[0]
    finally:
        conn.close()


def writer_now(accounts) -> str | None:
    """The node behind the write endpoint at this moment (None: none answered)."""
    try:
        return answer(accounts, "SELECT @@hostname")[0]
    except mysql.connector.Error:
        return None


def shops_named_on(node: str, name: str) -> int:
    """How many shops of this name the node holds, read on the node itself (root over its socket), after it has
    applied every write it has been sent (wsrep_sync_wait)."""
    sql = f"SET SESSION wsrep_sync_wait = 1; SELECT COUNT(*) FROM daftari.shops WHERE name = '{name}'"
    done = stack.podman("exec", node, "mariadb", "-N", "-B", "-e", sql)
    return int(done.stdout.strip())


def test_three_nodes_are_synced_in_one_primary_cluster_of_three(accounts):
    states = {node: stack.node_status(node) for node in stack.NODES}
    for node, state in states.items():
        assert state["wsrep_local_state_comment"] == "Synced", node
        assert state["wsrep_cluster_status"] == "Primary", node
        assert state["wsrep_cluster_size"] == "3", node
    assert len({state["wsrep_cluster_state_uuid"] for state in states.values()}) == 1


def test_the_app_answers_its_health_check_and_serves_its_page(accounts):
    with urllib.request.urlopen(f"{stack.APP_URL}/_stcore/health", timeout=5) as reply:
        assert reply.read() == b"ok"
    with urllib.request.urlopen(stack.APP_URL, timeout=5) as reply:
        assert reply.headers.get_content_type() == "text/html"
        assert b'<div id="root">' in reply.read()


def test_the_login_page_renders_from_the_container_in_a_browser(accounts, phone_page):
    phone_page.goto(stack.APP_URL)
    expect(phone_page.get_by_role("tab", name="Log in")).to_be_visible()
    expect(phone_page.get_by_label("Phone number").first).to_be_visible()
    expect(phone_page.get_by_text("Something went wrong")).to_have_count(0)


def test_every_migration_was_applied_before_the_app_started(accounts):
    conn = connect(accounts, admin=True)
    try:
        cur = conn.cursor()
        cur.execute("SELECT version FROM schema_migrations ORDER BY version")
        assert [version for (version,) in cur.fetchall()] == MIGRATIONS
    finally:
        conn.close()


def test_the_app_account_may_change_rows_and_nothing_else(accounts):
    conn = connect(accounts)
    try:
        cur = conn.cursor()
        cur.execute("SHOW GRANTS")
        grants = [grant for (grant,) in cur.fetchall()]
        with pytest.raises(mysql.connector.errors.ProgrammingError):
            cur.execute("CREATE TABLE intruder (id INT)")
    finally:
        conn.close()
    assert len(grants) == 2
    assert grants[0].startswith("GRANT USAGE ON *.* TO `daftari_app`@`%`")
    assert grants[1] == "GRANT SELECT, INSERT, UPDATE, DELETE ON `daftari`.* TO `daftari_app`@`%`"


def test_the_write_endpoint_is_node_1_and_the_read_endpoint_every_node(accounts):
    writers = {answer(accounts, "SELECT @@hostname")[0] for _ in range(6)}
    readers = {answer(accounts, "SELECT @@hostname", port=stack.READ_PORT)[0] for _ in range(6)}
    assert writers == {"db1"}
    assert readers == {"db1", "db2", "db3"}


def test_a_row_written_through_the_write_endpoint_is_on_every_node(accounts):
    name = f"containers-{uuid.uuid4().hex[:12]}"
    assert open_shop(accounts, name) == "db1"
    assert [shops_named_on(node, name) for node in stack.NODES] == [1, 1, 1]


def test_writes_go_to_db2_within_seconds_of_db1_stopping_and_db1_rejoins_synced(accounts):
    name = f"containers-{uuid.uuid4().hex[:12]}"
    stack.podman("stop", "-t", "30", "daftari-db1", timeout=60)
    try:
        stopped = time.monotonic()
        while True:
            try:
                writer = open_shop(accounts, name)
                break
            except mysql.connector.Error:
                if time.monotonic() - stopped > 15:
                    raise
                time.sleep(0.2)
        failover = time.monotonic() - stopped
    finally:
        stack.podman("start", "daftari-db1")
    assert writer == "db2"
    assert failover < 5, f"the first write after db1 stopped took {failover:.1f} s"

    stack.wait_for("db1 Synced again", lambda: stack.node_synced("daftari-db1"), seconds=120)
    assert shops_named_on("daftari-db1", name) == 1  # written while it was away: caught up on rejoining
    # Node 1 is the writer again once HAProxy has seen it synced twice.
    stack.wait_for("writes on db1 again", lambda: writer_now(accounts) == "db1", seconds=15)
