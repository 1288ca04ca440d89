"""API tokens: make a personal token for this shop (shown once), see yours with when each was last used, revoke."""

import pandas as pd
import streamlit as st

from duka import tokens
from ui import session

actor = session.page("API tokens")
st.caption(
    "A token lets a program use Daftari's API for this shop as you, with your role. Send it as "
    "'Authorization: Bearer <token>'. It is shown once: keep it like a password."
)

if fresh := st.session_state.get("tokens_fresh"):
    st.success("Your new token (copy it now: it will not be shown again):")
    st.code(fresh, language=None)
    if st.button("I have copied it", key="tokens_copied"):
        del st.session_state["tokens_fresh"]
        st.rerun()

st.subheader("Make a token")
with st.form("tokens_new", clear_on_submit=True):
    name = st.text_input("What it is for", placeholder="Accounting sync", max_chars=80, key="tokens_name")
    read_only = st.checkbox("Read-only (it may only read, never change anything)", key="tokens_read_only")
    made = st.form_submit_button("Make token", type="primary")
if made:
    with session.shown_errors():
        st.session_state["tokens_fresh"] = tokens.create(actor, name, read_only)
        st.rerun()

st.subheader("Your tokens for this shop")
with session.shown_errors():
    mine = pd.DataFrame(tokens.tokens(actor))
    if mine.empty:
        st.caption("You have no tokens for this shop.")
    else:
        mine["state"] = mine["revoked_at"].map(lambda r: "revoked" if r is not None and not pd.isna(r) else "live")
        st.dataframe(
            mine[["name", "read_only", "created_at", "last_used_at", "state"]],
            hide_index=True,
            width="stretch",
            column_config={
                "name": st.column_config.TextColumn("Name"),
                "read_only": st.column_config.CheckboxColumn("Read-only"),
                "created_at": st.column_config.DatetimeColumn("Made"),
                "last_used_at": st.column_config.DatetimeColumn("Last used"),
                "state": st.column_config.TextColumn("State"),
            },
        )
        live = mine[mine["state"] == "live"]
        if not live.empty:
            labels = dict(zip(live["token_id"], live["name"]))
            with st.form("tokens_revoke"):
                chosen = st.selectbox("Token", list(labels), format_func=lambda i: labels[i], key="tokens_chosen")
                revoked = st.form_submit_button("Revoke")
            if revoked:
                tokens.revoke(actor, int(chosen))
                session.flash(f"Token {labels[chosen]} is revoked: it no longer works.")
