"""./daftari health (python -m db health): one line — the server answers the app's account, every migration
is applied unchanged, the private server runs (or the database is someone else's) — and exit code 0 or 1.
A stopped server is in tests/test_faults.py, on a server of that module's own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from db import __main__ as command
from db import config, migrate, server
from support import ROOT, TEST_DB


@pytest.fixture
def migrations(tmp_path, monkeypatch):
    """A copy of the migration files that a test may change."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, folder)
    monkeypatch.setattr(migrate, "MIGRATIONS", folder)
    return folder


def health(capsys) -> tuple[int, str]:
    code = command.main(["health"])
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one line
    return code, out.strip()


def test_a_healthy_database_is_one_line_and_exit_code_0(capsys):
    code, line = health(capsys)
    files = len(migrate.available())
    assert code == 0
    assert line.startswith("healthy: ")
    assert "MariaDB" in line and f"daftari_app@{TEST_DB}" in line
    assert f"{files} of {files} migrations applied" in line
    if config.resolve().source == "cluster":  # ./daftari test --cluster
        assert "private cluster: 3 of 3 nodes synced, writes through 3400" in line
    else:
        assert f"private server running, pid {server.pid()}" in line


def test_the_command_line_says_the_same_with_its_exit_code():
    env = dict(os.environ, MYSQL_DATABASE=TEST_DB)
    done = subprocess.run(
        [sys.executable, "-m", "db", "health"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("healthy: ") and done.stdout.count("\n") == 1


def test_a_pending_migration_is_named_and_exits_1(migrations, capsys):
    (migrations / "999_later.sql").write_text("CREATE TABLE later (id INT PRIMARY KEY);\n")
    code, line = health(capsys)
    files = len(migrate.available())
    assert code == 1 and line.startswith("UNHEALTHY: ")
    assert f"{files - 1} of {files} migrations applied, pending 999" in line


def test_a_migration_changed_since_it_was_applied_is_named_and_exits_1(migrations, capsys):
    changed = migrations / "003_expenses.sql"
    changed.write_text(changed.read_text() + "\n-- a late edit\n")
    code, line = health(capsys)
    assert code == 1 and "CHANGED since applied 003" in line


def test_a_server_that_cannot_be_reached_is_said_quickly_and_exits_1(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("MYSQL_UNIX_SOCKET", str(tmp_path / "no-server.sock"))
    monkeypatch.setenv("MYSQL_USER", "daftari")
    started = time.monotonic()
    code, line = health(capsys)
    assert time.monotonic() - started < 5
    assert code == 1 and line.startswith("UNHEALTHY: ")
    assert f"database {TEST_DB!r} cannot be reached" in line and "external server at" in line
