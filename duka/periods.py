"""Calendar arithmetic for reports: months, named periods, and the one date-range type every filter uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from db.errors import InvalidInput
from i18n import N_, t


@dataclass(frozen=True)
class DateRange:
    """From start to end, both days included; refused when the end comes first."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput(t("The end date is before the start date."))

    def params(self) -> dict:
        """The range as SQL parameters %(start)s and %(end)s."""
        return {"start": self.start, "end": self.end}


def month_start(day: date) -> date:
    """The first day of day's month."""
    return day.replace(day=1)


def add_months(first: date, months: int) -> date:
    """The first day of the month `months` away from first's month (negative goes back)."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_bounds(day: date) -> tuple[date, date]:
    """First and last day of day's month."""
    start = month_start(day)
    return start, add_months(start, 1) - timedelta(days=1)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before [start, end]."""
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


# Named periods: the English names are the values (questions' defaults use them too); t(name) where one is shown.
PRESETS = (
    N_("This month"),
    N_("Last month"),
    N_("Last 30 days"),
    N_("Last 3 months"),
    N_("This year"),
    N_("Last 12 months"),
)


def preset(name: str, today: date) -> tuple[date, date]:
    """A named period ending today (or last month's bounds)."""
    if name == "This month":
        return month_start(today), today
    if name == "Last month":
        return month_bounds(add_months(month_start(today), -1))
    if name == "Last 30 days":
        return today - timedelta(days=29), today
    if name == "Last 3 months":
        return add_months(month_start(today), -2), today
    if name == "This year":
        return today.replace(month=1, day=1), today
    if name == "Last 12 months":
        return add_months(month_start(today), -11), today
    raise ValueError(f"unknown period {name!r}")
