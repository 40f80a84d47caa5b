"""Widgets and plain-data helpers of the Data page: what an upload will do (mapping, preview,
rejected rows), the column-mapping editor for unknown layouts, the upload history and audit log.

Nothing here writes to the database; the page does that after checking the manager role.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from components import formatting as fmt
from components.tables import csv_bytes
from store.csvfile import UploadRefused, decode_upload
from store.ingest import PreparedUpload
from store.presets import KindRule, Preset, canonical_preset, custom_preset, detect, normalise_header, resolve
from store.tables import TABLES

TABLE_LABELS = {
    "contacts": "Contacts (tickets, enquiries and complaints)",
    "customers": "Customers (who joined and left when)",
    "prices": "Prices (what each customer paid per period)",
}
# The name a batch loaded with the editor's mapping, without saving it, keeps in the history.
UNSAVED_MAPPING = "unsaved mapping"
PRESET_LABELS = {
    "canonical": "Charter Desk columns (generic CSV)",
    "zendesk": "Zendesk", "freshdesk": "Freshdesk", "zammad": "Zammad", "osticket": "osTicket",
    # not "unsaved mapping (saved mapping)", which the summary of a one-off load said of itself
    UNSAVED_MAPPING: "a mapping made for this file (not saved)",
}
NOT_IN_FILE = "— not in the file —"


def preset_label(preset: Preset) -> str:
    return layout_label(preset.name)


def layout_label(preset_name: str) -> str:
    """A layout as the Data page names it: the vendor's name, ours, or a saved mapping's."""
    return PRESET_LABELS.get(preset_name, f"{preset_name} (saved mapping)")


def history_layout_label(preset_name: str) -> str:
    """A layout in the upload history's narrow column, in the page's words cut short: the vendor's
    name, 'Charter Desk' for its own columns, 'NAME (saved)' for a saved mapping."""
    if preset_name == "canonical":
        return "Charter Desk"
    if preset_name == UNSAVED_MAPPING:
        return "one-off mapping"
    return PRESET_LABELS.get(preset_name, f"{preset_name} (saved)")


def encoding_label(encoding: str) -> str:
    # A byte-order mark is how Excel's "CSV UTF-8" marks the text, and changes nothing a manager reads.
    return "UTF-8" if encoding == "UTF-8 with BOM" else encoding


# ----------------------------------------------------------------------------- downloads

def rejected_csv(rejected: pd.DataFrame) -> bytes:
    """Each rejected row's number, reason and cells, safe to open in a spreadsheet (csv_bytes)."""
    return csv_bytes(rejected.rename(columns={"row": "row_number"}))


# ----------------------------------------------------------------------------- the file's layout

def file_headers(data: bytes) -> list[str] | None:
    """The header row of an upload, or None when the file cannot be read as CSV at all."""
    try:
        decoded = decode_upload(data)
    except UploadRefused:
        return None
    shutil.rmtree(decoded.path.parent, ignore_errors=True)
    return decoded.headers


def mapping_problem(con, table: str, headers: list[str], preset: Preset | None) -> bool:
    """True when a refusal came from the column layout (no known preset, or required columns
    missing), which the mapping editor can fix; False for problems in the rows themselves."""
    chosen = preset or detect(con, table, headers)
    return chosen is None or bool(resolve(chosen, headers).missing_required)


