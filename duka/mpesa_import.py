"""M-Pesa statement import: the shop's categorisation rules, a preview of what a statement would add (expenses,
payments matched to debtors, rows already imported, problems by line), then all of it in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import db
from db.errors import DaftariError, InvalidInput, NotFound
from duka import book, customers, expenses
from duka.members import CORRECT, RECORD, Actor, require
from duka.mpesa_statement import Statement, Transaction
from duka.values import clean_text, normalise_phone
from i18n import N_, number, t

# Tried in order, the first match wins; "*" (or "…") stands for any text between. Charges come first: a
# "Customer Transfer of Funds Charge" is a fee, not a transfer.
DEFAULT_RULES = (
    ("Charge", "Fees"),
    ("Pay Bill Online to * KPLC", "Utilities"),
    ("Merchant Payment", "Groceries"),
    ("Airtime Purchase", "Airtime"),
    ("Customer Transfer to", "Transfers"),
)
UNMATCHED = "Other"  # a payment no rule matches
MODE = "M-Pesa"
_FUNDS_FROM = re.compile(r"^funds received from\b[\s\-:]*", re.I)
_PHONE = re.compile(r"\+?[0-9][0-9*xX ]{7,14}[0-9]")


@dataclass
class Preview:
    """What importing a statement would do; nothing is written until import_statement."""

    expenses: list[dict] = field(default_factory=list)  # line, receipt_no, spent_on, amount, category, description
    payments: list[dict] = field(default_factory=list)  # line, receipt_no, paid_at, amount, payer, phone, customer_id…
    already: list[dict] = field(default_factory=list)  # line, receipt_no: imported before
    left_out: list[dict] = field(default_factory=list)  # line, receipt_no, reason: not Completed, or money in
    problems: list[dict] = field(default_factory=list)  # line, reason: nothing is imported while there are any
    new_categories: list[str] = field(default_factory=list)
    first: datetime | None = None
    last: datetime | None = None


# --- rules -------------------------------------------------------------------------------------------------


def matcher(pattern: str) -> re.Pattern:
    """The pattern as a case-insensitive search: its words in order, "*" or "…" for any text between them."""
    parts = [p for p in re.split(r"\s*(?:\*|…|\.\.\.)\s*", pattern.strip()) if p]
    words = [r"\s+".join(re.escape(w) for w in part.split()) for part in parts]
    return re.compile(".*".join(words), re.I)


def category_for(rules: list[dict], details: str) -> str:
    """The category of the first rule whose pattern the Details text matches, else Other."""
    for rule in rules:
        if matcher(rule["pattern"]).search(details):
            return rule["category"]
    return UNMATCHED


def _seeded(tx: db.Tx, actor: Actor) -> list[dict]:
    """The shop's rules; a shop without any (made after migration 014) gets the defaults on first use."""
    found = tx.rows("mpesa_rules_locked", shop_id=actor.shop_id)
    if found:
        return found
    for position, (pattern, category) in enumerate(DEFAULT_RULES, 1):
        tx.execute("insert_mpesa_rule", shop_id=actor.shop_id, position=position, pattern=pattern, category=category)
    return tx.rows("mpesa_rules_locked", shop_id=actor.shop_id)


@db.transactional
def rules(tx: db.Tx, actor: Actor) -> list[dict]:
    """The shop's rules in order (rule_id, position, pattern, category), the defaults if it had none."""
    require(actor, RECORD, N_("import M-Pesa statements"), tx)
    return [{k: r[k] for k in ("position", "pattern", "category")} for r in _seeded(tx, actor)]


@db.transactional
def save_rules(tx: db.Tx, actor: Actor, rows: list[dict]) -> int:
    """The owner replaces the shop's rules with these (pattern, category), tried in this order; rows with both
    empty are dropped. Saving none brings back the defaults on next use."""
    require(actor, CORRECT, N_("change the M-Pesa rules"), tx)
    clean = []
    for n, row in enumerate(rows, 1):
        pattern, category = str(row.get("pattern") or "").strip(), str(row.get("category") or "").strip()
        if not pattern and not category:
            continue
        try:
            pattern = clean_text(pattern, N_("Pattern"), 120)
            category = clean_text(category, N_("Category"), 60)
            matcher(pattern)
        except InvalidInput as problem:
            raise InvalidInput(t("Rule {n}: {problem}", n=n, problem=problem)) from None
        clean.append((pattern, category))
    tx.execute("delete_mpesa_rules", shop_id=actor.shop_id)
    for position, (pattern, category) in enumerate(clean, 1):
        tx.execute("insert_mpesa_rule", shop_id=actor.shop_id, position=position, pattern=pattern, category=category)
    return len(clean)


