"""Kiswahili and English: every sentence a person reads goes through t(), bound to the language of the person
being served, never to the process.

- The language lives in a context variable: a Streamlit script run (ui/session.init) and an API request set it
  for themselves, so two people on one server at the same moment each read their own. gettext.install() would set
  one `_` for the whole server, and `_` itself is a name Streamlit code uses for throwaway values: t() it is.
- The English text is the message id (gettext's convention), so English needs no catalogue and a missing
  translation shows English, never a key. The Kiswahili catalogue is i18n/locale/sw/LC_MESSAGES/daftari.po;
  `./daftari translations` extracts, updates and compiles it (i18n/catalogue.py).
- Placeholders are str.format names, `{name}`: a translation may move them, never drop one (tests/test_i18n.py).
- Numbers, money and dates are formatted by Babel for sw_KE and en_KE: 'Ksh 1,234,567.50',
  'Jumanne, 19 Machi 2024'. No compact forms: Babel's sw_KE long compact writes 1000 as "elfu 10"."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.support import NullTranslations, Translations

LANGUAGES = {"en": "English", "sw": "Kiswahili"}
DEFAULT = "en"
LOCALES = {"en": "en_KE", "sw": "sw_KE"}
DOMAIN = "daftari"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_language: ContextVar[str] = ContextVar("daftari_language", default=DEFAULT)


def language() -> str:
    """The language of the person being served now: 'en' or 'sw'."""
    return _language.get()


def set_language(code: str | None) -> str:
    """Serve the rest of this context (a script run, a request) in `code`; anything else is English."""
    code = code if code in LANGUAGES else DEFAULT
    _language.set(code)
    return code


@contextlib.contextmanager
def using(code: str | None) -> Iterator[str]:
    """Within the block, `code`; the language before it afterwards."""
    token = _language.set(code if code in LANGUAGES else DEFAULT)
    try:
        yield _language.get()
    finally:
        _language.reset(token)


def locale() -> str:
    """The Babel locale of the current language: 'sw_KE' or 'en_KE'."""
    return LOCALES[language()]


@functools.cache
def _catalogue(code: str) -> NullTranslations:
    if code == DEFAULT:
        return NullTranslations()
    from i18n import catalogue  # compiles the .mo when the .po is newer (a fresh clone has only the .po)

    catalogue.compile_if_stale(code)
    return Translations.load(str(LOCALE_DIR), [code], DOMAIN)


def t(message: str, /, **values: object) -> str:
    """`message` in the current language, its {placeholders} filled with `values` (shown as given: format
    money, numbers and dates with the functions below first)."""
    text = _catalogue(language()).gettext(message) if message else message
    return text.format(**values) if values else text


def tn(singular: str, plural: str, n: int, /, **values: object) -> str:
    """One message for n == 1 and another for any other n ('1 customer', '3 customers'); {n} is filled."""
    text = _catalogue(language()).ngettext(singular, plural, n)
    return text.format(n=number(n), **values)


def N_(message: str) -> str:
    """Marks text to translate later (a table of labels, a constant): t(VALUE) translates it where it is shown."""
    return message


# --- numbers, money and dates -------------------------------------------------------------------------------


def number(value: Decimal | int, places: int | None = None) -> str:
    """1,234,567 or with `places` decimals: 1,234.50."""
    if places is None:
        return babel_numbers.format_decimal(value, locale=locale(), decimal_quantization=False)
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return babel_numbers.format_decimal(Decimal(value), format=pattern, locale=locale())


def money(amount: Decimal | int | None, currency: str) -> str:
    """'Ksh 1,234,567.50' (KES in sw_KE and en_KE), '-Ksh 50.00'; another currency with its own symbol."""
    return babel_numbers.format_currency(
        Decimal(amount or 0), currency, format="¤ #,##0.00", locale=locale(), currency_digits=False
    )


def currency_symbol(currency: str) -> str:
    """'Ksh' for KES: what money() writes before the amount."""
    return babel_numbers.get_currency_symbol(currency, locale=locale())


def day(when: date | datetime | None, style: str = "medium") -> str:
    """'19 Mac 2024' (medium), 'Jumanne, 19 Machi 2024' (full), '19 Machi 2024' (long); '' for none."""
    if when is None:
        return ""
    if isinstance(when, datetime):
        when = when.date()
    return babel_dates.format_date(when, style, locale=locale())


def moment(when: datetime | None) -> str:
    """A date and time to the minute: '19 Mac 2024 14:05'."""
    if when is None:
        return ""
    return f"{day(when)} {when:%H:%M}"


def month(when: date) -> str:
    """'Machi 2024': a month as a heading or a chart's axis."""
    return babel_dates.format_date(when, "LLLL y", locale=locale())


def short_month(when: date) -> str:
    """'Mac 2024' (sw), 'Mar 2024' (en): a month on a crowded axis."""
    return babel_dates.format_date(when, "LLL y", locale=locale())


def weekday(index: int) -> str:
    """0 = Monday: 'Jumatatu' / 'Monday'."""
    return babel_dates.get_day_names("wide", locale=locale())[index]
