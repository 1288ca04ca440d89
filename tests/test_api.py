"""The REST API over real HTTP (uvicorn on a free port, the test database): every endpoint, tokens and roles,
tenancy, idempotency, money as strings, the rate limit and health with the database stopped."""

from __future__ import annotations

import json
import time
from datetime import date

import httpx
import pytest

from duka import book, customers, expenses, members, mpesa, tokens
from support import FIXTURE, api_client, api_token, free_port, register_owner, seed_expenses, start_api, stop_api


@pytest.fixture
def owner_api(api_url, spending):
    """A client with the owner's token of a shop holding the seven fixture expenses, and the owner."""
    with api_client(api_url, api_token(spending)) as client:
        yield client, spending


def is_money(value) -> bool:
    return isinstance(value, str) and value.replace(".", "", 1).isdigit() and len(value.split(".")[1]) == 2


def test_health_needs_no_token_and_says_the_database_is_ok(api_url):
    with api_client(api_url) as client:
        answer = client.get("/api/v1/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok"}


def test_the_docs_and_openapi_are_served(api_url):
    with api_client(api_url) as client:
        assert client.get("/api/docs").status_code == 200
        paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/v1/expenses", "/api/v1/expenses/by-date/{day}", "/api/v1/analytics", "/api/v1/debtors"):
        assert path in paths


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer dft_not-a-real-token", "Basic abc"])
def test_no_valid_token_is_a_401_as_json(api_url, header):
    with api_client(api_url) as client:
        answer = client.get("/api/v1/expenses", headers={"Authorization": header} if header else {})
    assert answer.status_code == 401
    assert answer.json()["error"] == "unauthorized" and answer.json()["detail"]


def test_a_revoked_token_stops_working(api_url, shop):
    token = api_token(shop)
    with api_client(api_url, token) as client:
        assert client.get("/api/v1/customers").status_code == 200
        tokens.revoke(shop, tokens.tokens(shop)[0]["token_id"])
        assert client.get("/api/v1/customers").status_code == 401


def test_a_removed_members_token_stops_working(api_url, staffed_shop):
    token = api_token(staffed_shop["clerk"])
    with api_client(api_url, token) as client:
        assert client.get("/api/v1/debtors").status_code == 200
        members.remove_member(staffed_shop["owner"], staffed_shop["clerk"].user_id)
        assert client.get("/api/v1/debtors").status_code == 401


def test_a_token_lists_without_its_hash_and_marks_last_use(api_url, shop):
    token = api_token(shop, name="Sync")
    assert tokens.tokens(shop)[0]["last_used_at"] is None
    with api_client(api_url, token) as client:
        client.get("/api/v1/customers")
    listed = tokens.tokens(shop)[0]
    assert listed["name"] == "Sync" and listed["last_used_at"] is not None
    assert "token_hash" not in listed and token not in str(listed)


