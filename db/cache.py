"""A per-shop read cache, right across processes: an entry is served only while the shop's version number (a row of
shop_versions, changed by the database's triggers in the same transaction as every write to the shop) is still the
one it was cached under. So a write made by another Streamlit process, the API, the simulator or raw SQL is seen at
the next read, at the price of one primary-key read; a write in this process also drops its shop's entries at once.
Entries live `ttl` seconds at most; reads with no shop (and shops with no version row) rely on that alone."""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

TTL = float(os.environ.get("DAFTARI_CACHE_TTL", "60"))
MAX_ENTRIES = 4096
RUN_SECONDS = 5.0  # a page run reads each shop's version once, for this long at most

# A page run (Streamlit reruns a page's script in one thread) reads each shop's version once, at its first cached
# read, and uses it for every other read of that run: a dashboard makes some twenty cached reads of one shop, and
# twenty version reads cost 5 ms where one costs 0.25. A write by another process during a run shows at the next
# run; a write by this run clears its shop's version here too. Reads outside a page run check every time.
_run = threading.local()

_lock = threading.Lock()
_entries: OrderedDict[tuple, tuple[float, Any, int | None]] = OrderedDict()  # key -> (expiry, value, version)
stats = {"hits": 0, "misses": 0}


def key(name: str, params: dict) -> tuple:
    """The cache key of a named read: its shop first, so one shop's entries can be dropped together."""
    return (params.get("shop_id"), name, tuple(sorted((k, repr(v)) for k, v in params.items())))


def get_or_load(
    name: str,
    params: dict,
    load: Callable[[], Any],
    copy: Callable[[Any], Any],
    ttl: float | None = None,
    version: Callable[[int], int | None] | None = None,
) -> Any:
    """The cached value for (name, params), loading it when absent, older than ttl (default TTL) seconds or cached
    under another version of its shop (`version(shop_id)` reads the current one); callers get a copy.

    The version is read before the value is loaded, so a value is never newer-looking than it is: a write that
    lands between the two makes the entry look stale, never the other way round."""
    k = key(name, params)
    current = _version(version, k[0]) if version is not None and isinstance(k[0], int) else None
    if version is not None and isinstance(k[0], int) and current is None:
        return copy(load())  # a shop without a version row: nothing tells when an entry goes stale
    now = time.monotonic()
    with _lock:
        found = _entries.get(k)
        if found and found[0] > now and found[2] == current:
            _entries.move_to_end(k)
            stats["hits"] += 1
            return copy(found[1])
        stats["misses"] += 1
    value = load()
    with _lock:
        _entries[k] = (now + (TTL if ttl is None else ttl), value, current)
        _entries.move_to_end(k)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return copy(value)


def new_run() -> None:
    """A page run starts in this thread: each shop's version is read again, once."""
    _run.versions, _run.started = {}, time.monotonic()


def _version(version: Callable[[int], int | None], shop_id: int) -> int | None:
    memo = getattr(_run, "versions", None)
    if memo is None or time.monotonic() - _run.started > RUN_SECONDS:
        return version(shop_id)
    if shop_id not in memo:
        memo[shop_id] = version(shop_id)
    return memo[shop_id]


def forget(name: str, params: dict) -> None:
    """Drop one entry (a person asked for a fresh answer)."""
    with _lock:
        _entries.pop(key(name, params), None)


def forget_shop(shop_id: int) -> None:
    """Drop every entry of one shop (called after each committed write to it)."""
    memo = getattr(_run, "versions", None)
    if memo is not None:
        memo.pop(shop_id, None)
    with _lock:
        for k in [k for k in _entries if k[0] == shop_id]:
            del _entries[k]


def clear() -> None:
    """Drop every entry (tests, and writes no Actor made), and this thread's versions of its page run."""
    _run.versions = None
    with _lock:
        _entries.clear()
