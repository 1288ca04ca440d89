"""Backups of the app database: a consistent gzip dump made by mariadb-dump, and its restore into an empty database.

    python -m db.backup backup [FILE] [--database NAME]
    python -m db.backup restore FILE [--database NAME] [--force]

Both use the admin account (config.admin_settings()); its password reaches the client tools through an option
file only this user can read, never the command line or the environment.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import mysql.connector

from db import config, migrate, server
from db.errors import DRIVER_ERRORS, DaftariError, as_connector_error, translate
from db.sqlfiles import sql

BACKUPS = config.ROOT / "backups"
TOOL_DIRS = ("/usr/bin", "/usr/local/bin", "/usr/local/mysql/bin", "/opt/homebrew/bin")
CHUNK = 1 << 20  # read size when checking a file
_DB_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")
TRIGGERS_REFUSED = 1419  # binary logging on, and the account has no SUPER
CANNOT_CREATE = {1044, 1142, 1227}  # no TRIGGER/CREATE privilege here, or a DEFINER it may not name
# A dump starts with one of these (MariaDB 10.11.8+ puts its sandbox line first) and ends with the date line.
DUMP_HEADS = (b"/*M!999999\\- enable the sandbox mode */", b"-- MariaDB dump", b"-- MySQL dump")
DUMP_TAIL = b"-- Dump completed"
_BINLOG_AT = re.compile(rb"CHANGE MASTER TO MASTER_LOG_FILE='([^']+)', MASTER_LOG_POS=(\d+)")
_CALLS = re.compile(rb"\bCALL\s+`?(\w+)`?\s*\(", re.I)  # in a trigger's body
_ROUTINE = re.compile(rb"\bCREATE\b.*\b(?:PROCEDURE|FUNCTION)\s+`(\w+)`")  # a routine the dump makes
# DEFINER=`user`@`host` in a trigger, routine, view or event header: as a comment of its own (triggers, events)
# or inside one (views, routines). Only statement lines are filtered, never a line of data.
_DEFINER = re.compile(
    rb"/\*!\d{5} DEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*`\s*\*/ ?|DEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*` ?"
)
_DEFINER_LINES = (b"/*!50003 CREATE*/", b"/*!50106 CREATE*/", b"/*!50013 DEFINER", b"CREATE DEFINER")

NEEDS_TRUST = (
    "The restore was stopped before loading anything: this server keeps binary logs and the account {user!r} "
    "lacks SUPER, so it may not create Daftari's triggers (error 1419). Ask an administrator to run  "
    "SET GLOBAL log_bin_trust_function_creators = 1;  (or set log_bin_trust_function_creators=1 in my.cnf), "
    "or restore with an account that has SUPER (MYSQL_ADMIN_USER / [connections.mysql_admin]), then run it again."
)


class BackupError(DaftariError):
    """A backup or restore could not be done; the sentence says why and what to do."""


@dataclass(frozen=True)
class Backup:
    """A finished dump: where it is, its size, how long it took, and the binary log position it starts at."""

    path: Path
    size: int
    seconds: float
    binlog_position: tuple[str, int] | None


@dataclass(frozen=True)
class Restored:
    """A finished restore: into which database, what it now holds, how long it took."""

    database: str
    tables: int
    triggers: int
    routines: int
    seconds: float


# --- the client tools and their option file ---------------------------------------------------------


def tool(*names: str) -> str:
    """The first of these programs on PATH or in the usual folders; installs mariadb-client with apt if none is."""
    search = os.pathsep.join([os.environ.get("PATH", ""), *TOOL_DIRS])
    for attempt in range(2):
        for name in names:
            if found := shutil.which(name, path=search):
                return found
        if attempt == 0:
            _install_client()
    raise BackupError(f"{names[0]} is not installed. Install mariadb-client (or mysql-client) and try again.")


def _install_client() -> None:
    if not shutil.which("apt-get"):
        return
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if prefix and not (shutil.which("sudo") and subprocess.run([*prefix, "true"], capture_output=True).returncode == 0):
        return
    print("Installing mariadb-client with apt (one time)...", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "mariadb-client"]):
        if subprocess.run(prefix + cmd, env=env).returncode != 0:
            return


def _option_value(value: str) -> str:
    """A value for an option file: quoted, backslashes escaped (a # or space inside is then no comment)."""
    if "\n" in value or ("'" in value and '"' in value):
        raise BackupError(
            "The admin password holds a line break or both kinds of quote; the client tools cannot read it."
        )
    quote = "'" if '"' in value else '"'
    return quote + value.replace("\\", "\\\\") + quote


@contextmanager
def option_file(settings: config.Settings) -> Iterator[str]:
    """A [client] option file readable by this user only, removed afterwards (--defaults-file: nothing else read)."""
    lines = ["[client]", f"user={_option_value(settings.user)}", f"password={_option_value(settings.password)}"]
    if settings.unix_socket:
        lines.append(f"socket={_option_value(settings.unix_socket)}")
    else:
        lines += [f"host={_option_value(settings.host or '127.0.0.1')}", f"port={settings.port}", "protocol=tcp"]
    lines.append("default-character-set=utf8mb4")
    fd, path = tempfile.mkstemp(prefix="daftari-", suffix=".cnf")  # created 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        yield path
    finally:
        os.unlink(path)


def admin(database: str | None = None) -> config.Settings:
    """The admin account on the configured server (started if it is the private one), for this database."""
    settings = config.admin_settings()
    if settings.embedded:
        server.start()
    return replace(settings, database=database) if database else settings


def _connect(settings: config.Settings, with_database: bool = True):
    try:
        return config.connect(settings, with_database=with_database)
    except DRIVER_ERRORS as exc:
        raise _sentence(as_connector_error(exc), settings) from None


def _sentence(exc: mysql.connector.Error, settings: config.Settings) -> Exception:
    translated = translate(exc)
    if translated is not exc:
        return BackupError(f"{translated} (database {settings.database!r}, account {settings.user!r}: {exc.msg})")
    return BackupError(f"The server refused: {exc.msg} (error {exc.errno}).")


def _one(settings: config.Settings, query: str, with_database: bool = False, **params) -> list[dict]:
    conn = _connect(settings, with_database)
    try:
        cur = conn.cursor(dictionary=True)
        cur.execute(sql(query), params)
        return cur.fetchall()
    except DRIVER_ERRORS as exc:
        raise _sentence(as_connector_error(exc), settings) from None
    finally:
        conn.close()


# --- backup -----------------------------------------------------------------------------------------


def default_path(database: str, now: datetime | None = None) -> Path:
    """backups/daftari-<database>-<UTC time>.sql.gz"""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return BACKUPS / f"daftari-{database}-{moment:%Y%m%dT%H%M%SZ}.sql.gz"


def backup(target: Path | None = None, settings: config.Settings | None = None) -> Backup:
    """Dump the database in one transaction (triggers and routines included), gzip it into target (mode 0600)."""
    settings = settings or admin()
    started = time.perf_counter()
    if target is None:
        BACKUPS.mkdir(mode=0o700, exist_ok=True)
        target = default_path(settings.database)
    target = Path(target)
    if target.suffix != ".gz":
        target = target.with_name(target.name + ".gz")
    if target.exists():
        raise BackupError(f"{target} already exists; choose another file name (a backup never overwrites one).")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    if not _one(settings, "tables_of_database", database=settings.database):
        raise BackupError(f"The database {settings.database!r} holds no tables: there is nothing to back up.")
    binlog = bool(_one(settings, "binary_logging")[0]["log_bin"])
    args = [
        tool("mariadb-dump", "mysqldump"),
        "--single-transaction",  # one consistent snapshot, no locks held on InnoDB tables
        "--routines",
        "--triggers",
        "--hex-blob",
        "--skip-add-locks",  # restoring then needs no LOCK TABLES privilege
        "--no-tablespaces",
        "--default-character-set=utf8mb4",
        *(["--master-data=2"] if binlog else []),  # the binary log position, as a comment, for replay
        settings.database,
    ]
    partial = target.with_name(f".{target.name}.partial")
    with option_file(settings) as options, tempfile.TemporaryFile() as errors:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            position = _dump(args, options, fd, errors)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, target)
    return Backup(target, target.stat().st_size, time.perf_counter() - started, position)


