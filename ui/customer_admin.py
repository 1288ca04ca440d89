"""The customer tab of the ledger page: correct the name and phone, archive or restore, merge a duplicate."""

from __future__ import annotations

import streamlit as st

from duka import customers
from duka.customers import StillOwes
from duka.members import Actor
from i18n import t, tn
from ui.forms import customer_label, fresh_select
from ui.session import flash, shown_errors
from ui.text import plain


def _edit(actor: Actor, customer: dict) -> None:
    tag = f"customer_edit_{customer['customer_id']}"
    with st.form(tag):
        name = st.text_input(t("Name"), customer["name"], key=f"{tag}_name")
        phone = st.text_input(
            t("Phone (optional)"), customer["phone"] or "", placeholder="07XX XXX XXX", key=f"{tag}_phone"
        )
        problems = st.container()
        saved = st.form_submit_button(t("Save name and phone"), type="primary")
    if saved:
        with problems, shown_errors():
            customers.edit_customer(actor, customer["customer_id"], name, phone)
            st.session_state.pop(f"{tag}_name", None)
            st.session_state.pop(f"{tag}_phone", None)
            flash(t("Customer saved. The old name and phone are kept in the audit log."))


def _archive(actor: Actor, customer: dict) -> None:
    customer_id = customer["customer_id"]
    if customer["archived_at"] is not None:
        st.info(t("This customer is archived: hidden from the customer lists; the history stays."))
        if customer["merged_into"] is None and st.button(t("Show in the customer lists again"), key="customer_restore"):
            with shown_errors():
                customers.restore_customer(actor, customer_id)
                flash(t("{name} is back in the customer lists.", name=customer["name"]))
        return
    asked = st.session_state.get("customer_archive_ask") == customer_id
    with shown_errors():
        if asked:
            st.warning(plain(st.session_state.get("customer_archive_message", "")))
            yes, no = st.columns(2)
            if yes.button(t("Archive anyway"), key="customer_archive_yes", type="primary"):
                customers.archive_customer(actor, customer_id, even_if_owing=True)
                st.session_state.pop("customer_archive_ask", None)
                flash(t("{name} archived. Their debt stays on the debtors list.", name=customer["name"]))
            if no.button(t("Keep them"), key="customer_archive_no"):
                st.session_state.pop("customer_archive_ask", None)
                st.rerun()
        elif st.button(t("Archive this customer"), key="customer_archive"):
            try:
                customers.archive_customer(actor, customer_id)
            except StillOwes as owes:
                st.session_state["customer_archive_ask"] = customer_id
                st.session_state["customer_archive_message"] = str(owes)
                st.rerun()
            flash(t("{name} archived: hidden from the customer lists, history kept.", name=customer["name"]))


def _merge(actor: Actor, customer: dict, currency: str) -> None:
    others = customers.customer_choices(actor)
    others = others[others["customer_id"] != customer["customer_id"]]
    if others.empty or customer["archived_at"] is not None:
        return
    labels = {r.customer_id: customer_label(r, currency) for r in others.itertuples()}
    with st.form("customer_merge"):
        heading = t("Merge a duplicate into {name}", name=plain(customer["name"]))  # outside the f-string: extracted
        st.markdown(f"**{heading}**")
        duplicate = fresh_select(t("The duplicate"), labels, "customer_merge_duplicate", t("Choose the duplicate…"))
        sure = st.checkbox(t("Move all of its sales and payments here and archive it"), key="customer_merge_sure")
        problems = st.container()
        merge = st.form_submit_button(t("Merge"))
    if merge:
        with problems, shown_errors():
            if duplicate is None or not sure:
                problems.error(t("Choose the duplicate and tick the box to confirm."))
                return
            moved = customers.merge_customers(actor, customer["customer_id"], duplicate)
            flash(
                tn(
                    "Merged into {name}: 1 sale moved; the duplicate is archived.",
                    "Merged into {name}: {n} sales moved; the duplicate is archived.",
                    moved,
                    name=customer["name"],
                )
            )


def panel(actor: Actor, customer: dict, currency: str, role: str) -> None:
    """Edit (owner and clerk); archive, restore and merge (owner)."""
    _edit(actor, customer)
    if role == "owner":
        _archive(actor, customer)
        _merge(actor, customer, currency)
