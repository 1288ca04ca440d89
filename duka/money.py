"""Money as people type it and as they read it: exact amounts (never float) and the shop's currency.

One rule reads every amount, quantity and cashback:
- the dot is the decimal point; a comma, or a space, only groups thousands, and only in a correct grouping
  (1,250 · 12,345,678.50 · 1 250); a comma or space followed by one or two digits (12,50 · 1,5) could be a
  decimal comma or a mistyped thousand, so it is refused with a sentence saying how to write it, never guessed;
- an amount may start with the currency the way Kenyans write it (KES, Ksh, KSh, Kshs, Sh, Shs: any case,
  with or without a dot or a space) and whole shillings may end in /= or /-; quantities take neither;
- anything else (letters, exponents, nan, inf, +, $, other scripts' digits) is refused; a leading minus
  reads as a negative number, which only says "must be more than zero";
- amounts: more than zero, at most two decimals typed, at most MAX_AMOUNT; cashback: the same, but zero or
  nothing is 0.00; quantities: more than zero, at most three decimals, below a thousand million.
Every refusal is an InvalidInput sentence in the reader's language, never another exception; a float is a
programming error. The rule itself is the same in every language (Kenyan Kiswahili writes 1,250.50 too).
`field` names the field as the form shows it, marked N_("Amount") by the caller and translated here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import i18n
from db.errors import InvalidInput
from i18n import N_, t

MAX_AMOUNT = Decimal("9999999999.99")  # DECIMAL(12,2)
MAX_QUANTITY = Decimal("999999999.999")  # DECIMAL(12,3)
CENT = Decimal("0.01")
THOUSANDTH = Decimal("0.001")

_SPACES = re.compile(r"[ \u00a0\u2007\u2009\u202f]+")  # spaces, no-break and thin spaces people paste
_MINUS = "-\u2212\u2013"  # hyphen, minus sign, en dash (what phone keyboards and autocorrect type)
_CURRENCY = re.compile(r"^(?:kes|kshs|ksh|shs|sh)\.?\s*", re.IGNORECASE)
_WHOLE_SHILLINGS = re.compile(r"\s*/[=-]$")  # 1,250/= or 500/-: whole shillings, the East African way
_ONE_GROUP = re.compile(r"^[1-9][0-9]{0,2},[0-9]{3}$")
_GROUPED = re.compile(r"^[1-9][0-9]{0,2}(?:(?P<sep>[, ])[0-9]{3})(?:(?P=sep)[0-9]{3})*$")
_AMBIGUOUS = re.compile(r"^(?P<whole>[0-9]+)[, ](?P<tail>[0-9]{1,2})$")
# An amount in the common shape: digits, or groups of three after commas, and at most two decimals after a dot.
_QUICK = re.compile(r"^(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[1-9][0-9]*|0)(?:\.([0-9]{1,2}))?$")
_EUROPEAN = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]{1,2}$")
_ECHO = re.compile(r"^[0-9A-Za-z ,.\-/=]{1,32}$")  # what a message may repeat of the input


@dataclass(frozen=True)
class _Kind:
    """What is being read: its smallest step, its largest value, an example, money or not, zero allowed."""

    step: Decimal
    limit: Decimal
    example: str  # marked N_(), translated where a sentence shows it
    money: bool
    zero: bool = False

    @property
    def places(self) -> int:
        return -self.step.as_tuple().exponent


_AMOUNT = _Kind(CENT, MAX_AMOUNT, N_("such as 1,250 or 99.50"), money=True)
_CASHBACK = _Kind(CENT, MAX_AMOUNT, N_("such as 0, 50 or 12.50"), money=True, zero=True)
_QUANTITY = _Kind(THOUSANDTH, MAX_QUANTITY, N_("such as 2, 1.5 or 1,500"), money=False)


def parse_amount(value: object, field: str = N_("Amount")) -> Decimal:
    """A positive amount with at most two decimals, exactly, from text or Decimal (never float)."""
    return _read(value, t(field), _AMOUNT)


def parse_cashback(value: object, field: str = N_("Cashback")) -> Decimal:
    """Cashback: an amount that may be zero; empty or None is 0.00."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal("0.00")
    return _read(value, t(field), _CASHBACK)


def parse_quantity(value: object, field: str = N_("Quantity")) -> Decimal:
    """A positive quantity with at most three decimals, below 1,000,000,000, exactly."""
    return _read(value, t(field), _QUANTITY)


