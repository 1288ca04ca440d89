"""One way to read numbers: amounts, quantities and cashback, read by duka/money.py and by the shop's rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from db.errors import InvalidInput
from duka import book, customers, expenses, imports
from duka.money import MAX_AMOUNT, parse_amount, parse_cashback, parse_quantity, sale_total
from support import category_ids

DIGITS_27 = "123456789012345678901234567"
NOT_A_NUMBER = ("not a number", "digits only")
UNCLEAR_12_50 = ("unclear", "12.50", "1,250")
BADLY_GROUPED = ("not written correctly", "groups of three digits")

# (kind, typed, the Decimal read, or None and words the refusal must contain)
NUMBERS = [
    # amounts: thousands grouped by commas or spaces, the dot as the decimal point
    ("amount", "1,250", "1250.00", ()),
    ("amount", "12,345,678.50", "12345678.50", ()),
    ("amount", "1,250.5", "1250.50", ()),
    ("amount", "99.50", "99.50", ()),
    ("amount", ".5", "0.50", ()),
    ("amount", "  1 250 ", "1250.00", ()),
    ("amount", "1\u00a0250.75", "1250.75", ()),  # a no-break space, as spreadsheets copy it
    ("amount", "9999999999.99", "9999999999.99", ()),
    ("amount", "9,999,999,999.99", "9999999999.99", ()),
    # amounts: the currency written the Kenyan way, before the number, and "/=" after whole shillings
    ("amount", "Ksh 1,250", "1250.00", ()),
    ("amount", "Ksh1,250.50", "1250.50", ()),
    ("amount", "KSh. 300", "300.00", ()),
    ("amount", "kshs 20", "20.00", ()),
    ("amount", "Sh 50", "50.00", ()),
    ("amount", "Shs.75", "75.00", ()),
    ("amount", "Ksh 1,250/=", "1250.00", ()),
    ("amount", "500/-", "500.00", ()),
    # amounts: ambiguous separators are refused with the way to write them
    ("amount", "12,50", None, UNCLEAR_12_50),
    ("amount", "12 50", None, UNCLEAR_12_50),
    ("amount", "1.250", None, ("unclear", "1,250", "1.25")),
    ("amount", "1.250,50", None, ("decimal comma", "1,250.50")),
    ("amount", "1,2,3", None, BADLY_GROUPED),
    ("amount", "1,2345", None, BADLY_GROUPED),
    ("amount", "0,250", None, BADLY_GROUPED),
    ("amount", "1,250 000", None, BADLY_GROUPED),
    ("amount", "1.2.3", None, BADLY_GROUPED),
    # amounts: letters, symbols, exponents, nan and inf are not numbers
    ("amount", "nan5", None, NOT_A_NUMBER),
    ("amount", "e5", None, NOT_A_NUMBER),
    ("amount", "USDT12", None, NOT_A_NUMBER),
    ("amount", "1e100", None, NOT_A_NUMBER),
    ("amount", "1e3", None, NOT_A_NUMBER),
    ("amount", "NaN", None, NOT_A_NUMBER),
    ("amount", "inf", None, NOT_A_NUMBER),
    ("amount", "abc", None, NOT_A_NUMBER),
    ("amount", "+5", None, NOT_A_NUMBER),
    ("amount", "$5", None, NOT_A_NUMBER),
    ("amount", "5 KES", None, NOT_A_NUMBER),
    ("amount", "\u0661\u0662", None, NOT_A_NUMBER),  # Arabic-Indic digits: Decimal() would take them
    ("amount", "=HYPERLINK(1)", None, NOT_A_NUMBER),
    # amounts: zero, negative, missing, too precise, too large
    ("amount", "0", None, ("more than zero",)),
    ("amount", "0.00", None, ("more than zero",)),
    ("amount", "-5", None, ("more than zero",)),
    ("amount", "KES -5", None, ("more than zero",)),
    ("amount", "\u22125", None, ("more than zero",)),  # the minus sign a phone keyboard types
    ("amount", "", None, ("missing",)),
    ("amount", "   ", None, ("missing",)),
    ("amount", "12.345", None, ("two decimal places",)),
    ("amount", "1,250.505", None, ("two decimal places",)),
    ("amount", "9999999999.999", None, ("too large",)),
    ("amount", "10000000000", None, ("too large", "9,999,999,999.99")),
    ("amount", "10,000,000,000", None, ("too large", "9,999,999,999.99")),
    ("amount", DIGITS_27, None, ("too large", "9,999,999,999.99")),
    # quantities: the same rule, three decimals, below a thousand million, no currency
    ("quantity", "1,5", None, ("unclear", "1.5", "1,500")),
    ("quantity", "1,2,3", None, BADLY_GROUPED),
    ("quantity", "1,500", None, ("unclear", "1500", "1.5")),
    ("quantity", "1,500,000", "1500000.000", ()),
    ("quantity", "1 500", "1500.000", ()),
    ("quantity", "1.5", "1.500", ()),
    ("quantity", "0.125", "0.125", ()),
    ("quantity", "1.250", "1.250", ()),
    ("quantity", "999999999.999", "999999999.999", ()),
    ("quantity", "0.1255", None, ("three decimal places",)),
    ("quantity", "1000000000", None, ("too large", "1,000,000,000")),
    ("quantity", DIGITS_27, None, ("too large",)),
    ("quantity", "1e100", None, NOT_A_NUMBER),
    ("quantity", "nan5", None, NOT_A_NUMBER),
    ("quantity", "Ksh 5", None, NOT_A_NUMBER),
    ("quantity", "0", None, ("more than zero",)),
    ("quantity", "-1", None, ("more than zero",)),
    ("quantity", "", None, ("missing",)),
    # cashback: an amount that may be zero or left empty
    ("cashback", "0.0", "0.00", ()),
    ("cashback", "0", "0.00", ()),
    ("cashback", "", "0.00", ()),
    ("cashback", "  ", "0.00", ()),
    ("cashback", "Ksh 0", "0.00", ()),
    ("cashback", "2.50", "2.50", ()),
    ("cashback", "Ksh 1,000", "1000.00", ()),
    ("cashback", "-1", None, ("cannot be negative",)),
    ("cashback", "12,50", None, UNCLEAR_12_50),
    ("cashback", "abc", None, NOT_A_NUMBER),
    ("cashback", "0.001", None, ("two decimal places",)),
    ("cashback", "10000000000", None, ("too large",)),
]

_READERS = {"amount": parse_amount, "quantity": parse_quantity, "cashback": parse_cashback}


def _cases(*kinds: str):
    return [
        pytest.param(text, value, words, id=f"{kind}:{text!r}") for kind, text, value, words in NUMBERS if kind in kinds
    ]


def _assert_refused(problem: pytest.ExceptionInfo, words: tuple[str, ...]) -> None:
    for word in words:
        assert word in str(problem.value)


@pytest.mark.parametrize(
    "kind, text, value, words", [pytest.param(*case, id=f"{case[0]}:{case[1]!r}") for case in NUMBERS]
)
def test_the_one_parser_reads_or_refuses_with_a_sentence(kind, text, value, words):
    read = _READERS[kind]
    if value is None:
        with pytest.raises(InvalidInput) as problem:
            read(text)
        _assert_refused(problem, words)
    else:
        assert read(text) == Decimal(value)
        assert str(read(text)) == value  # cents for money, thousandths for quantities


def _every_common_shape() -> list[str]:
    """Amounts in the short way's shape and their neighbours it must leave to the long way."""
    import random

    rng = random.Random(15)
    texts = ["0", "0.0", "0.00", "0.5", "7", "1,000", "1,000.5", "12,345,678.90", "999", "1000", "100.05"]
    texts += ["00", "01", "01.5", "0,500", "1,00", "12,50", "1.250", "1.2345", "1,2345", "1,000,00", ",100", "1,"]
    texts += ["1.", ".5", "1 000", "-5", "Ksh 5", "5/=", "1,234.567", "9" * 20, "9" * 13 + ".99", "1,000.000"]
    for _ in range(3000):
        number = rng.choice([rng.randint(0, 999), rng.randint(0, 10**6), rng.randint(0, 10**13)])
        whole = f"{number:,}" if rng.random() < 0.5 else str(number)
        texts.append(whole + rng.choice(["", ".", f".{rng.randint(0, 9)}", f".{rng.randint(0, 99):02d}", ".123"]))
    return texts