def mapping_frame(prepared: PreparedUpload) -> pd.DataFrame:
    """Which file column feeds which canonical column, in the canonical table's order."""
    mapping, headers = prepared.mapping, prepared.decoded.headers
    rows = []
    for column in prepared.table.columns:
        source = headers[mapping.columns[column.name]] if column.name in mapping.columns else ""
        instead = []   # what is read, in order, on a row where the mapped cell is blank
        for position, _ in mapping.fallbacks.get(column.name, ()):
            instead.append(f"'{headers[position]}'")
            source = source or headers[position]
        if column.name in mapping.durations:
            position, unit = mapping.durations[column.name]
            instead.append(f"opened_at + '{headers[position]}' ({unit})")
            source = source or f"'{headers[position]}' ({unit} after opened_at)"
        how = f"or {' then '.join(instead)} when blank" if instead else ""
        if column.name == "kind" and mapping.kind_column is not None:
            rule = mapping.preset.kind_rule
            how = f"complaint when '{headers[mapping.kind_column]}' is {' / '.join(rule.complaint)}"
            source = source or headers[mapping.kind_column]
        translations = mapping.preset.values.get(column.name, {})
        if translations and column.name in mapping.columns:
            shown = [f"{source_value} → {value or '(blank)'}" for source_value, value in list(translations.items())[:3]]
            how = "reads " + ", ".join(shown) + (f" and {len(translations) - 3} more" if len(translations) > 3 else "")
        rows.append({"column": column.name + (" *" if column.required else ""),
                     "from file column": source or "—", "note": how})
    return pd.DataFrame(rows)


def unused_headers(prepared: PreparedUpload) -> list[str]:
    mapping = prepared.mapping
    used = mapping.used_positions()
    return [h for i, h in enumerate(prepared.decoded.headers) if i not in used and h]


def show_prepared(prepared: PreparedUpload, *, already_loaded_as: int | None) -> None:
    """What this upload will do: counts, notes, the mapping, the first rows, the rejected rows.
    `already_loaded_as`: the batch this exact file was loaded as (said first here, and again where the
    load button would be)."""
    good, rejected = prepared.rows_good, prepared.rows_rejected
    if already_loaded_as is not None:   # first, before counts that would read as rows to come
        st.warning(f"This exact file was already loaded as batch {already_loaded_as}: loading it again would "
                   "change nothing. Is it the week you meant to upload?", icon=":material/content_copy:")
    columns = st.columns(3)
    columns[0].metric("Rows in the file", f"{prepared.rows_in_file:,}")
    columns[1].metric("Rows that would load" if already_loaded_as is not None else "Rows that will load", f"{good:,}")
    columns[2].metric("Rows rejected", f"{rejected:,}")
    if good and already_loaded_as is None:
        stored, word = prepared.rows_for_stored_keys(), prepared.table.key_in_words
        if stored == good:
            st.info(f"Every row that will load is for a {word} already stored, so this file adds nothing new: it "
                    f"may update stored rows where it differs from them. Is it the file you meant to load?",
                    icon=":material/content_copy:")
        elif stored == 0:
            st.caption(f"Every row that will load is for a {word} not stored yet.")
        else:
            st.caption(f"Of these rows, {good - stored:,} {'is' if good - stored == 1 else 'are'} for a {word} not "
                       f"stored yet and {stored:,} for a {word} already stored (updated where the file differs).")
    for note in prepared.notes:   # notes quote the file and the charter: text, not markdown
        st.info(fmt.literal(note), icon=":material/info:")
    st.markdown("**Column mapping** — * marks a required column")
    st.dataframe(mapping_frame(prepared), hide_index=True, width="stretch")
    unused = unused_headers(prepared)
    if unused:
        st.caption("File columns not used: " + ", ".join(fmt.literal(u) for u in unused))
    table = prepared.table
    st.markdown("**First rows as they will be stored**" + (" (times in UTC)" if table.has_timestamps else ""))
    days = {c.name: st.column_config.DateColumn(c.name, format="YYYY-MM-DD") for c in table.columns if c.kind == "date"}
    st.dataframe(prepared.preview(10), hide_index=True, width="stretch", placeholder=fmt.EMPTY, column_config=days)
    if rejected:
        show_rejected(prepared.rejected(), f"rejected-rows-{Path(prepared.file_name).stem}",
                      f"{fmt.plural(rejected, 'row', 'rows')} will be rejected; the other rows load.")


