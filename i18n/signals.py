"""The database's own sentences (SIGNAL in the triggers of sql/migrations/) as messages to translate.

A trigger speaks English, to any SQL client; the app shows a person its sentence in their language. Every
literal MESSAGE_TEXT is listed here (tests/test_i18n.py finds any that is not), and a sentence the trigger builds
with CONCAT is read back by its pattern, each of its numbers (a named group) formatted as money."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from i18n import N_, t

SIGNALS = (
    N_("A new sale starts unpaid: record money received as a payment."),
    N_("A new sale starts with nothing written off."),
    N_("A new write-off cannot be reversed already: reverse it afterwards."),
    N_("A payment cannot move to another shop."),
    N_("A payment must be more than zero."),
    N_("A reversal needs a reason."),
    N_("A sale cannot move to another shop."),
    N_("A voided sale cannot be written off."),
    N_("A write-off cannot be changed: reverse it, and write off again if need be."),
    N_("A write-off must be more than zero."),
    N_("A write-off needs a reason."),
    N_("No such sale in this shop."),
    N_("Paid cannot go below zero."),
    N_("Payments are never deleted: void the payment instead."),
    N_("Reminders are kept as sent: they cannot be changed."),
    N_("Reminders are kept as sent: they cannot be deleted."),
    N_("Sales are never deleted: void the sale instead."),
    N_("The amount of a sale must be more than zero."),
    N_("The audit log is kept as written: it cannot be changed."),
    N_("The audit log is kept as written: it cannot be deleted from."),
    N_("This payment was voided; it cannot be changed."),
    N_("This sale has a write-off: reverse it first."),
    N_("This sale has payments: void them first."),
    N_("This sale was voided; it cannot be paid or changed."),
    N_("This write-off was reversed; it cannot be changed."),
    N_("What is written off changes only by a write-off or its reversal."),
    N_("Write-offs are never deleted: reverse the write-off instead."),
)

_AMOUNT = r"-?[0-9.]+"

# (what the trigger writes, each amount a named group; the message, with a placeholder of each group's name)
PATTERNS = (
    (
        re.compile(rf"Overpayment refused: the balance of this debt is (?P<amount>{_AMOUNT})\.$"),
        N_("Overpayment refused: the balance of this debt is {amount}."),
    ),
    (
        re.compile(rf"The total cannot be less than what was already paid \((?P<amount>{_AMOUNT})\)\.$"),
        N_("The total cannot be less than what was already paid ({amount})."),
    ),
    (
        re.compile(
            rf"The total cannot be less than what was already paid and written off \((?P<amount>{_AMOUNT})\)\.$"
        ),
        N_("The total cannot be less than what was already paid and written off ({amount})."),
    ),
    (
        re.compile(rf"Write-off refused: the balance of this sale is (?P<amount>{_AMOUNT})\.$"),
        N_("Write-off refused: the balance of this sale is {amount}."),
    ),
    (
        re.compile(
            rf"Over the credit limit: the balance would be (?P<balance>{_AMOUNT}), "
            rf"past the limit of (?P<limit>{_AMOUNT})\.$"
        ),
        N_("Over the credit limit: the balance would be {balance}, past the limit of {limit}."),
    ),
)


def sentence(text: str, currency: str = "KES") -> str:
    """The trigger's sentence in the current language (an unknown one as written)."""
    for pattern, message in PATTERNS:
        found = pattern.match(text)
        if found:
            return t(message, **{name: _money(value, currency) for name, value in found.groupdict().items()})
    return t(text)


def _money(value: str, currency: str) -> str:
    """An amount the trigger wrote, as money in the current language (as written if it is not a number)."""
    from i18n import money

    try:
        return money(Decimal(value), currency)
    except InvalidOperation:
        return value
