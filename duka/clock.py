"""What day it is for the shops: one time zone for every rule that says "today"."""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

from db.errors import InvalidInput

TIMEZONE = ZoneInfo(os.environ.get("DAFTARI_TZ", "Africa/Nairobi"))


def today() -> date:
    """Today in the shops' time zone (DAFTARI_TZ, default Africa/Nairobi)."""
    return datetime.now(TIMEZONE).date()


def not_future(day: date, what: str) -> date:
    """The day itself, or InvalidInput when it is after today (nothing is recorded in advance)."""
    if day > today():
        raise InvalidInput(f"The {what} date cannot be in the future.")
    return day
