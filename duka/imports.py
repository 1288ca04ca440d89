"""Expenses in: read a CSV or Excel file, check every row, import the good rows (or none) in one transaction."""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import pandas as pd

import db
from db.errors import InvalidInput
from duka.expenses import PAYMENT_MODES, check_expense, insert_category, insert_rows
from duka.import_csv import read_csv
from duka.import_table import MAX_BYTES, MAX_COLUMNS, MAX_ROWS, MAX_UPLOAD_MB, Findings
from duka.import_xlsx import read_xlsx
from duka.members import CORRECT, RECORD, Actor, require
from duka.values import clean_text
from i18n import N_, number, t

FIELDS = ("spent_on", "amount", "category", "payment_mode", "cashback", "description")
REQUIRED = ("spent_on", "amount", "category")
# The fields as a person names them in a sentence (the English is the field's own name, as sentences said before).
FIELD_NAMES = {
    "spent_on": N_("spent_on"),
    "amount": N_("amount"),
    "category": N_("category"),
    "payment_mode": N_("payment_mode"),
    "cashback": N_("cashback"),
    "description": N_("description"),
}
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
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
    """Every cell as text, indexed by its line in the file ("line"), from a .csv (any common delimiter, its encoding
    decided per file) or the first sheet of an .xlsx file; lines that could not be read and formulas without a saved
    value are in attrs["findings"] for check_rows. A clear sentence, naming the line where there is one, otherwise."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(t("The file is larger than {mb} MB; split it.", mb=MAX_UPLOAD_MB))
    if not data.strip():
        raise InvalidInput(t("The file is empty."))
    lower = name.lower()
    if lower.endswith(".xlsx"):
        table = read_xlsx(data)
    elif lower.endswith((".csv", ".txt")):
        table = read_csv(data)
    else:
        raise InvalidInput(t("Choose a .csv or .xlsx file."))
    return table.frame()


def guess_mapping(columns: list[str]) -> dict[str, str | None]:
    """field -> column, from common header names (the person can change it)."""
    lowered = {c.lower().strip(): c for c in columns}
    return {f: next((lowered[n] for n in names if n in lowered), None) for f, names in _GUESS.items()}


def limits() -> str:
    """How much one import reads, in a sentence."""
    return t(
        "At most {mb} MB, {rows} rows and {columns} columns at once.",
        mb=MAX_UPLOAD_MB,
        rows=number(MAX_ROWS),
        columns=MAX_COLUMNS,
    )


def parse_date(text: str) -> date:
    """A date in one of the formats people type (2026-03-31, 31/03/2026, 31 Mar 2026…), or InvalidInput."""
    text = text.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", text):  # Excel dates read as text
        text = text[:10]
    if _ISO_DAY.match(text):  # the first format: 0.2 µs, where strptime takes 2.8
        with contextlib.suppress(ValueError):
            return date.fromisoformat(text)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(t("date {text!r} is not a date (use 2026-03-31 or 31/03/2026)", text=text))


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
    """Validate every row and flag likely duplicates. A row's line is its line in the file (read_table's index;
    otherwise the header is line 1); rows read_table could not take, and formulas without a saved value in a
    column that is imported, are bad rows."""
    missing = [f for f in REQUIRED if not mapping.get(f)]
    if missing:
        raise InvalidInput(t("Choose a column for: {fields}.", fields=", ".join(t(FIELD_NAMES[f]) for f in missing)))
    findings = frame.attrs.get("findings") or Findings()
    lines = frame.index.tolist() if frame.index.name == "line" else range(2, len(frame) + 2)
    imported = {mapping[f] for f in FIELDS if mapping.get(f)}
    known = {name.lower(): name for name in categories}
    money_columns = [mapping[f] for f in ("amount", "cashback") if mapping.get(f)]
    decimal_comma = writes_decimal_comma([str(c) for col in money_columns for c in frame[col].tolist()])
    result, unknown = Checked(), {}
    modes = _MODES | {t(m).lower(): m for m in PAYMENT_MODES}  # the reader's own words for them too: "pesa taslimu"
    result.bad = [{"line": line, "reason": reason} for line, reason in findings.problems]
    for line, cells in zip(lines, frame.to_dict("records")):
        unsaved = [c for c in findings.unsaved_formulas.get(line, ()) if c in imported]
        if unsaved:
            result.bad.append({"line": line, "reason": _unsaved_formula(line, unsaved)})
            continue
        value = {f: str(cells.get(mapping[f], "") if mapping.get(f) else "").strip() for f in FIELDS}
        if not any(value.values()):
            continue
        try:
            category = clean_text(value["category"], N_("category"), 60)
            mode = modes.get(value["payment_mode"].lower()) if value["payment_mode"] else "Cash"
            if mode is None:
                raise InvalidInput(
                    t(
                        "payment mode {mode!r} is not one of {modes}",
                        mode=value["payment_mode"],
                        modes=", ".join(t(m) for m in PAYMENT_MODES),
                    )
                )
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
    result.bad.sort(key=lambda bad: bad["line"])
    result.new_categories = sorted(unknown.values())
    if result.good:
        result.duplicates = _duplicates(db.rows("expense_keys_between", **_keys_of(actor, result.good)), result.good)
    return result


def _unsaved_formula(line: int, columns: list[str]) -> str:
    """The sentence for a row whose imported columns hold a formula without a saved value."""
    named = columns[0]
    for column in columns[1:]:
        named = t("{first} and {then}", first=named, then=column)
    return t(
        "Line {line}, {columns}: a formula with no saved value — open the file in Excel and save it again, or type "
        "the value.",
        line=line,
        columns=named,
    )


def _keys_of(actor: Actor, good: list[dict]) -> dict:
    """What the duplicate check asks the shop's expenses for: the file's dates, and its lines' days and amounts
    (a JSON array of [day, amount])."""
    days = [r["spent_on"] for r in good]
    keys = json.dumps(sorted({(r["spent_on"].isoformat(), str(r["amount"])) for r in good}))
    return {"shop_id": actor.shop_id, "start": min(days), "end": max(days), "keys": keys}


def _duplicates(existing: list[dict], good: list[dict]) -> list[int]:
    """Lines that match an existing expense by date, amount and description, one existing expense per line.

    Two equal bus fares in one file both import the first time; importing the file again matches each
    line to one of them, so nothing is created twice.
    """
    left = Counter((r["spent_on"], r["amount"], r["description"].strip().lower()) for r in existing)
    lines = []
    for r in good:
        key = (r["spent_on"], r["amount"], r["description"].lower())
        if left[key] > 0:
            left[key] -= 1
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
    """Insert the good rows in one transaction; with all_or_nothing, any bad row stops the whole import.

    The shop's row is locked first, so imports into one shop take turns: the duplicate check runs again inside
    the lock against what is committed (locking reads, whatever the transaction's snapshot), and two people
    importing one file at once create each row once. Until the import commits, other writes wait only where they
    meet it: new customers, categories and members of the shop (their keys check the shop's row), changes to its
    categories, and new expenses dated within (or just after) the file's dates."""
    require(actor, RECORD, N_("import expenses"), tx)
    if all_or_nothing and checked.bad:
        raise InvalidInput(t("{count} row(s) have problems, so nothing was imported.", count=len(checked.bad)))
    tx.one("lock_shop_for_import", shop_id=actor.shop_id)
    categories = {r["name"].lower(): r["category_id"] for r in tx.rows("categories_locked", shop_id=actor.shop_id)}
    for name in checked.new_categories:
        if name.lower() in categories:
            continue
        if not create_categories:
            raise InvalidInput(t("Category {name!r} does not exist: allow new categories or fix the file.", name=name))
        require(actor, CORRECT, N_("create categories"), tx)
        categories[name.lower()] = insert_category(tx, actor, name, t("Created by an import"), None)
    skip: set[int] = set()
    if skip_duplicates and checked.good:
        skip = set(_duplicates(tx.rows("expense_keys_locked", **_keys_of(actor, checked.good)), checked.good))
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
    batch = 5000  # rows per statement (one JSON array each: about 300 KB)
    # Per row, the roll-up and version triggers were most of an import's time: summed per day below. Reset at
    # the end; after a failure the pool resets the session (user variables too) before anyone uses it again.
    tx.execute("import_skips_rollups")
    for start in range(0, len(rows), batch):
        insert_rows(tx, rows[start : start + batch])
        if progress:
            progress(min(start + batch, len(rows)) / max(len(rows), 1))
    days, modes = _rollups(rows)
    if days:
        tx.executemany("add_import_to_expense_days", days)
        tx.executemany("add_import_to_expense_day_modes", modes)
        tx.execute("bump_version_after_import", shop_id=actor.shop_id)
    tx.execute("import_keeps_rollups")
    return {"imported": len(rows), "skipped_duplicates": len(skip), "bad": len(checked.bad)}


def _rollups(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """What the rows add to the day-and-category and day-and-mode roll-ups: one sum each, exact (Decimal)."""
    sums: dict[str, dict[tuple, list]] = {"category_id": {}, "payment_mode": {}}
    for r in rows:
        cashback = r["cashback"] or Decimal(0)
        for by, found in sums.items():
            total = found.setdefault((r["shop_id"], r["spent_on"], r[by]), [Decimal(0), Decimal(0), 0])
            total[0] += r["amount"]
            total[1] += cashback
            total[2] += 1

    def listed(by: str) -> list[dict]:
        return [
            {"shop_id": shop, "spent_on": day, by: key, "amount": amount, "cashback": cashback, "expenses": n}
            for (shop, day, key), (amount, cashback, n) in sums[by].items()
        ]

    return listed("category_id"), listed("payment_mode")
