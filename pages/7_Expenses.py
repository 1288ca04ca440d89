"""Expenses: add, find (date range, category, mode, text; paged on the server), correct, delete, export."""

import streamlit as st

from duka import expenses, exports
from duka.clock import today
from duka.money import money
from duka.periods import month_start
from ui import format, session
from ui.forms import fresh_select

actor = session.page("Expenses")
currency, role = session.shop()["currency"], st.session_state.role

with session.shown_errors():
    cats = expenses.categories(actor)
    names = dict(zip(cats["category_id"], cats["name"]))

    if role in ("owner", "clerk"):
        # No clear_on_submit: a refusal keeps what was typed; a save empties the form through session.clear_fields.
        st.session_state.setdefault("expense_day", today())  # a value, not the widget's default: a save sets it
        with st.expander("Add an expense", expanded=True), st.form("expense_add"):
            category = st.selectbox("Category", list(names), format_func=names.get, key="expense_category")
            amount = st.text_input(f"Amount ({currency})", key="expense_amount")
            mode = st.selectbox("Payment mode", expenses.PAYMENT_MODES, key="expense_mode")
            cashback = st.text_input(f"Cashback ({currency}, optional)", key="expense_cashback")
            day = st.date_input("Date", max_value=today(), key="expense_day")
            text = st.text_input("Description", placeholder="e.g. Groceries at Naivas", key="expense_text")
            problem = st.container()  # a refusal shows here, above the button, where a phone's screen is
            if st.form_submit_button("Add expense", type="primary", width="stretch"):
                with problem, session.shown_errors():
                    saved = expenses.expense(
                        actor, expenses.add_expense(actor, category, day, amount, mode, cashback, text)
                    )
                    session.clear_fields(
                        {
                            "expense_category": next(iter(names)),
                            "expense_amount": "",
                            "expense_mode": expenses.PAYMENT_MODES[0],
                            "expense_cashback": "",
                            "expense_day": today(),
                            "expense_text": "",
                        }
                    )
                    session.flash(f"Expense of {money(saved['amount'], currency)} added.")

    st.subheader("Find expenses")
    left, right = st.columns(2)
    start = left.date_input("From", value=month_start(today()), key="expenses_from")
    end = right.date_input("To", value=today(), key="expenses_to")
    chosen = st.multiselect("Categories", list(names), format_func=names.get, key="expenses_categories")
    modes = st.multiselect("Payment modes", expenses.PAYMENT_MODES, key="expenses_modes")
    search = st.text_input("Description contains", key="expenses_search")
    where = expenses.Filter(start, end, tuple(chosen), tuple(modes), search)

    # Keyset paging: the page's cursors live in the session, so page 200 costs what page 1 costs.
    if st.session_state.get("expenses_where") != where:
        st.session_state["expenses_where"], st.session_state["expenses_cursors"] = where, [None]
    cursors = st.session_state["expenses_cursors"]
    totals = expenses.filtered_totals(actor, where)
    page = expenses.expenses_page(actor, where, cursors[-1])
    st.caption(
        f"{totals['expenses']:,} expenses · {currency} {totals['amount']:,.2f} spent · "
        f"{currency} {totals['cashback']:,.2f} cashback · page {len(cursors)}"
    )
    if page.empty:
        st.info("No expenses match.")
    else:
        labels = {
            "spent_on": "Date",
            "category": "Category",
            "description": "Details",
            "amount": "Amount",
            "cashback": "Cashback",
            "payment_mode": "Mode",
        }
        picked = format.table(
            page,
            currency,
            labels,
            ("amount", "cashback"),
            on_select="rerun",
            selection_mode="multi-row",
            key="expenses_table",
        )
        back, forward = st.columns(2)
        if back.button("Previous page", disabled=len(cursors) == 1, key="expenses_prev"):
            cursors.pop()
            st.rerun()
        if forward.button("Next page", disabled=len(page) < expenses.PAGE_SIZE, key="expenses_next"):
            last = page.iloc[-1]
            cursors.append((last["spent_on"], int(last["expense_id"])))
            st.rerun()
        rows = picked.selection.rows if picked is not None else []
        selected = [int(page.iloc[i]["expense_id"]) for i in rows]
        if role == "owner" and selected:
            st.markdown(f"**{len(selected)} selected**")
            target = st.selectbox("Move to category", list(names), format_func=names.get, key="expenses_move_to")
            move, delete = st.columns(2)
            if move.button("Re-categorise", key="expenses_move"):
                session.flash(f"{expenses.recategorise(actor, selected, target)} expense(s) moved.")
            if delete.button("Delete", type="primary", key="expenses_delete"):
                session.flash(f"{expenses.delete_expenses(actor, selected)} expense(s) deleted.")
        if st.button("Prepare an export of all matching expenses", key="expenses_export_prepare"):
            everything = expenses.expenses_page(actor, where, limit=expenses.EXPORT_LIMIT)
            st.session_state["expenses_export"] = (
                where,
                exports.to_csv(everything, currency),
                exports.to_excel(everything, currency),
            )
        export = st.session_state.get("expenses_export")
        if export and export[0] == where:
            left, right = st.columns(2)
            left.download_button("Export CSV", export[1], "expenses.csv", "text/csv", key="expenses_csv")
            right.download_button("Export Excel", export[2], "expenses.xlsx", key="expenses_xlsx")

    if role == "owner" and not page.empty:
        with st.expander("Correct an expense"):
            labels = {
                int(r.expense_id): f"{r.spent_on} · {r.category} · {r.description} · {r.amount}"
                for r in page.itertuples()
            }
            # set on every run, or after a correction the browser would go on showing the old amount
            which = fresh_select("Expense", labels, "expense_fix", "Choose an expense", next(iter(labels)))
            current = expenses.expense(actor, which)
            with st.form(f"expense_edit_{which}"):  # keyed by expense: fields show the chosen one
                category = st.selectbox(
                    "Category",
                    list(names),
                    index=list(names).index(current["category_id"]),
                    format_func=names.get,
                    key=f"expense_fix_category_{which}",
                )
                amount = st.text_input("Amount", str(current["amount"]), key=f"expense_fix_amount_{which}")
                mode = st.selectbox(
                    "Payment mode",
                    expenses.PAYMENT_MODES,
                    index=expenses.PAYMENT_MODES.index(current["payment_mode"]),
                    key=f"expense_fix_mode_{which}",
                )
                cashback = st.text_input("Cashback", str(current["cashback"]), key=f"expense_fix_cashback_{which}")
                day = st.date_input("Date", current["spent_on"], max_value=today(), key=f"expense_fix_day_{which}")
                text = st.text_input("Description", current["description"], key=f"expense_fix_text_{which}")
                problem = st.container()
                if st.form_submit_button("Save correction"):
                    with problem, session.shown_errors():
                        expenses.edit_expense(actor, which, category, day, amount, mode, cashback, text)
                        session.flash("Expense corrected.")
            if st.button("Delete this expense", key="expense_fix_delete"):
                expenses.delete_expenses(actor, [which])
                session.flash("Expense deleted.")
    st.caption(
        "Clerks add expenses; only an owner corrects or deletes them. "
        "Tick rows in the table to re-categorise or delete several at once."
    )
