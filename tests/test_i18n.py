"""Kiswahili and English (issue 14): every message has its Kiswahili, no translation drops a placeholder, the
database's own sentences are translated, and one person's language never leaks into another's."""

from __future__ import annotations

import re
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import i18n
from i18n import catalogue, signals

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


@pytest.fixture(scope="module")
def template():
    return catalogue.extract()


@pytest.fixture(scope="module")
def swahili():
    return catalogue.read("sw")


def test_every_message_of_the_code_has_its_kiswahili(template, swahili):
    lacking = [m.id for m in template if m.id and (swahili.get(m.id) is None or m.id in catalogue.missing(swahili))]
    assert not lacking, f"{len(lacking)} messages lack Kiswahili (./daftari translations), first: {lacking[:10]}"


def test_no_translation_drops_or_invents_a_placeholder(swahili):
    wrong = []
    for message in swahili:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append((ids[0], text))
    assert not wrong, wrong[:10]


def test_the_catalogue_has_no_message_the_code_no_longer_uses(template, swahili):
    """./daftari translations drops gone messages: a stale catalogue means it was not run."""
    gone = [m.id for m in swahili if m.id and template.get(m.id) is None]
    assert not gone, gone[:10]


def test_every_sentence_of_the_triggers_is_a_message():
    written = set()
    for migration in (ROOT / "sql" / "migrations").glob("*.sql"):
        written |= set(re.findall(r"MESSAGE_TEXT = '([^']+)'", migration.read_text()))
    assert written and written <= set(signals.SIGNALS), written - set(signals.SIGNALS)


def test_a_trigger_sentence_is_shown_in_the_readers_language():
    with i18n.using("sw"):
        said = signals.sentence("Overpayment refused: the balance of this debt is 40.00.")
        assert "Ksh 40.00" in said and "Overpayment" not in said
        assert signals.sentence("Sales are never deleted: void the sale instead.") != (
            "Sales are never deleted: void the sale instead."
        )
    assert signals.sentence("Overpayment refused: the balance of this debt is 40.00.") == (
        "Overpayment refused: the balance of this debt is Ksh 40.00."
    )


def test_money_numbers_and_dates_are_written_for_sw_ke_and_en_ke():
    with i18n.using("sw"):
        assert i18n.money(Decimal("1234567.50"), "KES") == "Ksh 1,234,567.50"
        assert i18n.day(date(2024, 3, 19), "full") == "Jumanne, 19 Machi 2024"
        assert i18n.number(1000) == "1,000"  # never a compact "elfu 1"
    with i18n.using("en"):
        assert i18n.money(Decimal("-50"), "KES") == "-Ksh 50.00"
        assert i18n.day(date(2024, 3, 19), "full") == "Tuesday, 19 March 2024"


def test_two_people_served_at_once_each_read_their_own_language():
    """The language is a context variable: a thread serving a Kiswahili reader never changes what a thread
    serving an English reader reads, at the same moment."""
    message = "A payment must be more than zero."
    seen: dict[str, set[str]] = {"en": set(), "sw": set()}
    start = threading.Barrier(2)

    def serve(code: str) -> None:
        i18n.set_language(code)
        start.wait()
        for _ in range(2000):
            seen[code].add(i18n.t(message))

    threads = [threading.Thread(target=serve, args=(code,)) for code in ("en", "sw")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen["en"] == {message}
    assert len(seen["sw"]) == 1 and seen["sw"] != {message}


def test_a_stale_catalogue_compiled_by_many_requests_at_once_is_compiled_whole_and_never_fails():
    """A fresh clone has only the .po; the first Kiswahili requests of a server arrive together, and each
    compiles the .mo. They once shared one temporary file: one moved it into place while another was still
    writing it or about to move it, and that request failed with FileNotFoundError (a 500 in the API)."""
    import os

    from babel.messages.mofile import read_mo

    po, mo = catalogue.po_path("sw"), catalogue.mo_path("sw")
    for _ in range(10):
        if mo.exists():
            os.utime(mo, (po.stat().st_mtime - 60, po.stat().st_mtime - 60))  # older than the .po: stale
        start, failures = threading.Barrier(8), []

        def compile_it(start: threading.Barrier = start, failures: list = failures) -> None:
            start.wait()
            try:
                catalogue.compile_if_stale("sw")
            except Exception as exc:  # noqa: BLE001 (every thread's failure is told below)
                failures.append(repr(exc))

        threads = [threading.Thread(target=compile_it) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        with mo.open("rb") as handle:
            assert len(read_mo(handle)) == len(catalogue.read("sw"))  # whole, not a mix of two writers
        assert mo.stat().st_mode & 0o777 == 0o644  # any account serving the app can read it
        assert not [p for p in mo.parent.iterdir() if p.name.endswith(".tmp")], "a temporary file was left"