def test_expenses_list_in_keyset_pages_with_money_as_strings(owner_api):
    client, _ = owner_api
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/expenses", params=params).json()
        seen += page["expenses"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(FIXTURE)
    assert [e["date"] for e in seen] == sorted((e["date"] for e in seen), reverse=True)
    assert set(seen[0]) == {"id", "date", "amount", "category", "payment_mode", "cashback", "description"}
    assert all(is_money(e["amount"]) and is_money(e["cashback"]) for e in seen)
    assert seen[0] == {
        "id": seen[0]["id"],
        "date": "2026-02-14",
        "amount": "300.00",
        "category": "Entertainment",
        "payment_mode": "Credit Card",
        "cashback": "30.00",
        "description": "Cinema",
    }


def test_expenses_filter_by_dates_category_mode_and_text(owner_api):
    client, _ = owner_api
    rent = client.get("/api/v1/expenses", params={"category": "rent"}).json()["expenses"]
    assert [e["amount"] for e in rent] == ["1000.00", "1000.00"]
    january_mpesa = client.get(
        "/api/v1/expenses", params={"start": "2026-01-01", "end": "2026-01-31", "mode": "M-Pesa"}
    ).json()["expenses"]
    assert [e["description"] for e in january_mpesa] == ["Lunch"]
    assert [e["description"] for e in client.get("/api/v1/expenses", params={"q": "naivas"}).json()["expenses"]] == [
        "Groceries at Naivas"
    ]
    unknown = client.get("/api/v1/expenses", params={"category": "Yachts"})
    assert unknown.status_code == 422 and "Yachts" in unknown.json()["detail"]


def test_an_expense_is_created_read_corrected_and_deleted(owner_api):
    client, _ = owner_api
    sent = {"date": "2026-03-02", "amount": "1250.5", "category": "Food", "payment_mode": "M-Pesa", "cashback": "0"}
    created = client.post("/api/v1/expenses", json=sent)
    assert created.status_code == 201
    made = created.json()
    assert made["amount"] == "1250.50" and made["category"] == "Food" and made["date"] == "2026-03-02"
    assert client.get(f"/api/v1/expenses/{made['id']}").json() == made
    changed = client.put(f"/api/v1/expenses/{made['id']}", json={**sent, "amount": "99", "description": "Fixed"})
    assert changed.status_code == 200 and changed.json()["amount"] == "99.00"
    assert changed.json()["description"] == "Fixed"
    assert client.delete(f"/api/v1/expenses/{made['id']}").status_code == 204
    assert client.get(f"/api/v1/expenses/{made['id']}").status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [({"amount": 12.5}, "amount"), ({"date": "not-a-date"}, "date"), ({"colour": "red"}, "colour")],
)
def test_a_bad_expense_is_a_422_naming_the_field(owner_api, change, field):
    client, _ = owner_api
    body = {"date": "2026-03-02", "amount": "10.00", "category": "Food", **change}
    answer = client.post("/api/v1/expenses", json=body)
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid_input" and answer.json()["field"] == field
    assert "Traceback" not in answer.text


def test_a_rule_refusal_is_a_422_with_the_rules_sentence(owner_api):
    client, _ = owner_api
    answer = client.post("/api/v1/expenses", json={"date": "2026-03-02", "amount": "-5", "category": "Food"})
    assert answer.status_code == 422 and answer.json()["detail"]


def test_a_days_expenses_are_read_and_replaced_in_one_transaction(owner_api):
    client, _ = owner_api
    day = client.get("/api/v1/expenses/by-date/2026-01-05").json()
    assert day["date"] == "2026-01-05" and day["total"] == "150.50"
    assert sorted(e["description"] for e in day["expenses"]) == ["Groceries at Naivas", "Lunch"]
    new = [
        {"amount": "20.00", "category": "Transport", "payment_mode": "Cash", "description": "Matatu"},
        {"amount": "35.00", "category": "Food", "payment_mode": "M-Pesa"},
    ]
    replaced = client.post("/api/v1/expenses/by-date/2026-01-05", json=new)
    assert replaced.status_code == 201
    assert replaced.json()["total"] == "55.00" and len(replaced.json()["expenses"]) == 2
    bad = [{"amount": "20.00", "category": "Transport"}, {"amount": "5", "category": "Nope"}]
    refused = client.post("/api/v1/expenses/by-date/2026-01-05", json=bad)
    assert refused.status_code == 422
    assert client.get("/api/v1/expenses/by-date/2026-01-05").json()["total"] == "55.00"  # all or nothing


def test_analytics_gives_the_pages_numbers(owner_api):
    client, actor = owner_api
    answer = client.get("/api/v1/analytics", params={"start": "2026-01-01", "end": "2026-02-28"}).json()
    assert answer["total"] == "2725.75" and answer["count"] == 7
    assert answer["average"] == "389.39"
    assert answer["by_month"] == {"2026-01": "1350.50", "2026-02": "1375.25"}
    assert answer["by_category"]["Rent"]["total"] == "2000.00"
    from duka import analytics

    period = analytics.Period(date(2026, 1, 1), date(2026, 2, 28))
    shares = {r["category"]: f"{r['share']:f}" for r in analytics.by_category(actor, period).to_dict("records")}
    assert {k: v["percentage"] for k, v in answer["by_category"].items()} == shares
    assert answer["daily_average"] == f"{analytics.summary(actor, period)['daily_average']:.2f}"


