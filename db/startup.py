"""What the app does once when it starts: bring the schema up to date."""
from __future__ import annotations

import threading

import mysql.connector

from db import config, core, migrate, server

_done = False
_lock = threading.Lock()


def ensure_schema() -> None:
    """Start the private server if it is the one configured, and apply pending migrations (once per process)."""
    global _done
    with _lock:
        if _done:
            return
        settings = config.resolve()
        if settings.embedded and not server.is_running():
            server.start()
        try:
            migrate.upgrade(settings)
        except mysql.connector.Error as exc:
            core.raise_translated(exc)
        _done = True
