"""A customer's statement for a period: the figures, and the PDF, CSV and WhatsApp text a shop sends them, in the
language of the person who makes them (dates by Babel, money by money()).

Voided sales and payments stay in Statement.entries (flagged, with their reason, moving no balance) so a screen
can show them, but the PDF, the CSV and the summary leave them out: a customer reads only what counts. A write-off
is a line of its own (kind "Write-off") with its amount in a column of its own, shown only when the period has
one: what the shop gave up is never shown, nor counted, as paid."""

from __future__ import annotations

import csv
import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import phonenumbers
from fpdf import FPDF
from fpdf.fonts import FontFace

import i18n
from db.errors import InvalidInput, NotFound
from duka.book import payment_details, shops_offset_seconds
from duka.clock import today, written_day
from duka.exports import defuse
from duka.members import Actor, shop_rows
from duka.money import CENT, money
from duka.reminders import pay_to_line, whatsapp_link
from i18n import N_, t

log = logging.getLogger(__name__)

ZERO = Decimal("0.00")
SEE = N_("see statements")
_JOINERS = "\u200d\ufe0e\ufe0f"  # zero-width joiner, text and emoji presentation selectors
DETAILS_MAX = 100  # characters of a PDF row's details: at most three lines, then an ellipsis
# Where a Unicode TTF lives (any name, any script): Debian/Ubuntu's fonts-dejavu-core first.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu: fonts-dejavu-core
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
    Path("/usr/share/fonts/dejavu"),  # Alpine, older Fedora
    Path("/usr/share/fonts/TTF"),  # Arch: ttf-dejavu
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / "Library/Fonts",  # macOS with Homebrew's font-dejavu
)


@dataclass(frozen=True)
class StatementEntry:
    """One sale, payment or write-off on a statement, with the balance after it (a voided one, or a reversed
    write-off, moves nothing)."""

    day: date
    kind: str  # "Sale", "Payment" or "Write-off"
    details: str  # the product; for a payment "M-Pesa QK12AB34CD for Sugar 2kg" (in the reader's language)
    charge: Decimal
    paid: Decimal
    balance: Decimal
    voided: bool = False
    void_reason: str | None = None
    written_off: Decimal = ZERO


@dataclass(frozen=True)
class Statement:
    """What a customer owed at the start of a period, each entry in it oldest first, and what they owe at its end."""

    shop_name: str
    shop_phone: str | None  # E.164, the shop's first owner's
    currency: str
    customer_name: str
    customer_phone: str | None  # E.164
    start: date
    end: date
    opening_balance: Decimal
    entries: tuple[StatementEntry, ...]
    closing_balance: Decimal
    generated_on: date
    pay_to: str = ""  # "Pay to Paybill 522533, account 1042." when the shop has set its Paybill

    @property
    def counted(self) -> tuple[StatementEntry, ...]:
        """The entries that count: what the customer's documents show."""
        return tuple(e for e in self.entries if not e.voided)

    @property
    def total_sales(self) -> Decimal:
        """Credit sales in the period, voided ones left out."""
        return sum((e.charge for e in self.counted), ZERO)

    @property
    def total_paid(self) -> Decimal:
        """Payments in the period, voided ones left out."""
        return sum((e.paid for e in self.counted), ZERO)

    @property
    def total_written_off(self) -> Decimal:
        """Write-offs in the period, reversed ones left out."""
        return sum((e.written_off for e in self.counted), ZERO)

    @property
    def has_write_offs(self) -> bool:
        """Whether a write-off counts in the period: only then do the CSV and the PDF have its column."""
        return any(e.kind == "Write-off" for e in self.counted)


# --- the figures ---------------------------------------------------------------------------------


def _details(row: dict) -> str:
    if row["kind"] == "Sale":
        return row["product"]
    if row["kind"] == "Write-off":
        return t("Written off: {product}", product=row["product"])
    return payment_details(row["method"], row["reference"], row["product"])


def where_to_pay(actor: Actor, customer_id: int) -> str:
    """'Pay to Paybill …, account N.' for a reminder to this customer, or '' before the owner sets a Paybill."""
    found = shop_rows(actor, "statement_parties", SEE, customer_id=customer_id)
    return pay_to_line(found[0]["paybill"], found[0]["account_no"]) if found else ""


