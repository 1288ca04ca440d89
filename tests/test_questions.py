"""The analyst question library: every file loads and runs, the figures it shares with the app are the app's,
values are checked twice, answers are capped on the page only and cached when allowed, and the command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import pandas as pd
import pytest

from db import cache, config, reader, sqlfiles
from db.errors import InvalidInput, NotAllowed
from duka import analytics, book, clock, customers, dashboard, expenses, question_files, questions
from duka import ask as ask_command
from support import ROOT, TEST_DB, category_ids, register_owner, seed_expenses, signed_in, texts

LIBRARY = questions.load()
JAN_FEB = (date(2026, 1, 1), date(2026, 2, 28))


@pytest.fixture
def books(staffed_shop):
    """The seven expenses of support.FIXTURE plus three customers (all dates fixed):
    Achieng: 1,000 on 10 Jan (due 31 Jan), paid 400 on 20 Jan and 600 on 5 Feb (cleared, 26 days);
    Baraka: 500 on 1 Feb (due 15 Feb), paid 100 on 10 Feb; Chebet: 300 on 20 Feb, nothing paid."""
    owner = seed_expenses(staffed_shop["owner"])
    achieng = customers.add_customer(owner, "Achieng")
    sale = book.record_sale(
        owner, achieng, "Cement", total="1000", debt_date=date(2026, 1, 10), due_date=date(2026, 1, 31)
    )
    book.record_payment(owner, sale, "400", paid_at=date(2026, 1, 20))
    book.record_payment(owner, sale, "600", "M-Pesa", paid_at=date(2026, 2, 5))
    baraka = customers.add_customer(owner, "Baraka")
    sale = book.record_sale(owner, baraka, "Sugar", total="500", debt_date=date(2026, 2, 1), due_date=date(2026, 2, 15))
    book.record_payment(owner, sale, "100", paid_at=date(2026, 2, 10))
    book.record_sale(owner, customers.add_customer(owner, "Chebet"), "Rice", total="300", debt_date=date(2026, 2, 20))
    return staffed_shop


def ask(actor, key, **values):
    return questions.ask(actor, LIBRARY.questions[key], values).frame


def test_the_library_holds_at_least_thirty_questions_and_refuses_none():
    assert LIBRARY.refused == {}
    assert len(LIBRARY.questions) >= 30
    assert {q.topic for q in LIBRARY.questions.values()} >= {"Expenses", "Cashback", "Debts", "Budgets"}


@pytest.mark.parametrize("key", sorted(LIBRARY.questions))
def test_every_question_runs_with_its_defaults_and_returns_its_columns(books, key):
    frame = ask(books["analyst"], key)
    assert list(frame.columns) == list(LIBRARY.questions[key].columns)


# The four figures the app shares with the analyst page (the other questions' hand checks are in
# test_question_answers.py); worked out from the books fixture's docstring and support.FIXTURE.
HAND_CHECKED = {
    "expenses/spending_by_category": (
        {"period": JAN_FEB},
        [
            ["Rent", D("2000.00"), D("2"), D("73.4")],
            ["Entertainment", D("300.00"), D("1"), D("11.0")],
            ["Groceries", D("300.00"), D("2"), D("11.0")],
            ["Food", D("125.75"), D("2"), D("4.6")],
        ],
    ),
    "debts/top_debtors": ({}, [["Baraka", None, D("400.00")], ["Chebet", None, D("300.00")]]),
    # On 1 Feb Achieng owed 1,000 - 400 (age 22) and Baraka 500 (age 0); Chebet's sale came on 20 Feb.
    "debts/debt_ageing": (
        {"on_day": date(2026, 2, 1)},
        [
            ["0–30 days", D("1100.00"), 2],
            ["31–60 days", D("0"), 0],
            ["61–90 days", D("0"), 0],
            ["over 90 days", D("0"), 0],
        ],
    ),
    "shop/monthly_overview": (
        {"period": (date(2025, 12, 15), date(2026, 3, 31))},
        [
            [date(2025, 12, 1), D("0"), D("0"), D("0")],
            [date(2026, 1, 1), D("1000.00"), D("400.00"), D("1350.50")],
            [date(2026, 2, 1), D("800.00"), D("700.00"), D("1375.25")],
            [date(2026, 3, 1), D("0"), D("0"), D("0")],
        ],
    ),
}


@pytest.mark.parametrize("key", sorted(HAND_CHECKED))
def test_the_shared_figures_match_figures_worked_out_by_hand(books, key):
    values, expected = HAND_CHECKED[key]
    frame = ask(books["analyst"], key, **values)
    assert frame.values.tolist() == expected


def test_a_category_choice_is_filled_from_the_shops_categories(books):
    param = next(p for p in LIBRARY.questions["expenses/expenses_in_category"].params if p.name == "category")
    labels = dict(questions.choices(books["analyst"], param))
    rent = category_ids(books["owner"])["Rent"]
    assert labels[rent] == "Rent"
    frame = ask(books["analyst"], "expenses/expenses_in_category", period=JAN_FEB, category=rent)
    assert frame["description"].tolist() == ["February rent", "January rent"]


def test_a_clerk_cannot_ask(books):
    with pytest.raises(NotAllowed, match="A clerk cannot"):
        ask(books["clerk"], "expenses/total_expenses")


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text)


GOOD = """/* ---
title = "Fine"
description = "Fine."
topic = "Test"
columns = ["n"]
--- */
SELECT COUNT(*) AS n FROM expenses WHERE shop_id = %(shop_id)s"""


def test_a_bad_question_file_is_refused_by_name_and_reason_and_the_rest_load(tmp_path):
    _write(tmp_path, "good.sql", GOOD)
    _write(
        tmp_path,
        "writes.sql",
        GOOD.replace("SELECT COUNT(*) AS n FROM expenses WHERE", "UPDATE expenses SET amount = 1 WHERE"),
    )
    _write(tmp_path, "smuggled.sql", GOOD + "; UPDATE expenses SET amount = 1 WHERE shop_id = %(shop_id)s")
    _write(tmp_path, "no_shop.sql", GOOD.replace("WHERE shop_id = %(shop_id)s", ""))
    _write(tmp_path, "broken.sql", GOOD.replace('title = "Fine"', 'title = "Fine'))
    _write(tmp_path, "unknown_param.sql", GOOD + " AND amount > %(minimum)s")
    library = questions.load(tmp_path)
    assert list(library.questions) == ["good"]
    assert library.refused == {
        "broken": library.refused["broken"],
        "no_shop": "the query reads expenses without expenses.shop_id = %(shop_id)s in its WHERE (or its own JOIN … "
        "ON), so it could read other shops' rows.",
        "smuggled": "the query has more than one statement.",
        "unknown_param": "the query uses minimum, which no parameter provides",
        "writes": "the query must be a SELECT (or WITH … SELECT); it is an UPDATE statement.",
    }
    assert library.refused["broken"].startswith("the header is not valid TOML")


def test_the_database_refuses_a_write_that_gets_past_the_library(books, raw):
    shop = books["owner"].shop_id
    with pytest.raises(InvalidInput, match="only read"):
        reader.run(shop, "UPDATE expenses SET amount = 1 WHERE shop_id = %(shop_id)s", {"shop_id": shop})
    cur = raw.cursor()
    cur.execute("SELECT SUM(amount) FROM expenses WHERE shop_id = %s", (shop,))
    assert cur.fetchone()[0] == D("2725.75")


def test_the_reader_account_cannot_read_password_hashes(books):
    shop = books["owner"].shop_id
    with pytest.raises(InvalidInput, match="only read"):
        reader.run(shop, "SELECT password_hash FROM users WHERE id > %(shop_id)s", {"shop_id": shop})


def test_a_question_that_runs_too_long_is_stopped_with_a_sentence(books):
    shop = books["owner"].shop_id
    with pytest.raises(InvalidInput, match="took longer than 0.5 seconds"):
        reader.run(shop, "SELECT SLEEP(3) AS s FROM shops WHERE id = %(shop_id)s", {"shop_id": shop}, timeout=0.5)


def test_the_page_caps_the_rows_shown_but_not_the_download(books, monkeypatch):
    monkeypatch.setattr(questions, "ROW_CAP", 3)
    at = signed_in(books["analyst"])
    at.session_state["question_pick"] = "expenses/expenses_above_threshold"
    at.switch_page("pages/12_Questions.py")
    at.run()
    at.date_input(key="question_expenses/expenses_above_threshold_period").set_value(JAN_FEB).run()
    at.number_input(key="question_expenses/expenses_above_threshold_threshold").set_value(1.0).run()
    assert not at.exception
    assert "Showing the first 3 rows; there are more, and the downloads have them all." in texts(at.info)
    assert len(at.dataframe[0].value) == 3
    assert "3 row(s)" in texts(at.caption)


@pytest.mark.parametrize("role", ["owner", "analyst"])
def test_the_questions_page_renders_every_question_for_owner_and_analyst(books, role):
    at = signed_in(books[role], "pages/12_Questions.py")
    for key in sorted(LIBRARY.questions):
        at.sidebar.selectbox(key="question_pick").set_value(key).run()
        assert not at.exception, key
        assert not at.error, (key, texts(at.error))
        assert [s.value for s in at.subheader][0] == LIBRARY.questions[key].title


def test_the_questions_page_is_closed_to_a_clerk(books):
    at = signed_in(books["clerk"], "pages/12_Questions.py")
    assert "A clerk cannot open this page." in texts(at.warning)
    assert not at.dataframe


# --- one figure, one query -----------------------------------------------------------------------------------


def test_the_same_figure_is_identical_on_the_dashboard_in_analytics_and_on_the_analyst_page(books):
    """Ageing, top debtors, the monthly overview, and analytics' categories, payment modes, weekdays and monthly
    trend: the app's functions and the analyst's questions give the same frame (same columns, labels, rows and
    values) for the same day, period and categories."""
    owner, analyst = books["owner"], books["analyst"]
    on = date(2026, 3, 1)
    pd.testing.assert_frame_equal(dashboard.ageing(owner, on), ask(analyst, "debts/debt_ageing", on_day=on))
    top = ask(analyst, "debts/top_debtors", how_many=1).head(1)
    pd.testing.assert_frame_equal(dashboard.top_debtors(owner, 1), top)
    first = date(2025, 4, 1)
    pd.testing.assert_frame_equal(
        dashboard.monthly_flow(owner, 12, on), ask(analyst, "shop/monthly_overview", period=(first, on))
    )
    ids = category_ids(owner)
    shared = {
        analytics.by_category: "expenses/spending_by_category",
        analytics.by_payment_mode: "expenses/payment_mode_distribution",
        analytics.by_weekday: "expenses/spending_by_weekday",
        analytics.monthly_trend: "expenses/spending_per_month",
    }
    for chosen in ((), (ids["Rent"],), (ids["Food"], ids["Groceries"])):
        period = analytics.Period(*JAN_FEB, chosen)
        for drawn, key in shared.items():
            asked = ask(analyst, key, period=JAN_FEB, categories=list(chosen))
            pd.testing.assert_frame_equal(drawn(owner, period), asked)
            assert not asked.empty


def test_the_dashboard_and_the_analyst_page_show_the_same_ageing(books):
    """The same figure as the two pages draw it: the dashboard's table and the question's table for today."""
    dashboard_page = signed_in(books["owner"], "pages/1_Dashboard.py")
    shown = next(df.value for df in dashboard_page.dataframe if "bucket" in df.value.columns)
    at = signed_in(books["analyst"], "pages/12_Questions.py")
    at.sidebar.selectbox(key="question_pick").set_value("debts/debt_ageing").run()
    asked = at.dataframe[0].value
    assert shown.values.tolist() == asked.values.tolist()
    assert shown["bucket"].tolist() == ["0–30 days", "31–60 days", "61–90 days", "over 90 days"]


def test_the_app_keeps_no_second_copy_of_a_shared_figure():
    named = set(sqlfiles.queries())
    assert not named & {
        "top_debtors",
        "debt_ageing",
        "shop_monthly_overview",
        "expense_by_category",
        "expense_by_payment_mode",
        "expense_by_payment_mode_in_categories",
        "expense_by_weekday",
        "expense_monthly_trend",
    }


def test_ageing_as_of_a_past_day_leaves_out_later_sales_later_payments_and_voids(books):
    owner = books["owner"]
    dan = customers.add_customer(owner, "Dan")
    voided = book.record_sale(owner, dan, "Oil", total="999", debt_date=date(2026, 1, 5))
    book.void_sale(owner, voided, "typed twice")
    paid_back = book.record_sale(owner, dan, "Salt", total="50", debt_date=date(2026, 1, 5))
    late = book.record_payment(owner, paid_back, "50", paid_at=date(2026, 3, 1))
    ageing = ask(books["analyst"], "debts/debt_ageing", on_day=date(2026, 1, 25))
    # Achieng 1,000 - 400 paid on the 20th (age 15); Dan's salt 50 (age 20), paid only in March; the oil is void
    assert ageing.values.tolist()[0] == ["0–30 days", D("650.00"), 2]
    # On 2 March: Baraka 400 (age 29) and Chebet 300 (age 10); Dan's salt was paid on the 1st, Achieng long ago
    expected = [["0–30 days", D("700.00"), 2], ["31–60 days", D("0"), 0], ["61–90 days", D("0"), 0]]
    assert ask(books["analyst"], "debts/debt_ageing", on_day=date(2026, 3, 2)).values.tolist()[:3] == expected
    book.void_payment(owner, late, "wrong sale")  # a voided payment never paid anything: the salt is owed (age 56)
    expected[1] = ["31–60 days", D("50.00"), 1]
    assert ask(books["analyst"], "debts/debt_ageing", on_day=date(2026, 3, 2)).values.tolist()[:3] == expected


# --- values are checked twice: by the widget and by the runner ------------------------------------------------


@pytest.mark.parametrize(
    "value, sentence",
    [
        (-5, "How many must be a whole number from 1 to 1,000."),
        (2.5, "How many must be a whole number from 1 to 1,000."),
        ("2.5", "How many must be a whole number from 1 to 1,000."),
        ("ten", "How many must be a whole number from 1 to 1,000."),
        (0, "How many must be a whole number from 1 to 1,000."),
        (1001, "How many must be a whole number from 1 to 1,000."),
        (True, "How many must be a whole number from 1 to 1,000."),
    ],
)
def test_a_number_outside_its_limits_is_refused_with_a_sentence(books, value, sentence):
    with pytest.raises(InvalidInput) as refused:
        ask(books["analyst"], "debts/top_debtors", how_many=value)
    assert str(refused.value) == sentence


@pytest.mark.parametrize(
    "key, values, sentence",
    [
        ("shop/monthly_overview", {"period": (date(2026, 3, 1), date(2026, 1, 1))}, "the end is before the start."),
        ("shop/monthly_overview", {"period": "2026-01-01"}, "Period: write START..END"),
        ("shop/monthly_overview", {"period": (date(1990, 1, 1), date(2026, 1, 1))}, "at most 20 years"),
        ("debts/debt_ageing", {"on_day": "15/03/2026"}, "On: write the date as YYYY-MM-DD"),
        ("debts/debt_ageing", {"on_day": "1066-10-14"}, "On: choose a date between 1900 and 2199."),
    ],
)
def test_a_date_or_period_that_cannot_be_read_is_refused_with_a_sentence(books, key, values, sentence):
    with pytest.raises(InvalidInput, match=re.escape(sentence)):
        ask(books["analyst"], key, **values)


def test_a_choice_from_another_shop_is_refused(books):
    """A category of another shop is not one of this shop's choices: refused before any SQL runs."""
    theirs = category_ids(register_owner()[0])["Rent"]
    with pytest.raises(InvalidInput, match="is not one of the choices"):
        ask(books["analyst"], "expenses/spending_by_category", period=JAN_FEB, categories=[theirs])


