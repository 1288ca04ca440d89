"""Expenses, categories and budgets; the analytics checked against figures worked out by hand."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from db.errors import InvalidInput, NotAllowed, NotFound
from duka import analytics, expenses
from duka.analytics import Period
from duka.clock import today
from support import category_ids, register_owner

ESSENTIAL_DEFAULTS = {"Groceries", "Rent", "Food", "Transport", "Utilities", "Bills", "Health", "Education"}


def test_a_new_shop_starts_with_the_default_categories(shop):
    assert sorted(category_ids(shop)) == sorted(
        [
            "Groceries",
            "Rent",
            "Food",
            "Transport",
            "Utilities",
            "Bills",
            "Health",
            "Education",
            "Entertainment",
            "Shopping",
            "Subscriptions",
            "Other",
        ]
    )


def test_a_new_shop_starts_with_eight_essential_categories_and_four_discretionary(shop):
    frame = expenses.categories(shop)
    assert frame["essential"].dtype == bool
    flags = dict(zip(frame["name"], frame["essential"]))
    assert {name for name, essential in flags.items() if essential} == ESSENTIAL_DEFAULTS
    assert {name for name, essential in flags.items() if not essential} == {
        "Entertainment",
        "Shopping",
        "Subscriptions",
        "Other",
    }


def test_a_category_the_owner_adds_is_discretionary_unless_marked_essential(shop):
    stock = expenses.add_category(shop, "Stock", None, "5000")
    fees = expenses.add_category(shop, "School fees", None, None, essential=True)
    flags = expenses.categories(shop).set_index("category_id")["essential"]
    assert (flags[stock], flags[fees]) == (False, True)


def _category_audit(raw, category_id: int) -> list[tuple[object, object]]:
    """The essential flag before and after each logged change of one category."""
    cur = raw.cursor()
    cur.execute(
        "SELECT old_values, new_values FROM audit_log WHERE table_name = 'categories' AND row_id = %s ORDER BY id",
        (category_id,),
    )
    return [(json.loads(old)["essential"], json.loads(new)["essential"]) for old, new in cur.fetchall()]


def test_the_owner_flips_the_essential_flag_and_the_audit_log_keeps_the_old_value(raw, shop):
    ids = category_ids(shop)
    expenses.update_category(shop, ids["Rent"], "Rent", None, None, essential=False)
    expenses.update_category(shop, ids["Shopping"], "Shopping", None, None, essential=True)
    flags = expenses.categories(shop).set_index("name")["essential"]
    assert (flags["Rent"], flags["Shopping"]) == (False, True)
    assert _category_audit(raw, ids["Rent"]) == [(1, 0)]
    assert _category_audit(raw, ids["Shopping"]) == [(0, 1)]


def test_saving_a_category_without_saying_the_flag_keeps_it(raw, shop):
    rent = category_ids(shop)["Rent"]
    expenses.update_category(shop, rent, "Rent", None, "9000")  # an older caller: name, description, budget
    assert expenses.categories(shop).set_index("name").loc["Rent", "essential"]
    assert _category_audit(raw, rent) == [(1, 1)]


@pytest.mark.parametrize("role", ["clerk", "analyst"])
def test_only_the_owner_changes_the_essential_flag(raw, staffed_shop, role):
    owner, member = staffed_shop["owner"], staffed_shop[role]
    rent = category_ids(owner)["Rent"]
    with pytest.raises(NotAllowed, match="cannot change categories"):
        expenses.update_category(member, rent, "Rent", None, None, essential=False)
    with pytest.raises(NotAllowed, match="cannot add categories"):
        expenses.add_category(member, "School fees", essential=True)
    assert expenses.categories(owner).set_index("name").loc["Rent", "essential"]
    assert _category_audit(raw, rent) == []


def _category(name: str, essential: bool, budget: D | None = None, description: str | None = None) -> dict:
    return {"name": name, "description": description, "monthly_budget": budget, "essential": essential}


@pytest.mark.parametrize(
    "before, after, said",
    [
        (_category("Rent", False), _category("Rent", True), "Rent is now essential."),
        (_category("Shopping", True), _category("Shopping", False), "Shopping is now discretionary."),
        (
            _category("Food", False),
            _category("Meals", True, D("3000")),
            "Category renamed to Meals; its expenses keep their history. Budget for Meals set to Ksh 3,000.00. "
            "Meals is now essential.",
        ),
        (_category("Rent", True), _category("Rent", True), "Nothing to change: the category already reads like that."),
    ],
)
def test_the_sentence_after_saving_a_category_says_what_changed(before, after, said):
    assert expenses.what_changed_in_category(before, after, "KES") == said


def test_summary_of_two_months_matches_the_hand_computed_figures(spending):
    figures = analytics.summary(spending, Period(date(2026, 1, 1), date(2026, 2, 28)))
    assert figures["total"] == D("2725.75")
    assert figures["cashback"] == D("42.50")
    assert figures["expenses"] == 7
    assert figures["daily_average"] == D("46.20")  # 2725.75 / 59 days
    assert figures["previous_total"] == 0 and figures["change_percent"] is None


def test_change_against_the_previous_period(spending):
    february = analytics.summary(spending, Period(date(2026, 2, 1), date(2026, 2, 28)))
    assert february["total"] == D("1375.25")
    assert february["previous_total"] == D("1350.50")  # 4–31 January
    assert february["change_percent"] == D("1.8")


def test_spending_by_category_with_shares(spending):
    frame = analytics.by_category(spending, Period(date(2026, 1, 1), date(2026, 2, 28)))
    assert frame[["category", "spent", "share"]].values.tolist() == [
        ["Rent", D("2000.00"), D("73.4")],
        ["Entertainment", D("300.00"), D("11.0")],
        ["Groceries", D("300.00"), D("11.0")],
        ["Food", D("125.75"), D("4.6")],
    ]


def test_payment_mode_distribution(spending):
    frame = analytics.by_payment_mode(spending, Period(date(2026, 1, 1), date(2026, 2, 28)))
    assert frame[["payment_mode", "spent", "share"]].values.tolist() == [
        ["Bank transfer", D("2000.00"), D("73.4")],
        ["Credit Card", D("500.00"), D("18.3")],
        ["M-Pesa", D("125.75"), D("4.6")],
        ["Cash", D("100.00"), D("3.7")],
    ]


def test_weekday_spending_and_the_highest_day(spending):
    period = Period(date(2026, 1, 1), date(2026, 2, 28))
    assert analytics.by_weekday(spending, period)[["weekday", "spent"]].values.tolist() == [
        ["Monday", D("150.50")],
        ["Tuesday", D("1275.25")],
        ["Wednesday", D("0")],
        ["Thursday", D("0")],
        ["Friday", D("0")],
        ["Saturday", D("1300.00")],
        ["Sunday", D("0")],
    ]
    assert analytics.highest_day(spending, period) == {
        "spent_on": date(2026, 1, 10),
        "spent": D("1000.00"),
        "expenses": 1,
    }


def test_monthly_trend_with_cashback_per_month(spending):
    frame = analytics.monthly_trend(spending, Period(date(2026, 1, 1), date(2026, 3, 31)))
    assert frame[["month", "spent", "cashback", "expenses"]].values.tolist() == [
        [date(2026, 1, 1), D("1350.50"), D("12.50"), 4],
        [date(2026, 2, 1), D("1375.25"), D("30.00"), 3],
        [date(2026, 3, 1), D("0"), D("0"), 0],
    ]


def test_a_category_filter_narrows_every_figure(spending):
    ids = category_ids(spending)
    period = Period(date(2026, 1, 1), date(2026, 2, 28), (ids["Food"], ids["Groceries"]))
    assert analytics.summary(spending, period)["total"] == D("425.75")
    assert analytics.by_category(spending, period)["share"].tolist() == [D("70.5"), D("29.5")]


def test_budgets_and_insights_for_february(spending):
    ids = category_ids(spending)
    expenses.update_category(spending, ids["Food"], "Food", None, "80")
    expenses.update_category(spending, ids["Rent"], "Rent", None, "900")
    status = expenses.budget_status(spending, date(2026, 2, 15))
    assert status[["name", "spent", "percent"]].values.tolist() == [
        ["Rent", D("1000.00"), D("111.1")],
        ["Food", D("75.25"), D("94.1")],
    ]
    said = analytics.insights(spending, "KES", date(2026, 2, 1))
    assert said == [
        "Food is 347 % above your 3-month average (Ksh 75.25 against Ksh 16.83).",
        "Rent is 200 % above your 3-month average (Ksh 1,000.00 against Ksh 333.33).",
        "Rent took 73 % of spending in February 2026.",
        "Rent is over its budget: Ksh 1,000.00 of Ksh 900.00 (111 %).",
        "Food has used 94 % of its budget.",
    ]


def test_the_expense_list_pages_by_keyset_and_filters(spending):
    where = expenses.Filter(date(2026, 1, 1), date(2026, 2, 28))
    first = expenses.expenses_page(spending, where, limit=3)
    assert first["description"].tolist() == ["Cinema", "February rent", "Dinner"]
    last = first.iloc[-1]
    second = expenses.expenses_page(spending, where, (last["spent_on"], int(last["expense_id"])), limit=3)
    assert second["description"].tolist() == ["Groceries at Carrefour", "January rent", "Lunch"]
    totals = expenses.filtered_totals(
        spending, expenses.Filter(date(2026, 1, 1), date(2026, 2, 28), modes=("M-Pesa",), text="lun")
    )
    assert (totals["expenses"], totals["amount"], totals["cashback"]) == (1, D("50.50"), D("2.50"))


def test_renaming_a_category_keeps_its_history(spending):
    ids = category_ids(spending)
    expenses.update_category(spending, ids["Food"], "Eating out", "meals", None)
    frame = analytics.by_category(spending, Period(date(2026, 1, 1), date(2026, 2, 28)))
    assert "Eating out" in frame["category"].tolist() and "Food" not in frame["category"].tolist()


def test_a_category_with_expenses_is_deleted_only_by_moving_them(spending):
    ids = category_ids(spending)
    with pytest.raises(InvalidInput, match="choose where to move"):
        expenses.delete_category(spending, ids["Food"])
    assert expenses.delete_category(spending, ids["Food"], move_to=ids["Other"]) == 2
    assert "Food" not in category_ids(spending)


def test_duplicate_category_names_are_refused_whatever_the_case(shop):
    with pytest.raises(InvalidInput, match="already a category"):
        expenses.add_category(shop, "groceries")


@pytest.mark.parametrize(
    "amount, cashback, message",
    [
        ("0", "0", "more than zero"),
        ("10", "11", "Cashback cannot be more"),
        ("abc", "0", "not a number"),
        ("10.001", "0", "two decimal places"),
        ("5", "-1", "Cashback cannot be negative"),
    ],
)
def test_bad_expenses_are_refused(shop, amount, cashback, message):
    with pytest.raises(InvalidInput, match=message):
        expenses.add_expense(shop, category_ids(shop)["Food"], date(2026, 1, 1), amount, "Cash", cashback, "x")


def test_an_expense_in_the_future_is_refused(shop):
    with pytest.raises(InvalidInput, match="future"):
        expenses.add_expense(shop, category_ids(shop)["Food"], today() + timedelta(days=1), "5")


def test_roles_for_expenses(staffed_shop):
    owner, clerk, analyst = staffed_shop["owner"], staffed_shop["clerk"], staffed_shop["analyst"]
    food = category_ids(owner)["Food"]
    mine = expenses.add_expense(clerk, food, date(2026, 1, 2), "20", "Cash", None, "Chai")
    for forbidden in (
        lambda: expenses.edit_expense(clerk, mine, food, date(2026, 1, 2), "25", "Cash", None, "x"),
        lambda: expenses.delete_expenses(clerk, [mine]),
        lambda: expenses.recategorise(clerk, [mine], category_ids(owner)["Other"]),
        lambda: expenses.add_category(clerk, "Stock"),
        lambda: expenses.add_expense(analyst, food, date(2026, 1, 2), "1"),
    ):
        with pytest.raises(NotAllowed):
            forbidden()
    assert analytics.summary(analyst, Period(date(2026, 1, 1), date(2026, 1, 31)))["total"] == D("20.00")
    expenses.edit_expense(owner, mine, food, date(2026, 1, 2), "25", "Cash", None, "Chai na mandazi")
    assert expenses.recategorise(owner, [mine], category_ids(owner)["Other"]) == 1
    assert expenses.delete_expenses(owner, [mine]) == 1


def test_no_expense_crosses_shops(spending):
    other, _ = register_owner("Other household")
    ids_other = category_ids(other)
    theirs = expenses.add_expense(other, ids_other["Food"], date(2026, 1, 3), "999")
    assert analytics.summary(spending, Period(date(2026, 1, 1), date(2026, 2, 28)))["total"] == D("2725.75")
    assert expenses.delete_expenses(spending, [theirs]) == 0
    with pytest.raises(NotFound):
        expenses.add_expense(spending, ids_other["Food"], date(2026, 1, 3), "1")
    with pytest.raises(NotFound):
        expenses.recategorise(spending, [theirs], ids_other["Rent"])
    with pytest.raises(NotFound):
        expenses.expense(spending, theirs)
    assert expenses.expense(other, theirs)["amount"] == D("999.00")


def test_the_daily_rollups_follow_every_add_edit_move_and_delete(spending):
    from simulate import demo

    ids = category_ids(spending)
    page = expenses.expenses_page(spending, expenses.Filter(date(2026, 1, 1), date(2026, 2, 28)), limit=100)
    by_text = dict(zip(page["description"], page["expense_id"]))
    expenses.edit_expense(spending, int(by_text["Lunch"]), ids["Food"], date(2026, 1, 6), "60.00", "Cash", "1", "Lunch")
    expenses.recategorise(spending, [int(by_text["Cinema"])], ids["Other"])
    expenses.delete_expenses(spending, [int(by_text["Dinner"])])
    assert demo.invariant_breaches([spending.shop_id]) == []
    period = Period(date(2026, 1, 1), date(2026, 2, 28))
    assert analytics.summary(spending, period)["total"] == D("2725.75") - D("50.50") + D("60.00") - D("75.25")
    assert analytics.by_payment_mode(spending, Period(period.start, period.end, (ids["Food"],)))[
        ["payment_mode", "spent"]
    ].values.tolist() == [["Cash", D("60.00")]]


def test_the_invariant_check_catches_a_rollup_written_by_hand(spending, raw):
    from simulate import demo

    raw.cursor().execute("UPDATE expense_days SET amount = amount + 1 WHERE shop_id = %s LIMIT 1", (spending.shop_id,))
    assert [b["problem"] for b in demo.invariant_breaches([spending.shop_id])] == ["expense_days differs from expenses"]
