"""The shop at a glance: what is owed, what came in, who owes most, how old the debts are."""

import streamlit as st

from duka import dashboard
from duka.money import money
from ui import format, session

actor = session.page("Dashboard")
currency = session.shop()["currency"]

if st.session_state.role in ("owner", "clerk"):  # the two things a shopkeeper does most, one tap away
    sale, payment = st.columns(2)
    sale.page_link("pages/4_Record_sale.py", label="Record a credit sale", icon=":material/add_shopping_cart:")
    payment.page_link("pages/5_Record_payment.py", label="Record a payment", icon=":material/payments:")

with session.shown_errors():
    figures = dashboard.kpis(actor)
    same_days = f"{figures['last_month_start']:%-d}–{figures['last_month_day']:%-d %b}"
    collected_change = figures["collected_month"] - figures["collected_last_month"]
    credit_change = figures["credit_month"] - figures["credit_last_month"]
    first, second = st.columns(2)  # row by row, so a phone stacks them in reading order
    first.metric("Total outstanding", money(figures["outstanding"], currency))
    second.metric("Active debtors", f"{figures['active_debtors']:,}")
    first, second = st.columns(2)
    first.metric("Collected today", money(figures["collected_today"], currency))
    second.metric(
        "Collected this month",
        money(figures["collected_month"], currency),
        format.change(collected_change, currency, same_days),
    )
    first, second = st.columns(2)
    first.metric("Overdue (past due date)", money(figures["overdue"], currency))
    second.metric(
        "Credit given this month",
        money(figures["credit_month"], currency),
        format.change(credit_change, currency, same_days),
        delta_color="off",  # more credit is neither good nor bad news by itself
    )

    st.subheader("Credit given vs collected, last 12 months")
    flow = dashboard.monthly_flow(actor)
    series = [("Credit given", flow["credit_given"], "#f59e0b"), ("Collected", flow["collected"], "#0f766e")]
    empty = "No credit given or collected in the last 12 months yet."
    format.month_bars(flow["month"], series, currency, height=320, empty=empty)

    st.subheader("Age of unpaid sales")
    format.table(dashboard.ageing(actor), currency, {"bucket": "Age", "owed": "Owed", "sales": "Sales"}, ("owed",))

    st.subheader("Top debtors")
    top = dashboard.top_debtors(actor)
    if top.empty:
        st.info("Nobody owes anything. 🎉")
    else:
        format.table(top, currency, {"customer": "Customer", "balance": "Owes"}, ("balance",))
