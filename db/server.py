"""The project's private MariaDB: installed with apt when missing, kept under .data/mariadb/."""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from db.config import DATA_DIR, EMBEDDED_SOCKET

DATADIR = DATA_DIR / "data"
PIDFILE = DATA_DIR / "mariadbd.pid"
LOGFILE = DATA_DIR / "mariadbd.log"
SBIN = ("/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin", "/opt/homebrew/sbin", "/opt/homebrew/bin")

HOW_TO_INSTALL = """\
No MariaDB server was found, and it cannot be installed automatically here.
Install one, then run the command again:
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y mariadb-server
  macOS:          brew install mariadb
  Docker:         docker run -d --name daftari-db -p 3306:3306 -e MARIADB_ROOT_PASSWORD=secret mariadb:10.11
                  then export MYSQL_HOST=127.0.0.1 MYSQL_USER=root MYSQL_PASSWORD=secret
Or point Daftari at an existing server with MYSQL_HOST/MYSQL_USER/MYSQL_PASSWORD
or .streamlit/secrets.toml (see .streamlit/secrets.toml.example)."""


class ServerError(RuntimeError):
    """The private server could not be installed or started."""


def _which(*names: str) -> str | None:
    path = os.environ.get("PATH", "") + os.pathsep + os.pathsep.join(SBIN)
    for name in names:
        found = shutil.which(name, path=path)
        if found:
            return found
    return None


def binaries() -> tuple[str | None, str | None]:
    """Paths of mariadbd and mariadb-install-db, or None where not installed."""
    return _which("mariadbd", "mysqld"), _which("mariadb-install-db", "mysql_install_db")


def _can_apt() -> list[str] | None:
    if not shutil.which("apt-get"):
        return None
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n"]
    return None


def install() -> None:
    """Install mariadb-server with apt (root or passwordless sudo), else explain and fail."""
    prefix = _can_apt()
    if prefix is None:
        raise ServerError(HOW_TO_INSTALL)
    print("Installing mariadb-server with apt (one time)...", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "mariadb-server"]):
        if subprocess.run(prefix + cmd, env=env).returncode != 0:
            raise ServerError(f"'{' '.join(cmd)}' failed.\n\n{HOW_TO_INSTALL}")


def is_running() -> bool:
    """True if the private server answers on its socket."""
    if not EMBEDDED_SOCKET.exists():
        return False
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(1)
        try:
            sock.connect(str(EMBEDDED_SOCKET))
            return True
        except OSError:
            return False


def _initialise(install_db: str) -> None:
    DATADIR.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(DATA_DIR, 0o700)  # the socket lives here: only its owner may connect
    result = subprocess.run(
        [
            install_db,
            "--no-defaults",
            f"--datadir={DATADIR}",
            f"--user={getpass.getuser()}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        shutil.rmtree(DATADIR, ignore_errors=True)
        raise ServerError(f"mariadb-install-db failed:\n{result.stdout}\n{result.stderr}")


def start(timeout: float = 60.0) -> None:
    """Start the private server if it is not running; install and initialise it first if needed."""
    if is_running():
        return
    mariadbd, install_db = binaries()
    if not mariadbd or not install_db:
        install()
        mariadbd, install_db = binaries()
        if not mariadbd or not install_db:
            raise ServerError(HOW_TO_INSTALL)
    if not (DATADIR / "mysql").is_dir():
        _initialise(install_db)
    EMBEDDED_SOCKET.unlink(missing_ok=True)
    with open(LOGFILE, "ab") as log:
        subprocess.Popen(
            [
                mariadbd,
                "--no-defaults",
                f"--datadir={DATADIR}",
                f"--socket={EMBEDDED_SOCKET}",
                f"--pid-file={PIDFILE}",
                f"--user={getpass.getuser()}",
                "--skip-networking",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                "--innodb-buffer-pool-size=512M",
                "--max-connections=300",
                "--skip-log-bin",
            ],  # local_infile stays ON: only db/bulk.py opts in
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_running():
            return
        time.sleep(0.1)
    raise ServerError(f"MariaDB did not start within {timeout:.0f} s; see {LOGFILE}")


def stop(timeout: float = 30.0) -> bool:
    """Stop the private server; True if one was running."""
    try:
        pid = int(PIDFILE.read_text().strip())
    except (FileNotFoundError, ValueError):
        return False
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    return True
