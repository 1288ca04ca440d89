"""The owner's corrections on the customer page: edit or void a sale or a payment (never delete).

Every edit form starts from the entry's current values, so changing one field changes only that field;
the old values are kept in audit_log and shown in the entry's history."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from duka import book
from duka.clock import today
from duka.members import Actor
from duka.money import money
from ui.forms import fresh_select
from ui.session import flash, shown_errors


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _sale_fields(actor: Actor, currency: str, entry_id: int, tag: str) -> Callable[[], None]:
    current = book.sale(actor, entry_id)
    by_quantity = current["quantity"] is not None
    product = st.text_input("Product", current["product"], key=f"{tag}_product")
    total = st.text_input(
        f"Total ({currency})" + (" — empty: quantity × unit price" if by_quantity else ""),
        "" if by_quantity else str(current["total"]),
        key=f"{tag}_total",
    )
    left, right = st.columns(2)
    quantity = left.text_input("Quantity", _text(current["quantity"]).rstrip("0").rstrip("."), key=f"{tag}_qty")
    unit_price = right.text_input(f"Unit price ({currency})", _text(current["unit_price"]), key=f"{tag}_price")
    day = st.date_input("Date of sale", current["debt_date"], max_value=today(), key=f"{tag}_date")
    due = st.date_input("Due date (optional)", current["due_date"], key=f"{tag}_due")
    return lambda: book.edit_sale(actor, entry_id, product, total, day, due, quantity, unit_price)


def _payment_fields(actor: Actor, currency: str, entry_id: int, tag: str) -> Callable[[], None]:
    current = book.payment(actor, entry_id)
    amount = st.text_input(f"Amount ({currency})", str(current["amount"]), key=f"{tag}_amount")
    method = st.selectbox("Method", book.METHODS, index=book.METHODS.index(current["method"]), key=f"{tag}_method")
    reference = st.text_input("Reference (optional)", current["reference"] or "", key=f"{tag}_reference")
    day = st.date_input("Date", current["paid_at"], max_value=today(), key=f"{tag}_date")
    return lambda: book.edit_payment(actor, entry_id, amount, method, reference, day)


def panel(actor: Actor, currency: str, ledger: pd.DataFrame) -> None:
    live = ledger[~ledger["voided"]] if not ledger.empty else ledger
    if live.empty:
        st.info("Nothing to correct.")
        return
    entries = {
        (r.kind, int(r.entry_id)): f"{r.entry_date:%d %b %Y} · {r.kind} · {r.description} · "
        f"{money(r.charge if r.kind == 'Sale' else r.payment, currency)}"
        for r in live.itertuples()
    }
    chosen = fresh_select("Entry", entries, "fix_entry", "Choose an entry…")
    if chosen is None:
        return
    kind, entry_id = chosen
    action = st.radio("Correction", ["Edit", "Void"], horizontal=True, key="fix_action")
    tag = f"fix_{kind}_{entry_id}_{action}"  # keyed by entry: the fields show the chosen one's values
    with st.form(tag):
        if action == "Void":
            reason = st.text_input("Reason (kept with the entry)", key=f"{tag}_reason")
            save = (
                (lambda: book.void_sale(actor, entry_id, reason))
                if kind == "Sale"
                else (lambda: book.void_payment(actor, entry_id, reason))
            )
        elif kind == "Sale":
            save = _sale_fields(actor, currency, entry_id, tag)
        else:
            save = _payment_fields(actor, currency, entry_id, tag)
        problems = st.container()
        done = st.form_submit_button("Void entry" if action == "Void" else "Save correction", type="primary")
    if done:
        with problems, shown_errors():
            save()
            for name in [k for k in st.session_state if str(k).startswith(tag)]:
                st.session_state.pop(name, None)
            flash(
                f"{kind} voided. It stays in the ledger but no longer counts."
                if action == "Void"
                else "Correction saved. The old values are in the entry's history, under the ledger."
            )
