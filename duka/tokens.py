"""Personal API tokens: a member makes one for one shop (shown once, kept as its SHA-256), lists and revokes
their own; a request's bearer token becomes an Actor whose role is read from shop_members every time, so a
removed member's token stops working and a read-only token may only read."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import db
from db.errors import NotAllowed, NotFound
from duka.members import READ, Actor, membership, require
from duka.sessions import token_hash
from duka.values import clean_text, normalise_phone
from i18n import N_, t

PREFIX = "dft_"  # says what a leaked string is (secret scanners and people both recognise it)


@dataclass(frozen=True)
class Bearer:
    """Who a valid token acts for, whether it may only read, and which token it is."""

    actor: Actor
    read_only: bool
    token_id: int


@db.transactional
def _insert(tx: db.Tx, actor: Actor, name: str, read_only: bool) -> str:
    require(actor, READ, N_("make API tokens"), tx)
    token = PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    tx.execute(
        "insert_api_token",
        shop_id=actor.shop_id,
        user_id=actor.user_id,
        name=clean_text(name, N_("Token name"), 80),
        token_hash=token_hash(token),
        read_only=bool(read_only),
    )
    return token


def create(actor: Actor, name: str, read_only: bool = False) -> str:
    """A new token of the actor for their shop; the plain token is returned this once and never kept."""
    return _insert(actor, name, read_only)


def create_for_phone(phone: str, shop_id: int, name: str, read_only: bool = False) -> str:
    """A token for the account with this phone in one of its shops (./daftari token create)."""
    found = db.rows("token_user_by_phone", phone=normalise_phone(phone))
    if not found:
        raise NotFound(t("No account has that phone number."))
    actor = Actor(found[0]["user_id"], int(shop_id))
    return create(actor, name, read_only)


def tokens(actor: Actor) -> list[dict]:
    """The actor's tokens for their shop, newest first: token_id, name, read_only, created_at, last_used_at,
    revoked_at (never a hash)."""
    require(actor, READ, N_("see API tokens"))
    return [
        {**row, "read_only": bool(row["read_only"])}
        for row in db.rows("api_tokens_of_member", shop_id=actor.shop_id, user_id=actor.user_id)
    ]


@db.transactional
def revoke(tx: db.Tx, actor: Actor, token_id: int) -> None:
    """The actor revokes one of their own tokens for this shop; it stops working at once."""
    if not tx.execute("revoke_api_token", shop_id=actor.shop_id, user_id=actor.user_id, token_id=int(token_id)):
        raise NotFound(t("No such token of yours in this shop."))


@db.transactional
def _bearer(tx: db.Tx, token_hash_: str) -> Bearer | None:
    row = tx.one("api_token_by_hash", token_hash=token_hash_)
    if row is None:
        return None
    actor = Actor(row["user_id"], row["shop_id"])
    if membership(actor, tx) is None:  # read now, never cached: a removed member's token stops at once
        return None
    if not row["fresh"]:
        tx.execute("touch_api_token", token_id=row["token_id"])
    return Bearer(actor, bool(row["read_only"]), row["token_id"])


def authenticate(token: str | None) -> Bearer | None:
    """The bearer of a live token whose user is still a member of its shop, or None; marks it used (at most
    once a minute, so a busy client does not write on every request)."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        return None
    return _bearer(token_hash(token))


def may_write(bearer: Bearer) -> None:
    """NotAllowed for a read-only token asked to change something."""
    if bearer.read_only:
        raise NotAllowed(t("This API token is read-only: it may only read."))
