"""A Safaricom M-Pesa full statement read into rows: the PDF (password-protected, read with pdfplumber) or a CSV or
Excel copy, its transactions table found among the header, summary and disclaimer tables, wrapped lines joined,
money as Decimal; only Completed rows are kept, and what was left out is counted."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from db.errors import InvalidInput
from duka import pdf_sandbox
from duka.import_csv import read_csv
from duka.import_table import MAX_BYTES, MAX_ROWS, MAX_UPLOAD_MB, Table
from duka.import_xlsx import read_xlsx
from i18n import N_, number, t

PERSONAL = ("Receipt No.", "Completion Time", "Details", "Transaction Status", "Paid In", "Withdrawn", "Balance")
BUSINESS = ("Transaction Type", "Other Party")  # a business (Paybill or Till) statement adds these two
# Messages, said through t() when raised (the statement's column names stay as Safaricom writes them).
WRONG_PASSWORD = N_(
    "The password is wrong for this statement. It is the one Safaricom sent with it by SMS (often your ID number); "
    "type it again."
)
NEEDS_PASSWORD = N_("This statement is protected by a password: type the one Safaricom sent with it by SMS.")
NO_ROWS = N_(
    "No transactions were found in this file: it has no table with the columns Receipt No., Completion Time, "
    "Details, Transaction Status, Paid In, Withdrawn and Balance. Is it an M-Pesa full statement?"
)
_TOO_COSTLY = N_(
    "This PDF needs more memory or time than a statement ever does (more than {megabytes} MB, or {seconds} seconds "
    "for a page); it was not read. Download the statement from Safaricom again."
)
_LIMITS = {"megabytes": pdf_sandbox.MEMORY_BYTES // 1024**2, "seconds": pdf_sandbox.PAGE_CPU_SECONDS}
TOO_COSTLY = _TOO_COSTLY.format(megabytes=f"{_LIMITS['megabytes']:,}", seconds=_LIMITS["seconds"])  # in English
TOO_MANY_PAGES = N_("The PDF has more than {most} pages; ask Safaricom for a statement of a shorter period.")
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M")
_MONEY = re.compile(r"^-?[0-9]+(\.[0-9]{1,2})?$")
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Transaction:
    """One Completed row: money in (paid_in) or out (withdrawn, as a positive amount)."""

    line: int  # the row's line in a CSV or Excel file; in a PDF, its number counting the table's rows from 1
    receipt_no: str
    completed_at: datetime
    details: str
    paid_in: Decimal | None
    withdrawn: Decimal | None
    balance: Decimal | None
    transaction_type: str = ""
    other_party: str = ""


@dataclass
class Statement:
    """The Completed rows of a statement, rows of other statuses left out, and rows that could not be read."""

    transactions: list[Transaction] = field(default_factory=list)
    not_completed: list[dict] = field(default_factory=list)  # line, receipt_no, status
    problems: list[dict] = field(default_factory=list)  # line, reason
    business: bool = False


def read_statement(name: str, data: bytes, password: str | None = None) -> Statement:
    """A statement from a .pdf (with its password), .csv or .xlsx file, or InvalidInput with a sentence saying why
    not: a wrong or missing password, a file that is no statement, or a statement without a single row."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            t("The file is larger than {megabytes} MB; ask Safaricom for a shorter period.", megabytes=MAX_UPLOAD_MB)
        )
    if not data.strip():
        raise InvalidInput(t("The file is empty."))
    lower = name.lower()
    problems: list[tuple[int, str]] = []
    if lower.endswith(".pdf"):
        tables = _pdf_rows(data, password)
    elif lower.endswith((".csv", ".txt", ".xlsx")):
        table = read_xlsx(data) if lower.endswith(".xlsx") else read_csv(data)
        tables, problems = _table_rows(table), table.problems
    else:
        raise InvalidInput(t("Choose the statement as a .pdf, .csv or .xlsx file."))
    statement = _statement(tables)
    statement.problems = sorted(statement.problems + [{"line": n, "reason": r} for n, r in problems], key=_by_line)
    if not statement.transactions and not statement.not_completed and not statement.problems:
        raise InvalidInput(t(NO_ROWS))
    return statement


def _pdf_rows(data: bytes, password: str | None) -> list[list[tuple[int, list[str]]]]:
    """Every table of every page, its rows numbered from 1 across the file in reading order (pdfplumber finds the
    ruled tables; the statement's own header, summary and disclaimer are tables too, told apart later). pdfplumber
    reads it in a child process with hard limits on memory and time (duka.pdf_sandbox): a crafted PDF of a few
    kilobytes can ask pdfminer for gigabytes and minutes."""
    try:
        return pdf_sandbox.read_tables(data, password, max_rows=2 * MAX_ROWS)
    except pdf_sandbox.Refused as refused:
        if refused.reason == "password":
            raise InvalidInput(t(WRONG_PASSWORD if password else NEEDS_PASSWORD)) from None
        if refused.reason == "rows":
            raise InvalidInput(
                t("The statement has more than {most} rows; ask for a shorter period.", most=number(MAX_ROWS))
            ) from None
        if refused.reason == "pages":
            raise InvalidInput(t(TOO_MANY_PAGES, most=number(pdf_sandbox.MAX_PAGES))) from None
        if refused.reason == "limits":
            limits = {"megabytes": number(_LIMITS["megabytes"]), "seconds": number(_LIMITS["seconds"])}
            raise InvalidInput(t(_TOO_COSTLY, **limits)) from None
        raise InvalidInput(t("This file cannot be read as a PDF; download the statement again.")) from None


