"""The owner's corrections on the customer page: edit or void a sale or a payment (never delete)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from duka import book
from duka.clock import today
from duka.members import Actor
from duka.money import money
from ui.session import flash, shown_errors


def panel(actor: Actor, currency: str, ledger: pd.DataFrame) -> None:
    live = ledger[~ledger["voided"]] if not ledger.empty else ledger
    if live.empty:
        st.info("Nothing to correct.")
        return
    entries = {
        f"{r.entry_date:%d %b %Y} · {r.kind} #{r.entry_id} · {r.description} · "
        f"{money(r.charge if r.kind == 'Sale' else r.payment, currency)}": (r.kind, r.entry_id)
        for r in live.itertuples()
    }
    kind, entry_id = entries[st.selectbox("Entry", list(entries), key="fix_entry")]
    row = live[(live["kind"] == kind) & (live["entry_id"] == entry_id)].iloc[0]
    action = st.radio("Correction", ["Edit", "Void"], horizontal=True, key="fix_action")
    with st.form(f"fix_form_{kind}_{entry_id}"):  # keyed by entry: fields show the chosen one
        if action == "Void":
            reason = st.text_input("Reason (kept with the entry)", key=f"fix_reason_{kind}_{entry_id}")
        elif kind == "Sale":
            product = st.text_input("Product", row["description"], key=f"fix_product_{kind}_{entry_id}")
            total = st.text_input(f"Total ({currency})", str(row["charge"]), key=f"fix_total_{kind}_{entry_id}")
            day = st.date_input("Date of sale", row["entry_date"], max_value=today(), key=f"fix_date_{kind}_{entry_id}")
            due = st.date_input("Due date (optional)", value=None, key=f"fix_due_{kind}_{entry_id}")
        else:
            amount = st.text_input(f"Amount ({currency})", str(row["payment"]), key=f"fix_amount_{kind}_{entry_id}")
            method = st.selectbox("Method", book.METHODS, key=f"fix_method_{kind}_{entry_id}")
            reference = st.text_input("Reference (optional)", key=f"fix_reference_{kind}_{entry_id}")
            day = st.date_input("Date", row["entry_date"], max_value=today(), key=f"fix_pay_date_{kind}_{entry_id}")
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
