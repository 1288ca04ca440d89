"""bench/scale's reads: one shop's dashboard data, every analyst question with its defaults, and the expenses list,
on the small shop and the wholesaler, each beside a naive baseline timed in the same run."""

from __future__ import annotations

import re
import statistics
from datetime import date

from bench.common import line, median_time
from bench.scale_data import DataSet
from bench.scale_naive import Baseline
from db import cache
from db.errors import InvalidInput
from duka import analytics, dashboard, expenses, questions
from duka.members import Actor, shop_frame
from duka.periods import add_months, month_start

TARGET_MS = {"small": 30, "wholesaler": 100}
QUESTION_TARGET_MS = 300
APP_LIMIT_S = 5.0  # what the analyst page and the API give a question (duka/questions.ask's default)
PAGE_TARGET_MS = 30
# The raw tables a naive app reads for each table a question reads (the roll-ups are ours: it would sum the
# expenses, or the sales and payments).
RAW = {
    "expenses": ("expenses",),
    "expense_days": ("expenses",),
    "expense_day_modes": ("expenses",),
    "book_days": ("debts", "payments"),
    "debts": ("debts",),
    "active_debtors": ("debts",),
    "payments": ("payments",),
    "customers": ("customers",),
    "categories": ("categories",),
}


def dashboard_data(actor: Actor, day: date) -> dict:
    """What the dashboard and the analytics page of one year ask the database for, in one page run (the figures
    of bench/dashboard.py, for `day`)."""
    cache.new_run()
    year = analytics.Period(add_months(month_start(day), -11), day)
    return {
        "kpis": dashboard.kpis(actor, day),
        "ageing": dashboard.ageing(actor, day),
        "flow": dashboard.monthly_flow(actor, 12, day),
        "top": dashboard.top_debtors(actor),
        "summary": analytics.summary(actor, year),
        "trend": analytics.monthly_trend(actor, year),
        "categories": analytics.by_category(actor, year),
        "modes": analytics.by_payment_mode(actor, year),
        "weekdays": analytics.by_weekday(actor, year),
        "top_day": analytics.highest_day(actor, year),
    }


def _uncached(fn) -> float:
    cache.clear()
    return median_time(fn, 1)[0]


def dashboard_bench(data: DataSet, args) -> dict:
    """One shop's dashboard data, uncached, against the naive version (its own process: bench/scale_naive.py)."""
    repeat = args.repeat or 20
    result = {}
    print(f"bench/scale dashboard: one shop's dashboard data as of {data.day}, medians")
    for label, actor, naive_repeat in (("small", data.small, 5), ("wholesaler", data.wholesaler, 3)):
        naive = Baseline(actor.shop_id, data.day)
        try:
            dashboard_data(actor, data.day)  # warm the buffer pool for both contenders
            naive.time("dashboard")
            ours, theirs = [], []
            for i in range(repeat):  # interleaved, so a noisy moment of the machine favours neither
                ours.append(_uncached(lambda a=actor: dashboard_data(a, data.day)))
                if i < min(naive_repeat, repeat):
                    theirs.append(naive.time("dashboard"))
            hit = median_time(lambda a=actor: dashboard_data(a, data.day), repeat)[0]
        finally:
            naive_peak = naive.close()
        figures = {
            "ours_ms": statistics.median(ours) * 1000,
            "naive_ms": statistics.median(theirs) * 1000,
            "hit_ms": hit * 1000,
            "target_ms": TARGET_MS[label],
            "naive_peak_mb": naive_peak,
            "runs": [len(ours), len(theirs)],
        }
        figures["ratio"] = figures["naive_ms"] / figures["ours_ms"]
        result[label] = figures
        name = f"{label} (shop {actor.shop_id})"
        line(f"{name}: ours, uncached (target <= {TARGET_MS[label]} ms)", f"{figures['ours_ms']:9.1f} ms")
        line(f"{name}: naive (SELECT * per figure, pandas)", f"{figures['naive_ms']:9.1f} ms")
        line(f"{name}: naive / ours", f"{figures['ratio']:9.1f}x")
        line(f"{name}: ours from the cache (a hit)", f"{figures['hit_ms']:9.2f} ms")
        line(f"{name}: the naive process's peak memory", f"{naive_peak:9,.0f} MB")
    return {"dashboard": result}


