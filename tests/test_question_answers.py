"""The analyst questions give the figures an analyst works out by hand: a small shop whose every row is known
(a month without spending, descriptions holding %, _, \\ and ü, one description paid two ways, essential and
discretionary categories, budgets, a sale and a payment after the as-of days, a voided sale and payment), an
empty shop, and the simulator's shop."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pandas as pd
import pytest

import db
from db import startup
from db.errors import InvalidInput
from duka import book, customers, expenses, members, questions
from duka.clock import today
from duka.members import Actor
from duka.periods import add_months, month_start
from simulate import __main__ as simulate
from support import FIXTURE, PASSWORD, TEST_DB, admin_connection, category_ids, join, new_phone, register_owner

LIBRARY = questions.load()
JAN_FEB = (date(2026, 1, 1), date(2026, 2, 28))
JAN_APR = (date(2026, 1, 1), date(2026, 4, 30))
MAR_APR = (date(2026, 3, 1), date(2026, 4, 30))
FEB = (date(2026, 2, 1), date(2026, 2, 28))

# (day, category, amount, mode, cashback, description). 2026: 5 Jan Mon, 10 Jan Sat, 20 Jan Tue, 3 Feb Tue,
# 10 Feb Tue, 14 Feb Sat, 20 Feb Fri; 2 Apr Thu, 7 Apr Tue, 8 Apr Wed, 9 Apr Thu, 10 Apr Fri, 14 Apr Tue,
# 20 Apr Mon. Nothing in March 2026. Essential: Groceries, Rent, Food, Bills (and Health, outside 2026).
EXPENSES = [
    (date(2024, 6, 15), "Health", "500.00", "Cash", "0", "Clinic"),
    (date(2025, 1, 15), "Groceries", "80.00", "Cash", "0", "Groceries at Naivas"),
    *FIXTURE,  # 5 Jan Groceries 100 Cash, Food 50.50 M-Pesa (2.50 back) "Lunch"; 10 Jan Rent 1,000 Bank…
    (date(2026, 2, 20), "Subscriptions", "30.00", "Online", "0", "Internet"),
    (date(2026, 4, 2), "Food", "50.50", "M-Pesa", "2.50", "Lunch"),
    (date(2026, 4, 7), "Food", "60.00", "Cash", "0", "Lunch"),  # the same lunch paid another way
    (date(2026, 4, 8), "Shopping", "120.00", "Online", "6.00", "50% off shoes"),
    (date(2026, 4, 8), "Shopping", "80.00", "Debit Card", "0", "500 off socks"),
    (date(2026, 4, 9), "Bills", "40.00", "Online", "0", "file_name fee"),
    (date(2026, 4, 9), "Bills", "35.00", "Cash", "0", "filename fee"),
    (date(2026, 4, 10), "Other", "25.00", "Cash", "0", "Till\\shop cable"),
    (date(2026, 4, 10), "Other", "15.00", "Cash", "0", "Shop cable"),
    (date(2026, 4, 14), "Food", "45.00", "M-Pesa", "0", "Müller bakery"),
    (date(2026, 4, 14), "Food", "30.00", "Cash", "0", "Muller bakery"),
    (date(2026, 4, 20), "Subscriptions", "30.00", "Online", "0", "Internet"),
]
BUDGETS = {"Groceries": "250", "Food": "100", "Rent": "1000", "Shopping": "150"}


def _record(owner: Actor) -> None:
    ids = category_ids(owner)
    for name, budget in BUDGETS.items():
        expenses.update_category(owner, ids[name], name, None, budget)
    for day, category, amount, mode, cashback, text in EXPENSES:
        expenses.add_expense(owner, ids[category], day, amount, mode, cashback, text)
    achieng = customers.add_customer(owner, "Achieng")
    cement = book.record_sale(
        owner, achieng, "Cement", total="1000", debt_date=date(2026, 1, 10), due_date=date(2026, 1, 31)
    )
    book.record_payment(owner, cement, "400", paid_at=date(2026, 1, 20))
    book.record_payment(owner, cement, "600", "M-Pesa", paid_at=date(2026, 2, 5))
    baraka = customers.add_customer(owner, "Baraka")
    sugar = book.record_sale(
        owner, baraka, "Sugar", total="500", debt_date=date(2026, 2, 1), due_date=date(2026, 2, 15)
    )
    book.record_payment(owner, sugar, "100", paid_at=date(2026, 2, 10))
    slip = book.record_payment(owner, sugar, "50", "M-Pesa", paid_at=date(2026, 2, 20))
    book.void_payment(owner, slip, "Recorded on the wrong sale")
    book.record_payment(owner, sugar, "150", paid_at=date(2026, 3, 10))  # after the 1 March as-of day
    chebet = customers.add_customer(owner, "Chebet")
    oil = book.record_sale(owner, chebet, "Oil", total="250", debt_date=date(2026, 2, 15), due_date=date(2026, 2, 20))
    book.void_sale(owner, oil, "Never taken")
    book.record_sale(owner, chebet, "Rice", total="300", debt_date=date(2026, 2, 20))
    daudi = customers.add_customer(owner, "Daudi")  # a sale after the 1 March as-of day
    book.record_sale(owner, daudi, "Soap", total="200", debt_date=date(2026, 3, 5), due_date=date(2026, 3, 12))


@pytest.fixture(scope="module")
def known_books(database) -> dict[str, Actor]:
    """A shop holding EXPENSES, BUDGETS and these debts, read by its analyst (questions only read, so one shop
    serves the module). Achieng: 1,000 Cement on 10 Jan (due 31 Jan), paid 400 on 20 Jan and 600 on 5 Feb.
    Baraka: 500 Sugar on 1 Feb (due 15 Feb), paid 100 on 10 Feb, 50 on 20 Feb (voided) and 150 on 10 Mar.
    Chebet: 250 Oil on 15 Feb (due 20 Feb, voided), 300 Rice on 20 Feb (no due date), nothing paid.
    Daudi: 200 Soap on 5 Mar (due 12 Mar), nothing paid. Nobody has a phone."""
    owner, _ = register_owner("Duka la Hesabu")
    phone = new_phone()
    members.register("Analyst", "Mwangi", phone, PASSWORD, "analyst's own shop")
    _record(owner)
    return {"owner": owner, "analyst": join(owner, phone, "analyst")}


def ask(actor: Actor, key: str, **values) -> pd.DataFrame:
    return questions.ask(actor, LIBRARY.questions[key], values).frame


def _ids(actor: Actor, *names: str) -> list[int]:
    ids = category_ids(actor)
    return [ids[n] for n in names]


MODES = ["Cash", "M-Pesa", "Credit Card", "Debit Card", "Bank transfer", "Online"]  # the schema's ENUM order

# (question, values, rows) worked out by hand from EXPENSES, BUDGETS and the debts in known_books. Values naming
# categories are category names, turned into the shop's ids when asked. Over JAN_APR, 19 expenses:
# Jan 1,350.50 (4: 100 + 50.50 + 1,000 + 200), Feb 1,405.25 (4: 75.25 + 1,000 + 300 + 30), Mar 0,
# Apr 530.50 (11: 50.50 + 60 + 120 + 80 + 40 + 35 + 25 + 15 + 45 + 30 + 30); total 3,286.25.
# By mode: Cash 265.00 (6: 100, 60, 35, 25, 15, 30), M-Pesa 221.25 (4: 50.50, 75.25, 50.50, 45),
# Credit Card 500.00 (2), Debit Card 80.00 (1), Bank transfer 2,000.00 (2), Online 220.00 (4: 30, 120, 40, 30).
# Cashback 51.00: Jan 2.50 + 10, Feb 30, Apr 2.50 + 6 (M-Pesa 5, Credit Card 40, Online 6).
HAND_CHECKED = [
    # --- budgets: a calendar month, whichever day of it is given
    (
        "budgets/budget_vs_actual",
        {"month": date(2026, 1, 17)},  # January: Groceries 100 + 200, Rent 1,000, Food 50.50, Shopping nothing
        [
            ["Groceries", D("250.00"), D("300.00"), D("-50.00"), D("120.0")],
            ["Rent", D("1000.00"), D("1000.00"), D("0.00"), D("100.0")],
            ["Food", D("100.00"), D("50.50"), D("49.50"), D("50.5")],
            ["Shopping", D("150.00"), D("0.00"), D("150.00"), D("0.0")],
        ],
    ),
    (
        "budgets/budget_vs_actual",
        {"month": "2026-04"},  # Food 50.50 + 60 + 45 + 30 = 185.50; Shopping 120 + 80 = 200 (133.3 %)
        [
            ["Food", D("100.00"), D("185.50"), D("-85.50"), D("185.5")],
            ["Shopping", D("150.00"), D("200.00"), D("-50.00"), D("133.3")],
            ["Groceries", D("250.00"), D("0.00"), D("250.00"), D("0.0")],
            ["Rent", D("1000.00"), D("0.00"), D("1000.00"), D("0.0")],
        ],
    ),
    (
        "budgets/months_over_budget",
        # 15 Jan to 10 Apr touches January to April, each counted whole: Food over in April (185.50),
        # Groceries in January (300), Shopping in April (200); Rent's 1,000 twice is not over 1,000.
        {"period": (date(2026, 1, 15), date(2026, 4, 10))},
        [
            ["Food", D("100.00"), 4, 1, D("185.50")],
            ["Groceries", D("250.00"), 4, 1, D("300.00")],
            ["Shopping", D("150.00"), 4, 1, D("200.00")],
            ["Rent", D("1000.00"), 4, 0, D("1000.00")],
        ],
    ),
    # --- cashback
    (
        "cashback/average_cashback_per_mode",
        {"period": JAN_APR},  # M-Pesa 5 / 4, Credit Card 40 / 2, Online 6 / 4
        [
            ["Cash", D("0.00"), 6, D("0.00")],
            ["M-Pesa", D("5.00"), 4, D("1.25")],
            ["Credit Card", D("40.00"), 2, D("20.00")],
            ["Debit Card", D("0.00"), 1, D("0.00")],
            ["Bank transfer", D("0.00"), 2, D("0.00")],
            ["Online", D("6.00"), 4, D("1.50")],
        ],
    ),
    (
        "cashback/cashback_by_category",
        {"period": JAN_APR},  # Food spent 311.25 (50.50 + 75.25 + 50.50 + 60 + 45 + 30): 5 / 311.25 = 1.61 %
        [
            ["Entertainment", D("30.00"), D("300.00"), D("10.00")],
            ["Groceries", D("10.00"), D("300.00"), D("3.33")],
            ["Shopping", D("6.00"), D("200.00"), D("3.00")],
            ["Food", D("5.00"), D("311.25"), D("1.61")],
        ],
    ),
    (
        "cashback/cashback_by_payment_mode",
        {"period": JAN_APR},  # 5 / 221.25 = 2.26 %, 40 / 500 = 8 %, 6 / 220 = 2.73 %
        [
            ["Cash", D("0.00"), D("265.00"), D("0.00")],
            ["M-Pesa", D("5.00"), D("221.25"), D("2.26")],
            ["Credit Card", D("40.00"), D("500.00"), D("8.00")],
            ["Debit Card", D("0.00"), D("80.00"), D("0.00")],
            ["Bank transfer", D("0.00"), D("2000.00"), D("0.00")],
            ["Online", D("6.00"), D("220.00"), D("2.73")],
        ],
    ),
    ("cashback/cashback_earned", {"period": JAN_APR}, [[D("51.00"), D("3286.25"), D("1.55"), 19]]),
    ("cashback/cashback_earned", {"period": (date(2026, 3, 1), date(2026, 3, 31))}, [[D("0"), D("0"), D("0"), 0]]),
    (
        "cashback/cashback_per_month",
        {"period": JAN_APR},
        [
            ["2026-01", D("12.50"), D("1350.50")],
            ["2026-02", D("30.00"), D("1405.25")],
            ["2026-03", D("0.00"), D("0.00")],
            ["2026-04", D("8.50"), D("530.50")],
        ],
    ),
    # --- customers (all four were added today, so January and February have none)
    (
        "customers/best_credit_customers",
        {"period": JAN_APR},  # Chebet's voided Oil is left out; paid so far
        [
            ["Achieng", 1, D("1000.00"), D("1000.00")],
            ["Baraka", 1, D("500.00"), D("250.00")],
            ["Chebet", 1, D("300.00"), D("0.00")],
            ["Daudi", 1, D("200.00"), D("0.00")],
        ],
    ),
    ("customers/new_customers_per_month", {"period": JAN_FEB}, [["2026-01", 0], ["2026-02", 0]]),
    # --- debts
    ("debts/average_days_to_clear", {"period": JAN_APR}, [[D("26.0"), 1, 26]]),  # Achieng: 10 Jan to 5 Feb
    ("debts/average_days_to_clear", {"period": (date(2025, 1, 1), date(2025, 12, 31))}, [[D("0"), 0, 0]]),
    # 1,000 + 500 + 300 + 200 given; 1,000 + 250 paid back so far (the voided 50 is not)
    ("debts/collection_rate", {"period": JAN_APR}, [[D("2000.00"), D("1250.00"), D("62.5"), 4]]),
    ("debts/collection_rate", {"period": (date(2025, 1, 1), date(2025, 12, 31))}, [[D("0"), D("0"), D("0"), 0]]),
    (
        "debts/collections_per_month",
        {"period": JAN_APR},
        [
            ["2026-01", D("400.00"), 1],
            ["2026-02", D("700.00"), 2],
            ["2026-03", D("150.00"), 1],
            ["2026-04", D("0.00"), 0],
        ],
    ),
    (
        "debts/credit_by_product",
        {"period": JAN_APR},
        [
            ["Cement", 1, D("1000.00"), D("0.00")],
            ["Sugar", 1, D("500.00"), D("250.00")],
            ["Rice", 1, D("300.00"), D("300.00")],
            ["Soap", 1, D("200.00"), D("200.00")],
        ],
    ),
    (
        "debts/credit_vs_collected",
        {"period": JAN_APR},
        [
            ["2026-01", D("1000.00"), D("400.00")],
            ["2026-02", D("800.00"), D("700.00")],
            ["2026-03", D("200.00"), D("150.00")],
            ["2026-04", D("0.00"), D("0.00")],
        ],
    ),
    ("debts/customers_cleared", {"period": JAN_APR}, [["Achieng", None, date(2026, 2, 5), D("1000.00")]]),
    # As of 1 Feb: Achieng owed 1,000 - 400 (age 22), Baraka 500 (age 0).
    (
        "debts/debt_ageing",
        {"on_day": date(2026, 2, 1)},
        [
            ["0–30 days", D("1100.00"), 2],
            ["31–60 days", D("0"), 0],
            ["61–90 days", D("0"), 0],
            ["over 90 days", D("0"), 0],
        ],
    ),
    # As of 20 Mar: Baraka 500 - 100 - 150 (age 47), Chebet 300 (age 28), Daudi 200 (age 15).
    (
        "debts/debt_ageing",
        {"on_day": date(2026, 3, 20)},
        [
            ["0–30 days", D("500.00"), 2],
            ["31–60 days", D("250.00"), 1],
            ["61–90 days", D("0"), 0],
            ["over 90 days", D("0"), 0],
        ],
    ),
    # As of 1 Feb Achieng's 600 of 5 Feb was still to come: 600 owed, a day past 31 Jan.
    (
        "debts/overdue_debts",
        {"on_day": date(2026, 2, 1)},
        [["Achieng", "Cement", date(2026, 1, 10), D("600.00"), date(2026, 1, 31), 1]],
    ),
    # As of 1 Mar: Baraka 500 - 100 (the voided 50 and the 150 of 10 Mar do not count), 14 days past 15 Feb;
    # Chebet's voided Oil (due 20 Feb) is not a debt, her Rice has no due date.
    (
        "debts/overdue_debts",
        {"on_day": date(2026, 3, 1)},
        [["Baraka", "Sugar", date(2026, 2, 1), D("400.00"), date(2026, 2, 15), 14]],
    ),
    (
        "debts/overdue_debts",
        {"on_day": date(2026, 3, 20)},
        [
            ["Baraka", "Sugar", date(2026, 2, 1), D("250.00"), date(2026, 2, 15), 33],
            ["Daudi", "Soap", date(2026, 3, 5), D("200.00"), date(2026, 3, 12), 8],
        ],
    ),
    (
        "debts/owed_on_day",
        {"on_day": date(2026, 2, 1)},
        [["Achieng", None, 1, D("600.00"), date(2026, 1, 10)], ["Baraka", None, 1, D("500.00"), date(2026, 2, 1)]],
    ),
    (
        "debts/owed_on_day",
        {"on_day": date(2026, 3, 1)},  # Daudi's sale of 5 Mar is not there yet; Achieng had cleared
        [["Baraka", None, 1, D("400.00"), date(2026, 2, 1)], ["Chebet", None, 1, D("300.00"), date(2026, 2, 20)]],
    ),
    (
        "debts/payments_by_method",
        {"period": JAN_APR},  # Cash 400 + 100 + 150 of 1,250
        [["Cash", D("650.00"), 3, D("52.0")], ["M-Pesa", D("600.00"), 1, D("48.0")]],
    ),
    # --- expenses
    (
        "expenses/categories_by_month",
        {"period": JAN_APR, "categories": ["Food", "Rent"]},
        [
            ["2026-01", "Food", D("50.50"), 1],
            ["2026-01", "Rent", D("1000.00"), 1],
            ["2026-02", "Food", D("75.25"), 1],
            ["2026-02", "Rent", D("1000.00"), 1],
            ["2026-03", "Food", D("0.00"), 0],
            ["2026-03", "Rent", D("0.00"), 0],
            ["2026-04", "Food", D("185.50"), 4],
            ["2026-04", "Rent", D("0.00"), 0],
        ],
    ),
    (
        "expenses/category_monthly_breakdown",
        {"period": JAN_APR, "category": "Food"},
        [
            ["2026-01", D("50.50"), 1],
            ["2026-02", D("75.25"), 1],
            ["2026-03", D("0.00"), 0],
            ["2026-04", D("185.50"), 4],
        ],
    ),
    (
        "expenses/category_weekday_pattern",
        # 1 Jan to 30 Apr 2026 is 120 days from a Thursday: 17 of each weekday and an 18th Thursday.
        # Food: Mon 5 Jan 50.50; Tue 3 Feb 75.25, 7 Apr 60, 14 Apr 45 + 30; Thu 2 Apr 50.50.
        {"period": JAN_APR, "category": "Food"},
        [
            ["Monday", 17, 1, D("50.50"), D("2.97")],
            ["Tuesday", 17, 4, D("210.25"), D("12.37")],
            ["Wednesday", 17, 0, D("0.00"), D("0.00")],
            ["Thursday", 18, 1, D("50.50"), D("2.81")],
            ["Friday", 17, 0, D("0.00"), D("0.00")],
            ["Saturday", 17, 0, D("0.00"), D("0.00")],
            ["Sunday", 17, 0, D("0.00"), D("0.00")],
        ],
    ),
    ("expenses/daily_average", {"period": JAN_APR}, [[D("27.39"), 120, D("3286.25")]]),  # 3,286.25 / 120 days
    (
        "expenses/description_by_month",
        {"period": JAN_APR, "category": "Food", "description": "Lunch"},  # paid by M-Pesa and by Cash
        [
            ["2026-01", D("50.50"), 1, D("2.50")],
            ["2026-02", D("0.00"), 0, D("0.00")],
            ["2026-03", D("0.00"), 0, D("0.00")],
            ["2026-04", D("110.50"), 2, D("2.50")],
        ],
    ),
    (
        "expenses/description_by_month",
        {"period": MAR_APR, "category": "Food", "description": "Müller bakery"},  # not Muller bakery
        [["2026-03", D("0.00"), 0, D("0.00")], ["2026-04", D("45.00"), 1, D("0.00")]],
    ),
    (
        "expenses/essential_by_month",
        # Feb: Dinner 75.25 + rent 1,000 against Cinema 300 + Internet 30; Apr: Food 185.50 + Bills 75 against
        # Shopping 200 + Other 40 + Internet 30.
        {"period": JAN_APR},
        [
            ["2026-01", D("1350.50"), D("0.00"), D("100.0")],
            ["2026-02", D("1075.25"), D("330.00"), D("76.5")],
            ["2026-03", D("0.00"), D("0.00"), D("0.0")],
            ["2026-04", D("260.50"), D("270.00"), D("49.1")],
        ],
    ),
    (
        "expenses/essential_vs_discretionary",
        {"period": JAN_APR},  # Groceries 300 (2) + Food 311.25 (6) + Rent 2,000 (2) + Bills 75 (2)
        [["Essential", D("2686.25"), 12, D("81.7")], ["Discretionary", D("600.00"), 7, D("18.3")]],
    ),
    (
        "expenses/expenses_above_threshold",
        {"period": JAN_APR, "threshold": "119.99"},
        [
            [date(2026, 1, 10), "Rent", "January rent", D("1000.00"), "Bank transfer"],
            [date(2026, 2, 10), "Rent", "February rent", D("1000.00"), "Bank transfer"],
            [date(2026, 2, 14), "Entertainment", "Cinema", D("300.00"), "Credit Card"],
            [date(2026, 1, 20), "Groceries", "Groceries at Carrefour", D("200.00"), "Credit Card"],
            [date(2026, 4, 8), "Shopping", "50% off shoes", D("120.00"), "Online"],
        ],
    ),
    (
        "expenses/expenses_in_category",
        {"period": JAN_APR, "category": "Food"},
        [
            [date(2026, 4, 14), "Muller bakery", D("30.00"), "Cash", D("0.00")],
            [date(2026, 4, 14), "Müller bakery", D("45.00"), "M-Pesa", D("0.00")],
            [date(2026, 4, 7), "Lunch", D("60.00"), "Cash", D("0.00")],
            [date(2026, 4, 2), "Lunch", D("50.50"), "M-Pesa", D("2.50")],
            [date(2026, 2, 3), "Dinner", D("75.25"), "M-Pesa", D("0.00")],
            [date(2026, 1, 5), "Lunch", D("50.50"), "M-Pesa", D("2.50")],
        ],
    ),
    (
        "expenses/highest_spending_day",
        {"period": FEB, "days": 2},  # two shown on the page; the answer holds every day
        [
            [date(2026, 2, 10), D("1000.00"), 1],
            [date(2026, 2, 14), D("300.00"), 1],
            [date(2026, 2, 3), D("75.25"), 1],
            [date(2026, 2, 20), D("30.00"), 1],
        ],
    ),
    (
        "expenses/largest_expenses",
        {"period": FEB, "how_many": 2},
        [
            [date(2026, 2, 10), "Rent", "February rent", D("1000.00"), "Bank transfer"],
            [date(2026, 2, 14), "Entertainment", "Cinema", D("300.00"), "Credit Card"],
            [date(2026, 2, 3), "Food", "Dinner", D("75.25"), "M-Pesa"],
            [date(2026, 2, 20), "Subscriptions", "Internet", D("30.00"), "Online"],
        ],
    ),
    (
        "expenses/lowest_and_highest_month",
        {"period": JAN_APR},
        [["Lowest", "2026-03", D("0.00")], ["Highest", "2026-02", D("1405.25")]],
    ),
    (
        "expenses/lowest_and_highest_month",
        {"period": JAN_APR, "categories": ["Rent"]},  # 1,000 in January and February: the earliest
        [["Lowest", "2026-03", D("0.00")], ["Highest", "2026-01", D("1000.00")]],
    ),
    (
        "expenses/mode_counts_and_sums",
        {"period": JAN_APR},  # 265 / 6 = 44.17, 221.25 / 4 = 55.31
        [
            ["Cash", 6, D("265.00"), D("44.17")],
            ["M-Pesa", 4, D("221.25"), D("55.31")],
            ["Credit Card", 2, D("500.00"), D("250.00")],
            ["Debit Card", 1, D("80.00"), D("80.00")],
            ["Bank transfer", 2, D("2000.00"), D("1000.00")],
            ["Online", 4, D("220.00"), D("55.00")],
        ],
    ),
    (
        "expenses/month_over_month",
        {"period": JAN_APR},  # 54.75 / 1,350.50 = 4.1 %; nothing in March; no percent of nothing
        [
            ["2026-01", D("1350.50"), None, None],
            ["2026-02", D("1405.25"), D("54.75"), D("4.1")],
            ["2026-03", D("0.00"), D("-1405.25"), D("-100.0")],
            ["2026-04", D("530.50"), D("530.50"), None],
        ],
    ),
    (
        "expenses/payment_channels",
        {"period": JAN_APR},  # Mobile money: M-Pesa 221.25 + Online 220; Cards: 500 + 80
        [
            ["Cash", D("265.00"), 6, D("8.1")],
            ["Mobile money", D("441.25"), 8, D("13.4")],
            ["Cards", D("580.00"), 3, D("17.6")],
            ["Bank", D("2000.00"), 2, D("60.9")],
        ],
    ),
    (
        "expenses/payment_mode_distribution",
        {"period": JAN_APR},
        [
            ["Bank transfer", D("2000.00"), 2, D("60.9")],
            ["Credit Card", D("500.00"), 2, D("15.2")],
            ["Cash", D("265.00"), 6, D("8.1")],
            ["M-Pesa", D("221.25"), 4, D("6.7")],
            ["Online", D("220.00"), 4, D("6.7")],
            ["Debit Card", D("80.00"), 1, D("2.4")],
        ],
    ),
    (
        "expenses/payment_mode_trend",
        {"period": JAN_APR, "mode": "Online"},  # 30 of 1,405.25; 120 + 40 + 30 of 530.50
        [
            ["2026-01", D("0.00"), 0, D("0.0")],
            ["2026-02", D("30.00"), 1, D("2.1")],
            ["2026-03", D("0.00"), 0, D("0.0")],
            ["2026-04", D("190.00"), 3, D("35.8")],
        ],
    ),
    (
        "expenses/payment_modes_by_month",
        {"period": MAR_APR},  # April: Cash 60 + 35 + 25 + 15 + 30, M-Pesa 50.50 + 45, Online 120 + 40 + 30
        [["2026-03", mode, D("0.00"), 0] for mode in MODES]
        + [
            ["2026-04", "Cash", D("165.00"), 5],
            ["2026-04", "M-Pesa", D("95.50"), 2],
            ["2026-04", "Credit Card", D("0.00"), 0],
            ["2026-04", "Debit Card", D("80.00"), 1],
            ["2026-04", "Bank transfer", D("0.00"), 0],
            ["2026-04", "Online", D("190.00"), 3],
        ],
    ),
    (
        "expenses/recurring_expenses",
        {"period": JAN_APR},  # Lunch by Cash came once: not the same expense as Lunch by M-Pesa
        [
            ["Food", "Lunch", "M-Pesa", 2, 2, D("101.00"), D("50.50")],
            ["Subscriptions", "Internet", "Online", 2, 2, D("60.00"), D("30.00")],
        ],
    ),
    (
        "expenses/recurring_expenses",
        {"period": (date(2025, 1, 1), date(2026, 4, 30))},  # Naivas in January 2025 and January 2026
        [
            ["Groceries", "Groceries at Naivas", "Cash", 2, 2, D("180.00"), D("90.00")],
            ["Food", "Lunch", "M-Pesa", 2, 2, D("101.00"), D("50.50")],
            ["Subscriptions", "Internet", "Online", 2, 2, D("60.00"), D("30.00")],
        ],
    ),
    (
        "expenses/same_month_across_years",
        {"month_of_year": "January"},  # the shop's expenses run from June 2024 to April 2026
        [[2024, D("0.00"), 0], [2025, D("80.00"), 1], [2026, D("1350.50"), 4]],
    ),
    (
        "expenses/same_month_across_years",
        {"month_of_year": "June"},
        [[2024, D("500.00"), 1], [2025, D("0.00"), 0], [2026, D("0.00"), 0]],
    ),
    # Searching: % and _ and \ are plain characters, capitals do not matter, accents do.
    (
        "expenses/search_descriptions",
        {"period": JAN_APR, "words": "50%"},  # not "500 off socks"
        [[date(2026, 4, 8), "Shopping", "50% off shoes", D("120.00"), "Online", D("120.00")]],
    ),
    (
        "expenses/search_descriptions",
        {"period": JAN_APR, "words": "file_"},  # not "filename fee"
        [[date(2026, 4, 9), "Bills", "file_name fee", D("40.00"), "Online", D("40.00")]],
    ),
    (
        "expenses/search_descriptions",
        {"period": JAN_APR, "words": "\\shop"},  # not "Shop cable"
        [[date(2026, 4, 10), "Other", "Till\\shop cable", D("25.00"), "Cash", D("25.00")]],
    ),
    (
        "expenses/search_descriptions",
        {"period": JAN_APR, "words": "ü"},  # not "Muller bakery", nor every other u
        [[date(2026, 4, 14), "Food", "Müller bakery", D("45.00"), "M-Pesa", D("45.00")]],
    ),
    (
        "expenses/search_descriptions",
        {"period": JAN_APR, "words": "MÜLLER"},
        [[date(2026, 4, 14), "Food", "Müller bakery", D("45.00"), "M-Pesa", D("45.00")]],
    ),
    (
        "expenses/search_descriptions",
        {"period": JAN_APR, "words": "muller"},
        [[date(2026, 4, 14), "Food", "Muller bakery", D("30.00"), "Cash", D("30.00")]],
    ),
    (
        "expenses/search_descriptions",
        {"period": JAN_APR, "words": "LUNCH"},
        [
            [date(2026, 1, 5), "Food", "Lunch", D("50.50"), "M-Pesa", D("50.50")],
            [date(2026, 4, 2), "Food", "Lunch", D("50.50"), "M-Pesa", D("101.00")],
            [date(2026, 4, 7), "Food", "Lunch", D("60.00"), "Cash", D("161.00")],
        ],
    ),
    (
        "expenses/spending_by_mode_choice",
        {"period": JAN_APR, "mode": "Cash"},
        [["Groceries", D("100.00"), 1], ["Food", D("90.00"), 2], ["Other", D("40.00"), 2], ["Bills", D("35.00"), 1]],
    ),
    (
        "expenses/spending_by_weekday",
        # Mon 5 Jan 150.50, 20 Apr 30; Tue 20 Jan 200, 3 Feb 75.25, 10 Feb 1,000, 7 Apr 60, 14 Apr 75;
        # Wed 8 Apr 200; Thu 2 Apr 50.50, 9 Apr 75; Fri 20 Feb 30, 10 Apr 40; Sat 10 Jan 1,000, 14 Feb 300.
        {"period": JAN_APR},
        [
            ["Monday", D("180.50"), 3],
            ["Tuesday", D("1410.25"), 6],
            ["Wednesday", D("200.00"), 2],
            ["Thursday", D("125.50"), 3],
            ["Friday", D("70.00"), 3],
            ["Saturday", D("1300.00"), 2],
            ["Sunday", D("0.00"), 0],
        ],
    ),
    (
        "expenses/spending_per_month",
        {"period": JAN_APR},
        [  # cashback as in cashback/cashback_per_month above
            [date(2026, 1, 1), D("1350.50"), D("12.50"), 4],
            [date(2026, 2, 1), D("1405.25"), D("30.00"), 4],
            [date(2026, 3, 1), D("0"), D("0"), 0],
            [date(2026, 4, 1), D("530.50"), D("8.50"), 11],
        ],
    ),
    (
        "expenses/top_categories",
        {"period": JAN_APR, "how_many": 3},  # shares of 3,286.25; the page shows three, the answer all
        [
            ["Rent", D("2000.00"), 2, D("60.9")],
            ["Food", D("311.25"), 6, D("9.5")],
            ["Entertainment", D("300.00"), 1, D("9.1")],
            ["Groceries", D("300.00"), 2, D("9.1")],
            ["Shopping", D("200.00"), 2, D("6.1")],
            ["Bills", D("75.00"), 2, D("2.3")],
            ["Subscriptions", D("60.00"), 2, D("1.8")],
            ["Other", D("40.00"), 2, D("1.2")],
        ],
    ),
    ("expenses/total_expenses", {"period": JAN_APR}, [[D("3286.25"), 19]]),
    ("expenses/total_expenses", {"period": JAN_APR, "categories": ["Food", "Bills"]}, [[D("386.25"), 8]]),
]


def _values(actor: Actor, key: str, values: dict) -> dict:
    """The case's values with category names as the shop's ids."""
    named = {p.name for p in LIBRARY.questions[key].params if p.name in ("category", "categories")}
    out = dict(values)
    for name in named & set(values):
        out[name] = _ids(actor, values[name])[0] if name == "category" else _ids(actor, *values[name])
    return out


@pytest.mark.parametrize(
    ("key", "values", "rows"), HAND_CHECKED, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(HAND_CHECKED)]
)
def test_questions_match_figures_worked_out_by_hand(known_books, key, values, rows):
    frame = ask(known_books["analyst"], key, **_values(known_books["owner"], key, values))
    assert frame.values.tolist() == rows


def test_half_of_the_library_is_checked_by_hand():
    assert not LIBRARY.refused
    assert 2 * len({key for key, _, _ in HAND_CHECKED}) >= len(LIBRARY.questions)


def test_every_question_asked_as_of_a_day_is_checked_by_hand_on_a_past_day():
    as_of = {key for key, q in LIBRARY.questions.items() if any(p.type == "date" for p in q.params)}
    checked = {
        key for key, values, _ in HAND_CHECKED if any(isinstance(v, date) and v < today() for v in values.values())
    }
    assert as_of and as_of <= checked


def test_no_question_caps_its_rows_in_its_sql():
    capped = [key for key, q in LIBRARY.questions.items() if " LIMIT " in f" {q.sql.upper()} ".replace("\n", " ")]
    assert capped == []


def test_every_average_says_what_it_divides_by():
    vague = [
        key
        for key, q in LIBRARY.questions.items()
        if any("average" in c for c in q.columns) and "divided by" not in q.description
    ]
    assert vague == []


def test_a_top_n_question_shows_n_rows_and_answers_with_every_row(known_books):
    values = {"period": JAN_APR, "how_many": 3}
    answer = questions.ask(known_books["analyst"], LIBRARY.questions["expenses/top_categories"], values)
    assert (answer.shown, len(answer.frame), answer.capped) == (3, 8, True)


@pytest.mark.parametrize(
    ("key", "name", "value"),
    [
        ("expenses/largest_expenses", "how_many", -5),
        ("expenses/largest_expenses", "how_many", 2.5),
        ("expenses/largest_expenses", "how_many", 0),
        ("expenses/highest_spending_day", "days", 1001),
        ("expenses/top_categories", "how_many", "ten"),
        ("expenses/expenses_above_threshold", "threshold", "10.005"),
        ("expenses/expenses_above_threshold", "threshold", -1),
    ],
)
def test_a_number_outside_its_limits_is_refused_with_a_sentence(known_books, key, name, value):
    label = LIBRARY.questions[key].param(name).label
    with pytest.raises(InvalidInput, match=f"^{label} must be"):
        ask(known_books["analyst"], key, **{name: value})


def test_the_daily_average_divides_by_the_days_up_to_today_only(known_books):
    now = today()  # the shops' today (duka/clock.py), which the runner binds as %(today)s
    start = now - timedelta(days=9)
    frame = ask(known_books["analyst"], "expenses/daily_average", period=(start, now + timedelta(days=20)))
    assert frame.values.tolist() == [[D("0"), 10, D("0")]]
    future = (now + timedelta(days=1), now + timedelta(days=30))
    assert ask(known_books["analyst"], "expenses/daily_average", period=future).values.tolist() == [[D("0"), 0, D("0")]]


def test_a_description_is_chosen_among_those_of_the_chosen_category(known_books):
    question = LIBRARY.questions["expenses/description_by_month"]
    analyst, [food, bills] = known_books["analyst"], _ids(known_books["owner"], "Food", "Bills")
    param = question.param("description")
    for category, offered in (
        (food, ["Dinner", "Lunch", "Muller bakery", "Müller bakery"]),
        (bills, ["file_name fee", "filename fee"]),
    ):
        chosen = questions.bind_earlier(question, param, {"category": category}, analyst)
        assert [label for _, label in questions.choices(analyst, param, chosen)] == offered
    with pytest.raises(InvalidInput, match="is not one of the choices"):
        ask(analyst, "expenses/description_by_month", category=bills, description="Lunch")


# --- every question on an empty shop and on the simulator's shop ----------------------------------------------

# Columns that may be empty: a change from a month before the period or from a month of nothing, a phone.
MAY_BE_EMPTY = {("expenses/month_over_month", "difference"), ("expenses/month_over_month", "change_percent")}


NEEDS_A_RECORDED_CHOICE = {"expenses/description_by_month"}


def _empty_cells(key: str, frame: pd.DataFrame) -> list[tuple[str, int]]:
    return [
        (column, i)
        for column in frame.columns
        if (key, column) not in MAY_BE_EMPTY and column != "phone"
        for i, value in enumerate(frame[column])
        if value is None or (isinstance(value, float) and value != value)
    ]


def _months(start: date, end: date) -> list[str]:
    first, last = month_start(start), month_start(end)
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [add_months(first, i).strftime("%Y-%m") for i in range(count)]


@pytest.mark.parametrize("key", sorted(LIBRARY.questions))
def test_every_question_answers_an_empty_shop_with_its_defaults(shop, key):
    question = LIBRARY.questions[key]
    if key in NEEDS_A_RECORDED_CHOICE:  # its choices are what the shop has recorded: none yet, and it says so
        with pytest.raises(InvalidInput, match="there is nothing to choose from yet"):
            ask(shop, key)
        return
    frame = ask(shop, key)
    assert list(frame.columns) == list(question.columns)
    assert _empty_cells(key, frame) == []
    period = next((p for p in question.params if p.type == "daterange"), None)
    if period and question.columns[0].startswith("month"):  # a row for every month, each month as often
        months = _months(*questions.default_value(period))
        shown = [str(m)[:7] for m in frame[question.columns[0]]]
        assert sorted(set(shown)) == months and len(shown) % len(months) == 0
        assert sorted(shown) == sorted(months * (len(shown) // len(months)))


@pytest.fixture
def simulated_shop(monkeypatch):
    """A small simulation (one shop, 15 customers, 3 months up to today, seed 5) in a database of its own,
    asked by its demo analyst; the test database is back afterwards."""
    name = f"{TEST_DB}_answers"
    monkeypatch.setenv("MYSQL_DATABASE", name)
    assert simulate.main(["--customers", "15", "--months", "3", "--seed", "5"]) == 0
    analyst = members.login(simulate.demo_phone(1, "analyst"), simulate.DEMO_PASSWORD)
    [membership] = members.memberships(analyst["id"])
    yield Actor(analyst["id"], membership["shop_id"])
    monkeypatch.undo()
    db.reset_pool()
    startup.forget()
    conn = admin_connection(with_database=False)
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
    conn.close()


def test_every_question_answers_the_simulators_shop_with_its_defaults(simulated_shop):
    answered = {}
    for key, question in sorted(LIBRARY.questions.items()):
        frame = ask(simulated_shop, key)
        assert list(frame.columns) == list(question.columns), key
        assert _empty_cells(key, frame) == [], key
        answered[key] = frame
    assert answered["expenses/total_expenses"].loc[0, "expenses"] > 0  # the simulated rows, not an empty shop
    assert len(answered["expenses/spending_by_weekday"]) == 7 and len(answered["debts/owed_on_day"]) > 0
