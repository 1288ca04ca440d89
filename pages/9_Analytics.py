"""Where the money goes: totals, trends, categories, payment modes, weekdays, insights — all computed in SQL."""

import plotly.express as px
import streamlit as st

import i18n
from duka import analytics, expenses
from duka.clock import today, written_day
from duka.money import money
from duka.periods import PRESETS, preset
from i18n import N_, t
from ui import session
from ui.forms import shown_as
from ui.text import chart_text, plain

CUSTOM = N_("Custom")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # as the SQL names them

actor = session.page(N_("Spending analytics"))
currency = session.shop()["currency"]
axis = chart_text(currency)

with session.shown_errors():
    names = dict(zip(*expenses.categories(actor)[["category_id", "name"]].T.values))
    choice = st.selectbox(
        t("Period"),
        [*PRESETS, CUSTOM],
        index=PRESETS.index("This year"),
        format_func=shown_as((*PRESETS, CUSTOM)),
        key="analytics_period",
    )
    if choice == CUSTOM:
        left, right = st.columns(2)
        start = left.date_input(t("From"), value=preset("This year", today())[0], key="analytics_from")
        end = right.date_input(t("To"), value=today(), key="analytics_to")
    else:
        start, end = preset(choice, today())
    chosen = st.multiselect(t("Categories (all when empty)"), list(names), format_func=names.get, key="analytics_cats")
    period = analytics.Period(start, end, tuple(chosen))
    st.caption(f"{written_day(start)} – {written_day(end)}")  # '05 Jan 2026', as before

    figures = analytics.summary(actor, period)
    change = figures["change_percent"]
    first, second = st.columns(2)
    first.metric(
        t("Total spent"),
        money(figures["total"], currency),
        None if change is None else t("{change} % vs previous period", change=i18n.number(change, 1)),
        delta_color="inverse",
    )
    second.metric(t("Cashback earned"), money(figures["cashback"], currency))
    first, second = st.columns(2)
    first.metric(t("Daily average"), money(figures["daily_average"], currency))
    second.metric(t("Expenses"), i18n.number(figures["expenses"]))
    top_day = analytics.highest_day(actor, period)
    if top_day:
        when = top_day["spent_on"]
        st.caption(
            t(
                "Highest spending day: {day}, {amount}.",
                day=f"{i18n.weekday(when.weekday())} {written_day(when)}",  # 'Saturday 10 Jan 2026'
                amount=money(top_day["spent"], currency),
            )
        )

    for sentence in analytics.insights(actor, currency, end):
        st.info(plain(sentence), icon=":material/lightbulb:")

    trend = analytics.monthly_trend(actor, period).astype({"spent": str, "cashback": str})
    trend["month"] = trend["month"].map(i18n.short_month)  # 'Mar 2026', 'Mac 2026'
    st.subheader(t("Monthly trend"))
    st.plotly_chart(
        px.bar(trend, x="month", y="spent", labels={"spent": axis, "month": ""}, height=300), width="stretch"
    )
    st.subheader(t("Cashback per month"))
    st.plotly_chart(
        px.line(trend, x="month", y="cashback", markers=True, labels={"cashback": axis, "month": ""}, height=260),
        width="stretch",
    )

    by_category = analytics.by_category(actor, period)
    if not by_category.empty:
        st.subheader(t("By category"))
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
        st.subheader(t("Payment modes"))
        modes = analytics.by_payment_mode(actor, period).astype({"spent": str})
        modes["payment_mode"] = modes["payment_mode"].map(lambda mode: chart_text(t(mode)))  # stored in English
        st.plotly_chart(
            px.pie(
                modes,
                names="payment_mode",
                values="spent",
                labels={"payment_mode": chart_text(t("Payment mode")), "spent": axis},
                height=320,
            ),
            width="stretch",
        )
        st.subheader(t("By day of the week"))
        days = analytics.by_weekday(actor, period).astype({"spent": str})
        days["weekday"] = days["weekday"].map(lambda name: i18n.weekday(WEEKDAYS.index(name)))
        st.plotly_chart(
            px.bar(days, x="weekday", y="spent", labels={"spent": axis, "weekday": ""}, height=260), width="stretch"
        )
