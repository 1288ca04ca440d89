"""The owner's archive: a zip of CSV files holding every row of this shop and nothing of another, no password
hash, money with two decimals, formulas defused; clerks and analysts are refused; the button builds nothing
until it is pressed."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from db.errors import NotAllowed
from duka import book, customers, expenses, exports, members
from duka.clock import today
from duka.members import Actor
from support import PASSWORD, admin_connection, join, new_phone, register_owner, seed_expenses
from ui import shop_archive

SPRING = date(2026, 3, 2)
# Of a member's account only the name and phone go in (with the membership's user_id): no password hash, lockout
# or demo flag.
ACCOUNT_FIELDS = {"first_name", "last_name", "phone"}
# A sign-in's or an API token's hash, address and browser belong to the person, not the shop; the idempotency keys
# are the API's replay cache of answers whose sales and payments are in the archive; a shop's version number is
# the caches' bookkeeping, not the book.
NOT_SHOP_DATA = {"sessions", "api_tokens", "idempotency_keys", "shop_versions"}


def read_zip(data: bytes) -> dict[str, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in archive.namelist()
        }


def headers(data: bytes) -> dict[str, list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: next(csv.reader(io.StringIO(archive.read(n).decode("utf-8-sig")))) for n in archive.namelist()}


def fill(owner: Actor, who: str) -> None:
    """Sales, payments (one voided), an edit, expenses, a category with a budget and a formula-like name."""
    seed_expenses(owner)
    customer, sale = book.record_sale_to_new_customer(owner, f"{who} Achieng", None, "Unga", "1,200", debt_date=SPRING)
    book.record_payment(owner, sale, "200.5", "M-Pesa", "QK12AB34CD", SPRING)
    paid = book.record_payment(owner, sale, "100", "Cash", None, SPRING)
    book.void_payment(owner, paid, "typed twice")
    book.edit_sale(owner, sale, "Unga 2kg", "1,250", SPRING)
    customers.add_customer(owner, f'=HYPERLINK("http://evil","{who}")')
    expenses.add_category(owner, f"{who} stock", "+ for the shop", "5000")


@pytest.fixture
def two_shops():
    mine, _ = register_owner("Duka la Amina", "Amina")
    theirs, _ = register_owner("Duka la Baraka", "Baraka")
    fill(mine, "Mine")
    fill(theirs, "Theirs")
    phone = new_phone()
    members.register("Clerk", "Mwangi", phone, PASSWORD, "clerk's own shop")
    return {"mine": mine, "theirs": theirs, "clerk": join(mine, phone, "clerk")}


def count_rows(table: str, shop_id: int) -> int:
    """How many rows of a table belong to one shop, counted with raw SQL as any client would."""
    conn = admin_connection()
    cur = conn.cursor()
    cur.execute(f"SELECT COUNT(*) FROM `{table}` WHERE shop_id = %s", (shop_id,))
    found = cur.fetchone()[0]
    conn.close()
    return found


def test_the_archive_holds_every_row_of_this_shop_and_none_of_another(two_shops):
    mine, theirs = two_shops["mine"], two_shops["theirs"]
    files = read_zip(exports.shop_archive(mine))
    assert set(files) == set(exports.ARCHIVE)
    for name, rows in files.items():
        if name == "members.csv":
            continue  # shop_members' rows, checked below
        table = name.removesuffix(".csv") if name != "shop.csv" else None
        assert {r["shop_id"] for r in rows} <= {str(mine.shop_id)}, name
        if table:
            assert len(rows) == count_rows(table, mine.shop_id), name
    assert [r["shop_id"] for r in files["shop.csv"]] == [str(mine.shop_id)]
    assert files["shop.csv"][0]["name"] == "Duka la Amina"
    text = "".join(str(r) for rows in files.values() for r in rows)
    assert "Theirs" not in text and "Baraka" not in text
    assert count_rows("customers", theirs.shop_id) > 0  # the other shop does have rows


def test_the_archive_names_each_member_with_the_role_and_never_a_password_hash(two_shops):
    data = exports.shop_archive(two_shops["mine"])
    members_file = read_zip(data)["members.csv"]
    assert sorted((m["first_name"], m["role"]) for m in members_file) == [("Amina", "owner"), ("Clerk", "clerk")]
    assert "password" not in ",".join(headers(data)["members.csv"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        everything = b"".join(archive.read(n) for n in archive.namelist())
    assert b"$2b$" not in everything  # no bcrypt hash anywhere


def test_money_keeps_two_decimals_and_formulas_are_defused(two_shops):
    files = read_zip(exports.shop_archive(two_shops["mine"]))
    [sale] = files["debts.csv"]
    assert (sale["total"], sale["paid"], sale["balance"], sale["quantity"]) == ("1250.00", "200.50", "1049.50", "")
    assert sorted(p["amount"] for p in files["payments.csv"]) == ["100.00", "200.50"]
    assert {p["void_reason"] for p in files["payments.csv"]} == {"", "typed twice"}
    assert all(len(e["amount"].split(".")[1]) == 2 for e in files["expenses.csv"])
    assert '\'=HYPERLINK("http://evil","Mine")' in [c["name"] for c in files["customers.csv"]]
    assert "'+ for the shop" in [c["description"] for c in files["categories.csv"]]
    assert sale["debt_date"] == "2026-03-02"
    assert any(a["action"] == "void" for a in files["audit_log.csv"])  # the shop's history is there
    assert [(i["role"], i["status"]) for i in files["invitations.csv"]] == [("clerk", "accepted")]


def test_every_column_of_every_table_of_shop_data_is_in_the_archive(two_shops):
    """A new table with a shop_id, or a new column, must be added to the archive (or left out here, with why)."""
    data = exports.shop_archive(two_shops["mine"])
    shown = {name.removesuffix(".csv"): set(columns) for name, columns in headers(data).items()}
    conn = admin_connection()
    cur = conn.cursor()
    cur.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = DATABASE()"
        " AND table_name IN (SELECT table_name FROM information_schema.columns"
        "                     WHERE table_schema = DATABASE() AND column_name = 'shop_id')"
    )
    schema: dict[str, set] = {}
    for table, column in cur.fetchall():
        schema.setdefault(table, set()).add(column)
    cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'users'"
    )
    users = {c for (c,) in cur.fetchall()}
    cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'shops'"
    )
    shops = {"shop_id" if c == "id" else c for (c,) in cur.fetchall()}
    conn.close()
    assert set(schema) - NOT_SHOP_DATA - {"shop_members"} <= set(shown)
    for table, columns in schema.items():
        if table in NOT_SHOP_DATA:
            continue
        if table == "shop_members":
            assert shown["members"] == (columns - {"shop_id"}) | ACCOUNT_FIELDS
            assert users > ACCOUNT_FIELDS
        else:
            assert shown[table] == columns, table
    assert shown["shop"] == shops


@pytest.mark.parametrize("role", ["clerk", "analyst"])
def test_only_the_owner_may_download_the_shops_data(two_shops, role):
    actor = two_shops["clerk"]
    if role == "analyst":
        members.change_role(two_shops["mine"], actor.user_id, "analyst")
    with pytest.raises(NotAllowed, match=f"{members.with_article(role)} cannot download the shop's data"):
        exports.shop_archive(actor)


def test_an_owner_of_another_shop_gets_nothing_of_this_one(two_shops):
    stranger = Actor(two_shops["theirs"].user_id, two_shops["mine"].shop_id)
    with pytest.raises(NotAllowed, match="not a member of this shop"):
        exports.shop_archive(stranger)


# --- the button ------------------------------------------------------------------------------------------


def archive_page(actor: Actor) -> AppTest:
    def script(user_id: int, shop_id: int) -> None:
        from duka.members import Actor
        from ui.shop_archive import archive_download

        archive_download(Actor(user_id, shop_id))

    return AppTest.from_function(script, kwargs={"user_id": actor.user_id, "shop_id": actor.shop_id}).run()


def test_the_button_builds_nothing_until_it_is_pressed(two_shops, monkeypatch):
    built = []
    real = exports.shop_archive
    monkeypatch.setattr(exports, "shop_archive", lambda actor: built.append(actor) or real(actor))
    at = archive_page(two_shops["mine"])
    at.run()
    assert not at.exception
    [button] = at.get("download_button")
    assert button.proto.label == "Download all of the shop's data"
    assert button.proto.ignore_rerun  # pressing it does not run the page again
    assert built == []  # two runs drew the button; nobody pressed it


def test_a_clerk_sees_a_sentence_instead_of_the_button(two_shops):
    at = archive_page(two_shops["clerk"])
    assert not at.exception and not at.get("download_button")
    assert [c.value for c in at.caption] == ["Only the shop's owner can download all of its data."]


def test_the_file_is_named_for_the_shop_and_the_day():
    named = shop_archive.archive_name("Duka la Mama *Mboga* / Nairobi")
    assert named == f"daftari-duka-la-mama-mboga-nairobi-{today()}.zip"
    assert shop_archive.archive_name("دكان") == f"daftari-shop-{today()}.zip"
