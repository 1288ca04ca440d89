"""People and shops: registration, login with lockout, membership and roles, and the role check that every
read and write of a shop passes (in the rules, not only by hiding buttons)."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bcrypt
import pandas as pd

import db
import i18n
from db.errors import DuplicateKey, InvalidInput, NotAllowed, NotFound
from duka import codes, events, guards, sessions
from duka.values import clean_text, normalise_phone
from i18n import N_, t, tn

READ = ("owner", "clerk", "analyst")
RECORD = ("owner", "clerk")  # customers, credit sales, payments
CORRECT = ("owner",)  # edit or void past entries, manage members
ROLES = ("owner", "clerk", "analyst")
CURRENCIES = ("KES", "UGX", "TZS", "RWF", "ETB", "NGN", "GHS", "ZAR", "USD", "EUR", "GBP", "INR")
LOGIN_FAILED = N_("That phone number and password do not match an account.")
LOCKED = N_(
    "Too many wrong passwords for this phone number: try again in {wait}. Forgot your password? Under 'Forgot "
    "password', use one of your recovery codes, or a reset code from your shop's owner."
)
ADDRESS_LOCKED = N_(
    "Too many failed logins from this connection: try again in {wait}. Forgot your password? Under 'Forgot "
    "password', use one of your recovery codes, or a reset code from your shop's owner."
)
ROLE_NAMES = {"owner": N_("owner"), "clerk": N_("clerk"), "analyst": N_("analyst")}
# What a role may not do, one whole sentence per role (Kiswahili has no article to glue on); {doing} is the
# caller's N_() phrase, translated in require().
REFUSED = {
    "owner": N_("An owner cannot {doing}. Ask the shop's owner."),
    "clerk": N_("A clerk cannot {doing}. Ask the shop's owner."),
    "analyst": N_("An analyst cannot {doing}. Ask the shop's owner."),
}


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
    """'An analyst', 'A clerk': English only (what people read is a whole sentence per role, REFUSED)."""
    return f"{'An' if role[:1] in 'aeiou' else 'A'} {role}"


def role_name(role: str) -> str:
    """A role as the person reads it: 'clerk', 'karani'."""
    return t(ROLE_NAMES[role]) if role in ROLE_NAMES else role


def membership(actor: Actor, tx: db.Tx | None = None) -> Membership | None:
    """The actor's role in the shop, read from the database (inside a write: locked with it)."""
    params = {"shop_id": actor.shop_id, "user_id": actor.user_id}
    # Outside a write the role is cached with the shop's reads: a change of role or membership is a write to
    # that shop, which clears them at once.
    row = tx.one("role_in_shop", **params) if tx else next(iter(db.rows("role_in_shop", cached=True, **params)), None)
    return Membership(row["role"], row["currency"], row["shop_name"]) if row else None


def require(actor: Actor, allowed: tuple[str, ...], doing: str, tx: db.Tx | None = None) -> Membership:
    """The actor's membership, or NotAllowed naming what they tried (`doing`: a phrase marked N_("record
    sales") by the caller, translated here)."""
    member = membership(actor, tx)
    if member is None:
        raise NotAllowed(t("You are not a member of this shop."))
    if member.role not in allowed:
        raise NotAllowed(t(REFUSED[member.role], doing=t(doing)))
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
        raise InvalidInput(t("The password needs at least 8 characters."))
    if len(password.encode("utf-8")) > 72:
        raise InvalidInput(
            t("The password is too long: at most 72 bytes (72 plain letters, fewer with accents or emoji).")
        )
    if password.lower() in _common_passwords() or len(set(password)) < 3:
        raise InvalidInput(t("That password is too common and easy to guess. Choose another."))


def hash_password(password: str) -> str:
    """A bcrypt hash of the password, as text."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(_rounds())).decode("ascii")


_checks_lock = threading.Lock()
password_checks = 0  # bcrypt comparisons made by this process (the lockout's race test counts them)


def password_matches(stored_hash: str | bytes, password: str) -> bool:
    """bcrypt's verdict (a password over 72 bytes never matches: bcrypt would read only its first 72)."""
    global password_checks
    with _checks_lock:
        password_checks += 1
    stored = stored_hash.encode("ascii") if isinstance(stored_hash, str) else stored_hash
    encoded = password.encode("utf-8")
    return bcrypt.checkpw(encoded[:72], stored) and len(encoded) <= 72


