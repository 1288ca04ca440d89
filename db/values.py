"""Turning what people type into clean values: money, names, phones, dates."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

import phonenumbers

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
            raise InvalidInput(f"{field} {str(value).strip()!r} is not a number: type digits, "
                               "such as 1,250 or 99.50.")
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


def clean_text(value: object, field: str, max_length: int, required: bool = True) -> str | None:
    """Trimmed text without control characters; any script or emoji is welcome."""
    text = "".join(ch for ch in str(value or "") if unicodedata.category(ch) != "Cc").strip()
    text = re.sub(r"\s+", " ", text)
    if not text:
        if required:
            raise InvalidInput(f"{field} cannot be empty.")
        return None
    if len(text) > max_length:
        raise InvalidInput(f"{field} is too long: at most {max_length} characters.")
    return text


def normalise_phone(value: object, region: str = "KE", required: bool = True) -> str | None:
    """A phone number in E.164 (+254712345678), read as a Kenyan number unless it has a country code."""
    text = str(value or "").strip()
    if not text:
        if required:
            raise InvalidInput("Phone number is missing.")
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidInput(f"{text!r} is not a valid phone number. Use 07XX XXX XXX or +254 7XX XXX XXX.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def like_pattern(text: str | None) -> str:
    """A LIKE pattern matching text anywhere, its own % and _ taken literally; '' for no filter."""
    text = (text or "").strip()
    if not text:
        return ""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def check_dates(start: date, due: date | None) -> None:
    if due is not None and due < start:
        raise InvalidInput("The due date cannot be before the date of the sale.")
