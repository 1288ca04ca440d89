"""The named-SQL library: every name used exists, every query is used, every tenant query is scoped."""
from __future__ import annotations

import re
from pathlib import Path

import mysql.connector
import pytest

from db import bulk, core, demo
from db.sqlfiles import queries

ROOT = Path(__file__).resolve().parent.parent
PYTHON = [p for d in ("db", "ui", "pages", "simulate") for p in (ROOT / d).rglob("*.py")] + [ROOT / "app.py"]
TENANT_TABLES = re.compile(r"\b(customers|debts|payments|active_debtors|shop_members)\b")
# Queries that are about one user across shops, scoped by the signed-in user's id instead.
USER_SCOPED = {"memberships_of_user": "%(user_id)s"}
USED = re.compile(r"""(?:rows|one|execute|executemany|query)\(\s*["']([a-z_0-9]+)["']""")


def _names_used() -> set[str]:
    return {m.group(1) for p in PYTHON for m in USED.finditer(p.read_text(encoding="utf-8"))}


def test_every_name_used_in_python_exists_in_sql():
    assert _names_used() - set(queries()) == set()


def test_every_query_in_sql_is_used():
    users = PYTHON + list((ROOT / "bench").glob("*.py"))  # the benchmarks' own checks count as users
    literals = {m.group(1) for p in users for m in re.finditer(r"""["']([a-z_0-9]+)["']""", p.read_text())}
    assert set(queries()) - literals == set()


@pytest.mark.parametrize("name", sorted(queries()))
def test_every_query_touching_shop_data_is_scoped_to_one_shop(name):
    statement = queries()[name].sql
    if name.startswith("truncate_"):
        assert name in demo.WIPE  # only the demo reset, which refuses while real accounts exist
    elif name in bulk.WHOLE_DATABASE:
        pass  # the simulator's bulk loads (every row carries its shop_id) and whole-database checks
    elif name in USER_SCOPED:
        assert USER_SCOPED[name] in statement
    elif TENANT_TABLES.search(statement):
        scoped = "%(shop_id)s" if statement.startswith("INSERT") else "shop_id = %(shop_id)s"
        assert scoped in statement, f"{name} touches shop data without %(shop_id)s"


@pytest.mark.parametrize("name", sorted(queries()))
def test_every_query_has_a_description(name):
    assert queries()[name].description


def test_no_sql_is_built_from_strings_outside_migrations():
    built = re.compile(r"""execute(many)?\((f["']|["'][^"']*["']\s*%[^s(]|.*\.format\()""")
    offenders = [f"{p.relative_to(ROOT)}:{i}" for p in PYTHON
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if built.search(line)]
    assert offenders == []


def test_whole_database_statements_are_never_used_by_the_app():
    app = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]
    for path in app:
        text = path.read_text(encoding="utf-8")
        assert not any(f'"{name}"' in text for name in bulk.WHOLE_DATABASE | set(demo.WIPE)), path.name


def test_pages_never_hold_sql_or_import_the_driver():
    for page in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        text = page.read_text(encoding="utf-8")
        assert "mysql" not in text, page.name
        assert not re.search(r"\b(SELECT|INSERT INTO|DELETE FROM)\b", text), page.name


def test_the_connectors_c_extension_is_in_use():
    """9.1.0 is pinned because newer wheels' C extension does not load on Debian 12 (see requirements.txt)."""
    assert mysql.connector.HAVE_CEXT
    with core.connection() as conn:
        assert type(conn._cnx).__name__ == "CMySQLConnection"
    print(f"mysql-connector-python {mysql.connector.__version__}: C extension in use")
