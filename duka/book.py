"""The debt book: credit sales, payments, the ledger and the owner's corrections (customers: duka/customers.py)."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from decimal import Decimal

import pandas as pd

import db
from db.errors import InvalidInput, NotFound
from duka import collections, customers
from duka.clock import TIMEZONE, not_future, today, written_day
from duka.members import CORRECT, RECORD, Actor, Membership, require, shop_frame, shop_rows
from duka.money import money, parse_amount, sale_total
from duka.values import clean_text
from i18n import N_, t

# Stored as written here (the API takes them so); shown through t(): 'Pesa taslimu', 'Benki'…
METHODS = (N_("Cash"), "M-Pesa", N_("Bank"), N_("Other"))
# the ledger's kinds as its SQL writes them ('write-off' is the history's and the API's name of the last)
KINDS = {"Sale": N_("Sale"), "Payment": N_("Payment"), "Write-off": N_("Write-off")}


class OverLimit(InvalidInput):
    """A sale, or a correction raising a sale's total, that would take the customer past their credit limit: the
    database's own sentence (i18n/signals.py), which names the balance it would reach and the limit; a clerk is told
    that only an owner can allow it, and an owner may (over_limit_ok=True)."""

    def __init__(self, name: str, limit: Decimal, balance: Decimal, currency: str, owner: bool) -> None:
        self.name, self.limit, self.balance = name, limit, balance
        said = {"balance": money(balance, currency), "limit": money(limit, currency)}
        if owner:
            super().__init__(
                t("Over the credit limit: the balance would be {balance}, past the limit of {limit}.", **said)
            )
        else:
            super().__init__(
                t(
                    "Over the credit limit: the balance would be {balance}, past the limit of {limit}. "
                    "Only an owner can allow it.",
                    **said,
                )
            )


def payment_details(method: str, reference: str | None, product: str) -> str:
    """'M-Pesa QK12AB34CD for Sugar 2kg': what a payment was, in the reader's language."""
    if reference:
        return t("{method} {reference} for {product}", method=t(method), reference=reference, product=product)
    return t("{method} for {product}", method=t(method), product=product)


# --- sales and payments --------------------------------------------------------------------------


def _check_due(day: date, due: date | None) -> None:
    if due is not None and due < day:
        raise InvalidInput(t("The due date cannot be before the date of the sale."))


def _sale_fields(product: str, total: object, quantity: object, unit_price: object, day: date | None, due) -> tuple:
    item = clean_text(product, N_("Product"), 160)
    amount, qty, price = sale_total(total, quantity, unit_price)
    day = not_future(day or today(), N_("sale"))
    _check_due(day, due)
    return item, amount, qty, price, day


def _within_limit(
    tx: db.Tx, actor: Actor, member: Membership, customer_id: int, more: Decimal, over_limit_ok: bool
) -> None:
    """OverLimit when `more` on the customer's balance passes their credit limit and nobody allowed it: a clean
    sentence before the database's trigger (which still guards every other path) refuses the same."""
    if over_limit_ok or more <= 0:
        return
    over = collections.over_limit(actor, customer_id, more)
    if over is None or tx.one("over_limit_allowed")["allowed"]:  # a caller's allow_over_limit block allows it
        return
    name = customers.locked(tx, actor, customer_id)["name"]
    raise OverLimit(name, over[0], over[1], member.currency, member.role == "owner")


def _allowed_over_limit(tx: db.Tx, actor: Actor, over_limit_ok: bool) -> contextlib.AbstractContextManager:
    """The block in which a write may pass the credit limit: only an owner's confirmed one (else nothing)."""
    return collections.allow_over_limit(tx, actor) if over_limit_ok else contextlib.nullcontext()


def _insert_sale(
    tx: db.Tx,
    actor: Actor,
    customer_id: int,
    fields: tuple,
    due_date: date | None,
    over_limit_ok: bool = False,
    new_customer: bool = False,
) -> int:
    """A sale whose fields _sale_fields has read (item, amount, quantity, price, day); a new customer (made in this
    transaction, unseen by the limit's read) has no credit limit yet."""
    member = require(actor, RECORD, N_("record sales"), tx)
    item, amount, qty, price, day = fields
    customers.live(tx, actor, customer_id)
    if not new_customer:
        _within_limit(tx, actor, member, customer_id, amount, over_limit_ok)
    with _allowed_over_limit(tx, actor, over_limit_ok):
        tx.execute(
            "insert_debt",
            shop_id=actor.shop_id,
            customer_id=customer_id,
            product=item,
            quantity=qty,
            unit_price=price,
            total=amount,
            debt_date=day,
            due_date=due_date,
            user_id=actor.user_id,
        )
        debt_id = tx.lastrowid  # inside: the block's closing SET leaves no row id
    return debt_id


