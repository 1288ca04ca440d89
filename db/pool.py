"""The pool: reads into DataFrames or rows (optionally cached per shop), writes in retried transactions.

A server that hangs (paused, overloaded, a network that drops packets) must cost only the sessions that were
talking to it at that moment, and only for a bounded time; a server that went away and came back must be
used again without restarting the app. Hence a small pool of our own instead of the connector's:

- checking a connection out resets its session (COM_RESET_CONNECTION: a round trip that also proves the
  server answers) with a PING_SECONDS time limit, outside any lock, so no session waits behind another's
  check (the connector's pool pings under one process-wide lock: one hung ping queued every session);
- every statement has a read and write timeout, and the server stops an app statement after
  STATEMENT_SECONDS (set on each session, so the server's error comes before the client gives up);
- a connection that failed or timed out is thrown away, never handed out again; when a reset finds a
  connection broken (the server restarted), every idle one is thrown away and a new one opened.
"""

from __future__ import annotations

import functools
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, TypeVar

import mysql.connector
import pandas as pd
from mysql.connector.constants import ServerCmd

from db import cache, config
from db.errors import (
    DRIVER_ERRORS,
    DUPLICATE_KEY,
    RETRYABLE,
    ROW_IS_REFERENCED,
    DatabaseBusy,
    DatabaseUnavailable,
    DuplicateKey,
    MaybeSaved,
    StillReferenced,
    as_connector_error,
    is_outage,
    raise_translated,
    timed_out,
    unavailable,
    unsure,
)
from db.sqlfiles import sql
from i18n import t

log = logging.getLogger("daftari.db")
T = TypeVar("T")

POOL_SIZE = 32  # connections one app process keeps at most
RETRIES = 5  # for deadlocks (1213) and lock wait timeouts (1205)
POOL_WAIT = 5.0  # seconds to wait for a free connection before "busy"
VERSION_SECONDS = 2  # a shop's version is one primary-key read: a server slower than this is treated as hung
# ...except on a Galera node, where the read first waits until the node has applied every write committed anywhere
# (wsrep_sync_wait), and flow control can hold that for seconds on a busy machine: the CI run of the two-node
# conflict test saw a version read pass 2 s right after 200 payments. There it gets the limit any read has.
SUSPECT_SECONDS = 60.0  # how long after an outage new connections get only PING_SECONDS to connect

_lock = threading.Lock()
retries = {"deadlock_or_lock_wait": 0, "moved_after_an_outage": 0}  # transactions tried again (benchmarks report it)
OUTAGE_PAUSE = 0.3  # seconds before the one new try after an outage (HAProxy marks a dead node down within ~1 s)


