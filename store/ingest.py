"""One upload = one batch (spec section 4): decode, map, validate set-wise, then write atomically.

The Data page and `python cli.py load` both go through `prepare_upload` then `commit_upload`, so
a manager previewing a file sees exactly what the weekly scheduled load would do.
"""
from __future__ import annotations

import mmap
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from charter import engine
from charter.model import MEASURE_STOPS, Charter
from queries import bind
from store import db, filter_values, price_facts, timezones
from store.csvfile import (SAVED_AS, DecodedFile, UploadRefused, decimals_above, decode_upload,
                           refuse_if_too_large, shown_header)
from store.presets import (Preset, ResolvedMapping, canonical_preset, detect, find_preset, presets_for,
                           normalise_header, resolve)
from store.tables import TABLES, CanonicalTable
from store.validation import (DATE_FORMAT_LABELS, date_format_label, day_month_evidence_sql, trimmed,
                              validated_select)

MAX_BAD_SHARE = 0.05
NO_NULL = "\u0001\u0002"  # read every cell as text: empty stays '', a missing field becomes NULL

Progress = Callable[[float, str], None]


class DateFormatNeeded(UploadRefused):
    """Dates such as 02/03/2026 could be either order; the user must say which (never guessed).

    The message asks the order and says where to answer it, on the Data page or with --date-format
    `order` on the command line; `asked_where(where)` is the question with a front end's own words."""

    def __init__(self, before: str, after: str = ".", order: str = "dayfirst|monthfirst"):
        self.before, self.after = before, after
        super().__init__(self.asked_where(f" (on the Data page, or --date-format {order} on the command line)"))

    def asked_where(self, where: str) -> str:
        return f"{self.before}{where}{self.after}"


class TooManyBadRows(UploadRefused):
    """More than the allowed share of rows are bad; `rejected` lists them (row, reason; the first
    LISTED_BAD_ROWS), so the refusal can be fixed from the whole list, not its first three."""

    def __init__(self, message: str, rejected: pd.DataFrame):
        super().__init__(message)
        self.rejected = rejected


LISTED_BAD_ROWS = 10_000

# A rejected row's number, reasons and cells (c0.. and the overflow of a row with too many fields),
# from `validated` and `staged`, so the manager sees the values to fix, not only the row number.
REJECTED_RECORDS = ("SELECT row_number, array_to_string(reasons, '; '), "
                    "list_value(*COLUMNS('^c[0-9]+$'), overflow) FROM staged JOIN validated USING (row_number) "
                    "WHERE len(reasons) > 0")
EXTRA_FIELDS = "(fields past the last column)"


def rejected_frame(records: list[tuple], headers: list[str] | None) -> pd.DataFrame:
    """Rejected rows as a table: row, reason, then the row's cells under the file's own headers, so
    the rows can be fixed in the export and loaded again. A batch loaded before the cells were kept
    (headers None) has row and reason only."""
    frame = pd.DataFrame({"row": pd.Series([r[0] for r in records], dtype="int64"),
                          "reason": pd.Series([r[1] for r in records], dtype="object")})
    if headers is None:
        return frame
    names = _cell_names(headers)
    cells = [r[2] for r in records]   # one per header, then the overflow (REJECTED_RECORDS)
    for position, name in enumerate(names):
        if headers[position]:   # a column without a name is empty in every row (_unnamed_columns_note)
            frame[name] = pd.Series([c[position] for c in cells], dtype="object")
    if any(c[-1] is not None for c in cells):
        frame[EXTRA_FIELDS] = pd.Series([c[-1] for c in cells], dtype="object")
    return frame


def _cell_names(headers: list[str]) -> list[str]:
    """The headers as column names beside 'row' and 'reason': unique whatever their case (a table
    shown or saved cannot hold two columns of one name), a repeated one numbered by its column."""
    taken = {"row", "reason", EXTRA_FIELDS.lower()}
    names = []
    for position, header in enumerate(headers, start=1):
        name = header if header.lower() not in taken else f"{header} (column {position})"
        taken.add(name.lower())
        names.append(name)
    return names


@dataclass
class PreparedUpload:
    """A validated upload held in a cursor's temporary tables, not yet written to the store."""
    cursor: duckdb.DuckDBPyConnection
    table: CanonicalTable
    file_name: str
    decoded: DecodedFile
    mapping: ResolvedMapping
    date_format: str | None
    rows_in_file: int
    rows_rejected: int
    notes: list[str] = field(default_factory=list)

    @property
    def preset(self) -> Preset:
        return self.mapping.preset

    @property
    def rows_good(self) -> int:
        return self.rows_in_file - self.rows_rejected

    def preview(self, limit: int = 20) -> pd.DataFrame:
        """The first rows as they will be stored (timestamps in UTC)."""
        columns = ", ".join(self.table.column_names)
        return self.cursor.execute(
            f"SELECT row_number AS row, {columns} FROM validated WHERE len(reasons) = 0 ORDER BY row_number LIMIT ?",
            [limit],
        ).df()

    def rows_for_stored_keys(self) -> int:
        """Good rows whose key (ticket, customer, ...) is already stored, so that they may update a
        stored row, for the preview: a file of last week's tickets is seen before it is loaded. Counted
        anew on each call, as another upload may have landed since the file was read (0.03 s for 100k
        rows against 1M contacts). The load itself counts new, updated and unchanged exactly."""
        return self.cursor.execute(
            f"SELECT count(*) FROM validated v WHERE len(reasons) = 0 "
            f"AND EXISTS (SELECT 1 FROM {self.table.name} s WHERE {same_key(self.table, 's', 'v')})"
        ).fetchall()[0][0]

    def rejected(self, limit: int | None = None) -> pd.DataFrame:
        """Each rejected row: its number, the reasons, and its cells as the file has them."""
        records = self.cursor.execute(f"{REJECTED_RECORDS} ORDER BY row_number LIMIT $limit",
                                      {"limit": limit}).fetchall() if self.rows_rejected else []
        return rejected_frame(records, self.decoded.headers)

    def close(self) -> None:
        self.cursor.close()


