"""The scale benchmarks' commands run end to end at a tiny scale (0.001: three shops, 41,000 expenses, the naive
baselines in their own process, the API over HTTP, the pages under AppTest, a 500-row import) on a database of
this test run, each in its own process as `python -m bench.scale all` runs them, and report their figures; a
benchmark that breaks makes the command fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bench import scale, scale_data
from duka import questions
from support import ROOT, TEST_DB, admin_connection

DATABASE = f"{TEST_DB}_scale"


@pytest.fixture
def scale_database():
    """The name of a database for the benchmarks' data set; dropped afterwards with what it says of itself."""
    yield DATABASE
    conn = admin_connection(with_database=False)
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{DATABASE}`")
    conn.close()
    scale_data.marker(DATABASE).unlink(missing_ok=True)


def results_of(output: str) -> dict:
    """Each benchmark's figures, by the name of its first key (build, dashboard, questions…)."""
    found = [json.loads(x[len(scale.RESULT) :]) for x in output.splitlines() if x.startswith(scale.RESULT)]
    return {next(iter(r)): r for r in found}


def test_every_scale_benchmark_runs_at_a_tiny_scale_and_reports_its_figures(scale_database):
    command = [sys.executable, "-m", "bench.scale", "all", "--scale", "0.001", "--here", "--database", scale_database]
    env = dict(os.environ, MYSQL_DATABASE=scale_database)
    done = subprocess.run(
        [*command, "--repeat", "1", "--seconds", "0.5"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = results_of(done.stdout)
    assert set(results) == {"build", "dashboard", "questions", "expenses", "pages", "api", "import"}
    built = results["build"]["build"]["rows"]
    assert built["shops"] == 3 and 41_000 <= built["expenses"] < 41_200  # two shops of 20,000 a year, one of 1,000
    for shop in ("small", "wholesaler"):
        figures = results["dashboard"]["dashboard"][shop]
        assert figures["ours_ms"] > 0 and figures["naive_ms"] > 0
        assert results["import"]["import"][shop]["rows"] == 500
    asked = results["questions"]["questions"]
    assert asked["count"] == len(questions.library().questions) == len(asked["answers"])
    assert all(a["ms"] > 0 for a in asked["answers"])
    assert {f["page"] for f in results["expenses"]["expenses"]} >= {1, "totals"}
    assert set(results["pages"]["pages"]) == {
        f"{p}/{s}" for p in ("dashboard", "analytics") for s in ("small", "wholesaler")
    }
    assert all(f["requests"] > 0 for f in results["api"]["api"].values())
    assert all(r["peak_mb"] > 0 for r in results.values())
    assert "| `.venv/bin/python -m bench.scale import` |" in done.stdout  # the closing table
    assert "missing ScriptRunContext" not in done.stdout + done.stderr
