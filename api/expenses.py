"""/api/v1/expenses: the list by keyset pages, one expense to read, add, correct or delete, and a day's
expenses read or replaced whole (the seed apps' shape)."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api import shapes
from api.auth import bearer
from db.errors import InvalidInput, NotFound
from duka import expenses
from duka.clock import EARLIEST, today
from duka.tokens import Bearer

router = APIRouter(prefix="/api/v1/expenses", tags=["expenses"])
Caller = Annotated[Bearer, Depends(bearer)]
DAY_LIMIT = 5000  # expenses of one day shown at most


def _category_ids(caller: Bearer, names: list[str]) -> tuple[int, ...]:
    """Category names (any case) as ids of the token's shop; InvalidInput naming one it lacks."""
    frame = expenses.categories(caller.actor)
    named = {str(n).lower(): int(i) for n, i in zip(frame["name"], frame["category_id"])}
    found = []
    for name in names:
        if name.strip().lower() not in named:
            raise InvalidInput(f"No category called {name.strip()!r} in this shop.")
        found.append(named[name.strip().lower()])
    return tuple(found)


def _category_id(caller: Bearer, name: str) -> int:
    return _category_ids(caller, [name])[0]


def _cursor(text: str | None) -> tuple[date, int] | None:
    if not text:
        return None
    try:
        day, _, expense_id = base64.urlsafe_b64decode(text.encode("ascii") + b"==").decode("ascii").partition(":")
        return date.fromisoformat(day), int(expense_id)
    except (ValueError, UnicodeError, binascii.Error):
        raise InvalidInput("cursor: not a cursor this API gave (use next_cursor as it came).") from None


def _next_cursor(last: dict) -> str:
    text = f"{last['spent_on'].isoformat()}:{int(last['expense_id'])}"
    return base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")


@router.get("")
def list_expenses(
    caller: Caller,
    start: date | None = None,
    end: date | None = None,
    category: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies a default list)
    mode: Annotated[list[str], Query()] = [],  # noqa: B006
    q: Annotated[str, Query(max_length=100)] = "",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = expenses.PAGE_SIZE,
) -> dict:
    """Expenses newest first, filtered; `next_cursor` fetches the page after (null on the last)."""
    modes = tuple(m.strip() for text in mode for m in text.split(",") if m.strip())
    names = [c for text in category for c in text.split(",") if c.strip()]
    where = expenses.Filter(start or EARLIEST, end or today(), _category_ids(caller, names) if names else (), modes, q)
    frame = expenses.expenses_page(caller.actor, where, _cursor(cursor), limit + 1)
    rows = frame.to_dict("records")
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "expenses": [shapes.expense(r) for r in rows],
        "next_cursor": _next_cursor(rows[-1]) if more else None,
    }


def _one(caller: Bearer, expense_id: int) -> dict:
    return shapes.expense(expenses.expense(caller.actor, expense_id))


@router.post("", status_code=201)
def add_expense(caller: Caller, body: shapes.ExpenseIn) -> dict:
    """Record an expense (owner or clerk); answers the expense as saved."""
    new_id = expenses.add_expense(
        caller.actor,
        _category_id(caller, body.category),
        body.date,
        body.amount,
        body.payment_mode,
        body.cashback,
        body.description,
    )
    return _one(caller, new_id)


@router.get("/by-date/{day}")
def expenses_of_day(caller: Caller, day: date) -> dict:
    """Every expense of one day, and their total."""
    where = expenses.Filter(day, day)
    rows = expenses.expenses_page(caller.actor, where, None, DAY_LIMIT).to_dict("records")
    totals = expenses.filtered_totals(caller.actor, where)
    return {
        "date": day.isoformat(),
        "expenses": [shapes.expense(r) for r in rows],
        "total": shapes.money(totals["amount"] or 0),
    }


@router.post("/by-date/{day}", status_code=201)
def replace_day(caller: Caller, day: date, body: list[shapes.DayExpenseIn]) -> dict:
    """Replace every expense of the day with the list sent (owner), in one transaction: all or nothing."""
    for number, item in enumerate(body, 1):
        if item.date is not None and item.date != day:
            raise InvalidInput(f"Expense {number}: its date {item.date.isoformat()} is not {day.isoformat()}.")
    expenses.replace_day(caller.actor, day, [item.model_dump(exclude={"date"}) for item in body])
    return expenses_of_day(caller, day)


@router.get("/{expense_id}")
def get_expense(caller: Caller, expense_id: int) -> dict:
    """One expense of the token's shop (404 for any other id)."""
    return _one(caller, expense_id)


@router.put("/{expense_id}")
def edit_expense(caller: Caller, expense_id: int, body: shapes.ExpenseIn) -> dict:
    """Correct an expense (owner); answers it as saved."""
    expenses.edit_expense(
        caller.actor,
        expense_id,
        _category_id(caller, body.category),
        body.date,
        body.amount,
        body.payment_mode,
        body.cashback,
        body.description,
    )
    return _one(caller, expense_id)


@router.delete("/{expense_id}", status_code=204)
def delete_expense(caller: Caller, expense_id: int) -> Response:
    """Delete an expense (owner)."""
    if not expenses.delete_expenses(caller.actor, [expense_id]):
        raise NotFound("No such expense in this shop.")
    return Response(status_code=204)
