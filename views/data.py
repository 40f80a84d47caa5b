"""Data: upload a weekly export (preview, confirm, summary), map an unknown layout and save it as a
preset, see the upload history and undo a batch, read the audit log.

Viewers see the history and the audit log; every change checks the manager role at the moment it
is made (components.auth.manager_for_action), not only when the page was drawn.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

import duckdb
import streamlit as st

from charter.model import CharterError
from components import auth, context, formatting as fmt
from components.uploads import (
    HISTORY_NOTE, TABLE_LABELS, audit_frame, batch_label, encoding_label, file_headers, history_csv, history_frame,
    history_height, history_table, layout_label, mapping_editor, mapping_problem, preset_label, rejected_csv,
    show_prepared, show_rejected, starting_layout_note,
)
from store import db
from store.batches import AlreadyUndone, UnknownBatch, list_batches, rejected_rows, undo_batch
from store.csvfile import UploadRefused
from store.ingest import (
    LISTED_BAD_ROWS, DateFormatNeeded, PreparedUpload, TooManyBadRows, UploadResult, already_loaded, commit_upload,
    prepare_upload,
)
from store.presets import closest_preset, delete_preset, detect, find_preset, presets_for, save_preset, saved_presets
from store.tables import TABLES
from store.validation import DATE_FORMAT_LABELS, KIND_REASON

AUTO = "auto"
FLASH = "_data_flash"
PREPARED = "_data_prepared"          # the upload being previewed: {"key", "prepared", "error"}
RESULT = "_data_result"              # the last upload's UploadResult, shown until the next file
NONCE = "_data_uploader_nonce"       # a new uploader key empties the uploader after a load
DATE_QUESTION = "_data_date_question"  # (file id, message) of a file whose date order must be asked
PENDING_PRESET = "_data_pending_preset"
CONFIRM_UNDO = "_data_confirm_undo"

# What to do about a required column the file lacks. A customer list or a price list often comes as a
# snapshot with tenure in months and a Yes/No churn flag (the usual churn-study shape), no dates: no
# export setting gives it joined_at or period, two columns added in a spreadsheet do (the README says how).
NO_SUCH_COLUMN = {
    "contacts": "export the file again with that column (the helpdesk's or system's export settings choose the "
                "columns), then upload it.",
    **dict.fromkeys(("customers", "prices"), (
        "export the file again with that column from the CRM or billing system, then upload it. A snapshot that "
        "gives each customer's tenure (months as a customer) and a churn flag instead of dates can be given them "
        "in a spreadsheet: a join date = the snapshot date minus the tenure, a leaving date for those who left, a "
        "billing period for the prices (README, 'Customers and prices from a file without dates').")),
}


def _flash(kind: str, message: str) -> None:
    st.session_state.setdefault(FLASH, []).append((kind, message))


def _show_flash() -> None:
    """At the top of the page, where the next visit finds it; and as a toast, since the button
    that made it (Save preset, Undo) sits far down the page, where the rerun leaves the reader."""
    for kind, message in st.session_state.pop(FLASH, []):
        getattr(st, kind)(message)
        st.toast(message, icon=":material/task_alt:" if kind == "success" else ":material/info:")


def _charter():
    """The charter, or None while it cannot be used (the page still shows the history)."""
    try:
        return context.charter()
    except CharterError:
        return None


def _timezone() -> str:
    charter = _charter()
    return charter.schedule.timezone if charter else "Europe/London"


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


# ----------------------------------------------------------------------------- preparing an upload

def _feed(bar) -> Callable[[float, str], None]:
    """The store's progress(fraction, message) callback, drawn on a progress bar."""
    return lambda fraction, message: bar.progress(min(fraction, 1.0), text=message)


def _release_prepared() -> None:
    held = st.session_state.pop(PREPARED, None)
    if held and held["prepared"] is not None:
        held["prepared"].close()