def _table_rows(table: Table) -> list[list[tuple[int, list[str]]]]:
    """A CSV or Excel file as one table, each row with its line (its first row is the header: a statement saved
    as CSV or Excel starts with the column names)."""
    return [[(0, table.header or [])] + list(zip(table.lines, table.rows))]


def _by_line(problem: dict) -> int:
    return problem["line"]


def _cell(text: str) -> str:
    """A cell's text on one line: carriage returns and line breaks inside it become spaces."""
    return re.sub(r"\s+", " ", text.replace("\r", " ")).strip()


def _header(cells: list[str]) -> dict[str, int] | None:
    """Column name -> position when this row is a transactions header (the summary table's is not)."""
    names = [_cell(c).lower().rstrip(".") for c in cells]
    wanted = {c: c.lower().rstrip(".") for c in PERSONAL + BUSINESS}
    found = {c: names.index(n) for c, n in wanted.items() if n in names}
    return found if all(c in found for c in PERSONAL) else None


def _statement(tables: list[list[tuple[int, list[str]]]]) -> Statement:
    """The rows under a transactions header; a table on the next page without its own header continues the last
    one when it has as many columns; a row without a receipt number continues the row above (a wrapped line)."""
    statement = Statement()
    pending: list[tuple[int, dict[str, str]]] = []
    columns: dict[str, int] | None = None
    width = 0
    for table in tables:
        carried = columns if table and len(table[0][1]) == width else None
        columns = carried
        for line, cells in table:
            if (found := _header(cells)) is not None:
                columns, width = found, len(cells)
                statement.business = statement.business or all(c in found for c in BUSINESS)
                continue
            if columns is None:
                continue
            row = {c: (cells[i] if i < len(cells) else "") for c, i in columns.items()}
            if not _cell(row["Receipt No."]):
                if pending and pending[-1][0] < line:  # a wrapped line: its text belongs to the row above
                    last = pending[-1][1]
                    for c, text in row.items():
                        if _cell(text):
                            last[c] = f"{last[c]} {text}"
                continue
            pending.append((line, row))
    for line, row in pending:
        _add(statement, line, row)
    return statement


def _add(statement: Statement, line: int, row: dict[str, str]) -> None:
    receipt = _cell(row["Receipt No."]).replace(" ", "").upper()
    status = _cell(row["Transaction Status"])
    if status.lower() != "completed":
        statement.not_completed.append({"line": line, "receipt_no": receipt, "status": status or t("(none)")})
        return
    try:
        paid_in = _money(row["Paid In"], "Paid In")
        withdrawn = _money(row["Withdrawn"], "Withdrawn")
        if (paid_in is None) == (withdrawn is None):
            raise InvalidInput(t("a row needs an amount in exactly one of Paid In and Withdrawn"))
        if not re.fullmatch(r"[A-Z0-9]{6,20}", receipt):
            raise InvalidInput(t("receipt number {receipt} is not an M-Pesa receipt", receipt=repr(receipt)))
        transaction = Transaction(
            line=line,
            receipt_no=receipt,
            completed_at=_time(row["Completion Time"]),
            details=_cell(row["Details"]),
            paid_in=paid_in,
            withdrawn=withdrawn,
            balance=_money(row["Balance"], "Balance", signed=True),
            transaction_type=_cell(row.get("Transaction Type", "")),
            other_party=_cell(row.get("Other Party", "")),
        )
    except InvalidInput as problem:
        statement.problems.append(
            {
                "line": line,
                "reason": t("Line {line} ({receipt}): {problem}", line=line, receipt=receipt, problem=problem),
            }
        )
        return
    statement.transactions.append(transaction)


def _money(text: str, column: str, signed: bool = False) -> Decimal | None:
    """An amount as written (1,250.00 or -1,250.00; Withdrawn carries a minus), positive unless signed; None if
    empty or zero."""
    clean = _cell(text).replace(",", "").replace(" ", "").removeprefix("KSh").removeprefix("Ksh")
    if not clean:
        return None
    if not _MONEY.match(clean):
        raise _not_amount(column, text)
    try:
        value = Decimal(clean).quantize(_CENT)
    except InvalidOperation:
        raise _not_amount(column, text) from None
    if signed:
        return value
    return abs(value) or None


def _not_amount(column: str, text: str) -> InvalidInput:
    return InvalidInput(t("{column} {text} is not an amount", column=column, text=repr(_cell(text))))


def _time(text: str) -> datetime:
    clean = _cell(text)
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(clean, fmt)
        except ValueError:
            continue
    raise InvalidInput(t("Completion Time {text} is not a time like 2026-03-31 14:05:09", text=repr(clean)))