def test_the_number_widget_holds_the_limits_of_the_header(books):
    at = signed_in(books["analyst"], "pages/12_Questions.py")
    at.sidebar.selectbox(key="question_pick").set_value("debts/top_debtors").run()
    widget = at.number_input(key="question_debts/top_debtors_how_many")
    assert (widget.min, widget.max, widget.step, widget.value) == (1, 1000, 1, 10)


def test_a_capped_answer_says_top_n_of_all_and_the_download_has_every_row(books):
    answer = questions.ask(books["analyst"], LIBRARY.questions["debts/top_debtors"], {"how_many": 1})
    assert (answer.shown, len(answer.frame), answer.capped) == (1, 2, True)
    at = signed_in(books["analyst"], "pages/12_Questions.py")
    at.sidebar.selectbox(key="question_pick").set_value("debts/top_debtors").run()
    at.number_input(key="question_debts/top_debtors_how_many").set_value(1).run()
    assert "Showing the first row; there are more" in texts(at.info)
    assert at.dataframe[0].value["customer"].tolist() == ["Baraka"]


def test_the_page_reads_only_the_rows_it_shows_and_whether_there_are_more(books):
    """shown_only: the first rows (a LIMIT after the checked statement), the whole answer's first rows, and
    whether it has more; an answer that is not capped is read whole."""
    question = LIBRARY.questions["debts/top_debtors"]
    page = questions.ask(books["analyst"], question, {"how_many": 1}, shown_only=True)
    whole = questions.ask(books["analyst"], question, {"how_many": 1})
    assert (len(page.frame), page.more, page.capped, page.shown) == (1, True, True, 1)
    assert (len(whole.frame), whole.more, whole.capped) == (2, False, True)
    pd.testing.assert_frame_equal(page.frame, whole.frame.head(1))
    roomy = questions.ask(books["analyst"], question, {"how_many": 2}, shown_only=True)
    assert (roomy.more, roomy.capped) == (False, False)
    pd.testing.assert_frame_equal(roomy.frame, whole.frame)


