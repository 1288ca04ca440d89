"""M-Pesa (owner): the Paybill number, the Daraja C2B callback URLs with their secret (rotate), the inbox of
payments that could not be recorded (assign to a customer or note as an overpayment), and account numbers."""

import os

import streamlit as st

from duka import customers, mpesa
from duka.money import money
from ui import session
from ui.text import plain

actor = session.page("M-Pesa", roles=("owner",))
currency = session.shop()["currency"]

with session.shown_errors():
    current = mpesa.settings(actor)
    st.subheader("Paybill")
    code = st.text_input("Paybill number (reminders and statements say where to pay)", current["short_code"] or "")
    if st.button("Save Paybill number", key="mpesa_save_code"):
        mpesa.set_short_code(actor, code)
        session.flash("Paybill number saved.")
        st.rerun()

    st.subheader("Payments that record themselves (Daraja C2B)")
    if current["enabled"]:
        st.caption(f"Callback URLs made on {current['secret_set_at']:%d %b %Y %H:%M}. Rotating stops the old ones.")
    else:
        st.caption("Not turned on: make the callback URLs, then register them with Safaricom (see the README).")
    base = st.text_input("The API's public HTTPS address", os.environ.get("DAFTARI_PUBLIC_URL", "https://"))
    if st.button("Rotate secret" if current["enabled"] else "Make callback URLs", key="mpesa_rotate"):
        st.session_state["mpesa_urls"] = mpesa.callback_urls(base, mpesa.rotate_secret(actor))
        st.rerun()  # drawn again as turned on, the URLs shown once below
    if urls := st.session_state.pop("mpesa_urls", None):  # shown once: only the secret's hash is kept
        st.warning("Copy these now: they are shown only once.")
        for name in ("validation", "confirmation"):  # one block each, wrapped: the whole URL on a phone, one copy
            st.caption(f"{name.capitalize()}URL")
            st.code(urls[name], language=None, wrap_lines=True)

    st.subheader("Inbox")
    inbox = mpesa.transactions(actor)
    if inbox.empty:
        st.info("Nothing waiting: every M-Pesa payment was recorded.")
    else:
        st.dataframe(
            inbox[["trans_id", "trans_time", "amount", "bill_ref_number", "payer_name", "reason"]],
            hide_index=True,
            column_config={"amount": st.column_config.NumberColumn("Amount", format="%.2f")},
        )
        labels = {
            r.c2b_id: f"{r.trans_id} · {money(r.amount, currency)} · {r.bill_ref_number or 'no account'}"
            for r in inbox.itertuples()
        }
        chosen = st.selectbox("Payment", list(labels), format_func=lambda i: plain(labels[i]), key="mpesa_pick")
        people = customers.customer_choices(actor)
        names = dict(zip(people["customer_id"], people["name"]))
        who = st.selectbox("Customer", list(names), format_func=lambda i: plain(names[i]), key="mpesa_who")
        if st.button("Record as their payment", key="mpesa_assign") and who is not None:
            mpesa.assign(actor, chosen, who)
            session.flash("Recorded as the customer's M-Pesa payment.")
            st.rerun()
        note = st.text_input("Or note it as an overpayment (what happens to the money)", key="mpesa_note")
        if st.button("Save note", key="mpesa_save_note"):
            mpesa.note_overpayment(actor, chosen, note)
            session.flash("Noted; no balance changed.")
            st.rerun()

    with st.expander("Account numbers"):
        st.dataframe(mpesa.customer_accounts(actor), hide_index=True)
