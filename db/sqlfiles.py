"""Named SQL, one parser for every file: `-- name:` blocks in sql/*.sql, and the analysts' question files under
sql/queries/ (one block each, named by its path). A block may open with a TOML header in `/* --- … --- */`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
_NAME = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.M)
_HEADER = re.compile(r"^\s*/\*\s*---\s*\n(.*?)\n\s*---\s*\*/", re.S)


class HeaderError(ValueError):
    """A block's header that is not TOML; `problem` is tomllib's account of where."""

    def __init__(self, problem: str):
        super().__init__(f"the header is not valid TOML ({problem})")
        self.problem = problem


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    sql: str
    file: str
    header: dict = field(default_factory=dict)  # the block's TOML header; {} when it has none


def parse_block(name: str, text: str, file: str = "<string>") -> NamedQuery:
    """One block: an optional TOML header, then an optional `-- description` line, then the statement."""
    header: dict = {}
    if match := _HEADER.match(text):
        try:
            header = tomllib.loads(match.group(1))
        except tomllib.TOMLDecodeError as exc:
            raise HeaderError(str(exc)) from None
        text = text[match.end() :]
    lines = text.strip().splitlines()
    description = str(header.get("description", ""))
    if not header and lines and lines[0].startswith("--"):
        description = lines.pop(0).lstrip("- ").strip()
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("--")):
        lines.pop()  # a comment after the statement (a section heading) belongs to no query
    statement = "\n".join(lines).strip().rstrip(";").strip()
    return NamedQuery(name, description, statement, file, header)


def parse(text: str, file: str = "<string>") -> dict[str, NamedQuery]:
    """Split a file into its named queries."""
    found: dict[str, NamedQuery] = {}
    marks = list(_NAME.finditer(text))
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        if mark.group(1) in found:
            raise ValueError(f"{file}: query {mark.group(1)!r} is defined twice")
        found[mark.group(1)] = parse_block(mark.group(1), text[mark.end() : end], file)
    return found


@lru_cache(maxsize=1)
def queries() -> dict[str, NamedQuery]:
    """Every named query of the app (sql/*.sql; migrations and question files are apart)."""
    merged: dict[str, NamedQuery] = {}
    for path in sorted(SQL_DIR.glob("*.sql")):
        for name, q in parse(path.read_text(encoding="utf-8"), path.name).items():
            if name in merged:
                raise ValueError(f"query {name!r} is in both {merged[name].file} and {path.name}")
            merged[name] = q
    return merged


def sql(name: str) -> str:
    """The text of a named query; KeyError naming it if no sql/*.sql file defines it."""
    try:
        return queries()[name].sql
    except KeyError:
        raise KeyError(f"no query named {name!r} in sql/*.sql") from None
