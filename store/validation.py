"""SQL that turns the staged text cells of an upload into typed canonical values and reasons.

Each canonical column becomes one SQL expression for its value and zero or more expressions that
yield a plain-language reason when the cell is bad (spec section 4: a bad value is rejected with
its row, never blanked or truncated). Everything runs set-wise in DuckDB.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from store.presets import DURATION_UNITS, ResolvedMapping
from store.tables import CanonicalTable, Column
from store.timezones import DayOffsets, local_to_utc_sql

MAX_TEXT_LENGTH = 1000
# A satisfaction score of 1 to 5 written with leading zeros or a decimal point and zeros (05, 5.0)
SCORE_WRITTEN_LONGER = r"^0*[1-5](\.0+)?$"
# Plausible years. A typo such as 0026 or 2206 would otherwise stretch the working-time calendar
# over centuries (slow, or a crash past year 9999) and the monthly series over thousands of months.
TIMESTAMP_YEARS = (1970, 2099)
DATE_YEARS = (1900, 2099)

# An offset as clocks use them, -14:00 to +14:00 (DuckDB's cast would take +99:00 and move the
# time by four days: a bad value, rejected rather than misread)
UTC_OFFSET = r"[+-]((0\d|1[0-3])(:?[0-5]\d)?|14(:?00)?)"
ISO_WITH_OFFSET = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?\s*([Zz]|UTC|GMT|" + UTC_OFFSET + r")$"
# Year first, as ISO writes it and as Excel in Canadian, Chinese or Japanese locales saves it:
# 2026-7-13 9:15, 2026/07/13 09:15 (the year first, the month is second in every locale).
YEAR_FIRST_DAY = r"\d{4}(-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2})"
ISO_LOCAL = r"^" + YEAR_FIRST_DAY + r"([T ]\d{1,2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?$"
# a comma may follow the date, as in 3/2/26, 9:10 AM (a US locale's date and time)
_DAY_MONTH_WITH_YEAR = r"^(\d{{1,2}})[/.-](\d{{1,2}})[/.-]({year})(,?[ T].*)?$"
DAY_MONTH = _DAY_MONTH_WITH_YEAR.format(year=r"\d{2}|\d{4}")
# the same by the year's digits: strptime's %Y reads the 26 of 13/02/26 as the year 26, so a
# two-digit year must only meet %y
DAY_MONTH_BY_YEAR = {"%Y": _DAY_MONTH_WITH_YEAR.format(year=r"\d{4}"), "%y": _DAY_MONTH_WITH_YEAR.format(year=r"\d{2}")}
# A two-digit year as Excel reads it (the files come through Excel): 00-29 are 2000-2029, 30-99
# 1930-1999. strptime's %y makes 30-68 the 2030s-2060s, a customer who joined in 1965 one who joins in 2065.
TWO_DIGIT_YEAR_CUTOFF = 2029
ISO_DATE = r"^" + YEAR_FIRST_DAY + r"$"
# Spellings real exports write that the readers above do not take, each rewritten to one they do
# (pattern, replacement). Tried only on a row the usual readings reject (validated_select's
# `respelled`), so a file of usual spellings costs nothing more.
RESPELLINGS = [
    # a lower-case t between date and time (2026-07-13t09:15:00), as ISO 8601 allows
    (r"^(\d{4}-\d{1,2}-\d{1,2})t(\d)", r"\1T\2"),
    # a decimal comma before the fraction of a second (14:05:00,5), as ISO 8601 allows
    (r"^(\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}:\d{2}),(\d)", r"\1.\2"),
    # am or pm glued to the time, dotted or in any case (9:15am, 9:15 a.m., 9:15PM), or after a
    # no-break space: as strptime's %p reads it, after one space (12 am is midnight, 12 pm noon)
    (r"(\d:\d{2}(:\d{2})?)[\s\x{a0}\x{202f}]*([AaPp])\.?[\s\x{a0}\x{202f}]*[Mm]\.?$", r"\1 \3M"),
    # September as Windows' English (UK) abbreviates it since 2019, which strptime's %b does not know
    (r"(?i)\bsept\b", "Sep"),
]
# A year-first date with a 12-hour time, as respelled (2026-07-13 9:15 PM; Canadian English writes
# 9:15 p.m.): the year first, the month second, so no order is asked.
YEAR_FIRST_12_HOUR = r"^" + YEAR_FIRST_DAY + r" \d{1,2}:\d{2}(:\d{2})? [AaPp]M$"
YEAR_FIRST_12_HOUR_FORMATS = [f"%Y{sep}%m{sep}%d {time}" for sep in "-/" for time in ("%I:%M %p", "%I:%M:%S %p")]
# A month written in English, as Excel and helpdesks write dates: 13-Jul-2026, 13-Jul-26, 13 July
# 2026 09:15, Jul 13, 2026 9:15 AM, July 13, 2026. The month's name leaves no day/month-order
# question. By the year's digits, as DAY_MONTH_BY_YEAR (a two-digit year only after the month).
_MONTH = r"[A-Za-z]{3,9}"
MONTH_NAME_BY_YEAR = {
    "%Y": rf"^(\d{{1,2}}[- ]{_MONTH}[- ]\d{{4}}|{_MONTH} \d{{1,2}},? \d{{4}})(,? .*)?$",
    "%y": rf"^\d{{1,2}}[- ]{_MONTH}[- ]\d{{2}}(,? .*)?$",
}

SPACE_BEFORE_OFFSET = r"\s+([+-][0-9]{2}(:?[0-9]{2})?)$"
UTC_SUFFIX = r"\s*(UTC|GMT|[Zz])$"   # read as Z, the only spelling DuckDB's cast takes everywhere
FIRST_GROUP = r"\1"

_TIMES = ["%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p"]
_SEPARATORS = ["/", ".", "-"]


def _formats(order: str, year: str) -> list[str]:
    day_first = order == "dayfirst"
    formats = []
    for sep in _SEPARATORS:
        date_part = sep.join(["%d", "%m", year] if day_first else ["%m", "%d", year])
        formats += [f"{date_part}{between}{t}" for between in (" ", ", ") for t in _TIMES] + [date_part]
    return formats


def _month_name_formats(year: str) -> list[str]:
    """The strptime formats of a date with the month's name (MONTH_NAME_BY_YEAR), with or without a time."""
    dates = [f"%d{sep}{month}{sep}{year}" for sep in "- " for month in ("%b", "%B")]
    if year == "%Y":
        dates += [f"{month} %d{comma} %Y" for month in ("%b", "%B") for comma in (",", "")]
    return dates + [f"{date}{between}{time}" for date in dates for between in (" ", ", ") for time in _TIMES]


