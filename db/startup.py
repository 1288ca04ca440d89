"""What the app does once when it starts: bring the schema and the private server's accounts up to date."""

from __future__ import annotations

import threading

from db import accounts, config, migrate, server
from db.errors import DRIVER_ERRORS, as_connector_error, raise_translated

_done: set[tuple] = set()  # (source, server, database) already brought up to date in this process
_lock = threading.Lock()


def bring_up_to_date() -> list[str]:
    """Start the private server if it is the one configured, apply pending migrations with the admin account,
    and (on the private server) make the app and reader accounts and their grants. The versions applied."""
    app, admin = config.resolve(), config.admin_settings()
    if app.embedded and not server.is_running():
        server.start()
    try:
        newly = migrate.upgrade(admin)
        accounts.ensure(admin, app.database)
    except DRIVER_ERRORS as raised:
        raise_translated(as_connector_error(raised))
    return newly


def ensure_schema() -> None:
    """bring_up_to_date() once per process and database."""
    settings = config.resolve()
    key = (settings.source, settings.host, settings.unix_socket, settings.database)
    with _lock:
        if key in _done:
            return
        bring_up_to_date()
        _done.add(key)


def forget() -> None:
    """Check again on the next call (a database was dropped and made anew, as tests do)."""
    with _lock:
        _done.clear()
