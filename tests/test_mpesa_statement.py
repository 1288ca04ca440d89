"""M-Pesa statements: real password-protected PDFs made here (fpdf2 tables, pypdf's encryption), CSV and Excel
copies, the rules that categorise, duplicates by receipt number, payments matched to debtors, the command line
and the Import page."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import time
import zlib
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from fpdf import FPDF
from openpyxl import Workbook
from pypdf import PdfReader, PdfWriter

from db.errors import InvalidInput, NotAllowed
from duka import book, customers, expenses, import_cli, mpesa_import, mpesa_statement, pdf_sandbox
from support import ROOT, TEST_DB, category_ids, signed_in

PASSWORD = "12345678"
HEADER = ["Receipt No.", "Completion Time", "Details", "Transaction Status", "Paid In", "Withdrawn", "Balance"]
# A personal statement's rows: a wrapped line (no receipt: it continues the row above), a carriage return inside
# a cell, a failed and a reversed row, a charge, money in from a customer and money in from an agent.
ROWS = [
    [
        "SC21AB1CD1",
        "2026-03-02 08:15:01",
        "Merchant Payment to 512345 - MAMA MBOGA",
        "Completed",
        "",
        "-1,250.00",
        "8,750.00",
    ],
    ["", "", "GROCERS NAIROBI", "", "", "", ""],
    [
        "SC21AB1CD2",
        "2026-03-03 09:00:00",
        "Pay Bill Online to 888880 -\r\nKPLC PREPAID Acc. 1234",
        "Completed",
        "",
        "-500.00",
        "8,250.00",
    ],
    ["SC21AB1CD3", "2026-03-03 09:00:00", "Pay Bill Charge", "Completed", "", "-5.00", "8,245.00"],
    ["SC21AB1CD4", "2026-03-04 12:30:00", "Airtime Purchase", "Completed", "", "-100.00", "8,145.00"],
    [
        "SC21AB1CD5",
        "2026-03-05 13:00:00",
        "Customer Transfer to 0722000111 - JANE WANJIKU",
        "Failed",
        "",
        "-300.00",
        "8,145.00",
    ],
    [
        "SC21AB1CD6",
        "2026-03-05 14:00:00",
        "Customer Transfer to 0722000111 - JANE WANJIKU",
        "Reversed",
        "",
        "-300.00",
        "8,145.00",
    ],
    [
        "SC21AB1CD7",
        "2026-03-06 10:00:00",
        "Funds received from JOHN KAMAU 0712345678",
        "Completed",
        "400.00",
        "",
        "8,545.00",
    ],
    [
        "SC21AB1CD8",
        "2026-03-07 10:00:00",
        "Deposit of Funds at Agent Till 12345 - SHOP",
        "Completed",
        "1,000.00",
        "",
        "9,545.00",
    ],
]


def pdf_statement(rows=ROWS, header=HEADER, password: str | None = PASSWORD, per_page: int = 50) -> bytes:
    """A statement as Safaricom lays it out: a header table, a summary table, the transactions (the header
    repeated on each page), and a disclaimer; encrypted with the password."""
    pdf = FPDF(orientation="L")
    pdf.set_font("Helvetica", size=7)
    pages = [rows[i : i + per_page] for i in range(0, len(rows), per_page)] or [[]]
    for n, part in enumerate(pages):
        pdf.add_page()
        if n == 0:
            pdf.cell(0, 8, "M-PESA STATEMENT", new_x="LMARGIN", new_y="NEXT")
            with pdf.table(width=120, col_widths=(40, 80)) as table:
                for pair in (["Customer Name:", "Amina Otieno"], ["Statement Period:", "01 Mar 2026 - 31 Mar 2026"]):
                    row = table.row()
                    for c in pair:
                        row.cell(c)
            pdf.ln(4)
            with pdf.table(width=150) as table:
                for line in (["TRANSACTION TYPE", "PAID IN", "PAID OUT"], ["SEND MONEY", "0.00", "300.00"]):
                    row = table.row()
                    for c in line:
                        row.cell(c)
            pdf.ln(4)
        if part or n == 0:
            with pdf.table() as table:
                for line in [header, *part]:
                    row = table.row()
                    for c in line:
                        row.cell(c)
        if n == len(pages) - 1:
            pdf.ln(4)
            with pdf.table(width=200) as table:
                table.row().cell("Disclaimer: This record is produced for your personal use. Safaricom ...")
    raw = bytes(pdf.output())
    if password is None:
        return raw
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def csv_statement(rows=ROWS, header=HEADER) -> bytes:
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    return ("\r\n".join(",".join(quoted(c) for c in line) for line in [header, *rows]) + "\r\n").encode()


def xlsx_statement(rows=ROWS, header=HEADER) -> bytes:
    book_ = Workbook()
    sheet = book_.active
    for line in [header, *rows]:
        sheet.append(line)
    out = io.BytesIO()
    book_.save(out)
    return out.getvalue()


def _expenses(shop) -> list[dict]:
    page = expenses.expenses_page(shop, expenses.Filter(date(2026, 3, 1), date(2026, 3, 31)), limit=100)
    return page.sort_values("amount").to_dict("records")


def _debtor(shop, name="John Kamau", phone="0712345678", owes="1000") -> int:
    customer_id = customers.add_customer(shop, name, phone)
    book.record_sale(shop, customer_id, "Sugar", total=owes, debt_date=date(2026, 3, 1))
    return customer_id


# --- reading -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pdf", "csv", "xlsx"])
def test_each_format_reads_the_completed_rows_with_wrapped_lines_joined(kind):
    data = {"pdf": pdf_statement, "csv": csv_statement, "xlsx": xlsx_statement}[kind]()
    found = mpesa_statement.read_statement(f"statement.{kind}", data, PASSWORD if kind == "pdf" else None)
    assert found.problems == []
    by_receipt = {t.receipt_no: t for t in found.transactions}
    assert sorted(by_receipt) == ["SC21AB1CD1", "SC21AB1CD2", "SC21AB1CD3", "SC21AB1CD4", "SC21AB1CD7", "SC21AB1CD8"]
    assert [(r["receipt_no"], r["status"]) for r in found.not_completed] == [
        ("SC21AB1CD5", "Failed"),
        ("SC21AB1CD6", "Reversed"),
    ]
    first = by_receipt["SC21AB1CD1"]
    assert first.details == "Merchant Payment to 512345 - MAMA MBOGA GROCERS NAIROBI"
    assert first.withdrawn == D("1250.00") and first.paid_in is None and first.balance == D("8750.00")
    assert first.completed_at == datetime(2026, 3, 2, 8, 15, 1)
    assert by_receipt["SC21AB1CD2"].details == "Pay Bill Online to 888880 - KPLC PREPAID Acc. 1234"
    assert "\r" not in by_receipt["SC21AB1CD2"].details
    assert by_receipt["SC21AB1CD7"].paid_in == D("400.00")
    assert all(isinstance(t.withdrawn or t.paid_in, D) for t in found.transactions)


def test_a_long_pdf_statement_over_several_pages_reads_every_row():
    rows = [
        [
            f"SD{n:08d}",
            f"2026-03-{1 + n % 28:02d} 10:00:00",
            f"Merchant Payment to shop {n}",
            "Completed",
            "",
            f"-{n}.50",
            "1.00",
        ]
        for n in range(1, 121)
    ]
    found = mpesa_statement.read_statement("long.pdf", pdf_statement(rows, per_page=40), PASSWORD)
    assert len(found.transactions) == 120 and found.problems == []
    assert sum(t.withdrawn for t in found.transactions) == sum(D(f"{n}.50") for n in range(1, 121))


def test_a_business_statement_reads_its_type_and_other_party():
    header = HEADER[:3] + ["Transaction Status", "Transaction Type", "Other Party"] + HEADER[4:]
    rows = [
        [
            "SE11AA22BB",
            "2026-03-10 11:00:00",
            "Pay Bill from 2547****678 - JOHN KAMAU Acc. 1042",
            "Completed",
            "Pay Bill",
            "2547****678 - JOHN KAMAU",
            "600.00",
            "",
            "5,600.00",
        ],
        [
            "SE11AA22BC",
            "2026-03-10 11:05:00",
            "Business Pay Bill Charge",
            "Completed",
            "Pay Bill Fee",
            "",
            "",
            "-6.00",
            "5,594.00",
        ],
    ]
    found = mpesa_statement.read_statement("business.pdf", pdf_statement(rows, header), PASSWORD)
    assert found.business
    assert [(t.transaction_type, t.other_party) for t in found.transactions] == [
        ("Pay Bill", "2547****678 - JOHN KAMAU"),
        ("Pay Bill Fee", ""),
    ]
    assert mpesa_import.payer(found.transactions[0]) == ("JOHN KAMAU", "2547****678")


def test_a_wrong_password_says_so():
    with pytest.raises(InvalidInput) as refused:
        mpesa_statement.read_statement("statement.pdf", pdf_statement(), "00000000")
    assert str(refused.value) == mpesa_statement.WRONG_PASSWORD
    with pytest.raises(InvalidInput, match="protected by a password"):
        mpesa_statement.read_statement("statement.pdf", pdf_statement(), None)


def test_a_pdf_without_transactions_says_so():
    with pytest.raises(InvalidInput) as refused:
        mpesa_statement.read_statement("empty.pdf", pdf_statement(rows=[], header=["Something", "Else"]), PASSWORD)
    assert str(refused.value) == mpesa_statement.NO_ROWS
    blank = FPDF()
    blank.add_page()
    with pytest.raises(InvalidInput, match="No transactions were found"):
        mpesa_statement.read_statement("blank.pdf", bytes(blank.output()))
    with pytest.raises(InvalidInput, match="cannot be read as a PDF"):
        mpesa_statement.read_statement("fake.pdf", b"this is no pdf")


def crafted_pdf(content: bytes, pages: int = 1) -> bytes:
    """A PDF whose pages all draw one content stream (already compressed with FlateDecode), written by hand the
    way an attacker would: a few kilobytes can ask pdfminer for gigabytes and minutes."""
    kids = " ".join(f"{4 + n} 0 R" for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length %d /Filter /FlateDecode >>stream\n" % len(content) + content + b"\nendstream",
    ] + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def line_bomb() -> bytes:
    """One page of 300,000 line drawings: 8.6 KB that took 19 s and 1.58 GB in the caller's process."""
    return crafted_pdf(zlib.compress(b"0 0 m 1 1 l S\n" * 300_000, 9))