# order -> year format -> the strptime formats of a date written with that order and year
DATE_FORMATS = {order: {year: _formats(order, year) for year in DAY_MONTH_BY_YEAR} for order in ("dayfirst", "monthfirst")}
DATE_FORMAT_LABELS = {"dayfirst": "day first (DD/MM/YYYY)", "monthfirst": "month first (MM/DD/YYYY)"}


def date_format_label(order: str, example: str) -> str:
    """The order's label written as the example's year is: '13/02/26' is read DD/MM/YY."""
    two_digit_year = re.fullmatch(DAY_MONTH_BY_YEAR["%y"], (example or "").strip())
    return DATE_FORMAT_LABELS[order].replace("YYYY", "YY") if two_digit_year else DATE_FORMAT_LABELS[order]


def sql_text(value: str) -> str:
    """A trusted literal (from code or a preset, never from file content) as SQL text."""
    return "'" + value.replace("'", "''") + "'"


def sql_list(values: list[str]) -> str:
    return "[" + ", ".join(sql_text(v) for v in values) + "]"


# A fraction of a second with a non-zero digit past the sixth (SQL Server's datetime2 and .NET's
# round-trip format write seven): the store keeps microseconds, and DuckDB's cast cuts the rest off.
FINER_THAN_MICROSECONDS = r"\.\d{6}\d*[1-9]"
SHORTEST_WITH_SEVEN_DIGITS = len("2026-6-1 9:00:00.0000001")


