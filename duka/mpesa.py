"""M-Pesa payments that record themselves (Safaricom Daraja C2B): the callbacks' rules, the owner's inbox of
payments that could not be recorded, and the secret in the callback URLs.

A confirmation whose BillRefNumber is a customer's account number pays that customer's oldest sales first
(duka.book.pay_customer, method M-Pesa, reference TransID). Anything else (no such account, more than they
owe, a date before the sales) waits in the inbox with the reason; nothing is lost and no balance moves.

Who records it: the shop's first owner (the owner added earliest). A payment must be recorded by a member
whose role may record payments (the same check as every other payment), and payments.recorded_by then names
a person the shop knows; the mpesa_c2b row (state 'recorded', its allocations) says that it came from
Safaricom, not from that person's hands."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd

import db
import i18n
from db.errors import DuplicateKey, InvalidInput, NotFound
from duka import book, customers
from duka.clock import TIMEZONE, written_day
from duka.members import CORRECT, Actor, require, shop_frame, shop_rows
from duka.money import parse_amount
from duka.values import clean_text
from i18n import N_, t

SAFARICOM_TIME = ZoneInfo("Africa/Nairobi")  # TransTime is East Africa Time, whatever the shops' zone
ACCEPTED = {"ResultCode": 0, "ResultDesc": "Accepted"}
# Daraja's validation rejection codes (C2B00011 invalid MSISDN, C2B00012 invalid account number, C2B00014
# invalid KYC details, C2B00015 invalid short code, C2B00016 other error).
INVALID_AMOUNT = {"ResultCode": "C2B00013", "ResultDesc": "Rejected"}
SECRET_BYTES = 32  # 256 bits, 43 URL-safe characters
# Daraja's register URL documentation asks that URLs avoid these words in any case; a random secret could hold one.
DARAJA_AVOIDS = ("m-pesa", "mpesa", "safaricom", "exe", "cmd", "sql", "query")
METHOD = "M-Pesa"
ALREADY_IMPORTED = N_("Already recorded from an M-Pesa statement import.")
NO_ACCOUNT = N_("No account number was typed.")
ALREADY = {
    "recorded": N_("M-Pesa payment {trans_id} was already recorded."),
    "assigned": N_("M-Pesa payment {trans_id} was already assigned."),
    "noted": N_("M-Pesa payment {trans_id} was already noted."),
}
# The inbox keeps its reasons as the callback wrote them, in English (data, whoever's request it was), and says
# them in the reader's language: (what was written, the message; a written day is written again).
_REASONS = (
    (re.compile(r"No customer has account number (?P<account>.*)\.$"), N_("No customer has account number {account}.")),
    (
        re.compile(r"Overpayment refused: this customer's balance is (?P<balance>.*)\.$"),
        N_("Overpayment refused: this customer's balance is {balance}."),
    ),
    (
        re.compile(
            r"On (?P<day>.*?) this customer owed (?P<owed>.*?); a payment cannot pay for later sales\. "
            r"Change the date or the amount\.$"
        ),
        N_("On {day} this customer owed {owed}; a payment cannot pay for later sales. Change the date or the amount."),
    ),
)


@dataclass(frozen=True)
class Confirmation:
    """One C2B callback body, read: the fields Daftari keeps."""

    trans_id: str
    trans_type: str | None
    trans_time: datetime  # naive, Nairobi time as Safaricom sends it
    amount: Decimal
    business_short_code: str | None
    bill_ref_number: str | None
    invoice_number: str | None
    org_account_balance: str | None
    third_party_trans_id: str | None
    msisdn: str | None
    payer_name: str | None

    @property
    def day(self) -> date:
        """The day of the payment in the shops' time zone."""
        return shop_day(self.trans_time)


def shop_day(when: datetime) -> date:
    """A TransTime (Nairobi time) as the day it was in the shops' time zone (duka/clock.py)."""
    return when.replace(tzinfo=SAFARICOM_TIME).astimezone(TIMEZONE).date()


# --- reading Safaricom's body ----------------------------------------------------------------------


