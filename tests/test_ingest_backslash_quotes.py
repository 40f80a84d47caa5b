"""A quote after a backslash, as PHP's fputcsv writes it (osTicket), docs/definitions.md reading 46.

fputcsv encloses a value holding a space, a quote, a delimiter or a backslash, doubles each quote in
it except one right after a backslash, which it writes as it is: the subject He typed \\"hello\\" is
written "He typed \\"hello\\"". PHP's fgetcsv reads that back with the backslash and the quote, and so
must the upload, where the usual reading (a quote is doubled) finds broken quoting. Files on disk,
a real DuckDB file; expected values worked out by hand (July is British Summer Time: 9:05 AM is
08:05 UTC).
"""
from __future__ import annotations

import pytest

from ingest_helpers import VENDORS, charter, contact, dump, load_fixture, open_db, rows, utc
from store.csvfile import UploadRefused
from store.ingest import commit_upload, prepare_upload

OSTICKET_HEADER = ('"Ticket Number","Date Created",Subject,From,"From Email",Priority,Department,"Help Topic",'
                   'Source,"Current Status","Last Updated","Closed Date","Agent Assigned","Reopen Count"')
ORDINARY = ('483940,"7/13/2026 9:05 AM","Cannot log in","Karen Doyle",karen.doyle@example.com,Normal,Support,'
            '"Report a Problem",Web,Closed,"7/13/2026 3:40 PM","7/13/2026 3:40 PM","Beth Walsh",0')


@pytest.fixture
def seeded(tmp_path):
    """A database already holding an osTicket batch, so that a refusal has something to leave alone."""
    con = open_db(tmp_path)
    load_fixture(con, "contacts", VENDORS / "osticket_tickets.csv")
    return con


def on_disk(tmp_path, name: str, *lines: str) -> object:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path


def refusal_leaving_the_database_as_it_was(con, path) -> str:
    """The message of the upload of `path`, which must be refused and leave `con` exactly as it was."""
    before = dump(con)
    with pytest.raises(UploadRefused) as error:
        load_fixture(con, "contacts", path)
    assert dump(con) == before
    return str(error.value)


def test_an_osticket_export_with_a_quote_after_a_backslash_loads_as_php_reads_it(tmp_path):
    con = open_db(tmp_path)
    path = VENDORS / "osticket_backslash_quotes.csv"
    prepared = prepare_upload(con, "contacts", path.read_bytes(), path.name, charter=charter())
    try:
        # Subject (column 3, c2) is mapped to nothing: its values as staged, one per row, none shifted
        subjects = prepared.cursor.execute("SELECT row_number, c2 FROM staged ORDER BY row_number").fetchall()
        assert subjects == [(2, 'He typed \\"hello\\" into the form'), (3, 'The "Pay now" button'),
                            (4, "Cannot log in"), (5, "Path C:\\Users\\george")]
        result = commit_upload(con, prepared, "tester", charter())
    finally:
        prepared.close()
    assert (result.preset, result.rows_in_file, result.rows_loaded, result.rows_rejected) == ("osticket", 4, 4, 0)
    assert ('3 values (rows 2, 4) have a quote after a backslash (\\"), which osTicket and other PHP-based helpdesks '
            'write without doubling the quote: the file was read as PHP reads it back, each \\" kept as written, '
            'backslash included (He typed \\"hi\\").') in result.notes
    # the audit log keeps how the file was read, as it keeps the date order
    assert con.execute("SELECT detail FROM audit_log WHERE action = 'upload'").fetchall() == [
        ("batch 1: osticket_backslash_quotes.csv into contacts, 4 rows loaded, 0 rejected, dates read month first "
         '(MM/DD/YYYY), 3 values with a quote after a backslash (\\") read as PHP writes them',)]

    row4 = contact(con, "483932")   # "IT\Support","Website \"Login\" page",...,"Ann \"The Fixer\"",0
    assert (row4["team"], row4["category"], row4["agent"]) == ("IT\\Support", 'Website \\"Login\\" page',
                                                               'Ann \\"The Fixer\\"')
    assert (row4["opened_at"], row4["resolved_at"]) == (utc("2026-07-14 07:30"), utc("2026-07-14 12:10"))
    assert row4["reopened_count"] == 0
    row3 = contact(con, "483931")   # doubled quotes in the same file read as always
    assert (row3["category"], row3["agent"], row3["reopened_count"]) == ('Billing / "Direct Debit"', "Beth Walsh", 1)
    row2 = contact(con, "483930")   # the row whose Subject has \" keeps every column in its place
    assert (row2["opened_at"], row2["agent"], row2["channel"]) == (utc("2026-07-13 08:05"), "Ciarán Murphy", "web")
    assert contact(con, "483933")["priority"] == "urgent"   # Emergency, below a subject with backslashes
    assert rows(con, "SELECT encoding FROM batches")[0][0] == "UTF-8"


