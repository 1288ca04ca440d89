"""Where the money goes: every figure is computed in SQL (GROUP BY, window functions), never in pandas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from duka.clock import today
from duka.expenses import budget_status
from duka.members import READ, Actor, shop_rows
from duka.money import money
from duka.periods import DateRange, add_months, month_bounds, month_start, previous_period
from duka.questions import figure

SEE = "see analytics"


@dataclass(frozen=True)
class Period(DateRange):
    """The days analysed, and the categories (none: all)."""

    category_ids: tuple[int, ...] = ()

    def params(self) -> dict:
        """The period as SQL parameters (categories as comma-separated text for FIND_IN_SET)."""
        return {**super().params(), "category_ids": ",".join(str(int(i)) for i in self.category_ids)}


def summary(actor: Actor, period: Period) -> dict:
    """total, cashback, expenses, daily_average, previous_total and change_percent (None without a previous)."""
    previous_start, _ = previous_period(period.start, period.end)
    row = shop_rows(actor, "expense_summary", SEE, **period.params(), previous_start=previous_start)[0]
    before = row["previous_total"]
    row["change_percent"] = None if not before else ((row["total"] - before) * 100 / before).quantize(Decimal("0.1"))
    return row


def _shared(actor: Actor, key: str, period: Period) -> pd.DataFrame:
    """A figure this page shares with the analyst page: the question's own statement, for the period's days and
    categories (all when none)."""
    return figure(actor, key, SEE, READ, period=(period.start, period.end), categories=list(period.category_ids))


def monthly_trend(actor: Actor, period: Period) -> pd.DataFrame:
    """month (its first day), spent, cashback, expenses for every month the period touches: the analyst's
    "Spending per month"."""
    return _shared(actor, "expenses/spending_per_month", period)


def by_category(actor: Actor, period: Period) -> pd.DataFrame:
    """category, spent, expenses, share (percent of the period's total): the analyst's "Spending by category"."""
    return _shared(actor, "expenses/spending_by_category", period)


def by_payment_mode(actor: Actor, period: Period) -> pd.DataFrame:
    """payment_mode, spent, expenses, share: the analyst's "Payment-mode distribution"."""
    return _shared(actor, "expenses/payment_mode_distribution", period)


def by_weekday(actor: Actor, period: Period) -> pd.DataFrame:
    """weekday (Monday…Sunday, every one), spent, expenses: the analyst's "Spending by day of the week"."""
    return _shared(actor, "expenses/spending_by_weekday", period)


def highest_day(actor: Actor, period: Period) -> dict | None:
    """spent_on, spent, expenses of the day with the most spending, or None."""
    found = shop_rows(actor, "expense_highest_day", SEE, **period.params())
    return found[0] if found else None


def insights(
    actor: Actor, currency: str, month: date | None = None, threshold: int = 20, on: date | None = None
) -> list[str]:
    """A few sentences a person can check, about one month (default: the month of `on`, which defaults to today).

    Like is compared with like: the month `on` falls in is only partly over, so its days 1 to `on` are compared
    with the same days of each of the three months before (all of a month shorter than that); a month already
    over is compared with the three whole months before it."""
    day = on or today()
    start, end = month_bounds(month or day)
    so_far = start == month_start(day)
    through = day.day if so_far else 31
    said = []
    rows = shop_rows(
        actor,
        "category_month_against_average",
        SEE,
        month_start=start,
        month_end=end,
        history_start=add_months(start, -3),
        through_day=through,
    )
    days = "day 1" if through == 1 else f"days 1–{through}"
    for r in rows:
        change = r["change_percent"]
        if change is None or not r["this_month"] or not r["average_before"] or abs(change) < threshold:
            continue
        direction = "above" if change > 0 else "below"
        figures = f"({money(r['this_month'], currency)} against {money(r['average_before'], currency)})"
        if so_far:
            said.append(
                f"So far this month, {r['category']} is {abs(change):.0f} % {direction} your average for {days} "
                f"of the last 3 months {figures}."
            )
        else:
            said.append(f"{r['category']} is {abs(change):.0f} % {direction} your 3-month average {figures}.")
    shares = by_category(actor, Period(start, day if so_far else end))
    if not shares.empty:
        top = shares.iloc[0]
        when = "so far this month" if so_far else f"in {start:%B %Y}"
        said.append(f"{top['category']} took {top['share']:.0f} % of spending {when}.")
    for b in budget_status(actor, start).itertuples():
        if b.percent >= 100:
            said.append(
                f"{b.name} is over its budget: {money(b.spent, currency)} of {money(b.monthly_budget, currency)}"
                f" ({b.percent:.0f} %)."
            )
        elif b.percent >= 80:
            said.append(f"{b.name} has used {b.percent:.0f} % of its budget.")
    return said
