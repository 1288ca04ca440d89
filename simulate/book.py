"""Customers, credit sales and payments that behave like a real shop's, drawn for every shop at once with numpy
(whole arrays of integer codes, days and shillings; text only at the end, from small lookup tables)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from faker import Faker

from simulate.expenses import money

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
QUANTITIES = np.array([1, 1, 1, 2, 2, 3, 5])
DUE_IN = np.array([7, 14, 30])  # days, for the half of the sales that carry a due date
METHODS = [("M-Pesa", 0.7), ("Cash", 0.25), ("Bank", 0.03), ("Other", 0.02)]
MPESA_LETTERS = np.frombuffer(b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", dtype=np.uint8)


@dataclass(frozen=True)
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
_HABIT = list(HABITS.values())


def _of_habit(field: str, end: int) -> np.ndarray:
    """One bound of one habit field, per habit code (0 prompt … 3 defaulter)."""
    return np.array([getattr(h, field)[end] for h in _HABIT])


def customers(fake: Faker, rng: np.random.Generator, shops: int, count: int) -> pd.DataFrame:
    """`count` customers for each of `shops` shops, in shop order: shop (0-based), name, phone (85% have one,
    unique within the shop) and habit (a code into HABITS)."""
    n = shops * count
    shop = np.repeat(np.arange(shops), count)
    names = [f"{fake.first_name()} {fake.last_name()}" for _ in range(n)]
    has_phone = rng.random(n) < 0.85
    number = rng.integers(10, 100, n) * 1_000_000 + rng.integers(0, 1_000_000, n)
    while True:  # a phone twice in one shop is redrawn (the table allows each once per shop)
        twice = pd.DataFrame({"shop": shop, "number": number}).duplicated().to_numpy() & has_phone
        if not twice.any():
            break
        number[twice] = rng.integers(10, 100, int(twice.sum())) * 1_000_000 + rng.integers(
            0, 1_000_000, int(twice.sum())
        )
    habit = rng.choice(len(_HABIT), size=n, p=[h.share for h in _HABIT])
    phone = np.where(has_phone, np.char.add("+2547", np.char.zfill(number.astype(str), 8)).astype(object), None)
    return pd.DataFrame({"shop": shop, "name": names, "phone": phone, "habit": habit})


def sales(rng: np.random.Generator, people: pd.DataFrame, start: date, end: date, per_month: float) -> pd.DataFrame:
    """Credit sales between start and end, each customer's in date order: customer (row of `people`), product
    (code into PRODUCTS), quantity, unit price and total in whole shillings, day and due day (days after
    start; -1 for no due date; a due day may pass end: it is a promise)."""
    days = (end - start).days + 1
    count = np.maximum(1, np.rint(rng.normal(per_month * days / 30, 2, len(people)))).astype(np.int64)
    customer = np.repeat(np.arange(len(people)), count)
    day = rng.integers(0, days, len(customer))
    day = day[np.lexsort((day, customer))]  # customer is already in order: this sorts each one's days
    n = len(customer)
    product = rng.integers(0, len(PRODUCTS), n)
    low, high = (np.array([p[i] for p in PRODUCTS]) for i in (2, 3))
    quantity = QUANTITIES[rng.integers(0, len(QUANTITIES), n)]
    price = rng.integers(low[product], high[product] + 1)
    due = np.where(rng.random(n) < 0.5, day + DUE_IN[rng.integers(0, len(DUE_IN), n)], -1)
    return pd.DataFrame(
        {
            "customer": customer,
            "product": product,
            "quantity": quantity,
            "unit_price": price,
            "total": quantity * price,
            "day": day,
            "due": due,
        }
    )


def payments(rng: np.random.Generator, people: pd.DataFrame, sold: pd.DataFrame, last_day: int) -> pd.DataFrame:
    """Payments of the sales as each customer's habit says: a share of the total in whole shillings (rounded
    down, so the parts never add up to more than the sale), in part-payments some days apart; none after
    last_day (days after start). Columns: sale (row of `sold`), amount (shillings), method (code into METHODS),
    reference (an M-Pesa code, else None), day."""
    habit = people["habit"].to_numpy()[sold["customer"].to_numpy()]
    total, sale_day = sold["total"].to_numpy(), sold["day"].to_numpy()
    share = np.rint(rng.uniform(_of_habit("pays", 0)[habit], _of_habit("pays", 1)[habit]) * 100).astype(np.int64)
    to_pay = total * share // 100
    parts = rng.integers(_of_habit("parts", 0)[habit], _of_habit("parts", 1)[habit] + 1)
    parts = np.where(to_pay > 0, parts, 0)
    sale = np.repeat(np.arange(len(sold)), parts)
    m = len(sale)
    first = np.cumsum(parts) - parts  # where each sale's parts begin
    place = np.arange(m) - np.repeat(first, parts)  # 0, 1, … within a sale
    last = place == np.repeat(parts, parts) - 1
    # cut points in hundredths, sorted within each sale; the last part ends at 100
    cut = np.where(last, 100, rng.integers(1, 100, m))
    cut = cut[np.lexsort((cut, sale))]
    before = np.where(place == 0, 0, np.roll(cut, 1))
    amount = to_pay[sale] * (cut - before) // 100
    paid_before_last = np.bincount(sale, weights=np.where(last, 0, amount), minlength=len(sold)).astype(np.int64)
    amount = np.where(last, to_pay[sale] - paid_before_last[sale], amount)
    gap = np.where(
        place == 0,
        rng.integers(_of_habit("delay", 0)[habit[sale]], _of_habit("delay", 1)[habit[sale]] + 1),
        rng.integers(3, 22, m),
    )
    running = np.cumsum(gap)
    day = sale_day[sale] + running - (running - gap)[np.repeat(first, parts)]  # each sale's own running sum
    method = rng.choice(len(METHODS), size=m, p=[w for _, w in METHODS])
    letters = MPESA_LETTERS[rng.integers(0, len(MPESA_LETTERS), (m, 10))]
    reference = np.where(method == 0, letters.view("S10").ravel().astype(str).astype(object), None)
    keep = (day <= last_day) & (amount > 0)
    return pd.DataFrame({"sale": sale, "amount": amount, "method": method, "reference": reference, "day": day})[
        keep
    ].reset_index(drop=True)


def _day_texts(start: date, days: np.ndarray, suffix: str = "") -> pd.Categorical:
    """Days after start as 'YYYY-MM-DD' text (and a time after it), None where a day is -1."""
    span = int(days.max()) + 1 if len(days) else 1
    texts = [f"{start + timedelta(days=i)}{suffix}" for i in range(span)]
    return pd.Categorical.from_codes(np.where(days >= 0, days, -1), categories=texts)


def _by_shop_turn(shop: np.ndarray, staff: np.ndarray) -> np.ndarray:
    """The owner and the clerk of each row's shop in turn (rows grouped by shop): staff[shop, i % 2], i counted
    within the shop."""
    first = np.searchsorted(shop, shop, side="left")
    return staff[shop, (np.arange(len(shop)) - first) % 2]


def customers_frame(people: pd.DataFrame, shop_ids: np.ndarray, staff: np.ndarray, opened: date) -> pd.DataFrame:
    """The customers in load_customers column order. No ids: the server gives them (an id worked out by the
    simulator, from MAX(id) + 1, could meet a row another writer inserts meanwhile, or another node's on a cluster);
    simulate.run reads them back in load order. staff: (owner, clerk) user ids per shop."""
    shop = people["shop"].to_numpy()
    first = np.searchsorted(shop, shop, side="left")
    return pd.DataFrame(
        {
            "shop_id": shop_ids[shop],
            "name": people["name"],
            "phone": people["phone"],
            "created_by": staff[shop, 0],
            "created_at": f"{opened} 08:00:00",
            "account_no": 1001 + np.arange(len(shop)) - first,  # M-Pesa account numbers, as the app gives
        }
    )


def debts_frame(
    people: pd.DataFrame,
    sold: pd.DataFrame,
    shop_ids: np.ndarray,
    staff: np.ndarray,
    customer_ids: np.ndarray,
    start: date,
) -> pd.DataFrame:
    """The credit sales in load_debts column order, for the customers' ids in load order; each shop's sales
    alternate between its owner and its clerk."""
    shop = people["shop"].to_numpy()[sold["customer"].to_numpy()]
    product = np.array([f"{p} ({unit})" for p, unit, _, _ in PRODUCTS], dtype=object)
    day, due = sold["day"].to_numpy(), sold["due"].to_numpy()
    return pd.DataFrame(
        {
            "shop_id": shop_ids[shop],
            "customer_id": customer_ids[sold["customer"].to_numpy()],
            "product": pd.Categorical.from_codes(sold["product"].to_numpy(), categories=product),
            "quantity": sold["quantity"].to_numpy(),
            "unit_price": money(sold["unit_price"].to_numpy() * 100),
            "total": money(sold["total"].to_numpy() * 100),
            "debt_date": _day_texts(start, day),
            "due_date": _day_texts(start, due),
            "created_by": _by_shop_turn(shop, staff),
            "created_at": _day_texts(start, day, " 10:00:00"),
        }
    )


def payments_frame(
    people: pd.DataFrame,
    sold: pd.DataFrame,
    paid: pd.DataFrame,
    shop_ids: np.ndarray,
    staff: np.ndarray,
    debt_ids: np.ndarray,
    start: date,
) -> pd.DataFrame:
    """The payments in load_payments column order, for the sales' ids in load order."""
    sale = paid["sale"].to_numpy()
    shop = people["shop"].to_numpy()[sold["customer"].to_numpy()[sale]]
    day = paid["day"].to_numpy()
    return pd.DataFrame(
        {
            "shop_id": shop_ids[shop],
            "debt_id": debt_ids[sale],
            "amount": money(paid["amount"].to_numpy() * 100),
            "method": pd.Categorical.from_codes(paid["method"].to_numpy(), categories=[m for m, _ in METHODS]),
            "reference": paid["reference"],
            "paid_at": _day_texts(start, day),
            "recorded_by": _by_shop_turn(shop, staff),
            "created_at": _day_texts(start, day, " 16:00:00"),
        }
    )