# The row and its reason stay in view while the file's columns scroll beside them.
REJECTED_COLUMNS = {"row": st.column_config.NumberColumn("Row", format="%d", pinned=True),
                    "reason": st.column_config.TextColumn("Reason", pinned=True)}


def show_rejected(rejected: pd.DataFrame, file_stem: str, headline: str, key: str | None = None) -> None:
    st.warning(headline, icon=":material/rule:")
    st.dataframe(rejected.head(200), hide_index=True, width="stretch", column_config=REJECTED_COLUMNS,
                 placeholder="")   # a field the row does not have: nothing, as in the file
    st.download_button("Download the rejected rows (CSV)", rejected_csv(rejected), f"{file_stem}.csv",
                       mime="text/csv", icon=":material/download:", key=key or f"download_{file_stem}",
                       on_click="ignore")


# ----------------------------------------------------------------------------- mapping editor

@dataclass(frozen=True)
class MappingChoice:
    """What the manager chose in the editor: canonical column -> file header, a complaint rule and
    the value translations, on top of the preset it started from (whose date order it keeps)."""
    columns: dict[str, str]
    kind_rule: KindRule | None
    missing_required: list[str]
    start_from: Preset | None = None
    values: dict[str, dict[str, str]] = field(default_factory=dict)   # column -> {value in the file: stored as}

    def preset(self, table: str, name: str = UNSAVED_MAPPING) -> Preset:
        mapped = replace(custom_preset(name, table, self.columns, self.kind_rule), values=self.values)
        if self.start_from is None:
            return mapped
        return replace(mapped, durations=self.start_from.durations,
                       fallbacks=kept_fallbacks(self.start_from, self.columns), date_format=self.start_from.date_format)

    def signature(self) -> tuple:
        translations = tuple((column, tuple(sorted(pairs.items()))) for column, pairs in sorted(self.values.items()))
        return (tuple(sorted(self.columns.items())), self.kind_rule, self.start_from and self.start_from.name,
                translations)


