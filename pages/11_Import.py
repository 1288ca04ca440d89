"""Import expenses from CSV or Excel (map columns, preview, see every problem by line, then import), or an M-Pesa
statement (PDF with its password, CSV or Excel): preview, confirm the payments, import all or nothing."""

import pandas as pd
import streamlit as st

from db.errors import DaftariError, InvalidInput
from duka import expenses, imports, mpesa_import, mpesa_statement
from ui import session
from ui.format import table
from ui.text import plain

actor = session.page("Import expenses", roles=("owner", "clerk"))
currency = session.shop()["currency"]


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
        raise InvalidInput("Choose the statement file first.")
    statement = mpesa_statement.read_statement(upload.name, upload.getvalue(), password or None)
    st.session_state["mpesa_kept"] = mpesa_import.preview(actor, statement)


def statement_preview(found: mpesa_import.Preview) -> None:
    """What the import would add, by line, and the payments to confirm one by one."""
    st.markdown(
        f"**{len(found.expenses):,}** expenses, **{len(found.payments):,}** payments from customers to confirm, "
        f"**{len(found.already):,}** imported before, **{len(found.left_out):,}** left out, "
        f"**{len(found.problems):,}** with problems."
    )
    if found.problems:
        st.dataframe(pd.DataFrame(found.problems), hide_index=True, column_config={"line": "Line", "reason": "Problem"})
    if found.expenses:
        labels = {"line": "Line", "receipt_no": "Receipt", "spent_on": "Date", "amount": "Amount"}
        table(
            pd.DataFrame(found.expenses),
            currency,
            labels | {"category": "Category", "description": "Details"},
            ("amount",),
        )
    if found.new_categories:
        st.warning(plain("New categories will be created: " + ", ".join(found.new_categories)))
    confirmed = {}
    for p in found.payments:
        said = f"Line {p['line']}: {currency} {p['amount']:,.2f} from {p['payer']} {p['phone']}".strip()
        if p["customer_id"] is None:
            st.caption(plain(f"{said} — no debtor matches; record it on the customer's page if it is theirs."))
        elif st.checkbox(
            plain(f"{said} — record as a payment by {p['customer']} (owes {currency} {p['balance']:,.2f})"),
            key=f"mpesa_confirm_{p['receipt_no']}",
        ):
            confirmed[p["receipt_no"]] = p["customer_id"]
    if found.left_out:
        with st.expander(f"Left out ({len(found.left_out):,})"):
            st.dataframe(pd.DataFrame(found.left_out), hide_index=True)
    if st.button("Import statement", type="primary", key="mpesa_go", disabled=bool(found.problems)):
        bar = st.progress(0.0, "Importing…")
        result = mpesa_import.import_statement(actor, found, confirmed, progress=bar.progress)
        st.session_state.pop("mpesa_kept", None)
        session.flash(
            f"Imported {result['expenses']:,} expenses and {result['payments']:,} payments; "
            f"{result['already']:,} were imported before."
        )


def rules_editor() -> None:
    """The owner's categorisation rules: tried from the top, the first whose pattern the Details match wins."""
    rules = pd.DataFrame(mpesa_import.rules(actor), columns=["pattern", "category"])
    st.caption(
        'A pattern matches Details text, upper or lower case; "*" stands for any text, as in '
        '"Pay Bill Online to * KPLC". Rows no rule matches go to Other.'
    )
    edited = st.data_editor(
        rules,
        num_rows="dynamic",
        hide_index=True,
        key="mpesa_rules_editor",
        column_config={"pattern": "Details contain", "category": "Category"},
    )
    if st.button("Save rules", key="mpesa_rules_save"):
        saved = mpesa_import.save_rules(actor, edited.fillna("").to_dict("records"))
        session.flash(f"Saved {saved} rules.")


