"""The owner's collection settings on the Reminders page: the credit period, when a debt is due soon, how often one
customer is reminded, and the shop's reminder message in each language with a preview for a customer."""

from __future__ import annotations

import streamlit as st

import i18n
from duka import collections, customers
from duka.members import Actor
from i18n import t
from ui import session
from ui.text import plain

LANGUAGES = list(i18n.LANGUAGES)


def panel(actor: Actor) -> None:
    """The owner's settings, folded away under the round."""
    with st.expander(t("Settings"), icon=":material/settings:"):
        rhythm(actor)
        st.divider()
        message(actor)


def _days(label: str, bounds: tuple[int, int], value: int, key: str) -> int:
    low, high = bounds
    return st.number_input(label, min_value=low, max_value=high, value=int(value), step=1, key=key)


def rhythm(actor: Actor) -> None:
    """The credit period (days), N (due soon within / owing longer than N days) and M (not reminded for M days)."""
    current = collections.settings(actor)
    with st.form("reminders_settings"):
        credit = _days(
            t("Credit period (days): a sale without a due date is due this many days after it"),
            collections.CREDIT_DAYS,
            current["credit_days"],
            "reminders_credit_days",
        )
        soon = _days(
            t("Due soon (days): remind this many days before the due date, or once a debt is this old"),
            collections.REMINDER_DAYS,
            current["reminder_days"],
            "reminders_soon_days",
        )
        every = _days(
            t("Days between two reminders to the same customer"),
            collections.REMIND_EVERY_DAYS,
            current["remind_every_days"],
            "reminders_every_days",
        )
        if st.form_submit_button(t("Save settings")):
            with session.shown_errors():
                collections.set_settings(actor, credit, soon, every)
                session.flash(t("Collection settings saved."))


def message(actor: Actor) -> None:
    """The shop's reminder message in one language, the placeholders it may use, and how it reads for a customer."""
    language = st.radio(
        t("Reminder message language"),
        LANGUAGES,
        index=LANGUAGES.index(st.session_state.language),
        format_func=i18n.LANGUAGES.get,
        horizontal=True,
        key="reminders_template_language",
    )
    key = f"reminders_template_{language}"
    if key not in st.session_state:  # set before the widget is drawn: no default value to clash with it
        st.session_state[key] = collections.template(actor, language)
    body = st.text_area(t("Reminder message"), key=key, height=140)
    fills = ", ".join(f"`{{{name}}}`" for name in collections.PLACEHOLDERS)
    st.caption(t("Daftari fills in {placeholders}; other words in braces are refused.", placeholders=fills))
    save, default = st.columns(2)
    if save.button(t("Save the message"), key="reminders_template_save", width="stretch"):
        with session.shown_errors():
            collections.set_template(actor, language, body)
            session.flash(t("Reminder message saved."))
    if default.button(t("Use Daftari's message"), key="reminders_template_default", width="stretch"):
        with session.shown_errors():
            collections.set_template(actor, language, None)
            session.clear_fields({key: collections.DEFAULT_TEMPLATES[language]})
            session.flash(t("The shop's message is Daftari's again."))
    owing = customers.debtors(actor)
    if not owing.empty:
        names = dict(zip(owing["customer_id"].astype(int), owing["name"]))
        chosen = st.selectbox(t("Preview for"), list(names), format_func=names.get, key="reminders_preview")
        st.caption(t("The saved message, as this customer would read it:"))
        st.markdown(plain(collections.message(actor, {"customer_id": chosen}, language)))
