"""Daftari's front door: page config, session defaults, the login gate and registration."""

import streamlit as st

from db import startup
from duka import members
from ui import session

st.set_page_config(page_title="Daftari", page_icon="📒", layout="centered")
session.init()

with session.shown_errors():
    startup.ensure_schema()

if st.session_state.user is not None:
    st.switch_page(session.PAGES[0][0])

st.title("📒 Daftari")
st.caption("The shop's debt book: who owes what, every part-payment, and your totals at a glance.")

log_in, register = st.tabs(["Log in", "Register"])

with log_in:
    with st.form("login"):
        phone = st.text_input("Phone number", placeholder="07XX XXX XXX", key="login_phone")
        password = st.text_input("Password", type="password", key="login_password")
        submitted = st.form_submit_button("Log in", type="primary", width="stretch")
    if submitted:
        with session.shown_errors():
            user = members.login(phone, password)
            if members.memberships(user["id"]):
                session.sign_in(user)
                st.switch_page(session.PAGES[0][0])
            st.error(
                "Your account is not in any shop now. Ask a shop owner to add you, "
                "or register a new shop with another phone number."
            )

with register:
    with st.form("register"):
        first = st.text_input("First name", key="register_first")
        last = st.text_input("Last name", key="register_last")
        new_phone = st.text_input("Phone number", placeholder="07XX XXX XXX", key="register_phone")
        shop_name = st.text_input("Shop name", placeholder="e.g. Mama Njeri's Duka", key="register_shop")
        currency = st.selectbox("Currency", members.CURRENCIES, key="register_currency")
        new_password = st.text_input("Password (at least 8 characters)", type="password", key="register_password")
        again = st.text_input("Password again", type="password", key="register_again")
        created = st.form_submit_button("Create my account", type="primary", width="stretch")
    if created:
        with session.shown_errors():
            if new_password != again:
                st.error("The two passwords differ. Type them again.")
            else:
                members.register(first, last, new_phone, new_password, shop_name, currency)
                session.sign_in(members.login(new_phone, new_password))  # registering signs you in
                st.session_state["flash"] = f"Welcome! {shop_name.strip()} is ready: record your first credit sale."
                st.switch_page(session.PAGES[0][0])
