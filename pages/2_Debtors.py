"""Who owes: search, sort, the age of each oldest unpaid sale; cleared customers on request."""

import pandas as pd
import streamlit as st

from duka import customers
from ui import format, session

actor = session.page("Debtors")
currency = session.shop()["currency"]
SORTS = {"Largest balance": ("balance", False), "Oldest debt": ("days_owed", False), "Name": ("name", True)}

search = st.text_input("Search by name or phone", key="debtors_search")
left, right = st.columns(2)
sort = left.selectbox("Sort by", list(SORTS), key="debtors_sort")
include_cleared = right.toggle("Include cleared customers", key="debtors_cleared")

with session.shown_errors():
    found = customers.debtors(actor, search, include_cleared)
    if found.empty:
        st.info("No customer matches." if search else "Nobody owes anything right now.")
    else:
        column, ascending = SORTS[sort]
        found = found.sort_values(column, ascending=ascending, na_position="last", kind="stable")
        st.caption(f"{len(found):,} customer(s)")
        found["days_owed"] = [f"{days:,.0f} days" if pd.notna(days) else "" for days in found["days_owed"]]
        labels = {
            "name": "Customer",
            "phone": "Phone",
            "balance": "Owes",
            "days_owed": "Days owed",
            "oldest_open": "Oldest unpaid sale",
        }
        format.table(found, currency, labels, ("balance",))
        names = dict(zip(found["customer_id"], found["name"]))
        chosen = st.selectbox("Open a customer's ledger", list(names), format_func=names.get, key="debtors_open_choice")
        if st.button("Open ledger", key="debtors_open"):
            st.session_state["customer_id"] = chosen
            st.switch_page("pages/3_Customer.py")
