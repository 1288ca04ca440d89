"""Every page in Kiswahili, for every role (issue 14): rendered under AppTest once in English and once in
Kiswahili over the same book, nothing the person reads in Kiswahili is English (names and data aside).

What the person reads is taken from the page itself: every label, text, option, help, placeholder, metric,
tab, table header and chart title of the element tree. A text that reads the same in both languages and holds a
common English word is one that missed t() or the catalogue."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest

from duka import book, customers
from duka.members import Actor
from support import PASSWORD, category_ids, join, new_phone, register_owner, signed_in
from ui.session import PAGES, PROFILE_PAGE

WANTED = {"label", "body", "placeholder", "help", "options", "caption", "title", "text", "delta", "default_label"}
# Common words of the app's English that Kiswahili does not use (brands and the language names are not here).
ENGLISH_TEXT = """the and or of to in on for with from by at is are was be been this that these those your you yours not
    all any each every new add added save saved delete deleted edit edited record recorded sale sales payment
    payments customer customers debt debts balance owed owes owing paid amount total date due shop shops owner
    clerk analyst expense expenses category categories budget budgets month months week weeks day days year years
    today yesterday search filter export download import upload file page next previous back cancel confirm
    log login logout out password phone name first last account members member invite invitation invitations
    role settings show hide more less none nothing yet here there what who when how which people person note
    notes reason void voided correct correction change changes changed history question questions run chart
    table spent spending cashback mode modes collected credit given outstanding top debtors reminder reminders
    send statement period until since between open close closed archived archive merge token tokens create
    created read only write help select choose type enter please try again error wrong something went must
    cannot can will would should may overview analytics average highest lowest largest per of items item
    quantity unit price product method reference number numbers left remaining limit over under since ago
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday"""
ENGLISH = set(ENGLISH_TEXT.split())
NOT_TEXT = re.compile(r"^:material/\w+:$|^https?://|^\S+\.py$")


def strings_of(proto, found: list[str]) -> None:
    """Every string field of a Streamlit element worth reading, recursively."""
    for field, value in proto.ListFields():
        name = field.name
        if field.type == field.TYPE_MESSAGE:
            for item in value if field.is_repeated else [value]:
                strings_of(item, found)
        elif field.type == field.TYPE_STRING:
            values = list(value) if field.is_repeated else [value]
            if name == "columns":  # a table's column_config (JSON): the headers shown
                for config in json.loads(value or "{}").values():
                    if isinstance(config, dict) and config.get("label"):
                        found.append(config["label"])
            elif name == "spec":  # a Plotly chart: titles, axis titles, legend names
                chart_strings(json.loads(value), found)
            elif name in WANTED:
                found.extend(v for v in values if v and not NOT_TEXT.match(v))


def chart_strings(spec: dict, found: list[str]) -> None:
    layout = spec.get("layout", {})
    for part in layout.values():
        if isinstance(part, dict) and isinstance(part.get("title"), dict):
            found.append(part["title"].get("text") or "")
    if isinstance(layout.get("title"), dict):
        found.append(layout["title"].get("text") or "")
    for trace in spec.get("data", []):
        found.append(str(trace.get("name") or ""))
        found.append(str(trace.get("hovertemplate") or ""))
        for axis in ("x", "y", "labels"):
            values = trace.get(axis)
            if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
                found.extend(values)


def page_strings(at) -> list[str]:
    found: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            strings_of(proto, found)
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    for frame in at.dataframe:  # headers a table shows as its own column names (no label of the page's own)
        config = json.loads(frame.proto.columns or "{}")
        order = list(frame.proto.column_order) or None
        try:
            columns = [str(c) for c in frame.value.columns]
        except Exception:  # noqa: BLE001 (a table the test tree cannot decode: its config labels were read)
            columns = []
        for column in columns:
            own = config.get(column) if isinstance(config.get(column), dict) else None
            shown = (order is None or column in order) and not (own or {}).get("hidden")
            if shown and not (own or {}).get("label"):
                found.append(column)
    return [s for s in found if s and s.strip()]


def english_words(text: str, data: list[str]) -> set[str]:
    for value in data:
        text = text.replace(value, " ")
    text = re.sub(r"\\(.)", r"\1", text)
    return {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH}


@pytest.fixture(scope="module")
def book_of_mama():
    """A shop with an owner, a clerk and an analyst, Kiswahili names, customers with sales, a payment and
    expenses: each page has something to show."""
    owner, _ = register_owner("Duka la Mama Mboga", first="Amina")
    staff = {"owner": owner}
    from duka import members

    for role, first in (("clerk", "Baraka"), ("analyst", "Zawadi")):
        phone = new_phone()
        members.register(first, "Njeri", phone, PASSWORD, f"Duka la {first}")
        staff[role] = join(owner, phone, role)
    today = date.today()
    wanjiru = customers.add_customer(owner, "Wanjiru Kamau", "0712345678")
    kamau = customers.add_customer(owner, "Kamau Njoroge")
    sale = book.record_sale(owner, wanjiru, "Sukari", total="1250", debt_date=today - timedelta(days=40))
    book.record_sale(owner, kamau, "Mchele", total="600", debt_date=today - timedelta(days=3))
    book.record_payment(owner, sale, "500", method="M-Pesa", reference="SAB1CD2EF3")
    from duka import expenses

    ids = category_ids(owner)
    for name, amount in list(zip(ids, ("300", "120", "80")))[:3]:
        expenses.add_expense(owner, ids[name], today - timedelta(days=2), amount, "M-Pesa", "0", "Unga na mafuta")
    data = [
        "Duka la Mama Mboga",
        "Duka la Baraka",
        "Duka la Zawadi",
        "Amina",
        "Otieno",
        "Baraka",
        "Zawadi",
        "Njeri",
        "Wanjiru Kamau",
        "Kamau Njoroge",
        "Sukari",
        "Mchele",
        "SAB1CD2EF3",
        "Unga na mafuta",
        *ids,  # the shop's categories are its data
    ]
    return staff, data


def role_pages():
    for role in ("owner", "clerk", "analyst"):
        for path, *_rest, roles in PAGES:
            if role in roles:
                yield role, path
        yield role, PROFILE_PAGE


@pytest.mark.parametrize(("role", "path"), list(role_pages()), ids=lambda v: str(v).replace("pages/", ""))
def test_the_page_reads_kiswahili_throughout(book_of_mama, role, path):
    staff, data = book_of_mama
    actor: Actor = staff[role]
    shown = {}
    for code in ("en", "sw"):
        at = signed_in(actor, path, language=code)
        assert not at.exception, at.exception
        shown[code] = page_strings(at)
    english = set(shown["en"])
    untranslated = {
        text: sorted(words) for text in shown["sw"] if text in english and (words := english_words(text, data))
    }
    assert not untranslated, f"English left on {path} for a Kiswahili {role}: {untranslated}"
    assert len(shown["sw"]) > 5  # the page drew something to read


def test_the_login_page_reads_kiswahili_throughout():
    from support import new_app

    shown = {}
    for code in ("en", "sw"):
        at = new_app()
        at.session_state["language"] = code
        at.run()
        assert not at.exception, at.exception
        shown[code] = page_strings(at)
    untranslated = {
        text: sorted(words) for text in shown["sw"] if text in set(shown["en"]) and (words := english_words(text, []))
    }
    assert not untranslated, f"English left on the login page: {untranslated}"
