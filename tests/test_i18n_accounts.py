"""A person's language (issue 14): chosen on the login page, it is saved for them at login, serves them alone
(another person on the same server at the same moment keeps reading English), and comes back at their next
login."""

from __future__ import annotations

import i18n
from duka import members
from support import PASSWORD, admin_connection, new_app, new_phone, register_owner

SIDEBAR = ("Log out", "Your account", "Dashboard", "Debtors", "Shop members", "API tokens")


def saved_language(user_id: int) -> str:
    """users.language, read as any SQL client would."""
    conn = admin_connection()
    try:
        cur = conn.cursor()
        cur.execute("SELECT language FROM users WHERE id = %s", (user_id,))
        return cur.fetchone()[0]
    finally:
        conn.close()


def in_language(code: str, *messages: str) -> set[str]:
    with i18n.using(code):
        return {i18n.t(message) for message in messages}


def log_in(at, phone: str):
    """Fill the login form and press its button (whatever its label reads in the page's language)."""
    at.text_input(key="login_phone").input(phone)
    at.text_input(key="login_password").input(PASSWORD)
    [button] = [b for b in at.button if b.proto.form_id == "login"]
    return button.click().run()


def sidebar_texts(at) -> set[str]:
    """The sidebar's page links and buttons, and its caption (the shop and the role)."""
    links = {link.proto.label for link in at.sidebar.get("page_link")}
    return links | {b.label for b in at.sidebar.button} | {c.value for c in at.sidebar.caption}


def test_kiswahili_chosen_at_the_login_is_saved_serves_that_person_alone_and_comes_back_next_time():
    amina, amina_phone = register_owner("Duka la Lugha", first="Amina")
    baraka, baraka_phone = register_owner("Duka la Baraka", first="Baraka")
    assert saved_language(amina.user_id) == "en"  # English until chosen
    swahili, english = in_language("sw", *SIDEBAR), set(SIDEBAR)
    assert not swahili & english  # every sidebar word has its Kiswahili

    amina_app = new_app().run()
    [switch] = [c for c in amina_app.segmented_control if c.key == "login_language"]
    amina_app = switch.set_value("sw").run()
    assert in_language("sw", "Log in") <= {b.label for b in amina_app.button}  # the login page speaks it at once
    baraka_app = new_app().run()  # another person, on the same server at the same moment
    amina_app = log_in(amina_app, amina_phone)
    baraka_app = log_in(baraka_app, baraka_phone)
    assert not amina_app.exception and not baraka_app.exception
    assert saved_language(amina.user_id) == "sw" and saved_language(baraka.user_id) == "en"

    for _ in range(2):  # each run, in turn, reads its own person's language
        amina_app, baraka_app = amina_app.run(), baraka_app.run()
        amina_reads, baraka_reads = sidebar_texts(amina_app), sidebar_texts(baraka_app)
        assert swahili <= amina_reads and not english & amina_reads
        assert english <= baraka_reads and not swahili & baraka_reads
        with i18n.using("sw"):
            assert f"Duka la Lugha · {i18n.t('owner')}" in amina_reads
        assert "Duka la Baraka · owner" in baraka_reads
        assert [t.value for t in amina_app.title] == list(in_language("sw", "Dashboard"))
        assert [t.value for t in baraka_app.title] == ["Dashboard"]

    later = log_in(new_app().run(), amina_phone)  # a new session, the language control untouched
    assert not later.exception
    assert swahili <= sidebar_texts(later)
    assert later.session_state["language"] == "sw" and saved_language(amina.user_id) == "sw"


def test_an_account_registered_on_a_kiswahili_login_page_is_kiswahili_from_the_start():
    """The page speaks Kiswahili (the last person here chose it and logged out): the new account keeps it."""
    at = new_app()
    at.session_state["language"] = "sw"
    at.run()
    phone = new_phone()
    for key, value in (("first", "Neema"), ("last", "Achieng"), ("phone", phone), ("shop", "Duka la Neema")):
        at.text_input(key=f"register_{key}").input(value)
    at.text_input(key="register_password").input(PASSWORD)
    at.text_input(key="register_again").input(PASSWORD)
    [button] = [b for b in at.button if b.proto.form_id == "register"]
    at = button.click().run()
    assert not at.exception and not at.error
    assert saved_language(members.login(phone, PASSWORD)["id"]) == "sw"
    assert in_language("sw", "I have saved them") <= {b.label for b in at.button}  # the codes, in Kiswahili


def test_the_recent_activity_is_dated_in_the_readers_language():
    """The account events' times were formatted by the browser ('22 Nov 2026'), whatever the reader's language."""
    from duka import events
    from support import signed_in

    owner, _ = register_owner("Duka la Saa")
    at = signed_in(owner, "pages/13_Your_account.py", language="sw")
    assert not at.exception
    [shown] = [frame.value for frame in at.dataframe if "when" in frame.value.columns]
    with i18n.using("sw"):
        expected = [i18n.moment(e["when"]) for e in events.recent(owner.user_id, limit=10)]
    assert shown["when"].tolist() == expected and all(" " in when for when in expected)
