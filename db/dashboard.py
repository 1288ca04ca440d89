"""The shopkeeper's figures at a glance, each computed in SQL."""
from __future__ import annotations

from datetime import date

import pandas as pd

from db import core
from db.access import READ, Actor, require, today
from db.periods import add_months, month_start


def kpis(actor: Actor, on: date | None = None) -> dict:
    """outstanding, active_debtors, collected_today, collected_month, credit_month, overdue."""
    require(actor, READ, "see the dashboard")
    day = on or today()
    return core.rows("debt_kpis", cached=True, shop_id=actor.shop_id, today=day, month_start=month_start(day))[0]


def top_debtors(actor: Actor, limit: int = 10) -> pd.DataFrame:
    require(actor, READ, "see the dashboard")
    return core.query("top_debtors", cached=True, shop_id=actor.shop_id, limit=limit)


def ageing(actor: Actor, on: date | None = None) -> pd.DataFrame:
    """Open balances in the buckets 0–30, 31–60, 61–90 and over 90 days since the sale."""
    require(actor, READ, "see the dashboard")
    return core.query("debt_ageing", cached=True, shop_id=actor.shop_id, today=on or today())


def monthly_flow(actor: Actor, months: int = 12, on: date | None = None) -> pd.DataFrame:
    """month_start, credit_given, collected and expenses for each of the last `months` months, this one included
    (the dashboard charts the first two; the shop overview all three)."""
    require(actor, READ, "see the dashboard")
    last = month_start(on or today())
    return core.query("shop_monthly_overview", cached=True, shop_id=actor.shop_id,
                      first_month=add_months(last, 1 - months), last_month=last)
