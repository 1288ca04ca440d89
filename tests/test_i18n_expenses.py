"""The spending screens in Kiswahili (issue 14): the analytics page's charts speak it (weekdays, months, titles,
payment modes, hovers), its insights are whole Kiswahili sentences, and an import's problems are told to a
Kiswahili reader in Kiswahili while the English stays what it was."""

from __future__ import annotations

import json
from datetime import date

import i18n
from duka import analytics, imports
from duka.clock import today
from support import category_ids, seed_expenses, signed_in, texts, unescaped

SWAHILI_WEEKDAYS = ["Jumatatu", "Jumanne", "Jumatano", "Alhamisi", "Ijumaa", "Jumamosi", "Jumapili"]


def _charts(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_the_analytics_page_in_kiswahili_names_weekdays_months_and_charts_in_kiswahili(shop):
    seed_expenses(shop)  # January and February 2026: Cash, M-Pesa, Bank transfer, Credit Card
    at = signed_in(shop, "pages/9_Analytics.py", language="sw")
    at.selectbox(key="analytics_period").set_value("Custom").run()  # the value stays English
    at.date_input(key="analytics_from").set_value(date(2026, 1, 1)).run()
    at.date_input(key="analytics_to").set_value(date(2026, 4, 30)).run()
    assert not at.exception
    assert at.selectbox(key="analytics_period").options[-1] == "Chagua tarehe mwenyewe"

    assert [s.value for s in at.subheader] == [
        "Mwenendo wa kila mwezi",
        "Marejesho kwa mwezi",
        "Kwa kategoria",
        "Njia za malipo",
        "Kwa siku ya wiki",
    ]
    trend, cashback, _, modes, weekdays = _charts(at)
    assert trend["data"][0]["x"] == ["Jan 2026", "Feb 2026", "Mac 2026", "Apr 2026"]  # Babel's sw months
    assert cashback["data"][0]["x"] == ["Jan 2026", "Feb 2026", "Mac 2026", "Apr 2026"]
    assert weekdays["data"][0]["x"] == SWAHILI_WEEKDAYS
    pie = modes["data"][0]
    assert set(pie["labels"]) == {"Pesa taslimu", "M-Pesa", "Uhamisho wa benki", "Kadi ya mkopo"}
    assert "Njia ya malipo=" in pie["hovertemplate"] and "payment_mode" not in pie["hovertemplate"]

    assert [m.label for m in at.metric] == [
        "Jumla iliyotumika",
        "Marejesho yaliyopatikana",
        "Wastani wa kila siku",
        "Matumizi",
    ]
    assert "Siku yenye matumizi makubwa zaidi: Jumamosi 10 Jan 2026, Ksh 1,000.00." in texts(at.caption)
    assert at.selectbox(key="analytics_period").options[:2] == ["Mwezi huu", "Mwezi uliopita"]


def test_the_same_page_in_english_keeps_its_english_words(shop):
    seed_expenses(shop)
    at = signed_in(shop, "pages/9_Analytics.py")
    at.selectbox(key="analytics_period").set_value("Custom").run()
    at.date_input(key="analytics_from").set_value(date(2026, 1, 1)).run()
    at.date_input(key="analytics_to").set_value(date(2026, 3, 31)).run()
    trend, _, _, modes, weekdays = _charts(at)
    assert trend["data"][0]["x"] == ["Jan 2026", "Feb 2026", "Mar 2026"]
    assert weekdays["data"][0]["x"][0] == "Monday"
    assert "Bank transfer" in modes["data"][0]["labels"]
    assert "Monthly trend" in [s.value for s in at.subheader]


def test_an_insight_is_one_kiswahili_sentence_with_its_figures_in_place(shop):
    seed_expenses(shop)
    with i18n.using("sw"):
        said = analytics.insights(shop, "KES", date(2026, 2, 1), on=today())
    assert "Rent ilichukua 73 % ya matumizi ya Februari 2026." in said


def test_an_import_problem_is_told_to_a_kiswahili_reader_in_kiswahili(shop):
    data = b"Date,Amount,Category,Description\n2026-03-02,250,Food,Lunch\n2026-03-03,80,Food,Tea, with milk\n"
    frame = imports.read_table("spend.csv", data)
    mapping = imports.guess_mapping(list(frame.columns))
    with i18n.using("sw"):
        checked = imports.check_rows(shop, imports.read_table("spend.csv", data), mapping, category_ids(shop))
    assert checked.bad == [{"line": 3, "reason": "Mstari 3 una sehemu 5; kichwa kina 4."}]
    english = imports.check_rows(shop, frame, mapping, category_ids(shop))
    assert english.bad == [{"line": 3, "reason": "Line 3 has 5 fields; the header has 4."}]


def test_the_import_page_says_which_line_is_wrong_in_kiswahili(shop):
    lines = ["Date,Amount,Category,Description"] + [f"2026-03-0{d},10,Food,Café {d}" for d in range(1, 6)]
    mixed = ("\n".join(lines) + "\n").encode() + "2026-03-06,10,Food,Müller\n".encode("cp1252")
    at = signed_in(shop, "pages/11_Import.py", language="sw")
    at.file_uploader[0].set_value(("mixed.csv", mixed, "text/csv")).run()
    assert not at.exception
    [error] = [unescaped(e.value) for e in at.error]
    assert error.startswith("Mstari 7 si UTF-8, ilhali mistari mingine ni UTF-8")
    assert "hifadhi faili kama UTF-8" in error
