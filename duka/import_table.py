"""What an import reads a file into: a header and rows of text, each row with its line in the file, kept within
limits that stop one upload from exhausting the server, and what reading found besides the rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from db.errors import InvalidInput
from i18n import number, t

MAX_UPLOAD_MB = 20  # .streamlit/config.toml: server.maxUploadSize = 20 (a test keeps the two equal)
MAX_BYTES = MAX_UPLOAD_MB * 1024 * 1024  # Streamlit's server counts a megabyte as 1024 * 1024 bytes
MAX_ROWS = 100_000
MAX_COLUMNS = 50
MAX_CELLS = 1_000_000  # filled cells: 100,000 rows of 10 columns


@dataclass(frozen=True)
class Findings:
    """Lines that could not be read (line, sentence), and per line the columns holding a formula without a value."""

    problems: tuple[tuple[int, str], ...] = ()
    unsaved_formulas: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    def __deepcopy__(self, memo: dict) -> Findings:
        return self  # pandas deep-copies a frame's attrs on every operation; these never change


class Table:
    """Rows of text as a file gives them; the first row holding any text is the header."""

    def __init__(self) -> None:
        self.header: list[str] | None = None
        self.rows: list[list[str]] = []
        self.lines: list[int] = []
        self.problems: list[tuple[int, str]] = []
        self.unsaved: dict[int, list[int]] = {}  # line -> 0-based columns of formulas without a saved value
        self.cells = 0

    def add(self, line: int, cells: list[str], unsaved: list[int] | None = None) -> None:
        """A row read from `line`; blank rows are skipped, and the caps are enforced as rows arrive."""
        if not unsaved and not any(c.strip() for c in cells):
            return
        if self.header is None:
            if len(cells) > MAX_COLUMNS:
                raise InvalidInput(
                    t(
                        "The header (line {line}) has {columns} columns; an import reads at most {limit} columns. "
                        "Delete the columns you do not need and upload the file again.",
                        line=line,
                        columns=number(len(cells)),
                        limit=MAX_COLUMNS,
                    )
                )
            self.header = cells
            return
        self._count(line, cells)
        self.rows.append(cells)
        self.lines.append(line)
        if unsaved:
            self.unsaved[line] = unsaved

    def problem(self, line: int, sentence: str) -> None:
        """A row that could not be read: it counts towards the limit and is reported, never imported."""
        self._count(line, [])
        self.problems.append((line, sentence))

    def _count(self, line: int, cells: list[str]) -> None:
        if len(self.rows) + len(self.problems) >= MAX_ROWS:
            raise InvalidInput(
                t(
                    "The file has more than {rows} rows; import at most {rows} at once (split the file).",
                    rows=number(MAX_ROWS),
                )
            )
        self.cells += sum(1 for c in cells if c)
        if self.cells > MAX_CELLS:
            raise InvalidInput(
                t(
                    "The file has more than {cells} filled cells (by line {line}); split it into smaller files, "
                    "or delete the columns you do not import.",
                    cells=number(MAX_CELLS),
                    line=line,
                )
            )

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame of text indexed by line ("line"), with the Findings in attrs["findings"]."""
        if self.header is None:
            raise InvalidInput(t("The file is empty."))
        if not self.rows and not self.problems:
            raise InvalidInput(t("The file has a header but no rows."))
        width = max([len(self.header), *(len(r) for r in self.rows)])
        names = _column_names(self.header + [""] * (width - len(self.header)))
        frame = pd.DataFrame(
            [r + [""] * (width - len(r)) for r in self.rows],
            columns=names,
            index=pd.Index(self.lines, name="line", dtype="int64"),
            dtype=str,
        )
        frame.attrs["findings"] = Findings(
            tuple(self.problems),
            {line: tuple(names[c] for c in columns) for line, columns in self.unsaved.items()},
        )
        return frame


def _column_names(header: list[str]) -> list[str]:
    """Header cells trimmed; an empty one named by position and a repeated one numbered, as pandas does."""
    names: list[str] = []
    for position, cell in enumerate(header):
        name = cell.strip() or t("Unnamed: {position}", position=position)
        base, n = name, 0
        while name in names:
            n += 1
            name = f"{base}.{n}"
        names.append(name)
    return names
