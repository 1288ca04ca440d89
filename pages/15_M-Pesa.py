"""M-Pesa (owner): the Paybill number, the Daraja C2B callback URLs with their secret (rotate), the inbox of
payments that could not be recorded (assign to a customer or note as an overpayment), and account numbers."""

import os

import streamlit as st

from duka import customers, mpesa
from duka.clock import written_day
from duka.money import money
from i18n import N_, t
from ui import session
from ui.params import heading
from ui.text import plain

# The tables' headers are their columns' words (ui.params.heading), listed here for the catalogue.
HEADERS = (
    *(N_("trans id"), N_("trans time"), N_("bill ref number"), N_("payer name"), N_("reason")),
    *(N_("account no"), N_("customer id"), N_("name"), N_("phone"), N_("balance")),
)

actor = session.page(N_("M-Pesa"), roles=("owner",))
currency = session.shop()["currency"]


def headers(columns) -> dict:
    """Each column's header in the reader's language (English shows the column's name, as it always has)."""
    return {c: st.column_config.Column(heading(c)) for c in columns if heading(c) != c}


with session.shown_errors():
    current = mpesa.settings(actor)
    st.subheader(t("Paybill"))
    code = st.text_input(t("Paybill number (reminders and statements say where to pay)"), current["short_code"] or "")
    if st.button(t("Save Paybill number"), key="mpesa_save_code"):
        mpesa.set_short_code(actor, code)
        session.flash(t("Paybill number saved."))
        st.rerun()

    st.subheader(t("Payments that record themselves (Daraja C2B)"))
    if current["enabled"]:
        made = current["secret_set_at"]
        made = f"{written_day(made)} {made:%H:%M}"  # '05 Mar 2026 14:05', '05 Mac 2026 14:05'
        st.caption(t("Callback URLs made on {when}. Rotating stops the old ones.", when=made))
    else:
        st.caption(t("Not turned on: make the callback URLs, then register them with Safaricom (see the README)."))
    base = st.text_input(t("The API's public HTTPS address"), os.environ.get("DAFTARI_PUBLIC_URL", "https://"))
    if st.button(t("Rotate secret") if current["enabled"] else t("Make callback URLs"), key="mpesa_rotate"):
        st.session_state["mpesa_urls"] = mpesa.callback_urls(base, mpesa.rotate_secret(actor))
        st.rerun()  # drawn again as turned on, the URLs shown once below
    if urls := st.session_state.pop("mpesa_urls", None):  # shown once: only the secret's hash is kept
        st.warning(t("Copy these now: they are shown only once."))
        for name in ("validation", "confirmation"):  # one block each, wrapped: the whole URL on a phone, one copy
            st.caption(f"{name.capitalize()}URL")  # Daraja's own names of the two fields
            st.code(urls[name], language=None, wrap_lines=True)

    st.subheader(t("Inbox"))
    inbox = mpesa.transactions(actor)
    if inbox.empty:
        st.info(t("Nothing waiting: every M-Pesa payment was recorded."))
    else:
        shown = inbox[["trans_id", "trans_time", "amount", "bill_ref_number", "payer_name", "reason"]]
        st.dataframe(
            shown.assign(reason=shown["reason"].map(mpesa.said)),
            hide_index=True,
            column_config=headers(shown.columns)
            | {"amount": st.column_config.NumberColumn(t("Amount"), format="%.2f")},
        )
        no_account = t("no account")
        labels = {
            r.c2b_id: f"{r.trans_id} · {money(r.amount, currency)} · {r.bill_ref_number or no_account}"
            for r in inbox.itertuples()
        }
        chosen = st.selectbox(t("Payment"), list(labels), format_func=lambda i: plain(labels[i]), key="mpesa_pick")
        people = customers.customer_choices(actor)
        names = dict(zip(people["customer_id"], people["name"]))
        who = st.selectbox(t("Customer"), list(names), format_func=lambda i: plain(names[i]), key="mpesa_who")
        if st.button(t("Record as their payment"), key="mpesa_assign") and who is not None:
            mpesa.assign(actor, chosen, who)
            session.flash(t("Recorded as the customer's M-Pesa payment."))
            st.rerun()
        note = st.text_input(t("Or note it as an overpayment (what happens to the money)"), key="mpesa_note")
        if st.button(t("Save note"), key="mpesa_save_note"):
            mpesa.note_overpayment(actor, chosen, note)
            session.flash(t("Noted; no balance changed."))
            st.rerun()

    with st.expander(t("Account numbers")):
        accounts = mpesa.customer_accounts(actor)
        st.dataframe(accounts, hide_index=True, column_config=headers(accounts.columns))
