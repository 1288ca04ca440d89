"""The analyst's question library: one SQL file per question under sql/queries/, a TOML header each,
run read-only, time-limited and always scoped to the signed-in shop."""

from __future__ import annotations

import re
import time
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from db import cache, reader
from db.errors import InvalidInput
from duka.clock import today
from duka.members import Actor, require
from duka.periods import PRESETS, month_start, preset

LIBRARY = Path(__file__).resolve().parent.parent / "sql" / "queries"
ASKERS = ("owner", "analyst")
ROW_CAP = 1000  # rows shown on the page; the downloads carry every row
TYPES = {"date", "daterange", "number", "text", "choice", "multichoice"}
CHARTS = {"table", "metric", "bar", "line", "pie"}
_HEADER = re.compile(r"^\s*/\*\s*---\s*\n(.*?)\n\s*---\s*\*/\s*(.*)$", re.S)
_PARAM = re.compile(r"%\(([a-z_][a-z0-9_]*)\)s")
# Whole words that a read-only question never needs; checked outside quoted strings and comments.
_WRITES = re.compile(
    r"\b(INSERT|UPDATE|DELETE|REPLACE|MERGE|CREATE|DROP|ALTER|TRUNCATE|RENAME|GRANT|REVOKE|LOCK|"
    r"UNLOCK|CALL|DO|HANDLER|LOAD|SET|OUTFILE|DUMPFILE|SHUTDOWN|KILL|FLUSH|PREPARE|EXECUTE)\b",
    re.I,
)
_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|--[^\n]*|#[^\n]*|/\*.*?\*/", re.S)
DATE_DEFAULTS = {"today": lambda d: d, "month_start": month_start, "year_start": lambda d: d.replace(month=1, day=1)}
RANGE_DEFAULTS = {name.lower().replace(" ", "_"): name for name in PRESETS}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    label: str
    default: object = None
    options: tuple = ()
    source: str | None = None  # SQL that fills a choice: columns value, label


@dataclass(frozen=True)
class Question:
    key: str  # topic/name, from the path
    title: str
    description: str
    topic: str
    sql: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    chart: dict = field(default_factory=dict)
    money: tuple[str, ...] = ()


def _check_read_only(sql: str, what: str) -> None:
    bare = _STRINGS.sub(" ", sql).strip().rstrip(";").strip()
    if ";" in bare:
        raise ValueError(f"{what} has more than one statement")
    if not re.match(r"^(SELECT|WITH)\b", bare, re.I):
        raise ValueError(f"{what} must be a SELECT (or WITH … SELECT)")
    if m := _WRITES.search(bare):
        raise ValueError(f"{what} uses {m.group(1).upper()}, which a read-only question may not")
    if re.search(r"\bFOR\s+UPDATE\b|\bLOCK\s+IN\s+SHARE\s+MODE\b", bare, re.I):
        raise ValueError(f"{what} takes locks")
    if "%(shop_id)s" not in sql:
        raise ValueError(f"{what} does not use %(shop_id)s, so it could read other shops' rows")


def parse(text: str, key: str) -> Question:
    """One question file; ValueError naming the problem if it is not a safe, complete question."""
    match = _HEADER.match(text)
    if not match:
        raise ValueError("the file must start with a /* --- … --- */ header in TOML")
    try:
        head = tomllib.loads(match.group(1))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"the header is not valid TOML ({exc})") from None
    sql = match.group(2).strip().rstrip(";").strip()
    for needed in ("title", "description", "topic", "columns"):
        if not head.get(needed):
            raise ValueError(f"the header lacks {needed!r}")
    _check_read_only(sql, "the query")
    params = []
    for raw in head.get("params", []):
        kind = raw.get("type")
        if kind not in TYPES or not raw.get("name"):
            raise ValueError(f"a parameter needs a name and a type among {sorted(TYPES)}")
        if raw.get("source"):
            _check_read_only(raw["source"], f"the source of {raw['name']!r}")
        if kind in ("choice", "multichoice") and not (raw.get("options") or raw.get("source")):
            raise ValueError(f"{raw['name']!r} needs options or a source query")
        params.append(
            Param(
                raw["name"],
                kind,
                raw.get("label", raw["name"].replace("_", " ").capitalize()),
                raw.get("default"),
                tuple(raw.get("options", ())),
                raw.get("source"),
            )
        )
    bound = {"shop_id"} | {n for p in params for n in _bound_names(p)}
    if unknown := set(_PARAM.findall(sql)) - bound:
        raise ValueError(f"the query uses {', '.join(sorted(unknown))}, which no parameter provides")
    chart = head.get("chart", {"type": "table"})
    if chart.get("type") not in CHARTS:
        raise ValueError(f"chart type must be one of {sorted(CHARTS)}")
    return Question(
        key,
        head["title"],
        head["description"],
        head["topic"],
        sql,
        tuple(params),
        tuple(head["columns"]),
        chart,
        tuple(head.get("money", ())),
    )


