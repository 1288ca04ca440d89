"""Who owes: what is overdue and due soon, search, sort, the age of each oldest unpaid sale and when it is due;
cleared customers on request."""

import pandas as pd
import streamlit as st

from duka import collections, customers
from duka.money import money
from i18n import N_, number, t, tn
from ui import format, session
from ui.forms import shown_as

actor = session.page(N_("Debtors"))
currency = session.shop()["currency"]
SORTS = {
    N_("Largest balance"): ("balance", False),
    N_("Oldest debt"): ("days_owed", False),
    N_("Name"): ("name", True),
}

A_COUNT = {"delta_color": "off", "delta_arrow": "off"}  # a metric's count of customers, not a change

with session.shown_errors():
    due = collections.due_figures(actor)
    overdue, soon = st.columns(2)
    overdue.metric(
        t("Overdue"),
        money(due["overdue_amount"], currency),
        tn("{n} customer", "{n} customers", int(due["overdue_customers"])),
        **A_COUNT,
    )
    soon.metric(
        t("Due soon"),
        money(due["due_soon_amount"], currency),
        tn("{n} customer", "{n} customers", int(due["due_soon_customers"])),
        **A_COUNT,
    )

search = st.text_input(t("Search by name or phone"), key="debtors_search")
left, right = st.columns(2)
sort = left.selectbox(t("Sort by"), list(SORTS), format_func=shown_as(SORTS), key="debtors_sort")
include_cleared = right.toggle(t("Include cleared customers"), key="debtors_cleared")

with session.shown_errors():
    found = customers.debtors(actor, search, include_cleared)
    if found.empty:
        st.info(t("No customer matches.") if search else t("Nobody owes anything right now."))
    else:
        column, ascending = SORTS[sort]
        found = found.sort_values(column, ascending=ascending, na_position="last", kind="stable")
        st.caption(tn("{n} customer(s)", "{n} customer(s)", len(found)))
        found["days_owed"] = [
            t("{days} days", days=number(int(days))) if pd.notna(days) else "" for days in found["days_owed"]
        ]
        # by the oldest open sale's effective due date: its own, or the shop's credit period after the sale
        found["due_status"] = [t(collections.STATUSES[s]) if isinstance(s, str) else "" for s in found["due_status"]]
        labels = {
            "name": t("Customer"),
            "phone": t("Phone"),
            "balance": t("Owes"),
            "due_status": t("Status"),
            "next_due": t("Due date"),
            "days_owed": t("Days owed"),
            "oldest_open": t("Oldest unpaid sale"),
        }
        format.table(found, currency, labels, ("balance",))
        names = dict(zip(found["customer_id"], found["name"]))
        chosen = st.selectbox(
            t("Open a customer's ledger"), list(names), format_func=names.get, key="debtors_open_choice"
        )
        if st.button(t("Open ledger"), key="debtors_open"):
            st.session_state["customer_id"] = chosen
            st.switch_page("pages/3_Customer.py")
