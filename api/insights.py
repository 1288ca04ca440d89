"""/api/v1/analytics (the analytics page's own figures) and /api/v1/questions (every analyst question, through
the same read-only runner and the same rendering as ./daftari ask)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from api import shapes
from api.auth import bearer
from db.errors import InvalidInput, NotFound
from duka import analytics, ask, questions
from duka.clock import today
from duka.periods import month_start
from duka.tokens import Bearer

router = APIRouter(prefix="/api/v1", tags=["analytics and questions"])
Caller = Annotated[Bearer, Depends(bearer)]
RESERVED = {"_format"}


@router.get("/analytics")
def spending(caller: Caller, start: date | None = None, end: date | None = None) -> dict:
    """Total, count, average expense, daily average, each category's total and share, each month's total:
    the numbers of the analytics page (this month when no dates are given)."""
    end = end or today()
    period = analytics.Period(start or month_start(end), end)
    summary = analytics.summary(caller.actor, period)
    count = int(summary["expenses"])
    total = Decimal(summary["total"])
    categories = analytics.by_category(caller.actor, period).to_dict("records")
    months = analytics.monthly_trend(caller.actor, period).to_dict("records")
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "total": shapes.money(total),
        "count": count,
        "average": shapes.money(total / count if count else 0),
        "daily_average": shapes.money(summary["daily_average"]),
        "cashback": shapes.money(summary["cashback"]),
        "by_category": {
            r["category"]: {
                "total": shapes.money(r["spent"]),
                "percentage": shapes.plain(r["share"]),
                "count": int(r["expenses"]),
            }
            for r in categories
        },
        "by_month": {r["month"].strftime("%Y-%m"): shapes.money(r["spent"]) for r in months},
    }


@router.get("/questions")
def list_questions(caller: Caller) -> dict:
    """Every analyst question: its key, title, topic, parameters (name, type, default) and columns."""
    return {
        "questions": [
            {
                "key": q.key,
                "title": q.title,
                "topic": q.topic,
                "description": q.description,
                "columns": list(q.columns),
                "params": [
                    {"name": p.name, "type": p.type, "label": p.label, "default": _default(p)} for p in q.params
                ],
            }
            for group in questions.library().by_topic().values()
            for q in group
        ]
    }


def _default(param: questions.Param) -> object:
    value = questions.default_value(param)
    if isinstance(value, (tuple, list)):
        return [shapes.plain(v) for v in value]
    return shapes.plain(value)


@router.get("/questions/{key:path}", response_model=None)
def answer(caller: Caller, key: str, request: Request) -> Response:
    """One question's answer for the token's shop (owners and analysts): ?name=value per parameter (as
    ./daftari ask takes them); ?_format=csv for CSV."""
    try:
        question = questions.question(key)
    except KeyError:
        raise NotFound(f"No question {key!r}; GET /api/v1/questions lists them.") from None
    values = {name: value for name, value in request.query_params.items() if name not in RESERVED}
    ask.check_names(question, sorted(values))
    fmt = request.query_params.get("_format", "json")
    if fmt not in ("json", "csv"):
        raise InvalidInput("_format: json or csv.")
    found = questions.ask(caller.actor, question, values)
    if fmt == "csv":
        text = ask.render(found, question, caller.actor.shop_id, "csv")
        filename = key.replace("/", "-") + ".csv"
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return JSONResponse(
        {
            "question": key,
            "title": question.title,
            "asked_at": found.asked_at.isoformat(timespec="seconds"),
            "columns": list(found.frame.columns),
            "rows": ask.json_rows(found, question),
            "truncated": False,
        }
    )