def kept_fallbacks(start: Preset, columns: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """The starting layout's fallbacks of the columns still mapped to that layout's own header for
    them: Freshdesk's 'Closed time' stands in for a blank 'Resolved time', not for whatever other
    column the manager points resolved_at at (nor for a resolved_at left out of the mapping)."""
    return {column: alternatives for column, alternatives in start.fallbacks.items()
            if _same_header(columns.get(column), start.columns.get(column, ()))}


def _same_header(header: str | None, names: tuple[str, ...]) -> bool:
    return header is not None and normalise_header(header) in {normalise_header(name) for name in names}


def fallback_notes(start: Preset, columns: dict[str, str], headers: list[str]) -> list[str]:
    """What the starting layout reads where a mapped time is blank, kept or left out as the manager
    mapped that column, for the editor to say (only fallback columns this file has)."""
    present = {normalise_header(header) for header in headers}
    kept = kept_fallbacks(start, columns)
    notes = []
    for column, alternatives in start.fallbacks.items():
        mapped = columns.get(column)
        readers = [name for name in alternatives if normalise_header(name) in present and not _same_header(mapped, (name,))]
        if not readers:
            continue
        read = " then ".join(f"'{name}'" for name in readers)
        own = start.columns[column][0] if start.columns.get(column) else column
        where = f"mapped to '{mapped}'" if mapped else "not mapped"
        if column in kept:
            notes.append(f"{column}: where '{mapped}' is blank, {read} is read instead (the {preset_label(start)} "
                         f"layout's rule). Choose another column for {column} to leave this rule out.")
        else:
            notes.append(f"{column}: the {preset_label(start)} layout reads {read} where its '{own}' is blank; "
                         f"{column} is {where}, so that rule is left out and a blank stays blank.")
    return notes


TRANSLATION_COLUMNS = ("column", "in the file", "stored as")


# Each table's example names columns it has (a customers file has no channel).
TRANSLATION_EXAMPLES = {
    "contacts": ("the export's 'Web Widget' as the channel 'web'", "channel, team or partner"),
    "customers": ("the file's 'Bband' as the product 'Broadband'", "product, segment or region"),
    "prices": ("the file's 'Bband' as the product 'Broadband'", "product or channel"),
}


def translatable_columns(table: str) -> list[str]:
    """The columns whose values a mapping may translate: names and categories, not ids, times or amounts."""
    return [c.name for c in TABLES[table].columns if c.kind in ("text", "lower_text", "kind", "csat")
            and not c.name.endswith("_id")]


def translations_frame(values: dict[str, dict[str, str]]) -> pd.DataFrame:
    """A preset's value translations as the editor's rows."""
    rows = [(column, source, target) for column, pairs in values.items() for source, target in pairs.items()]
    return pd.DataFrame(rows, columns=list(TRANSLATION_COLUMNS), dtype="object")


def translations_from(rows: pd.DataFrame, table: str) -> dict[str, dict[str, str]]:
    """The editor's rows as a preset's translations: a row without a column or a value in the file is
    left out (still being typed); the file's value is matched whatever its case, as presets match;
    a blank 'stored as' stores the cell empty (an export's 'not offered' rating)."""
    values: dict[str, dict[str, str]] = {}
    for column, source, target in _translation_rows(rows, table):
        values.setdefault(column, {})[source] = target
    return values


def translation_conflicts(rows: pd.DataFrame, table: str) -> list[str]:
    """The file's values the editor's rows translate twice, to different names ("channel 'web' as 'web'
    and as 'portal'"): the lower row wins, which a manager who added a row at the foot may not mean."""
    targets: dict[tuple[str, str], list[str]] = {}
    for column, source, target in _translation_rows(rows, table):
        named = targets.setdefault((column, source), [])
        if target not in named:
            named.append(target)
    return [f"{column} '{source}' as " + " and as ".join(f"'{target}'" for target in named)
            for (column, source), named in targets.items() if len(named) > 1]


def _translation_rows(rows: pd.DataFrame, table: str):
    """(column, the file's value as the upload matches it, the name stored) of each complete row."""
    allowed = set(translatable_columns(table))
    for column, source, target in rows[list(TRANSLATION_COLUMNS)].itertuples(index=False):
        if column not in allowed or not isinstance(source, str) or not source.strip():
            continue
        # lower(), not casefold(): the upload compares DuckDB's lower() of the cell ('Straße' stays 'straße')
        yield column, source.strip().lower(), target.strip() if isinstance(target, str) else ""


def emptied_values(values: dict[str, dict[str, str]]) -> list[str]:
    """The translations that store a value empty ("channel 'n/a'"), named under the editor: a row whose
    'stored as' is not typed yet blanks that value in the preview and in the load."""
    return [f"{column} '{source}'" for column, pairs in values.items() for source, target in pairs.items() if not target]


def starting_layout_note(start: Preset, headers: list[str], *, picked: bool) -> str:
    """What the mapping editor starts from (a vendor's layout the manager picked, or the closest to
    the file), what of it the file lacks, and what of it the mapping keeps."""
    found = resolve(start, headers)
    lost = [f"{column} (the layout's '{start.columns[column][0]}')"
            for column in found.missing_required if start.columns.get(column)]
    kept = ["its translations of values (such as channel and priority names, listed below)"]
    if start.kind_rule and found.kind_column is None:
        # without it every contact would load as an enquiry: name it, as a required column is named
        lost.append(f"its complaint column '{start.kind_rule.column}' (choose it below, or every contact "
                    "loads as an enquiry)")
    elif start.kind_rule:
        kept.append("its complaint rule")
    return (f"Started from the {preset_label(start)} layout{'' if picked else ', the closest to this file'}"
            + (f", which does not find {'; '.join(lost)}" if lost else "")
            + f": {' and '.join(kept)} come with the mapping.")


def loose_name(header: str) -> str:
    """A name whatever its case and its separators: customerID, Customer Id, customer-id and
    CUSTOMER.ID all read 'customerid', as customer_id does."""
    return re.sub(r"[\s_.\-]+", "", header.replace("\ufeff", "")).casefold()


def similar_name_suggestions(table: str, headers: list[str], taken: set[int]) -> dict[str, int]:
    """Charter Desk columns -> the position of the one file header that is its name written another
    way, for the editor to pre-fill (never to load unasked: detection keeps the spec's matching). A
    header in `taken` (what the starting layout found) or alike to another suggests nothing."""
    positions: dict[str, list[int]] = {}
    for position, header in enumerate(headers):
        if header and position not in taken:
            positions.setdefault(loose_name(header), []).append(position)
    suggestions = {}
    for column in TABLES[table].columns:
        alike = positions.get(loose_name(column.name), [])
        if len(alike) == 1:
            suggestions[column.name] = alike[0]
    return suggestions


def mapping_editor(table: str, headers: list[str], start_from: Preset | None, key: str, *,
                   suggest_similar_names: bool = False) -> MappingChoice:
    """A selectbox per canonical column listing the file's headers, preselected with what the
    starting preset (or Charter Desk's own names) finds; required columns marked. For a layout
    nothing recognised, `suggest_similar_names` also preselects a header that is a column's name
    written another way (customerID for customer_id), and says so for the manager to check."""
    start = start_from or canonical_preset(table)
    found = resolve(start, headers)
    suggested = {}
    if suggest_similar_names:
        taken = found.used_positions()
        suggested = {column: position for column, position in similar_name_suggestions(table, headers, taken).items()
                     if column not in found.columns and column not in found.fallbacks
                     and column not in found.durations}
    key = f"{key}_{start.name}"   # another starting preset starts the editor afresh, not from the old picks
    # a column without a name (Excel's empty ones, left out of the upload) is no column to pick
    options = [NOT_IN_FILE] + [header for header in headers if header]
    chosen: dict[str, str] = {}
    canonical = TABLES[table]
    grid = st.columns(3)
    for number, column in enumerate(canonical.columns):
        label = f"{column.name} *" if column.required else column.name
        default = found.columns.get(column.name, suggested.get(column.name))
        value = grid[number % 3].selectbox(
            label, options, index=_option_index(headers, default), key=f"{key}_{column.name}",
            help="Required" if column.required else "Optional: leave it out if the file has no such column",
        )
        if value != NOT_IN_FILE:
            chosen[column.name] = value
    if suggested:   # the file's headers: text, not markdown
        st.caption("Chosen for you by a name like the column's, check each: " + fmt.literal(", ".join(
            f"{column} ← '{headers[position]}'" for column, position in suggested.items())) + ".")
    for note in fallback_notes(start, chosen, headers):   # the file's headers: text, not markdown
        st.caption(fmt.literal(note))
    kind_rule = None
    if table == "contacts":
        st.markdown("**Complaints** (optional): which file column marks a contact as a complaint?")
        left, right = st.columns(2)
        rule = start.kind_rule if found.kind_column is not None else None
        kind_column = left.selectbox("Column", options, key=f"{key}_kind_column",
                                     index=_option_index(headers, None if rule is None else found.kind_column))
        words = right.text_input("Values that mean complaint (comma separated)", key=f"{key}_kind_values",
                                 value=", ".join(rule.complaint) if rule else "",
                                 placeholder="Complaint, formal complaint")
        values = tuple(v.strip().lower() for v in words.split(",") if v.strip())   # as the upload lower()s the cell
        if kind_column != NOT_IN_FILE and values:
            # the preset's way of matching (whole cell or any tag) stays while its column and words do
            same_rule = (rule is not None and normalise_header(kind_column) == normalise_header(rule.column)
                         and values == rule.complaint)
            kind_rule = KindRule(kind_column, values, rule.match if same_rule else "value")
            chosen.pop("kind", None)  # the rule decides kind; an enquiry is anything else
        elif kind_column != NOT_IN_FILE:
            st.caption("Type the values that mean complaint to use this column.")
        elif "kind" not in chosen:
            # nothing else tells: the preview's kind column reads 'enquiry' in every row, and once loaded the
            # complaint promises and the Complaints page miss this file's complaints without a word
            st.warning("No column is chosen to say which contacts are complaints, so every contact in this file "
                       "loads as an enquiry. Choose the file's column for kind above, or its complaint column and "
                       "values here; if the export has none, the helpdesk can add one.", icon=":material/warning:")
    example, counted = TRANSLATION_EXAMPLES[table]
    st.markdown(f"**Value translations** (optional): a value of the file stored under another name, such as "
                f"{example}, so that one {counted} is not counted as two. Type into the empty last row to add one. "
                "Matched whatever its case; a blank 'stored as' leaves the cell empty.")
    edited = st.data_editor(
        translations_frame(start.values), key=f"{key}_values", num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "column": st.column_config.SelectboxColumn("column", options=translatable_columns(table), required=True),
            "in the file": st.column_config.TextColumn("in the file", required=True),
            "stored as": st.column_config.TextColumn("stored as"),
        })
    translations = translations_from(edited, table)
    conflicts = translation_conflicts(edited, table)
    if conflicts:
        st.warning("Translated twice: " + fmt.literal("; ".join(conflicts)) + ". The lower row is used; delete "
                   "the other to keep it.", icon=":material/warning:")
    emptied = emptied_values(translations)
    if emptied:
        st.caption("Stored empty: " + fmt.literal(", ".join(emptied)) + ". Type a 'stored as' to keep the value.")
    missing = [c for c in canonical.required if c not in chosen]
    return MappingChoice(chosen, kind_rule, missing, start_from, translations)


