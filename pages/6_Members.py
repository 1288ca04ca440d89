"""The owner adds people by phone as clerk or analyst, changes roles and removes members."""

import streamlit as st

from duka import members
from ui import session

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

st.subheader("Add a member")
with st.form("members_add", clear_on_submit=True):
    phone = st.text_input("Their phone (they must have registered)", key="members_phone")
    role = st.selectbox("Role", ["clerk", "analyst", "owner"], key="members_role")
    added = st.form_submit_button("Add", type="primary")
if added:
    with session.shown_errors():
        members.add_member(actor, phone, role)
        session.flash(f"Added as {role}.")

st.subheader("Change or remove")
if people is not None:
    with session.shown_errors():
        labels = {r.user_id: f"{r.first_name} {r.last_name} ({r.role})" for r in people.itertuples()}
        who = st.selectbox("Member", list(labels), format_func=labels.get, key="members_who")
        new_role = st.selectbox("New role", list(members.ROLES), key="members_new_role")
        left, right = st.columns(2)
        if left.button("Change role", key="members_change"):
            members.change_role(actor, who, new_role)
            session.flash("Role changed.")
        if right.button("Remove from shop", key="members_remove"):
            members.remove_member(actor, who)
            session.flash("Removed from the shop.")
