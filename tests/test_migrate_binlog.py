"""On a server with binary logging, an account without SUPER cannot create triggers (error 1419): the
migration must stop with a sentence that says what to do. A second private server, with --log-bin, shows it."""

from __future__ import annotations

import getpass
import socket
import subprocess
import time

import mysql.connector
import pytest

from db import config, migrate, server
from db.errors import MigrationError


@pytest.fixture(scope="module")
def binlog_server(tmp_path_factory):
    mariadbd, install_db = server.binaries()
    assert mariadbd and install_db, "MariaDB binaries are installed by ./daftari test"
    folder = tmp_path_factory.mktemp("binlog")
    data, sock = folder / "data", folder / "mysqld.sock"
    subprocess.run(
        [
            install_db,
            "--no-defaults",
            f"--datadir={data}",
            f"--user={getpass.getuser()}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ],
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [
            mariadbd,
            "--no-defaults",
            f"--datadir={data}",
            f"--socket={sock}",
            f"--user={getpass.getuser()}",
            "--skip-networking",
            f"--log-bin={folder / 'binlog'}",
            "--innodb-buffer-pool-size=64M",
            f"--pid-file={folder / 'pid'}",
            f"--tmpdir={folder}",  # not /tmp: a starting server deletes the #sql files of its tmpdir (db/server.py)
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_UNIX) as probe:
            try:
                probe.connect(str(sock))
                break
            except OSError:
                time.sleep(0.1)
    root = mysql.connector.connect(unix_socket=str(sock), user="root", password="")
    cur = root.cursor()
    cur.execute("CREATE DATABASE shopdb")
    cur.execute("CREATE USER 'owner_no_super'@'localhost' IDENTIFIED BY 'pw-12345678'")
    cur.execute("GRANT ALL PRIVILEGES ON shopdb.* TO 'owner_no_super'@'localhost'")
    root.close()
    yield config.Settings(
        source="env", database="shopdb", user="owner_no_super", password="pw-12345678", unix_socket=str(sock)
    )
    proc.terminate()
    proc.wait(timeout=30)


def test_a_migration_without_super_on_a_binlog_server_says_what_to_set(binlog_server):
    with pytest.raises(MigrationError) as refused:
        migrate.upgrade(binlog_server)
    assert "error 1419" in str(refused.value)
    assert "SET GLOBAL log_bin_trust_function_creators = 1;" in str(refused.value)
