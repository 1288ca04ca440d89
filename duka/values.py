"""Turning what people type into clean values: names, phones, search text, due dates (money: duka/money.py)."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from db.errors import InvalidInput


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
