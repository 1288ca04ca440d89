"""A database that hangs or goes away, for real: a second private MariaDB of this test module (the shared one
under .data/mariadb serves other people's tests at the same time), paused with SIGSTOP, stopped, killed in the
middle of a transaction. Every shape gives the one sentence, at once and once; other sessions keep working;
the pool heals when the server is back, without restarting anything."""

from __future__ import annotations

import os
import signal
import statistics
import threading
import time
from contextlib import ExitStack, contextmanager

import httpx
import mysql.connector
import pytest
from mysql.connector import errors as driver

import db
from db import cache, config, health, pool, reader, server, startup
from db.errors import DatabaseBusy, DatabaseUnavailable, translate
from duka import customers
from support import signed_in, start_api, stop_api, texts

UNREACHABLE = "The database cannot be reached right now"
PAUSE = 10.0  # seconds, as the issue measured


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A private MariaDB of this module's own in a temporary folder, made and migrated the way the app makes
    its own (DAFTARI_DB_DIR points config at it, so the app's account and grants are made there too)."""
    folder = tmp_path_factory.mktemp("faults")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAFTARI_DB_DIR", str(folder))
        patch.delenv(config.DRIVER_ENV, raising=False)
        patch.delenv(config.CLUSTER_ENV, raising=False)  # under ./daftari test --cluster too: this server
        db.reset_pool()
        startup.forget()
        server.start(folder=folder, buffer_pool="64M")
        startup.ensure_schema()
        assert config.resolve().unix_socket == str(folder / "mysqld.sock")
        try:
            yield folder
        finally:
            db.reset_pool()
            server.stop(folder=folder)
    db.reset_pool()
    startup.forget()
    cache.clear()


def restart(folder) -> None:
    server.start(folder=folder, buffer_pool="64M")


@contextmanager
def paused(folder, seconds: float = PAUSE):
    """mariadbd stopped with SIGSTOP (it keeps its connections but answers nothing) for `seconds`."""
    pid = server.pid(folder)
    os.kill(pid, signal.SIGSTOP)
    resume = threading.Timer(seconds, os.kill, (pid, signal.SIGCONT))
    resume.start()
    try:
        yield
    finally:
        resume.join()  # the pause lasts its full length whatever the test found
        os.kill(pid, signal.SIGCONT)


class Ticker(threading.Thread):
    """Non-database work in another thread: how long it ever waited for its turn."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.gaps: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        last = time.monotonic()
        while not self.done.is_set():
            sum(range(2000))  # a little work that needs the GIL
            time.sleep(0.02)
            now = time.monotonic()
            self.gaps.append(now - last)
            last = now

    def stop(self) -> float:
        self.done.set()
        self.join()
        return max(self.gaps)


def warm_pool(actor, connections: int = 6) -> None:
    """Several idle connections in the pool, as a busy app has."""
    with ExitStack() as stack:
        for _ in range(connections):
            stack.enter_context(db.connection())
    assert db.rows("memberships_of_user", user_id=actor.user_id)


def timed(fn):
    started = time.monotonic()
    try:
        return fn(), time.monotonic() - started
    except Exception as exc:  # noqa: BLE001 (the test looks at what was raised)
        return exc, time.monotonic() - started


def page_errors(at) -> str:
    """Every error box of the page, as read ('' when there is none)."""
    return texts(at.error)


def test_a_paused_server_costs_other_work_nothing_and_a_page_says_so_within_2_seconds(own_server, shop):
    at = signed_in(shop, "pages/1_Dashboard.py")
    assert not at.exception and not page_errors(at)
    warm_pool(shop)
    cache.clear()  # what the page shows must come from the database, as after the cache's minute
    ticker = Ticker()
    ticker.start()
    with paused(own_server):
        time.sleep(0.2)
        read, read_seconds = timed(lambda: db.rows("memberships_of_user", user_id=shop.user_id))
        write, write_seconds = timed(lambda: customers.add_customer(shop, "Paused"))
        started = time.monotonic()
        at.run(timeout=PAUSE + 5)
        page_seconds = time.monotonic() - started
        during = page_errors(at)
    longest_gap = ticker.stop()
    print(
        f"paused {PAUSE:.0f} s: a read gave up after {read_seconds:.2f} s, a write after {write_seconds:.2f} s, "
        f"a page rendered in {page_seconds:.2f} s; another thread's longest wait {longest_gap:.3f} s "
        f"(median {statistics.median(ticker.gaps):.3f} s)"
    )
    assert isinstance(read, DatabaseUnavailable) and read_seconds < 2
    assert isinstance(write, DatabaseUnavailable) and write_seconds < 2
    assert page_seconds < 2 and not at.exception
    assert during.count("cannot be reached") == 1 and "went wrong" not in during
    assert longest_gap < 0.5
    # The server answers again: the same pool, no restart of anything.
    assert db.rows("memberships_of_user", user_id=shop.user_id)
    customers.add_customer(shop, "After the pause")
    at.run()
    assert not page_errors(at) and not at.exception


def test_a_stopped_server_gives_the_sentence_once_and_the_pool_heals_when_it_is_back(own_server, shop):
    at = signed_in(shop, "pages/2_Debtors.py")
    warm_pool(shop)
    server.stop(folder=own_server)
    cache.clear()
    try:
        for attempt in (
            lambda: db.rows("memberships_of_user", user_id=shop.user_id),
            lambda: db.query("memberships_of_user", user_id=shop.user_id),
            lambda: customers.add_customer(shop, "Stopped"),
        ):
            found, seconds = timed(attempt)
            assert isinstance(found, DatabaseUnavailable) and UNREACHABLE in str(found), found
            assert seconds < 2
        at.run()
        assert not at.exception
        errors = page_errors(at)
        assert errors.count("cannot be reached") == 1 and "went wrong" not in errors
        report = health.check()
        assert not report.ok and "cannot be reached" in report.line and "private server not running" in report.line
    finally:
        restart(own_server)
    customer_id = customers.add_customer(shop, "Back again")  # the broken idle connections were thrown away
    assert customers.customer(shop, customer_id)["name"] == "Back again"
    at.run()
    assert not page_errors(at) and not at.exception
    report = health.check()
    assert report.ok and "private server running" in report.line


@pytest.mark.parametrize("driver_name", ["pure", "c"])
def test_a_server_killed_mid_transaction_gives_the_sentence_and_keeps_nothing(own_server, shop, driver_name):
    """With the C extension the failed rollback raises its own bare MySQLInterfaceError: still the sentence."""
    os.environ[config.DRIVER_ENV] = driver_name
    db.reset_pool()

    def kill() -> None:
        pid = server.pid(own_server)
        if pid is None:  # the write is tried once more after an outage before COMMIT: the server is still dead
            return
        os.kill(pid, signal.SIGKILL)
        while server.pid(own_server) is not None:
            time.sleep(0.05)

    @db.transactional
    def two_customers_with_a_crash_between(tx, actor):
        customers.insert_customer(tx, actor, "Half written", None)
        kill()
        customers.insert_customer(tx, actor, "Never written", None)

    try:
        with pytest.raises(DatabaseUnavailable, match=UNREACHABLE):
            two_customers_with_a_crash_between(shop)
        with pytest.raises(DatabaseUnavailable, match=UNREACHABLE):
            db.rows("memberships_of_user", user_id=shop.user_id)
    finally:
        restart(own_server)
        os.environ.pop(config.DRIVER_ENV, None)
    names = set(customers.customer_choices(shop)["name"])
    assert "Half written" not in names and "Never written" not in names
    assert customers.add_customer(shop, "Written after the crash")


def test_a_server_lost_after_commit_was_sent_says_it_may_or_may_not_be_saved(own_server, shop):
    """After COMMIT is sent, "nothing was saved" would be a guess: the sentence says to look before entering again."""

    @db.transactional
    def a_customer_then_the_server_dies(tx, actor):
        customers.insert_customer(tx, actor, "Maybe saved", None)
        os.kill(server.pid(own_server), signal.SIGKILL)
        while server.pid(own_server) is not None:
            time.sleep(0.05)

    try:
        with pytest.raises(DatabaseUnavailable, match="may or may not have been saved"):
            a_customer_then_the_server_dies(shop)
    finally:
        restart(own_server)
    assert "Maybe saved" not in set(customers.customer_choices(shop)["name"])  # killed before it committed


def test_a_commit_that_may_have_been_applied_is_not_tried_again_for_a_kiswahili_reader(own_server, shop):
    """The sentence is in the reader's language, so whether to try again is decided by the error's kind, never
    by its English text: in Kiswahili too, a COMMIT that may have been applied is not sent a second time."""
    import i18n
    from db.errors import MaybeSaved

    tries = []

    @db.transactional
    def a_customer_then_the_server_dies(tx, actor):
        tries.append(1)
        customers.insert_customer(tx, actor, "Labda imehifadhiwa", None)
        os.kill(server.pid(own_server), signal.SIGKILL)
        while server.pid(own_server) is not None:
            time.sleep(0.05)

    try:
        with i18n.using("sw"), pytest.raises(MaybeSaved) as said:
            a_customer_then_the_server_dies(shop)
    finally:
        restart(own_server)
    assert len(tries) == 1 and "may or may not" not in str(said.value)


def test_an_outage_before_commit_is_tried_once_more_on_a_new_connection(shop):
    """On a cluster the new connection reaches another node; here the same server, back at once, takes the write."""
    tries = []

    @db.transactional
    def a_customer_whose_first_connection_dies(tx, actor):
        tries.append(1)
        if len(tries) == 1:
            tx.cur.execute("KILL CONNECTION_ID()")  # the server ends this session: as a node dying would
        return customers.insert_customer(tx, actor, "Second try", None)

    before = db.retries["moved_after_an_outage"]
    customer_id = a_customer_whose_first_connection_dies(shop)
    assert len(tries) == 2 and db.retries["moved_after_an_outage"] == before + 1
    assert customers.customer(shop, customer_id)["name"] == "Second try"


def test_an_outage_after_four_deadlocks_is_the_sentence_not_a_crash(shop):
    """The one more try after an outage shares the deadlock retries' rounds: on the last round it must end in the
    sentence (it ended in AssertionError('unreachable')). The server itself raises the deadlocks (SIGNAL 1213)."""
    tries = []

    @db.transactional
    def deadlocks_then_an_outage(tx, actor):
        tries.append(1)
        if len(tries) < db.pool.RETRIES:
            tx.cur.execute("SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'Deadlock (test)'")
        tx.cur.execute("KILL CONNECTION_ID()")

    with pytest.raises(DatabaseUnavailable, match=UNREACHABLE):
        deadlocks_then_an_outage(shop)
    assert len(tries) == db.pool.RETRIES


def test_a_commit_that_times_out_says_it_may_or_may_not_be_saved(own_server, shop):
    """A COMMIT sent to a server that then hangs past the read timeout may have been applied: not "nothing was
    saved" (the person would enter it again and record it twice)."""

    @db.transactional
    def a_customer_then_the_server_hangs(tx, actor):
        customers.insert_customer(tx, actor, "Maybe saved too", None)
        pid = server.pid(own_server)
        os.kill(pid, signal.SIGSTOP)
        threading.Timer(config.READ_TIMEOUT + 1, os.kill, (pid, signal.SIGCONT)).start()

    try:
        with pytest.raises(DatabaseUnavailable, match="may or may not have been saved"):
            a_customer_then_the_server_hangs(shop)
    finally:
        os.kill(server.pid(own_server), signal.SIGCONT)
    assert customers.add_customer(shop, "After the hang")


def test_an_app_session_has_read_and_write_timeouts_and_a_statement_time_limit():
    settings = config.resolve()
    assert (settings.read_timeout, settings.write_timeout) == (config.READ_TIMEOUT, config.WRITE_TIMEOUT)
    assert settings.use_pure  # waits on the socket without the GIL and can shorten the check at checkout
    assert reader.settings().read_timeout == reader.READ_TIMEOUT
    with db.connection() as conn:
        cur = conn.cursor()
        cur.execute("SELECT @@max_statement_time, @@autocommit, @@collation_connection, @@SESSION.wsrep_sync_wait")
        # wsrep_sync_wait: on a Galera cluster a read waits for the writes committed on other nodes (issue 13)
        assert cur.fetchone() == (float(config.STATEMENT_SECONDS), 0, "utf8mb4_unicode_ci", 1)
        assert conn.read_timeout == config.READ_TIMEOUT


def test_the_server_stops_a_statement_that_runs_too_long_with_a_sentence(monkeypatch):
    monkeypatch.setattr(config, "STATEMENT_SECONDS", 1)
    db.reset_pool()
    try:
        with db.connection() as conn:
            cur = conn.cursor()
            started = time.monotonic()
            with pytest.raises(driver.DatabaseError) as stopped:
                cur.execute("SELECT SLEEP(3)")
                cur.fetchall()
            assert time.monotonic() - started < 2.5
        assert stopped.value.errno == 1969
        assert isinstance(translate(stopped.value), DatabaseBusy)
        assert "took too long" in str(translate(stopped.value))
    finally:
        db.reset_pool()


def test_a_pool_with_every_connection_in_use_says_busy(shop, monkeypatch):
    monkeypatch.setattr(pool, "POOL_WAIT", 0.3)
    db.reset_pool()
    with ExitStack() as held:
        for _ in range(pool.POOL_SIZE):
            held.enter_context(db.connection())
        with pytest.raises(DatabaseBusy, match="busy"):
            db.rows("memberships_of_user", user_id=shop.user_id)
    assert db.rows("memberships_of_user", user_id=shop.user_id)  # free again


@pytest.mark.parametrize(
    "error",
    [
        driver.InterfaceError(msg="Failed getting connection; pool exhausted", errno=-1),  # a failed pooled reconnect
        driver.OperationalError(msg="MySQL Connection not available.", errno=-1),
        driver.ReadTimeoutError(errno=3024),  # the client gave up waiting (the connector reuses MySQL's 3024)
        driver.ConnectionTimeoutError(errno=2002),
        driver.OperationalError(msg="Lost connection to MySQL server during query", errno=2013),
        driver.DatabaseError(msg="Connection was killed", errno=1927),
        driver.DatabaseError(msg="WSREP has not yet prepared node for application use", errno=1047),  # Galera
    ],
    ids=lambda e: f"{type(e).__name__}-{e.errno}",
)
def test_every_shape_of_outage_is_the_one_sentence(error):
    assert isinstance(translate(error), DatabaseUnavailable)
    assert UNREACHABLE in str(translate(error))


def test_the_c_extensions_bare_error_is_the_one_sentence_too(own_server):
    """What the C extension raises where the connector does not wrap it (rollback, nextset on a dead link)."""
    conn = mysql.connector.connect(**config.admin_settings().connect_args())
    assert type(conn).__name__ == "CMySQLConnection"
    server.stop(folder=own_server)
    try:
        with pytest.raises(Exception) as raised:
            conn._cmysql.rollback()  # the call db/pool._rollback makes, on a connection whose server is gone
        assert type(raised.value).__name__ == "MySQLInterfaceError"
        assert isinstance(translate(raised.value), DatabaseUnavailable)
    finally:
        restart(own_server)


def test_a_connection_given_back_with_a_result_nobody_read_is_replaced(shop):
    with db.connection() as conn:
        conn.cursor().execute("SELECT id FROM shops")  # never fetched
        left_behind = conn
    with db.connection() as conn:
        assert conn is not left_behind  # it could not be reset, so it was closed and another opened
    assert db.rows("memberships_of_user", user_id=shop.user_id)


def test_the_apis_health_says_503_while_the_server_is_stopped_and_200_when_it_is_back(own_server):
    """Over real HTTP: the API on this module's own server answers health without a token, 503 with
    "database": "unavailable" while the server is down (no traceback, nothing private), 200 once it is back."""
    url, proc, log = start_api({"DAFTARI_DB_DIR": str(own_server)}, "api-test-faults.log")
    try:
        assert httpx.get(f"{url}/api/v1/health", timeout=10).json() == {"status": "ok", "database": "ok"}
        server.stop(folder=own_server)
        down = httpx.get(f"{url}/api/v1/health", timeout=30)
        assert down.status_code == 503
        assert down.json()["database"] == "unavailable" and "Traceback" not in down.text
        restart(own_server)
        deadline = time.monotonic() + 30
        while (back := httpx.get(f"{url}/api/v1/health", timeout=30)).status_code != 200:
            assert time.monotonic() < deadline, back.text
            time.sleep(0.5)
        assert back.json() == {"status": "ok", "database": "ok"}
    finally:
        stop_api(proc, log)
        if server.pid(own_server) is None:
            restart(own_server)
