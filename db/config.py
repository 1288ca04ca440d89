"""Where the database is: environment, then .streamlit/secrets.toml, then the private MariaDB."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRETS = ROOT / ".streamlit" / "secrets.toml"
DATA_DIR = ROOT / ".data" / "mariadb"
EMBEDDED_SOCKET = DATA_DIR / "mysqld.sock"

_ENV = {
    "host": "MYSQL_HOST",
    "port": "MYSQL_PORT",
    "user": "MYSQL_USER",
    "password": "MYSQL_PASSWORD",
    "database": "MYSQL_DATABASE",
    "unix_socket": "MYSQL_UNIX_SOCKET",
}


@dataclass(frozen=True)
class Settings:
    source: str  # "env", "secrets" or "embedded"
    database: str = "daftari"
    host: str | None = None
    port: int = 3306
    user: str = "root"
    password: str = field(default="", repr=False)
    unix_socket: str | None = None

    @property
    def embedded(self) -> bool:
        return self.source == "embedded"

    def connect_args(self, with_database: bool = True) -> dict:
        """Keyword arguments for mysql.connector.connect()."""
        args = {
            "user": self.user,
            "password": self.password,
            # MariaDB has no utf8mb4_0900_ai_ci (error 1273): name the collation.
            "charset": "utf8mb4",
            "collation": "utf8mb4_unicode_ci",
            "use_unicode": True,
            "autocommit": False,
            "connection_timeout": 10,
            "allow_local_infile": False,  # never for the app; only db/bulk.py opens a connection that allows it
        }
        if self.unix_socket:
            args["unix_socket"] = self.unix_socket
        else:
            args["host"] = self.host or "127.0.0.1"
            args["port"] = self.port
        if with_database:
            args["database"] = self.database
        return args


def secrets_section(name: str = "mysql") -> dict:
    """[connections.<name>] of .streamlit/secrets.toml, or {}."""
    if not SECRETS.exists():
        return {}
    with SECRETS.open("rb") as fh:
        return tomllib.load(fh).get("connections", {}).get(name, {})


def resolve(environ: dict | None = None) -> Settings:
    """Settings from MYSQL_* variables, else secrets.toml, else the embedded server."""
    env = os.environ if environ is None else environ
    if env.get("MYSQL_HOST") or env.get("MYSQL_UNIX_SOCKET"):
        base = Settings(source="env")
    elif section := secrets_section():
        known = {k: section[k] for k in _ENV if k in section}
        base = Settings(source="secrets", **known)
    else:
        base = Settings(source="embedded", unix_socket=str(EMBEDDED_SOCKET))
    overrides = {key: env[var] for key, var in _ENV.items() if env.get(var)}
    if "port" in overrides:
        overrides["port"] = int(overrides["port"])
    if base.embedded:
        # The private server is ours: only the database name may change (tests use their own).
        overrides = {k: v for k, v in overrides.items() if k == "database"}
    return replace(base, **overrides)


def admin_settings(environ: dict | None = None) -> Settings:
    """The account for migrations, the simulator's bulk loads and backups: MYSQL_ADMIN_USER/PASSWORD, else
    [connections.mysql_admin], else the private server's root (over its 0700 socket), else the app's account
    (an external server with one account for everything)."""
    env = os.environ if environ is None else environ
    app = resolve(env)
    if app.embedded:
        return replace(app, user="root", password="")
    if env.get("MYSQL_ADMIN_USER"):
        return replace(app, user=env["MYSQL_ADMIN_USER"], password=env.get("MYSQL_ADMIN_PASSWORD", ""))
    section = secrets_section("mysql_admin")
    if section.get("user"):
        return replace(app, user=section["user"], password=section.get("password", ""))
    return app
