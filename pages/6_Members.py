"""The owner invites people by phone as clerk or analyst, changes roles, removes members and gives a member a
reset code for a forgotten password."""

import streamlit as st

from duka import invitations, members, recovery
from ui import session
from ui.shop_archive import archive_download
from ui.text import plain

actor = session.page("Shop members", roles=("owner",))
st.caption(
    "A clerk records customers, sales and payments. An analyst reads the dashboards. "
    "Only an owner corrects past entries and manages members."
)

people = None
with session.shown_errors():
    people = members.members(actor)
    st.dataframe(
        people[["first_name", "last_name", "phone", "role"]],
        hide_index=True,
        width="stretch",
        column_config={"first_name": "First name", "last_name": "Last name", "phone": "Phone", "role": "Role"},
    )

st.subheader("Invite someone")
st.caption(
    "Type their phone number, registered with Daftari or not. They join when they log in (or register, "
    "leaving the shop name empty) and accept; until then nothing about them is shown here."
)
with st.form("members_invite"):
    phone = st.text_input("Their phone number", placeholder="07XX XXX XXX", key="members_phone")
    role = st.selectbox("Role", invitations.ROLES, key="members_role")
    invited = st.form_submit_button("Invite", type="primary")
if invited:
    with session.shown_errors():
        invitations.invite(actor, phone, role, session.address())
        session.clear_fields({"members_phone": ""})
        session.flash(f"Invited as {role}. Tell them to log in to Daftari and accept.")

with session.shown_errors():
    waiting = invitations.waiting(actor)
    if not waiting.empty:
        st.markdown("**Waiting for an answer**")
        for row in waiting.itertuples():
            text, button = st.columns([3, 1], vertical_alignment="center")
            text.write(f"{row.phone} as {row.role}, until {row.expires_at:%d %b}")
            if button.button("Cancel", key=f"members_cancel_{row.invitation_id}"):
                invitations.cancel(actor, row.invitation_id, session.address())
                session.flash(f"The invitation for {row.phone} is cancelled.")

st.subheader("Change or remove")
if people is not None:
    with session.shown_errors():
        labels = {r.user_id: f"{r.first_name} {r.last_name} ({r.role})" for r in people.itertuples()}
        who = st.selectbox("Member", list(labels), format_func=labels.get, key="members_who")
        new_role = st.selectbox("New role", list(members.ROLES), key="members_new_role")
        left, middle, right = st.columns(3)
        if left.button("Change role", key="members_change"):
            members.change_role(actor, who, new_role)
            session.flash("Role changed.")
        if middle.button("Remove from shop", key="members_remove"):
            members.remove_member(actor, who)
            session.flash("Removed from the shop.")
        if right.button("Reset password", key="members_reset", help="A one-time code for 24 hours"):
            code = recovery.reset_code_for_member(actor, who, session.address())
            st.session_state["members_code"] = (actor.shop_id, labels[who], code)
    shown = st.session_state.pop("members_code", None)  # shown once, in the shop it was made in
    if shown and shown[0] == actor.shop_id:
        _, name, code = shown
        st.info(
            f"A reset code for {plain(name)}: give it to them in person or by phone. On the login page, under "
            "'Forgot password', they type their phone number, this code and a new password. "
            "It works once, for 24 hours.",
            icon=":material/key:",
        )
        st.code(code, language=None)

st.subheader("All of this shop's data")
archive_download(actor)
