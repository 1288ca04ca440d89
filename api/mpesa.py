"""/api/v1/mpesa: Safaricom's Daraja C2B callbacks, validation and confirmation. No bearer token (Safaricom
cannot send one): the long random secret in the path is the credential, and an unknown one is 404 with
nothing stored. The rules are duka/mpesa.py."""

from __future__ import annotations

import json
from decimal import Decimal

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from db.errors import InvalidInput
from duka import mpesa

router = APIRouter(prefix="/api/v1/mpesa", tags=["M-Pesa C2B"])

_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "example": {
                    "TransactionType": "Pay Bill",
                    "TransID": "RKTQDM7W6S",
                    "TransTime": "20260302143000",
                    "TransAmount": "500.00",
                    "BusinessShortCode": "600984",
                    "BillRefNumber": "1042",
                    "InvoiceNumber": "",
                    "OrgAccountBalance": "49197.00",
                    "ThirdPartyTransID": "",
                    "MSISDN": "2547 ***** 149 or its SHA-256",
                    "FirstName": "John",
                    "MiddleName": "",
                    "LastName": "Doe",
                }
            }
        },
    }
}


async def _body(request: Request) -> dict:
    """The JSON object Safaricom posted, numbers read as Decimal (an amount is never a float)."""
    try:
        body = json.loads(await request.body(), parse_float=Decimal)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: JSON nested thousands deep
        raise InvalidInput("The body must be Safaricom's C2B JSON.") from None
    if not isinstance(body, dict):
        raise InvalidInput("The body must be Safaricom's C2B JSON.")
    return body


@router.post("/{shop_secret}/c2b/validation", openapi_extra=_BODY)
async def validation(shop_secret: str, request: Request) -> dict:
    """Safaricom asks before taking the money (only when external validation is on for the short code):
    Accepted, or ResultCode C2B00013 for an amount that is not above 0. Nothing is stored."""
    body = await _body(request)
    return await run_in_threadpool(mpesa.validate, shop_secret, body)  # the database, off the event loop


@router.post("/{shop_secret}/c2b/confirmation", openapi_extra=_BODY)
async def confirmation(shop_secret: str, request: Request) -> dict:
    """Safaricom says the money arrived: recorded as the account's payment, or kept in the owner's inbox;
    once per TransID however often it is sent."""
    body = await _body(request)
    await run_in_threadpool(mpesa.confirm, shop_secret, body)
    return mpesa.ACCEPTED
