"""What the audit log says about one record: each change as old → new, who and when (written by triggers)."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from duka.clock import TIMEZONE
from duka.members import Actor, shop_rows

TABLES = {"sale": "debts", "payment": "payments"}  # the ledger's entries
# The fields a person reads, in this order (voided_at is the action itself). `paid` moves with every payment,
# which has its own history: it shows only when it changed by hand.
LABELS = {
    "product": "Product",
    "quantity": "Quantity",
    "unit_price": "Unit price",
    "total": "Total",
    "paid": "Paid",
    "amount": "Amount",
    "method": "Method",
    "reference": "Reference",
    "debt_date": "Date",
    "paid_at": "Date",
    "spent_on": "Date",
    "due_date": "Due date",
    "name": "Name",
    "phone": "Phone",
    "customer_id": "Customer",
    "debt_id": "Sale",
    "category_id": "Category",
    "payment_mode": "Payment mode",
    "cashback": "Cashback",
    "description": "Description",
    "merged_into": "Merged into customer",
    "void_reason": "Reason",
}
ACTIONS = {"update": "Edited", "void": "Voided", "delete": "Deleted"}


def _shown(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value == value.quantize(Decimal("0.01")) else f"{value:,}"
    return str(value)


def changes(old: dict | None, new: dict | None) -> list[tuple[str, str, str]]:
    """(label, old, new) for each readable field whose value differs."""
    old, new = old or {}, new or {}
    found = []
    for field, label in LABELS.items():
        if field in old or field in new:
            before, after = old.get(field), new.get(field)
            if before != after:
                found.append((label, _shown(before), _shown(after)))
    return found


def entry_history(actor: Actor, kind: str, record_id: int) -> list[dict]:
    """The changes of one sale or payment of this shop, newest first:
    when, who ("outside Daftari" for SQL run by hand), action, changes [(label, old, new)]."""
    rows = shop_rows(actor, "audit_of_record", "see the history", table_name=TABLES[kind], row_id=record_id)
    history = []
    for row in rows:
        old = json.loads(row["old_values"], parse_float=Decimal) if row["old_values"] else None
        new = json.loads(row["new_values"], parse_float=Decimal) if row["new_values"] else None
        who = f"{row['first_name']} {row['last_name']}" if row["first_name"] else "outside Daftari (SQL)"
        history.append(
            {
                # written in the server's time zone; read back as an instant and shown in the shops' own
                "changed_at": datetime.fromtimestamp(int(row["changed_epoch"]), TIMEZONE),
                "who": who,
                "action": ACTIONS[row["action"]],
                "changes": changes(old, new),
            }
        )
    return history
