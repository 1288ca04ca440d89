"""Bulk loading for the simulator and benchmarks, on a connection of its own.

LOAD DATA LOCAL is enabled only here (allow_local_infile on this connection, restricted to one folder), never
for the web app's pool, and it runs with the admin account (config.admin_settings()), not the app's. Where the
server refuses it (MySQL 8 has local_infile OFF by default), the same rows go in as batched multi-row INSERTs.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import mysql.connector
import pandas as pd

from db import config, pool
from db.errors import DRIVER_ERRORS, as_connector_error, raise_translated
from db.sqlfiles import sql

REFUSED = {1148, 3948, 3950, 2068, 1227}  # local infile disabled / not allowed by client or server
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
}
BATCH = 5000


class Loader:
    """One connection, autocommit off, a fixed NOW() for repeatable data, LOAD DATA with an INSERT fallback."""

    def __init__(self, conn, folder: Path, use_load_data: bool) -> None:
        self.conn, self.folder, self.use_load_data = conn, folder, use_load_data
        self.tx = pool.Tx(conn)
        self.method = "LOAD DATA LOCAL" if use_load_data else "batched INSERT"

    def load(self, table: str, frame: pd.DataFrame) -> int:
        """Load a frame whose columns are in the order of load_<table> (strings, None for NULL)."""
        if frame.empty:
            return 0
        if self.use_load_data:
            path = self.folder / f"{table}.tsv"
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

    def load_expenses(self, frames: Iterable[pd.DataFrame], shops: tuple[int, int], progress=None) -> int:
        """Expenses of the shops first..last without the per-row roll-up triggers (they triple a load's time).
        The roll-ups are summed from each chunk as it is made and loaded beside it when those shops have none
        yet (chunks hold whole months, so a day never spans two); otherwise they are rebuilt in SQL afterwards."""
        span = {"first_shop": shops[0], "last_shop": shops[1]}
        fresh = self.tx.one("rollup_rows_of_shops", **span)["n"] == 0

        def with_rollups(chunks):
            for frame in chunks:
                yield "expenses", frame
                if fresh:
                    yield "expense_days", rollup(frame, "category_id")
                    yield "expense_day_modes", rollup(frame, "payment_mode")

        self.tx.execute("skip_rollups")
        try:
            done = self.load_stream(with_rollups(frames), progress)
        finally:
            self.tx.execute("keep_rollups")
        if not fresh:
            self.tx.execute("rebuild_expense_days", **span)
            self.tx.execute("rebuild_expense_day_modes", **span)
        return done

    def load_stream(self, items: Iterable[tuple[str, pd.DataFrame]], progress=None) -> int:
        """Load (table, frame) items in order while the next is being made: the server inserts one (the C
        extension lets go of the GIL meanwhile) while Python generates and writes the next. Returns the rows
        of the first table named."""
        counted, done, pending = None, 0, []

        def settle(future, table, rows):
            nonlocal done
            future.result()
            if table == counted:
                done += rows
                if progress:
                    progress(done)

        if not self.use_load_data:
            for table, frame in items:
                counted = counted or table
                settle(_Done(), table, self.load(table, frame))
            return done
        with ThreadPoolExecutor(max_workers=1) as worker:
            for number, (table, frame) in enumerate(items):
                counted = counted or table
                path = self.folder / f"{table}-{number}.tsv"
                write_tsv(frame, path)
                pending.append((worker.submit(self._load_file, table, path), table, len(frame)))
                while pending and (pending[0][0].done() or len(pending) > 3):
                    settle(*pending.pop(0))
            for item in pending:
                settle(*item)
        return done

    def _load_file(self, table: str, path: Path) -> None:
        try:
            self.tx.execute(STATEMENTS[table][0], path=str(path))
        finally:
            path.unlink(missing_ok=True)

    def commit(self) -> None:
        self.tx.execute("bump_every_shop_version")
        self.conn.commit()


_UNSAFE = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "\\": "/"})


class _Done:
    """A finished future, for the path without a worker thread."""

    def result(self) -> None:
        return None


def rollup(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """One day's totals per shop and `by` (category_id or payment_mode) from a chunk of generated expenses,
    in exact integer cents (the amounts are text with two decimals)."""
    cents = {c: frame[c].str.replace(".", "", regex=False).astype("int64") for c in ("amount", "cashback")}
    grouped = (
        frame[["shop_id", "spent_on", by]]
        .assign(**cents)
        .groupby(["shop_id", "spent_on", by], sort=False)
        .agg(amount=("amount", "sum"), cashback=("cashback", "sum"), expenses=("amount", "size"))
        .reset_index()
    )
    for c in ("amount", "cashback"):
        grouped[c] = [f"{v // 100}.{v % 100:02d}" for v in grouped[c].tolist()]
    return grouped


def _text_column(values: list) -> list[str]:
    """Cells as LOAD DATA text: None (or NaN) as \\N; a tab, newline or backslash inside text becomes a space
    or a slash, so nothing needs escaping."""
    cells = [None if v is None or v != v else v if isinstance(v, str) else str(v) for v in values]
    together = "\x00".join(c for c in cells if c is not None)
    if any(ch in together for ch in "\t\n\r\\"):
        cells = [None if c is None else c.translate(_UNSAFE) for c in cells]
    return ["\\N" if c is None else c for c in cells]


def write_tsv(frame: pd.DataFrame, path: Path) -> None:
    """LOAD DATA's default format: tab-separated lines, \\N for NULL, nothing that needs escaping."""
    columns = []
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_integer_dtype(column):
            columns.append(column.to_numpy().astype(str).tolist())
        else:
            columns.append(_text_column(column.tolist()))
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(map("\t".join, zip(*columns))))
        out.write("\n")


@contextmanager
def loader(clock: datetime, settings: config.Settings | None = None, use_load_data: bool = True) -> Iterator[Loader]:
    """A Loader on a connection of its own (the admin account, no read timeout: a load may take minutes), with
    NOW() fixed at clock; committed at the end (every shop's version bumped once: caches everywhere see it),
    rolled back on error."""
    settings = (settings or config.admin_settings()).without_time_limits()
    with tempfile.TemporaryDirectory(prefix="daftari-load-") as folder:
        extra = {"allow_local_infile": True, "allow_local_infile_in_path": folder} if use_load_data else {}
        try:
            conn = config.connect(settings, **extra)
        except DRIVER_ERRORS as raised:
            raise_translated(as_connector_error(raised))
        try:
            conn.cursor().execute(sql("set_session_clock"), {"epoch": int(clock.timestamp())})
            load = Loader(conn, Path(folder), use_load_data)
            load.tx.execute("skip_versions")
            yield load
            load.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()
