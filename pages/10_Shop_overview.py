"""For shops that keep both books: credit given, money collected and expenses, month by month."""

import streamlit as st

from duka import dashboard
from ui import format, session

actor = session.page("Shop overview")
currency = session.shop()["currency"]

with session.shown_errors():
    months = st.slider("Months", 3, 24, 12, key="overview_months")
    frame = dashboard.monthly_flow(actor, months)
    series = [
        ("Credit given", frame["credit_given"], "#f59e0b"),
        ("Collected", frame["collected"], "#0f766e"),
        ("Expenses", frame["expenses"], "#dc2626"),
    ]
    empty = "Nothing given on credit, collected or spent in these months yet."
    format.month_bars(frame["month"], series, currency, height=340, empty=empty)
    columns = {"month": "Month", "credit_given": "Credit given", "collected": "Collected", "expenses": "Expenses"}
    format.table(
        frame.assign(month=frame["month"].map(lambda d: d.strftime("%b %Y"))),
        currency,
        columns,
        ("credit_given", "collected", "expenses"),
    )
