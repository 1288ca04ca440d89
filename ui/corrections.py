"""The owner's corrections on the customer page: edit or void a sale or a payment (never delete)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from db import book
from db.access import Actor, today
from db.values import money
from ui.session import flash, shown_errors


def panel(actor: Actor, currency: str, ledger: pd.DataFrame) -> None:
    live = ledger[~ledger["voided"]] if not ledger.empty else ledger
    if live.empty:
        st.info("Nothing to correct.")
        return
    entries = {f"{r.entry_date:%d %b %Y} · {r.kind} #{r.entry_id} · {r.description} · "
               f"{money(r.charge if r.kind == 'Sale' else r.payment, currency)}": (r.kind, r.entry_id)
               for r in live.itertuples()}
    kind, entry_id = entries[st.selectbox("Entry", list(entries), key="fix_entry")]
    row = live[(live["kind"] == kind) & (live["entry_id"] == entry_id)].iloc[0]
    action = st.radio("Correction", ["Edit", "Void"], horizontal=True, key="fix_action")
    with st.form("fix_form"):
        if action == "Void":
            reason = st.text_input("Reason (kept with the entry)", key="fix_reason")
        elif kind == "Sale":
            product = st.text_input("Product", row["description"], key="fix_product")
            total = st.text_input(f"Total ({currency})", str(row["charge"]), key="fix_total")
            day = st.date_input("Date of sale", row["entry_date"], max_value=today(), key="fix_date")
            due = st.date_input("Due date (optional)", value=None, key="fix_due")
        else:
            amount = st.text_input(f"Amount ({currency})", str(row["payment"]), key="fix_amount")
            method = st.selectbox("Method", book.METHODS, key="fix_method")
            reference = st.text_input("Reference (optional)", key="fix_reference")
            day = st.date_input("Date", row["entry_date"], max_value=today(), key="fix_pay_date")
        done = st.form_submit_button("Void entry" if action == "Void" else "Save correction", type="primary")
    if done:
        with shown_errors():
            if action == "Void" and kind == "Sale":
                book.void_sale(actor, int(entry_id), reason)
            elif action == "Void":
                book.void_payment(actor, int(entry_id), reason)
            elif kind == "Sale":
                book.edit_sale(actor, int(entry_id), product, total, day, due)
            else:
                book.edit_payment(actor, int(entry_id), amount, method, reference, day)
            flash("Correction saved. The original entry stays in the history.")
