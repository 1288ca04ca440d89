"""The debt book: customers, credit sales, payments and the owner's corrections."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd

import db
from db.errors import DuplicateKey, InvalidInput, NotFound
from duka.clock import not_future, today
from duka.members import CORRECT, RECORD, Actor, require, shop_frame, shop_rows
from duka.money import CENT, money, parse_amount, parse_quantity
from duka.values import clean_text, like_pattern, normalise_phone

METHODS = ("Cash", "M-Pesa", "Bank", "Other")

# --- customers ---------------------------------------------------------------------------------


def _insert_customer(tx: db.Tx, actor: Actor, name: str, phone: str | None) -> int:
    require(actor, RECORD, "add customers", tx)
    clean = clean_text(name, "Customer name", 120)
    e164 = normalise_phone(phone, required=False)
    if e164 and (other := tx.one("customer_by_phone", shop_id=actor.shop_id, phone=e164)):
        raise InvalidInput(f"{other['name']} already has phone {e164} in this shop.")
    try:
        tx.execute("insert_customer", shop_id=actor.shop_id, name=clean, phone=e164, user_id=actor.user_id)
    except DuplicateKey:
        raise InvalidInput(f"Another customer already has phone {e164} in this shop.") from None
    return tx.lastrowid


@db.transactional
def add_customer(tx: db.Tx, actor: Actor, name: str, phone: str | None = None) -> int:
    """A new customer of the actor's shop; a phone already used in this shop is refused."""
    return _insert_customer(tx, actor, name, phone)


def customer(actor: Actor, customer_id: int) -> dict:
    """One customer of the actor's shop with their balance, or NotFound."""
    found = shop_rows(actor, "customer_in_shop", "see customers", customer_id=customer_id)
    if not found:
        raise NotFound("No such customer in this shop.")
    return found[0]


def customer_choices(actor: Actor, limit: int = 5000) -> pd.DataFrame:
    """customer_id, name, phone, balance of the shop's customers, for a picker."""
    return shop_frame(actor, "customer_choices", "see customers", limit=limit)


def debtors(actor: Actor, search: str = "", include_cleared: bool = False, limit: int = 500) -> pd.DataFrame:
    """Who owes (or everyone), biggest balance first, with the age of their oldest open sale."""
    return shop_frame(
        actor,
        "debtors_for_shop",
        "see the debtors",
        today=today(),
        pattern=like_pattern(search),
        include_cleared=bool(include_cleared),
        limit=limit,
    )


# --- sales and payments --------------------------------------------------------------------------


def sale_total(total: object = None, quantity: object = None, unit_price: object = None) -> tuple:
    """(total, quantity, unit_price) from a total, or from quantity × unit price."""
    if str(quantity or "").strip() or str(unit_price or "").strip():
        qty = parse_quantity(quantity)
        price = parse_amount(unit_price, "Unit price")
        amount = (qty * price).quantize(CENT)
        return parse_amount(amount, "Total"), qty, price
    return parse_amount(total, "Total"), None, None


def _check_due(day: date, due: date | None) -> None:
    if due is not None and due < day:
        raise InvalidInput("The due date cannot be before the date of the sale.")


def _insert_sale(
    tx: db.Tx,
    actor: Actor,
    customer_id: int,
    product: str,
    total: object,
    quantity: object,
    unit_price: object,
    debt_date: date | None,
    due_date: date | None,
) -> int:
    require(actor, RECORD, "record sales", tx)
    item = clean_text(product, "Product", 160)
    amount, qty, price = sale_total(total, quantity, unit_price)
    day = not_future(debt_date or today(), "sale")
    _check_due(day, due_date)
    if not tx.one("customer_in_shop", shop_id=actor.shop_id, customer_id=customer_id):
        raise NotFound("No such customer in this shop.")
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
    return tx.lastrowid


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
) -> int:
    """A credit sale to a customer of this shop; the trigger adds it to active_debtors."""
    return _insert_sale(tx, actor, customer_id, product, total, quantity, unit_price, debt_date, due_date)


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
) -> tuple[int, int]:
    """A new customer and their first credit sale, together or not at all: (customer_id, debt_id)."""
    customer_id = _insert_customer(tx, actor, name, phone)
    return customer_id, _insert_sale(tx, actor, customer_id, product, total, quantity, unit_price, debt_date, due_date)


def _payment_fields(method: str, reference: str | None, paid_at: date | None) -> tuple:
    if method not in METHODS:
        raise InvalidInput(f"Payment method must be one of {', '.join(METHODS)}.")
    ref = clean_text(reference, "Reference", 64, required=False)
    return method, ref, not_future(paid_at or today(), "payment")


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


