"""./daftari ask: the analyst's questions from the command line, for scripts and scheduled jobs, through the same
read-only path as the page (the reader account, a read-only transaction, a time limit; every value checked).

    ./daftari ask --list
    ./daftari ask debts/debt_ageing --shop 1 --param on_day=2026-03-15 --format json
"""

from __future__ import annotations

# `db` first, before anything imports hashlib (pandas does): the connector's C extension carries its own
# OpenSSL, which cannot load once the system's libcrypto is in the process (the reader needs the extension).
import db  # isort: skip

import argparse
import csv
import io
import json
import sys
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from db import startup
from db.errors import DaftariError, InvalidInput
from duka import questions
from duka.exports import cell
from i18n import t

CENT = Decimal("0.01")


def _listing() -> str:
    lines = []
    for topic, group in questions.library().by_topic().items():
        lines.append(f"{topic}:")
        for q in group:
            lines.append(f"  {q.key:<40} {q.title}")
            for p in q.params:
                default = questions.default_value(p)
                limits = f" {p.minimum}..{p.maximum} step {p.step}" if p.type == "number" else ""
                lines.append(f"      --param {p.name}=…  ({p.type}{limits}; default {_text(default)})")
    return "\n".join(lines)


def _text(value: object) -> str:
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, date) for v in value):
        return f"{value[0]}..{value[1]}"
    if isinstance(value, (tuple, list)):
        return ",".join(str(v) for v in value) or "all"
    return str(value) if value != "" else "''"


def check_names(question: questions.Question, names: list[str]) -> None:
    """InvalidInput naming the first of `names` the question has no parameter for (here and in the API)."""
    known = [p.name for p in question.params]
    if (unknown := [n for n in names if n not in known]) and not known:
        raise InvalidInput(
            t("{key} has no parameter {name} (its parameters: none).", key=question.key, name=repr(unknown[0]))
        )
    if unknown:
        listed = ", ".join(known)
        raise InvalidInput(
            t(
                "{key} has no parameter {name} (its parameters: {listed}).",
                key=question.key,
                name=repr(unknown[0]),
                listed=listed,
            )
        )


def _values(question: questions.Question, pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise DaftariError(f"write each parameter as NAME=VALUE (got {pair!r}).")
        check_names(question, [name.strip()])
        values[name.strip()] = value
    return values


def _json_value(value: object, money: bool) -> object:
    if value is None or (isinstance(value, float) and value != value):  # NULL, or NaN from pandas
        return None
    if isinstance(value, Decimal):
        return f"{value.quantize(CENT, ROUND_HALF_UP):f}" if money else f"{value:f}"  # money: two decimals
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "item"):  # a numpy integer from pandas
        return value.item()
    return value


def json_rows(answer: questions.Answer, question: questions.Question) -> list[dict]:
    """The answer's rows as JSON values: money as strings with two decimals, other decimals as written, dates
    ISO, NULL as null (the command line's JSON and the API's)."""
    frame = answer.frame
    return [
        {c: _json_value(v, c in question.money) for c, v in zip(frame.columns, row)}
        for row in frame.itertuples(index=False, name=None)
    ]


def render(answer: questions.Answer, question: questions.Question, shop_id: int, fmt: str) -> str:
    """The answer as a table, CSV or JSON (money as strings with two decimals; never a float)."""
    frame = answer.frame
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(frame.columns)
        writer.writerows([cell(v) for v in row] for row in frame.itertuples(index=False, name=None))
        return out.getvalue()
    if fmt == "json":
        document = {
            "question": question.key,
            "title": question.title,
            "shop_id": shop_id,
            "asked_at": answer.asked_at.isoformat(timespec="seconds"),
            "columns": list(frame.columns),
            "rows": json_rows(answer, question),
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if frame.empty:
        return "(no rows)\n"
    return frame.map(lambda v: "—" if v is None else cell(v)).to_string(index=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status says whether it worked (2: the command line itself was wrong)."""
    parser = argparse.ArgumentParser(prog="./daftari ask", description="Ask one of the analyst questions.")
    parser.add_argument("question", nargs="?", help="the question's key, such as debts/debt_ageing (see --list)")
    parser.add_argument("--list", action="store_true", help="list the questions and their parameters")
    parser.add_argument("--shop", type=int, help="the shop's number (its id)")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter's value")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    args = parser.parse_args(argv)
    if args.list:
        print(_listing())
        for key, reason in questions.library().refused.items():
            print(f"refused: {key}: {reason}", file=sys.stderr)
        return 0
    if not args.question or args.shop is None:
        parser.error("give a question and --shop ID (or --list)")
    try:
        question = questions.question(args.question)
        values = _values(question, args.param)
        startup.ensure_schema()
        if args.shop <= 0 or not db.rows("shop_exists", shop_id=args.shop):
            raise DaftariError(f"There is no shop number {args.shop}.")
        found = questions.answer(args.shop, question, values)
    except KeyError as exc:
        print(f"error: {exc.args[0]}; ./daftari ask --list shows them all.", file=sys.stderr)
        return 1
    except DaftariError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a script reads one line, never a traceback
        print(f"error: the question could not be answered ({type(exc).__name__}: {exc}).", file=sys.stderr)
        return 1
    if isinstance(question.cap, str):  # top N with N chosen by the caller: N rows (a fixed cap is the page's only)
        found.frame = found.frame.head(found.shown)
    sys.stdout.write(render(found, question, args.shop, args.format))
    return 0


if __name__ == "__main__":
    sys.exit(main())
