"""A way back into an account: change the password (knowing it), new recovery codes, a reset code from the
shop's owner or from the operator, and setting a new password with a code. Each of these ends the user's
other sessions; codes are tried under the same kind of guard as passwords."""

from __future__ import annotations

import db
from db.errors import InvalidInput, NotAllowed, NotFound
from duka import codes, events, guards, members, sessions
from duka.members import CORRECT, Actor
from duka.values import normalise_phone
from i18n import N_, t

CODE_FAILED = N_(
    "That code does not work for this phone number: it may be mistyped, already used, or more than 24 hours old. "
    "Ask your shop's owner for a new reset code, or use another recovery code."
)
CODE_LOCKED = N_("Too many wrong codes for this phone number: try again in {wait}.")


class _Refused(Exception):
    """An owner's code that would now reach beyond that owner's shops (rolls its transaction back)."""


def _new_password(new: str, again: str) -> str:
    if new != again:
        raise InvalidInput(t("The two new passwords differ. Type them again."))
    members.check_password_rules(new)
    return members.hash_password(new)


def _current_password(user_id: int, current: str, address: str | None) -> None:
    if not current:
        raise InvalidInput(t("Type your current password."))
    if not members.confirm_password(user_id, current, address):
        raise InvalidInput(t("Your current password is not right. Nothing was changed."))


@db.transactional
def _set_password(tx: db.Tx, user_id: int, password_hash: str, keep: str | None, action: str, **event) -> None:
    tx.execute("set_password", user_id=user_id, password_hash=password_hash)
    sessions.end_others(tx, user_id, keep)
    events.record(tx, action, user_id=user_id, **event)


def change_password(
    user_id: int, current: str, new: str, again: str, keep_token: str | None, address: str | None = None
) -> None:
    """Change one's own password (the current one is asked first); every other session of the user ends."""
    password_hash = _new_password(new, again)
    _current_password(user_id, current, address)
    _set_password(user_id, password_hash, keep_token, "password_changed", by=user_id, address=address)


@db.transactional
def _issue_recovery(tx: db.Tx, user_id: int, address: str | None) -> list[str]:
    fresh = codes.issue_recovery_codes(tx, user_id)
    events.record(tx, "recovery_codes_issued", user_id=user_id, by=user_id, address=address)
    return fresh


def new_recovery_codes(user_id: int, current: str, address: str | None = None) -> list[str]:
    """Ten new recovery codes (the current password is asked first); the earlier ones stop working."""
    _current_password(user_id, current, address)
    return _issue_recovery(user_id, address)


@db.transactional
def reset_code_for_member(tx: db.Tx, actor: Actor, user_id: int, address: str | None = None) -> str:
    """The owner gives a member a one-time code (24 hours) to set a new password with. Only for a member
    whose every shop the owner owns: otherwise the code would open shops the owner has no say in."""
    members.require(actor, CORRECT, N_("reset passwords"), tx)
    if user_id == actor.user_id:
        raise InvalidInput(t("Change your own password under 'Your account'."))
    if tx.one("member_of_shop", shop_id=actor.shop_id, user_id=user_id) is None:
        raise NotFound(t("That person is not a member of this shop."))
    if tx.one("shops_not_owned_by", user_id=user_id, owner_id=actor.user_id)["n"]:
        raise NotAllowed(
            t(
                "This person is also a member of a shop you do not own, so only they (with a recovery code) "
                "or the server's operator (./daftari admin reset-password) can reset their password."
            )
        )
    code = codes.issue_reset_code(tx, user_id, created_by=actor.user_id)
    events.record(tx, "reset_code_issued", user_id=user_id, by=actor.user_id, shop_id=actor.shop_id, address=address)
    return code


@db.transactional
def reset_code_from_operator(tx: db.Tx, phone: str) -> str:
    """The operator's one-time code for an account (./daftari admin reset-password PHONE)."""
    e164 = normalise_phone(phone)
    user = tx.one("account_by_phone", phone=e164)
    if user is None:
        raise NotFound(t("No Daftari account has phone {phone}.", phone=e164))
    code = codes.issue_reset_code(tx, user["id"], created_by=None)
    events.record(tx, "reset_code_issued", user_id=user["id"], via="operator")
    return code


@db.transactional
def _spend_and_set(tx: db.Tx, e164: str, code: str, password_hash: str, address: str | None) -> int | None:
    user = tx.one("account_by_phone", phone=e164)
    spent = codes.spend(tx, user["id"], code) if user else None
    if spent is None:
        return None
    kind, issued_by = spent
    if issued_by is not None:  # an owner's code: still only for someone in that owner's shops alone
        reach = tx.one("shops_of_member_by_owner", user_id=user["id"], owner_id=issued_by)
        if reach["not_owned"] or not reach["owned"]:
            raise _Refused

    tx.execute("set_password", user_id=user["id"], password_hash=password_hash)
    sessions.end_others(tx, user["id"], None)
    events.record(tx, "password_reset", user_id=user["id"], by=user["id"], address=address, code=kind)
    return user["id"]


def reset_password(phone: str, code: str, new: str, again: str, address: str | None = None) -> None:
    """Set a new password with a reset or recovery code; every session of the account ends, and the lock on
    its phone number is lifted (this is the way back from a lockout)."""
    e164 = normalise_phone(phone)
    codes.normalise(code)
    password_hash = _new_password(new, again)
    if address:
        guards.claim(f"address:{address}", guards.ADDRESS, members.ADDRESS_LOCKED)
    try:
        done = _spend_and_set(e164, code, password_hash, address)
    except _Refused:
        done = None
    if done is None:  # counted after the check: a right code is never held back by a lock someone else caused
        guards.claim(guards.code_key(e164, address), guards.CODE, CODE_LOCKED)
        raise InvalidInput(t(CODE_FAILED))
    for key in (f"phone:{e164}", guards.phone_key(e164, address), f"everywhere:{e164}"):
        guards.release(key)  # the way back from a lockout
    if address:
        guards.refund(f"address:{address}")


@db.transactional
def log_out(tx: db.Tx, user_id: int, token: str | None, address: str | None = None) -> None:
    """End this session (every tab holding it is signed out on its next action)."""
    if token:
        sessions.end(tx, token)
    events.record(tx, "logout", user_id=user_id, by=user_id, address=address)


@db.transactional
def log_out_elsewhere(tx: db.Tx, user_id: int, keep_token: str | None, address: str | None = None) -> int:
    """End every other session of the user; how many ended."""
    ended = sessions.end_others(tx, user_id, keep_token)
    events.record(tx, "logout", user_id=user_id, by=user_id, address=address, sessions=ended, elsewhere=True)
    return ended
