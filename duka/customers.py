"""A shop's customers: add (warning about look-alikes), edit, archive, restore, merge; who owes and how much."""

from __future__ import annotations

import pandas as pd

import db
from db.errors import DuplicateKey, InvalidInput, NotFound
from duka.clock import today
from duka.members import CORRECT, RECORD, Actor, require, shop_frame, shop_rows
from duka.money import money
from duka.values import clean_text, like_pattern, normalise_phone
from i18n import N_, t, tn


class LookAlike(InvalidInput):
    """A new customer's name is already in the shop: the clerk chooses the existing one or confirms."""

    def __init__(self, matches: list[dict], currency: str) -> None:
        self.matches = matches
        first, more = matches[0], len(matches) - 1
        said = {"name": first["name"], "phone": first["phone"], "owes": money(first["balance"], currency)}
        if first["phone"] and more:
            sentence = tn(
                "{name} already exists — {phone}, owes {owes} (and {n} more with that name): "
                "use them, or confirm this is a different person.",
                "{name} already exists — {phone}, owes {owes} (and {n} more with that name): "
                "use them, or confirm this is a different person.",
                more,
                **said,
            )
        elif more:
            del said["phone"]
            sentence = tn(
                "{name} already exists, owes {owes} (and {n} more with that name): "
                "use them, or confirm this is a different person.",
                "{name} already exists, owes {owes} (and {n} more with that name): "
                "use them, or confirm this is a different person.",
                more,
                **said,
            )
        elif first["phone"]:
            sentence = t(
                "{name} already exists — {phone}, owes {owes}: use them, or confirm this is a different person.",
                **said,
            )
        else:
            del said["phone"]
            sentence = t("{name} already exists, owes {owes}: use them, or confirm this is a different person.", **said)
        super().__init__(sentence)


class StillOwes(InvalidInput):
    """Archiving a customer who owes money needs a second, explicit yes."""


def _checked_phone(tx: db.Tx, actor: Actor, phone: object, customer_id: int | None = None) -> str | None:
    e164 = normalise_phone(phone, required=False)
    other = e164 and tx.one("customer_by_phone", shop_id=actor.shop_id, phone=e164)
    if other and other["id"] != customer_id:
        if other["archived_at"]:
            raise InvalidInput(
                t(
                    "{name} already has phone {phone} in this shop (archived: restore them instead).",
                    name=other["name"],
                    phone=e164,
                )
            )
        raise InvalidInput(t("{name} already has phone {phone} in this shop.", name=other["name"], phone=e164))
    return e164


def insert_customer(tx: db.Tx, actor: Actor, name: str, phone: str | None, look_alike_ok: bool = False) -> int:
    """A new customer (inside the caller's transaction); LookAlike when the name is taken, unless confirmed."""
    member = require(actor, RECORD, N_("add customers"), tx)
    clean = clean_text(name, N_("Customer name"), 120)
    e164 = _checked_phone(tx, actor, phone)
    if not look_alike_ok and (same := tx.rows("customers_named", shop_id=actor.shop_id, name=clean)):
        raise LookAlike(same, member.currency)
    account_no = next_account_no(tx, actor.shop_id)
    try:
        tx.execute(
            "insert_customer",
            shop_id=actor.shop_id,
            name=clean,
            phone=e164,
            account_no=account_no,
            user_id=actor.user_id,
        )
    except DuplicateKey:
        raise InvalidInput(t("Another customer already has phone {phone} in this shop.", phone=e164)) from None
    return tx.lastrowid


def next_account_no(tx: db.Tx, shop_id: int) -> int:
    """The shop's next account number (what a customer types as the account when paying by M-Pesa); the shop's
    row stays locked until the transaction ends, so two customers added at once never share one."""
    tx.one("lock_shop_for_account_numbers", shop_id=shop_id)
    return tx.one("next_account_no", shop_id=shop_id)["account_no"]


def number_customers(tx: db.Tx, shop_id: int) -> int:
    """Account numbers for the shop's customers that have none (loaded in bulk, not added through the app):
    how many were numbered."""
    tx.one("lock_shop_for_account_numbers", shop_id=shop_id)
    return tx.execute("number_unnumbered_customers", shop_id=shop_id)


@db.transactional
def add_customer(tx: db.Tx, actor: Actor, name: str, phone: str | None = None, look_alike_ok: bool = False) -> int:
    """A new customer of the actor's shop; a phone already used is refused, a name already used asks first."""
    return insert_customer(tx, actor, name, phone, look_alike_ok)


def customer(actor: Actor, customer_id: int) -> dict:
    """One customer of the actor's shop with their balance (archived ones too), or NotFound."""
    found = shop_rows(actor, "customer_in_shop", N_("see customers"), customer_id=customer_id)
    if not found:
        raise NotFound(t("No such customer in this shop."))
    return found[0]


