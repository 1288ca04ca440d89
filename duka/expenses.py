"""What a household or shop spends: categories with budgets, and expenses (list, add, correct, delete)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

import db
from db.errors import DuplicateKey, InvalidInput, NotFound, StillReferenced
from duka.clock import not_future, today
from duka.members import CORRECT, RECORD, Actor, require, shop_frame, shop_rows
from duka.money import money, parse_amount, parse_cashback
from duka.periods import DateRange, month_bounds
from duka.values import clean_text, like_pattern
from i18n import N_, t

# Stored in English (the database's values, an import's and the API's words); t(mode) where a person reads one.
PAYMENT_MODES = (N_("Cash"), N_("M-Pesa"), N_("Credit Card"), N_("Debit Card"), N_("Bank transfer"), N_("Online"))
PAGE_SIZE = 50
EXPORT_LIMIT = 200_000  # rows in one export file


# --- categories ----------------------------------------------------------------------------------


def categories(actor: Actor) -> pd.DataFrame:
    """category_id, name, description, monthly_budget, essential (a bool), expenses (how many use it)."""
    frame = shop_frame(actor, "categories_of_shop", N_("see categories"))
    return frame.assign(essential=frame["essential"].astype(bool))  # MariaDB's TINYINT(1) arrives as 0 or 1


def _budget(value: object) -> Decimal | None:
    return parse_amount(value, N_("Monthly budget")) if str(value or "").strip() else None


def _duplicate_name(name: str) -> InvalidInput:
    return InvalidInput(t("There is already a category called {name!r}.", name=name))


def insert_category(
    tx: db.Tx, actor: Actor, name: str, description: str | None, monthly_budget: object, essential: bool = False
) -> int:
    """A new category inside a write that already checked the role (adding one, or an import that makes one);
    discretionary unless said essential."""
    clean = clean_text(name, N_("Category name"), 60)
    try:
        tx.execute(
            "insert_category",
            shop_id=actor.shop_id,
            name=clean,
            description=clean_text(description, N_("Description"), 255, required=False),
            monthly_budget=_budget(monthly_budget),
            essential=bool(essential),
        )
    except DuplicateKey:
        raise _duplicate_name(clean) from None
    return tx.lastrowid


def category_ids(tx: db.Tx, actor: Actor) -> dict[str, int]:
    """The shop's categories as lower-case name -> id, read inside a write."""
    return {r["name"].lower(): r["category_id"] for r in tx.rows("categories_of_shop", shop_id=actor.shop_id)}


@db.transactional
def add_category(
    tx: db.Tx,
    actor: Actor,
    name: str,
    description: str | None = None,
    monthly_budget: object = None,
    essential: bool = False,
) -> int:
    """The owner adds a category, with a monthly budget or none, essential (must be paid) or discretionary."""
    require(actor, CORRECT, N_("add categories"), tx)
    return insert_category(tx, actor, name, description, monthly_budget, essential)


@db.transactional
def update_category(
    tx: db.Tx,
    actor: Actor,
    category_id: int,
    name: str,
    description: str | None,
    monthly_budget: object,
    essential: bool | None = None,
) -> None:
    """Rename, re-budget or mark essential a category (essential None keeps the flag); its expenses keep pointing
    at it, so history is kept, and the audit log keeps what it was."""
    require(actor, CORRECT, N_("change categories"), tx)
    clean = clean_text(name, N_("Category name"), 60)
    if not tx.one("category_in_shop", shop_id=actor.shop_id, category_id=category_id):
        raise NotFound(t("No such category in this shop."))
    try:
        tx.execute(
            "update_category",
            shop_id=actor.shop_id,
            category_id=category_id,
            name=clean,
            description=clean_text(description, N_("Description"), 255, required=False),
            monthly_budget=_budget(monthly_budget),
            essential=None if essential is None else bool(essential),
        )
    except DuplicateKey:
        raise _duplicate_name(clean) from None


def what_changed_in_category(before, after, currency: str) -> str:
    """The sentence after saving a category: what is different now (its rows before and after, as read by
    categories(); any mapping with name, description, monthly_budget and essential)."""
    said = []
    name = after["name"]
    if name != before["name"]:
        said.append(t("Category renamed to {name}; its expenses keep their history.", name=name))
    if after["monthly_budget"] != before["monthly_budget"]:
        budget = after["monthly_budget"]
        said.append(
            t("Budget for {name} removed.", name=name)
            if budget is None
            else t("Budget for {name} set to {budget}.", name=name, budget=money(budget, currency))
        )
    if (after["description"] or "") != (before["description"] or ""):
        said.append(t("Description of {name} saved.", name=name))
    if bool(after["essential"]) != bool(before["essential"]):
        said.append(
            t("{name} is now essential.", name=name)
            if after["essential"]
            else t("{name} is now discretionary.", name=name)
        )
    return " ".join(said) or t("Nothing to change: the category already reads like that.")


