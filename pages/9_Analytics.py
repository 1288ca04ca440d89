"""Where the money goes: totals, trends, categories, payment modes, weekdays, insights — all computed in SQL."""

import plotly.express as px
import streamlit as st

from duka import analytics, expenses
from duka.clock import today
from duka.money import money
from duka.periods import PRESETS, preset
from ui import session
from ui.text import chart_text, plain

actor = session.page("Spending analytics")
currency = session.shop()["currency"]
axis = chart_text(currency)

with session.shown_errors():
    names = dict(zip(*expenses.categories(actor)[["category_id", "name"]].T.values))
    choice = st.selectbox("Period", [*PRESETS, "Custom"], index=PRESETS.index("This year"), key="analytics_period")
    if choice == "Custom":
        left, right = st.columns(2)
        start = left.date_input("From", value=preset("This year", today())[0], key="analytics_from")
        end = right.date_input("To", value=today(), key="analytics_to")
    else:
        start, end = preset(choice, today())
    chosen = st.multiselect("Categories (all when empty)", list(names), format_func=names.get, key="analytics_cats")
    period = analytics.Period(start, end, tuple(chosen))
    st.caption(f"{start:%d %b %Y} – {end:%d %b %Y}")

    figures = analytics.summary(actor, period)
    change = figures["change_percent"]
    first, second = st.columns(2)
    first.metric(
        "Total spent",
        money(figures["total"], currency),
        None if change is None else f"{change} % vs previous period",
        delta_color="inverse",
    )
    second.metric("Cashback earned", money(figures["cashback"], currency))
    first, second = st.columns(2)
    first.metric("Daily average", money(figures["daily_average"], currency))
    second.metric("Expenses", f"{figures['expenses']:,}")
    top_day = analytics.highest_day(actor, period)
    if top_day:
        st.caption(f"Highest spending day: {top_day['spent_on']:%A %d %b %Y}, {money(top_day['spent'], currency)}.")

    for sentence in analytics.insights(actor, currency, end):
        st.info(plain(sentence), icon=":material/lightbulb:")

    trend = analytics.monthly_trend(actor, period).astype({"spent": str, "cashback": str})
    trend["month"] = trend["month"].map(lambda d: d.strftime("%b %Y"))
    st.subheader("Monthly trend")
    st.plotly_chart(
        px.bar(trend, x="month", y="spent", labels={"spent": axis, "month": ""}, height=300), width="stretch"
    )
    st.subheader("Cashback per month")
    st.plotly_chart(
        px.line(trend, x="month", y="cashback", markers=True, labels={"cashback": axis, "month": ""}, height=260),
        width="stretch",
    )

    by_category = analytics.by_category(actor, period)
    if not by_category.empty:
        st.subheader("By category")
        # category names are the shop's own text: escaped, or Plotly would draw their HTML
        by_category["label"] = by_category["category"].map(chart_text) + " (" + by_category["share"].astype(str) + " %)"
        st.plotly_chart(
            px.bar(
                by_category.astype({"spent": str}),
                x="spent",
                y="label",
                orientation="h",
                labels={"spent": axis, "label": ""},
                height=60 + 28 * len(by_category),
            ),
            width="stretch",
        )
        st.subheader("Payment modes")
        modes = analytics.by_payment_mode(actor, period).astype({"spent": str})
        modes["payment_mode"] = modes["payment_mode"].map(chart_text)
        st.plotly_chart(px.pie(modes, names="payment_mode", values="spent", height=320), width="stretch")
        st.subheader("By day of the week")
        days = analytics.by_weekday(actor, period).astype({"spent": str})
        st.plotly_chart(
            px.bar(days, x="weekday", y="spent", labels={"spent": axis, "weekday": ""}, height=260), width="stretch"
        )
