"""Numbers for the eye: tables whose money stays a number until the browser, money in metrics, money charts."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import i18n
from duka.money import money
from i18n import t
from ui.text import chart_text


def money_column(label: str, currency: str) -> st.column_config.NumberColumn:
    """A table column that shows a number as 'Ksh 1,234.50', right-aligned and sorted by value."""
    return st.column_config.NumberColumn(label, format=f"{i18n.currency_symbol(currency)} %,.2f")


def table(
    frame: pd.DataFrame, currency: str, labels: dict[str, str], amounts: tuple[str, ...] = (), **options
) -> object:
    """Show the labelled columns of frame, in that order; the `amounts` columns in the shop's currency; a missing
    value as an empty cell (not "None").

    Extra options go to st.dataframe (on_select, key…); its return value is passed back."""
    config = {column: money_column(label, currency) if column in amounts else label for column, label in labels.items()}
    options.setdefault("placeholder", "")
    return st.dataframe(frame[list(labels)], hide_index=True, width="stretch", column_config=config, **options)


def change(amount, currency: str, against: str) -> str:
    """A metric's delta: '+Ksh 200.00 against …' or '-Ksh 50.00 against …' (the sign sets the arrow, so every
    language starts with the amount)."""
    return t(
        "{change} against {period}", change=f"{'+' if amount >= 0 else ''}{money(amount, currency)}", period=against
    )


def month_bars(
    months: pd.Series, series: list[tuple[str, pd.Series, str]], currency: str, height: int, empty: str
) -> None:
    """Grouped bars per month: (name, amounts, colour) each; amounts go to plotly as text, never as float.
    When every amount is zero, the sentence `empty` instead of a chart of nothing."""
    if all((values == 0).all() for _, values, _ in series):
        st.info(empty)
        return
    labels = months.map(i18n.short_month)  # 'Mar 2024', 'Mac 2024'
    chart = go.Figure(
        [
            go.Bar(name=chart_text(name), x=labels, y=values.astype(str), marker_color=colour)
            for name, values, colour in series
        ]
    )
    chart.update_layout(
        barmode="group",
        height=height,
        margin=dict(l=10, r=10, t=10, b=10),
        legend=dict(orientation="h"),
        yaxis=dict(title=chart_text(currency), rangemode="tozero"),  # money given and taken is never below 0
    )
    st.plotly_chart(chart, width="stretch")