def _prepare(con, table: str, uploaded, *, preset_name: str | None = None, preset=None,
             date_format: str | None, signature: object = None) -> PreparedUpload:
    """Validate the file once per choice of layout and date order; reruns reuse the result.
    Raises UploadRefused (DateFormatNeeded when the date order must be asked)."""
    key = (uploaded.file_id, table, preset_name, signature, date_format)
    held = st.session_state.get(PREPARED)
    if held and held["key"] == key:
        if held["error"] is not None:
            raise held["error"]
        return held["prepared"]
    _release_prepared()
    bar = st.progress(0.0, text="Checking the file")
    try:
        prepared = prepare_upload(con, table, uploaded.getvalue(), uploaded.name, preset_name=preset_name,
                                  preset=preset, date_format=date_format, charter=_charter(), progress=_feed(bar))
    except UploadRefused as error:
        st.session_state[PREPARED] = {"key": key, "prepared": None, "error": error}
        raise
    finally:
        bar.empty()
    st.session_state[PREPARED] = {"key": key, "prepared": prepared, "error": None}
    return prepared


def _date_order(file_id: str) -> str | None:
    """Ask day-first or month-first when this file's dates were found ambiguous (never guessed)."""
    question = st.session_state.get(DATE_QUESTION)
    if not question or question[0] != file_id:
        return None
    st.warning(question[1], icon=":material/calendar_month:")
    return st.radio("How does this file write its dates?", list(DATE_FORMAT_LABELS), index=None,
                    format_func=lambda order: DATE_FORMAT_LABELS[order].capitalize(), horizontal=True,
                    key=f"date_order_{file_id}")


def _ask_date_order(file_id: str, error: DateFormatNeeded) -> None:
    # on this page the answer is the radio below the question, not a command-line option
    asked = (file_id, error.asked_where(" below"))
    if st.session_state.get(DATE_QUESTION) == asked:
        return  # the question is on the page already, waiting for an answer (or another: the file refused it)
    st.session_state[DATE_QUESTION] = asked
    st.rerun()


# ----------------------------------------------------------------------------- actions (manager only)

def _load(con, prepared: PreparedUpload) -> None:
    who = auth.acting_manager("load data")
    if not who:
        return
    try:
        charter = context.charter()
    except CharterError as error:
        st.error(f"The charter file cannot be used, so contacts cannot be checked against it: {error}")
        return
    bar = st.progress(0.0, text="Saving rows")
    try:
        result = commit_upload(con, prepared, who, charter, progress=_feed(bar))
    except UploadRefused as error:
        st.error(f"The file was refused: {error}")
        return
    except duckdb.Error as error:
        st.error(f"The upload could not be saved ({_first_line(error)}). Nothing was changed; please try again.")
        return
    finally:
        bar.empty()
        _release_prepared()
    st.session_state[RESULT] = result
    st.session_state[NONCE] = st.session_state.get(NONCE, 0) + 1
    st.rerun()  # every page, the sidebar filters included, now reads the new data version


def _save_preset(con, table: str, choice, name: str, date_format: str | None) -> None:
    who = auth.acting_manager("save a preset")
    if not who:
        return
    try:
        preset = replace(choice.preset(table, name), date_format=date_format)
    except ValueError as error:
        st.error(str(error))
        return
    mapped = ", ".join(f"{column} <- '{headers[0]}'" for column, headers in preset.columns.items())
    rule = f"; complaint when '{preset.kind_rule.column}' is {'/'.join(preset.kind_rule.complaint)}" \
        if preset.kind_rule else ""
    rule += f"; ambiguous dates read {DATE_FORMAT_LABELS[date_format]}" if date_format else ""
    translated = sum(len(pairs) for pairs in preset.values.values())
    rule += f"; {fmt.plural(translated, 'value translation', 'value translations')}" if translated else ""
    try:
        with db.write_transaction(con) as cursor:
            replaced = save_preset(cursor, preset, who)
            db.record_audit(cursor, who, "replace preset" if replaced else "save preset",
                            f"preset '{preset.name}' for {table}: {mapped}{rule}")
    except ValueError as error:   # the name is another table's mapping: nothing was written
        st.error(str(error))
        return
    st.session_state[PENDING_PRESET] = preset.name
    _flash("success", f"Preset '{preset.name}' {'replaced' if replaced else 'saved'}. It is used for this file "
                      "below and offered for later uploads.")
    st.rerun()


