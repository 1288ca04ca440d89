"""Where the database is: environment, then .streamlit/secrets.toml, then the private MariaDB; which account
the app, the admin work and the analysts use; and the time limits of the app's connections."""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import mysql.connector

ROOT = Path(__file__).resolve().parent.parent
SECRETS = ROOT / ".streamlit" / "secrets.toml"
DATA_DIR = ROOT / ".data" / "mariadb"  # the private server's folder, unless DAFTARI_DB_DIR names another
EMBEDDED_SOCKET = DATA_DIR / "mysqld.sock"
APP_ACCOUNT = "daftari_app"  # the app's own account on the private server (password in <folder>/app.cnf)

# The app's connections give up on a server that stops answering instead of waiting forever; the server stops
# any statement of an app session that runs longer than STATEMENT_SECONDS (the client waits a little longer,
# so the server's own error arrives first). Checking a pooled connection out waits PING_SECONDS at most.
STATEMENT_SECONDS = int(os.environ.get("DAFTARI_STATEMENT_SECONDS", "10"))
READ_TIMEOUT = STATEMENT_SECONDS + 2
WRITE_TIMEOUT = 10
CONNECT_TIMEOUT = 3
PING_SECONDS = 1
# The app pool's driver: "pure" (default) or "c". The C extension cannot change a connection's read timeout
# once connected, so with it the check at checkout waits up to READ_TIMEOUT on a hung server instead of
# PING_SECONDS (bench/concurrency.py measures both side by side).
DRIVER_ENV = "DAFTARI_DRIVER"

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
    source: str  # "env", "cluster", "secrets" or "embedded"
    database: str = "daftari"
    host: str | None = None
    port: int = 3306
    user: str = "root"
    password: str = field(default="", repr=False)
    unix_socket: str | None = None
    # Time limits (seconds; None: wait as long as it takes, as migrations, bulk loads and backups may).
    read_timeout: int | None = None
    write_timeout: int | None = None
    connection_timeout: int = 10
    # Pure Python waits on the socket without holding the GIL; the C extension holds it in ping and commit,
    # so one hung server would freeze every session of the process (see db/pool.py).
    use_pure: bool = False
    # More servers of the same cluster to try, in order, when `host` does not answer (MYSQL_HOST="a,b:3307,c"):
    # failover without a proxy in front (issue 13). The connector's own `failover` works at the first connect
    # only, and its pool refuses it.
    failover: tuple[tuple[str, int], ...] = ()

    @property
    def embedded(self) -> bool:
        """The private MariaDB under .data/mariadb, which Daftari starts itself."""
        return self.source == "embedded"

    @property
    def private(self) -> bool:
        """A server (or the private Galera cluster of `./daftari cluster up`) whose accounts Daftari makes."""
        return self.source in ("embedded", "cluster")

    def hosts(self) -> tuple[tuple[str, int], ...]:
        """Every server to try, the configured one first (one entry for a unix socket)."""
        return ((self.host or "127.0.0.1", self.port), *self.failover)

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
            "connection_timeout": self.connection_timeout,
            "allow_local_infile": False,  # never for the app; only db/bulk.py opens a connection that allows it
            # The C extension where asked for and loaded; it cannot load in a process that imported hashlib before
            # the connector (the system's libcrypto then shadows the one it carries): pure Python there, not an error.
            "use_pure": self.use_pure or not mysql.connector.HAVE_CEXT,
        }
        if self.read_timeout:
            args["read_timeout"] = self.read_timeout
        if self.write_timeout:
            args["write_timeout"] = self.write_timeout
        if self.unix_socket:
            args["unix_socket"] = self.unix_socket
        else:
            args["host"] = self.host or "127.0.0.1"
            args["port"] = self.port
        if with_database:
            args["database"] = self.database
        return args

    def without_time_limits(self) -> Settings:
        """The same account and server with no read or write timeout, on the C extension (long admin work)."""
        return replace(self, read_timeout=None, write_timeout=None, connection_timeout=10, use_pure=False)


CLUSTER_ENV = "DAFTARI_CLUSTER"  # set (to 1): use the private Galera cluster of `./daftari cluster up` (db/cluster.py)


def cluster_wanted(env=None) -> bool:
    """Whether the private Galera cluster is the configured database (DAFTARI_CLUSTER=1, no MYSQL_HOST/SOCKET)."""
    env = os.environ if env is None else env
    return env.get(CLUSTER_ENV, "") not in ("", "0") and not (env.get("MYSQL_HOST") or env.get("MYSQL_UNIX_SOCKET"))


def data_dir() -> Path:
    """The private server's folder: DAFTARI_DB_DIR (a second instance, as the fault tests start), else .data/mariadb
    (.data/galera/accounts for the private cluster: where its accounts' passwords live)."""
    if os.environ.get("DAFTARI_DB_DIR"):
        return Path(os.environ["DAFTARI_DB_DIR"])
    return ROOT / ".data" / "galera" / "accounts" if cluster_wanted() else DATA_DIR


def embedded_socket() -> Path:
    """The private server's unix socket (in a folder only its owner may open)."""
    return data_dir() / "mysqld.sock"


_passwords: dict[Path, str] = {}  # read once per process: resolve() runs on every checkout


def generated_password(name: str) -> str:
    """A password kept in <private folder>/<name> (mode 0600), made on first use; two processes that both
    find it missing agree on one (the file is linked into place, never overwritten)."""
    path = data_dir() / name
    if path not in _passwords:
        _passwords[path] = _read_or_make(path)
    return _passwords[path]