def statement(actor: Actor, customer_id: int, start: date | None = None, end: date | None = None) -> Statement:
    """A customer's statement from start (their first entry) to end (today); NotFound for another shop's customer."""
    found = shop_rows(actor, "statement_parties", SEE, customer_id=customer_id)
    if not found:
        raise NotFound(t("No such customer in this shop."))
    parties = found[0]
    end = end or today()
    start = start or min(parties["first_day"] or end, end)
    if start > end:
        raise InvalidInput(t("The statement's start date is after its end date."))
    params = {"customer_id": customer_id, "start": start}
    opening = shop_rows(actor, "statement_opening_balance", SEE, **params)[0]["opening_balance"]
    opening = Decimal(opening).quantize(CENT)
    balance, entries = opening, []
    # The running balance is summed here, in Decimal, from the opening: closing = opening + sales - payments
    # - write-offs exactly.
    for row in shop_rows(actor, "statement_entries", SEE, end=end, offset_seconds=shops_offset_seconds(), **params):
        voided = bool(row["voided"])
        if not voided:
            balance += row["charge"] - row["paid"] - row["written_off"]
        entries.append(
            StatementEntry(
                day=row["entry_date"],
                kind=row["kind"],
                details=_details(row),
                charge=row["charge"],
                paid=row["paid"],
                balance=balance,
                voided=voided,
                void_reason=row["void_reason"],
                written_off=row["written_off"],
            )
        )
    return Statement(
        shop_name=parties["shop_name"],
        shop_phone=parties["shop_phone"],
        currency=parties["currency"],
        customer_name=parties["customer_name"],
        customer_phone=parties["customer_phone"],
        start=start,
        end=end,
        opening_balance=opening,
        entries=tuple(entries),
        closing_balance=balance,
        generated_on=today(),
        pay_to=pay_to_line(parties["paybill"], parties["account_no"]),
    )


# --- words for people ----------------------------------------------------------------------------


def long_date(day: date) -> str:
    """'1 Oct 2026', '1 Okt 2026': the reader's month names (Babel), whatever the server's locale."""
    return i18n.day(day)


def short_period(start: date, end: date) -> str:
    """'1 Oct – 22 Nov 2026', '1 Dec 2025 – 22 Jan 2026', or one day."""
    if start == end:
        return long_date(end)
    if start.year == end.year:
        return f"{written_day(start, 'd MMM')} – {long_date(end)}"
    return f"{long_date(start)} – {long_date(end)}"


def _closing_words(s: Statement) -> str:
    if s.closing_balance > 0:
        return t("Balance due: {amount}", amount=money(s.closing_balance, s.currency))
    if s.closing_balance < 0:
        return t("In credit: {amount}", amount=money(-s.closing_balance, s.currency))
    return t("Nothing owed")


def display_phone(phone: str | None) -> str:
    """'+254 712 345 678' from E.164; '' for none."""
    if not phone:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(phone), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return phone


def statement_summary(s: Statement) -> str:
    """A short plain text for WhatsApp: shop, customer, period, opening, sales, paid, written off (when something
    was) and what is due."""
    due = s.closing_balance
    figures = {
        "shop": s.shop_name,
        "customer": s.customer_name,
        "period": short_period(s.start, s.end),
        "opening": money(s.opening_balance, s.currency),
        "sales": money(s.total_sales, s.currency),
        "paid": money(s.total_paid, s.currency),
    }
    if s.total_written_off:
        figures["written_off"] = money(s.total_written_off, s.currency)
        summary = _summary_written_off(due, s.currency, figures)
    elif due > 0:
        summary = t(
            "{shop} — statement for {customer}, {period}: opening {opening}, sales {sales}, paid {paid}, "
            "balance due {due}.",
            due=money(due, s.currency),
            **figures,
        )
    elif due < 0:
        summary = t(
            "{shop} — statement for {customer}, {period}: opening {opening}, sales {sales}, paid {paid}, "
            "in credit {credit}.",
            credit=money(-due, s.currency),
            **figures,
        )
    else:
        summary = t(
            "{shop} — statement for {customer}, {period}: opening {opening}, sales {sales}, paid {paid}, nothing owed.",
            **figures,
        )
    pay_to = f"{s.pay_to} " if s.pay_to and due > 0 else ""
    thanks = t("Thank you.")  # outside the f-string, where the catalogue's extractor finds it
    return f"{summary} {pay_to}{thanks}"


