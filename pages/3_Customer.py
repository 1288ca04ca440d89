"""One customer's ledger: newest first with the balance after each entry, its history, the statement,
reminders, and (by role) sales, payments, corrections and the customer's own details."""

import streamlit as st

from duka import book, customers, statements
from duka.money import money
from duka.reminders import DEFAULT_TEMPLATE, reminder_text, sms_link, whatsapp_link
from ui import corrections, customer_admin, ledger, session
from ui.forms import payment_form, pick_customer, sale_form
from ui.text import plain

actor = session.page("Customer ledger")
shop = session.shop()
currency, role = shop["currency"], st.session_state.role

with session.shown_errors():
    archived = st.toggle("Include archived customers", key="customer_archived")
    customer_id = pick_customer(actor, currency, key="customer_pick", remember=True, include_archived=archived)
    if customer_id is None:
        st.stop()
    customer = customers.customer(actor, customer_id)
    st.metric(f"{plain(customer['name'])} owes", money(customer["balance"], currency))
    if customer["phone"]:
        st.caption(f"Phone {plain(customer['phone'])}")

    entries = book.ledger(actor, customer_id)
    if entries.empty:
        st.info("No sales or payments yet.")
    else:
        ledger.table(entries, currency)
        ledger.entry_history(actor, entries)

    writer = role in ("owner", "clerk")
    tabs = (
        ["Remind", "Statement"]
        + (["Record sale"] if writer and customer["archived_at"] is None else [])
        + (["Record payment"] if writer else [])  # an archived customer may still pay what they owe
        + (["Corrections"] if role == "owner" else [])
        + (["Customer"] if role in ("owner", "clerk") else [])
    )
    shown_tabs = dict(zip(tabs, st.tabs(tabs, key="customer_tab", on_change="rerun")))  # kept after a save

    with shown_tabs["Remind"]:
        if customer["balance"] <= 0:
            st.info("Nothing to remind: the balance is zero.")
        elif not customer["phone"]:
            st.info(
                "This customer has no phone number"
                + (": add it in the Customer tab to send reminders." if writer else ", so no reminder can be sent.")
            )
        else:
            template = st.text_area(
                "Message ({name}, {balance} and {shop} are filled in)", DEFAULT_TEMPLATE, key="customer_template"
            )
            pay_to = statements.where_to_pay(actor, customer_id)
            text = reminder_text(template, customer["name"], customer["balance"], shop["shop_name"], currency, pay_to)
            st.caption(plain(text))
            left, right = st.columns(2)
            left.link_button("Send on WhatsApp", whatsapp_link(customer["phone"], text), width="stretch")
            right.link_button("Send SMS", sms_link(customer["phone"], text), width="stretch")
    with shown_tabs["Statement"]:
        if shown_tabs["Statement"].open:  # not on every rerun of the page
            ledger.statement(actor, customer, entries)
    if "Record sale" in shown_tabs:
        with shown_tabs["Record sale"]:
            sale_form(actor, currency, customer_id, key="customer_sale")
    if "Record payment" in shown_tabs:
        with shown_tabs["Record payment"]:
            payment_form(actor, currency, customer_id, key="customer_payment")
    if "Corrections" in shown_tabs:
        with shown_tabs["Corrections"]:
            corrections.panel(actor, currency, entries)
    if "Customer" in shown_tabs:
        with shown_tabs["Customer"]:
            customer_admin.panel(actor, customer, currency, role)