def _undo(con, batch_id: int) -> None:
    who = auth.acting_manager("undo an upload")
    if not who:
        return
    try:
        message = undo_batch(con, batch_id, who, context.charter())
    except AlreadyUndone as error:
        # a double click: the first click's run undid it while this one waited; said plainly, and the
        # page drawn again so that the history and the question no longer show it as loaded
        st.session_state.pop(CONFIRM_UNDO, None)
        _flash("info", str(error))
        st.rerun()
    except (UnknownBatch, CharterError) as error:
        st.error(str(error))
        return
    except duckdb.Error as error:
        st.error(f"The undo could not be saved ({_first_line(error)}). Nothing was changed; please try again.")
        return
    st.session_state.pop(CONFIRM_UNDO, None)
    st.session_state.pop(RESULT, None)  # the last upload's summary may describe what was just undone
    _flash("success", message)
    st.rerun()


# ----------------------------------------------------------------------------- sections

def _show_result(result: UploadResult) -> None:
    if result.already_loaded:
        st.info(f"{fmt.literal(result.file_name)}: " + " ".join(result.notes), icon=":material/content_copy:")
        return
    st.success(f"Batch {result.batch_id}: **{fmt.literal(result.file_name)}** loaded into {result.table}, read as "
               f"{fmt.literal(layout_label(result.preset))}, {encoding_label(result.encoding)}.", icon=":material/task_alt:")
    columns = st.columns(4)
    for column, (label, value) in zip(columns, [("New rows", result.rows_new), ("Updated", result.rows_updated),
                                                 ("Unchanged", result.rows_unchanged),
                                                 ("Rejected", result.rows_rejected)]):
        column.metric(label, f"{value:,}")
    if result.rows_repeated:
        rule = "the later updated_at wins, else the row further down" if TABLES[result.table].has_updated_at else \
            "the row further down wins"
        st.caption(f"{fmt.plural(result.rows_repeated, 'row', 'rows')} {result.repeated_words} ({rule}): they count in "
                   "none of these.")
    for note in result.notes:
        st.info(fmt.literal(note), icon=":material/info:")
    if result.rows_rejected:
        show_rejected(result.rejected, f"rejected-rows-batch-{result.batch_id}",
                      f"{fmt.plural(result.rows_rejected, 'row was', 'rows were')} rejected; the other rows loaded.",
                      key=f"download_result_{result.batch_id}")


def _point_to_the_table_it_looks_like(con, table: str, headers: list[str]) -> None:
    """A Zendesk export of tickets picked as 'Prices' was only offered a prices mapping: a layout
    known for another kind of file is named before the mapping is asked for."""
    for other in TABLE_LABELS:
        recognised = detect(con, other, headers) if other != table else None
        if recognised:
            st.warning(f"These columns look like a {other} file ({preset_label(recognised)} layout), not {table}. If so, "
                       f"choose '{TABLE_LABELS[other]}' under 'What is in the file?' above.", icon=":material/swap_horiz:")
            return


