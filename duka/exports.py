"""Data out: expenses and answers as CSV and Excel, and the owner's archive of the whole shop as a zip of CSV
files, in which no cell can run as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pandas as pd

import db
from duka import members
from duka.members import Actor
from i18n import N_, t

# The archive: file -> named query (sql/exports.sql), one per table of the shop's data. Sessions and API tokens are
# left out on purpose (a sign-in's or a token's hash belongs to the person, not the shop); so are password hashes
# and the API's idempotency keys (a replay cache of answers whose sales and payments are in the archive).
ARCHIVE = {
    "shop.csv": "archive_shop",
    "members.csv": "archive_members",
    "invitations.csv": "archive_invitations",
    "customers.csv": "archive_customers",
    "debts.csv": "archive_debts",
    "payments.csv": "archive_payments",
    "active_debtors.csv": "archive_active_debtors",
    "categories.csv": "archive_categories",
    "expenses.csv": "archive_expenses",
    "expense_days.csv": "archive_expense_days",
    "expense_day_modes.csv": "archive_expense_day_modes",
    "book_days.csv": "archive_book_days",
    "audit_log.csv": "archive_audit_log",
    "mpesa_settings.csv": "archive_mpesa_settings",
    "mpesa_c2b.csv": "archive_mpesa_c2b",
    "mpesa_rules.csv": "archive_mpesa_rules",
    "mpesa_receipts.csv": "archive_mpesa_receipts",
    "write_offs.csv": "archive_write_offs",
    "reminders.csv": "archive_reminders",
    "reminder_templates.csv": "archive_reminder_templates",
}

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def export_frame(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """A copy for a file: no internal ids, no cell that runs as a formula, and the currency named."""
    shown = frame.drop(columns=[c for c in ("expense_id",) if c in frame]).copy()
    for column in shown.columns:
        shown[column] = shown[column].map(defuse)
    shown.insert(len(shown.columns), "currency", currency)
    return shown


def to_csv(frame: pd.DataFrame, currency: str) -> bytes:
    """The frame as a UTF-8 CSV (with a BOM, so Excel reads it right)."""
    return export_frame(frame, currency).to_csv(index=False).encode("utf-8-sig")  # Excel reads the BOM as UTF-8


def to_excel(frame: pd.DataFrame, currency: str) -> bytes:
    """The frame as an .xlsx workbook: amounts as numbers, text always as text."""
    shown = export_frame(frame, currency)
    for column in ("amount", "cashback"):
        if column in shown:
            shown[column] = shown[column].map(lambda v: v if isinstance(v, Decimal) else Decimal(str(v)))
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        # the sheet's tab is read by a person; the column headers stay the data's names (an import reads them back)
        name = t("Expenses")
        shown.to_excel(writer, index=False, sheet_name=name)
        sheet = writer.sheets[name]
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
                elif isinstance(cell.value, (int, float, Decimal)):
                    cell.number_format = "#,##0.00"
    return out.getvalue()


def cell(value: object) -> str:
    """A CSV cell: empty for NULL, amounts as the database keeps them (12.50), ISO dates and times, text defused."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"  # DECIMAL(12,2) keeps its two decimals; never 1E+2
    if isinstance(value, str):
        return defuse(value)
    return str(value)


@db.transactional
def _archive_tables(tx: db.Tx, actor: Actor) -> dict[str, tuple[list[str], list[dict]]]:
    """Every table of the shop in one transaction, so the files agree with each other (each payment's sale is there).

    db.transactional is the one way to read several queries in one snapshot; it only reads here (afterwards it
    clears the shop's cached figures, as after any write: they are read again once)."""
    members.require(actor, members.CORRECT, N_("download the shop's data"), tx)
    tables = {}
    for name, query in ARCHIVE.items():
        rows = tx.rows(query, shop_id=actor.shop_id)
        tables[name] = (list(tx.cur.column_names), rows)  # the header, even for a table with no rows
    return tables


def shop_archive(actor: Actor) -> bytes:
    """All of the shop's data as a zip of UTF-8 CSV files, one per table (the owner only)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, (columns, rows) in _archive_tables(actor).items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(columns)
            writer.writerows([cell(row[c]) for c in columns] for row in rows)
            archive.writestr(name, text.getvalue().encode("utf-8-sig"))  # Excel reads the BOM as UTF-8
    return out.getvalue()
