"""The analyst page makes its CSV and Excel files only when a button is pressed: a rerun builds neither (under
AppTest, the real builders counted), and in a real browser each button still delivers the whole answer."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from duka import expenses, exports, questions
from duka.clock import today
from support import ARTIFACTS, go, log_in, register_owner, seed_expenses, settled, signed_in

KEY = "expenses/expenses_above_threshold"
JAN_FEB = (date(2026, 1, 1), date(2026, 2, 28))


@pytest.fixture
def builds(monkeypatch):
    """Every call of the real CSV and Excel builders, by kind."""
    calls = {"csv": 0, "xlsx": 0}
    for kind, name in (("csv", "to_csv"), ("xlsx", "to_excel")):
        real = getattr(exports, name)

        def counted(*args, _real=real, _kind=kind, **kwargs):
            calls[_kind] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(exports, name, counted)
    return calls


def test_reruns_of_the_questions_page_build_no_download(shop, builds):
    seed_expenses(shop)
    at = signed_in(shop)
    at.session_state["question_pick"] = KEY
    at.switch_page("pages/12_Questions.py")
    at.run()
    at.date_input(key=f"question_{KEY}_period").set_value(JAN_FEB).run()
    at.number_input(key=f"question_{KEY}_threshold").set_value(1).run()
    at.run()
    assert not at.exception and not at.error
    assert "7 row(s)" in " ".join(c.value for c in at.caption)
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert set(buttons) == {"Download CSV", "Download Excel"}
    assert builds == {"csv": 0, "xlsx": 0}  # four runs of the page, no file made
    assert all(b.ignore_rerun for b in buttons.values())  # a press does not run the page (and its query) again


def test_each_download_button_delivers_the_whole_answer_in_a_browser(server_url, phone_page):
    """The deferred callables run in the real server when the buttons are pressed."""
    owner, phone = register_owner("Maswali Duka")
    for name, budget, spent in (("Stock", "5000", "1,250.50"), ("=Fees", "300", "450")):  # the first question's rows
        category = expenses.add_category(owner, name, None, budget)
        expenses.add_expense(owner, category, today(), spent, "M-Pesa", "0", f"{name} this month")
    page = phone_page
    log_in(page, server_url, phone)
    go(page, "Analyst questions", "Analyst questions")
    first = next(q for group in questions.library().by_topic().values() for q in group)
    expect(page.get_by_role("heading", name=first.title)).to_be_visible()
    wanted = questions.ask(owner, first, {}).frame
    assert len(wanted) == 2
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == f"{first.key.replace('/', '-')}.csv"
    assert Path(download.value.path()).read_bytes() == exports.to_csv(wanted, "KES")
    settled(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Excel").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet.max_row == len(wanted) + 1
    assert [c.value for c in sheet[1]] == [*wanted.columns, "currency"]
    page.screenshot(path=str(ARTIFACTS / "questions-downloads-390px.png"), full_page=True)