def _share_over_limit(share: float) -> str:
    """A share above MAX_BAD_SHARE, never rounded down onto it ('1 of 19 rows (5%) ... more than the 5%')."""
    return f"{share:.{decimals_above(share * 100, round(MAX_BAD_SHARE * 100, 9), 0, 4)}%}"


@dataclass(frozen=True)
class UploadResult:
    batch_id: int
    table: str
    file_name: str
    preset: str
    encoding: str
    rows_in_file: int
    rows_loaded: int
    rows_new: int
    rows_updated: int
    rows_unchanged: int
    rows_rejected: int
    rejected: pd.DataFrame
    notes: tuple[str, ...]
    already_loaded: bool = False

    @property
    def rows_repeated(self) -> int:
        """Good rows of a ticket (key) that appears again in the same file: the later version is kept
        (spec section 4), so they are neither new, updated nor unchanged."""
        return self.rows_loaded - self.rows_new - self.rows_updated - self.rows_unchanged

    @property
    def repeated_words(self) -> str:
        """What happened to the repeated rows: 'superseded by another row of the same ticket in the file'."""
        return f"superseded by another row of the same {TABLES[self.table].key_in_words} in the file"


def _quiet(_: float, __: str) -> None:
    pass


def _blank_before(blank_rows: tuple[int, ...], header_row: int) -> list[int]:
    """For each skipped empty line, how many data records come before it: record k (1-based, as
    DuckDB reads them) sits below every empty line whose count is < k."""
    return [row - header_row - i for i, row in enumerate(sorted(blank_rows), start=1)]