@pytest.mark.parametrize("kind", ["_AMOUNT", "_CASHBACK", "_QUANTITY"])
def test_the_short_way_reads_every_amount_as_the_long_way_does(kind):
    """duka/money's short way for plain amounts gives the same number and typed decimals as the whole reading,
    and leaves to it every text it does not read (refusals, quantities, currency words) with the same outcome."""
    from duka import money

    what = getattr(money, kind)
    for text in _every_common_shape():
        outcomes = []
        for read in (money._from_text, money._from_text_in_full):
            try:
                outcomes.append(read(text, "Amount", what))
            except InvalidInput as refused:
                outcomes.append(str(refused))
        assert outcomes[0] == outcomes[1] and str(outcomes[0]) == str(outcomes[1]), text


def test_the_table_holds_at_least_forty_inputs_accepted_and_refused():
    assert sum(value is not None for _, _, value, _ in NUMBERS) >= 30
    assert sum(value is None for _, _, value, _ in NUMBERS) >= 40


def test_the_ambiguity_sentence_says_how_to_write_the_amount():
    with pytest.raises(InvalidInput) as problem:
        parse_amount("12,50")
    assert str(problem.value) == (
        'Amount "12,50" is unclear: write 12.50 with a dot for the decimal point, or 1,250 if you meant thousands.'
    )


