"""API tokens: make a personal token for this shop (shown once), see yours with when each was last used, revoke."""

import pandas as pd
import streamlit as st

from duka import tokens
from i18n import N_, t
from ui import session

actor = session.page(N_("API tokens"))
st.caption(
    t(
        "A token lets a program use Daftari's API for this shop as you, with your role. Send it as "
        "'Authorization: Bearer <token>'. It is shown once: keep it like a password."
    )
)

if fresh := st.session_state.get("tokens_fresh"):
    st.success(t("Your new token (copy it now: it will not be shown again):"))
    st.code(fresh, language=None)
    if st.button(t("I have copied it"), key="tokens_copied"):
        del st.session_state["tokens_fresh"]
        st.rerun()

st.subheader(t("Make a token"))
with st.form("tokens_new", clear_on_submit=True):
    name = st.text_input(t("What it is for"), placeholder=t("Accounting sync"), max_chars=80, key="tokens_name")
    read_only = st.checkbox(t("Read-only (it may only read, never change anything)"), key="tokens_read_only")
    made = st.form_submit_button(t("Make token"), type="primary")
if made:
    with session.shown_errors():
        st.session_state["tokens_fresh"] = tokens.create(actor, name, read_only)
        st.rerun()

st.subheader(t("Your tokens for this shop"))
with session.shown_errors():
    mine = pd.DataFrame(tokens.tokens(actor))
    if mine.empty:
        st.caption(t("You have no tokens for this shop."))
    else:
        is_live = mine["revoked_at"].map(lambda r: r is None or pd.isna(r))
        mine["state"] = is_live.map({True: t("live"), False: t("revoked")})
        st.dataframe(
            mine[["name", "read_only", "created_at", "last_used_at", "state"]],
            hide_index=True,
            width="stretch",
            column_config={
                "name": st.column_config.TextColumn(t("Name")),
                "read_only": st.column_config.CheckboxColumn(t("Read-only")),
                "created_at": st.column_config.DatetimeColumn(t("Made")),
                "last_used_at": st.column_config.DatetimeColumn(t("Last used")),
                "state": st.column_config.TextColumn(t("State")),
            },
        )
        live = mine[is_live]
        if not live.empty:
            labels = dict(zip(live["token_id"], live["name"]))
            with st.form("tokens_revoke"):
                chosen = st.selectbox(t("Token"), list(labels), format_func=lambda i: labels[i], key="tokens_chosen")
                revoked = st.form_submit_button(t("Revoke"))
            if revoked:
                tokens.revoke(actor, int(chosen))
                session.flash(t("Token {name} is revoked: it no longer works.", name=labels[chosen]))
