"""What the audit log says about one record: each change as old → new, who and when (written by triggers), in
the reader's language."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from duka.clock import TIMEZONE
from duka.members import Actor, shop_rows
from i18n import N_, t

TABLES = {"sale": "debts", "payment": "payments", "write-off": "write_offs"}  # the ledger's entries
# The fields a person reads, in this order (voided_at is the action itself). `paid` moves with every payment,
# which has its own history: it shows only when it changed by hand.
LABELS = {
    "product": N_("Product"),
    "quantity": N_("Quantity"),
    "unit_price": N_("Unit price"),
    "total": N_("Total"),
    "paid": N_("Paid"),
    "amount": N_("Amount"),
    "method": N_("Method"),
    "reference": N_("Reference"),
    "debt_date": N_("Date"),
    "paid_at": N_("Date"),
    "spent_on": N_("Date"),
    "due_date": N_("Due date"),
    "name": N_("Name"),
    "phone": N_("Phone"),
    "customer_id": N_("Customer"),
    "debt_id": N_("Sale"),
    "category_id": N_("Category"),
    "payment_mode": N_("Payment mode"),
    "cashback": N_("Cashback"),
    "description": N_("Description"),
    "merged_into": N_("Merged into customer"),
    "void_reason": N_("Reason"),
    "reverse_reason": N_("Reason for the reversal"),
}
ACTIONS = {"update": N_("Edited"), "void": N_("Voided"), "delete": N_("Deleted")}
# A write-off is never voided: its one change, logged as 'void' by migration 017's trigger, is its reversal.
ACTIONS_OF = {"write_offs": {**ACTIONS, "void": N_("Reversed")}}
SHOWN_TRANSLATED = ("method", "payment_mode")  # values that are the app's own words ('Cash'), not a person's


def _shown(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value == value.quantize(Decimal("0.01")) else f"{value:,}"
    return str(value)


def changes(old: dict | None, new: dict | None) -> list[tuple[str, str, str]]:
    """(label, old, new) for each readable field whose value differs, the label in the reader's language."""
    old, new = old or {}, new or {}
    found = []
    for field, label in LABELS.items():
        if field in old or field in new:
            before, after = old.get(field), new.get(field)
            if before != after:
                shown = (_shown(before), _shown(after))
                if field in SHOWN_TRANSLATED:
                    shown = tuple(t(value) if value != "—" else value for value in shown)
                found.append((t(label), *shown))
    return found


def entry_history(actor: Actor, kind: str, record_id: int) -> list[dict]:
    """The changes of one sale, payment or write-off (kind 'sale', 'payment', 'write-off') of this shop, newest
    first: when, who ("outside Daftari" for SQL run by hand), action, changes [(label, old, new)]."""
    table = TABLES[kind]
    rows = shop_rows(actor, "audit_of_record", N_("see the history"), table_name=table, row_id=record_id)
    history = []
    for row in rows:
        old = json.loads(row["old_values"], parse_float=Decimal) if row["old_values"] else None
        new = json.loads(row["new_values"], parse_float=Decimal) if row["new_values"] else None
        who = f"{row['first_name']} {row['last_name']}" if row["first_name"] else t("outside Daftari (SQL)")
        action = ACTIONS_OF.get(table, ACTIONS)[row["action"]]  # not inside t(): the extractor would take it
        history.append(
            {
                # written in the server's time zone; read back as an instant and shown in the shops' own
                "changed_at": datetime.fromtimestamp(int(row["changed_epoch"]), TIMEZONE),
                "who": who,
                "action": t(action),
                "changes": changes(old, new),
            }
        )
    return history
