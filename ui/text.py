"""User text inside Streamlit's markdown elements, shown exactly as typed."""

from __future__ import annotations

import re

# Every character Streamlit's markdown would act on: emphasis, links, HTML, LaTeX ($), colour and emoji (:).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """Escape markdown so a name like '*Mama* $5' or '<script>' appears as typed, not formatted."""
    escaped = _MARKDOWN.sub(r"\\\1", str(text))
    return escaped.replace("\\-\\-", "\\-\u2060\\-")  # a word joiner stops '--' becoming a dash
