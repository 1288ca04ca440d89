"""Where the money goes: every figure is computed in SQL (GROUP BY, window functions), never in pandas."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from db import core
from db.access import READ, Actor, require, today
from db.errors import InvalidInput
from db.expenses import budget_status
from db.periods import add_months, month_bounds, month_start, previous_period
from db.values import money

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    category_ids: tuple[int, ...] = ()

    def params(self, actor: Actor) -> dict:
        if self.end < self.start:
            raise InvalidInput("The end date is before the start date.")
        return {"shop_id": actor.shop_id, "start": self.start, "end": self.end,
                "category_ids": ",".join(str(int(i)) for i in self.category_ids)}


def summary(actor: Actor, period: Period) -> dict:
    """total, cashback, expenses, daily_average, previous_total and change_percent (None without a previous)."""
    require(actor, READ, "see analytics")
    previous_start, _ = previous_period(period.start, period.end)
    row = core.rows("expense_summary", cached=True, **period.params(actor), previous_start=previous_start)[0]
    before = row["previous_total"]
    row["change_percent"] = (None if not before else
                             ((row["total"] - before) * 100 / before).quantize(Decimal("0.1")))
    return row


def monthly_trend(actor: Actor, period: Period) -> pd.DataFrame:
    """month_start, spent, cashback, expenses for every month the period touches."""
    require(actor, READ, "see analytics")
    return core.query("expense_monthly_trend", cached=True, **period.params(actor), first_month=month_start(period.start),
                      last_month=month_start(period.end))


def by_category(actor: Actor, period: Period) -> pd.DataFrame:
    """category, spent, expenses, share (percent of the period's total)."""
    require(actor, READ, "see analytics")
    return core.query("expense_by_category", cached=True, **period.params(actor))


def by_payment_mode(actor: Actor, period: Period) -> pd.DataFrame:
    """payment_mode, spent, expenses, share."""
    require(actor, READ, "see analytics")
    if period.category_ids:
        return core.query("expense_by_payment_mode_in_categories", cached=True, **period.params(actor))
    params = period.params(actor)
    del params["category_ids"]
    return core.query("expense_by_payment_mode", cached=True, **params)


def by_weekday(actor: Actor, period: Period) -> pd.DataFrame:
    """weekday (Monday…Sunday), spent, expenses; days without spending are left out."""
    require(actor, READ, "see analytics")
    frame = core.query("expense_by_weekday", cached=True, **period.params(actor))
    if not frame.empty:
        frame["weekday"] = frame["weekday"].map(lambda i: WEEKDAYS[int(i)])
    return frame


def highest_day(actor: Actor, period: Period) -> dict | None:
    """spent_on, spent, expenses of the day with the most spending, or None."""
    require(actor, READ, "see analytics")
    found = core.rows("expense_highest_day", cached=True, **period.params(actor))
    return found[0] if found else None


def insights(actor: Actor, currency: str, month: date | None = None, threshold: int = 20) -> list[str]:
    """A few sentences a person can check, about one month (default: this one)."""
    require(actor, READ, "see analytics")
    start, end = month_bounds(month or today())
    said = []
    rows = core.rows("category_month_against_average", cached=True, shop_id=actor.shop_id, month_start=start, month_end=end,
                     history_start=add_months(start, -3))
    for r in rows:
        if r["average_before"] > 0 and r["this_month"] > 0:
            change = (r["this_month"] - r["average_before"]) * 100 / r["average_before"]
            if abs(change) >= threshold:
                direction = "above" if change > 0 else "below"
                said.append(f"{r['category']} is {abs(change):.0f} % {direction} your 3-month average "
                            f"({money(r['this_month'], currency)} against {money(r['average_before'], currency)}).")
    shares = by_category(actor, Period(start, end))
    if not shares.empty:
        top = shares.iloc[0]
        said.append(f"{top['category']} took {top['share']:.0f} % of spending in {start:%B %Y}.")
    for b in budget_status(actor, start).itertuples():
        if b.percent >= 100:
            said.append(f"{b.name} is over its budget: {money(b.spent, currency)} of {money(b.monthly_budget, currency)}"
                        f" ({b.percent:.0f} %).")
        elif b.percent >= 80:
            said.append(f"{b.name} has used {b.percent:.0f} % of its budget.")
    return said

