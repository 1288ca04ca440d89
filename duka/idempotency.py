"""Idempotency keys for writes sent over the network: the first request with a key records and keeps its
result in the same transaction; a repeat with the same body gets the first answer and records nothing; the
same key with another body is refused."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import db
from db.errors import DaftariError, DuplicateKey, InvalidInput
from duka.members import Actor
from i18n import t

KEY_LENGTH = 120


class KeyReused(DaftariError):
    """The Idempotency-Key was first used with another request."""


def request_hash(payload: dict) -> str:
    """A stable SHA-256 of a request's body (keys sorted), to tell a repeat from a different request."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _checked_key(key: str) -> str:
    key = str(key).strip()
    if not key or len(key) > KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise InvalidInput(t("The Idempotency-Key must be 1 to {most} printable ASCII characters.", most=KEY_LENGTH))
    return key


@db.transactional
def _once(
    tx: db.Tx, actor: Actor, key: str, digest: str, token_id: int | None, write: Callable, args: tuple
) -> tuple[bool, Any, Any]:
    first = tx.one("idempotency_key_for_update", shop_id=actor.shop_id, idem_key=key)
    if first is not None:
        if first["user_id"] != actor.user_id:  # a key is its sender's: another member's answer is not theirs
            raise KeyReused(t("This Idempotency-Key was already used by another member of the shop; use your own."))
        if first["request_hash"] != digest:
            raise KeyReused(t("This Idempotency-Key was already used for a different request."))
        response = json.loads(first["response"]) if first["response"] is not None else None
        return False, json.loads(first["result"]), response
    # The rule inside this transaction (a @db.transactional rule joins a Tx it is given): the record and its key
    # commit together or not at all, so no crash between them can record twice.
    result = write(tx, actor, *args)
    tx.execute(
        "insert_idempotency_key",
        shop_id=actor.shop_id,
        idem_key=key,
        token_id=token_id,
        user_id=actor.user_id,
        request_hash=digest,
        result=json.dumps(result, default=str),
    )
    return True, json.loads(json.dumps(result, default=str)), None


def once(
    actor: Actor, key: str, payload: dict, write: Callable, *args: Any, token_id: int | None = None
) -> tuple[bool, Any, Any]:
    """Run the @db.transactional rule `write(actor, *args)` once per key: (first time, its result, the response
    remembered for it or None). Two requests racing with one key: one records, the other answers as a repeat."""
    key, digest = _checked_key(key), request_hash(payload)
    try:
        return _once(actor, key, digest, token_id, write, args)
    except DuplicateKey:  # the other request inserted the key between our read and our insert
        return _once(actor, key, digest, token_id, write, args)


@db.transactional
def remember(tx: db.Tx, actor: Actor, key: str, response: Any, status: int = 201) -> None:
    """Keep the body first answered for a key, so a repeat answers exactly the same."""
    tx.execute(
        "remember_idempotent_response",
        shop_id=actor.shop_id,
        idem_key=_checked_key(key),
        response=json.dumps(response),
        status=status,
    )
