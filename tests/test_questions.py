"""The analyst question library: every file loads and runs, a third are checked by hand, and it is safe."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from db import reader
from db.errors import InvalidInput, NotAllowed
from duka import book, customers, questions
from support import category_ids, seed_expenses, signed_in, texts

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


@pytest.mark.parametrize("key", sorted(LIBRARY.questions))
def test_every_question_file_is_scoped_to_the_shop(key):
    text = (questions.LIBRARY / f"{key}.sql").read_text()
    assert "%(shop_id)s" in text.split("--- */", 1)[1]


HAND_CHECKED = {
    "expenses/total_expenses": ({"period": JAN_FEB}, [[D("2725.75"), D("7")]]),
    "expenses/spending_per_month": ({"period": JAN_FEB}, [["2026-01", D("1350.50")], ["2026-02", D("1375.25")]]),
    "expenses/spending_by_category": (
        {"period": JAN_FEB},
        [
            ["Rent", D("2000.00"), D("73.4")],
            ["Entertainment", D("300.00"), D("11.0")],
            ["Groceries", D("300.00"), D("11.0")],
            ["Food", D("125.75"), D("4.6")],
        ],
    ),
    "expenses/payment_mode_distribution": (
        {"period": JAN_FEB},
        [
            ["Bank transfer", D("2000.00"), D("73.4")],
            ["Credit Card", D("500.00"), D("18.3")],
            ["M-Pesa", D("125.75"), D("4.6")],
            ["Cash", D("100.00"), D("3.7")],
        ],
    ),
    "expenses/daily_average": ({"period": JAN_FEB}, [[D("46.20"), 59, D("2725.75")]]),
    "expenses/highest_spending_day": (
        {"period": JAN_FEB, "days": 2},
        [[date(2026, 1, 10), D("1000.00"), D("1")], [date(2026, 2, 10), D("1000.00"), D("1")]],
    ),
    "expenses/expenses_above_threshold": (
        {"period": JAN_FEB, "threshold": 250},
        [
            [date(2026, 1, 10), "Rent", "January rent", D("1000.00")],
            [date(2026, 2, 10), "Rent", "February rent", D("1000.00")],
            [date(2026, 2, 14), "Entertainment", "Cinema", D("300.00")],
        ],
    ),
    "expenses/spending_by_weekday": (
        {"period": JAN_FEB},
        [["Monday", D("150.50"), D("2")], ["Tuesday", D("1275.25"), D("3")], ["Saturday", D("1300.00"), D("2")]],
    ),
    "cashback/cashback_earned": ({"period": JAN_FEB}, [[D("42.50"), D("2725.75"), D("1.56")]]),
    "cashback/cashback_per_month": ({"period": JAN_FEB}, [["2026-01", D("12.50")], ["2026-02", D("30.00")]]),
    "debts/top_debtors": ({}, [["Baraka", None, D("400.00")], ["Chebet", None, D("300.00")]]),
    "debts/collections_per_month": ({"period": JAN_FEB}, [["2026-01", D("400.00"), 1], ["2026-02", D("700.00"), 2]]),
    "debts/average_days_to_clear": ({"period": JAN_FEB}, [[D("26.0"), 1, 26]]),
    "debts/customers_cleared": ({"period": JAN_FEB}, [["Achieng", None, date(2026, 2, 5), D("1000.00")]]),
    "debts/overdue_debts": ({"on_day": date(2026, 3, 1)}, [["Baraka", "Sugar", D("400.00"), date(2026, 2, 15), 14]]),
    "debts/collection_rate": ({"period": JAN_FEB}, [[D("1800.00"), D("1100.00"), D("61.1")]]),
}


@pytest.mark.parametrize("key", sorted(HAND_CHECKED))
def test_questions_match_figures_worked_out_by_hand(books, key):
    values, expected = HAND_CHECKED[key]
    frame = ask(books["analyst"], key, **values)
    assert frame.values.tolist() == expected


def test_a_third_of_the_questions_are_checked_by_hand():
    assert len(HAND_CHECKED) * 3 >= len(LIBRARY.questions)


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
        "no_shop": "the query does not use %(shop_id)s, so it could read other shops' rows",
        "smuggled": "the query has more than one statement",
        "unknown_param": "the query uses minimum, which no parameter provides",
        "writes": "the query must be a SELECT (or WITH … SELECT)",
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
    at.number_input(key="question_expenses/expenses_above_threshold_threshold").set_value(1).run()
    assert not at.exception
    assert "Showing the first 3 of 7 rows" in texts(at.info)
    assert len(at.dataframe[0].value) == 3
    assert "7 row(s)" in texts(at.caption)


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
