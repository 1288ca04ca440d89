"""Sessions on the server. The browser keeps a random token (in a cookie); the database keeps its SHA-256,
who it belongs to, the shop in use, when it was last used and when it ends. A session sits idle for at most
30 minutes (then the password is asked again) and lives at most 12 hours; a logout ends it in every tab."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import db

IDLE_SECONDS = 30 * 60
LIFETIME_HOURS = 12


def token_hash(token: str) -> str:
    """What the database keeps of a token: its SHA-256 in hex (the token itself is never stored)."""
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Session:
    """A session found by its token."""

    id: int
    user: dict  # id, first_name, last_name, phone
    shop_id: int | None
    state: str  # "live", "idle" (ask the password again), "ended" (revoked or past 12 hours)
    stale: bool  # last written more than a minute ago


def start(tx: db.Tx, user_id: int, shop_id: int | None, address: str | None, user_agent: str | None) -> str:
    """A new session inside the caller's transaction (the login that opens it); its token, to give the browser."""
    token = secrets.token_urlsafe(32)
    tx.execute(
        "insert_session",
        token_hash=token_hash(token),
        user_id=user_id,
        shop_id=shop_id,
        hours=LIFETIME_HOURS,
        address=(address or None) and str(address)[:45],
        user_agent=(user_agent or None) and str(user_agent)[:255],
    )
    return token


def find(token: str | None) -> Session | None:
    """The session of this token (None if there is none), with its state; a live one is marked used now."""
    if not token:
        return None
    found = db.rows("session_by_token", token_hash=token_hash(token), idle=IDLE_SECONDS)
    if not found:
        return None
    row = found[0]
    if row["revoked"] or row["expired"]:
        state = "ended"
    elif row["idle"]:
        state = "idle"
    else:
        state = "live"
    user = {
        "id": row["user_id"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "phone": row["phone"],
        "language": row["language"],
    }
    session = Session(row["id"], user, row["shop_id"], state, bool(row["stale"]))
    if state == "live" and session.stale:
        touch(session.id)
    return session


@db.transactional
def touch(tx: db.Tx, session_id: int) -> None:
    """The session was used now (the idle clock starts again)."""
    tx.execute("touch_session", session_id=session_id)


@db.transactional
def choose_shop(tx: db.Tx, session_id: int, user_id: int, shop_id: int | None) -> None:
    """Remember the shop the session works in (a refresh comes back to it)."""
    tx.execute("set_session_shop", session_id=session_id, user_id=user_id, shop_id=shop_id)


def end(tx: db.Tx, token: str) -> None:
    """End one session, inside the caller's transaction."""
    tx.execute("revoke_session", token_hash=token_hash(token))


def end_others(tx: db.Tx, user_id: int, keep: str | None) -> int:
    """End every session of the user but the one holding `keep` (None: every one); how many ended."""
    return tx.execute("revoke_other_sessions", user_id=user_id, keep=token_hash(keep) if keep else "")


def live(user_id: int) -> list[dict]:
    """The user's open sessions, newest first: since, last used, address, browser."""
    return db.rows("live_sessions_of_user", user_id=user_id, idle=IDLE_SECONDS)
