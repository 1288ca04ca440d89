"""The analyst page's downloads: files of every row of an answer, made when their button is pressed."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

import i18n
from duka import questions
from duka.members import Actor
from ui import params

SECONDS = 60.0  # a download of every row may read for longer than the page's answer (5 s): it was asked for


def whole_file(
    actor: Actor,
    question: questions.Question,
    values: dict,
    answer: questions.Answer,
    build: Callable[[pd.DataFrame, str], bytes],
    currency: str,
) -> Callable[[], bytes]:
    """What a download button calls when pressed (Streamlit runs it on a thread of its own): the file of every
    row, from the rows on the page when they are all, else from the whole answer read then, labelled and built
    in the language of the person who asked."""
    language = i18n.language()

    def made() -> bytes:
        with i18n.using(language):
            rows = answer.frame
            if answer.capped:
                rows = questions.ask(actor, question, values, timeout=SECONDS).frame
            return build(params.labelled(rows), currency)

    return made