@db.transactional
def delete_category(tx: db.Tx, actor: Actor, category_id: int, move_to: int | None = None) -> int:
    """Delete a category; one that holds expenses needs move_to, where they go first. Returns how many moved."""
    require(actor, CORRECT, N_("delete categories"), tx)
    if not tx.one("category_in_shop", shop_id=actor.shop_id, category_id=category_id):
        raise NotFound(t("No such category in this shop."))
    moved = 0
    if move_to is not None:
        if move_to == category_id or not tx.one("category_in_shop", shop_id=actor.shop_id, category_id=move_to):
            raise InvalidInput(t("Choose another category of this shop to move the expenses to."))
        moved = tx.execute(
            "move_expenses_to_category", shop_id=actor.shop_id, category_id=category_id, to_category_id=move_to
        )
    try:
        tx.execute("delete_category", shop_id=actor.shop_id, category_id=category_id)
    except StillReferenced:
        raise InvalidInput(t("This category still has expenses: choose where to move them first.")) from None
    return moved


def budget_status(actor: Actor, on: date | None = None) -> pd.DataFrame:
    """This month's spend against each budget: category_id, name, monthly_budget, spent, percent."""
    start, end = month_bounds(on or today())
    return shop_frame(actor, "budget_status", N_("see budgets"), start=start, end=end)


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


def check_expense(
    category_id: int, spent_on: date, amount: object, payment_mode: str, cashback: object, description: str | None
) -> Expense:
    """An Expense ready to insert, or InvalidInput saying what is wrong with the amount, cashback, mode or date."""
    value = parse_amount(amount)
    back = parse_cashback(cashback)
    if back > value:
        raise InvalidInput(t("Cashback cannot be more than the amount."))
    if payment_mode not in PAYMENT_MODES:
        # the values themselves: what an API client sends (a page offers only these)
        raise InvalidInput(t("Payment mode must be one of {modes}.", modes=", ".join(PAYMENT_MODES)))
    not_future(spent_on, N_("expense"))
    return Expense(
        category_id,
        spent_on,
        value,
        payment_mode,
        back,
        clean_text(description, N_("Description"), 255, required=False) or "",
    )


def _row(actor: Actor, e: Expense) -> dict:
    return {
        "shop_id": actor.shop_id,
        "category_id": e.category_id,
        "spent_on": e.spent_on,
        "amount": e.amount,
        "payment_mode": e.payment_mode,
        "cashback": e.cashback,
        "description": e.description,
        "user_id": actor.user_id,
    }


def insert_rows(tx: db.Tx, rows: list[dict]) -> None:
    """Insert checked expenses inside a write that checked the role: dicts of shop_id, category_id, spent_on,
    amount, payment_mode, cashback, description and user_id (an import's batch, one shop and one person), in one
    statement that reads them from a JSON array, one parameter: the connector (pure Python in the app's pool)
    spent a third of a 100,000-row import formatting eight parameters a row for executemany."""
    if not rows:
        return
    shop_id, user_id = rows[0]["shop_id"], rows[0]["user_id"]
    if any(r["shop_id"] != shop_id or r["user_id"] != user_id for r in rows):
        raise ValueError("insert_rows takes the rows of one shop and one person")
    lines = [
        [
            r["category_id"],
            r["spent_on"].isoformat(),
            str(r["amount"]),
            r["payment_mode"],
            None if r["cashback"] is None else str(r["cashback"]),
            r["description"],
        ]
        for r in rows
    ]
    tx.execute("insert_expense_rows", shop_id=shop_id, user_id=user_id, rows=json.dumps(lines, ensure_ascii=False))


@db.transactional
def add_expense(
    tx: db.Tx,
    actor: Actor,
    category_id: int,
    spent_on: date,
    amount: object,
    payment_mode: str = "Cash",
    cashback: object = None,
    description: str | None = None,
) -> int:
    """An owner or clerk records an expense in one of the shop's categories."""
    require(actor, RECORD, N_("add expenses"), tx)
    expense = check_expense(category_id, spent_on, amount, payment_mode, cashback, description)
    if not tx.one("category_in_shop", shop_id=actor.shop_id, category_id=category_id):
        raise NotFound(t("No such category in this shop."))
    tx.execute("insert_expense", **_row(actor, expense))
    return tx.lastrowid


