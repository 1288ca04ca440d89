"""The customer tab of the ledger page: correct the name and phone, archive or restore, merge a duplicate."""

from __future__ import annotations

import streamlit as st

from duka import customers
from duka.customers import StillOwes
from duka.members import Actor
from ui.forms import customer_label, fresh_select
from ui.session import flash, shown_errors
from ui.text import plain


def _edit(actor: Actor, customer: dict) -> None:
    tag = f"customer_edit_{customer['customer_id']}"
    with st.form(tag):
        name = st.text_input("Name", customer["name"], key=f"{tag}_name")
        phone = st.text_input(
            "Phone (optional)", customer["phone"] or "", placeholder="07XX XXX XXX", key=f"{tag}_phone"
        )
        problems = st.container()
        saved = st.form_submit_button("Save name and phone", type="primary")
    if saved:
        with problems, shown_errors():
            customers.edit_customer(actor, customer["customer_id"], name, phone)
            st.session_state.pop(f"{tag}_name", None)
            st.session_state.pop(f"{tag}_phone", None)
            flash("Customer saved. The old name and phone are kept in the audit log.")


def _archive(actor: Actor, customer: dict) -> None:
    customer_id = customer["customer_id"]
    if customer["archived_at"] is not None:
        st.info("This customer is archived: hidden from the customer lists; the history stays.")
        if customer["merged_into"] is None and st.button("Show in the customer lists again", key="customer_restore"):
            with shown_errors():
                customers.restore_customer(actor, customer_id)
                flash(f"{customer['name']} is back in the customer lists.")
        return
    asked = st.session_state.get("customer_archive_ask") == customer_id
    with shown_errors():
        if asked:
            st.warning(plain(st.session_state.get("customer_archive_message", "")))
            yes, no = st.columns(2)
            if yes.button("Archive anyway", key="customer_archive_yes", type="primary"):
                customers.archive_customer(actor, customer_id, even_if_owing=True)
                st.session_state.pop("customer_archive_ask", None)
                flash(f"{customer['name']} archived. Their debt stays on the debtors list.")
            if no.button("Keep them", key="customer_archive_no"):
                st.session_state.pop("customer_archive_ask", None)
                st.rerun()
        elif st.button("Archive this customer", key="customer_archive"):
            try:
                customers.archive_customer(actor, customer_id)
            except StillOwes as owes:
                st.session_state["customer_archive_ask"] = customer_id
                st.session_state["customer_archive_message"] = str(owes)
                st.rerun()
            flash(f"{customer['name']} archived: hidden from the customer lists, history kept.")


def _merge(actor: Actor, customer: dict, currency: str) -> None:
    others = customers.customer_choices(actor)
    others = others[others["customer_id"] != customer["customer_id"]]
    if others.empty or customer["archived_at"] is not None:
        return
    labels = {r.customer_id: customer_label(r, currency) for r in others.itertuples()}
    with st.form("customer_merge"):
        st.markdown(f"**Merge a duplicate into {plain(customer['name'])}**")
        duplicate = fresh_select("The duplicate", labels, "customer_merge_duplicate", "Choose the duplicate…")
        sure = st.checkbox("Move all of its sales and payments here and archive it", key="customer_merge_sure")
        problems = st.container()
        merge = st.form_submit_button("Merge")
    if merge:
        with problems, shown_errors():
            if duplicate is None or not sure:
                problems.error("Choose the duplicate and tick the box to confirm.")
                return
            moved = customers.merge_customers(actor, customer["customer_id"], duplicate)
            sales = "1 sale" if moved == 1 else f"{moved} sales"
            flash(f"Merged into {customer['name']}: {sales} moved; the duplicate is archived.")


def panel(actor: Actor, customer: dict, currency: str, role: str) -> None:
    """Edit (owner and clerk); archive, restore and merge (owner)."""
    _edit(actor, customer)
    if role == "owner":
        _archive(actor, customer)
        _merge(actor, customer, currency)
