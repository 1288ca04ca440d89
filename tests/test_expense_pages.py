"""The expense and analysis screens under AppTest, on the hand-computed fixture of support.FIXTURE."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal as D

from duka import book, expenses
from duka.clock import today
from support import FIXTURE, category_ids, click, money_format, seed_expenses, signed_in, texts
from ui.text import plain

LINK = '<a href="https://evil.example/pay">Pay fee</a>'
MARKDOWN_LINK = "[Pay](https://evil.example) ![t](https://evil.example/p.png)"


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
    assert money_format(at.dataframe[0], "amount") == "Ksh %,.2f"
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
    assert "7 expenses · Ksh 2,725.75 spent · Ksh 42.50 cashback" in texts(at.caption)
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
    assert "Over budget. Rent: Ksh 1,200.00 of Ksh 1,000.00 (120.0 %)" in texts(at.error)
    assert "Nearly there. Food: Ksh 85.00 of Ksh 100.00 (85.0 %)" in texts(at.warning)


def test_the_owner_adds_a_category_with_a_budget(shop):
    at = signed_in(shop, "pages/8_Budgets.py")
    at.text_input(key="category_new_name").input("Stock")
    at.text_input(key="category_new_budget").input("50,000")
    at = click(at, "Add category")
    assert "Category added" in texts(at.success)
    assert expenses.categories(shop).set_index("name").loc["Stock", "monthly_budget"] == D("50000.00")
    assert not expenses.categories(shop).set_index("name").loc["Stock", "essential"]  # unless ticked


def test_the_owner_adds_an_essential_category_and_the_list_shows_the_flag(shop):
    at = signed_in(shop, "pages/8_Budgets.py")
    at.text_input(key="category_new_name").input("School fees")
    at.checkbox(key="category_new_essential").check()
    at = click(at, "Add category")
    assert texts(at.success) == "Category added: School fees. It counts as essential."
    assert expenses.categories(shop).set_index("name").loc["School fees", "essential"]
    shown = at.dataframe[0].value.set_index("name")["essential"]
    assert (shown["School fees"], shown["Rent"], shown["Shopping"]) == (True, True, False)
    assert json.loads(at.dataframe[0].proto.columns)["essential"]["label"] == "Essential"
    assert at.checkbox(key="category_new_essential").value is False  # the form is emptied after a save


def test_the_owner_marks_a_category_essential_and_is_told(shop):
    shopping = category_ids(shop)["Shopping"]
    at = signed_in(shop, "pages/8_Budgets.py")
    at.selectbox(key="category_pick").set_value(shopping).run()
    box = at.checkbox(key=f"category_edit_essential_{shopping}")
    assert box.label == "Essential (must be paid: rent, food, transport…)" and box.value is False
    box.check()
    at = click(at, "Save")
    assert texts(at.success) == "Shopping is now essential."
    assert at.dataframe[0].value.set_index("name").loc["Shopping", "essential"]
    at.checkbox(key=f"category_edit_essential_{shopping}").uncheck()
    at = click(at, "Save")
    assert texts(at.success) == "Shopping is now discretionary."
    assert not expenses.categories(shop).set_index("name").loc["Shopping", "essential"]


def test_a_clerk_sees_the_flag_but_no_checkbox_to_change_it(staffed_shop):
    at = signed_in(staffed_shop["clerk"], "pages/8_Budgets.py")
    assert not at.exception and not at.checkbox
    assert at.dataframe[0].value.set_index("name").loc["Rent", "essential"]


def test_analytics_page_shows_the_hand_computed_figures(shop):
    seed_expenses(shop)
    at = signed_in(shop, "pages/9_Analytics.py")
    at.selectbox(key="analytics_period").set_value("Custom").run()
    at.date_input(key="analytics_from").set_value(date(2026, 1, 1)).run()
    at.date_input(key="analytics_to").set_value(date(2026, 2, 28)).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Total spent": "Ksh 2,725.75",
        "Cashback earned": "Ksh 42.50",
        "Daily average": "Ksh 46.20",
        "Expenses": "7",
    }
    assert "Highest spending day: Saturday 10 Jan 2026, Ksh 1,000.00." in texts(at.caption)
    assert "Rent took 73 % of spending in February 2026." in texts(at.info)
    assert len(at.get("plotly_chart")) == 5


def test_analytics_insights_speak_of_this_month_so_far(shop):
    expenses.add_expense(shop, category_ids(shop)["Food"], today(), "150")
    at = signed_in(shop, "pages/9_Analytics.py")
    assert "Food took 100 % of spending so far this month." in texts(at.info)


def test_shop_overview_puts_credit_collections_and_expenses_side_by_side(shop):
    _, sale = book.record_sale_to_new_customer(shop, "Kipchoge", None, "Bread", "300")
    book.record_payment(shop, sale, "120")
    expenses.add_expense(shop, category_ids(shop)["Transport"], today(), "80")
    at = signed_in(shop, "pages/10_Shop_overview.py")
    last = at.dataframe[0].value.iloc[-1]
    assert (last["credit_given"], last["collected"], last["expenses"]) == (D("300.00"), D("120.00"), D("80.00"))
    assert {c: money_format(at.dataframe[0], c) for c in ("credit_given", "collected", "expenses")} == dict.fromkeys(
        ("credit_given", "collected", "expenses"), "Ksh %,.2f"
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
    assert not at.exception and at.metric[0].value == f"Ksh {remaining:,.2f}"
    assert len(at.get("plotly_chart")) == 5
    assert any("Groceries is over its budget" in t for t in texts(at.info).split(" | "))


def _form_kinds(at, key: str) -> list[str]:
    """The kinds of element inside a form, in the order they are drawn; the form must keep what was typed
    (AppTest keeps widget values either way, so the flag is checked: the browser honours it)."""
    form = at.get_by_key(key)
    assert not form.proto.form.clear_on_submit
    return [type(e).__name__ for e in form if e is not form]


def test_a_failed_expense_keeps_every_field_and_says_why_just_above_the_button(shop):
    food = category_ids(shop)["Food"]
    day = today() - timedelta(days=1)
    at = signed_in(shop, "pages/7_Expenses.py")
    at.selectbox(key="expense_category").set_value(food)
    at.text_input(key="expense_amount").input("abc")
    at.selectbox(key="expense_mode").set_value("M-Pesa")
    at.text_input(key="expense_cashback").input("5")
    at.date_input(key="expense_day").set_value(day)
    at.text_input(key="expense_text").input("Chapati for the staff")
    at = click(at, "Add expense")
    assert "is not a number" in texts(at.error)
    kept = {
        "expense_category": food,
        "expense_amount": "abc",
        "expense_mode": "M-Pesa",
        "expense_cashback": "5",
        "expense_day": day,
        "expense_text": "Chapati for the staff",
    }
    assert {key: at.get_by_key(key).value for key in kept} == kept
    kinds = _form_kinds(at, "expense_add")
    assert kinds.index("Error") == kinds.index("Button") - 1  # inside the form, just above the button
    assert expenses.filtered_totals(shop, expenses.Filter(day, today()))["expenses"] == 0


def test_a_saved_expense_says_the_amount_once_and_empties_the_form(shop):
    at = signed_in(shop, "pages/7_Expenses.py")
    at.text_input(key="expense_amount").input("Ksh 300")
    at.text_input(key="expense_text").input("Matatu")
    at = click(at, "Add expense")
    assert texts(at.success) == "Expense of Ksh 300.00 added."
    assert (at.text_input(key="expense_amount").value, at.text_input(key="expense_text").value) == ("", "")
    assert not at.error


def test_a_failed_category_keeps_what_was_typed_and_says_why_just_above_the_button(shop):
    at = signed_in(shop, "pages/8_Budgets.py")
    at.text_input(key="category_new_name").input("Stock")
    at.text_input(key="category_new_description").input("For the shelves")
    at.text_input(key="category_new_budget").input("abc")
    at.checkbox(key="category_new_essential").check()
    at = click(at, "Add category")
    assert "is not a number" in texts(at.error)
    typed = {"category_new_name": "Stock", "category_new_description": "For the shelves", "category_new_budget": "abc"}
    assert {key: at.text_input(key=key).value for key in typed} == typed
    assert at.checkbox(key="category_new_essential").value is True
    kinds = _form_kinds(at, "category_add")
    assert kinds.index("Error") == kinds.index("Button") - 1
    at.text_input(key="category_new_budget").input("50,000")
    at = click(at, "Add category")
    assert not at.error and "Category added" in texts(at.success)
    assert all(at.text_input(key=key).value == "" for key in typed)


def test_a_failed_category_edit_keeps_what_was_typed(shop):
    food = category_ids(shop)["Food"]
    at = signed_in(shop, "pages/8_Budgets.py")
    at.selectbox(key="category_pick").set_value(food).run()
    at.text_input(key=f"category_edit_name_{food}").input("Meals")
    at.text_input(key=f"category_edit_budget_{food}").input("12.345")
    at.checkbox(key=f"category_edit_essential_{food}").uncheck()
    at = click(at, "Save")
    assert "two decimal places" in texts(at.error)
    assert at.text_input(key=f"category_edit_name_{food}").value == "Meals"
    assert at.checkbox(key=f"category_edit_essential_{food}").value is False
    assert at.text_input(key=f"category_edit_budget_{food}").value == "12.345"
    kinds = _form_kinds(at, f"category_edit_{food}")
    assert kinds.index("Error") == kinds.index("Button") - 1
    assert "Food" in category_ids(shop) and expenses.categories(shop).set_index("name").loc["Food", "essential"]


def test_saving_a_category_says_what_changed(shop):
    groceries = category_ids(shop)["Groceries"]
    at = signed_in(shop, "pages/8_Budgets.py")
    at.selectbox(key="category_pick").set_value(groceries).run()
    at.text_input(key=f"category_edit_budget_{groceries}").input("5000")
    at = click(at, "Save")
    assert texts(at.success) == "Budget for Groceries set to Ksh 5,000.00."
    at.text_input(key=f"category_edit_name_{groceries}").input("Shop stock")
    at = click(at, "Save")
    assert texts(at.success) == "Category renamed to Shop stock; its expenses keep their history."
    at.text_input(key=f"category_edit_budget_{groceries}").input("")
    at = click(at, "Save")
    assert texts(at.success) == "Budget for Shop stock removed."


def test_a_category_without_description_or_budget_shows_empty_cells_not_none(shop):
    expenses.add_category(shop, "Stock", None, None)
    at = signed_in(shop, "pages/8_Budgets.py")
    shown = at.dataframe[0].value.set_index("name")
    assert shown.loc["Stock", "description"] == ""
    assert shown.loc["Stock", "monthly_budget"] is None and at.dataframe[0].proto.placeholder == ""  # a blank cell


def _chart_texts(at) -> list[str]:
    """Every piece of text the page's Plotly charts would draw: labels, hovers and legend names."""
    found = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for chart in at.get("plotly_chart"):
        walk(json.loads(chart.proto.spec))
    return found


