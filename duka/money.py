"""Money as people type it and as they read it: exact amounts (never float) and the shop's currency."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from db.errors import InvalidInput

MAX_AMOUNT = Decimal("9999999999.99")  # DECIMAL(12,2)
CENT = Decimal("0.01")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^\d+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}$")
_CURRENCY_PREFIX = re.compile(r"^(?:[A-Za-z]{1,4}\.?|[$€£])\s*(?=\d)")


def parse_amount(value: object, field: str = "Amount") -> Decimal:
    """A positive amount with at most two decimals, exactly, from text or Decimal (never float)."""
    if isinstance(value, float):
        raise TypeError("amounts are Decimal or text, never float")
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        number = Decimal(value)
    else:
        text = str(value or "").strip().replace("\u00a0", "").replace(" ", "").replace("_", "")
        text = _CURRENCY_PREFIX.sub("", text)
        if not text:
            raise InvalidInput(f"{field} is missing: type an amount such as 1,250 or 99.50.")
        if text.startswith("-"):
            raise InvalidInput(f"{field} must be more than zero.")
        if _GROUPED.match(text):
            text = text.replace(",", "")
        elif _DECIMAL_COMMA.match(text):
            text = text.replace(",", ".")
        elif not _PLAIN.match(text):
            raise InvalidInput(f"{field} {str(value).strip()!r} is not a number: type digits, such as 1,250 or 99.50.")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise InvalidInput(f"{field} {text!r} is not a number.") from None
    if not number.is_finite():
        raise InvalidInput(f"{field} is not a number.")
    if number <= 0:
        raise InvalidInput(f"{field} must be more than zero.")
    if number != number.quantize(CENT):
        raise InvalidInput(f"{field} can have at most two decimal places (cents).")
    if number > MAX_AMOUNT:
        raise InvalidInput(f"{field} is too large: the most Daftari can record is {MAX_AMOUNT:,}.")
    return number.quantize(CENT)


def parse_quantity(value: object) -> Decimal:
    """A positive quantity with at most three decimals, exactly."""
    text = str(value or "").strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(f"Quantity {text!r} is not a number.") from None
    if not number.is_finite() or number <= 0:
        raise InvalidInput("Quantity must be more than zero.")
    if number != number.quantize(Decimal("0.001")) or number >= Decimal("1000000000"):
        raise InvalidInput("Quantity can have at most three decimal places and nine digits.")
    return number


def money(amount: Decimal | int | None, currency: str) -> str:
    """'KES 1,234.50': the shop's currency and thousands separators."""
    amount = Decimal(amount or 0)
    sign = "-" if amount < 0 else ""
    return f"{sign}{currency} {abs(amount):,.2f}"