@db.transactional
def _register(
    tx: db.Tx, first: str, last: str, phone: str, password_hash: str, shop_name: str | None, currency: str
) -> dict:
    if tx.one("user_id_by_phone", phone=phone):
        raise InvalidInput(t("An account with phone {phone} already exists. Log in instead.", phone=phone))
    tx.execute("insert_user", first_name=first, last_name=last, phone=phone, password_hash=password_hash)
    user_id = tx.lastrowid
    shop_id = None
    if shop_name:
        tx.execute("insert_shop", name=shop_name, currency=currency)
        shop_id = tx.lastrowid
        tx.execute("insert_member", shop_id=shop_id, user_id=user_id, role="owner")
    recovery_codes = codes.issue_recovery_codes(tx, user_id)
    return {"user_id": user_id, "shop_id": shop_id, "recovery_codes": recovery_codes}


def register(
    first_name: str,
    last_name: str,
    phone: str,
    password: str,
    shop_name: str | None = None,
    currency: str = "KES",
) -> dict:
    """A new user, who owns a new shop when `shop_name` is given (someone invited to a shop registers without
    one): {'user_id', 'shop_id' (None without a shop), 'recovery_codes' (shown once, stored hashed)}."""
    first = clean_text(first_name, N_("First name"), 80)
    last = clean_text(last_name, N_("Last name"), 80)
    e164 = normalise_phone(phone)
    shop = clean_text(shop_name, N_("Shop name"), 120) if str(shop_name or "").strip() else None
    if currency not in CURRENCIES:
        raise InvalidInput(t("Currency must be one of {currencies}.", currencies=", ".join(CURRENCIES)))
    check_password_rules(password)
    try:
        return _register(first, last, e164, hash_password(password), shop, currency)
    except DuplicateKey:  # two registrations raced past the check
        raise InvalidInput(t("An account with phone {phone} already exists. Log in instead.", phone=e164)) from None


def login(phone: str, password: str, address: str | None = None, user_agent: str | None = None) -> dict:
    """The user for this phone and password, with a new session's token: {'id', 'first_name', 'last_name',
    'phone', 'token'}. Every attempt is claimed before the password is checked (at most 5 per phone number in
    15 minutes, however many arrive at once, and 30 failures per client address); an unknown phone number
    gets exactly what a known one gets, so nothing is enumerated. An empty field is named."""
    if not str(phone or "").strip():
        raise InvalidInput(t("Type your phone number, such as 0712 345 678."))
    if not password:
        raise InvalidInput(t("Type your password."))
    try:
        e164 = normalise_phone(phone)
    except InvalidInput:
        raise InvalidInput(t(LOGIN_FAILED)) from None
    found = db.rows("user_by_phone", phone=e164)
    user = found[0] if found else None
    user_id = user["id"] if user else None
    _claim_password_attempt(e164, user_id, address)
    if password_matches(user["password_hash"] if user else _dummy_hash(), password) and user:
        return _signed_in(user, address, user_agent)
    left = _failed(e164, user_id, address)
    raise InvalidInput(
        tn(
            "That phone number and password do not match an account. {n} more try before it locks for 15 minutes.",
            "That phone number and password do not match an account. {n} more tries before it locks for 15 minutes.",
            left,
        )
    )


def _claim_password_attempt(e164: str, user_id: int | None, address: str | None) -> None:
    try:
        if address:
            guards.claim(f"address:{address}", guards.ADDRESS, ADDRESS_LOCKED)
        guards.claim(f"everywhere:{e164}", guards.EVERYWHERE, LOCKED)
        guards.claim(guards.phone_key(e164, address), guards.PHONE, LOCKED)
    except guards.Locked:
        events.record_alone("login_refused", user_id=user_id, address=address, phone=e164)
        raise


def _failed(e164: str, user_id: int | None, address: str | None) -> int:
    """Record a wrong password: the tries left before the lock, or Locked when this one locked it."""
    left = guards.attempts_left(guards.phone_key(e164, address), guards.PHONE)
    events.record_alone("login_failed", user_id=user_id, address=address, phone=e164, locked=left == 0)
    if left == 0:
        raise guards.Locked(t(LOCKED, wait=guards.minutes(guards.PHONE.lock)))
    return left


def _succeeded(e164: str, address: str | None) -> None:
    """A right password forgets this phone's failures from here, and gives the address its attempt back."""
    guards.release(guards.phone_key(e164, address))
    guards.release(f"everywhere:{e164}")
    if address:
        guards.refund(f"address:{address}")


