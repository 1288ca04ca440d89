"""Invitations: the owner invites a phone number as clerk or analyst, whether or not it has an account. Nobody
is a member, and no name is shown, until the person with that phone number signs in and accepts. An
invitation waits 7 days; the owner may cancel it, the invitee may decline it."""

from __future__ import annotations

import pandas as pd

import db
from db.errors import InvalidInput, NotFound
from duka import events
from duka.members import CORRECT, Actor, require, shop_frame
from duka.values import normalise_phone
from i18n import N_, t

ROLES = ("clerk", "analyst")
DAYS = 7
GONE = N_(
    "That invitation is no longer open: it was cancelled, answered or more than 7 days old. "
    "Ask the shop's owner to invite you again."
)


@db.transactional
def invite(tx: db.Tx, actor: Actor, phone: str, role: str, address: str | None = None) -> int:
    """The owner invites a phone number as clerk or analyst; the invitation's id."""
    require(actor, CORRECT, N_("invite people"), tx)
    if role not in ROLES:
        raise InvalidInput(t("Invite someone as clerk or analyst; make a member owner after they join."))
    e164 = normalise_phone(phone)
    tx.one("lock_shop_for_invitations", shop_id=actor.shop_id)
    if tx.one("member_with_phone", shop_id=actor.shop_id, phone=e164):
        raise InvalidInput(t("{phone} is already a member of this shop.", phone=e164))
    if tx.one("waiting_invitation_for_phone", shop_id=actor.shop_id, phone=e164):
        raise InvalidInput(
            t("{phone} already has an invitation waiting. Cancel it first to change the role.", phone=e164)
        )
    tx.execute("insert_invitation", shop_id=actor.shop_id, phone=e164, role=role, invited_by=actor.user_id, days=DAYS)
    invitation_id = tx.lastrowid
    events.record(
        tx, "invited", table="invitations", row_id=invitation_id, by=actor.user_id, shop_id=actor.shop_id,
        address=address, phone=e164, role=role,
    )  # fmt: skip
    return invitation_id


def waiting(actor: Actor) -> pd.DataFrame:
    """The shop's invitations still waiting (owner): invitation_id, phone, role, invited_by, created_at, expires_at."""
    return shop_frame(actor, "invitations_of_shop", N_("see invitations"), allowed=CORRECT)


@db.transactional
def cancel(tx: db.Tx, actor: Actor, invitation_id: int, address: str | None = None) -> None:
    """The owner takes back an invitation that is still waiting."""
    require(actor, CORRECT, N_("cancel invitations"), tx)
    if not tx.execute("cancel_invitation", invitation_id=invitation_id, shop_id=actor.shop_id, user_id=actor.user_id):
        raise NotFound(t("That invitation is no longer waiting: it was answered, cancelled or ran out."))
    events.record(
        tx, "invitation_cancelled", table="invitations", row_id=invitation_id, by=actor.user_id,
        shop_id=actor.shop_id, address=address,
    )  # fmt: skip


def for_user(user_id: int) -> list[dict]:
    """The invitations waiting for this user (to their own phone number): invitation_id, shop_id, shop_name,
    role, invited_by (a first name), expires_at."""
    found = db.rows("phone_of_user", user_id=user_id)
    return db.rows("invitations_for_phone", phone=found[0]["phone"]) if found else []


def _answer(tx: db.Tx, invitee: Actor, invitation_id: int) -> dict:
    phone = tx.one("phone_of_user", user_id=invitee.user_id)["phone"]
    found = tx.one("invitation_to_answer", invitation_id=invitation_id, shop_id=invitee.shop_id, phone=phone)
    if found is None:
        raise NotFound(t(GONE))
    return {**found, "phone": phone}


@db.transactional
def accept(tx: db.Tx, invitee: Actor, invitation_id: int, address: str | None = None) -> None:
    """The invitee (Actor of the invited shop) joins it with the invited role."""
    invitation = _answer(tx, invitee, invitation_id)
    if tx.one("member_with_phone", shop_id=invitee.shop_id, phone=invitation["phone"]) is None:
        tx.execute("join_shop", shop_id=invitee.shop_id, user_id=invitee.user_id, role=invitation["role"])
    tx.execute(
        "answer_invitation",
        invitation_id=invitation_id,
        shop_id=invitee.shop_id,
        status="accepted",
        user_id=invitee.user_id,
    )
    events.record(
        tx, "invitation_accepted", table="invitations", row_id=invitation_id, by=invitee.user_id,
        shop_id=invitee.shop_id, address=address, role=invitation["role"],
    )  # fmt: skip


@db.transactional
def decline(tx: db.Tx, invitee: Actor, invitation_id: int, address: str | None = None) -> None:
    """The invitee says no; nothing about them reaches the shop but the answer."""
    _answer(tx, invitee, invitation_id)
    tx.execute(
        "answer_invitation",
        invitation_id=invitation_id,
        shop_id=invitee.shop_id,
        status="declined",
        user_id=invitee.user_id,
    )
    events.record(
        tx, "invitation_declined", table="invitations", row_id=invitation_id, by=invitee.user_id,
        shop_id=invitee.shop_id, address=address,
    )  # fmt: skip
