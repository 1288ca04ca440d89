"""Personal API tokens: stored as hashes only, made on the tokens page or with ./daftari token create, revoked."""

from __future__ import annotations

import os
import subprocess
import sys

from db.errors import NotFound
from duka import tokens
from support import ROOT, TEST_DB, admin_connection, click, phone_of, signed_in


def test_a_token_is_stored_as_its_sha256_only(shop):
    token = tokens.create(shop, "Sync")
    conn = admin_connection()
    try:
        cur = conn.cursor()
        cur.execute("SELECT token_hash, name FROM api_tokens WHERE shop_id = %s", (shop.shop_id,))
        [(stored, name)] = cur.fetchall()
    finally:
        conn.close()
    assert len(stored) == 64 and token not in stored and name == "Sync"
    assert tokens.authenticate(token).actor == shop
    assert tokens.authenticate(token + "x") is None


def test_another_members_token_cannot_be_revoked(staffed_shop):
    tokens.create(staffed_shop["clerk"], "Clerk's")
    [theirs] = tokens.tokens(staffed_shop["clerk"])
    try:
        tokens.revoke(staffed_shop["owner"], theirs["token_id"])
        raise AssertionError("revoked another member's token")
    except NotFound:
        pass
    assert tokens.tokens(staffed_shop["clerk"])[0]["revoked_at"] is None


def test_the_command_line_prints_a_working_token(shop):
    env = dict(os.environ, MYSQL_DATABASE=TEST_DB)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "duka.token_cli",
            "create",
            "--phone",
            phone_of(shop.user_id),
            "--shop",
            str(shop.shop_id),
            "--read-only",
            "--name",
            "Reports",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip()
    assert token.startswith("dft_") and "shown this once" in done.stderr
    bearer = tokens.authenticate(token)
    assert bearer.actor == shop and bearer.read_only
    assert tokens.tokens(shop)[0]["name"] == "Reports"


def test_the_command_line_refuses_a_shop_the_phone_is_not_a_member_of(shop):
    env = dict(os.environ, MYSQL_DATABASE=TEST_DB)
    done = subprocess.run(
        [sys.executable, "-m", "duka.token_cli", "create", "--phone", phone_of(shop.user_id), "--shop", "999999"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "not a member" in done.stderr and done.stdout == ""


def test_the_tokens_page_makes_shows_once_and_revokes(shop):
    at = signed_in(shop, "pages/14_API_tokens.py")
    at.text_input(key="tokens_name").input("Accounting sync")
    at = click(at, "Make token")
    [shown] = [c.value for c in at.code]
    assert tokens.authenticate(shown).actor == shop
    at = click(at, "I have copied it")
    assert not at.code
    at = click(at, "Revoke")
    assert tokens.authenticate(shown) is None
    assert tokens.tokens(shop)[0]["revoked_at"] is not None
