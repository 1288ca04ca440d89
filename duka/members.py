"""People and shops: registration, login with lockout, membership and roles, and the role check that every
read and write of a shop passes (in the rules, not only by hiding buttons)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bcrypt
import pandas as pd

import db
from db.errors import DuplicateKey, InvalidInput, NotAllowed, NotFound
from duka.values import clean_text, normalise_phone

READ = ("owner", "clerk", "analyst")
RECORD = ("owner", "clerk")  # customers, credit sales, payments
CORRECT = ("owner",)  # edit or void past entries, manage members
ROLES = ("owner", "clerk", "analyst")
CURRENCIES = ("KES", "UGX", "TZS", "RWF", "ETB", "NGN", "GHS", "ZAR", "USD", "EUR", "GBP", "INR")
LOGIN_FAILED = "That phone number and password do not match an account, or the account is locked for a while."


# --- who is acting, and may they ------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """The signed-in user acting in one shop."""

    user_id: int
    shop_id: int


@dataclass(frozen=True)
class Membership:
    """The actor's place in the shop."""

    role: str
    currency: str
    shop_name: str


def with_article(role: str) -> str:
    """'An analyst', 'A clerk'."""
    return f"{'An' if role[:1] in 'aeiou' else 'A'} {role}"


def membership(actor: Actor, tx: db.Tx | None = None) -> Membership | None:
    """The actor's role in the shop, read from the database (inside a write: locked with it)."""
    params = {"shop_id": actor.shop_id, "user_id": actor.user_id}
    # Outside a write the role is cached with the shop's reads: a change of role or membership is a write to
    # that shop, which clears them at once.
    row = tx.one("role_in_shop", **params) if tx else next(iter(db.rows("role_in_shop", cached=True, **params)), None)
    return Membership(row["role"], row["currency"], row["shop_name"]) if row else None


def require(actor: Actor, allowed: tuple[str, ...], doing: str, tx: db.Tx | None = None) -> Membership:
    """The actor's membership, or NotAllowed naming what they tried."""
    member = membership(actor, tx)
    if member is None:
        raise NotAllowed("You are not a member of this shop.")
    if member.role not in allowed:
        raise NotAllowed(f"{with_article(member.role)} cannot {doing}. Ask the shop's owner.")
    return member


def shop_frame(actor: Actor, query: str, doing: str, /, allowed: tuple[str, ...] = READ, **params) -> pd.DataFrame:
    """A read of the actor's shop as a DataFrame: the role checked, %(shop_id)s bound, cached per shop."""
    require(actor, allowed, doing)
    return db.query(query, cached=True, shop_id=actor.shop_id, **params)


def shop_rows(actor: Actor, query: str, doing: str, /, allowed: tuple[str, ...] = READ, **params) -> list[dict]:
    """The same read as shop_frame, as a list of dicts (for one row or a few)."""
    require(actor, allowed, doing)
    return db.rows(query, cached=True, shop_id=actor.shop_id, **params)


# --- accounts --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(line.strip().lower() for line in path.read_text().splitlines() if line.strip())


def _rounds() -> int:
    """bcrypt's work factor: 12, or DAFTARI_BCRYPT_ROUNDS (the tests use 4, with real bcrypt)."""
    return int(os.environ.get("DAFTARI_BCRYPT_ROUNDS", "12"))


@lru_cache(maxsize=1)
def _dummy_hash() -> bytes:
    # An unknown phone is checked against this, so it costs as long as a real one.
    return bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(_rounds()))


def check_password_rules(password: str) -> None:
    """At least 8 characters, at most 72 UTF-8 bytes (bcrypt's limit), not a common password."""
    if len(password) < 8:
        raise InvalidInput("The password needs at least 8 characters.")
    if len(password.encode("utf-8")) > 72:
        raise InvalidInput(
            "The password is too long: at most 72 bytes (72 plain letters, fewer with accents or emoji)."
        )
    if password.lower() in _common_passwords() or len(set(password)) < 3:
        raise InvalidInput("That password is too common and easy to guess. Choose another.")