def _has_quote(path: Path) -> bool:
    """Whether the file contains a double quote anywhere (a memory-mapped byte search, no copy)."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return mapped.find(b'"') != -1


# The staged records' fields when a field past the header's last column is read apart (`extra_field`):
# left out when every record has it empty (its overflow is then NULL), else kept as the overflow that
# rejects the row, as when it is not read apart (DuckDB puts the first field past the header there).
TRAILING_LEFT_OUT = "* EXCLUDE (extra_field)"
TRAILING_AS_OVERFLOW = "* EXCLUDE (extra_field, overflow), extra_field AS overflow"
TRAILING_FIELD_NOTE = ("Every row ends with one more delimiter than the header row has (an empty field past its "
                       "last column, as some exports write rows): that empty field was left out.")


def _stage(cursor, decoded: DecodedFile) -> list[str]:
    """`staged`: every record as text cells c0.., overflow, and its row_number as a spreadsheet
    numbers it (header = row 1, or 3 below a report's title; empty lines counted). The records are
    read in file order (the table keeps insertion order, so record k is rowid k - 1); without any
    quote in the file every line break ends a record, so DuckDB may split the file between its
    threads. A field past the header's last column that every row has, empty, is left out (reading
    45); the notes say so."""
    trailing = decoded.trailing_empty_field
    columns = ({f"c{i}": "VARCHAR" for i in range(len(decoded.headers))} | ({"extra_field": "VARCHAR"} if trailing else {})
               | {"overflow": "VARCHAR"})
    parallel = "false" if _has_quote(decoded.path) else "true"
    blank_before = _blank_before(decoded.blank_rows, decoded.header_row)
    shift = (f" + len(list_filter({[int(b) for b in blank_before]}::BIGINT[], lambda b: b < rowid + 1))"
             if blank_before else "")
    try:
        cursor.execute(
            f"""CREATE OR REPLACE TEMP TABLE staged_records AS
                SELECT * FROM read_csv($path, header = false, skip = 1, columns = $columns, delim = $delim,
                                       quote = '"', escape = '"', null_padding = true, nullstr = $nullstr,
                                       strict_mode = false, auto_detect = false, parallel = {parallel},
                                       max_line_size = 20000000)""",
            {"path": str(decoded.path), "columns": columns, "delim": decoded.delimiter, "nullstr": NO_NULL},
        ).fetchall()
        first_record = decoded.header_row + 1
        # A row of nothing but delimiters is a row a spreadsheet once formatted and saved empty, no record:
        # it is skipped like an empty line (reading 34), not rejected for every missing value. A short row
        # (fewer delimiters, NULL-padded) stays a record with too few fields.
        nothing = " AND ".join(f"c{i} = ''" for i in range(len(decoded.headers)))
        fields = "*"
        if trailing:
            left_out = _trailing_field_empty_in_every_row(cursor, nothing)
            fields = TRAILING_LEFT_OUT if left_out else TRAILING_AS_OVERFLOW
        overflow = "extra_field" if fields == TRAILING_AS_OVERFLOW else "overflow"
        cursor.execute(f"CREATE OR REPLACE TEMP VIEW staged_rows AS SELECT rowid + {first_record}{shift} AS row_number, "
                       f"{fields}, coalesce({nothing} AND {overflow} IS NULL, false) AS delimiters_only "
                       "FROM staged_records").fetchall()
        cursor.execute("CREATE OR REPLACE TEMP VIEW staged AS SELECT * EXCLUDE (delimiters_only) FROM staged_rows "
                       "WHERE NOT delimiters_only").fetchall()
    except duckdb.Error as error:
        first_line = str(error).splitlines()[0]
        raise UploadRefused(
            f"The file could not be read as CSV ({first_line}). Check for an unclosed quote \" "
            "and that it was saved as CSV."
        ) from error
    return [TRAILING_FIELD_NOTE] if fields == TRAILING_LEFT_OUT else []


def _trailing_field_empty_in_every_row(cursor, nothing: str) -> bool:
    """Whether every record has the field past the header's last column, empty (spaces are empty, as
    every cell is trimmed), and no field after it. A row of nothing but delimiters may lack it; any
    other row lacking it, or a value in it, keeps the field: each such row is rejected with more
    fields than the header, as before."""
    return cursor.execute(
        f"SELECT coalesce(bool_and(overflow IS NULL AND CASE WHEN extra_field IS NULL THEN coalesce({nothing}, false) "
        "ELSE trim(extra_field) = '' END), false) FROM staged_records").fetchall()[0][0]


def _choose_date_format(cursor, mapping: ResolvedMapping, table: CanonicalTable,
                        declared: str | None, notes: list[str]) -> str | None:
    sql = day_month_evidence_sql(mapping, table)
    if sql is None:
        return declared
    day_example, month_example, example = cursor.execute(sql).fetchall()[0]
    if declared:
        _refuse_an_order_the_file_contradicts(declared, day_example, month_example)
        return declared
    if day_example and month_example:
        raise DateFormatNeeded(
            f"The dates mix day-first ({day_example}) and month-first ({month_example}) orders. Choose the "
            "order the file uses", "; rows in the other order will be rejected."
        )
    if day_example:
        notes.append(f"Dates read {date_format_label('dayfirst', day_example)}: the file has {day_example}.")
        return "dayfirst"
    if month_example:
        notes.append(f"Dates read {date_format_label('monthfirst', month_example)}: the file has {month_example}.")
        return "monthfirst"
    if not example:   # no such dates, or only ones neither order reads (31/31/2026): rejected rows
        return None
    saved = mapping.preset.date_format
    if saved:   # the file cannot settle it; the manager did, when saving this layout's mapping
        notes.append(f"Dates such as {example} read {date_format_label(saved, example)}, as saved with preset "
                     f"'{mapping.preset.name}'.")
        return saved
    raise DateFormatNeeded(
        f"Dates such as {example} could be day-first or month-first, and nothing in the file settles it. "
        "Choose the order"
    )


def _refuse_an_order_the_file_contradicts(declared: str, day_example: str | None, month_example: str | None) -> None:
    """A declared order is the manager's answer to dates either order reads; a file whose dates
    only the other order reads (13/07/2026 under month-first, and no 07/13) says the answer is wrong
    for it, and loading would swap day and month in every other row without a word (a weekly job
    keeps its --date-format when the helpdesk's export changes). A file with dates of both orders
    is the mixed case: the declared order stands, and the other rows are rejected."""
    day_first = declared == "dayfirst"
    own_example, other_example = (day_example, month_example) if day_first else (month_example, day_example)
    other_order = "monthfirst" if day_first else "dayfirst"
    if other_example and not own_example:
        raise DateFormatNeeded(
            f"The dates were to be read {DATE_FORMAT_LABELS[declared]}, but the file has {other_example}, which only "
            f"reads {date_format_label(other_order, other_example)}, and no date that only reads the chosen way: "
            "nothing was loaded. Choose the order the file uses", order=other_order
        )


def _expected_header(preset: Preset, canonical: str) -> str:
    """'opened_at (a column named "Created at")' for a vendor preset; just the name for canonical."""
    names = [h for h in preset.columns.get(canonical, ()) if normalise_header(h) != canonical]
    return f"{canonical} (a column named {' or '.join(repr(n) for n in names)})" if names else canonical


def _header_list(headers: list[str], limit: int) -> str:
    """The file's headers for a message: a 500-column or 100 KB header row must not flood it, nor
    Excel's empty columns without a name show as ', , ,'."""
    named = [h for h in headers if h]
    shown = ", ".join(shown_header(h) for h in named[:limit])
    return shown + (f" … ({len(named)} columns in all)" if len(named) > limit else "")


def _refuse_duplicated_headers(headers: list[str], mapping: ResolvedMapping) -> None:
    """Two columns with the name of a column that is used: which one holds the data is a guess."""
    for position in sorted(mapping.used_positions()):
        name = normalise_header(headers[position])
        same = [str(i + 1) for i, header in enumerate(headers) if normalise_header(header) == name]
        if len(same) > 1:
            raise UploadRefused(
                f"The header row has {len(same)} columns named {shown_header(headers[position])!r} (columns "
                f"{', '.join(same[:-1])} and {same[-1]}), so it is not clear which one to use. Remove or rename "
                "the extra one(s)."
            )


def _resolve_mapping(con, table: CanonicalTable, headers: list[str], preset_name: str | None,
                     preset: Preset | None) -> ResolvedMapping:
    if preset is None and preset_name:
        preset = find_preset(con, table.name, preset_name)
        if preset is None:
            names = ", ".join(p.name for p in presets_for(con, table.name))
            raise UploadRefused(f"There is no preset called {preset_name!r} for {table.name}. The presets for "
                                f"{table.name} are: {names}.")
    if preset is None:
        preset = detect(con, table.name, headers)
    if preset is None:
        # Charter Desk's own names with a required column missing: say which one is missing.
        canonical = resolve(canonical_preset(table.name), headers)
        if any(name in canonical.columns for name in table.required):
            preset = canonical.preset
    if preset is None:
        raise UploadRefused(
            f"The columns ({_header_list(headers, 12)}) do not match a known export for {table.name}. Map them "
            f"on the Data page (and save the mapping as a preset), or rename them to {', '.join(table.required)} and the "
            "other names in docs/definitions.md."
        )
    mapping = resolve(preset, headers)
    _refuse_duplicated_headers(headers, mapping)
    if mapping.missing_required:
        raise UploadRefused(
            f"Required column(s) missing for {table.name} with preset '{preset.name}': "
            f"{', '.join(_expected_header(preset, name) for name in mapping.missing_required)}. "
            "Add the column to the export (or choose another preset). The file's columns are: "
            f"{_header_list(headers, 30)}."
        )
    return mapping


def unmeasurable_promises(mapping: ResolvedMapping, charter: Charter) -> list[str]:
    """A note for each set of promises this layout cannot show as met: no column of the file stops
    their clock (osTicket exports no reply time; most exports no follow-up), so every contact they
    judge becomes a breach once its deadline passes. Loading is still right (the spec's rule), but a
    manager should know before the scorecard turns red."""
    present = set(mapping.columns) | set(mapping.durations) | set(mapping.fallbacks)
    unmeasured: dict[tuple[str, ...], list[str]] = {}
    for standard in charter.standards:
        stops = MEASURE_STOPS[standard.measure]
        if not present.intersection(stops):
            unmeasured.setdefault(stops, []).append(standard.name)
    return [f"This layout has no {' or '.join(stops)} column, so these contacts cannot meet "
            f"{', '.join(repr(name) for name in names)}: each counts as a breach once its deadline passes. "
            "Map a column for it, or export one from the helpdesk." for stops, names in unmeasured.items()]


def prepare_upload(con, table_name: str, data: bytes, file_name: str, *, preset_name: str | None = None,
                   preset: Preset | None = None, date_format: str | None = None, charter: Charter | None = None,
                   progress: Progress = _quiet) -> PreparedUpload:
    """Decode, stage and validate a file without writing anything (times without an offset are read
    in the charter's timezone, or in the one a report's last line names). Raises UploadRefused."""
    table = TABLES[table_name]
    progress(0.05, "Checking the file")
    decoded = decode_upload(data)
    charter_timezone = charter.schedule.timezone if charter else "Europe/London"
    # a report's stated zone is that of its times; dates keep the charter's calendar (spec section 2)
    timezone = decoded.stated_timezone if decoded.stated_timezone and table.has_timestamps else charter_timezone
    cursor = con.cursor()
    try:
        notes = _encoding_notes(decoded.encoding) + _backslash_quotes_note(decoded)
        notes.extend(_report_layout_notes(decoded, table, charter_timezone))
        mapping = _resolve_mapping(con, table, decoded.headers, preset_name, preset)
        if table.name == "contacts" and charter:
            notes.extend(unmeasurable_promises(mapping, charter))
        rule = mapping.preset.kind_rule
        if rule and mapping.kind_column is None and "kind" not in mapping.columns:
            notes.append(f"This layout marks complaints in its '{rule.column}' column, which the file does not "
                         "have: every contact loads as an enquiry. Export that column, or map the file's complaint "
                         "column on the Data page.")
        progress(0.15, "Reading rows")
        try:
            notes.extend(_stage(cursor, decoded))
        finally:
            # From here the records live in the cursor's temp tables. A preview that is never loaded
            # (a closed tab) must not leave a copy of customers' data in the server's temp folder.
            _delete_file(decoded)
        rows_in_file, skipped, first_skipped = cursor.execute(
            "SELECT count(*) FILTER (NOT delimiters_only), count(*) FILTER (delimiters_only), "
            "list(row_number ORDER BY row_number) FILTER (delimiters_only)[:3] FROM staged_rows").fetchall()[0]
        if skipped:
            notes.append(_delimiters_only_note(skipped, first_skipped))
        if rows_in_file == 0:
            raise UploadRefused("The file has a header row but no data rows. Export it again with the week's data.")
        notes.extend(_unnamed_columns_note(cursor, decoded.headers))
        date_format = _choose_date_format(cursor, mapping, table, date_format, notes)
        progress(0.35, "Checking every value")
        rejected = _validate(cursor, table, mapping, date_format, len(decoded.headers), timezone,
                             decimal_comma=decoded.delimiter == ";")
        if table.name == "contacts":
            notes.extend(_dated_ahead(cursor))
        prepared = PreparedUpload(cursor, table, file_name, decoded, mapping, date_format, rows_in_file, rejected, notes)
        if rejected > MAX_BAD_SHARE * rows_in_file:
            bad_rows = prepared.rejected(LISTED_BAD_ROWS)
            listed = "; ".join(f"row {r.row}: {r.reason}" for r in bad_rows.head(3).itertuples())
            raise TooManyBadRows(
                f"{rejected:,} of {rows_in_file:,} rows ({_share_over_limit(rejected / rows_in_file)}) are bad, more than the "
                f"{MAX_BAD_SHARE:.0%} allowed, so nothing was loaded. First problems: {listed}. "
                "Fix the export (or the column mapping / date order) and upload again.", bad_rows
            )
        return prepared
    except BaseException:
        cursor.close()
        _delete_file(decoded)
        raise


def _validate(cursor, table: CanonicalTable, mapping: ResolvedMapping, date_format: str | None, field_count: int,
              timezone: str, decimal_comma: bool) -> int:
    """`validated`: every staged row's values and reasons; returns how many rows are rejected. The
    rows the usual readings reject are read again with dates and times respelled (readings 41-43),
    and their second reading replaces the first: an ordinary file never plans that longer statement."""
    offsets = timezones.day_offsets(timezone)
    parameters = {"tz": timezone} | timezones.parameters(offsets)

    def validate(target: str, respelled: bool, source: str) -> int:
        select = validated_select(table, mapping, date_format, field_count, offsets, decimal_comma, respelled, source)
        cursor.execute(f"CREATE OR REPLACE TEMP TABLE {target} AS {select}", bind(select, parameters)).fetchall()
        return cursor.execute(f"SELECT count(*) FROM {target} WHERE len(reasons) > 0").fetchall()[0][0]

    rejected = validate("validated", False, "staged")
    if rejected:
        rejected_rows = "(SELECT row_number FROM validated WHERE len(reasons) > 0)"
        read_again = validate("read_again", True, f"(SELECT * FROM staged WHERE row_number IN {rejected_rows})")
        # (a row still rejected may be so for fewer reasons: its second reading replaces the first too)
        db.run_script(cursor, """DELETE FROM validated WHERE row_number IN (SELECT row_number FROM read_again);
                                 INSERT INTO validated SELECT * FROM read_again; DROP TABLE read_again""")
        rejected = read_again
    return rejected


def _encoding_notes(encoding: str) -> list[str]:
    if encoding.startswith("UTF-8"):
        return []
    why = "" if encoding == "Windows-1252" else f": its accented letters make words in {encoding}, not in Windows-1252"
    return [f"The file is not UTF-8, so it was read as {encoding} ({SAVED_AS[encoding]}){why}."]


def _backslash_quotes_note(decoded: DecodedFile) -> list[str]:
    """How a file quoted as PHP writes it was read (store.csvfile._backslash_quotes_as_usual_csv, reading 46)."""
    count = decoded.backslash_quotes
    if not count:
        return []
    rows = sorted(set(decoded.backslash_quote_rows))
    where = ", ".join(f"{row:,}" for row in rows) + (" ..." if count > len(decoded.backslash_quote_rows) else "")
    values = f"{count:,} value{'s' if count != 1 else ''} (row{'s' if len(rows) > 1 else ''} {where})"
    return [f"{values} {'have' if count != 1 else 'has'} a quote after a backslash (\\\"), which osTicket and other "
            "PHP-based helpdesks write without doubling the quote: the file was read as PHP reads it back, each \\\" "
            "kept as written, backslash included (He typed \\\"hi\\\")."]


def _report_layout_notes(decoded: DecodedFile, table: CanonicalTable, charter_timezone: str) -> list[str]:
    """What was left out of a report saved from a spreadsheet (store.csvfile._title_rows, _footer), and
    the time zone its times were read in (reading 32)."""
    notes = []
    if decoded.title:
        notes.append(f"The report's title ({shown_header(decoded.title)!r}) above the column names was left out: "
                     f"the column names are in row {decoded.header_row}, and rows are numbered as the spreadsheet "
                     "shows them.")
    footer = shown_header(decoded.footer)
    if decoded.footer and not table.has_timestamps:
        notes.append(f"The last line ({footer!r}) is the report's note of its time zone and was left out.")
    elif decoded.footer and decoded.stated_timezone == charter_timezone:
        notes.append(f"The last line ({footer!r}) is the report's note of its time zone, the charter's, and was "
                     "left out.")
    elif decoded.footer:
        notes.append(f"The last line ({footer!r}) says the report's times are in "
                     f"{decoded.stated_timezone}, so times without an offset were read in {decoded.stated_timezone}, "
                     f"not in the charter's {charter_timezone}.")
    return notes


def _unnamed_columns_note(cursor, headers: list[str]) -> list[str]:
    """Columns without a name in the header row: left out when no row holds anything in them (Excel
    saves columns of a sheet once formatted, as ',,,' ending every row); otherwise the file is refused,
    as nobody can say what their values are. One scan of those columns, none without them."""
    unnamed = [position for position, header in enumerate(headers) if not header]
    if not unnamed:
        return []
    has_value = {position: f"{trimmed(f'c{position}')} <> ''" for position in unnamed}
    firsts = cursor.execute("SELECT " + ", ".join(
        f"min(row_number) FILTER ({condition}), arg_min(c{position}, row_number) FILTER ({condition})"
        for position, condition in has_value.items()) + " FROM staged").fetchall()[0]
    # column number -> (the first row with a value in it, that value)
    holding = {position + 1: (row, value) for position, row, value in zip(unnamed, firsts[::2], firsts[1::2])
               if row is not None}
    if holding:
        column = min(holding, key=lambda number: holding[number][0])
        row, value = holding[column]
        if len(holding) == 1:
            raise UploadRefused(
                f"Column {column} has no name in the header row but holds a value in row {row} "
                f"({shown_header(value)!r}). Name the column in the header row (or delete it if it is not wanted), "
                "then upload again.")
        raise UploadRefused(
            f"{_columns_in_words(sorted(holding))} have no name in the header row but hold values (the first in row "
            f"{row}, column {column}: {shown_header(value)!r}). Name the columns in the header row (or delete them "
            "if they are not wanted), then upload again.")
    columns = _columns_in_words([position + 1 for position in unnamed])
    return [f"{columns} {'has' if len(unnamed) == 1 else 'have'} no name in the header row and nothing in any row "
            "(a spreadsheet saves columns it once formatted like this): left out."]


def _columns_in_words(numbers: list[int]) -> str:
    """'Column 19', 'Columns 19, 20 and 21'."""
    if len(numbers) == 1:
        return f"Column {numbers[0]}"
    return f"Columns {', '.join(str(n) for n in numbers[:-1])} and {numbers[-1]}"


def _delimiters_only_note(skipped: int, first_rows: list[int]) -> str:
    listed = ", ".join(str(row) for row in first_rows) + (f" and {skipped - len(first_rows):,} more"
                                                          if skipped > len(first_rows) else "")
    return (f"{skipped:,} {'row' if skipped == 1 else 'rows'} with nothing but delimiters (row{'s' if skipped > 1 else ''} "
            f"{listed}; a spreadsheet saves rows it once formatted like this) {'was' if skipped == 1 else 'were'} "
            "skipped, as empty lines are.")


# The times 'data as of' is the latest of (spec, reading 8).
AS_OF_COLUMNS = ("opened_at", "acknowledged_at", "first_response_at", "resolved_at", "follow_up_at", "updated_at")


def _dated_ahead(cursor) -> list[str]:
    """A warning for good rows timed after the upload itself (a day's grace for clocks and time
    zones): 'data as of' is the latest time in the contacts, so one mistyped year would move every
    page's latest weeks, and the judging of every open contact, to that year. The rows still load:
    the spec takes the data's times as they are."""
    latest = f"greatest({', '.join(AS_OF_COLUMNS)})"
    count, row, moment = cursor.execute(
        f"SELECT count(*), arg_max(row_number, {latest}), max({latest}) FROM validated "
        f"WHERE len(reasons) = 0 AND {latest} > now() + INTERVAL 1 DAY").fetchall()[0]
    if not count:
        return []
    rows = "1 row is" if count == 1 else f"{count:,} rows are"
    return [f"{rows} timed after today, the latest at row {row}: {moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC. "
            "'Data as of' is the latest time in the contacts, so loading them moves every page's latest weeks, and "
            "the judging of open contacts, to then. Check those dates (a mistyped year?) before loading; a load can "
            "be undone."]


def _delete_file(decoded: DecodedFile) -> None:
    shutil.rmtree(decoded.path.parent, ignore_errors=True)


def same_key(table: CanonicalTable, left: str, right: str) -> str:
    """Key equality between two relations; NULL equals NULL (prices.product may be blank)."""
    return " AND ".join(f"{left}.{k} IS NOT DISTINCT FROM {right}.{k}" for k in table.key)


def in_affected_keys(table: CanonicalTable, relation: str, keys_table: str = "affected_keys") -> str:
    """Rows of `relation` whose key is one of `affected_keys` (a temp table of key columns). The
    range test on the first key column (always required) is redundant but lets DuckDB skip, by
    its min/max statistics, every row group outside the batch's key range: a weekly upload of new
    tickets then reads the newest row groups of a 10-million-row table, not all of it."""
    first = table.key[0]
    return (f"{relation}.{first} BETWEEN (SELECT min({first}) FROM {keys_table}) "
            f"AND (SELECT max({first}) FROM {keys_table}) "
            f"AND EXISTS (SELECT 1 FROM {keys_table} WHERE {same_key(table, keys_table, relation)})")


def rebuild_current_rows(cursor, table: CanonicalTable, keys_table: str = "affected_keys") -> None:
    """Replace the current rows of the keys in `keys_table` by their winning versions: the later
    updated_at where both versions have one, otherwise (and on ties) the later upload / row."""
    keys = ", ".join(table.key)
    position = "batch_id::BIGINT * 4294967296 + row_number"
    if table.has_updated_at:
        # Versions before the last one without updated_at can never win (it beat them all).
        last_plain = f"max(CASE WHEN updated_at IS NULL THEN {position} END) OVER (PARTITION BY {keys})"
        order = "updated_at DESC NULLS LAST, position DESC"
    else:
        last_plain, order = "NULL", "position DESC"
    db.run_script(cursor, f"DELETE FROM {table.name} WHERE {in_affected_keys(table, table.name, keys_table)}")
    cursor.execute(
        f"""INSERT INTO {table.name}
            SELECT * EXCLUDE (position, last_plain) FROM (
                SELECT *, {position} AS position, {last_plain} AS last_plain
                FROM {table.versions}
                WHERE {in_affected_keys(table, table.versions, keys_table)})
            WHERE position >= coalesce(last_plain, 0)
            QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY {order}) = 1
            ORDER BY {table.cluster_by}"""
    ).fetchall()


def _row_fingerprint(table: CanonicalTable) -> str:
    return "hash(" + ", ".join(table.column_names) + ")"


def _apply_batch_rows(cursor, table: CanonicalTable, batch_id: int) -> None:
    """rebuild_current_rows for a batch just written, without ranking versions where there is no
    contest: a key that had no current row (so no version) and appears once in the batch has that
    row as its only version, hence its winner. Only the other keys (updates, repeats within the
    file) go through the ranking."""
    keys = ", ".join(table.key)
    db.run_script(cursor, f"""CREATE OR REPLACE TEMP TABLE contested_keys AS
                              SELECT {keys} FROM validated WHERE len(reasons) = 0 GROUP BY ALL HAVING count(*) > 1
                              UNION SELECT {keys} FROM before""")
    cursor.execute(
        f"""INSERT INTO {table.name}
            SELECT $batch, row_number, {', '.join(table.column_names)} FROM validated v
            WHERE len(reasons) = 0
              AND NOT EXISTS (SELECT 1 FROM contested_keys WHERE {same_key(table, 'contested_keys', 'v')})
            ORDER BY {table.cluster_by}""",
        {"batch": batch_id},
    ).fetchall()
    if cursor.execute("SELECT count(*) FROM contested_keys").fetchall()[0][0]:
        rebuild_current_rows(cursor, table, "contested_keys")


# The affected customers whose dates changed, before and now (joined_at NULL: not a customer then or
# now; joined_at is never NULL for a customer): which churn months and contacts' tenures move.
CUSTOMERS_CHANGED_SQL = """
CREATE OR REPLACE TEMP TABLE customers_changed AS
SELECT coalesce(a.customer_id, b.customer_id) AS customer_id,
       b.joined_at AS joined_before, a.joined_at, b.left_at AS left_before, a.left_at
FROM customers_before b
FULL JOIN (SELECT customer_id, joined_at, left_at FROM customers
           WHERE customer_id IN (SELECT customer_id FROM affected_keys)) a ON a.customer_id = b.customer_id
WHERE b.joined_at IS DISTINCT FROM a.joined_at OR b.left_at IS DISTINCT FROM a.left_at
"""


def refresh_after_change(cursor, table: CanonicalTable, charter: Charter | None, batch_id: int | None = None) -> None:
    """Current rows, then what is derived from them: price facts and churn months (customers,
    prices), the contacts' copy of their customer's joined_at (customers), the sidebar's filter
    values and the charter clocks of the affected tickets (contacts). `batch_id`: the change is that
    batch's rows (in `validated`, with the keys' earlier rows in `before`)."""
    if table.name == "customers":
        # their dates before the change: which churn months and contacts' tenures it moves
        db.run_script(cursor, """CREATE OR REPLACE TEMP TABLE customers_before AS
                                 SELECT customer_id, joined_at, left_at FROM customers
                                 WHERE customer_id IN (SELECT customer_id FROM affected_keys)""")
    if table.name == "contacts":
        filter_values.remove(cursor, in_affected_keys(table, table.name))
    if batch_id is None:
        rebuild_current_rows(cursor, table)
    else:
        _apply_batch_rows(cursor, table, batch_id)
    if table.name == "contacts":
        filter_values.add(cursor, in_affected_keys(table, table.name))
    if table.name == "prices":
        price_facts.refresh_prices(cursor, lambda relation: in_affected_keys(table, relation))
    if table.name == "customers":
        db.run_script(cursor, CUSTOMERS_CHANGED_SQL)
        price_facts.refresh_customers(cursor, "affected_keys")
        engine.refresh_customer_dates(cursor)
        db.run_script(cursor, "DROP TABLE customers_before; DROP TABLE customers_changed")
    if table.name == "contacts" and charter is not None:
        db.run_script(cursor, "CREATE OR REPLACE TEMP TABLE affected_tickets AS "
                              "SELECT ticket_id FROM affected_keys UNION SELECT ticket_id FROM affected_before")
        engine.refresh(cursor, charter, "affected_tickets")
    elif table.name == "contacts":
        engine.forget_clocks(cursor)   # no charter to compute them with: all of them, at the next use


def already_loaded(con, table_name: str, checksum: str) -> int | None:
    cursor = con.cursor()
    try:
        row = cursor.execute(
            "SELECT batch_id FROM batches WHERE table_name = ? AND checksum = ? AND status = 'loaded' "
            "ORDER BY batch_id LIMIT 1",
            [table_name, checksum],
        ).fetchall()
    finally:
        cursor.close()
    return row[0][0] if row else None


def commit_upload(con, prepared: PreparedUpload, user: str, charter: Charter | None,
                  progress: Progress = _quiet) -> UploadResult:
    """Write the prepared upload as one batch in one transaction (all or nothing)."""
    table = prepared.table
    progress(0.5, "Saving rows")
    with db.transaction(prepared.cursor) as cursor:
        # Checked under the writer lock, so the same file uploaded twice at once loads only once.
        previous = already_loaded(con, table.name, prepared.decoded.checksum)
        if previous is not None:
            return UploadResult(previous, table.name, prepared.file_name, prepared.preset.name,
                                prepared.decoded.encoding, prepared.rows_in_file, 0, 0, 0, 0, 0,
                                prepared.rejected().iloc[0:0],
                                (f"This exact file was already loaded as batch {previous}; nothing changed.",),
                                already_loaded=True)
        result = _write_batch(cursor, prepared, user, charter, progress)
    progress(1.0, "Done")
    return result


def _write_batch(cursor, prepared: PreparedUpload, user: str, charter: Charter | None,
                 progress: Progress) -> UploadResult:
    table = prepared.table
    batch_id = cursor.execute("SELECT nextval('batch_ids')").fetchall()[0][0]
    columns = ", ".join(table.column_names)
    # In file order, as one sorted stream: DuckDB then fills whole row groups, where the parallel
    # insert left half-full ones that a later commit's checkpoint merges by rewriting them (0.3 s
    # of a weekly load into 10 million contacts, against nothing for an empty database).
    cursor.execute(
        f"INSERT INTO {table.versions} SELECT $batch, row_number, {columns} FROM validated WHERE len(reasons) = 0 "
        "ORDER BY row_number",
        {"batch": batch_id},
    ).fetchall()
    if prepared.rows_rejected:
        cursor.execute(f"INSERT INTO rejected_rows SELECT $batch, * FROM ({REJECTED_RECORDS})", {"batch": batch_id}).fetchall()
    keys = ", ".join(table.key)
    db.run_script(cursor, f"CREATE OR REPLACE TEMP TABLE affected_keys AS SELECT DISTINCT {keys} "
                          f"FROM validated WHERE len(reasons) = 0")
    db.run_script(cursor, f"""CREATE OR REPLACE TEMP TABLE before AS
                              SELECT {keys}, {_row_fingerprint(table)} AS fingerprint
                              FROM {table.name} WHERE {in_affected_keys(table, table.name)}""")
    db.run_script(cursor, f"CREATE OR REPLACE TEMP TABLE affected_before AS SELECT {table.key[0]} AS ticket_id FROM before")
    channels_before = _channels(cursor) if table.name == "contacts" else set()
    progress(0.65, "Applying updates and charter clocks")
    refresh_after_change(cursor, table, charter, batch_id)
    new, updated, unchanged = cursor.execute(
        f"""SELECT count(*) FILTER (WHERE b.fingerprint IS NULL),
                   count(*) FILTER (WHERE b.fingerprint IS NOT NULL AND b.fingerprint IS DISTINCT FROM a.fingerprint),
                   count(*) FILTER (WHERE b.fingerprint IS NOT NULL AND b.fingerprint = a.fingerprint)
            FROM affected_keys k
            LEFT JOIN before b ON {same_key(table, 'b', 'k')}
            -- only keys that had a row can be updated or unchanged: a file of new rows hashes none
            LEFT JOIN (SELECT {keys}, {_row_fingerprint(table)} AS fingerprint
                       FROM {table.name} WHERE {in_affected_keys(table, table.name, "before")}) a ON {same_key(table, 'a', 'k')}"""
    ).fetchall()[0]
    notes = list(prepared.notes)
    if channels_before:
        notes += _new_channels_note(cursor, channels_before, charter)
    if table.name == "contacts":
        notes += _backwards_times_note(cursor)
    if table.name == "prices":
        notes += _unknown_customers_note(cursor)
    if unchanged:
        older = _older_than_stored(cursor, table, batch_id)
        if older:
            notes.append(f"{older:,} of the {unchanged:,} unchanged rows "
                         f"{'is an older version of a row' if older == 1 else 'are older versions of rows'} already "
                         f"stored (the later updated_at wins), so {'it' if older == 1 else 'they'} changed nothing.")
    cursor.execute(
        """INSERT INTO batches (batch_id, table_name, file_name, loaded_at, loaded_by, checksum, preset, encoding,
                                rows_in_file, rows_loaded, rows_new, rows_updated, rows_unchanged, rows_rejected, headers)
           VALUES (?, ?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [batch_id, table.name, prepared.file_name, user, prepared.decoded.checksum, prepared.preset.name,
         prepared.decoded.encoding, prepared.rows_in_file, prepared.rows_good, new, updated, unchanged,
         prepared.rows_rejected, prepared.decoded.headers],
    ).fetchall()
    db.bump_data_version(cursor)
    # the date order a manager chose (or the file settled) is part of what was loaded: 03/04 is March or April
    how_read = f", dates read {DATE_FORMAT_LABELS[prepared.date_format]}" if prepared.date_format in DATE_FORMAT_LABELS else ""
    if prepared.decoded.stated_timezone and table.has_timestamps:   # the file's own zone, not the charter's (reading 32)
        how_read += f", times read in {prepared.decoded.stated_timezone} as the file's last line says"
    if prepared.decoded.backslash_quotes:   # values read as PHP writes quotes, not as CSV usually is (reading 46)
        values = prepared.decoded.backslash_quotes
        how_read += f", {values:,} value{'s' if values != 1 else ''} with a quote after a backslash (\\\") read as PHP writes them"
    db.record_audit(cursor, user, "upload",
                    f"batch {batch_id}: {prepared.file_name} into {table.name}, {prepared.rows_good:,} rows loaded, "
                    f"{prepared.rows_rejected:,} rejected{how_read}")
    return UploadResult(batch_id, table.name, prepared.file_name, prepared.preset.name, prepared.decoded.encoding,
                        prepared.rows_in_file, prepared.rows_good, new, updated, unchanged, prepared.rows_rejected,
                        stored_rejected(cursor, batch_id, prepared.decoded.headers), tuple(notes))


def stored_rejected(cursor, batch_id: int, headers: list[str] | None) -> pd.DataFrame:
    """A batch's rejected rows as stored with it (also what the upload result shows, read back
    rather than joined from the staged file a second time)."""
    records = cursor.execute("SELECT row_number, reason, cells FROM rejected_rows WHERE batch_id = ? "
                             "ORDER BY row_number", [batch_id]).fetchall()
    kept = headers is not None and all(cells is not None for _, _, cells in records)
    return rejected_frame(records, headers if kept else None)


def _channels(cursor) -> set[str]:
    return {value for (value,) in cursor.execute(
        "SELECT value FROM contact_filter_values WHERE dimension = 'channel'").fetchall()}


def _new_channels_note(cursor, known: set[str], charter: Charter | None) -> list[str]:
    """Channels are an open list, so a new one loads; but 'WhatsApp' may be a new channel or another
    name for chat, and a promise kept to named channels leaves it out: say so once, as it arrives."""
    arrived = cursor.execute(
        "SELECT channel, count(*) FROM validated WHERE len(reasons) = 0 AND channel IS NOT NULL "
        "AND NOT list_contains($known, channel) GROUP BY ALL ORDER BY 2 DESC, 1",
        {"known": sorted(known)}).fetchall()
    if not arrived:
        return []
    named = ", ".join(f"{value} ({count:,} row{'s' if count != 1 else ''})" for value, count in arrived)
    scoped = sum("channel" in standard.scope for standard in (charter.standards if charter else ()))
    return [f"New channel{'s' if len(arrived) > 1 else ''} in this upload: {named}. If {'one' if len(arrived) > 1 else 'it'} is another name for a "
            "channel already in the data, correct it in the export"
            + (f"; the charter's {scoped} promise{'s' if scoped > 1 else ''} kept to named channels "
               f"{'do' if scoped > 1 else 'does'} not cover a new one" if scoped else "") + "."]


def _backwards_times_note(cursor) -> list[str]:
    """Rows whose clock stops before it starts load as they are (the export says so), but count as
    invalid, never as met or missed (spec section 3): the manager hears of them with their rows."""
    count, first_rows = cursor.execute(
        """SELECT count(*), list(row_number ORDER BY row_number)[1:3] FROM validated
           WHERE len(reasons) = 0 AND has_backwards_time(opened_at, least(acknowledged_at, first_response_at),
                                                         first_response_at, resolved_at, follow_up_at)""").fetchall()[0]
    if not count:
        return []
    where = ", ".join(f"{number:,}" for number in first_rows) + (" ..." if count > len(first_rows) else "")
    rows = f"{count:,} row{'s' if count != 1 else ''} (row{'s' if count != 1 else ''} {where})"
    return [f"{rows} {'have times' if count != 1 else 'has a time'} earlier than the time {'they follow' if count != 1 else 'it follows'}, "
            "such as resolved before opened: loaded as written, and counted as invalid (beside the figures, never "
            "as met or missed) by any promise that uses that time, until a later export corrects them."]


def _unknown_customers_note(cursor) -> list[str]:
    """Bills are priced by their customer's tenure: a bill whose customer has no row yet is left out
    of the pricing figures until a customers file names the customer. Say so, or it goes unseen."""
    rows, customers, examples = cursor.execute(
        """SELECT count(*), count(DISTINCT v.customer_id), list(DISTINCT v.customer_id ORDER BY v.customer_id)[1:3]
           FROM validated v WHERE len(v.reasons) = 0
             AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = v.customer_id)""").fetchall()[0]
    if not rows:
        return []
    named = ", ".join(examples) + (" ..." if customers > len(examples) else "")
    return [f"{rows:,} price row{'s' if rows != 1 else ''} name{'' if rows != 1 else 's'} "
            f"{customers:,} customer{'s' if customers != 1 else ''} with no customer row ({named}): left out of the "
            "pricing figures (tenure is unknown) until a customers file names them."]


def _older_than_stored(cursor, table: CanonicalTable, batch_id: int) -> int:
    """Keys left unchanged although this batch brought a different version of them: the stored one
    is newer (by updated_at), so the file's lost. 'Unchanged' alone would read as 'the same rows'."""
    return cursor.execute(
        f"""SELECT count(*) FROM before b
            JOIN (SELECT {", ".join(table.key)}, {_row_fingerprint(table)} AS fingerprint FROM {table.name}
                  WHERE {in_affected_keys(table, table.name, "before")}) a
              ON {same_key(table, 'a', 'b')} AND a.fingerprint = b.fingerprint
            WHERE EXISTS (SELECT 1 FROM {table.versions} v WHERE v.batch_id = $batch AND {same_key(table, 'v', 'b')}
                          AND hash({', '.join('v.' + c for c in table.column_names)}) IS DISTINCT FROM b.fingerprint)""",
        {"batch": batch_id}).fetchall()[0][0]


