"""Who is calling: the bearer token as an Actor (401 without a valid one), a read-only token kept to reads,
and a rate limit per token (an in-process token bucket; 429 with Retry-After)."""

from __future__ import annotations

import math
import os
import threading
import time

from fastapi import Request

from api.errors import ApiError
from duka import tokens
from duka.tokens import Bearer
from i18n import t

READS = {"GET", "HEAD", "OPTIONS"}
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="daftari"'}


class Buckets:
    """`rate` requests a minute per token on average, bursts up to `rate`; one lock, a dict of buckets."""

    def __init__(self, rate: int) -> None:
        self.rate = max(1, rate)
        self.per_second = self.rate / 60.0
        self.lock = threading.Lock()
        self.buckets: dict[int, tuple[float, float]] = {}  # token id -> (tokens left, when counted)

    def take(self, key: int) -> float:
        """0 when the request may go on; otherwise the seconds until it may."""
        now = time.monotonic()
        with self.lock:
            left, then = self.buckets.get(key, (float(self.rate), now))
            left = min(float(self.rate), left + (now - then) * self.per_second)
            if left >= 1.0:
                self.buckets[key] = (left - 1.0, now)
                return 0.0
            self.buckets[key] = (left, now)
            return (1.0 - left) / self.per_second


def rate_per_minute() -> int:
    """API_RATE_PER_MINUTE, 120 when unset."""
    return int(os.environ.get("API_RATE_PER_MINUTE", "120"))


def bearer(request: Request) -> Bearer:
    """The caller of a request that needs a token (a FastAPI dependency)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, t("Send an API token: Authorization: Bearer <token>."), CHALLENGE)
    found = tokens.authenticate(token.strip())
    if found is None:
        raise ApiError(401, t("That API token is not valid (unknown, revoked, or no longer a member)."), CHALLENGE)
    wait = request.app.state.buckets.take(found.token_id)
    if wait:
        raise ApiError(
            429,
            t("Too many requests with this token: slow down and try again shortly."),
            {"Retry-After": str(math.ceil(wait))},
        )
    if request.method not in READS:
        tokens.may_write(found)
    return found
