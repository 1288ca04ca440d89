"""The database's command line: python -m db upgrade | status | health | server start|stop|status."""

from __future__ import annotations

import argparse
import sys

from db import config, health, migrate, server, startup
from db.errors import DaftariError


def ensure_server() -> config.Settings:
    """The admin account's settings, starting the private server when that is the one configured."""
    settings = config.admin_settings()
    if settings.embedded:
        server.start()
    return settings


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status says whether it worked."""
    parser = argparse.ArgumentParser(prog="python -m db", description="Daftari's database tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("upgrade", help="apply pending migrations (starts the private server if it is the one in use)")
    sub.add_parser("status", help="show which migrations are applied")
    sub.add_parser("health", help="one line: server, migrations, private server; exit 0 if all is well, else 1")
    srv = sub.add_parser("server", help="the private MariaDB under .data/mariadb/")
    srv.add_argument("action", choices=["start", "stop", "status"])
    args = parser.parse_args(argv)
    try:
        if args.command == "server":
            if args.action == "start":
                server.start()
                print(f"private MariaDB running on {config.embedded_socket()}")
            elif args.action == "stop":
                print("stopped" if server.stop() else "not running")
            else:
                print("running" if server.is_running() else "not running")
            return 0
        if args.command == "health":
            report = health.check()
            print(report.line)
            return 0 if report.ok else 1
        settings = ensure_server()
        if args.command == "upgrade":
            newly = startup.bring_up_to_date()
            print(
                f"{settings.source} database {settings.database!r}: "
                + (f"applied {', '.join(newly)}" if newly else "up to date")
            )
        else:
            states = migrate.status(settings)
            for version, name, state in states:
                print(f"{version} {name:30} {state}")
            if any(not state.startswith(("applied", "pending")) for _, _, state in states):
                return 1
        return 0
    except (DaftariError, server.ServerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
