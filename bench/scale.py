"""bench/scale: Daftari at ten million expenses (500 shops of 20,000 and a wholesaler of 1,000,000, with their
customers, credit sales and payments; bench/scale_data.py), each figure beside a naive baseline in the same run.

Run:  .venv/bin/python -m bench.scale build|dashboard|questions|expenses|pages|api|import|all
        [--scale 1] [--repeat N] [--rebuild] [--here --database NAME]

The data set lives in a private MariaDB of its own (.data/bench-mariadb, 4 GB buffer pool), built on first use
(about 18 M rows) and kept; --rebuild makes it again. `all` runs each benchmark in a process of its own (each
reports its own peak memory) and prints the table of medians, ratios and targets. --here uses the configured
server and database instead (the test runs every command at --scale 0.001 on its own database).
`python -m bench.scale stop` stops the bench server (it keeps its 4 GB otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

from bench import scale_data
from duka.clock import today

BENCHMARKS = ("dashboard", "questions", "expenses", "pages", "api", "import")
RESULT = "bench/scale result: "  # the line a benchmark's process ends with: its figures, as JSON


def peak_mb() -> float:
    """This process's peak resident memory (max RSS), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("build", *BENCHMARKS, "all", "stop"))
    parser.add_argument("--scale", type=float, default=1.0, help="1: ten million expenses (default)")
    parser.add_argument("--repeat", type=int, default=0, help="runs per figure (default: each benchmark's own)")
    parser.add_argument("--rebuild", action="store_true", help="make the data set again")
    parser.add_argument("--here", action="store_true", help="the configured server, not .data/bench-mariadb")
    parser.add_argument("--database", help=f"database name (default {scale_data.DATABASE})")
    parser.add_argument("--seconds", type=float, default=10.0, help="api: seconds per round of requests")
    return parser.parse_args(argv)


def run_one(args: argparse.Namespace) -> dict:
    """One benchmark in this process; its figures (and this process's peak memory)."""
    scale_data.use(args.here, args.database)
    data = scale_data.ensure(args.scale, args.rebuild, progress=sys.stderr.isatty())
    scale_data.report_build(data.built)
    if (today() - data.day).days > 31:  # the pages and the API read today's month and year, the figures data.day's
        print(f"  note: the data set ends {data.day}; rebuild it (--rebuild) for pages that show this month's figures")
    if args.what == "build":
        result = {"build": data.built}
    else:
        from bench import scale_api, scale_import, scale_pages, scale_reads

        runner = {
            "dashboard": scale_reads.dashboard_bench,
            "questions": scale_reads.questions_bench,
            "expenses": scale_reads.expenses_bench,
            "pages": scale_pages.pages_bench,
            "api": scale_api.api_bench,
            "import": scale_import.import_bench,
        }[args.what]
        result = runner(data, args)
    result["peak_mb"] = round(peak_mb())
    result["load"] = [round(x, 2) for x in os.getloadavg()]
    print(f"  {'peak memory of this process (max RSS; target <= 500 MB)':<58} {result['peak_mb']:8,} MB")
    print(f"  {'load average (1, 5, 15 min)':<58} {', '.join(str(x) for x in result['load'])}")
    return result


def run_all(args: argparse.Namespace, argv: list[str]) -> int:
    """build, then every benchmark in a process of its own; the table at the end."""
    passed = [a for a in argv if a not in ("all", "--rebuild")]
    results, failed = {}, []
    for what in ("build", *BENCHMARKS):
        started = time.perf_counter()
        extra = ["--rebuild"] if what == "build" and args.rebuild else []
        done = subprocess.run(
            [sys.executable, "-m", "bench.scale", what, *passed, *extra], capture_output=True, text=True
        )
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr)
        found = [x for x in done.stdout.splitlines() if x.startswith(RESULT)]
        if done.returncode != 0 or not found:
            failed.append(what)
            continue
        results[what] = json.loads(found[-1][len(RESULT) :])
        print(f"  ({what}: {time.perf_counter() - started:.0f} s as a process)\n")
    from bench.scale_table import table

    print(table(results))
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.what == "stop":
        stopped = scale_data.server.stop(folder=scale_data.FOLDER)
        print("bench server stopped" if stopped else "bench server was not running")
        return 0
    if args.what == "all":
        return run_all(args, argv)
    result = run_one(args)
    print(RESULT + json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
