"""The private server's accounts: the app's own ('daftari_app'@'localhost': SELECT, INSERT, UPDATE, DELETE
on the app's database and nothing else) beside the analysts' reader (db/reader.py); grants taken back when
a database goes. Run with the admin account (config.admin_settings()). On an external server the operator
creates the accounts (README: "Accounts on your own server")."""

from __future__ import annotations

import os
import re

from db import config, reader
from db.sqlfiles import sql

APP = f"'{config.APP_ACCOUNT}'@'localhost'"
READER = f"'{reader.ACCOUNT}'@'localhost'"
# Database-wide, so tables added by later migrations are covered. No FILE, PROCESS, SUPER or GRANT OPTION,
# nothing on *.*: what the web app does is read and write rows.
APP_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
_TEST_DB = re.compile(r"daftari_test_(\d+)(_[A-Za-z0-9_]+)?")  # a run's database, and its others (_demo, ...)


def _checked(database: str) -> str:
    if not _NAME.fullmatch(database):
        raise ValueError(f"unexpected database name {database!r}")
    return database


def _connect(admin: config.Settings):
    return config.connect(admin.without_time_limits(), with_database=False)


def ensure(admin: config.Settings, database: str) -> None:
    """On the private server: the app account with its password from app.cnf and its grants on `database`,
    the reader account, and no grants left on test databases that are gone."""
    if not admin.private:
        return
    name = _checked(database)
    password = config.generated_password("app.cnf")
    conn = _connect(admin)
    try:
        cur = conn.cursor()
        cur.execute(sql("create_app_account"), {"password": password})
        cur.execute(sql("set_app_password"), {"password": password})
        grant = f"GRANT {APP_PRIVILEGES} ON `{name}`.* TO {APP}"
        cur.execute(grant)  # identifiers cannot be bound: a checked database name and fixed privileges
        conn.commit()
    finally:
        conn.close()
    reader.ensure_account(admin, name)
    forget_gone_test_databases(admin)


def forget_database(admin: config.Settings, database: str) -> int:
    """Take back every grant the app and reader accounts hold on `database` (before or after dropping it:
    MariaDB keeps grants on a dropped database, and a new one of the same name would inherit them).
    Returns how many grants were taken back."""
    name = _checked(database)
    conn = _connect(admin)
    try:
        cur = conn.cursor(dictionary=True)
        cur.execute(sql("grants_on_database"), {"database": name, "app": APP, "reader": READER})
        held = cur.fetchall()
        for grant in held:
            grantee = APP if grant["grantee"] == APP else READER
            target = f"`{name}`.*" if grant["table_name"] is None else f"`{name}`.`{_checked(grant['table_name'])}`"
            revoke = f"REVOKE ALL PRIVILEGES ON {target} FROM {grantee}"
            cur.execute(revoke)  # identifiers cannot be bound: checked names only
        conn.commit()
        return len(held)
    finally:
        conn.close()


def test_run_of(database: str) -> int | None:
    """The process id of the test run a database belongs to (daftari_test_<pid>, daftari_test_<pid>_demo…)."""
    match = _TEST_DB.fullmatch(database)
    return int(match.group(1)) if match else None


def forget_gone_test_databases(admin: config.Settings, finished: int | None = None) -> list[str]:
    """Grants left on test databases that are gone and whose test run has ended (or is `finished`: a run
    cleaning up after itself); a live run's database, even if dropped a moment ago, is left alone (it may be
    about to make it anew). Returns the databases whose grants were taken back."""
    conn = _connect(admin)
    try:
        cur = conn.cursor(dictionary=True)
        cur.execute(sql("granted_test_databases_gone"), {"app": APP, "reader": READER})
        gone = [row["name"] for row in cur.fetchall()]
    finally:
        conn.close()
    forgotten = []
    for name in gone:
        run = test_run_of(name)
        if run is not None and (run == finished or not process_alive(run)):
            forget_database(admin, name)
            forgotten.append(name)
    return forgotten


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (the private server is local: so are its tests)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
