"""Migrations: recorded once, safe to run twice, whole files with DELIMITER run by the driver as the mysql
client would, and an applied migration whose file changed stops the runner with a sentence."""

from __future__ import annotations

import shutil
import threading
from dataclasses import replace

import mysql.connector
import pytest

from db import migrate
from db.errors import MigrationError
from support import TEST_DB, admin_connection


def test_migrations_are_recorded_and_safe_to_run_twice(database, raw):
    assert migrate.upgrade(database) == []
    cur = raw.cursor()
    cur.execute("SELECT version, checksum FROM schema_migrations ORDER BY version")
    assert cur.fetchall() == [(m.version, m.checksum) for m in migrate.available()]


def test_the_trigger_files_with_delimiter_lines_made_every_trigger_as_written(raw):
    """The driver ran each file whole, DELIMITER lines included: every trigger is there with its full body."""
    cur = raw.cursor()
    cur.execute(
        "SELECT TRIGGER_NAME, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"
    )
    made = dict(cur.fetchall())
    declared = {
        line.split()[2]
        for m in migrate.available()
        for line in m.text.splitlines()
        if line.startswith("CREATE TRIGGER")
    }
    # 009 re-creates three; 015 adds 38 version triggers; 017 re-creates three (debts_before_insert,
    # debts_before_update, customers_audit_update) and adds 17: write-offs' 3 rules and 1 audit, reminders' 2
    # refusals, reminder templates' 2 audits, and 9 version triggers for the three new tables; 020 adds the book's
    # daily roll-up's 4 (sales and payments, inserted and updated)
    assert set(made) == declared and len(declared) == 84
    assert "No such sale in this shop." in made["payments_before_insert"]  # a SIGNAL deep in a BEGIN … END body


