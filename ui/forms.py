"""The credit-sale and payment forms, shared by their own pages and the customer page."""

from __future__ import annotations

import streamlit as st

from duka import book
from duka.clock import today
from duka.members import Actor
from duka.money import money
from ui.session import flash, shown_errors


def pick_customer(
    actor: Actor, currency: str, key: str, label: str = "Customer", only_owing: bool = False
) -> int | None:
    """A searchable select of the shop's customers with their balances; remembers the last one opened."""
    choices = book.customer_choices(actor)
    if only_owing:
        choices = choices[choices["balance"] > 0]
    if choices.empty:
        st.info("No customers owe anything yet." if only_owing else "No customers yet: add one with a credit sale.")
        return None
    ids = choices["customer_id"].tolist()
    labels = {
        row.customer_id: f"{row.name}"
        + (f" · {row.phone}" if row.phone else "")
        + f" · owes {money(row.balance, currency)}"
        for row in choices.itertuples()
    }
    remembered = st.session_state.get("customer_id")
    index = ids.index(remembered) if remembered in ids else 0
    chosen = st.selectbox(label, ids, index=index, format_func=labels.get, key=key)
    st.session_state["customer_id"] = chosen
    return chosen


def sale_form(actor: Actor, currency: str, customer_id: int | None = None, key: str = "sale") -> None:
    """Record a credit sale: to a chosen customer, or to a new one created with it."""
    new_customer = False
    if customer_id is None:
        who = st.radio("Customer", ["Existing customer", "New customer"], horizontal=True, key=f"{key}_who")
        new_customer = who == "New customer"
        if not new_customer:
            customer_id = pick_customer(actor, currency, key=f"{key}_customer", label="Choose the customer")
            if customer_id is None:
                return
    with st.form(key, clear_on_submit=True):
        if new_customer:
            name = st.text_input("Customer name", key=f"{key}_name")
            phone = st.text_input("Customer phone (optional)", placeholder="07XX XXX XXX", key=f"{key}_phone")
        product = st.text_input("Product", placeholder="e.g. Sugar 2kg", key=f"{key}_product")
        total = st.text_input(f"Total ({currency})", placeholder="e.g. 1,250", key=f"{key}_total")
        st.caption("…or quantity × unit price:")
        left, right = st.columns(2)
        quantity = left.text_input("Quantity", key=f"{key}_qty")
        unit_price = right.text_input(f"Unit price ({currency})", key=f"{key}_price")
        day = st.date_input("Date of sale", value=today(), max_value=today(), key=f"{key}_date")
        due = st.date_input("Due date (optional)", value=None, key=f"{key}_due")
        saved = st.form_submit_button("Record sale", type="primary", width="stretch")
    if saved:
        with shown_errors():
            if new_customer:
                customer_id, _ = book.record_sale_to_new_customer(
                    actor, name, phone, product, total, quantity, unit_price, day, due
                )
                st.session_state["customer_id"] = customer_id
            else:
                book.record_sale(actor, customer_id, product, total, quantity, unit_price, day, due)
            owed = book.customer(actor, customer_id)
            flash(f"Sale recorded. {owed['name']} now owes {money(owed['balance'], currency)}.")


def payment_form(actor: Actor, currency: str, customer_id: int, key: str = "payment") -> None:
    """Record a payment against the customer's total (oldest sales first) or against one sale."""
    debts = book.open_debts(actor, customer_id)
    if debts.empty:
        st.info("This customer owes nothing.")
        return
    owed = debts["balance"].sum()
    st.markdown(f"Balance: **{money(owed, currency)}** across {len(debts)} unpaid sale(s).")
    target = st.radio("Apply the payment to", ["Oldest sales first", "One sale"], horizontal=True, key=f"{key}_target")
    with st.form(key, clear_on_submit=True):
        debt_id = None
        if target == "One sale":
            labels = {
                r.debt_id: f"{r.debt_date:%d %b %Y} · {r.product} · owes {money(r.balance, currency)}"
                for r in debts.itertuples()
            }
            debt_id = st.selectbox("Sale", list(labels), format_func=labels.get, key=f"{key}_debt")
        amount = st.text_input(f"Amount ({currency})", placeholder="e.g. 500", key=f"{key}_amount")
        method = st.selectbox("Method", book.METHODS, key=f"{key}_method")
        reference = st.text_input(
            "Reference (optional)", placeholder="M-Pesa code, e.g. QK12AB34CD", key=f"{key}_reference"
        )
        day = st.date_input("Date", value=today(), max_value=today(), key=f"{key}_date")
        saved = st.form_submit_button("Record payment", type="primary", width="stretch")
    if saved:
        with shown_errors():
            if debt_id is None:
                book.pay_customer(actor, customer_id, amount, method, reference, day)
            else:
                book.record_payment(actor, debt_id, amount, method, reference, day)
            left = book.customer(actor, customer_id)
            if left["balance"] == 0:
                flash(f"Payment recorded. {left['name']} has paid everything and leaves the debtors list.")
            else:
                flash(f"Payment recorded. {left['name']} still owes {money(left['balance'], currency)}.")
