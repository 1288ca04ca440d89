"""/api/v1 debt book: customers (with balance and ledger), credit sales, payments (to one sale or oldest
first) and the debtors; POST of sales and payments honours an Idempotency-Key header."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import JSONResponse

from api import shapes
from api.auth import bearer
from db.errors import InvalidInput
from duka import book, customers, idempotency
from duka.clock import today
from duka.tokens import Bearer

router = APIRouter(prefix="/api/v1", tags=["debt book"])
Caller = Annotated[Bearer, Depends(bearer)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=idempotency.KEY_LENGTH)]


@router.get("/customers")
def list_customers(caller: Caller, archived: bool = False) -> dict:
    """The shop's customers with their balances (archived ones too with archived=true)."""
    frame = customers.customer_choices(caller.actor, include_archived=archived)
    return {
        "customers": [
            {
                "id": int(r["customer_id"]),
                "name": r["name"],
                "phone": r["phone"],
                "balance": shapes.money(r["balance"]),
                "archived": bool(r["archived"]),
            }
            for r in frame.to_dict("records")
        ]
    }


@router.post("/customers", status_code=201)
def add_customer(caller: Caller, body: shapes.CustomerIn) -> dict:
    """A new customer (owner or clerk); a name already used is refused unless look_alike_ok."""
    new_id = customers.add_customer(caller.actor, body.name, body.phone, body.look_alike_ok)
    return shapes.customer(customers.customer(caller.actor, new_id))


@router.get("/customers/{customer_id}")
def get_customer(caller: Caller, customer_id: int) -> dict:
    """One customer with their balance."""
    return shapes.customer(customers.customer(caller.actor, customer_id))


@router.get("/customers/{customer_id}/ledger")
def customer_ledger(caller: Caller, customer_id: int) -> dict:
    """Sales, payments and write-offs (kind 'Write-off', voided when reversed), newest first, with the balance
    after each."""
    found = customers.customer(caller.actor, customer_id)  # 404 for another shop's customer
    frame = book.ledger(caller.actor, customer_id)
    entries = [
        {
            "date": r["entry_date"].isoformat(),
            "kind": r["kind"],
            "id": int(r["entry_id"]),
            "debt_id": int(r["debt_id"]),
            "description": r["description"],
            "charge": shapes.money(r["charge"]),
            "payment": shapes.money(r["payment"]),
            "written_off": shapes.money(r["written_off"]),  # a write-off's own column: never a payment
            "balance_after": shapes.money(r["running_balance"]),
            "voided": bool(r["voided"]),
            "void_reason": r["void_reason"],
            "edited": bool(r["edited"]),
        }
        for r in frame.to_dict("records")
    ]
    return {"customer": shapes.customer(found), "entries": entries}


def _once(caller: Bearer, key: str | None, payload: dict, write, *args):
    """Run a write once per Idempotency-Key (or simply, without one): (result, remembered response or None)."""
    if not key:
        return write(caller.actor, *args), None
    first, result, response = idempotency.once(caller.actor, key, payload, write, *args, token_id=caller.token_id)
    return result, (None if first else response)


def _answer(caller: Bearer, key: str | None, body: dict) -> JSONResponse:
    if key:
        idempotency.remember(caller.actor, key, body)
    return JSONResponse(body, status_code=201)


@router.post("/sales", status_code=201)
def record_sale(caller: Caller, body: shapes.SaleIn, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """A credit sale: a total, or quantity and unit_price. Answers the sale as saved; a repeat of the same
    Idempotency-Key answers the first sale and records nothing. Past the customer's credit limit: 422 with a
    sentence naming the limit and the balance it would reach, unless an owner sends over_limit_ok."""
    args = (
        body.customer_id,
        body.product,
        body.total,
        body.quantity,
        body.unit_price,
        body.date,
        body.due_date,
        body.over_limit_ok,
    )
    debt_id, remembered = _once(caller, idempotency_key, body.model_dump(mode="json"), book.record_sale, *args)
    if remembered is not None:
        return JSONResponse(remembered, status_code=201)
    return _answer(caller, idempotency_key, shapes.sale(book.sale(caller.actor, int(debt_id))))


@router.post("/payments", status_code=201)
def record_payment(caller: Caller, body: shapes.PaymentIn, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """A payment to one sale (debt_id) or to the customer's oldest sales first; never more than is owed."""
    day = body.date or today()
    if body.debt_id is not None:
        sale = book.sale(caller.actor, body.debt_id)  # 404 for another shop's sale
        if int(sale["customer_id"]) != body.customer_id:
            raise InvalidInput("That sale is not this customer's.")
        args = (body.debt_id, body.amount, body.method, body.reference, day)
        write = book.record_payment
    else:
        args = (body.customer_id, body.amount, body.method, body.reference, day)
        write = book.pay_customer
    result, remembered = _once(caller, idempotency_key, body.model_dump(mode="json"), write, *args)
    if remembered is not None:
        return JSONResponse(remembered, status_code=201)
    if body.debt_id is not None:
        paid = book.payment(caller.actor, int(result))
        allocations = [{"debt_id": body.debt_id, "payment_id": int(result), "amount": shapes.money(paid["amount"])}]
    else:
        allocations = [{"debt_id": int(d), "amount": shapes.money(a)} for d, a in result]
    answer = {
        "customer_id": body.customer_id,
        "debt_id": body.debt_id,
        "amount": shapes.money(sum_of(allocations)),
        "method": body.method,
        "reference": body.reference,
        "date": day.isoformat(),
        "allocations": allocations,
        "balance": shapes.money(customers.customer(caller.actor, body.customer_id)["balance"]),
    }
    return _answer(caller, idempotency_key, answer)


def sum_of(allocations: list[dict]) -> Decimal:
    """What a payment's allocations add up to."""
    return sum((Decimal(a["amount"]) for a in allocations), Decimal("0"))


@router.get("/debtors")
def debtors(
    caller: Caller, q: Annotated[str, Query(max_length=100)] = "", limit: Annotated[int, Query(ge=1, le=5000)] = 500
) -> dict:
    """Who owes, biggest balance first, with the age of the oldest open sale and next_due, the earliest effective
    due date of an open sale: its due date, or the shop's credit period after a sale that has none."""
    frame = customers.debtors(caller.actor, q, limit=limit)
    return {
        "debtors": [
            {
                "customer_id": int(r["customer_id"]),
                "name": r["name"],
                "phone": r["phone"],
                "balance": shapes.money(r["balance"]),
                "oldest_open": shapes.plain(r["oldest_open"]),
                "days_owed": shapes.plain(r["days_owed"]),
                "next_due": shapes.plain(r["next_due"]),
            }
            for r in frame.to_dict("records")
        ]
    }
