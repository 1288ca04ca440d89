"""Expenses in: read a CSV or Excel file, check every row, import the good rows (or none) in one transaction."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

import db
from db.errors import DaftariError, InvalidInput
from duka.expenses import PAYMENT_MODES, category_ids, check_expense, insert_category, insert_rows
from duka.members import CORRECT, RECORD, Actor, require
from duka.values import clean_text

FIELDS = ("spent_on", "amount", "category", "payment_mode", "cashback", "description")
REQUIRED = ("spent_on", "amount", "category")
MAX_ROWS = 100_000
MAX_BYTES = 20 * 1024 * 1024
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%Y/%m/%d")
# Bank files from some countries write 1.250,50: dots group thousands and a comma is the decimal point.
_DOT_THEN_COMMA = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]{1,2}$")  # 1.250,50: only that convention
_DECIMAL_COMMA = re.compile(r",[0-9]{1,2}$")  # 12,50 or 1.250,5
_DECIMAL_DOT = re.compile(r"\.[0-9]{1,2}$|,[0-9]{3}\.")  # 99.50, 1,250.500
_IN_COMMA_CONVENTION = re.compile(r"^(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]{1,2})?$")
_MODES = {m.lower(): m for m in PAYMENT_MODES} | {
    "mpesa": "M-Pesa",
    "m pesa": "M-Pesa",
    "card": "Debit Card",
    "bank": "Bank transfer",
    "transfer": "Bank transfer",
}
_GUESS = {
    "spent_on": ("date", "spent_on", "day", "spent on"),
    "amount": ("amount", "total", "value", "cost"),
    "category": ("category", "type"),
    "payment_mode": ("payment_mode", "payment mode", "mode", "method", "paid with", "payment"),
    "cashback": ("cashback", "cash back"),
    "description": ("description", "details", "note", "memo", "item"),
}


def read_table(name: str, data: bytes) -> pd.DataFrame:
    """Every cell as text, from a .csv (any common delimiter) or .xlsx file; a clear error otherwise."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"The file is larger than {MAX_BYTES // 1024 // 1024} MB; split it.")
    if not data.strip():
        raise InvalidInput("The file is empty.")
    lower = name.lower()
    try:
        if lower.endswith(".xlsx"):
            if not data.startswith(b"PK"):
                raise InvalidInput("This file is called .xlsx but is not an Excel workbook.")
            frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl", keep_default_na=False)
        elif lower.endswith((".csv", ".txt")):
            text = data.decode("utf-8-sig") if _is_utf8(data) else data.decode("cp1252")
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|") if "\n" in text else csv.excel
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                sep=dialect.delimiter,
                keep_default_na=False,
                skip_blank_lines=True,
                engine="python",
            )
        else:
            raise InvalidInput("Choose a .csv or .xlsx file.")
    except DaftariError:
        raise
    except Exception as exc:  # pandas and openpyxl raise many kinds for a broken file
        raise InvalidInput(f"The file could not be read as a table ({type(exc).__name__}).") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise InvalidInput("The file has a header but no rows.")
    if len(frame) > MAX_ROWS:
        raise InvalidInput(f"The file has {len(frame):,} rows; at most {MAX_ROWS:,} at once.")
    return frame


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def guess_mapping(columns: list[str]) -> dict[str, str | None]:
    """field -> column, from common header names (the person can change it)."""
    lowered = {c.lower().strip(): c for c in columns}
    return {f: next((lowered[n] for n in names if n in lowered), None) for f, names in _GUESS.items()}


def parse_date(text: str) -> date:
    """A date in one of the formats people type (2026-03-31, 31/03/2026, 31 Mar 2026…), or InvalidInput."""
    text = text.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", text):  # Excel dates read as text
        text = text[:10]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(f"date {text!r} is not a date (use 2026-03-31 or 31/03/2026)")


def writes_decimal_comma(cells: list[str]) -> bool:
    """Whether a file's money is written 1.250,50: some cell ends in a decimal comma and none in a decimal dot.

    A person might type 12,50 meaning 1,250, so a form refuses it; a file is written by a program, and one that
    never uses a decimal dot and ends amounts in ,50 uses the comma as its decimal point throughout."""
    cells = [c.strip() for c in cells]
    return any(_DECIMAL_COMMA.search(c) for c in cells) and not any(_DECIMAL_DOT.search(c) for c in cells)


def amount_text(text: str, decimal_comma: bool) -> str:
    """The cell as parse_amount reads it: 1.250,50 (always) and, in a file that writes a decimal comma,
    12,50 or 1.250 rewritten with a dot (1250.50, 12.50, 1250); anything else unchanged, for parse_amount."""
    text = text.strip()
    if _DOT_THEN_COMMA.match(text) or (decimal_comma and _IN_COMMA_CONVENTION.match(text)):
        return text.replace(".", "").replace(",", ".")
    return text


