"""The demo database: finding demo accounts, wiping it (never real accounts unless forced), counting and
checksumming its tables, and the invariant check that every seeding ends with."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import db
from db import pool

WIPE = (
    "truncate_shop_versions",
    "truncate_idempotency_keys",
    "truncate_api_tokens",
    "truncate_mpesa_receipts",
    "truncate_mpesa_rules",
    "truncate_mpesa_c2b",
    "truncate_mpesa_settings",
    "truncate_expense_days",
    "truncate_expense_day_modes",
    "truncate_book_days",
    "truncate_expenses",
    "truncate_categories",
    "truncate_reminders",
    "truncate_reminder_templates",
    "truncate_write_offs",
    "truncate_payments",
    "truncate_debts",
    "truncate_active_debtors",
    "truncate_customers",
    "truncate_shop_members",
    "truncate_shops",
    "truncate_sessions",
    "truncate_login_guards",
    "truncate_one_time_codes",
    "truncate_invitations",
    "truncate_users",
    "truncate_audit_log",
)

# The invariant check: one set-based query per kind of rule, over a range of shops.
CHECKS = (
    "book_breaches",
    "book_days_breaches",
    "expense_days_breaches",
    "expense_day_modes_breaches",
    "foreign_category_breaches",
)
# Statements that read every shop on purpose: whole-database checks of the demo data.
WHOLE_DATABASE = {
    "clear_active_debtors_of_shops",
    "rebuild_active_debtors_of_shops",
    "clear_book_days_of_shops",
    "rebuild_book_days_of_shops",
    "customer_ids_of_shops",
    "customer_id_span_of_shops",
    "debt_id_span_of_shops",
    "debt_ids_of_shops",
    "table_checksums",
    "table_counts",
    *CHECKS,
}
EVERY_SHOP = {"first_shop": 0, "last_shop": 2**32 - 1}


def demo_user(phone_e164: str) -> int | None:
    found = db.rows("demo_user_by_phone", phone=phone_e164)
    return found[0]["id"] if found else None


def wipe(force: bool = False) -> None:
    """Empty every table of the book; refuses while real (non-demo) accounts exist unless forced. TRUNCATE needs
    the DROP privilege, which the app's account does not have: the wipe runs with the admin account."""
    real = db.rows("count_real_users")[0]["n"]
    if real and not force:
        raise RuntimeError(
            f"This database holds {real} real account(s); refusing to wipe it. "
            "Use another --database, or --force if you mean it."
        )
    with pool.admin_connection() as conn:
        tx = db.Tx(conn)
        tx.execute("foreign_key_checks_off")
        try:
            for statement in WIPE:
                tx.execute(statement)
        finally:
            tx.execute("foreign_key_checks_on")
        conn.commit()


def shop_ids() -> list[int]:
    """Every shop's id, in order."""
    return [row["shop_id"] for row in db.rows("shop_ids")]


def invariant_breaches(shop_ids: list[int] | None = None) -> list[dict]:
    """Rows where paid ≠ sum of live payments, written_off ≠ sum of live write-offs, active_debtors ≠ open
    balances, the book's daily roll-up ≠ its sales and payments, or an expense roll-up ≠ its expenses, in every
    shop or in the ones named (empty when all is well). One set-based query per kind of rule over the range of
    shops, whatever their number, side by side on connections of their own (the server gives each a thread)."""
    span = {"first_shop": min(shop_ids), "last_shop": max(shop_ids)} if shop_ids else EVERY_SHOP
    with ThreadPoolExecutor(len(CHECKS)) as checks:
        found = [row for rows in checks.map(lambda check: db.rows(check, **span), CHECKS) for row in rows]
    return [b for b in found if not shop_ids or b["shop_id"] in shop_ids]


def table_counts() -> dict:
    """Rows in each table of the book."""
    return db.rows("table_counts")[0]


def table_checksums() -> dict[str, tuple[int, int]]:
    """table -> (rows, CHECKSUM TABLE): the same seed must give the same values."""
    return {r["table"]: (r["row_count"], r["checksum"]) for r in db.rows("table_checksums")}
