"""The named-SQL library and the layers: each module names only the queries of its own sql/ file, every query
is used and scoped to one shop, and only db/ imports the driver."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import mysql.connector
import pytest

import db
from db import bulk, sqlfiles
from db.sqlfiles import queries
from simulate import demo

ROOT = Path(__file__).resolve().parent.parent
TENANT_TABLES = re.compile(r"\b(customers|debts|payments|active_debtors|shop_members)\b")
# Queries that are about one user across shops, scoped by the signed-in user's id instead.
USER_SCOPED = {
    "memberships_of_user": "%(user_id)s",
    "shops_not_owned_by": "%(user_id)s",
    "shops_of_member_by_owner": "%(user_id)s",
}
# The calls that take a query's name: db.rows/query, Tx.rows/one/execute/executemany, the shop-read helpers,
# sqlfiles.sql and the migration runner's _run.
TAKES_A_NAME = {"rows", "one", "execute", "executemany", "query", "shop_frame", "shop_rows", "sql", "_run"}


def home(module: Path) -> str:
    """The sql/ file a module's queries live in: duka/X.py and db/X.py use sql/X.sql; the simulator, its own."""
    folder = module.parent.name
    return "simulate.sql" if folder == "simulate" else f"{module.stem}.sql"


def modules() -> list[Path]:
    """Every module that may name queries: the shop's rules, db/ and the simulator."""
    return sorted(p for folder in ("duka", "db", "simulate") for p in (ROOT / folder).glob("*.py"))


def literals(module: Path) -> set[str]:
    """Every string constant of a module."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def names_called(module: Path) -> set[str]:
    """The query named by every call that takes one: its first string argument (shop_frame(actor, NAME, …))."""
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = next((a for a in node.args if isinstance(a, (ast.Constant, ast.IfExp))), None)
            if func not in TAKES_A_NAME or first is None:
                continue
            # "record_good_login" if ok else "record_failed_login"
            for choice in (first.body, first.orelse) if isinstance(first, ast.IfExp) else (first,):
                if isinstance(choice, ast.Constant) and isinstance(choice.value, str):
                    found.add(choice.value)
    return found


@pytest.mark.parametrize("module", modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_module_names_only_queries_of_its_own_sql_file(module):
    """A newcomer finds a query by names alone: duka/book.py -> sql/book.sql -> '-- name: debtors_for_shop'."""
    own = {name for name, q in queries().items() if q.file == home(module)}
    called = names_called(module)
    elsewhere = {name for name in literals(module) & set(queries()) if name not in own}
    assert called - set(queries()) == set(), "names that no sql/*.sql file defines"
    assert elsewhere == set(), f"queries of other files named in {module.name}"


def test_every_query_in_sql_is_used_by_its_own_module():
    users: dict[str, set[str]] = {}
    for module in modules():
        users.setdefault(home(module), set()).update(literals(module))
    users["bench.sql"] = {text for p in (ROOT / "bench").glob("*.py") for text in literals(p)}
    unused = {name for name, q in queries().items() if name not in users.get(q.file, set())}
    assert unused == set()


def test_pages_ui_and_the_front_door_name_no_query():
    front = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]
    assert {p.name: literals(p) & set(queries()) for p in front if literals(p) & set(queries())} == {}


@pytest.mark.parametrize("name", sorted(queries()))
def test_every_query_touching_shop_data_is_scoped_to_one_shop(name):
    statement = queries()[name].sql
    if name.startswith("truncate_"):
        assert name in demo.WIPE  # only the demo reset, which refuses while real accounts exist
    elif name in bulk.WHOLE_DATABASE | demo.WHOLE_DATABASE:
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
    python = [*modules(), ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]
    offenders = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in python
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if built.search(line)
    ]
    assert offenders == []


def imported(module: Path) -> set[str]:
    """Every module name an import statement of this file names (at any depth, lazy imports included)."""
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def the_app() -> list[Path]:
    """Every Python file of the app and its tools; tests/ and bench/ play outside SQL clients on purpose
    (the triggers hold for any client; the naive baseline is the seed apps' own code)."""
    return sorted(
        p for p in ROOT.rglob("*.py") if p.relative_to(ROOT).parts[0] not in {"tests", "bench", ".venv", ".data"}
    )


def test_only_db_imports_the_driver():
    outside = [p.relative_to(ROOT).as_posix() for p in the_app() if p.relative_to(ROOT).parts[0] != "db"]
    offenders = [
        p for p in outside if any(n == "mysql" or n.startswith(("mysql.", "_mysql")) for n in imported(ROOT / p))
    ]
    assert offenders == []
    assert outside, "the scan found the app's files"


def test_the_shops_rules_never_import_streamlit():
    rules = sorted((ROOT / "duka").glob("*.py"))
    assert rules and [p.name for p in rules if any(n.split(".")[0] == "streamlit" for n in imported(p))] == []


def test_db_never_imports_the_shops_rules_or_streamlit():
    infrastructure = sorted((ROOT / "db").glob("*.py"))
    offenders = [
        p.name for p in infrastructure if any(n.split(".")[0] in {"duka", "ui", "streamlit"} for n in imported(p))
    ]
    assert infrastructure and offenders == []


def test_pages_never_hold_sql():
    for page in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"\b(SELECT|INSERT INTO|DELETE FROM)\b", text), page.name


def test_the_connectors_c_extension_loads_and_the_app_pool_is_pure_python_on_purpose():
    """The pinned driver's C extension loads here (the 26.x wheels need OpenSSL 3.2 and fall back to pure Python);
    the app's pool uses the pure-Python protocol on purpose: only it lets the 1 s check at checkout time out
    while a statement may run for 10 s (db/pool.py), so a hung server costs a session 1 s, not the whole pause."""
    assert mysql.connector.HAVE_CEXT
    with db.connection() as conn:
        assert type(conn).__name__ == "MySQLConnection"
    with db.pool.admin_connection() as admin:
        assert type(admin).__name__ == "CMySQLConnection"


def test_a_section_comment_between_two_queries_belongs_to_neither():
    """The driver runs every ';' it is given: a comment after a query's ';' made it two statements."""
    text = """-- name: first
-- The first.
SELECT 1;

-- a section heading ----------------------------------------------------

-- name: second
-- The second.
SELECT 2;
"""
    parsed = sqlfiles.parse(text)
    assert parsed["first"].sql == "SELECT 1"
    assert parsed["second"].sql == "SELECT 2"


@pytest.mark.parametrize("name", sorted(queries()))
def test_every_named_query_is_one_statement(name):
    bare = re.sub(r"'(?:[^'\\]|\\.)*'", "''", queries()[name].sql)
    assert ";" not in bare and not bare.rstrip().splitlines()[-1].lstrip().startswith("--")
