"""The project's private MariaDB: installed with apt when missing, kept under .data/mariadb/ (or another folder:
DAFTARI_DB_DIR, or the `folder` argument, as the fault tests use for a second server they may pause and stop)."""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from db import config

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
    apt_install("mariadb-server", how_to=HOW_TO_INSTALL)


def apt_install(*packages: str, how_to: str = "") -> None:
    """Install Debian packages with apt (root or passwordless sudo), else fail with a sentence saying how."""
    prefix = _can_apt()
    how_to = how_to or f"Install {' '.join(packages)} (sudo apt-get install -y {' '.join(packages)}), then try again."
    if prefix is None:
        raise ServerError(how_to)
    print(f"Installing {' '.join(packages)} with apt (one time)...", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", *packages]):
        if subprocess.run(prefix + cmd, env=env).returncode != 0:
            raise ServerError(f"'{' '.join(cmd)}' failed.\n\n{how_to}")


def _folder(folder: Path | None) -> Path:
    return Path(folder) if folder else config.data_dir()


def socket_path(folder: Path | None = None) -> Path:
    """The server's unix socket in its folder (.data/mariadb/ unless another is named)."""
    return _folder(folder) / "mysqld.sock"


def pid(folder: Path | None = None) -> int | None:
    """The process id of the server in this folder, if its pid file names one that is alive."""
    try:
        number = int((_folder(folder) / "mariadbd.pid").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return number if _alive(number) else None


def is_running(folder: Path | None = None) -> bool:
    """True if the private server (or the one in `folder`) answers on its socket."""
    sock_path = socket_path(folder)
    if not sock_path.exists():
        return False
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(1)
        try:
            sock.connect(str(sock_path))
            return True
        except OSError:
            return False


def _initialise(install_db: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)  # the socket lives here: only its owner may connect
    datadir = folder / "data"
    result = subprocess.run(
        [
            install_db,
            "--no-defaults",
            f"--datadir={datadir}",
            f"--user={getpass.getuser()}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        shutil.rmtree(datadir, ignore_errors=True)
        raise ServerError(f"mariadb-install-db failed:\n{result.stdout}\n{result.stderr}")


def start(timeout: float = 60.0, folder: Path | None = None, buffer_pool: str = "512M") -> None:
    """Start the private server (or a second one in `folder`) if it is not running; install MariaDB and
    initialise the folder first if needed. A server already running keeps the flags it was started with until it
    is stopped (python -m db server stop): a changed flag takes effect at its next start (the redo log is resized
    by MariaDB itself then)."""
    folder = _folder(folder)
    if is_running(folder):
        return
    mariadbd, install_db = binaries()
    if not mariadbd or not install_db:
        install()
        mariadbd, install_db = binaries()
        if not mariadbd or not install_db:
            raise ServerError(HOW_TO_INSTALL)
    if not (folder / "data" / "mysql").is_dir():
        _initialise(install_db, folder)
    sock_path, logfile = socket_path(folder), folder / "mariadbd.log"
    sock_path.unlink(missing_ok=True)
    # Temporary tables in a folder of its own: MariaDB deletes every #sql file in its tmpdir when it starts, so with
    # the shared /tmp another server starting on this machine (a test's, a cluster node) deleted a temporary table
    # a query of ours was using ("Error on delete of '/tmp/#sql-temptable-…'", seen in a test run).
    tmpdir = folder / "tmp"
    tmpdir.mkdir(mode=0o700, exist_ok=True)
    with open(logfile, "ab") as log:
        subprocess.Popen(
            [
                mariadbd,
                "--no-defaults",
                f"--datadir={folder / 'data'}",
                f"--socket={sock_path}",
                f"--pid-file={folder / 'mariadbd.pid'}",
                f"--tmpdir={tmpdir}",
                f"--user={getpass.getuser()}",
                "--skip-networking",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                f"--innodb-buffer-pool-size={buffer_pool}",
                # A bulk load (python -m simulate: a million rows in one transaction) writes a few hundred MB of
                # redo: with the default 96 MB log InnoDB must checkpoint, flushing pages at the default 200 IO/s,
                # several times in the middle of it (LOAD DATA of 980k expenses: 8-9 s; with these, ~5 s).
                "--innodb-log-file-size=1G",
                "--innodb-io-capacity=2000",
                "--max-connections=300",
                "--skip-log-bin",
                # Interleaved auto-increment (MySQL 8's default, Galera's requirement): an import's INSERT … SELECT
                # of 5,000 rows would otherwise hold the table's AUTO-INC lock to its end, and every other shop's
                # new expense wait for it. Safe without statement-based binary logging.
                "--innodb-autoinc-lock-mode=2",
            ],  # local_infile stays ON: only db/bulk.py opts in
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_running(folder):
            return
        time.sleep(0.1)
    raise ServerError(f"MariaDB did not start within {timeout:.0f} s; see {logfile}")


def stop(timeout: float = 30.0, folder: Path | None = None) -> bool:
    """Stop the private server (or the one in `folder`); True if one was running."""
    number = pid(folder)
    if number is None:
        return False
    try:
        os.kill(number, signal.SIGCONT)  # a paused server cannot act on SIGTERM
        os.kill(number, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(number):
            return True
        time.sleep(0.1)
    os.kill(number, signal.SIGKILL)
    return True


def _alive(number: int) -> bool:
    try:
        if os.waitpid(number, os.WNOHANG)[0] == number:
            return False  # our own child (a server this process started) has exited: reaped
    except ChildProcessError:
        pass  # another process's child: signal 0 tells
    try:
        os.kill(number, 0)
    except ProcessLookupError:
        return False
    return True
