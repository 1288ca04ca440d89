"""Versioned migrations: sql/migrations/NNN_name.sql, applied in order, recorded with their checksum."""

from __future__ import annotations

import hashlib
import os
import re
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from db import config
from db.errors import DEADLOCK, DRIVER_ERRORS, DUPLICATE_KEY, MigrationError, as_connector_error
from db.sqlfiles import sql

MIGRATIONS = Path(__file__).resolve().parent.parent / "sql" / "migrations"
_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
_DB_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")
TRIGGERS_REFUSED = 1419
LOCK_WAIT = 120.0  # seconds a run waits for another to finish
STALE_SECONDS = 1800  # a lock row older than this was left by a run that died (no migration here takes so long)

NEEDS_TRUST = (
    "Creating Daftari's triggers was refused (error 1419): this server logs binary updates and the "
    "account lacks SUPER. Ask an administrator to run  SET GLOBAL log_bin_trust_function_creators = 1;  "
    "(or set log_bin_trust_function_creators=1 in my.cnf), then run  python -m db upgrade  again."
)


@dataclass(frozen=True)
class Migration:
    """One file of sql/migrations/."""

    version: str
    name: str
    path: Path

    @property
    def text(self) -> str:
        """The file as the mysql client would read it (DELIMITER lines included)."""
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        """SHA-256 of the text; an applied migration's file must keep it."""
        return hashlib.sha256(self.text.encode()).hexdigest()


def available() -> list[Migration]:
    """Every migration file, in order; a badly named file is an error."""
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        match = _FILE.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named NNN_name.sql")
        found.append(Migration(match.group(1), match.group(2), path))
    return found


def _connect(settings: config.Settings, with_database: bool = True):
    return config.connect(settings, with_database=with_database)


def _run(cur, query: str, **params) -> list:
    cur.execute(sql(query), params)
    return cur.fetchall() if cur.with_rows else []


