"""The pool: reads into DataFrames or rows (optionally cached per shop), writes in retried transactions."""

from __future__ import annotations

import functools
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import mysql.connector
import pandas as pd
from mysql.connector import pooling

from db import cache, config
from db.errors import (
    DUPLICATE_KEY,
    RETRYABLE,
    ROW_IS_REFERENCED,
    DatabaseBusy,
    DuplicateKey,
    StillReferenced,
    raise_translated,
)
from db.sqlfiles import sql

log = logging.getLogger("daftari.db")
T = TypeVar("T")

POOL_SIZE = 32  # the connector's ceiling
RETRIES = 5  # for deadlocks (1213) and lock wait timeouts (1205)
POOL_WAIT = 5.0  # seconds to wait for a free connection before "busy"

_lock = threading.Lock()
retries = {"deadlock_or_lock_wait": 0}  # transactions tried again; the concurrency benchmark reports it
_pool: pooling.MySQLConnectionPool | None = None
_pool_key: tuple | None = None


def _get_pool() -> pooling.MySQLConnectionPool:
    global _pool, _pool_key
    current = config.resolve()
    key = tuple(sorted(current.connect_args().items()))
    with _lock:
        if _pool is None or _pool_key != key:
            try:
                _pool = pooling.MySQLConnectionPool(
                    pool_name=f"daftari{random.randrange(1 << 30)}",
                    pool_size=POOL_SIZE,
                    pool_reset_session=True,
                    **current.connect_args(),
                )
            except mysql.connector.Error as exc:
                raise_translated(exc)
            _pool_key = key
        return _pool


def reset_pool() -> None:
    """Forget the pool (tests switch databases; a restarted server needs new connections)."""
    global _pool, _pool_key
    with _lock:
        _pool, _pool_key = None, None


@contextmanager
def connection() -> Iterator[Any]:
    """A pooled connection; waits briefly when all are busy, then says so."""
    pool = _get_pool()
    deadline = time.monotonic() + POOL_WAIT
    while True:
        try:
            conn = pool.get_connection()
            break
        except mysql.connector.errors.PoolError:
            if time.monotonic() > deadline:
                raise DatabaseBusy("Daftari is busy right now. Please try again in a moment.") from None
            time.sleep(0.02)
        except mysql.connector.Error as exc:
            raise_translated(exc)
    try:
        yield conn
    finally:
        try:
            conn.close()  # back to the pool; the session is reset there
        except mysql.connector.Error:
            reset_pool()


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
    """Run fn(tx, ...) in one transaction; retry deadlocks and lock timeouts a bounded number of times."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        for attempt in range(RETRIES):
            with connection() as conn:
                tx = Tx(conn)
                try:
                    tx.execute("set_acting_user", user_id=_acting_user(args, kwargs))
                    result = fn(tx, *args, **kwargs)
                    conn.commit()
                    _forget_written_shops(args, kwargs)
                    return result
                except mysql.connector.Error as exc:
                    _rollback(conn)
                    if exc.errno in RETRYABLE and attempt < RETRIES - 1:
                        retries["deadlock_or_lock_wait"] += 1
                        time.sleep(0.01 * (2**attempt) * (1 + random.random()))
                        continue
                    raise_translated(exc)
                except BaseException:
                    _rollback(conn)
                    raise
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
    try:
        conn.rollback()
    except mysql.connector.Error:
        pass


def rows(query: str, /, cached: bool = False, **params: Any) -> list[dict]:
    """A read as a list of dicts (for small lookups); cached=True keeps it per shop for cache.TTL seconds."""
    if cached:
        return cache.get_or_load(query, params, lambda: rows(query, **params), lambda found: [dict(r) for r in found])
    with connection() as conn:
        cur = conn.cursor(dictionary=True)
        try:
            cur.execute(sql(query), params)
            return cur.fetchall()
        except mysql.connector.Error as exc:
            raise_translated(exc)
        finally:
            _rollback(conn)


def query(query: str, /, cached: bool = False, **params: Any) -> pd.DataFrame:
    """A read as a DataFrame (DECIMAL stays decimal.Decimal); cached=True keeps it per shop for cache.TTL seconds."""
    if cached:
        return cache.get_or_load(query, params, lambda: _query_uncached(query, **params), lambda f: f.copy(deep=False))
    return _query_uncached(query, **params)


def _query_uncached(query: str, /, **params: Any) -> pd.DataFrame:
    with connection() as conn:
        cur = conn.cursor()
        try:
            cur.execute(sql(query), params)
            return pd.DataFrame(cur.fetchall(), columns=cur.column_names)
        except mysql.connector.Error as exc:
            raise_translated(exc)
        finally:
            _rollback(conn)
