"""Your account: invitations waiting for you, your password, recovery codes, where you are signed in."""

import pandas as pd
import streamlit as st

import i18n
from duka import codes, events, recovery, sessions
from i18n import N_, t, tn
from ui import accounts, session

actor = session.page(N_("Your account"))
user = st.session_state.user
st.caption(f"{user['first_name']} {user['last_name']} · {user['phone']}")

if fresh := st.session_state.get("recovery_codes"):
    accounts.recovery_codes(fresh)

st.subheader(t("Invitations"))
with session.shown_errors():
    if not accounts.invitation_list(user["id"]):
        st.caption(t("No invitations are waiting for you."))

st.subheader(t("Change your password"))
with st.form("account_password"):
    current = st.text_input(t("Current password"), type="password", key="account_current")
    new = st.text_input(t("New password (at least 8 characters)"), type="password", key="account_new")
    again = st.text_input(t("New password again"), type="password", key="account_again")
    changed = st.form_submit_button(t("Change password"), type="primary")
if changed:
    with session.shown_errors():
        recovery.change_password(user["id"], current, new, again, st.session_state.session_token, session.address())
        session.clear_fields({"account_current": "", "account_new": "", "account_again": ""})
        session.flash(t("Your password is changed. You were signed out everywhere else."))

st.subheader(t("Recovery codes"))
with session.shown_errors():
    st.caption(
        t(
            "You have {n} unused recovery codes. New ones replace them all.",
            n=codes.recovery_codes_left(user["id"]),
        )
    )
with st.form("account_codes"):
    password = st.text_input(t("Your password"), type="password", key="account_codes_password")
    asked = st.form_submit_button(t("Make new recovery codes"))
if asked:
    with session.shown_errors():
        st.session_state["recovery_codes"] = recovery.new_recovery_codes(user["id"], password, session.address())
        session.clear_fields({"account_codes_password": ""})
        st.rerun()

st.subheader(t("Where you are signed in"))
with session.shown_errors():
    mine = sessions.token_hash(st.session_state.session_token or "")
    open_sessions = pd.DataFrame(sessions.live(user["id"]))
    if not open_sessions.empty:
        open_sessions["current"] = open_sessions["token_hash"].eq(mine).map({True: t("this one"), False: ""})
        st.dataframe(
            open_sessions[["current", "last_seen_at", "client_address", "user_agent"]],
            hide_index=True,
            width="stretch",
            column_config={
                "current": "",  # (no header: the column says "this one" on its row)
                "last_seen_at": t("Last used"),
                "client_address": t("From"),
                "user_agent": t("Browser"),
            },
        )
    if len(open_sessions) > 1 and st.button(t("Log out everywhere else"), key="account_elsewhere"):
        ended = recovery.log_out_elsewhere(user["id"], st.session_state.session_token, session.address())
        session.flash(tn("Signed out of {n} other session.", "Signed out of {n} other sessions.", ended))
    recent = pd.DataFrame(events.recent(user["id"], limit=10))
    if not recent.empty:
        recent["when"] = recent["when"].map(i18n.moment)  # the month in the reader's language, not the browser's
        st.markdown("**" + t("Recent activity") + "**")  # (babel finds no t() inside an f-string)
        st.dataframe(
            recent,
            hide_index=True,
            width="stretch",
            column_config={
                "when": t("When"),
                "what": t("What"),
                "address": t("From"),
            },
        )
