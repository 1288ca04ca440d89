"""A private test database on the real server, created for the session and dropped after it."""
from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DAFTARI_BCRYPT_ROUNDS", "4")  # real bcrypt, cheaper work factor
TEST_DB = f"daftari_test_{os.getpid()}"
os.environ["MYSQL_DATABASE"] = TEST_DB

import mysql.connector  # noqa: E402

from db import config, core, server, startup  # noqa: E402
from db.access import Actor  # noqa: E402

PASSWORD = "Sokoni-2026!"
_phones = itertools.count(1)


def _admin_connection(with_database: bool = True):
    return mysql.connector.connect(**config.resolve().connect_args(with_database=with_database))


@pytest.fixture(scope="session", autouse=True)
def database():
    """The test database, migrated; a missing server is an error, never a skip."""
    settings = config.resolve()
    assert settings.database == TEST_DB
    if settings.embedded:
        server.start()
    conn = _admin_connection(with_database=False)
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{TEST_DB}`")
    conn.close()
    startup.ensure_schema()  # migrations and the analysts' read-only account
    core.reset_pool()
    yield settings
    core.reset_pool()
    conn = _admin_connection(with_database=False)
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{TEST_DB}`")
    conn.close()


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    import streamlit as st

    from db import cache
    st.cache_data.clear()
    cache.clear()  # tests also write with raw SQL, which no cache can see
    yield


@pytest.fixture
def raw():
    """A plain autocommit connection to the test database: what any SQL client would do."""
    conn = _admin_connection()
    conn.autocommit = True
    yield conn
    conn.close()


def new_phone() -> str:
    return f"07{20000000 + next(_phones) * 7 + os.getpid() % 7:08d}"


def register_owner(shop_name: str = "Duka la Mama", first: str = "Amina") -> tuple[Actor, str]:
    from db import auth
    phone = new_phone()
    ids = auth.register(first, "Otieno", phone, PASSWORD, shop_name)
    return Actor(ids["user_id"], ids["shop_id"]), phone


@pytest.fixture
def shop():
    """A new shop and its owner (Actor)."""
    return register_owner()[0]


@pytest.fixture
def staffed_shop():
    """A shop with an owner, a clerk and an analyst: a dict of role -> Actor."""
    from db import auth
    owner, _ = register_owner()
    staff = {"owner": owner}
    for role in ("clerk", "analyst"):
        phone = new_phone()
        ids = auth.register(role.title(), "Mwangi", phone, PASSWORD, f"{role}'s own shop")
        auth.add_member(owner, phone, role)
        staff[role] = Actor(ids["user_id"], owner.shop_id)
    return staff