def _mapping_section(con, table: str, uploaded, headers: list[str], preset, date_format: str | None) -> None:
    with st.container(key="map-columns-heading"):   # part of "Upload a weekly export" (h2); legible.css: h4's size
        st.markdown("### Map the file's columns")
    st.caption("Pick the file column that feeds each Charter Desk column. Save the mapping as a preset and "
               "the next export in the same layout is recognised by itself.")
    if preset is None:
        _point_to_the_table_it_looks_like(con, table, headers)
    start = preset or closest_preset(con, table, headers)
    if start.name != "canonical":
        st.caption(fmt.literal(starting_layout_note(start, headers, picked=preset is not None)))
    choice = mapping_editor(table, headers, start, key=f"map_{uploaded.file_id}_{table}",
                            suggest_similar_names=preset is None)
    if choice.missing_required:
        # the dead end a file without such a column leads to: nothing here can supply it
        st.info("Choose the file column for the required column(s): " + ", ".join(choice.missing_required) + ". "
                "If the file has none, no mapping can load it: " + NO_SUCH_COLUMN[table])
        return
    try:
        prepared = _prepare(con, table, uploaded, preset=choice.preset(table), date_format=date_format,
                            signature=choice.signature())
    except DateFormatNeeded as error:
        _ask_date_order(uploaded.file_id, error)
        return
    except UploadRefused as error:
        st.error(f"With this mapping the file is still refused: {error}")
        if isinstance(error, TooManyBadRows) and error.rejected["reason"].str.contains(KIND_REASON, regex=False).any():
            st.info("The column mapped to kind writes its own words for a contact's kind. Name the values that mean "
                    "a complaint under 'Complaints' above (the column then stays unmapped as kind), or translate them "
                    "under 'Value translations'. The mapping is all that needs changing: the file need not be "
                    "uploaded again.", icon=":material/lightbulb:")
        return
    previous = already_loaded(con, table, prepared.decoded.checksum)
    show_prepared(prepared, already_loaded_as=previous)
    name = st.text_input("Preset name", key=f"preset_name_{uploaded.file_id}", max_chars=60,
                         placeholder="e.g. helpdesk weekly export")
    if prepared.date_format:   # chosen above, settled by this file's dates, or the starting preset's
        st.caption(f"The preset also keeps the date order this file is read in, "
                   f"{DATE_FORMAT_LABELS[prepared.date_format]}, for files whose dates do not settle it themselves.")
    if st.button("Save preset and use it", type="primary", icon=":material/save:", key="save_preset"):
        _save_preset(con, table, choice, name, prepared.date_format)
    st.caption("Or, for a one-off file, load it with this mapping without keeping a preset:")
    _offer_load(con, prepared, previous, f"Load {prepared.rows_good:,} rows once, without saving the mapping",
                key="load_once", primary=False)


