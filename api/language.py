"""The language of an API request's sentences (errors, refusals), from its Accept-Language header: 'sw',
'sw-KE' or 'sw;q=0.9, en;q=0.8' give Kiswahili; anything else English. Only sentences are translated: field
names, codes and amounts (strings with two decimals) are the same in every language, so a program never has
to parse Kiswahili. The answer says which it used in Content-Language."""

from __future__ import annotations

import i18n


def chosen(header: str | None) -> str:
    """The supported language the client prefers most ('en' when it names none of ours)."""
    best, best_q = i18n.DEFAULT, -1.0
    for part in (header or "").split(","):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower().split("-")[0]
        if code not in i18n.LANGUAGES:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q:
            best, best_q = code, q
    return best if best_q > 0 else i18n.DEFAULT


class Language:
    """ASGI middleware: the request is served in its language (a context variable of its own task, so requests
    served at the same moment never mix), and the answer carries Content-Language."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = dict(scope.get("headers", [])).get(b"accept-language", b"").decode("latin-1")
        code = chosen(header)

        async def labelled(message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"content-language", code.encode())]
            await send(message)

        with i18n.using(code):
            await self.app(scope, receive, labelled)
