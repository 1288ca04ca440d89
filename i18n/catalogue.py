"""The Kiswahili catalogue's tooling, one command: `./daftari translations` (python -m i18n.catalogue).

extract: every t("..."), tn("...", "...", n) and N_("...") in the code, every message of the database's
         triggers (i18n/signals.py) and what the analysts' question files say (their headers), into
         i18n/locale/daftari.pot;
update:  i18n/locale/sw/LC_MESSAGES/daftari.po gains the new messages (untranslated) and loses the gone ones;
         translations already made are kept; no fuzzy guesses (a near match is often a wrong translation);
merge:   `--merge FILE.po ...` takes the translations of other .po files for messages the catalogue has;
compile: the .mo beside it, which the app loads (made again on its own when the .po is newer).
It prints how many messages there are and how many still lack Kiswahili (tests/test_i18n.py fails on any)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "i18n" / "locale"
TEMPLATE = LOCALE_DIR / "daftari.pot"
SOURCES = ("app.py", "pages", "ui", "duka", "db", "api", "i18n")
KEYWORDS = {"t": None, "N_": None, "tn": (1, 2)}


def po_path(code: str) -> Path:
    """The catalogue of a language (.po, kept in git)."""
    return LOCALE_DIR / code / "LC_MESSAGES" / "daftari.po"


def mo_path(code: str) -> Path:
    """Its compiled form (.mo, made from the .po)."""
    return po_path(code).with_suffix(".mo")


def extract() -> Catalog:
    """Every message of the code, with where it is used."""
    template = Catalog(project="Daftari", charset="utf-8")
    for source in SOURCES:
        path = ROOT / source
        found = (
            _extract_file(path)
            if path.is_file()
            else extract_from_dir(str(path), [("**.py", "python")], keywords=KEYWORDS, comment_tags=("i18n:",))
        )
        for filename, lineno, message, comments, context in found:
            where = (f"{source}/{filename}" if path.is_dir() else source, lineno)
            template.add(message, locations=[where], auto_comments=comments, context=context)
    for message, file, line, what in _question_messages():
        template.add(message, locations=[(file, line)], auto_comments=[what])
    return template


def _question_messages() -> list[tuple[str, str, int, str]]:
    """The analysts' questions speak through their files' headers (sql/queries/**): titles, descriptions, topics,
    parameters' labels and choices, columns' words (duka/question_files.messages)."""
    from duka import question_files

    return question_files.messages()


def _extract_file(path: Path):
    from babel.messages.extract import extract

    with path.open("rb") as handle:
        for lineno, message, comments, context in extract("python", handle, keywords=KEYWORDS):
            yield path.name, lineno, message, comments, context


def read(code: str) -> Catalog:
    """A language's catalogue (an empty one when there is none yet)."""
    path = po_path(code)
    if not path.exists():
        return Catalog(locale=code, project="Daftari", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=code)


def write(code: str, catalog: Catalog) -> None:
    """Write a language's catalogue whole (a temporary file moved into place), without source lines."""
    path = po_path(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".po.tmp")  # whole or not at all
    with tmp.open("wb") as handle:
        write_po(handle, catalog, width=120, no_location=True, sort_output=True, ignore_obsolete=True)
    tmp.replace(path)


def merge(catalog: Catalog, others: list[Path]) -> int:
    """Translations from other .po files for messages `catalog` has and has not translated; how many taken."""
    taken = 0
    for other in others:
        with other.open("rb") as handle:
            parts = read_po(handle)
        for message in parts:
            if not message.id or not message.string:
                continue
            mine = catalog.get(message.id)
            if mine is not None and (not mine.string or mine.string != message.string):
                mine.string = message.string
                mine.flags.discard("fuzzy")
                taken += 1
    return taken


def missing(catalog: Catalog) -> list[str]:
    """Message ids with no translation (or only a fuzzy one)."""
    out = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def compile_catalogue(code: str) -> Path:
    """Compile a language's .po into its .mo."""
    path = mo_path(code)
    _write_whole(read(code), path)
    return path


_COMPILING = threading.Lock()


def compile_if_stale(code: str) -> None:
    """Compile when the .mo is missing or older than the .po (a fresh clone, a translation just made)."""
    po, mo = po_path(code), mo_path(code)
    with _COMPILING:  # the threads of one server: the first compiles, the others find it fresh
        if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
            with po.open("rb") as handle:
                _write_whole(read_po(handle, locale=code), mo)


def _write_whole(catalog: Catalog, mo: Path) -> None:
    """The .mo written to a temporary file of its own, then moved into place in one step: two processes
    compiling at once each move a whole file, and a reader never sees half of one."""
    with tempfile.NamedTemporaryFile("wb", dir=mo.parent, prefix=f".{mo.name}.", suffix=".tmp", delete=False) as handle:
        try:
            write_mo(handle, catalog)
        except BaseException:
            handle.close()
            os.unlink(handle.name)
            raise
    os.chmod(handle.name, 0o644)  # readable by every account that serves the app, like the .po (not 0600)
    os.replace(handle.name, mo)


def main(argv: list[str] | None = None) -> int:
    """./daftari translations: extract, update, merge, compile, and say what is missing."""
    parser = argparse.ArgumentParser(prog="./daftari translations", description=__doc__.splitlines()[0])
    parser.add_argument("--merge", nargs="*", default=[], type=Path, help="other .po files to take translations from")
    args = parser.parse_args(argv)
    template = extract()
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as handle:
        write_po(handle, template, width=120, sort_output=True)
    catalog = read("sw")
    catalog.update(template, no_fuzzy_matching=True)
    taken = merge(catalog, args.merge)
    write("sw", catalog)
    compile_catalogue("sw")
    lacking = missing(catalog)
    print(
        f"{len(template)} messages; Kiswahili: {len(template) - len(lacking)} translated, {len(lacking)} missing"
        + (f"; {taken} taken from {len(args.merge)} file(s)" if args.merge else "")
    )
    for message in lacking[:20]:
        print(f"  missing: {message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