def _to_the_microsecond_above(cell: str, reading: str) -> str:
    """A reading of a time written finer than the microsecond, rounded up to the next one, never
    down (reading 40): a stop a fraction of a microsecond after a deadline stays after it. Only long
    cells meet the regular expression, so an ordinary file pays a length per cell."""
    finer = f"length({cell}) >= {SHORTEST_WITH_SEVEN_DIGITS} AND regexp_matches({cell}, {sql_text(FINER_THAN_MICROSECONDS)})"
    return f"CASE WHEN {finer} THEN {reading} + INTERVAL 1 MICROSECOND ELSE {reading} END"


def naive_timestamp_sql(cell: str, date_format: str | None, respelled: bool = False) -> str:
    """The wall-clock TIMESTAMP of a cell without an offset (NULL for a cell with one). ISO_LOCAL,
    DAY_MONTH and ISO_WITH_OFFSET cannot match the same text, so their order does not matter.
    `respelled`: the cell is a respelled one (RESPELLINGS), which may also be written so."""
    iso = _to_the_microsecond_above(cell, f"TRY_CAST({cell} AS TIMESTAMP)")
    parts = [f"WHEN regexp_full_match({cell}, {sql_text(ISO_LOCAL)}) THEN {iso}"]
    if date_format:
        parts += _day_month_sql(cell, date_format)
    if respelled:
        parts += _respelled_only_sql(cell)
    return "CASE " + " ".join(parts) + " END"


def _respelled_only_sql(cell: str) -> list[str]:
    """CASE branches reading a respelled cell as a TIMESTAMP in the forms only a respelled cell is
    read in (the usual forms of naive_timestamp_sql are tried first)."""
    branches = [f"WHEN regexp_full_match({cell}, {sql_text(YEAR_FIRST_12_HOUR)}) "
                f"THEN try_strptime({cell}, {sql_list(YEAR_FIRST_12_HOUR_FORMATS)})"]
    for year, pattern in MONTH_NAME_BY_YEAR.items():
        read = f"try_strptime({cell}, {sql_list(_month_name_formats(year))})"
        branches.append(f"WHEN regexp_full_match({cell}, {sql_text(pattern)}) THEN {_as_excel_reads(year, read)}")
    return branches


def _as_excel_reads(year: str, read: str) -> str:
    """A strptime reading with a two-digit year (%y) put in Excel's century (TWO_DIGIT_YEAR_CUTOFF)."""
    if year != "%y":
        return read
    return f"CASE WHEN year({read}) > {TWO_DIGIT_YEAR_CUTOFF} THEN {read} - INTERVAL 100 YEAR ELSE {read} END"


# PHP's intl (ICU 72 and later, as osTicket uses) writes 9:05\u202fAM with a narrow no-break
# space, and some locales a no-break space: to a reader it is the space strptime's %p wants.
NO_BREAK_SPACES = "[\u00a0\u202f]"


def _day_month_sql(cell: str, date_format: str) -> list[str]:
    """CASE branches reading a day/month cell as a TIMESTAMP, a two-digit year as Excel does."""
    branches = []
    spaced = f"regexp_replace({cell}, {sql_text(NO_BREAK_SPACES)}, ' ', 'g')"
    for year, pattern in DAY_MONTH_BY_YEAR.items():
        read = _as_excel_reads(year, f"try_strptime({spaced}, {sql_list(DATE_FORMATS[date_format][year])})")
        branches.append(f"WHEN regexp_full_match({cell}, {sql_text(pattern)}) THEN {read}")
    return branches


def timestamp_value_sql(cell: str, naive: str, offsets: DayOffsets | None) -> str:
    """An instant (TIMESTAMPTZ) from a cell whose naive reading is already the column `naive`: a naive
    reading is charter-local time, converted by day-offset arithmetic (store/timezones.py); a
    cell with an offset is converted by it."""
    local = local_to_utc_sql(naive, "tz_local_offsets", "tz", offsets) if offsets else f"local_to_utc({naive}, $tz)"
    aware = (f"CASE WHEN regexp_full_match({cell}, {sql_text(ISO_WITH_OFFSET)}) "
             f"THEN {_to_the_microsecond_above(cell, _instant_with_offset(cell))} END")
    return f"CASE WHEN {naive} IS NOT NULL THEN {local} WHEN {cell} IS NOT NULL THEN {aware} END"


