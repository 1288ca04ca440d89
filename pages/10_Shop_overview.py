"""For shops that keep both books: credit given, money collected and expenses, month by month."""

import plotly.graph_objects as go
import streamlit as st

from duka import dashboard
from ui import format, session

actor = session.page("Shop overview")
currency = session.shop()["currency"]

with session.shown_errors():
    months = st.slider("Months", 3, 24, 12, key="overview_months")
    frame = dashboard.monthly_flow(actor, months)
    labels = frame["month_start"].map(lambda d: d.strftime("%b %Y"))
    chart = go.Figure(
        [
            go.Bar(name=name, x=labels, y=frame[column].astype(str), marker_color=colour)
            for name, column, colour in [
                ("Credit given", "credit_given", "#f59e0b"),
                ("Collected", "collected", "#0f766e"),
                ("Expenses", "expenses", "#dc2626"),
            ]
        ]
    )
    chart.update_layout(
        barmode="group",
        height=340,
        margin=dict(l=10, r=10, t=10, b=10),
        legend=dict(orientation="h"),
        yaxis_title=currency,
    )
    st.plotly_chart(chart, width="stretch")
    columns = {"month": "Month", "credit_given": "Credit given", "collected": "Collected", "expenses": "Expenses"}
    format.table(frame.assign(month=labels), currency, columns, ("credit_given", "collected", "expenses"))
