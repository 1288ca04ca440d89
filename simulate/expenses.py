"""A household's or shop's spending, generated a million rows at a time with numpy (exact integer cents)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

# Category: (lowest, highest) in "base units"; scaled to the shop's currency. From the seed's rules.
RANGES = {
    "Groceries": (20, 300),
    "Stationery": (5, 100),
    "Bills": (30, 200),
    "Subscriptions": (5, 100),
    "Investment": (100, 1000),
    "Transport": (10, 50),
    "Education": (50, 500),
    "Food": (10, 200),
    "Rent": (300, 2000),
    "Entertainment": (10, 200),
    "Shopping": (20, 500),
    "Health": (20, 300),
    "Utilities": (30, 200),
}
EXTRA_CATEGORIES = {"Stationery": "Pens, paper, receipt books", "Investment": "Chama, SACCO, savings"}
RECURRING = {"Rent": (1, 5), "Bills": (8, 12), "Utilities": (15, 20)}  # once a month, between these days
WEIGHTS = {
    "Groceries": 24,
    "Food": 20,
    "Transport": 18,
    "Shopping": 8,
    "Entertainment": 7,
    "Health": 5,
    "Stationery": 5,
    "Subscriptions": 4,
    "Education": 4,
    "Investment": 2,
}
MODES = ("Cash", "M-Pesa", "Credit Card", "Debit Card", "Online")
MODE_WEIGHTS = (0.30, 0.35, 0.12, 0.13, 0.10)
SCALE = {
    "KES": 100,
    "UGX": 3000,
    "TZS": 2500,
    "RWF": 1000,
    "ETB": 60,
    "NGN": 1200,
    "GHS": 12,
    "ZAR": 15,
    "INR": 80,
    "USD": 1,
    "EUR": 1,
    "GBP": 1,
}


@dataclass(frozen=True)
class ShopSpend:
    shop_id: int
    recorded_by: int
    currency: str
    category_ids: dict[str, int]


def days_so_far(months: list[date], through: date) -> np.ndarray:
    """How many days of each month have happened by `through`: all of a past month, part of the current one."""
    lengths = np.array([(_next_month(m) - m).days for m in months])
    return np.clip(np.array([(through - m).days + 1 for m in months]), 0, lengths)


def random_per_month(months: list[date], per_month: int, through: date) -> np.ndarray:
    """The random expenses of each month: per_month for a whole month, its share of the days for one in progress
    (rounded half up, in integers)."""
    lengths = np.array([(_next_month(m) - m).days for m in months])
    return (per_month * days_so_far(months, through) * 2 + lengths) // (2 * lengths)


def rows_expected(months: list[date], per_month: int, through: date) -> int:
    """How many expenses one shop gets: the random ones, and each recurring one whose days have begun."""
    recurring = sum(int((days_so_far(months, through) >= low).sum()) for low, _ in RECURRING.values())
    return int(random_per_month(months, per_month, through).sum()) + recurring


def generate(
    rng: np.random.Generator,
    shops: list[ShopSpend],
    months: list[date],
    per_month: int,
    companies: list[str],
    through: date | None = None,
) -> pd.DataFrame:
    """Expenses in load_expenses column order (amounts in integer cents): recurring rent and bills each month,
    the rest drawn at random.
    Nothing is dated after `through` (the simulation's today): a month in progress gets its days so far; None
    only for months that are over (a benchmark's), which are made whole.

    Everything stays integers: amounts in cents, text columns as codes into small tables of text (pandas
    categoricals: dates, descriptions, modes), which db.bulk writes without a string per cell.
    """
    through = through or _next_month(months[-1]) - timedelta(days=1)
    names = list(RANGES)
    random_codes = np.array([names.index(n) for n in WEIGHTS])
    weights = np.array(list(WEIGHTS.values()), dtype=float)
    first_day = np.datetime64(months[0], "D")
    month_offsets = np.array([(np.datetime64(m, "D") - first_day).astype(int) for m in months])
    month_days = np.array([(_next_month(m) - m).days for m in months])
    happened = days_so_far(months, through)
    counts = random_per_month(months, per_month, through)
    parts = []
    for shop in shops:
        # random spending: category by weight, any day of the month that has happened
        month_index = np.repeat(np.arange(len(months)), counts)
        category = random_codes[rng.choice(len(random_codes), size=len(month_index), p=weights / weights.sum())]
        day = month_offsets[month_index] + (rng.random(len(month_index)) * happened[month_index]).astype(np.int64)
        codes, days = [category], [day]
        for name, (low_day, high_day) in RECURRING.items():  # once a month, once its days have begun
            drawn = rng.integers(low_day - 1, high_day, size=len(months))
            begun = happened >= low_day
            codes.append(np.full(int(begun.sum()), names.index(name)))
            days.append((month_offsets + np.minimum(drawn, happened - 1))[begun])  # paid by today at the latest
        parts.append((shop, np.concatenate(codes), np.concatenate(days)))
    return _frame(rng, parts, names, first_day, int(month_offsets[-1] + month_days[-1]), companies)


def generate_in_chunks(
    rng: np.random.Generator,
    shops: list[ShopSpend],
    months: list[date],
    per_month: int,
    companies: list[str],
    through: date | None = None,
    months_per_chunk: int = 1,
) -> Iterator[pd.DataFrame]:
    """The same kind of rows, a few months at a time, so loading one chunk overlaps making the next."""
    for start in range(0, len(months), months_per_chunk):
        frame = generate(rng, shops, months[start : start + months_per_chunk], per_month, companies, through)
        yield frame


def _frame(
    rng: np.random.Generator,
    parts: list,
    names: list[str],
    first_day: np.datetime64,
    span: int,
    companies: list[str],
) -> pd.DataFrame:
    category = np.concatenate([codes for _, codes, _ in parts])
    day = np.concatenate([days for _, _, days in parts])
    shop_index = np.concatenate([np.full(len(codes), i) for i, (_, codes, _) in enumerate(parts)])
    n = len(category)
    scale = np.array([SCALE.get(shop.currency, 1) for shop, _, _ in parts])[shop_index]
    low = np.array([RANGES[x][0] for x in names])[category] * scale * 100
    high = np.array([RANGES[x][1] for x in names])[category] * scale * 100
    cents = low + (rng.random(n) * (high - low + 1)).astype(np.int64)
    cents = np.where(scale >= 10, cents // 100 * 100, cents)  # whole shillings where cents are not used
    cashback = np.where(rng.random(n) < 0.30, (cents * rng.random(n) * 0.10).astype(np.int64), 0)
    cashback = np.where(scale >= 10, cashback // 100 * 100, cashback)
    company = rng.integers(0, len(companies), size=n)
    mode = rng.choice(len(MODES), size=n, p=MODE_WEIGHTS)
    # Each shop's expenses in date order, as a book is kept: ids rise with the days, and the (shop, day) indexes
    # are filled from one end instead of all over (the load is cheaper for the server).
    order = np.lexsort((day, shop_index))
    category, day, shop_index, cents, cashback, company, mode = (
        a[order] for a in (category, day, shop_index, cents, cashback, company, mode)
    )
    days_text = [str(d) for d in np.datetime_as_string(first_day + np.arange(span), unit="D")]
    descriptions = [f"{c} at {x}" for c in names for x in companies]
    category_ids = np.array([[shop.category_ids[x] for x in names] for shop, _, _ in parts])
    return pd.DataFrame(
        {
            "shop_id": np.array([shop.shop_id for shop, _, _ in parts])[shop_index],
            "category_id": category_ids[shop_index, category],
            "spent_on": pd.Categorical.from_codes(day, categories=days_text),
            "amount_cents": cents,
            "payment_mode": pd.Categorical.from_codes(mode, categories=list(MODES)),
            "cashback_cents": cashback,
            "description": pd.Categorical.from_codes(category * len(companies) + company, categories=descriptions),
            "recorded_by": np.array([shop.recorded_by for shop, _, _ in parts])[shop_index],
            "created_at": pd.Categorical.from_codes(day, categories=[f"{d} 18:00:00" for d in days_text]),
        }
    )


def money(cents: np.ndarray) -> pd.Categorical:
    """Integer cents as exact decimal text (123456 -> '1234.56'), made once per distinct amount."""
    distinct, codes = np.unique(cents, return_inverse=True)
    return pd.Categorical.from_codes(codes.ravel(), categories=[f"{c // 100}.{c % 100:02d}" for c in distinct.tolist()])


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)
