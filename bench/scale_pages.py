"""bench/scale's pages: the Dashboard and the Analytics page under streamlit.testing.v1.AppTest, signed in as the
shop's owner with a real session (a login, as tests/support.signed_in makes), for the wholesaler and a small shop.
Uncached: the shop's cached reads are dropped before each run (what the first visit after a write costs);
cached: nothing is dropped (a rerun within the minute: each figure costs one version read)."""

from __future__ import annotations

import logging
import statistics
import time
from contextlib import contextmanager

from streamlit.testing.v1 import AppTest

import db
from bench.common import ROOT, line
from bench.scale_data import DataSet
from db import cache
from duka import members
from duka.members import Actor
from simulate.run import DEMO_PASSWORD

PAGES = {"dashboard": "pages/1_Dashboard.py", "analytics": "pages/9_Analytics.py"}
TARGET_MS = 300


@contextmanager
def outside_a_script_run():
    """Session state written from this thread before a run, as AppTest allows: Streamlit's check for a widget of
    the same key looks for the thread's script run and warns "missing ScriptRunContext" on every write. That
    logger alone is raised to errors for these writes, and only for them (Streamlit sets its loggers' levels again
    when AppTest loads its config during a run, so a level set once at the start would not hold)."""
    log = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    before = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(before)


def signed_in(actor: Actor, page: str) -> AppTest:
    """The app with the owner's session, at the page, run once."""
    phone = next(m["phone"] for m in db.rows("members_of_shop", shop_id=actor.shop_id) if m["user_id"] == actor.user_id)
    user = members.login(phone, DEMO_PASSWORD)
    shops = members.memberships(actor.user_id)
    with outside_a_script_run():  # AppTest's constructor writes a key of its own too
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["user"] = {k: user[k] for k in ("id", "first_name", "last_name", "phone")}
        at.session_state["session_token"] = user["token"]
        at.session_state["shops"] = shops
        at.session_state["shop_id"] = actor.shop_id
        at.session_state["role"] = next(s["role"] for s in shops if s["shop_id"] == actor.shop_id)
        at.switch_page(page)
    at.run()
    if at.exception:
        raise RuntimeError(f"{page} failed: {at.exception[0].message}")
    return at


def run_times(at: AppTest, repeat: int, cached: bool) -> list[float]:
    times = []
    for _ in range(repeat):
        if not cached:
            cache.clear()
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
        if at.exception:
            raise RuntimeError(f"the page failed: {at.exception[0].message}")
    return times


def pages_bench(data: DataSet, args) -> dict:
    repeat = args.repeat or 10
    result = {}
    print(f"bench/scale pages: a page's run under AppTest, signed in as the owner, medians of {repeat} runs")
    for name, page in PAGES.items():
        for label, actor in (("small", data.small), ("wholesaler", data.wholesaler)):
            at = signed_in(actor, page)
            uncached, warm = [], []
            for _ in range(repeat):  # in turns, so a noisy moment favours neither
                uncached += run_times(at, 1, cached=False)
                warm += run_times(at, 1, cached=True)
            figures = {
                "uncached_ms": statistics.median(uncached) * 1000,
                "cached_ms": statistics.median(warm) * 1000,
                "target_ms": TARGET_MS,
            }
            result[f"{name}/{label}"] = figures
            line(
                f"{name} page, {label} (shop {actor.shop_id})",
                f"{figures['uncached_ms']:7.1f} ms uncached, {figures['cached_ms']:6.1f} ms cached",
            )
    for name in PAGES:
        small, big = result[f"{name}/small"], result[f"{name}/wholesaler"]
        ratio = big["uncached_ms"] / small["uncached_ms"]
        result[f"{name}/wholesaler"]["ratio_to_small"] = ratio
        line(f"{name} page: wholesaler / small shop, uncached", f"{ratio:7.2f}x")
    return {"pages": result}
