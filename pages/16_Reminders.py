"""Reminders: who is due for one, and a round that sends each by WhatsApp or SMS in one tap and records it; the
owner's collection settings and reminder message."""

import pandas as pd
import streamlit as st

import i18n
from duka import collections, customers
from duka.money import money
from i18n import N_, number, t, tn
from ui import format, reminder_settings, session
from ui.tap import send_reminder
from ui.text import plain

actor = session.page(N_("Reminders"), ("owner", "clerk"))
currency = session.shop()["currency"]
LANGUAGES = list(i18n.LANGUAGES)
ROUND = "reminders_round"  # {'shop_id', 'queue' (due_for_reminder's rows), 'at', 'sent', 'skipped'}


def as_row(row: dict) -> dict:
    """A due customer as plain values, kept in the session for the round."""
    phone = row["phone"] if isinstance(row["phone"], str) and row["phone"] else None
    return {
        "customer_id": int(row["customer_id"]),
        "name": row["name"],
        "phone": phone,
        "status": row["status"],
        "oldest_due": row["oldest_due"],
    }


def start_round(due: pd.DataFrame) -> None:
    queue = [as_row(row) for row in due.to_dict("records")]
    st.session_state[ROUND] = {"shop_id": actor.shop_id, "queue": queue, "at": 0, "sent": 0, "skipped": 0}
    st.rerun()


def move_on(walk: dict, outcome: str) -> None:
    walk["at"] += 1
    walk[outcome] += 1
    st.rerun()


def send(walk: dict, row: dict) -> None:
    """What they owe and by when, the message in the language chosen, and WhatsApp and SMS: one tap opens the app
    with the message typed in and records the reminder (ui/tap.py)."""
    now = customers.customer(actor, row["customer_id"])
    owes = money(now["balance"], currency)
    st.write(t("Owes {amount}, due on {day}.", amount=owes, day=i18n.day(row["oldest_due"])))
    language = st.radio(
        t("Message language"),
        LANGUAGES,
        index=LANGUAGES.index(st.session_state.language),
        format_func=i18n.LANGUAGES.get,
        horizontal=True,
        key="reminders_language",
    )
    text = st.text_area(
        t("Message"),
        collections.message(actor, row, language),
        key=f"reminders_text_{row['customer_id']}_{language}",
        height=140,
    )
    if not row["phone"]:
        st.info(plain(t("{name} has no phone number: this reminder can only be skipped.", name=row["name"])))
        return
    st.caption(plain(row["phone"]))
    if send_reminder(actor, row["customer_id"], row["phone"], text, language, key="reminders_tap"):
        move_on(walk, "sent")


def card(walk: dict) -> None:
    """The customer whose turn it is, and Skip and End the round whatever happens above them."""
    row = walk["queue"][walk["at"]]
    with st.container(border=True):
        st.caption(t("Customer {at} of {total}", at=number(walk["at"] + 1), total=number(len(walk["queue"]))))
        st.markdown(f"**{plain(row['name'])}** · {t(collections.STATUSES[row['status']])}")
        with session.shown_errors():
            send(walk, row)
        skip, stop = st.columns(2)
        if skip.button(t("Skip"), key="reminders_skip", width="stretch"):
            move_on(walk, "skipped")
        if stop.button(t("End the round"), key="reminders_stop", width="stretch"):
            walk["at"] = len(walk["queue"])
            st.rerun()


with session.shown_errors():
    walk = st.session_state.get(ROUND)
    if walk is not None and walk["shop_id"] != actor.shop_id:  # another shop chosen in the sidebar
        walk = st.session_state[ROUND] = None
    if walk is not None and walk["at"] < len(walk["queue"]):
        card(walk)
    else:
        if walk is not None:
            st.success(
                t(
                    "Round finished: {sent} sent, {skipped} skipped.",
                    sent=number(walk["sent"]),
                    skipped=number(walk["skipped"]),
                ),
                icon=":material/task_alt:",
            )
        due = collections.due_for_reminder(actor)
        if due.empty:
            st.info(t("Nobody is due for a reminder right now."))
        else:
            st.write(
                tn(
                    "{n} customer is due for a reminder, owing {amount}.",
                    "{n} customers are due for a reminder, owing {amount} in all.",
                    len(due),
                    amount=money(due["balance"].sum(), currency),
                )
            )
            label = t("Start a new round") if walk is not None else t("Start a round")
            if st.button(label, key="reminders_start", type="primary", icon=":material/campaign:"):
                start_round(due)
            due["status"] = [t(collections.STATUSES[status]) for status in due["status"]]
            labels = {
                "name": t("Customer"),
                "phone": t("Phone"),
                "balance": t("Owes"),
                "oldest_due": t("Due date"),
                "oldest_sale": t("Oldest unpaid sale"),
                "last_reminded": t("Last reminded"),
                "reminders": t("Reminders sent"),
                "status": t("Status"),
            }
            format.table(due, currency, labels, ("balance",))

if st.session_state.role == "owner":
    reminder_settings.panel(actor)
