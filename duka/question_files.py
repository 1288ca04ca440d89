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

import i18n
from db import sqlfiles
from duka import sqlcheck
from duka.periods import PRESETS
from duka.sqlcheck import Refused, Said
from i18n import N_

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
    first_sql: str = ""  # sql reading only its first %(_first_rows)s rows (sqlcheck.first_rows): what the page runs

    def param(self, name: str) -> Param:
        """The parameter of that name."""
        return next(p for p in self.params if p.name == name)


def _number(raw: dict, key: str) -> Decimal | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Refused(N_("{name}: {key} must be a number"), name=repr(raw["name"]), key=key)
    return Decimal(str(value))


def _typed(raw: dict, key: str, kind: type | tuple, what: str | Said) -> None:
    if key in raw and not isinstance(raw[key], kind):
        wanted = Said(_KINDS.get(kind, N_("something else")))
        raise Refused(N_("{what}: {key} must be {kind}"), what=what, key=key, kind=wanted)


_KINDS = {str: N_("text in quotes"), list: N_("a list [ … ]"), dict: N_("a table { … }"), bool: N_("true or false")}
THE_HEADER = Said(N_("the header"))
_DATE_WORDS = ("today", "month_start", "year_start")
_MONTH_WORDS = ("this_month", "last_month")
_RANGE_WORDS = tuple(name.lower().replace(" ", "_") for name in PRESETS)