def _summary_written_off(due: Decimal, currency: str, figures: dict) -> str:
    """The summary's sentence when something was written off in the period: its own figure, never in paid."""
    if due > 0:
        return t(
            "{shop} — statement for {customer}, {period}: opening {opening}, sales {sales}, paid {paid}, "
            "written off {written_off}, balance due {due}.",
            due=money(due, currency),
            **figures,
        )
    if due < 0:
        return t(
            "{shop} — statement for {customer}, {period}: opening {opening}, sales {sales}, paid {paid}, "
            "written off {written_off}, in credit {credit}.",
            credit=money(-due, currency),
            **figures,
        )
    return t(
        "{shop} — statement for {customer}, {period}: opening {opening}, sales {sales}, paid {paid}, "
        "written off {written_off}, nothing owed.",
        **figures,
    )


def statement_whatsapp_link(s: Statement) -> str | None:
    """A wa.me link carrying the summary to the customer's phone; None when they have no phone."""
    return whatsapp_link(s.customer_phone, statement_summary(s)) if s.customer_phone else None


def statement_filename(s: Statement, extension: str) -> str:
    """'statement-wanjiku-nandu-2026-10-01-to-2026-11-22.pdf' ('taarifa-…-hadi-….pdf'): plain ASCII, safe in
    any download."""
    ascii_name = unicodedata.normalize("NFKD", s.customer_name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-") or t("customer")
    name = t(
        "statement-{name}-{start}-to-{end}",
        name=slug,
        start=s.start.isoformat(),
        end=s.end.isoformat(),
    )
    return f"{name}.{extension}"


# --- the CSV -------------------------------------------------------------------------------------


def _headings(s: Statement) -> list[str]:
    """The table's headings, the CSV's and the PDF's: the currency's code names the columns ('Sale (KES)'); a
    'Written off' column only when the period has a write-off."""
    return [
        t("Date"),
        t("Details"),
        t("Sale ({currency})", currency=s.currency),
        t("Paid ({currency})", currency=s.currency),
        *([t("Written off ({currency})", currency=s.currency)] if s.has_write_offs else []),
        t("Balance ({currency})", currency=s.currency),
    ]


def _figures(s: Statement, charge: object, paid: object, written_off: object) -> list:
    """A row's money columns before its balance: sale, paid, and written off when the statement has the column."""
    return [charge, paid, written_off] if s.has_write_offs else [charge, paid]


def statement_csv(s: Statement) -> bytes:
    """The statement for a spreadsheet: UTF-8 with a BOM, human headings, opening and closing rows, no formulas."""
    out = io.StringIO()
    writer = csv.writer(out)
    rows = [
        _headings(s),
        [s.start, t("Opening balance"), *_figures(s, "", "", ""), s.opening_balance],
        *(
            [e.day, e.details, *_figures(s, e.charge or "", e.paid or "", e.written_off or ""), e.balance]
            for e in s.counted
        ),
        [
            s.end,
            t("Closing balance"),
            *_figures(s, s.total_sales, s.total_paid, s.total_written_off),
            s.closing_balance,
        ],
    ]
    # Dates as ISO and amounts as plain numbers so a spreadsheet reads them as such; text can never run as a formula.
    writer.writerows([defuse(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")  # Excel reads the BOM as UTF-8


# --- the PDF -------------------------------------------------------------------------------------


def _unicode_font() -> tuple[Path, Path] | None:
    """DejaVu Sans and its bold (or the regular twice) from the first place that has it."""
    for folder in FONT_DIRS:
        regular = folder / "DejaVuSans.ttf"
        if regular.is_file():
            bold = folder / "DejaVuSans-Bold.ttf"
            return regular, bold if bold.is_file() else regular
    return None


class _StatementPDF(FPDF):
    """An A4 page with the statement's footer; text passes through printable() first."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        fonts = _unicode_font()
        if fonts:
            self.add_font("DejaVu", "", str(fonts[0]))
            self.add_font("DejaVu", "B", str(fonts[1]))
            self.face = "DejaVu"
            self.glyphs = set(self.fonts["dejavu"].cmap)
        else:
            log.warning("No DejaVuSans.ttf found (apt install fonts-dejavu-core): statement PDFs use Helvetica")
            self.core_fonts_encoding = "windows-1252"  # Ñ, é, –, … and ’ still print
            self.face = "Helvetica"
            self.glyphs = None

    def has(self, ch: str) -> bool:
        """Whether the font can draw this character."""
        if self.glyphs is not None:
            return ord(ch) in self.glyphs
        try:
            ch.encode("windows-1252")
        except UnicodeEncodeError:
            return False
        return True

    def printable(self, text: str) -> str:
        """The text with each character the font cannot draw (an emoji, most often) shown as one □ (? in Helvetica).

        fpdf2 would leave a missing glyph blank and log it; a joined emoji (👩🏽‍🍳: woman, skin tone, joiner,
        cooking) becomes a single placeholder, as a phone shows it as a single picture."""
        missing = "□" if self.glyphs is not None else "?"
        out, in_emoji, joined = [], False, False
        for ch in text:
            if ch in _JOINERS or 0x1F3FB <= ord(ch) <= 0x1F3FF:  # joiner, variation selectors, skin tones
                joined = joined or ch == "\u200d"
                if not in_emoji and self.has(ch):
                    out.append(ch)
            elif self.has(ch):
                out.append(ch)
                in_emoji = joined = False
            elif unicodedata.category(ch) in ("Cf", "Mn", "Me"):
                continue  # invisible or combining marks the font lacks: nothing to show
            elif in_emoji and joined:
                joined = False  # the next part of a joined emoji, already shown
            else:
                out.append(missing)
                in_emoji, joined = True, False
        return "".join(out)

    def say(self, text: str, size: float = 10, bold: bool = False, gap: float = 0) -> None:
        """One paragraph of the page's top or bottom, wrapped to the page's width."""
        self.set_font(self.face, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.printable(text), new_x="LMARGIN", new_y="NEXT")
        if gap:
            self.ln(gap)

    def footer(self) -> None:
        """Who made the statement and when, and the page number, on every page."""
        self.set_y(-12)
        self.set_font(self.face, "", 8)
        self.set_text_color(110)
        page = t("Page {page} of {pages}", page=self.page_no(), pages="{nb}")  # fpdf2 writes the count for {nb}
        self.cell(0, 5, self.printable(self.footer_text) + f" · {page}", align="C")
        self.set_text_color(0)


def _amount(value: Decimal) -> str:
    return f"{value:,.2f}"


def _cut(text: str, limit: int = DETAILS_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def statement_pdf(s: Statement) -> bytes:
    """The statement as an A4 PDF: shop, customer, period, a table of entries with the running balance, what is due."""
    footer = t(
        "{shop} — statement for {customer} — generated {day} by Daftari",
        shop=s.shop_name,
        customer=s.customer_name,
        day=long_date(s.generated_on),
    )
    pdf = _StatementPDF(footer)
    pdf.set_title(t("Statement for {customer}", customer=s.customer_name))
    pdf.set_author(s.shop_name)
    pdf.set_creator("Daftari")
    pdf.add_page()
    pdf.say(t("Statement"), size=20, bold=True, gap=3)
    pdf.say(s.shop_name, size=13, bold=True)
    if s.shop_phone:
        pdf.say(t("Phone: {phone}", phone=display_phone(s.shop_phone)))
    pdf.ln(4)
    pdf.say(t("Customer: {name}", name=s.customer_name), bold=True)
    if s.customer_phone:
        pdf.say(t("Phone: {phone}", phone=display_phone(s.customer_phone)))
    pdf.say(t("Period: {start} – {end}", start=long_date(s.start), end=long_date(s.end)))
    pdf.say(t("Opening balance: {amount}", amount=money(s.opening_balance, s.currency)), gap=4)

    pdf.set_font(pdf.face, "", 9)
    pdf.set_draw_color(190)
    widths = (24, 48, 26, 26, 26, 30) if s.has_write_offs else (25, 62, 29, 29, 35)
    with pdf.table(
        col_widths=widths,
        text_align=("LEFT", "LEFT", *("RIGHT",) * (len(widths) - 2)),
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
        line_height=4.6,
        padding=(1, 1.5),
        repeat_headings=1,
    ) as table:
        table.row(_headings(s))
        table.row([long_date(s.start), t("Opening balance"), *_figures(s, "", "", ""), _amount(s.opening_balance)])
        for e in s.counted:
            figures = [_amount(value) if value else "" for value in _figures(s, e.charge, e.paid, e.written_off)]
            table.row([long_date(e.day), pdf.printable(_cut(e.details)), *figures, _amount(e.balance)])
        totals = [_amount(value) for value in _figures(s, s.total_sales, s.total_paid, s.total_written_off)]
        table.row([long_date(s.end), t("Totals"), *totals, _amount(s.closing_balance)], style=FontFace(emphasis="BOLD"))
    pdf.ln(5)
    pdf.say(_closing_words(s), size=13, bold=True)
    return bytes(pdf.output())