def _dump(args: list[str], options: str, fd: int, errors) -> tuple[str, int] | None:
    """Run the dump into fd through gzip; the binary log position if the dump names one. Refused if a procedure
    that a trigger calls is missing: mariadb-dump leaves out, without a word, routines the account cannot read."""
    command = [args[0], f"--defaults-file={options}", *args[1:]]
    position, called, defined = None, set(), set()
    with os.fdopen(fd, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as out:
            proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors)
            for line in proc.stdout:
                out.write(line)
                if line.startswith(b"INSERT INTO"):
                    continue  # data: a customer may well be called "CALL me(0712…)"
                called.update(n.lower() for n in _CALLS.findall(line))  # routine names ignore case
                defined.update(n.lower() for n in _ROUTINE.findall(line))
                if position is None and (found := _BINLOG_AT.search(line)):
                    position = (found.group(1).decode(), int(found.group(2)))
            code = proc.wait()
        raw.flush()  # the gzip trailer is written: now make it all durable
        os.fsync(raw.fileno())
    if code != 0:
        errors.seek(0)
        said = errors.read().decode("utf-8", "replace").strip().splitlines()
        hint = (
            " (with binary logging on, the dump records its log position, which needs the RELOAD and BINLOG MONITOR"
            " privileges)"
            if "--master-data=2" in command
            else ""
        )
        raise BackupError(
            f"mariadb-dump stopped (exit {code}): {said[-1] if said else 'no message'}{hint}. Nothing was kept."
        )
    if missing := sorted(n.decode() for n in called - defined):
        raise BackupError(
            f"The dump lacks the procedures {', '.join(missing)}, which the triggers call: this account cannot read "
            "routine definitions. Grant it SELECT ON mysql.proc (MariaDB; MySQL 8: SHOW_ROUTINE), or back up with the "
            "admin account (MYSQL_ADMIN_USER / [connections.mysql_admin]). Nothing was kept."
        )
    return position