def sale_total(
    total: object = None, quantity: object = None, unit_price: object = None
) -> tuple[Decimal, Decimal | None, Decimal | None]:
    """(total, quantity, unit_price) from a total, from quantity × unit price (to the cent, half up), or
    from both when they agree; a sentence when they disagree, one of the pair is missing or it is too large."""
    has_quantity, has_price = _filled(quantity), _filled(unit_price)
    if not has_quantity and not has_price:
        return parse_amount(total, N_("Total")), None, None
    if not has_price:
        raise InvalidInput(t("Unit price is missing: type the price of one, or clear the quantity."))
    if not has_quantity:
        raise InvalidInput(t("Quantity is missing: type how many, or clear the unit price."))
    qty, price = parse_quantity(quantity), parse_amount(unit_price, N_("Unit price"))
    product = (qty * price).quantize(CENT, ROUND_HALF_UP)
    product_text = f"{_plain(qty)} × {price:,.2f}"
    if product > MAX_AMOUNT:
        raise InvalidInput(
            t(
                "The total {product} is too large: the most Daftari can record is {most}.",
                product=product_text,
                most=f"{MAX_AMOUNT:,}",
            )
        )
    if product <= 0:
        raise InvalidInput(t("The total {product} comes to less than one cent.", product=product_text))
    if _filled(total):
        given = parse_amount(total, N_("Total"))
        if given != product:
            raise InvalidInput(
                t(
                    "The total {given} does not match {product} = {result}: clear one of them or correct it.",
                    given=f"{given:,.2f}",
                    product=product_text,
                    result=f"{product:,.2f}",
                )
            )
    return product, qty, price


def money(amount: Decimal | int | None, currency: str) -> str:
    """'Ksh 1,234.50': the shop's currency as the reader's locale writes it (i18n.money, Babel's sw_KE/en_KE)."""
    return i18n.money(amount, currency)


# --- the one reader --------------------------------------------------------------------------------------


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def _plain(number: Decimal) -> str:
    """2 for 2.000, 1.5 for 1.500: a quantity as a person would write it."""
    return f"{number.normalize():,f}"


def _read(value: object, field: str, kind: _Kind) -> Decimal:
    if isinstance(value, float):
        raise TypeError("amounts and quantities are Decimal or text, never float")
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        number = Decimal(value)
        if not number.is_finite():
            raise InvalidInput(
                t("{field} is not a number: type digits only, {example}.", field=field, example=t(kind.example))
            )
        return _checked(number, field, kind, typed_places=None)
    number, places = _from_text(str(value if value is not None else "").strip(), field, kind)
    return _checked(number, field, kind, typed_places=places)


def _checked(number: Decimal, field: str, kind: _Kind, typed_places: int | None) -> Decimal:
    """Sign, size, then decimals (typed ones for text, the value's for a Decimal): the first problem is named.
    The size comes before quantize, which could not hold a 27-digit number."""
    if number < 0:
        if kind.zero:
            raise InvalidInput(t("{field} cannot be negative: type 0 if there was none.", field=field))
        raise InvalidInput(t("{field} must be more than zero.", field=field))
    if number == 0:
        if kind.zero:
            return Decimal(0).quantize(kind.step)
        raise InvalidInput(t("{field} must be more than zero.", field=field))
    if number > kind.limit:
        if kind.money:
            raise InvalidInput(
                t("{field} is too large: the most Daftari can record is {most}.", field=field, most=f"{MAX_AMOUNT:,}")
            )
        raise InvalidInput(
            t(
                "{field} is too large: it must be less than {limit}.",
                field=field,
                limit=f"{kind.limit + kind.step:,.0f}",
            )
        )
    too_precise = number != number.quantize(kind.step) if typed_places is None else typed_places > kind.places
    if too_precise:
        if kind.money:
            raise InvalidInput(t("{field} can have at most two decimal places (cents).", field=field))
        raise InvalidInput(t("{field} can have at most three decimal places.", field=field))
    return number.quantize(kind.step)


def _from_text(typed: str, field: str, kind: _Kind) -> tuple[Decimal, int]:
    """(the number, how many decimals were typed) from text written by the rule above, or InvalidInput. An amount
    in the common shape (1250, 1,250.50) is read the short way, as the long way reads it (tests/test_numbers.py
    holds the two equal): an import checks 100,000 of them, and the long way was a fifth of its check."""
    quick = _QUICK.match(typed) if kind.money else None
    if quick:
        whole, _, fraction = typed.partition(".")
        return Decimal(f"{whole.replace(',', '')}.{fraction or 0}"), len(fraction)
    return _from_text_in_full(typed, field, kind)