@pytest.mark.parametrize("value, expected", [(Decimal("12.5"), "12.50"), (7, "7.00"), (Decimal("0.10"), "0.10")])
def test_decimals_and_whole_numbers_are_still_accepted(value, expected):
    assert str(parse_amount(value)) == expected


@pytest.mark.parametrize(
    "value, words",
    [
        (Decimal("NaN"), "not a number"),
        (Decimal("Infinity"), "not a number"),
        (Decimal("-1"), "more than zero"),
        (Decimal("1.001"), "two decimal places"),
        (Decimal("1e100"), "too large"),
        (10**30, "too large"),
    ],
)
def test_bad_decimals_get_a_sentence_too(value, words):
    with pytest.raises(InvalidInput, match=words):
        parse_amount(value)


@pytest.mark.parametrize("reader", [parse_amount, parse_quantity, parse_cashback])
def test_a_float_is_a_programming_error(reader):
    with pytest.raises(TypeError):
        reader(1.5)


def test_the_field_name_starts_the_sentence():
    with pytest.raises(InvalidInput, match=r'^Unit price "abc" is not a number'):
        parse_amount("abc", "Unit price")


@pytest.mark.parametrize("typed", ["9" * 5000, "=HYPERLINK(1)", "[pay](https://evil.example)", "<b>5</b>"])
def test_a_long_paste_or_markup_is_not_repeated_in_the_sentence(typed):
    with pytest.raises(InvalidInput) as problem:
        parse_amount(typed)
    assert str(problem.value).startswith("Amount is ")
    assert len(str(problem.value)) < 200


# --- total or quantity × unit price ----------------------------------------------------------------


@pytest.mark.parametrize(
    "total, quantity, unit_price, expected",
    [
        ("500", None, None, ("500.00", None, None)),
        ("200", "2", "100", ("200.00", "2.000", "100.00")),
        ("", "2", "100", ("200.00", "2.000", "100.00")),
        (None, "3", "55.50", ("166.50", "3.000", "55.50")),
        (None, "1.5", "2", ("3.00", "1.500", "2.00")),
        (None, "0.125", "1", ("0.13", "0.125", "1.00")),  # half a cent rounds up, as a shop rounds
        (None, "1500", "Ksh 2", ("3000.00", "1500.000", "2.00")),
    ],
)
def test_a_sale_total_comes_from_the_total_or_quantity_times_price(total, quantity, unit_price, expected):
    got = sale_total(total, quantity, unit_price)
    assert tuple(None if v is None else str(v) for v in got) == expected


