"""Account events in the audit log: logins, failures, lockouts, resets, invitations (with the client address)."""

from __future__ import annotations

import json
from datetime import datetime

import db
from duka.clock import TIMEZONE
from i18n import N_, t


def record(
    tx: db.Tx,
    action: str,
    *,
    user_id: int | None = None,
    by: int | None = None,
    shop_id: int | None = None,
    address: str | None = None,
    table: str = "users",
    row_id: int | None = None,
    **details: object,
) -> None:
    """One event, inside the caller's transaction: about `user_id` (or `row_id` of `table`), done by `by`."""
    tx.execute(
        "insert_account_event",
        shop_id=shop_id,
        table_name=table,
        row_id=row_id if row_id is not None else user_id,
        action=action,
        changed_by=by,
        address=(address or None) and str(address)[:45],
        details=json.dumps(details, default=str) if details else None,
    )


@db.transactional
def record_alone(tx: db.Tx, action: str, **fields: object) -> None:
    """One event in a transaction of its own (a failure has nothing else to write)."""
    record(tx, action, **fields)


LABELS = {
    "login": N_("Signed in"),
    "login_failed": N_("Wrong password"),
    "login_refused": N_("Refused: too many attempts"),
    "logout": N_("Signed out"),
    "password_changed": N_("Password changed"),
    "reset_code_issued": N_("Reset code issued"),
    "recovery_codes_issued": N_("New recovery codes"),
    "password_reset": N_("Password set with a code"),
}


def label(action: str) -> str:
    """An account event as the person reads it, in their language ('Signed in'); its action where it has none."""
    return t(LABELS[action]) if action in LABELS else action


def recent(user_id: int, limit: int = 20) -> list[dict]:
    """The user's latest account events, newest first: when (Nairobi time), what (in the reader's language),
    from where."""
    return [
        {
            "when": datetime.fromtimestamp(int(row["changed_epoch"]), TIMEZONE),
            "what": label(row["action"]),
            "address": row["client_address"] or "",
        }
        for row in db.rows("account_events_of_user", user_id=user_id, limit=limit)
    ]