def test_html_in_a_category_name_is_shown_as_text_in_the_analytics_charts(shop):
    category = expenses.add_category(shop, LINK, None, None)
    expenses.add_expense(shop, category, today(), "120", "M-Pesa")
    at = signed_in(shop, "pages/9_Analytics.py")
    drawn = _chart_texts(at)
    assert not [t for t in drawn if "<a" in t]
    assert any(t.startswith('&lt;a href="https://evil.example/pay"&gt;Pay fee&lt;/a&gt;') for t in drawn)


def test_html_in_a_customer_name_is_shown_as_text_in_the_top_debtors_question(shop):
    book.record_sale_to_new_customer(shop, LINK, None, "Sugar", "500")
    at = signed_in(shop, "pages/12_Questions.py")
    at.sidebar.selectbox(key="question_pick").set_value("debts/top_debtors").run()
    drawn = _chart_texts(at)
    assert not [t for t in drawn if "<a" in t]
    assert '&lt;a href="https://evil.example/pay"&gt;Pay fee&lt;/a&gt;' in drawn
    assert at.dataframe[0].value["customer"].tolist() == [LINK]  # the table holds the name as typed


def test_markdown_in_category_names_is_escaped_in_every_budget_line(shop):
    lines = {  # name, budget, spent: over, nearly there, under
        "error": ("[Pay](https://evil.example) over", "100", "120"),
        "warning": ("![t](https://evil.example/p.png) nearly", "100", "85"),
        "caption": ("*under* :red[x] $5$", "1000", "10"),
    }
    for name, budget, spent in lines.values():
        expenses.add_expense(shop, expenses.add_category(shop, name, None, budget), today(), spent)
    at = signed_in(shop, "pages/8_Budgets.py")
    for kind, (name, _, _) in lines.items():
        assert any(plain(name) in e.value for e in at.get(kind)), kind
    assert "[Pay](https://evil.example) over" in texts(at.error)  # what the person reads


def test_the_empty_dashboard_says_so_instead_of_drawing_an_empty_chart(shop):
    at = signed_in(shop, "pages/1_Dashboard.py")
    assert not at.exception and not at.get("plotly_chart")
    assert "No credit given or collected in the last 12 months yet." in texts(at.info)


def test_the_month_chart_starts_at_zero(shop):
    book.record_sale_to_new_customer(shop, "Chebet", None, "Flour", "1500")
    at = signed_in(shop, "pages/1_Dashboard.py")
    [chart] = at.get("plotly_chart")
    assert json.loads(chart.proto.spec)["layout"]["yaxis"]["rangemode"] == "tozero"


def test_the_import_mapping_says_none_in_words(shop):
    at = signed_in(shop, "pages/11_Import.py")
    at.file_uploader[0].set_value(("spend.csv", b"Date,Amount,Category\n2026-03-01,100,Food\n", "text/csv")).run()
    mode = at.selectbox(key="import_map_payment_mode")
    assert mode.value is None and mode.options[0] == "(none)" and "None" not in mode.options