def _from_text_in_full(typed: str, field: str, kind: _Kind) -> tuple[Decimal, int]:
    """_from_text for any text: currency words, minus signs, spaces, decimal commas, and the sentences."""
    shown = f'{field} "{typed}"' if _ECHO.match(typed) else field  # never repeat markup or a whole paste
    if not typed:
        if kind.money:
            raise InvalidInput(t("{field} is missing: type an amount {example}.", field=field, example=t(kind.example)))
        raise InvalidInput(t("{field} is missing: type a number {example}.", field=field, example=t(kind.example)))
    text = _SPACES.sub(" ", typed)
    negative = text[0] in _MINUS
    if negative:
        text = text[1:].lstrip()
    if kind.money:
        text = _CURRENCY.sub("", text, count=1)
        if not negative and text[:1] in _MINUS:  # KES -5
            negative, text = True, text[1:].lstrip()
        if "." not in text:
            text = _WHOLE_SHILLINGS.sub("", text)
    if not text or not set(text) <= set("0123456789,. "):
        raise InvalidInput(
            t("{field} is not a number: type digits only, {example}.", field=shown, example=t(kind.example))
        )
    ambiguous = _AMBIGUOUS.match(text)
    if ambiguous:
        raise InvalidInput(_unclear(shown, ambiguous["whole"], ambiguous["tail"]))
    if kind.money and _EUROPEAN.match(text):
        written = f"{Decimal(text.replace('.', '').replace(',', '.')):,.2f}"
        raise InvalidInput(t("{field} is written with a decimal comma: write {written}.", field=shown, written=written))
    whole, _, fraction = text.partition(".")
    if (" " in whole or "," in whole) and not _GROUPED.match(whole):
        raise InvalidInput(_badly_grouped(shown))
    if not kind.money and not fraction and _ONE_GROUP.match(whole):
        # a quantity may have three decimals, so 1,500 is as likely 1.5 written with a comma as fifteen hundred
        head, tail = whole.split(",")
        raise InvalidInput(
            t(
                "{field} is unclear: write {thousands} if you meant thousands, "
                "or {decimal} with a dot for the decimal point.",
                field=shown,
                thousands=f"{head}{tail}",
                decimal=f"{head}.{tail.rstrip('0') or '0'}",
            )
        )
    digits = whole.replace(",", "").replace(" ", "")
    if not (digits or fraction) or (fraction and not fraction.isdigit()):
        raise InvalidInput(_badly_grouped(shown))
    if kind.money and _dot_thousands(whole, fraction):
        raise InvalidInput(
            t(
                "{field} is unclear: write {thousands} if you meant thousands, "
                "or {decimal}; an amount has at most two decimal places.",
                field=shown,
                thousands=f"{int(whole + fraction):,}",
                decimal=f"{whole}.{fraction[:2]}",
            )
        )
    number = Decimal(f"{digits or 0}.{fraction or 0}")
    return (-number if negative else number), len(fraction)


def _dot_thousands(whole: str, fraction: str) -> bool:
    """1.250 or 10.000 as an amount: a thousand written with a dot, or a price with a stray zero."""
    return len(fraction) == 3 and fraction.endswith("0") and whole.isdigit() and 0 < int(whole) < 1000


def _badly_grouped(shown: str) -> str:
    return t(
        "{field} is not written correctly: commas or spaces only separate groups of three digits, "
        "and a dot is the decimal point, as in 1,250 or 12,345.50.",
        field=shown,
    )


def _unclear(shown: str, whole: str, tail: str) -> str:
    """The sentence for 12,50 or 1,5: the decimal reading and the thousands one, both written correctly."""
    decimal = f"{int(whole)}.{tail}"
    if int(whole) == 0:
        return t("{field} is unclear: write {decimal} with a dot for the decimal point.", field=shown, decimal=decimal)
    run_together = int(whole + tail)
    thousands = run_together if run_together >= 1000 else int(whole + tail.ljust(3, "0"))
    return t(
        "{field} is unclear: write {decimal} with a dot for the decimal point, or {thousands} if you meant thousands.",
        field=shown,
        decimal=decimal,
        thousands=f"{thousands:,}",
    )