@db.transactional
def record_sale(
    tx: db.Tx,
    actor: Actor,
    customer_id: int,
    product: str,
    total: object = None,
    quantity: object = None,
    unit_price: object = None,
    debt_date: date | None = None,
    due_date: date | None = None,
    over_limit_ok: bool = False,
) -> int:
    """A credit sale to a customer of this shop; the trigger adds it to active_debtors. Past the customer's credit
    limit it is refused (OverLimit) unless an owner confirmed it (over_limit_ok)."""
    fields = _sale_fields(product, total, quantity, unit_price, debt_date, due_date)
    return _insert_sale(tx, actor, customer_id, fields, due_date, over_limit_ok)


@db.transactional
def record_sale_to_new_customer(
    tx: db.Tx,
    actor: Actor,
    name: str,
    phone: str | None,
    product: str,
    total: object = None,
    quantity: object = None,
    unit_price: object = None,
    debt_date: date | None = None,
    due_date: date | None = None,
    look_alike_ok: bool = False,
    over_limit_ok: bool = False,
) -> tuple[int, int]:
    """A new customer and their first credit sale, together or not at all: (customer_id, debt_id).

    The sale is checked first, so a clerk hears about a bad amount before a look-alike name. A new customer has no
    credit limit yet; over_limit_ok is taken for the same calls as record_sale's."""
    fields = _sale_fields(product, total, quantity, unit_price, debt_date, due_date)
    customer_id = customers.insert_customer(tx, actor, name, phone, look_alike_ok)
    return customer_id, _insert_sale(tx, actor, customer_id, fields, due_date, over_limit_ok, new_customer=True)


def _payment_fields(method: str, reference: str | None, paid_at: date | None) -> tuple:
    if method not in METHODS:
        raise InvalidInput(t("Payment method must be one of {methods}.", methods=", ".join(METHODS)))
    ref = clean_text(reference, N_("Reference"), 64, required=False)
    return method, ref, not_future(paid_at or today(), N_("payment"))


def _not_before_sale(day: date, sale_day: date, product: str) -> None:
    if day < sale_day:
        raise InvalidInput(
            t(
                "A payment cannot be dated {day}, before the sale of {product} on {sale_day}.",
                day=written_day(day),
                product=product,
                sale_day=written_day(sale_day),
            )
        )


def _insert_payment(
    tx: db.Tx, actor: Actor, debt_id: int, amount: Decimal, method: str, reference: str | None, day: date
) -> int:
    tx.execute(
        "insert_payment",
        shop_id=actor.shop_id,
        debt_id=debt_id,
        amount=amount,
        method=method,
        reference=reference,
        paid_at=day,
        user_id=actor.user_id,
    )
    return tx.lastrowid


_LOCKS = {"sale": ("debt_for_update", "debt_id"), "payment": ("payment_for_update", "payment_id")}
_NOT_FOUND = {"sale": N_("No such sale in this shop."), "payment": N_("No such payment in this shop.")}


def _locked(tx: db.Tx, actor: Actor, kind: str, record_id: int, if_voided: str | None = None) -> dict:
    """A sale or payment of this shop, locked until the transaction ends; NotFound for any other id, and
    InvalidInput(if_voided) when it was voided."""
    query, key = _LOCKS[kind]
    row = tx.one(query, shop_id=actor.shop_id, **{key: record_id})
    if row is None:
        raise NotFound(t(_NOT_FOUND[kind]))
    if if_voided and row["voided_at"] is not None:
        raise InvalidInput(if_voided)
    return row


@db.transactional
def record_payment(
    tx: db.Tx,
    actor: Actor,
    debt_id: int,
    amount: object,
    method: str = "Cash",
    reference: str | None = None,
    paid_at: date | None = None,
) -> int:
    """A payment against one sale, never dated before it; more than its balance is refused with the balance."""
    member = require(actor, RECORD, N_("record payments"), tx)
    value = parse_amount(amount)
    method, ref, day = _payment_fields(method, reference, paid_at)
    debt = _locked(tx, actor, "sale", debt_id, if_voided=t("That sale was voided; it takes no payments."))
    _not_before_sale(day, debt["debt_date"], debt["product"])
    if value > debt["balance"]:
        raise InvalidInput(
            t(
                "Overpayment refused: the balance of {product} is {balance}.",
                product=debt["product"],
                balance=money(debt["balance"], member.currency),
            )
        )
    return _insert_payment(tx, actor, debt_id, value, method, ref, day)


