"""Least privilege on the private server: the app connects as its own account, which reads and writes rows of
its own database and can do nothing else — no files, no other database, no accounts, no server settings; the
analysts' reader keeps no grants on a database that is gone."""

from __future__ import annotations

import os
import stat
from dataclasses import replace

import mysql.connector
import pytest

import db
from db import accounts, config, migrate, reader
from db.sqlfiles import sql
from support import TEST_DB, admin_connection

ACCESS_DENIED = {1044, 1045, 1142, 1143, 1227, 1370}  # database, user, table, column, global privilege, routine


def refused(statement: str, params: tuple = ()) -> int:
    """Run a statement on the app's own pooled connection; the error number it was refused with."""
    with db.connection() as conn:
        cur = conn.cursor()
        with pytest.raises(mysql.connector.Error) as raised:
            cur.execute(statement, params)
            if cur.with_rows:
                cur.fetchall()
        conn.rollback()
    return raised.value.errno


def one(statement: str, params: tuple = ()):
    with db.connection() as conn:
        cur = conn.cursor()
        cur.execute(statement, params)
        found = cur.fetchone()
        conn.rollback()
    return found


def grants_of(account: str, host: str = "localhost") -> list[str]:
    conn = admin_connection()
    try:
        cur = conn.cursor()
        cur.execute(f"SHOW GRANTS FOR '{account}'@'{host}'")
        return [row[0] for row in cur.fetchall()]
    finally:
        conn.close()


def test_the_app_connects_as_its_own_account_not_root():
    assert config.resolve().user == config.APP_ACCOUNT == "daftari_app"
    assert one("SELECT CURRENT_USER()")[0] == "daftari_app@localhost"


def test_the_app_account_holds_select_insert_update_delete_on_its_database_and_nothing_else():
    found = grants_of("daftari_app")
    on_everything = [g for g in found if " ON *.* " in g]
    assert len(on_everything) == 1 and on_everything[0].startswith("GRANT USAGE ON *.*")  # i.e. nothing
    assert f"GRANT SELECT, INSERT, UPDATE, DELETE ON `{TEST_DB}`.* TO `daftari_app`@`localhost`" in found
    assert not any("GRANT OPTION" in g or "ALL PRIVILEGES" in g for g in found)


def test_the_app_accounts_password_lives_in_a_file_only_its_owner_can_read():
    path = config.data_dir() / "app.cnf"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.data_dir().stat().st_mode) == 0o700
    assert config.resolve().password == path.read_text().strip() and len(path.read_text().strip()) >= 24


def test_the_app_account_cannot_write_a_file_on_the_server(tmp_path):
    target = tmp_path / "stolen.txt"
    assert refused("SELECT phone, password_hash FROM users INTO OUTFILE %s", (str(target),)) in ACCESS_DENIED
    assert not target.exists()


def test_the_app_account_cannot_read_a_file_on_the_server():
    assert os.path.exists("/etc/passwd")
    assert one("SELECT LOAD_FILE('/etc/passwd')")[0] is None  # no FILE privilege: NULL, not the file
    assert one("SELECT LOAD_FILE(%s)", (str(config.data_dir() / "app.cnf"),))[0] is None


def test_the_app_account_cannot_read_the_servers_accounts():
    assert refused("SELECT user, host, password FROM mysql.user") in ACCESS_DENIED
    assert refused("SELECT * FROM mysql.global_priv") in ACCESS_DENIED


@pytest.fixture
def other_database():
    """A database beside the app's that the app has no business in."""
    name = f"{TEST_DB}_other"
    conn = admin_connection(with_database=False)
    cur = conn.cursor()
    cur.execute(f"CREATE DATABASE `{name}`")
    cur.execute(f"CREATE TABLE `{name}`.secrets (id INT PRIMARY KEY, secret VARCHAR(20))")
    cur.execute(f"INSERT INTO `{name}`.secrets VALUES (1, 'not yours')")
    conn.commit()
    yield name
    cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    conn.close()


def test_the_app_account_cannot_touch_another_database(other_database):
    assert refused(f"SELECT * FROM `{other_database}`.secrets") in ACCESS_DENIED
    assert refused(f"INSERT INTO `{other_database}`.secrets VALUES (2, 'mine')") in ACCESS_DENIED
    assert refused(f"DROP TABLE `{other_database}`.secrets") in ACCESS_DENIED
    assert refused(f"USE `{other_database}`") in ACCESS_DENIED
    assert refused("CREATE DATABASE daftari_app_made_this") in ACCESS_DENIED


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE app_made_this (id INT)",
        "DROP TABLE expenses",
        "TRUNCATE TABLE audit_log",
        "ALTER TABLE users ADD COLUMN x INT",
        "DROP TRIGGER payments_before_insert",
        "CREATE USER 'intruder'@'%' IDENTIFIED BY 'pw'",
        f"GRANT SELECT ON `{TEST_DB}`.* TO 'daftari_reader'@'localhost'",
        "SET GLOBAL max_connections = 1",
        "SHUTDOWN",
    ],
)
def test_the_app_account_cannot_change_the_schema_accounts_or_the_server(statement):
    assert refused(statement) in ACCESS_DENIED


