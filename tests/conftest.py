"""Fixtures: a private test database on the real server, created for the session and dropped after it;
shops with their people; the hand-worked expense fixture."""

from __future__ import annotations

import pytest
import streamlit as st

import db
from db import cache, config, server, startup
from duka import members
from duka.members import Actor
from support import PASSWORD, TEST_DB, admin_connection, new_phone, register_owner, seed_expenses


@pytest.fixture(scope="session", autouse=True)
def database():
    """The test database, migrated; a missing server is an error, never a skip."""
    settings = config.resolve()
    assert settings.database == TEST_DB
    if settings.embedded:
        server.start()
    conn = admin_connection(with_database=False)
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{TEST_DB}`")
    conn.close()
    startup.ensure_schema()  # migrations and the analysts' read-only account
    db.reset_pool()
    yield settings
    db.reset_pool()
    conn = admin_connection(with_database=False)
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{TEST_DB}`")
    conn.close()


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
        members.add_member(owner, phone, role)
        staff[role] = Actor(ids["user_id"], owner.shop_id)
    return staff


@pytest.fixture
def spending(shop) -> Actor:
    """A shop holding the seven expenses of support.FIXTURE."""
    return seed_expenses(shop)
