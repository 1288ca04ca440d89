"""Shop safety proven by parsing: every crafted bypass in tests/crafted/ is refused for its own reason (and some of
them really do read another shop when run unchecked), honest questions and every library file are accepted, and
the regenerated SQL that runs gives the same rows on MariaDB as the text that was written."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from db import reader
from duka import book, customers
from duka.sqlcheck import SCOPE_COLUMNS, SHOP, Refused, check, first_rows
from support import ROOT, register_owner, seed_expenses

CRAFTED = sorted((Path(__file__).parent / "crafted").glob("*.sql"))
LIBRARY = sorted((ROOT / "sql" / "queries").rglob("*.sql"))
SECRET = "Siri"  # in the other shop's name and its customer's name: seeing it means a leak


def split(path: Path) -> tuple[dict, str]:
    """A question file's TOML header and its SQL."""
    head, sql = path.read_text(encoding="utf-8").split("--- */", 1)
    return tomllib.loads(head.split("/* ---", 1)[1]), sql.strip()


HONEST = {
    "string functions REPLACE and INSERT": """
        SELECT REPLACE(c.name, 'a', 'A') AS shouted, INSERT(c.name, 1, 1, '*') AS masked,
               CONCAT(UPPER(LEFT(c.name, 1)), LOWER(SUBSTRING(c.name, 2))) AS tidy
          FROM customers c WHERE c.shop_id = %(shop_id)s ORDER BY c.id""",
    "a recursive calendar of months": """
        WITH RECURSIVE months AS (
               SELECT CAST(%(period_start)s AS DATE) AS month
               UNION ALL
               SELECT month + INTERVAL 1 MONTH FROM months WHERE month + INTERVAL 1 MONTH <= %(period_end)s)
        SELECT m.month, COALESCE(SUM(e.amount), 0) AS spent
          FROM months m
          LEFT JOIN expenses e ON e.shop_id = %(shop_id)s AND e.spent_on >= m.month
                              AND e.spent_on < m.month + INTERVAL 1 MONTH
         GROUP BY m.month ORDER BY m.month""",
    "window functions": """
        SELECT e.spent_on, e.amount,
               ROW_NUMBER() OVER (PARTITION BY e.category_id ORDER BY e.amount DESC, e.id) AS place,
               SUM(e.amount) OVER (ORDER BY e.spent_on, e.id ROWS UNBOUNDED PRECEDING) AS running,
               LAG(e.amount) OVER w AS before_it, DENSE_RANK() OVER w AS ranked
          FROM expenses e WHERE e.shop_id = %(shop_id)s
        WINDOW w AS (ORDER BY e.spent_on, e.id)
         ORDER BY e.spent_on, e.id""",
    "scoped correlated subqueries": """
        SELECT c.name,
               (SELECT COALESCE(SUM(d.total), 0) FROM debts d
                 WHERE d.shop_id = %(shop_id)s AND d.customer_id = c.id) AS bought,
               EXISTS (SELECT 1 FROM payments p JOIN debts d ON d.shop_id = %(shop_id)s AND d.id = p.debt_id
                        WHERE p.shop_id = %(shop_id)s AND d.customer_id = c.id) AS has_paid
          FROM customers c
         WHERE c.shop_id = %(shop_id)s
           AND c.id IN (SELECT d.customer_id FROM debts d WHERE d.shop_id = %(shop_id)s AND d.total > 0)
         ORDER BY c.id""",
    "a LEFT JOIN scoped in its ON": """
        SELECT c.name AS category, COUNT(e.id) AS expenses, COALESCE(SUM(e.amount), 0) AS spent
          FROM categories c
          LEFT JOIN expenses e ON e.shop_id = %(shop_id)s AND e.category_id = c.id
         WHERE c.shop_id = %(shop_id)s
         GROUP BY c.id, c.name ORDER BY c.name""",
    "UNION ALL with both sides scoped": """
        SELECT 'credit' AS flow, debt_date AS day, total AS amount FROM debts WHERE shop_id = %(shop_id)s
        UNION ALL
        SELECT 'payment', DATE(paid_at), amount FROM payments WHERE shop_id = %(shop_id)s
         ORDER BY day, flow, amount""",
    "a derived table and the shop itself": """
        SELECT s.name AS shop, x.customers
          FROM shops s JOIN (SELECT COUNT(*) AS customers FROM customers WHERE shop_id = %(shop_id)s) AS x
         WHERE s.id = %(shop_id)s""",
    "dates, text, maths and CASE": """
        SELECT DATE_FORMAT(e.spent_on, '%Y-%m') AS month, LAST_DAY(e.spent_on) AS month_end,
               DAYOFWEEK(e.spent_on) AS dow, WEEKDAY(e.spent_on) AS weekday,
               DATEDIFF(%(period_end)s, e.spent_on) AS age, TRUNCATE(e.amount / 3, 2) AS third,
               ROUND(e.amount * 1.16, 2) AS with_tax, IF(e.cashback > 0, 'yes', 'no') AS cashback,
               CASE WHEN e.amount >= 1000 THEN 'big' WHEN e.amount >= 100 THEN 'medium' ELSE 'small' END AS size,
               IFNULL(NULLIF(e.description, ''), '(none)') AS said, CAST(e.amount AS SIGNED) AS whole,
               FIND_IN_SET(e.payment_mode, 'Cash,M-Pesa') AS mode_place, -e.amount AS negative,
               e.amount - -1 AS plus_one
          FROM expenses e
         WHERE e.shop_id = %(shop_id)s AND e.spent_on BETWEEN %(period_start)s AND %(period_end)s
           AND (e.description LIKE CONCAT('%%', %(words)s, '%%') OR %(words)s = '')
         ORDER BY e.spent_on, e.id""",
    "a ROLLUP total and a negated parameter": """
        SELECT e.payment_mode, COUNT(*) AS expenses, SUM(e.amount) AS spent
          FROM expenses e WHERE e.shop_id = %(shop_id)s AND e.amount > -%(floor)s
         GROUP BY e.payment_mode WITH ROLLUP""",
}
HONEST_PARAMS = {"period_start": date(2026, 1, 1), "period_end": date(2026, 12, 31), "words": "", "floor": 5}


