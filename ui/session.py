"""The session: who is signed in, which shop, which role; the gate every page passes first."""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from urllib.parse import urlparse

import streamlit as st

import i18n
from db import cache
from db.errors import DaftariError
from duka import invitations, members, recovery, sessions
from duka.members import Actor, membership, role_name
from i18n import N_, t
from ui.text import plain

log = logging.getLogger("daftari.ui")
LOGIN_PAGE = "app.py"
COOKIE = "daftari_session"

# (page file, label (English: t(label) where it is shown), icon, roles that see it)
PAGES = [
    ("pages/1_Dashboard.py", N_("Dashboard"), ":material/dashboard:", ("owner", "clerk", "analyst")),
    ("pages/2_Debtors.py", N_("Debtors"), ":material/group:", ("owner", "clerk", "analyst")),
    ("pages/3_Customer.py", N_("Customer ledger"), ":material/receipt_long:", ("owner", "clerk", "analyst")),
    ("pages/4_Record_sale.py", N_("Record a credit sale"), ":material/add_shopping_cart:", ("owner", "clerk")),
    ("pages/5_Record_payment.py", N_("Record a payment"), ":material/payments:", ("owner", "clerk")),
    ("pages/16_Reminders.py", N_("Reminders"), ":material/campaign:", ("owner", "clerk")),
    ("pages/6_Members.py", N_("Shop members"), ":material/manage_accounts:", ("owner",)),
    ("pages/7_Expenses.py", N_("Expenses"), ":material/receipt:", ("owner", "clerk", "analyst")),
    ("pages/8_Budgets.py", N_("Categories and budgets"), ":material/savings:", ("owner", "clerk", "analyst")),
    ("pages/9_Analytics.py", N_("Spending analytics"), ":material/insights:", ("owner", "clerk", "analyst")),
    ("pages/10_Shop_overview.py", N_("Shop overview"), ":material/monitoring:", ("owner", "clerk", "analyst")),
    ("pages/11_Import.py", N_("Import expenses"), ":material/upload_file:", ("owner", "clerk")),
    ("pages/12_Questions.py", N_("Analyst questions"), ":material/query_stats:", ("owner", "analyst")),
    ("pages/14_API_tokens.py", N_("API tokens"), ":material/key:", ("owner", "clerk", "analyst")),
    ("pages/15_M-Pesa.py", N_("M-Pesa"), ":material/phone_android:", ("owner",)),
]
# "An analyst cannot open this page.": one whole sentence per role (no article glued on in Kiswahili)
CANNOT_OPEN = {
    "owner": N_("An owner cannot open this page."),
    "clerk": N_("A clerk cannot open this page."),
    "analyst": N_("An analyst cannot open this page."),
}
PROFILE_PAGE = "pages/13_Your_account.py"  # every signed-in person, in a shop or not


def init() -> None:
    """Global session keys, set once; and a new run of the page (each shop's version is read once per run),
    served in this session's language (a context of this run alone: another person's run keeps theirs)."""
    cache.new_run()
    st.session_state.setdefault("language", i18n.DEFAULT)
    i18n.set_language(st.session_state.language)
    st.session_state.setdefault("user", None)
    st.session_state.setdefault("shops", [])
    st.session_state.setdefault("shop_id", None)
    st.session_state.setdefault("role", None)
    st.session_state.setdefault("session_token", None)


def client() -> dict:
    """Where this browser connects from, for the login guards and the account events (None where unknown:
    AppTest and bare runs have no client)."""
    try:
        address = st.context.ip_address
        agent = st.context.headers.get("User-Agent")
    except Exception:  # noqa: BLE001 (no browser: AppTest, a bare script run)
        address, agent = None, None
    try:
        address = str(ipaddress.ip_address(address)) if isinstance(address, str) else None
    except ValueError:
        address = None
    return {"address": address, "user_agent": agent if isinstance(agent, str) else None}


def address() -> str | None:
    """The client address, where known."""
    return client()["address"]


def sign_in(user: dict) -> None:
    """Hold the signed-in user (with the token of their new session) and give the browser the token."""
    st.session_state.session_token = user.get("token")
    st.session_state.user = {k: user[k] for k in ("id", "first_name", "last_name", "phone")}
    st.session_state.pop("cookie_clear", None)
    _take_language(user)
    st.session_state["cookie_write"] = user.get("token")
    load_shops()


def _take_language(user: dict) -> None:
    """The language chosen on the login page before signing in is kept as the person's; otherwise the one they
    chose last time is used."""
    if st.session_state.pop("language_chosen", False):
        with shown_errors():
            members.set_language(user["id"], st.session_state.language)
    else:
        st.session_state.language = user.get("language") or i18n.DEFAULT
    i18n.set_language(st.session_state.language)


