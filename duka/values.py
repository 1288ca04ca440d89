"""Turning what people type into clean values: names, phones, search text, due dates (money: duka/money.py)."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from db.errors import InvalidInput
from i18n import t

# Bidi_Control characters: they reorder what is shown around them (U+202E turns "fdp.exe" into "exe.pdf"),
# so a name holding one could read differently from what is stored; the marks (U+200E, U+200F, U+061C) too,
# since nobody types them on purpose and a name copied with one would not match the same name typed.
_BIDI_CONTROL = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Invisible characters that carry nothing in a name and would make "Ami\u200bna" a second "Amina": dropped.
# The joiners (U+200C, U+200D), variation selectors and tag characters stay: emoji and some scripts need them.
_DROPPED = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u2060\u2061\u2062\u2063\u2064\ufeff"))
# Letters and symbols that draw nothing: a name of these alone is as empty as one of spaces.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u2800\u3164\uffa0")
_UNSEEN = frozenset(("Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"))


def clean_text(value: object, field: str, max_length: int, required: bool = True) -> str | None:
    """Trimmed text, its runs of spaces and control characters made one space; any script or emoji is welcome.

    A text holding only invisible characters is empty; one holding a direction control is refused. `field` is
    the field's name as the form shows it, marked N_("Customer name") by the caller and translated here."""
    text = str(value if value is not None else "")
    if text.isascii() and text.isprintable():  # most text (0.24 µs, not 3.9): nothing to drop, only spaces blank
        text = " ".join(text.split())
        blank = not text
    else:
        control = _BIDI_CONTROL.search(text)
        if control:
            code = f"U+{ord(control.group()):04X}"
            raise InvalidInput(
                t(
                    "{field} contains an invisible direction control ({code}): retype it without it.",
                    field=t(field),
                    code=code,
                )
            )
        text = text.translate(_DROPPED)
        text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
        text = re.sub(r"\s+", " ", text).strip(" \u200c\u200d")  # a joiner at either end joins nothing
        blank = not any(unicodedata.category(ch) not in _UNSEEN and ch not in _BLANK_GLYPHS for ch in text)
    if blank:
        if required:
            raise InvalidInput(t("{field} cannot be empty.", field=t(field)))
        return None
    if len(text) > max_length:
        raise InvalidInput(
            t("{field} is too long: at most {max_length} characters.", field=t(field), max_length=max_length)
        )
    return text


def normalise_phone(value: object, region: str = "KE", required: bool = True) -> str | None:
    """A phone number in E.164 (+254712345678), read as a Kenyan number unless it has a country code."""
    text = str(value or "").strip()
    if not text:
        if required:
            raise InvalidInput(t("Phone number is missing."))
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidInput(
            t("{typed} is not a valid phone number. Use 07XX XXX XXX or +254 7XX XXX XXX.", typed=repr(text))
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def like_pattern(text: str | None) -> str:
    """A LIKE pattern matching text anywhere, its own % and _ taken literally; '' for no filter."""
    text = (text or "").strip()
    if not text:
        return ""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