def _text(body: Mapping, key: str, limit: int) -> str | None:
    value = body.get(key)
    text = str(value).strip() if value is not None else ""
    return text[:limit] or None


def trans_time(text: object) -> datetime:
    """TransTime as Safaricom sends it, YYYYMMDDHHMMSS (Nairobi time); InvalidInput otherwise."""
    try:
        return datetime.strptime(str(text or "").strip(), "%Y%m%d%H%M%S")
    except ValueError:
        raise InvalidInput(t("TransTime must be YYYYMMDDHHMMSS.")) from None


def amount(text: object) -> Decimal:
    """TransAmount as a Decimal of two places (the text itself, or the Decimal the JSON number was read as;
    never a float), by the app's one amount reader: InvalidInput unless above 0 with at most two decimals."""
    return parse_amount(text if isinstance(text, Decimal) else "" if text is None else str(text), "TransAmount")


def read_confirmation(body: Mapping) -> Confirmation:
    """The fields of a C2B body Daftari keeps; InvalidInput for a body no payment can come from."""
    trans_id = _text(body, "TransID", 64)
    if not trans_id or len(trans_id) > 32:
        raise InvalidInput(t("TransID is required (at most 32 characters)."))
    names = (_text(body, k, 60) for k in ("FirstName", "MiddleName", "LastName"))
    return Confirmation(
        trans_id=trans_id,
        trans_type=_text(body, "TransactionType", 40),
        trans_time=trans_time(body.get("TransTime")),
        amount=amount(body.get("TransAmount")),
        business_short_code=_text(body, "BusinessShortCode", 20),
        bill_ref_number=_text(body, "BillRefNumber", 64),
        invoice_number=_text(body, "InvoiceNumber", 64),
        org_account_balance=_text(body, "OrgAccountBalance", 32),
        third_party_trans_id=_text(body, "ThirdPartyTransID", 64),
        msisdn=_text(body, "MSISDN", 64),
        payer_name=" ".join(n for n in names if n)[:160] or None,
    )


# --- the callbacks ---------------------------------------------------------------------------------


def secret_hash(secret: str) -> str:
    """The hex SHA-256 the database keeps of a callback secret."""
    return hashlib.sha256(str(secret).encode("utf-8")).hexdigest()


def shop_of(secret: str) -> int:
    """The shop whose callback URLs carry this secret; NotFound for any other text (nothing is stored)."""
    found = db.rows("shop_by_secret_hash", secret_hash=secret_hash(secret))
    if not found:
        raise NotFound(t("No shop has this M-Pesa address."))
    return found[0]["shop_id"]


def validate(secret: str, body: Mapping) -> dict:
    """Daraja's validation answer: ACCEPTED, or INVALID_AMOUNT for an amount that is not above 0. An unknown
    account is accepted (it waits in the inbox), so a customer's slip never bounces money. NotFound for an
    unknown secret. Nothing is stored: the confirmation is what records."""
    shop_of(secret)
    try:
        amount(body.get("TransAmount"))
    except InvalidInput:
        return INVALID_AMOUNT
    return ACCEPTED


def confirm(secret: str, body: Mapping) -> dict:
    """Record a confirmation once per TransID: {'c2b_id', 'trans_id', 'state' ('recorded' | 'inbox'), 'reason',
    'customer_id', 'amount'}. A replay (or two deliveries at once: the unique key makes one wait for the other)
    returns what the first one did and pays nothing. NotFound for an unknown secret, InvalidInput for a body
    that is not a payment."""
    shop_id = shop_of(secret)
    payment = read_confirmation(body)
    owner = _recorder(shop_id)
    try:
        with i18n.using("en"):  # the reasons the inbox keeps are data, in one language: said() translates them
            return _record(owner, payment)
    except DuplicateKey:  # this TransID was recorded already: read what became of it, after its commit
        return db.rows("c2b_by_trans_id", shop_id=shop_id, trans_id=payment.trans_id)[0]