def _option_index(headers: list[str], position: int | None) -> int:
    """The mapping editor's option for the file's column at `position` (0, not in the file, for None):
    the options list the named columns only."""
    return 0 if position is None else 1 + sum(1 for header in headers[:position] if header)


# ----------------------------------------------------------------------------- history and audit

def local_times(series: pd.Series, timezone: str) -> pd.Series:
    converted = pd.to_datetime(series, utc=True).dt.tz_convert(timezone)
    return converted.dt.strftime("%Y-%m-%d %H:%M").where(series.notna(), "")


def history_frame(batches: pd.DataFrame, timezone: str) -> pd.DataFrame:
    """The upload history as a manager reads it at a glance (times in the charter's time zone): what
    was loaded, when, by whom, whether it still stands and how many rows loaded and were rejected.
    The rest of each batch is in `history_csv`."""
    if batches.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        "batch": batches["batch_id"],
        "file": batches["file_name"],
        "into": batches["table_name"],
        "loaded": local_times(batches["loaded_at"], timezone),
        "by": batches["loaded_by"],
        "layout": batches["preset"].map(history_layout_label),
        "status": _batch_status(batches, timezone),   # before the counts: an undone batch shows at a glance
        "rows": [f"{loaded:,} loaded · {rejected:,} rejected"
                 for loaded, rejected in zip(batches["rows_loaded"], batches["rows_rejected"])],
    })


