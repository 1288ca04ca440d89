"""Named SQL questions: pick one in the sidebar, set its parameters, get a table, a chart and downloads."""

from decimal import Decimal

import plotly.express as px
import streamlit as st

from duka import exports, questions
from duka.money import money
from i18n import N_, number, t, tn
from ui import answer_files, format, params, session
from ui.text import chart_text, plain

actor = session.page(N_("Analyst questions"), roles=questions.ASKERS)
currency = session.shop()["currency"]
library = questions.library()

with st.sidebar:
    # "Debts · Top debtors", said now (a format function may run outside this script run, as tests do)
    named = {q.key: f"{t(q.topic)} · {t(q.title)}" for group in library.by_topic().values() for q in group}
    key = st.selectbox(t("Question"), list(named), key="question_pick", format_func=named.get)
    if library.refused:
        with st.expander(t("{count} question file(s) refused", count=number(len(library.refused)))):
            for name in library.refused:
                st.caption(plain(f"{name}: {library.reason(name)}"))

if key is None:  # every file was refused: the sidebar lists them with their reasons
    st.info(t("No question could be loaded; the sidebar lists the files refused and why."))
    st.stop()
question = library.questions[key]
st.subheader(t(question.title))  # the library's own text, reviewed with the SQL, not the shop's
st.caption(t(question.description))

with session.shown_errors():
    values = params.widgets(actor, question)
    fresh = question.cache and st.button(t("Refresh"), key="question_refresh", help=t("Ask the database again now"))
    # Only the rows the page shows are read (and whether there are more); the downloads read every row when pressed.
    answer = questions.ask(actor, question, values, fresh=bool(fresh), shown_only=True)
    frame = params.labelled(answer.frame)  # the labels the SQL writes (weekdays, age buckets…) in the reader's words
    shown = frame.head(answer.shown)
    rows, ms = number(len(frame)), f"{answer.seconds * 1000:.0f}"
    said = t("{rows} row(s) in {ms} ms", rows=rows, ms=ms)
    if question.cache:  # say how fresh a kept answer is; Refresh (above) asks the database again
        kept_for = (
            t("{minutes} min", minutes=question.cache // 60)
            if question.cache >= 60
            else t("{seconds} s", seconds=question.cache)
        )
        kept = {"rows": rows, "time": f"{answer.asked_at:%H:%M:%S}", "kept_for": kept_for}
        if answer.cached:
            said = t(
                "{rows} row(s) as the database had them at {time} (kept from earlier; kept up to {kept_for} unless "
                "the shop records something)",
                **kept,
            )
        else:
            said = t(
                "{rows} row(s) as the database had them at {time} (just asked; kept up to {kept_for} unless the shop "
                "records something)",
                **kept,
            )
    st.caption(said)
    chart = question.chart
    headers = {c: params.heading(c, as_words=c in question.money) for c in frame.columns}
    columns = {
        c: format.money_column(label, currency) if c in question.money else st.column_config.Column(label)
        for c, label in headers.items()
        if c in question.money or label != c  # a plain column whose header is its name needs no label
    }
    if not frame.empty and chart["type"] == "metric":
        value = frame.iloc[0][chart["value"]]
        shown_value = money(value, currency) if chart["value"] in question.money else f"{value}"
        label = params.heading(chart["value"], as_words=True)
        st.metric(label[:1].upper() + label[1:], shown_value)
    elif not frame.empty and chart["type"] in ("bar", "line", "pie"):
        # Decimal as text: plotly reads numeric text as numbers, and no float ever touches the money. The shop's
        # own text (customers, products, categories, descriptions) escaped: Plotly would draw its HTML.
        plotted = shown.astype({c: str for c in shown.columns if shown[c].map(type).eq(Decimal).any()}).map(chart_text)
        # the axes, legend and hovers read the columns' headers (in English their SQL names, as always)
        axes = {c: params.heading(c) for c in plotted.columns}
        plotted = plotted.rename(columns=axes)

        def axis(named):
            return [axes[c] for c in named] if isinstance(named, list) else axes.get(named, named)

        if chart["type"] == "pie":
            figure = px.pie(plotted, names=axis(chart["names"]), values=axis(chart["values"]), height=340)
        else:
            draw = px.bar if chart["type"] == "bar" else px.line
            figure = draw(
                plotted,
                x=axis(chart["x"]),
                y=axis(chart["y"]),
                color=axis(chart.get("color")),
                height=340,
                labels={"value": t("value"), "variable": t("variable")},  # a chart of several columns names them so
            )
        st.plotly_chart(figure, width="stretch")
    if answer.capped:
        st.info(
            tn(
                "Showing the first row; there are more, and the downloads have them all.",
                "Showing the first {n} rows; there are more, and the downloads have them all.",
                answer.shown,
            )
        )
    st.dataframe(shown, hide_index=True, width="stretch", column_config=columns, placeholder="—")
    # The files are made only when a button is pressed (Streamlit runs the callable then, on a thread of its own):
    # building both on every rerun took 13.4 s for a 100,000-row answer. A press changes nothing on the page.
    left, right = st.columns(2)
    name = key.replace("/", "-")
    left.download_button(
        t("Download CSV"),
        answer_files.whole_file(actor, question, values, answer, exports.to_csv, currency),
        f"{name}.csv",
        "text/csv",
        key="question_csv",
        on_click="ignore",
    )
    right.download_button(
        t("Download Excel"),
        answer_files.whole_file(actor, question, values, answer, exports.to_excel, currency),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="question_xlsx",
        on_click="ignore",
    )
    with st.expander(t("SQL")):
        st.code(answer.sql, language="sql")
