"""The read-only path for analyst questions: a SELECT-only account where there is one, a read-only
session, and a time limit. Identifiers in GRANT cannot be bound, so they come from a fixed list and a
checked database name only."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

import pandas as pd

from db import config
from db.errors import DRIVER_ERRORS, DaftariError, InvalidInput, as_connector_error, raise_translated, timed_out
from db.sqlfiles import sql

T = TypeVar("T")

ACCOUNT = "daftari_reader"
CREDENTIALS_FILE = "reader.cnf"  # in the private server's folder (config.data_dir())
# The shop tables an analyst may read; never users (password hashes) or schema_migrations.
READABLE = (
    "shops",
    "shop_members",
    "customers",
    "debts",
    "payments",
    "active_debtors",
    "categories",
    "expenses",
    "expense_days",
    "expense_day_modes",
    "book_days",
    "audit_log",
    "write_offs",
    "reminders",
)
# Each readable table's columns (tests/test_sqlcheck.py holds them equal to the schema): a question's fence copies
# only the columns the question names (duka/sqlcheck.py).
# fmt: off
COLUMNS = {
    "shops": ("id", "name", "currency", "created_at", "credit_days", "reminder_days", "remind_every_days"),
    "shop_members": ("shop_id", "user_id", "role", "added_at"),
    "customers": (
        "id", "shop_id", "name", "phone", "account_no", "credit_limit", "note", "created_at", "created_by",
        "archived_at", "archived_by", "merged_into"
    ),
    "debts": (
        "id", "shop_id", "customer_id", "product", "quantity", "unit_price", "total", "paid", "written_off", "balance",
        "debt_date", "due_date", "created_by", "created_at", "edited_at", "edited_by", "voided_at", "voided_by",
        "void_reason"
    ),
    "payments": (
        "id", "shop_id", "debt_id", "amount", "method", "reference", "paid_at", "recorded_by", "created_at",
        "edited_at", "edited_by", "voided_at", "voided_by", "void_reason"
    ),
    "active_debtors": ("shop_id", "customer_id", "balance", "updated_at"),
    "categories": ("id", "shop_id", "name", "description", "monthly_budget", "essential", "created_at"),
    "expenses": (
        "id", "shop_id", "category_id", "spent_on", "amount", "payment_mode", "cashback", "description", "recorded_by",
        "created_at", "edited_at", "edited_by"
    ),
    "expense_days": ("shop_id", "spent_on", "category_id", "amount", "cashback", "expenses"),
    "expense_day_modes": ("shop_id", "spent_on", "payment_mode", "amount", "cashback", "expenses"),
    "book_days": ("shop_id", "book_day", "credit_given", "sales", "collected", "payments"),
    "audit_log": (
        "id", "shop_id", "table_name", "row_id", "action", "changed_by", "changed_at", "old_values", "new_values",
        "client_address"
    ),
    "write_offs": (
        "id", "shop_id", "debt_id", "amount", "reason", "written_at", "written_by", "reversed_at", "reversed_by",
        "reverse_reason"
    ),
    "reminders": ("id", "shop_id", "customer_id", "sent_at", "sent_by", "channel", "language", "text", "balance"),
}
# fmt: on
READ_TIMEOUT = 10  # the client's limit: above the 5 s the server gives a question, below forever
FIRST_ROWS = "_first_rows"  # the LIMIT's parameter in duka/sqlcheck.first_rows: no question's parameter starts with _
TIMEOUT_ERRORS = {1969, 3024}  # MariaDB max_statement_time, MySQL MAX_EXECUTION_TIME
WRITE_REFUSED = {1792, 1142, 1143, 1227, 1044}  # read-only transaction, command denied, access denied


class NoReader(DaftariError):
    """No read-only account is configured, so analyst questions may not run (never as the app's account)."""


def no_reader(database: str) -> NoReader:
    """The sentence that names the account and grants an administrator creates."""
    tables = ", ".join(f"`{database}`.`{t}`" for t in READABLE)
    return NoReader(
        "Analyst questions run only as a read-only database account, and none is configured. An administrator "
        f"creates it: CREATE USER '{ACCOUNT}'@'%' IDENTIFIED BY 'a long random password'; then one "
        f"GRANT SELECT ON <table> TO '{ACCOUNT}'@'%' for each of {tables} (never users). Then set "
        "MYSQL_READONLY_USER and MYSQL_READONLY_PASSWORD, or [connections.mysql_readonly] in .streamlit/secrets.toml."
    )


def settings() -> config.Settings:
    """The reader account: MYSQL_READONLY_USER/PASSWORD, [connections.mysql_readonly] or the private server's
    own SELECT-only account; NoReader (a sentence naming the grants) when there is none. Questions never fall
    back to the app's account: it may write, and it reads every table."""
    # The C extension (fast at reading many rows; it lets go of the GIL while it waits) with a read timeout.
    base = replace(config.resolve(), read_timeout=READ_TIMEOUT, use_pure=False)
    if os.environ.get("MYSQL_READONLY_USER"):
        return replace(
            base, user=os.environ["MYSQL_READONLY_USER"], password=os.environ.get("MYSQL_READONLY_PASSWORD", "")
        )
    section = config.secrets_section("mysql_readonly")
    if section.get("user"):
        return replace(base, user=section["user"], password=section.get("password", ""))
    if base.embedded:
        return replace(base, user=ACCOUNT, password=config.generated_password(CREDENTIALS_FILE))
    if base.source == "cluster":  # the analysts' reads go to the read endpoint: every synced node, not the writer
        from db import cluster

        return replace(base, port=cluster.READ_PORT, user=ACCOUNT, password=config.generated_password(CREDENTIALS_FILE))
    raise no_reader(base.database)


def ensure_account(admin: config.Settings, database: str) -> None:
    """On the private server, with the admin account: a SELECT-only account on the shop tables of `database`."""
    if not admin.private:
        return
    if not re.fullmatch(r"[A-Za-z0-9_]{1,64}", database):
        raise ValueError("unexpected database name")
    password = config.generated_password(CREDENTIALS_FILE)
    conn = config.connect(admin.without_time_limits(), with_database=False)
    try:
        cur = conn.cursor()
        cur.execute(sql("create_reader_account"), {"password": password})
        cur.execute(sql("set_reader_password"), {"password": password})
        for table in READABLE:
            grant = f"GRANT SELECT ON `{database}`.`{table}` TO '{ACCOUNT}'@'localhost'"
            cur.execute(grant)  # identifiers: a checked database name and a fixed table list
        conn.commit()
    finally:
        conn.close()


_FLAVOUR: dict[tuple, bool] = {}  # server -> is MariaDB; asked once per process, not on every question


def _is_mariadb(conn) -> bool:
    key = (conn.server_host, conn.server_port, conn.unix_socket)
    if key not in _FLAVOUR:
        cur = conn.cursor()
        cur.execute(sql("server_version"))
        _FLAVOUR[key] = "mariadb" in cur.fetchone()[0].lower()
    return _FLAVOUR[key]


def run(shop_id: int, statement: str, params: dict, timeout: float = 5.0) -> pd.DataFrame:
    """A question's SELECT as a DataFrame, in a read-only session that stops after `timeout` seconds."""

    def every_row(cur) -> pd.DataFrame:
        cur.execute(statement, params)
        return pd.DataFrame(cur.fetchall(), columns=cur.column_names)

    return _in_session(shop_id, params, timeout, every_row)


def run_first(
    shop_id: int, statement: str, params: dict, first: int, timeout: float = 5.0
) -> tuple[pd.DataFrame, bool]:
    """(the first `first` rows of a question's answer, whether it has more), from its statement with a LIMIT
    (duka/sqlcheck.first_rows), as run() reads: the server sorts for those rows and sends no more. (A count of the
    rest would cost a second evaluation of the question, as long as the first: the fence and the question's own
    work are most of its time.)"""

    def first_rows(cur) -> tuple[pd.DataFrame, bool]:
        cur.execute(statement, {**params, FIRST_ROWS: first + 1})
        frame = pd.DataFrame(cur.fetchall(), columns=cur.column_names)
        return frame.head(first), len(frame) > first

    return _in_session(shop_id, params, timeout, first_rows)


def _in_session(shop_id: int, params: dict, timeout: float, work: Callable[[Any], T]) -> T:
    """work(cursor) in a read-only session of the reader's account, behind the fences, each statement stopped
    after `timeout` seconds; the reasons it may fail as sentences."""
    if params.get("shop_id") != shop_id:
        raise ValueError("a question always runs for the signed-in shop")
    try:  # the client waits longer than the server's limit, whatever the limit (a download's is a minute)
        conn = config.connect(replace(settings(), read_timeout=max(READ_TIMEOUT, int(timeout) + 5)))
    except DRIVER_ERRORS as raised:
        raise_translated(as_connector_error(raised))
    try:
        cur = conn.cursor()
        if _is_mariadb(conn):
            cur.execute(sql("reader_time_limit_mariadb"), {"seconds": timeout})
            cur.execute(sql("reader_fences_mariadb"))
        else:
            cur.execute(sql("reader_time_limit_mysql"), {"milliseconds": int(timeout * 1000)})
            cur.execute(sql("reader_fences_mysql"))
        cur.execute(sql("reader_read_only"))
        return work(cur)
    except DRIVER_ERRORS as raised:
        exc = as_connector_error(raised)
        if timed_out(exc):  # the server did not answer at all (the connector reuses errno 3024 for this)
            raise_translated(exc)
        if exc.errno in TIMEOUT_ERRORS:
            raise InvalidInput(
                f"This question took longer than {timeout:g} seconds and was stopped. "
                "Try a shorter period or fewer categories."
            ) from None
        if exc.errno in WRITE_REFUSED:
            raise InvalidInput(
                "This question tried to change data or read a table it may not; questions only read the shop's tables."
            ) from None
        raise_translated(exc)
    finally:
        try:
            conn.rollback()
            conn.close()
        except DRIVER_ERRORS:
            pass  # a connection that failed is gone anyway
