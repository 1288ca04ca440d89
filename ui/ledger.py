"""A customer's ledger as a shopkeeper reads it on a phone (sales, payments and write-offs), the credit limit, each
entry's history, the reminders sent, and the statement to send."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

import i18n
from duka import collections, history, statements
from duka.book import KINDS
from duka.clock import today, written_day
from duka.members import Actor
from duka.money import money
from i18n import N_, t, tn
from ui.forms import fresh_select, in_currency
from ui.tap import send_reminder
from ui.text import plain

RECENT = 30  # entries shown before "Show all"


def _entry(row) -> str:
    said = {"kind": t(KINDS[row.kind]), "description": row.description}
    if row.kind == "Write-off":  # why it was written off; a reversed one, why it was reversed
        if row.voided and row.void_reason:
            return t("{kind}: {description} — reversed ({reason})", reason=row.void_reason, **said)
        if row.voided:
            return t("{kind}: {description} — reversed", **said)
        return t("{kind}: {description} — {reason}", reason=row.reason, **said)
    if row.voided and row.void_reason:
        return t("{kind}: {description} — void ({reason})", reason=row.void_reason, **said)
    if row.voided:
        return t("{kind}: {description} — void", **said)
    if row.edited:
        return t("{kind}: {description} — edited", **said)
    return t("{kind}: {description}", **said)


def _amount(row) -> str:
    if row.kind == "Sale":
        return f"+{row.charge:,.2f}"
    if row.kind == "Write-off":
        return f"−{row.written_off:,.2f}"
    return f"−{row.payment:,.2f}"


def credit_line(actor: Actor, customer_id: int, currency: str) -> None:
    """The customer's credit limit, when they have one, and what is left of it (or how far past it they are)."""
    credit = collections.credit(actor, customer_id)
    limit = credit["credit_limit"]
    if limit is None:
        return
    left = limit - credit["balance"]
    said = {"limit": money(limit, currency), "balance": money(credit["balance"], currency)}
    if left >= 0:
        st.caption(t("Credit limit {limit} · balance {balance} · {left} left", left=money(left, currency), **said))
    else:
        st.caption(
            t("Credit limit {limit} · balance {balance} · {over} over the limit", over=money(-left, currency), **said)
        )


def table(ledger: pd.DataFrame, currency: str) -> None:
    """Newest first, four narrow columns (so the amounts stay on a 390 px screen), text escaped."""
    show_all = len(ledger) > RECENT and st.toggle(
        t("Show all {n} entries", n=i18n.number(len(ledger))), key="ledger_all"
    )
    shown = ledger if show_all or len(ledger) <= RECENT else ledger.head(RECENT)
    day, amount, balance = t("Date"), in_currency(N_("Amount ({currency})"), currency), t("Balance")
    frame = pd.DataFrame(
        {
            day: [
                plain(written_day(d, "dd\u00a0MMM") if d.year == today().year else f"{d:%d/%m/%y}")
                for d in shown["entry_date"]
            ],
            t("Entry"): [plain(_entry(r)) for r in shown.itertuples()],
            amount: [plain(_amount(r)) for r in shown.itertuples()],
            balance: [plain(f"{b:,.2f}") for b in shown["running_balance"]],
        }
    )
    styled = frame.style.set_properties(subset=[amount, balance], **{"text-align": "right", "white-space": "nowrap"})
    styled = styled.set_properties(subset=[day], **{"white-space": "nowrap"})
    st.table(styled, hide_index=True, border="horizontal")
    if len(ledger) > len(shown):
        st.caption(t("The latest {shown} of {n} entries.", shown=len(shown), n=i18n.number(len(ledger))))


def entry_history(actor: Actor, ledger: pd.DataFrame) -> None:
    """Pick an edited or voided entry (or a reversed write-off) and read its changes: old → new, who, when."""
    changed = ledger[ledger["edited"] | ledger["voided"]]
    if changed.empty:
        return
    labels = {
        (r.kind, int(r.entry_id)): f"{written_day(r.entry_date)} · {t(KINDS[r.kind])} · {r.description}"
        for r in changed.itertuples()
    }
    chosen = fresh_select(
        t("History of an edited or voided entry"), labels, "ledger_history", t("Choose an entry to see what changed…")
    )
    if chosen is None:
        return
    kind, entry_id = chosen
    for change in history.entry_history(actor, kind.lower(), entry_id):
        what = "; ".join(f"{label}: {old} → {new}" for label, old, new in change["changes"]) or t(
            "no change to the fields shown here"
        )
        when = f"{written_day(change['changed_at'])} {change['changed_at']:%H:%M}"
        done = t("{action} by {who}", action=change["action"], who=change["who"])
        st.markdown(plain(f"{when} · {done} · {what}"))


