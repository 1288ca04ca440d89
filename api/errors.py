"""Every error as JSON {"error", "detail"} with its status: the shop's rules' sentences as they are, the
request's mistakes naming the field, and never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from db.errors import DatabaseBusy, DatabaseUnavailable, InvalidInput, NotAllowed, NotFound
from duka.idempotency import KeyReused
from i18n import t

log = logging.getLogger("daftari.api")

# A rule's error class, the status it answers and the short word clients switch on.
STATUSES = (
    (NotAllowed, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (KeyReused, 409, "idempotency_key_reused"),
    (InvalidInput, 422, "invalid_input"),
    (DatabaseUnavailable, 503, "database_unavailable"),
    (DatabaseBusy, 503, "database_busy"),
)
WORDS = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 429: "rate_limited"}


class ApiError(Exception):
    """An answer the API gives itself (401, 429...), with headers such as WWW-Authenticate or Retry-After."""

    def __init__(self, status: int, detail: str, headers: dict | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers or {}


def error(status: int, word: str, detail: str, headers: dict | None = None, **more) -> JSONResponse:
    """The one shape of every error: {"error": a word, "detail": a sentence, ...}."""
    return JSONResponse({"error": word, "detail": detail, **more}, status_code=status, headers=headers)


def _field(location: tuple) -> str:
    return ".".join(str(part) for part in location if part not in ("body", "query", "path", "header"))


def install(app: FastAPI) -> None:
    """The handlers, from the most particular to the catch-all."""
    for kind, status, word in STATUSES:

        def answer(request: Request, exc: Exception, status: int = status, word: str = word) -> JSONResponse:
            headers = {"Retry-After": "5"} if status == 503 else None
            return error(status, word, str(exc), headers)

        app.add_exception_handler(kind, answer)

    @app.exception_handler(ApiError)
    def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error(exc.status, WORDS.get(exc.status, "error"), exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"field": _field(tuple(e.get("loc", ()))), "message": e.get("msg", "")} for e in exc.errors()]
        first = problems[0] if problems else {"field": "", "message": "invalid request"}
        where = f"{first['field']}: " if first["field"] else ""
        return error(422, "invalid_input", f"{where}{first['message']}", field=first["field"], problems=problems)

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else t("The request cannot be answered.")
        return error(exc.status_code, WORDS.get(exc.status_code, "error"), detail, getattr(exc, "headers", None))


class Unexpected:
    """ASGI middleware: a bug in a route is logged with its traceback and answered 500 as JSON, and that is
    the end of it. Starlette's handler for Exception answers and then raises again, and uvicorn closes the
    connection on the raise: a pooled client that has already sent its next request there gets 'connection reset
    by peer' for a request that did nothing wrong. An error after the answer started still closes the connection
    (the answer cannot be finished)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            log.error("unexpected error on %s %s", scope.get("method"), scope.get("path"), exc_info=exc)
            if started:
                raise
            said = t("Something went wrong on the server; nothing more is known here.")
            answer = error(500, "internal_error", said)
            await answer(scope, receive, send)