def _read_or_make(path: Path) -> str:
    name = path.name
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    draft = path.with_name(f".{name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_urlsafe(24))
    try:
        os.link(draft, path)
    except FileExistsError:
        pass  # another process was first: its password stands
    finally:
        draft.unlink()
    return path.read_text().strip()


def secrets_section(name: str = "mysql") -> dict:
    """[connections.<name>] of .streamlit/secrets.toml, or {}."""
    if not SECRETS.exists():
        return {}
    with SECRETS.open("rb") as fh:
        return tomllib.load(fh).get("connections", {}).get(name, {})


def _located(env) -> Settings:
    """The server and database, with whatever account the environment or secrets.toml name."""
    if env.get("MYSQL_HOST") or env.get("MYSQL_UNIX_SOCKET"):
        base = Settings(source="env")
    elif cluster_wanted(env):
        from db import cluster  # the private cluster's ports (db/cluster.py imports this module)

        base = Settings(source="cluster", host="127.0.0.1", port=cluster.WRITE_PORT)
    elif section := secrets_section():
        known = {k: section[k] for k in _ENV if k in section}
        base = Settings(source="secrets", **known)
    else:
        base = Settings(source="embedded", unix_socket=str(embedded_socket()))
    overrides = {key: env[var] for key, var in _ENV.items() if env.get(var)}
    if "port" in overrides:
        overrides["port"] = int(overrides["port"])
    if "," in (overrides.get("host") or base.host or ""):
        first, *others = _host_list(overrides.get("host") or base.host, overrides.get("port", base.port))
        overrides.update(host=first[0], port=first[1], failover=tuple(others))
    if base.private:
        # The private server is ours: only the database name may change (tests use their own).
        overrides = {k: v for k, v in overrides.items() if k == "database"}
    return replace(base, **overrides)


def _host_list(text: str, default_port: int) -> list[tuple[str, int]]:
    """'a, b:3307, c' -> [(a, default), (b, 3307), (c, default)]."""
    hosts = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, port = item.partition(":")
        if port and not port.isdigit():
            raise ValueError(f"MYSQL_HOST: {item!r} is not host or host:port (write them as a,b:3307,c)")
        hosts.append((name, int(port) if port else default_port))
    return hosts


_answered: dict[tuple, int] = {}  # hosts -> the index of the one that answered last


def connect(settings: Settings, with_database: bool = True, prepare=None, **extra):
    """A connection to the first server of settings.hosts() that answers (starting with the one that answered
    last), `prepare(conn)` run on it; a server that cannot be reached, or answers that it is not ready (a Galera
    node that is catching up, 1047), is skipped. One server: a plain connect."""
    from db.errors import DRIVER_ERRORS, DatabaseUnavailable, as_connector_error, timed_out, translate

    hosts = settings.hosts()
    first = _answered.get(hosts, 0) if len(hosts) > 1 else 0
    failed = None
    for index in [*range(first, len(hosts)), *range(first)]:
        args = settings.connect_args(with_database) | extra
        if not settings.unix_socket:
            args.update(host=hosts[index][0], port=hosts[index][1])
        conn = None
        try:
            conn = mysql.connector.connect(**args)
            if prepare is not None:
                prepare(conn)
        except DRIVER_ERRORS as raised:
            exc = as_connector_error(raised)
            if conn is not None:
                try:
                    conn.close()
                except DRIVER_ERRORS:
                    pass  # it is being thrown away for failing
            if len(hosts) == 1 or not (timed_out(exc) or isinstance(translate(exc), DatabaseUnavailable)):
                raise
            failed = raised
            continue
        _answered[hosts] = index
        return conn
    raise failed


def resolve(environ: dict | None = None) -> Settings:
    """The APP's account: MYSQL_* variables, else secrets.toml, else the private server's daftari_app (whose
    password is generated into <folder>/app.cnf); with read and write timeouts, in pure Python (db/pool.py)."""
    env = os.environ if environ is None else environ
    located = _located(env)
    if located.private:
        located = replace(located, user=APP_ACCOUNT, password=generated_password("app.cnf"))
    return replace(
        located,
        read_timeout=READ_TIMEOUT,
        write_timeout=WRITE_TIMEOUT,
        connection_timeout=CONNECT_TIMEOUT,
        use_pure=env.get(DRIVER_ENV, "pure") != "c",
    )


def admin_settings(environ: dict | None = None) -> Settings:
    """The account for migrations, the simulator's bulk loads and backups: MYSQL_ADMIN_USER/PASSWORD, else
    [connections.mysql_admin], else the private server's root (over its 0700 socket), else the app's account
    (an external server with one account for everything). No read timeout: a migration may take long."""
    env = os.environ if environ is None else environ
    app = _located(env)
    if app.embedded:
        return replace(app, user="root", password="")
    if app.source == "cluster":  # the OS user's own account over the socket of a synced node (db/cluster.py)
        from db import cluster
        from db.errors import DatabaseUnavailable

        try:
            socket_path = cluster.admin_socket()
        except cluster.ClusterError as exc:
            raise DatabaseUnavailable(str(exc)) from None
        return replace(app, user=cluster.ADMIN_USER, password="", host=None, unix_socket=str(socket_path))
    if env.get("MYSQL_ADMIN_USER"):
        return replace(app, user=env["MYSQL_ADMIN_USER"], password=env.get("MYSQL_ADMIN_PASSWORD", ""))
    section = secrets_section("mysql_admin")
    if section.get("user"):
        return replace(app, user=section["user"], password=section.get("password", ""))
    return app