@db.transactional
def pay_customer(
    tx: db.Tx,
    actor: Actor,
    customer_id: int,
    amount: object,
    method: str = "Cash",
    reference: str | None = None,
    paid_at: date | None = None,
) -> list[tuple[int, Decimal]]:
    """A payment against a customer's total, applied to the oldest sales first (only sales made by the
    payment's date), all or nothing."""
    member = require(actor, RECORD, N_("record payments"), tx)
    value = parse_amount(amount)
    method, ref, day = _payment_fields(method, reference, paid_at)
    customers.locked(tx, actor, customer_id)  # archived or not: what is owed can always be paid
    open_debts = tx.rows("open_debts_of_customer_for_update", shop_id=actor.shop_id, customer_id=customer_id)
    owed = sum((d["balance"] for d in open_debts), Decimal("0.00"))
    payable = [d for d in open_debts if d["debt_date"] <= day]
    owed_then = sum((d["balance"] for d in payable), Decimal("0.00"))
    if value > owed:
        raise InvalidInput(
            t("Overpayment refused: this customer's balance is {balance}.", balance=money(owed, member.currency))
        )
    if value > owed_then:
        raise InvalidInput(
            t(
                "On {day} this customer owed {owed}; a payment cannot pay for later sales. "
                "Change the date or the amount.",
                day=written_day(day),
                owed=money(owed_then, member.currency),
            )
        )
    allocations, left = [], value
    for debt in payable:
        if left == 0:
            break
        part = min(left, debt["balance"])
        _insert_payment(tx, actor, debt["debt_id"], part, method, ref, day)
        allocations.append((debt["debt_id"], part))
        left -= part
    return allocations


def open_debts(actor: Actor, customer_id: int) -> pd.DataFrame:
    """The customer's unpaid sales, oldest first: debt_id, debt_date, product, total, paid, balance."""
    return shop_frame(actor, "open_debts_of_customer", N_("see sales"), customer_id=customer_id)


def shops_offset_seconds() -> int:
    """The shops' time zone's distance from UTC now: write-offs are timed by the shops' clock, sales and payments by
    the server's, and the ledger puts them in one order."""
    return int(datetime.now(TIMEZONE).utcoffset().total_seconds())


def ledger(actor: Actor, customer_id: int) -> pd.DataFrame:
    """Sales, payments and write-offs (kind 'Write-off': its sale's product, the amount in written_off, its reason;
    voided when reversed, void_reason the reversal's), newest first, with the balance after each, whether it was
    edited, voided and why; a payment's description in the reader's language ('M-Pesa QK12AB34CD for Sugar 2kg',
    '… kwa Sukari')."""
    frame = shop_frame(
        actor, "customer_ledger", N_("see ledgers"), customer_id=customer_id, offset_seconds=shops_offset_seconds()
    )
    if not frame.empty:
        frame["voided"] = frame["voided"].astype(bool)
        frame["edited"] = frame["edited"].astype(bool)
        frame["description"] = _described(frame)
    return frame


def _described(frame: pd.DataFrame) -> list[str]:
    """The SQL writes a payment as '<method>[ <reference>] for <product>' in English; each of its sales is in the
    same ledger, so the product is known and the method and reference are what comes before ' for <product>'."""
    sales = frame[frame["kind"] == "Sale"]
    products = dict(zip(sales["debt_id"], sales["description"]))
    described = []
    for kind, debt_id, description in zip(frame["kind"], frame["debt_id"], frame["description"]):
        product = products.get(debt_id)
        tail = f" for {product}"
        if kind != "Payment" or product is None or not description.endswith(tail):
            described.append(description)
            continue
        method, _, reference = description[: -len(tail)].partition(" ")
        described.append(payment_details(method, reference or None, product))
    return described


def sale(actor: Actor, debt_id: int) -> dict:
    """Everything about one sale of this shop (a correction form starts from it), or NotFound."""
    found = shop_rows(actor, "sale_in_shop", N_("see sales"), debt_id=debt_id)
    if not found:
        raise NotFound(t("No such sale in this shop."))
    return found[0]