def _locked(tx: db.Tx, actor: Actor, kind: str, record_id: int, if_voided: str | None = None) -> dict:
    """A sale or payment of this shop, locked until the transaction ends; NotFound for any other id, and
    InvalidInput(if_voided) when it was voided."""
    query, key = _LOCKS[kind]
    row = tx.one(query, shop_id=actor.shop_id, **{key: record_id})
    if row is None:
        raise NotFound(f"No such {kind} in this shop.")
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
    """A payment against one sale; more than its balance is refused with the balance in the message."""
    member = require(actor, RECORD, "record payments", tx)
    value = parse_amount(amount)
    method, ref, day = _payment_fields(method, reference, paid_at)
    debt = _locked(tx, actor, "sale", debt_id, if_voided="That sale was voided; it takes no payments.")
    if value > debt["balance"]:
        raise InvalidInput(
            f"Overpayment refused: the balance of {debt['product']} is {money(debt['balance'], member.currency)}."
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
    """A payment against a customer's total, applied to the oldest sales first, all or nothing."""
    member = require(actor, RECORD, "record payments", tx)
    value = parse_amount(amount)
    method, ref, day = _payment_fields(method, reference, paid_at)
    if not tx.one("customer_in_shop", shop_id=actor.shop_id, customer_id=customer_id):
        raise NotFound("No such customer in this shop.")
    open_debts = tx.rows("open_debts_of_customer_for_update", shop_id=actor.shop_id, customer_id=customer_id)
    owed = sum((d["balance"] for d in open_debts), Decimal("0.00"))
    if value > owed:
        raise InvalidInput(f"Overpayment refused: this customer's balance is {money(owed, member.currency)}.")
    allocations, left = [], value
    for debt in open_debts:
        if left == 0:
            break
        part = min(left, debt["balance"])
        _insert_payment(tx, actor, debt["debt_id"], part, method, ref, day)
        allocations.append((debt["debt_id"], part))
        left -= part
    return allocations


def open_debts(actor: Actor, customer_id: int) -> pd.DataFrame:
    """The customer's unpaid sales, oldest first: debt_id, debt_date, product, total, paid, balance."""
    return shop_frame(actor, "open_debts_of_customer", "see sales", customer_id=customer_id)


def ledger(actor: Actor, customer_id: int) -> pd.DataFrame:
    """Sales and payments interleaved, oldest first, with the running balance."""
    frame = shop_frame(actor, "customer_ledger", "see ledgers", customer_id=customer_id)
    if not frame.empty:
        frame["voided"] = frame["voided"].astype(bool)
    return frame


# --- the owner's corrections ------------------------------------------------------------------


@db.transactional
def edit_sale(
    tx: db.Tx, actor: Actor, debt_id: int, product: str, total: object, debt_date: date, due_date: date | None = None
) -> None:
    """The owner corrects a sale's product, total or dates; the total cannot fall below what was paid."""
    member = require(actor, CORRECT, "edit past sales", tx)
    item = clean_text(product, "Product", 160)
    amount = parse_amount(total, "Total")
    not_future(debt_date, "sale")
    _check_due(debt_date, due_date)
    debt = _locked(tx, actor, "sale", debt_id, if_voided="That sale was voided; it cannot be edited.")
    if amount < debt["paid"]:
        raise InvalidInput(
            f"The total cannot be less than what was already paid ({money(debt['paid'], member.currency)})."
        )
    tx.execute(
        "update_debt",
        shop_id=actor.shop_id,
        debt_id=debt_id,
        product=item,
        total=amount,
        debt_date=debt_date,
        due_date=due_date,
        user_id=actor.user_id,
    )


@db.transactional
def void_sale(tx: db.Tx, actor: Actor, debt_id: int, reason: str) -> None:
    """Flag a sale as void (kept in the history, who and when recorded)."""
    require(actor, CORRECT, "void sales", tx)
    why = clean_text(reason, "Reason", 255)
    debt = _locked(tx, actor, "sale", debt_id, if_voided="That sale is already void.")
    if debt["paid"] > 0:
        raise InvalidInput("This sale has payments: void them first.")
    tx.execute("void_debt", shop_id=actor.shop_id, debt_id=debt_id, reason=why, user_id=actor.user_id)


@db.transactional
def edit_payment(
    tx: db.Tx, actor: Actor, payment_id: int, amount: object, method: str, reference: str | None, paid_at: date
) -> None:
    """The owner corrects a payment; the sale can never end up overpaid."""
    member = require(actor, CORRECT, "edit past payments", tx)
    value = parse_amount(amount)
    method, ref, day = _payment_fields(method, reference, paid_at)
    payment = _locked(tx, actor, "payment", payment_id, if_voided="That payment was voided; it cannot be edited.")
    debt = _locked(tx, actor, "sale", payment["debt_id"])
    room = debt["balance"] + payment["amount"]
    if value > room:
        raise InvalidInput(f"Overpayment refused: at most {money(room, member.currency)} can be paid on this sale.")
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
    require(actor, CORRECT, "void payments", tx)
    why = clean_text(reason, "Reason", 255)
    _locked(tx, actor, "payment", payment_id, if_voided="That payment is already void.")
    tx.execute("void_payment", shop_id=actor.shop_id, payment_id=payment_id, reason=why, user_id=actor.user_id)
