"""Collections (issue 14): write-offs that clear a balance without counting as collected, credit limits the
database keeps for any SQL client, who is due for a reminder, the reminders sent and the message they carry, and
the figures, each checked against SQL written independently of the app's."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import mysql.connector
import pytest

import db
import i18n
from db.errors import InvalidInput, NotAllowed
from duka import book, clock, collections, customers, dashboard, mpesa, questions
from duka.clock import today
from duka.members import Actor
from simulate import demo
from support import new_phone

D = Decimal
PHONE = "+254722000111"
LIBRARY = questions.load()


def _rows(raw, sql, *params):
    cur = raw.cursor()
    cur.execute(sql, params)
    return cur.fetchall()


def _exec(raw, sql, *params):
    cur = raw.cursor()
    cur.execute(sql, params)
    return cur.lastrowid


def _refused(raw, sql, *params) -> str:
    """The sentence a trigger answers a statement with (SIGNAL 1644)."""
    with pytest.raises(mysql.connector.Error) as raised:
        _exec(raw, sql, *params)
    assert raised.value.errno == 1644, raised.value
    return raised.value.msg


def _active(raw, customer_id: int) -> str | None:
    found = _rows(raw, "SELECT balance FROM active_debtors WHERE customer_id = %s", customer_id)
    return str(found[0][0]) if found else None


def _ask(actor: Actor, key: str, **values):
    return questions.ask(actor, LIBRARY.questions[key], values, fresh=True).frame


def _ago(days: int) -> date:
    return today() - timedelta(days=days)


@pytest.fixture
def owing(staffed_shop):
    """Baraka owes 1,000 of cement (400 paid) and 250 of sugar: 850 in all."""
    owner = staffed_shop["owner"]
    baraka = customers.add_customer(owner, "Baraka", "0722000111")
    cement = book.record_sale(owner, baraka, "Cement", total="1000", debt_date=_ago(40))
    book.record_payment(owner, cement, "400", paid_at=today())
    sugar = book.record_sale(owner, baraka, "Sugar", total="250", debt_date=_ago(5))
    return {**staffed_shop, "customer": baraka, "cement": cement, "sugar": sugar}


# --- write-offs ----------------------------------------------------------------------------------


def test_a_write_off_clears_the_balance_and_the_customer_leaves_the_debtors(owing, raw):
    owner, baraka = owing["owner"], owing["customer"]
    assert _active(raw, baraka) == "850.00"
    ids, total = collections.write_off(owner, baraka, "Moved away, no way to reach him")
    assert total == D("850.00") and len(ids) == 2
    assert customers.customer(owner, baraka)["balance"] == 0
    assert _active(raw, baraka) is None
    sales = _rows(raw, "SELECT id, paid, written_off, balance FROM debts WHERE customer_id = %s ORDER BY id", baraka)
    assert [(p, w, b) for _, p, w, b in sales] == [(D("400.00"), D("600.00"), D("0.00")), (D("0"), D("250.00"), D("0"))]
    written = _rows(raw, "SELECT debt_id, amount, reason, written_by FROM write_offs WHERE id IN (%s, %s)", *ids)
    assert sorted(written) == [
        (owing["cement"], D("600.00"), "Moved away, no way to reach him", owner.user_id),
        (owing["sugar"], D("250.00"), "Moved away, no way to reach him", owner.user_id),
    ]
    assert demo.invariant_breaches([owner.shop_id]) == []
    with pytest.raises(InvalidInput, match="Baraka owes nothing: there is nothing to write off"):
        collections.write_off(owner, baraka, "Again")


def test_what_is_collected_is_unchanged_by_a_write_off(owing):
    owner = owing["owner"]
    before = dashboard.kpis(owner)
    collections.write_off(owner, owing["customer"], "Gave up")
    after = dashboard.kpis(owner)
    assert (after["collected_today"], after["collected_month"]) == (
        before["collected_today"],
        before["collected_month"],
    )
    assert after["collected_month"] == D("400.00")
    assert (before["outstanding"], after["outstanding"]) == (D("850.00"), D("0"))
    rate = _ask(owing["analyst"], "debts/collection_rate", period=(_ago(60), today()))
    assert rate.values.tolist() == [[D("1250.00"), D("400.00"), D("32.0"), 2]]


def test_a_reversal_brings_the_balance_and_the_debtor_back(owing, raw):
    owner, baraka = owing["owner"], owing["customer"]
    ids, _ = collections.write_off(owner, baraka, "Gave up")
    cement_write_off = ids[0]
    collections.reverse_write_off(owner, cement_write_off, "He came back and promised to pay")
    assert customers.customer(owner, baraka)["balance"] == D("600.00")
    assert _active(raw, baraka) == "600.00"
    reversed_row = _rows(raw, "SELECT reversed_by, reverse_reason FROM write_offs WHERE id = %s", cement_write_off)
    assert reversed_row == [(owner.user_id, "He came back and promised to pay")]
    logged = _rows(
        raw,
        "SELECT action, changed_by, JSON_VALUE(old_values, '$.reversed_at') FROM audit_log "
        "WHERE table_name = 'write_offs' AND row_id = %s",
        cement_write_off,
    )
    assert logged == [("void", owner.user_id, None)]
    with pytest.raises(InvalidInput, match="already reversed"):
        collections.reverse_write_off(owner, cement_write_off, "Twice")
    book.record_payment(owner, owing["cement"], "600")  # owed again, so it can be paid again
    assert _active(raw, baraka) is None
    assert demo.invariant_breaches([owner.shop_id]) == []
    shown = collections.write_offs_of(owner, baraka)
    assert sorted(shown["amount"].tolist()) == [D("250.00"), D("600.00")]
    assert shown["reversed_at"].notna().sum() == 1


def test_a_payment_after_a_write_off_cannot_exceed_the_balance_left(owing, raw):
    owner = owing["owner"]
    collections.write_off(owner, owing["customer"], "Gave up")
    said = _refused(
        raw,
        "INSERT INTO payments (shop_id, debt_id, amount, paid_at) VALUES (%s, %s, 1, CURDATE())",
        owner.shop_id,
        owing["cement"],
    )
    assert said == "Overpayment refused: the balance of this debt is 0.00."
    with pytest.raises(InvalidInput, match="Overpayment refused"):
        book.record_payment(owner, owing["sugar"], "1")


def test_a_write_off_holds_for_raw_sql(owing, raw):
    """Nothing of a write-off changes but its one reversal; it is never deleted; what is written off moves only
    with write-offs; a voided sale cannot be written off, nor a written-off sale voided; never more than owed."""
    shop, cement, sugar = owing["owner"].shop_id, owing["cement"], owing["sugar"]
    insert = "INSERT INTO write_offs (shop_id, debt_id, amount, reason) VALUES (%s, %s, %s, %s)"
    assert _refused(raw, insert, shop, cement, "600.01", "Too much") == (
        "Write-off refused: the balance of this sale is 600.00."
    )
    assert _refused(raw, insert, shop, cement, "10", "  ") == "A write-off needs a reason."
    assert _refused(raw, insert, shop + 1000, cement, "10", "Other shop") == "No such sale in this shop."
    written = _exec(raw, insert, shop, cement, "100", "Half a bag was spoilt")
    assert _active(raw, owing["customer"]) == "750.00"
    assert _refused(raw, "UPDATE write_offs SET amount = 50 WHERE id = %s", written).startswith(
        "A write-off cannot be changed"
    )
    assert _refused(raw, "DELETE FROM write_offs WHERE id = %s", written) == (
        "Write-offs are never deleted: reverse the write-off instead."
    )
    assert _refused(raw, "UPDATE debts SET written_off = 0 WHERE id = %s", cement) == (
        "What is written off changes only by a write-off or its reversal."
    )
    assert _refused(raw, "UPDATE debts SET voided_at = NOW() WHERE id = %s", cement) in (
        "This sale has payments: void them first.",
        "This sale has a write-off: reverse it first.",
    )
    sugar_write_off = _exec(raw, insert, shop, sugar, "50", "Torn bag")
    assert _refused(raw, "UPDATE debts SET voided_at = NOW(), void_reason = 'x' WHERE id = %s", sugar) == (
        "This sale has a write-off: reverse it first."
    )
    assert _refused(raw, "UPDATE write_offs SET reversed_at = NOW() WHERE id = %s", sugar_write_off) == (
        "A reversal needs a reason."
    )
    _exec(raw, "UPDATE write_offs SET reversed_at = NOW(), reverse_reason = 'Typed' WHERE id = %s", sugar_write_off)
    assert _refused(raw, "UPDATE write_offs SET reverse_reason = 'Other' WHERE id = %s", sugar_write_off) == (
        "This write-off was reversed; it cannot be changed."
    )
    _exec(raw, "UPDATE debts SET voided_at = NOW(), void_reason = 'Never taken' WHERE id = %s", sugar)
    assert _refused(raw, insert, shop, sugar, "10", "Voided") == "A voided sale cannot be written off."
    assert _active(raw, owing["customer"]) == "500.00"
    assert demo.invariant_breaches([shop]) == []


def test_a_correction_cannot_lower_a_total_below_what_was_paid_and_written_off(owing):
    owner = owing["owner"]
    ids, _ = collections.write_off(owner, owing["customer"], "Gave up")
    with pytest.raises(InvalidInput, match=r"paid and written off \(Ksh 1,000.00\)"):
        book.edit_sale(owner, owing["cement"], "Cement", "999", _ago(40))
    with pytest.raises(InvalidInput, match="This sale has a write-off: reverse it first"):
        book.void_sale(owner, owing["sugar"], "Typed twice")
    collections.reverse_write_off(owner, ids[1], "Typed twice")
    book.void_sale(owner, owing["sugar"], "Typed twice")


@pytest.mark.parametrize("role", ["clerk", "analyst"])
def test_only_the_owner_writes_off_sets_limits_and_settings(owing, role):
    actor = owing[role]
    with pytest.raises(NotAllowed, match="cannot write off debts"):
        collections.write_off(actor, owing["customer"], "Gave up")
    with pytest.raises(NotAllowed, match="cannot set credit limits"):
        collections.set_credit_limit(actor, owing["customer"], "5000")
    with pytest.raises(NotAllowed, match="cannot change the collection settings"):
        collections.set_settings(actor, 14, 3, 3)
    with pytest.raises(NotAllowed, match="cannot change the reminder message"):
        collections.set_template(actor, "en", "Hello {name}")
    ids, _ = collections.write_off(owing["owner"], owing["customer"], "Gave up")
    with pytest.raises(NotAllowed, match="cannot reverse write-offs"):
        collections.reverse_write_off(actor, ids[0], "Back")
    assert customers.customer(owing["owner"], owing["customer"])["balance"] == 0


# --- credit limits ---------------------------------------------------------------------------------


def test_the_credit_limit_is_kept_by_the_database_for_raw_sql(staffed_shop, raw):
    owner = staffed_shop["owner"]
    amina = customers.add_customer(owner, "Amina")
    assert collections.set_credit_limit(owner, amina, "1,000") == D("1000.00")
    insert = (
        "INSERT INTO debts (shop_id, customer_id, product, total, debt_date) VALUES (%s, %s, 'Unga', %s, CURDATE())"
    )
    first = _exec(raw, insert, owner.shop_id, amina, "600")
    assert _refused(raw, insert, owner.shop_id, amina, "500") == (
        "Over the credit limit: the balance would be 1100.00, past the limit of 1000.00."
    )
    assert _refused(raw, "UPDATE debts SET total = 1000.01 WHERE id = %s", first).startswith("Over the credit limit")
    _exec(raw, "UPDATE debts SET total = 1000 WHERE id = %s", first)  # up to the limit is within it
    _exec(raw, "SET @daftari_over_limit_ok = 1")
    _exec(raw, insert, owner.shop_id, amina, "500")
    _exec(raw, "SET @daftari_over_limit_ok = NULL")
    assert _active(raw, amina) == "1500.00"
    assert _refused(raw, insert, owner.shop_id, amina, "0.01").startswith("Over the credit limit")


def test_the_app_refuses_a_sale_past_the_limit_unless_an_owner_allows_it(staffed_shop, raw):
    owner, clerk = staffed_shop["owner"], staffed_shop["clerk"]
    amina = customers.add_customer(owner, "Amina")
    book.record_sale(owner, amina, "Unga", total="300")
    assert collections.over_limit(clerk, amina, "5000") is None  # no limit yet
    collections.set_credit_limit(owner, amina, "500")
    assert collections.credit_limit(owner, amina) == D("500.00")
    assert collections.over_limit(clerk, amina, "200") is None
    assert collections.over_limit(clerk, amina, "250") == (D("500.00"), D("550.00"))
    with pytest.raises(InvalidInput, match=r"balance would be Ksh 550.00, past the limit of Ksh 500.00"):
        book.record_sale(clerk, amina, "Sugar", total="250")

    @db.transactional
    def allowed_sale(tx: db.Tx, actor: Actor) -> int:
        with collections.allow_over_limit(tx, actor):
            return book.record_sale(tx, actor, amina, "Sugar", total="250")

    with pytest.raises(NotAllowed, match="cannot sell past a customer's credit limit"):
        allowed_sale(clerk)
    allowed_sale(owner)
    assert customers.customer(owner, amina)["balance"] == D("550.00")
    with pytest.raises(InvalidInput, match="Over the credit limit"):  # cleared after the block
        book.record_sale(owner, amina, "Salt", total="1")
    collections.set_credit_limit(owner, amina, None)
    book.record_sale(clerk, amina, "Salt", total="1")
    logged = _rows(
        raw,
        "SELECT JSON_VALUE(old_values, '$.credit_limit'), JSON_VALUE(new_values, '$.credit_limit') FROM audit_log "
        "WHERE table_name = 'customers' AND row_id = %s ORDER BY id",
        amina,
    )
    assert logged == [(None, "500.00"), ("500.00", None)]


def test_a_zero_limit_means_no_credit_and_a_bad_limit_is_refused(staffed_shop):
    owner = staffed_shop["owner"]
    amina = customers.add_customer(owner, "Amina")
    assert collections.set_credit_limit(owner, amina, "0") == D("0.00")
    assert collections.over_limit(owner, amina, "1") == (D("0.00"), D("1.00"))
    with pytest.raises(InvalidInput, match="Credit limit"):
        collections.set_credit_limit(owner, amina, "-5")


# --- settings -------------------------------------------------------------------------------------


def test_the_owner_sets_the_collection_settings_within_bounds(staffed_shop):
    owner = staffed_shop["owner"]
    assert collections.settings(staffed_shop["clerk"]) == {
        "credit_days": 30,
        "reminder_days": 7,
        "remind_every_days": 7,
    }
    collections.set_settings(owner, "14", 3, 5)
    assert collections.settings(owner) == {"credit_days": 14, "reminder_days": 3, "remind_every_days": 5}
    with pytest.raises(InvalidInput, match="credit period must be a whole number of days from 0 to 365"):
        collections.set_settings(owner, 366, 3, 5)
    with pytest.raises(InvalidInput, match="from 0 to 90"):
        collections.set_settings(owner, 30, "two", 5)
    with pytest.raises(InvalidInput, match="Days between two reminders must be a whole number from 1 to 90"):
        collections.set_settings(owner, 30, 3, 0)
    assert collections.settings(owner)["credit_days"] == 14


# --- who to remind ----------------------------------------------------------------------------------


@pytest.fixture
def debtors(staffed_shop, raw):
    """With a credit period of 30 days, reminders 7 days ahead and at most every 7 days:
    Achieng: 300 sold 40 days ago, no due date (due 10 days ago): overdue.
    Baraka: 200 sold today, due in 3 days: due soon.
    Chebet: 150 sold 10 days ago, due in 20 days: owing for more than 7 days.
    Daudi: 100 sold 2 days ago, no due date (due in 28 days): not yet.
    Esther: 400 sold 40 days ago, paid: owes nothing.
    Faith: 500 sold 50 days ago, due 20 days ago, reminded 3 days ago: overdue but reminded lately.
    Grace: 80 sold 45 days ago, due 35 days ago, reminded 7 and 30 days ago: overdue, due a reminder again."""
    owner = staffed_shop["owner"]
    people = {}
    sales = [
        ("Achieng", "300", 40, None),
        ("Baraka", "200", 0, today() + timedelta(days=3)),
        ("Chebet", "150", 10, today() + timedelta(days=20)),
        ("Daudi", "100", 2, None),
        ("Esther", "400", 40, None),
        ("Faith", "500", 50, _ago(20)),
        ("Grace", "80", 45, _ago(35)),
    ]
    for name, total, age, due in sales:
        people[name] = customers.add_customer(owner, name, new_phone())
        sale = book.record_sale(owner, people[name], "Unga", total=total, debt_date=_ago(age), due_date=due)
        if name == "Esther":
            book.record_payment(owner, sale, total)
    reminder = (
        "INSERT INTO reminders (shop_id, customer_id, sent_at, sent_by, channel, language, text, balance) "
        "VALUES (%s, %s, %s, %s, 'whatsapp', 'en', 'Please pay', %s)"
    )
    for name, days, balance in (("Faith", 3, "500"), ("Grace", 30, "80"), ("Grace", 7, "80")):
        sent = datetime.combine(_ago(days), datetime.min.time()) + timedelta(hours=23, minutes=59)
        _exec(raw, reminder, owner.shop_id, people[name], sent, owner.user_id, balance)
    return {**staffed_shop, "people": people}


def test_due_for_reminder_lists_who_is_overdue_due_soon_or_owing_and_not_reminded_lately(debtors):
    due = collections.due_for_reminder(debtors["clerk"])
    assert list(due.columns) == [
        "customer_id", "name", "phone", "balance", "oldest_due", "oldest_sale", "last_reminded", "reminders", "status"
    ]  # fmt: skip
    rows = [(r.name, r.status, r.balance, r.oldest_due, r.oldest_sale, r.reminders) for r in due.itertuples()]
    assert rows == [
        ("Grace", "overdue", D("80.00"), _ago(35), _ago(45), 2),
        ("Achieng", "overdue", D("300.00"), _ago(10), _ago(40), 0),
        ("Baraka", "due_soon", D("200.00"), today() + timedelta(days=3), today(), 0),
        ("Chebet", "owing", D("150.00"), today() + timedelta(days=20), _ago(10), 0),
    ]
    assert due.loc[due["name"] == "Grace", "last_reminded"].iloc[0].date() == _ago(7)
    later = collections.due_for_reminder(debtors["owner"], today() + timedelta(days=4))
    assert "Faith" in later["name"].tolist()  # reminded 7 days before that day: due a reminder again
    with pytest.raises(NotAllowed):
        collections.due_for_reminder(debtors["analyst"])


def test_a_reminder_is_recorded_with_who_when_how_and_what_and_waits_out_the_rhythm(debtors, raw):
    clerk, achieng = debtors["clerk"], debtors["people"]["Achieng"]
    before = datetime.now(clock.TIMEZONE).replace(tzinfo=None, microsecond=0)
    reminder = collections.record_reminder(clerk, achieng, "sms", "Habari Achieng, please pay Ksh 300.00.", "sw")
    [sent] = collections.reminders_of(debtors["owner"], achieng).to_dict("records")
    assert sent["reminder_id"] == reminder and sent["sent_by"] == "Clerk Mwangi"
    assert (sent["channel"], sent["language"], sent["text"], sent["balance"]) == (
        "sms",
        "sw",
        "Habari Achieng, please pay Ksh 300.00.",
        D("300.00"),
    )
    assert before <= sent["sent_at"] <= before + timedelta(minutes=1)
    assert "Achieng" not in collections.due_for_reminder(clerk)["name"].tolist()
    with pytest.raises(InvalidInput, match="WhatsApp or SMS"):
        collections.record_reminder(clerk, achieng, "email", "Please pay", "en")
    with pytest.raises(NotAllowed):
        collections.record_reminder(debtors["analyst"], achieng, "sms", "Please pay", "en")
    assert _refused(raw, "UPDATE reminders SET text = 'x' WHERE id = %s", reminder) == (
        "Reminders are kept as sent: they cannot be changed."
    )
    assert _refused(raw, "DELETE FROM reminders WHERE id = %s", reminder) == (
        "Reminders are kept as sent: they cannot be deleted."
    )


def test_every_write_of_collections_moves_the_shops_version(debtors, raw):
    owner = debtors["owner"]

    def version() -> int:
        return _rows(raw, "SELECT version FROM shop_versions WHERE shop_id = %s", owner.shop_id)[0][0]

    seen = version()
    for write in (
        lambda: collections.record_reminder(owner, debtors["people"]["Achieng"], "whatsapp", "Please pay", "en"),
        lambda: collections.set_template(owner, "en", "Habari {name}"),
        lambda: collections.write_off(owner, debtors["people"]["Achieng"], "Gave up"),
        lambda: collections.set_credit_limit(owner, debtors["people"]["Baraka"], "100"),
        lambda: collections.set_settings(owner, 20, 5, 5),
    ):
        write()
        assert version() > seen
        seen = version()


# --- the message ---------------------------------------------------------------------------------


def test_the_template_refuses_unknown_placeholders_and_fills_the_known_ones(debtors):
    owner, achieng = debtors["owner"], debtors["people"]["Achieng"]
    assert collections.template(owner, "en") == collections.DEFAULT_TEMPLATES["en"]
    with pytest.raises(InvalidInput) as refused:
        collections.set_template(owner, "en", "Hi {name}, you owe {amount}.")
    assert str(refused.value) == (
        "The message has {amount}, which Daftari cannot fill: use only "
        "{name}, {balance}, {shop}, {due_date}, {oldest_sale}, {paybill}, {account}."
    )
    assert collections.template(owner, "en") == collections.DEFAULT_TEMPLATES["en"]  # nothing saved
    mpesa.set_short_code(owner, "522533")
    account = customers.customer(owner, achieng)["account_no"]
    collections.set_template(
        owner,
        "en",
        "{name}: {balance} to {shop}, due {due_date} (since {oldest_sale}). Paybill {paybill} acc {account}",
    )
    row = collections.due_for_reminder(owner).iloc[1]  # a row of the list is enough to write to them
    assert row["name"] == "Achieng"
    day = i18n.day
    assert collections.message(owner, row, "en") == (
        f"Achieng: Ksh 300.00 to Duka la Mama, due {day(_ago(10))} (since {day(_ago(40))}). "
        f"Paybill 522533 acc {account}"
    )
    # Kiswahili: Daftari's own message, its date and money written for Kiswahili, and where to pay added
    assert collections.template(owner, "sw").startswith("Habari {name}, huu ni ukumbusho")
    said = collections.message(owner, {"customer_id": achieng}, "sw")
    assert said.startswith(
        "Habari Achieng, huu ni ukumbusho wa kirafiki kutoka Duka la Mama: salio lako ni Ksh 300.00."
    )
    assert "522533" in said and str(account) in said
    collections.set_template(owner, "en", "")  # back to the default
    assert collections.message(owner, {"customer_id": achieng}, "en").startswith(
        "Habari Achieng, this is a friendly reminder from Duka la Mama: your balance is Ksh 300.00."
    )


def test_a_date_in_a_kiswahili_message_is_written_in_kiswahili(debtors):
    owner = debtors["owner"]
    collections.set_template(owner, "sw", "{name}, tarehe {due_date}")
    with i18n.using("sw"):
        expected = i18n.day(_ago(10))
    assert collections.message(owner, {"customer_id": debtors["people"]["Achieng"]}, "sw") == (
        f"Achieng, tarehe {expected}"
    )
    assert collections.template(owner, "en") == collections.DEFAULT_TEMPLATES["en"]  # each language its own


# --- figures ------------------------------------------------------------------------------------


def test_the_due_figures_match_independent_sql(debtors, raw):
    owner, people = debtors["owner"], debtors["people"]
    collections.write_off(owner, people["Chebet"], "Left town")
    reversed_ids, _ = collections.write_off(owner, people["Daudi"], "Mistake")
    collections.reverse_write_off(owner, reversed_ids[0], "It was a mistake")
    figures = collections.due_figures(owner)
    shop, now = owner.shop_id, today()
    [(overdue, overdue_people)] = _rows(
        raw,
        "SELECT SUM(balance), COUNT(DISTINCT customer_id) FROM debts WHERE shop_id = %s AND voided_at IS NULL "
        "AND balance > 0 AND IFNULL(due_date, DATE_ADD(debt_date, INTERVAL 30 DAY)) < %s",
        shop,
        now,
    )
    [(soon, soon_people)] = _rows(
        raw,
        "SELECT SUM(balance), COUNT(DISTINCT customer_id) FROM debts WHERE shop_id = %s AND voided_at IS NULL "
        "AND balance > 0 AND IFNULL(due_date, DATE_ADD(debt_date, INTERVAL 30 DAY)) BETWEEN %s AND %s",
        shop,
        now,
        now + timedelta(days=7),
    )
    [(month, month_sales)] = _rows(
        raw,
        "SELECT IFNULL(SUM(amount), 0), COUNT(*) FROM write_offs WHERE shop_id = %s AND reversed_at IS NULL "
        "AND DATE(written_at) BETWEEN %s AND %s",
        shop,
        now.replace(day=1),
        now,
    )
    assert (overdue, overdue_people) == (D("880.00"), 3)  # Achieng 300, Faith 500, Grace 80
    assert (soon, soon_people) == (D("200.00"), 1)  # Baraka
    assert (month, month_sales) == (D("150.00"), 1)  # Chebet's; Daudi's was reversed
    assert figures == {
        "overdue_amount": overdue,
        "overdue_customers": overdue_people,
        "due_soon_amount": soon,
        "due_soon_customers": soon_people,
        "written_off_month": month,
        "written_off_month_sales": month_sales,
        "written_off_month_customers": 1,
        "written_off_year": month,
        "written_off_year_sales": month_sales,
        "written_off_year_customers": 1,
    }
    assert dashboard.kpis(owner)["overdue"] == figures["overdue_amount"]  # one overdue, wherever it is shown
    nothing_yet = collections.due_figures(owner, date(today().year - 1, 6, 30))
    assert (nothing_yet["written_off_year"], nothing_yet["written_off_month_sales"]) == (0, 0)


def test_the_questions_do_not_count_a_write_off_as_paid_or_cleared(owing):
    """Baraka's cement (1,000, 400 paid today) and sugar (250) are written off today: neither was cleared, nothing
    more was paid back and nothing is owed from today; yesterday, before the 400 came in, he owed 1,250 and the cement
    was overdue."""
    owner, analyst, baraka = owing["owner"], owing["analyst"], owing["customer"]
    ids, _ = collections.write_off(owner, baraka, "Gave up")
    period = {"period": (_ago(60), today())}
    assert _ask(analyst, "debts/customers_cleared", **period).empty
    assert _ask(analyst, "debts/average_days_to_clear", **period).values.tolist() == [[D("0"), 0, 0]]
    assert _ask(analyst, "debts/owed_on_day", on_day=today()).empty
    assert _ask(analyst, "debts/owed_on_day", on_day=_ago(1)).values.tolist() == [
        ["Baraka", PHONE, 2, D("1250.00"), _ago(40)]
    ]  # the 400 was paid today
    assert _ask(analyst, "debts/debt_ageing", on_day=today())["owed"].sum() == 0
    ageing = _ask(analyst, "debts/debt_ageing", on_day=_ago(1))
    assert ageing["owed"].tolist() == [D("250.00"), D("1000.00"), D("0"), D("0")]
    assert _ask(analyst, "debts/overdue_debts", on_day=today()).empty
    assert _ask(analyst, "debts/overdue_debts", on_day=_ago(1)).values.tolist() == [
        ["Baraka", "Cement", _ago(40), D("1000.00"), _ago(10), 9]
    ]  # due 30 days after the sale (the shop's credit period)
    written = _ask(analyst, "debts/written_off", **period)
    assert written.values.tolist() == [["Baraka", PHONE, D("850.00"), 2, today()]]
    collections.reverse_write_off(owner, ids[0], "He will pay")
    assert _ask(analyst, "debts/written_off", **period).values.tolist() == [["Baraka", PHONE, D("250.00"), 1, today()]]
    assert _ask(analyst, "debts/debt_ageing", on_day=today())["owed"].sum() == D("600.00")
    assert _ask(analyst, "debts/debt_ageing", on_day=_ago(1))["owed"].sum() == D("1250.00")