@pytest.mark.parametrize("path", CRAFTED, ids=[p.stem for p in CRAFTED])
def test_a_crafted_bypass_is_refused_for_its_reason(path):
    header, sql = split(path)
    with pytest.raises(Refused) as refused:
        check(sql)
    assert header["why"].lower() in str(refused.value).lower()
    assert str(refused.value).startswith("the query ")


def test_there_are_at_least_two_dozen_crafted_bypasses():
    assert len(CRAFTED) >= 24


@pytest.mark.parametrize("sql", HONEST.values(), ids=HONEST.keys())
def test_an_honest_question_is_accepted_with_its_parameters_kept(sql):
    checked = check(sql)
    assert "%(shop_id)s" in checked
    assert "__param_" not in checked
    assert check(checked) == checked  # what runs passes the check as it stands


@pytest.mark.parametrize("path", LIBRARY, ids=[p.relative_to(ROOT / "sql" / "queries").as_posix() for p in LIBRARY])
def test_every_library_question_and_choice_source_is_accepted(path):
    header, sql = split(path)
    check(sql)
    for param in header.get("params", []):
        if param.get("source"):
            check(param["source"], f"the source of {param['name']!r}")


def test_a_scope_is_not_carried_over_from_another_table():
    with pytest.raises(Refused, match=r"reads customers as c without c\.shop_id = %\(shop_id\)s"):
        check(
            "SELECT c.name FROM debts d JOIN customers c ON c.shop_id = d.shop_id AND c.id = d.customer_id "
            "WHERE d.shop_id = %(shop_id)s"
        )


