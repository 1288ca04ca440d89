"""The API's application: its routers, error handlers and rate limit, and the health check (no token)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from api import book, errors, expenses, insights, mpesa
from api.auth import Buckets, rate_per_minute
from api.language import Language
from api.limits import BodyLimit
from db import health


def create_app(rate: int | None = None) -> FastAPI:
    """A new application; `rate` requests a minute per token (API_RATE_PER_MINUTE, 120 by default)."""
    app = FastAPI(
        title="Daftari API",
        version="1",
        description="The shop's debt book and expenses over HTTP. Authorization: Bearer <token> "
        "(make one on the API tokens page or with ./daftari token create). Money is a string with two decimals.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.buckets = Buckets(rate if rate is not None else rate_per_minute())
    # The last added is the outermost: a request meets Language, then Unexpected, then BodyLimit.
    app.add_middleware(BodyLimit)  # before any route reads a body or a token
    app.add_middleware(errors.Unexpected)  # a bug is a JSON 500 and the connection goes on (outside BodyLimit's 413)
    app.add_middleware(Language)  # every sentence in the request's Accept-Language (sw or en), the 413 and 500 too
    errors.install(app)

    @app.get("/api/v1/health", tags=["health"])
    def health_check() -> JSONResponse:
        """Whether the database answers (no token; nothing private)."""
        if health.check().ok:  # the server answers the app's account, every migration applied
            return JSONResponse({"status": "ok", "database": "ok"})
        return JSONResponse({"status": "unavailable", "database": "unavailable"}, status_code=503)

    for router in (expenses.router, book.router, insights.router, mpesa.router):
        app.include_router(router)
    return app