CHANNELS = {"whatsapp": "WhatsApp", "sms": "SMS"}  # the same in every language


def reminders(actor: Actor, customer_id: int, currency: str) -> None:
    """The reminders sent to the customer, newest first: when, who, how, what it said and what they owed then."""
    sent = collections.reminders_of(actor, customer_id)
    if sent.empty:
        st.caption(t("No reminders sent yet."))
        return
    with st.expander(tn("1 reminder sent", "{n} reminders sent", len(sent))):
        frame = pd.DataFrame(
            {
                t("When"): [i18n.moment(when) for when in sent["sent_at"]],
                t("By"): [who if isinstance(who, str) else t("outside Daftari (SQL)") for who in sent["sent_by"]],
                t("Channel"): [CHANNELS.get(channel, channel) for channel in sent["channel"]],
                t("Owed then"): [money(balance, currency) for balance in sent["balance"]],
                t("Message"): sent["text"].tolist(),
            }
        )
        st.dataframe(frame, hide_index=True, width="stretch")  # a dataframe shows text as it is: no markdown


def statement(actor: Actor, customer: dict, ledger: pd.DataFrame) -> None:
    """The statement for a period: PDF, CSV, and its summary to send on WhatsApp."""
    if customer.get("account_no"):
        st.caption(t("M-Pesa account number {account}", account=customer["account_no"]))
    first = min(ledger["entry_date"]) if not ledger.empty else today()
    left, right = st.columns(2)
    customer_id = customer["customer_id"]
    start: date = left.date_input(t("From"), first, max_value=today(), key=f"statement_from_{customer_id}")
    end: date = right.date_input(t("To"), today(), max_value=today(), key=f"statement_to_{customer_id}")
    if start > end:
        st.error(t("The statement's start is after its end: swap the dates."))
        return
    current = statements.statement(actor, customer_id, start, end)
    # Streamlit makes the files when they are asked for, outside this run (and its language): they keep this one
    language = i18n.language()
    left, right = st.columns(2)
    left.download_button(
        t("Statement (PDF)"),
        lambda: _in(language, statements.statement_pdf, current),
        file_name=statements.statement_filename(current, "pdf"),
        mime="application/pdf",
        key="statement_pdf",
        width="stretch",
        type="primary",
    )
    right.download_button(
        t("Statement (CSV)"),
        lambda: _in(language, statements.statement_csv, current),
        file_name=statements.statement_filename(current, "csv"),
        mime="text/csv",
        key="statement_csv",
        width="stretch",
    )
    st.caption(plain(statements.statement_summary(current)))
    if link := statements.statement_whatsapp_link(current):
        st.link_button(t("Send the summary on WhatsApp"), link, width="stretch")


def _in(language: str, make, *args) -> bytes:
    """`make(*args)` in `language`: a file made later, outside the page's run, reads as the page did."""
    with i18n.using(language):
        return make(*args)


def remind(actor: Actor, customer: dict, writer: bool) -> None:
    """The shop's reminder to this customer (its template for the language the sender picks, editable), and for an
    owner or a clerk one tap on WhatsApp or SMS that opens it AND records it (ui/tap.py), as the Reminders page's
    round does: a reminder sent from the ledger is in the customer's reminders too."""
    if customer["balance"] <= 0:
        st.info(t("Nothing to remind: the balance is zero."))
        return
    if not customer["phone"]:
        st.info(
            t("This customer has no phone number: add it in the Customer tab to send reminders.")
            if writer
            else t("This customer has no phone number, so no reminder can be sent.")
        )
        return
    customer_id = int(customer["customer_id"])
    languages = list(i18n.LANGUAGES)
    language = st.radio(
        t("Message language"),
        languages,
        index=languages.index(i18n.language()),
        format_func=i18n.LANGUAGES.get,
        horizontal=True,
        key="customer_reminder_language",
    )
    text = st.text_area(
        t("Message"),
        collections.message(actor, {"customer_id": customer_id}, language),
        key=f"customer_reminder_{customer_id}_{language}",
        height=140,
    )
    if not writer:
        st.caption(t("Only an owner or a clerk sends reminders."))
        return
    if send_reminder(actor, customer_id, customer["phone"], text, language, key="customer_reminder_tap"):
        st.session_state["flash"] = t("Reminder to {name} recorded.", name=customer["name"])
        st.rerun()