def test_customers_sales_payments_ledger_and_debtors(owner_api):
    client, _ = owner_api
    made = client.post("/api/v1/customers", json={"name": "Wanjiru", "phone": "0711000111"})
    assert made.status_code == 201 and made.json()["balance"] == "0.00"
    customer_id = made.json()["id"]
    sale = client.post(
        "/api/v1/sales", json={"customer_id": customer_id, "product": "Unga", "quantity": "2", "unit_price": "150"}
    )
    assert sale.status_code == 201 and sale.json()["total"] == "300.00" and sale.json()["balance"] == "300.00"
    second = client.post("/api/v1/sales", json={"customer_id": customer_id, "product": "Sukari", "total": "200"})
    assert second.status_code == 201
    to_one = client.post(
        "/api/v1/payments", json={"customer_id": customer_id, "debt_id": second.json()["id"], "amount": "50"}
    )
    assert to_one.status_code == 201 and to_one.json()["balance"] == "450.00"
    oldest_first = client.post("/api/v1/payments", json={"customer_id": customer_id, "amount": "320.00"})
    assert oldest_first.status_code == 201
    assert oldest_first.json()["allocations"][0] == {"debt_id": sale.json()["id"], "amount": "300.00"}
    assert oldest_first.json()["balance"] == "130.00"
    assert client.get(f"/api/v1/customers/{customer_id}").json()["balance"] == "130.00"
    ledger = client.get(f"/api/v1/customers/{customer_id}/ledger").json()
    assert len(ledger["entries"]) == 5 and ledger["entries"][0]["balance_after"] == "130.00"
    debtors = client.get("/api/v1/debtors").json()["debtors"]
    assert [(d["name"], d["balance"]) for d in debtors] == [("Wanjiru", "130.00")]
    assert customer_id in [c["id"] for c in client.get("/api/v1/customers").json()["customers"]]
    over = client.post("/api/v1/payments", json={"customer_id": customer_id, "amount": "1000"})
    assert over.status_code == 422 and "Overpayment" in over.json()["detail"]


