"""./daftari token create --phone PHONE --shop ID [--read-only] [--name NAME]: prints a new API token (once)."""

from __future__ import annotations

import argparse
import sys

import db  # noqa: F401  (first: the driver's C extension loads only before hashlib is imported)
from db import startup
from db.errors import DaftariError
from duka import tokens


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status says whether it worked."""
    parser = argparse.ArgumentParser(prog="./daftari token", description="Personal API tokens for Daftari's API.")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create", help="print a new API token for a member of a shop (shown once)")
    create.add_argument("--phone", required=True, help="the member's phone number, such as 0712345678")
    create.add_argument("--shop", required=True, type=int, help="the shop's id")
    create.add_argument("--read-only", action="store_true", help="the token may only read (GET)")
    create.add_argument("--name", default="Command line", help="what the token is for, shown on the tokens page")
    args = parser.parse_args(argv)
    try:
        startup.ensure_schema()
        token = tokens.create_for_phone(args.phone, args.shop, args.name, args.read_only)
    except DaftariError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(token)
    kind = "A read-only API token" if args.read_only else "An API token"
    print(
        f"{kind} for shop {args.shop}: it is shown this once and kept only as a hash. Send it as "
        "'Authorization: Bearer <token>'; revoke it on the API tokens page.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
