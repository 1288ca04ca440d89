"""./daftari import: a file into a shop's book from the command line, through the same code as the Import page,
acting as the shop's owner.

    ./daftari import mpesa statement.pdf --shop 1 [--password …] [--pay RECEIPT=CUSTOMER_ID …]
    ./daftari import expenses spend.csv --shop 1 [--all-or-nothing] [--keep-duplicates] [--no-new-categories]

Without --password, an encrypted statement asks for it on the terminal (never echoed, never stored).
"""

from __future__ import annotations

# `db` first, before anything imports hashlib (pandas does): the connector's C extension carries its own
# OpenSSL, which cannot load once the system's libcrypto is in the process (see duka/ask.py).
import db  # noqa: F401  # isort: skip  (loaded first on purpose)

import argparse
import getpass
import sys
from pathlib import Path

from db import startup
from db.errors import DaftariError, InvalidInput
from duka import expenses, imports, mpesa_import, mpesa_statement
from duka.import_table import MAX_BYTES


def _read(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise DaftariError(f"There is no file {path}.")
    if file.stat().st_size > MAX_BYTES:
        raise DaftariError(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB; split it.")
    return file.read_bytes()


def _statement(path: str, data: bytes, password: str | None) -> mpesa_statement.Statement:
    try:
        return mpesa_statement.read_statement(path, data, password)
    except InvalidInput as problem:
        if str(problem) != mpesa_statement.NEEDS_PASSWORD or not sys.stdin.isatty():
            raise
    return mpesa_statement.read_statement(path, data, getpass.getpass("Statement password: "))


def import_mpesa(args: argparse.Namespace) -> int:
    """Read, preview (problems and what is left out go to stderr by line), then import all or nothing."""
    actor = mpesa_import.owner_of(args.shop)
    statement = _statement(args.file, _read(args.file), args.password)
    found = mpesa_import.preview(actor, statement)
    for row in found.problems:
        print(row["reason"], file=sys.stderr)
    for row in found.left_out:
        print(f"Line {row['line']} ({row['receipt_no']}): left out: {row['reason']}", file=sys.stderr)
    confirmed = {}
    for pair in args.pay:
        receipt, sep, customer = pair.partition("=")
        if not sep or not customer.strip().isdigit():
            raise DaftariError(f"write each payment as RECEIPT=CUSTOMER_ID (got {pair!r}).")
        confirmed[receipt.strip().upper()] = int(customer)
    offered = {p["receipt_no"] for p in found.payments}
    if unknown := sorted(set(confirmed) - offered):
        raise DaftariError(f"{', '.join(unknown)}: no money in from a person with that receipt in this statement.")
    result = mpesa_import.import_statement(actor, found, confirmed)
    print(
        f"Imported {result['expenses']:,} expenses and {result['payments']:,} payments; "
        f"{result['already']:,} receipts were imported before."
    )
    for p in found.payments:
        if p["receipt_no"] not in confirmed:
            match = f" (looks like customer {p['customer_id']}, {p['customer']})" if p["customer_id"] else ""
            print(
                f"Not recorded: {p['receipt_no']} {p['paid_at']} {p['amount']} from {p['payer']} {p['phone']}{match}; "
                f"add --pay {p['receipt_no']}=CUSTOMER_ID to record it."
            )
    return 0


def import_expenses(args: argparse.Namespace) -> int:
    """The Import page's CSV/Excel expense import: columns guessed from the header, bad rows listed by line."""
    actor = mpesa_import.owner_of(args.shop)
    frame = imports.read_table(args.file, _read(args.file))
    mapping = imports.guess_mapping(list(frame.columns))
    cats = expenses.categories(actor)
    checked = imports.check_rows(actor, frame, mapping, dict(zip(cats["name"], cats["category_id"])))
    for bad in checked.bad:
        reason = bad["reason"] if bad["reason"].startswith("Line ") else f"Line {bad['line']}: {bad['reason']}"
        print(reason, file=sys.stdout if not args.all_or_nothing else sys.stderr)
    result = imports.import_rows(
        actor, checked, not args.no_new_categories, not args.keep_duplicates, args.all_or_nothing
    )
    print(
        f"Imported {result['imported']:,} expenses; skipped {result['skipped_duplicates']:,} already recorded "
        f"and {result['bad']:,} with problems."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one import; the exit status says whether it worked (2: the command line itself was wrong)."""
    parser = argparse.ArgumentParser(prog="./daftari import", description="Import a file into a shop's book.")
    sub = parser.add_subparsers(dest="kind", required=True)
    mpesa = sub.add_parser("mpesa", help="an M-Pesa full statement (.pdf, .csv or .xlsx)")
    mpesa.add_argument("file")
    mpesa.add_argument("--shop", type=int, required=True, help="the shop's number (its id)")
    mpesa.add_argument("--password", help="the statement's password (asked for on a terminal when left out)")
    mpesa.add_argument("--pay", action="append", default=[], metavar="RECEIPT=CUSTOMER_ID", help="record money in")
    spend = sub.add_parser("expenses", help="expenses from a .csv or .xlsx file (as on the Import page)")
    spend.add_argument("file")
    spend.add_argument("--shop", type=int, required=True, help="the shop's number (its id)")
    spend.add_argument("--all-or-nothing", action="store_true", help="import nothing when any row has a problem")
    spend.add_argument("--keep-duplicates", action="store_true", help="import rows that look already recorded")
    spend.add_argument("--no-new-categories", action="store_true", help="refuse categories the shop does not have")
    args = parser.parse_args(argv)
    try:
        startup.ensure_schema()
        return import_mpesa(args) if args.kind == "mpesa" else import_expenses(args)
    except DaftariError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a script reads one line, never a traceback
        print(f"error: the import failed ({type(exc).__name__}: {exc}).", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
