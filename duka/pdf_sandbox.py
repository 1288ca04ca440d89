"""The tables of an uploaded PDF, read by pdfplumber in a child process with hard limits: pdfminer decompresses
and lays out every content stream without bound (a few kilobytes can ask for gigabytes and minutes), so it never
runs inside the Streamlit server or the command line's own process.

The parent runs this file as a script (`python -I duka/pdf_sandbox.py`: isolated from the caller's environment,
which holds the database's secrets, with PATH alone; it imports only the standard library and pdfplumber, never
`db` or Streamlit, as tests/test_mpesa_statement.py checks), sends a JSON line (password,
limits) and then the PDF's bytes on stdin (never argv, which `ps` shows, and never a file), and reads one JSON answer
on stdout. The child limits itself before it reads a byte of the PDF: address space, a CPU budget per page and in
all, no core file, no file written; the parent adds a wall-clock timeout. Nothing here imports the project."""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys

MEMORY_BYTES = 1024**3  # address space of the child: a real statement needs a few hundred megabytes
PAGE_CPU_SECONDS = 5  # a real statement's page takes well under a tenth of a second
OPEN_CPU_SECONDS = 15  # starting Python, importing pdfplumber and opening (decrypting) the document
TOTAL_CPU_SECONDS = 60  # a 500-page statement takes about half a minute
WALL_SECONDS = 90  # a child that waits rather than computes (a loaded machine, swap)
MAX_PAGES = 500
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # the tables as JSON
_LIMITS_EXIT = 3  # the child's exit status when it ran out of memory before it could answer
_CHILD = os.path.abspath(__file__)


class Refused(Exception):
    """The PDF was not read; reason is one of: password (wrong or missing), unreadable (not a PDF), pages (more
    than max_pages; pages holds the count), rows (more than max_rows table rows), limits (memory or time)."""

    def __init__(self, reason: str, pages: int = 0):
        super().__init__(reason)
        self.reason = reason
        self.pages = pages


def read_tables(
    data: bytes, password: str | None, max_rows: int, max_pages: int = MAX_PAGES
) -> list[list[tuple[int, list[str]]]]:
    """Every table of every page, its rows numbered from 1 across the file in reading order, each cell a string
    ("" where pdfplumber found none); or Refused."""
    if b"%PDF-" not in data[:1024]:  # a PDF starts with its header (within the first 1024 bytes, says the spec)
        raise Refused("unreadable")
    request = json.dumps({"password": password or "", "max_rows": max_rows, "max_pages": max_pages}).encode()
    env = {k: os.environ[k] for k in ("PATH", "LD_LIBRARY_PATH") if k in os.environ}  # no secrets for the child
    child = subprocess.Popen(
        [sys.executable, "-I", _CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd="/",
        env=env,
    )
    try:
        out, err = child.communicate(request + b"\n" + data, timeout=WALL_SECONDS)
    except subprocess.TimeoutExpired:
        raise Refused("limits") from None
    finally:
        if child.poll() is None:  # the timeout, or the caller interrupted (Ctrl-C, a Streamlit rerun)
            child.kill()
            child.communicate()
    if child.returncode < 0 or child.returncode == _LIMITS_EXIT:  # killed: SIGXCPU, SIGKILL (hard limit), a crash
        raise Refused("limits")
    try:
        answer = json.loads(out)
    except ValueError:
        answer = None
    if child.returncode != 0 or not isinstance(answer, dict):
        tail = err.decode(errors="replace")[-2000:]
        raise RuntimeError(f"The PDF reader stopped without an answer (exit {child.returncode}): {tail}")
    if "refused" in answer:
        raise Refused(str(answer["refused"]), int(answer.get("pages", 0)))
    return [[(int(n), [str(c) for c in cells]) for n, cells in table] for table in answer["tables"]]


# --- the child ---------------------------------------------------------------------------------------------


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_budget(seconds: int) -> None:
    """From now, at most this many more CPU seconds (the kernel sends SIGXCPU, which ends the process); never past
    the total."""
    soft = min(math.ceil(_cpu_used()) + seconds, TOTAL_CPU_SECONDS)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, TOTAL_CPU_SECONDS + 1))  # the hard limit: SIGKILL


def _tables(data: bytes, password: str, max_rows: int, max_pages: int) -> dict:
    import io
    import itertools

    import pdfplumber
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.utils.exceptions import PdfminerException

    tables: list[list[tuple[int, list[str]]]] = []
    count = 0
    try:
        with pdfplumber.open(io.BytesIO(data), password=password) as pdf:
            pages = sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), max_pages + 1))
            if pages > max_pages:
                return {"refused": "pages", "pages": pages}
            for page in pdf.pages:
                _cpu_budget(PAGE_CPU_SECONDS)
                for table in page.extract_tables():
                    tables.append([(count + i, [c or "" for c in row]) for i, row in enumerate(table, 1)])
                    count += len(table)
                    if count > max_rows:
                        return {"refused": "rows"}
                page.close()  # its layout objects, cached by pdfplumber, are no longer needed
    except PdfminerException as exc:  # pdfplumber wraps whatever pdfminer raised, MemoryError too
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, MemoryError):
            raise MemoryError from None
        return {"refused": "password" if type(cause).__name__ == "PDFPasswordIncorrect" else "unreadable"}
    except MemoryError:
        raise
    except Exception:  # pdfminer raises what it likes on a malformed file (KeyError, TypeError, RecursionError)
        return {"refused": "unreadable"}
    return {"tables": tables}


def _child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # writes no file (stdout is a pipe)
    _cpu_budget(OPEN_CPU_SECONDS)
    import logging
    import warnings

    logging.disable(logging.CRITICAL)  # pdfminer warns per object: a crafted file would flood stderr
    warnings.simplefilter("ignore")
    answer_to = sys.stdout.buffer
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing but the answer reaches the parent's pipe
    request = json.loads(sys.stdin.buffer.readline(4096))
    data = sys.stdin.buffer.read()
    try:
        answer = _tables(data, request["password"], int(request["max_rows"]), int(request["max_pages"]))
        del data
        text = json.dumps(answer, ensure_ascii=False).encode()
        if len(text) > MAX_ANSWER_BYTES:
            text = b'{"refused": "limits"}'
    except MemoryError:
        text = b'{"refused": "limits"}'
    try:
        answer_to.write(text)
        answer_to.flush()
    except MemoryError:
        os._exit(_LIMITS_EXIT)


if __name__ == "__main__":
    _child()