def test_a_download_of_a_capped_answer_reads_every_row_in_the_askers_language(books):
    """The page's download callables run on a thread of Streamlit's own when pressed: a capped answer's file
    holds every row, read then, and the labels the SQL writes are in the language of the person who asked."""
    import threading

    import i18n
    from duka import exports
    from ui import answer_files, params

    analyst = books["analyst"]
    top = LIBRARY.questions["debts/top_debtors"]
    page = questions.ask(analyst, top, {"how_many": 1}, shown_only=True)
    made = answer_files.whole_file(analyst, top, {"how_many": 1}, page, exports.to_csv, "KES")()
    whole = questions.ask(analyst, top, {"how_many": 1}).frame
    assert made == exports.to_csv(params.labelled(whole), "KES")
    assert made.decode("utf-8-sig").count("\n") == 3  # the header and both debtors, though the page showed one
    ageing = LIBRARY.questions["debts/debt_ageing"]
    with i18n.using("sw"):
        asked = questions.ask(analyst, ageing, {}, shown_only=True)
        build = answer_files.whole_file(analyst, ageing, {}, asked, exports.to_csv, "KES")
        expected = exports.to_csv(params.labelled(asked.frame), "KES")
    files = []
    pressed = threading.Thread(target=lambda: files.append(build()))  # a new thread: English unless carried
    pressed.start()
    pressed.join()
    assert files == [expected]
    assert "siku" in expected.decode("utf-8-sig")


