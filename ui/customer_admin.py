"""The customer tab of the ledger page: correct the name and phone; the owner's credit limit and write-off of the
balance; archive or restore, merge a duplicate."""

from __future__ import annotations

import streamlit as st

from duka import collections, customers
from duka.customers import StillOwes
from duka.members import Actor
from duka.money import money
from i18n import N_, t, tn
from ui.forms import customer_label, fresh_select, in_currency
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


def _credit_limit(actor: Actor, customer: dict, currency: str) -> None:
    """The owner sets or clears the most this customer may owe (a sale past it needs the owner's yes)."""
    customer_id = customer["customer_id"]
    limit = collections.credit_limit(actor, customer_id)
    tag = f"customer_limit_{customer_id}"
    with st.form(tag):
        heading = t("Credit limit")
        st.markdown(f"**{heading}**")
        value = st.text_input(
            in_currency(N_("Most they may owe ({currency}); empty: no limit"), currency),
            "" if limit is None else str(limit),
            key=f"{tag}_value",
        )
        problems = st.container()
        saved = st.form_submit_button(t("Save the credit limit"))
    if saved:
        with problems, shown_errors():
            now = collections.set_credit_limit(actor, customer_id, value)
            st.session_state.pop(f"{tag}_value", None)
            if now is None:
                flash(t("{name} has no credit limit now.", name=customer["name"]))
            else:
                flash(
                    t(
                        "Credit limit saved: {name} may owe up to {limit}.",
                        name=customer["name"],
                        limit=money(now, currency),
                    )
                )


def _write_off(actor: Actor, customer: dict, currency: str) -> None:
    """The owner gives up on what the customer owes, with a reason, once asked "Write off Ksh … ?"."""
    customer_id, balance = customer["customer_id"], customer["balance"]
    if balance <= 0:
        return
    tag = f"customer_write_off_{customer_id}"
    asked = st.session_state.get("customer_write_off_ask") == customer_id
    amount = money(balance, currency)
    with st.form(tag):
        heading = t("Write off the balance")
        st.markdown(f"**{heading}**")
        st.caption(
            t(
                "For a debt that will not be paid: it leaves the debtors list and is never counted as collected. "
                "It can be reversed from the Corrections tab."
            )
        )
        reason = st.text_input(t("Reason (kept with the write-off)"), key=f"{tag}_reason")
        problems = st.container()
        if asked:
            problems.warning(
                t(
                    "Write off {amount} that {name} owes? It is not counted as collected, and {name} leaves the "
                    "debtors list.",
                    amount=amount,
                    name=plain(customer["name"]),
                )
            )
            yes, no = st.columns(2)
            sure = yes.form_submit_button(t("Yes, write off {amount}", amount=amount), type="primary")
            keep = no.form_submit_button(t("Keep the debt"))
            ask = False
        else:
            ask = st.form_submit_button(t("Write off the balance"))
            sure = keep = False
    if keep:
        st.session_state.pop("customer_write_off_ask", None)
        st.rerun()
    if ask:
        if not reason.strip():
            problems.error(t("Write the reason first: it is kept with the write-off."))
            return
        st.session_state["customer_write_off_ask"] = customer_id
        st.rerun()
    if sure:
        with problems, shown_errors():
            _, total = collections.write_off(actor, customer_id, reason)
            st.session_state.pop("customer_write_off_ask", None)
            st.session_state.pop(f"{tag}_reason", None)
            flash(
                t(
                    "{amount} written off. {name} leaves the debtors list; nothing was counted as collected.",
                    amount=money(total, currency),
                    name=customer["name"],
                )
            )


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
    """Edit (owner and clerk); credit limit, write-off, archive, restore and merge (owner)."""
    _edit(actor, customer)
    if role == "owner":
        _credit_limit(actor, customer, currency)
        _write_off(actor, customer, currency)
        _archive(actor, customer)
        _merge(actor, customer, currency)
