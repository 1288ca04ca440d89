"""The analyst's question files: one per question under sql/queries/, a TOML header each, each statement proven
to read only the signed-in shop by parsing it (duka/sqlcheck.py) before it may run.

Asking them (values checked, run read-only, cached) is duka/questions.py; this module reads and checks the files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from db import sqlfiles
from duka import sqlcheck
from duka.periods import PRESETS

LIBRARY = Path(__file__).resolve().parent.parent / "sql" / "queries"
ASKERS = ("owner", "analyst")
ROW_CAP = 1000  # rows shown on the page when a question declares no cap; the downloads carry every row
TYPES = {"date", "daterange", "month", "number", "text", "choice", "multichoice"}
CHARTS = {"table", "metric", "bar", "line", "pie"}
_PARAM = re.compile(r"%\(([a-z_][a-z0-9_]*)\)s")
_NAME = re.compile(r"[a-z][a-z0-9_]{0,40}")
# Filled by the runner, never by a widget: the signed-in shop, and today in the shops' time zone (duka/clock.py),
# so "up to today" in a question is the app's today, not the database server's CURDATE().
FILLED = ("shop_id", "today")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    label: str
    default: object = None
    options: tuple = ()
    source: str | None = None  # checked SQL that fills a choice: columns value, label
    depends: tuple[str, ...] = ()  # earlier parameters the source uses
    minimum: Decimal | None = None  # numbers: bounds and step, enforced by the widget and by the runner
    maximum: Decimal | None = None
    step: Decimal | None = None
    like: bool = False  # text bound as a LIKE pattern that matches it anywhere, taken literally

    @property
    def whole(self) -> bool:
        """A number parameter that takes whole numbers only (its step is a whole number)."""
        return self.step is not None and self.step == self.step.to_integral_value()


@dataclass(frozen=True)
class Question:
    key: str  # topic/name, from the path
    title: str
    description: str
    topic: str
    sql: str  # what runs: the statement as proven shop-safe
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    chart: dict = field(default_factory=dict)
    money: tuple[str, ...] = ()
    cap: int | str | None = None  # rows shown on the page: a number, or the name of a number parameter
    cache: int = 0  # seconds an answer may be reused for the same shop and values; 0: always asked afresh
    written: str = ""  # the statement as written in the file

    def param(self, name: str) -> Param:
        """The parameter of that name."""
        return next(p for p in self.params if p.name == name)


def _number(raw: dict, key: str) -> Decimal | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{raw['name']!r}: {key} must be a number")
    return Decimal(str(value))


def _typed(raw: dict, key: str, kind: type | tuple, what: str) -> None:
    if key in raw and not isinstance(raw[key], kind):
        raise ValueError(f"{what}: {key} must be {_KINDS.get(kind, 'something else')}")


_KINDS = {str: "text in quotes", list: "a list [ … ]", dict: "a table { … }", bool: "true or false"}
_DATE_WORDS = ("today", "month_start", "year_start")
_MONTH_WORDS = ("this_month", "last_month")
_RANGE_WORDS = tuple(name.lower().replace(" ", "_") for name in PRESETS)


def _check_default(param: Param) -> None:
    """A default the widget and the runner can use, checked when the file loads rather than on the page."""
    value, kind, name = param.default, param.type, repr(param.name)
    if value is None:
        return
    if kind == "date" and not (value in _DATE_WORDS or (isinstance(value, str) and _iso(value))):
        raise ValueError(f"{name}: the default must be {', '.join(_DATE_WORDS)} or a date in quotes, '2026-03-15'")
    if kind == "month" and not (value in _MONTH_WORDS or (isinstance(value, str) and _iso(f"{value}-01"))):
        raise ValueError(f"{name}: the default must be this_month, last_month or a month in quotes, '2026-03'")
    if kind == "daterange" and value not in _RANGE_WORDS:
        raise ValueError(f"{name}: the default must be one of {', '.join(_RANGE_WORDS)}")
    if kind == "number":
        number = Decimal(str(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        if number is None or not param.minimum <= number <= param.maximum or (number - param.minimum) % param.step:
            raise ValueError(f"{name}: the default must be a number from min to max in steps of step")
    if kind == "choice" and param.options and value not in param.options:
        raise ValueError(f"{name}: the default must be one of its options")
    if kind == "multichoice" and not (value == "all" or isinstance(value, list)):
        raise ValueError(f'{name}: the default must be "all" or a list')
    if kind == "text" and not isinstance(value, str):
        raise ValueError(f"{name}: the default must be text in quotes")


def _iso(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _param(raw: dict, earlier: list[Param]) -> Param:
    if not isinstance(raw, dict):
        raise ValueError("each parameter must be a [[params]] table")
    kind, name = raw.get("type"), raw.get("name")
    if kind not in TYPES or not isinstance(name, str) or not _NAME.fullmatch(name) or name in FILLED:
        raise ValueError(
            f"a parameter needs a lowercase name (not {' or '.join(FILLED)}) and a type among {sorted(TYPES)}"
        )
    for part, wanted in (("label", str), ("source", str), ("options", list), ("depends", list), ("like", bool)):
        _typed(raw, part, wanted, repr(name))
    if any(p.name == name for p in earlier):
        raise ValueError(f"two parameters are named {name!r}")
    depends = tuple(raw.get("depends", ()))
    if unknown := [d for d in depends if d not in {p.name for p in earlier}]:
        raise ValueError(f"{name!r} depends on {', '.join(unknown)}, which is not an earlier parameter")
    source = raw.get("source")
    if source:
        source = sqlcheck.check(source, f"the source of {name!r}")
        allowed = set(FILLED) | {n for p in earlier if p.name in depends for n in bound_names(p)}
        if unknown := set(_PARAM.findall(source)) - allowed:
            raise ValueError(f"the source of {name!r} uses {', '.join(sorted(unknown))}; list it in depends")
    if kind in ("choice", "multichoice") and not (raw.get("options") or source):
        raise ValueError(f"{name!r} needs options or a source query")
    param = Param(
        name,
        kind,
        raw.get("label", name.replace("_", " ").capitalize()),
        raw.get("default"),
        tuple(raw.get("options", ())),
        source,
        depends,
        _number(raw, "min"),
        _number(raw, "max"),
        _number(raw, "step"),
        bool(raw.get("like", False)),
    )
    if any(not isinstance(d, str) for d in depends):
        raise ValueError(f"{name!r}: depends lists parameter names in quotes")
    if kind == "number":
        if param.minimum is None or param.maximum is None or param.step is None:
            raise ValueError(f"the number {name!r} needs min, max and step (step 1: whole numbers)")
        if not (param.minimum <= param.maximum and param.step > 0):
            raise ValueError(f"the number {name!r} needs min <= max and a step above 0")
    _check_default(param)
    return param


def bound_names(param: Param) -> list[str]:
    """The SQL placeholders a parameter fills: a date range fills NAME_start and NAME_end."""
    return [f"{param.name}_start", f"{param.name}_end"] if param.type == "daterange" else [param.name]


def parse(text: str, key: str) -> Question:
    """One question file; ValueError naming the problem if it is not a safe, complete question."""
    block = sqlfiles.parse_block(key, text, f"{key}.sql")
    head = block.header
    if not head:
        raise ValueError("the file must start with a /* --- … --- */ header in TOML")
    for needed in ("title", "description", "topic", "columns"):
        if not head.get(needed):
            raise ValueError(f"the header lacks {needed!r}")
    for part, wanted in (("title", str), ("description", str), ("topic", str), ("columns", list), ("money", list)):
        _typed(head, part, wanted, "the header")
    _typed(head, "chart", dict, "the header")
    if not isinstance(head.get("params", []), list):
        raise ValueError("the header's parameters must be [[params]] tables")
    statement = sqlcheck.check(block.sql, "the query")
    params: list[Param] = []
    for raw in head.get("params", []):
        params.append(_param(raw, params))
    bound = set(FILLED) | {n for p in params for n in bound_names(p)}
    if unknown := set(_PARAM.findall(statement)) - bound:
        raise ValueError(f"the query uses {', '.join(sorted(unknown))}, which no parameter provides")
    chart = head.get("chart", {"type": "table"})
    if chart.get("type") not in CHARTS:
        raise ValueError(f"chart type must be one of {sorted(CHARTS)}")
    columns = set(head["columns"])
    for axis in ("x", "y", "value", "names", "values", "color"):
        named = chart.get(axis)
        if named is not None and not set(named if isinstance(named, list) else [named]) <= columns:
            raise ValueError(f"the chart's {axis} names a column the query does not return ({named!r})")
    cap = head.get("cap")
    numbers = {p.name for p in params if p.type == "number" and p.whole}
    if cap is not None and not (
        (isinstance(cap, int) and not isinstance(cap, bool) and cap > 0) or (isinstance(cap, str) and cap in numbers)
    ):
        raise ValueError("cap must be a number above 0 or the name of a whole-number parameter")
    cache = head.get("cache", 0)
    if isinstance(cache, bool) or not isinstance(cache, int) or not 0 <= cache <= 86400:
        raise ValueError("cache must be a number of seconds from 0 to 86400")
    return Question(
        key,
        head["title"],
        head["description"],
        head["topic"],
        statement,
        tuple(params),
        tuple(head["columns"]),
        chart,
        tuple(head.get("money", ())),
        cap,
        cache,
        block.sql,
    )


@dataclass
class Library:
    questions: dict[str, Question]
    refused: dict[str, str]  # file -> reason

    def by_topic(self) -> dict[str, list[Question]]:
        grouped: dict[str, list[Question]] = {}
        for q in sorted(self.questions.values(), key=lambda q: (q.topic, q.title)):
            grouped.setdefault(q.topic, []).append(q)
        return grouped


def load(folder: Path | None = None) -> Library:
    """Every question file under folder; a broken or unsafe one is refused with its reason, the rest still load."""
    folder = folder or LIBRARY
    questions, refused = {}, {}
    for path in sorted(folder.rglob("*.sql")):
        key = path.relative_to(folder).with_suffix("").as_posix()
        try:
            questions[key] = parse(path.read_text(encoding="utf-8"), key)
        except (ValueError, UnicodeDecodeError) as exc:
            refused[key] = str(exc)
        except Exception as exc:  # noqa: BLE001 (one odd file is refused; the others still load)
            refused[key] = f"the file could not be read as a question ({type(exc).__name__}: {exc})"
    return Library(questions, refused)


@lru_cache(maxsize=1)
def library() -> Library:
    """The question library, loaded once per process."""
    return load()


def question(key: str) -> Question:
    """One question of the library by its key (topic/name); KeyError naming it if there is none."""
    try:
        return library().questions[key]
    except KeyError:
        reason = library().refused.get(key)
        raise KeyError(f"no question {key!r}" + (f" (its file was refused: {reason})" if reason else "")) from None
