"""The size of a request body, held before any credential is read: a C2B callback (public, for Safaricom) is
a few hundred bytes and may be at most C2B_BYTES, anything else API_MAX_BODY_BYTES (1 MiB by default). A
Content-Length above the limit is refused at once, and a body sent without one stops being read when it passes
it: 413 as JSON, the body never held in memory."""

from __future__ import annotations

import json
import os

from i18n import number, t

C2B_BYTES = 64 * 1024


def body_limit() -> int:
    """API_MAX_BODY_BYTES, or 1 MiB."""
    return int(os.environ.get("API_MAX_BODY_BYTES", str(1024 * 1024)))


class TooLarge(Exception):
    """The body passed its limit while it was being read."""


class BodyLimit:
    """ASGI middleware: 413 for a body over the limit of its path."""

    def __init__(self, app, limit: int | None = None) -> None:
        self.app = app
        self.limit = limit if limit is not None else body_limit()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = C2B_BYTES if "/c2b/" in scope.get("path", "") else self.limit
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(send, limit)
            return
        seen = 0
        started = False

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge
            return message

        async def watched(message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except TooLarge:
            if not started:
                await _refuse(send, limit)


async def _refuse(send, limit: int) -> None:
    body = json.dumps(
        {
            "error": "payload_too_large",
            "detail": t("The request body may be at most {limit} bytes.", limit=number(limit)),
        }
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
