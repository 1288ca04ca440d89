"""Customers, credit sales and payments that behave like a real shop's."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

import pandas as pd
from faker import Faker

# (product, unit, lowest and highest unit price in KES)
PRODUCTS = [
    ("Sugar", "kg", 150, 190),
    ("Maize flour (unga)", "2kg", 130, 180),
    ("Cooking oil", "litre", 280, 380),
    ("Rice", "kg", 140, 220),
    ("Milk", "500ml", 55, 65),
    ("Bread", "loaf", 60, 75),
    ("Tea leaves", "250g", 90, 130),
    ("Soap bar", "piece", 80, 140),
    ("Paraffin", "litre", 150, 190),
    ("Eggs", "tray", 380, 480),
    ("Sukuma wiki", "bunch", 20, 40),
    ("Tomatoes", "kg", 80, 160),
    ("Airtime", "voucher", 50, 500),
    ("Beans", "kg", 160, 240),
    ("Matches", "packet", 30, 50),
]
METHODS = [("M-Pesa", 0.7), ("Cash", 0.25), ("Bank", 0.03), ("Other", 0.02)]
CENT = Decimal("0.01")


@dataclass
class Habit:
    share: float  # of customers
    pays: tuple[float, float]  # fraction of each sale eventually paid
    parts: tuple[int, int]  # number of part-payments
    delay: tuple[int, int]  # days from sale to first payment


HABITS = {
    "prompt": Habit(0.55, (1.0, 1.0), (1, 2), (0, 10)),
    "part_payer": Habit(0.30, (1.0, 1.0), (2, 4), (3, 30)),
    "slow": Habit(0.10, (0.3, 0.8), (1, 3), (20, 75)),
    "defaulter": Habit(0.05, (0.0, 0.2), (0, 1), (30, 120)),
}


def mpesa_code(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    return "".join(rng.choice(letters) for _ in range(10))


def customers(fake: Faker, rng: random.Random, count: int) -> list[dict]:
    seen: set[str] = set()
    people = []
    habits = list(HABITS)
    weights = [HABITS[h].share for h in habits]
    for _ in range(count):
        phone = None
        if rng.random() < 0.85:
            while phone is None or phone in seen:
                phone = f"+2547{rng.randint(10, 99)}{rng.randint(0, 999999):06d}"
            seen.add(phone)
        people.append(
            {
                "name": f"{fake.first_name()} {fake.last_name()}",
                "phone": phone,
                "habit": rng.choices(habits, weights)[0],
            }
        )
    return people


def sales_and_payments(
    rng: random.Random, people: list[dict], start: date, end: date, sales_per_month: float
) -> tuple[list[dict], list[dict]]:
    """Credit sales between start and end; payments follow each customer's habit and never pass end."""
    sales, payments = [], []
    days = (end - start).days + 1
    for index, person in enumerate(people):
        habit = HABITS[person["habit"]]
        count = max(1, round(rng.gauss(sales_per_month * days / 30, 2)))
        for day in sorted(start + timedelta(days=rng.randrange(days)) for _ in range(count)):
            product, unit, low, high = rng.choice(PRODUCTS)
            quantity = Decimal(rng.choice([1, 1, 1, 2, 2, 3, 5]))
            price = Decimal(rng.randint(low, high))
            due = day + timedelta(days=rng.choice([7, 14, 30])) if rng.random() < 0.5 else None
            total = (quantity * price).quantize(CENT)
            sales.append(
                {
                    "customer": index,
                    "product": f"{product} ({unit})",
                    "quantity": quantity,
                    "unit_price": price,
                    "total": total,
                    "debt_date": day,
                    "due_date": due,
                }
            )
            payments += _payments_for(rng, len(sales) - 1, total, day, end, habit)
    return sales, payments


def _payments_for(rng: random.Random, sale: int, total: Decimal, day: date, end: date, habit: Habit) -> list[dict]:
    # whole shillings, rounded down, so the parts can never add up to more than the sale
    to_pay = (total * Decimal(str(round(rng.uniform(*habit.pays), 2)))).quantize(Decimal(1), ROUND_FLOOR)
    parts = rng.randint(*habit.parts)
    if to_pay <= 0 or parts == 0:
        return []
    cuts = sorted(Decimal(rng.randint(1, 99)) / 100 for _ in range(parts - 1))
    amounts, before = [], Decimal(0)
    for cut in [*cuts, Decimal(1)]:
        amounts.append((to_pay * (cut - before)).quantize(Decimal(1), ROUND_FLOOR))
        before = cut
    amounts[-1] = to_pay - sum(amounts[:-1])
    found, paid_at = [], day + timedelta(days=rng.randint(*habit.delay))
    for amount in amounts:
        if paid_at > end or amount <= 0:
            break
        method = rng.choices([m for m, _ in METHODS], [w for _, w in METHODS])[0]
        found.append(
            {
                "sale": sale,
                "amount": amount,
                "method": method,
                "paid_at": paid_at,
                "reference": mpesa_code(rng) if method == "M-Pesa" else None,
            }
        )
        paid_at += timedelta(days=rng.randint(3, 21))
    return found


def customers_frame(shop_id: int, staff: tuple[int, int], people: list[dict], opened: date) -> pd.DataFrame:
    """A shop's customers in load_customers column order. No ids: the server gives them (an id worked out by the
    simulator, from MAX(id) + 1, could meet a row another writer inserts meanwhile, or another node's on a cluster);
    simulate.run reads them back in load order."""
    return pd.DataFrame(
        {
            "shop_id": shop_id,
            "name": [p["name"] for p in people],
            "phone": [p["phone"] for p in people],
            "created_by": staff[0],
            "created_at": f"{opened} 08:00:00",
            "account_no": [1001 + i for i in range(len(people))],  # M-Pesa account numbers, as the app gives
        }
    )


def debts_frame(shop_id: int, staff: tuple[int, int], sales: list[dict], customer_ids: list[int]) -> pd.DataFrame:
    """A shop's credit sales in load_debts column order, for its customers' ids in the order they were loaded;
    sales alternate between the owner and the clerk."""
    return pd.DataFrame(
        {
            "shop_id": shop_id,
            "customer_id": [customer_ids[s["customer"]] for s in sales],
            "product": [s["product"] for s in sales],
            "quantity": [str(s["quantity"]) for s in sales],
            "unit_price": [str(s["unit_price"]) for s in sales],
            "total": [str(s["total"]) for s in sales],
            "debt_date": [str(s["debt_date"]) for s in sales],
            "due_date": [None if s["due_date"] is None else str(s["due_date"]) for s in sales],
            "created_by": [staff[i % 2] for i in range(len(sales))],
            "created_at": [f"{s['debt_date']} 10:00:00" for s in sales],
        }
    )


def payments_frame(shop_id: int, staff: tuple[int, int], payments: list[dict], debt_ids: list[int]) -> pd.DataFrame:
    """A shop's payments in load_payments column order, for its sales' ids in the order they were loaded."""
    return pd.DataFrame(
        {
            "shop_id": shop_id,
            "debt_id": [debt_ids[p["sale"]] for p in payments],
            "amount": [str(p["amount"]) for p in payments],
            "method": [p["method"] for p in payments],
            "reference": [p["reference"] for p in payments],
            "paid_at": [str(p["paid_at"]) for p in payments],
            "recorded_by": [staff[i % 2] for i in range(len(payments))],
            "created_at": [f"{p['paid_at']} 16:00:00" for p in payments],
        }
    )
