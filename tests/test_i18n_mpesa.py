"""The M-Pesa page in Kiswahili (issue 14): the inbox keeps its reasons as the callback wrote them, in English
whatever language the request came in, and the page says them in the reader's language, amounts and all."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

import i18n
from duka import book, customers, mpesa
from i18n import t
from support import new_phone, signed_in


def body(account: object, amount: str, trans_id: str) -> dict:
    """A C2B callback body as Safaricom sends it."""
    return {
        "TransactionType": "Pay Bill",
        "TransID": trans_id,
        "TransTime": "20260302143000",
        "TransAmount": amount,
        "BusinessShortCode": "600984",
        "BillRefNumber": str(account),
        "MSISDN": hashlib.sha256(b"254708374149").hexdigest(),
        "FirstName": "John",
    }


def test_the_inbox_keeps_english_reasons_and_the_page_says_them_in_kiswahili(shop):
    secret = mpesa.rotate_secret(shop)
    customer = customers.add_customer(shop, "Achieng", new_phone())
    book.record_sale(shop, customer, "Unga", total="300", debt_date=date(2026, 3, 1))
    account = customers.customer(shop, customer)["account_no"]
    with i18n.using("sw"):  # a request in Kiswahili still writes the reason the inbox keeps in English
        mpesa.confirm(secret, body("9999", "50.00", "SWA1NO0ACC"))
        mpesa.confirm(secret, body(account, "500.00", "SWA2TOOMCH"))
    reasons = dict(zip(mpesa.transactions(shop)["trans_id"], mpesa.transactions(shop)["reason"]))
    assert reasons == {
        "SWA1NO0ACC": "No customer has account number 9999.",
        "SWA2TOOMCH": "Overpayment refused: this customer's balance is Ksh 300.00.",
    }

    at = signed_in(shop, "pages/15_M-Pesa.py", language="sw")
    assert not at.exception and not at.error
    [inbox] = [d for d in at.dataframe if "reason" in d.value.columns]
    shown = dict(zip(inbox.value["trans_id"], inbox.value["reason"]))
    with i18n.using("sw"):
        wanted = {
            "SWA1NO0ACC": t("No customer has account number {account}.", account="9999"),
            "SWA2TOOMCH": t("Overpayment refused: this customer's balance is {balance}.", balance="Ksh 300.00"),
        }
        headers = {c: v.get("label") for c, v in json.loads(inbox.proto.columns).items()}
        assert headers["reason"] == t("reason") != "reason"
        assert at.selectbox(key="mpesa_pick").label == t("Payment")
    assert shown == wanted and all(w != reasons[k] for k, w in wanted.items())

    english = signed_in(shop, "pages/15_M-Pesa.py", language="en")
    [inbox] = [d for d in english.dataframe if "reason" in d.value.columns]
    assert dict(zip(inbox.value["trans_id"], inbox.value["reason"])) == reasons
    assert mpesa.said(None) is None and mpesa.said("An owner's own note.") == "An owner's own note."
    assert customers.customer(shop, customer)["balance"] == Decimal("300.00")  # nothing was paid


def test_a_reason_with_a_day_is_said_with_the_day_in_the_readers_words():
    written = (
        "On 01 Mar 2026 this customer owed Ksh 200.00; a payment cannot pay for later sales. Change the date or the "
        "amount."
    )
    assert mpesa.said(written) == written
    with i18n.using("sw"):
        said = mpesa.said(written)
        assert said == t(
            "On {day} this customer owed {owed}; a payment cannot pay for later sales. Change the date or the amount.",
            day="01 Mac 2026",
            owed="Ksh 200.00",
        )
    assert said != written and "Mar " not in said
