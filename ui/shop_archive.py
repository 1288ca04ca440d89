"""The owner's download of all of the shop's data: a zip of CSV files, built only when the button is pressed."""

from __future__ import annotations

import re
from functools import partial

import streamlit as st

from duka import exports, members
from duka.clock import today
from duka.members import Actor
from i18n import t


def archive_name(shop_name: str) -> str:
    """daftari-<shop name in plain letters>-<today>.zip"""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", shop_name).strip("-").lower() or "shop"
    return f"daftari-{slug[:40]}-{today():%Y-%m-%d}.zip"


def archive_download(actor: Actor, key: str = "shop_archive") -> None:
    """A button that downloads the shop's data as a zip of CSV files (owners only; others get a sentence).

    The zip is made when the button is pressed, on a thread of its own, never on a rerun of the page; the role is
    checked again then, so a former owner gets nothing."""
    member = members.membership(actor)
    if member is None or member.role not in members.CORRECT:
        st.caption(t("Only the shop's owner can download all of its data."))
        return
    st.download_button(
        t("Download all of the shop's data"),
        data=partial(exports.shop_archive, actor),
        file_name=archive_name(member.shop_name),
        mime="application/zip",
        on_click="ignore",  # nothing on the page changes: no rerun
        icon=":material/download:",
        key=key,
    )
    st.caption(
        t(
            "A zip of CSV files, one per table: customers, sales, payments, expenses, categories, members (no "
            "passwords), invitations and the history of changes."
        )
    )
