"""bench/scale all's closing table: each figure's median, its baseline and ratio, its target and whether it is met
(markdown, as the README's Performance section shows it)."""

from __future__ import annotations

MEMORY_MB = 500
COMMAND = "`.venv/bin/python -m bench.scale {}`"


def _met(value: float | None, target: float | None) -> str:
    if value is None:
        return "failed"
    if target is None:
        return "–"
    return "yes" if value <= target else "**no**"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f} ms"


def rows(results: dict) -> list[tuple[str, str, str, str, str, str]]:
    """(command, what it measures, median, baseline and ratio, target, met?) for every figure in `results`."""
    out = []
    if "build" in results:
        b = results["build"]["build"]
        made = ", ".join(f"{n:,} {t}" for t, n in b["rows"].items() if t not in ("users", "shops"))
        out.append(
            (
                COMMAND.format("build"),
                f"the data set, once: {b['rows']['shops']:,} shops, {made}; {b['data_mb']:,} MB data + "
                f"{b['index_mb']:,} MB indexes",
                f"{b['seconds']:,.0f} s",
                "–",
                "–",
                "–",
            )
        )
    for label, f in results.get("dashboard", {}).get("dashboard", {}).items():
        out.append(
            (
                COMMAND.format("dashboard"),
                f"one shop's dashboard data, {label}, uncached (cache hit {f['hit_ms']:.2f} ms)",
                _ms(f["ours_ms"]),
                f"naive {_ms(f['naive_ms'])} = {f['ratio']:.1f}x",
                f"<= {f['target_ms']} ms",
                _met(f["ours_ms"], f["target_ms"]),
            )
        )
    if "questions" in results:
        q = results["questions"]["questions"]
        out.append(
            (
                COMMAND.format("questions"),
                f"all {q['count']} analyst questions with their defaults, wholesaler, uncached, as the analyst page "
                f"asks them; the five slowest: {', '.join(q['slowest'])}",
                f"slowest answered {_ms(q['slowest_ms'])}, median {_ms(q['median_ms'])}",
                f"naive floor (SELECT * of the raw rows read): median ratio {q['median_ratio'] or 0:.0f}x",
                "<= 300 ms each",
                f"{q['met']} of {q['count']}" + ("" if q["met"] == q["count"] else " (**no**)"),
            )
        )
    for f in results.get("expenses", {}).get("expenses", []):
        if f["page"] == "totals":
            out.append(
                (
                    COMMAND.format("expenses"),
                    f"the count and sums above the list, {f['case']} ({f['rows']:,} expenses)",
                    _ms(f["ours_ms"]),
                    "–",
                    "–",
                    "–",
                )
            )
            continue
        out.append(
            (
                COMMAND.format("expenses"),
                f"the expenses list, page {f['page']:,}, {f['case']} (keyset)",
                _ms(f["ours_ms"]),
                f"OFFSET {_ms(f['naive_ms'])} = {f['ratio']:.1f}x",
                f"<= {f['target_ms']} ms",
                _met(f["ours_ms"], f["target_ms"]),
            )
        )
    for key, f in results.get("pages", {}).get("pages", {}).items():
        page, label = key.split("/")
        scaled = f" = {f['ratio_to_small']:.2f}x the small shop" if "ratio_to_small" in f else ""
        out.append(
            (
                COMMAND.format("pages"),
                f"the {page} page under AppTest, {label}: uncached (cached {_ms(f['cached_ms'])})",
                _ms(f["uncached_ms"]),
                scaled.removeprefix(" = ") or "–",
                f"<= {f['target_ms']} ms",
                _met(f["uncached_ms"], f["target_ms"]),
            )
        )
    api = results.get("api", {}).get("api", {})
    floor = api.get("health (the floor)")
    for label, f in api.items():
        if f is floor:
            continue
        out.append(
            (
                COMMAND.format("api"),
                f"GET {label}, 16 clients over HTTP: p50 {_ms(f['p50_ms'])}, p95 {_ms(f['p95_ms'])}",
                f"{f['requests_per_s']:,.0f} req/s",
                f"health {floor['requests_per_s']:,.0f} req/s (p95 {_ms(floor['p95_ms'])})" if floor else "–",
                "–",
                "–",
            )
        )
    for label, f in results.get("import", {}).get("import", {}).items():
        out.append(
            (
                COMMAND.format("import"),
                f"a {f['rows']:,}-row CSV ({f['megabytes']} MB) into the {label} shop: read {f['read']:.2f} s, check "
                f"{f['check']:.2f} s, insert {f['insert']:.2f} s",
                f"{f['total']:.2f} s",
                f"one add_expense a row {f['naive_s']:,.0f} s = {f['ratio']:.0f}x",
                f"<= {f['target_s']:g} s",
                _met(f["total"], f["target_s"]),
            )
        )
    peaks = {what: r["peak_mb"] for what, r in results.items()}
    out.append(
        (
            "each of the above",
            "peak memory (max RSS) of the benchmark's process: "
            + ", ".join(f"{what} {mb:,} MB" for what, mb in peaks.items()),
            f"{max(peaks.values(), default=0):,} MB at most",
            "–",
            f"<= {MEMORY_MB} MB",
            _met(max(peaks.values(), default=0), MEMORY_MB),
        )
    )
    return out


def table(results: dict) -> str:
    lines = [
        "| command | what it measures | median | baseline (ratio) | target | met? |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows(results)]
    loads = sorted({tuple(r["load"]) for r in results.values() if "load" in r})
    if loads:
        lines.append("")
        lines.append("Load average (1, 5, 15 min) at the end of each benchmark: " + "; ".join(map(str, loads)))
    return "\n".join(lines)
