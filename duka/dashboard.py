"""The shopkeeper's figures at a glance, each computed in SQL."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from duka import collections
from duka.clock import today
from duka.members import READ, Actor, shop_rows
from duka.periods import add_months, month_bounds, month_start
from duka.questions import figure
from i18n import N_

SEE = N_("see the dashboard")
# The age buckets debts/debt_ageing writes in its SQL: a page shows them through t() ('siku 0–30').
AGE_BUCKETS = (N_("0–30 days"), N_("31–60 days"), N_("61–90 days"), N_("over 90 days"))


def kpis(actor: Actor, on: date | None = None) -> dict:
    """outstanding, active_debtors, collected_today, collected_month, credit_month, overdue; and for comparison
    collected_last_month and credit_last_month over the same days of last month (last_month_start to
    last_month_day, also returned: the 1st to the same day, or last month's last day when it is shorter)."""
    day = on or today()
    last_start, last_end = month_bounds(add_months(month_start(day), -1))
    last_day = min(last_start + timedelta(days=day.day - 1), last_end)
    figures = shop_rows(
        actor,
        "debt_kpis",
        SEE,
        today=day,
        month_start=month_start(day),
        last_month_start=last_start,
        last_month_day=last_day,
    )[0]
    return {**figures, "last_month_start": last_start, "last_month_day": last_day}


def due(actor: Actor, on: date | None = None) -> dict:
    """What is overdue and due soon (amounts and customers) and what was written off this month and this year:
    collections.due_figures, the figures the Debtors list and the Reminders page count by."""
    return collections.due_figures(actor, on)


def top_debtors(actor: Actor, limit: int = 10) -> pd.DataFrame:
    """The customers who owe most (customer, phone, balance): the analyst's "Top debtors", its first `limit` rows,
    the only ones read (the question returns every debtor for its downloads: 6,683 of the wholesaler's, 55 ms)."""
    return figure(actor, "debts/top_debtors", SEE, READ, first=limit, how_many=limit)


def ageing(actor: Actor, on: date | None = None) -> pd.DataFrame:
    """What is owed (owed, sales) in the buckets 0–30, 31–60, 61–90 and over 90 days: the analyst's "Debt ageing"."""
    return figure(actor, "debts/debt_ageing", SEE, READ, on_day=on or today())


def monthly_flow(actor: Actor, months: int = 12, on: date | None = None) -> pd.DataFrame:
    """month, credit_given, collected and expenses for each of the last `months` months, this one included (the
    dashboard charts the first two; the shop overview all three): the analyst's "Credit, collections and expenses"."""
    day = on or today()
    return figure(actor, "shop/monthly_overview", SEE, READ, period=(add_months(month_start(day), 1 - months), day))
