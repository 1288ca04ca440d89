"""Reminder messages and the WhatsApp / SMS links that carry them, in the language of the shopkeeper who sends
them (the default template has its Kiswahili in the catalogue)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

from duka.money import money
from i18n import N_, t

# The placeholders are filled by reminder_text, not by t(): a translation keeps all three
DEFAULT_TEMPLATE = N_(
    "Habari {name}, this is a friendly reminder from {shop}: your balance is {balance}. "
    "Please pay when you can. Asante!"
)


def default_template() -> str:
    """The reminder a shopkeeper starts from, in their language ('Habari {name}, huu ni ukumbusho…')."""
    return t(DEFAULT_TEMPLATE)


def reminder_text(template: str, name: str, balance: Decimal, shop: str, currency: str, pay_to: str = "") -> str:
    """The template with {name}, {balance} and {shop} filled in; other braces are left as typed. `pay_to`
    (pay_to_line's sentence) is added at the end unless the template already says where to pay."""
    values = {"name": name, "balance": money(balance, currency), "shop": shop}
    text = template
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    if pay_to and "Paybill" not in text:
        text = f"{text} {pay_to}"
    return text


def pay_to_line(paybill: str | None, account_no: int | None) -> str:
    """'Pay to Paybill 522533, account 1042.' ('' without either: a Till takes no account number)."""
    if not paybill or not account_no:
        return ""
    return t("Pay to Paybill {paybill}, account {account}.", paybill=paybill, account=account_no)


def whatsapp_link(phone_e164: str, text: str) -> str:
    """A wa.me link that opens WhatsApp with the message typed in."""
    return f"https://wa.me/{phone_e164.lstrip('+')}?text={quote(text)}"


def sms_link(phone_e164: str, text: str) -> str:
    """An sms: link that opens the phone's messages app with the text typed in."""
    return f"sms:{phone_e164}?body={quote(text)}"
