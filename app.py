"""Daftari's front door: page config, session defaults, the login gate, registration and recovery."""

import streamlit as st

from db import startup
from duka import members
from i18n import t
from ui import accounts, session
from ui.text import plain

st.set_page_config(page_title="Daftari", page_icon="📒", layout="centered")
session.init()

with session.shown_errors():
    startup.ensure_schema()
    if st.session_state.user is None:
        session.restore_from_cookie()
    elif not session.still_signed_in():  # logged out in another tab, reset, idle or past 12 hours
        session.sign_out(end_session=False)
        st.session_state["login_message"] = t("You were logged out, or your session ran out. Log in again.")

if (
    st.session_state.user is not None
    and st.session_state.shop_id is not None
    and not st.session_state.get("recovery_codes")
):
    st.switch_page(session.landing())  # the page it lands on gives the browser its cookie
session.write_cookie()
st.title("📒 Daftari")
if not st.session_state.get("recovery_codes") and (message := st.session_state.pop("flash", None)):
    st.success(plain(message), icon=":material/check_circle:")
if st.session_state.user is not None:
    if codes := st.session_state.get("recovery_codes"):
        accounts.recovery_codes(codes, then=session.landing() if st.session_state.shop_id else None)
    else:
        with session.shown_errors():
            accounts.no_shop_yet()
    st.stop()

session.language_switch("login_language", save=False)
st.caption(t("The shop's debt book: who owes what, every part-payment, and your totals at a glance."))
if message := st.session_state.pop("login_message", None):
    st.info(message)

log_in, register, forgot = st.tabs([t("Log in"), t("Register"), t("Forgot password")])

with log_in:
    with st.form("login"):
        phone = st.text_input(t("Phone number"), placeholder="07XX XXX XXX", key="login_phone")
        password = st.text_input(t("Password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("Log in"), type="primary", width="stretch")
    if submitted:
        with session.shown_errors():
            session.sign_in(members.login(phone, password, **session.client()))
            st.rerun()

with register:
    with st.form("register"):
        first = st.text_input(t("First name"), key="register_first")
        last = st.text_input(t("Last name"), key="register_last")
        new_phone = st.text_input(t("Phone number"), placeholder="07XX XXX XXX", key="register_phone")
        shop_name = st.text_input(
            t("Shop name (leave empty if a shop's owner invited you)"),
            placeholder=t("e.g. Mama Njeri's Duka"),
            key="register_shop",
        )
        currency = st.selectbox(t("Currency"), members.CURRENCIES, key="register_currency")
        new_password = st.text_input(t("Password (at least 8 characters)"), type="password", key="register_password")
        again = st.text_input(t("Password again"), type="password", key="register_again")
        created = st.form_submit_button(t("Create my account"), type="primary", width="stretch")
    if created:
        with session.shown_errors():
            if new_password != again:
                st.error(t("The two passwords differ. Type them again."))
            else:
                made = members.register(first, last, new_phone, new_password, shop_name, currency)
                st.session_state["language_chosen"] = True  # a new account keeps the language its form was read in
                session.sign_in(members.login(new_phone, new_password, **session.client()))  # registering signs in
                st.session_state["recovery_codes"] = made["recovery_codes"]
                if made["shop_id"]:
                    st.session_state["flash"] = t(
                        "Welcome! {shop} is ready: record your first credit sale.", shop=shop_name.strip()
                    )
                st.rerun()

with forgot:
    accounts.forgot_password()
