"""The front door's screens besides the login form: recovery codes shown once, a person in no shop yet
(invitations, or a shop of their own), invitations anywhere, and setting a password with a code."""

from __future__ import annotations

import streamlit as st

import i18n
from duka import invitations, members, recovery
from duka.members import Actor, role_name
from i18n import t
from ui import session
from ui.text import plain


def recovery_codes(codes: list[str], then: str | None = None) -> None:
    """The codes, once, with what they are for; a button moves on (then: a page to switch to)."""
    st.warning(
        t(
            "Your recovery codes: write them down or save them somewhere safe, now. Each one lets you set a new "
            "password once if you forget yours (under 'Forgot password' on the login page). "
            "They are shown only this once."
        ),
        icon=":material/key:",
    )
    st.code("\n".join(codes), language=None)
    st.download_button(
        t("Download the codes"), "\n".join(codes) + "\n", "daftari-recovery-codes.txt", "text/plain", on_click="ignore"
    )
    if st.button(t("I have saved them"), type="primary", key="codes_saved"):
        st.session_state.pop("recovery_codes", None)
        if then:
            st.switch_page(then)
        st.rerun()


def invitation_list(user_id: int) -> bool:
    """The invitations waiting for this person, each with Accept and Decline; True if there were any."""
    waiting = invitations.for_user(user_id)
    for invitation in waiting:
        with st.container(border=True):
            st.markdown(
                t(
                    "{shop} invites you as {role} (from {name}; open until {day}).",
                    shop=f"**{plain(invitation['shop_name'])}**",
                    role=f"**{role_name(invitation['role'])}**",
                    name=plain(invitation["invited_by"]),
                    day=i18n.day(invitation["expires_at"], "dd MMM y"),
                )
            )
            invitee = Actor(user_id, invitation["shop_id"])
            accept, decline = st.columns(2)
            key = invitation["invitation_id"]
            if accept.button(t("Accept"), type="primary", key=f"accept_{key}", width="stretch"):
                with session.shown_errors():
                    invitations.accept(invitee, key, session.address())
                    session.load_shops(invitation["shop_id"])
                    st.session_state["flash"] = t("Welcome to {shop}.", shop=invitation["shop_name"])
                    st.switch_page(session.PAGES[0][0])
            if decline.button(t("Decline"), key=f"decline_{key}", width="stretch"):
                with session.shown_errors():
                    invitations.decline(invitee, key, session.address())
                    st.rerun()
    return bool(waiting)


def no_shop_yet() -> None:
    """A signed-in person in no shop: their invitations, or a shop of their own."""
    user = st.session_state.user
    st.subheader(t("Karibu, {name}", name=plain(user["first_name"])))
    if not invitation_list(user["id"]):
        st.info(
            t(
                "You are not in any shop yet. If a shop's owner is inviting you, ask them to invite "
                "{phone}; the invitation appears here. Or start a shop of your own.",
                phone=user["phone"],
            )
        )
    with st.expander(t("Start a shop of my own")):
        with st.form("open_shop"):
            name = st.text_input(t("Shop name"), placeholder=t("e.g. Mama Njeri's Duka"), key="open_shop_name")
            currency = st.selectbox(t("Currency"), members.CURRENCIES, key="open_shop_currency")
            opened = st.form_submit_button(t("Open the shop"), type="primary")
        if opened:
            with session.shown_errors():
                shop_id = members.open_shop(user["id"], name, currency)
                session.load_shops(shop_id)
                st.switch_page(session.PAGES[0][0])
    if st.button(t("Log out"), icon=":material/logout:"):
        session.sign_out()
        st.rerun()


def forgot_password() -> None:
    """Set a new password with a recovery code or an owner's (or the operator's) reset code."""
    st.caption(
        t(
            "Use one of the recovery codes you saved when you registered, or a reset code from your shop's owner "
            "(it works for 24 hours). Setting a new password signs you out everywhere else."
        )
    )
    with st.form("reset"):
        phone = st.text_input(t("Phone number"), placeholder="07XX XXX XXX", key="reset_phone")
        code = st.text_input(t("Recovery or reset code"), placeholder="K7QM-2XTP-9RWD", key="reset_code")
        new = st.text_input(t("New password (at least 8 characters)"), type="password", key="reset_new")
        again = st.text_input(t("New password again"), type="password", key="reset_again")
        done = st.form_submit_button(t("Set my new password"), type="primary", width="stretch")
    if done:
        with session.shown_errors():
            recovery.reset_password(phone, code, new, again, session.address())
            session.sign_in(members.login(phone, new, **session.client()))
            st.session_state["flash"] = t("Your new password is set. Other devices were signed out.")
            if st.session_state.shop_id:
                st.switch_page(session.landing())
            st.rerun()
