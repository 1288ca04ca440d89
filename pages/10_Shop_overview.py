"""For shops that keep both books: credit given, money collected and expenses, month by month."""

import streamlit as st

import i18n
from duka import dashboard
from i18n import N_, t
from ui import format, session

actor = session.page(N_("Shop overview"))
currency = session.shop()["currency"]

with session.shown_errors():
    months = st.slider(t("Months"), 3, 24, 12, key="overview_months")
    frame = dashboard.monthly_flow(actor, months)
    series = [
        (t("Credit given"), frame["credit_given"], "#f59e0b"),
        (t("Collected"), frame["collected"], "#0f766e"),
        (t("Expenses"), frame["expenses"], "#dc2626"),
    ]
    empty = t("Nothing given on credit, collected or spent in these months yet.")
    format.month_bars(frame["month"], series, currency, height=340, empty=empty)
    columns = {
        "month": t("Month"),
        "credit_given": t("Credit given"),
        "collected": t("Collected"),
        "expenses": t("Expenses"),
    }
    format.table(
        frame.assign(month=frame["month"].map(i18n.short_month)),  # 'Mar 2026', 'Mac 2026'
        currency,
        columns,
        ("credit_given", "collected", "expenses"),
    )