def ensure_database(settings: config.Settings) -> None:
    """Create the configured database if it is not there (utf8mb4, unicode collation)."""
    if not _DB_NAME.match(settings.database):
        raise MigrationError(f"Database name {settings.database!r} must be letters, digits and _ only.")
    conn = _connect(settings, with_database=False)
    try:
        # An identifier cannot be a bound parameter; the name was checked against _DB_NAME above.
        conn.cursor().execute(
            f"CREATE DATABASE IF NOT EXISTS `{settings.database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
    finally:
        conn.close()


def _applied(cur) -> dict[str, dict]:
    _run(cur, "create_schema_migrations")
    return {row["version"]: row for row in _run(cur, "applied_migrations")}


def changed(files: list[Migration], done: dict[str, dict]) -> list[str]:
    """Sentences naming each applied migration whose file changed or went missing since it was applied."""
    problems = []
    by_version = {m.version: m for m in files}
    for version, row in done.items():
        migration = by_version.get(version)
        if migration is None:
            problems.append(f"{version}_{row['name']}.sql was applied on {row['applied_at']} but its file is gone")
        elif migration.checksum != row["checksum"]:
            problems.append(f"{migration.path.name} changed after it was applied on {row['applied_at']}")
    return problems


def _apply(cur, migration: Migration) -> None:
    """The whole file in one execute(): the driver reads DELIMITER lines the way the mysql client does."""
    try:
        cur.execute(migration.text)
        while True:
            if cur.with_rows:
                cur.fetchall()
            if not cur.nextset():
                break
    except DRIVER_ERRORS as raised:
        exc = as_connector_error(raised)
        if exc.errno == TRIGGERS_REFUSED:
            raise MigrationError(NEEDS_TRUST) from raised
        raise MigrationError(f"{migration.path.name} failed: {exc.msg}") from raised


def upgrade(settings: config.Settings | None = None) -> list[str]:
    """Apply pending migrations; returns the versions applied. Safe to run twice or in parallel.

    Refused, with nothing applied, when an applied migration's file has changed: a change to the schema
    goes in a new file, so that every database that ran the old one gets it too.
    """
    settings = settings or config.admin_settings()
    ensure_database(settings)
    conn = _connect(settings)
    newly = []
    try:
        cur = conn.cursor(dictionary=True)
        holder = _take_lock(conn, cur)
        try:
            files, done = available(), _applied(cur)
            if problems := changed(files, done):
                raise MigrationError(
                    "The schema was not changed, because "
                    + "; ".join(problems)
                    + ". Restore the file (git checkout -- sql/migrations/) and put the change in a new migration."
                )
            for migration in files:
                if migration.version in done:
                    continue
                _apply(cur, migration)
                _run(
                    cur, "record_migration", version=migration.version, name=migration.name, checksum=migration.checksum
                )
                conn.commit()
                newly.append(migration.version)
        finally:
            conn.rollback()
            _run(cur, "release_schema_lock", holder=holder)
            conn.commit()
    finally:
        conn.close()
    return newly


def _take_lock(conn, cur, wait: float | None = None) -> str:
    """Hold the migration lock, a row of schema_lock: a row is replicated, so two runs on two nodes of a Galera
    cluster take turns, where GET_LOCK would let both in (one per node). Waits up to `wait` seconds (LOCK_WAIT);
    a row older than STALE_SECONDS was left by a run that died and is taken over. The holder's name, to release."""
    _run(cur, "create_schema_lock")
    me = _run(cur, "schema_lock_session")[0]  # this run's server and connection: see _holder_is_gone
    holder = f"{socket.gethostname()[:16]}:{os.getpid()}:{uuid.uuid4().hex[:6]}@{me['node'][:40]}#{me['connection']}"
    deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
    while True:
        try:
            _run(cur, "take_schema_lock", holder=holder)
            conn.commit()  # on a cluster, a conflict with another node's row is reported here (1213)
            return holder
        except DRIVER_ERRORS as raised:
            conn.rollback()
            exc = as_connector_error(raised)
            if exc.errno not in (DUPLICATE_KEY, DEADLOCK):
                raise
        found = _run(cur, "schema_lock_holder", stale_seconds=STALE_SECONDS)
        conn.commit()
        if found and found[0]["stale"]:
            _run(cur, "break_stale_schema_lock", holder=found[0]["holder"], stale_seconds=STALE_SECONDS)
            conn.commit()
            continue
        if found and _holder_is_gone(cur, found[0]["holder"], me["node"]):
            _run(cur, "release_schema_lock", holder=found[0]["holder"])  # only that row: a new holder's stays
            conn.commit()
            continue
        if time.monotonic() > deadline:
            since = f" since {found[0]['taken_at']}" if found else ""
            raise MigrationError(
                f"Another upgrade ({found[0]['holder'] if found else 'unknown'}) holds the migration lock{since}. "
                "Wait for it to finish; if none is running, delete the row: DELETE FROM schema_lock."
            )
        time.sleep(0.2)


def _holder_is_gone(cur, holder: str, node: str) -> bool:
    """Whether the run holding the lock is known to have died: it worked on this same server (on a cluster, this
    node) with this same account, and its connection is no longer there, as when the node it ran through
    restarted under it. A holder elsewhere cannot be seen from here: its row is taken over when STALE_SECONDS old."""
    where, _, connection = holder.rpartition("@")[2].rpartition("#")
    if not where or where != node[:40] or not connection.isdigit():
        return False
    return not _run(cur, "connection_alive", connection=int(connection))


def status(settings: config.Settings | None = None) -> list[tuple[str, str, str]]:
    """(version, name, state) for every migration: 'applied <when>', 'CHANGED since applied <when>' or 'pending'."""
    settings = settings or config.admin_settings()
    ensure_database(settings)
    conn = _connect(settings)
    try:
        done = _applied(conn.cursor(dictionary=True))
    finally:
        conn.close()
    states = []
    for m in available():
        row = done.get(m.version)
        if row is None:
            states.append((m.version, m.name, "pending"))
        elif row["checksum"] != m.checksum:
            states.append((m.version, m.name, f"CHANGED since applied {row['applied_at']}"))
        else:
            states.append((m.version, m.name, f"applied {row['applied_at']}"))
    known = {m.version for m in available()}
    states += [(v, row["name"], f"FILE GONE, applied {row['applied_at']}") for v, row in done.items() if v not in known]
    return states
