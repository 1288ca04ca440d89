"""The owner's corrections on the customer page: edit or void a sale or a payment, reverse a write-off (never
delete).

Every edit form starts from the entry's current values, so changing one field changes only that field;
the old values are kept in audit_log and shown in the entry's history."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from duka import book, collections
from duka.book import KINDS, OverLimit
from duka.clock import today, written_day
from duka.members import Actor
from duka.money import money
from i18n import N_, t
from ui.forms import fresh_select, in_currency, over_limit_question, shown_as
from ui.session import flash, shown_errors
from ui.text import plain

EDIT, VOID, REVERSE = N_("Edit"), N_("Void"), N_("Reverse")


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _sale_fields(actor: Actor, currency: str, entry_id: int, tag: str) -> Callable[..., None]:
    current = book.sale(actor, entry_id)
    by_quantity = current["quantity"] is not None
    product = st.text_input(t("Product"), current["product"], key=f"{tag}_product")
    total = st.text_input(
        in_currency(N_("Total ({currency}) — empty: quantity × unit price"), currency)
        if by_quantity
        else in_currency(N_("Total ({currency})"), currency),
        "" if by_quantity else str(current["total"]),
        key=f"{tag}_total",
    )
    left, right = st.columns(2)
    quantity = left.text_input(t("Quantity"), _text(current["quantity"]).rstrip("0").rstrip("."), key=f"{tag}_qty")
    unit_price = right.text_input(
        in_currency(N_("Unit price ({currency})"), currency), _text(current["unit_price"]), key=f"{tag}_price"
    )
    day = st.date_input(t("Date of sale"), current["debt_date"], max_value=today(), key=f"{tag}_date")
    due = st.date_input(t("Due date (optional)"), current["due_date"], key=f"{tag}_due")
    return lambda over_limit_ok=False: book.edit_sale(
        actor, entry_id, product, total, day, due, quantity, unit_price, over_limit_ok=over_limit_ok
    )


def _payment_fields(actor: Actor, currency: str, entry_id: int, tag: str) -> Callable[[], None]:
    current = book.payment(actor, entry_id)
    amount = st.text_input(
        in_currency(N_("Amount ({currency})"), currency), str(current["amount"]), key=f"{tag}_amount"
    )
    method = st.selectbox(
        t("Method"),
        book.METHODS,
        index=book.METHODS.index(current["method"]),
        format_func=shown_as(book.METHODS),
        key=f"{tag}_method",
    )
    reference = st.text_input(t("Reference (optional)"), current["reference"] or "", key=f"{tag}_reference")
    day = st.date_input(t("Date"), current["paid_at"], max_value=today(), key=f"{tag}_date")
    return lambda: book.edit_payment(actor, entry_id, amount, method, reference, day)


def _amount(row) -> object:
    return {"Sale": row.charge, "Payment": row.payment, "Write-off": row.written_off}[row.kind]


def _reverse(actor: Actor, entry_id: int, tag: str) -> Callable[[], None]:
    reason = st.text_input(t("Why is the write-off reversed? (kept with it)"), key=f"{tag}_reason")
    return lambda: collections.reverse_write_off(actor, entry_id, reason)


def panel(actor: Actor, currency: str, ledger: pd.DataFrame) -> None:
    """Choose a live entry, then edit or void it (a write-off: reverse it). A correction raising a sale past the
    customer's credit limit is asked about first."""
    live = ledger[~ledger["voided"]] if not ledger.empty else ledger
    if live.empty:
        st.info(t("Nothing to correct."))
        return
    entries = {
        (r.kind, int(r.entry_id)): " · ".join(
            (written_day(r.entry_date), t(KINDS[r.kind]), r.description, money(_amount(r), currency))
        )
        for r in live.itertuples()
    }
    chosen = fresh_select(t("Entry"), entries, "fix_entry", t("Choose an entry…"))
    if chosen is None:
        return
    kind, entry_id = chosen
    if kind == "Write-off":
        action = REVERSE  # a write-off is never edited nor voided: it stands, or it is reversed
    else:
        action = st.radio(
            t("Correction"), [EDIT, VOID], format_func=shown_as((EDIT, VOID)), horizontal=True, key="fix_action"
        )
    tag = f"fix_{kind}_{entry_id}_{action}"  # keyed by entry: the fields show the chosen one's values
    asked = st.session_state.get(f"{tag}_over_limit")
    with st.form(tag):
        if action == REVERSE:
            save = _reverse(actor, entry_id, tag)
        elif action == VOID:
            reason = st.text_input(t("Reason (kept with the entry)"), key=f"{tag}_reason")
            save = (
                (lambda: book.void_sale(actor, entry_id, reason))
                if kind == "Sale"
                else (lambda: book.void_payment(actor, entry_id, reason))
            )
        elif kind == "Sale":
            save = _sale_fields(actor, currency, entry_id, tag)
        else:
            save = _payment_fields(actor, currency, entry_id, tag)
        problems = st.container()
        labels = {REVERSE: t("Reverse the write-off"), VOID: t("Void entry"), EDIT: t("Save correction")}
        done = st.form_submit_button(labels[action], type="primary")
        anyway = bool(asked) and st.form_submit_button(t("Save it anyway"), key=f"{tag}_over_limit_ok")
    if not (done or anyway):
        if asked:
            problems.warning(plain(asked), icon=":material/warning:")
        return
    st.session_state.pop(f"{tag}_over_limit", None)
    with problems, shown_errors():
        try:
            if kind == "Sale" and action == EDIT:
                save(over_limit_ok=anyway)
            else:
                save()
        except OverLimit as over:  # only an owner corrects: asked, as the sale form asks
            st.session_state[f"{tag}_over_limit"] = over_limit_question(over, currency)
            st.rerun()
        for name in [k for k in st.session_state if str(k).startswith(tag)]:
            st.session_state.pop(name, None)
        if action == REVERSE:
            flash(t("Write-off reversed. The sale owes that amount again."))
        elif action != VOID:
            flash(t("Correction saved. The old values are in the entry's history, under the ledger."))
        elif kind == "Sale":
            flash(t("Sale voided. It stays in the ledger but no longer counts."))
        else:
            flash(t("Payment voided. It stays in the ledger but no longer counts."))
