"""How values look in JSON: money a string with two decimals, other decimals strings too (never a float),
dates ISO 8601; and the request bodies, whose money fields take strings (or whole numbers), never floats."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

CENT = Decimal("0.01")


def money(value: object) -> str | None:
    """'1250.00' for 1250, None for NULL."""
    if value is None:
        return None
    return f"{Decimal(str(value)).quantize(CENT, ROUND_HALF_UP):f}"


def plain(value: object) -> object:
    """A cell of a read as JSON: decimals as strings, dates ISO, numpy numbers as Python's, NaN as null."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def _no_float(value: object) -> object:
    if isinstance(value, float):
        raise ValueError('send money as a string with two decimals, such as "1250.00" (never a float)')
    if isinstance(value, bool):
        raise ValueError('must be an amount such as "1250.00"')
    return str(value) if isinstance(value, int) else value


Money = Annotated[str, BeforeValidator(_no_float)]
Text = Annotated[str, Field(max_length=500)]


class Body(BaseModel):
    """A request body: unknown fields are refused, so a misspelt field is a 422, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ExpenseIn(Body):
    date: dt.date
    amount: Money
    category: Text
    payment_mode: Text = "Cash"
    cashback: Money | None = None
    description: Text | None = None


class DayExpenseIn(Body):
    """An expense of a day sent to POST /expenses/by-date/{date}: the date is the path's (one here must match)."""

    date: dt.date | None = None
    amount: Money
    category: Text
    payment_mode: Text = "Cash"
    cashback: Money | None = None
    description: Text | None = None


class CustomerIn(Body):
    name: Text
    phone: Text | None = None
    look_alike_ok: bool = False


class SaleIn(Body):
    customer_id: int
    product: Text
    total: Money | None = None
    quantity: Money | None = None
    unit_price: Money | None = None
    date: dt.date | None = None
    due_date: dt.date | None = None
    over_limit_ok: bool = False  # an owner records it past the customer's credit limit (a clerk: 403)


class PaymentIn(Body):
    customer_id: int
    debt_id: int | None = None
    amount: Money
    method: Text = "Cash"
    reference: Text | None = None
    date: dt.date | None = None


def expense(row: dict) -> dict:
    """An expense as the API shows it (from expense_in_shop or expenses_page)."""
    return {
        "id": int(row["expense_id"]),
        "date": row["spent_on"].isoformat(),
        "amount": money(row["amount"]),
        "category": row["category"],
        "payment_mode": row["payment_mode"],
        "cashback": money(row["cashback"]),
        "description": row["description"] or "",
    }


def customer(row: dict) -> dict:
    """A customer with their balance (from customer_in_shop)."""
    return {
        "id": int(row["customer_id"]),
        "name": row["name"],
        "phone": row["phone"],
        "balance": money(row["balance"]),
        "archived": row.get("archived_at") is not None,
    }


def sale(row: dict) -> dict:
    """A credit sale as saved (from sale_in_shop)."""
    return {
        "id": int(row["debt_id"]),
        "customer_id": int(row["customer_id"]),
        "product": row["product"],
        "quantity": plain(row["quantity"]),
        "unit_price": money(row["unit_price"]),
        "total": money(row["total"]),
        "paid": money(row["paid"]),
        "balance": money(row["balance"]),
        "date": row["debt_date"].isoformat(),
        "due_date": row["due_date"].isoformat() if row["due_date"] else None,
        "voided": row["voided_at"] is not None,
    }
