"""Import expenses from CSV or Excel: map columns, preview, see every problem by line, then import."""

import pandas as pd
import streamlit as st

from duka import expenses, imports
from ui import session
from ui.text import plain

actor = session.page("Import expenses", roles=("owner", "clerk"))


def read_once(upload) -> pd.DataFrame:
    """The uploaded file read once: the reruns that follow (a column chosen, a box ticked) reuse the table."""
    kept = st.session_state.get("import_table")
    if kept is None or kept[0] != upload.file_id:
        kept = (upload.file_id, imports.read_table(upload.name, upload.getvalue()))
        st.session_state["import_table"] = kept
    return kept[1]


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
            st.radio("When some rows have problems", ["Import the good rows", "Import nothing"], key="import_strict")
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
