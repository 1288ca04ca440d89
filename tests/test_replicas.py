"""Several Streamlit processes behind HAProxy (`./daftari run --replicas N`, issue 13): each browser sticks to one
replica, and a payment recorded on one replica shows on the other's dashboard at its next rerun."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from duka import book, customers
from support import TEST_DB, free_port, go, log_in, metric, phone_of, register_owner, settled
from ui import replicas


@pytest.fixture(scope="module")
def two_replicas(database):
    """Two replicas and HAProxy on free ports, against the test database."""
    port, ports = free_port(), [free_port(), free_port()]
    env = dict(os.environ, MYSQL_DATABASE=TEST_DB)
    processes = replicas.start(2, port, ports[0], address="127.0.0.1", env=env, ports=ports)
    yield f"http://127.0.0.1:{port}"
    replicas.stop(processes)


def test_the_haproxy_configuration_keeps_a_browser_on_one_replica_and_checks_health():
    text = replicas.haproxy_config(8501, [8601, 8602])
    assert "cookie DAFTARI_REPLICA insert indirect nocache httponly" in text
    assert "server replica1 127.0.0.1:8601 check cookie replica1" in text
    assert "server replica2 127.0.0.1:8602 check cookie replica2" in text
    assert "option httpchk GET /_stcore/health" in text and "timeout tunnel 1h" in text


def test_a_payment_on_one_replica_shows_on_the_others_dashboard_at_the_next_rerun(two_replicas, browser):
    owner, _ = register_owner("Duka la Replica")
    customer = customers.add_customer(owner, "Wanjiru")
    book.record_sale(owner, customer, "Unga", total="1000")
    phone = phone_of(owner.user_id)
    pages = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30000)
        log_in(page, two_replicas, phone)
        pages.append(page)
    served = [next(c["value"] for c in page.context.cookies() if c["name"] == replicas.COOKIE) for page in pages]
    assert sorted(served) == ["replica1", "replica2"]  # one browser on each process
    first, second = pages
    expect(metric(second, "Total outstanding")).to_have_text("Ksh 1,000.00")  # now cached in the second process

    go(first, "Record a payment", "Record a payment")
    box = first.get_by_label("Customer")
    box.click()
    box.fill("Wanjiru")
    first.get_by_role("option", name="Wanjiru", exact=False).first.click()
    first.get_by_label("Amount (Ksh)").fill("400")
    first.get_by_role("button", name="Record payment").click()
    expect(first.get_by_text("Wanjiru still owes Ksh 600.00")).to_be_visible()

    go(second, "Dashboard", "Dashboard")  # the next rerun of the other process
    settled(second)
    expect(metric(second, "Total outstanding")).to_have_text("Ksh 600.00")
    for page in pages:
        page.context.close()
