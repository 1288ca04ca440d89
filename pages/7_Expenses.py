"""Expenses: add, find (date range, category, mode, text; paged on the server), correct, delete, export."""

import streamlit as st

import i18n
from duka import expenses, exports
from duka.clock import today
from duka.money import money
from duka.periods import month_start
from i18n import N_, number, t
from ui import format, session
from ui.forms import fresh_select, shown_as

actor = session.page(N_("Expenses"))
shown_mode = shown_as(expenses.PAYMENT_MODES)  # stored in English, read in the reader's words
currency, role = session.shop()["currency"], st.session_state.role

with session.shown_errors():
    cats = expenses.categories(actor)
    names = dict(zip(cats["category_id"], cats["name"]))

    if role in ("owner", "clerk"):
        # No clear_on_submit: a refusal keeps what was typed; a save empties the form through session.clear_fields.
        st.session_state.setdefault("expense_day", today())  # a value, not the widget's default: a save sets it
        with st.expander(t("Add an expense"), expanded=True), st.form("expense_add"):
            category = st.selectbox(t("Category"), list(names), format_func=names.get, key="expense_category")
            amount = st.text_input(
                t("Amount ({currency})", currency=i18n.currency_symbol(currency)), key="expense_amount"
            )
            mode = st.selectbox(t("Payment mode"), expenses.PAYMENT_MODES, format_func=shown_mode, key="expense_mode")
            cashback = st.text_input(
                t("Cashback ({currency}, optional)", currency=i18n.currency_symbol(currency)), key="expense_cashback"
            )
            day = st.date_input(t("Date"), max_value=today(), key="expense_day")
            text = st.text_input(t("Description"), placeholder=t("e.g. Groceries at Naivas"), key="expense_text")
            problem = st.container()  # a refusal shows here, above the button, where a phone's screen is
            if st.form_submit_button(t("Add expense"), type="primary", width="stretch"):
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
                    session.flash(t("Expense of {amount} added.", amount=money(saved["amount"], currency)))

    st.subheader(t("Find expenses"))
    left, right = st.columns(2)
    start = left.date_input(t("From"), value=month_start(today()), key="expenses_from")
    end = right.date_input(t("To"), value=today(), key="expenses_to")
    chosen = st.multiselect(t("Categories"), list(names), format_func=names.get, key="expenses_categories")
    modes = st.multiselect(t("Payment modes"), expenses.PAYMENT_MODES, format_func=shown_mode, key="expenses_modes")
    search = st.text_input(t("Description contains"), key="expenses_search")
    where = expenses.Filter(start, end, tuple(chosen), tuple(modes), search)

    # Keyset paging: the page's cursors live in the session, so page 200 costs what page 1 costs.
    if st.session_state.get("expenses_where") != where:
        st.session_state["expenses_where"], st.session_state["expenses_cursors"] = where, [None]
    cursors = st.session_state["expenses_cursors"]
    totals = expenses.filtered_totals(actor, where)
    page = expenses.expenses_page(actor, where, cursors[-1])
    st.caption(
        t(
            "{count} expenses · {spent} spent · {cashback} cashback · page {page}",
            count=number(totals["expenses"]),
            spent=money(totals["amount"], currency),
            cashback=money(totals["cashback"], currency),
            page=len(cursors),
        )
    )
    if page.empty:
        st.info(t("No expenses match."))
    else:
        labels = {
            "spent_on": t("Date"),
            "category": t("Category"),
            "description": t("Details"),
            "amount": t("Amount"),
            "cashback": t("Cashback"),
            "payment_mode": t("Mode"),
        }
        picked = format.table(
            page.assign(payment_mode=page["payment_mode"].map(shown_mode)),
            currency,
            labels,
            ("amount", "cashback"),
            on_select="rerun",
            selection_mode="multi-row",
            key="expenses_table",
        )
        back, forward = st.columns(2)
        if back.button(t("Previous page"), disabled=len(cursors) == 1, key="expenses_prev"):
            cursors.pop()
            st.rerun()
        if forward.button(t("Next page"), disabled=len(page) < expenses.PAGE_SIZE, key="expenses_next"):
            last = page.iloc[-1]
            cursors.append((last["spent_on"], int(last["expense_id"])))
            st.rerun()
        rows = picked.selection.rows if picked is not None else []
        selected = [int(page.iloc[i]["expense_id"]) for i in rows]
        if role == "owner" and selected:
            chosen_count = t("{count} selected", count=len(selected))
            st.markdown(f"**{chosen_count}**")
            target = st.selectbox(t("Move to category"), list(names), format_func=names.get, key="expenses_move_to")
            move, delete = st.columns(2)
            if move.button(t("Re-categorise"), key="expenses_move"):
                moved = expenses.recategorise(actor, selected, target)
                session.flash(t("{count} expense(s) moved.", count=moved))
            if delete.button(t("Delete"), type="primary", key="expenses_delete"):
                deleted = expenses.delete_expenses(actor, selected)
                session.flash(t("{count} expense(s) deleted.", count=deleted))
        if st.button(t("Prepare an export of all matching expenses"), key="expenses_export_prepare"):
            everything = expenses.expenses_page(actor, where, limit=expenses.EXPORT_LIMIT)
            st.session_state["expenses_export"] = (
                where,
                exports.to_csv(everything, currency),
                exports.to_excel(everything, currency),
            )
        export = st.session_state.get("expenses_export")
        if export and export[0] == where:
            left, right = st.columns(2)
            left.download_button(t("Export CSV"), export[1], "expenses.csv", "text/csv", key="expenses_csv")
            right.download_button(t("Export Excel"), export[2], "expenses.xlsx", key="expenses_xlsx")

    if role == "owner" and not page.empty:
        with st.expander(t("Correct an expense")):
            labels = {
                int(r.expense_id): f"{r.spent_on} · {r.category} · {r.description} · {r.amount}"
                for r in page.itertuples()
            }
            # set on every run, or after a correction the browser would go on showing the old amount
            which = fresh_select(t("Expense"), labels, "expense_fix", t("Choose an expense"), next(iter(labels)))
            current = expenses.expense(actor, which)
            with st.form(f"expense_edit_{which}"):  # keyed by expense: fields show the chosen one
                category = st.selectbox(
                    t("Category"),
                    list(names),
                    index=list(names).index(current["category_id"]),
                    format_func=names.get,
                    key=f"expense_fix_category_{which}",
                )
                amount = st.text_input(t("Amount"), str(current["amount"]), key=f"expense_fix_amount_{which}")
                mode = st.selectbox(
                    t("Payment mode"),
                    expenses.PAYMENT_MODES,
                    index=expenses.PAYMENT_MODES.index(current["payment_mode"]),
                    format_func=shown_mode,
                    key=f"expense_fix_mode_{which}",
                )
                cashback = st.text_input(t("Cashback"), str(current["cashback"]), key=f"expense_fix_cashback_{which}")
                day = st.date_input(t("Date"), current["spent_on"], max_value=today(), key=f"expense_fix_day_{which}")
                text = st.text_input(t("Description"), current["description"], key=f"expense_fix_text_{which}")
                problem = st.container()
                if st.form_submit_button(t("Save correction")):
                    with problem, session.shown_errors():
                        expenses.edit_expense(actor, which, category, day, amount, mode, cashback, text)
                        session.flash(t("Expense corrected."))
            if st.button(t("Delete this expense"), key="expense_fix_delete"):
                expenses.delete_expenses(actor, [which])
                session.flash(t("Expense deleted."))
    st.caption(
        t(
            "Clerks add expenses; only an owner corrects or deletes them. "
            "Tick rows in the table to re-categorise or delete several at once."
        )
    )
