"""The owner's corrections on the customer page: edit or void a sale or a payment (never delete).

Every edit form starts from the entry's current values, so changing one field changes only that field;
the old values are kept in audit_log and shown in the entry's history."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from duka import book
from duka.book import KINDS
from duka.clock import today, written_day
from duka.members import Actor
from duka.money import money
from i18n import N_, t
from ui.forms import fresh_select, in_currency, shown_as
from ui.session import flash, shown_errors

EDIT, VOID = N_("Edit"), N_("Void")


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _sale_fields(actor: Actor, currency: str, entry_id: int, tag: str) -> Callable[[], None]:
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
    return lambda: book.edit_sale(actor, entry_id, product, total, day, due, quantity, unit_price)


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


def panel(actor: Actor, currency: str, ledger: pd.DataFrame) -> None:
    """Choose a live entry, then edit or void it."""
    live = ledger[~ledger["voided"]] if not ledger.empty else ledger
    if live.empty:
        st.info(t("Nothing to correct."))
        return
    entries = {
        (r.kind, int(r.entry_id)): " · ".join(
            (
                written_day(r.entry_date),
                t(KINDS[r.kind]),
                r.description,
                money(r.charge if r.kind == "Sale" else r.payment, currency),
            )
        )
        for r in live.itertuples()
    }
    chosen = fresh_select(t("Entry"), entries, "fix_entry", t("Choose an entry…"))
    if chosen is None:
        return
    kind, entry_id = chosen
    action = st.radio(
        t("Correction"), [EDIT, VOID], format_func=shown_as((EDIT, VOID)), horizontal=True, key="fix_action"
    )
    tag = f"fix_{kind}_{entry_id}_{action}"  # keyed by entry: the fields show the chosen one's values
    with st.form(tag):
        if action == VOID:
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
        done = st.form_submit_button(t("Void entry") if action == VOID else t("Save correction"), type="primary")
    if done:
        with problems, shown_errors():
            save()
            for name in [k for k in st.session_state if str(k).startswith(tag)]:
                st.session_state.pop(name, None)
            if action != VOID:
                flash(t("Correction saved. The old values are in the entry's history, under the ledger."))
            elif kind == "Sale":
                flash(t("Sale voided. It stays in the ledger but no longer counts."))
            else:
                flash(t("Payment voided. It stays in the ledger but no longer counts."))