def _recorder(shop_id: int) -> Actor:
    """The member C2B payments are recorded as: the shop's first owner (see the module's docstring)."""
    found = db.rows("first_owner_of_shop", shop_id=shop_id)
    if not found:
        raise NotFound(t("This shop has no owner to record M-Pesa payments."))
    return Actor(found[0]["user_id"], shop_id)


@db.transactional
def _record(tx: db.Tx, owner: Actor, payment: Confirmation) -> dict:
    tx.execute("insert_c2b", shop_id=owner.shop_id, reason=None, **asdict(payment))  # first: a replay stops here
    c2b_id = tx.lastrowid
    imported = tx.one("statement_receipt", shop_id=owner.shop_id, receipt_no=payment.trans_id)
    if imported is not None:  # recorded already from an M-Pesa statement: kept, never paid twice
        note = ALREADY_IMPORTED
        _settle(tx, owner.shop_id, c2b_id, "noted", None, imported["customer_id"], None, note=note, decided_by=None)
        return {
            "c2b_id": c2b_id,
            "trans_id": payment.trans_id,
            "state": "noted",
            "reason": note,
            "customer_id": imported["customer_id"],
            "amount": payment.amount,
        }
    state, reason, customer_id, allocations = "inbox", None, None, None
    account = (payment.bill_ref_number or "").strip()
    match = tx.one("customer_by_account", shop_id=owner.shop_id, account_no=account) if account.isdigit() else None
    if match is None:
        reason = t("No customer has account number {account}.", account=account) if account else NO_ACCOUNT
    else:
        customer_id = match["customer_id"]
        try:
            allocations = _pay(tx, owner, customer_id, payment.amount, payment.trans_id, payment.day)
            state = "recorded"
        except InvalidInput as refused:  # more than they owe, or dated before their sales: the owner decides
            reason = str(refused)[:255]
    _settle(tx, owner.shop_id, c2b_id, state, reason, customer_id, allocations)
    return {
        "c2b_id": c2b_id,
        "trans_id": payment.trans_id,
        "state": state,
        "reason": reason,
        "customer_id": customer_id,
        "amount": payment.amount,
    }


def _pay(tx: db.Tx, actor: Actor, customer_id: int, value: Decimal, trans_id: str, day: date) -> list:
    """duka.book.pay_customer inside this transaction (given the Tx, the rule joins it), as the JSON the row
    keeps."""
    paid = book.pay_customer(tx, actor, customer_id, value, METHOD, trans_id, day)
    return [{"debt_id": debt_id, "amount": str(part)} for debt_id, part in paid]


def _settle(tx, shop_id, c2b_id, state, reason, customer_id, allocations, note=None, decided_by=None) -> None:
    tx.execute(
        "settle_c2b",
        shop_id=shop_id,
        c2b_id=c2b_id,
        state=state,
        reason=reason,
        customer_id=customer_id,
        allocations=json.dumps(allocations) if allocations is not None else None,
        note=note,
        decided_by=decided_by,
    )


# --- the owner's side ------------------------------------------------------------------------------


def transactions(actor: Actor, inbox_only: bool = True, limit: int = 500) -> pd.DataFrame:
    """The shop's C2B payments, newest first (the inbox alone by default): c2b_id, trans_id, trans_time,
    amount, bill_ref_number, payer_name, state, reason, customer_id, customer, note, received_at."""
    return shop_frame(
        actor, "c2b_transactions", N_("see M-Pesa payments"), allowed=CORRECT, inbox_only=bool(inbox_only), limit=limit
    )


def said(reason: str | None) -> str | None:
    """A reason or note the inbox keeps (written in English by the callback), in the reader's language; a
    sentence it does not know (an owner's note) as written."""
    if not reason:
        return reason
    for pattern, message in _REASONS:
        if found := pattern.match(reason):
            values = found.groupdict()
            if "day" in values:
                try:
                    values["day"] = written_day(datetime.strptime(values["day"], "%d %b %Y").date())
                except ValueError:
                    pass  # written some other way: kept as it is
            return t(message, **values)
    return t(reason) if reason in (ALREADY_IMPORTED, NO_ACCOUNT) else reason


