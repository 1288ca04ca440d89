"""Asking an analyst question: the values checked against its parameters (the widget's limits enforced again here,
with a sentence), run read-only as the reader account for the signed-in shop, capped on the page only, cached
when the question allows it. The dashboard, analytics and shop overview read the figures they share with the
analyst page through figure(): the same file, the same statement, the same values."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import pandas as pd

import db
from db import cache, reader
from db.errors import InvalidInput
from duka.clock import TIMEZONE, today
from duka.members import Actor, require
from duka.periods import PRESETS, add_months, month_start, preset
from duka.question_files import (  # noqa: F401  (the library's names, for callers of this module)
    ASKERS,
    CHARTS,
    LIBRARY,
    ROW_CAP,
    TYPES,
    Library,
    Param,
    Question,
    bound_names,
    library,
    load,
    parse,
    question,
)
from duka.values import like_pattern
from i18n import number, t

DATE_DEFAULTS = {"today": lambda d: d, "month_start": month_start, "year_start": lambda d: d.replace(month=1, day=1)}
MONTH_DEFAULTS = {"this_month": month_start, "last_month": lambda d: add_months(month_start(d), -1)}
RANGE_DEFAULTS = {name.lower().replace(" ", "_"): name for name in PRESETS}
TEXT_LIMIT = 100  # characters of a text parameter
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
LONGEST_YEARS = 20  # a period longer than this is refused (month series are built by a recursive query)
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def default_value(param: Param, on: date | None = None) -> object:
    """The value a widget starts with: 'this_year', 'today', 'this_month', a number, or the literal default."""
    day = on or today()
    if param.type == "daterange":
        return preset(RANGE_DEFAULTS.get(param.default or "this_year", "This year"), day)
    if param.type == "date":
        return DATE_DEFAULTS.get(param.default or "today", lambda d: date.fromisoformat(param.default))(day)
    if param.type == "month":
        return MONTH_DEFAULTS.get(param.default or "this_month", lambda d: _month(param, param.default))(day)
    if param.type == "multichoice":
        return [] if param.default in (None, "all") else list(param.default)
    if param.type == "number":
        value = Decimal(str(param.default)) if param.default is not None else param.minimum
        return int(value) if param.whole else value
    if param.type == "choice" and param.default is None and param.options:
        return param.options[0]
    return param.default if param.default is not None else ""


# --- checking one value ---------------------------------------------------------------------------------------


def _label(param: Param) -> str:
    """The parameter's label as the reader reads it (the question file's words, translated)."""
    return t(param.label)


def _figure(value: Decimal) -> str:
    """A limit or step as written in the file, with the reader's separators: 1,000, 0.50."""
    return number(value, max(0, -value.as_tuple().exponent))


def _date(param: Param, value: object, end: str = "") -> date:
    if end == "start":
        label = t("{label} (start)", label=_label(param))
    elif end == "end":
        label = t("{label} (end)", label=_label(param))
    else:
        label = _label(param)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str) and value.strip().lower() in DATE_DEFAULTS:  # today, month_start, year_start
        value = DATE_DEFAULTS[value.strip().lower()](today())
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            words = ", ".join(DATE_DEFAULTS)
            raise InvalidInput(
                t(
                    "{label}: write the date as YYYY-MM-DD, such as 2026-03-15, or one of {words}.",
                    label=label,
                    words=words,
                )
            ) from None
    if not isinstance(value, date):
        raise InvalidInput(t("{label}: choose a date.", label=label))
    if not EARLIEST <= value <= LATEST:
        raise InvalidInput(
            t("{label}: choose a date between {first} and {last}.", label=label, first=EARLIEST.year, last=LATEST.year)
        )
    return value