def payment(actor: Actor, payment_id: int) -> dict:
    """Everything about one payment of this shop (a correction form starts from it), or NotFound."""
    found = shop_rows(actor, "payment_in_shop", N_("see payments"), payment_id=payment_id)
    if not found:
        raise NotFound(t("No such payment in this shop."))
    return found[0]


# --- the owner's corrections ------------------------------------------------------------------


@db.transactional
def edit_sale(
    tx: db.Tx,
    actor: Actor,
    debt_id: int,
    product: str,
    total: object,
    debt_date: date,
    due_date: date | None = None,
    quantity: object = None,
    unit_price: object = None,
    over_limit_ok: bool = False,
) -> None:
    """The owner corrects a sale (every field as it should now read); the total cannot fall below what was
    paid, nor the date move after a payment, nor rise past the customer's credit limit unless the owner confirmed
    it (over_limit_ok). The old values stay in audit_log."""
    member = require(actor, CORRECT, N_("edit past sales"), tx)
    item, amount, qty, price, day = _sale_fields(product, total, quantity, unit_price, debt_date, due_date)
    debt = _locked(tx, actor, "sale", debt_id, if_voided=t("That sale was voided; it cannot be edited."))
    if amount < debt["paid"]:
        raise InvalidInput(
            t(
                "The total cannot be less than what was already paid ({paid}).",
                paid=money(debt["paid"], member.currency),
            )
        )
    first_paid = tx.one("first_payment_of_debt", shop_id=actor.shop_id, debt_id=debt_id)["first_paid"]
    if first_paid is not None and day > first_paid:
        raise InvalidInput(
            t("The sale cannot be dated after its first payment, on {day}.", day=written_day(first_paid))
        )
    _within_limit(tx, actor, member, debt["customer_id"], amount - debt["total"], over_limit_ok)
    with _allowed_over_limit(tx, actor, over_limit_ok):
        tx.execute(
            "update_debt",
            shop_id=actor.shop_id,
            debt_id=debt_id,
            product=item,
            quantity=qty,
            unit_price=price,
            total=amount,
            debt_date=day,
            due_date=due_date,
            user_id=actor.user_id,
        )


@db.transactional
def void_sale(tx: db.Tx, actor: Actor, debt_id: int, reason: str) -> None:
    """Flag a sale as void (kept in the history, who and when recorded)."""
    require(actor, CORRECT, N_("void sales"), tx)
    why = clean_text(reason, N_("Reason"), 255)
    debt = _locked(tx, actor, "sale", debt_id, if_voided=t("That sale is already void."))
    if debt["paid"] > 0:
        raise InvalidInput(t("This sale has payments: void them first."))
    tx.execute("void_debt", shop_id=actor.shop_id, debt_id=debt_id, reason=why, user_id=actor.user_id)


@db.transactional
def edit_payment(
    tx: db.Tx, actor: Actor, payment_id: int, amount: object, method: str, reference: str | None, paid_at: date
) -> None:
    """The owner corrects a payment (every field as it should now read); the sale can never end up overpaid
    nor paid before it was made. The old values stay in audit_log."""
    member = require(actor, CORRECT, N_("edit past payments"), tx)
    value = parse_amount(amount)
    method, ref, day = _payment_fields(method, reference, paid_at)
    payment = _locked(tx, actor, "payment", payment_id, if_voided=t("That payment was voided; it cannot be edited."))
    debt = _locked(tx, actor, "sale", payment["debt_id"])
    _not_before_sale(day, debt["debt_date"], debt["product"])
    room = debt["balance"] + payment["amount"]
    if value > room:
        raise InvalidInput(
            t("Overpayment refused: at most {amount} can be paid on this sale.", amount=money(room, member.currency))
        )
    tx.execute(
        "update_payment",
        shop_id=actor.shop_id,
        payment_id=payment_id,
        amount=value,
        method=method,
        reference=ref,
        paid_at=day,
        user_id=actor.user_id,
    )


@db.transactional
def void_payment(tx: db.Tx, actor: Actor, payment_id: int, reason: str) -> None:
    """Flag a payment as void: the sale owes that amount again; the record stays."""
    require(actor, CORRECT, N_("void payments"), tx)
    why = clean_text(reason, N_("Reason"), 255)
    _locked(tx, actor, "payment", payment_id, if_voided=t("That payment is already void."))
    tx.execute("void_payment", shop_id=actor.shop_id, payment_id=payment_id, reason=why, user_id=actor.user_id)
