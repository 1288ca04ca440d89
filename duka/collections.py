"""Collections: the shop's credit period and reminder rhythm, credit limits, write-offs, who is due for a reminder,
the reminders sent and the message they carry (the database keeps the rules too: migration 017)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal

import pandas as pd

import db
import i18n
from db.errors import InvalidInput, NotFound
from duka import clock, customers
from duka.members import CORRECT, RECORD, Actor, require, shop_frame, shop_rows
from duka.money import money, parse_amount
from duka.periods import month_start
from duka.reminders import DEFAULT_TEMPLATE, pay_to_line
from duka.values import clean_text
from i18n import N_, t

CHANNELS = ("whatsapp", "sms")
STATUSES = {"overdue": N_("Overdue"), "due_soon": N_("Due soon"), "owing": N_("Owing")}  # due_for_reminder's words
# (low, high) of each setting, as the CHECKs of migration 017 hold them
CREDIT_DAYS = (0, 365)
REMINDER_DAYS = (0, 90)
REMIND_EVERY_DAYS = (1, 90)
PLACEHOLDERS = ("name", "balance", "shop", "due_date", "oldest_sale", "paybill", "account")
# Daftari's message where the shop wrote none: the English is duka/reminders.py's; the Kiswahili is written here,
# not left to the catalogue, because it is the shop's own words to its customers.
DEFAULT_TEMPLATES = {
    "en": DEFAULT_TEMPLATE,
    "sw": (
        "Habari {name}, huu ni ukumbusho wa kirafiki kutoka {shop}: salio lako ni {balance}. "
        "Tafadhali lipa utakapoweza. Asante!"
    ),
}
_BRACED = re.compile(r"\{([^{}]*)\}")


def _now() -> datetime:
    """Now in the shops' time zone, as the book writes times of its own (written_at, reversed_at, sent_at)."""
    return datetime.now(clock.TIMEZONE).replace(tzinfo=None)


# --- settings ---------------------------------------------------------------------------------------


def settings(actor: Actor) -> dict:
    """{'credit_days', 'reminder_days', 'remind_every_days'} of the actor's shop (any member may read them)."""
    return shop_rows(actor, "collection_settings", N_("see the collection settings"))[0]


def _days(value: object, message: str, bounds: tuple[int, int]) -> int:
    low, high = bounds
    text = str(value).strip() if value is not None else ""
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]{1,4}", text) or not low <= int(text) <= high:
        raise InvalidInput(t(message, low=low, high=high))
    return int(text)


@db.transactional
def set_settings(
    tx: db.Tx, actor: Actor, credit_days: object, reminder_days: object, remind_every_days: object
) -> None:
    """The owner sets the default credit period (days after a sale without a due date), how many days ahead a debt
    counts as due soon (and how long a debt may stand before a reminder), and the days between two reminders."""
    require(actor, CORRECT, N_("change the collection settings"), tx)
    values = {
        "credit_days": _days(
            credit_days, N_("The credit period must be a whole number of days from {low} to {high}."), CREDIT_DAYS
        ),
        "reminder_days": _days(
            reminder_days,
            N_("Days before a due date to remind must be a whole number from {low} to {high}."),
            REMINDER_DAYS,
        ),
        "remind_every_days": _days(
            remind_every_days,
            N_("Days between two reminders must be a whole number from {low} to {high}."),
            REMIND_EVERY_DAYS,
        ),
    }
    tx.execute("update_collection_settings", shop_id=actor.shop_id, **values)


# --- credit limits ------------------------------------------------------------------------------------


def credit(actor: Actor, customer_id: int) -> dict:
    """{'customer_id', 'name', 'credit_limit' (None: no limit), 'balance'} of one customer, for the ledger."""
    found = shop_rows(actor, "customer_credit", N_("see customers"), customer_id=customer_id)
    if not found:
        raise NotFound(t("No such customer in this shop."))
    return found[0]


def credit_limit(actor: Actor, customer_id: int) -> Decimal | None:
    """The customer's credit limit, or None when they have none."""
    return credit(actor, customer_id)["credit_limit"]


