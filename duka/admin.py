"""The operator's account tools: ./daftari admin reset-password PHONE prints a one-time code (24 hours)."""

from __future__ import annotations

import argparse
import sys

from db import startup
from db.errors import DaftariError
from duka import recovery


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status says whether it worked."""
    parser = argparse.ArgumentParser(prog="./daftari admin", description="Daftari's account tools for the operator.")
    sub = parser.add_subparsers(dest="command", required=True)
    reset = sub.add_parser("reset-password", help="print a one-time code with which the account sets a new password")
    reset.add_argument("phone", help="the account's phone number, such as 0712345678 or +254712345678")
    args = parser.parse_args(argv)
    try:
        startup.ensure_schema()
        code = recovery.reset_code_from_operator(args.phone)
    except DaftariError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(code)
    print(
        "Give this code to the account's owner in person or by phone. On the login page, under 'Forgot password', "
        "they type their phone number, this code and a new password. It works once, for 24 hours; "
        "their other sessions end.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