@dataclass
class Checked:
    """The outcome of checking a file: good rows, bad rows with reasons, duplicates, unknown categories."""

    good: list[dict] = field(
        default_factory=list
    )  # line, spent_on, amount, category, payment_mode, cashback, description
    bad: list[dict] = field(default_factory=list)  # line, reason
    duplicates: list[int] = field(default_factory=list)  # lines of good rows that look already recorded
    new_categories: list[str] = field(default_factory=list)


def check_rows(
    actor: Actor, frame: pd.DataFrame, mapping: dict[str, str | None], categories: dict[str, int]
) -> Checked:
    """Validate every row (line numbers count the header as line 1) and flag likely duplicates."""
    missing = [f for f in REQUIRED if not mapping.get(f)]
    if missing:
        raise InvalidInput(f"Choose a column for: {', '.join(missing)}.")
    known = {name.lower(): name for name in categories}
    money_columns = [mapping[f] for f in ("amount", "cashback") if mapping.get(f)]
    decimal_comma = writes_decimal_comma([str(c) for col in money_columns for c in frame[col].tolist()])
    result, unknown = Checked(), {}
    for offset, cells in enumerate(frame.to_dict("records")):
        line = offset + 2
        value = {f: str(cells.get(mapping[f], "") if mapping.get(f) else "").strip() for f in FIELDS}
        if not any(value.values()):
            continue
        try:
            category = clean_text(value["category"], "category", 60)
            mode = _MODES.get(value["payment_mode"].lower()) if value["payment_mode"] else "Cash"
            if mode is None:
                raise InvalidInput(f"payment mode {value['payment_mode']!r} is not one of {', '.join(PAYMENT_MODES)}")
            expense = check_expense(
                0,
                parse_date(value["spent_on"]),
                amount_text(value["amount"], decimal_comma),
                mode,
                amount_text(value["cashback"], decimal_comma),
                value["description"],
            )
        except InvalidInput as problem:
            result.bad.append({"line": line, "reason": str(problem)})
            continue
        name = known.get(category.lower())
        if name is None:
            name = unknown.setdefault(category.lower(), category)
        result.good.append(
            {
                "line": line,
                "spent_on": expense.spent_on,
                "amount": expense.amount,
                "category": name,
                "payment_mode": expense.payment_mode,
                "cashback": expense.cashback,
                "description": expense.description,
            }
        )
    result.new_categories = sorted(unknown.values())
    result.duplicates = _duplicates(actor, result.good)
    return result


def _duplicates(actor: Actor, good: list[dict]) -> list[int]:
    """Lines that match an existing expense by date, amount and description, one existing expense per line.

    Two equal bus fares in one file both import the first time; importing the file again matches each
    line to one of them, so nothing is created twice.
    """
    if not good:
        return []
    days = [r["spent_on"] for r in good]
    existing = Counter(
        (r["spent_on"], r["amount"], r["description"].strip().lower())
        for r in db.rows("expense_keys_between", shop_id=actor.shop_id, start=min(days), end=max(days))
    )
    lines = []
    for r in good:
        key = (r["spent_on"], r["amount"], r["description"].lower())
        if existing[key] > 0:
            existing[key] -= 1
            lines.append(r["line"])
    return lines


@db.transactional
def import_rows(
    tx: db.Tx,
    actor: Actor,
    checked: Checked,
    create_categories: bool = True,
    skip_duplicates: bool = True,
    all_or_nothing: bool = False,
    progress=None,
) -> dict:
    """Insert the good rows in one transaction; with all_or_nothing, any bad row stops the whole import."""
    require(actor, RECORD, "import expenses", tx)
    if all_or_nothing and checked.bad:
        raise InvalidInput(f"{len(checked.bad)} row(s) have problems, so nothing was imported.")
    categories = category_ids(tx, actor)
    for name in checked.new_categories:
        if name.lower() in categories:
            continue
        if not create_categories:
            raise InvalidInput(f"Category {name!r} does not exist: allow new categories or fix the file.")
        require(actor, CORRECT, "create categories", tx)
        categories[name.lower()] = insert_category(tx, actor, name, "Created by an import", None)
    skip = set(checked.duplicates) if skip_duplicates else set()
    rows = [
        {
            "shop_id": actor.shop_id,
            "category_id": categories[r["category"].lower()],
            "spent_on": r["spent_on"],
            "amount": r["amount"],
            "payment_mode": r["payment_mode"],
            "cashback": r["cashback"],
            "description": r["description"],
            "user_id": actor.user_id,
        }
        for r in checked.good
        if r["line"] not in skip
    ]
    batch = 1000
    for start in range(0, len(rows), batch):
        insert_rows(tx, rows[start : start + batch])
        if progress:
            progress(min(start + batch, len(rows)) / max(len(rows), 1))
    return {"imported": len(rows), "skipped_duplicates": len(skip), "bad": len(checked.bad)}