def test_the_app_account_cannot_kill_another_accounts_connection():
    other = admin_connection()
    try:
        assert refused("KILL %s", (other.connection_id,)) == 1095  # not the owner of that thread
        other.ping()
    finally:
        other.close()


def test_the_app_account_sees_only_its_own_connections():
    with db.connection() as conn:
        cur = conn.cursor(dictionary=True)
        cur.execute("SHOW FULL PROCESSLIST")  # without PROCESS: only this account's own threads
        users = {row["User"] for row in cur.fetchall()}
        conn.rollback()
    assert users == {"daftari_app"}


def test_the_app_account_never_loads_a_local_file(tmp_path):
    """LOAD DATA LOCAL is only for db/bulk.py's own connection; the app pool's connections refuse it."""
    path = tmp_path / "rows.tsv"
    path.write_text("1\tx\n")
    assert refused(sql("load_customers"), {"path": str(path)}) in {2068, 1148, 3948, 4166}


def test_migrations_run_with_the_admin_account():
    assert config.admin_settings().user == "root" and config.admin_settings().private  # the cluster's too
    assert migrate.status() and all(state.startswith("applied") for _, _, state in migrate.status())


def test_a_dropped_database_keeps_no_grants_of_either_account():
    name = f"{TEST_DB}_gone"
    admin = config.admin_settings()
    conn = admin_connection(with_database=False)
    cur = conn.cursor()
    try:
        cur.execute(f"CREATE DATABASE `{name}`")
        migrate.upgrade(replace(admin, database=name))
        accounts.ensure(admin, name)
        assert _grants_on(name) == {"daftari_app": 1, "daftari_reader": len(reader.READABLE)}
        cur.execute(f"DROP DATABASE `{name}`")
        assert _grants_on(name) != {}  # MariaDB keeps them on a dropped database...
        accounts.forget_database(admin, name)
        assert _grants_on(name) == {}  # ...until they are taken back, as the test fixture does at the end
    finally:
        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        accounts.forget_database(admin, name)
        conn.close()


def test_grants_left_by_a_test_run_that_died_are_taken_back_but_not_a_live_runs():
    """A test process killed before its clean-up leaves grants on daftari_test_<its pid>; the next start takes
    them back. A live run's database (its process still running) is left alone even while it is dropped."""
    admin = config.admin_settings()
    dead = "daftari_test_99999999"  # above any pid_max: no such process can exist
    live = f"daftari_test_{os.getppid()}"  # the process that started this test run is alive
    conn = admin_connection(with_database=False)
    cur = conn.cursor()
    try:
        for name in (dead, live):
            cur.execute(f"CREATE DATABASE `{name}`")
            cur.execute(f"CREATE TABLE `{name}`.shops (id INT PRIMARY KEY)")
            cur.execute(f"GRANT SELECT ON `{name}`.`shops` TO 'daftari_reader'@'localhost'")
            cur.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON `{name}`.* TO 'daftari_app'@'localhost'")
            cur.execute(f"DROP DATABASE `{name}`")
        forgotten = accounts.forget_gone_test_databases(admin)
        assert dead in forgotten and live not in forgotten
        assert _grants_on(dead) == {} and _grants_on(live) == {"daftari_app": 1, "daftari_reader": 1}
    finally:
        for name in (dead, live):
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
            accounts.forget_database(admin, name)
        conn.close()


def test_no_grants_are_left_on_test_databases_that_are_gone_and_whose_run_has_ended():
    conn = admin_connection(with_database=False)
    cur = conn.cursor()
    cur.execute(sql("granted_test_databases_gone"), {"app": accounts.APP, "reader": accounts.READER})
    gone = [row[0] for row in cur.fetchall()]
    conn.close()
    assert all(accounts.process_alive(accounts.test_run_of(name)) for name in gone), gone


def _grants_on(database: str) -> dict[str, int]:
    conn = admin_connection(with_database=False)
    cur = conn.cursor()
    cur.execute(sql("grants_on_database"), {"database": database, "app": accounts.APP, "reader": accounts.READER})
    counts: dict[str, int] = {}
    for grantee, _table in cur.fetchall():
        name = grantee.split("'")[1]
        counts[name] = counts.get(name, 0) + 1
    conn.close()
    return counts
