"""Categories and monthly budgets: this month's spend against each budget, warnings at 80 % and 100 %."""

import streamlit as st

import i18n
from duka import expenses
from duka.money import money
from i18n import N_, number, t
from ui import format, session
from ui.forms import fresh_select
from ui.text import plain

actor = session.page(N_("Categories and budgets"))
currency, role = session.shop()["currency"], st.session_state.role
ESSENTIAL = N_("Essential (must be paid: rent, food, transport…)")


with session.shown_errors():
    status = expenses.budget_status(actor)
    st.subheader(t("This month against budget"))
    if status.empty:
        st.info(t("No budgets yet. Set one below.") if role == "owner" else t("No budgets yet."))
    for row in status.itertuples():
        percent = float(row.percent)  # a bar's length, not money
        line = t(
            "{category}: {spent} of {budget} ({percent} %)",
            category=plain(row.name),
            spent=money(row.spent, currency),
            budget=money(row.monthly_budget, currency),
            percent=number(row.percent, 1),
        )
        if percent >= 100:
            st.error(t("Over budget. {line}", line=line))
        elif percent >= 80:
            st.warning(t("Nearly there. {line}", line=line))
        else:
            st.caption(line)
        st.progress(min(percent, 100.0) / 100)

    cats = expenses.categories(actor)
    st.subheader(t("Categories"))
    labels = {
        "name": t("Category"),
        "description": t("Description"),
        "monthly_budget": t("Monthly budget"),
        "essential": t("Essential"),  # a bool: a ticked box the table does not let anyone change
        "expenses": t("Expenses"),
    }
    format.table(cats.assign(description=cats["description"].fillna("")), currency, labels, ("monthly_budget",))

if role == "owner":
    with st.expander(t("Add a category")), st.form("category_add"):  # keeps what was typed until it is saved
        name = st.text_input(t("Name"), key="category_new_name")
        description = st.text_input(t("Description (optional)"), key="category_new_description")
        budget = st.text_input(
            t("Monthly budget ({currency}, optional)", currency=i18n.currency_symbol(currency)),
            key="category_new_budget",
        )
        essential = st.checkbox(t(ESSENTIAL), key="category_new_essential")
        problem = st.container()  # a refusal shows here, above the button, where a phone's screen is
        if st.form_submit_button(t("Add category"), type="primary"):
            with problem, session.shown_errors():
                new = expenses.add_category(actor, name, description, budget, essential)
                added = expenses.categories(actor).set_index("category_id").loc[new]
                session.clear_fields(
                    dict.fromkeys(("category_new_name", "category_new_description", "category_new_budget"), "")
                    | {"category_new_essential": False}
                )
                limit = added["monthly_budget"]
                said = (
                    t("Category added: {name}.", name=added["name"])
                    if limit is None
                    else t(
                        "Category added: {name}, with a monthly budget of {budget}.",
                        name=added["name"],
                        budget=money(limit, currency),
                    )
                )
                if added["essential"]:
                    said = " ".join((said, t("It counts as essential.")))
                session.flash(said)
    with session.shown_errors():
        names = dict(zip(cats["category_id"], cats["name"]))
        with st.expander(t("Rename, budget or delete a category")):
            # set on every run, or after a rename the browser would go on showing the old name
            which = fresh_select(t("Category"), names, "category_pick", t("Choose a category"), next(iter(names), None))
            current = cats[cats["category_id"] == which].iloc[0]
            with st.form(f"category_edit_{which}"):  # keyed by category: fields show the chosen one
                name = st.text_input(t("Name"), current["name"], key=f"category_edit_name_{which}")
                description = st.text_input(
                    t("Description"), current["description"] or "", key=f"category_edit_description_{which}"
                )
                budget = st.text_input(
                    t("Monthly budget ({currency}; empty for none)", currency=i18n.currency_symbol(currency)),
                    "" if current["monthly_budget"] is None else str(current["monthly_budget"]),
                    key=f"category_edit_budget_{which}",
                )
                essential = st.checkbox(
                    t(ESSENTIAL), bool(current["essential"]), key=f"category_edit_essential_{which}"
                )
                problem = st.container()
                if st.form_submit_button(t("Save")):
                    with problem, session.shown_errors():
                        expenses.update_category(actor, which, name, description, budget, essential)
                        saved = expenses.categories(actor).set_index("category_id").loc[which]
                        session.flash(expenses.what_changed_in_category(current, saved, currency))
            others = {k: v for k, v in names.items() if k != which}
            move_to = st.selectbox(
                t("Move its expenses to"), list(others), format_func=others.get, key="category_move_to"
            )
            if st.button(t("Delete category"), key="category_delete"):
                with session.shown_errors():
                    moved = expenses.delete_category(actor, which, move_to if current["expenses"] else None)
                    session.flash(t("Category deleted; {count} expense(s) moved.", count=moved))
