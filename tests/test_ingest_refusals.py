"""Refused files and rejected rows (spec section 4): every refusal leaves the database exactly as it
was (every table compared in full before and after); bad rows (at most 5%) are rejected with their
spreadsheet row number (header = row 1) and a reason while the good rows load.
"""
from __future__ import annotations

import io
import zipfile

import pytest

from ingest_helpers import (
    BAD, CONTACT_HEADER, USER, charter, contact, contact_row, csv_text, dump, load, open_db, rows, run_cli, utc,
    write_charter,
)
from store.batches import rejected_rows
from store.csvfile import UploadRefused
from store.ingest import DateFormatNeeded, commit_upload, prepare_upload

CUSTOMER_HEADER = "customer_id,joined_at,left_at,segment,product,region"
PRICE_HEADER = "customer_id,period,price_paid,product,new_customer_price,channel"


@pytest.fixture
def seeded(tmp_path):
    """A database that already holds a batch of each table, so 'unchanged' means something."""
    con = open_db(tmp_path)
    load(con, "contacts", csv_text(CONTACT_HEADER,
                                   contact_row("S1", "2026-03-02 09:00", agent="Ann", kind="complaint"),
                                   contact_row("S2", "2026-03-02 10:00", first_response_at="2026-03-02 10:30")),
         "seed-contacts.csv")
    load(con, "customers", csv_text(CUSTOMER_HEADER, "C1,2024-01-01,,,Home,"), "seed-customers.csv")
    load(con, "prices", csv_text(PRICE_HEADER, "C1,2026-01-01,100,Home,90,"), "seed-prices.csv")
    return con


def refused(con, table: str, data: bytes | str, **options) -> str:
    """Load, expect a refusal, check nothing changed; the refusal message."""
    before = dump(con)
    with pytest.raises(UploadRefused) as error:
        load(con, table, data, "refused.csv", **options)
    assert dump(con) == before
    return str(error.value)


def xlsx_bytes() -> bytes:
    """A minimal Excel-like zip container (what 'Save as .xlsx' gives)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>")
    return buffer.getvalue()


def good_rows(count: int, prefix: str = "G") -> list[str]:
    return [contact_row(f"{prefix}{i:03d}", "2026-03-03 09:00", agent="Ann") for i in range(count)]


# ------------------------------------------------------------------------------------ bad files

@pytest.mark.parametrize("data", [
    pytest.param(xlsx_bytes(), id="xlsx-zip"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", id="binary"),
    pytest.param(CONTACT_HEADER.encode() + b"\nT1,2026-03-02 09:00\x00,,,\n", id="nul-bytes"),
])
def test_not_a_csv_file(seeded, data):
    message = refused(seeded, "contacts", data)
    assert "not a CSV" in message and "CSV UTF-8" in message


def test_wrong_encoding(seeded):
    # 0x81 is undefined in Windows-1252 and not valid UTF-8 on its own; 'TÅ' (Mac Roman) and 'Tü'
    # (MS-DOS) are as plausible as each other, so nothing says which (reading 38).
    data = (CONTACT_HEADER + "\n").encode() + b"T\x81,2026-03-02 09:00" + b"," * 15 + b"\n"
    assert "neither UTF-8 nor Windows-1252" in refused(seeded, "contacts", data)


def test_missing_required_column_is_named(seeded):
    data = "ticket_id,channel,agent\nT1,email,Ann\n"
    message = refused(seeded, "contacts", data)
    assert "missing" in message and "opened_at" in message
    message = refused(seeded, "customers", "customer_id,left_at\nC9,2026-01-01\n")
    assert "joined_at" in message
    message = refused(seeded, "prices", "customer_id,period,product\nC9,2026-01-01,Home\n")
    assert "price_paid" in message


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \n"], ids=["zero-bytes", "bom-only", "blank"])
def test_empty_file(seeded, data):
    assert "empty" in refused(seeded, "contacts", data)


def test_header_only(seeded):
    assert "no data rows" in refused(seeded, "contacts", CONTACT_HEADER + "\r\n")


def test_a_title_line_with_no_column_names_below_it_is_named_as_such(seeded):
    """A report's title line is left out when a row of column names follows it
    (test_ingest_presets); when what follows is data, 'Columns 2 and 3 have no name in the header row
    but hold values' would not say what is wrong."""
    data = "2026-03;;\n101;t;2026-03-02 09:10:00\n102;t;2026-03-02 09:10:00\n"
    assert refused(seeded, "contacts", data) == (
        "The first row names only its first column ('2026-03'): it looks like a title line above the column "
        "names. Delete the lines above the column names, then upload again.")
    # a header row with one name missing is still asked to name it, once a row is seen to hold a value there
    assert refused(seeded, "contacts", "ticket_id,,opened_at\nT1,,2026-03-02 09:10\nT2,x,2026-03-02 09:10\n") == (
        "Column 2 has no name in the header row but holds a value in row 3 ('x'). Name the column in the header "
        "row (or delete it if it is not wanted), then upload again.")


def test_excels_empty_columns_without_a_name_are_left_out(seeded):
    """Excel saves the columns of a sheet once formatted as ',,,' ending every row, the header row
    included. They were refused ('Column(s) 18, 19, 20 of the header row have no name')."""
    padded = [row + ",,," for row in good_rows(20)]
    padded.insert(5, contact_row("B1", "2026-03-03 09:00", csat="9") + ",,,")         # row 7
    result = load(seeded, "contacts", csv_text(CONTACT_HEADER + ",,,", *padded))
    assert (result.rows_in_file, result.rows_loaded, result.rows_rejected) == (21, 20, 1)
    assert "Columns 18, 19 and 20 have no name in the header row and nothing in any row (a spreadsheet saves " \
           "columns it once formatted like this): left out." in result.notes
    assert contact(seeded, "G004")["agent"] == "Ann"
    # the rejected row is shown under the file's named columns only, on screen and in the upload history
    named = ["row", "reason", *CONTACT_HEADER.split(",")]
    assert list(result.rejected.columns) == named
    assert result.rejected[["row", "csat"]].values.tolist() == [[7, "9"]]
    assert list(rejected_rows(seeded, result.batch_id).columns) == named


