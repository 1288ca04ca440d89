"""./daftari health: one line saying whether the app can work — the server answers the app's account (and
which server it is), every migration is applied unchanged, and whether the private server is running or the
database is someone else's — with exit code 0 when all is well, 1 otherwise. It changes nothing: it neither
starts the private server nor applies migrations."""

from __future__ import annotations

from dataclasses import dataclass, replace

from db import config, migrate, server
from db.errors import DRIVER_ERRORS, as_connector_error
from db.sqlfiles import sql

NO_SUCH_TABLE = 1146
ACCESS_DENIED = {1044, 1045}


@dataclass(frozen=True)
class Report:
    """What health found: ok, and the line it prints."""

    ok: bool
    line: str


def _where(settings: config.Settings) -> str:
    if settings.embedded:
        number = server.pid()
        running = f"running, pid {number}" if number else "not running (./daftari run starts it)"
        return f"private server {running}"
    if settings.source == "cluster":
        from db import cluster

        synced = sum(cluster.synced(n) for n in cluster.NODES)
        return f"private cluster: {synced} of {len(cluster.NODES)} nodes synced, writes through {settings.port}"
    place = settings.unix_socket or f"{settings.host or '127.0.0.1'}:{settings.port}"
    return f"external server at {place} ({settings.source})"


def check(settings: config.Settings | None = None) -> Report:
    """Ask the server as the app's account, within a few seconds, and compare the migrations."""
    settings = settings or config.resolve()
    where = _where(settings)
    quick = replace(settings, connection_timeout=3, read_timeout=5, write_timeout=5)
    try:
        conn = config.connect(quick)
    except DRIVER_ERRORS as raised:
        exc = as_connector_error(raised)
        reason = exc.msg or str(raised)
        if settings.embedded and exc.errno in ACCESS_DENIED:
            reason += "; run: python -m db upgrade"  # it makes the app's account and grants
        return Report(False, f"UNHEALTHY: database {settings.database!r} cannot be reached ({reason}); {where}")
    try:
        cur = conn.cursor(dictionary=True)
        cur.execute(sql("health_server_version"))
        version = cur.fetchone()["version"]
        try:
            cur.execute(sql("health_applied_migrations"))
            applied = {row["version"]: row["checksum"] for row in cur.fetchall()}
        except DRIVER_ERRORS as raised:
            if as_connector_error(raised).errno != NO_SUCH_TABLE:
                raise
            applied = {}
        conn.rollback()
    except DRIVER_ERRORS as raised:
        reason = as_connector_error(raised).msg or str(raised)
        return Report(False, f"UNHEALTHY: database {settings.database!r} did not answer ({reason}); {where}")
    finally:
        conn.close()
    files = migrate.available()
    pending = [m.version for m in files if m.version not in applied]
    changed = [m.version for m in files if m.version in applied and applied[m.version] != m.checksum]
    migrations = f"{len(files) - len(pending)} of {len(files)} migrations applied"
    if pending:
        migrations += f", pending {', '.join(pending)} (run: python -m db upgrade)"
    if changed:
        migrations += f", CHANGED since applied {', '.join(changed)}"
    ok = not pending and not changed
    state = "healthy" if ok else "UNHEALTHY"
    return Report(ok, f"{state}: {version} answers {settings.user}@{settings.database}; {migrations}; {where}")
