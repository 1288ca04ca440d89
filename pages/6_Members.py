"""The owner invites people by phone as clerk or analyst, changes roles, removes members and gives a member a
reset code for a forgotten password."""

import streamlit as st

import i18n
from duka import invitations, members, recovery
from duka.members import role_name
from i18n import N_, t
from ui import session
from ui.shop_archive import archive_download
from ui.text import plain

actor = session.page(N_("Shop members"), roles=("owner",))
st.caption(
    t(
        "A clerk records customers, sales and payments. An analyst reads the dashboards. "
        "Only an owner corrects past entries and manages members."
    )
)

people = None
with session.shown_errors():
    people = members.members(actor)
    st.dataframe(
        people[["first_name", "last_name", "phone", "role"]].assign(role=people["role"].map(role_name)),
        hide_index=True,
        width="stretch",
        column_config={
            "first_name": t("First name"),
            "last_name": t("Last name"),
            "phone": t("Phone"),
            "role": t("Role"),
        },
    )

# Roles shown by name, the names made now, in this run's language (AppTest calls a format_func after the run)
role_names = {role: role_name(role) for role in members.ROLES}

st.subheader(t("Invite someone"))
st.caption(
    t(
        "Type their phone number, registered with Daftari or not. They join when they log in (or register, "
        "leaving the shop name empty) and accept; until then nothing about them is shown here."
    )
)
with st.form("members_invite"):
    phone = st.text_input(t("Their phone number"), placeholder="07XX XXX XXX", key="members_phone")
    role = st.selectbox(t("Role"), invitations.ROLES, format_func=role_names.get, key="members_role")
    invited = st.form_submit_button(t("Invite"), type="primary")
if invited:
    with session.shown_errors():
        invitations.invite(actor, phone, role, session.address())
        session.clear_fields({"members_phone": ""})
        session.flash(t("Invited as {role}. Tell them to log in to Daftari and accept.", role=role_name(role)))

with session.shown_errors():
    waiting = invitations.waiting(actor)
    if not waiting.empty:
        st.markdown("**" + t("Waiting for an answer") + "**")  # (babel finds no t() inside an f-string)
        for row in waiting.itertuples():
            text, button = st.columns([3, 1], vertical_alignment="center")
            text.write(
                t(
                    "{phone} as {role}, until {day}",
                    phone=row.phone,
                    role=role_name(row.role),
                    day=i18n.day(row.expires_at, "dd MMM"),
                )
            )
            if button.button(t("Cancel"), key=f"members_cancel_{row.invitation_id}"):
                invitations.cancel(actor, row.invitation_id, session.address())
                session.flash(t("The invitation for {phone} is cancelled.", phone=row.phone))

st.subheader(t("Change or remove"))
if people is not None:
    with session.shown_errors():
        labels = {r.user_id: f"{r.first_name} {r.last_name} ({role_name(r.role)})" for r in people.itertuples()}
        who = st.selectbox(t("Member"), list(labels), format_func=labels.get, key="members_who")
        new_role = st.selectbox(t("New role"), list(members.ROLES), format_func=role_names.get, key="members_new_role")
        left, middle, right = st.columns(3)
        if left.button(t("Change role"), key="members_change"):
            members.change_role(actor, who, new_role)
            session.flash(t("Role changed."))
        if middle.button(t("Remove from shop"), key="members_remove"):
            members.remove_member(actor, who)
            session.flash(t("Removed from the shop."))
        if right.button(t("Reset password"), key="members_reset", help=t("A one-time code for 24 hours")):
            code = recovery.reset_code_for_member(actor, who, session.address())
            st.session_state["members_code"] = (actor.shop_id, labels[who], code)
    shown = st.session_state.pop("members_code", None)  # shown once, in the shop it was made in
    if shown and shown[0] == actor.shop_id:
        _, name, code = shown
        st.info(
            t(
                "A reset code for {name}: give it to them in person or by phone. On the login page, under "
                "'Forgot password', they type their phone number, this code and a new password. "
                "It works once, for 24 hours.",
                name=plain(name),
            ),
            icon=":material/key:",
        )
        st.code(code, language=None)

st.subheader(t("All of this shop's data"))
archive_download(actor)
