"""Turning uploaded bytes into a CSV file DuckDB can read: size, encoding, delimiter, header row.

Everything here refuses a file with a message a manager can act on (UploadRefused).
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb

from store.db import max_upload_bytes

MAX_HEADER_LENGTH = 1_000   # characters in one column name


class UploadRefused(Exception):
    """The whole file is refused; the message says what to fix. Nothing was written."""


@dataclass(frozen=True)
class DecodedFile:
    path: Path            # a private UTF-8 copy (never a path built from the uploaded file name)
    encoding: str         # "UTF-8", "UTF-8 with BOM" or a value of SINGLE_BYTE_ENCODINGS
    delimiter: str
    headers: list[str]
    checksum: str
    size_bytes: int
    blank_rows: tuple[int, ...] = ()  # spreadsheet numbers of empty lines between records
    header_row: int = 1               # the header's row in the spreadsheet (3 below a report's title)
    title: str = ""                   # the report title left out above the header, if any
    footer: str = ""                  # the 'Timezone: ...' line left out below the data, if any
    stated_timezone: str | None = None  # the zone that line names: the file's times are in it
    backslash_quotes: int = 0         # values with a quote after a backslash (\"), read as PHP reads them
    backslash_quote_rows: tuple[int, ...] = ()   # the spreadsheet rows of the first few such values
    # The first record below the header has one more field than the header, empty (a,b,c, under A,B,C):
    # the staging reads that field apart, and the whole file decides whether it is left out (reading 45).
    trailing_empty_field: bool = False


def refuse_if_too_large(size_bytes: int, *, read_up_to_limit: bool = False) -> None:
    """read_up_to_limit: size_bytes is only how far a stream was read (it stops just past the limit)."""
    if size_bytes > max_upload_bytes():
        limit_mb, size_mb = round(max_upload_bytes() / 1024 / 1024, 3), size_bytes / 1024 / 1024
        limit = f"{limit_mb:g} MB limit"
        size = (f"larger than the {limit}" if read_up_to_limit
                else f"{size_mb:,.{decimals_above(size_mb, limit_mb, 1, 6)}f} MB, above the {limit}")
        raise UploadRefused(f"The file is {size}. Split it into smaller files (for example one per week) or ask "
                            "an administrator to raise DASHBOARD_MAX_UPLOAD_MB.")


def decimals_above(value: float, limit: float, fewest: int, most: int) -> int:
    """The fewest decimals, from `fewest` up to `most`, with which `value` still reads above `limit`: a
    refusal never prints the limit it broke ('0.0 MB, above the 0.001 MB limit'; '1 of 19 rows (5%)
    are bad, more than the 5% allowed')."""
    return next((digits for digits in range(fewest, most) if round(value, digits) > limit), most)


def checksum_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# What UTF-8 makes of Western European letters and punctuation: é = C3 A9, £ = C2 A3, ’ = E2 80 99,
# € = E2 82 AC. Windows-1252 text almost never holds these pairs (Ã or Â before a symbol, â before
# two), so a file with them that is still not valid UTF-8 mixes the two encodings (rows pasted from
# elsewhere). Other byte pairs valid in UTF-8 are common in Windows-1252 text: JOSÉ’S is C9 92.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2\xc3][\x80-\xbf]|\xe2[\x80-\x82][\x80-\xbf]")


# The encodings Excel saves a CSV in besides UTF-8, each with the name a manager knows it by: Windows'
# own (Windows-1252), "CSV (Macintosh)" (Mac Roman) and "CSV (MS-DOS)" (code page 850). Each reads
# any byte, or nearly, so the bytes alone cannot tell them apart; what the accented letters make of
# the words can (_plausibility). Windows-1252, the spec's reading, wins every tie (_clearly_best).
SINGLE_BYTE_ENCODINGS = {"cp1252": "Windows-1252", "mac_roman": "Mac Roman", "cp850": "MS-DOS code page 850"}
SAVED_AS = {"Windows-1252": "what Excel on Windows saves", "Mac Roman": "Excel's 'CSV (Macintosh)'",
            "MS-DOS code page 850": "Excel's 'CSV (MS-DOS)'"}
SAMPLE_WINDOWS = 2_000      # non-ASCII bytes whose surroundings are scored: a 200 MB file is not decoded thrice
SAMPLE_CONTEXT = 24         # bytes either side of each
ASCII_BLOCK = 1 << 16       # bytes.isascii() skips ASCII blocks at memory speed; a regex would take 2 s per 200 MB
_NON_ASCII = re.compile(rb"[\x80-\xff]")
# An apostrophe inside a word is an English one (don't, it's, we're) or a name's (O'Brien, d'Artagnan):
# 'Mart'n' is Mac Roman's 'Martín' read as Windows-1252.
_ENDINGS_AFTER_APOSTROPHE = re.compile(r"(?:s|t|re|ve|ll|d|m)(?![^\W\d_])", re.IGNORECASE)
OPENING_PUNCTUATION = "\u201c\u2018\u00ab\u00bf\u00a1"                   # “ ‘ « ¿ ¡
CLOSING_PUNCTUATION = "\u201d\u2019\u00bb\u2026\u2122\u00ae\u00a9"     # ” ’ » … ™ ® ©


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError as error:
            raise UploadRefused(
                f"The file starts like UTF-8 but byte {error.start + 3} is not valid UTF-8. "
                "Save it again as 'CSV UTF-8' and upload that."
            ) from error
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as error:
        if _UTF8_MULTIBYTE.search(data):
            line = data.count(b"\n", 0, error.start) + 1
            raise UploadRefused(
                f"The file mixes encodings: it has UTF-8 text, but line {line} has characters saved in another "
                "encoding, so accented names would come out garbled. Save the whole file again as "
                "'CSV UTF-8' and upload that."
            ) from error
    return _decode_single_byte(data)


def _decode_single_byte(data: bytes) -> tuple[str, str]:
    """The text in the single-byte encoding whose accented letters make the most plausible words.
    In doubt (a tie, or nothing better than Windows-1252's reading) Windows-1252, as before these
    others were read; without it (a byte it does not define) the file is refused."""
    sample = _non_ascii_sample(data)
    scores = {}
    for codec in SINGLE_BYTE_ENCODINGS:
        try:
            scores[codec] = _plausibility(sample.decode(codec))
        except UnicodeDecodeError:
            continue          # a byte the encoding does not define (0x81 in Windows-1252)
    while scores and (codec := _clearly_best(scores, _ends_rows_with_cr_alone(data))):
        try:
            return data.decode(codec), SINGLE_BYTE_ENCODINGS[codec]
        except UnicodeDecodeError:
            del scores[codec]     # a byte it does not define past the sample
    raise UploadRefused(
        "The file is neither UTF-8 nor Windows-1252 text, and its accented letters do not read clearly as Mac "
        "Roman or MS-DOS text either (the other encodings Excel saves). Save it as 'CSV UTF-8 (comma "
        "delimited)' and upload that."
    )


def _clearly_best(scores: dict[str, int], mac_line_ends: bool) -> str | None:
    """The encoding of highest score; Windows-1252 on a tie with it, or when the leader has nothing
    in its favour; between Mac Roman and MS-DOS alone, Mac Roman in a file whose rows end with a CR
    alone (what Excel's 'CSV (Macintosh)' writes). None when nothing is clearly best."""
    top = max(scores.values())
    leaders = [codec for codec, score in scores.items() if score == top]
    if "cp1252" in leaders:
        return "cp1252"
    if top > 0 and len(leaders) > 1 and mac_line_ends:
        return "mac_roman"
    if top > 0 and len(leaders) == 1:
        return leaders[0]
    return "cp1252" if "cp1252" in scores else None


def _non_ascii_sample(data: bytes) -> bytes:
    """The surroundings of the file's first SAMPLE_WINDOWS non-ASCII bytes, one to a line."""
    windows, position = [], 0
    for block in range(0, len(data), ASCII_BLOCK):
        if data[block:block + ASCII_BLOCK].isascii():
            continue
        position = max(position, block)
        while len(windows) < SAMPLE_WINDOWS and (found := _NON_ASCII.search(data, position, block + ASCII_BLOCK)):
            windows.append(data[max(found.start() - SAMPLE_CONTEXT, 0):found.start() + SAMPLE_CONTEXT])
            position = found.start() + SAMPLE_CONTEXT
        if len(windows) == SAMPLE_WINDOWS:
            break
    return b"\n".join(windows)


def _plausibility(text: str) -> int:
    """How well the non-ASCII characters of `text` make words: a point for each that sits in a word
    as a lowercase letter, as a capital starting a word or in a word of capitals, as an apostrophe
    (O’Brien, don’t) or as punctuation against a word's outer side (“yes”, wait…, Acme™); a point
    off for each that breaks a word: a symbol between two letters (Pe¤a), a capital after a
    lowercase letter (JosŽ) or before one inside a word (MŸller), a lowercase letter before a
    capital (O’Brien read as OíBrien) or after two capitals (JOSƒ)."""
    score = 0
    for found in re.finditer(r"[^\x00-\x7f]", text):
        at, char = found.start(), found.group()
        two_before, before, after = _char_at(text, at - 2), _char_at(text, at - 1), _char_at(text, at + 1)
        if char.islower():
            breaks = after.isupper() or (before.isupper() and two_before.isupper())
            score += -1 if breaks else int(_cased(before) or _cased(after))
        elif char.isupper():
            breaks = before.islower() or (before.isupper() and after.islower())
            score += -1 if breaks else int(_cased(before) or _cased(after))
        elif _cased(before) and _cased(after):
            if char == "\u2019":
                score += int(not _cased(two_before) or bool(_ENDINGS_AFTER_APOSTROPHE.match(text, at + 1)))
            elif char != "\u00b7":   # Catalan's col·lecció
                score -= 1
        elif (char in OPENING_PUNCTUATION and _cased(after)) or (char in CLOSING_PUNCTUATION and _cased(before)):
            score += 1
    return score


def _char_at(text: str, at: int) -> str:
    """The character at `at`, a space outside the text."""
    return text[at] if 0 <= at < len(text) else " "


def _cased(char: str) -> bool:
    return char.islower() or char.isupper()


def _ends_rows_with_cr_alone(text: str | bytes) -> bool:
    """Whether the first row ends with a carriage return alone (Excel for Mac's 'CSV (Macintosh)'),
    looking no further than the first line feed: never a search through a whole 200 MB file."""
    cr, lf = ("\r", "\n") if isinstance(text, str) else (b"\r", b"\n")
    first_lf = text.find(lf)
    first_cr = text.find(cr, 0, len(text) if first_lf == -1 else first_lf)
    return first_cr != -1 and text[first_cr + 1:first_cr + 2] != lf


def _looks_utf16(data: bytes) -> bool:
    """A UTF-16 byte-order mark, or text whose every other byte is NUL (UTF-16 without a mark)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:400] if len(data) % 2 == 0 else data[:min(len(data) - 1, 400)]
    if len(sample) < 8:
        return False
    for zeros, letters in ((sample[1::2], sample[0::2]), (sample[0::2], sample[1::2])):
        if not zeros.strip(b"\x00") and b"\x00" not in letters:
            return True
    return False


def _first_line(text: str, prefix: int = 1_000_000) -> str:
    """text.splitlines()[0] without splitting a whole 2 GB file into millions of lines."""
    lines = text[:prefix].splitlines()
    if lines and (len(lines) > 1 or len(text) <= prefix or len(lines[0]) < prefix):
        return lines[0]
    return text.splitlines()[0] if text.splitlines() else ""


# A report saved from a spreadsheet, as Zammad writes it (lib/excel_sheet.rb): its title in the first
# cell of row 1, an empty row, the column names in row 3, the data, an empty row and a last line
# "Timezone: Europe/Berlin" (the word in the user's language) naming the zone of every time above.
# Excel pads each of these rows with delimiters to the sheet's width.
REPORT_NOTE_ROWS = 4   # rows looked at above the column names and below the data
FOOTER = re.compile(r"\s*([^\W\d_][^:]{0,39}):\s*(UTC|[A-Z][A-Za-z]+(?:/[A-Za-z0-9_+\-]+){1,2})\s*")
# A header cell is a name: not a number, a date or a time (those make a data row, not a header).
VALUE_LIKE = re.compile(r"[\d\s.,:/+-]+")


def _lines(text: str, count: int) -> list[str]:
    """The first `count` lines of text, each with its line end (CR LF, LF or CR), without splitting
    the whole file."""
    found = (match.group() for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text[:1_000_000]))
    return list(islice((line for line in found if line), count))


def _cells(line: str, delimiter: str) -> list[str]:
    return [cell.strip() for cell in next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])]


def _title_rows(text: str, delimiter: str | None) -> tuple[int, int, str]:
    """(characters, rows, title) above the real header row of a report saved from a spreadsheet: rows
    whose only text is in their first cell (the title) or that are empty, followed by a row of names.
    (0, 0, "") for any other file: then the first row is the header, as always. `delimiter`: the one
    Excel's 'sep=' line names, else each line's own."""
    lines = _lines(text, REPORT_NOTE_ROWS + 1)
    title, skipped = "", 0
    for index, line in enumerate(lines):
        if line.count('"') % 2:
            return 0, 0, ""          # a quoted value runs on to the next line (a name with a line break)
        cells = _cells(line, delimiter or _sniff_delimiter(line))
        named = [cell for cell in cells if cell]
        if len(named) >= 2:
            names = index > 0 and title and all(cells) and not any(VALUE_LIKE.fullmatch(cell) for cell in cells)
            return (skipped, index, title) if names else (0, 0, "")
        if len(named) == 1 and (cells[0] != named[0] or title):
            return 0, 0, ""          # a second title, or text in another cell: not this layout
        title = title or (named[0] if named else "")
        skipped += len(line)
    return 0, 0, ""


def _footer(text: str, end: int, header_end: int, delimiter: str) -> tuple[int, str, str | None]:
    """(end, footer, zone) of a report: where the records end once its last line ('Timezone:
    Europe/Berlin', alone in its row, an empty row above it) and those empty rows are left out;
    (end, "", None) when the file does not end so. Whatever is above the column names: a manager who
    deleted the report's title rows kept its last line, and the times are still in its zone. Lines
    are read bottom up, so a note inside a quoted value must not pass for the report's: the cut must
    fall outside quotes (an even number of quote characters before it, none after)."""
    lines, position = [], end          # (start, cells) of the last few lines, bottom up
    for _ in range(REPORT_NOTE_ROWS):
        line_feed = text.rfind("\n", 0, position)   # a CR only after it: no search back through 200 MB
        start = max(line_feed, text.rfind("\r", line_feed + 1, position)) + 1
        if start <= header_end:
            break
        lines.append((start, _cells(text[start:position], delimiter)))
        position = start - 1           # one line end back (CR LF, LF or CR): an empty line is a row
        if position and text[position] == "\n" and text[position - 1] == "\r":
            position -= 1
    note = next((i for i, (_, cells) in enumerate(lines) if any(cells)), None)
    if note is None:
        return end, "", None
    note_start, cells = lines[note]
    match = FOOTER.fullmatch(cells[0]) if not any(cells[1:]) else None
    above = next((i for i in range(note + 1, len(lines)) if any(lines[i][1])), len(lines))
    if not match or above == note + 1 or not _known_zone(match.group(2)):
        return end, "", None
    cut = lines[above - 1][0]          # the first empty row above the note
    if text.count('"', 0, cut) % 2 or '"' in text[cut:end]:
        return end, "", None
    while cut and text[cut - 1] in "\r\n":
        cut -= 1
    return cut, cells[0], match.group(2)


def _known_zone(name: str) -> bool:
    """Whether the name is a zone as the charter names one (Area/Location, or UTC: ICU also knows
    'BST' as Dhaka and 'IST' as Kolkata) that both zoneinfo and ICU, which converts the times, know."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    with duckdb.connect() as con:
        return bool(con.execute("SELECT count(*) FROM pg_timezone_names() WHERE name = ?", [name]).fetchall()[0][0])


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if max(counts.values()) else ","


# As DuckDB's max_line_size (store/ingest.py): a long value is a bad row (too long), not a bad file.
csv.field_size_limit(20_000_000)


def _read_records(text: str, delimiter: str, header_row: int = 1) -> tuple[int, ...]:
    """One pass of Python's csv module over the records, when the text needs it, numbering them as
    a spreadsheet numbers rows (header = header_row, empty lines included). Returns the row numbers of the
    empty lines between records: DuckDB skips them while a spreadsheet counts them, so
    rejected-row numbers must be shifted past them. Refuses a file whose quoting DuckDB would read
    without a word but wrongly: a quote never closed swallows every row below it into one value, and
    text right after a closing quote ("ab"cd) loses a character; strict mode stops at both, at the
    record it is reading. Only a file with a quote or an empty line is read (0.18 s per 100,000 rows)."""
    end = len(text)
    while end and text[end - 1] in "\r\n":   # trailing line ends are no rows (no copy of the text)
        end -= 1
    # Each search reads the whole text (0.15 s per 185 MB); one for a CR, a memchr, spares two.
    gaps = ("\n\n", "\n\r\n", "\r\r") if text.find("\r", 0, end) != -1 else ("\n\n",)
    has_gaps = any(text.find(gap, 0, end) != -1 for gap in gaps)
    if not has_gaps and text.find('"', 0, end) == -1:
        return ()
    blank, row = [], 0
    try:
        for row, record in enumerate(csv.reader(io.StringIO(text[:end], newline=""), delimiter=delimiter, strict=True),
                                     start=header_row):
            if not record:
                blank.append(row)
    except csv.Error as error:
        _refuse_broken_quoting(error, max(row, header_row - 1) + 1, delimiter)
        return ()   # another csv error (a value over the size limit): keep DuckDB's numbering
    return tuple(blank) if has_gaps else ()


class BrokenQuoting(UploadRefused):
    """The file's quoting is broken at `row` (a quote never closed, or text after a closing quote)."""

    def __init__(self, message: str, row: int):
        super().__init__(message)
        self.row = row


def _refuse_broken_quoting(error: csv.Error, broken: int, delimiter: str) -> None:
    """BrokenQuoting for the csv module's two quoting errors at row `broken`; other errors pass."""
    if "unexpected end of data" in str(error):
        raise BrokenQuoting(
            f'Row {broken} opens a quoted value (") that is never closed, so every row below it would be '
            f"read as part of that one value and lost. Close or remove that quote in row {broken} and "
            "upload the file again.", broken
        ) from error
    if "expected after" in str(error):
        raise BrokenQuoting(
            f'Row {broken} has text right after a closing quote (like "abc"def), which is not valid CSV: a quoted '
            f"value ends at a {_separator(delimiter)} or at the end of the line, and a quote inside it is written "
            f'twice ("abc""def"). Fix row {broken}, or export the file again, and upload it again.', broken
        ) from error


# PHP's fputcsv, with which osTicket and other PHP helpdesks export, writes a quote that follows a
# backslash as it is instead of doubling it (a backslash is its escape character), so a subject typed
# He said \"hi\" is written "He said \"hi\"", which the usual reading (a quote inside a value is doubled)
# takes for broken quoting. PHP's own reader, fgetcsv, keeps both characters: inside a quoted value a
# backslash takes the next character as it is, and neither is dropped. DuckDB's escape option drops
# the backslash, before any character (C:\Users reads C:Users), and no longer reads "" as a quote, so
# such a file is rewritten as the usual CSV instead: each quote after a backslash is doubled, which the
# usual reading gives back as PHP's does. Every other character stays as written.
SAMPLED_ROWS = 3   # rows named in the upload summary


def _php_quoting(delimiter: str) -> re.Pattern:
    """Tokens of a file quoted as fputcsv writes it: `same`, a stretch that reads alike either way
    (unquoted text and line ends, quoted values on one line without a backslash before a quote, a bare
    quote inside an unquoted value: 5" screen); `lines`, such a quoted value with a line break in it;
    `escaped`, a quoted value with a quote after a backslash; `broken`, a quote that opens a value
    which does not close (a quote right before a delimiter or a line end). The quantifiers are
    possessive: as in PHP's reader nothing is read twice (a quote after a backslash is inside the
    value, "" is one quote, and a quote before anything but a delimiter or a line end does not close
    it), and a broken file fails at once rather than after trying every other way to split it."""
    d = re.escape(delimiter)
    opens, closes = rf'(?<![^{d}\r\n])"', rf'"(?=[{d}\r\n]|\Z)'
    one_line = rf'{opens}(?:[^"\\\r\n]++|""|\\[^"\r\n])*+{closes}'
    same = rf'(?:[^"]++|{one_line}|(?<=[^{d}\r\n])")++'
    lines = rf'{opens}(?:[^"\\]++|""|\\[^"])*+{closes}'
    escaped = rf'{opens}(?:[^"\\]++|""|\\[\s\S])*+{closes}'
    return re.compile(rf'(?P<same>{same})|(?P<lines>{lines})|(?P<escaped>{escaped})|(?P<broken>{opens})')


def _backslash_quotes_as_usual_csv(text: str, delimiter: str, header_row: int,
                                   broken: BrokenQuoting) -> tuple[str, int, tuple[int, ...]]:
    """(text, values, rows): the file's text with each quote that follows a backslash inside a quoted
    value doubled, how many values have one and the rows of the first few. Only for a file whose usual
    reading broke at `broken.row`. It is refused as before when it has no such quote, or when its
    quoting is broken in PHP's reading too: a value that does not close, or a quote after a backslash
    right before a delimiter or a line end, which is also how fputcsv ends a value ending with a
    backslash ("C:\temp\",): where that value ends nobody can say, and PHP's reader would run on into
    the rows below. The refusal then names the row where PHP's reading breaks as well. One pass of a
    regular expression; rows are counted from the line ends outside quoted values as it goes."""
    if '\\"' not in text:
        raise broken
    parts, rows, values, row = [], [], 0, header_row
    ambiguous = re.compile(rf'\\"(?=[{re.escape(delimiter)}\r\n])')
    for token in _php_quoting(delimiter).finditer(text):
        value = token.group()
        if token.lastgroup == "same":
            row += value.count("\n") + value.count("\r") - value.count("\r\n")   # no quoted line break in it
        elif token.lastgroup == "broken":
            _refuse_in_php_reading_too(broken, row, "a quoted value that does not close (a quote right before a "
                                                    f"{_separator(delimiter)} or a line end)")
        elif token.lastgroup == "escaped":
            if ambiguous.search(_escape_pairs_marked(value)):
                _refuse_in_php_reading_too(broken, row, f"a quote after a backslash (\\\") right before a "
                                           f"{_separator(delimiter)} or a line end, as a value ending with a "
                                           "backslash is written too, so where that value ends cannot be told")
            values += 1
            if len(rows) < SAMPLED_ROWS:
                rows.append(row)
            value = re.sub(r'\\[\s\S]', lambda pair: '\\""' if pair.group() == '\\"' else pair.group(), value)
        parts.append(value)
    return "".join(parts), values, tuple(rows)


def _escape_pairs_marked(value: str) -> str:
    """The quoted value with every backslash pair but \\" blanked (\\\\ and the like), so that a
    search for \\" finds only a quote a backslash takes as it is."""
    return re.sub(r'\\[\s\S]', lambda pair: pair.group() if pair.group() == '\\"' else "  ", value)


def _refuse_in_php_reading_too(broken: BrokenQuoting, row: int, why: str) -> None:
    """`broken` again, saying where and why PHP's reading breaks too."""
    raise BrokenQuoting(f"{broken} Read as osTicket and other PHP-based helpdesks write quotes (a quote after a "
                        f"backslash, \\\", kept as written), row {row} has {why}.", broken.row) from broken


def _separator(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}.get(delimiter, repr(delimiter))


def shown_header(header: str, limit: int = 40) -> str:
    """A header for a message, shortened: a 100 KB header cell must not flood it."""
    return header if len(header) <= limit else header[:limit] + "…"


def decode_upload(data: bytes, work_dir: str | Path | None = None) -> DecodedFile:
    """Check the bytes and write a UTF-8 copy for DuckDB. Refuses what cannot be a CSV."""
    refuse_if_too_large(len(data))
    if not data or data.isspace():   # as `not data.strip()`, without copying the file
        raise UploadRefused("The file is empty. Export it again from the helpdesk and check it has rows.")
    if _looks_utf16(data):
        raise UploadRefused(
            "The file is saved as UTF-16 ('Unicode Text' in Excel), which Charter Desk does not read. "
            "In Excel use File > Save As > 'CSV UTF-8 (comma delimited)' and upload that file."
        )
    if b"\x00" in data:
        raise UploadRefused(
            "This is not a CSV text file (it contains binary data, e.g. an Excel .xlsx or a zip). "
            "In Excel use File > Save As > 'CSV UTF-8' and upload that file."
        )
    text, encoding = _decode(data)
    normalised = _ends_rows_with_cr_alone(text)
    if normalised:
        # Old Mac line ends (Excel for Mac's "CSV (Macintosh)"): rows end with a CR alone, while a line
        # break inside a quoted cell (Alt+Enter) is an LF, which Python's csv module and DuckDB would
        # otherwise take for the file's line end. Every line end becomes one LF, as Excel reads them.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text or text.isspace():  # e.g. only a byte-order mark (as `not text.strip()`, without a copy)
        raise UploadRefused("The file is empty. Export it again from the helpdesk and check it has rows.")
    first_line = _first_line(text)
    # Excel writes (and reads) a first line "sep=;" naming the delimiter; it hides that line, so
    # rows are numbered as Excel shows them: the header is row 1.
    hint = re.fullmatch(r"sep=([,;\t|])\s*", first_line, re.IGNORECASE)
    if hint:
        text = text[len(first_line):].lstrip("\r").removeprefix("\n")
        if not text.strip():
            raise UploadRefused("The file has only Excel's 'sep=' line and no rows. Export it again with its rows.")
        first_line = _first_line(text)
    above, title_rows, title = _title_rows(text, hint.group(1) if hint else None)
    if title_rows:
        text = text[above:]
        first_line = _first_line(text)
    delimiter = hint.group(1) if hint else _sniff_delimiter(first_line)
    headers = _header_cells(text, delimiter)
    if len(headers) < 2:
        raise UploadRefused(
            "The file has a single column, so it does not look like a CSV export (columns separated by "
            "commas or semicolons). Check the file type and the delimiter."
        )
    if any(len(h) > MAX_HEADER_LENGTH for h in headers):
        long = next(i for i, h in enumerate(headers, start=1) if len(h) > MAX_HEADER_LENGTH)
        raise UploadRefused(
            f"The first row could not be read as CSV column headers: column {long} of it is "
            f"{len(headers[long - 1]):,} characters long. Check that the file's first row names its columns."
        )
    if headers[0] and not any(headers[1:]):
        # a title line above the column names that _title_rows did not recognise as a report's
        raise UploadRefused(
            f"The first row names only its first column ({shown_header(headers[0])!r}): it looks like a title "
            "line above the column names. Delete the lines above the column names, then upload again.")
    end = len(text)
    while end and text[end - 1] in "\r\n":
        end -= 1
    end, footer, zone = _footer(text, end, len(first_line), delimiter)
    if footer:
        text = text[:end] + "\n"
    if not any(headers):
        raise UploadRefused("The first row, where the column names belong, has none (it holds only delimiters). "
                            "Delete the rows above the column names, then upload again.")
    # A column without a name is judged once its cells are read (store.ingest._unnamed_columns_note).
    header_row = 1 + title_rows
    backslash_quotes, backslash_quote_rows = 0, ()
    try:
        blank_rows = _read_records(text, delimiter, header_row)   # before anything is written: it may refuse the file
    except BrokenQuoting as broken:
        # an ordinary file never comes here: PHP's reading is tried only where the usual one breaks
        text, backslash_quotes, backslash_quote_rows = _backslash_quotes_as_usual_csv(text, delimiter, header_row,
                                                                                      broken)
        headers = _header_cells(text, delimiter)   # a quoted column name may hold one too
        blank_rows = _read_records(text, delimiter, header_row)
    folder = Path(work_dir or tempfile.mkdtemp(prefix="charterdesk-upload-"))
    path = folder / "upload.csv"
    if encoding == "UTF-8" and not normalised and not hint and not title_rows and not footer and not backslash_quotes:
        path.write_bytes(data)
    else:
        path.write_text(text, encoding="utf-8")
    return DecodedFile(path, encoding, delimiter, headers, checksum_of(data), len(data),
                       blank_rows, header_row, title, footer, zone, backslash_quotes, backslash_quote_rows,
                       _first_record_ends_with_an_empty_field(text, delimiter, len(headers)))


def _header_cells(text: str, delimiter: str) -> list[str]:
    """The first row's cells, trimmed: the column names."""
    try:
        headers = next(csv.reader(io.StringIO(text[:1_000_000]), delimiter=delimiter))
    except (csv.Error, StopIteration) as error:
        raise UploadRefused(f"The first row could not be read as CSV column headers ({error}).") from error
    return [h.strip() for h in headers]


def _first_record_ends_with_an_empty_field(text: str, delimiter: str, columns: int) -> bool:
    """Whether the first record below the header has one field more than the header's `columns`,
    and that one empty: a look at the start of the text DuckDB will read, and nothing more."""
    records = csv.reader(io.StringIO(text[:1 << 16]), delimiter=delimiter)
    first = next((record for record in islice(records, 1, 20) if record), None)
    return first is not None and len(first) == columns + 1 and not first[-1].strip()