def test_a_repeated_idempotency_key_records_one_sale(owner_api):
    client, actor = owner_api
    customer_id = customers.add_customer(actor, "Kamau")
    body = {"customer_id": customer_id, "product": "Mafuta", "total": "480"}
    key = {"Idempotency-Key": "sale-0001"}
    first = client.post("/api/v1/sales", json=body, headers=key)
    again = client.post("/api/v1/sales", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert len(book.open_debts(actor, customer_id)) == 1
    other = client.post("/api/v1/sales", json={**body, "total": "500"}, headers=key)
    assert other.status_code == 409 and other.json()["error"] == "idempotency_key_reused"
    pay = {"customer_id": customer_id, "amount": "80"}
    paid = [client.post("/api/v1/payments", json=pay, headers={"Idempotency-Key": "pay-1"}) for _ in range(3)]
    assert {p.status_code for p in paid} == {201} and paid[0].json() == paid[2].json()
    assert customers.customer(actor, customer_id)["balance"] == 400


def test_roles_a_clerk_records_but_may_not_correct_and_an_analyst_may_not_record(api_url, staffed_shop):
    seed_expenses(staffed_shop["owner"], FIXTURE[:1])
    expense_id = int(
        expenses.expenses_page(staffed_shop["owner"], expenses.Filter(date(2026, 1, 1), date(2026, 1, 31)))[
            "expense_id"
        ][0]
    )
    body = {"date": "2026-01-05", "amount": "10", "category": "Food"}
    with api_client(api_url, api_token(staffed_shop["clerk"])) as clerk:
        assert clerk.post("/api/v1/expenses", json=body).status_code == 201
        refused = clerk.put(f"/api/v1/expenses/{expense_id}", json=body)
        assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
        assert clerk.delete(f"/api/v1/expenses/{expense_id}").status_code == 403
        assert clerk.get("/api/v1/questions/expenses/spending_by_category").status_code == 403
    with api_client(api_url, api_token(staffed_shop["analyst"])) as analyst:
        assert analyst.post("/api/v1/customers", json={"name": "Otieno"}).status_code == 403
        assert analyst.get("/api/v1/analytics").status_code == 200


def test_a_read_only_token_may_only_read(api_url, spending):
    with api_client(api_url, api_token(spending, read_only=True)) as client:
        assert client.get("/api/v1/expenses").status_code == 200
        refused = client.post("/api/v1/customers", json={"name": "Akinyi"})
        assert refused.status_code == 403 and "read-only" in refused.json()["detail"]


def test_another_shops_ids_are_404_never_403(api_url, spending):
    other, _ = register_owner("Duka la Jirani")
    theirs = seed_expenses(other, FIXTURE[:1])
    their_expense = int(
        expenses.expenses_page(theirs, expenses.Filter(date(2026, 1, 1), date(2026, 1, 31)))["expense_id"][0]
    )
    their_customer = customers.add_customer(other, "Siri")
    their_sale = book.record_sale(other, their_customer, "Chai", total="10")
    body = {"date": "2026-01-05", "amount": "10", "category": "Food"}
    with api_client(api_url, api_token(spending)) as client:
        assert client.get(f"/api/v1/expenses/{their_expense}").status_code == 404
        assert client.put(f"/api/v1/expenses/{their_expense}", json=body).status_code == 404
        assert client.delete(f"/api/v1/expenses/{their_expense}").status_code == 404
        assert client.get(f"/api/v1/customers/{their_customer}").status_code == 404
        assert client.get(f"/api/v1/customers/{their_customer}/ledger").status_code == 404
        sale = client.post("/api/v1/sales", json={"customer_id": their_customer, "product": "X", "total": "5"})
        assert sale.status_code == 404
        pay = client.post(
            "/api/v1/payments", json={"customer_id": their_customer, "debt_id": their_sale, "amount": "5"}
        )
        assert pay.status_code == 404
    assert len(book.open_debts(other, their_customer)) == 1


def test_questions_are_listed_and_answered_as_json_and_csv(owner_api):
    client, _ = owner_api
    listed = client.get("/api/v1/questions").json()["questions"]
    assert "expenses/spending_by_category" in [q["key"] for q in listed]
    answer = client.get("/api/v1/questions/expenses/spending_by_category", params={"period": "2026-01-01..2026-02-28"})
    assert answer.status_code == 200
    document = answer.json()
    assert document["columns"] == ["category", "spent", "expenses", "share"] and document["truncated"] is False
    assert document["rows"][0]["category"] == "Rent" and document["rows"][0]["spent"] == "2000.00"
    csv = client.get(
        "/api/v1/questions/expenses/spending_by_category", params={"period": "2026-01-01..2026-02-28", "_format": "csv"}
    )
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "category,spent,expenses,share"
    assert client.get("/api/v1/questions/nope/nothing").status_code == 404
    assert client.get("/api/v1/questions/expenses/spending_by_category", params={"colour": "x"}).status_code == 422


def test_an_unknown_path_is_a_json_404(api_url):
    with api_client(api_url) as client:
        answer = client.get("/api/v1/nothing-here")
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"


@pytest.fixture(scope="module")
def slow_api_url(database):
    """A second API server whose tokens may make 3 requests a minute."""
    url, proc, log = start_api({"API_RATE_PER_MINUTE": "3"}, "api-test-slow.log")
    yield url
    stop_api(proc, log)


def test_the_rate_limit_is_per_token_with_retry_after(slow_api_url, shop):
    with api_client(slow_api_url, api_token(shop)) as client:
        statuses = [client.get("/api/v1/customers").status_code for _ in range(4)]
        limited = client.get("/api/v1/customers")
    assert statuses[:3] == [200, 200, 200] and limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1 and limited.json()["error"] == "rate_limited"
    with api_client(slow_api_url, api_token(shop)) as other:  # another token has its own bucket
        assert other.get("/api/v1/customers").status_code == 200


def test_a_body_over_its_limit_is_refused_before_any_credential_is_read(api_url):
    """Found in review: a 300 MB body to a public C2B path (or to /sales without a token) was read into memory
    whole (the server went from 146 MB to 1 GB) before the 404 or 401. Now 413 as JSON, declared or streamed."""
    big = b"{" + b" " * (2 * 1024 * 1024) + b"}"
    declared = httpx.post(f"{api_url}/api/v1/sales", content=big, headers={"Content-Type": "application/json"})
    assert declared.status_code == 413 and declared.json()["error"] == "payload_too_large"

    def chunks():
        for _ in range(40):
            yield b" " * 65536

    streamed = httpx.post(f"{api_url}/api/v1/mpesa/not-a-secret/c2b/confirmation", content=chunks())
    assert streamed.status_code == 413
    small_c2b = httpx.post(f"{api_url}/api/v1/mpesa/not-a-secret/c2b/confirmation", json={"TransID": "X"})
    assert small_c2b.status_code == 404  # an ordinary body still reaches the route


def test_the_apis_own_refusals_are_said_in_the_requests_language(api_url):
    """Not only the shop's rules: the API's own sentences (no token, a bad token, a body too large) follow
    Accept-Language too, and Content-Language says so. The 413 is answered before any route, so the language is
    chosen outside it."""
    import i18n
    from i18n import number, t

    sw = {"Accept-Language": "sw"}
    no_token = httpx.get(f"{api_url}/api/v1/expenses", headers=sw)
    bad_token = httpx.get(f"{api_url}/api/v1/expenses", headers={**sw, "Authorization": "Bearer dft_not-a-token"})
    big = b"{" + b" " * (2 * 1024 * 1024) + b"}"
    too_big = httpx.post(f"{api_url}/api/v1/sales", content=big, headers={**sw, "Content-Type": "application/json"})
    with i18n.using("sw"):
        expected = [
            t("Send an API token: Authorization: Bearer <token>."),
            t("That API token is not valid (unknown, revoked, or no longer a member)."),
            t("The request body may be at most {limit} bytes.", limit=number(1024 * 1024)),
        ]
    assert "Bearer" in expected[0] and not expected[0].startswith("Send")  # a translation, not the English
    for answer, status, said in zip((no_token, bad_token, too_big), (401, 401, 413), expected, strict=True):
        assert answer.status_code == status and answer.headers["content-language"] == "sw"
        assert answer.json()["detail"] == said


def test_json_nested_deeper_than_python_reads_is_a_422_not_a_500(api_url, shop):
    secret = mpesa.rotate_secret(shop)
    deep = httpx.post(f"{api_url}/api/v1/mpesa/{secret}/c2b/confirmation", content=b"[" * 60000)
    assert deep.status_code == 422 and deep.json()["error"] == "invalid_input"


def test_an_idempotency_key_is_its_senders_another_member_gets_409_not_the_first_answer(api_url, staffed_shop):
    """Found in review: an analyst (who may not record) replaying a clerk's key got the clerk's 201 sale back."""
    customer_id = customers.add_customer(staffed_shop["owner"], "Njeri")
    body = {"customer_id": customer_id, "product": "Chai", "total": "40"}
    key = {"Idempotency-Key": "1"}
    with api_client(api_url, api_token(staffed_shop["clerk"])) as clerk:
        assert clerk.post("/api/v1/sales", json=body, headers=key).status_code == 201
    for role in ("analyst", "owner"):
        with api_client(api_url, api_token(staffed_shop[role])) as other:
            answer = other.post("/api/v1/sales", json=body, headers=key)
            assert answer.status_code in (403, 409) and answer.json()["error"] != "created", role
    assert len(book.open_debts(staffed_shop["owner"], customer_id)) == 1


def test_a_request_in_kiswahili_gets_its_sentences_in_kiswahili_and_its_figures_unchanged(owner_api):
    """Accept-Language: sw translates the sentences only; fields, codes and amounts read the same for a
    program; two requests at once in two languages each get their own."""
    from concurrent.futures import ThreadPoolExecutor

    client, _ = owner_api
    customer_id = client.post("/api/v1/customers", json={"name": "Achieng"}).json()["id"]
    client.post("/api/v1/sales", json={"customer_id": customer_id, "product": "Unga", "total": "100"})
    pay = {"customer_id": customer_id, "amount": "1000"}

    def over(language: str):
        try:
            return client.post("/api/v1/payments", json=pay, headers={"Accept-Language": language})
        except httpx.HTTPError as error:  # every request's outcome is told, not only the first one that failed
            return f"{time.strftime('%H:%M:%S')} {error!r}"

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(over, ["sw-KE,sw;q=0.9,en;q=0.8", "en-GB"] * 8))
    told = [a if isinstance(a, str) else f"{a.status_code} {a.headers.get('content-language')}" for a in answers]
    assert not any(isinstance(a, str) for a in answers), told
    for answer, code in zip(answers, ["sw", "en"] * 8, strict=True):
        assert answer.status_code == 422 and answer.headers["content-language"] == code
        assert answer.json()["error"] == "invalid_input"
        assert ("Overpayment" in answer.json()["detail"]) == (code == "en"), answer.json()
        assert "100.00" in answer.json()["detail"]
    assert client.get("/api/v1/debtors", headers={"Accept-Language": "sw"}).json()["debtors"][0]["balance"] == "100.00"