@db.transactional
def _open_session(tx: db.Tx, user: dict, address: str | None, user_agent: str | None) -> str:
    shops = tx.rows("memberships_of_user", user_id=user["id"])
    token = sessions.start(tx, user["id"], shops[0]["shop_id"] if shops else None, address, user_agent)
    events.record(tx, "login", user_id=user["id"], by=user["id"], address=address)
    return token


def _signed_in(user: dict, address: str | None, user_agent: str | None) -> dict:
    _succeeded(user["phone"], address)
    token = _open_session(user, address, user_agent)
    return {**{k: user[k] for k in ("id", "first_name", "last_name", "phone", "language")}, "token": token}


@db.transactional
def set_language(tx: db.Tx, user_id: int, language: str) -> None:
    """Keep the language a person reads Daftari in ('en' or 'sw') for their next visit."""
    if language not in i18n.LANGUAGES:
        raise InvalidInput(t("Choose English or Kiswahili."))
    tx.execute("set_user_language", user_id=user_id, language=language)


def confirm_password(user_id: int, password: str, address: str | None = None) -> bool:
    """True if the password is the user's (after idle time, or before a change of password or codes); each
    check is claimed like a login's, so it cannot be used to guess faster."""
    found = db.rows("user_by_id", user_id=user_id)
    if not found:
        return False
    user = found[0]
    _claim_password_attempt(user["phone"], user_id, address)
    if password_matches(user["password_hash"], password):
        _succeeded(user["phone"], address)
        return True
    _failed(user["phone"], user_id, address)
    return False


@db.transactional
def _open_shop(tx: db.Tx, user_id: int, shop_name: str, currency: str) -> int:
    tx.execute("insert_shop", name=shop_name, currency=currency)
    shop_id = tx.lastrowid
    tx.execute("insert_member", shop_id=shop_id, user_id=user_id, role="owner")
    return shop_id


def open_shop(user_id: int, shop_name: str, currency: str = "KES") -> int:
    """A signed-in user starts a shop of their own, as its owner; the shop's id."""
    name = clean_text(shop_name, N_("Shop name"), 120)
    if currency not in CURRENCIES:
        raise InvalidInput(t("Currency must be one of {currencies}.", currencies=", ".join(CURRENCIES)))
    return _open_shop(user_id, name, currency)


# --- membership -------------------------------------------------------------------------------------


def memberships(user_id: int) -> list[dict]:
    """The shops of a user: shop_id, shop_name, currency, role."""
    return db.rows("memberships_of_user", user_id=user_id)


def members(actor: Actor) -> pd.DataFrame:
    """Everyone in the actor's shop (any member may see who else is in it)."""
    return shop_frame(actor, "members_of_shop", N_("see the members"))


def _keep_an_owner(tx: db.Tx, actor: Actor, user_id: int) -> None:
    owners = [r["user_id"] for r in tx.rows("owners_for_update", shop_id=actor.shop_id)]
    if owners == [user_id]:
        raise InvalidInput(t("A shop needs at least one owner: make someone else owner first."))


def _locked_member(tx: db.Tx, actor: Actor, user_id: int) -> dict:
    current = tx.one("member_for_update", shop_id=actor.shop_id, user_id=user_id)
    if current is None:
        raise NotFound(t("That person is not a member of this shop."))
    return current


@db.transactional
def change_role(tx: db.Tx, actor: Actor, user_id: int, role: str) -> None:
    """The owner gives a member another role; the last owner cannot stop being one."""
    require(actor, CORRECT, N_("change roles"), tx)
    if role not in ROLES:
        raise InvalidInput(t("Role must be one of {roles}.", roles=", ".join(map(role_name, ROLES))))
    if _locked_member(tx, actor, user_id)["role"] == "owner" and role != "owner":
        _keep_an_owner(tx, actor, user_id)
    tx.execute("update_member_role", shop_id=actor.shop_id, user_id=user_id, role=role)


@db.transactional
def remove_member(tx: db.Tx, actor: Actor, user_id: int) -> None:
    """The owner removes a member; the last owner cannot be removed."""
    require(actor, CORRECT, N_("remove members"), tx)
    if _locked_member(tx, actor, user_id)["role"] == "owner":
        _keep_an_owner(tx, actor, user_id)
    tx.execute("delete_member", shop_id=actor.shop_id, user_id=user_id)