def space_bomb(mib: int = 1500) -> bytes:
    """1.5 MB that decompresses to 1.5 GB of spaces (compressed a megabyte at a time: never held here)."""
    packer, chunk = zlib.compressobj(9), b" " * (1 << 20)
    return crafted_pdf(b"".join([packer.compress(chunk) for _ in range(mib)] + [packer.flush()]))


def _max_rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # Linux counts kilobytes


@pytest.mark.parametrize("bomb", [line_bomb, space_bomb])
def test_a_pdf_that_asks_for_too_much_memory_or_time_is_refused_without_harm_to_the_caller(bomb):
    data = bomb()
    assert len(data) < 2 * 1024 * 1024
    before, started = _max_rss_mb(), time.monotonic()
    with pytest.raises(InvalidInput) as refused:
        mpesa_statement.read_statement("statement.pdf", data, PASSWORD)
    assert str(refused.value) == mpesa_statement.TOO_COSTLY
    assert str(refused.value).startswith("This PDF needs more memory or time than a statement ever does")
    assert time.monotonic() - started < 60
    assert _max_rss_mb() - before < 200  # the child grew, not this process


def test_a_pdf_of_too_many_pages_is_refused_before_any_page_is_read():
    started = time.monotonic()
    with pytest.raises(InvalidInput, match=r"^The PDF has more than 500 pages"):
        mpesa_statement.read_statement("pages.pdf", crafted_pdf(zlib.compress(b"0 0 m 1 1 l S\n"), pages=501))
    assert time.monotonic() - started < 30
    found = mpesa_statement.read_statement("s.pdf", pdf_statement(ROWS * 3, per_page=2), PASSWORD)
    assert len(found.transactions) == 18  # 28 pages (each part spills onto a second page) are read


