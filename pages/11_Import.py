"""Import expenses from CSV or Excel (map columns, preview, see every problem by line, then import), or an M-Pesa
statement (PDF with its password, CSV or Excel): preview, confirm the payments, import all or nothing."""

import pandas as pd
import streamlit as st

from db.errors import DaftariError, InvalidInput
from duka import expenses, imports, mpesa_import, mpesa_statement
from duka.money import money
from i18n import N_, number, t
from ui import session
from ui.format import table
from ui.forms import shown_as
from ui.text import plain

actor = session.page(N_("Import expenses"), roles=("owner", "clerk"))
currency = session.shop()["currency"]
# The import's fields as its column pickers name them.
COLUMN_FOR = {
    "spent_on": N_("Column for spent on"),
    "amount": N_("Column for amount"),
    "category": N_("Column for category"),
    "payment_mode": N_("Column for payment mode"),
    "cashback": N_("Column for cashback"),
    "description": N_("Column for description"),
}
IMPORT_GOOD, IMPORT_NOTHING = N_("Import the good rows"), N_("Import nothing")


def read_once(upload) -> pd.DataFrame:
    """The uploaded file read once: the reruns that follow (a column chosen, a box ticked) reuse the table."""
    kept = st.session_state.get("import_table")
    if kept is None or kept[0] != upload.file_id:
        kept = (upload.file_id, imports.read_table(upload.name, upload.getvalue()))
        st.session_state["import_table"] = kept
    return kept[1]


def read_statement(upload, password: str) -> None:
    """The statement read and previewed once; only the preview is kept (the password is used and dropped)."""
    if upload is None:
        raise InvalidInput(t("Choose the statement file first."))
    statement = mpesa_statement.read_statement(upload.name, upload.getvalue(), password or None)
    st.session_state["mpesa_kept"] = mpesa_import.preview(actor, statement)


def statement_preview(found: mpesa_import.Preview) -> None:
    """What the import would add, by line, and the payments to confirm one by one."""
    st.markdown(
        t(
            "{expenses} expenses, {payments} payments from customers to confirm, {already} imported before, "
            "{left_out} left out, {problems} with problems.",
            expenses=f"**{number(len(found.expenses))}**",
            payments=f"**{number(len(found.payments))}**",
            already=f"**{number(len(found.already))}**",
            left_out=f"**{number(len(found.left_out))}**",
            problems=f"**{number(len(found.problems))}**",
        )
    )
    if found.problems:
        st.dataframe(
            pd.DataFrame(found.problems), hide_index=True, column_config={"line": t("Line"), "reason": t("Problem")}
        )
    if found.expenses:
        labels = {"line": t("Line"), "receipt_no": t("Receipt"), "spent_on": t("Date"), "amount": t("Amount")}
        table(
            pd.DataFrame(found.expenses),
            currency,
            labels | {"category": t("Category"), "description": t("Details")},
            ("amount",),
        )
    if found.new_categories:
        st.warning(plain(t("New categories will be created: {names}", names=", ".join(found.new_categories))))
    confirmed = {}
    for p in found.payments:
        said = t(
            "Line {line}: {amount} from {payer} {phone}",
            line=p["line"],
            amount=money(p["amount"], currency),
            payer=p["payer"],
            phone=p["phone"],
        ).strip()
        if p["customer_id"] is None:
            st.caption(
                plain(
                    t("{payment} — no debtor matches; record it on the customer's page if it is theirs.", payment=said)
                )
            )
        elif st.checkbox(
            plain(
                t(
                    "{payment} — record as a payment by {customer} (owes {balance})",
                    payment=said,
                    customer=p["customer"],
                    balance=money(p["balance"], currency),
                )
            ),
            key=f"mpesa_confirm_{p['receipt_no']}",
        ):
            confirmed[p["receipt_no"]] = p["customer_id"]
    if found.left_out:
        with st.expander(t("Left out ({count})", count=number(len(found.left_out)))):
            st.dataframe(
                pd.DataFrame(found.left_out),
                hide_index=True,
                column_config={"line": t("Line"), "receipt_no": t("Receipt"), "reason": t("Reason")},
            )
    if st.button(t("Import statement"), type="primary", key="mpesa_go", disabled=bool(found.problems)):
        bar = st.progress(0.0, t("Importing…"))
        result = mpesa_import.import_statement(actor, found, confirmed, progress=bar.progress)
        st.session_state.pop("mpesa_kept", None)
        session.flash(
            t(
                "Imported {expenses} expenses and {payments} payments; {already} were imported before.",
                expenses=number(result["expenses"]),
                payments=number(result["payments"]),
                already=number(result["already"]),
            )
        )


def rules_editor() -> None:
    """The owner's categorisation rules: tried from the top, the first whose pattern the Details match wins."""
    rules = pd.DataFrame(mpesa_import.rules(actor), columns=["pattern", "category"])
    st.caption(
        t(
            'A pattern matches Details text, upper or lower case; "*" stands for any text, as in '
            '"Pay Bill Online to * KPLC". Rows no rule matches go to Other.'
        )
    )
    edited = st.data_editor(
        rules,
        num_rows="dynamic",
        hide_index=True,
        key="mpesa_rules_editor",
        column_config={"pattern": t("Details contain"), "category": t("Category")},
    )
    if st.button(t("Save rules"), key="mpesa_rules_save"):
        saved = mpesa_import.save_rules(actor, edited.fillna("").to_dict("records"))
        session.flash(t("Saved {count} rules.", count=saved))