def language_switch(key: str, save: bool) -> None:
    """English | Kiswahili, written in each language itself. On the login page the choice is kept for the
    session and saved at login (save=False); in the sidebar it is saved for the person at once."""
    codes = list(i18n.LANGUAGES)
    chosen = st.segmented_control(
        "Lugha / Language",
        codes,
        default=st.session_state.language,
        format_func=i18n.LANGUAGES.get,
        key=key,
        label_visibility="collapsed",
    )
    if chosen and chosen != st.session_state.language:  # (clicking the chosen one again unselects it: no change)
        st.session_state.language = chosen
        i18n.set_language(chosen)
        if save and st.session_state.user is not None:
            with shown_errors():
                members.set_language(st.session_state.user["id"], chosen)
        else:
            st.session_state["language_chosen"] = True
        st.rerun()


def load_shops(preferred: int | None = None) -> None:
    st.session_state.shops = members.memberships(st.session_state.user["id"])
    ids = [s["shop_id"] for s in st.session_state.shops]
    chosen = preferred if preferred in ids else (ids[0] if ids else None)
    st.session_state.shop_id = chosen
    st.session_state.role = next((s["role"] for s in st.session_state.shops if s["shop_id"] == chosen), None)


def sign_out(end_session: bool = True) -> None:
    """Forget the session here; end it on the server (every tab holding it) unless it has ended already."""
    user, token = st.session_state.get("user"), st.session_state.get("session_token")
    if end_session and user and token:
        with shown_errors():
            recovery.log_out(user["id"], token, address())
    after = st.session_state.get("after_login")
    language = st.session_state.get("language", i18n.DEFAULT)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state.language = language  # the login page that follows speaks as the page before it did
    init()
    st.session_state["cookie_clear"] = True
    if after:
        st.session_state["after_login"] = after


def restore_from_cookie() -> None:
    """A refresh or a bookmarked page opens a new Streamlit session: the cookie's token brings the user back."""
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 (no browser)
        token = None
    found = sessions.find(token) if token else None
    if found is None or found.state == "ended" or (found.state == "idle" and found.shop_id is None):
        return  # an idle session of someone in no shop: their password at the login (no page asks for it)
    st.session_state.session_token = token
    st.session_state.user = {k: found.user[k] for k in ("id", "first_name", "last_name", "phone")}
    _take_language(found.user)
    load_shops(found.shop_id)


def still_signed_in() -> bool:
    """True while the session held here is live (the front door asks: a person in no shop passes no page guard)."""
    found = sessions.find(st.session_state.session_token)
    return found is not None and found.state == "live"


def write_cookie() -> None:
    """Give the browser the session's token, or take it away (a small script: Streamlit sets no cookies).
    SameSite=Strict, Secure when served over HTTPS, 12 hours at most (the server's own limit)."""
    token = st.session_state.pop("cookie_write", None)
    clear = st.session_state.pop("cookie_clear", None)
    if token is None and not clear:
        return
    value = json.dumps(token if token else "")  # a token is URL-safe base64; json.dumps quotes it for JS
    age = sessions.LIFETIME_HOURS * 3600 if token else 0
    st.html(
        f"""<script>
        document.cookie = "{COOKIE}=" + {value} + "; Path=/; Max-Age={age}; SameSite=Strict"
            + (location.protocol === "https:" ? "; Secure" : "");
        </script>""",
        unsafe_allow_javascript=True,
        width="content",
    )


def current_page() -> str | None:
    """The page file the browser asked for (Streamlit's URL is the file's name without its number)."""
    try:
        path = urlparse(st.context.url or "").path
    except Exception:  # noqa: BLE001
        return None
    name = PurePosixPath(path).name
    return next((p for p, *_ in PAGES if re.sub(r"^\d+_", "", PurePosixPath(p).stem) == name), None)


def to_login(message: str | None = None) -> None:
    """Go to the login page, which comes back here after logging in."""
    if page := current_page():
        st.session_state["after_login"] = page
    if message:
        st.session_state["login_message"] = message
    st.switch_page(LOGIN_PAGE)


def landing() -> str:
    """Where a login lands: the page the person was on (a bookmark, a refresh after the session ran out),
    else the Dashboard."""
    return st.session_state.pop("after_login", None) or PAGES[0][0]


def actor() -> Actor:
    return Actor(st.session_state.user["id"], st.session_state.shop_id)


def shop() -> dict:
    """The current shop's row from the memberships: shop_id, shop_name, currency, role."""
    return next(s for s in st.session_state.shops if s["shop_id"] == st.session_state.shop_id)


@contextmanager
def shown_errors() -> Iterator[None]:
    """Show a DaftariError as its sentence and anything else as a calm message, never a traceback."""
    try:
        yield
    except DaftariError as error:
        st.error(plain(error), icon=":material/error:")
    except Exception:
        log.exception("unexpected error")
        st.error(t("Something went wrong on our side. Nothing was saved; please try again."), icon=":material/error:")


