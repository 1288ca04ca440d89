"""The database's own sentences (SIGNAL in the triggers of sql/migrations/) as messages to translate.

A trigger speaks English, to any SQL client; the app shows a person its sentence in their language. Every
literal MESSAGE_TEXT is listed here (tests/test_i18n.py finds any that is not), and a sentence the trigger builds
with CONCAT is read back by its pattern, its number formatted as money."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from i18n import N_, t

SIGNALS = (
    N_("A new sale starts unpaid: record money received as a payment."),
    N_("A payment cannot move to another shop."),
    N_("A payment must be more than zero."),
    N_("A sale cannot move to another shop."),
    N_("No such sale in this shop."),
    N_("Paid cannot go below zero."),
    N_("Payments are never deleted: void the payment instead."),
    N_("Sales are never deleted: void the sale instead."),
    N_("The amount of a sale must be more than zero."),
    N_("The audit log is kept as written: it cannot be changed."),
    N_("The audit log is kept as written: it cannot be deleted from."),
    N_("This payment was voided; it cannot be changed."),
    N_("This sale has payments: void them first."),
    N_("This sale was voided; it cannot be paid or changed."),
)

# (what the trigger writes, with the amount as a group; the message, with {amount})
PATTERNS = (
    (
        re.compile(r"Overpayment refused: the balance of this debt is (-?[0-9.]+)\.$"),
        N_("Overpayment refused: the balance of this debt is {amount}."),
    ),
    (
        re.compile(r"The total cannot be less than what was already paid \((-?[0-9.]+)\)\.$"),
        N_("The total cannot be less than what was already paid ({amount})."),
    ),
)


def sentence(text: str, currency: str = "KES") -> str:
    """The trigger's sentence in the current language (an unknown one as written)."""
    from i18n import money

    for pattern, message in PATTERNS:
        found = pattern.match(text)
        if found:
            try:
                amount = money(Decimal(found.group(1)), currency)
            except InvalidOperation:
                amount = found.group(1)
            return t(message, amount=amount)
    return t(text)