# --- preview -----------------------------------------------------------------------------------------------


def payer(row: Transaction) -> tuple[str, str] | None:
    """(name, phone as written) of money in from a person: "Funds received from NAME PHONE" (or the phone first,
    as newer statements write it), or a business statement's Other Party; None for other money in."""
    if _FUNDS_FROM.match(row.details):
        text = _FUNDS_FROM.sub("", row.details)
    elif row.other_party:
        text = row.other_party
    else:
        return None
    phone = _PHONE.search(text)
    name = (text[: phone.start()] + " " + text[phone.end() :]) if phone else text
    return re.sub(r"\s+", " ", name.replace(" - ", " ")).strip(" -"), (phone.group().replace(" ", "") if phone else "")


def _match(people: list[dict], name: str, phone: str) -> dict | None:
    """The customer with this phone, else the only customer with this name (a masked phone, 2547****123, says
    nothing); None when there is none or more than one."""
    try:
        e164 = normalise_phone(phone, required=False) if "*" not in phone.lower().replace("x", "*") else None
    except InvalidInput:
        e164 = None
    if e164:
        by_phone = [p for p in people if p["phone"] == e164]
        if by_phone:
            return by_phone[0]
    same = [p for p in people if p["name"].casefold() == name.casefold()]
    return same[0] if len(same) == 1 else None


def preview(actor: Actor, statement: Statement) -> Preview:
    """Each Completed row as an expense (money out) or a payment to confirm (money in from a person), by line."""
    found = Preview(problems=list(statement.problems))
    found.left_out = [
        {
            "line": r["line"],
            "receipt_no": r["receipt_no"],
            "reason": t("Status {status}: only Completed rows count", status=r["status"]),
        }
        for r in statement.not_completed
    ]
    rows = rules(actor)
    known = {name.lower() for name in expenses.categories(actor)["name"]}
    people = customers.customer_choices(actor).to_dict("records")
    done = set()
    if statement.transactions:
        found.first = min(row.completed_at for row in statement.transactions)
        found.last = max(row.completed_at for row in statement.transactions)
        done = {
            r["receipt_no"]
            for r in db.rows("mpesa_receipts_between", shop_id=actor.shop_id, start=found.first, end=found.last)
        }
    seen: set[str] = set()
    for row in statement.transactions:
        if row.receipt_no in seen:
            twice = t("Line {line}: receipt {receipt} is listed twice", line=row.line, receipt=row.receipt_no)
            found.problems.append({"line": row.line, "reason": twice})
            continue
        seen.add(row.receipt_no)
        if row.receipt_no in done:
            found.already.append({"line": row.line, "receipt_no": row.receipt_no})
        elif row.withdrawn is not None:
            category = category_for(rows, row.details)
            if category.lower() not in known and category not in found.new_categories:
                found.new_categories.append(category)
            found.expenses.append(
                {
                    "line": row.line,
                    "receipt_no": row.receipt_no,
                    "spent_on": row.completed_at.date(),
                    "amount": row.withdrawn,
                    "category": category,
                    "description": row.details[:255],
                    "completed_at": row.completed_at,
                }
            )
        elif (who := payer(row)) is None:
            found.left_out.append(
                {"line": row.line, "receipt_no": row.receipt_no, "reason": t("Money in that is not from a person")}
            )
        else:
            match = _match(people, *who)
            found.payments.append(
                {
                    "line": row.line,
                    "receipt_no": row.receipt_no,
                    "paid_at": row.completed_at.date(),
                    "amount": row.paid_in,
                    "payer": who[0],
                    "phone": who[1],
                    "customer_id": match["customer_id"] if match else None,
                    "customer": match["name"] if match else None,
                    "balance": match["balance"] if match else None,
                    "completed_at": row.completed_at,
                }
            )
    found.left_out.sort(key=lambda r: r["line"])
    found.problems.sort(key=lambda r: r["line"])
    return found


# --- import ------------------------------------------------------------------------------------------------


