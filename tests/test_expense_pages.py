"""The expense screens under AppTest, on the hand-computed fixture of support.FIXTURE."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from duka import book, expenses
from duka.clock import today
from support import FIXTURE, category_ids, click, money_format, seed_expenses, signed_in, texts


def test_a_clerk_adds_an_expense_and_sees_it_listed(staffed_shop):
    at = signed_in(staffed_shop["clerk"], "pages/7_Expenses.py")
    at.text_input(key="expense_amount").input("1,500")
    at.text_input(key="expense_cashback").input("15")
    at.selectbox(key="expense_mode").set_value("M-Pesa")
    at.text_input(key="expense_text").input("Groceries at Quickmart")
    at = click(at, "Add expense")
    assert not at.exception and "added" in texts(at.success)
    listed = at.dataframe[0].value
    assert listed["description"].tolist() == ["Groceries at Quickmart"]
    assert listed["amount"].tolist() == [D("1500.00")]  # a number, shown in the shop's currency
    assert money_format(at.dataframe[0], "amount") == "KES %,.2f"
    assert "Correct an expense" not in [e.label for e in at.expander]


def test_a_bad_expense_is_explained_and_not_saved(shop):
    at = signed_in(shop, "pages/7_Expenses.py")
    at.text_input(key="expense_amount").input("10")
    at.text_input(key="expense_cashback").input("11")
    at = click(at, "Add expense")
    assert "Cashback cannot be more than the amount" in texts(at.error)
    assert "No expenses match." in texts(at.info)


def test_the_expense_list_filters_pages_and_exports(shop):
    seed_expenses(shop)
    at = signed_in(shop, "pages/7_Expenses.py")
    at.date_input(key="expenses_from").set_value(date(2026, 1, 1)).run()
    at.date_input(key="expenses_to").set_value(date(2026, 2, 28)).run()
    assert len(at.dataframe[0].value) == 7
    assert "7 expenses · KES 2,725.75 spent · KES 42.50 cashback" in texts(at.caption)
    at.multiselect(key="expenses_modes").set_value(["Bank transfer"]).run()
    assert at.dataframe[0].value["description"].tolist() == ["February rent", "January rent"]
    at = click(at, "Prepare an export of all matching expenses")
    assert [b.label for b in at.get("download_button")] == ["Export CSV", "Export Excel"]


def test_the_expense_list_pages_fifty_at_a_time(shop):
    food = category_ids(shop)["Food"]
    for i in range(60):
        expenses.add_expense(shop, food, date(2026, 1, 1 + i % 28), "10", "Cash", None, f"Snack {i}")
    at = signed_in(shop, "pages/7_Expenses.py")
    at.date_input(key="expenses_from").set_value(date(2026, 1, 1)).run()
    assert len(at.dataframe[0].value) == 50
    at = click(at, "Next page")
    assert len(at.dataframe[0].value) == 10 and "page 2" in texts(at.caption)
    at = click(at, "Previous page")
    assert len(at.dataframe[0].value) == 50


def test_the_owner_corrects_an_expense(shop):
    seed_expenses(shop, FIXTURE[:1])
    at = signed_in(shop, "pages/7_Expenses.py")
    at.date_input(key="expenses_from").set_value(date(2026, 1, 1)).run()
    which = at.selectbox(key="expense_fix").value
    at.text_input(key=f"expense_fix_amount_{which}").input("120")
    at = click(at, "Save correction")
    assert "Expense corrected" in texts(at.success)
    assert at.dataframe[0].value["amount"].tolist() == [D("120.00")]


def test_budgets_warn_at_eighty_and_one_hundred_percent(shop):
    ids = category_ids(shop)
    expenses.update_category(shop, ids["Food"], "Food", None, "100")
    expenses.update_category(shop, ids["Rent"], "Rent", None, "1000")
    expenses.add_expense(shop, ids["Food"], today(), "85")
    expenses.add_expense(shop, ids["Rent"], today(), "1200")
    at = signed_in(shop, "pages/8_Budgets.py")
    assert not at.exception
    assert "Over budget. Rent: KES 1,200.00 of KES 1,000.00 (120.0 %)" in texts(at.error)
    assert "Nearly there. Food: KES 85.00 of KES 100.00 (85.0 %)" in texts(at.warning)


def test_the_owner_adds_a_category_with_a_budget(shop):
    at = signed_in(shop, "pages/8_Budgets.py")
    at.text_input(key="category_new_name").input("Stock")
    at.text_input(key="category_new_budget").input("50,000")
    at = click(at, "Add category")
    assert "Category added" in texts(at.success)
    assert expenses.categories(shop).set_index("name").loc["Stock", "monthly_budget"] == D("50000.00")


def test_analytics_page_shows_the_hand_computed_figures(shop):
    seed_expenses(shop)
    at = signed_in(shop, "pages/9_Analytics.py")
    at.selectbox(key="analytics_period").set_value("Custom").run()
    at.date_input(key="analytics_from").set_value(date(2026, 1, 1)).run()
    at.date_input(key="analytics_to").set_value(date(2026, 2, 28)).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Total spent": "KES 2,725.75",
        "Cashback earned": "KES 42.50",
        "Daily average": "KES 46.20",
        "Expenses": "7",
    }
    assert "Highest spending day: Saturday 10 Jan 2026, KES 1,000.00." in texts(at.caption)
    assert "Rent took 73 % of spending in February 2026." in texts(at.info)
    assert len(at.get("plotly_chart")) == 5


def test_shop_overview_puts_credit_collections_and_expenses_side_by_side(shop):
    customer = book.add_customer(shop, "Kipchoge")
    book.record_payment(shop, book.record_sale(shop, customer, "Bread", total="300"), "120")
    expenses.add_expense(shop, category_ids(shop)["Transport"], today(), "80")
    at = signed_in(shop, "pages/10_Shop_overview.py")
    last = at.dataframe[0].value.iloc[-1]
    assert (last["credit_given"], last["collected"], last["expenses"]) == (D("300.00"), D("120.00"), D("80.00"))
    assert {c: money_format(at.dataframe[0], c) for c in ("credit_given", "collected", "expenses")} == dict.fromkeys(
        ("credit_given", "collected", "expenses"), "KES %,.2f"
    )


def test_a_new_user_adds_edits_deletes_budgets_and_sees_analytics(shop):
    at = signed_in(shop, "pages/7_Expenses.py")
    groceries = category_ids(shop)["Groceries"]
    for amount, text in (("400", "Unga and sugar"), ("250", "Matatu to town")):
        at.selectbox(key="expense_category").set_value(groceries)
        at.text_input(key="expense_amount").input(amount)
        at.text_input(key="expense_text").input(text)
        at = click(at, "Add expense")
    assert sorted(at.dataframe[0].value["description"]) == ["Matatu to town", "Unga and sugar"]
    which = at.selectbox(key="expense_fix").value
    at.text_input(key=f"expense_fix_amount_{which}").input("450")
    at = click(at, "Save correction")
    assert D("450.00") in at.dataframe[0].value["amount"].tolist()
    at = click(at, "Delete this expense")
    assert "Expense deleted" in texts(at.success) and len(at.dataframe[0].value) == 1

    at.switch_page("pages/8_Budgets.py")
    at.run()
    at.selectbox(key="category_pick").set_value(groceries).run()
    at.text_input(key=f"category_edit_budget_{groceries}").input("200")
    at = click(at, "Save")
    assert texts(at.error).startswith("Over budget. Groceries")

    at.switch_page("pages/9_Analytics.py")
    at.run()
    remaining = expenses.filtered_totals(shop, expenses.Filter(today().replace(day=1), today()))["amount"]
    assert remaining in (D("250.00"), D("400.00"))  # one of the two was edited to 450 and then deleted
    assert not at.exception and at.metric[0].value == f"KES {remaining:,.2f}"
    assert len(at.get("plotly_chart")) == 5
    assert any("Groceries is over its budget" in t for t in texts(at.info).split(" | "))