@pytest.mark.parametrize(
    "total, quantity, unit_price, words",
    [
        ("500", "2", "100", ("The total 500.00 does not match 2 × 100.00 = 200.00: clear one of them or correct it.",)),
        (None, "2", None, ("Unit price is missing",)),
        ("500", "2", "", ("Unit price is missing",)),
        (None, None, "100", ("Quantity is missing",)),
        (None, "999999999", "9999999999.99", ("too large", "9,999,999,999.99")),
        (None, "0.001", "0.01", ("less than one cent",)),
        (None, "1,5", "2", ("1.5", "1,500")),
        (None, None, None, ("Total is missing",)),
    ],
)
def test_a_sale_total_that_does_not_add_up_is_refused(total, quantity, unit_price, words):
    with pytest.raises(InvalidInput) as problem:
        sale_total(total, quantity, unit_price)
    _assert_refused(problem, words)


# --- the same inputs through the shop's rules, saved in the real database ---------------------------


@pytest.fixture
def customer(shop):
    return customers.add_customer(shop, "Wanjiru Kamau")


def _debt(raw, debt_id: int) -> dict:
    cur = raw.cursor(dictionary=True)
    cur.execute("SELECT quantity, unit_price, total FROM debts WHERE id = %s", (debt_id,))
    return cur.fetchone()


def _expense_count(raw, shop) -> int:
    cur = raw.cursor()
    cur.execute("SELECT COUNT(*) FROM expenses WHERE shop_id = %s", (shop.shop_id,))
    return cur.fetchone()[0]


@pytest.mark.parametrize("text, value, words", _cases("amount"))
def test_an_expense_amount_is_saved_exactly_or_refused(shop, raw, text, value, words):
    food = category_ids(shop)["Food"]
    if value is None:
        with pytest.raises(InvalidInput) as problem:
            expenses.add_expense(shop, food, date(2026, 1, 1), text)
        _assert_refused(problem, words)
        assert _expense_count(raw, shop) == 0
    else:
        expense_id = expenses.add_expense(shop, food, date(2026, 1, 1), text)
        assert expenses.expense(shop, expense_id)["amount"] == Decimal(value)


@pytest.mark.parametrize("text, value, words", _cases("cashback"))
def test_an_expense_cashback_is_saved_exactly_or_refused(shop, raw, text, value, words):
    food = category_ids(shop)["Food"]
    if value is None:
        with pytest.raises(InvalidInput) as problem:
            expenses.add_expense(shop, food, date(2026, 1, 1), MAX_AMOUNT, "M-Pesa", text)
        _assert_refused(problem, words)
        assert _expense_count(raw, shop) == 0
    else:
        expense_id = expenses.add_expense(shop, food, date(2026, 1, 1), MAX_AMOUNT, "M-Pesa", text)
        assert expenses.expense(shop, expense_id)["cashback"] == Decimal(value)


@pytest.mark.parametrize("text, value, words", _cases("amount"))
def test_a_sale_total_is_saved_exactly_or_refused(shop, customer, raw, text, value, words):
    if value is None:
        with pytest.raises(InvalidInput) as problem:
            book.record_sale(shop, customer, "Bread", total=text)
        _assert_refused(problem, words)
        assert book.ledger(shop, customer).empty
    else:
        debt = book.record_sale(shop, customer, "Bread", total=text)
        assert _debt(raw, debt) == {"quantity": None, "unit_price": None, "total": Decimal(value)}


@pytest.mark.parametrize("text, value, words", _cases("quantity"))
def test_a_sale_quantity_is_saved_exactly_or_refused(shop, customer, raw, text, value, words):
    if value is None:
        with pytest.raises(InvalidInput) as problem:
            book.record_sale(shop, customer, "Maize", quantity=text, unit_price="1")
        _assert_refused(problem, words)
        assert book.ledger(shop, customer).empty
    else:
        debt = book.record_sale(shop, customer, "Maize", quantity=text, unit_price="1")
        assert _debt(raw, debt)["quantity"] == Decimal(value)