def history_csv(batches: pd.DataFrame, timezone: str) -> bytes:
    """Every batch in full, for the rarer question the history's columns leave out: the rows new,
    updated and unchanged apart, the encoding read, the file's whole checksum."""
    return csv_bytes(pd.DataFrame({
        "batch": batches["batch_id"], "file": batches["file_name"], "into": batches["table_name"],
        "loaded": local_times(batches["loaded_at"], timezone), "by": batches["loaded_by"],
        "layout": batches["preset"].map(layout_label), "encoding": batches["encoding"],
        "status": _batch_status(batches, timezone),
        "rows in file": batches["rows_in_file"], "loaded rows": batches["rows_loaded"], "new": batches["rows_new"],
        "updated": batches["rows_updated"], "unchanged": batches["rows_unchanged"],
        "rejected": batches["rows_rejected"], "checksum (SHA-256)": batches["checksum"],
    }))


def _batch_status(batches: pd.DataFrame, timezone: str) -> pd.Series:
    return batches["status"].where(
        batches["status"] != "undone",
        "undone by " + batches["undone_by"].fillna("?") + " on " + local_times(batches["undone_at"], timezone),
    )


# The history is a static table whose text wraps, not a grid: at 1280 px with the sidebar open a grid's
# columns have 818 px between them, and at any fixed widths a manager's name ("Siobhan Fitzgerald-Mbeki",
# up to 80 characters) and an undone batch's "undone by ... on ..." were cut, as were long file names.
# Wrapped, every cell is read whole at any width; what the columns mean is said under it.
HISTORY_NOTE = ("layout: the layout the file was read in (a helpdesk's export, Charter Desk's own columns, or a "
                "saved mapping). status: loaded, or undone (by whom and when); an undone batch's rows are no longer "
                "in the tables. rows: rows loaded (new, updated or unchanged) and rejected. The history's CSV has "
                "each count apart, the encoding read and the file's checksum.")
