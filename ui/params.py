"""A question's parameters as widgets: a date range, a date, a number, text, or choices from its options."""

from __future__ import annotations

import streamlit as st

from duka import questions
from duka.members import Actor


def widgets(actor: Actor, question: questions.Question) -> dict:
    """One widget per parameter, keyed by question and name; returns name -> the value chosen."""
    values = {}
    for p in question.params:
        key = f"question_{question.key}_{p.name}"
        start = questions.default_value(p)
        if p.type == "daterange":
            picked = st.date_input(p.label, value=start, key=key)
            values[p.name] = picked if isinstance(picked, tuple) and len(picked) == 2 else start
        elif p.type == "date":
            values[p.name] = st.date_input(p.label, value=start, key=key)
        elif p.type == "number":
            values[p.name] = st.number_input(p.label, value=start, key=key)
        elif p.type == "text":
            values[p.name] = st.text_input(p.label, value=start, key=key)
        else:
            options = dict(questions.choices(actor, p))
            if p.type == "multichoice":
                values[p.name] = st.multiselect(p.label, list(options), format_func=options.get, key=key)
            else:
                index = list(options).index(start) if start in options else 0
                values[p.name] = st.selectbox(p.label, list(options), index=index, format_func=options.get, key=key)
    return values