def hash_password(password: str) -> str:
    """A bcrypt hash of the password, as text."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(_rounds())).decode("ascii")


@db.transactional
def _register(tx: db.Tx, first: str, last: str, phone: str, password_hash: str, shop_name: str, currency: str) -> dict:
    if tx.one("user_id_by_phone", phone=phone):
        raise InvalidInput(f"An account with phone {phone} already exists. Log in instead.")
    tx.execute("insert_user", first_name=first, last_name=last, phone=phone, password_hash=password_hash)
    user_id = tx.lastrowid
    tx.execute("insert_shop", name=shop_name, currency=currency)
    shop_id = tx.lastrowid
    tx.execute("insert_member", shop_id=shop_id, user_id=user_id, role="owner")
    return {"user_id": user_id, "shop_id": shop_id}


def register(first_name: str, last_name: str, phone: str, password: str, shop_name: str, currency: str = "KES") -> dict:
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
    except DuplicateKey:  # two registrations raced past the check
        raise InvalidInput(f"An account with phone {e164} already exists. Log in instead.") from None


def login(phone: str, password: str) -> dict:
    """The user for this phone and password, or one generic InvalidInput for every kind of failure
    (an empty field is named: that reveals nothing about any account)."""
    if not str(phone or "").strip():
        raise InvalidInput("Type your phone number, such as 0712 345 678.")
    if not password:
        raise InvalidInput("Type your password.")
    try:
        e164 = normalise_phone(phone)
    except InvalidInput:
        e164 = None
    found = db.rows("user_by_phone", phone=e164) if e164 else []
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


@db.transactional
def _record_login(tx: db.Tx, user_id: int, ok: bool) -> None:
    tx.execute("record_good_login" if ok else "record_failed_login", user_id=user_id)


def confirm_password(user_id: int, password: str) -> bool:
    """True if the password is the user's (the idle-time check); failures count toward the lockout."""
    found = db.rows("user_by_id", user_id=user_id)
    if not found:
        return False
    user = found[0]
    ok = len(password.encode("utf-8")) <= 72 and bcrypt.checkpw(
        password.encode("utf-8"), user["password_hash"].encode("ascii")
    )
    if user["is_locked"]:
        return False
    _record_login(user_id, ok=ok)
    return ok


# --- membership -------------------------------------------------------------------------------------


def memberships(user_id: int) -> list[dict]:
    """The shops of a user: shop_id, shop_name, currency, role."""
    return db.rows("memberships_of_user", user_id=user_id)


def members(actor: Actor) -> pd.DataFrame:
    """Everyone in the actor's shop (any member may see who else is in it)."""
    return shop_frame(actor, "members_of_shop", "see the members")


@db.transactional
def add_member(tx: db.Tx, actor: Actor, phone: str, role: str) -> int:
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


def _keep_an_owner(tx: db.Tx, actor: Actor, user_id: int) -> None:
    owners = [r["user_id"] for r in tx.rows("owners_for_update", shop_id=actor.shop_id)]
    if owners == [user_id]:
        raise InvalidInput("A shop needs at least one owner: make someone else owner first.")


def _locked_member(tx: db.Tx, actor: Actor, user_id: int) -> dict:
    current = tx.one("member_for_update", shop_id=actor.shop_id, user_id=user_id)
    if current is None:
        raise NotFound("That person is not a member of this shop.")
    return current


@db.transactional
def change_role(tx: db.Tx, actor: Actor, user_id: int, role: str) -> None:
    """The owner gives a member another role; the last owner cannot stop being one."""
    require(actor, CORRECT, "change roles", tx)
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.")
    if _locked_member(tx, actor, user_id)["role"] == "owner" and role != "owner":
        _keep_an_owner(tx, actor, user_id)
    tx.execute("update_member_role", shop_id=actor.shop_id, user_id=user_id, role=role)


@db.transactional
def remove_member(tx: db.Tx, actor: Actor, user_id: int) -> None:
    """The owner removes a member; the last owner cannot be removed."""
    require(actor, CORRECT, "remove members", tx)
    if _locked_member(tx, actor, user_id)["role"] == "owner":
        _keep_an_owner(tx, actor, user_id)
    tx.execute("delete_member", shop_id=actor.shop_id, user_id=user_id)
