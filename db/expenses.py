"""What a household or shop spends: categories with budgets, and expenses (list, add, correct, delete)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import mysql.connector
import pandas as pd

from db import core
from db.access import CORRECT, READ, RECORD, Actor, require, today
from db.errors import InvalidInput, NotFound
from db.periods import month_bounds
from db.values import clean_text, like_pattern, parse_amount

PAYMENT_MODES = ("Cash", "M-Pesa", "Credit Card", "Debit Card", "Bank transfer", "Online")
PAGE_SIZE = 50
EXPORT_LIMIT = 200_000  # rows in one export file


# --- categories ----------------------------------------------------------------------------------

def categories(actor: Actor) -> pd.DataFrame:
    """category_id, name, description, monthly_budget, expenses (how many use it)."""
    require(actor, READ, "see categories")
    return core.query("categories_of_shop", cached=True, shop_id=actor.shop_id)


def _budget(value: object) -> Decimal | None:
    return parse_amount(value, "Monthly budget") if str(value or "").strip() else None


def _duplicate_name(exc: mysql.connector.Error, name: str) -> None:
    if exc.errno == 1062:
        raise InvalidInput(f"There is already a category called {name!r}.") from None
    raise exc


@core.transactional
def add_category(tx: core.Tx, actor: Actor, name: str, description: str | None = None,
                 monthly_budget: object = None) -> int:
    require(actor, CORRECT, "add categories", tx)
    clean = clean_text(name, "Category name", 60)
    try:
        tx.execute("insert_category", shop_id=actor.shop_id, name=clean,
                   description=clean_text(description, "Description", 255, required=False),
                   monthly_budget=_budget(monthly_budget))
    except mysql.connector.IntegrityError as exc:
        _duplicate_name(exc, clean)
    return tx.lastrowid


@core.transactional
def update_category(tx: core.Tx, actor: Actor, category_id: int, name: str, description: str | None,
                    monthly_budget: object) -> None:
    """Rename or re-budget a category; its expenses keep pointing at it, so history is kept."""
    require(actor, CORRECT, "change categories", tx)
    clean = clean_text(name, "Category name", 60)
    if not tx.one("category_in_shop", shop_id=actor.shop_id, category_id=category_id):
        raise NotFound("No such category in this shop.")
    try:
        tx.execute("update_category", shop_id=actor.shop_id, category_id=category_id, name=clean,
                   description=clean_text(description, "Description", 255, required=False),
                   monthly_budget=_budget(monthly_budget))
    except mysql.connector.IntegrityError as exc:
        _duplicate_name(exc, clean)


@core.transactional
def delete_category(tx: core.Tx, actor: Actor, category_id: int, move_to: int | None = None) -> int:
    """Delete a category; one that holds expenses needs move_to, where they go first. Returns how many moved."""
    require(actor, CORRECT, "delete categories", tx)
    if not tx.one("category_in_shop", shop_id=actor.shop_id, category_id=category_id):
        raise NotFound("No such category in this shop.")
    moved = 0
    if move_to is not None:
        if move_to == category_id or not tx.one("category_in_shop", shop_id=actor.shop_id, category_id=move_to):
            raise InvalidInput("Choose another category of this shop to move the expenses to.")
        moved = tx.execute("move_expenses_to_category", shop_id=actor.shop_id, category_id=category_id,
                           to_category_id=move_to)
    try:
        tx.execute("delete_category", shop_id=actor.shop_id, category_id=category_id)
    except mysql.connector.IntegrityError:
        raise InvalidInput("This category still has expenses: choose where to move them first.") from None
    return moved


def budget_status(actor: Actor, on: date | None = None) -> pd.DataFrame:
    """This month's spend against each budget: category_id, name, monthly_budget, spent, percent."""
    require(actor, READ, "see budgets")
    start, end = month_bounds(on or today())
    return core.query("budget_status", cached=True, shop_id=actor.shop_id, start=start, end=end)


# --- expenses --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Expense:
    """A checked expense, ready to insert."""
    category_id: int
    spent_on: date
    amount: Decimal
    payment_mode: str
    cashback: Decimal
    description: str


def check_expense(category_id: int, spent_on: date, amount: object, payment_mode: str, cashback: object,
                  description: str | None) -> Expense:
    value = parse_amount(amount)
    back = Decimal("0.00") if not str(cashback or "").strip() or str(cashback).strip() in ("0", "0.00") \
        else parse_amount(cashback, "Cashback")
    if back > value:
        raise InvalidInput("Cashback cannot be more than the amount.")
    if payment_mode not in PAYMENT_MODES:
        raise InvalidInput(f"Payment mode must be one of {', '.join(PAYMENT_MODES)}.")
    if spent_on > today():
        raise InvalidInput("The date of an expense cannot be in the future.")
    return Expense(category_id, spent_on, value, payment_mode, back,
                   clean_text(description, "Description", 255, required=False) or "")


