"""What the app does once when it starts: bring the schema up to date."""

from __future__ import annotations

import threading

import mysql.connector

from db import config, migrate, reader, server
from db.errors import raise_translated

_done: set[tuple] = set()  # (source, database) already brought up to date in this process
_lock = threading.Lock()


def ensure_schema() -> None:
    """Start the private server if it is the one configured, and apply pending migrations (once per process)."""
    settings = config.resolve()
    key = (settings.source, settings.host, settings.unix_socket, settings.database)
    with _lock:
        if key in _done:
            return
        if settings.embedded and not server.is_running():
            server.start()
        try:
            migrate.upgrade(settings)
            reader.ensure_account(settings)
        except mysql.connector.Error as exc:
            raise_translated(exc)
        _done.add(key)


def forget() -> None:
    """Check again on the next call (a database was dropped and made anew, as tests do)."""
    with _lock:
        _done.clear()