def test_columns_without_a_name_holding_values_are_refused_naming_the_first_value(seeded):
    lines = [row + ",," for row in good_rows(20)]
    lines[9] = lines[9][:-2] + ",late,"                            # row 11, column 18
    lines[3] = lines[3] + "note"                                   # row 5, column 19
    lines[12] = lines[12] + "later"                                # row 14, column 19
    message = refused(seeded, "contacts", csv_text(CONTACT_HEADER + ",,", *lines))
    assert message == ("Columns 18 and 19 have no name in the header row but hold values (the first in row 5, "
                       "column 19: 'note'). Name the columns in the header row (or delete them if they are not "
                       "wanted), then upload again.")


def test_a_first_row_of_nothing_but_delimiters_is_refused_as_having_no_column_names(seeded):
    assert refused(seeded, "contacts", ",,\nT1,2026-03-02 09:10,email\n") == (
        "The first row, where the column names belong, has none (it holds only delimiters). Delete the rows "
        "above the column names, then upload again.")


def test_more_than_five_percent_bad_rows(seeded):
    # 2 bad rows of 20 = 10%: refused, naming the rows.
    data = csv_text(CONTACT_HEADER, *good_rows(9),
                    contact_row("B1", "not a date"),                   # row 11
                    *good_rows(9, "H"),
                    contact_row("B2", "2026-03-03 09:00", csat="9"))   # row 21
    message = refused(seeded, "contacts", data)
    assert "2 of 20 rows" in message and "10%" in message
    assert "row 11" in message and "row 21" in message


def test_exactly_five_percent_bad_rows_still_loads(seeded):
    data = csv_text(CONTACT_HEADER, *good_rows(19), contact_row("B1", "2026-03-03 09:00", csat="0"))
    result = load(seeded, "contacts", data)
    assert (result.rows_in_file, result.rows_loaded, result.rows_rejected) == (20, 19, 1)
    assert result.rejected[["row", "reason"]].to_dict("records") == [
        {"row": 21, "reason": "csat must be a whole number from 1 to 5, not '0'"}]