def test_the_pdf_reader_runs_isolated_and_imports_only_pdfplumber():
    """The child the app starts imports the standard library and pdfplumber's own packages: never the project's
    database code, Streamlit or pandas (-X importtime lists every module it imports)."""
    request = b'{"password": "%s", "max_rows": 1000, "max_pages": 10}\n' % PASSWORD.encode()
    done = subprocess.run(
        [sys.executable, "-I", "-X", "importtime", pdf_sandbox.__file__],
        input=request + pdf_statement(),
        capture_output=True,
        timeout=60,
        env={},
        cwd="/",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert b"SC21AB1CD1" in done.stdout
    imported = {line.split(b"|")[-1].strip().split(b".")[0] for line in done.stderr.splitlines() if b"|" in line}
    assert {b"pdfplumber", b"pdfminer"} <= imported
    assert not imported & {b"db", b"duka", b"streamlit", b"pandas", b"mysql", b"numpy"}


def test_a_row_that_cannot_be_read_is_a_problem_naming_its_line():
    rows = ROWS[:1] + [["SC21AB1CD9", "yesterday", "Airtime Purchase", "Completed", "", "-10.00", "1.00"]]
    found = mpesa_statement.read_statement("bad.csv", csv_statement(rows))
    assert [p["line"] for p in found.problems] == [3]
    assert "Completion Time 'yesterday'" in found.problems[0]["reason"]


# --- rules, preview and import -----------------------------------------------------------------------------


def test_the_default_rules_categorise_and_the_owner_can_change_them(shop):
    rules = mpesa_import.rules(shop)
    assert [(r["pattern"], r["category"]) for r in rules] == list(mpesa_import.DEFAULT_RULES)
    details = {
        "Pay Bill Online to 888880 - KPLC PREPAID Acc. 1234": "Utilities",
        "Merchant Payment to 512345 - MAMA MBOGA": "Groceries",
        "Airtime Purchase": "Airtime",
        "Customer Transfer of Funds Charge": "Fees",
        "Customer Transfer to 0722000111 - JANE WANJIKU": "Transfers",
        "Pay Bill Online to 222111 - Nairobi Water": "Other",
    }
    assert {d: mpesa_import.category_for(rules, d) for d in details} == details
    mpesa_import.save_rules(shop, [{"pattern": "nairobi water", "category": "Utilities"}, *rules])
    assert (
        mpesa_import.category_for(mpesa_import.rules(shop), "Pay Bill Online to 222111 - Nairobi Water") == "Utilities"
    )


def test_a_password_protected_statement_imports_its_expenses_once(shop):
    statement = mpesa_statement.read_statement("statement.pdf", pdf_statement(), PASSWORD)
    found = mpesa_import.preview(shop, statement)
    assert [(e["receipt_no"], e["category"], e["amount"]) for e in found.expenses] == [
        ("SC21AB1CD1", "Groceries", D("1250.00")),
        ("SC21AB1CD2", "Utilities", D("500.00")),
        ("SC21AB1CD3", "Fees", D("5.00")),
        ("SC21AB1CD4", "Airtime", D("100.00")),
    ]
    assert found.new_categories == ["Fees", "Airtime"]
    assert [r["receipt_no"] for r in found.left_out] == ["SC21AB1CD5", "SC21AB1CD6", "SC21AB1CD8"]
    steps = []
    result = mpesa_import.import_statement(shop, found, progress=steps.append)
    assert result == {"expenses": 4, "payments": 0, "already": 0}
    assert steps[-1] == 1.0
    rows = _expenses(shop)
    assert [(r["amount"], r["payment_mode"], r["spent_on"]) for r in rows][-1] == (
        D("1250.00"),
        "M-Pesa",
        date(2026, 3, 2),
    )
    assert {"Airtime", "Fees"} <= set(category_ids(shop))
    again = mpesa_import.preview(shop, mpesa_statement.read_statement("statement.pdf", pdf_statement(), PASSWORD))
    assert again.expenses == [] and len(again.already) == 4
    assert mpesa_import.import_statement(shop, again)["expenses"] == 0
    assert mpesa_import.import_statement(shop, found)["expenses"] == 0  # even an old preview adds nothing
    assert len(_expenses(shop)) == 4


def test_overlapping_statements_import_the_new_rows_only(shop):
    first = mpesa_statement.read_statement("feb.csv", csv_statement(ROWS[:4]))
    mpesa_import.import_statement(shop, mpesa_import.preview(shop, first))
    second = mpesa_statement.read_statement("mar.xlsx", xlsx_statement(ROWS[2:5]))
    found = mpesa_import.preview(shop, second)
    assert [e["receipt_no"] for e in found.expenses] == ["SC21AB1CD4"]
    assert [a["receipt_no"] for a in found.already] == ["SC21AB1CD2", "SC21AB1CD3"]
    assert mpesa_import.import_statement(shop, found)["expenses"] == 1
    assert len(_expenses(shop)) == 4


def test_money_in_is_matched_to_debtors_and_recorded_only_when_confirmed(shop):
    by_phone = _debtor(shop)
    _debtor(shop, "Grace Akinyi", "0733000111", "300")
    rows = ROWS[7:8] + [
        [
            "SC21AB1CE1",
            "2026-03-08 10:00:00",
            "Funds received from - 2547******111 GRACE AKINYI",
            "Completed",
            "300.00",
            "",
            "1.00",
        ],
        [
            "SC21AB1CE2",
            "2026-03-08 11:00:00",
            "Funds received from PETER NJOROGE 0799888777",
            "Completed",
            "50.00",
            "",
            "1.00",
        ],
    ]
    found = mpesa_import.preview(shop, mpesa_statement.read_statement("in.csv", csv_statement(rows)))
    assert [(p["receipt_no"], p["customer"]) for p in found.payments] == [
        ("SC21AB1CD7", "John Kamau"),
        ("SC21AB1CE1", "Grace Akinyi"),
        ("SC21AB1CE2", None),
    ]
    result = mpesa_import.import_statement(shop, found, confirmed={"SC21AB1CD7": by_phone})
    assert result["payments"] == 1
    assert customers.customer(shop, by_phone)["balance"] == D("600.00")
    again = mpesa_import.preview(shop, mpesa_statement.read_statement("in.csv", csv_statement(rows)))
    assert [p["receipt_no"] for p in again.payments] == ["SC21AB1CE1", "SC21AB1CE2"]  # unconfirmed: offered again


def test_one_refused_row_imports_nothing(shop):
    john = _debtor(shop, owes="100")  # owes 100, the statement says 400 came in (line 10: a cell holds a line break)
    found = mpesa_import.preview(shop, mpesa_statement.read_statement("s.csv", csv_statement()))
    with pytest.raises(InvalidInput, match=r"^Line 10 \(SC21AB1CD7\): Overpayment refused"):
        mpesa_import.import_statement(shop, found, confirmed={"SC21AB1CD7": john})
    assert _expenses(shop) == []
    assert customers.customer(shop, john)["balance"] == D("100.00")


def test_a_statement_with_problems_imports_nothing(shop):
    rows = ROWS[:1] + [["SC21AB1CD9", "2026-03-02 10:00:00", "Airtime Purchase", "Completed", "", "-abc", "1.00"]]
    found = mpesa_import.preview(shop, mpesa_statement.read_statement("bad.csv", csv_statement(rows)))
    assert len(found.problems) == 1
    with pytest.raises(InvalidInput, match="1 row"):
        mpesa_import.import_statement(shop, found)
    assert _expenses(shop) == []


# --- the command line --------------------------------------------------------------------------------------


def test_import_mpesa_on_the_command_line(shop, tmp_path, capsys):
    path = tmp_path / "statement.pdf"
    path.write_bytes(pdf_statement())
    assert import_cli.main(["mpesa", str(path), "--shop", str(shop.shop_id), "--password", "wrong"]) == 1
    assert "password is wrong" in capsys.readouterr().err
    assert import_cli.main(["mpesa", str(path), "--shop", str(shop.shop_id), "--password", PASSWORD]) == 0
    assert "Imported 4 expenses" in capsys.readouterr().out
    assert import_cli.main(["mpesa", str(path), "--shop", str(shop.shop_id), "--password", PASSWORD]) == 0
    assert "Imported 0 expenses" in capsys.readouterr().out
    assert len(_expenses(shop)) == 4


def test_import_expenses_on_the_command_line(shop, tmp_path, capsys):
    path = tmp_path / "spend.csv"
    path.write_text("Date,Amount,Category,Description\n2026-03-02,250,Food,Lunch\n2026-03-03,x,Food,Tea\n")
    assert import_cli.main(["expenses", str(path), "--shop", str(shop.shop_id), "--all-or-nothing"]) == 1
    assert "nothing was imported" in capsys.readouterr().err
    assert import_cli.main(["expenses", str(path), "--shop", str(shop.shop_id)]) == 0
    out = capsys.readouterr().out
    assert "Imported 1 expenses" in out and "Line 3" in out
    assert import_cli.main(["expenses", str(path), "--shop", "999999"]) == 1
    assert "no shop number 999999" in capsys.readouterr().err


def test_import_mpesa_runs_as_a_real_command(shop, tmp_path):
    path = tmp_path / "statement.csv"
    path.write_bytes(csv_statement())
    env = dict(os.environ, MYSQL_DATABASE=TEST_DB)
    done = subprocess.run(
        [sys.executable, "-m", "duka.import_cli", "mpesa", str(path), "--shop", str(shop.shop_id)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Imported 4 expenses" in done.stdout
    assert len(_expenses(shop)) == 4


# --- the Import page ---------------------------------------------------------------------------------------


def test_the_import_page_previews_and_imports_a_statement_forgetting_the_password(shop):
    john = _debtor(shop)
    at = signed_in(shop, "pages/11_Import.py")
    assert not at.exception
    at.file_uploader(key="mpesa_file").set_value(("statement.pdf", pdf_statement(), "application/pdf"))
    at.text_input(key="mpesa_password").set_value("wrong")
    at.button(key="mpesa_read").click().run()
    assert [e.value for e in at.error if "password is wrong" in e.value]
    at.file_uploader(key="mpesa_file").set_value(("statement.pdf", pdf_statement(), "application/pdf"))
    at.text_input(key="mpesa_password").set_value(PASSWORD)
    at.button(key="mpesa_read").click().run()
    assert not at.exception and not at.error
    assert PASSWORD not in [v for k in at.session_state for v in [at.session_state[k]] if isinstance(v, str)]
    assert any("**4** expenses" in m.value for m in at.markdown)
    editor = at.session_state["mpesa_kept"]
    assert [p["customer_id"] for p in editor.payments] == [john]
    at.checkbox(key="mpesa_confirm_SC21AB1CD7").check().run()
    at.button(key="mpesa_go").click().run()
    assert not at.exception and not at.error
    assert len(_expenses(shop)) == 4
    assert customers.customer(shop, john)["balance"] == D("600.00")


def test_the_expense_import_still_works_beside_the_statement_section(shop):
    at = signed_in(shop, "pages/11_Import.py")
    at.file_uploader(key="import_file_0").set_value(
        ("spend.csv", b"Date,Amount,Category\n2026-03-02,250,Food\n", "text/csv")
    )
    at.run()
    assert not at.exception and not at.error
    assert any("**1** rows are good" in m.value for m in at.markdown)


def test_only_the_owner_changes_the_rules_and_a_clerk_imports_with_them(staffed_shop):
    owner, clerk = staffed_shop["owner"], staffed_shop["clerk"]
    mpesa_import.save_rules(owner, [{"pattern": "Airtime", "category": "Phone"}, {"pattern": "", "category": ""}])
    with pytest.raises(NotAllowed):
        mpesa_import.save_rules(clerk, [])
    found = mpesa_import.preview(clerk, mpesa_statement.read_statement("s.csv", csv_statement(ROWS[4:5])))
    assert [e["category"] for e in found.expenses] == ["Phone"]
    assert mpesa_import.import_statement(clerk, found)["expenses"] == 1
    assert "Phone" in category_ids(owner)
    with pytest.raises(NotAllowed):
        mpesa_import.rules(staffed_shop["analyst"])
