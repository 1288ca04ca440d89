"""What day it is for the shops: one time zone for every rule that says "today", the earliest day a book holds,
and how a day is written in the book's lists in the reader's language."""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import dates as babel_dates

import i18n
from db.errors import InvalidInput
from i18n import t

TIMEZONE = ZoneInfo(os.environ.get("DAFTARI_TZ", "Africa/Nairobi"))
EARLIEST = date(2000, 1, 1)  # no sale, payment or expense is dated before this day


def today() -> date:
    """Today in the shops' time zone (DAFTARI_TZ, default Africa/Nairobi)."""
    return datetime.now(TIMEZONE).date()


def check_day(day: date, what: str) -> date:
    """The day itself, or InvalidInput when it is after today (nothing is recorded in advance) or before
    EARLIEST (1900 or 0001-01-01 is a slip of the keyboard, not a shop's history). `what` names the record,
    marked N_("sale") by the caller and translated here ('The sale date…', 'Tarehe ya mauzo…')."""
    if day > today():
        raise InvalidInput(t("The {what} date cannot be in the future.", what=t(what)))
    if day < EARLIEST:
        # Babel writes the month in the reader's language ('1 January 2000', '1 Januari 2000'), never %B,
        # which follows the process's locale
        earliest = i18n.day(EARLIEST, "long")
        raise InvalidInput(t("The {what} date cannot be before {earliest}.", what=t(what), earliest=earliest))
    return day


not_future = check_day  # the name sales, payments and expenses were written with; it now checks the floor too


def written_day(day: date | datetime, pattern: str = "dd MMM y") -> str:
    """'05 Mar 2024' ('05 Mac 2024' in Kiswahili): a day as the ledger, its pickers and the book's sentences
    write it, zero-padded like the strftime("%d %b %Y") they were written with; `pattern` is Babel's."""
    return babel_dates.format_date(day, pattern, locale=i18n.locale())
