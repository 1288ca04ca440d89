"""Login guards: every password or code check first claims an attempt, atomically, for the phone number
(registered or not, so nothing is enumerated) and for the client address. Parallel guesses cannot pass the
limit: a claim is one UPDATE that succeeds only while the key is not locked (OWASP ASVS V6)."""

from __future__ import annotations

from dataclasses import dataclass

import db
from db.errors import InvalidInput
from i18n import t, tn


@dataclass(frozen=True)
class Limit:
    """So many attempts in a window; the one that reaches the limit locks the key for `lock` seconds."""

    attempts: int
    window: int
    lock: int


PHONE = Limit(attempts=5, window=15 * 60, lock=15 * 60)  # passwords tried for one phone number
CODE = Limit(attempts=5, window=15 * 60, lock=15 * 60)  # reset or recovery codes tried for one phone number
ADDRESS = Limit(attempts=30, window=15 * 60, lock=15 * 60)  # failures from one client address, any phone
EVERYWHERE = Limit(attempts=100, window=15 * 60, lock=15 * 60)  # one phone, from every address together


def phone_key(e164: str, address: str | None) -> str:
    """The lock of a phone number as tried from one address: an attacker elsewhere cannot lock its owner out
    (without a known address, the phone alone)."""
    return f"phone:{e164}@{address}" if address else f"phone:{e164}"


def code_key(e164: str, address: str | None) -> str:
    """The same for reset and recovery codes, counted apart from passwords."""
    return f"code:{e164}@{address}" if address else f"code:{e164}"


class Locked(InvalidInput):
    """Too many attempts: the sentence says when to try again and how to get help."""


def minutes(seconds: int) -> str:
    """'1 minute', '14 minutes' (rounded up: never 'try again in 0 minutes')."""
    count = max(1, -(-int(seconds) // 60))
    return tn("{n} minute", "{n} minutes", count)


@db.transactional
def _claim(tx: db.Tx, key: str, limit: Limit) -> int | None:
    """None if the attempt is claimed, else the seconds the key stays locked."""
    tx.execute("ensure_guard", guard_key=key)
    params = {"guard_key": key, "limit": limit.attempts, "window": limit.window, "lock": limit.lock}
    if tx.execute("claim_guard", **params) == 1:
        return None
    return int(tx.one("guard_wait", guard_key=key)["seconds"])


def claim(key: str, limit: Limit, refused: str) -> None:
    """Claim one attempt for the key, or raise Locked with `refused` (a sentence marked N_(), with {wait} in it)."""
    wait = _claim(key, limit)
    if wait is not None:
        raise Locked(t(refused, wait=minutes(wait)))


def attempts_left(key: str, limit: Limit) -> int:
    """How many attempts the key has before it locks (after a failure, to say so)."""
    found = db.rows("guard_wait", guard_key=key)
    return max(0, limit.attempts - int(found[0]["attempts"])) if found else limit.attempts


@db.transactional
def release(tx: db.Tx, key: str) -> None:
    """Forget the key's attempts (after a success)."""
    tx.execute("release_guard", guard_key=key)


@db.transactional
def refund(tx: db.Tx, key: str) -> None:
    """Give one attempt back, lifting the lock it may have brought (an address, after a success)."""
    tx.execute("refund_guard", guard_key=key)
