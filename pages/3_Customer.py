"""One customer's ledger: sales and payments with the running balance, reminders, statement, corrections."""

import streamlit as st

from duka import book
from duka.money import money
from duka.reminders import DEFAULT_TEMPLATE, reminder_text, sms_link, whatsapp_link
from ui import corrections, format, session
from ui.forms import payment_form, pick_customer, sale_form
from ui.text import plain

actor = session.page("Customer ledger")
shop = session.shop()
currency, role = shop["currency"], st.session_state.role

with session.shown_errors():
    customer_id = pick_customer(actor, currency, key="customer_pick")
    if customer_id is None:
        st.stop()
    customer = book.customer(actor, customer_id)
    st.metric(f"{plain(customer['name'])} owes", money(customer["balance"], currency))
    if customer["phone"]:
        st.caption(f"Phone {customer['phone']}")

    ledger = book.ledger(actor, customer_id)
    if ledger.empty:
        st.info("No sales or payments yet.")
    else:
        shown = ledger.assign(kind=ledger["kind"].where(~ledger["voided"], ledger["kind"] + " (void)"))
        labels = {
            "entry_date": "Date",
            "kind": "Entry",
            "description": "Details",
            "charge": "Sale",
            "payment": "Paid",
            "running_balance": "Balance",
        }
        format.table(shown, currency, labels, ("charge", "payment", "running_balance"))
        statement = ledger.drop(columns=["entry_id"]).assign(currency=currency)
        st.download_button(
            "Download statement (CSV)",
            statement.to_csv(index=False).encode("utf-8"),
            file_name=f"statement-{customer_id}.csv",
            mime="text/csv",
            key="customer_csv",
        )

    tabs = (
        ["Remind"]
        + (["Record sale", "Record payment"] if role in ("owner", "clerk") else [])
        + (["Corrections"] if role == "owner" else [])
    )
    shown_tabs = dict(zip(tabs, st.tabs(tabs)))

    with shown_tabs["Remind"]:
        if customer["balance"] <= 0:
            st.info("Nothing to remind: the balance is zero.")
        elif not customer["phone"]:
            st.info("Add a phone number for this customer to send reminders.")
        else:
            template = st.text_area(
                "Message ({name}, {balance} and {shop} are filled in)", DEFAULT_TEMPLATE, key="customer_template"
            )
            text = reminder_text(template, customer["name"], customer["balance"], shop["shop_name"], currency)
            st.caption(plain(text))
            left, right = st.columns(2)
            left.link_button("Send on WhatsApp", whatsapp_link(customer["phone"], text), width="stretch")
            right.link_button("Send SMS", sms_link(customer["phone"], text), width="stretch")
    if "Record sale" in shown_tabs:
        with shown_tabs["Record sale"]:
            sale_form(actor, currency, customer_id, key="customer_sale")
        with shown_tabs["Record payment"]:
            payment_form(actor, currency, customer_id, key="customer_payment")
    if "Corrections" in shown_tabs:
        with shown_tabs["Corrections"]:
            corrections.panel(actor, currency, ledger)
