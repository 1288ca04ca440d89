"""The Reminders page under AppTest against the real database (issue 14): who is due for a reminder, in English
and Kiswahili; Skip walks the round and records nothing; the owner's settings and message (a clerk sees none); and
the due soon, overdue and written-off figures of the Debtors list and the Dashboard against independent SQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

import i18n
from duka import book, collections, customers
from duka.clock import today
from duka.money import money
from i18n import t, tn
from support import click, signed_in, texts

PAGE = "pages/16_Reminders.py"


def _ago(days: int) -> date:
    return today() - timedelta(days=days)


def _rows(raw, sql: str, *params) -> list[tuple]:
    cur = raw.cursor()
    cur.execute(sql, params)
    return cur.fetchall()


def _in(language: str, message: str) -> str:
    with i18n.using(language):
        return t(message)


@pytest.fixture
def due_shop(staffed_shop):
    """Akinyi owes 500 since 50 days (no due date: overdue), Baraka 300 due in 3 days (due soon), Chebet 200 of a
    sale 20 days old due in 20 days (owing long), Daudi 100 bought today (not yet due: left out), Esther is
    overdue but was reminded yesterday (left out); only Baraka has no phone."""
    owner = staffed_shop["owner"]
    ids = {}
    for name, phone in (
        ("Akinyi", "0711000001"),
        ("Baraka", None),
        ("Chebet", "0711000003"),
        ("Daudi", "0711000004"),
        ("Esther", "0711000005"),
    ):
        ids[name] = customers.add_customer(owner, name, phone)
    book.record_sale(owner, ids["Akinyi"], "Unga", total="500", debt_date=_ago(50))
    book.record_sale(owner, ids["Baraka"], "Sukari", total="300", debt_date=_ago(1), due_date=_ago(-3))
    book.record_sale(owner, ids["Chebet"], "Mchele", total="200", debt_date=_ago(20), due_date=_ago(-20))
    book.record_sale(owner, ids["Daudi"], "Chai", total="100")
    book.record_sale(owner, ids["Esther"], "Mafuta", total="700", debt_date=_ago(45))
    collections.record_reminder(owner, ids["Esther"], "sms", "Habari Esther", "en")
    return {**staffed_shop, "ids": ids}


def _reminders(raw, shop_id: int) -> list[tuple]:
    return _rows(raw, "SELECT customer_id, channel FROM reminders WHERE shop_id = %s ORDER BY id", shop_id)


@pytest.mark.parametrize("language", ["en", "sw"])
def test_the_page_lists_the_customers_due_for_a_reminder(due_shop, language):
    at = signed_in(due_shop["owner"], PAGE, language=language)
    assert not at.exception, at.exception
    shown = at.dataframe[0].value
    assert shown["name"].tolist() == ["Akinyi", "Baraka", "Chebet"]  # the most overdue first; Daudi, Esther not
    assert shown["balance"].tolist() == [Decimal("500.00"), Decimal("300.00"), Decimal("200.00")]
    assert shown["phone"].tolist()[0] == "+254711000001"
    words = [_in(language, collections.STATUSES[s]) for s in ("overdue", "due_soon", "owing")]
    assert shown["status"].tolist() == words
    assert shown["oldest_due"].tolist() == [_ago(50) + timedelta(days=30), _ago(-3), _ago(-20)]
    assert shown["reminders"].tolist() == [0, 0, 0]
    with i18n.using(language):
        line = tn(
            "{n} customer is due for a reminder, owing {amount}.",
            "{n} customers are due for a reminder, owing {amount} in all.",
            3,
            amount=money(1000, "KES"),
        )
    assert line in texts(at.markdown)
    if language == "sw":
        assert words == ["Yamepitwa na muda", "Yanakaribia tarehe ya kulipa", shown["status"][2]]
        assert "Anza mzunguko" in [b.label for b in at.button]


def test_skip_walks_the_round_and_records_nothing(due_shop, raw):
    owner, ids = due_shop["owner"], due_shop["ids"]
    at = signed_in(owner, PAGE)
    at = click(at, "Start a round")
    assert "Customer 1 of 3" in texts(at.caption)
    assert "Akinyi" in texts(at.markdown) and f"Owes Ksh 500.00, due on {i18n.day(_ago(20))}." in texts(at.markdown)
    assert at.text_area(key=f"reminders_text_{ids['Akinyi']}_en").value == collections.message(
        owner, {"customer_id": ids["Akinyi"]}, "en"
    )
    at = click(at, "Skip")
    assert "Customer 2 of 3" in texts(at.caption) and "Baraka" in texts(at.markdown)
    assert "Baraka has no phone number: this reminder can only be skipped." in texts(at.info)
    at.radio(key="reminders_language").set_value("sw").run()  # the message in Kiswahili, for this customer
    assert at.text_area(key=f"reminders_text_{ids['Baraka']}_sw").value.startswith("Habari Baraka, huu ni ukumbusho")
    at = click(at, "Skip")
    assert "Chebet" in texts(at.markdown)
    at = click(at, "Skip")
    assert "Round finished: 0 sent, 3 skipped." in texts(at.success)
    assert _reminders(raw, owner.shop_id) == [(ids["Esther"], "sms")]  # only the reminder made before
    assert at.dataframe[0].value["name"].tolist() == ["Akinyi", "Baraka", "Chebet"]  # skipped: still due
    assert "Start a new round" in [b.label for b in at.button]


def test_the_owner_sets_the_credit_period_due_soon_and_reminder_days(due_shop, raw):
    owner = due_shop["owner"]
    at = signed_in(owner, PAGE)
    assert at.number_input(key="reminders_credit_days").value == 30
    at.number_input(key="reminders_credit_days").set_value(60)
    at.number_input(key="reminders_soon_days").set_value(2)
    at.number_input(key="reminders_every_days").set_value(14)
    at = click(at, "Save settings")
    assert "Collection settings saved." in texts(at.success)
    assert _rows(
        raw, "SELECT credit_days, reminder_days, remind_every_days FROM shops WHERE id = %s", owner.shop_id
    ) == [(60, 2, 14)]
    # Akinyi's sale is due 60 days after it now, not overdue but owing long; Baraka's due date is 3 days away, past
    # the 2 days of 'due soon', and his sale is a day old: no longer due; Esther, reminded yesterday, waits 14 days
    shown = at.dataframe[0].value
    assert shown["name"].tolist() == ["Akinyi", "Chebet"]
    assert shown["status"].tolist() == ["Owing", "Owing"]
    assert shown["oldest_due"].tolist()[0] == _ago(50) + timedelta(days=60)


def test_the_owner_writes_the_message_previews_it_and_goes_back_to_daftaris(due_shop, raw):
    owner, ids = due_shop["owner"], due_shop["ids"]
    at = signed_in(owner, PAGE)
    assert at.text_area(key="reminders_template_en").value == collections.DEFAULT_TEMPLATES["en"]
    assert "{due_date}" in texts(at.caption) and "{paybill}" in texts(at.caption)
    at.text_area(key="reminders_template_en").input("Hi {name}, {balance} was due on {due_date}. {shop}")
    at = click(at, "Save the message")
    assert "Reminder message saved." in texts(at.success)
    saved = _rows(raw, "SELECT language, body FROM reminder_templates WHERE shop_id = %s", owner.shop_id)
    assert saved == [("en", "Hi {name}, {balance} was due on {due_date}. {shop}")]
    at.selectbox(key="reminders_preview").set_value(ids["Akinyi"]).run()
    due = i18n.day(_ago(50) + timedelta(days=30))
    assert f"Hi Akinyi, Ksh 500.00 was due on {due}. Duka la Mama" in texts(at.main.markdown)
    at.text_area(key="reminders_template_en").input("Hi {name}, pay {amount}")
    at = click(at, "Save the message")
    assert "The message has {amount}, which Daftari cannot fill" in texts(at.error)
    assert _rows(raw, "SELECT body FROM reminder_templates WHERE shop_id = %s", owner.shop_id) == [(saved[0][1],)]
    at = click(at, "Use Daftari's message")
    assert _rows(raw, "SELECT body FROM reminder_templates WHERE shop_id = %s", owner.shop_id) == []
    assert at.text_area(key="reminders_template_en").value == collections.DEFAULT_TEMPLATES["en"]
    at.radio(key="reminders_template_language").set_value("sw").run()
    assert at.text_area(key="reminders_template_sw").value == collections.DEFAULT_TEMPLATES["sw"]


def test_a_clerk_runs_rounds_but_sees_no_settings_and_an_analyst_cannot_open_the_page(due_shop):
    at = signed_in(due_shop["clerk"], PAGE)
    assert not at.exception and at.dataframe[0].value["name"].tolist() == ["Akinyi", "Baraka", "Chebet"]
    assert not at.expander and not at.number_input and not at.get("form")
    assert "Settings" not in texts(at.markdown) and "Start a round" in [b.label for b in at.button]
    at = signed_in(due_shop["analyst"], PAGE)
    assert "An analyst cannot open this page." in texts(at.warning) and not at.dataframe


# --- due soon and overdue on the Debtors list and the Dashboard -------------------------------------


@pytest.fixture
def collections_shop(shop):
    """Credit period 10 days, due soon within 5. Akinyi owes 400 of a sale of 15 days ago (due 5 days ago:
    overdue); Baraka 320 due in 3 days (due soon); Chebet 200 bought today (due in 10 days: neither); Daudi 150
    due in 2 days and 50 due yesterday (both); Esther 700 of a sale of 40 days ago (overdue)."""
    collections.set_settings(shop, 10, 5, 7)
    ids = {name: customers.add_customer(shop, name) for name in ("Akinyi", "Baraka", "Chebet", "Daudi", "Esther")}
    akinyi = book.record_sale(shop, ids["Akinyi"], "Unga", total="500", debt_date=_ago(15))
    book.record_payment(shop, akinyi, "100")
    book.record_sale(shop, ids["Baraka"], "Sukari", total="320", debt_date=_ago(2), due_date=_ago(-3))
    book.record_sale(shop, ids["Chebet"], "Mchele", total="200")
    book.record_sale(shop, ids["Daudi"], "Chai", total="150", debt_date=_ago(20), due_date=_ago(-2))
    book.record_sale(shop, ids["Daudi"], "Maziwa", total="50", debt_date=_ago(30), due_date=_ago(1))
    book.record_sale(shop, ids["Esther"], "Mafuta", total="700", debt_date=_ago(40))
    return {"owner": shop, "ids": ids}


def _due_by_sql(raw, shop_id: int) -> dict:
    """Overdue and due soon worked out sale by sale, in Python, from the raw rows: (amount, customers) each."""
    sales = _rows(
        raw,
        "SELECT d.customer_id, d.total - d.paid - d.written_off, "
        "IFNULL(d.due_date, DATE_ADD(d.debt_date, INTERVAL s.credit_days DAY)), s.reminder_days "
        "FROM debts d JOIN shops s ON s.id = d.shop_id WHERE d.shop_id = %s AND d.voided_at IS NULL",
        shop_id,
    )
    day = today()
    overdue = [(c, owed) for c, owed, due, _ in sales if owed > 0 and due < day]
    soon = [(c, owed) for c, owed, due, ahead in sales if owed > 0 and day <= due <= day + timedelta(days=ahead)]
    return {
        "overdue": (sum(o for _, o in overdue), len({c for c, _ in overdue})),
        "soon": (sum(o for _, o in soon), len({c for c, _ in soon})),
    }


def _count(n: int) -> str:
    return f"{n} customer" if n == 1 else f"{n} customers"


def test_the_debtors_list_shows_overdue_and_due_soon_by_the_effective_due_date(collections_shop, raw):
    owner, ids = collections_shop["owner"], collections_shop["ids"]
    expected = _due_by_sql(raw, owner.shop_id)
    assert expected == {"overdue": (Decimal("1150.00"), 3), "soon": (Decimal("470.00"), 2)}
    at = signed_in(owner, "pages/2_Debtors.py")
    metrics = {m.label: (m.value, m.proto.delta) for m in at.metric}
    assert metrics["Overdue"] == (money(expected["overdue"][0], "KES"), _count(expected["overdue"][1]))
    assert metrics["Due soon"] == (money(expected["soon"][0], "KES"), _count(expected["soon"][1]))
    shown = at.dataframe[0].value.set_index("name")
    assert shown["due_status"].to_dict() == {
        "Akinyi": "Overdue",
        "Baraka": "Due soon",
        "Chebet": "",
        "Daudi": "Overdue",  # his oldest due date has passed, though another sale is due soon
        "Esther": "Overdue",
    }
    # the due date of a sale without one is the shop's credit period after it (10 days here), the API's next_due too
    assert shown.loc["Akinyi", "next_due"] == _ago(15) + timedelta(days=10)
    assert shown.loc["Chebet", "next_due"] == today() + timedelta(days=10)
    assert customers.debtors(owner).set_index("customer_id").loc[ids["Daudi"], "next_due"] == _ago(1)
    sw = signed_in(owner, "pages/2_Debtors.py", language="sw")
    assert sw.dataframe[0].value.set_index("name").loc["Baraka", "due_status"] == "Yanakaribia tarehe ya kulipa"


def test_the_dashboard_shows_due_soon_overdue_and_written_off_and_collected_stays_payments(collections_shop, raw):
    owner, ids = collections_shop["owner"], collections_shop["ids"]
    before = {m.label: m.value for m in signed_in(owner, "pages/1_Dashboard.py").metric}
    collections.write_off(owner, ids["Esther"], "Moved to Mombasa")
    expected = _due_by_sql(raw, owner.shop_id)
    [(written, written_customers)] = _rows(
        raw,
        "SELECT SUM(w.amount), COUNT(DISTINCT d.customer_id) FROM write_offs w JOIN debts d ON d.id = w.debt_id "
        "WHERE w.shop_id = %s AND w.reversed_at IS NULL AND YEAR(w.written_at) = %s",
        owner.shop_id,
        today().year,
    )
    [(collected,)] = _rows(
        raw,
        "SELECT SUM(amount) FROM payments WHERE shop_id = %s AND voided_at IS NULL AND paid_at >= %s",
        owner.shop_id,
        today().replace(day=1),
    )
    at = signed_in(owner, "pages/1_Dashboard.py")
    metrics = {m.label: (m.value, m.proto.delta) for m in at.metric}
    assert metrics["Overdue (past due date)"] == (money(expected["overdue"][0], "KES"), _count(expected["overdue"][1]))
    assert metrics["Due soon"] == (money(expected["soon"][0], "KES"), _count(expected["soon"][1]))
    assert (written, written_customers) == (Decimal("700.00"), 1)
    assert metrics["Written off this year"] == ("Ksh 700.00", "1 customer")
    assert before["Written off this year"] == "Ksh 0.00"
    assert metrics["Collected this month"][0] == money(collected, "KES") == before["Collected this month"]
    assert metrics["Total outstanding"][0] == "Ksh 1,120.00" != before["Total outstanding"]  # Esther's 700 is gone