def _check_default(param: Param) -> None:
    """A default the widget and the runner can use, checked when the file loads rather than on the page."""
    value, kind, name = param.default, param.type, repr(param.name)
    if value is None:
        return
    if kind == "date" and not (value in _DATE_WORDS or (isinstance(value, str) and _iso(value))):
        raise Refused(
            N_("{name}: the default must be {words} or a date in quotes, '2026-03-15'"),
            name=name,
            words=", ".join(_DATE_WORDS),
        )
    if kind == "month" and not (value in _MONTH_WORDS or (isinstance(value, str) and _iso(f"{value}-01"))):
        raise Refused(
            N_("{name}: the default must be this_month, last_month or a month in quotes, '2026-03'"), name=name
        )
    if kind == "daterange" and value not in _RANGE_WORDS:
        raise Refused(N_("{name}: the default must be one of {words}"), name=name, words=", ".join(_RANGE_WORDS))
    if kind == "number":
        number = Decimal(str(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        if number is None or not param.minimum <= number <= param.maximum or (number - param.minimum) % param.step:
            raise Refused(N_("{name}: the default must be a number from min to max in steps of step"), name=name)
    if kind == "choice" and param.options and value not in param.options:
        raise Refused(N_("{name}: the default must be one of its options"), name=name)
    if kind == "multichoice" and not (value == "all" or isinstance(value, list)):
        raise Refused(N_('{name}: the default must be "all" or a list'), name=name)
    if kind == "text" and not isinstance(value, str):
        raise Refused(N_("{name}: the default must be text in quotes"), name=name)


def _iso(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _param(raw: dict, earlier: list[Param]) -> Param:
    if not isinstance(raw, dict):
        raise Refused(N_("each parameter must be a [[params]] table"))
    kind, name = raw.get("type"), raw.get("name")
    if kind not in TYPES or not isinstance(name, str) or not _NAME.fullmatch(name) or name in FILLED:
        raise Refused(
            N_("a parameter needs a lowercase name (not {filled}) and a type among {types}"),
            filled=" or ".join(FILLED),
            types=sorted(TYPES),
        )
    for part, wanted in (("label", str), ("source", str), ("options", list), ("depends", list), ("like", bool)):
        _typed(raw, part, wanted, repr(name))
    if any(p.name == name for p in earlier):
        raise Refused(N_("two parameters are named {name}"), name=repr(name))
    depends = tuple(raw.get("depends", ()))
    if unknown := [d for d in depends if d not in {p.name for p in earlier}]:
        raise Refused(
            N_("{name} depends on {unknown}, which is not an earlier parameter"),
            name=repr(name),
            unknown=", ".join(unknown),
        )
    source = raw.get("source")
    if source:
        source = sqlcheck.check(source, Said(N_("the source of {name}"), name=repr(name)))
        allowed = set(FILLED) | {n for p in earlier if p.name in depends for n in bound_names(p)}
        if unknown := set(_PARAM.findall(source)) - allowed:
            raise Refused(
                N_("the source of {name} uses {unknown}; list it in depends"),
                name=repr(name),
                unknown=", ".join(sorted(unknown)),
            )
    if kind in ("choice", "multichoice") and not (raw.get("options") or source):
        raise Refused(N_("{name} needs options or a source query"), name=repr(name))
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
        raise Refused(N_("{name}: depends lists parameter names in quotes"), name=repr(name))
    if kind == "number":
        if param.minimum is None or param.maximum is None or param.step is None:
            raise Refused(N_("the number {name} needs min, max and step (step 1: whole numbers)"), name=repr(name))
        if not (param.minimum <= param.maximum and param.step > 0):
            raise Refused(N_("the number {name} needs min <= max and a step above 0"), name=repr(name))
    _check_default(param)
    return param


def bound_names(param: Param) -> list[str]:
    """The SQL placeholders a parameter fills: a date range fills NAME_start and NAME_end."""
    return [f"{param.name}_start", f"{param.name}_end"] if param.type == "daterange" else [param.name]


def parse(text: str, key: str) -> Question:
    """One question file; ValueError naming the problem if it is not a safe, complete question."""
    try:
        block = sqlfiles.parse_block(key, text, f"{key}.sql")
    except sqlfiles.HeaderError as exc:
        raise Refused(N_("the header is not valid TOML ({problem})"), problem=exc.problem) from None
    head = block.header
    if not head:
        raise Refused(N_("the file must start with a /* --- … --- */ header in TOML"))
    for needed in ("title", "description", "topic", "columns"):
        if not head.get(needed):
            raise Refused(N_("the header lacks {part}"), part=repr(needed))
    for part, wanted in (("title", str), ("description", str), ("topic", str), ("columns", list), ("money", list)):
        _typed(head, part, wanted, THE_HEADER)
    _typed(head, "chart", dict, THE_HEADER)
    if not isinstance(head.get("params", []), list):
        raise Refused(N_("the header's parameters must be [[params]] tables"))
    statement = sqlcheck.check(block.sql, sqlcheck.THE_QUERY)
    first_sql = sqlcheck.first_rows(statement, sqlcheck.THE_QUERY)
    params: list[Param] = []
    for raw in head.get("params", []):
        params.append(_param(raw, params))
    bound = set(FILLED) | {n for p in params for n in bound_names(p)}
    if unknown := set(_PARAM.findall(statement)) - bound:
        raise Refused(N_("the query uses {unknown}, which no parameter provides"), unknown=", ".join(sorted(unknown)))
    chart = head.get("chart", {"type": "table"})
    if chart.get("type") not in CHARTS:
        raise Refused(N_("chart type must be one of {types}"), types=sorted(CHARTS))
    columns = set(head["columns"])
    for axis in ("x", "y", "value", "names", "values", "color"):
        named = chart.get(axis)
        if named is not None and not set(named if isinstance(named, list) else [named]) <= columns:
            raise Refused(
                N_("the chart's {axis} names a column the query does not return ({named})"),
                axis=axis,
                named=repr(named),
            )
    cap = head.get("cap")
    numbers = {p.name for p in params if p.type == "number" and p.whole}
    if cap is not None and not (
        (isinstance(cap, int) and not isinstance(cap, bool) and cap > 0) or (isinstance(cap, str) and cap in numbers)
    ):
        raise Refused(N_("cap must be a number above 0 or the name of a whole-number parameter"))
    cache = head.get("cache", 0)
    if isinstance(cache, bool) or not isinstance(cache, int) or not 0 <= cache <= 86400:
        raise Refused(N_("cache must be a number of seconds from 0 to 86400"))
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
        first_sql,
    )


@dataclass
class Library:
    questions: dict[str, Question]
    refused: dict[str, str]  # file -> reason, in English (the command line's)
    said: dict[str, object] = field(default_factory=dict)  # file -> reason, said in the reader's language (str())

    def reason(self, key: str) -> str:
        """Why a file was refused, in the language of the person reading it."""
        return str(self.said.get(key, self.refused[key]))

    def by_topic(self) -> dict[str, list[Question]]:
        grouped: dict[str, list[Question]] = {}
        for q in sorted(self.questions.values(), key=lambda q: (q.topic, q.title)):
            grouped.setdefault(q.topic, []).append(q)
        return grouped


def load(folder: Path | None = None) -> Library:
    """Every question file under folder; a broken or unsafe one is refused with its reason, the rest still load."""
    folder = folder or LIBRARY
    questions, said = {}, {}
    for path in sorted(folder.rglob("*.sql")):
        key = path.relative_to(folder).with_suffix("").as_posix()
        try:
            questions[key] = parse(path.read_text(encoding="utf-8"), key)
        except (ValueError, UnicodeDecodeError) as exc:
            said[key] = exc  # a Refused is said in the language of whoever reads it
        except Exception as exc:  # noqa: BLE001 (one odd file is refused; the others still load)
            error = f"{type(exc).__name__}: {exc}"
            said[key] = Said(N_("the file could not be read as a question ({error})"), error=error)
    with i18n.using("en"):  # the library is loaded once per process, whoever asked first
        refused = {key: str(reason) for key, reason in said.items()}
    return Library(questions, refused, said)


def heading_words(column: str) -> str:
    """A column's name as words, the message a table's header or a chart's axis says it with: 'monthly budget'."""
    return column.replace("_", " ")


def messages(folder: Path | None = None) -> list[tuple[str, str, int, str]]:
    """What a person reads of each question file's header, to translate: (message, file, line, what it is) for
    its title, description, topic, the labels and fixed choices of its parameters and its columns' words.
    The headers are only read here (./daftari translations), not checked: a refused file still has its words."""
    folder = folder or LIBRARY
    found = []
    for path in sorted(folder.rglob("*.sql")):
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            head = sqlfiles.parse_block(path.stem, text, path.name).header
        except ValueError:
            continue
        where = path.relative_to(LIBRARY.parent.parent).as_posix() if path.is_relative_to(LIBRARY) else str(path)
        for message, what in _header_messages(head):
            at = text.find(message.replace('"', '\\"'))  # the line it is written on, as TOML escapes it
            found.append((message, where, text.count("\n", 0, at) + 1 if at >= 0 else 1, what))
    return found


def _header_messages(head: dict) -> list[tuple[str, str]]:
    said = [(head.get(part), f"a question's {part}") for part in ("title", "description", "topic")]
    params = head.get("params") if isinstance(head.get("params"), list) else []
    for raw in (p for p in params if isinstance(p, dict)):
        name = raw.get("name") if isinstance(raw.get("name"), str) else ""
        said.append((raw.get("label") or name.replace("_", " ").capitalize(), "a question's parameter"))
        options = raw.get("options") if isinstance(raw.get("options"), list) else []
        said += [(option, "a choice of a question's parameter") for option in options]
    columns = head.get("columns") if isinstance(head.get("columns"), list) else []
    said += [(heading_words(c), "a column of a question's answer") for c in columns if isinstance(c, str)]
    return [(message, what) for message, what in said if isinstance(message, str) and message.strip()]


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