def test_the_refusal_names_what_was_checked():
    with pytest.raises(Refused, match=r"^the source of 'category' reads users"):
        check("SELECT id, phone FROM users WHERE %(shop_id)s > 0", "the source of 'category'")


# --- on the database -------------------------------------------------------------------------------


@pytest.fixture
def busy_shop(staffed_shop):
    """support.FIXTURE's expenses, two customers with sales and payments, and a second shop (its name and its
    customer's name hold SECRET) that no question of the first may see."""
    owner = seed_expenses(staffed_shop["owner"])
    achieng = customers.add_customer(owner, "Achieng")
    sale = book.record_sale(owner, achieng, "Cement", total="1000", debt_date=date(2026, 1, 10))
    book.record_payment(owner, sale, "400", paid_at=date(2026, 1, 20))
    book.record_payment(owner, sale, "600", "M-Pesa", paid_at=date(2026, 2, 5))
    baraka = customers.add_customer(owner, "Baraka")
    book.record_sale(owner, baraka, "Sugar", total="500", debt_date=date(2026, 2, 1), due_date=date(2026, 2, 15))
    other, _ = register_owner(f"{SECRET} Shop", "Wanjiru")
    book.record_sale(other, customers.add_customer(other, f"{SECRET} Customer"), "Salt", total="50")
    return staffed_shop


def library_params(header: dict, shop_id: int) -> dict:
    """Values for a library question's parameters, wide enough that the fixture's rows are in."""
    bound = {"shop_id": shop_id, "today": date(2026, 3, 1)}  # what the runner fills, never a widget
    for param in header.get("params", []):
        name, kind, default = param["name"], param["type"], param.get("default")
        if kind == "daterange":
            bound[f"{name}_start"], bound[f"{name}_end"] = date(2025, 1, 1), date(2026, 12, 31)
        elif kind == "date":
            bound[name] = date(2026, 2, 1)
        elif kind == "multichoice":
            bound[name] = ""  # all
        elif kind == "choice" and param.get("source"):
            first = reader.run(shop_id, check(param["source"]), dict(bound))  # a source may use earlier values
            bound[name] = default if default is not None else (first.iloc[:, 0].tolist() or [0])[0]
        elif kind == "choice":
            bound[name] = default if default is not None else param["options"][0]
        else:
            bound[name] = default if default is not None else (0 if kind == "number" else "")
    return bound


def test_every_library_question_gives_the_same_rows_when_regenerated(busy_shop):
    shop_id = busy_shop["analyst"].shop_id
    with_rows = 0
    for path in LIBRARY:
        header, sql = split(path)
        params = library_params(header, shop_id)
        written = reader.run(shop_id, sql, params)
        regenerated = reader.run(shop_id, check(sql), params)
        pd.testing.assert_frame_equal(regenerated, written, obj=path.name)
        assert SECRET not in written.to_string(), path.name
        with_rows += len(written) > 0
    assert with_rows >= len(LIBRARY) * 3 // 4  # the comparison is about real rows, not empty frames


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return sorted(tuple(str(value) for value in row) for row in frame.itertuples(index=False))


def test_the_first_rows_of_every_question_are_its_rows_and_say_whether_there_are_more(busy_shop):
    """sqlcheck.first_rows puts a LIMIT on the outermost query of every library and honest statement (WITH,
    UNION, subqueries): the rows it reads are the answer's, and `more` says whether the answer has more. (Rows
    tied in a question's order may come in another order under a LIMIT, so rows are compared as sets.)"""
    shop_id = busy_shop["analyst"].shop_id
    statements = {path.name: split(path) for path in LIBRARY}
    statements.update({name: ({}, sql) for name, sql in HONEST.items()})
    for name, (header, sql) in statements.items():
        params = library_params(header, shop_id) if header else {"shop_id": shop_id, **HONEST_PARAMS}
        whole = reader.run(shop_id, check(sql), params)
        limited = first_rows(check(sql))
        everything, more = reader.run_first(shop_id, limited, params, max(len(whole), 1))
        assert (_rows(everything), more) == (_rows(whole), False), name
        one, more = reader.run_first(shop_id, limited, params, 1)
        assert len(one) == min(len(whole), 1) and more == (len(whole) > 1), name
        assert set(_rows(one)) <= set(_rows(whole)), name