def test_quantity_one_comma_five_is_never_saved_as_fifteen(shop, customer):
    with pytest.raises(InvalidInput, match="unclear"):
        book.record_sale(shop, customer, "Sukuma", quantity="1,5", unit_price="2")
    assert book.ledger(shop, customer).empty


def test_a_total_that_disagrees_with_quantity_times_price_saves_nothing(shop, customer):
    with pytest.raises(InvalidInput, match=r"does not match 2 × 100\.00 = 200\.00"):
        book.record_sale(shop, customer, "Soap", total="500", quantity="2", unit_price="100")
    assert book.ledger(shop, customer).empty
    debt = book.record_sale(shop, customer, "Soap", total="200", quantity="2", unit_price="100")
    assert book.open_debts(shop, customer).set_index("debt_id").loc[debt, "total"] == Decimal("200.00")


def test_a_quantity_without_a_price_saves_nothing(shop, customer):
    with pytest.raises(InvalidInput, match="Unit price is missing"):
        book.record_sale(shop, customer, "Soap", quantity="2")
    assert book.ledger(shop, customer).empty


def test_quantity_times_price_beyond_the_largest_amount_is_a_sentence(shop, customer):
    with pytest.raises(InvalidInput, match="too large"):
        book.record_sale(shop, customer, "Gold", quantity="999999999", unit_price="9999999999.99")
    assert book.ledger(shop, customer).empty


@pytest.mark.parametrize("text, value, words", _cases("amount"))
def test_a_payment_amount_is_read_by_the_same_rule(shop, customer, text, value, words):
    debt = book.record_sale(shop, customer, "Bread", total=MAX_AMOUNT)
    if value is None:
        with pytest.raises(InvalidInput) as problem:
            book.record_payment(shop, debt, text)
        _assert_refused(problem, words)
        assert customers.customer(shop, customer)["balance"] == MAX_AMOUNT
    else:
        book.record_payment(shop, debt, text)
        assert customers.customer(shop, customer)["balance"] == MAX_AMOUNT - Decimal(value)


# --- files: the same parser, after a file's decimal-comma convention is rewritten ---------------------


def _import(shop, lines: list[str]):
    frame = imports.read_table("bank.csv", ("Date;Amount;Category;Cashback\n" + "\n".join(lines)).encode())
    return imports.check_rows(shop, frame, imports.guess_mapping(list(frame.columns)), category_ids(shop))


def test_a_file_written_with_a_decimal_comma_is_read_that_way_throughout(shop):
    checked = _import(
        shop,
        ["2026-01-05;1.250,50;Food;0", "2026-01-06;45,00;Food;2,50", "2026-01-07;1.250;Food;", "2026-01-08;7;Food;"],
    )
    assert checked.bad == []
    assert [(r["amount"], r["cashback"]) for r in checked.good] == [
        (Decimal("1250.50"), Decimal("0.00")),
        (Decimal("45.00"), Decimal("2.50")),
        (Decimal("1250.00"), Decimal("0.00")),
        (Decimal("7.00"), Decimal("0.00")),
    ]


def test_a_file_written_with_a_decimal_dot_refuses_an_ambiguous_comma(shop):
    checked = _import(shop, ["2026-01-05;99.50;Food;0", "2026-01-06;12,50;Food;0", "2026-01-07;1,250;Food;0.0"])
    assert [r["amount"] for r in checked.good] == [Decimal("99.50"), Decimal("1250.00")]
    assert checked.bad == [
        {
            "line": 3,
            "reason": 'Amount "12,50" is unclear: write 12.50 with a dot for the decimal point, '
            "or 1,250 if you meant thousands.",
        }
    ]


@pytest.mark.parametrize("cell", ["nan5", "e5", "USDT12", "1e100", DIGITS_27, "1,2,3", "-5", "0"])
def test_a_bad_number_in_a_file_is_a_bad_row_with_the_same_sentence(shop, cell):
    checked = _import(shop, [f"2026-01-05;{cell};Food;0"])
    with pytest.raises(InvalidInput) as problem:
        parse_amount(cell)
    assert checked.good == [] and checked.bad == [{"line": 2, "reason": str(problem.value)}]