def _ask_password_again() -> None:
    st.warning(t("You were away for more than 30 minutes. Enter your password to continue."))
    write_cookie()
    with st.form("reauth"):
        password = st.text_input(t("Password"), type="password")
        ok = st.form_submit_button(t("Continue"), type="primary")
    if ok:
        with shown_errors():
            if members.confirm_password(st.session_state.user["id"], password, address()):
                found = sessions.find(st.session_state.session_token)
                if found is not None:
                    sessions.touch(found.id)
                st.rerun()
            st.error(t("That password is not right."))
    if st.button(t("Log out")):
        sign_out()
        to_login()
    st.stop()


def _refresh_role() -> None:
    """Re-read the role from the database: an owner may have changed or removed it."""
    member = membership(actor()) if st.session_state.shop_id is not None else None
    if member is None:
        load_shops()
        if st.session_state.shop_id is None:  # in no shop now: the front door offers invitations or a new shop
            st.switch_page(LOGIN_PAGE)
        member = membership(actor())
    st.session_state.role = member.role


def sidebar() -> None:
    with st.sidebar:
        user = st.session_state.user
        st.markdown(f"**{plain(user['first_name'])} {plain(user['last_name'])}**")
        shops = st.session_state.shops
        if len(shops) > 1:
            ids = [s["shop_id"] for s in shops]
            names = {s["shop_id"]: f"{s['shop_name']} ({role_name(s['role'])})" for s in shops}
            chosen = st.selectbox(
                t("Shop"), ids, index=ids.index(st.session_state.shop_id), format_func=names.get, key="sidebar_shop"
            )
            if chosen != st.session_state.shop_id:
                st.session_state.shop_id = chosen
                _refresh_role()
                found = sessions.find(st.session_state.session_token)
                if found is not None:
                    sessions.choose_shop(found.id, found.user["id"], chosen)
                st.rerun()
        else:
            st.caption(f"{plain(shop()['shop_name'])} · {role_name(st.session_state.role)}")
        language_switch("sidebar_language", save=True)
        for path, label, icon, roles in PAGES:
            if st.session_state.role in roles:
                st.page_link(path, label=t(label), icon=icon)
        st.page_link(PROFILE_PAGE, label=t("Your account"), icon=":material/person:")
        try:
            waiting = invitations.for_user(user["id"])
        except DaftariError:
            waiting = []  # the page itself says what is wrong
        if waiting:
            st.page_link(PROFILE_PAGE, label=t("Invitations ({n})", n=len(waiting)), icon=":material/mail:")
        if st.button(t("Log out"), key="sidebar_logout", icon=":material/logout:"):
            sign_out()
            st.switch_page(LOGIN_PAGE)


def guard(roles: tuple[str, ...] = ("owner", "clerk", "analyst")) -> Actor:
    """The top of every page: a live session (restored from the cookie after a refresh), not idle, allowed
    here; draws the sidebar; returns the Actor."""
    init()
    if st.session_state.user is None:
        with shown_errors():
            restore_from_cookie()
    if st.session_state.user is None:
        to_login()
    checked = False
    with shown_errors():
        found = sessions.find(st.session_state.session_token)
        if found is None or found.state == "ended":
            sign_out(end_session=False)
            to_login(t("You were logged out (here or in another tab), or your session ran out. Log in again."))
        if found.state == "idle":
            _ask_password_again()
        _refresh_role()
        checked = st.session_state.role is not None
    if not checked:  # the database could not say (its sentence is shown): nothing more on this page
        st.stop()
    write_cookie()
    sidebar()
    if st.session_state.role not in roles:
        st.warning(t(CANNOT_OPEN[st.session_state.role]))
        st.stop()
    return actor()


def page(title: str, roles: tuple[str, ...] = ("owner", "clerk", "analyst")) -> Actor:
    """Page config, the gate and the sidebar, then the page's title. `title` is English (a PAGES label, or marked
    N_): it is translated here, once the gate has set the session's language (a t() on the page's own first line
    would run before that, and a login restored from the cookie may change it)."""
    st.set_page_config(page_icon="📒", layout="centered")
    current = guard(roles)
    title = t(title)
    st.set_page_config(page_title=f"{title} · Daftari")
    for key, value in st.session_state.pop("clear_fields", {}).items():  # before any widget is drawn
        st.session_state[key] = value
    st.title(title)
    if message := st.session_state.pop("flash", None):
        st.success(plain(message), icon=":material/check_circle:")
    return current


def clear_fields(defaults: dict[str, object]) -> None:
    """Empty these widgets on the next run (after a save). Deleting a widget's key is not enough: the browser
    keeps what it shows and sends it back; a value set before the widget is drawn reaches the browser."""
    st.session_state.setdefault("clear_fields", {}).update(defaults)


def flash(message: str) -> None:
    """Show a success message on the next run (a rerun follows a write, so every figure is fresh)."""
    st.session_state["flash"] = message
    st.rerun()
