"""Accounts: registration, login with lockout, shop membership and roles."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import bcrypt
import mysql.connector

from db import core
from db.access import CORRECT, Actor, require
from db.errors import InvalidInput, NotAllowed, NotFound
from db.values import clean_text, normalise_phone

LOGIN_FAILED = "That phone number and password do not match an account, or the account is locked for a while."
ROUNDS = int(os.environ.get("DAFTARI_BCRYPT_ROUNDS", "12"))  # tests lower it for speed
ROLES = ("owner", "clerk", "analyst")
CURRENCIES = ("KES", "UGX", "TZS", "RWF", "ETB", "NGN", "GHS", "ZAR", "USD", "EUR", "GBP", "INR")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(line.strip().lower() for line in path.read_text().splitlines() if line.strip())


@lru_cache(maxsize=1)
def _dummy_hash() -> bytes:
    # An unknown phone is checked against this, so it costs as long as a real one.
    return bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(ROUNDS))


def check_password_rules(password: str) -> None:
    """At least 8 characters, at most 72 UTF-8 bytes (bcrypt's limit), not a common password."""
    if len(password) < 8:
        raise InvalidInput("The password needs at least 8 characters.")
    if len(password.encode("utf-8")) > 72:
        raise InvalidInput("The password is too long: at most 72 bytes "
                           "(72 plain letters, fewer with accents or emoji).")
    if password.lower() in _common_passwords() or len(set(password)) < 3:
        raise InvalidInput("That password is too common and easy to guess. Choose another.")


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(ROUNDS)).decode("ascii")


@core.transactional
def _register(tx: core.Tx, first: str, last: str, phone: str, password_hash: str,
              shop_name: str, currency: str) -> dict:
    if tx.one("user_id_by_phone", phone=phone):
        raise InvalidInput(f"An account with phone {phone} already exists. Log in instead.")
    tx.execute("insert_user", first_name=first, last_name=last, phone=phone, password_hash=password_hash)
    user_id = tx.lastrowid
    tx.execute("insert_shop", name=shop_name, currency=currency)
    shop_id = tx.lastrowid
    tx.execute("insert_member", shop_id=shop_id, user_id=user_id, role="owner")
    return {"user_id": user_id, "shop_id": shop_id}


def register(first_name: str, last_name: str, phone: str, password: str, shop_name: str,
             currency: str = "KES") -> dict:
    """A new user who owns a new shop: {'user_id', 'shop_id'}."""
    first = clean_text(first_name, "First name", 80)
    last = clean_text(last_name, "Last name", 80)
    e164 = normalise_phone(phone)
    shop = clean_text(shop_name, "Shop name", 120)
    if currency not in CURRENCIES:
        raise InvalidInput(f"Currency must be one of {', '.join(CURRENCIES)}.")
    check_password_rules(password)
    try:
        return _register(first, last, e164, hash_password(password), shop, currency)
    except mysql.connector.IntegrityError as exc:  # two registrations raced past the check
        if exc.errno == 1062:
            raise InvalidInput(f"An account with phone {e164} already exists. Log in instead.") from None
        raise


def login(phone: str, password: str) -> dict:
    """The user for this phone and password, or one generic InvalidInput for every kind of failure."""
    try:
        e164 = normalise_phone(phone)
    except InvalidInput:
        e164 = None
    found = core.rows("user_by_phone", phone=e164) if e164 else []
    user = found[0] if found else None
    stored = user["password_hash"].encode("ascii") if user else _dummy_hash()
    matches = bcrypt.checkpw(password.encode("utf-8")[:72], stored) and len(password.encode("utf-8")) <= 72
    if user is None or user["is_locked"]:
        raise InvalidInput(LOGIN_FAILED)
    if not matches:
        _record_login(user["id"], ok=False)
        raise InvalidInput(LOGIN_FAILED)
    _record_login(user["id"], ok=True)
    return {k: user[k] for k in ("id", "first_name", "last_name", "phone")}


@core.transactional
def _record_login(tx: core.Tx, user_id: int, ok: bool) -> None:
    if ok:
        tx.execute("record_good_login", user_id=user_id)
    else:
        tx.execute("record_failed_login", user_id=user_id)


def confirm_password(user_id: int, password: str) -> bool:
    """True if the password is the user's (the idle-time check); failures count toward the lockout."""
    found = core.rows("user_by_id", user_id=user_id)
    if not found:
        return False
    user = found[0]
    ok = (len(password.encode("utf-8")) <= 72
          and bcrypt.checkpw(password.encode("utf-8"), user["password_hash"].encode("ascii")))
    if user["is_locked"]:
        return False
    _record_login(user_id, ok=ok)
    return ok


def memberships(user_id: int) -> list[dict]:
    """The shops of a user: shop_id, shop_name, currency, role."""
    return core.rows("memberships_of_user", user_id=user_id)


def members(actor: Actor):
    """Everyone in the actor's shop (any member may see who else is in it)."""
    require(actor, ("owner", "clerk", "analyst"), "see the members")
    return core.query("members_of_shop", shop_id=actor.shop_id)


@core.transactional
def add_member(tx: core.Tx, actor: Actor, phone: str, role: str) -> int:
    """The owner adds an existing user, by phone, as clerk, analyst or owner."""
    require(actor, CORRECT, "add members", tx)
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.")
    e164 = normalise_phone(phone)
    user = tx.one("user_by_phone", phone=e164)
    if user is None:
        raise NotFound(f"No Daftari account has phone {e164}. Ask them to register first.")
    if tx.one("member_for_update", shop_id=actor.shop_id, user_id=user["id"]):
        raise InvalidInput(f"{user['first_name']} is already a member of this shop.")
    tx.execute("insert_member", shop_id=actor.shop_id, user_id=user["id"], role=role)
    return user["id"]


def _keep_an_owner(tx: core.Tx, actor: Actor, user_id: int) -> None:
    owners = [r["user_id"] for r in tx.rows("owners_for_update", shop_id=actor.shop_id)]
    if owners == [user_id]:
        raise InvalidInput("A shop needs at least one owner: make someone else owner first.")


@core.transactional
def change_role(tx: core.Tx, actor: Actor, user_id: int, role: str) -> None:
    require(actor, CORRECT, "change roles", tx)
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.")
    current = tx.one("member_for_update", shop_id=actor.shop_id, user_id=user_id)
    if current is None:
        raise NotFound("That person is not a member of this shop.")
    if current["role"] == "owner" and role != "owner":
        _keep_an_owner(tx, actor, user_id)
    tx.execute("update_member_role", shop_id=actor.shop_id, user_id=user_id, role=role)


@core.transactional
def remove_member(tx: core.Tx, actor: Actor, user_id: int) -> None:
    require(actor, CORRECT, "remove members", tx)
    current = tx.one("member_for_update", shop_id=actor.shop_id, user_id=user_id)
    if current is None:
        raise NotFound("That person is not a member of this shop.")
    if current["role"] == "owner":
        _keep_an_owner(tx, actor, user_id)
    tx.execute("delete_member", shop_id=actor.shop_id, user_id=user_id)


__all__ = ["register", "login", "confirm_password", "memberships", "members", "add_member",
           "change_role", "remove_member", "NotAllowed", "LOGIN_FAILED", "ROLES", "CURRENCIES"]