def _instant_with_offset(cell: str) -> str:
    """A cell matching ISO_WITH_OFFSET as an instant: UTC, GMT, z (lower-case) and a space before Z
    read as Z, a space before +hh:mm dropped (DuckDB's cast reads neither)."""
    utc = f"regexp_replace({cell}, {sql_text(UTC_SUFFIX)}, 'Z')"
    return f"TRY_CAST(regexp_replace({utc}, {sql_text(SPACE_BEFORE_OFFSET)}, {sql_text(FIRST_GROUP)}) AS TIMESTAMPTZ)"



def parse_date_sql(cell: str, date_format: str | None, respelled: bool = False) -> str:
    """A date. One written with a time of day is read on the charter's calendar: its own date
    when local, converted when it has an offset (2021-05-01T23:30-05:00 is 2 May in London), as a
    timestamp would be. Anything else after the date makes it unreadable, never cut off.
    `respelled`: as for naive_timestamp_sql."""
    parts = [f"WHEN regexp_full_match({cell}, {sql_text(ISO_DATE)}) THEN TRY_CAST({cell} AS DATE)",
             f"WHEN regexp_full_match({cell}, {sql_text(ISO_LOCAL)}) THEN TRY_CAST({cell} AS TIMESTAMP)::DATE",
             f"WHEN regexp_full_match({cell}, {sql_text(ISO_WITH_OFFSET)}) THEN "
             f"timezone($tz, {_instant_with_offset(cell)})::DATE"]
    if date_format:
        parts += [f"{branch}::DATE" for branch in _day_month_sql(cell, date_format)]
    if respelled:
        parts += [f"{branch}::DATE" for branch in _respelled_only_sql(cell)]
    return "CASE " + " ".join(parts) + " END"


def respelled_sql(cell: str) -> str:
    """The cell with each of RESPELLINGS applied (for a cell the usual readers did not read)."""
    for pattern, replacement in RESPELLINGS:
        cell = f"regexp_replace({cell}, {sql_text(pattern)}, {sql_text(replacement)})"
    return cell


@dataclass(frozen=True)
class ColumnSql:
    name: str
    value: str                 # typed value expression (over the columns cell_<name>, naive_<name>)
    reasons: list[str]         # expressions that are a reason text when the cell is bad, else NULL
    cell: str = "NULL"         # the cell's trimmed text (column cell_<name>)
    naive: str | None = None   # timestamps: the wall-clock reading (column naive_<name>)
    # dates and timestamps: the reading of a cell the value above left NULL, respelled (RESPELLINGS):
    # (the wall-clock reading of respelled_<name>, or None; the value over respelled_<name>, naive2_<name>)
    second: tuple[str | None, str] | None = None


def trimmed(cell: str) -> str:
    """trim(cell), calling trim only where it can change something: an ASCII cell (as many bytes as
    characters) that neither starts nor ends with a space is its own trim (trim strips spaces and
    Unicode space separators). Trimming every cell was a third of checking a million-row file."""
    return (f"CASE WHEN {cell} LIKE ' %' OR {cell} LIKE '% ' OR strlen({cell}) <> length({cell}) "
            f"THEN trim({cell}) ELSE {cell} END")


def _cell(position: int | None, mapping: ResolvedMapping, canonical: str) -> str:
    """The trimmed text of a mapped cell (NULL when blank), with the preset's value translations."""
    if position is None:
        return "NULL::VARCHAR"
    cell = f"nullif({trimmed(f'c{position}')}, '')"
    translations = mapping.preset.values.get(canonical)
    if not translations:
        return cell
    cases = " ".join(
        f"WHEN {sql_text(source)} THEN {('NULL' if not target else sql_text(target))}"
        for source, target in translations.items()
    )
    return f"(CASE lower({cell}) {cases} ELSE {cell} END)"


def _reason(condition: str, message_sql: str) -> str:
    return f"CASE WHEN {condition} THEN {message_sql} END"