def _waiting(tx: db.Tx, actor: Actor, c2b_id: int) -> dict:
    row = tx.one("c2b_for_update", shop_id=actor.shop_id, c2b_id=c2b_id)
    if row is None:
        raise NotFound(t("No such M-Pesa payment in this shop."))
    if row["state"] != "inbox":
        already = ALREADY[row["state"]]
        raise InvalidInput(t(already, trans_id=row["trans_id"]))
    return row


@db.transactional
def assign(tx: db.Tx, actor: Actor, c2b_id: int, customer_id: int) -> list:
    """The owner gives a payment from the inbox to a customer: recorded as their payment (oldest sales first,
    dated by TransTime); refused, with why, when it is more than they owe. The allocations made."""
    require(actor, CORRECT, N_("assign M-Pesa payments"), tx)
    row = _waiting(tx, actor, c2b_id)
    allocations = _pay(tx, actor, customer_id, row["amount"], row["trans_id"], shop_day(row["trans_time"]))
    _settle(tx, actor.shop_id, c2b_id, "assigned", None, customer_id, allocations, decided_by=actor.user_id)
    return allocations


@db.transactional
def note_overpayment(tx: db.Tx, actor: Actor, c2b_id: int, note: str, customer_id: int | None = None) -> None:
    """The owner closes a payment of the inbox as an overpayment (or anything else no sale takes), with a note
    saying what happens to the money; no balance changes."""
    require(actor, CORRECT, N_("note M-Pesa payments"), tx)
    text = clean_text(note, N_("Note"), 255)
    _waiting(tx, actor, c2b_id)
    if customer_id is not None:
        customers.locked(tx, actor, customer_id)  # NotFound for another shop's customer
    _settle(tx, actor.shop_id, c2b_id, "noted", None, customer_id, None, note=text, decided_by=actor.user_id)


def settings(actor: Actor) -> dict:
    """{'short_code', 'enabled', 'secret_set_at'} of the shop (the owner only)."""
    found = shop_rows(actor, "mpesa_settings_of_shop", N_("see the M-Pesa settings"), allowed=CORRECT)
    return found[0] if found else {"short_code": None, "enabled": False, "secret_set_at": None}


@db.transactional
def set_short_code(tx: db.Tx, actor: Actor, short_code: str) -> None:
    """The shop's Paybill number, shown in reminders and statements with the customer's account number."""
    require(actor, CORRECT, N_("change the M-Pesa settings"), tx)
    code = clean_text(short_code, N_("Paybill number"), 20, required=False)
    if code is not None and not code.isdigit():
        raise InvalidInput(t("The Paybill number is digits only, such as 522533."))
    tx.execute("save_short_code", shop_id=actor.shop_id, short_code=code)


@db.transactional
def rotate_secret(tx: db.Tx, actor: Actor) -> str:
    """A new secret for the callback URLs, returned once (only its SHA-256 is kept; the old URLs stop working
    at once). Customers loaded in bulk get their account numbers now."""
    require(actor, CORRECT, N_("change the M-Pesa settings"), tx)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    while any(word in secret.lower() for word in DARAJA_AVOIDS):
        secret = secrets.token_urlsafe(SECRET_BYTES)
    tx.execute("save_secret_hash", shop_id=actor.shop_id, secret_hash=secret_hash(secret), user_id=actor.user_id)
    customers.number_customers(tx, actor.shop_id)
    return secret


def callback_urls(base_url: str, secret: str) -> dict:
    """{'validation', 'confirmation'}: the URLs to register with Daraja, under the API's public address."""
    root = f"{base_url.rstrip('/')}/api/v1/mpesa/{secret}/c2b"
    return {"validation": f"{root}/validation", "confirmation": f"{root}/confirmation"}


def customer_accounts(actor: Actor) -> pd.DataFrame:
    """account_no, customer_id, name, phone, balance of every customer not archived, by account number."""
    return shop_frame(actor, "customer_accounts", N_("see account numbers"))
