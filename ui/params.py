"""A question's parameters as widgets: a date range, a date, a month, a number within its limits, text, or
choices — a dependent choice offered from what was chosen before it; and its answer's headings and the labels
its SQL writes, in the reader's language (the question files' words are messages of the catalogue)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import streamlit as st

import i18n
from duka import questions
from duka.clock import today
from duka.members import Actor
from duka.periods import add_months, month_start
from duka.question_files import heading_words
from i18n import N_, t

MONTHS_OFFERED = 60  # a month parameter offers this month and the five years before it
# Labels the library's SQL writes itself or takes from a fixed list (weekdays, age buckets, kinds, payment modes,
# channels, methods), in the columns that hold them: translated after the query, so the SQL stays one text.
SQL_LABELS = frozenset(
    (
        N_("Monday"),
        N_("Tuesday"),
        N_("Wednesday"),
        N_("Thursday"),
        N_("Friday"),
        N_("Saturday"),
        N_("Sunday"),
        N_("0–30 days"),
        N_("31–60 days"),
        N_("61–90 days"),
        N_("over 90 days"),
        N_("Essential"),
        N_("Discretionary"),
        N_("Lowest"),
        N_("Highest"),
        N_("Cash"),
        N_("M-Pesa"),
        N_("Credit Card"),
        N_("Debit Card"),
        N_("Bank transfer"),
        N_("Online"),
        N_("Mobile money"),
        N_("Cards"),
        N_("Bank"),
        N_("Other"),
    )
)
LABELLED_COLUMNS = ("weekday", "bucket", "kind", "extreme", "payment_mode", "channel", "method")


def _months(start: date) -> list[date]:
    newest = month_start(today())
    offered = [add_months(newest, -i) for i in range(MONTHS_OFFERED)]
    return offered if start in offered else [start, *offered]


def _number(p: questions.Param, label: str, key: str, start: object):
    if p.whole:
        return st.number_input(label, int(p.minimum), int(p.maximum), int(start), int(p.step), key=key, format="%d")
    places = max(0, -p.step.as_tuple().exponent)
    picked = st.number_input(
        label, float(p.minimum), float(p.maximum), float(start), float(p.step), key=key, format=f"%.{places}f"
    )
    return Decimal(str(picked)).quantize(p.step)  # the widget's float read through its text


def widgets(actor: Actor, question: questions.Question) -> dict:
    """One widget per parameter, keyed by question and name; returns name -> the value chosen. The runner checks
    every value again (questions.bind), so a value that slips past a widget gets a sentence, not an error."""
    values: dict = {}
    for p in question.params:
        key = f"question_{question.key}_{p.name}"
        start = questions.default_value(p)
        label = t(p.label)
        if p.type == "daterange":
            picked = st.date_input(label, value=start, key=key)
            values[p.name] = picked if isinstance(picked, tuple) and len(picked) == 2 else start
        elif p.type == "date":
            values[p.name] = st.date_input(label, value=start, key=key)
        elif p.type == "month":
            offered = _months(start)
            months = {m: i18n.month(m) for m in offered}  # said now: a format function runs outside this run too
            values[p.name] = st.selectbox(label, offered, offered.index(start), months.get, key=key)
        elif p.type == "number":
            values[p.name] = _number(p, label, key, start)
        elif p.type == "text":
            values[p.name] = st.text_input(label, value=start, key=key, max_chars=questions.TEXT_LIMIT)
        else:
            chosen = questions.bind_earlier(question, p, values, actor) if p.depends else {}
            options = dict(questions.choices(actor, p, chosen))
            # a fixed choice is the file's words (translated); a source's choices are the shop's own names
            shown = (options if p.source else {v: t(label) for v, label in options.items()}).get
            if p.type == "multichoice":
                if any(v not in options for v in st.session_state.get(key, [])):
                    st.session_state[key] = [v for v in st.session_state[key] if v in options]
                values[p.name] = st.multiselect(label, list(options), format_func=shown, key=key)
            else:
                if st.session_state.get(key) not in options:  # what it depends on changed: its old choice is gone
                    st.session_state.pop(key, None)
                index = list(options).index(start) if start in options else 0
                values[p.name] = st.selectbox(label, list(options), index=index, format_func=shown, key=key)
    return values


def heading(column: str, as_words: bool = False) -> str:
    """A column's header in the reader's language: its words ('monthly budget'). English keeps what it has always
    shown: the words where `as_words` (a money column, a metric), else the SQL name ('oldest_due')."""
    words = heading_words(column)
    said = t(words)
    return said if as_words or said != words else column


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """The answer with the labels its SQL wrote (SQL_LABELS, in LABELLED_COLUMNS) in the reader's language; the
    shop's own text (a category named 'Cash') is left alone in any other column."""
    if i18n.language() == i18n.DEFAULT:
        return frame
    columns = [c for c in LABELLED_COLUMNS if c in frame.columns]
    if not columns:
        return frame
    return frame.assign(**{c: frame[c].map(lambda v: t(v) if v in SQL_LABELS else v) for c in columns})