# --- dependent choices, cached answers ------------------------------------------------------------------------

DEPENDENT = """/* ---
title = "One description's months"
description = "Test."
topic = "Test"
columns = ["description", "spent"]
cache = 600

[[params]]
name = "category"
type = "choice"
source = "SELECT c.id, c.name FROM categories c WHERE c.shop_id = %(shop_id)s ORDER BY c.name"
[[params]]
name = "description"
type = "choice"
depends = ["category"]
source = '''SELECT DISTINCT e.description, e.description FROM expenses e
             WHERE e.shop_id = %(shop_id)s AND e.category_id = %(category)s ORDER BY 1'''
--- */
SELECT e.description, SUM(e.amount) AS spent FROM expenses e
 WHERE e.shop_id = %(shop_id)s AND e.category_id = %(category)s AND e.description = %(description)s
 GROUP BY e.description"""


def test_a_dependent_choice_offers_only_what_the_earlier_choice_allows(books):
    question = questions.parse(DEPENDENT, "test/dependent")
    ids = category_ids(books["owner"])
    offered = {}
    analyst, description = books["analyst"], question.param("description")
    for name in ("Groceries", "Rent"):
        chosen = questions.bind_earlier(question, description, {"category": ids[name]}, analyst)
        offered[name] = [label for _, label in questions.choices(analyst, description, chosen)]
    assert offered == {
        "Groceries": ["Groceries at Carrefour", "Groceries at Naivas"],
        "Rent": ["February rent", "January rent"],
    }
    with pytest.raises(InvalidInput, match="is not one of the choices"):
        questions.ask(books["analyst"], question, {"category": ids["Rent"], "description": "Lunch"})


