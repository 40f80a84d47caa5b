"""Tables on screen and as CSV. Every download is neutralised against spreadsheet formula
injection: a text cell that starts with = + - @ (or a tab / carriage return) gets a leading
apostrophe, so Excel shows it as text instead of running it."""
from __future__ import annotations

from typing import Callable

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from components.formatting import EMPTY, file_period

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_PERIOD = "_export_period"


def neutralise_value(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell that a spreadsheet would read as a formula is made text."""
    safe = frame.copy()
    for column in safe.columns:
        if not (pd.api.types.is_object_dtype(safe[column]) or pd.api.types.is_string_dtype(safe[column])):
            continue
        safe[column] = safe[column].map(neutralise_value, na_action="ignore")
    safe.columns = [neutralise_value(str(column)) for column in safe.columns]
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel keeps accented names intact. CRLF line ends make the
    writer quote any value holding a bare CR, which a spreadsheet would otherwise read as a new row
    (whose first cell could start a formula)."""
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def set_export_period(date_from, date_to) -> None:
    """The period on screen (layout.header): every CSV downloaded in this run names its dates, as the
    meeting pack does, so this Monday's scorecard is not 'charter-scorecard (3).csv' beside last Monday's."""
    st.session_state[EXPORT_PERIOD] = file_period(date_from, date_to)


def forget_export_period() -> None:
    """At the start of every run (app.py): a page without the period on screen names none."""
    st.session_state.pop(EXPORT_PERIOD, None)


def download(frame: pd.DataFrame | Callable[[], pd.DataFrame], file_name: str, key: str,
             label: str = "Download CSV") -> None:
    """`frame`, or a callable that returns it: run only when the button is clicked."""
    rows = frame if callable(frame) else (lambda: frame)
    period = st.session_state.get(EXPORT_PERIOD)
    file_name = f"{file_name}-{period}" if period else file_name
    st.download_button(label, data=lambda: csv_bytes(rows()), file_name=f"{file_name}.csv", mime="text/csv",
                       key=f"download-{key}", icon=":material/download:", on_click="ignore", type="tertiary")


# Streamlit's grid draws rows 35 px high under a 35 px header, and on its own shows ten rows with the
# eleventh cut in half, which reads as a mistake under a chart that says "top 10 of 11".
ROW_PX = 35
MOST_ROWS_SHOWN = 15


def whole_rows_height(rows: int) -> int:
    """The height that shows every row of a short table (up to MOST_ROWS_SHOWN; more scroll)."""
    return ROW_PX * (min(max(rows, 1), MOST_ROWS_SHOWN) + 1) + 3


def figures_headed_right(styler: Styler) -> Styler:
    """A static table's header over a column of figures at the column's right, where Streamlit draws the
    figures: left-aligned, 'Met' stood over the blank before '17,304' and 'Target' beside '95%'. The
    header carries an inline text-align, which only an !important rule outranks."""
    figures = [column for column in styler.data.columns if pd.api.types.is_numeric_dtype(styler.data[column])]
    return styler.set_table_styles({column: [{"selector": "th", "props": "text-align: right !important"}]
                                    for column in figures}, overwrite=False)


def show_table(frame: pd.DataFrame, key: str, file_name: str, *, column_config: dict | None = None,
               height: int | str = "auto", formats: dict[str, Callable] | None = None,
               style: Callable[[Styler], Styler] | None = None,
               downloaded: Callable[[], pd.DataFrame] | None = None, wrap: bool = False,
               row_height: int | None = None, caption: str | None = None) -> None:
    """A table, what its columns mean (`caption`) right under it, and then its CSV download (the
    download keeps full precision). The grid shows
    the neutralised values too, so the grid's own download cannot carry a formula either. `formats`
    writes columns for people (components.formatting functions); `style` may colour cells.
    `downloaded`: what the download gives instead, where the screen shows less: every row where the grid
    shows the first ones, every column where a narrow table folds some together.
    `wrap`: a static table whose text wraps, for a few rows that must be seen whole at a projector's
    width (a grid scrolls its last columns out of view); its first column names the rows, a column of
    figures has its header at its right, and `column_config` does not apply. (A grid draws every
    header at the left on its canvas, whatever its column's alignment.)"""
    shown = neutralise(frame)
    if wrap:
        shown = shown.set_index(shown.columns[0])
    styler = shown.style
    if formats:
        styler = styler.format({column: f for column, f in formats.items() if column in shown.columns}, na_rep="-")
    if style:
        styler = style(styler)
    if wrap:
        st.table(figures_headed_right(styler))
    else:
        st.dataframe(styler if (formats or style) else shown, hide_index=True, column_config=column_config,
                     height=height, row_height=row_height, key=f"table-{key}", placeholder=EMPTY)
    if caption:
        st.caption(caption)
    download(downloaded or frame, file_name, key)
