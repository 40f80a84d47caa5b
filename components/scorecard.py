"""The charter scorecard as a table: one row per promise with its compliance and RAG status. The
Compliance page shows it, and the Overview's download and the meeting pack carry the same rows
under the same names, so a figure reads alike wherever it is taken from."""
from __future__ import annotations

import pandas as pd

from charter.model import Charter
from components import formatting as fmt
from components.charts import RAG_COLOURS, RAG_TEXT
from components.labels import standard_label
from components.tiles import RAG_LABELS, provisional, rag_status, rag_text

FILE_NAME = "charter-scorecard"   # the CSV's name on every page that offers it
STATUS_CODES = {label: status for status, label in RAG_LABELS.items()}

# What the scorecard's columns mean, under it (a static table has no column tooltips). On screen a
# provisional status carries a mark (PROVISIONAL_MARK) that the note explains; the meeting pack spells it out.
PROVISIONAL_MARK = " *"
_COMPLIANCE = "Compliance = met / (met + missed)."
_PROVISIONAL = "5% or more of the contacts are still pending, so the share can still fall."
_COUNTS = "Pending: not yet due, not counted. Invalid: the clock stops before it starts; excluded."
NOTE = f"{_COMPLIANCE} Provisional: {_PROVISIONAL} {_COUNTS}"
NOTE_ON_SCREEN = f"{_COMPLIANCE} {fmt.literal(PROVISIONAL_MARK.strip())} Provisional: {_PROVISIONAL} {_COUNTS}"


def table(summary: pd.DataFrame, charter: Charter) -> pd.DataFrame:
    """standards_summary as a table people read: one row per promise with its RAG status."""
    rows = summary.set_index("standard_id")
    records = []
    for standard in charter.standards:
        row = rows.loc[standard.id]
        status = rag_status(row["compliance"], standard.target)
        records.append({
            "Promise": standard_label(standard), "Within": standard.promise,
            "Target": standard.target, "Compliance": fmt.plain(row["compliance"]), "Status": RAG_LABELS[status],
            "Provisional": "yes" if provisional(row["met"], row["missed"], row["pending"]) else "",
            "Met": int(row["met"]), "Missed": int(row["missed"]), "Pending": int(row["pending"]),
            "Invalid": int(row["invalid"]),
        })
    return pd.DataFrame(records)


def on_screen(scorecard: pd.DataFrame) -> pd.DataFrame:
    """The table as the page draws it, narrow enough for a 1024 px laptop with the sidebar open (a
    564 px box, where ten columns ran to 682 px and cut off Pending and Invalid): the promise reads
    as the charter writes it ('Acknowledgements within 1 working hour') and a provisional status
    carries PROVISIONAL_MARK instead of a column of its own. The download keeps every column."""
    shown = scorecard.drop(columns=["Within", "Provisional"])
    shown["Promise"] = scorecard["Promise"] + " within " + scorecard["Within"]
    shown["Status"] = scorecard["Status"] + scorecard["Provisional"].map(lambda marked: PROVISIONAL_MARK if marked else "")
    return shown


COUNTS = ("Met", "Missed", "Pending", "Invalid")
NUMBERS = ("Target", "Compliance", *COUNTS)   # right-aligned where a table lines figures up


def cell_text(row: pd.Series, column: str) -> str:
    """A figure of a scorecard row as people read it: the target as the charter writes it, the
    compliance never rounded up across the line it is judged against (fmt.EMPTY before any is
    judged), counts with thousands."""
    value = row[column]
    if column == "Target":
        return fmt.target(value)
    if column == "Compliance":
        return rag_text(value, row["Target"])
    return fmt.count(value)


def style(styler):
    """The figures as cell_text writes them and the status cell in its RAG colour."""
    colours = {RAG_LABELS[status]: (colour, RAG_TEXT[status]) for status, colour in RAG_COLOURS.items()}
    frame = styler.data
    # one format call per cell: a dict of formats would reset the columns it does not name. st.table
    # reads a cell as markdown, where a lone '-' (a compliance not judged yet) is an empty list item,
    # drawn as a dot: escaped, it shows as the dash it is.
    for row in frame.index:
        for column in NUMBERS:
            styler = styler.format(lambda _, figures=frame.loc[row], column=column: cell_text(figures, column),
                                   subset=([row], [column]), na_rep=fmt.literal(fmt.EMPTY))

    def status_cell(label) -> str:
        background, text = colours.get(label.removesuffix(PROVISIONAL_MARK), ("white", "inherit"))
        return f"background-color: {background}; color: {text}; font-weight: 600"

    # two thirds of Streamlit's side padding (0.375rem): the eight columns need some 500 px of the 564 px
    # a 1024 px laptop leaves beside the sidebar, the rest kept for a bigger company's longer counts
    narrow = [{"selector": cell, "props": "padding-left: 0.25rem; padding-right: 0.25rem"} for cell in ("th", "td")]
    return styler.map(status_cell, subset=["Status"]).set_table_styles(narrow, overwrite=False)
