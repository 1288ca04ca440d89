"""User text inside Streamlit's markdown elements and Plotly's charts, shown exactly as typed."""

from __future__ import annotations

import html
import re

# Every character Streamlit's markdown would act on: emphasis, links, HTML, LaTeX ($), colour and emoji (:).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# GitHub-style bare links (https://…, www.…, name@host) are found in the text after escapes are undone, so no
# escape stops them: a word joiner (invisible, as for '--') where each one starts does.
_BARE_LINK = re.compile(r"(?i)(?<=https:)(?=//)|(?<=http:)(?=//)|(?<=www)(?=\.)|(?<=@)")


def plain(text: object) -> str:
    """Escape markdown so a name like '*Mama* $5', '<script>' or 'https://…' appears as typed, not formatted."""
    escaped = _MARKDOWN.sub(r"\\\1", _BARE_LINK.sub("\u2060", str(text)))
    return escaped.replace("\\-\\-", "\\-\u2060\\-")  # a word joiner stops '--' becoming a dash


def chart_text(text: object) -> object:
    """Text for a Plotly label, hover or legend, shown as typed: Plotly draws a subset of HTML (<a href>, <b>,
    <br>…) in every label, and decodes &lt; &gt; &amp; back. Quotes stay as they are (Plotly does not decode
    &quot;). Anything that is not text (numbers, dates) is passed through."""
    return html.escape(text, quote=False) if isinstance(text, str) else text