def test_larger_than_the_configured_limit(seeded, monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_UPLOAD_MB", "0.001")  # 1,048 bytes
    data = csv_text(CONTACT_HEADER, *good_rows(30))
    assert len(data) == 1522   # 0.00145 MB: shown to the decimal that reads above 0.001, not '0.0 MB'
    message = refused(seeded, "contacts", data)
    assert "The file is 0.0015 MB, above the 0.001 MB limit" in message and "DASHBOARD_MAX_UPLOAD_MB" in message
    small = csv_text(CONTACT_HEADER, *good_rows(2))
    assert len(small) < 1000 and load(seeded, "contacts", small).rows_loaded == 2


AMBIGUOUS = csv_text(CONTACT_HEADER,
                     contact_row("A1", "02/03/2026 14:05", first_response_at="03/03/2026 09:15"),
                     contact_row("A2", "05/03/2026 08:00"))


def test_ambiguous_dates_need_a_declared_order(seeded):
    before = dump(seeded)
    with pytest.raises(DateFormatNeeded) as error:
        load(seeded, "contacts", AMBIGUOUS)
    assert "02/03/2026" in str(error.value) and "dayfirst" in str(error.value)
    assert dump(seeded) == before
    # Declared day first: 2 March 2026 14:05 GMT.
    result = load(seeded, "contacts", AMBIGUOUS, date_format="dayfirst")
    assert result.rows_loaded == 2
    assert contact(seeded, "A1")["opened_at"] == utc("2026-03-02 14:05")
    assert contact(seeded, "A1")["first_response_at"] == utc("2026-03-03 09:15")
    assert contact(seeded, "A2")["opened_at"] == utc("2026-03-05 08:00")
    # the order chosen is part of what was loaded: the audit log keeps it
    assert rows(seeded, "SELECT detail FROM audit_log WHERE action = 'upload' ORDER BY happened_at DESC LIMIT 1") == [
        (f"batch {result.batch_id}: upload.csv into contacts, 2 rows loaded, 0 rejected, dates read day first (DD/MM/YYYY)",)]


@pytest.mark.parametrize("space", ["", " ", "\u00a0", "\u3000"])
def test_day_first_evidence_in_a_later_column_behind_any_space(seeded, space):
    # Only first_response_at settles the order (25 > 12), and its cell starts with a space that
    # trim strips (none, plain, no-break, ideographic): the cells picked for the evidence must
    # include it, or the file would be refused as ambiguous.
    data = csv_text(CONTACT_HEADER,
                    contact_row("D1", "02/03/2026 14:05", first_response_at=f"{space}25/03/2026 09:15"),
                    contact_row("D2", "2026-03-05 08:00"))
    result = load(seeded, "contacts", data)
    assert result.rows_loaded == 2
    assert any("25/03/2026" in note for note in result.notes)
    assert contact(seeded, "D1")["opened_at"] == utc("2026-03-02 14:05")
    assert contact(seeded, "D1")["first_response_at"] == utc("2026-03-25 09:15")   # GMT until 29 March


def test_ambiguous_dates_month_first(tmp_path):
    con = open_db(tmp_path)
    load(con, "contacts", AMBIGUOUS, date_format="monthfirst")
    # 3 February 2026 14:05 GMT; 3 May 2026 08:00 BST = 07:00 UTC.
    assert contact(con, "A1")["opened_at"] == utc("2026-02-03 14:05")
    assert contact(con, "A2")["opened_at"] == utc("2026-05-03 07:00")


def test_mixed_date_orders_are_refused(seeded):
    data = csv_text(CONTACT_HEADER, contact_row("M1", "13/03/2026 10:00"), contact_row("M2", "03/14/2026 10:00"))
    message = refused(seeded, "contacts", data)
    assert "13/03/2026" in message and "03/14/2026" in message


def test_a_declared_order_the_files_dates_contradict_is_refused(seeded):
    """A weekly job keeps its --date-format monthfirst when the helpdesk's export turns day-first:
    the 13/07 row was rejected and the 01/07-12/07 rows loaded as January to December, without a
    word. A file whose dates only the other order reads refuses the declared order; with dates of
    both orders (the mixed case) the declared order stands and the other rows are rejected."""
    day_first = [contact_row(f"U{d}", f"{d:02d}/07/2026 10:00") for d in range(1, 14)]
    message = refused(seeded, "contacts", csv_text(CONTACT_HEADER, *day_first), date_format="monthfirst")
    assert message.startswith("The dates were to be read month first (MM/DD/YYYY), but the file has 13/07/2026 10:00")
    assert "--date-format dayfirst" in message
    message = refused(seeded, "contacts", csv_text(CONTACT_HEADER, contact_row("V1", "07/13/2026 10:00")),
                      date_format="dayfirst")
    assert "07/13/2026 10:00, which only reads month first" in message
    result = load(seeded, "contacts", csv_text(CONTACT_HEADER, *day_first), date_format="dayfirst")
    assert (result.rows_loaded, contact(seeded, "U2")["opened_at"]) == (13, utc("2026-07-02 09:00"))
    mixed = csv_text(CONTACT_HEADER, *good_rows(40, "W"), contact_row("W13", "13/07/2026 10:00"),
                     contact_row("W14", "07/14/2026 10:00"))
    result = load(seeded, "contacts", mixed, date_format="monthfirst")
    assert list(result.rejected["row"]) == [42] and contact(seeded, "W14")["opened_at"] == utc("2026-07-14 09:00")


def test_a_date_neither_order_reads_is_a_bad_value_not_evidence_of_an_order(seeded):
    """31/31/2026 is neither day-first nor month-first: it was quoted as both orders ('the dates mix
    day-first (31/31/2026) and month-first (31/31/2026)') and the file asked for an order it does
    not need. It is a rejected row; with 13/02 beside it the file is day-first; alone in an ISO file
    too many of them refuse the file for bad rows, not for the order."""
    impossible = contact_row("X1", "31/31/2026 10:00")                   # row 42
    result = load(seeded, "contacts", csv_text(CONTACT_HEADER, *good_rows(40), impossible))
    assert result.rejected[["row", "reason"]].to_dict("records") == [{"row": 42, "reason": "opened_at: cannot read '31/31/2026 10:00' as a date and time"}]
    assert not any("Dates read" in note for note in result.notes)

    day_first = load(seeded, "contacts", csv_text(CONTACT_HEADER, *good_rows(40, "D"), impossible.replace("X1", "X2"),
                                                  contact_row("D13", "13/02/2026 10:00")), "day-first.csv")
    assert day_first.rejected[["row", "reason"]].to_dict("records") == [{"row": 42, "reason": "opened_at: cannot read '31/31/2026 10:00' as a date and time"}]
    assert contact(seeded, "D13")["opened_at"] == utc("2026-02-13 10:00")
    assert any("Dates read day first" in note and "13/02/2026" in note for note in result.notes + day_first.notes)

    # 45/02, 13/00 and 00/00 read in neither order either: 02/13 alone settles month first
    month_first = load(seeded, "contacts", csv_text(CONTACT_HEADER, *good_rows(80, "M"),
                                                    contact_row("M13", "02/13/2026 10:00"),
                                                    *[contact_row(f"N{i}", f"{cell} 10:00") for i, cell in
                                                      enumerate(("45/02/2026", "13/00/2026", "00/00/2026"))]),
                       "month-first.csv")
    assert contact(seeded, "M13")["opened_at"] == utc("2026-02-13 10:00")
    assert list(month_first.rejected["row"]) == [83, 84, 85]
    alone = load(seeded, "contacts", csv_text(CONTACT_HEADER, *good_rows(40, "Z"), contact_row("Z0", "00/00/2026 10:00")),
                 "zeros.csv")
    assert alone.rejected[["row", "reason"]].to_dict("records") == [{"row": 42, "reason": "opened_at: cannot read '00/00/2026 10:00' as a date and time"}]

    message = refused(seeded, "contacts", csv_text(CONTACT_HEADER, *good_rows(32, "R"),
                                                    *[impossible.replace("X1", f"X{i}0") for i in range(8)]))
    assert message.startswith("8 of 40 rows (20%) are bad") and "31/31/2026" in message and "mix" not in message


def test_unreadable_quoting_is_refused(seeded):
    data = CONTACT_HEADER + '\nQ1,2026-03-02 09:00,"never closed' + "," * 15 + "\n"
    refused(seeded, "contacts", data)


def test_a_quote_never_closed_mid_file_is_refused_not_swallowing_the_rows_below(seeded):
    # DuckDB alone read row 4's category as everything to the end of the file: rows 5-23 vanished
    rows = good_rows(2) + [contact_row("Q1", "2026-03-03 09:00", category="CAT").replace("CAT", '"oops')] + good_rows(19, "H")
    message = refused(seeded, "contacts", csv_text(CONTACT_HEADER, *rows))
    assert message.startswith("Row 4 opens a quoted value") and "never closed" in message


def test_text_after_a_closing_quote_is_refused_with_its_row(seeded):
    # "ab"cd: DuckDB alone stored 'abc'. Row 3 is empty, so the row is 5 as a spreadsheet counts.
    bad = contact_row("Q1", "2026-03-03 09:00", category="CAT").replace("CAT", '"ab"cd')
    data = CONTACT_HEADER + "\n" + good_rows(1)[0] + "\n\n" + good_rows(1, "H")[0] + "\n" + bad + "\n"
    message = refused(seeded, "contacts", data)
    assert message.startswith("Row 5 has text right after a closing quote")


def test_well_formed_quoting_loads_every_value_as_written(seeded):
    values = {"Q1": "multi\nline, with a comma", "Q2": 'say "hi"', "Q3": ""}
    rows = [contact_row(ticket, "2026-03-03 09:00", category=category) for ticket, category in values.items()]
    rows.append(contact_row("Q4", "2026-03-03 09:00", category="CAT").replace("CAT", '5" screen'))  # a bare quote mid-value
    result = load(seeded, "contacts", csv_text(CONTACT_HEADER, *rows))
    assert (result.rows_loaded, result.rows_rejected) == (4, 0)
    stored = dict(seeded.execute("SELECT ticket_id, category FROM contacts WHERE ticket_id LIKE 'Q%'").fetchall())
    assert stored == {"Q1": "multi\nline, with a comma", "Q2": 'say "hi"', "Q3": None, "Q4": '5" screen'}


def test_a_line_break_inside_a_cell_of_a_file_whose_rows_end_with_cr_alone(seeded):
    # Excel for Mac's 'CSV (Macintosh)': rows end with CR, a line break typed in a cell (Alt+Enter) is
    # an LF. It was refused with Python's "do you need to open the file in universal-newline mode?".
    data = (CONTACT_HEADER + "\r"
            + 'M1,2026-03-03 09:00,,,email,,,,,"line one\nline two",,,,,,,\r'   # row 2, on two lines
            + "\r".join(good_rows(19)) + "\r"                                  # rows 3 to 21
            + contact_row("M2", "2026-03-03 09:00", csat="9") + "\r")           # row 22
    result = load(seeded, "contacts", data)
    assert (result.rows_loaded, result.rows_rejected) == (20, 1)
    assert list(result.rejected["row"]) == [22]
    assert contact(seeded, "M1")["category"] == "line one\nline two"
    assert contact(seeded, "G018")["agent"] == "Ann"


def test_an_offset_no_clock_uses_is_a_bad_value_not_a_shifted_time(seeded):
    """+99:00 moved the time by four days; offsets run from -14:00 to +14:00."""
    impossible = ["2026-03-02T10:00:00+99:00", "2026-03-02T10:00+10:75", "2026-03-02 10:00-30:00",
                  "2026-03-02T10:00:00+25:00", "2026-03-02T10:00:00+14:30"]
    lines = good_rows(95) + [contact_row(f"X-{n}", text) for n, text in enumerate(impossible)]
    lines += [contact_row("K-east", "2026-03-02T10:00:00+14:00"), contact_row("K-west", "2026-03-02T10:00-12:00"),
              contact_row("K-nepal", "2026-03-02T10:00:00+0545")]
    result = load(seeded, "contacts", csv_text(CONTACT_HEADER, *lines), "week.csv")
    assert list(result.rejected["reason"]) == [f"opened_at: cannot read '{text}' as a date and time" for text in impossible]
    assert list(result.rejected["row"]) == [97, 98, 99, 100, 101]
    assert contact(seeded, "K-east")["opened_at"] == utc("2026-03-01 20:00")
    assert contact(seeded, "K-west")["opened_at"] == utc("2026-03-02 22:00")
    assert contact(seeded, "K-nepal")["opened_at"] == utc("2026-03-02 04:15")


def test_unknown_layout_is_refused(seeded):
    message = refused(seeded, "contacts", "Reference,When,Who\nX1,2026-03-02,Ann\n")
    assert "do not match a known export" in message and "Map them on the Data page" in message


# ------------------------------------------------------------------------------------- bad rows

def test_bad_rows_rejected_with_row_number_and_reason(seeded):
    lines = good_rows(190)
    bad = {
        # spreadsheet row -> (CSV line, expected reason)
        5: (contact_row("", "2026-03-03 09:00"), "ticket_id is missing"),
        20: (contact_row("X-opened", ""), "opened_at is missing"),
        40: ("X-ack,2026-03-03 09:00,,,,,,,,,yesterday,,,,,,", "acknowledged_at: cannot read 'yesterday'"),
        60: (contact_row("X-first", "2026-03-03 09:00", first_response_at="2026-13-45 10:00"),
             "first_response_at: cannot read '2026-13-45 10:00'"),
        80: (contact_row("X-resolved", "2026-03-03 09:00", resolved_at="3rd March"),
             "resolved_at: cannot read '3rd March'"),
        100: ("X-follow,2026-03-03 09:00,,,,,,,,,,,,2026-02-31 10:00,,,",
              "follow_up_at: cannot read '2026-02-31 10:00' as a date and time"),
        120: (contact_row("X-updated", "2026-03-03 09:00", updated_at="n/a"), "updated_at: cannot read 'n/a'"),
        140: (contact_row("X-csat", "2026-03-03 09:00", csat="6"), "csat must be a whole number from 1 to 5"),
        160: (contact_row("X-many", "2026-03-03 09:00") + ",surplus", "more fields than the header (17)"),
        180: ("X-few,2026-03-03 09:00,C1,enquiry", "fewer fields than the header (17)"),
    }
    for row in sorted(bad):
        lines.insert(row - 2, bad[row][0])
    assert len(lines) == 200  # 10 bad of 200 = 5%: allowed
    result = load(seeded, "contacts", csv_text(CONTACT_HEADER, *lines), "week.csv")
    assert (result.rows_in_file, result.rows_loaded, result.rows_rejected) == (200, 190, 10)
    assert list(result.rejected["row"]) == sorted(bad)
    for row, reason in zip(result.rejected["row"], result.rejected["reason"]):
        assert bad[row][1] in reason, (row, reason)
    # The good rows are stored, no bad ticket is, and the rejected rows are kept with the batch.
    assert rows(seeded, "SELECT count(*) FROM contacts WHERE ticket_id LIKE 'G%'")[0][0] == 190
    assert rows(seeded, "SELECT count(*) FROM contacts WHERE ticket_id LIKE 'X-%'")[0][0] == 0
    assert rejected_rows(seeded, result.batch_id).equals(result.rejected)


def test_a_rejected_row_keeps_its_cells_under_the_files_headers(seeded):
    """A manager fixes a rejected row from its values, not only its number: each rejected row comes
    with its cells as the file has them (untrimmed, an empty cell empty, a missing field blank),
    under the file's own headers; a header that would read as the rejection's own 'reason' is told
    apart by its column, and the fields past the last column get a column of their own. The batch
    keeps them, so the upload history gives back what the upload showed."""
    header = "ticket_id,opened_at,channel,csat,Reason"
    good = [f"G{n},2026-03-03 09:00,email,4,fine" for n in range(100)]
    bad = ["X1,2026-03-03 09:00, phone ,7,\"too, high\"", "X2,yesterday,email,,=1+1",
           "X3,2026-03-03 09:00,email,3,ok,surplus", "X4,2026-03-03 09:00"]
    result = load(seeded, "contacts", csv_text(header, *good[:10], *bad, *good[10:]), "week.csv")
    assert result.rows_rejected == 4
    frame = result.rejected
    assert list(frame.columns) == ["row", "reason", "ticket_id", "opened_at", "channel", "csat", "Reason (column 5)",
                                   "(fields past the last column)"]
    assert frame.drop(columns="reason").astype(object).where(frame.notna(), None).values.tolist() == [
        [12, "X1", "2026-03-03 09:00", " phone ", "7", "too, high", None],
        [13, "X2", "yesterday", "email", "", "=1+1", None],
        [14, "X3", "2026-03-03 09:00", "email", "3", "ok", "surplus"],
        [15, "X4", "2026-03-03 09:00", None, None, None, None],
    ]
    assert rejected_rows(seeded, result.batch_id).equals(frame)


def test_rejected_rows_of_a_batch_loaded_before_cells_were_kept_show_row_and_reason(seeded):
    """A database from before this change has rejected rows without cells: they are listed as then."""
    result = load(seeded, "contacts", csv_text(CONTACT_HEADER, *good_rows(30), contact_row("X1", "not a date")),
                  "week.csv")
    seeded.execute("UPDATE rejected_rows SET cells = NULL").fetchall()
    seeded.execute("UPDATE batches SET headers = NULL").fetchall()
    old = rejected_rows(seeded, result.batch_id)
    assert list(old.columns) == ["row", "reason"]
    assert old.values.tolist() == [[32, "opened_at: cannot read 'not a date' as a date and time"]]


@pytest.mark.parametrize("good, bad, share", [(18, 1, "5.3%"), (190, 11, "5.5%"), (8, 2, "20%"), (18999, 1001, "5.005%"),
                                              (1990, 101, None)])   # 4.8%: loaded
def test_a_refusal_never_rounds_the_bad_share_down_onto_the_limit(seeded, good, bad, share):
    """'1 of 19 rows (5%) are bad, more than the 5% allowed' read as a contradiction."""
    lines = good_rows(good) + [contact_row(f"X-{n}", "not a date") for n in range(bad)]
    if share is None:
        assert load(seeded, "contacts", csv_text(CONTACT_HEADER, *lines), "week.csv").rows_rejected == bad
        return
    message = refused(seeded, "contacts", csv_text(CONTACT_HEADER, *lines))
    assert f"{bad:,} of {good + bad:,} rows ({share}) are bad, more than the 5% allowed" in message


def test_bad_values_are_rejected_not_blanked_or_truncated(seeded):
    long_agent = "A" * 1001
    data = csv_text(CONTACT_HEADER, *good_rows(40),
                    contact_row("L1", "2026-03-03 09:00", agent=long_agent),      # row 42
                    contact_row("L2", "2026-03-03 09:00", kind="grievance"))      # row 43
    result = load(seeded, "contacts", data)
    assert result.rejected[["row", "reason"]].to_dict("records") == [
        {"row": 42, "reason": "agent is longer than 1,000 characters"},
        {"row": 43, "reason": "kind must be enquiry or complaint, not 'grievance'"}]


def test_row_numbers_count_blank_lines_like_a_spreadsheet(seeded):
    data = (CONTACT_HEADER + "\n" + "\n".join(good_rows(10)) + "\n\n"   # row 12 is empty
            + "\n".join(good_rows(10, "H")) + "\r\n\r\n"                  # row 23 is empty
            + contact_row("B1", "2026-03-03 09:00", csat="7") + "\n"      # row 24
            + "\n".join(good_rows(10, "K")) + "\n")
    result = load(seeded, "contacts", data)
    assert (result.rows_loaded, result.rows_rejected) == (30, 1)
    assert list(result.rejected["row"]) == [24]


def test_rows_of_nothing_but_delimiters_are_skipped_like_empty_lines(seeded):
    """A spreadsheet saves rows it once formatted as ',,,,': no record, so neither rejected nor counted
    against the 5% (docs/definitions.md reading 34). A short row of commas is still a bad row."""
    width = CONTACT_HEADER.count(",")
    padding = "," * width
    data = csv_text(CONTACT_HEADER, *good_rows(10), padding,               # row 12
                    *good_rows(20, "H"), padding, padding,                   # rows 33, 34
                    contact_row("B1", "2026-03-03 09:00", csat="7"),         # row 35
                    padding, padding, padding, padding)                      # rows 36-39: 7 of 38 lines
    result = load(seeded, "contacts", data)
    assert (result.rows_in_file, result.rows_loaded, result.rows_rejected) == (31, 30, 1)
    assert list(result.rejected["row"]) == [35]
    assert ("7 rows with nothing but delimiters (rows 12, 33, 34 and 4 more; a spreadsheet saves rows it once "
            "formatted like this) were skipped, as empty lines are.") in result.notes
    assert rows(seeded, "SELECT count(*) FROM contacts WHERE ticket_id IS NULL OR ticket_id = ''")[0][0] == 0

    short = load(seeded, "contacts", csv_text(CONTACT_HEADER, *good_rows(30, "S"), "," * (width - 1)), "short.csv")
    assert (short.rows_in_file, short.rows_rejected) == (31, 1)
    assert list(short.rejected["row"]) == [32]
    one = load(seeded, "contacts", csv_text(CONTACT_HEADER, *good_rows(3, "O"), padding), "one.csv")
    assert "1 row with nothing but delimiters (row 5; a spreadsheet saves rows it once formatted like this) was " \
           "skipped, as empty lines are." in one.notes


def test_a_date_written_with_a_time_is_read_on_the_charters_calendar_never_cut(seeded):
    # Europe/London: 23:30 at -05:00 is 05:30 on 2 May there; a local time keeps its date; text after
    # a date is not a date (it was cut off to the date before)
    data = csv_text(CUSTOMER_HEADER, *[f"D{i},2021-05-0{i},,,Home," for i in range(1, 10)], *[f"E{i},2021-06-0{i},,,Home," for i in range(1, 10)],
                    "R1,2021-05-01T23:30:00-05:00,,,Home,", "R2,2021-05-01 10:00,2022-01-01 00:00:00,,Home,",
                    "R3,2021-05-01 foo,,,Home,")
    result = load(seeded, "customers", data)
    assert result.rejected[["row", "reason"]].to_dict("records") == [{"row": 22, "reason": "joined_at: cannot read '2021-05-01 foo' as a date"}]
    stored = {c: (str(j), str(left)) for c, j, left in
              seeded.execute("SELECT customer_id, joined_at, left_at FROM customers WHERE customer_id LIKE 'R%'").fetchall()}
    assert stored == {"R1": ("2021-05-02", "None"), "R2": ("2021-05-01", "2022-01-01")}


@pytest.mark.parametrize("written", ["2026-07-01T14:05:00z", "2026-07-01 14:05:00 UTC", "2026-07-01 14:05:00 GMT",
                                     "2026-07-01T14:05:00 Z", "2026-07-01 15:05 +01:00"])
def test_utc_written_in_any_of_its_usual_ways_is_utc(seeded, written):
    # (in London that July afternoon is 15:05: read as local time it would be an hour off)
    load(seeded, "contacts", csv_text(CONTACT_HEADER, contact_row("Z1", written)))
    opened = seeded.execute("SELECT epoch(opened_at) FROM contacts WHERE ticket_id = 'Z1'").fetchone()[0]
    assert opened == 1782914700   # 2026-07-01 14:05:00 UTC


def test_negative_price_and_left_before_joined(seeded):
    prices = csv_text(PRICE_HEADER, *[f"P{i},2026-01-01,{10 + i}.50,Home,," for i in range(20)],
                      "P-neg,2026-01-01,-5.00,Home,,")       # row 22
    result = load(seeded, "prices", prices)
    assert result.rejected[["row", "reason"]].to_dict("records") == [{"row": 22, "reason": "price_paid is negative"}]
    prices = csv_text(PRICE_HEADER, *[f"Q{i},2026-01-01,7,Home,," for i in range(20)],
                      "Q-neg,2026-01-01,5.00,Home,-1,")      # row 22
    result = load(seeded, "prices", prices)
    assert result.rejected[["row", "reason"]].to_dict("records") == [{"row": 22, "reason": "new_customer_price is negative"}]
    customers = csv_text(CUSTOMER_HEADER, *[f"K{i},2020-01-01,,,," for i in range(20)],
                         "K-left,2024-05-01,2024-04-30,,,")    # row 22
    result = load(seeded, "customers", customers)
    assert result.rejected[["row", "reason"]].to_dict("records") == [{"row": 22, "reason": "left_at is before joined_at"}]
    assert rows(seeded, "SELECT count(*) FROM customers WHERE customer_id = 'K-left'")[0][0] == 0
    assert rows(seeded, "SELECT count(*) FROM prices WHERE customer_id IN ('P-neg', 'Q-neg')")[0][0] == 0


# ----------------------------------------------------------------------- encodings and duplicates

def test_windows_1252_file_keeps_accented_names(seeded):
    text = csv_text(CONTACT_HEADER,
                    contact_row("W1", "2026-03-02 09:00", agent="Zoë Brontë", team="Café Crème"),
                    contact_row("W2", "2026-03-02 09:30", agent="José Muñoz", category="Price €"),
                    newline="\r\n")
    result = load(seeded, "contacts", text.encode("cp1252"))
    assert result.encoding == "Windows-1252"
    assert any("Windows-1252" in note for note in result.notes)
    assert (contact(seeded, "W1")["agent"], contact(seeded, "W1")["team"]) == ("Zoë Brontë", "Café Crème")
    assert (contact(seeded, "W2")["agent"], contact(seeded, "W2")["category"]) == ("José Muñoz", "Price €")
    assert rows(seeded, "SELECT encoding FROM batches WHERE batch_id = ?", [result.batch_id]) == [("Windows-1252",)]


def test_windows_1252_capitals_before_a_curly_quote_are_not_taken_for_utf8(seeded):
    # in Windows-1252 'É’' is C9 92, a pair UTF-8 also allows: the file was refused as mixing encodings
    text = csv_text(CONTACT_HEADER, contact_row("W1", "2026-03-02 09:00", agent="Renée Müller"),
                    contact_row("W2", "2026-03-02 11:00", team="JOSÉ’S TEAM"))
    result = load(seeded, "contacts", text.encode("cp1252"))
    assert result.encoding == "Windows-1252"
    assert (contact(seeded, "W1")["agent"], contact(seeded, "W2")["team"]) == ("Renée Müller", "JOSÉ’S TEAM")


# Excel for Mac's 'CSV (Macintosh)': Mac Roman, rows ending with a CR alone. é = 8E, ü = 9F, ó = 97,
# ë = 91, ö = 9A, ñ = 96; Windows-1252 reads them as Ž Ÿ — ‘ š –.
MAC_ROMAN_ZENDESK = (b"Id,Requester id,Assignee,Group,Via,Tags,Created at,Updated at\r"
                     b"3001,601,Jos\x8e M\x9fller,Facturaci\x97n,Mail,,2026-07-13 10:00:00,2026-07-13 11:00:00\r"
                     b"3002,602,Zo\x91 J\x9ansson,R\x8eparations,Voice,complaint,2026-07-13 11:00:00,2026-07-13 12:00:00\r"
                     b"3003,603,I\x96igo Pe\x96a,Facturaci\x97n,Chat,,2026-07-14 09:00:00,2026-07-14 10:00:00\r")
# Excel's 'CSV (MS-DOS)': code page 850, CR LF. Å = 8F (a byte Windows-1252 does not define, so the
# file was refused), Ö = 99, é = 82, ó = A2, ñ = A4.
MS_DOS_ZENDESK = (b"Id,Requester id,Assignee,Group,Via,Tags,Created at,Updated at\r\n"
                  b"3101,701,\x8fsa \x99berg,R\x82parations,Mail,,2026-07-13 10:00:00,2026-07-13 11:00:00\r\n"
                  b"3102,702,I\xa4igo Pe\xa4a,Facturaci\xa2n,Chat,,2026-07-14 09:00:00,2026-07-14 10:00:00\r\n")


@pytest.mark.parametrize("data, encoding, names", [
    pytest.param(MAC_ROMAN_ZENDESK, "Mac Roman", {"3001": ("José Müller", "Facturación"),
                                                  "3002": ("Zoë Jönsson", "Réparations"),
                                                  "3003": ("Iñigo Peña", "Facturación")}, id="csv-macintosh"),
    pytest.param(MS_DOS_ZENDESK, "MS-DOS code page 850", {"3101": ("Åsa Öberg", "Réparations"),
                                                          "3102": ("Iñigo Peña", "Facturación")}, id="csv-ms-dos"),
])
def test_excel_mac_and_ms_dos_files_keep_accented_names(seeded, data, encoding, names):
    result = load(seeded, "contacts", data, "excel.csv")
    assert result.encoding == encoding
    saved_as = {"Mac Roman": "Excel's 'CSV (Macintosh)'", "MS-DOS code page 850": "Excel's 'CSV (MS-DOS)'"}[encoding]
    assert f"The file is not UTF-8, so it was read as {encoding} ({saved_as})" in result.notes[0]
    assert {ticket: (contact(seeded, ticket)["agent"], contact(seeded, ticket)["team"]) for ticket in names} == names
    assert rows(seeded, "SELECT encoding FROM batches WHERE batch_id = ?", [result.batch_id]) == [(encoding,)]


@pytest.mark.parametrize("agent, team", [
    ("François Lefèvre", "Réparations"),
    ("Jürgen Weiß", "Größe & Straße"),
    ("Iñigo Muñoz", "Facturación"),
    ("Siobhán O’Brien", "Don’t call"),
    ("Zoë “Zo” Brontë", "L’Oréal desk"),
    ("Renée Müller", "Prices in €"),
    ("Ann Lee", "Acme™ Pro, wait… 12 €"),
    ("JOSÉ’S TEAM", "Ærø – Ålesund"),
])
def test_windows_1252_files_stay_windows_1252(seeded, agent, team):
    text = csv_text(CONTACT_HEADER, contact_row("W1", "2026-03-02 09:00", agent=agent, team=team), newline="\r\n")
    result = load(seeded, "contacts", text.encode("cp1252"))
    assert result.encoding == "Windows-1252"
    assert (contact(seeded, "W1")["agent"], contact(seeded, "W1")["team"]) == (agent, team)


def test_same_file_twice_is_already_loaded(seeded):
    data = csv_text(CONTACT_HEADER, contact_row("D1", "2026-03-02 09:00", agent="Ann"))
    first = load(seeded, "contacts", data, "week10.csv")
    before = dump(seeded)
    again = load(seeded, "contacts", data, "week10 (1).csv")
    assert again.already_loaded and again.batch_id == first.batch_id
    assert (again.rows_loaded, again.rows_new, again.rows_updated) == (0, 0, 0)
    assert "already loaded" in again.notes[0]
    assert dump(seeded) == before


# ----------------------------------------------------------------------------- the command line

def test_cli_refusal_read_through_head_still_exits_2(tmp_path):
    """A scheduled load that keeps only the first line of the messages (`2>&1 | head -1`) still learns
    that the file was refused: the closed pipe does not turn exit status 2 into 1."""
    import os
    import subprocess
    import sys

    from ingest_helpers import PROJECT_ROOT

    path = tmp_path / "pipe.duckdb"
    open_db(tmp_path, "pipe.duckdb").close()
    bad = tmp_path / "all_bad.csv"   # every row rejected: the refusal lists thousands of rows
    bad.write_text(csv_text(CONTACT_HEADER, *(contact_row(f"P{i}", "not a date") for i in range(5000))))
    environment = {**os.environ, "DASHBOARD_DB": str(path), "DASHBOARD_CHARTER": str(write_charter(tmp_path))}
    environment.pop("CHARTERDESK_DEBUG", None)
    command = f'"{sys.executable}" cli.py load contacts "{bad}" 2>&1 | head -1; exit ${{PIPESTATUS[0]}}'
    done = subprocess.run(["bash", "-c", command], cwd=PROJECT_ROOT, env=environment, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout.startswith("refused: 5,000 of 5,000 rows") and done.stdout.count("\n") == 1
    assert "Exception ignored" not in done.stderr


def test_cli_refusals_exit_2_with_a_plain_message(tmp_path, monkeypatch, capsys):
    path = tmp_path / "cli.duckdb"
    con = open_db(tmp_path, "cli.duckdb")
    load(con, "contacts", csv_text(CONTACT_HEADER, contact_row("S1", "2026-03-02 09:00")))
    before = dump(con)
    con.close()
    # As a separate process, as a scheduled weekly load runs it.
    for file, expected in {BAD / "excel_saved_as_xlsx.csv": "not a CSV",
                           BAD / "missing_opened_at.csv": "opened_at"}.items():
        done = run_cli("load", "contacts", str(file), db_path=path)
        assert done.returncode == 2, (file.name, done.stdout, done.stderr)
        assert done.stderr.startswith("refused: ") and expected in done.stderr
        assert "Traceback" not in done.stderr and done.stdout == ""
    con = open_db(tmp_path, "cli.duckdb")
    assert dump(con) == before
    con.close()

    # In-process from here on (quicker): ambiguous dates are refused, then load once declared.
    import cli

    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setenv("DASHBOARD_CHARTER", str(write_charter(tmp_path)))
    assert cli.main(["load", "contacts", str(BAD / "ambiguous_dates.csv")]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("refused: ") and "--date-format" in captured.err and captured.out == ""
    assert cli.main(["load", "contacts", str(BAD / "ambiguous_dates.csv"), "--date-format", "dayfirst"]) == 0
    assert "3 rows loaded" in capsys.readouterr().out
    con = open_db(tmp_path, "cli.duckdb")
    assert contact(con, "AMB-1")["opened_at"] == utc("2026-03-02 14:05")
    assert contact(con, "AMB-3")["opened_at"] == utc("2026-04-11 07:30")  # 11/04/2026 08:30 BST


# ------------------------------------------------------------------------- the upload's own copy

def upload_copies(folder) -> list:
    return sorted(folder.glob("charterdesk-upload-*"))


def test_a_previewed_file_leaves_no_copy_on_the_server_whether_loaded_or_not(seeded, tmp_path, monkeypatch):
    """A manager who previews a file and closes the tab never loads or discards it: the copy made
    to read it must already be gone, or every abandoned preview would leave customers' data in the
    server's temp folder."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    data = csv_text(CONTACT_HEADER, *good_rows(3, "P")).encode()
    prepared = prepare_upload(seeded, "contacts", data, "week.csv", charter=charter())
    assert upload_copies(scratch) == []
    assert not prepared.decoded.path.exists()
    result = commit_upload(seeded, prepared, USER, charter())   # the preview still loads in full
    assert (result.rows_new, rows(seeded, "SELECT count(*) FROM contacts WHERE ticket_id LIKE 'P%'")) == (3, [(3,)])

    with pytest.raises(UploadRefused):
        prepare_upload(seeded, "contacts", CONTACT_HEADER.encode() + b"\n", "header-only.csv", charter=charter())
    with pytest.raises(UploadRefused):
        prepare_upload(seeded, "contacts", b'ticket_id,opened_at\n"T1,2026-03-02\n', "quote.csv", charter=charter())
    assert upload_copies(scratch) == []


def test_rows_timed_after_today_are_pointed_out_before_they_move_data_as_of(seeded):
    """'Data as of' is the latest time in the contacts (spec): one mistyped year (2099 for 2026)
    would move every page to that year. The preview says which rows; they still load, as the spec
    takes the data's times as they are."""
    data = csv_text(CONTACT_HEADER, *good_rows(3, "F"),
                    contact_row("F900", "2099-03-03 09:00"),
                    contact_row("F901", "2026-03-03 09:00", first_response_at="2099-03-04 10:30"))
    prepared = prepare_upload(seeded, "contacts", data.encode(), "typo.csv", charter=charter())
    try:
        assert [note for note in prepared.notes if "after today" in note] == [
            "2 rows are timed after today, the latest at row 6: 2099-03-04 10:30 UTC. 'Data as of' is the latest "
            "time in the contacts, so loading them moves every page's latest weeks, and the judging of open "
            "contacts, to then. Check those dates (a mistyped year?) before loading; a load can be undone."]
    finally:
        prepared.close()
    assert not [note for note in load(seeded, "contacts", csv_text(CONTACT_HEADER, *good_rows(3, "G"))).notes
                if "after today" in note]
    assert load(seeded, "contacts", data).rows_loaded == 5
