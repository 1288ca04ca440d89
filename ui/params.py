"""A question's parameters as widgets: a date range, a date, a month, a number within its limits, text, or
choices — a dependent choice offered from what was chosen before it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import streamlit as st

from duka import questions
from duka.clock import today
from duka.members import Actor
from duka.periods import add_months, month_start

MONTHS_OFFERED = 60  # a month parameter offers this month and the five years before it


def _months(start: date) -> list[date]:
    newest = month_start(today())
    offered = [add_months(newest, -i) for i in range(MONTHS_OFFERED)]
    return offered if start in offered else [start, *offered]


def _number(p: questions.Param, key: str, start: object):
    if p.whole:
        return st.number_input(p.label, int(p.minimum), int(p.maximum), int(start), int(p.step), key=key, format="%d")
    places = max(0, -p.step.as_tuple().exponent)
    picked = st.number_input(
        p.label, float(p.minimum), float(p.maximum), float(start), float(p.step), key=key, format=f"%.{places}f"
    )
    return Decimal(str(picked)).quantize(p.step)  # the widget's float read through its text


def widgets(actor: Actor, question: questions.Question) -> dict:
    """One widget per parameter, keyed by question and name; returns name -> the value chosen. The runner checks
    every value again (questions.bind), so a value that slips past a widget gets a sentence, not an error."""
    values: dict = {}
    for p in question.params:
        key = f"question_{question.key}_{p.name}"
        start = questions.default_value(p)
        if p.type == "daterange":
            picked = st.date_input(p.label, value=start, key=key)
            values[p.name] = picked if isinstance(picked, tuple) and len(picked) == 2 else start
        elif p.type == "date":
            values[p.name] = st.date_input(p.label, value=start, key=key)
        elif p.type == "month":
            offered = _months(start)
            values[p.name] = st.selectbox(p.label, offered, offered.index(start), lambda d: f"{d:%B %Y}", key=key)
        elif p.type == "number":
            values[p.name] = _number(p, key, start)
        elif p.type == "text":
            values[p.name] = st.text_input(p.label, value=start, key=key, max_chars=questions.TEXT_LIMIT)
        else:
            chosen = questions.bind_earlier(question, p, values, actor) if p.depends else {}
            options = dict(questions.choices(actor, p, chosen))
            if p.type == "multichoice":
                if any(v not in options for v in st.session_state.get(key, [])):
                    st.session_state[key] = [v for v in st.session_state[key] if v in options]
                values[p.name] = st.multiselect(p.label, list(options), format_func=options.get, key=key)
            else:
                if st.session_state.get(key) not in options:  # what it depends on changed: its old choice is gone
                    st.session_state.pop(key, None)
                index = list(options).index(start) if start in options else 0
                values[p.name] = st.selectbox(p.label, list(options), index=index, format_func=options.get, key=key)
    return values
