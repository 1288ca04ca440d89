"""A customer's ledger as a shopkeeper reads it on a phone, each entry's history, and the statement to send."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from duka import history, statements
from duka.clock import today
from duka.members import Actor
from ui.forms import fresh_select
from ui.text import plain

RECENT = 30  # entries shown before "Show all"


def _entry(row) -> str:
    text = f"{row.kind}: {row.description}"
    if row.voided:
        text += f" — void ({row.void_reason})" if row.void_reason else " — void"
    elif row.edited:
        text += " — edited"
    return text


def _amount(row) -> str:
    if row.kind == "Sale":
        return f"+{row.charge:,.2f}"
    return f"−{row.payment:,.2f}"


def table(ledger: pd.DataFrame, currency: str) -> None:
    """Newest first, four narrow columns (so the amounts stay on a 390 px screen), text escaped."""
    show_all = len(ledger) > RECENT and st.toggle(f"Show all {len(ledger):,} entries", key="ledger_all")
    shown = ledger if show_all or len(ledger) <= RECENT else ledger.head(RECENT)
    frame = pd.DataFrame(
        {
            "Date": [
                plain(f"{d:%d}\u00a0{d:%b}" if d.year == today().year else f"{d:%d/%m/%y}") for d in shown["entry_date"]
            ],
            "Entry": [plain(_entry(r)) for r in shown.itertuples()],
            f"Amount ({currency})": [plain(_amount(r)) for r in shown.itertuples()],
            "Balance": [plain(f"{b:,.2f}") for b in shown["running_balance"]],
        }
    )
    money_columns = [f"Amount ({currency})", "Balance"]
    styled = frame.style.set_properties(subset=money_columns, **{"text-align": "right", "white-space": "nowrap"})
    styled = styled.set_properties(subset=["Date"], **{"white-space": "nowrap"})
    st.table(styled, hide_index=True, border="horizontal")
    if len(ledger) > len(shown):
        st.caption(f"The latest {len(shown)} of {len(ledger):,} entries.")


def entry_history(actor: Actor, ledger: pd.DataFrame) -> None:
    """Pick an edited or voided entry and read its changes: old → new, who, when."""
    changed = ledger[ledger["edited"] | ledger["voided"]]
    if changed.empty:
        return
    labels = {
        (r.kind, int(r.entry_id)): f"{r.entry_date:%d %b %Y} · {r.kind} · {r.description}" for r in changed.itertuples()
    }
    chosen = fresh_select(
        "History of an edited or voided entry", labels, "ledger_history", "Choose an entry to see what changed…"
    )
    if chosen is None:
        return
    kind, entry_id = chosen
    for change in history.entry_history(actor, kind.lower(), entry_id):
        what = (
            "; ".join(f"{label}: {old} → {new}" for label, old, new in change["changes"])
            or "no change to the fields shown here"
        )
        st.markdown(plain(f"{change['changed_at']:%d %b %Y %H:%M} · {change['action']} by {change['who']} · {what}"))


def statement(actor: Actor, customer: dict, ledger: pd.DataFrame) -> None:
    """The statement for a period: PDF, CSV, and its summary to send on WhatsApp."""
    if customer.get("account_no"):
        st.caption(f"M-Pesa account number {customer['account_no']}")
    first = min(ledger["entry_date"]) if not ledger.empty else today()
    left, right = st.columns(2)
    start: date = left.date_input("From", first, max_value=today(), key=f"statement_from_{customer['customer_id']}")
    end: date = right.date_input("To", today(), max_value=today(), key=f"statement_to_{customer['customer_id']}")
    if start > end:
        st.error("The statement's start is after its end: swap the dates.")
        return
    current = statements.statement(actor, customer["customer_id"], start, end)
    left, right = st.columns(2)
    left.download_button(
        "Statement (PDF)",
        lambda: statements.statement_pdf(current),
        file_name=statements.statement_filename(current, "pdf"),
        mime="application/pdf",
        key="statement_pdf",
        width="stretch",
        type="primary",
    )
    right.download_button(
        "Statement (CSV)",
        lambda: statements.statement_csv(current),
        file_name=statements.statement_filename(current, "csv"),
        mime="text/csv",
        key="statement_csv",
        width="stretch",
    )
    st.caption(plain(statements.statement_summary(current)))
    if link := statements.statement_whatsapp_link(current):
        st.link_button("Send the summary on WhatsApp", link, width="stretch")
