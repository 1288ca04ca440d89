"""The shop at a glance: what is owed, what came in, who owes most, how old the debts are."""

import streamlit as st

from duka import dashboard
from duka.clock import written_day
from duka.money import money
from i18n import N_, number, t, tn
from ui import format, session

actor = session.page(N_("Dashboard"))
currency = session.shop()["currency"]
A_COUNT = {"delta_color": "off", "delta_arrow": "off"}  # a metric's count of customers, not a change


def customers_count(n: int) -> str:
    return tn("{n} customer", "{n} customers", int(n))


if st.session_state.role in ("owner", "clerk"):  # the two things a shopkeeper does most, one tap away
    sale, payment = st.columns(2)
    sale.page_link("pages/4_Record_sale.py", label=t("Record a credit sale"), icon=":material/add_shopping_cart:")
    payment.page_link("pages/5_Record_payment.py", label=t("Record a payment"), icon=":material/payments:")

with session.shown_errors():
    figures = dashboard.kpis(actor)  # collected: payments only, whatever is written off
    due = dashboard.due(actor)
    same_days = f"{figures['last_month_start'].day}–{written_day(figures['last_month_day'], 'd MMM')}"
    collected_change = figures["collected_month"] - figures["collected_last_month"]
    credit_change = figures["credit_month"] - figures["credit_last_month"]
    first, second = st.columns(2)  # row by row, so a phone stacks them in reading order
    first.metric(t("Total outstanding"), money(figures["outstanding"], currency))
    second.metric(t("Active debtors"), number(figures["active_debtors"]))
    first, second = st.columns(2)
    first.metric(t("Collected today"), money(figures["collected_today"], currency))
    second.metric(
        t("Collected this month"),
        money(figures["collected_month"], currency),
        format.change(collected_change, currency, same_days),
    )
    first, second = st.columns(2)
    first.metric(
        t("Overdue (past due date)"),
        money(due["overdue_amount"], currency),
        customers_count(due["overdue_customers"]),
        **A_COUNT,
    )
    second.metric(
        t("Due soon"),
        money(due["due_soon_amount"], currency),
        customers_count(due["due_soon_customers"]),
        **A_COUNT,
    )
    first, second = st.columns(2)
    first.metric(
        t("Credit given this month"),
        money(figures["credit_month"], currency),
        format.change(credit_change, currency, same_days),
        delta_color="off",  # more credit is neither good nor bad news by itself
    )
    second.metric(
        t("Written off this year"),
        money(due["written_off_year"], currency),
        customers_count(due["written_off_year_customers"]),
        **A_COUNT,
    )

    st.subheader(t("Credit given vs collected, last 12 months"))
    flow = dashboard.monthly_flow(actor)
    series = [(t("Credit given"), flow["credit_given"], "#f59e0b"), (t("Collected"), flow["collected"], "#0f766e")]
    empty = t("No credit given or collected in the last 12 months yet.")
    format.month_bars(flow["month"], series, currency, height=320, empty=empty)

    st.subheader(t("Age of unpaid sales"))
    ages = dashboard.ageing(actor).assign(bucket=lambda f: f["bucket"].map(t))  # dashboard.AGE_BUCKETS
    format.table(ages, currency, {"bucket": t("Age"), "owed": t("Owed"), "sales": t("Sales")}, ("owed",))

    st.subheader(t("Top debtors"))
    top = dashboard.top_debtors(actor)
    if top.empty:
        st.info(t("Nobody owes anything. 🎉"))
    else:
        format.table(top, currency, {"customer": t("Customer"), "balance": t("Owes")}, ("balance",))