def test_a_file_broken_in_both_readings_is_still_refused_naming_its_rows(seeded, tmp_path):
    # row 2 needs the backslash reading; row 4's category opens a quote that nothing closes
    path = on_disk(tmp_path, "broken.csv", OSTICKET_HEADER,
                   '483950,"7/13/2026 9:05 AM","He typed \\"hello\\"","Karen Doyle",k@example.com,Normal,Support,'
                   '"Report a Problem",Web,Closed,"7/13/2026 3:40 PM",,"Beth Walsh",0',
                   ORDINARY,
                   '483951,"7/13/2026 9:05 AM",Oops,"Karen Doyle",k@example.com,Normal,Support,'
                   '"Report a Problem,Web,Closed,"7/13/2026 3:40 PM",,"Beth Walsh",0',
                   ORDINARY.replace("483940", "483941"))
    message = refusal_leaving_the_database_as_it_was(seeded, path)
    assert message.startswith("Row 2 has text right after a closing quote")
    assert message.endswith('Read as osTicket and other PHP-based helpdesks write quotes (a quote after a backslash, '
                            '\\", kept as written), row 4 has a quoted value that does not close (a quote right '
                            'before a comma or a line end).')


def test_a_quote_after_a_backslash_before_a_comma_is_refused_not_guessed(seeded, tmp_path):
    # fputcsv writes "Path C:\temp\" for a subject ending with a backslash, so in row 3 nobody can say
    # whether the subject is 'Path C:\temp\' or runs on past the comma (PHP's reader runs on to row 4)
    path = on_disk(tmp_path, "ambiguous.csv", OSTICKET_HEADER,
                   ORDINARY,
                   '483952,"7/13/2026 9:05 AM","Said \\"hi\\", then left","Karen Doyle",k@example.com,Normal,Support,'
                   '"Report a Problem",Web,Closed,"7/13/2026 3:40 PM",,"Beth Walsh",0')
    message = refusal_leaving_the_database_as_it_was(seeded, path)
    assert message.startswith("Row 3 has text right after a closing quote")
    assert message.endswith('row 3 has a quote after a backslash (\\") right before a comma or a line end, as a '
                            "value ending with a backslash is written too, so where that value ends cannot be told.")


def test_an_ordinary_file_with_doubled_quotes_and_backslashes_reads_as_before(tmp_path):
    con = open_db(tmp_path)
    # a value ending with a backslash before its closing quote is the usual CSV's, and stays so
    path = on_disk(tmp_path, "ordinary.csv", OSTICKET_HEADER,
                   '483960,"7/13/2026 9:05 AM","The ""Pay now"" button","Karen Doyle",k@example.com,Normal,'
                   '"Path C:\\temp\\","Billing / ""Direct Debit""",Web,Closed,"7/13/2026 3:40 PM",,"Ann ""Ace"" Lee",0')
    result = load_fixture(con, "contacts", path)
    assert (result.rows_loaded, result.rows_rejected) == (1, 0)
    assert not any("backslash" in note for note in result.notes)
    stored = contact(con, "483960")
    assert (stored["team"], stored["category"], stored["agent"]) == ("Path C:\\temp\\", 'Billing / "Direct Debit"',
                                                                     'Ann "Ace" Lee')
