"""Your account: invitations waiting for you, your password, recovery codes, where you are signed in."""

import pandas as pd
import streamlit as st

from duka import codes, events, recovery, sessions
from ui import accounts, session

actor = session.page("Your account")
user = st.session_state.user
st.caption(f"{user['first_name']} {user['last_name']} · {user['phone']}")

if fresh := st.session_state.get("recovery_codes"):
    accounts.recovery_codes(fresh)

st.subheader("Invitations")
with session.shown_errors():
    if not accounts.invitation_list(user["id"]):
        st.caption("No invitations are waiting for you.")

st.subheader("Change your password")
with st.form("account_password"):
    current = st.text_input("Current password", type="password", key="account_current")
    new = st.text_input("New password (at least 8 characters)", type="password", key="account_new")
    again = st.text_input("New password again", type="password", key="account_again")
    changed = st.form_submit_button("Change password", type="primary")
if changed:
    with session.shown_errors():
        recovery.change_password(user["id"], current, new, again, st.session_state.session_token, session.address())
        session.clear_fields({"account_current": "", "account_new": "", "account_again": ""})
        session.flash("Your password is changed. You were signed out everywhere else.")

st.subheader("Recovery codes")
with session.shown_errors():
    st.caption(f"You have {codes.recovery_codes_left(user['id'])} unused recovery codes. New ones replace them all.")
with st.form("account_codes"):
    password = st.text_input("Your password", type="password", key="account_codes_password")
    asked = st.form_submit_button("Make new recovery codes")
if asked:
    with session.shown_errors():
        st.session_state["recovery_codes"] = recovery.new_recovery_codes(user["id"], password, session.address())
        session.clear_fields({"account_codes_password": ""})
        st.rerun()

st.subheader("Where you are signed in")
with session.shown_errors():
    mine = sessions.token_hash(st.session_state.session_token or "")
    open_sessions = pd.DataFrame(sessions.live(user["id"]))
    if not open_sessions.empty:
        open_sessions["this"] = open_sessions["token_hash"].eq(mine).map({True: "this one", False: ""})
        st.dataframe(
            open_sessions[["this", "last_seen_at", "client_address", "user_agent"]],
            hide_index=True,
            width="stretch",
            column_config={"this": "", "last_seen_at": "Last used", "client_address": "From", "user_agent": "Browser"},
        )
    if len(open_sessions) > 1 and st.button("Log out everywhere else", key="account_elsewhere"):
        ended = recovery.log_out_elsewhere(user["id"], st.session_state.session_token, session.address())
        session.flash(f"Signed out of {ended} other session{'s' if ended != 1 else ''}.")
    recent = pd.DataFrame(events.recent(user["id"], limit=10))
    if not recent.empty:
        st.markdown("**Recent activity**")
        st.dataframe(
            recent,
            hide_index=True,
            width="stretch",
            column_config={
                "when": st.column_config.DatetimeColumn("When", format="D MMM YYYY, HH:mm"),
                "what": "What",
                "address": "From",
            },
        )