# --- restore ----------------------------------------------------------------------------------------


def _open(path: Path):
    """The file's lines, decompressed if it is gzip."""
    with path.open("rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else path.open("rb")


def check_file(path: Path) -> None:
    """A readable, complete dump (read through once: gzip's checksum and the dump's last line), else a sentence."""
    if not path.exists():
        raise BackupError(f"There is no backup file at {path}.")
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    try:
        with _open(path) as fh:
            first = fh.readline()
            tail = b""
            while chunk := fh.read(CHUNK):
                tail = (tail + chunk)[-4096:]
    except PermissionError:
        raise BackupError(f"{path} cannot be read by this user.") from None
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError; a cut file an EOFError
        raise BackupError(f"{path} is damaged and cannot be restored ({exc}).") from None
    if not first.startswith(DUMP_HEADS):
        raise BackupError(f"{path} is not a Daftari backup (a MariaDB or MySQL dump).")
    if DUMP_TAIL not in tail:
        raise BackupError(f"{path} is incomplete: it ends before the dump's last line, so it was cut short.")


def restore(
    path: Path, database: str | None = None, force: bool = False, settings: config.Settings | None = None
) -> Restored:
    """Load a dump into an empty database (one that holds only an empty schema counts as empty; with force, any is
    emptied first); triggers recreated as this account's."""
    path = Path(path)
    settings = settings or admin()
    if database:
        settings = replace(settings, database=database)
    name = settings.database
    if not _DB_NAME.match(name):
        raise BackupError(f"Database name {name!r} must be letters, digits and _ only.")
    started = time.perf_counter()
    check_file(path)
    try:
        migrate.ensure_database(settings)
    except DRIVER_ERRORS as exc:
        raise _sentence(as_connector_error(exc), settings) from None
    existing = [r["name"] for r in _one(settings, "tables_of_database", database=name)]
    holding = _tables_with_rows(settings, existing)
    if holding and not force:
        raise BackupError(
            f"The database {name!r} is not empty ({len(holding)} of its tables hold rows, such as "
            f"{', '.join(holding[:3])}), and a restore only goes into an empty one. Choose another with "
            f"--database NAME, or add --force to replace everything in {name!r}."
        )
    _check_trigger_rights(settings)
    if existing:
        _empty(settings)
    _load(path, settings)
    counts = _one(settings, "objects_of_database", database=name)[0]
    return Restored(name, counts["tables"], counts["triggers"], counts["routines"], time.perf_counter() - started)


def _tables_with_rows(settings: config.Settings, tables: list[str]) -> list[str]:
    """The tables that hold a row. Only Daftari's schema, as `./daftari` or the app makes it before anything is
    recorded (schema_migrations aside), counts as empty: replacing it loses nothing."""
    conn = _connect(settings)
    try:
        cur = conn.cursor()
        holding = []
        for table in tables:
            if table == "schema_migrations":
                continue
            # An identifier cannot be a bound parameter: the name comes from information_schema, quoted.
            statement = "SELECT EXISTS (SELECT 1 FROM `" + table.replace("`", "``") + "`)"
            cur.execute(statement)
            if cur.fetchone()[0]:
                holding.append(table)
        return holding
    except DRIVER_ERRORS as exc:
        raise _sentence(as_connector_error(exc), settings) from None
    finally:
        conn.close()


def _check_trigger_rights(settings: config.Settings) -> None:
    """Make and drop a trigger first: a refusal then stops the restore before any of it is loaded."""
    conn = _connect(settings)
    try:
        cur = conn.cursor()
        try:
            cur.execute(sql("create_probe_table"))
            cur.execute(sql("create_probe_trigger"))
        except DRIVER_ERRORS as raised:
            exc = as_connector_error(raised)
            if exc.errno == TRIGGERS_REFUSED:
                raise BackupError(NEEDS_TRUST.format(user=settings.user)) from None
            if exc.errno in CANNOT_CREATE:
                raise BackupError(
                    f"The account {settings.user!r} may not create tables and triggers in {settings.database!r} "
                    f"(error {exc.errno}: {exc.msg}). Grant it ALL on that database, or restore as the admin "
                    "account (MYSQL_ADMIN_USER / [connections.mysql_admin])."
                ) from None
            raise _sentence(exc, settings) from None
        finally:
            cur.execute(sql("drop_probe_table"))
    finally:
        conn.close()


def _empty(settings: config.Settings) -> None:
    """--force: drop the database and make it anew (grants on it are kept: they are stored by name)."""
    conn = _connect(settings, with_database=False)
    try:
        # An identifier cannot be a bound parameter; the name matched _DB_NAME in restore().
        statement = f"DROP DATABASE `{settings.database}`"
        conn.cursor().execute(statement)
    finally:
        conn.close()
    migrate.ensure_database(settings)


def statements(lines) -> Iterator[bytes]:
    """The dump's lines with DEFINER clauses taken out of trigger, routine, view and event headers, so the
    restoring account may create them without SUPER (they then belong to it). Data lines pass untouched."""
    for line in lines:
        if line.startswith(_DEFINER_LINES):
            line = _DEFINER.sub(b"", line, count=1)
        yield line


def _load(path: Path, settings: config.Settings) -> None:
    """Feed the dump to the mysql client (binary mode: no client commands; the sandbox where offered)."""
    client = tool("mariadb", "mysql")
    with option_file(settings) as options, tempfile.TemporaryFile() as errors:
        command = [client, f"--defaults-file={options}", "--binary-mode", f"--database={settings.database}"]
        if "--sandbox" in subprocess.run([client, "--help"], capture_output=True, text=True).stdout:
            command.append("--sandbox")
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            with _open(path) as fh:
                for line in statements(fh):
                    proc.stdin.write(line)
            proc.stdin.close()
        except BrokenPipeError:  # the client stopped at an error; its message says which
            pass
        code = proc.wait()
        if code != 0:
            errors.seek(0)
            raise BackupError(_load_failed(errors.read().decode("utf-8", "replace"), path, settings))


def _load_failed(said: str, path: Path, settings: config.Settings) -> str:
    error = re.search(r"ERROR (\d+) \([^)]*\)(?: at line (\d+))?: (.*)", said)
    if error and int(error.group(1)) == TRIGGERS_REFUSED:
        return NEEDS_TRUST.format(user=settings.user).replace("before loading anything", "part way")
    where = f" at line {error.group(2)} of {path}" if error and error.group(2) else ""
    message = f"{error.group(3)} (error {error.group(1)})" if error else (said.strip() or "no message")
    return (
        f"The restore stopped{where}: {message}. The database {settings.database!r} now holds part of the backup; "
        "fix the cause and run the restore again with --force."
    )


# --- the command line --------------------------------------------------------------------------------


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n / 1024:.0f} KB"