def _quoted(cell: str) -> str:
    """The offending value inside a reason, shortened for display only (the row is rejected whole)."""
    return f"'''' || CASE WHEN length({cell}) > 40 THEN left({cell}, 40) || '…' ELSE {cell} END || ''''"


def _year_reason(name: str, cell: str, year_sql: str, years: tuple[int, int]) -> str:
    first, last = years
    return _reason(f"NOT coalesce(({year_sql}) BETWEEN {first} AND {last}, true)",
                   f"{sql_text(name + ': ')} || {_quoted(cell)} || {sql_text(f' is not between {first} and {last}')}")


def decimal_point(cell: str, decimal_comma: bool) -> str:
    """A number's text with a point: in a `;` file (European Excel, whose locale writes 232,46) a
    single comma between digits is the decimal separator. In a `,` file such a (quoted) comma may
    group thousands (1,234), so it stays text that is no number, a rejected row, never a guess."""
    if not decimal_comma:
        return cell
    return f"CASE WHEN regexp_full_match({cell}, '-?[0-9]+,[0-9]+') THEN replace({cell}, ',', '.') ELSE {cell} END"


def column_sql(column: Column, mapping: ResolvedMapping, date_format: str | None,
               offsets: DayOffsets | None = None, decimal_comma: bool = False) -> ColumnSql:
    """Value and reasons of one canonical column, over the layered columns of validated_select:
    cell_<name> (trimmed text), naive_<name> (timestamps) and v_<name> (the typed value), so that
    each is computed once per row."""
    name, cell, typed = column.name, f"cell_{column.name}", f"v_{column.name}"
    cell_expr, naive = _cell(mapping.columns.get(column.name), mapping, column.name), None
    if column.kind == "money":
        cell_expr = decimal_point(cell_expr, decimal_comma)
    reasons, second = [], None
    if column.required:
        reasons.append(_reason(f"{cell} IS NULL", sql_text(f"{name} is missing")))
    if column.kind in ("text", "lower_text"):
        value = f"lower({cell})" if column.kind == "lower_text" else cell
        reasons.append(_reason(f"length({cell}) > {MAX_TEXT_LENGTH}",
                               sql_text(f"{name} is longer than {MAX_TEXT_LENGTH:,} characters")))
    elif column.kind == "timestamp":
        return _timestamp_sql(name, name, cell_expr, date_format, offsets, reasons)
    elif column.kind == "date":
        value = parse_date_sql(cell, date_format)
        second = (None, parse_date_sql(f"respelled_{name}", date_format, respelled=True))
        reasons.append(_reason(f"{cell} IS NOT NULL AND {typed} IS NULL",
                               f"{sql_text(name + ': cannot read ')} || {_quoted(cell)} || ' as a date'"))
        reasons.append(_year_reason(name, cell, f"year({typed})", DATE_YEARS))
    elif column.kind == "count":
        value = f"coalesce(TRY_CAST({cell} AS INTEGER), 0)"
        reasons.append(_reason(f"{cell} IS NOT NULL AND NOT regexp_full_match({cell}, '^[0-9]{{1,6}}$')",
                               f"{sql_text(name + ' must be a whole number of 0 or more, not ')} || {_quoted(cell)}"))
    elif column.kind == "csat":
        value = f"TRY_CAST({cell} AS INTEGER)"   # (5.5 casts to 6: the reason below rejects its row)
        # a leading zero or a decimal point with zeros (05, 5.0, as a spreadsheet may save a score) is
        # still the whole number; a condition's AND tries the second pattern only on a cell that is
        # not a bare digit
        reasons.append(_reason(f"{cell} IS NOT NULL AND NOT regexp_full_match({cell}, '^[1-5]$') "
                               f"AND NOT regexp_full_match({cell}, {sql_text(SCORE_WRITTEN_LONGER)})",
                               f"{sql_text(name + ' must be a whole number from 1 to 5, not ')} || {_quoted(cell)}"))
    elif column.kind == "money":
        value = f"TRY_CAST({cell} AS DECIMAL(18, 4))"
        reasons.append(_reason(f"{cell} IS NOT NULL AND NOT regexp_full_match({cell}, '^-?[0-9]{{1,13}}(\\.[0-9]{{1,4}})?$')",
                               f"{sql_text(name + ' must be a number with at most 4 decimals, such as 12.50, not ')} || {_quoted(cell)}"))
        reasons.append(_reason(f"TRY_CAST({cell} AS DECIMAL(18, 4)) < 0", sql_text(f"{name} is negative")))
    elif column.kind == "kind":
        value, kind_reasons = _kind_sql(cell, mapping)
        reasons += kind_reasons
    else:  # pragma: no cover - tables.py lists every kind above
        raise ValueError(column.kind)
    return ColumnSql(name, value, reasons, cell_expr, naive, second)


