"""Expenses and answers out: CSV and Excel files in which no cell can run as a spreadsheet formula."""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd

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
        shown.to_excel(writer, index=False, sheet_name="Expenses")
        sheet = writer.sheets["Expenses"]
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
                elif isinstance(cell.value, (int, float, Decimal)):
                    cell.number_format = "#,##0.00"
    return out.getvalue()