def _bound_names(param: Param) -> list[str]:
    return [f"{param.name}_start", f"{param.name}_end"] if param.type == "daterange" else [param.name]


@dataclass
class Library:
    questions: dict[str, Question]
    refused: dict[str, str]  # file -> reason

    def by_topic(self) -> dict[str, list[Question]]:
        grouped: dict[str, list[Question]] = {}
        for q in sorted(self.questions.values(), key=lambda q: (q.topic, q.title)):
            grouped.setdefault(q.topic, []).append(q)
        return grouped


def load(folder: Path = LIBRARY) -> Library:
    """Every question file under folder; a broken one is refused with its reason and the rest still load."""
    questions, refused = {}, {}
    for path in sorted(folder.rglob("*.sql")):
        key = path.relative_to(folder).with_suffix("").as_posix()
        try:
            questions[key] = parse(path.read_text(encoding="utf-8"), key)
        except (ValueError, UnicodeDecodeError) as exc:
            refused[key] = str(exc)
    return Library(questions, refused)


@lru_cache(maxsize=1)
def library() -> Library:
    """The question library, loaded once per process."""
    return load()


# --- parameters -----------------------------------------------------------------------------------


def default_value(param: Param, on: date | None = None) -> object:
    """The value a widget starts with: 'this_year', 'last_30_days', 'today', 'all', or the literal default."""
    day = on or today()
    if param.type == "daterange":
        return preset(RANGE_DEFAULTS.get(param.default or "this_year", "This year"), day)
    if param.type == "date":
        return DATE_DEFAULTS.get(param.default or "today", lambda d: date.fromisoformat(param.default))(day)
    if param.type == "multichoice":
        return [] if param.default in (None, "all") else list(param.default)
    if param.type == "number":
        return param.default if param.default is not None else 0
    if param.type == "choice" and param.default is None and param.options:
        return param.options[0]
    return param.default if param.default is not None else ""


def choices(actor: Actor, param: Param) -> list[tuple[object, str]]:
    """(value, label) pairs for a choice: its fixed options, or its source query run for the shop."""
    if not param.source:
        return [(o, str(o)) for o in param.options]
    params = {"shop_id": actor.shop_id}
    # Cached with the shop's reads (a new category is a write to the shop and clears it), so a widget
    # change on the page does not open a connection to refill every choice.
    frame = cache.get_or_load(
        f"choices:{param.source}",
        params,
        lambda: reader.run(actor.shop_id, param.source, params, timeout=5),
        lambda f: f,
    )
    return list(zip(frame.iloc[:, 0], frame.iloc[:, 1].astype(str)))


def bind(question: Question, values: dict, actor: Actor) -> dict:
    """Named SQL parameters from widget values; the shop is always the session's, never a value."""
    bound = {"shop_id": actor.shop_id}
    for p in question.params:
        value = values.get(p.name, default_value(p))
        if p.type == "daterange":
            start, end = value
            if end < start:
                raise InvalidInput(f"{p.label}: the end is before the start.")
            bound[f"{p.name}_start"], bound[f"{p.name}_end"] = start, end
        elif p.type == "multichoice":
            bound[p.name] = ",".join(str(v) for v in value)  # '' means all; the SQL uses FIND_IN_SET
        else:
            bound[p.name] = value
    return bound


@dataclass
class Answer:
    frame: pd.DataFrame
    seconds: float
    sql: str


def ask(actor: Actor, question: Question, values: dict, timeout: float = 5.0) -> Answer:
    """Run a question read-only for the actor's shop (owners and analysts only)."""
    require(actor, ASKERS, "run analyst questions")
    params = bind(question, values, actor)
    started = time.perf_counter()
    frame = reader.run(actor.shop_id, question.sql, params, timeout=timeout)
    return Answer(frame, time.perf_counter() - started, question.sql)
