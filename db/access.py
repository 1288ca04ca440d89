"""Who may do what in a shop, checked in db/ on every call, not only by hiding buttons."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo
import os

from db import core
from db.errors import NotAllowed

READ = ("owner", "clerk", "analyst")
RECORD = ("owner", "clerk")  # customers, credit sales, payments
CORRECT = ("owner",)  # edit or void past entries, manage members

TIMEZONE = ZoneInfo(os.environ.get("DAFTARI_TZ", "Africa/Nairobi"))


@dataclass(frozen=True)
class Actor:
    """The signed-in user acting in one shop."""
    user_id: int
    shop_id: int


@dataclass(frozen=True)
class Membership:
    role: str
    currency: str
    shop_name: str


def with_article(role: str) -> str:
    """'An analyst', 'A clerk'."""
    return f"{'An' if role[:1] in 'aeiou' else 'A'} {role}"


def today() -> date:
    """Today in the shops' time zone (DAFTARI_TZ, default Africa/Nairobi)."""
    return datetime.now(TIMEZONE).date()


def membership(actor: Actor, tx: core.Tx | None = None) -> Membership | None:
    params = {"shop_id": actor.shop_id, "user_id": actor.user_id}
    # Outside a write the role is cached with the shop's reads: a change of role or membership is a write to
    # that shop, which clears them at once.
    row = tx.one("role_in_shop", **params) if tx else next(iter(core.rows("role_in_shop", cached=True, **params)), None)
    return Membership(row["role"], row["currency"], row["shop_name"]) if row else None


def require(actor: Actor, allowed: tuple[str, ...], doing: str, tx: core.Tx | None = None) -> Membership:
    """The actor's membership, or NotAllowed naming what they tried."""
    member = membership(actor, tx)
    if member is None:
        raise NotAllowed("You are not a member of this shop.")
    if member.role not in allowed:
        raise NotAllowed(f"{with_article(member.role)} cannot {doing}. Ask the shop's owner.")
    return member
