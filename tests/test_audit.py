"""The audit contract: every UPDATE and DELETE of the shop's records leaves old and new values in audit_log,
whoever runs it — the app (changed_by = the user) or any SQL client (changed_by NULL)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from db import reader
from duka import book, customers, expenses, history, members
from duka.clock import today
from support import PASSWORD, category_ids, join, new_phone


def audit_rows(raw, table: str, row_id: int) -> list[dict]:
    cur = raw.cursor(dictionary=True)
    cur.execute(
        "SELECT shop_id, action, changed_by, old_values, new_values FROM audit_log"
        " WHERE table_name = %s AND row_id = %s ORDER BY id",
        (table, row_id),
    )
    found = cur.fetchall()
    for row in found:
        for side in ("old_values", "new_values"):
            row[side] = json.loads(row[side], parse_float=Decimal) if row[side] else None
    return found


@pytest.fixture
def sale(shop):
    customer = customers.add_customer(shop, "Wairimu", "0711 222 333")
    debt = book.record_sale(shop, customer, "Sugar 2kg", total="400", due_date=today())
    payment = book.record_payment(shop, debt, "200", "M-Pesa", "QK12AB34CD")
    return {"customer": customer, "debt": debt, "payment": payment}


def test_a_raw_update_of_a_payment_keeps_the_previous_amount_method_and_reference(raw, shop, sale):
    raw.cursor().execute("UPDATE payments SET amount = 250 WHERE id = %s", (sale["payment"],))
    [row] = audit_rows(raw, "payments", sale["payment"])
    assert (row["shop_id"], row["action"], row["changed_by"]) == (shop.shop_id, "update", None)
    old = row["old_values"]
    assert (old["amount"], old["method"], old["reference"]) == (Decimal("200.00"), "M-Pesa", "QK12AB34CD")
    assert row["new_values"]["amount"] == Decimal("250.00")


def test_a_payment_edited_in_the_app_names_who_changed_it(raw, shop, sale):
    book.edit_payment(shop, sale["payment"], "250", "M-Pesa", "QK12AB34CD", today())
    [row] = audit_rows(raw, "payments", sale["payment"])
    assert row["changed_by"] == shop.user_id
    assert history.entry_history(shop, "payment", sale["payment"])[0]["changes"] == [("Amount", "200.00", "250.00")]


def test_voids_are_logged_as_voids_with_their_reason(raw, shop, sale):
    book.void_payment(shop, sale["payment"], "Wrong customer")
    book.void_sale(shop, sale["debt"], "Typed twice")
    [payment] = audit_rows(raw, "payments", sale["payment"])
    [debt] = audit_rows(raw, "debts", sale["debt"])
    assert (payment["action"], payment["new_values"]["void_reason"]) == ("void", "Wrong customer")
    assert (debt["action"], debt["new_values"]["void_reason"]) == ("void", "Typed twice")


def test_a_raw_update_of_a_sale_keeps_its_old_product_and_due_date(raw, shop, sale):
    raw.cursor().execute("UPDATE debts SET product = 'Salt', due_date = NULL WHERE id = %s", (sale["debt"],))
    [row] = audit_rows(raw, "debts", sale["debt"])
    assert row["old_values"]["product"] == "Sugar 2kg" and row["old_values"]["due_date"] == str(today())
    assert row["new_values"]["due_date"] is None


def test_a_payment_recorded_is_not_a_correction_of_its_sale(raw, shop, sale):
    book.record_payment(shop, sale["debt"], "50")
    assert audit_rows(raw, "debts", sale["debt"]) == []  # paid moved; each payment has its own record


def test_customers_edits_and_raw_deletes_are_logged(raw, shop, sale):
    customers.edit_customer(shop, sale["customer"], "Wairimu Njeri", "0711 222 333")
    [edit] = audit_rows(raw, "customers", sale["customer"])
    assert (edit["old_values"]["name"], edit["new_values"]["name"]) == ("Wairimu", "Wairimu Njeri")
    lonely = customers.add_customer(shop, "Nobody")
    raw.cursor().execute("DELETE FROM customers WHERE id = %s", (lonely,))
    [gone] = audit_rows(raw, "customers", lonely)
    assert (gone["action"], gone["old_values"]["name"], gone["new_values"]) == ("delete", "Nobody", None)


def test_expense_edits_and_deletes_leave_a_trace(raw, shop):
    ids = category_ids(shop)
    expense = expenses.add_expense(shop, ids["Food"], today(), "120", "Cash", "0", "Lunch")
    expenses.edit_expense(shop, expense, ids["Food"], today(), "130", "Cash", "0", "Lunch")
    expenses.delete_expenses(shop, [expense])
    edit, delete = audit_rows(raw, "expenses", expense)
    assert (edit["action"], edit["old_values"]["amount"], edit["new_values"]["amount"]) == (
        "update",
        Decimal("120.00"),
        Decimal("130.00"),
    )
    assert (delete["action"], delete["changed_by"], delete["old_values"]["description"]) == (
        "delete",
        shop.user_id,
        "Lunch",
    )


def test_category_changes_and_deletes_are_logged(raw, shop):
    ids = category_ids(shop)
    expenses.update_category(shop, ids["Rent"], "Rent", None, "5000")
    raw.cursor().execute("DELETE FROM categories WHERE id = %s", (ids["Other"],))
    [budget] = audit_rows(raw, "categories", ids["Rent"])
    assert (budget["old_values"]["monthly_budget"], budget["new_values"]["monthly_budget"]) == (
        None,
        Decimal("5000.00"),
    )
    [gone] = audit_rows(raw, "categories", ids["Other"])
    assert gone["action"] == "delete" and gone["changed_by"] is None


def test_member_role_changes_and_removals_are_logged(raw, shop):
    phone = new_phone()
    clerk = members.register("Juma", "Kazi", phone, PASSWORD, "Juma's own")["user_id"]
    join(shop, phone, "clerk")
    raw.cursor().execute(
        "UPDATE shop_members SET role = 'analyst' WHERE shop_id = %s AND user_id = %s", (shop.shop_id, clerk)
    )
    members.remove_member(shop, clerk)
    joined, change, removal = [r for r in audit_rows(raw, "shop_members", clerk) if r["shop_id"] == shop.shop_id]
    assert (joined["action"], joined["changed_by"], joined["new_values"]["role"]) == ("insert", clerk, "clerk")
    assert (change["old_values"]["role"], change["new_values"]["role"]) == ("clerk", "analyst")
    assert (removal["action"], removal["changed_by"], removal["old_values"]["role"]) == (
        "delete",
        shop.user_id,
        "analyst",
    )


def test_the_audit_log_cannot_be_rewritten(raw, shop, sale):
    book.void_payment(shop, sale["payment"], "Wrong customer")
    cur = raw.cursor()
    for statement in ("UPDATE audit_log SET changed_by = 1", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="audit log is kept as written"):
            cur.execute(statement)


def test_analysts_read_the_audit_log_of_their_shop_through_the_read_only_account(shop, sale):
    book.void_payment(shop, sale["payment"], "Wrong customer")
    found = reader.run(
        shop.shop_id,
        "SELECT table_name, action FROM audit_log WHERE shop_id = %(shop_id)s ORDER BY id",
        {"shop_id": shop.shop_id},
    )
    assert found.to_dict("records") == [
        {"table_name": "shop_members", "action": "insert"},  # the owner joined the shop they registered
        {"table_name": "payments", "action": "void"},
    ]


def test_a_raw_change_of_what_a_sale_has_been_paid_is_logged(raw, shop, sale):
    raw.cursor().execute("UPDATE debts SET paid = 400 WHERE id = %s", (sale["debt"],))
    [row] = audit_rows(raw, "debts", sale["debt"])
    assert (row["old_values"]["paid"], row["new_values"]["paid"], row["changed_by"]) == (
        Decimal("200.00"),
        Decimal("400.00"),
        None,
    )
    assert history.entry_history(shop, "sale", sale["debt"])[0]["changes"] == [("Paid", "200.00", "400.00")]


def test_raw_voids_and_expense_and_category_edits_are_logged_with_nobody_named(raw, shop, sale):
    cur = raw.cursor()
    cur.execute("UPDATE payments SET voided_at = NOW(), void_reason = 'by hand' WHERE id = %s", (sale["payment"],))
    ids = category_ids(shop)
    expense = expenses.add_expense(shop, ids["Food"], today(), "80", "Cash", "0", "Chai")
    cur.execute("UPDATE expenses SET amount = 90 WHERE id = %s", (expense,))
    cur.execute("DELETE FROM expenses WHERE id = %s", (expense,))
    cur.execute("UPDATE categories SET name = 'Chakula' WHERE id = %s", (ids["Food"],))
    cur.execute("UPDATE customers SET phone = NULL WHERE id = %s", (sale["customer"],))
    [void] = audit_rows(raw, "payments", sale["payment"])
    assert (void["action"], void["new_values"]["void_reason"], void["changed_by"]) == ("void", "by hand", None)
    assert [r["action"] for r in audit_rows(raw, "expenses", expense)] == ["update", "delete"]
    assert audit_rows(raw, "categories", ids["Food"])[0]["new_values"]["name"] == "Chakula"
    assert audit_rows(raw, "customers", sale["customer"])[0]["old_values"]["phone"] == "+254711222333"
    assert book.ledger(shop, sale["customer"])["voided"].tolist() == [True, False]


def test_an_entry_changed_by_hand_is_marked_edited_in_the_ledger(raw, shop, sale):
    raw.cursor().execute("UPDATE payments SET reference = 'QK99' WHERE id = %s", (sale["payment"],))
    ledger = book.ledger(shop, sale["customer"])
    assert ledger.set_index("kind")["edited"].to_dict() == {"Payment": True, "Sale": False}