def load_file(con, table_name: str, data: bytes, file_name: str, user: str, charter: Charter | None, *,
              preset_name: str | None = None, preset: Preset | None = None, date_format: str | None = None,
              progress: Progress = _quiet) -> UploadResult:
    """prepare + commit in one call (the command line and tests)."""
    prepared = prepare_upload(con, table_name, data, file_name, preset_name=preset_name, preset=preset,
                              date_format=date_format, charter=charter, progress=progress)
    try:
        return commit_upload(con, prepared, user, charter, progress)
    finally:
        prepared.close()


def _read_at_most(source: Path, limit: int, chunk: int = 1 << 20) -> bytes:
    parts, size = [], 0
    with source.open("rb") as handle:
        while size < limit and (part := handle.read(min(chunk, limit - size))):
            parts.append(part)
            size += len(part)
    return b"".join(parts)


def load_path(con, table_name: str, path: str | Path, user: str, charter: Charter | None, **options) -> UploadResult:
    source = Path(path)
    try:
        if source.is_file():   # a mistaken 3 GB file is refused before it is read into memory
            refuse_if_too_large(source.stat().st_size)
            data = source.read_bytes()
        else:   # a pipe or a device (/dev/zero): never more than the limit
            data = _read_at_most(source, db.max_upload_bytes() + 1)
            refuse_if_too_large(len(data), read_up_to_limit=True)
    except OSError as error:
        raise UploadRefused(f"Cannot read {source}: {error.strerror}.") from error
    return load_file(con, table_name, data, source.name, user, charter, **options)
