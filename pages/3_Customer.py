"""One customer's ledger: newest first with the balance after each entry (write-offs too), the credit limit, its
history, the statement, reminders (to send, and those sent), and (by role) sales, payments, corrections and the
customer's own details, the owner's credit limit and write-off among them."""

import streamlit as st

from duka import book, customers
from duka.money import money
from i18n import N_, t
from ui import corrections, customer_admin, ledger, session
from ui.forms import payment_form, pick_customer, sale_form
from ui.text import plain

REMIND, STATEMENT, SALE, PAYMENT, CORRECTIONS, CUSTOMER = (
    N_("Remind"),
    N_("Statement"),
    N_("Record sale"),
    N_("Record payment"),
    N_("Corrections"),
    N_("Customer"),
)

actor = session.page(N_("Customer ledger"))
shop = session.shop()
currency, role = shop["currency"], st.session_state.role

with session.shown_errors():
    archived = st.toggle(t("Include archived customers"), key="customer_archived")
    customer_id = pick_customer(actor, currency, key="customer_pick", remember=True, include_archived=archived)
    if customer_id is None:
        st.stop()
    customer = customers.customer(actor, customer_id)
    st.metric(t("{name} owes", name=plain(customer["name"])), money(customer["balance"], currency))
    if customer["phone"]:
        st.caption(t("Phone {phone}", phone=plain(customer["phone"])))
    ledger.credit_line(actor, customer_id, currency)

    entries = book.ledger(actor, customer_id)
    if entries.empty:
        st.info(t("No sales or payments yet."))
    else:
        ledger.table(entries, currency)
        ledger.entry_history(actor, entries)

    writer = role in ("owner", "clerk")
    tabs = (
        [REMIND, STATEMENT]
        + ([SALE] if writer and customer["archived_at"] is None else [])
        + ([PAYMENT] if writer else [])  # an archived customer may still pay what they owe
        + ([CORRECTIONS] if role == "owner" else [])
        + ([CUSTOMER] if role in ("owner", "clerk") else [])
    )
    # kept after a save; the key holds the language, so a switch of language draws the tabs again
    shown = st.tabs([t(tab) for tab in tabs], key="customer_tab", on_change="rerun")
    shown_tabs = dict(zip(tabs, shown))

    with shown_tabs[REMIND]:
        ledger.remind(actor, customer, writer)
        ledger.reminders(actor, customer_id, currency)
    with shown_tabs[STATEMENT]:
        if shown_tabs[STATEMENT].open:  # not on every rerun of the page
            ledger.statement(actor, customer, entries)
    if SALE in shown_tabs:
        with shown_tabs[SALE]:
            sale_form(actor, currency, customer_id, key="customer_sale")
    if PAYMENT in shown_tabs:
        with shown_tabs[PAYMENT]:
            payment_form(actor, currency, customer_id, key="customer_payment")
    if CORRECTIONS in shown_tabs:
        with shown_tabs[CORRECTIONS]:
            corrections.panel(actor, currency, entries)
    if CUSTOMER in shown_tabs:
        with shown_tabs[CUSTOMER]:
            customer_admin.panel(actor, customer, currency, role)
