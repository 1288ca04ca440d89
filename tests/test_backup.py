"""Backups on the real server with the real mariadb-dump: a round trip gives the same rows in every table, the same
triggers and routines and the same AUTO_INCREMENTs; a restore refuses a database that holds tables, and a missing,
damaged or cut file, with a sentence; on a server with binary logging an account without SUPER is stopped before
anything loads (error 1419), works once log_bin_trust_function_creators is set, and the logs replayed from the
position a backup records bring back what happened after it (point-in-time recovery, as the README says)."""

from __future__ import annotations

import getpass
import gzip
import hashlib
import os
import socket
import stat
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import mysql.connector
import pytest

from db import backup, config, migrate, server
from db.backup import BackupError
from duka import book, customers, expenses
from support import ROOT, TEST_DB, admin_connection, register_owner, seed_expenses

RESTORED = f"{TEST_DB}_restored"
SPRING = date(2026, 3, 2)


def connect(database: str):
    return mysql.connector.connect(**replace(config.admin_settings(), database=database).connect_args())


def drop(database: str) -> None:
    conn = admin_connection(with_database=False)
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{database}`")
    conn.close()


def fingerprint(database: str) -> dict:
    """Everything a restore must bring back: each table's rows (every column, hashed in order), AUTO_INCREMENT,
    the triggers and the routines. Not CHECKSUM TABLE: on MariaDB 10.11 it gave debts (which has a stored generated
    column) a different checksum in one restore of two, for rows equal column by column and the same DDL."""
    conn = connect(database)
    cur = conn.cursor()
    cur.execute(
        "SELECT table_name, auto_increment FROM information_schema.tables WHERE table_schema = %s ORDER BY 1",
        (database,),
    )
    tables = dict(cur.fetchall())
    rows = {}
    for table in tables:
        cur.execute(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
            (database, table),
        )
        width = cur.fetchone()[0]
        cur.execute(f"SELECT * FROM `{table}` ORDER BY {', '.join(str(i) for i in range(1, width + 1))}")
        found = cur.fetchall()
        rows[table] = (len(found), hashlib.sha256(repr(found).encode()).hexdigest())
    cur.execute(
        "SELECT trigger_name, event_manipulation, event_object_table, action_timing, action_order, "
        "action_statement, sql_mode FROM information_schema.triggers WHERE trigger_schema = %s ORDER BY 1",
        (database,),
    )
    triggers = cur.fetchall()
    cur.execute(
        "SELECT routine_name, routine_type, routine_definition FROM information_schema.routines "
        "WHERE routine_schema = %s ORDER BY 1",
        (database,),
    )
    routines = cur.fetchall()
    conn.close()
    return {"auto_increment": tables, "rows": rows, "triggers": triggers, "routines": routines}


@pytest.fixture
def restored_db():
    drop(RESTORED)
    yield RESTORED
    drop(RESTORED)


@pytest.fixture
def busy_shop():
    """A shop with sales, part-payments, a void, an edit, an archived customer and expenses; a customer's name
    holds what a dump's DEFINER clause looks like, which the restore must leave as typed."""
    owner, _ = register_owner("Backup Duka")
    seed_expenses(owner)
    odd = "/*!50017 DEFINER=`root`@`localhost`*/ Wanjiku 'Mama' \\ 😀"
    odd_id, first = book.record_sale_to_new_customer(owner, odd, None, "Unga `2kg`", "1,200", debt_date=SPRING)
    book.record_payment(owner, first, "200", "M-Pesa", "QK12AB34CD", SPRING)
    kip_id, sale = book.record_sale_to_new_customer(owner, "Kiprono", "0712 000 111", "Sugar", "300", debt_date=SPRING)
    paid = book.record_payment(owner, sale, "100", "Cash", None, SPRING)
    book.void_payment(owner, paid, "typed twice")
    book.edit_sale(owner, sale, "Sugar 2kg", "350", SPRING)
    other = customers.add_customer(owner, "Otieno")
    customers.archive_customer(owner, other)
    expenses.add_category(owner, "Stock", "for the shop", "5000")
    return owner, {"odd": odd_id, "kiprono": kip_id, "odd_sale": first}


def test_a_round_trip_brings_back_every_row_trigger_routine_and_auto_increment(busy_shop, restored_db, tmp_path):
    before = fingerprint(TEST_DB)
    made = backup.backup(tmp_path / "shop.sql.gz", backup.admin(TEST_DB))
    assert made.path == tmp_path / "shop.sql.gz" and made.size == made.path.stat().st_size > 0
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
    assert gzip.decompress(made.path.read_bytes()).rstrip().splitlines()[-1].startswith(b"-- Dump completed")

    done = backup.restore(made.path, restored_db)
    after = fingerprint(restored_db)
    assert after == before
    assert set(before["rows"]) >= {"customers", "debts", "payments", "audit_log", "expenses", "schema_migrations"}
    assert before["rows"]["audit_log"][0] > 0 and len(before["triggers"]) > 20
    assert (done.tables, done.triggers, done.routines) == (
        len(before["rows"]),
        len(before["triggers"]),
        len(before["routines"]),
    )


def test_the_restored_book_keeps_working_its_triggers_and_next_ids(busy_shop, restored_db, tmp_path):
    owner, ids = busy_shop
    made = backup.backup(tmp_path / "shop.sql.gz", backup.admin(TEST_DB))
    backup.restore(made.path, restored_db)
    results = {}
    for database in (TEST_DB, restored_db):  # the same raw SQL on the original and on the copy
        conn = connect(database)
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute(
            "INSERT INTO payments (shop_id, debt_id, amount, method, paid_at) VALUES (%s, %s, 50, 'Cash', %s)",
            (owner.shop_id, ids["odd_sale"], SPRING),
        )
        payment_id = cur.lastrowid
        cur.execute("INSERT INTO customers (shop_id, name) VALUES (%s, 'Njeri')", (owner.shop_id,))
        customer_id = cur.lastrowid
        cur.execute(
            "SELECT balance FROM active_debtors WHERE shop_id = %s AND customer_id = %s", (owner.shop_id, ids["odd"])
        )
        balance = cur.fetchone()[0]
        cur.execute("SELECT COUNT(*) FROM audit_log WHERE shop_id = %s", (owner.shop_id,))
        results[database] = (payment_id, customer_id, balance, cur.fetchone()[0])
        with pytest.raises(mysql.connector.Error, match="Overpayment refused"):  # the payment trigger is there
            cur.execute(
                "INSERT INTO payments (shop_id, debt_id, amount, method, paid_at) VALUES (%s, %s, 5000, 'Cash', %s)",
                (owner.shop_id, ids["odd_sale"], SPRING),
            )
        conn.close()
    assert results[TEST_DB] == results[restored_db]
    assert str(results[restored_db][2]) == "950.00"  # 1,200 − 200 − 50, kept by the restored trigger


def test_a_restore_refuses_a_database_that_holds_tables_and_force_replaces_it(busy_shop, restored_db, tmp_path):
    made = backup.backup(tmp_path / "shop.sql.gz", backup.admin(TEST_DB))
    backup.restore(made.path, restored_db)
    conn = connect(restored_db)
    conn.autocommit = True
    conn.cursor().execute("CREATE TABLE keep_me (id INT)")
    conn.close()
    with pytest.raises(BackupError, match=f"The database '{restored_db}' is not empty .* add --force"):
        backup.restore(made.path, restored_db)
    assert "keep_me" in fingerprint(restored_db)["rows"]  # nothing was touched
    backup.restore(made.path, restored_db, force=True)
    assert fingerprint(restored_db) == fingerprint(TEST_DB)  # emptied first: keep_me is gone


def test_a_database_holding_only_an_empty_schema_counts_as_empty(busy_shop, restored_db, tmp_path):
    """./daftari migrates the configured database before it restores: an empty schema loses nothing."""
    made = backup.backup(tmp_path / "shop.sql.gz", backup.admin(TEST_DB))
    migrate.upgrade(backup.admin(restored_db))
    assert len(tables_in(restored_db)) > 10
    backup.restore(made.path, restored_db)
    assert fingerprint(restored_db) == fingerprint(TEST_DB)


def test_a_backup_never_overwrites_a_file(busy_shop, tmp_path):
    target = tmp_path / "shop.sql.gz"
    target.write_bytes(b"precious")
    with pytest.raises(BackupError, match="already exists"):
        backup.backup(target, backup.admin(TEST_DB))
    assert target.read_bytes() == b"precious"


def test_the_default_file_name_names_the_database_and_the_utc_time():
    path = backup.default_path("daftari", datetime(2026, 11, 22, 5, 30, 1, tzinfo=UTC))
    assert path == ROOT / "backups" / "daftari-daftari-20261122T053001Z.sql.gz"
    assert "backups/" in (ROOT / ".gitignore").read_text().splitlines()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, MYSQL_DATABASE=TEST_DB)
    return subprocess.run([sys.executable, "-m", "db.backup", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_the_command_line_backs_up_and_restores(busy_shop, restored_db, tmp_path):
    made = run_cli("backup", str(tmp_path / "nightly.sql"))
    assert made.returncode == 0, made.stderr
    assert (
        tmp_path / "nightly.sql.gz"
    ).exists() and f"Backed up '{TEST_DB}' to {tmp_path}/nightly.sql.gz" in made.stdout
    loaded = run_cli("restore", str(tmp_path / "nightly.sql.gz"), "--database", restored_db)
    assert loaded.returncode == 0, loaded.stderr
    assert f"into '{restored_db}'" in loaded.stdout
    assert fingerprint(restored_db) == fingerprint(TEST_DB)
    again = run_cli("restore", str(tmp_path / "nightly.sql.gz"), "--database", restored_db)
    assert again.returncode == 1 and "is not empty" in again.stderr and "Traceback" not in again.stderr


def tables_in(database: str) -> list:
    conn = admin_connection(with_database=False)
    cur = conn.cursor()
    cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (database,))
    found = cur.fetchall()
    conn.close()
    return found


def damaged_files(folder, good: bytes) -> dict:
    dump = gzip.decompress(good)
    cut_at_a_line = dump[: dump.index(b"\n", len(dump) // 2) + 1]
    files = {
        "missing.sql.gz": (None, "There is no backup file at"),
        "cut.sql.gz": (good[: len(good) // 2], "is damaged and cannot be restored"),
        "flipped.sql.gz": (good[:40] + bytes([good[40] ^ 0xFF]) + good[41:], "is damaged and cannot be restored"),
        "notes.txt": (b"my shopping list\n", "is not a Daftari backup"),
        "half.sql.gz": (gzip.compress(cut_at_a_line), "is incomplete"),
    }
    for name, (content, _) in files.items():
        if content is not None:
            (folder / name).write_bytes(content)
    return {folder / name: sentence for name, (_, sentence) in files.items()}


def test_a_missing_damaged_or_cut_file_gets_a_sentence_and_loads_nothing(busy_shop, restored_db, tmp_path):
    made = backup.backup(tmp_path / "shop.sql.gz", backup.admin(TEST_DB))
    for path, sentence in damaged_files(tmp_path, made.path.read_bytes()).items():
        result = run_cli("restore", str(path), "--database", restored_db)
        assert result.returncode == 1, path
        assert sentence in result.stderr and "Traceback" not in result.stderr, (path, result.stderr)
        assert tables_in(restored_db) == []


def test_a_plain_sql_dump_restores_too(busy_shop, restored_db, tmp_path):
    made = backup.backup(tmp_path / "shop.sql.gz", backup.admin(TEST_DB))
    plain = tmp_path / "shop.sql"
    plain.write_bytes(gzip.decompress(made.path.read_bytes()))
    backup.restore(plain, restored_db)
    assert fingerprint(restored_db) == fingerprint(TEST_DB)


def test_definer_clauses_leave_headers_only_never_data():
    lines = [
        b"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER t BEFORE INSERT ON x FOR EACH ROW\n",
        b"CREATE DEFINER=`ad``min`@`%` PROCEDURE `p`()\n",
        b"/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */\n",
        b"INSERT INTO `customers` VALUES (1,2,'/*!50017 DEFINER=`root`@`localhost`*/ Wanjiku');\n",
    ]
    assert list(backup.statements(lines)) == [
        b"/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE INSERT ON x FOR EACH ROW\n",
        b"CREATE PROCEDURE `p`()\n",
        b"/*!50013 SQL SECURITY DEFINER */\n",
        lines[3],
    ]


def test_the_password_reaches_the_tools_only_through_a_private_file_that_is_removed():
    settings = config.Settings(source="env", user="shop admin", password='pa ss#wo\\rd"1', host="db.example", port=3307)
    with backup.option_file(settings) as path:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        text = Path(path).read_text(encoding="utf-8")
    assert not os.path.exists(path)
    assert "password='pa ss#wo\\\\rd\"1'" in text and 'host="db.example"' in text and "port=3307" in text


# --- a second private MariaDB with binary logging ----------------------------------------------------------

TRICKY = 'pw 12#34\\x"y'  # a space, a comment sign, a backslash and a quote: the option file must carry it


@pytest.fixture(scope="module")
def binlog_server(tmp_path_factory):
    """A MariaDB with --log-bin, Daftari's schema in `shopdb` (made by root), and an account without SUPER.
    (tests/test_migrate_binlog.py starts one the same way; test modules do not import each other.)"""
    mariadbd, install_db = server.binaries()
    assert mariadbd and install_db, "MariaDB binaries are installed by ./daftari test"
    folder = tmp_path_factory.mktemp("binlog")
    data, sock = folder / "data", folder / "mysqld.sock"
    subprocess.run(
        [install_db, "--no-defaults", f"--datadir={data}", f"--user={getpass.getuser()}",
         "--auth-root-authentication-method=normal", "--skip-test-db"],
        check=True, capture_output=True,
    )  # fmt: skip
    proc = subprocess.Popen(
        [mariadbd, "--no-defaults", f"--datadir={data}", f"--socket={sock}", f"--user={getpass.getuser()}",
         "--skip-networking", f"--log-bin={folder / 'binlog'}", "--server-id=1", "--innodb-buffer-pool-size=64M",
         f"--pid-file={folder / 'pid'}", f"--tmpdir={folder}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_UNIX) as probe:
            try:
                probe.connect(str(sock))
                break
            except OSError:
                time.sleep(0.1)
    root = config.Settings(source="env", database="shopdb", user="root", password="", unix_socket=str(sock))
    migrate.upgrade(root)
    conn = mysql.connector.connect(**root.connect_args(with_database=False))
    cur = conn.cursor()
    cur.execute("CREATE USER 'no_super'@'localhost' IDENTIFIED BY %s", (TRICKY,))
    cur.execute("GRANT ALL PRIVILEGES ON `copy%`.* TO 'no_super'@'localhost'")
    conn.close()
    yield {"root": root, "no_super": replace(root, user="no_super", password=TRICKY), "folder": folder}
    proc.terminate()
    proc.wait(timeout=30)


def raw(settings: config.Settings, statement: str, params=(), database: bool = True):
    conn = mysql.connector.connect(**settings.connect_args(with_database=database))
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute(statement, params)
    found = cur.fetchall() if cur.with_rows else None
    conn.close()
    return found


def add_book(settings: config.Settings, name: str, total: int) -> None:
    """A customer with one sale, in raw SQL (the triggers keep active_debtors)."""
    shop = raw(settings, "SELECT MIN(id) FROM shops")[0][0]
    if shop is None:
        raw(settings, "INSERT INTO shops (name) VALUES ('Binlog Duka')")
        shop = raw(settings, "SELECT MIN(id) FROM shops")[0][0]
    raw(settings, "INSERT INTO customers (shop_id, name) VALUES (%s, %s)", (shop, name))
    customer = raw(settings, "SELECT MAX(id) FROM customers")[0][0]
    raw(
        settings,
        "INSERT INTO debts (shop_id, customer_id, product, total, debt_date) VALUES (%s, %s, 'Unga', %s, %s)",
        (shop, customer, total, SPRING),
    )


def test_without_super_on_a_binlog_server_the_restore_stops_first_and_says_what_to_set(binlog_server, tmp_path):
    add_book(binlog_server["root"], "Achieng", 500)
    made = backup.backup(tmp_path / "binlog.sql.gz", binlog_server["root"])
    assert made.binlog_position and made.binlog_position[0].startswith("binlog.")
    target = replace(binlog_server["no_super"], database="copy_refused")
    with pytest.raises(BackupError) as refused:
        backup.restore(made.path, settings=target)
    assert "error 1419" in str(refused.value)
    assert "SET GLOBAL log_bin_trust_function_creators = 1;" in str(refused.value)
    assert raw(target, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'copy_refused'") == [(0,)]

    raw(binlog_server["root"], "SET GLOBAL log_bin_trust_function_creators = 1")
    try:
        target = replace(target, database="copy_trusted")
        done = backup.restore(made.path, settings=target)  # the dump's DEFINER=root would need SUPER: taken out
    finally:
        raw(binlog_server["root"], "SET GLOBAL log_bin_trust_function_creators = 0")
    assert done.triggers == len(raw(binlog_server["root"], "SHOW TRIGGERS"))
    definers = raw(target, "SELECT DISTINCT definer FROM information_schema.triggers WHERE trigger_schema = %s",
                   ("copy_trusted",))  # fmt: skip
    assert definers == [("no_super@localhost",)]
    assert raw(target, "SELECT name FROM customers") == [("Achieng",)]


def test_a_backup_by_an_account_that_cannot_read_the_procedures_is_refused(binlog_server, tmp_path):
    """mariadb-dump leaves out, without a word, the routines an account cannot read; the triggers call them."""
    root = binlog_server["root"]
    raw(root, "CREATE USER IF NOT EXISTS 'dumper'@'localhost' IDENTIFIED BY 'Dump-2026!'", database=False)
    raw(root, "GRANT SELECT, SHOW VIEW, TRIGGER ON shopdb.* TO 'dumper'@'localhost'", database=False)
    raw(root, "GRANT RELOAD, BINLOG MONITOR ON *.* TO 'dumper'@'localhost'", database=False)  # the log position
    dumper = replace(root, user="dumper", password="Dump-2026!")
    called = "add_to_expense_rollups, bump_shop_version, refuse_over_credit_limit, take_from_expense_rollups"
    with pytest.raises(BackupError, match=f"lacks the procedures {called}"):
        backup.backup(tmp_path / "partial.sql.gz", dumper)
    assert list(tmp_path.iterdir()) == []  # nothing kept
    raw(root, "GRANT SELECT ON mysql.proc TO 'dumper'@'localhost'", database=False)
    made = backup.backup(tmp_path / "whole.sql.gz", dumper)
    assert b"PROCEDURE `add_to_expense_rollups`" in gzip.decompress(made.path.read_bytes())


def test_binary_logs_replayed_from_the_backups_position_recover_what_came_after(binlog_server, tmp_path):
    """The README's point-in-time recovery: restore the last dump, then replay the logs from its position up to
    just before the mistake."""
    root = binlog_server["root"]
    add_book(root, "Before the backup", 100)
    made = backup.backup(tmp_path / "nightly.sql.gz", root)
    add_book(root, "After the backup", 250)  # in no dump: only in the binary log
    wanted = raw(root, "SELECT name, balance FROM customers JOIN active_debtors ON customer_id = id ORDER BY name")
    log, mistake_at = raw(root, "SHOW MASTER STATUS")[0][:2]
    raw(root, "DROP DATABASE shopdb", database=False)  # the mistake

    backup.restore(made.path, settings=root)
    names = "SELECT name FROM customers ORDER BY name"
    assert ("After the backup",) not in raw(root, names)  # the dump alone lacks it
    logs = sorted(p.name for p in binlog_server["folder"].glob("binlog.[0-9]*"))
    start_file, start_pos = made.binlog_position
    between = [str(binlog_server["folder"] / n) for n in logs[logs.index(start_file) : logs.index(log) + 1]]
    replay = subprocess.run(
        [backup.tool("mariadb-binlog", "mysqlbinlog"), f"--start-position={start_pos}", f"--stop-position={mistake_at}",
         "--database=shopdb", *between],
        check=True, capture_output=True,
    )  # fmt: skip
    with backup.option_file(replace(root, database="shopdb")) as options:
        subprocess.run(
            [backup.tool("mariadb", "mysql"), f"--defaults-file={options}", "--binary-mode"],
            input=replay.stdout, check=True, capture_output=True,
        )  # fmt: skip
    assert raw(root, "SELECT name, balance FROM customers JOIN active_debtors ON customer_id = id ORDER BY name") == (
        wanted
    )
    assert ("After the backup",) in raw(root, names)
