"""Named SQL questions: pick one in the sidebar, set its parameters, get a table, a chart and downloads."""

from decimal import Decimal
from functools import partial

import plotly.express as px
import streamlit as st

from duka import exports, questions
from ui import format, params, session
from ui.text import chart_text, plain

actor = session.page("Analyst questions", roles=questions.ASKERS)
currency = session.shop()["currency"]
library = questions.library()

with st.sidebar:
    keys = [q.key for group in library.by_topic().values() for q in group]
    key = st.selectbox(
        "Question",
        keys,
        key="question_pick",
        format_func=lambda k: f"{library.questions[k].topic} · {library.questions[k].title}",
    )
    if library.refused:
        with st.expander(f"{len(library.refused)} question file(s) refused"):
            for name, reason in library.refused.items():
                st.caption(plain(f"{name}: {reason}"))

if key is None:  # every file was refused: the sidebar lists them with their reasons
    st.info("No question could be loaded; the sidebar lists the files refused and why.")
    st.stop()
question = library.questions[key]
st.subheader(question.title)  # the library's own text, reviewed with the SQL, not the shop's
st.caption(question.description)

with session.shown_errors():
    values = params.widgets(actor, question)
    fresh = question.cache and st.button("Refresh", key="question_refresh", help="Ask the database again now")
    answer = questions.ask(actor, question, values, fresh=bool(fresh))
    frame = answer.frame
    shown = frame.head(answer.shown)
    said = f"{len(frame):,} row(s) in {answer.seconds * 1000:.0f} ms"
    if question.cache:  # say how fresh a kept answer is; Refresh (above) asks the database again
        kept = "kept from earlier" if answer.cached else "just asked"
        said = f"{len(frame):,} row(s) as the database had them at {answer.asked_at:%H:%M:%S} ({kept}; kept up to "
        kept_for = f"{question.cache // 60} min" if question.cache >= 60 else f"{question.cache} s"
        said += f"{kept_for} unless the shop records something)"
    st.caption(said)
    chart = question.chart
    money = {c: format.money_column(c.replace("_", " "), currency) for c in question.money if c in frame}
    if not frame.empty and chart["type"] == "metric":
        value = frame.iloc[0][chart["value"]]
        shown_value = f"{currency} {value:,.2f}" if chart["value"] in question.money else f"{value}"
        st.metric(chart["value"].replace("_", " ").capitalize(), shown_value)
    elif not frame.empty and chart["type"] in ("bar", "line", "pie"):
        # Decimal as text: plotly reads numeric text as numbers, and no float ever touches the money. The shop's
        # own text (customers, products, categories, descriptions) escaped: Plotly would draw its HTML.
        plotted = shown.astype({c: str for c in shown.columns if shown[c].map(type).eq(Decimal).any()}).map(chart_text)
        if chart["type"] == "pie":
            figure = px.pie(plotted, names=chart["names"], values=chart["values"], height=340)
        else:
            draw = px.bar if chart["type"] == "bar" else px.line
            figure = draw(plotted, x=chart["x"], y=chart["y"], color=chart.get("color"), height=340)
        st.plotly_chart(figure, width="stretch")
    if answer.capped:
        st.info(f"Showing the top {answer.shown:,} of {len(frame):,} rows; the downloads have them all.")
    st.dataframe(shown, hide_index=True, width="stretch", column_config=money, placeholder="—")
    # The files are made only when a button is pressed (Streamlit runs the callable then, on a thread of its own):
    # building both on every rerun took 13.4 s for a 100,000-row answer. A press changes nothing on the page.
    left, right = st.columns(2)
    name = key.replace("/", "-")
    left.download_button(
        "Download CSV",
        partial(exports.to_csv, frame, currency),
        f"{name}.csv",
        "text/csv",
        key="question_csv",
        on_click="ignore",
    )
    right.download_button(
        "Download Excel",
        partial(exports.to_excel, frame, currency),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="question_xlsx",
        on_click="ignore",
    )
    with st.expander("SQL"):
        st.code(answer.sql, language="sql")
