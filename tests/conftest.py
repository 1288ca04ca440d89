"""Fixtures: a private test database on the real server, created for the session and dropped after it;
shops with their people; the hand-worked expense fixture."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import pytest
import streamlit as st
from playwright.sync_api import sync_playwright

import db
from db import accounts, cache, config, server, startup
from duka import members
from duka.members import Actor
from support import (
    CHROMIUM,
    PASSWORD,
    ROOT,
    TEST_DB,
    admin_connection,
    free_port,
    join,
    new_phone,
    register_owner,
    seed_expenses,
    start_api,
    stop_api,
)
from ui import replicas


@pytest.fixture(scope="session", autouse=True)
def database():
    """The test database, migrated, with the app and reader accounts' grants on it; yields the admin account's
    settings (the app's own are config.resolve()). A missing server is an error, never a skip. At the end the
    database is dropped and both accounts' grants on it, and on this run's other databases that are gone, are
    taken back (MariaDB keeps grants on a dropped database)."""
    settings = config.resolve()
    assert settings.database == TEST_DB
    admin = replace(config.admin_settings(), database=TEST_DB)
    if settings.embedded:
        server.start()
    conn = admin_connection(with_database=False)
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{TEST_DB}`")
    conn.close()
    startup.ensure_schema()  # migrations (admin account), the app's and the analysts' accounts
    db.reset_pool()
    yield admin
    db.reset_pool()
    conn = admin_connection(with_database=False)
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{TEST_DB}`")
    conn.close()
    accounts.forget_gone_test_databases(admin, finished=os.getpid())  # this one, and its _demo, _migrate...


@pytest.fixture(autouse=True)
def clear_caches():
    """Every test starts with empty caches: tests also write with raw SQL, which no cache can see."""
    st.cache_data.clear()
    cache.clear()


@pytest.fixture
def raw():
    """A plain autocommit connection to the test database: what any SQL client would do."""
    conn = admin_connection()
    conn.autocommit = True
    yield conn
    conn.close()


@pytest.fixture
def shop() -> Actor:
    """A new shop and its owner (Actor)."""
    return register_owner()[0]


@pytest.fixture
def staffed_shop() -> dict[str, Actor]:
    """A shop with an owner, a clerk and an analyst: a dict of role -> Actor."""
    owner, _ = register_owner()
    staff = {"owner": owner}
    for role in ("clerk", "analyst"):
        phone = new_phone()
        ids = members.register(role.title(), "Mwangi", phone, PASSWORD, f"{role}'s own shop")
        staff[role] = join(owner, phone, role)
        assert staff[role].user_id == ids["user_id"]
    return staff


@pytest.fixture
def spending(shop) -> Actor:
    """A shop holding the seven expenses of support.FIXTURE."""
    return seed_expenses(shop)


# --- a real Streamlit server and a real Chromium ---------------------------------------------------

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server_url(database):
    port = free_port()
    env = dict(os.environ, MYSQL_DATABASE=TEST_DB)
    log = open(ROOT / ".data" / "streamlit-test.log", "wb")  # noqa: SIM115 (open while the server runs)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    if not replicas.healthy(url):
        proc.kill()
        raise RuntimeError("streamlit did not start; see .data/streamlit-test.log")
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def api_url(database, request):
    """The REST API served by uvicorn over real HTTP on a free localhost port, against the test database; its
    log is the module's own (.data/api-test-<module>.log), so a failure's server side is still there after the run."""
    log_name = f"api-test-{request.module.__name__.rpartition('.')[2]}.log"
    url, proc, log = start_api(dict(API_RATE_PER_MINUTE="100000"), log_name)
    yield url
    stop_api(proc, log)


@pytest.fixture(scope="module")
def browser():
    assert os.path.exists(CHROMIUM), "Debian's chromium is needed: ./daftari test installs it"
    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone_page(browser):
    """A 390-pixel-wide phone browser."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()