def test_accept_language_picks_the_supported_language_the_client_prefers_most():
    from api.language import chosen

    assert chosen("sw") == chosen("sw-KE") == chosen("fr;q=1, sw;q=0.5") == "sw"
    assert chosen("en;q=0.9, sw;q=0.4") == chosen(None) == chosen("fr") == chosen("sw;q=0") == "en"
    assert chosen("sw;q=abc, en;q=0.2") == "en"


def test_an_unexpected_error_is_a_json_500_and_the_clients_next_request_on_that_connection_is_answered(caplog):
    """A bug in a route answers 500 as JSON and keeps the connection: Starlette's own handler re-raises after
    answering, uvicorn then closes the connection, and a client that has already sent its next request on it
    (as a pooled client does at once) gets 'connection reset by peer' for a request that did nothing wrong."""
    import socket
    import threading

    import uvicorn

    import i18n
    from api.app import create_app
    from i18n import t

    app = create_app()

    @app.get("/api/v1/test-a-bug")
    def a_bug() -> None:
        raise RuntimeError("a bug in a route")

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="critical"))
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"

    def answer_to(conn: socket.socket, path: str, language: str = "en") -> tuple[int, bytes]:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: daftari\r\nAccept-Language: {language}\r\n\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < _length(data):
            chunk = conn.recv(65536)
            assert chunk, f"the server closed the connection: {data!r}"
            data += chunk
        return int(data.split(b" ", 2)[1]), data.partition(b"\r\n\r\n")[2]

    try:
        for _ in range(20):  # the close races the next request: give it every chance
            with socket.create_connection(("127.0.0.1", server.config.port), timeout=10) as conn:
                status, body = answer_to(conn, "/api/v1/test-a-bug")
                assert status == 500 and json.loads(body)["error"] == "internal_error"
                assert "a bug in a route" not in body.decode()  # nothing of the bug is told to the client
                status, body = answer_to(conn, "/api/v1/nothing-here")
                assert status == 404 and json.loads(body)["error"] == "not_found"
        with socket.create_connection(("127.0.0.1", server.config.port), timeout=10) as conn:
            status, body = answer_to(conn, "/api/v1/test-a-bug", "sw")  # said in the request's language too
            with i18n.using("sw"):
                assert json.loads(body)["detail"] == t(
                    "Something went wrong on the server; nothing more is known here."
                )
            assert not json.loads(body)["detail"].startswith("Something")
        logged = [r for r in caplog.records if r.name == "daftari.api" and "unexpected error" in r.getMessage()]
        assert len(logged) == 21 and all(r.exc_info and "a bug in a route" in str(r.exc_info[1]) for r in logged)
    finally:
        server.should_exit = True
        serving.join(timeout=10)


def _length(response: bytes) -> int:
    """The Content-Length of a response's head."""
    for line in response.partition(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    raise AssertionError(f"no Content-Length in {response!r}")