def test_a_source_that_uses_a_parameter_it_does_not_depend_on_is_refused():
    with pytest.raises(ValueError, match="list it in depends"):
        questions.parse(DEPENDENT.replace('depends = ["category"]\n', ""), "test/dependent")


def test_a_cached_answer_says_when_it_was_asked_and_a_write_or_a_refresh_asks_again(books):
    question = questions.parse(DEPENDENT, "test/dependent")
    values = {"category": category_ids(books["owner"])["Rent"], "description": "January rent"}
    first = questions.ask(books["analyst"], question, values)
    again = questions.ask(books["analyst"], question, values)
    assert (first.cached, again.cached, again.asked_at) == (False, True, first.asked_at)
    assert questions.ask(books["analyst"], question, values, fresh=True).cached is False
    seed_expenses(books["owner"], [(date(2026, 1, 11), "Rent", "5.00", "Cash", "0", "January rent")])
    after_write = questions.ask(books["analyst"], question, values)
    assert after_write.cached is False and after_write.frame["spent"].tolist() == [D("1005.00")]


# --- the read-only account is required ------------------------------------------------------------------------


def test_without_a_read_only_account_questions_refuse_and_name_the_grants(books, monkeypatch):
    """On a server we did not start (no private reader), with no reader configured: a sentence, never the app's
    account (which may write and reads every table)."""
    at = signed_in(books["analyst"], "pages/12_Questions.py")
    real, sections = config.resolve(), config.secrets_section
    monkeypatch.setattr(config, "resolve", lambda: replace(real, source="env"))
    monkeypatch.setattr(config, "secrets_section", lambda name="mysql": {} if name != "mysql" else sections(name))
    monkeypatch.delenv("MYSQL_READONLY_USER", raising=False)
    with pytest.raises(reader.NoReader) as refused:
        ask(books["analyst"], "debts/top_debtors")
    said = str(refused.value)
    assert "CREATE USER 'daftari_reader'" in said and "GRANT SELECT ON" in said and "MYSQL_READONLY_USER" in said
    assert "`users`" not in said
    at.run()
    assert "run only as a read-only database account" in texts(at.error)
    assert not at.exception


