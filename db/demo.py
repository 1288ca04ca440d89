"""What the simulator needs from the database: seeding as the app would, wiping, and the invariant check."""
from __future__ import annotations

from db import core

WIPE = ("truncate_expense_days", "truncate_expense_day_modes", "truncate_expenses", "truncate_categories", "truncate_payments", "truncate_debts",
        "truncate_active_debtors", "truncate_customers",
        "truncate_shop_members", "truncate_shops", "truncate_users")


def demo_user(phone_e164: str) -> int | None:
    found = core.rows("demo_user_by_phone", phone=phone_e164)
    return found[0]["id"] if found else None


def wipe(force: bool = False) -> None:
    """Empty every table of the book; refuses while real (non-demo) accounts exist unless forced."""
    real = core.rows("count_real_users")[0]["n"]
    if real and not force:
        raise RuntimeError(f"This database holds {real} real account(s); refusing to wipe it. "
                           "Use another --database, or --force if you mean it.")
    with core.connection() as conn:
        tx = core.Tx(conn)
        tx.execute("foreign_key_checks_off")
        try:
            for statement in WIPE:
                tx.execute(statement)
        finally:
            tx.execute("foreign_key_checks_on")
        conn.commit()


def invariant_breaches(shop_ids: list[int] | None = None) -> list[dict]:
    """Rows where paid ≠ sum of live payments, active_debtors ≠ open balances, or an expense roll-up ≠ its
    expenses (empty when all is well)."""
    breaches = []
    for shop_id in shop_ids or [shop["shop_id"] for shop in core.rows("shop_ids")]:
        breaches += core.rows("book_invariants", shop_id=shop_id)
        breaches += core.rows("expense_rollup_breaches", shop_id=shop_id)
    return breaches
