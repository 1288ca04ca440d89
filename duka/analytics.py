"""Where the money goes: every figure is computed in SQL (GROUP BY, window functions), never in pandas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

import i18n
from duka.clock import today
from duka.expenses import budget_status
from duka.members import READ, Actor, shop_rows
from duka.money import money
from duka.periods import DateRange, add_months, month_bounds, month_start, previous_period
from duka.questions import figure
from i18n import N_, number, t

SEE = N_("see analytics")


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
    for r in rows:
        change = r["change_percent"]
        if change is None or not r["this_month"] or not r["average_before"] or abs(change) < threshold:
            continue
        said.append(
            _against_average(change, so_far, through).format(
                category=r["category"],
                percent=number(abs(change), 0),
                spent=money(r["this_month"], currency),
                average=money(r["average_before"], currency),
                day=through,
            )
        )
    shares = by_category(actor, Period(start, day if so_far else end))
    if not shares.empty:
        top = shares.iloc[0]
        share = number(top["share"], 0)
        said.append(
            t("{category} took {percent} % of spending so far this month.", category=top["category"], percent=share)
            if so_far
            else t(
                "{category} took {percent} % of spending in {month}.",
                category=top["category"],
                percent=share,
                month=i18n.month(start),
            )
        )
    for b in budget_status(actor, start).itertuples():
        if b.percent >= 100:
            said.append(
                t(
                    "{category} is over its budget: {spent} of {budget} ({percent} %).",
                    category=b.name,
                    spent=money(b.spent, currency),
                    budget=money(b.monthly_budget, currency),
                    percent=number(b.percent, 0),
                )
            )
        elif b.percent >= 80:
            said.append(
                t("{category} has used {percent} % of its budget.", category=b.name, percent=number(b.percent, 0))
            )
    return said


def _against_average(change: Decimal, so_far: bool, through: int) -> str:
    """The sentence comparing a category's month with its average, its placeholders ({category}, {percent},
    {spent}, {average}, {day}) still to fill: one whole sentence for each direction and each span of days."""
    above = change > 0
    if not so_far:
        return (
            t("{category} is {percent} % above your 3-month average ({spent} against {average}).")
            if above
            else t("{category} is {percent} % below your 3-month average ({spent} against {average}).")
        )
    if through == 1:
        return (
            t(
                "So far this month, {category} is {percent} % above your average for day 1 of the last 3 months "
                "({spent} against {average})."
            )
            if above
            else t(
                "So far this month, {category} is {percent} % below your average for day 1 of the last 3 months "
                "({spent} against {average})."
            )
        )
    return (
        t(
            "So far this month, {category} is {percent} % above your average for days 1–{day} of the last 3 months "
            "({spent} against {average})."
        )
        if above
        else t(
            "So far this month, {category} is {percent} % below your average for days 1–{day} of the last 3 months "
            "({spent} against {average})."
        )
    )