@pytest.mark.parametrize("ending", ["LIMIT 5", "LIMIT 5 OFFSET 2", "LIMIT 2, 5"])
def test_a_statement_that_limits_its_own_rows_cannot_be_read_first_rows_first(ending):
    """A question returns every row (the page caps, the downloads take all): one that ends with its own LIMIT
    is refused with a sentence when the library loads, not with a syntax error on the page."""
    checked = check(f"SELECT c.name FROM customers c WHERE c.shop_id = %(shop_id)s ORDER BY c.name {ending}")
    with pytest.raises(Refused, match="ends with LIMIT or OFFSET"):
        first_rows(checked)


def test_every_honest_question_gives_the_same_rows_when_regenerated(busy_shop):
    shop_id = busy_shop["analyst"].shop_id
    params = {"shop_id": shop_id, **HONEST_PARAMS}
    for name, sql in HONEST.items():
        written = reader.run(shop_id, sql, params)
        pd.testing.assert_frame_equal(reader.run(shop_id, check(sql), params), written, obj=name)
        assert len(written) > 0, name


def test_crafted_bypasses_really_read_another_shop_when_run_unchecked(busy_shop):
    shop_id = busy_shop["analyst"].shop_id
    leaking = [path for path in CRAFTED if split(path)[0]["leaks"]]
    assert len(leaking) >= 10
    for path in leaking:
        frame = reader.run(shop_id, split(path)[1], {"shop_id": shop_id})
        assert SECRET in frame.to_string(), f"{path.name} did not read the other shop"


def test_every_readable_table_has_the_scope_column_the_check_expects(raw):
    cur = raw.cursor()
    cur.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = DATABASE() AND column_name IN ('id', 'shop_id')"
    )
    columns = {(table, column) for table, column in cur.fetchall()}
    for table in reader.READABLE:
        assert (table, SCOPE_COLUMNS.get(table, SHOP)) in columns, table
    assert ("shops", "shop_id") not in columns  # so an unqualified shop_id under shops is an outer table's


def test_the_fences_know_every_readable_tables_columns(raw):
    """db/reader.COLUMNS is what a fence copies a question's named columns from: a column missing there could
    not be read by any question, a column that is not in the table would stop every question on it."""
    cur = raw.cursor()
    cur.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position"
    )
    schema = {}
    for table, column in cur.fetchall():
        schema.setdefault(table, []).append(column)
    assert set(reader.COLUMNS) == set(reader.READABLE)
    assert {table: tuple(schema[table]) for table in reader.READABLE} == reader.COLUMNS


def test_a_fence_copies_only_the_columns_the_question_names():
    """A wholesaler's payments copied whole took 1,040 ms, copied as the columns a question names 90 ms."""
    fenced = check(
        "SELECT p.method, SUM(p.amount) AS amount, COUNT(*) AS payments FROM payments p "
        "WHERE p.shop_id = %(shop_id)s AND p.voided_at IS NULL GROUP BY p.method"
    )
    inner = re.search(r"\(SELECT (.*?) FROM payments WHERE", fenced).group(1)
    assert inner == "`shop_id`, `amount`, `method`, `voided_at`"
    assert check(fenced) == fenced  # a fenced text checked again is fenced once
    starred = check("SELECT p.* FROM payments p WHERE p.shop_id = %(shop_id)s")
    assert "(SELECT * FROM payments WHERE" in starred