expense_tab, mpesa_tab = st.tabs([t("Expenses from CSV or Excel"), t("M-Pesa statement")])
with mpesa_tab, session.shown_errors():
    st.caption(
        t(
            "A Safaricom M-Pesa full statement: the PDF with the password Safaricom sent by SMS (typed each "
            "time, never kept), or the statement saved as CSV or Excel. Only Completed rows are imported; "
            "a receipt imported before is never imported again."
        )
    )
    with st.form("mpesa_form", clear_on_submit=True):
        upload = st.file_uploader(
            t("Statement"), type=["pdf", "csv", "xlsx"], max_upload_size=imports.MAX_UPLOAD_MB, key="mpesa_file"
        )
        password = st.text_input(t("PDF password"), type="password", key="mpesa_password")
        read = st.form_submit_button(t("Read statement"), key="mpesa_read")
    if read:  # the password is used for this one reading, then emptied (clear_fields) before the page is drawn again
        st.session_state.pop("mpesa_kept", None)
        try:
            read_statement(upload, password)
        except DaftariError as problem:
            st.session_state["mpesa_problem"] = str(problem)
        finally:
            password = ""
            session.clear_fields({"mpesa_password": ""})
        st.rerun()
    if problem := st.session_state.pop("mpesa_problem", None):
        st.error(plain(problem), icon=":material/error:")
    if (kept := st.session_state.get("mpesa_kept")) is not None:
        statement_preview(kept)
    if session.shop()["role"] == "owner":
        with st.expander(t("Categorisation rules")):
            rules_editor()

with expense_tab:
    st.caption(
        t(
            "Columns needed: date, amount, category. Optional: payment mode, cashback, description. "
            "Dates like 2026-03-31 or 31/03/2026; amounts like 1,250.50 or 1.250,50. "
            "CSV in UTF-8, UTF-16 or Windows-1252, or the first sheet of an Excel workbook. {limits}",
            limits=imports.limits(),
        )
    )

    # A new key after each import empties the uploader, so the next file starts afresh.
    upload = st.file_uploader(
        t("CSV or Excel file"),
        type=["csv", "txt", "xlsx"],
        max_upload_size=imports.MAX_UPLOAD_MB,  # the server's own limit is server.maxUploadSize in config.toml
        key=f"import_file_{st.session_state.setdefault('import_round', 0)}",
    )
    if upload is None:
        st.session_state.pop("import_table", None)  # the file was removed: let its table go
    else:
        with session.shown_errors():
            frame = read_once(upload)
            st.caption(
                t(
                    "{rows} rows, {columns} columns. First rows:",
                    rows=number(len(frame)),
                    columns=len(frame.columns),
                )
            )
            preview = frame.head(5).reset_index()  # the index is each row's line in the file
            preview.attrs = {}  # what check_rows reads from attrs is not for the browser
            st.dataframe(
                preview,
                hide_index=True,
                width="stretch",
                placeholder="",
                column_config={"line": t("Line")},
            )
            guessed = imports.guess_mapping(list(frame.columns))
            options = [None, *frame.columns]
            mapping = {
                field: st.selectbox(
                    t(COLUMN_FOR[field]),
                    options,
                    index=options.index(guessed[field]),
                    format_func=lambda column: t("(none)") if column is None else str(column),
                    key=f"import_map_{field}",
                )
                for field in imports.FIELDS
            }
            cats = expenses.categories(actor)
            checked = imports.check_rows(actor, frame, mapping, dict(zip(cats["name"], cats["category_id"])))
            st.markdown(
                t(
                    "{good} rows are good, {bad} have problems, {duplicates} look already recorded.",
                    good=f"**{number(len(checked.good))}**",
                    bad=f"**{number(len(checked.bad))}**",
                    duplicates=f"**{number(len(checked.duplicates))}**",
                )
            )
            if checked.bad:
                st.dataframe(
                    pd.DataFrame(checked.bad).head(500),
                    hide_index=True,
                    width="stretch",
                    column_config={"line": t("Line"), "reason": t("Problem")},
                )
            if checked.new_categories:
                st.warning(plain(t("New categories will be created: {names}", names=", ".join(checked.new_categories))))
            create = st.checkbox(t("Create the new categories"), value=True, key="import_create")
            skip = st.checkbox(t("Skip rows that look already recorded"), value=True, key="import_skip")
            strict = (
                st.radio(
                    t("When some rows have problems"),
                    [IMPORT_GOOD, IMPORT_NOTHING],
                    format_func=shown_as((IMPORT_GOOD, IMPORT_NOTHING)),
                    key="import_strict",
                )
                == IMPORT_NOTHING
            )
            if st.button(t("Import"), type="primary", key="import_go"):
                bar = st.progress(0.0, t("Importing…"))
                result = imports.import_rows(actor, checked, create, skip, strict, progress=bar.progress)
                st.session_state["import_round"] += 1
                st.session_state.pop("import_table", None)
                session.flash(
                    t(
                        "Imported {imported} expenses; skipped {skipped} already recorded and {bad} with problems.",
                        imported=number(result["imported"]),
                        skipped=number(result["skipped_duplicates"]),
                        bad=number(result["bad"]),
                    )
                )
