"""Insights compare like with like: this month so far against the same days of the three months before, a month
that is over against whole months. Expenses are seeded on chosen days of 2025 and the day is passed as `on`."""

from __future__ import annotations

from datetime import date

from duka import analytics, expenses
from support import category_ids

EARLIER = ((2024, 12), (2025, 1), (2025, 2))  # the three months before March 2025


def _spend(actor, category: str, days: list[tuple[date, str]]) -> None:
    ids = category_ids(actor)
    for day, amount in days:
        expenses.add_expense(actor, ids[category], day, amount)


def _bills_paid_on_the_5th_and_the_25th(actor) -> None:
    """Bills of 100 on the 5th and 900 on the 25th of each earlier month; in March only the 5th so far."""
    _spend(actor, "Bills", [(date(y, m, d), a) for y, m in EARLIER for d, a in ((5, "100"), (25, "900"))])
    _spend(actor, "Bills", [(date(2025, 3, 5), "100")])


def test_a_month_that_spends_like_the_same_days_before_gets_no_callout_though_whole_months_were_bigger(shop):
    _bills_paid_on_the_5th_and_the_25th(shop)
    said = analytics.insights(shop, "KES", on=date(2025, 3, 22))
    # against whole months it would read "Bills is 90 % below your 3-month average (Ksh 100.00 against Ksh 1,000.00)"
    assert said == ["Bills took 100 % of spending so far this month."]


def test_more_than_the_same_days_before_is_called_out_so_far_this_month(shop):
    _spend(shop, "Food", [(date(y, m, 10), "100") for y, m in EARLIER])
    _spend(shop, "Food", [(date(y, m, 28), "1000") for y, m in EARLIER])  # after the 22nd: not compared
    _spend(shop, "Food", [(date(2025, 3, 2), "120"), (date(2025, 3, 22), "180")])
    said = analytics.insights(shop, "KES", on=date(2025, 3, 22))
    assert said[0] == (
        "So far this month, Food is 200 % above your average for days 1–22 of the last 3 months "
        "(Ksh 300.00 against Ksh 100.00)."
    )


def test_a_day_past_the_end_of_a_shorter_month_counts_that_month_whole(shop):
    # On 30 March: days 1–30 of December and January, all 28 days of February.
    _spend(shop, "Groceries", [(date(2024, 12, 30), "100"), (date(2025, 1, 30), "100"), (date(2025, 2, 28), "100")])
    _spend(shop, "Groceries", [(date(2024, 12, 31), "5000"), (date(2025, 1, 31), "5000")])  # day 31: not compared
    _spend(shop, "Groceries", [(date(2025, 3, 30), "100"), (date(2025, 3, 31), "5000")])  # the 31st is not yet
    # with February left out this would read "50 % above", and any 31st counted would give a callout too
    assert analytics.insights(shop, "KES", on=date(2025, 3, 30)) == [
        "Groceries took 100 % of spending so far this month."
    ]


def test_a_month_that_is_over_is_compared_with_whole_months(shop):
    _bills_paid_on_the_5th_and_the_25th(shop)
    said = analytics.insights(shop, "KES", month=date(2025, 3, 1), on=date(2025, 4, 10))
    assert said == [
        "Bills is 90 % below your 3-month average (Ksh 100.00 against Ksh 1,000.00).",
        "Bills took 100 % of spending in March 2025.",
    ]


def test_the_first_of_the_month_compares_one_day(shop):
    _spend(shop, "Rent", [(date(y, m, 1), "1000") for y, m in EARLIER] + [(date(2025, 3, 1), "1500")])
    said = analytics.insights(shop, "KES", on=date(2025, 3, 1))
    assert said[0] == (
        "So far this month, Rent is 50 % above your average for day 1 of the last 3 months "
        "(Ksh 1,500.00 against Ksh 1,000.00)."
    )
