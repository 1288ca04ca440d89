"""A per-shop read cache: entries live `ttl` seconds and a write to a shop clears that shop's entries at once."""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

TTL = float(os.environ.get("DAFTARI_CACHE_TTL", "60"))
MAX_ENTRIES = 4096

_lock = threading.Lock()
_entries: OrderedDict[tuple, tuple[float, Any]] = OrderedDict()
stats = {"hits": 0, "misses": 0}


def key(name: str, params: dict) -> tuple:
    """The cache key of a named read: its shop first, so one shop's entries can be dropped together."""
    return (params.get("shop_id"), name, tuple(sorted((k, repr(v)) for k, v in params.items())))


def get_or_load(
    name: str, params: dict, load: Callable[[], Any], copy: Callable[[Any], Any], ttl: float | None = None
) -> Any:
    """The cached value for (name, params), loading it when absent or older than ttl (default TTL) seconds;
    callers get a copy. A write to the shop drops it sooner."""
    k = key(name, params)
    now = time.monotonic()
    with _lock:
        found = _entries.get(k)
        if found and found[0] > now:
            _entries.move_to_end(k)
            stats["hits"] += 1
            return copy(found[1])
        stats["misses"] += 1
    value = load()
    with _lock:
        _entries[k] = (now + (TTL if ttl is None else ttl), value)
        _entries.move_to_end(k)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return copy(value)


def forget(name: str, params: dict) -> None:
    """Drop one entry (a person asked for a fresh answer)."""
    with _lock:
        _entries.pop(key(name, params), None)


def forget_shop(shop_id: int) -> None:
    """Drop every entry of one shop (called after each committed write to it)."""
    with _lock:
        for k in [k for k in _entries if k[0] == shop_id]:
            del _entries[k]


def clear() -> None:
    """Drop every entry (tests, and writes no Actor made)."""
    with _lock:
        _entries.clear()