class Pool:
    """Up to `size` connections of one account; idle ones are reused newest first."""

    def __init__(self, settings: config.Settings, size: int = POOL_SIZE) -> None:
        self.settings = settings
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[Any] = []
        self._lock = threading.Lock()
        self.closed = False
        self.versions: VersionReader | None = None  # made at the first cached read
        # After an outage, new connections wait PING_SECONDS to connect instead of CONNECT_TIMEOUT, so that
        # while the server hangs no session waits long on it; the first connection that works ends this.
        self._suspect_until = 0.0

    def checkout(self) -> Any:
        """A connection whose session is fresh; DatabaseBusy when all are in use for POOL_WAIT seconds,
        DatabaseUnavailable when the server does not answer."""
        if not self._slots.acquire(timeout=POOL_WAIT):
            raise DatabaseBusy(t("Daftari is busy right now. Please try again in a moment."))
        try:
            return self._ready()
        except BaseException:
            self._slots.release()
            raise

    def checkin(self, conn: Any, healthy: bool) -> None:
        """Back to the pool, or closed when it failed (or the pool was replaced meanwhile)."""
        if not healthy:
            self.suspect()
        try:
            if healthy and not self.closed:
                with self._lock:
                    self._idle.append(conn)
            else:
                _discard(conn)
        finally:
            self._slots.release()

    def suspect(self) -> None:
        """The server just failed us: until a connection works again, do not wait long to connect."""
        self._suspect_until = time.monotonic() + SUSPECT_SECONDS

    def close(self) -> None:
        """Close every idle connection; connections in use are closed when they come back."""
        self.closed = True
        self._drop_idle()
        if self.versions is not None:
            self.versions.closed = True

    def _ready(self) -> Any:
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            return self._open()
        try:
            self._reset(conn)
        except DRIVER_ERRORS as raised:
            _discard(conn)
            exc = as_connector_error(raised)
            if timed_out(exc):  # the server is there but does not answer: do not queue up behind it
                self.suspect()
                raise unavailable() from raised
            if is_outage(exc):  # the server went away: every idle connection is as broken as this one
                log.warning("a pooled connection was broken (%s); opening new ones", exc)
                self.suspect()
                self._drop_idle()
            else:  # this connection alone is in a bad state (say, a result nobody read)
                log.warning("a pooled connection could not be reset (%s); opening a new one", exc)
            return self._open()
        self._suspect_until = 0.0
        return conn

    def _open(self) -> Any:
        settings = self.settings
        if time.monotonic() < self._suspect_until:
            settings = replace(settings, connection_timeout=config.PING_SECONDS)
        conn = None
        try:
            conn = config.connect(settings, prepare=_start_session)
        except DRIVER_ERRORS as raised:
            if conn is not None:
                _discard(conn)
            self.suspect()
            raise_translated(as_connector_error(raised))
        self._suspect_until = 0.0
        return conn

    def _reset(self, conn: Any) -> None:
        """COM_RESET_CONNECTION (rolls back, drops user variables, temporary tables and locks), answered within
        PING_SECONDS on pure Python, then the session's settings in one statement: two round trips, where the
        connector's own reset_session() takes four. (_send_cmd and _cmysql are the pinned 9.7.0 connector's.)"""
        if self.settings.use_pure:
            conn._handle_ok(conn._send_cmd(ServerCmd.RESET_CONNECTION, read_timeout=config.PING_SECONDS))
        else:  # the C extension keeps the timeouts it connected with
            conn._cmysql.reset_connection()
        _start_session(conn)

    def _drop_idle(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            _discard(conn)
        if self.versions is not None:  # as broken as the others after an outage
            self.versions.close()


def _start_session(conn: Any) -> None:
    """The session's character set, manual transactions and the server's STATEMENT_SECONDS limit on each
    statement (MariaDB and MySQL each read their own half of the statement; see sql/pool.sql)."""
    cur = conn.cursor()
    seconds = config.STATEMENT_SECONDS
    cur.execute(sql("start_app_session"), {"seconds": seconds, "milliseconds": seconds * 1000})
    cur.close()


def _discard(conn: Any) -> None:
    """Close without waiting on the server (it may be the reason we are closing)."""
    try:
        if hasattr(conn, "shutdown"):
            conn.shutdown()
        else:
            conn.close()
    except Exception:  # noqa: BLE001 (a connection being thrown away may fail in any way)
        pass


_pool: Pool | None = None
_pool_key: tuple | None = None


def _get_pool() -> Pool:
    global _pool, _pool_key
    current = config.resolve()
    key = tuple(sorted(current.connect_args().items()))
    with _lock:
        if _pool is None or _pool_key != key:
            if _pool is not None:
                _pool.close()
            _pool, _pool_key = Pool(current), key
        return _pool


def reset_pool() -> None:
    """Forget the pool and close its idle connections (tests switch databases)."""
    global _pool, _pool_key
    with _lock:
        if _pool is not None:
            _pool.close()
        _pool, _pool_key = None, None


@contextmanager
def connection() -> Iterator[Any]:
    """A pooled connection of the app's account; waits briefly when all are busy, then says so. A connection
    that met an outage is closed instead of going back to the pool."""
    pool = _get_pool()
    conn = pool.checkout()
    healthy = True
    try:
        yield conn
    except BaseException as exc:
        healthy = not is_outage(exc)
        raise
    finally:
        pool.checkin(conn, healthy)


@contextmanager
def admin_connection(with_database: bool = True) -> Iterator[Any]:
    """A connection of its own with the admin account (config.admin_settings()): for what the app's account
    may not do, such as the demo reset's TRUNCATE. Rolled back unless committed; always closed."""
    try:
        conn = config.connect(config.admin_settings(), with_database=with_database)
    except DRIVER_ERRORS as raised:
        raise_translated(as_connector_error(raised))
    try:
        yield conn
    finally:
        _rollback(conn)
        _discard(conn)


class Tx:
    """What a write function sees: named statements on one connection, one transaction."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.cur = conn.cursor(dictionary=True)

    def rows(self, query: str, /, **params: Any) -> list[dict]:
        """Every row of a named query, as dicts."""
        self._run(self.cur.execute, query, params)
        return self.cur.fetchall()

    def one(self, query: str, /, **params: Any) -> dict | None:
        """The first row of a named query, or None."""
        found = self.rows(query, **params)
        return found[0] if found else None

    def execute(self, query: str, /, **params: Any) -> int:
        """Run a named statement; the number of rows it changed."""
        self._run(self.cur.execute, query, params)
        return self.cur.rowcount

    def executemany(self, query: str, seq: list[dict]) -> int:
        """Run a named statement once per parameter dict."""
        self._run(self.cur.executemany, query, seq)
        return self.cur.rowcount

    @property
    def lastrowid(self) -> int:
        """The id the last INSERT created."""
        return self.cur.lastrowid

    @staticmethod
    def _run(method: Callable[..., Any], query: str, params: Any) -> None:
        try:
            method(sql(query), params)
        except mysql.connector.IntegrityError as exc:
            if exc.errno == DUPLICATE_KEY:
                raise DuplicateKey(exc.msg) from exc
            if exc.errno == ROW_IS_REFERENCED:
                raise StillReferenced(exc.msg) from exc
            raise


def transactional(fn: Callable[..., T]) -> Callable[..., T]:
    """Run fn(tx, ...) in one transaction; retry deadlocks and lock timeouts a bounded number of times.

    Called with a Tx first, fn joins that transaction instead (the caller commits, retries and clears the cache):
    so one rule can run inside another's transaction, such as a payment and the idempotency key or M-Pesa
    receipt that must commit with it."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        if args and isinstance(args[0], Tx):
            return fn(*args, **kwargs)
        moved = False  # tried again once on another connection after an outage before COMMIT
        for attempt in range(RETRIES):
            committing = False
            try:
                with connection() as conn:
                    try:
                        tx = Tx(conn)  # in the try: the connector checks the connection is still there
                        tx.execute("set_acting_user", user_id=_acting_user(args, kwargs))
                        result = fn(tx, *args, **kwargs)
                        committing = True
                        conn.commit()
                        _forget_written_shops(args, kwargs)
                        return result
                    except DRIVER_ERRORS as raised:
                        exc = as_connector_error(raised)
                        _rollback(conn)
                        if exc.errno in RETRYABLE and attempt < RETRIES - 1:
                            retries["deadlock_or_lock_wait"] += 1
                            time.sleep(0.01 * (2**attempt) * (1 + random.random()))
                            continue
                        if committing and is_outage(exc):  # a COMMIT timed out or lost: it may have been applied
                            raise unsure() from raised
                        raise_translated(exc)
                    except BaseException:
                        _rollback(conn)
                        raise
            except DatabaseUnavailable as outage:
                # The server went away before COMMIT was sent, so nothing was written: on a cluster the next
                # connection reaches another node (HAProxy, or the next of MYSQL_HOST's list), so try once more.
                # Not after a timeout (a hung server would be waited on twice), nor when the COMMIT was sent.
                if moved or committing or attempt == RETRIES - 1 or not _worth_moving(outage):
                    raise
                moved = True
        raise AssertionError("unreachable")

    return wrapper


def _acting_user(args: tuple, kwargs: dict) -> int | None:
    """The user a write acts for (the first argument with a user_id, an Actor), for the audit log."""
    for value in (*args, *kwargs.values()):
        user_id = getattr(value, "user_id", None)
        if isinstance(user_id, int):
            return user_id
    return None


def _forget_written_shops(args: tuple, kwargs: dict) -> None:
    """A write through an Actor clears that shop's cached reads."""
    for value in (*args, *kwargs.values()):
        shop_id = getattr(value, "shop_id", None)
        if isinstance(shop_id, int):
            cache.forget_shop(shop_id)


def _rollback(conn: Any) -> None:
    """Roll back if the connection still can; a connection that cannot is closed by connection() anyway
    (the C extension raises its own MySQLInterfaceError here, not the connector's Error)."""
    try:
        conn.rollback()
    except DRIVER_ERRORS:
        pass


def rows(query: str, /, cached: bool = False, **params: Any) -> list[dict]:
    """A read as a list of dicts (for small lookups); cached=True keeps it per shop for cache.TTL seconds."""
    if cached:
        return cache.get_or_load(
            query, params, lambda: rows(query, **params), lambda found: [dict(r) for r in found], version=shop_version
        )
    return _read(lambda conn: _fetch(conn.cursor(dictionary=True), sql(query), params, lambda cur: cur.fetchall()))


def query(query: str, /, cached: bool = False, **params: Any) -> pd.DataFrame:
    """A read as a DataFrame (DECIMAL stays decimal.Decimal); cached=True keeps it per shop for cache.TTL seconds."""
    if cached:
        return cache.get_or_load(
            query, params, lambda: _query_uncached(query, **params), lambda f: f.copy(deep=False), version=shop_version
        )
    return _query_uncached(query, **params)


def figure(name: str, statement: str, /, **params: Any) -> pd.DataFrame:
    """A question's checked statement (not a named query of sql/*.sql) read like query(..., cached=True): the
    dashboard, analytics and shop overview draw the figures they share with the analyst page this way."""
    return cache.get_or_load(
        name, params, lambda: _query_uncached(statement, raw=True, **params), lambda f: f.copy(), version=shop_version
    )


def shop_version(shop_id: int) -> int | None:
    """The shop's version number (migration 015): what a cached read of the shop is checked against."""
    pool = _get_pool()
    with pool._lock:
        if pool.versions is None:
            pool.versions = VersionReader(pool.settings)
        versions = pool.versions
    return versions.read(shop_id)


class VersionReader:
    """Connections that only ever read a shop's version, in autocommit (each read sees the newest commit; on a
    Galera node wsrep_sync_wait waits for writes made through other nodes). Their session never changes, so
    unlike the pool's they need no reset at checkout: a cached page's twenty checks cost one round trip each
    (0.09 ms here) instead of four (0.75 ms). A server that hangs costs a read VERSION_SECONDS at most."""

    def __init__(self, settings: config.Settings, size: int = 8) -> None:
        self.settings = replace(settings, read_timeout=VERSION_SECONDS, write_timeout=VERSION_SECONDS)
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[Any] = []
        self._lock = threading.Lock()
        self.closed = False
        self._galera: bool | None = None  # not known before the first connection

    def read(self, shop_id: int) -> int | None:
        """The version; an idle connection found broken (the server restarted, or HAProxy moved its sessions)
        means every idle one is: they are dropped and a new connection asks once more."""
        if not self._slots.acquire(timeout=POOL_WAIT):
            raise DatabaseBusy(t("Daftari is busy right now. Please try again in a moment."))
        try:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is not None:
                try:
                    return self._ask(conn, shop_id)
                except DRIVER_ERRORS as raised:
                    exc = as_connector_error(raised)
                    if timed_out(exc) or not is_outage(exc):
                        raise_translated(exc)
                    self.close()
            try:
                return self._ask(self._connect(), shop_id)
            except DRIVER_ERRORS as raised:
                raise_translated(as_connector_error(raised))
        finally:
            self._slots.release()

    def _connect(self) -> Any:
        """A new version connection; the first one tells whether the server is a Galera node, whose reads wait for
        the cluster (see VERSION_SECONDS): then this one and every later one get config.READ_TIMEOUT."""
        conn = config.connect(self.settings, prepare=_start_version_session)
        if self._galera is None:
            try:
                cur = conn.cursor()
                cur.execute(sql("galera_is_on"))
                found = cur.fetchall()
                cur.close()
            except BaseException:
                _discard(conn)
                raise
            self._galera = bool(found) and str(found[0][1]).upper() == "ON"
            if self._galera:
                self.settings = replace(self.settings, read_timeout=config.READ_TIMEOUT)
                _discard(conn)
                conn = config.connect(self.settings, prepare=_start_version_session)
        return conn

    def _ask(self, conn: Any, shop_id: int) -> int | None:
        """One read on conn, which goes back to the idle ones if it worked and is thrown away if not."""
        try:
            cur = conn.cursor()
            cur.execute(sql("version_of_shop"), {"shop_id": shop_id})
            found = cur.fetchone()
            cur.close()
        except BaseException:
            _discard(conn)
            raise
        with self._lock:
            if self.closed:  # the pool was replaced meanwhile (another database): nobody would reuse it
                _discard(conn)
            else:
                self._idle.append(conn)
        return found[0] if found else None

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            _discard(conn)


def _start_version_session(conn: Any) -> None:
    _start_session(conn)
    conn.autocommit = True


def _query_uncached(query: str, /, raw: bool = False, **params: Any) -> pd.DataFrame:
    statement = query if raw else sql(query)
    return _read(
        lambda conn: _fetch(
            conn.cursor(), statement, params, lambda cur: pd.DataFrame(cur.fetchall(), columns=cur.column_names)
        )
    )


def _fetch(cur: Any, statement: str, params: dict, result: Callable[[Any], T]) -> T:
    cur.execute(statement, params)
    return result(cur)


def _read(run: Callable[[Any], T]) -> T:
    """run(conn) on a pooled connection, rolled back after. A connection lost on the way (the node behind
    HAProxy died, or HAProxy moved its sessions to node 1 again) is tried once more on a new one, as a write
    before COMMIT is; not after a timeout (a hung server would be waited on twice)."""
    for attempt in (1, 2):
        try:
            with connection() as conn:
                try:
                    return run(conn)  # the cursor too: the connector checks the connection is still there
                except DRIVER_ERRORS as raised:
                    raise_translated(as_connector_error(raised))
                finally:
                    _rollback(conn)
        except DatabaseUnavailable as outage:
            if attempt == 2 or not _worth_moving(outage):
                raise
    raise AssertionError("unreachable")


def _worth_moving(outage: DatabaseUnavailable) -> bool:
    """Whether to try once more on a new connection after this outage (then after OUTAGE_PAUSE, counted): not
    after a timeout (a hung server would be waited on twice), nor when the COMMIT may have been applied."""
    if timed_out(outage.__cause__) or isinstance(outage, MaybeSaved):
        return False
    retries["moved_after_an_outage"] += 1
    time.sleep(OUTAGE_PAUSE)
    return True