def test_a_subquery_that_looks_like_a_fence_outside_a_from_is_fenced_too():
    """Found in review: the text of a fence in an IN (...) was taken for a fence already made and left as it was,
    so the server could read that table's row of another shop by primary key while optimising. Only a derived
    table in a FROM or JOIN, with its alias, is a fence."""
    looks_like_one = (
        "SELECT c.name FROM customers c WHERE c.shop_id = %(shop_id)s AND (%(target)s, c.shop_id, c.name) IN "
        "(SELECT `id`, `shop_id`, `name` FROM customers WHERE customers.shop_id = %(shop_id)s)"
    )
    checked = check(looks_like_one)
    fence = "(SELECT `id`, `shop_id`, `name` FROM customers WHERE customers.shop_id = %(shop_id)s) AS"
    assert checked.count(fence) == 2
    assert "IN (SELECT `id`, `shop_id`, `name` FROM (SELECT" in checked
    assert check(checked) == checked


# --- an error as an oracle ----------------------------------------------------------------------------------
# Found in review: with `c.id = <constant>` on the primary key, MariaDB reads that one row as a constant table
# while optimising and evaluates the other conditions on it before it sees that its shop_id does not match; a
# condition that fails (EXP overflow) when a guess about another shop's row is right tells one bit per run, and
# with parameters a question can read any row a character at a time. The SQL that runs reads each table
# through a derived table of the shop's rows alone, materialised (derived_merge off in the reader's session),
# so no condition of the question ever sees another shop's row.

ORACLE = """SELECT c.name FROM customers c
 WHERE c.shop_id = %(shop_id)s AND c.id = %(target)s
   AND EXP(IF(COALESCE(ASCII(SUBSTRING(c.name, 1, 1)), 0) > %(guess)s, 1000, 0)) > 0"""


def _guesses(shop_id: int, statement: str, target: int) -> list[str]:
    """What the question says for each guess: rows, or the error's class."""
    said = []
    for guess in (0, 255):
        try:
            said.append(repr(reader.run(shop_id, statement, {"shop_id": shop_id, "target": target, "guess": guess})))
        except Exception as exc:  # noqa: BLE001 (the error itself is the signal measured)
            said.append(type(exc).__name__)
    return said


def test_an_error_cannot_tell_anything_about_another_shops_row(busy_shop, raw):
    cur = raw.cursor()
    cur.execute("SELECT MAX(id) FROM customers WHERE name = %s", (f"{SECRET} Customer",))  # this test's other shop
    [(theirs,)] = cur.fetchall()
    shop = busy_shop["owner"].shop_id
    assert _guesses(shop, ORACLE, theirs)[0] != _guesses(shop, ORACLE, theirs)[1]  # as written: the oracle works
    checked = check(ORACLE)
    assert _guesses(shop, checked, theirs) == [repr(pd.DataFrame(columns=["name"]))] * 2


def test_the_null_shop_rows_of_the_audit_log_are_out_of_reach_too(busy_shop, raw):
    """Account events (shop_id NULL: a failed login's phone) are nobody's shop's rows."""
    cur = raw.cursor()
    cur.execute(
        "INSERT INTO audit_log (shop_id, table_name, row_id, action, old_values) "
        "VALUES (NULL, 'users', NULL, 'login_failed', JSON_OBJECT('phone', '+254712999888'))"
    )
    event = cur.lastrowid
    oracle = ORACLE.replace("customers c", "audit_log c").replace("c.name", "c.action")
    shop = busy_shop["owner"].shop_id
    said = _guesses(shop, check(oracle), event)
    assert said[0] == said[1] and "Error" not in said[0]


def test_a_name_that_starts_with_a_digit_is_refused():
    """sqlglot reads 1e0OR as one name, the server as 1e0 followed by OR."""
    with pytest.raises(Refused, match="starts with a digit"):
        check("SELECT s.id FROM shops s WHERE (s.id = %(shop_id)s) AND (1e0OR - 1)")