def _row(actor: Actor, e: Expense) -> dict:
    return {"shop_id": actor.shop_id, "category_id": e.category_id, "spent_on": e.spent_on, "amount": e.amount,
            "payment_mode": e.payment_mode, "cashback": e.cashback, "description": e.description,
            "user_id": actor.user_id}


@core.transactional
def add_expense(tx: core.Tx, actor: Actor, category_id: int, spent_on: date, amount: object,
                payment_mode: str = "Cash", cashback: object = None, description: str | None = None) -> int:
    require(actor, RECORD, "add expenses", tx)
    expense = check_expense(category_id, spent_on, amount, payment_mode, cashback, description)
    if not tx.one("category_in_shop", shop_id=actor.shop_id, category_id=category_id):
        raise NotFound("No such category in this shop.")
    tx.execute("insert_expense", **_row(actor, expense))
    return tx.lastrowid


@core.transactional
def edit_expense(tx: core.Tx, actor: Actor, expense_id: int, category_id: int, spent_on: date, amount: object,
                 payment_mode: str, cashback: object, description: str | None) -> None:
    require(actor, CORRECT, "edit expenses", tx)
    expense = check_expense(category_id, spent_on, amount, payment_mode, cashback, description)
    if not tx.one("expense_in_shop", shop_id=actor.shop_id, expense_id=expense_id):
        raise NotFound("No such expense in this shop.")
    if not tx.one("category_in_shop", shop_id=actor.shop_id, category_id=category_id):
        raise NotFound("No such category in this shop.")
    tx.execute("update_expense", expense_id=expense_id, **_row(actor, expense))


@core.transactional
def delete_expenses(tx: core.Tx, actor: Actor, expense_ids: list[int]) -> int:
    """The owner deletes expenses of this shop (ids of other shops match nothing). Returns how many."""
    require(actor, CORRECT, "delete expenses", tx)
    return sum(tx.execute("delete_expense", shop_id=actor.shop_id, expense_id=int(i)) for i in expense_ids)


@core.transactional
def recategorise(tx: core.Tx, actor: Actor, expense_ids: list[int], category_id: int) -> int:
    require(actor, CORRECT, "re-categorise expenses", tx)
    if not tx.one("category_in_shop", shop_id=actor.shop_id, category_id=category_id):
        raise NotFound("No such category in this shop.")
    return sum(tx.execute("recategorise_expense", shop_id=actor.shop_id, expense_id=int(i),
                          category_id=category_id, user_id=actor.user_id) for i in expense_ids)


def expense(actor: Actor, expense_id: int) -> dict:
    require(actor, READ, "see expenses")
    found = core.rows("expense_in_shop", cached=True, shop_id=actor.shop_id, expense_id=expense_id)
    if not found:
        raise NotFound("No such expense in this shop.")
    return found[0]


@dataclass(frozen=True)
class Filter:
    """What the expense list shows."""
    start: date
    end: date
    category_ids: tuple[int, ...] = ()
    modes: tuple[str, ...] = ()
    text: str = ""

    def params(self, actor: Actor) -> dict:
        if self.end < self.start:
            raise InvalidInput("The end date is before the start date.")
        return {"shop_id": actor.shop_id, "start": self.start, "end": self.end,
                "category_ids": ",".join(str(int(i)) for i in self.category_ids),
                "modes": ",".join(m for m in self.modes if m in PAYMENT_MODES), "pattern": like_pattern(self.text)}


def expenses_page(actor: Actor, where: Filter, before: tuple[date, int] | None = None,
                  limit: int = PAGE_SIZE) -> pd.DataFrame:
    """Up to `limit` expenses older than `before` (spent_on, id), newest first; pass the last row's to go on."""
    require(actor, READ, "see expenses")
    day, expense_id = before or (None, None)
    return core.query("expenses_page", cached=True, **where.params(actor), before_day=day, before_id=expense_id, limit=limit)


def filtered_totals(actor: Actor, where: Filter) -> dict:
    """expenses (count), amount and cashback of everything the filter matches."""
    require(actor, READ, "see expenses")
    return core.rows("expenses_filtered_totals", cached=True, **where.params(actor))[0]