@db.transactional
def import_statement(
    tx: db.Tx, actor: Actor, found: Preview, confirmed: dict[str, int] | None = None, progress=None
) -> dict:
    """All of the preview's expenses, and the payments the owner confirmed (receipt_no -> customer_id), in one
    transaction, or nothing: a statement with problems, or a row the book refuses, imports nothing.

    The shop's row is locked first, so imports into one shop take turns and the receipts already imported are
    read again as committed: a second import of the same statement, or of an overlapping one, adds new rows only.
    Expenses go through the expense rules (duka/expenses.py) and payments through pay_customer (oldest sales
    first), each in this transaction."""
    require(actor, RECORD, N_("import M-Pesa statements"), tx)
    if found.problems:
        raise InvalidInput(
            t("{count} row(s) have problems, so nothing was imported.", count=number(len(found.problems)))
        )
    confirmed = confirmed or {}
    payments = [p for p in found.payments if p["receipt_no"] in confirmed]
    tx.one("lock_shop_for_mpesa_import", shop_id=actor.shop_id)
    done: set[str] = set()
    if found.first is not None:
        window = {"shop_id": actor.shop_id, "start": found.first, "end": found.last}
        # a statement receipt imported before, or the same receipt already received by C2B: recorded once
        done = {
            r["receipt_no"]
            for query in ("mpesa_receipts_locked", "mpesa_c2b_receipts_locked")
            for r in tx.rows(query, **window)
        }
    categories = expenses.category_ids(tx, actor)
    todo = [e for e in found.expenses if e["receipt_no"] not in done]
    for name in {e["category"] for e in todo}:
        if name.lower() not in categories:  # a category an owner's rule names: made for it
            made = t("Created by an M-Pesa import")  # the category's description, in the importer's language
            categories[name.lower()] = expenses.insert_category(tx, actor, name, made, None)
    total = max(len(todo) + len(payments), 1)
    skipped = sum(1 for row in found.expenses + payments if row["receipt_no"] in done)
    count = {"expenses": 0, "payments": 0, "already": len(found.already) + skipped}
    for n, e in enumerate(todo, 1):
        expense_id = _quoted(
            e,
            expenses.add_expense,  # the expense rules, joining this transaction
            tx,
            actor,
            categories[e["category"].lower()],
            e["spent_on"],
            e["amount"],
            MODE,
            None,
            e["description"],
        )
        _receipt(tx, actor, e, e["amount"], expense_id=expense_id)
        count["expenses"] += 1
        if progress and (n % 50 == 0 or n == len(todo)):
            progress(n / total)
    for n, p in enumerate(payments, len(todo) + 1):
        if p["receipt_no"] in done:
            continue
        customer_id = int(confirmed[p["receipt_no"]])
        _quoted(p, book.pay_customer, tx, actor, customer_id, p["amount"], MODE, p["receipt_no"], p["paid_at"])
        _receipt(tx, actor, p, p["amount"], customer_id=customer_id)
        count["payments"] += 1
        if progress:
            progress(n / total)
    if progress:
        progress(1.0)
    return count


def _quoted(row: dict, rule, *args):
    """A rule's refusal of one row, with the row's line and receipt in front: the whole import stops."""
    try:
        return rule(*args)
    except (InvalidInput, NotFound) as problem:
        raise type(problem)(
            t(
                "Line {line} ({receipt}): {problem} Nothing was imported.",
                line=row["line"],
                receipt=row["receipt_no"],
                problem=problem,
            )
        ) from None


def _receipt(tx: db.Tx, actor: Actor, row: dict, amount: Decimal, expense_id=None, customer_id=None) -> None:
    tx.execute(
        "insert_mpesa_receipt",
        shop_id=actor.shop_id,
        receipt_no=row["receipt_no"],
        completed_at=row["completed_at"],
        amount=amount,
        expense_id=expense_id,
        customer_id=customer_id,
        user_id=actor.user_id,
    )


def owner_of(shop_id: int) -> Actor:
    """The shop's owner as the actor of a command-line import, or DaftariError when there is no such shop."""
    found = db.rows("owner_of_shop", shop_id=shop_id) if shop_id > 0 else []
    if not found:
        raise DaftariError(t("There is no shop number {shop}.", shop=shop_id))
    return Actor(user_id=found[0]["user_id"], shop_id=shop_id)