def _month(param: Param, value: object) -> date:
    if isinstance(value, str) and value.strip().lower() in MONTH_DEFAULTS:  # this_month, last_month
        value = MONTH_DEFAULTS[value.strip().lower()](today())
    if isinstance(value, str):
        match = _MONTH.fullmatch(value.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise InvalidInput(
                t(
                    "{label}: write the month as YYYY-MM, such as 2026-03, or this_month or last_month.",
                    label=_label(param),
                )
            )
        value = date(int(match.group(1)), int(match.group(2)), 1)
    return month_start(_date(param, value))


def _period(param: Param, value: object) -> tuple[date, date]:
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in RANGE_DEFAULTS:
            return preset(RANGE_DEFAULTS[text.lower()], today())
        if ".." not in text:
            presets = ", ".join(RANGE_DEFAULTS)
            raise InvalidInput(
                t(
                    "{label}: write START..END, such as 2026-01-01..2026-03-31, or one of {presets}.",
                    label=_label(param),
                    presets=presets,
                )
            )
        value = tuple(text.split("..", 1))
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise InvalidInput(t("{label}: choose the first and the last day.", label=_label(param)))
    start, end = _date(param, value[0], "start"), _date(param, value[1], "end")
    if end < start:
        raise InvalidInput(t("{label}: the end is before the start.", label=_label(param)))
    if end.year - start.year > LONGEST_YEARS:
        raise InvalidInput(
            t("{label}: choose a period of at most {years} years.", label=_label(param), years=number(LONGEST_YEARS))
        )
    return start, end


def _number(param: Param, value: object) -> int | Decimal:
    limits = {"label": _label(param), "minimum": _figure(param.minimum), "maximum": _figure(param.maximum)}
    if param.whole:
        sentence = t("{label} must be a whole number from {minimum} to {maximum}.", **limits)
    else:
        sentence = t(
            "{label} must be a number in steps of {step} from {minimum} to {maximum}.",
            step=_figure(param.step),
            **limits,
        )
    if isinstance(value, bool) or value is None:
        raise InvalidInput(sentence)
    try:
        # a float is what Streamlit's number widget hands over; read through its shortest text, never its binary
        number = Decimal(str(value).strip().replace(",", "")) if isinstance(value, (str, float)) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(sentence) from None
    if not number.is_finite() or not param.minimum <= number <= param.maximum:
        raise InvalidInput(sentence)
    if (number - param.minimum) % param.step != 0:
        raise InvalidInput(sentence)
    return int(number) if param.whole else number


def _text(param: Param, value: object) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > TEXT_LIMIT:
        raise InvalidInput(t("{label}: at most {limit} characters.", label=_label(param), limit=number(TEXT_LIMIT)))
    if any(ord(c) < 32 for c in text):
        raise InvalidInput(t("{label}: type it on one line.", label=_label(param)))
    return like_pattern(text.lower()) if param.like else text


def _chosen(param: Param, value: object, offered: list[tuple[object, str]]) -> object:
    """A value among the offered ones: itself, or (typed on the command line) its text or its label; a text that
    is one choice's value and another's label is refused rather than guessed."""
    if value in [v for v, _ in offered]:
        return value
    text = str(value).strip()
    by_value = [v for v, _ in offered if str(v) == text]
    by_label = [v for v, label in offered if label == text]
    matches = list(dict.fromkeys(by_value + by_label))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise InvalidInput(
            t(
                "{label}: {text} names more than one choice; give its number instead.",
                label=_label(param),
                text=repr(text),
            )
        )
    if not offered:
        raise InvalidInput(
            t("{label}: {text} is not one of the choices (there are none yet).", label=_label(param), text=repr(text))
        )
    said = (lambda label: label) if param.source else t  # fixed choices are the file's words; a source's, the shop's
    shown = ", ".join(said(label) if str(v) == label else f"{said(label)} ({v})" for v, label in offered[:12])
    shown += " …" if len(offered) > 12 else ""
    raise InvalidInput(
        t("{label}: {text} is not one of the choices ({shown}).", label=_label(param), text=repr(text), shown=shown)
    )


# --- choices and binding --------------------------------------------------------------------------------------


def _options(shop_id: int, param: Param, bound: dict, via_reader: bool) -> list[tuple[object, str]]:
    """(value, label) pairs for a choice: its fixed options, or its source query run for the shop."""
    if not param.source:
        return [(o, str(o)) for o in param.options]
    params = {"shop_id": shop_id, "today": today()} | {n: bound[n] for p in param.depends for n in _names(p, bound)}
    if via_reader:
        # Cached with the shop's reads (a new category is a write to the shop and clears it), so a widget
        # change on the page does not open a connection to refill every choice.
        frame = cache.get_or_load(
            f"choices:{param.source}",
            params,
            lambda: reader.run(shop_id, param.source, params, timeout=5),
            lambda f: f,
            version=db.shop_version,
        )
    else:
        frame = db.figure(f"choices:{param.source}", param.source, **params)
    return list(zip(frame.iloc[:, 0], frame.iloc[:, 1].astype(str))) if len(frame.columns) >= 2 else []


def _names(depended: str, bound: dict) -> list[str]:
    return [n for n in (depended, f"{depended}_start", f"{depended}_end") if n in bound]


def choices(actor: Actor, param: Param, chosen: dict | None = None) -> list[tuple[object, str]]:
    """The choices of a parameter for the actor's shop; a dependent one uses the checked values before it
    (bind_earlier)."""
    return _options(actor.shop_id, param, chosen or {}, via_reader=True)


def _bind(shop_id: int, question: Question, values: dict, via_reader: bool) -> dict:
    bound: dict = {"shop_id": shop_id, "today": today()}  # the session's shop, the shops' today: never values
    for p in question.params:
        value = values.get(p.name)
        if value is None or (p.type != "text" and value == ""):
            value = default_value(p)
        if p.type == "daterange":
            bound[f"{p.name}_start"], bound[f"{p.name}_end"] = _period(p, value)
        elif p.type == "date":
            bound[p.name] = _date(p, value)
        elif p.type == "month":
            bound[p.name] = _month(p, value)
        elif p.type == "number":
            bound[p.name] = _number(p, value)
        elif p.type == "text":
            bound[p.name] = _text(p, value)
        elif p.type == "choice":
            offered = _options(shop_id, p, bound, via_reader)
            if not offered:
                raise InvalidInput(t("{label}: there is nothing to choose from yet.", label=_label(p)))
            bound[p.name] = offered[0][0] if value == "" else _chosen(p, value, offered)
        else:
            if isinstance(value, str) and value.strip().lower() == "all":
                value = []
            # a command line's list is split at commas: a choice whose label holds a comma is given by its number
            picked = [v for v in (value.split(",") if isinstance(value, str) else list(value or [])) if str(v).strip()]
            offered = _options(shop_id, p, bound, via_reader) if picked else []  # none picked: all, nothing to check
            chosen = [_chosen(p, v, offered) for v in picked]
            bound[p.name] = ",".join(str(v) for v in dict.fromkeys(chosen))  # '' means all: FIND_IN_SET in SQL
    return bound


def bind(question: Question, values: dict, actor: Actor) -> dict:
    """Named SQL parameters from widget (or command-line) values, each checked; InvalidInput says how to fix one."""
    return _bind(actor.shop_id, question, values, via_reader=True)


def bind_earlier(question: Question, param: Param, values: dict, actor: Actor) -> dict:
    """The checked values of the parameters before `param`: what a dependent choice's source query uses."""
    earlier = question.params[: question.params.index(param)]
    return _bind(actor.shop_id, replace(question, params=earlier), values, via_reader=True)


def cap(question: Question, bound: dict) -> int:
    """How many rows the page shows: the question's cap (a number or a parameter's value), else ROW_CAP."""
    if isinstance(question.cap, str):
        return int(bound[question.cap])
    return question.cap or ROW_CAP


# --- answers --------------------------------------------------------------------------------------------------


@dataclass
class Answer:
    frame: pd.DataFrame  # every row (the downloads, the command line), or the first ones the page asked for
    seconds: float
    sql: str
    asked_at: datetime  # when the database answered (earlier than now when it came from the cache)
    cached: bool
    shown: int
    more: bool = False  # the frame holds the first rows only, and the answer has more

    @property
    def capped(self) -> bool:
        """Whether the page shows fewer rows than the answer has."""
        return self.more or len(self.frame) > self.shown


def answer(
    shop_id: int,
    question: Question,
    values: dict,
    timeout: float = 5.0,
    fresh: bool = False,
    shown_only: bool = False,
) -> Answer:
    """A question's answer for one shop, read-only (the command line uses this; people go through ask). With
    shown_only, only the rows the page shows are read, and whether there are more (reader.run_first): a year of a
    wholesaler's expenses is a million rows, which the page would not show and the downloads read when asked."""
    bound = _bind(shop_id, question, values, via_reader=True)
    first = cap(question, bound) if shown_only else None
    started = time.perf_counter()
    name = f"answer:{question.key}" if first is None else f"answer-first:{question.key}"
    key = bound if first is None else {**bound, reader.FIRST_ROWS: first}
    ran = []

    def run() -> tuple[pd.DataFrame, bool, datetime]:
        ran.append(True)
        if first is None:
            return reader.run(shop_id, question.sql, bound, timeout=timeout), False, datetime.now(TIMEZONE)
        frame, more = reader.run_first(shop_id, question.first_sql, bound, first, timeout=timeout)
        return frame, more, datetime.now(TIMEZONE)

    if fresh:
        cache.forget(name, key)
    if question.cache:
        frame, more, asked_at = cache.get_or_load(
            name, key, run, lambda found: found, ttl=question.cache, version=db.shop_version
        )
    else:
        frame, more, asked_at = run()
    seconds = time.perf_counter() - started
    return Answer(frame.copy(), seconds, question.sql, asked_at, not ran, cap(question, bound), more)


def ask(
    actor: Actor,
    question: Question,
    values: dict,
    timeout: float = 5.0,
    fresh: bool = False,
    shown_only: bool = False,
) -> Answer:
    """Run a question read-only for the actor's shop (owners and analysts only); fresh skips a cached answer;
    shown_only reads only the rows the page shows, and whether there are more (see answer)."""
    require(actor, ASKERS, "run analyst questions")
    return answer(actor.shop_id, question, values, timeout, fresh, shown_only)


def figure(
    actor: Actor, key: str, doing: str, allowed: tuple[str, ...], first: int | None = None, **values
) -> pd.DataFrame:
    """A figure the app shares with the analyst page, for the actor's role: the question's own checked statement
    and values, run on the app's pool and cached per shop like the app's other reads. `first`: only the answer's
    first rows (the question's first_sql), so the server sorts for them only and sends no more."""
    require(actor, allowed, doing)
    shared = question(key)
    bound = _bind(actor.shop_id, shared, values, via_reader=False)
    if first is None:
        return db.figure(f"question:{key}", shared.sql, **bound)
    return db.figure(f"question:{key}:first", shared.first_sql, **bound, **{reader.FIRST_ROWS: int(first)})