def main(argv: list[str] | None = None) -> int:
    """./daftari backup [FILE] | restore FILE [--database NAME] [--force]; the exit status says whether it worked."""
    parser = argparse.ArgumentParser(prog="./daftari", description="Back up Daftari's database, or restore it.")
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("backup", help="a consistent gzip dump (default: backups/daftari-<database>-<UTC>.sql.gz)")
    make.add_argument("file", nargs="?", type=Path)
    make.add_argument("--database", help="another database than the configured one")
    load = sub.add_parser("restore", help="load a backup into an empty database")
    load.add_argument("file", type=Path)
    load.add_argument("--database", help="restore into this database instead of the configured one")
    load.add_argument("--force", action="store_true", help="empty a database that holds tables first (all is lost)")
    args = parser.parse_args(argv)
    try:
        settings = admin(args.database)
        if args.command == "backup":
            done = backup(args.file, settings)
            print(f"Backed up {settings.database!r} to {done.path} ({_size(done.size)}) in {done.seconds:.1f} s.")
            if done.binlog_position:
                log, pos = done.binlog_position
                print(f"It starts at binary log {log} position {pos}: replay the logs from there for later changes.")
        else:
            done = restore(args.file, force=args.force, settings=settings)
            print(
                f"Restored {args.file} into {done.database!r}: {done.tables} tables, {done.triggers} triggers, "
                f"{done.routines} routines in {done.seconds:.1f} s."
            )
        return 0
    except (DaftariError, server.ServerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