@pytest.fixture
def scratch(database, tmp_path, monkeypatch):
    """A copy of the migration files and a database of its own, so a test may change a file."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, folder)
    monkeypatch.setattr(migrate, "MIGRATIONS", folder)
    settings = replace(database, database=f"{TEST_DB}_migrate")
    yield settings, folder
    conn = admin_connection(with_database=False)
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{settings.database}`")
    conn.close()


def test_an_applied_migration_whose_file_changed_stops_the_runner(scratch):
    settings, folder = scratch
    assert migrate.upgrade(settings)[-1] == migrate.available()[-1].version
    changed = folder / "003_expenses.sql"
    changed.write_text(changed.read_text() + "\n-- a late edit\n")
    (folder / "999_later.sql").write_text("CREATE TABLE later (id INT PRIMARY KEY);\n")
    with pytest.raises(MigrationError, match=r"003_expenses\.sql changed after it was applied"):
        migrate.upgrade(settings)
    states = {version: state for version, _, state in migrate.status(settings)}
    assert states["003"].startswith("CHANGED since applied")
    assert states["999"] == "pending"  # nothing was applied after the refusal
    assert states["001"].startswith("applied")


def test_a_migration_that_fails_names_its_file_and_is_not_recorded(scratch):
    settings, folder = scratch
    migrate.upgrade(settings)
    (folder / "998_broken.sql").write_text("CREATE TABLE fine (id INT PRIMARY KEY);\nSELECT * FROM no_such_table;\n")
    with pytest.raises(MigrationError, match=r"998_broken\.sql failed: .*no_such_table"):
        migrate.upgrade(settings)
    assert dict((v, s) for v, _, s in migrate.status(settings))["998"] == "pending"


# --- the lock is a row, so it holds across a cluster's nodes (issue 13: GET_LOCK is per node) ---------------


def test_two_upgrades_at_once_take_turns_and_apply_each_migration_once(scratch):
    settings, _ = scratch
    results, errors = [], []

    def run() -> None:
        try:
            results.append(migrate.upgrade(settings))
        except Exception as exc:  # noqa: BLE001 (any failure of either run is the finding)
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert sorted(len(r) for r in results) == [0, len(migrate.available())]  # one applied all, the other none
    assert all(state.startswith("applied") for _, _, state in migrate.status(settings))
    assert _lock_rows(settings) == []


def _lock_rows(settings) -> list:
    conn = mysql.connector.connect(**settings.connect_args())
    cur = conn.cursor()
    cur.execute("SELECT holder, taken_at FROM schema_lock")
    rows = cur.fetchall()
    conn.close()
    return rows


def _hold(settings, minutes_ago: int) -> None:
    conn = mysql.connector.connect(**settings.connect_args())
    cur = conn.cursor()
    cur.execute(
        "CREATE TABLE IF NOT EXISTS schema_lock (name VARCHAR(20) PRIMARY KEY, holder VARCHAR(100) NOT NULL, "
        "taken_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)"
    )
    cur.execute(
        "INSERT INTO schema_lock (name, holder, taken_at) VALUES ('migrate', 'node2:4242:abcd', "
        "NOW() - INTERVAL %s MINUTE)",
        (minutes_ago,),
    )
    conn.commit()
    conn.close()


def test_a_lock_another_run_holds_is_waited_for_then_named_in_a_sentence(scratch, monkeypatch):
    settings, _ = scratch
    migrate.ensure_database(settings)
    _hold(settings, minutes_ago=1)
    monkeypatch.setattr(migrate, "LOCK_WAIT", 1.0)
    with pytest.raises(MigrationError, match=r"Another upgrade \(node2:4242:abcd\) holds the migration lock since"):
        migrate.upgrade(settings)
    assert all(state == "pending" for _, _, state in migrate.status(settings))


def test_a_lock_left_by_a_run_that_died_is_taken_over(scratch):
    settings, _ = scratch
    migrate.ensure_database(settings)
    _hold(settings, minutes_ago=120)
    assert migrate.upgrade(settings) == [m.version for m in migrate.available()]
    assert _lock_rows(settings) == []


def _hold_as(settings, connection_alive: bool):
    """A lock row naming this server and a connection of it: one that is still open, or one that has closed (the
    run died with it, as when the cluster node it ran through was cut off). Returns the open connection."""
    holder_conn = mysql.connector.connect(**settings.connect_args())
    cur = holder_conn.cursor()
    cur.execute("SELECT CONCAT(@@port, '/', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '/', @@hostname), CONNECTION_ID()")
    node, connection = cur.fetchone()
    if not connection_alive:
        holder_conn.close()
    conn = mysql.connector.connect(**settings.connect_args())
    cur = conn.cursor()
    cur.execute(
        "CREATE TABLE IF NOT EXISTS schema_lock (name VARCHAR(20) PRIMARY KEY, holder VARCHAR(100) NOT NULL, "
        "taken_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)"
    )
    cur.execute(
        "INSERT INTO schema_lock (name, holder) VALUES ('migrate', %s)", (f"app:13:abcd@{node[:40]}#{connection}",)
    )
    conn.commit()
    conn.close()
    return holder_conn


def test_a_lock_whose_holders_connection_is_gone_is_taken_over_at_once(scratch, monkeypatch):
    """A run that died with its connection (its node restarted under it) does not make the next wait 30 minutes."""
    settings, _ = scratch
    migrate.ensure_database(settings)
    _hold_as(settings, connection_alive=False)
    monkeypatch.setattr(migrate, "LOCK_WAIT", 5.0)
    assert migrate.upgrade(settings) == [m.version for m in migrate.available()]
    assert _lock_rows(settings) == []


def test_a_lock_whose_holders_connection_is_open_is_waited_for(scratch, monkeypatch):
    settings, _ = scratch
    migrate.ensure_database(settings)
    holder = _hold_as(settings, connection_alive=True)
    monkeypatch.setattr(migrate, "LOCK_WAIT", 1.0)
    try:
        with pytest.raises(MigrationError, match=r"Another upgrade \(app:13:abcd@.*\) holds the migration lock"):
            migrate.upgrade(settings)
    finally:
        holder.close()