# --- the command line -----------------------------------------------------------------------------------------


def test_ask_lists_the_questions_with_their_parameters(capsys):
    assert ask_command.main(["--list"]) == 0
    listed = capsys.readouterr().out
    assert "debts/debt_ageing" in listed and "--param on_day=" in listed
    assert all(key in listed for key in LIBRARY.questions)


def test_ask_answers_in_json_with_money_as_two_decimal_strings(books, capsys):
    shop = books["owner"].shop_id
    args = ["debts/debt_ageing", "--shop", str(shop), "--param", "on_day=2026-02-01", "--format", "json"]
    assert ask_command.main(args) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["columns"] == ["bucket", "owed", "sales"]
    assert answer["rows"][0] == {"bucket": "0–30 days", "owed": "1100.00", "sales": 2}
    assert answer["rows"][3] == {"bucket": "over 90 days", "owed": "0.00", "sales": 0}


def test_ask_writes_csv_and_a_table(books, capsys):
    shop = str(books["owner"].shop_id)
    assert ask_command.main(["debts/top_debtors", "--shop", shop, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["customer,phone,balance", "Baraka,,400.00", "Chebet,,300.00"]
    # top N with N chosen by the caller gives N rows (the page shows N and its downloads carry all)
    assert ask_command.main(["debts/top_debtors", "--shop", shop, "--param", "how_many=1", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["customer,phone,balance", "Baraka,,400.00"]
    assert ask_command.main(["debts/top_debtors", "--shop", shop]) == 0
    assert "Baraka" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, said",
    [
        (["debts/top_debtors", "--param", "how_many=-5"], "How many must be a whole number from 1 to 1,000."),
        (["debts/top_debtors", "--param", "limit=5"], "has no parameter 'limit' (its parameters: how_many)"),
        (["debts/top_debtors", "--param", "how_many"], "write each parameter as NAME=VALUE"),
        (["debts/nothing_here"], "no question 'debts/nothing_here'"),
    ],
)
def test_ask_refuses_with_a_sentence_and_no_traceback(books, capsys, args, said):
    assert ask_command.main([*args, "--shop", str(books["owner"].shop_id)]) == 1
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_ask_refuses_a_shop_that_does_not_exist(capsys):
    assert ask_command.main(["debts/top_debtors", "--shop", "999999"]) == 1
    assert "There is no shop number 999999." in capsys.readouterr().err


# --- the crafted files, as the page shows them ----------------------------------------------------------------


def test_the_crafted_files_are_refused_and_the_page_lists_each_with_its_reason(books, tmp_path, monkeypatch):
    """tests/crafted holds files that would read other shops (or worse): dropped into the library next to an honest
    question, each is refused by name with its reason on the page, and the honest one still answers."""
    crafted = sorted((ROOT / "tests" / "crafted").glob("*.sql"))
    for path in crafted:
        (tmp_path / "crafted").mkdir(exist_ok=True)
        (tmp_path / "crafted" / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "debts").mkdir()
    (tmp_path / "debts" / "top_debtors.sql").write_text((questions.LIBRARY / "debts" / "top_debtors.sql").read_text())
    monkeypatch.setattr(question_files, "LIBRARY", tmp_path)
    question_files.library.cache_clear()
    try:
        library = questions.library()
        assert len(crafted) >= 20 and list(library.questions) == ["debts/top_debtors"]
        assert sorted(library.refused) == [f"crafted/{p.stem}" for p in crafted]
        at = signed_in(books["analyst"], "pages/12_Questions.py")
        assert at.sidebar.expander[0].label == f"{len(crafted)} question file(s) refused"
        shown = texts(at.sidebar.caption)
        assert all(f"crafted/{p.stem}: {library.refused[f'crafted/{p.stem}']}" in shown for p in crafted)
        assert at.dataframe[0].value["customer"].tolist() == ["Baraka", "Chebet"]
    finally:
        question_files.library.cache_clear()


def test_the_page_says_how_fresh_a_kept_answer_is_and_refresh_asks_again(books):
    key = "expenses/same_month_across_years"
    assert LIBRARY.questions[key].cache > 0
    at = signed_in(books["analyst"], "pages/12_Questions.py")
    at.sidebar.selectbox(key="question_pick").set_value(key).run()
    assert "(just asked;" in texts(at.caption)
    at.run()
    assert "(kept from earlier;" in texts(at.caption)
    at.button(key="question_refresh").click().run()
    assert "(just asked;" in texts(at.caption)
    assert not at.exception and not at.error


def test_ask_works_as_its_own_process_as_scripts_run_it(books):
    """The real entry point (./daftari ask runs python -m duka.ask): in a process of its own the import order is
    the module's, and the reader's C extension must still load (an import of hashlib before the connector stops it)."""
    env = dict(os.environ, MYSQL_DATABASE=TEST_DB)
    args = [sys.executable, "-m", "duka.ask", "debts/top_debtors", "--shop", str(books["owner"].shop_id)]
    done = subprocess.run([*args, "--format", "csv"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["customer,phone,balance", "Baraka,,400.00", "Chebet,,300.00"]
    bad = subprocess.run([*args, "--param", "how_many=-5"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stderr == "error: How many must be a whole number from 1 to 1,000.\n"


# --- found in review ------------------------------------------------------------------------------------------


def test_a_kept_answer_and_the_dashboards_figure_of_one_question_do_not_share_a_cache_entry(books):
    """The analyst's answer is (rows, when asked); the dashboard's figure is rows: under one cache name the second
    read the first's shape and failed, whichever came first."""
    kept = replace(LIBRARY.questions["debts/debt_ageing"], cache=600)
    on = date(2026, 3, 1)
    for first in ("analyst", "dashboard"):
        cache.clear()
        for who in (first, "dashboard" if first == "analyst" else "analyst"):
            if who == "analyst":
                frame = questions.ask(books["analyst"], kept, {"on_day": on}).frame
            else:
                frame = dashboard.ageing(books["owner"], on)
            assert frame["owed"].sum() == D("700.00")


def test_an_answer_says_when_it_was_asked_in_the_shops_time_zone(books):
    asked = questions.ask(books["analyst"], LIBRARY.questions["debts/top_debtors"], {}).asked_at
    assert asked.tzinfo is not None and asked.utcoffset() == datetime.now(clock.TIMEZONE).utcoffset()


BROKEN_HEADERS = {
    "chart_text": ('chart = { type = "table" }', 'chart = "bar"', "chart must be a table"),
    "params_text": ("[[params]]", 'params = ["x"]\n[[other]]', "must be a [[params]] table"),
    "source_number": ('type = "number"', 'type = "choice"\nsource = 5', "source must be text"),
    "date_word": ('type = "number"', 'type = "date"', "the default must be today"),
    "toml_date": ("default = 10", "default = 2026-01-01", "the default must be"),
    "number_outside": ("default = 10", "default = 5000", "from min to max"),
    "chart_column": ('chart = { type = "table" }', 'chart = { type = "bar", x = "nope", y = "n" }', "chart's x"),
}
HEADER = """/* ---
title = "Fine"
description = "Fine."
topic = "Test"
columns = ["n"]
chart = { type = "table" }

[[params]]
name = "how_many"
type = "number"
default = 10
min = 1
max = 100
step = 1
--- */
SELECT COUNT(*) AS n FROM expenses e WHERE e.shop_id = %(shop_id)s"""


def test_a_malformed_header_is_refused_alone_with_its_reason(tmp_path):
    _write(tmp_path, "good.sql", HEADER)
    for name, (old, new, _) in BROKEN_HEADERS.items():
        assert old in HEADER
        _write(tmp_path, f"{name}.sql", HEADER.replace(old, new, 1))
    library = questions.load(tmp_path)
    assert list(library.questions) == ["good"]
    for name, (_, _, reason) in BROKEN_HEADERS.items():
        assert reason in library.refused[name], (name, library.refused[name])


@pytest.mark.parametrize(
    "key, values, expected",
    [
        ("debts/debt_ageing", {"on_day": "today"}, None),
        ("budgets/budget_vs_actual", {"month": "last_month"}, None),
        ("expenses/spending_by_category", {"period": "2026-01-01..2026-02-28", "categories": "all"}, D("2725.75")),
        (
            "expenses/spending_by_category",
            {"period": "2026-01-01..2026-02-28", "categories": "Rent,Food"},
            D("2125.75"),
        ),
    ],
)
def test_the_command_line_takes_the_words_the_list_shows(books, key, values, expected):
    frame = ask(books["analyst"], key, **values)
    if expected is not None:
        assert frame["spent"].sum() == expected


def test_a_text_that_is_one_choices_number_and_anothers_label_is_refused(books):
    ids = category_ids(books["owner"])
    clash = str(ids["Rent"])
    expenses.update_category(books["owner"], ids["Other"], clash, None, None)  # a category named like Rent's id
    with pytest.raises(InvalidInput, match="names more than one choice"):
        ask(books["analyst"], "expenses/spending_by_category", period=JAN_FEB, categories=clash)


def test_a_library_with_nothing_loaded_shows_the_refused_files_not_an_error(books, tmp_path, monkeypatch):
    _write(tmp_path, "broken.sql", GOOD.replace('title = "Fine"', 'title = "Fine'))
    monkeypatch.setattr(question_files, "LIBRARY", tmp_path)
    question_files.library.cache_clear()
    try:
        at = signed_in(books["analyst"], "pages/12_Questions.py")
        assert not at.exception
        assert "No question could be loaded" in texts(at.info)
        assert at.sidebar.expander[0].label == "1 question file(s) refused"
    finally:
        question_files.library.cache_clear()