def raw_tables(statement: str) -> list[str]:
    """The raw tables a naive app would read for a question's statement (its FROM and JOIN tables, roll-ups
    counted as the table they sum)."""
    named = re.findall(r"\b(?:FROM|JOIN)\s+`?([a-z_]+)`?", statement, flags=re.IGNORECASE)
    return sorted({raw for t in named for raw in RAW.get(t.lower(), ())})


def default_values(question: questions.Question, day: date) -> dict:
    """The question's defaults as its widgets would start on `day` (the data set's last day)."""
    return {p.name: questions.default_value(p, day) for p in question.params}


def questions_bench(data: DataSet, args) -> dict:
    """Every analyst question with its defaults for the wholesaler, uncached, as the analyst page asks it (the
    read-only reader account, a connection per answer); beside it, the least a naive app would pay: reading the
    shop's raw rows of the tables the question reads (SELECT * … WHERE shop_id into pandas), before any sum."""
    repeat = args.repeat or 5
    actor = data.wholesaler
    every = sorted(questions.library().questions.values(), key=lambda q: q.key)
    naive = Baseline(actor.shop_id, data.day)
    try:
        fetch = {}
        for table in sorted({t for q in every for t in raw_tables(q.sql)}):
            naive.time(f"table {table}")  # warm
            fetch[table] = statistics.median(naive.time(f"table {table}") for _ in range(3))
    finally:
        naive_peak = naive.close()
    answers = []
    for question in every:
        values = default_values(question, data.day)
        times, rows, more, stops = [], 0, False, 0
        for _ in range(repeat):
            seconds, found, more = _ask(actor, question, values)
            if seconds is None:
                stops += 1
                if not times:
                    break  # stopped the first time: the app's limit is its answer
                continue
            times.append(seconds)
            rows = found
        tables = raw_tables(question.sql)
        answers.append(
            {
                "key": question.key,
                "ms": statistics.median(times) * 1000 if times else None,
                "stopped": not times,
                "stops": stops,
                "rows": rows,
                "more": more,
                "naive_ms": sum(fetch[t] for t in tables) * 1000 if tables else None,
                "tables": tables,
            }
        )
    timed = sorted((a for a in answers if a["ms"] is not None), key=lambda a: -a["ms"])
    stopped = [a for a in answers if a["stopped"]]
    slowest = [*stopped, *timed][:5]
    print(
        f"bench/scale questions: {len(every)} analyst questions with their defaults as of {data.day}, "
        f"wholesaler (shop {actor.shop_id}), as the analyst page asks them (the reader account, the app's "
        f"{APP_LIMIT_S:g} s limit), medians of {repeat} uncached runs"
    )
    line("naive floor: SELECT * of the shop's raw rows, per table", "")
    for table, seconds in fetch.items():
        line(f"    {table}", f"{seconds * 1000:9.1f} ms")
    for a in stopped:
        line(f"{a['key']}", f"stopped at the app's {APP_LIMIT_S:g} s limit  MISSED")
    for a in timed:
        ratio = f"{a['naive_ms'] / a['ms']:7.1f}x" if a["naive_ms"] else "        "
        flag = "" if a["ms"] <= QUESTION_TARGET_MS else "  MISSED"
        flag += f" (stopped at {APP_LIMIT_S:g} s in {a['stops']} of {repeat} runs)" if a["stops"] else ""
        line(f"{a['key']} ({a['rows']:,}{'+' if a['more'] else ''} rows)", f"{a['ms']:9.1f} ms {ratio}{flag}")
    met = sum(1 for a in timed if a["ms"] <= QUESTION_TARGET_MS)
    print("  five slowest: " + ", ".join(_said(a) for a in slowest))
    line(f"questions within {QUESTION_TARGET_MS} ms", f"{met} of {len(every)}")
    ratios = [a["naive_ms"] / a["ms"] for a in timed if a["naive_ms"]]
    return {
        "questions": {
            "answers": answers,
            "fetch_ms": {t: s * 1000 for t, s in fetch.items()},
            "slowest": [_said(a) for a in slowest],
            "stopped": [a["key"] for a in stopped],
            "slowest_ms": timed[0]["ms"] if timed else None,
            "median_ms": statistics.median(a["ms"] for a in timed) if timed else None,
            "median_ratio": statistics.median(ratios) if ratios else None,
            "met": met,
            "count": len(every),
            "naive_peak_mb": naive_peak,
        }
    }


