"""Bulk loading for the simulator and benchmarks, on a connection of its own.

LOAD DATA LOCAL is enabled only here (allow_local_infile on this connection, restricted to one folder), never
for the web app's pool, and it runs with the admin account (config.admin_settings()), not the app's. Where the
server refuses it (MySQL 8 has local_infile OFF by default), the same rows go in as batched multi-row INSERTs.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import mysql.connector
import numpy as np
import pandas as pd

from db import config, pool
from db.errors import DRIVER_ERRORS, as_connector_error, raise_translated
from db.sqlfiles import sql

REFUSED = {1148, 3948, 3950, 2068, 1227}  # local infile disabled / not allowed by client or server
XA_UNSUPPORTED = 1235  # "This version of MariaDB doesn't yet support ...": XA on a Galera cluster
# table -> (LOAD DATA statement, its batched-INSERT fallback)
STATEMENTS = {
    "customers": ("load_customers", "insert_customers_rows"),
    "debts": ("load_debts", "insert_debts_rows"),
    "payments": ("load_payments", "insert_payments_rows"),
    "expenses": ("load_expenses", "insert_expenses_rows"),
    "expense_days": ("load_expense_days", "insert_expense_days_rows"),
    "expense_day_modes": ("load_expense_day_modes", "insert_expense_day_modes_rows"),
}
# Statements that span every shop on purpose: bulk loads (each row names its shop) and roll-up rebuilds.
WHOLE_DATABASE = {
    *(n for pair in STATEMENTS.values() for n in pair),
    "rebuild_expense_days",
    "rebuild_expense_day_modes",
    "rollup_rows_of_shops",
    "bump_every_shop_version",
    "analyze_loaded_tables",
    "xa_recover",
}
BATCH = 5000


class Loader:
    """One connection, autocommit off, a fixed NOW() for repeatable data, LOAD DATA with an INSERT fallback."""

    def __init__(self, conn, folder: Path, use_load_data: bool, prefix: str = "") -> None:
        self.conn, self.folder, self.use_load_data, self.prefix = conn, folder, use_load_data, prefix
        self.tx = pool.Tx(conn)
        self.method = "LOAD DATA LOCAL" if use_load_data else "batched INSERT"

    def load(self, table: str, frame: pd.DataFrame) -> int:
        """Load a frame whose columns are in the order of load_<table> (text or integers, None for NULL; the
        expenses' and roll-ups' amounts in integer cents)."""
        if frame.empty:
            return 0
        if self.use_load_data:
            path = self.folder / f"{self.prefix}{table}.tsv"
            write_tsv(frame, path)
            try:
                self.tx.execute(STATEMENTS[table][0], path=str(path))
                return len(frame)
            except mysql.connector.Error as exc:
                if exc.errno not in REFUSED and "LOCAL" not in str(exc.msg).upper():
                    raise
                self.use_load_data, self.method = False, "batched INSERT (LOAD DATA LOCAL refused)"
            finally:
                path.unlink(missing_ok=True)
        rows = [
            tuple(None if isinstance(v, float) and v != v else v for v in row)  # pandas shows NULL as NaN
            for row in frame.itertuples(index=False, name=None)
        ]
        statement = sql(STATEMENTS[table][1])
        cur = self.conn.cursor()
        for start in range(0, len(rows), BATCH):
            cur.executemany(statement, rows[start : start + BATCH])
        return len(rows)

    def load_expenses(
        self,
        frames: Iterable[pd.DataFrame],
        shops: tuple[int, int],
        progress=None,
        first: Iterable[tuple[str, pd.DataFrame]] = (),
    ) -> int:
        """Expenses of the shops first..last without the per-row roll-up triggers (they triple a load's time).
        The roll-ups are summed from each chunk as it is made and loaded beside it when those shops have none
        yet (chunks hold whole months, so a day never spans two); otherwise they are rebuilt in SQL afterwards.
        `first`: (table, frame) items loaded ahead of the expenses, while the expenses are being made."""
        span = {"first_shop": shops[0], "last_shop": shops[1]}
        fresh = self.tx.one("rollup_rows_of_shops", **span)["n"] == 0

        def items():
            yield from first
            for frame in frames:
                yield "expenses", frame
                if fresh:
                    yield "expense_days", rollup(frame, "category_id")
                    yield "expense_day_modes", rollup(frame, "payment_mode")

        self.tx.execute("skip_rollups")
        try:
            done = self.load_stream(items(), progress, counted="expenses")
        finally:
            self.tx.execute("keep_rollups")
        if not fresh:
            self.tx.execute("rebuild_expense_days", **span)
            self.tx.execute("rebuild_expense_day_modes", **span)
        return done

    def load_stream(self, items: Iterable[tuple[str, pd.DataFrame]], progress=None, counted: str = "") -> int:
        """Load (table, frame) items in order while the next is being made: the server loads one (the C
        extension lets go of the GIL meanwhile) while Python makes and writes the next. Returns the rows of
        the table `counted` (else of the first table named)."""
        done, pending = 0, []

        def settle(future, table, rows):
            nonlocal done
            future.result()
            if table == counted:
                done += rows
                if progress:
                    progress(done)

        items = iter(items)
        for table, frame in items:  # the first on its own: a server that refuses LOAD DATA LOCAL says so here
            counted = counted or table
            settle(_Done(), table, self.load(table, frame))
            break
        if not self.use_load_data:
            for table, frame in items:
                settle(_Done(), table, self.load(table, frame))
            return done
        with ThreadPoolExecutor(max_workers=1) as worker:
            try:
                for number, (table, frame) in enumerate(items):
                    counted = counted or table
                    path = self.folder / f"{self.prefix}{table}-{number}.tsv"
                    write_tsv(frame, path)
                    pending.append((worker.submit(self._load_file, table, path), table, len(frame)))
                    while pending and (pending[0][0].done() or len(pending) > 6):
                        settle(*pending.pop(0))
                for item in pending:
                    settle(*item)
            finally:
                for future, _, _ in pending:
                    future.cancel()  # a failed item: the rest are not loaded (the caller rolls back)
        return done

    def _load_file(self, table: str, path: Path) -> None:
        try:
            self.tx.execute(STATEMENTS[table][0], path=str(path))
        finally:
            path.unlink(missing_ok=True)

    def commit(self) -> None:
        self.tx.execute("bump_every_shop_version")
        self.conn.commit()


_UNSAFE = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "\\": "/", "\x00": " "})


class _Done:
    """A finished future, for the path without a worker thread."""

    def result(self) -> None:
        return None


def _coded(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A column as codes into its distinct values (-1 for NULL): a categorical's own, else pandas.factorize."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), column.cat.categories.to_numpy(dtype=object)
    codes, distinct = pd.factorize(column, use_na_sentinel=True)
    return codes, np.asarray(distinct, dtype=object)


def _cell(value) -> bytes:
    """One value as LOAD DATA text: a tab, newline or backslash inside text becomes a space or a slash, so
    nothing needs escaping."""
    text = value if isinstance(value, str) else str(value)
    return text.translate(_UNSAFE).encode("utf-8")


def _digits(values: np.ndarray) -> np.ndarray:
    """Non-negative integers as a matrix of ASCII digits, one row each, NUL where a leading zero would be."""
    width = len(str(int(values.max()))) if len(values) else 1
    digits = values[:, None] // 10 ** np.arange(width - 1, -1, -1, dtype=np.int64) % 10
    shown = np.cumsum(digits, axis=1) > 0
    shown[:, -1] = True
    return np.where(shown, digits + ord("0"), 0).astype(np.uint8)


def rollup(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """One day's totals per shop and `by` (category_id or payment_mode) from a chunk of generated expenses, in
    load_expense_days / load_expense_day_modes column order, the sums in integer cents as the expenses' amounts
    (the statements divide them by 100)."""
    keys = {name: _coded(frame[name]) for name in ("shop_id", "spent_on", by)}
    grouped = (
        pd.DataFrame({name: codes for name, (codes, _) in keys.items()})
        .assign(amount_cents=frame["amount_cents"].to_numpy(), cashback_cents=frame["cashback_cents"].to_numpy())
        .groupby(list(keys), sort=False)
        .agg(
            amount_cents=("amount_cents", "sum"),
            cashback_cents=("cashback_cents", "sum"),
            expenses=("amount_cents", "size"),
        )
        .reset_index()
    )
    for name, (_, distinct) in keys.items():
        grouped[name] = pd.Categorical.from_codes(grouped[name].to_numpy(), categories=distinct)
    return grouped


def write_tsv(frame: pd.DataFrame, path: Path) -> None:
    """LOAD DATA's default format: tab-separated lines, \\N for NULL, nothing that needs escaping.

    Each column becomes codes into a table of its distinct values' bytes (a categorical's, or factorized), padded
    to one width; the columns side by side are a byte matrix, tabs and newlines between, and the file is that
    matrix without its padding (text holds no NUL byte). Integers are written digit by digit, all rows at once.
    No Python string is made per cell."""
    n = len(frame)
    pieces = []
    for number, name in enumerate(frame.columns):
        column = frame[name]
        if (
            pd.api.types.is_integer_dtype(column.dtype)
            and not isinstance(column.dtype, pd.CategoricalDtype)
            and (n == 0 or column.min() >= 0)
        ):
            pieces.append(_digits(column.to_numpy(dtype=np.int64)))  # ids, counts, cents: no table of texts
        else:
            codes, distinct = _coded(column)
            table = np.array([_cell(v) for v in distinct] + [b"\\N"])  # NULL: the code -1, the last entry
            pieces.append(table[codes].view(np.uint8).reshape(n, table.dtype.itemsize))
        pieces.append(np.full((n, 1), ord("\n") if number == len(frame.columns) - 1 else ord("\t"), np.uint8))
    matrix = np.hstack(pieces) if n else np.empty(0, np.uint8)
    with open(path, "wb") as out:
        out.write(matrix[matrix != 0].tobytes())


def _connect(settings: config.Settings, clock: datetime, folder: str, use_load_data: bool):
    """A loading connection (the admin account, no read timeout: a load may take minutes), NOW() fixed at clock,
    no per-row version bumps (the commit bumps every shop once)."""
    extra = {"allow_local_infile": True, "allow_local_infile_in_path": folder} if use_load_data else {}
    try:
        conn = config.connect(settings, **extra)
    except DRIVER_ERRORS as raised:
        raise_translated(as_connector_error(raised))
    cur = conn.cursor()
    cur.execute(sql("set_session_clock"), {"epoch": int(clock.timestamp())})
    cur.execute(sql("skip_versions"))
    return conn


@contextmanager
def loader(clock: datetime, settings: config.Settings | None = None, use_load_data: bool = True) -> Iterator[Loader]:
    """A Loader on a connection of its own, with NOW() fixed at clock; committed at the end (every shop's
    version bumped once: caches everywhere see it), rolled back on error."""
    settings = (settings or config.admin_settings()).without_time_limits()
    with tempfile.TemporaryDirectory(prefix="daftari-load-") as folder:
        conn = _connect(settings, clock, folder, use_load_data)
        try:
            load = Loader(conn, Path(folder), use_load_data)
            yield load
            load.commit()
            load.tx.rows("analyze_loaded_tables")
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()


@contextmanager
def loaders(
    clock: datetime, count: int = 2, settings: config.Settings | None = None, use_load_data: bool = True
) -> Iterator[list[Loader]]:
    """`count` Loaders that load side by side (a server thread each) and commit or roll back as one: each is a
    branch of one XA transaction. Every branch is prepared, the first one last, then committed, the first one
    last: the first branch's PREPARE is the decision, and it stays visible until everything is committed, so a
    branch a crash leaves prepared is settled without guessing (recover()). The first Loader's commit bumps every
    shop's version. A later branch does not check its rows' foreign keys: their parents (shops, categories) are
    made by the first branch, uncommitted, and a check would wait for its locks until the deadline (the caller
    checks them once committed: simulate's foreign_category_breaches). A server without XA (a Galera cluster)
    gets one Loader, in one transaction."""
    settings = (settings or config.admin_settings()).without_time_limits()
    gtrid = f"daftari-load-{secrets.token_hex(8)}"
    if not _has_xa(settings):
        with loader(clock, settings, use_load_data) as load:
            yield [load]
        return
    with tempfile.TemporaryDirectory(prefix="daftari-load-") as folder:
        conns = [_connect(settings, clock, folder, use_load_data) for _ in range(count)]
        loads = [Loader(conn, Path(folder), use_load_data, prefix=f"{i}-") for i, conn in enumerate(conns)]
        decided = False
        try:
            for number, load in enumerate(loads):
                load.tx.execute("xa_start", gtrid=gtrid, bqual=str(number))
            for load in loads[1:]:
                load.tx.execute("unchecked_references")
            yield loads
            loads[0].tx.execute("bump_every_shop_version")
            for number, load in enumerate(loads):
                load.tx.execute("xa_end", gtrid=gtrid, bqual=str(number))
            for number, load in [*enumerate(loads)][::-1]:  # the first branch last: its PREPARE decides
                decided = number == 0  # from here on a failure may have come after the decision
                load.tx.execute("xa_prepare", gtrid=gtrid, bqual=str(number))
            for number, load in [*enumerate(loads)][1:] + [(0, loads[0])]:  # the first branch last
                load.tx.execute("xa_commit", gtrid=gtrid, bqual=str(number))
            loads[0].tx.rows("analyze_loaded_tables")
        except BaseException:
            for conn in conns:
                conn.close()  # a branch not prepared rolls back; a prepared one is left for recover()
            try:
                if recover(settings).get(gtrid) and decided:
                    return  # the decision was to commit, and recover() carried it out
            except DRIVER_ERRORS:
                pass  # the server is away: the next load settles it (_has_xa)
            raise
        finally:
            for conn in conns:
                conn.close()


def _has_xa(settings: config.Settings) -> bool:
    """Whether the server takes XA transactions (a Galera cluster refuses them), after settling any load an
    earlier process left prepared."""
    recover(settings)
    conn = _autocommit(settings)
    try:
        tx = pool.Tx(conn)
        tx.execute("xa_start", gtrid="daftari-load-probe", bqual="0")
        tx.execute("xa_end", gtrid="daftari-load-probe", bqual="0")
        tx.execute("xa_rollback", gtrid="daftari-load-probe", bqual="0")
        return True
    except mysql.connector.Error as exc:
        if exc.errno != XA_UNSUPPORTED:
            raise
        return False
    finally:
        conn.close()


def _autocommit(settings: config.Settings):
    """A connection outside any transaction (XA statements refuse to run inside one)."""
    conn = config.connect(settings)
    conn.autocommit = True
    return conn


def recover(settings: config.Settings | None = None) -> dict[str, bool]:
    """Settle loads left prepared (a process or connection lost between PREPARE and COMMIT): a load whose first
    branch is prepared had decided to commit, so every prepared branch of it is committed, the first one last;
    otherwise its first branch was never prepared (it rolled back), and the others are rolled back. Branches
    still held by a live connection (another load committing right now) are left to it. gtrid -> committed."""
    conn = _autocommit((settings or config.admin_settings()).without_time_limits())
    try:
        tx = pool.Tx(conn)
        prepared: dict[str, set[str]] = {}
        for row in tx.rows("xa_recover"):
            data = row["data"].decode() if isinstance(row["data"], bytes) else row["data"]
            gtrid, bqual = data[: row["gtrid_length"]], data[row["gtrid_length"] :]
            if gtrid.startswith("daftari-load-"):
                prepared.setdefault(gtrid, set()).add(bqual)
        settled = {}
        for gtrid, branches in prepared.items():
            verdict = "xa_commit" if "0" in branches else "xa_rollback"
            try:
                for bqual in sorted(branches, key=lambda b: b == "0"):
                    tx.execute(verdict, gtrid=gtrid, bqual=bqual)
            except mysql.connector.Error:
                continue  # another live load's branch: not ours to settle
            settled[gtrid] = verdict == "xa_commit"
        return settled
    finally:
        conn.close()