def _timestamp_sql(name: str, label: str, cell_expr: str, date_format: str | None, offsets: DayOffsets | None,
                   reasons: list[str]) -> ColumnSql:
    """A timestamp's layered reading (column_sql) over the columns cell_<name>, naive_<name> and
    v_<name>; `label` names it in the reasons."""
    cell, typed, respelled = f"cell_{name}", f"v_{name}", f"respelled_{name}"
    naive = naive_timestamp_sql(cell, date_format)
    value = timestamp_value_sql(cell, f"naive_{name}", offsets)
    second = (naive_timestamp_sql(respelled, date_format, respelled=True),
              timestamp_value_sql(respelled, f"naive2_{name}", offsets))
    reasons = reasons + [
        _reason(f"{cell} IS NOT NULL AND {typed} IS NULL",
                f"{sql_text(label + ': cannot read ')} || {_quoted(cell)} || ' as a date and time'"),
        # the UTC year, by arithmetic (timezone('UTC', ...) would cost an ICU call per value)
        _year_reason(label, cell, f"year(make_timestamp(epoch_us({typed})))", TIMESTAMP_YEARS),
    ]
    return ColumnSql(name, value, reasons, cell_expr, naive, second)


def fallback_sql(canonical: str, mapping: ResolvedMapping, date_format: str | None,
                 offsets: DayOffsets | None) -> list[ColumnSql]:
    """The readings of the columns a timestamp falls back to where its own cell is blank (the
    preset's [fallbacks]), named <canonical>_or_<n>. Each is read and checked on every row, as any
    column a mapping reads (and as a duration column beside its timestamp is): a bad value there
    is a bad row even where the mapped column has a value."""
    return [_timestamp_sql(f"{canonical}_or_{n}", f"{canonical} from {header!r}",
                           _cell(position, mapping, canonical), date_format, offsets, [])
            for n, (position, header) in enumerate(mapping.fallbacks.get(canonical, ()), start=1)]


# The start of a row's reason when its kind is neither word (the Data page points such a file to the
# complaints rule and value translations, which read a file's own words).
KIND_REASON = "kind must be enquiry or complaint, not "


def _kind_sql(cell: str, mapping: ResolvedMapping) -> tuple[str, list[str]]:
    rule = mapping.preset.kind_rule
    if rule is not None and mapping.kind_column is not None:
        source = f"lower({trimmed(f'c{mapping.kind_column}')})"
        if rule.match == "token":
            test = f"list_has_any(regexp_split_to_array({source}, '[,;\\s]+'), {sql_list(list(rule.complaint))})"
        else:
            test = f"list_contains({sql_list(list(rule.complaint))}, {source})"
        return f"CASE WHEN coalesce({test}, false) THEN 'complaint' ELSE 'enquiry' END", []
    normalised = f"lower({cell})"
    reason = _reason(f"{cell} IS NOT NULL AND {normalised} NOT IN ('enquiry', 'complaint')",
                     f"{sql_text(KIND_REASON)} || {_quoted(cell)}")
    return f"coalesce({normalised}, 'enquiry')", [reason]


# Past this a duration cannot end inside TIMESTAMP_YEARS; capped before the cast to microseconds,
# which fails beyond 2^63 (1e30 minutes) and would take the whole load down with it.
MAX_DURATION_MICROS = 200 * 366 * 86_400 * 1_000_000