@db.transactional
def edit_expense(
    tx: db.Tx,
    actor: Actor,
    expense_id: int,
    category_id: int,
    spent_on: date,
    amount: object,
    payment_mode: str,
    cashback: object,
    description: str | None,
) -> None:
    """The owner corrects an expense of the shop."""
    require(actor, CORRECT, N_("edit expenses"), tx)
    expense = check_expense(category_id, spent_on, amount, payment_mode, cashback, description)
    if not tx.one("expense_in_shop", shop_id=actor.shop_id, expense_id=expense_id):
        raise NotFound(t("No such expense in this shop."))
    if not tx.one("category_in_shop", shop_id=actor.shop_id, category_id=category_id):
        raise NotFound(t("No such category in this shop."))
    tx.execute("update_expense", expense_id=expense_id, **_row(actor, expense))


@db.transactional
def delete_expenses(tx: db.Tx, actor: Actor, expense_ids: list[int]) -> int:
    """The owner deletes expenses of this shop (ids of other shops match nothing). Returns how many."""
    require(actor, CORRECT, N_("delete expenses"), tx)
    return sum(tx.execute("delete_expense", shop_id=actor.shop_id, expense_id=int(i)) for i in expense_ids)


@db.transactional
def replace_day(tx: db.Tx, actor: Actor, day: date, items: list[dict]) -> list[int]:
    """The owner replaces every expense of one day with the list given (dicts of category (a name), amount,
    payment_mode, cashback, description), all or nothing; the new ids in the list's order."""
    require(actor, CORRECT, N_("replace a day's expenses"), tx)
    named = category_ids(tx, actor)
    checked = []
    for number, item in enumerate(items, 1):
        category_id = named.get(str(item.get("category") or "").strip().lower())
        if category_id is None:
            raise InvalidInput(
                t(
                    "Expense {number}: no category called {name!r} in this shop.",
                    number=number,
                    name=item.get("category"),
                )
            )
        checked.append(
            check_expense(
                category_id,
                day,
                item.get("amount"),
                item.get("payment_mode") or "Cash",
                item.get("cashback"),
                item.get("description"),
            )
        )
    for row in tx.rows("expense_ids_of_day", shop_id=actor.shop_id, spent_on=day):
        tx.execute("delete_expense", shop_id=actor.shop_id, expense_id=row["expense_id"])
    ids = []
    for expense in checked:
        tx.execute("insert_expense", **_row(actor, expense))
        ids.append(tx.lastrowid)
    return ids


@db.transactional
def recategorise(tx: db.Tx, actor: Actor, expense_ids: list[int], category_id: int) -> int:
    """The owner moves expenses of the shop to another category; returns how many moved."""
    require(actor, CORRECT, N_("re-categorise expenses"), tx)
    if not tx.one("category_in_shop", shop_id=actor.shop_id, category_id=category_id):
        raise NotFound(t("No such category in this shop."))
    return sum(
        tx.execute(
            "recategorise_expense",
            shop_id=actor.shop_id,
            expense_id=int(i),
            category_id=category_id,
            user_id=actor.user_id,
        )
        for i in expense_ids
    )


def expense(actor: Actor, expense_id: int) -> dict:
    """One expense of the shop, or NotFound."""
    found = shop_rows(actor, "expense_in_shop", N_("see expenses"), expense_id=expense_id)
    if not found:
        raise NotFound(t("No such expense in this shop."))
    return found[0]


@dataclass(frozen=True)
class Filter(DateRange):
    """What the expense list shows: a date range, and categories, payment modes and text (empty: all)."""

    category_ids: tuple[int, ...] = ()
    modes: tuple[str, ...] = ()
    text: str = ""

    def params(self) -> dict:
        """The filter as SQL parameters (lists as comma-separated text for FIND_IN_SET)."""
        return {
            **super().params(),
            "category_ids": ",".join(str(int(i)) for i in self.category_ids),
            "modes": ",".join(m for m in self.modes if m in PAYMENT_MODES),
            "pattern": like_pattern(self.text),
        }


def expenses_page(
    actor: Actor, where: Filter, before: tuple[date, int] | None = None, limit: int = PAGE_SIZE
) -> pd.DataFrame:
    """Up to `limit` expenses older than `before` (spent_on, id), newest first; pass the last row's to go on."""
    day, expense_id = before or (None, None)
    return shop_frame(
        actor, "expenses_page", N_("see expenses"), **where.params(), before_day=day, before_id=expense_id, limit=limit
    )


def filtered_totals(actor: Actor, where: Filter) -> dict:
    """expenses (count), amount and cashback of everything the filter matches."""
    return shop_rows(actor, "expenses_filtered_totals", N_("see expenses"), **where.params())[0]