def _limit(value: object) -> Decimal | None:
    """None (no limit) for None or empty text; 0 (no credit at all) for zero; else a positive amount."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool) and value == 0:
        return Decimal("0.00")
    if isinstance(value, str) and re.fullmatch(r"\s*0+(\.0{1,2})?\s*", value):
        return Decimal("0.00")
    return parse_amount(value, N_("Credit limit"))


@db.transactional
def set_credit_limit(tx: db.Tx, actor: Actor, customer_id: int, limit: object) -> Decimal | None:
    """The owner sets the most a customer may owe (None or '' clears it; 0: no credit at all); the limit as
    saved. Sales already made stay; the next sale that would pass it is refused unless an owner allows it."""
    require(actor, CORRECT, N_("set credit limits"), tx)
    value = _limit(limit)
    customers.locked(tx, actor, customer_id)
    tx.execute("update_credit_limit", shop_id=actor.shop_id, customer_id=customer_id, credit_limit=value)
    return value


def over_limit(actor: Actor, customer_id: int, amount: object) -> tuple[Decimal, Decimal] | None:
    """None when `amount` more on the customer's balance (a new sale's total, or what a correction adds) keeps
    them within their credit limit; else (limit, balance after), so the sale form can ask an owner to confirm."""
    value = parse_amount(amount)
    found = shop_rows(actor, "customer_credit", N_("see customers"), allowed=RECORD, customer_id=customer_id)
    if not found:
        raise NotFound(t("No such customer in this shop."))
    limit, after = found[0]["credit_limit"], found[0]["balance"] + value
    return None if limit is None or after <= limit else (limit, after)


@contextlib.contextmanager
def allow_over_limit(tx: db.Tx, actor: Actor) -> Iterator[None]:
    """Within the block, this transaction may take customers past their credit limits (the triggers read
    @daftari_over_limit_ok); only for an owner, who confirmed. Cleared when the block ends, however it ends:

        with collections.allow_over_limit(tx, actor):
            book.record_sale(tx, actor, customer_id, ...)
    """
    require(actor, CORRECT, N_("sell past a customer's credit limit"), tx)
    tx.execute("allow_over_limit")
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):  # the connection may be gone; a reset clears the variable anyway
            tx.execute("forbid_over_limit")
        raise
    tx.execute("forbid_over_limit")


# --- write-offs -------------------------------------------------------------------------------------


@db.transactional
def write_off(tx: db.Tx, actor: Actor, customer_id: int, reason: str) -> tuple[list[int], Decimal]:
    """The owner gives up on what a customer owes: every open sale's remaining balance is written off, one
    write-off per sale, all or nothing. (The write-offs' ids, the total written off.) Nothing is counted as
    collected; the customer leaves the debtors until a reversal or a new sale."""
    require(actor, CORRECT, N_("write off debts"), tx)
    why = clean_text(reason, N_("Reason"), 255)
    customer = customers.locked(tx, actor, customer_id)
    sales = tx.rows("open_sales_to_write_off", shop_id=actor.shop_id, customer_id=customer_id)
    if not sales:
        raise InvalidInput(t("{name} owes nothing: there is nothing to write off.", name=customer["name"]))
    ids, total, at = [], Decimal("0.00"), _now()
    for sale in sales:
        tx.execute(
            "insert_write_off",
            shop_id=actor.shop_id,
            debt_id=sale["debt_id"],
            amount=sale["balance"],
            reason=why,
            written_at=at,
            user_id=actor.user_id,
        )
        ids.append(tx.lastrowid)
        total += sale["balance"]
    return ids, total


@db.transactional
def reverse_write_off(tx: db.Tx, actor: Actor, write_off_id: int, reason: str) -> None:
    """The owner takes a write-off back (the customer paid after all, or it was a mistake): the sale owes that
    amount again and the customer is a debtor again. Kept in the history, with why."""
    require(actor, CORRECT, N_("reverse write-offs"), tx)
    why = clean_text(reason, N_("Reason"), 255)
    row = tx.one("write_off_for_update", shop_id=actor.shop_id, write_off_id=write_off_id)
    if row is None:
        raise NotFound(t("No such write-off in this shop."))
    if row["reversed_at"] is not None:
        raise InvalidInput(t("That write-off was already reversed."))
    tx.execute(
        "reverse_write_off",
        shop_id=actor.shop_id,
        write_off_id=write_off_id,
        reversed_at=_now(),
        user_id=actor.user_id,
        reason=why,
    )


def write_offs_of(actor: Actor, customer_id: int) -> pd.DataFrame:
    """A customer's write-offs for the ledger, newest first (reversed ones too): write_off_id, debt_id, product,
    debt_date, amount, reason, written_at, written_by, reversed_at, reversed_by, reverse_reason."""
    return shop_frame(actor, "write_offs_of_customer", N_("see ledgers"), customer_id=customer_id)


# --- figures and who to remind ----------------------------------------------------------------------


def due_figures(actor: Actor, today: date | None = None) -> dict:
    """As of `today` (the shops' today when not given): overdue_amount, overdue_customers (open sales whose
    effective due date, their due date or credit_days after the sale, has passed), due_soon_amount,
    due_soon_customers (due from that day to reminder_days ahead; a customer may be in both); written_off_month and
    written_off_year, each with _sales and _customers (live write-offs of that month and year up to that day;
    reversed ones left out)."""
    day = today or clock.today()
    return shop_rows(
        actor,
        "due_figures",
        N_("see the dashboard"),
        today=day,
        month_start=month_start(day),
        year_start=date(day.year, 1, 1),
        tomorrow=day + timedelta(days=1),
    )[0]


def due_for_reminder(actor: Actor, today: date | None = None) -> pd.DataFrame:
    """Customers to remind as of `today` (the shops' today when not given): they owe, their oldest open sale is
    overdue, due within reminder_days or older than reminder_days, and nobody reminded them in the last
    remind_every_days days. Columns customer_id, name, phone, balance, oldest_due, oldest_sale, last_reminded,
    reminders (how many so far), status ('overdue', 'due_soon' or 'owing': STATUSES has their words); the most
    overdue first."""
    frame = shop_frame(actor, "due_for_reminder", N_("see the debtors"), allowed=RECORD, today=today or clock.today())
    if not frame.empty:
        frame["reminders"] = frame["reminders"].astype(int)
    return frame


# --- reminders ------------------------------------------------------------------------------------


@db.transactional
def record_reminder(tx: db.Tx, actor: Actor, customer_id: int, channel: str, text: str, language: str) -> int:
    """A reminder sent to a customer (owner or clerk): who, when, on WhatsApp or SMS, in which language, what it
    said and what they owed then. Its id."""
    require(actor, RECORD, N_("send reminders"), tx)
    if channel not in CHANNELS:
        raise InvalidInput(t("A reminder goes by WhatsApp or SMS."))
    if language not in i18n.LANGUAGES:
        raise InvalidInput(t("A reminder is written in English or Kiswahili."))
    said = clean_text(text, N_("Message"), 1000)
    customer = tx.one("customer_now", shop_id=actor.shop_id, customer_id=customer_id)
    if customer is None:
        raise NotFound(t("No such customer in this shop."))
    tx.execute(
        "insert_reminder",
        shop_id=actor.shop_id,
        customer_id=customer_id,
        sent_at=_now(),
        user_id=actor.user_id,
        channel=channel,
        language=language,
        text=said,
        balance=customer["balance"],
    )
    return tx.lastrowid


def reminders_of(actor: Actor, customer_id: int) -> pd.DataFrame:
    """The reminders a customer was sent, newest first: reminder_id, sent_at, sent_by, channel, language, text,
    balance (then)."""
    return shop_frame(actor, "reminders_of_customer", N_("see ledgers"), customer_id=customer_id)


def _language(language: str) -> str:
    if language not in i18n.LANGUAGES:
        raise InvalidInput(t("A reminder is written in English or Kiswahili."))
    return language


def template(actor: Actor, language: str) -> str:
    """The shop's reminder message in `language` ('en' or 'sw'), or Daftari's default when it wrote none."""
    found = shop_rows(actor, "reminder_template", N_("see reminders"), language=_language(language))
    return found[0]["body"] if found else DEFAULT_TEMPLATES[language]


def _checked_template(body: str) -> str:
    text = clean_text(body, N_("Message"), 1000)
    allowed = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    for name in _BRACED.findall(text):
        if name not in PLACEHOLDERS:
            raise InvalidInput(
                t(
                    "The message has {placeholder}, which Daftari cannot fill: use only {allowed}.",
                    placeholder="{" + name + "}",
                    allowed=allowed,
                )
            )
    return text


@db.transactional
def set_template(tx: db.Tx, actor: Actor, language: str, body: str | None) -> None:
    """The owner writes the shop's reminder message in one language; a placeholder other than PLACEHOLDERS is
    refused with a sentence naming them. None or blank goes back to Daftari's default."""
    require(actor, CORRECT, N_("change the reminder message"), tx)
    code = _language(language)
    if body is None or not str(body).strip():
        tx.execute("delete_reminder_template", shop_id=actor.shop_id, language=code)
        return
    tx.execute("save_reminder_template", shop_id=actor.shop_id, language=code, body=_checked_template(body))


def message(actor: Actor, customer: Mapping, language: str) -> str:
    """The shop's reminder to one customer (a row with customer_id: due_for_reminder's, or customers.customer's)
    in `language`, its placeholders filled with what is true now: money and dates written for that language, and
    'Pay to Paybill …, account N.' added when the shop has a Paybill and the message does not say where to pay."""
    code = _language(language)
    facts = shop_rows(actor, "reminder_facts", N_("see reminders"), customer_id=int(customer["customer_id"]))
    if not facts:
        raise NotFound(t("No such customer in this shop."))
    fact = facts[0]
    body = template(actor, code)
    with i18n.using(code):
        values = {
            "name": fact["name"],
            "balance": money(fact["balance"], fact["currency"]),
            "shop": fact["shop_name"],
            "due_date": i18n.day(fact["oldest_due"]),
            "oldest_sale": i18n.day(fact["oldest_sale"]),
            "paybill": fact["paybill"] or "",
            "account": str(fact["account_no"]) if fact["account_no"] is not None else "",
        }
        pay_to = pay_to_line(fact["paybill"], fact["account_no"])
    text = _BRACED.sub(lambda found: values.get(found.group(1), found.group(0)), body)
    if pay_to and "{paybill}" not in body and "{account}" not in body:
        text = f"{text} {pay_to}"
    return text