def duration_stop_sql(stop_value: str, opened_value: str, position: int, unit: str, name: str,
                      decimal_comma: bool = False) -> tuple[str, list[str]]:
    """Stop time from a vendor duration column when the timestamp itself is absent. A cell that is
    not a finite number of 0 or more, or that ends past TIMESTAMP_YEARS, is a bad value of the row
    (an 'inf', or a typo of 4000000000 minutes: the year 9631) even beside a timestamp, as any bad
    cell of a mapped column is."""
    cell = f"nullif({trimmed(f'c{position}')}, '')"
    amount = f"TRY_CAST({decimal_point(cell, decimal_comma)} AS DOUBLE)"
    usable = f"({amount} >= 0 AND isfinite({amount}))"
    micros = f"CAST(least({amount} * {DURATION_UNITS[unit]}, {MAX_DURATION_MICROS}) AS BIGINT)"
    stop = f"({opened_value} + to_microseconds({micros}))"
    value = f"coalesce({stop_value}, CASE WHEN {usable} THEN {stop} END)"
    first, last = TIMESTAMP_YEARS
    reasons = [
        _reason(f"{cell} IS NOT NULL AND NOT coalesce({usable}, false)",
                f"{sql_text(name + ' duration must be a number of ' + unit + ' of 0 or more, not ')} || {_quoted(cell)}"),
        _reason(f"{cell} IS NOT NULL AND {usable} AND NOT coalesce(year(make_timestamp(epoch_us({stop}))) <= {last}, true)",
                f"{sql_text(name + ' duration ')} || {_quoted(cell)} || {sql_text(f' {unit} ends after {last}')}"),
    ]
    return value, reasons


def table_checks(table: CanonicalTable, values: dict[str, str]) -> list[str]:
    """Reasons that involve two columns of the same row."""
    if table.name == "customers":
        return [_reason(f"({values['left_at']}) < ({values['joined_at']})", "'left_at is before joined_at'")]
    return []


def validated_select(table: CanonicalTable, mapping: ResolvedMapping, date_format: str | None,
                     field_count: int, offsets: DayOffsets | None = None, decimal_comma: bool = False,
                     respelled: bool = False, source: str = "staged") -> str:
    """SELECT over `source` (the staged records) giving row_number, the canonical typed columns and `reasons`.

    Layered so that every cell is trimmed, parsed and converted once: cell_<name>, then
    naive_<name> (timestamps), then v_<name>; the reasons read those columns. `respelled`: a date
    or time the usual readings leave unread is read a second time, respelled (RESPELLINGS; its
    patterns and formats for every date column make the statement slower to plan, so it is run on
    the rows the usual readings reject only: store.ingest._validate). Parameters: $tz, and
    $tz_local_offsets when `offsets` is given (store.timezones.parameters)."""
    columns = {c.name: column_sql(c, mapping, date_format, offsets, decimal_comma) for c in table.columns}
    values = {name: f"v_{name}" for name in columns}
    for name in mapping.fallbacks:   # and the columns they fall back to, read in the same layers
        readings = fallback_sql(name, mapping, date_format, offsets)
        columns |= {sql.name: sql for sql in readings}
        values[name] = f"coalesce({values[name]}, {', '.join(f'v_{sql.name}' for sql in readings)})"
    reasons = [r for sql in columns.values() for r in sql.reasons]
    for stop, (position, unit) in mapping.durations.items():
        values[stop], duration_reasons = duration_stop_sql(values[stop], values["opened_at"], position, unit, stop,
                                                           decimal_comma)
        reasons += duration_reasons
    reasons += table_checks(table, values)
    last_field = f"c{field_count - 1}"
    # (a quote never closed, which swallows the rows below it, refuses the file before this:
    # store.csvfile._read_records)
    structure = (
        f"CASE WHEN overflow IS NOT NULL THEN 'the row has more fields than the header ({field_count})' "
        f"WHEN {last_field} IS NULL THEN 'the row has fewer fields than the header ({field_count})' END"
    )
    value_list = ",\n       ".join(f"{expr} AS {name}" for name, expr in values.items())
    cells = ", ".join(f"{sql.cell} AS cell_{name}" for name, sql in columns.items())
    naives = ", ".join(f"{sql.naive} AS naive_{name}" for name, sql in columns.items() if sql.naive)
    typed = ", ".join(f"{sql.value} AS v_{name}" for name, sql in columns.items())
    first_reading = f"""(SELECT *, {typed}
      FROM (SELECT *{', ' + naives if naives else ''}
            FROM (SELECT *, {cells} FROM {source})))"""
    return f"""
SELECT row_number,
       {value_list},
       CASE WHEN ({structure}) IS NOT NULL THEN [{structure}]
            WHEN coalesce({', '.join(reasons)}) IS NULL THEN []::VARCHAR[]
            ELSE list_filter([{', '.join(reasons)}], lambda r: r IS NOT NULL) END AS reasons
FROM {_second_reading(columns, first_reading) if respelled else first_reading}
"""


