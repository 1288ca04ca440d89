"""One-time codes: 12 letters and digits of Crockford's base32 (60 random bits, no I, L, O or U to misread),
shown once and stored as SHA-256. A reset code (from a shop's owner or the operator) works for 24 hours; the
ten recovery codes a user gets at registration do not run out. Each works once."""

from __future__ import annotations

import hashlib
import re
import secrets

import db
from db.errors import InvalidInput
from i18n import N_, t

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
RECOVERY_COUNT = 10
RESET_HOURS = 24
SHAPE = N_("A code has 12 letters and digits, like K7QM-2XTP-9RWD (dashes and spaces do not matter).")
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A fresh code, grouped for reading aloud: 'K7QM-2XTP-9RWD'."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalise(text: str) -> str:
    """The code as stored: upper case, no dashes or spaces, O read as 0 and I or L as 1; else InvalidInput."""
    code = re.sub(r"[\s\-]", "", str(text or "")).upper().translate(_MISREAD)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        raise InvalidInput(t(SHAPE))
    return code


def code_hash(code: str) -> str:
    """What the database keeps of a code."""
    return hashlib.sha256(normalise(code).encode("ascii")).hexdigest()


def issue(tx: db.Tx, user_id: int, kind: str, count: int, created_by: int | None, hours: int | None) -> list[str]:
    """New codes of one kind for the user (earlier ones of that kind stop working), inside the caller's
    transaction; the codes themselves, to show once."""
    tx.execute("retire_codes", user_id=user_id, kind=kind)
    fresh = [new_code() for _ in range(count)]
    for code in fresh:
        tx.execute(
            "insert_code", user_id=user_id, kind=kind, code_hash=code_hash(code), created_by=created_by, hours=hours
        )
    return fresh


def issue_recovery_codes(tx: db.Tx, user_id: int) -> list[str]:
    """Ten recovery codes for the user (the earlier ten stop working)."""
    return issue(tx, user_id, "recovery", RECOVERY_COUNT, created_by=None, hours=None)


def issue_reset_code(tx: db.Tx, user_id: int, created_by: int | None) -> str:
    """One reset code for 24 hours (an earlier reset code stops working)."""
    return issue(tx, user_id, "reset", 1, created_by=created_by, hours=RESET_HOURS)[0]


def spend(tx: db.Tx, user_id: int, code: str) -> tuple[str, int | None] | None:
    """Use the user's code once: (its kind, 'reset' or 'recovery'; the owner who issued it, if one did), or
    None if it does not work."""
    found = tx.one("usable_code", user_id=user_id, code_hash=code_hash(code))
    if found is None:
        return None
    tx.execute("spend_code", code_id=found["id"])
    return found["kind"], found["created_by"]


def recovery_codes_left(user_id: int) -> int:
    """How many unused recovery codes the user has."""
    return int(db.rows("recovery_codes_left", user_id=user_id)[0]["n"])
