"""The analyst questions in Kiswahili (issue 14): a question's title, description, parameters, columns and the
labels its SQL writes come from the catalogue (the question files stay one English text), a refused value is
explained in the reader's language, and so is a question file the library refused."""

from __future__ import annotations

import json

import pytest

import i18n
from db.errors import InvalidInput
from duka import questions
from i18n import catalogue, t
from support import signed_in, texts

TOP_DEBTORS = "debts/top_debtors"
SEARCH = "expenses/search_descriptions"
AGEING = "debts/debt_ageing"


def swahili(message: str, **values) -> str:
    """The message as a Kiswahili reader gets it; it must have been translated."""
    with i18n.using("sw"):
        said = t(message, **values)
    assert said != message.format(**values), f"no Kiswahili for {message!r}"
    return said


def page(actor, key: str, language: str):
    at = signed_in(actor, "pages/12_Questions.py", language=language)
    return at.sidebar.selectbox(key="question_pick").set_value(key).run()


def test_every_question_header_is_a_message_of_the_catalogue_with_its_file():
    template = catalogue.extract()
    for question in questions.library().questions.values():
        said = [question.title, question.description, question.topic, *(p.label for p in question.params)]
        for message in said:
            found = template.get(message)
            assert found is not None, (question.key, message)
            assert any(file.startswith("sql/queries/") for file, _ in found.locations), found.locations
        title = template.get(question.title)
        assert f"sql/queries/{question.key}.sql" in [file for file, _ in title.locations]


def test_the_questions_page_shows_a_question_in_kiswahili(shop):
    question = questions.library().questions[TOP_DEBTORS]
    at = page(shop, TOP_DEBTORS, "sw")
    assert not at.exception and not at.error
    assert [s.value for s in at.subheader] == [swahili(question.title)]
    assert swahili(question.description) in [c.value for c in at.caption]
    assert at.number_input(key=f"question_{TOP_DEBTORS}_how_many").label == swahili("How many")
    named = f"{swahili(question.topic)} · {swahili(question.title)}"
    assert named in at.sidebar.selectbox(key="question_pick").options

    english = page(shop, TOP_DEBTORS, "en")  # the same page in English reads as it always has
    assert [s.value for s in english.subheader] == ["Top debtors"]
    assert english.number_input(key=f"question_{TOP_DEBTORS}_how_many").label == "How many"
    assert "Debts · Top debtors" in english.sidebar.selectbox(key="question_pick").options


def test_a_refused_value_is_explained_in_kiswahili_on_the_page(shop):
    at = page(shop, SEARCH, "sw")
    at.text_input(key=f"question_{SEARCH}_words").set_value("unga\nsukari").run()
    assert not at.exception
    said = swahili("{label}: type it on one line.", label=swahili("Description contains"))
    assert texts(at.error) == said

    english = page(shop, SEARCH, "en")
    english.text_input(key=f"question_{SEARCH}_words").set_value("unga\nsukari").run()
    assert texts(english.error) == "Description contains: type it on one line."


def test_a_number_out_of_its_limits_is_refused_with_a_kiswahili_sentence(shop):
    question = questions.library().questions[TOP_DEBTORS]
    wanted = swahili(
        "{label} must be a whole number from {minimum} to {maximum}.",
        label=swahili("How many"),
        minimum="1",
        maximum="1,000",
    )
    with i18n.using("sw"), pytest.raises(InvalidInput) as refused:
        questions.bind(question, {"how_many": 5000}, shop)
    assert str(refused.value) == wanted
    with pytest.raises(InvalidInput, match=r"^How many must be a whole number from 1 to 1,000\.$"):
        questions.bind(question, {"how_many": 5000}, shop)


def test_the_labels_the_sql_writes_and_the_headers_are_kiswahili(shop):
    at = page(shop, AGEING, "sw")
    assert not at.exception and not at.error
    buckets = ["0–30 days", "31–60 days", "61–90 days", "over 90 days"]
    [table] = at.dataframe
    assert table.value["bucket"].tolist() == [swahili(b) for b in buckets]
    headers = {c: v.get("label") for c, v in json.loads(table.proto.columns).items()}
    assert headers["bucket"] == swahili("bucket") and headers["owed"] == swahili("owed")

    english = page(shop, AGEING, "en")
    assert english.dataframe[0].value["bucket"].tolist() == buckets


def test_a_refused_question_file_says_why_in_the_readers_language(tmp_path):
    (tmp_path / "nosy.sql").write_text(
        '/* ---\ntitle = "Nosy"\ndescription = "Reads people."\ntopic = "Debts"\ncolumns = ["phone"]\n--- */\n'
        "SELECT u.phone FROM users u"
    )
    library = questions.load(tmp_path)
    assert library.refused["nosy"].startswith("the query reads users, which is not among the tables")
    with i18n.using("sw"):
        reason = library.reason("nosy")
    assert reason.startswith(swahili("the query")) and "not among" not in reason
    assert library.reason("nosy") == library.refused["nosy"]  # read in English, as the command line prints it