def _upload_section(con) -> None:
    st.header("Upload a weekly export")
    table = st.radio("What is in the file?", list(TABLE_LABELS), format_func=TABLE_LABELS.get, key="upload_table")
    # AppTest can set this uploader's files (at.file_uploader[0].set_value), so tests use the real widget.
    uploaded = st.file_uploader("Export file: CSV from Zendesk, Freshdesk, Zammad, osTicket or a spreadsheet",
                                key=f"upload_file_{st.session_state.get(NONCE, 0)}",
                                help="Comma or semicolon separated, UTF-8 or what Excel saves (Windows, Macintosh or MS-DOS CSV).")
    if uploaded is None:
        _release_prepared()
        if RESULT in st.session_state:
            _show_result(st.session_state[RESULT])
        return
    st.session_state.pop(RESULT, None)

    names = [AUTO] + [p.name for p in presets_for(con, table)]
    pending = st.session_state.pop(PENDING_PRESET, None)
    if pending in names:
        st.session_state[f"upload_preset_{table}"] = pending
        st.session_state[f"adjust_{uploaded.file_id}"] = False   # the mapping just saved is the file's layout now
    labels = {p.name: preset_label(p) for p in presets_for(con, table)} | {AUTO: "Detect from the column headers"}
    choice = st.selectbox("Column layout (preset)", names, format_func=labels.get, key=f"upload_preset_{table}")
    preset = None if choice == AUTO else find_preset(con, table, choice)
    date_format = _date_order(uploaded.file_id)
    adjusting = f"adjust_{uploaded.file_id}"
    if st.session_state.get(adjusting):   # switched on under a recognised file's layout (below)
        headers = file_headers(uploaded.getvalue())
        if headers:
            _adjust_switch(adjusting)
            _mapping_section(con, table, uploaded, headers, preset or detect(con, table, headers), date_format)
            return
    try:
        prepared = _prepare(con, table, uploaded, preset_name=None if choice == AUTO else choice,
                            date_format=date_format)
    except DateFormatNeeded as error:
        _ask_date_order(uploaded.file_id, error)
        return
    except UploadRefused as error:
        headers = file_headers(uploaded.getvalue())
        if headers and mapping_problem(con, table, headers, preset):
            unknown = (preset or detect(con, table, headers)) is None
            # the store's words are for the command line too ("map them on the Data page", a docs file)
            st.warning(f"This file's columns do not match a known {table} export. Map them below, once: saved as "
                       "a preset, the mapping recognises the next export in this layout by itself." if unknown
                       else str(error), icon=":material/table_edit:")
            _mapping_section(con, table, uploaded, headers, preset, date_format)
        else:
            said = isinstance(error, TooManyBadRows)   # its message says "nothing was loaded" itself
            st.error(f"The file was refused{'' if said else ', nothing was loaded'}: {error}", icon=":material/block:")
            if isinstance(error, TooManyBadRows):
                shown = len(error.rejected)
                show_rejected(error.rejected, f"bad-rows-{Path(uploaded.name).stem}",
                              f"Every bad row with its reason{f' (the first {shown:,})' if shown == LISTED_BAD_ROWS else ''}, "
                              "to fix the file from:", key="download_refused_rows")
        return

    detected = "Detected layout" if choice == AUTO else "Layout"
    st.success(f"{detected}: **{preset_label(prepared.preset)}**", icon=":material/table_view:")
    _adjust_switch(adjusting)
    previous = already_loaded(con, table, prepared.decoded.checksum)
    show_prepared(prepared, already_loaded_as=previous)
    _offer_load(con, prepared, previous, f"Load {prepared.rows_good:,} rows into {table}", key="load_upload")


def _adjust_switch(key: str) -> None:
    """Under a recognised layout (an unrecognised one gets the mapping editor by itself): the same
    editor, started from that layout."""
    st.toggle("Adjust the mapping (columns, complaint rule, value translations)", key=key,
              help="Start from this layout and change what it reads, for instance store the export's "
                   "'Web Widget' as the channel 'web'; save it as a preset for the next exports.")


def _offer_load(con, prepared: PreparedUpload, previous: int | None, label: str, *, key: str,
                primary: bool = True) -> None:
    """The load button, unless loading would change nothing (the same file again: `previous`, the
    batch it was loaded as; no good row)."""
    if previous is not None:
        # the warning at the top says what the file is; here, in the button's place, what to do instead
        st.info(f"No load button: loading the same file again would change nothing. To load it anew, undo "
                f"batch {previous} in the upload history below first.", icon=":material/content_copy:")
        return
    if prepared.rows_good == 0:
        st.error("No row of this file can be loaded. Fix the rejected rows and upload again.")
        return
    if st.button(label, type="primary" if primary else "secondary", icon=":material/upload:", key=key):
        _load(con, prepared)


