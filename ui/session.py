"""The session: who is signed in, which shop, which role; the gate every page passes first."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from db.errors import DaftariError
from duka import members
from duka.members import Actor, membership, with_article
from ui.text import plain

log = logging.getLogger("daftari.ui")
IDLE_SECONDS = 30 * 60
LOGIN_PAGE = "app.py"

# (page file, label, icon, roles that see it)
PAGES = [
    ("pages/1_Dashboard.py", "Dashboard", ":material/dashboard:", ("owner", "clerk", "analyst")),
    ("pages/2_Debtors.py", "Debtors", ":material/group:", ("owner", "clerk", "analyst")),
    ("pages/3_Customer.py", "Customer ledger", ":material/receipt_long:", ("owner", "clerk", "analyst")),
    ("pages/4_Record_sale.py", "Record a credit sale", ":material/add_shopping_cart:", ("owner", "clerk")),
    ("pages/5_Record_payment.py", "Record a payment", ":material/payments:", ("owner", "clerk")),
    ("pages/6_Members.py", "Shop members", ":material/manage_accounts:", ("owner",)),
    ("pages/7_Expenses.py", "Expenses", ":material/receipt:", ("owner", "clerk", "analyst")),
    ("pages/8_Budgets.py", "Categories and budgets", ":material/savings:", ("owner", "clerk", "analyst")),
    ("pages/9_Analytics.py", "Spending analytics", ":material/insights:", ("owner", "clerk", "analyst")),
    ("pages/10_Shop_overview.py", "Shop overview", ":material/monitoring:", ("owner", "clerk", "analyst")),
    ("pages/11_Import.py", "Import expenses", ":material/upload_file:", ("owner", "clerk")),
    ("pages/12_Questions.py", "Analyst questions", ":material/query_stats:", ("owner", "analyst")),
]


def init() -> None:
    """Global session keys, set once."""
    st.session_state.setdefault("user", None)
    st.session_state.setdefault("shops", [])
    st.session_state.setdefault("shop_id", None)
    st.session_state.setdefault("role", None)
    st.session_state.setdefault("last_seen", 0.0)


def sign_in(user: dict) -> None:
    st.session_state.user = user
    st.session_state.shops = members.memberships(user["id"])
    first = st.session_state.shops[0] if st.session_state.shops else None
    st.session_state.shop_id = first["shop_id"] if first else None
    st.session_state.role = first["role"] if first else None
    st.session_state.last_seen = time.time()


def sign_out() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    init()


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
        st.error("Something went wrong on our side. Nothing was saved; please try again.", icon=":material/error:")


def _ask_password_again() -> None:
    st.warning("You were away for more than 30 minutes. Enter your password to continue.")
    with st.form("reauth"):
        password = st.text_input("Password", type="password")
        ok = st.form_submit_button("Continue", type="primary")
    if ok:
        with shown_errors():
            if members.confirm_password(st.session_state.user["id"], password):
                st.session_state.last_seen = time.time()
                st.rerun()
            st.error(members.LOGIN_FAILED)
    if st.button("Log out"):
        sign_out()
        st.switch_page(LOGIN_PAGE)
    st.stop()


def _refresh_role() -> None:
    """Re-read the role from the database: an owner may have changed or removed it."""
    member = membership(actor())
    if member is None:
        st.session_state.shops = members.memberships(st.session_state.user["id"])
        if not st.session_state.shops:
            sign_out()
            st.switch_page(LOGIN_PAGE)
        st.session_state.shop_id = st.session_state.shops[0]["shop_id"]
        member = membership(actor())
    st.session_state.role = member.role


def sidebar() -> None:
    with st.sidebar:
        user = st.session_state.user
        st.markdown(f"**{plain(user['first_name'])} {plain(user['last_name'])}**")
        shops = st.session_state.shops
        if len(shops) > 1:
            ids = [s["shop_id"] for s in shops]
            names = {s["shop_id"]: f"{s['shop_name']} ({s['role']})" for s in shops}
            chosen = st.selectbox(
                "Shop", ids, index=ids.index(st.session_state.shop_id), format_func=names.get, key="sidebar_shop"
            )
            if chosen != st.session_state.shop_id:
                st.session_state.shop_id = chosen
                _refresh_role()
                st.rerun()
        else:
            st.caption(f"{plain(shop()['shop_name'])} · {st.session_state.role}")
        for path, label, icon, roles in PAGES:
            if st.session_state.role in roles:
                st.page_link(path, label=label, icon=icon)
        if st.button("Log out", key="sidebar_logout", icon=":material/logout:"):
            sign_out()
            st.switch_page(LOGIN_PAGE)


def guard(roles: tuple[str, ...] = ("owner", "clerk", "analyst")) -> Actor:
    """The top of every page: signed in, not idle, allowed here; draws the sidebar; returns the Actor."""
    init()
    if st.session_state.user is None:
        st.switch_page(LOGIN_PAGE)
    if time.time() - st.session_state.last_seen > IDLE_SECONDS:
        _ask_password_again()
    st.session_state.last_seen = time.time()
    with shown_errors():
        _refresh_role()
    if st.session_state.role is None:
        st.stop()
    sidebar()
    if st.session_state.role not in roles:
        st.warning(f"{with_article(st.session_state.role)} cannot open this page.")
        st.stop()
    return actor()


def page(title: str, roles: tuple[str, ...] = ("owner", "clerk", "analyst")) -> Actor:
    """Page config, the gate and the sidebar, then the page's title."""
    st.set_page_config(page_title=f"{title} · Daftari", page_icon="📒", layout="centered")
    current = guard(roles)
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
