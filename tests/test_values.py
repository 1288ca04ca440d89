"""Names and dates people type: trimmed names without invisible tricks, and days between a floor and today."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from db.errors import InvalidInput
from duka import book, customers, expenses, imports, members
from duka.clock import EARLIEST, check_day, not_future, today
from duka.values import clean_text
from support import PASSWORD, category_ids, new_phone

# --- names --------------------------------------------------------------------------------------------

INVISIBLE_ONLY = [
    "\u200b",  # zero width space
    "\ufeff",  # byte order mark
    "\u2060",  # word joiner
    "\u200b\ufeff\u2060",
    " \u200b \u00a0 ",
    "\u3164",  # Hangul filler, a letter that draws nothing
    "\u2800",  # Braille blank
    "\u0301\u0308",  # combining marks with nothing to sit on
    "\u200d",  # a lone zero width joiner
    "\u00ad",  # soft hyphen
    "\u3000",  # ideographic space
]

BIDI_CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
BIDI_MARKS = ["\u200e", "\u200f", "\u061c"]

WELCOME = [
    "Wanjiru wa Kamau",
    "Mama Mboga 🥬🍅",
    "👨\u200d👩\u200d👧",  # a family: emoji joined by ZWJ
    "👍🏽",  # a skin tone modifier
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland's flag: tag characters
    "محمد علي",
    "王小明",
    "Zoë Ñandú",
    "Chemist (Nairobi) — 2nd branch",
    "می\u200cخواهم",  # Persian needs the zero width non-joiner
]


@pytest.mark.parametrize("name", INVISIBLE_ONLY, ids=lambda n: "+".join(f"U+{ord(c):04X}" for c in n))
def test_a_name_of_invisible_characters_is_empty(name):
    with pytest.raises(InvalidInput, match="Customer name cannot be empty"):
        clean_text(name, "Customer name", 120)
    assert clean_text(name, "Description", 255, required=False) is None


@pytest.mark.parametrize("control", BIDI_CONTROLS + BIDI_MARKS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_direction_control_is_refused_with_its_code(control):
    with pytest.raises(InvalidInput) as problem:
        clean_text(f"Invoice{control}fdp.exe", "Customer name", 120)
    assert str(problem.value) == (
        f"Customer name contains an invisible direction control (U+{ord(control):04X}): retype it without it."
    )


@pytest.mark.parametrize("name", WELCOME)
def test_names_in_any_script_and_emoji_are_kept_exactly(name):
    assert clean_text(name, "Customer name", 120) == name


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("  Amina  ", "Amina"),
        ("\u200bAmina\ufeff", "Amina"),
        ("Ami\u200bna", "Amina"),  # would look exactly like "Amina" and make a second customer
        ("Amina\t\tOtieno", "Amina Otieno"),
        ("Amina\nOtieno", "Amina Otieno"),
        ("Amina \u00a0 Otieno", "Amina Otieno"),
        ("\u2060👨\u200d👩\u200d👧 Family\u200b", "👨\u200d👩\u200d👧 Family"),
    ],
)
def test_names_are_trimmed_and_their_spaces_made_plain(typed, kept):
    assert clean_text(typed, "Customer name", 120) == kept


def test_length_is_counted_after_trimming():
    assert clean_text("  " + "a" * 10 + "\u200b  ", "Name", 10) == "a" * 10
    with pytest.raises(InvalidInput, match="at most 10 characters"):
        clean_text("a" * 11, "Name", 10)


@pytest.mark.parametrize("name", ["\u200b", "\ufeff\ufeff", "\u200b \u2060"])
def test_the_shop_rules_refuse_invisible_names(shop, name):
    with pytest.raises(InvalidInput, match="Customer name cannot be empty"):
        customers.add_customer(shop, name)
    with pytest.raises(InvalidInput, match="Category name cannot be empty"):
        expenses.add_category(shop, name)
    with pytest.raises(InvalidInput, match="Product cannot be empty"):
        book.record_sale(shop, customers.add_customer(shop, "Juma"), name, total="10")
    with pytest.raises(InvalidInput, match="First name cannot be empty"):
        members.register(name, "Otieno", new_phone(), PASSWORD, "Duka")


def test_the_shop_rules_refuse_a_bidi_override(shop):
    with pytest.raises(InvalidInput, match=r"direction control \(U\+202E\)"):
        customers.add_customer(shop, "Juma \u202eamuJ")
    with pytest.raises(InvalidInput, match=r"direction control \(U\+2067\)"):
        expenses.add_category(shop, "Rent\u2067")
    assert "Juma" not in " ".join(customers.customer_choices(shop)["name"])


@pytest.mark.parametrize("name", WELCOME[:5])
def test_emoji_names_are_stored_exactly(shop, name):
    customer = customers.add_customer(shop, name)
    assert customers.customer(shop, customer)["name"] == name


def test_a_name_is_stored_trimmed(shop):
    customer = customers.add_customer(shop, "\u200b  Amina\u00a0 Otieno \ufeff")
    assert customers.customer(shop, customer)["name"] == "Amina Otieno"


# --- dates between a floor and today -------------------------------------------------------------------


def test_the_floor_is_the_first_of_january_2000():
    assert date(2000, 1, 1) == EARLIEST
    assert check_day(EARLIEST, "sale") == EARLIEST
    assert not_future is check_day
    with pytest.raises(InvalidInput) as problem:
        check_day(date(1999, 12, 31), "sale")
    assert str(problem.value) == "The sale date cannot be before 1 January 2000."
    with pytest.raises(InvalidInput, match="The expense date cannot be in the future."):
        check_day(today() + timedelta(days=1), "expense")


@pytest.fixture
def customer(shop):
    return customers.add_customer(shop, "Wanjiru Kamau")


@pytest.mark.parametrize("day", [date(1999, 12, 31), date(1900, 1, 1), date(1, 1, 1)])
def test_a_sale_before_the_floor_is_refused(shop, customer, day):
    with pytest.raises(InvalidInput, match="The sale date cannot be before 1 January 2000."):
        book.record_sale(shop, customer, "Rice", total="100", debt_date=day)
    assert book.ledger(shop, customer).empty


def test_a_sale_on_the_floor_and_today_are_accepted(shop, customer):
    book.record_sale(shop, customer, "Rice", total="100", debt_date=EARLIEST)
    book.record_sale(shop, customer, "Rice", total="100", debt_date=today())
    assert len(book.ledger(shop, customer)) == 2


@pytest.mark.parametrize("day", [date(1999, 12, 31), date(1, 1, 1)])
def test_a_payment_before_the_floor_is_refused(shop, customer, day):
    debt = book.record_sale(shop, customer, "Rice", total="100", debt_date=EARLIEST)
    with pytest.raises(InvalidInput, match="The payment date cannot be before 1 January 2000."):
        book.record_payment(shop, debt, "10", paid_at=day)
    with pytest.raises(InvalidInput, match="The payment date cannot be before 1 January 2000."):
        book.pay_customer(shop, customer, "10", paid_at=day)
    assert customers.customer(shop, customer)["balance"] == 100


@pytest.mark.parametrize("day", [date(1999, 12, 31), date(1900, 1, 1), date(1, 1, 1)])
def test_an_expense_before_the_floor_is_refused(shop, day):
    food = category_ids(shop)["Food"]
    with pytest.raises(InvalidInput, match="The expense date cannot be before 1 January 2000."):
        expenses.add_expense(shop, food, day, "5")
    expense_id = expenses.add_expense(shop, food, EARLIEST, "5")
    with pytest.raises(InvalidInput, match="before 1 January 2000"):
        expenses.edit_expense(shop, expense_id, food, day, "5", "Cash", "0", "")


def test_imported_rows_before_the_floor_or_after_today_are_bad_rows(shop):
    tomorrow = (today() + timedelta(days=1)).isoformat()
    data = (
        f"Date,Amount,Category\n1999-12-31,10,Food\n01/01/0001,10,Food\n{tomorrow},10,Food\n2000-01-01,10,Food\n"
    ).encode()
    frame = imports.read_table("old.csv", data)
    categories = category_ids(shop)
    checked = imports.check_rows(shop, frame, imports.guess_mapping(list(frame.columns)), categories)
    assert [row["spent_on"] for row in checked.good] == [EARLIEST]
    assert [(bad["line"], bad["reason"]) for bad in checked.bad] == [
        (2, "The expense date cannot be before 1 January 2000."),
        (3, "The expense date cannot be before 1 January 2000."),
        (4, "The expense date cannot be in the future."),
    ]


@pytest.mark.parametrize(
    "text", ["Weekly shop", "  Kamau   Ltd  ", "x", " a b ", "~!@#$%^&*()_+{}|:<>?", "   ", "", "y" * 40, "y" * 41]
)
def test_plain_ascii_text_is_cleaned_as_any_other_text(text):
    """Plain ASCII takes a short way through clean_text (an import cleans 200,000 texts): the same answer as the
    whole way, which a zero-width space (dropped) sends the same text through."""

    def said(value):
        try:
            return clean_text(value, "Description", 40)
        except InvalidInput as refused:
            return str(refused)

    assert said(text) == said(text + "\u200b") == said("\u200b" + text)


@pytest.mark.parametrize("text", ["2026-03-31", "2026-02-29", "2026-3-1", "0000-01-01", "2026-13-01", "31/03/2026"])
def test_an_iso_day_is_read_as_strptime_reads_it(text):
    """parse_date reads YYYY-MM-DD with date.fromisoformat first; what it accepts and refuses is unchanged."""
    try:
        expected = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        expected = None
    try:
        got = imports.parse_date(text)
    except InvalidInput:
        got = None
    if text == "31/03/2026":
        assert got == date(2026, 3, 31)
    else:
        assert got == expected