def _history_section(con, manager: str | None) -> None:
    st.header("Upload history")
    batches = list_batches(con)
    if batches.empty:
        st.caption("No uploads yet.")
        return
    timezone = _timezone()
    st.caption(f"Times here and in the audit log are {timezone} time, the charter's time zone.")
    st.table(history_table(history_frame(batches, timezone)), height=history_height(len(batches)))
    st.caption(HISTORY_NOTE)
    # written when the button is clicked, not on every run of the page
    st.download_button("Download the upload history (CSV)", lambda: history_csv(batches, timezone), "upload-history.csv",
                       mime="text/csv", icon=":material/download:", key="download_history", on_click="ignore",
                       help="Every batch in full: rows new, updated and unchanged apart, the encoding read, the "
                            "file's whole checksum.")
    label = batch_label(batches)
    with_rejected = batches.loc[batches["rows_rejected"] > 0, "batch_id"].tolist()
    if with_rejected:
        left, right = st.columns([3, 2], vertical_alignment="bottom")
        batch_id = left.selectbox("Rejected rows of", with_rejected, format_func=label, key="rejected_of")
        # written when the button is clicked, like the history's: a batch's rejected rows can be thousands
        right.download_button("Download rejected rows (CSV)", lambda: rejected_csv(rejected_rows(con, batch_id)),
                              f"rejected-rows-batch-{batch_id}.csv", mime="text/csv", icon=":material/download:",
                              key="download_batch_rejected", on_click="ignore")
    if manager:
        _undo_controls(con, batches, label)
    else:
        st.caption("A manager can undo any upload here (sign in above).")


def _undo_controls(con, batches, label) -> None:
    loaded = batches.loc[batches["status"] == "loaded", "batch_id"].tolist()
    if not loaded:
        return
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    pick = left.selectbox("Undo an upload", loaded, format_func=label, index=None, key="undo_pick",
                          placeholder="Choose a batch")
    if right.button("Undo this batch…", icon=":material/undo:", key="undo_ask", disabled=pick is None):
        st.session_state[CONFIRM_UNDO] = pick
    pending = st.session_state.get(CONFIRM_UNDO)
    if pending not in loaded:
        return
    st.warning(f"Undo **{fmt.literal(label(pending))}**? Its rows are removed and every row it changed falls back to its "
               "newest version in the uploads still in force. The undo is recorded in the audit log.", icon=":material/warning:")
    yes, no, _ = st.columns([2, 1, 3])
    if yes.button(f"Yes, undo batch {pending}", type="primary", key="undo_yes"):
        _undo(con, pending)
    if no.button("Cancel", key="undo_cancel"):
        st.session_state.pop(CONFIRM_UNDO, None)
        st.rerun()


def _presets_section(con) -> None:
    """Saved mappings can be forgotten (a one-off file's, a helpdesk that changed its export)."""
    saved = saved_presets(con)
    if not saved:
        return
    with st.expander(f"Saved mappings ({len(saved)})", icon=":material/table_edit:"):
        left, right = st.columns([3, 2], vertical_alignment="bottom")
        name = left.selectbox("Saved mapping", [p.name for p in saved], index=None, key="preset_forget_pick",
                              format_func=lambda n: f"{n} ({next(p.table for p in saved if p.name == n)})",
                              placeholder="Choose a mapping")
        if right.button("Forget this mapping", icon=":material/delete:", key="preset_forget", disabled=name is None):
            _forget_preset(con, name)


def _forget_preset(con, name: str) -> None:
    who = auth.acting_manager("forget a preset")
    if not who:
        return
    with db.write_transaction(con) as cursor:
        table = delete_preset(cursor, name)
        if table:
            db.record_audit(cursor, who, "forget preset", f"preset '{name}' for {table}")
    _flash("success", f"Preset '{name}' forgotten; uploads loaded with it keep its name in the history.")
    st.rerun()


def _audit_section(con) -> None:
    st.header("Audit log")
    entries = audit_frame(db.audit_entries(con), _timezone())
    if entries.empty:
        st.caption("Nothing recorded yet: uploads, undos, saved presets and charter edits appear here.")
        return
    st.dataframe(entries, hide_index=True, width="stretch")


st.title("Data")
st.caption("Load the weekly helpdesk exports, check what they will change before they do, and undo any load.")
_show_flash()
connection = context.connection()
manager_name = auth.require_manager()
if manager_name:
    _upload_section(connection)
    _presets_section(connection)
_history_section(connection, manager_name)
_audit_section(connection)
