"""Versioned migrations: sql/migrations/NNN_name.sql, applied in order, recorded in schema_migrations."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import mysql.connector

from db import config
from db.errors import MigrationError

MIGRATIONS = Path(__file__).resolve().parent.parent / "sql" / "migrations"
_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
_DB_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")

NEEDS_TRUST = (
    "Creating Daftari's triggers was refused (error 1419): this server logs binary updates and the "
    "account lacks SUPER. Ask an administrator to run  SET GLOBAL log_bin_trust_function_creators = 1;  "
    "(or set log_bin_trust_function_creators=1 in my.cnf), then run  python -m db upgrade  again."
)


def split_statements(text: str) -> list[str]:
    """Statements of a file, honouring DELIMITER lines the way the mysql client does."""
    statements, current, delimiter = [], [], ";"
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.upper().startswith("DELIMITER "):
            delimiter = stripped.split(None, 1)[1]
            continue
        if not current and (not stripped or stripped.startswith("--")):
            continue
        current.append(line)
        if stripped.endswith(delimiter):
            statement = "\n".join(current).rstrip()[: -len(delimiter)].strip()
            if statement:
                statements.append(statement)
            current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current).strip())
    return statements


def available() -> list[tuple[str, str, Path]]:
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        match = _FILE.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named NNN_name.sql")
        found.append((match.group(1), match.group(2), path))
    return found


def _connect(settings: config.Settings, with_database: bool = True):
    return mysql.connector.connect(**settings.connect_args(with_database=with_database))


def ensure_database(settings: config.Settings) -> None:
    if not _DB_NAME.match(settings.database):
        raise MigrationError(f"Database name {settings.database!r} must be letters, digits and _ only.")
    conn = _connect(settings, with_database=False)
    try:
        # An identifier cannot be a bound parameter; the name was checked against _DB_NAME above.
        conn.cursor().execute(
            f"CREATE DATABASE IF NOT EXISTS `{settings.database}` "
            "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    finally:
        conn.close()


def applied(settings: config.Settings) -> dict[str, dict]:
    conn = _connect(settings)
    try:
        cur = conn.cursor(dictionary=True)
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version CHAR(3) PRIMARY KEY, name VARCHAR(100) NOT NULL, checksum CHAR(64) NOT NULL,"
            " applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)")
        cur.execute("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
        return {row["version"]: row for row in cur.fetchall()}
    finally:
        conn.close()


def upgrade(settings: config.Settings | None = None) -> list[str]:
    """Apply pending migrations; returns the versions applied. Safe to run twice or in parallel."""
    settings = settings or config.resolve()
    ensure_database(settings)
    conn = _connect(settings)
    newly = []
    try:
        cur = conn.cursor()
        cur.execute("SELECT GET_LOCK('daftari_migrate', 60)")
        cur.fetchall()
        done = applied(settings)
        for version, name, path in available():
            text = path.read_text(encoding="utf-8")
            checksum = hashlib.sha256(text.encode()).hexdigest()
            if version in done:
                continue
            for statement in split_statements(text):
                try:
                    cur.execute(statement)
                    if cur.with_rows:
                        cur.fetchall()
                except mysql.connector.Error as exc:
                    if exc.errno == 1419:
                        raise MigrationError(NEEDS_TRUST) from exc
                    raise MigrationError(f"{path.name} failed: {exc.msg}\n--- statement ---\n{statement}") from exc
            cur.execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                        (version, name, checksum))
            conn.commit()
            newly.append(version)
        cur.execute("SELECT RELEASE_LOCK('daftari_migrate')")
        cur.fetchall()
    finally:
        conn.close()
    return newly


def status(settings: config.Settings | None = None) -> list[tuple[str, str, str]]:
    """(version, name, 'applied <when>' or 'pending') for every migration file."""
    settings = settings or config.resolve()
    ensure_database(settings)
    done = applied(settings)
    return [(v, n, f"applied {done[v]['applied_at']}" if v in done else "pending")
            for v, n, _ in available()]