# How each column's text wraps. Text that may run long breaks anywhere when it must (a file name of
# underscores has no space to break at), in a column at least as wide as most whole words it holds
# ("contacts_upload.csv" was cut to "contacts_upload.cs" and "v"); the time stays on one line, where a
# break at its hyphens read as three values. The least widths and the time add up, with the cells'
# padding, to well under the 818 px the table has at 1280 px with the sidebar open: past it, the table
# scrolled sideways.
HISTORY_WRAPPING = {"file": "overflow-wrap: anywhere; min-width: 9.5em",
                    "by": "overflow-wrap: anywhere; min-width: 6.5em",
                    "status": "overflow-wrap: anywhere; min-width: 7.5em",
                    "layout": "overflow-wrap: anywhere; min-width: 5em",
                    "loaded": "white-space: nowrap"}
# Past this many batches the table scrolls inside this height, under its header, rather than running
# down the page over the undo controls and the audit log.
HISTORY_ROWS_IN_VIEW, HISTORY_HEIGHT = 12, 520


def history_table(shown: pd.DataFrame) -> Styler:
    """`history_frame` for st.table: its text escaped (a static table reads markdown, and a file named
    week_45_final.csv or a name typed as **Ann** would lose characters), index hidden, and long text
    allowed to break where it has no space."""
    escaped = shown.copy()
    for column in escaped.columns:
        if column != "batch":
            escaped[column] = escaped[column].map(lambda v: fmt.EMPTY if fmt.is_empty(v) or v == "" else fmt.literal(v))
    columns = list(escaped.columns)
    rules = [{"selector": f"td.col{columns.index(column)} p", "props": props}
             for column, props in HISTORY_WRAPPING.items() if column in columns]
    return escaped.style.hide(axis="index").set_table_styles(rules, overwrite=False)


def history_height(rows: int) -> int | str:
    return "content" if rows <= HISTORY_ROWS_IN_VIEW else HISTORY_HEIGHT


def batch_label(batches: pd.DataFrame) -> Callable[[int], str]:
    # An undone batch's rows are no longer in the tables, though its rejected rows can still be looked at.
    names = {row.batch_id: f"Batch {row.batch_id} · {row.file_name} ({row.table_name}, {row.rows_loaded:,} rows loaded"
                           f"{', since undone' if row.status == 'undone' else ''})"
             for row in batches.itertuples()}
    return lambda batch_id: names.get(batch_id, f"Batch {batch_id}")


def audit_frame(entries: pd.DataFrame, timezone: str) -> pd.DataFrame:
    if entries.empty:
        return entries
    return pd.DataFrame({"when": local_times(entries["happened_at"], timezone), "who": entries["user_name"],
                         "action": entries["action"], "detail": entries["detail"]})