def _second_reading(columns: dict[str, ColumnSql], relation: str) -> str:
    """`relation` with each date or timestamp v_<name> read a second time, respelled (RESPELLINGS),
    where the first reading left a cell unread. Each layer only tests for NULL where the first
    reading worked: the respelling and its parsing run for the unread cells alone."""
    second = {name: sql.second for name, sql in columns.items() if sql.second}
    if not second:
        return relation
    respelled = ", ".join(f"CASE WHEN v_{name} IS NULL AND cell_{name} IS NOT NULL "
                          f"THEN {respelled_sql(f'cell_{name}')} END AS respelled_{name}" for name in second)
    naives = "".join(f", CASE WHEN respelled_{name} IS NOT NULL THEN {naive} END AS naive2_{name}"
                     for name, (naive, _) in second.items() if naive)
    values = ", ".join(f"CASE WHEN respelled_{name} IS NULL THEN v_{name} ELSE {value} END AS v_{name}"
                       for name, (_, value) in second.items())
    return f"""(SELECT * REPLACE ({values})
      FROM (SELECT *{naives}
            FROM (SELECT *, {respelled}
                  FROM {relation})))"""


def day_month_evidence_sql(mapping: ResolvedMapping, table: CanonicalTable) -> str | None:
    """How the dd/mm-or-mm/dd cells settle the order: a cell only one order can read (13/02: day
    first; 02/13: month first), and one either order reads (03/04). A
    cell neither order reads (31/31, 45/02, 00/00) is evidence of nothing: it is a bad value either way."""
    columns = [f"c{mapping.columns[c.name]}" for c in table.columns
               if c.kind in ("timestamp", "date") and c.name in mapping.columns]
    columns += [f"c{position}" for read in mapping.fallbacks.values() for position, _ in read]
    if not columns:
        return None
    # Only the cells that may be day/month first, picked by a cheap pattern on the raw text (space as
    # `trim` strips it, one or two digits, a separator), are trimmed and tested: an ISO file has
    # none, and trimming every date cell first took 1.2 s of a million-row load.
    maybe = sql_text(r"^[\s\p{Zs}]*\d{1,2}[/.-]")
    unions = " UNION ALL ".join(f"SELECT nullif({trimmed(column)}, '') AS v FROM staged WHERE regexp_matches({column}, {maybe})"
                                for column in columns)
    pattern = sql_text(DAY_MONTH)
    # Only cells matching the whole pattern count (for another, regexp_extract gives '' -> NULL).
    # The test is in FILTER clauses, not in a WHERE: DuckDB would push a WHERE down into the scans
    # and run it, trim included, on every cell before the cheap pattern.
    return f"""
SELECT any_value(v) FILTER (WHERE day_first AND NOT month_first),
       any_value(v) FILTER (WHERE month_first AND NOT day_first),
       any_value(v) FILTER (WHERE day_first AND month_first)
FROM (SELECT v, first BETWEEN 1 AND 31 AND second BETWEEN 1 AND 12 AS day_first,
             first BETWEEN 1 AND 12 AND second BETWEEN 1 AND 31 AS month_first
      FROM (SELECT v, TRY_CAST(regexp_extract(v, {pattern}, 1) AS INTEGER) AS first,
                   TRY_CAST(regexp_extract(v, {pattern}, 2) AS INTEGER) AS second
            FROM ({unions})))
"""
