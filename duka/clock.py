"""What day it is for the shops: one time zone for every rule that says "today", and the earliest day a
book holds."""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

from db.errors import InvalidInput

TIMEZONE = ZoneInfo(os.environ.get("DAFTARI_TZ", "Africa/Nairobi"))
EARLIEST = date(2000, 1, 1)  # no sale, payment or expense is dated before this day
_EARLIEST_IN_WORDS = "1 January 2000"  # written out, not with %B, which follows the process's locale


def today() -> date:
    """Today in the shops' time zone (DAFTARI_TZ, default Africa/Nairobi)."""
    return datetime.now(TIMEZONE).date()


def check_day(day: date, what: str) -> date:
    """The day itself, or InvalidInput when it is after today (nothing is recorded in advance) or before
    EARLIEST (1900 or 0001-01-01 is a slip of the keyboard, not a shop's history)."""
    if day > today():
        raise InvalidInput(f"The {what} date cannot be in the future.")
    if day < EARLIEST:
        raise InvalidInput(f"The {what} date cannot be before {_EARLIEST_IN_WORDS}.")
    return day


not_future = check_day  # the name sales, payments and expenses were written with; it now checks the floor too