def customer_choices(actor: Actor, include_archived: bool = False, limit: int = 5000) -> pd.DataFrame:
    """customer_id, name, phone, balance, archived of the shop's customers, for a picker."""
    return shop_frame(
        actor, "customer_choices", N_("see customers"), include_archived=bool(include_archived), limit=limit
    )


def debtors(actor: Actor, search: str = "", include_cleared: bool = False, limit: int = 500) -> pd.DataFrame:
    """Who owes (or everyone), biggest balance first, with the age of their oldest open sale."""
    return shop_frame(
        actor,
        "debtors_for_shop",
        N_("see the debtors"),
        today=today(),
        pattern=like_pattern(search),
        include_cleared=bool(include_cleared),
        limit=limit,
    )


def locked(tx: db.Tx, actor: Actor, customer_id: int) -> dict:
    """A customer of this shop, locked until the transaction ends (archived ones too), or NotFound."""
    row = tx.one("customer_for_update", shop_id=actor.shop_id, customer_id=customer_id)
    if row is None:
        raise NotFound(t("No such customer in this shop."))
    return row


def live(tx: db.Tx, actor: Actor, customer_id: int) -> dict:
    """A customer who can take new sales (locked), or NotFound / InvalidInput for an archived one."""
    row = locked(tx, actor, customer_id)
    if row["archived_at"] is not None:
        raise InvalidInput(t("{name} is archived: restore them on the customer page first.", name=row["name"]))
    return row


@db.transactional
def edit_customer(tx: db.Tx, actor: Actor, customer_id: int, name: str, phone: str | None) -> None:
    """Correct a customer's name or phone (owner and clerk); the old values stay in the audit log."""
    require(actor, RECORD, N_("edit customers"), tx)
    clean = clean_text(name, N_("Customer name"), 120)
    locked(tx, actor, customer_id)
    e164 = _checked_phone(tx, actor, phone, customer_id)
    try:
        tx.execute("update_customer", shop_id=actor.shop_id, customer_id=customer_id, name=clean, phone=e164)
    except DuplicateKey:
        raise InvalidInput(t("Another customer already has phone {phone} in this shop.", phone=e164)) from None


@db.transactional
def archive_customer(tx: db.Tx, actor: Actor, customer_id: int, even_if_owing: bool = False) -> None:
    """Take a customer out of the pickers, history kept; one who owes money needs even_if_owing."""
    member = require(actor, CORRECT, N_("archive customers"), tx)
    row = locked(tx, actor, customer_id)
    if row["archived_at"] is not None:
        raise InvalidInput(t("{name} is already archived.", name=row["name"]))
    balance = tx.one("customer_in_shop", shop_id=actor.shop_id, customer_id=customer_id)["balance"]
    if balance > 0 and not even_if_owing:
        raise StillOwes(
            t(
                "{name} still owes {owes}. Archive anyway? The debt stays on the debtors list until it is paid.",
                name=row["name"],
                owes=money(balance, member.currency),
            )
        )
    tx.execute("archive_customer", shop_id=actor.shop_id, customer_id=customer_id, user_id=actor.user_id)


@db.transactional
def restore_customer(tx: db.Tx, actor: Actor, customer_id: int) -> None:
    """Bring an archived customer back to the pickers (not one merged into another)."""
    require(actor, CORRECT, N_("restore customers"), tx)
    row = locked(tx, actor, customer_id)
    if row["merged_into"] is not None:
        raise InvalidInput(t("{name} was merged into another customer; their sales are there now.", name=row["name"]))
    tx.execute("restore_customer", shop_id=actor.shop_id, customer_id=customer_id)


@db.transactional
def merge_customers(tx: db.Tx, actor: Actor, keep_id: int, merge_id: int) -> int:
    """Move every sale (and so every payment) of merge_id to keep_id and archive merge_id, in one
    transaction; the triggers keep active_debtors right and log each moved sale. The number of sales moved."""
    require(actor, CORRECT, N_("merge customers"), tx)
    if keep_id == merge_id:
        raise InvalidInput(t("Choose two different customers to merge."))
    first, second = sorted((keep_id, merge_id))  # lock in one order: two merges cannot deadlock
    rows = {first: locked(tx, actor, first), second: locked(tx, actor, second)}
    keep, gone = rows[keep_id], rows[merge_id]
    if keep["archived_at"] is not None:
        raise InvalidInput(t("{name} is archived: restore them before merging into them.", name=keep["name"]))
    if gone["merged_into"] is not None:
        raise InvalidInput(t("{name} was already merged.", name=gone["name"]))
    moved = tx.execute("move_debts", shop_id=actor.shop_id, from_id=merge_id, to_id=keep_id)
    tx.execute("mark_merged", shop_id=actor.shop_id, customer_id=merge_id, into=keep_id, user_id=actor.user_id)
    if keep["phone"] is None and gone["phone"] is not None:  # the phone goes with the person
        tx.execute(
            "update_customer", shop_id=actor.shop_id, customer_id=keep_id, name=keep["name"], phone=gone["phone"]
        )
    return moved
