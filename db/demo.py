"""What the simulator needs from the database: seeding as the app would, wiping, and the invariant check."""
from __future__ import annotations

from db import core
from db.access import Actor

DEMO_PREFIX = "+25470000"  # demo accounts use +254 700 00x xxx
WIPE = ("truncate_expenses", "truncate_categories", "truncate_payments", "truncate_debts",
        "truncate_active_debtors", "truncate_customers",
        "truncate_shop_members", "truncate_shops", "truncate_users")


def demo_user(phone_e164: str) -> int | None:
    found = core.rows("demo_user_by_phone", phone=phone_e164)
    return found[0]["id"] if found else None


def wipe(force: bool = False) -> None:
    """Empty every table of the book; refuses while real (non-demo) accounts exist unless forced."""
    real = core.rows("count_other_users", demo_prefix=DEMO_PREFIX + "%")[0]["n"]
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


@core.transactional
def seed_book(tx: core.Tx, actor: Actor, customers: list[dict], sales: list[dict], payments: list[dict]) -> dict:
    """Insert a shop's customers, sales and payments through the same statements (and triggers) as the app.

    sales and payments name their customer / sale by list index; ids are filled in here.
    """
    customer_ids = []
    for c in customers:
        tx.execute("insert_customer", shop_id=actor.shop_id, name=c["name"], phone=c["phone"], user_id=actor.user_id)
        customer_ids.append(tx.lastrowid)
    debt_ids = []
    for s in sales:
        tx.execute("insert_debt", shop_id=actor.shop_id, customer_id=customer_ids[s["customer"]],
                   product=s["product"], quantity=s["quantity"], unit_price=s["unit_price"], total=s["total"],
                   debt_date=s["debt_date"], due_date=s["due_date"], user_id=s.get("user_id", actor.user_id))
        debt_ids.append(tx.lastrowid)
    tx.executemany("insert_payment", [
        {"shop_id": actor.shop_id, "debt_id": debt_ids[p["sale"]], "amount": p["amount"], "method": p["method"],
         "reference": p["reference"], "paid_at": p["paid_at"], "user_id": p.get("user_id", actor.user_id)}
        for p in payments])
    return {"customers": len(customers), "debts": len(sales), "payments": len(payments)}


def invariant_breaches() -> list[dict]:
    """Rows where paid ≠ sum of live payments or active_debtors ≠ open balances (empty when all is well)."""
    breaches = []
    for shop in core.rows("shop_ids"):
        breaches += core.rows("book_invariants", shop_id=shop["shop_id"])
    return breaches