def _ask(actor: Actor, question: questions.Question, values: dict) -> tuple[float | None, int, bool]:
    """One uncached answer as the analyst page asks it (the rows it shows, and whether there are more): (seconds,
    rows read, more), or (None, 0, False) when the app's time limit stopped it."""
    cache.clear()
    try:
        found = questions.answer(actor.shop_id, question, values, timeout=APP_LIMIT_S, fresh=True, shown_only=True)
    except InvalidInput as refused:
        if "took longer than" not in str(refused):
            raise
        return None, 0, False
    return found.seconds, len(found.frame), found.more


def _said(answer: dict) -> str:
    return f"{answer['key']} " + (f"> {APP_LIMIT_S:g} s (stopped)" if answer["stopped"] else f"{answer['ms']:.0f} ms")


def _keyset(actor: Actor, where: expenses.Filter, page: int) -> tuple[date, int] | None:
    """The cursor the page keeps in the session to show `page` (the last row of the page before), or None when
    the list is shorter."""
    if page == 1:
        return None
    before = expenses.expenses_page(actor, where, limit=(page - 1) * expenses.PAGE_SIZE)
    if len(before) < (page - 1) * expenses.PAGE_SIZE:
        return None
    last = before.iloc[-1]
    return last["spent_on"], int(last["expense_id"])


def _offset_page(actor: Actor, where: expenses.Filter, page: int):
    """The same page by OFFSET, read the way expenses_page reads (the role checked, the shop bound, cached)."""
    return shop_frame(
        actor,
        "bench_expenses_page_offset",
        "see expenses",
        **where.params(),
        limit=expenses.PAGE_SIZE,
        offset=(page - 1) * expenses.PAGE_SIZE,
    )


def expenses_bench(data: DataSet, args) -> dict:
    """The expenses list's page 1 and page 1,000 by keyset (the page's cursor), uncached, against OFFSET paging of
    the same statement; and the count and sums the page shows above the list."""
    repeat = args.repeat or 20
    day = data.day
    cases = (
        ("wholesaler, this month (the page's default)", data.wholesaler, expenses.Filter(month_start(day), day)),
        ("wholesaler, the whole year", data.wholesaler, expenses.Filter(add_months(month_start(day), -11), day)),
        ("small shop, the whole year", data.small, expenses.Filter(add_months(month_start(day), -11), day)),
    )
    result = []
    print(f"bench/scale expenses: the expenses list ({expenses.PAGE_SIZE} a page), medians of {repeat} uncached runs")
    for label, actor, where in cases:
        count = expenses.filtered_totals(actor, where)["expenses"]
        pages = max(1, -(-count // expenses.PAGE_SIZE))
        for page in sorted({1, min(1000, pages)}):
            cursor = _keyset(actor, where, page)
            ours_page = expenses.expenses_page(actor, where, cursor)
            theirs_page = _offset_page(actor, where, page)
            assert ours_page["expense_id"].tolist() == theirs_page["expense_id"].tolist(), "the pages differ"
            ours, theirs = [], []
            for _ in range(repeat):
                ours.append(_uncached(lambda a=actor, w=where, c=cursor: expenses.expenses_page(a, w, c)))
                theirs.append(_uncached(lambda a=actor, w=where, p=page: _offset_page(a, w, p)))
            figures = {
                "case": label,
                "shop": actor.shop_id,
                "page": page,
                "rows": count,
                "ours_ms": statistics.median(ours) * 1000,
                "naive_ms": statistics.median(theirs) * 1000,
                "target_ms": PAGE_TARGET_MS,
            }
            figures["ratio"] = figures["naive_ms"] / figures["ours_ms"]
            result.append(figures)
            line(
                f"{label}: page {page:,} of {pages:,}",
                f"{figures['ours_ms']:7.1f} ms keyset, {figures['naive_ms']:7.1f} ms OFFSET ({figures['ratio']:.1f}x)",
            )
        totals = statistics.median(
            _uncached(lambda a=actor, w=where: expenses.filtered_totals(a, w)) for _ in range(repeat)
        )
        result.append({"case": label, "shop": actor.shop_id, "page": "totals", "rows": count, "ours_ms": totals * 1000})
        line(f"{label}: the count and sums above the list ({count:,} expenses)", f"{totals * 1000:7.1f} ms")
    return {"expenses": result}