expense_tab, mpesa_tab = st.tabs(["Expenses from CSV or Excel", "M-Pesa statement"])
with mpesa_tab, session.shown_errors():
    st.caption(
        "A Safaricom M-Pesa full statement: the PDF with the password Safaricom sent by SMS (typed each "
        "time, never kept), or the statement saved as CSV or Excel. Only Completed rows are imported; "
        "a receipt imported before is never imported again."
    )
    with st.form("mpesa_form", clear_on_submit=True):
        upload = st.file_uploader(
            "Statement", type=["pdf", "csv", "xlsx"], max_upload_size=imports.MAX_UPLOAD_MB, key="mpesa_file"
        )
        password = st.text_input("PDF password", type="password", key="mpesa_password")
        read = st.form_submit_button("Read statement", key="mpesa_read")
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
        with st.expander("Categorisation rules"):
            rules_editor()

with expense_tab:
    st.caption(
        "Columns needed: date, amount, category. Optional: payment mode, cashback, description. "
        "Dates like 2026-03-31 or 31/03/2026; amounts like 1,250.50 or 1.250,50. "
        f"CSV in UTF-8, UTF-16 or Windows-1252, or the first sheet of an Excel workbook. {imports.LIMITS}"
    )

    # A new key after each import empties the uploader, so the next file starts afresh.
    upload = st.file_uploader(
        "CSV or Excel file",
        type=["csv", "txt", "xlsx"],
        max_upload_size=imports.MAX_UPLOAD_MB,  # the server's own limit is server.maxUploadSize in config.toml
        key=f"import_file_{st.session_state.setdefault('import_round', 0)}",
    )
    if upload is None:
        st.session_state.pop("import_table", None)  # the file was removed: let its table go
    else:
        with session.shown_errors():
            frame = read_once(upload)
            st.caption(f"{len(frame):,} rows, {len(frame.columns)} columns. First rows:")
            preview = frame.head(5).reset_index()  # the index is each row's line in the file
            preview.attrs = {}  # what check_rows reads from attrs is not for the browser
            st.dataframe(
                preview,
                hide_index=True,
                width="stretch",
                placeholder="",
                column_config={"line": "Line"},
            )
            guessed = imports.guess_mapping(list(frame.columns))
            options = [None, *frame.columns]
            mapping = {
                field: st.selectbox(
                    f"Column for {field.replace('_', ' ')}",
                    options,
                    index=options.index(guessed[field]),
                    format_func=lambda column: "(none)" if column is None else str(column),
                    key=f"import_map_{field}",
                )
                for field in imports.FIELDS
            }
            cats = expenses.categories(actor)
            checked = imports.check_rows(actor, frame, mapping, dict(zip(cats["name"], cats["category_id"])))
            st.markdown(
                f"**{len(checked.good):,}** rows are good, **{len(checked.bad):,}** have problems, "
                f"**{len(checked.duplicates):,}** look already recorded."
            )
            if checked.bad:
                st.dataframe(
                    pd.DataFrame(checked.bad).head(500),
                    hide_index=True,
                    width="stretch",
                    column_config={"line": "Line", "reason": "Problem"},
                )
            if checked.new_categories:
                st.warning(plain("New categories will be created: " + ", ".join(checked.new_categories)))
            create = st.checkbox("Create the new categories", value=True, key="import_create")
            skip = st.checkbox("Skip rows that look already recorded", value=True, key="import_skip")
            strict = (
                st.radio(
                    "When some rows have problems", ["Import the good rows", "Import nothing"], key="import_strict"
                )
                == "Import nothing"
            )
            if st.button("Import", type="primary", key="import_go"):
                bar = st.progress(0.0, "Importing…")
                result = imports.import_rows(actor, checked, create, skip, strict, progress=bar.progress)
                st.session_state["import_round"] += 1
                st.session_state.pop("import_table", None)
                session.flash(
                    f"Imported {result['imported']:,} expenses; skipped {result['skipped_duplicates']:,} "
                    f"already recorded and {result['bad']:,} with problems."
                )
