"""Vendor presets on realistic sample exports (spec section 4): detection without --preset, the
stored canonical values (UTC instants from naive Europe/London times, derived kind, lower-cased
channel, stop times from duration columns), header matching and both delimiters.

Sample exports: tests/fixtures/vendors/*.csv. July dates are British Summer Time (UTC+1), so a
naive 10:00 is stored as 09:00 UTC. Every expected value below is worked out by hand.
"""
from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest

from ingest_helpers import (
    CONTACT_HEADER, VENDORS, charter, contact, contact_row, csv_text, load, load_fixture, open_db, rows, utc,
)
from store import db
from store.csvfile import UploadRefused
from store.presets import KindRule, custom_preset, detect, find_preset, save_preset, saved_presets


def complaints(con) -> list[str]:
    return [r[0] for r in rows(con, "SELECT ticket_id FROM contacts WHERE kind = 'complaint' ORDER BY 1")]


# --------------------------------------------------------------------------------------- Zendesk

def test_zendesk_export_detected_and_mapped(tmp_path):
    con = open_db(tmp_path)
    result = load_fixture(con, "contacts", VENDORS / "zendesk_tickets.csv")
    assert result.preset == "zendesk"
    assert result.encoding == "UTF-8 with BOM"
    assert (result.rows_in_file, result.rows_loaded, result.rows_rejected, result.rows_new) == (8, 8, 0, 8)

    t = contact(con, "10231")  # Created at 2026-07-13 10:00:00 (BST), Via Mail, tags "billing complaint refund"
    assert t["opened_at"] == utc("2026-07-13 09:00")
    assert t["kind"] == "complaint"
    assert t["channel"] == "email"
    assert t["priority"] == "high"
    assert t["team"] == "Billing"
    assert t["agent"] == "Siobhán Ní Bhriain"
    assert t["customer_id"] == "3210001"
    # No first-reply timestamp in the export: 09:00 UTC + "First reply time in minutes" 42.
    assert t["first_response_at"] == utc("2026-07-13 09:42")
    assert t["resolved_at"] == utc("2026-07-13 14:20")  # Solved at 15:20 BST
    assert t["reopened_count"] == 1
    assert t["csat"] == 1  # "Bad"
    assert t["updated_at"] == utc("2026-07-14 08:05:12")

    t = contact(con, "10232")  # 16:45 BST = 15:45 UTC, first reply after 1095 min (18 h 15 min)
    assert t["opened_at"] == utc("2026-07-13 15:45")
    assert t["first_response_at"] == utc("2026-07-14 10:00")
    assert t["resolved_at"] is None
    assert t["channel"] == "phone"  # Via "Voice"
    assert t["csat"] is None  # "Not Offered"
    assert t["agent"] == "José Álvarez"
    assert t["kind"] == "enquiry"

    t = contact(con, "10233")  # Via "Web form", Satisfaction "Good"
    assert (t["channel"], t["csat"], t["priority"]) == ("web", 5, "low")
    assert t["resolved_at"] == utc("2026-07-15 10:30")

    t = contact(con, "10234")  # unassigned, not replied to yet
    assert t["agent"] is None
    assert t["first_response_at"] is None
    assert (t["channel"], t["priority"]) == ("chat", "urgent")

    assert contact(con, "10236")["csat"] is None  # "Offered": asked, not answered
    assert complaints(con) == ["10231"]


ZENDESK_SMALL = ("Id,Created at,Via,Tags,Solved at,First reply time in minutes,Full resolution time in minutes\n"
                 # no Solved at: stop = opened_at + 130 min
                 "501,2026-01-12 09:00:00,Mail,,,15,130\n"
                 # Solved at present: the timestamp wins over the (inconsistent) duration
                 "502,2026-01-12 10:00:00,Mail,complaint,2026-01-12 12:00:00,,999\n"
                 # durations blank: no stop at all
                 "503,2026-01-12 11:00:00,Voice,,,,\n")


def test_zendesk_duration_gives_stop_only_when_timestamp_absent(tmp_path):
    con = open_db(tmp_path)
    result = load(con, "contacts", ZENDESK_SMALL)
    assert result.preset == "zendesk"
    # January: GMT, so naive local time equals UTC.
    assert contact(con, "501")["first_response_at"] == utc("2026-01-12 09:15")
    assert contact(con, "501")["resolved_at"] == utc("2026-01-12 11:10")
    assert contact(con, "502")["resolved_at"] == utc("2026-01-12 12:00")
    assert contact(con, "502")["first_response_at"] is None
    assert contact(con, "503")["first_response_at"] is None
    assert contact(con, "503")["resolved_at"] is None


def test_negative_duration_is_a_bad_row(tmp_path):
    con = open_db(tmp_path)
    data = ZENDESK_SMALL + "".join(f"6{i:02d},2026-01-13 09:00:00,Mail,,,5,\n" for i in range(20))
    data += "700,2026-01-13 09:00:00,Mail,,,-5,\n"  # row 25: 24 data rows before it + header
    result = load(con, "contacts", data)
    assert result.rows_rejected == 1
    assert result.rejected.iloc[0]["row"] == 25
    assert "first_response_at duration" in result.rejected.iloc[0]["reason"]


@pytest.mark.parametrize("amount, reason", [
    ("inf", "first_response_at duration must be a number of minutes of 0 or more, not 'inf'"),
    ("nan", "first_response_at duration must be a number of minutes of 0 or more, not 'nan'"),
    ("-inf", "first_response_at duration must be a number of minutes of 0 or more, not '-inf'"),
    # 1e30 minutes overflowed the cast to microseconds and failed the whole load with DuckDB's message
    ("1e30", "first_response_at duration '1e30' minutes ends after 2099"),
    # 99999999999 minutes failed it in Python; 4000000000 loaded a reply in the year 9631 (as_of with it)
    ("99999999999", "first_response_at duration '99999999999' minutes ends after 2099"),
    ("4000000000", "first_response_at duration '4000000000' minutes ends after 2099"),
    # 40 years from 2026-01-13: 2066, inside the plausible years, is a value like any other
    ("21038400", None),
])
def test_a_duration_that_is_no_number_or_ends_past_the_calendar_is_a_bad_row(tmp_path, amount, reason):
    con = open_db(tmp_path)
    data = ZENDESK_SMALL + "".join(f"6{i:02d},2026-01-13 09:00:00,Mail,,,5,\n" for i in range(20))
    data += f"700,2026-01-13 09:00:00,Mail,,,{amount},\n"  # row 25: 24 data rows before it + header
    result = load(con, "contacts", data)
    if reason is None:
        assert result.rows_rejected == 0
        assert contact(con, "700")["first_response_at"] == utc("2066-01-13 09:00")   # 40 x 365.25 days later
        return
    assert (result.rows_loaded, result.rows_rejected) == (23, 1)
    assert (int(result.rejected.iloc[0]["row"]), result.rejected.iloc[0]["reason"]) == (25, reason)
    assert rows(con, "SELECT max(first_response_at) FROM contacts")[0][0] == utc("2026-01-13 09:05")


# ------------------------------------------------------------------------------------- Freshdesk

def test_freshdesk_export_detected_and_mapped(tmp_path):
    con = open_db(tmp_path)
    result = load_fixture(con, "contacts", VENDORS / "freshdesk_tickets.csv")
    assert result.preset == "freshdesk"
    assert (result.rows_in_file, result.rows_loaded, result.rows_rejected) == (6, 6, 0)

    t = contact(con, "4512")  # Type "Complaint", Source "Email", quoted subject with a comma
    assert t["opened_at"] == utc("2026-07-13 09:00")
    assert t["kind"] == "complaint"
    assert t["channel"] == "email"
    assert t["agent"] == "Zoë Lefèvre"
    assert t["team"] == "Customer Care"
    assert t["customer_id"] == "48001230001"  # Contact ID
    assert t["first_response_at"] == utc("2026-07-13 10:15")  # Initial response time 11:15 BST
    assert t["resolved_at"] == utc("2026-07-14 15:30")  # Resolved time (not Closed time)
    assert t["updated_at"] == utc("2026-07-15 08:00")
    assert t["csat"] == 1  # "Not Good"

    t = contact(con, "4513")
    assert (t["priority"], t["channel"], t["resolved_at"]) == ("normal", "phone", None)  # "Medium"
    assert (contact(con, "4514")["channel"], contact(con, "4514")["csat"]) == ("web", 5)  # Portal, Awesome
    assert (contact(con, "4515")["channel"], contact(con, "4515")["csat"]) == ("chat", 3)  # Neutral
    assert (contact(con, "4516")["channel"], contact(con, "4516")["agent"]) == ("web", None)  # Feedback Widget
    t = contact(con, "4517")  # Type "Refund" is not a complaint
    assert (t["channel"], t["priority"], t["kind"]) == ("email", "urgent", "enquiry")
    assert complaints(con) == ["4512"]


def test_freshdesk_type_complaints_in_the_plural_is_a_complaint(tmp_path):
    """An administrator names the Type; 'Complaints' is as common as 'Complaint' (the tag rules of the
    other presets take both)."""
    text = (VENDORS / "freshdesk_tickets.csv").read_text(encoding="utf-8").replace(",Email,Complaint,", ",Email,Complaints,")
    assert ",Complaints," in text
    con = open_db(tmp_path)
    load(con, "contacts", text, "freshdesk_plural.csv")
    assert complaints(con) == ["4512"]


# Freshdesk's own header order, the columns a resolution needs. January: GMT, so a naive time is UTC.
FRESHDESK_HEADER = "Ticket ID,Subject,Status,Priority,Source,Type,Created time,Resolved time,Closed time,Last update time"


def freshdesk_row(ticket: str, resolved: str, closed: str, *, created: str = "2026-01-12 09:00:00") -> str:
    return f"{ticket},Bill too high,Closed,Medium,Email,Complaint,{created},{resolved},{closed},{created}"


def freshdesk_filler(count: int) -> list[str]:
    """Good rows, so that a bad row or two stay under the 5% a file may have."""
    return [freshdesk_row(f"F{i:03d}", "2026-01-12 10:00:00", "") for i in range(count)]


def test_a_freshdesk_ticket_closed_without_a_resolved_time_is_resolved_when_it_was_closed(tmp_path):
    """resolved_at falls back to "Closed time" where "Resolved time" is blank (reading 47). A bad
    "Closed time" is a bad row like any bad timestamp, also beside a "Resolved time" (as a bad
    duration beside its timestamp is): the column is read on every row."""
    con = open_db(tmp_path)
    data = csv_text(FRESHDESK_HEADER,
                    freshdesk_row("R1", "2026-01-12 11:00:00", "2026-01-13 16:00:00"),  # row 2: both, Resolved wins
                    freshdesk_row("R2", "", "2026-01-13 16:00:00"),                     # row 3: closed only
                    freshdesk_row("R3", "", ""),                                        # row 4: neither: open
                    freshdesk_row("R4", "", "next week"),                               # row 5: closed unreadable
                    freshdesk_row("R5", "2026-01-12 11:00:00", "2026-01-13 25:00"),     # row 6: a bad Closed time beside
                    *freshdesk_filler(40))
    result = load(con, "contacts", data, "freshdesk.csv")
    assert result.preset == "freshdesk"
    assert (result.rows_in_file, result.rows_loaded, result.rows_rejected) == (45, 43, 2)
    assert contact(con, "R1")["resolved_at"] == utc("2026-01-12 11:00")
    assert contact(con, "R2")["resolved_at"] == utc("2026-01-13 16:00")
    assert contact(con, "R3")["resolved_at"] is None
    assert rows(con, "SELECT row_number, reason FROM rejected_rows ORDER BY 1") == [
        (5, "resolved_at from 'Closed time': cannot read 'next week' as a date and time"),
        (6, "resolved_at from 'Closed time': cannot read '2026-01-13 25:00' as a date and time"),
    ]
    assert rows(con, "SELECT count(*) FROM contacts WHERE ticket_id IN ('R4', 'R5')") == [(0,)]


def test_closed_time_is_a_column_the_freshdesk_mapping_reads(tmp_path):
    """Listed as used on the Data page, shown as resolved_at's fallback, and two columns of its name
    are a question of which one to read, as for any column a mapping reads."""
    from components.uploads import mapping_frame, unused_headers
    from store.ingest import prepare_upload

    con = open_db(tmp_path)
    data = csv_text(FRESHDESK_HEADER, freshdesk_row("R2", "", "2026-01-13 16:00:00"))
    prepared = prepare_upload(con, "contacts", data.encode(), "freshdesk.csv", charter=charter())
    assert "Closed time" not in unused_headers(prepared)
    frame = mapping_frame(prepared).set_index("column")
    assert (frame.loc["resolved_at", "from file column"], frame.loc["resolved_at", "note"]) == \
           ("Resolved time", "or 'Closed time' when blank")
    prepared.close()

    twice = csv_text(FRESHDESK_HEADER + ",Closed time", freshdesk_row("R2", "", "2026-01-13 16:00:00") + ",")
    with pytest.raises(UploadRefused, match="2 columns named 'Closed time'"):
        load(con, "contacts", twice, "freshdesk-twice.csv")


def test_a_freshdesk_export_without_resolved_time_reads_closed_time_as_before(tmp_path):
    con = open_db(tmp_path)
    header = FRESHDESK_HEADER.replace("Resolved time,", "")
    data = csv_text(header, "R2,Bill too high,Closed,Medium,Email,Complaint,2026-01-12 09:00:00,2026-01-13 16:00:00,"
                            "2026-01-13 16:00:00")
    assert load(con, "contacts", data, "freshdesk.csv").preset == "freshdesk"
    assert contact(con, "R2")["resolved_at"] == utc("2026-01-13 16:00")


def test_a_mapping_saved_from_a_preset_with_fallbacks_and_durations_reads_back(tmp_path):
    """A mapping started from a vendor preset keeps its fallbacks and durations when saved; the
    durations were saved as a list that could not be read back, so every upload failed from then on."""
    from components.uploads import MappingChoice

    con = open_db(tmp_path)
    mapping = {"ticket_id": "Ticket Number", "opened_at": "Created time", "resolved_at": "Resolved time"}
    for start_from in ("freshdesk", "zendesk"):
        choice = MappingChoice(mapping, None, [], find_preset(con, "contacts", start_from))
        with db.write_transaction(con) as cursor:
            save_preset(cursor, choice.preset("contacts", f"Renamed {start_from}"), "tester")
    saved = {p.name: p for p in saved_presets(con)}
    assert saved["Renamed freshdesk"].fallbacks == {"resolved_at": ("Closed time",)}
    assert saved["Renamed zendesk"].durations == {
        "first_response_at": ("First reply time in minutes", "minutes"),
        "resolved_at": ("Full resolution time in minutes", "minutes")}
    data = "Ticket Number,Created time,Resolved time,Closed time\nN1,2026-01-12 09:00:00,,2026-01-13 16:00:00\n"
    result = load(con, "contacts", data, "renamed.csv", preset_name="Renamed freshdesk")
    assert result.rows_loaded == 1
    assert contact(con, "N1")["resolved_at"] == utc("2026-01-13 16:00")


def test_a_mapping_that_points_resolved_at_elsewhere_saves_no_closed_time_fallback(tmp_path):
    """The fallback is Freshdesk's own "Resolved time"'s: a mapping from that layout reading resolved_at
    from another column ("Solved on") kept it, so a row blank there loaded as resolved when it was
    closed. Saved and read back it now has no fallback and that row loads open; one still reading
    "Resolved time" keeps it (the test above)."""
    from components.uploads import MappingChoice

    con = open_db(tmp_path)
    mapping = {"ticket_id": "Ticket Number", "opened_at": "Created time", "resolved_at": "Solved on"}
    choice = MappingChoice(mapping, None, [], find_preset(con, "contacts", "freshdesk"))
    with db.write_transaction(con) as cursor:
        save_preset(cursor, choice.preset("contacts", "Solved on"), "tester")
    saved = {p.name: p for p in saved_presets(con)}["Solved on"]
    assert saved.fallbacks == {} and saved.columns["resolved_at"] == ("Solved on",)
    data = csv_text("Ticket Number,Created time,Resolved time,Closed time,Solved on",
                    "S1,2026-01-12 09:00:00,,2026-01-13 16:00:00,2026-01-12 11:00:00",
                    "S2,2026-01-12 10:00:00,,2026-01-13 16:00:00,")
    assert load(con, "contacts", data, "solved-on.csv", preset_name="Solved on").rows_loaded == 2
    assert contact(con, "S1")["resolved_at"] == utc("2026-01-12 11:00")
    assert contact(con, "S2")["resolved_at"] is None


def test_a_complaint_closed_without_a_resolved_time_counts_as_resolved_in_the_kpis(tmp_path):
    """Through `cli.py load` and `cli.py kpis --json`. Complaints opened Monday 2 March 2026 (GMT):
    K1 resolved 11:00 (2 h); K2 closed 15:00 without a Resolved time (6 h); K3 open. as_of is K2's
    close, 15:00; K3's 24-hour deadline (Tuesday 10:00) is after it: pending. Resolution hours 2
    and 6: median 4. Read as open, K2 was pending and the median was 2."""
    from spec_harness import Desk, approx, std

    desk = Desk(tmp_path)
    desk.charter([std("resolution", 24, "hours", id="day", scope={"kind": ["complaint"]})])
    path = tmp_path / "freshdesk.csv"
    path.write_text(csv_text(FRESHDESK_HEADER.replace(",Last update time", ""),
                             "K1,a,Resolved,Low,Email,Complaint,2026-03-02 09:00:00,2026-03-02 11:00:00,",
                             "K2,b,Closed,Low,Email,Complaint,2026-03-02 09:00:00,,2026-03-02 15:00:00",
                             "K3,c,Open,Low,Email,Complaint,2026-03-02 10:00:00,,"), encoding="utf-8")
    loaded = desk.run("load", "contacts", str(path))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    kpis = desk.kpis()
    assert kpis["complaints"]["count"] == 3
    assert kpis["complaints"]["resolution_median_hours"] == approx(4.0)
    assert kpis["complaints_within_standards"] == [
        {"id": "day", "met": 2, "missed": 0, "pending": 1, "invalid": 0, "share": approx(1.0)}]


# ---------------------------------------------------------------------------------------- Zammad

def test_zammad_semicolon_export_detected_and_mapped(tmp_path):
    con = open_db(tmp_path)
    result = load_fixture(con, "contacts", VENDORS / "zammad_tickets.csv")
    assert result.preset == "zammad"
    assert (result.rows_in_file, result.rows_loaded, result.rows_rejected) == (6, 6, 0)

    t = contact(con, "31001")  # tags "complaint, billing"
    assert t["opened_at"] == utc("2026-07-13 09:00")
    assert t["kind"] == "complaint"
    assert (t["priority"], t["channel"], t["team"]) == ("high", "email", "Billing")  # "3 high"
    assert t["agent"] == "Jürgen Weiß"
    assert t["customer_id"] == "Nicole Braun"
    assert t["first_response_at"] == utc("2026-07-13 09:30")
    assert t["resolved_at"] == utc("2026-07-13 16:45")  # Closed At 17:45 BST
    assert t["updated_at"] == utc("2026-07-14 07:00")

    t = contact(con, "31003")  # unassigned: Zammad shows the owner as "-"
    assert (t["agent"], t["priority"], t["channel"]) == (None, "low", "web")
    assert t["first_response_at"] is None
    assert contact(con, "31005")["channel"] == "chat"
    assert complaints(con) == ["31001"]


def zammad_report(zone: str, *, title: str = "2026-7", extra: tuple[str, ...] = ()) -> str:
    """The Zammad fixture as Zammad's report download looks once Excel saves it as CSV
    (lib/excel_sheet.rb): the title in row 1, an empty row, the column names in row 3, the data, an
    empty row and the report's time zone, every row padded with delimiters to the sheet's width."""
    header, *records = (VENDORS / "zammad_tickets.csv").read_text(encoding="utf-8").splitlines()
    padding = ";" * header.count(";")
    return "\r\n".join([title + padding, padding, header, *records, *extra, padding,
                         f"Timezone: {zone}" + padding]) + "\r\n"


def zammad_ticket(number: int, created: str) -> str:
    """A row of the Zammad fixture's 30 columns: number, title, state, group, channel, Created At."""
    return f"{number};t;open;2 normal;Billing;-;x;;email;Customer;;;{created}" + ";" * 17


def test_a_zammad_report_as_excel_saves_it_loads_in_the_time_zone_it_names(tmp_path):
    """Title and empty row above the column names, an empty row and 'Timezone: ...' below the data:
    the report loads as it is. Its times are read in the zone its last line names (reading 32):
    Berlin is an hour ahead of the charter's London in July, so every instant is an hour earlier
    than the same wall-clock times read in London."""
    plain, report = open_db(tmp_path, "plain.duckdb"), open_db(tmp_path, "report.duckdb")
    load_fixture(plain, "contacts", VENDORS / "zammad_tickets.csv")
    result = load(report, "contacts", zammad_report("Europe/Berlin"), "zammad-report.csv")
    assert (result.preset, result.rows_in_file, result.rows_loaded, result.rows_rejected) == ("zammad", 6, 6, 0)
    t = contact(report, "31001")
    assert t["opened_at"] == utc("2026-07-13 08:00")        # 10:00 in Berlin (CEST, UTC+2)
    assert t["first_response_at"] == utc("2026-07-13 08:30")
    assert t["resolved_at"] == utc("2026-07-13 15:45")      # Closed At 17:45 in Berlin
    times = ("opened_at", "first_response_at", "resolved_at", "updated_at")
    for ticket in ("31001", "31002", "31003", "31004", "31005", "31006"):
        in_london, in_berlin = contact(plain, ticket), contact(report, ticket)
        for column in times:
            if in_london[column] is None:
                assert in_berlin[column] is None
            else:
                assert in_london[column] - in_berlin[column] == timedelta(hours=1), (ticket, column)
        assert {k: v for k, v in in_london.items() if k not in times} == \
               {k: v for k, v in in_berlin.items() if k not in times}
    assert list(result.notes[:2]) == [
        "The report's title ('2026-7') above the column names was left out: the column names are in row 3, and "
        "rows are numbered as the spreadsheet shows them.",
        "The last line ('Timezone: Europe/Berlin') says the report's times are in Europe/Berlin, so times without "
        "an offset were read in Europe/Berlin, not in the charter's Europe/London."]
    # the upload history keeps it once the preview is gone
    assert rows(report, "SELECT detail FROM audit_log WHERE action = 'upload'")[0][0].endswith(
        ", times read in Europe/Berlin as the file's last line says")


def test_an_empty_row_without_delimiters_above_the_note_is_the_reports_empty_row(tmp_path):
    """Excel may write an empty row as an empty line (no delimiters): it is still the empty row
    above the report's note, so the times are Berlin's (they were London's, an hour off)."""
    con = open_db(tmp_path)
    report = zammad_report("Europe/Berlin").replace(";" * 29 + "\r\nTimezone", "\r\nTimezone")
    result = load(con, "contacts", report, "zammad-report.csv")
    assert (result.rows_loaded, result.rows_rejected) == (6, 0)
    assert contact(con, "31001")["opened_at"] == utc("2026-07-13 08:00")


def test_a_zammad_report_whose_title_rows_were_deleted_still_reads_its_times_in_the_zone_it_names(tmp_path):
    """The title and the empty row below it deleted by hand, the last line kept: the column names are
    in row 1, and the times are still Berlin's. The last line was a rejected row (its opened_at
    missing) and the times were read in the charter's London, an hour off."""
    con = open_db(tmp_path)
    good = tuple(zammad_ticket(32000 + i, "2026-07-13 10:00:00") for i in range(30))
    report = zammad_report("Europe/Berlin", extra=(zammad_ticket(31007, "2026-07-13 25:00:00"), *good))
    untitled = report.split("\r\n", 2)[2]            # from the column names down
    assert untitled.startswith("#;Title;State;")
    result = load(con, "contacts", untitled, "zammad-report.csv")
    assert (result.rows_in_file, result.rows_loaded, result.rows_rejected) == (37, 36, 1)
    assert contact(con, "31001")["opened_at"] == utc("2026-07-13 08:00")     # 10:00 in Berlin (CEST)
    assert contact(con, "32000")["opened_at"] == utc("2026-07-13 08:00")
    # column names 1, six tickets 2-7: the bad one is row 8 (then 30 good rows, the empty row, the note)
    assert [row for row, in rows(con, "SELECT row_number FROM rejected_rows")] == [8]
    assert "The last line ('Timezone: Europe/Berlin') says the report's times are in Europe/Berlin, so times " \
           "without an offset were read in Europe/Berlin, not in the charter's Europe/London." in result.notes
    assert not any("title" in note for note in result.notes)


def test_a_customers_report_keeps_the_charters_calendar_for_its_dates(tmp_path):
    """Dates are days of the charter's calendar (spec section 2), whatever zone a report's note
    names: 22:30 UTC on 13 July is still the 13th in London (the 14th in Berlin)."""
    con = open_db(tmp_path)
    data = "\n".join(["Customers,,", ",,", "customer_id,joined_at,left_at",
                      *(f"C{i},2026-07-13T22:30:00Z," for i in range(3)), ",,", "Timezone: Europe/Berlin,,"]) + "\n"
    result = load(con, "customers", data, "customers-report.csv")
    assert (result.rows_loaded, result.rows_rejected) == (3, 0)
    assert rows(con, "SELECT DISTINCT joined_at::VARCHAR FROM customers") == [("2026-07-13",)]
    assert "The last line ('Timezone: Europe/Berlin') is the report's note of its time zone and was left out." \
        in result.notes


def test_a_zammad_report_in_the_charters_zone_reads_its_times_there_and_numbers_rows_as_excel(tmp_path):
    con = open_db(tmp_path)
    good = tuple(zammad_ticket(32000 + i, "2026-07-13 10:00:00") for i in range(30))
    report = zammad_report("Europe/London", extra=(zammad_ticket(31007, "2026-07-13 25:00:00"), *good))
    result = load(con, "contacts", report, "zammad-report.csv")
    assert (result.rows_loaded, result.rows_rejected) == (36, 1)
    assert contact(con, "31001")["opened_at"] == utc("2026-07-13 09:00")   # 10:00 BST
    # title 1, empty 2, column names 3, six tickets 4-9: the bad one is row 10, as Excel shows it
    assert [(row, reason.split(":")[0]) for row, reason in
            rows(con, "SELECT row_number, reason FROM rejected_rows")] == [(10, "opened_at")]
    assert "The last line ('Timezone: Europe/London') is the report's note of its time zone, the charter's, " \
           "and was left out." in result.notes


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "BST", "Japan", "Factory"])
def test_a_last_line_naming_no_zone_as_the_charter_names_one_is_a_rejected_row(tmp_path, zone):
    """Only a line naming an Area/Location zone (or UTC) is the report's note: ICU reads 'BST' as
    Dhaka (UTC+6), so British Summer Time would have moved every time by five hours. Anything else
    below the data stays a row, rejected with its number, and the times are the charter's."""
    con = open_db(tmp_path)
    good = tuple(zammad_ticket(32000 + i, "2026-07-13 10:00:00") for i in range(40))
    result = load(con, "contacts", zammad_report(zone, extra=good), "zammad-report.csv")
    # title 1, empty 2, names 3, tickets 4-49, then the empty row 50 (delimiters only, skipped as any
    # such row is, reading 34) and the last line 51
    assert [row for row, in rows(con, "SELECT row_number FROM rejected_rows ORDER BY 1")] == [51]
    assert result.rows_loaded == 46
    assert not any("Timezone" in note for note in result.notes)
    assert contact(con, "31001")["opened_at"] == utc("2026-07-13 09:00")   # read in the charter's zone


def test_a_note_below_the_data_is_the_reports_only_naming_a_zone_below_an_empty_row(tmp_path):
    """A last line naming no zone, or right under the data, stays a row (as before the report layout
    was read), and a note inside a quoted value is part of it."""
    con = open_db(tmp_path)
    padding = "," * CONTACT_HEADER.count(",")
    canonical = csv_text(CONTACT_HEADER, *good_contact_rows(40), "", "Region: Japan" + padding)
    result = load(con, "contacts", canonical, "canonical.csv")
    assert (result.rows_loaded, result.rows_rejected) == (40, 1)     # the empty line is skipped, as always
    assert rows(con, "SELECT row_number FROM rejected_rows") == [(43,)]
    assert contact(con, "G000")["opened_at"] == utc("2026-07-13 09:00")

    report = zammad_report("Europe/Berlin", extra=tuple(zammad_ticket(32000 + i, "2026-07-13 10:00:00")
                                                        for i in range(40)))
    glued = report.replace(";" * 29 + "\r\nTimezone", "Timezone")      # no empty row above the note
    result = load(open_db(tmp_path, "glued.duckdb"), "contacts", glued, "glued.csv")
    assert result.rows_rejected == 1 and not any("Europe/Berlin" in note for note in result.notes)

    quoted = open_db(tmp_path, "quoted.duckdb")
    header = (VENDORS / "zammad_tickets.csv").read_text(encoding="utf-8").splitlines()[0]
    note = '"Customer wrote:\r\n\r\nTimezone: Europe/Berlin\r\n"'
    data = "\r\n".join(["2026-7", header, *(zammad_ticket(32000 + i, "2026-07-13 10:00:00") for i in range(5)),
                         f"32099;{note};open;2 normal;Billing;-;x;;email;Customer;;;2026-07-13 10:00:00" + ";" * 17]) + "\r\n"
    result = load(quoted, "contacts", data, "quoted.csv")
    assert (result.rows_loaded, result.rows_rejected) == (6, 0)
    assert contact(quoted, "32099")["opened_at"] == utc("2026-07-13 09:00")   # London: no note was read
    assert not any("Timezone" in note for note in result.notes)


def test_files_without_a_report_title_are_read_as_before(tmp_path):
    """A first row whose quoted name runs onto the next line (Alt+Enter in Excel) is no title; a
    'sep=|' line names the delimiter the rows are split on when looking for a title too."""
    from store.csvfile import decode_upload
    decoded = decode_upload(('"ticket\nid",opened_at\nT1,2026-07-13 10:00\n').encode(), tmp_path)
    assert (decoded.headers, decoded.header_row, decoded.title) == (["ticket\nid", "opened_at"], 1, "")
    con = open_db(tmp_path)
    piped = "sep=|\n" + "\n".join([CONTACT_HEADER.replace(",", "|"),
                                    *(row.replace(",", "|") for row in good_contact_rows(40))])
    piped = piped.replace("G000|2026-07-13 10:00|", "G000|2026-07-13 10:00|Billing, North")   # a comma in a value
    result = load(con, "contacts", piped + "\n", "piped.csv")
    assert (result.rows_loaded, result.rows_rejected) == (40, 0)
    assert (contact(con, "G000")["opened_at"], contact(con, "G000")["customer_id"]) == \
        (utc("2026-07-13 09:00"), "Billing, North")


def good_contact_rows(count: int) -> list[str]:
    return [contact_row(f"G{i:03d}", "2026-07-13 10:00") for i in range(count)]


def test_a_title_line_without_delimiters_above_the_column_names_is_left_out(tmp_path):
    con = open_db(tmp_path)
    data = "Tickets March 2026\n" + csv_text(CONTACT_HEADER, contact_row("T1", "2026-03-02 09:10"),
                                              contact_row("T2", "2026-03-02 25:10"))
    more = "\n".join(contact_row(f"U{i}", "2026-03-02 09:10") for i in range(30)) + "\n"
    result = load(con, "contacts", data + more, "titled.csv")
    assert (result.rows_loaded, result.rows_rejected) == (31, 1)
    assert rows(con, "SELECT row_number FROM rejected_rows") == [(4,)]   # title 1, names 2, T1 3, T2 4
    assert contact(con, "T1")["opened_at"] == utc("2026-03-02 09:10")


# -------------------------------------------------------------------------------------- osTicket

def test_osticket_export_detected_month_first_and_mapped(tmp_path):
    con = open_db(tmp_path)
    result = load_fixture(con, "contacts", VENDORS / "osticket_tickets.csv")
    assert result.preset == "osticket"
    assert (result.rows_in_file, result.rows_loaded, result.rows_rejected) == (6, 6, 0)
    # 7/13/2026 can only be month first; the summary says how the dates were read.
    assert any("month first" in note for note in result.notes)

    t = contact(con, "483921")  # Help Topic "Complaints / Field Service"
    assert t["opened_at"] == utc("2026-07-13 09:00")  # 7/13/2026 10:00 AM
    assert t["kind"] == "complaint"
    assert (t["channel"], t["priority"], t["team"]) == ("phone", "high", "Complaints")
    assert t["reopened_count"] == 1
    assert t["category"] == "Complaints / Field Service"
    assert t["updated_at"] == utc("2026-07-14 10:20")  # 11:20 AM

    t = contact(con, "483920")
    assert t["opened_at"] == utc("2026-07-13 08:05")  # 9:05 AM
    assert t["resolved_at"] == utc("2026-07-13 14:40")  # 3:40 PM
    assert t["agent"] == "Ciarán Murphy"
    assert t["customer_id"] == "karen.doyle@example.com"
    t = contact(con, "483923")
    assert (t["priority"], t["agent"], t["opened_at"]) == ("urgent", None, utc("2026-07-14 15:55"))  # Emergency
    assert contact(con, "483924")["channel"] == "api"
    assert complaints(con) == ["483921"]


def test_two_digit_years_and_a_comma_before_the_time_are_read(tmp_path):
    """13/02/26 was read with %Y as the year 26 and refused as 'not between 1970 and 2099'; a US
    locale writes 3/2/26, 9:10 AM (a comma after the date), which could not be read at all."""
    con = open_db(tmp_path)
    result = load(con, "contacts", csv_text("ticket_id,opened_at,resolved_at",
                                            "A1,13/02/26 14:05,14/02/26",
                                            "A2,14/02/2026 09:00,",
                                            "A3,\"1/3/26, 9:10 AM\",\"2/3/26, 3:00 PM\""))
    assert (result.rows_loaded, result.rows_rejected) == (3, 0)
    # 13/02 can only be day first; the note writes the order as the file writes its years
    assert [note for note in result.notes if "day first" in note] == [
        "Dates read day first (DD/MM/YY): the file has 13/02/26 14:05."]
    assert contact(con, "A1")["opened_at"] == utc("2026-02-13 14:05")   # February: GMT
    assert contact(con, "A1")["resolved_at"] == utc("2026-02-14 00:00")
    assert contact(con, "A2")["opened_at"] == utc("2026-02-14 09:00")
    assert (contact(con, "A3")["opened_at"], contact(con, "A3")["resolved_at"]) == (utc("2026-03-01 09:10"), utc("2026-03-02 15:00"))
    # as Excel reads two-digit years: 00-29 are 2000-2029, 30-99 1930-1999, so a timestamp then is implausible
    late = load(con, "contacts", csv_text("ticket_id,opened_at", *(f"B{i},13/02/26 10:00" for i in range(40)),
                                          "B98,13/02/45 10:00", "B99,13/02/69 10:00"))
    assert list(late.rejected["reason"]) == ["opened_at: '13/02/45 10:00' is not between 1970 and 2099",
                                             "opened_at: '13/02/69 10:00' is not between 1970 and 2099"]
    # dates (customers' joined_at) the same way: a customer of 1965 did not join in 2065 (strptime's %y)
    customers = load(con, "customers", csv_text("customer_id,joined_at,left_at", "C1,25/04/25,", "C2,01/04/2025,",
                                                "C3,15/06/65,", "C4,13/01/50,14/02/24", "C5,31/12/29,", "C6,01/01/30,"))
    assert (customers.rows_loaded, customers.rows_rejected) == (6, 0)
    assert rows(con, "SELECT customer_id, joined_at::VARCHAR, left_at::VARCHAR FROM customers ORDER BY 1") == [
        ("C1", "2025-04-25", None), ("C2", "2025-04-01", None), ("C3", "1965-06-15", None),
        ("C4", "1950-01-13", "2024-02-14"), ("C5", "2029-12-31", None), ("C6", "1930-01-01", None)]


def test_an_unknown_preset_name_lists_the_presets_there_are(tmp_path):
    con = open_db(tmp_path)
    with pytest.raises(UploadRefused) as refused:
        load_fixture(con, "contacts", VENDORS / "zendesk_tickets.csv", preset_name="zendsk")
    assert str(refused.value) == ("There is no preset called 'zendsk' for contacts. The presets for contacts are: "
                                  "canonical, freshdesk, osticket, zammad, zendesk.")


# ------------------------------------------------------------------ header matching and delimiters

VENDOR_FILES = {
    # file -> (delimiter, first ticket, its opened_at in UTC)
    "zendesk_tickets.csv": (",", "10231", "2026-07-13 09:00"),
    "freshdesk_tickets.csv": (",", "4512", "2026-07-13 09:00"),
    "zammad_tickets.csv": (";", "31001", "2026-07-13 09:00"),
    "osticket_tickets.csv": (",", "483920", "2026-07-13 08:05"),
}


def rewritten(name: str, delimiter: str, header=lambda h: h, bom: bool = False) -> bytes:
    """The sample export re-saved with another delimiter and/or changed header spelling."""
    source_delimiter = VENDOR_FILES[name][0]
    text = (VENDORS / name).read_bytes().decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=source_delimiter))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([header(h) for h in records[0]])
    writer.writerows(records[1:])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


@pytest.mark.parametrize("name", sorted(VENDOR_FILES))
def test_headers_match_case_spaces_and_bom_with_either_delimiter(tmp_path, name):
    con = open_db(tmp_path)
    expected_preset = name.split("_")[0]
    _, ticket, opened = VENDOR_FILES[name]
    # Upper-cased headers with spaces around them, a UTF-8 BOM, and the other delimiter.
    other = ";" if VENDOR_FILES[name][0] == "," else ","
    data = rewritten(name, other, header=lambda h: f"  {h.upper()} ", bom=True)
    result = load(con, "contacts", data, name)
    assert result.preset == expected_preset
    assert result.encoding == "UTF-8 with BOM"
    assert result.rows_rejected == 0
    assert contact(con, ticket)["opened_at"] == utc(opened)
    # Lower-case headers, original delimiter, no BOM: the same file content loads identically.
    con2 = open_db(tmp_path, "second.duckdb")
    again = load(con2, "contacts", rewritten(name, VENDOR_FILES[name][0], header=str.lower), name)
    assert again.preset == expected_preset
    assert again.rows_loaded == result.rows_loaded
    assert rows(con2, "SELECT * EXCLUDE (batch_id) FROM contacts ORDER BY ALL") == \
        rows(con, "SELECT * EXCLUDE (batch_id) FROM contacts ORDER BY ALL")


def test_explicit_preset_overrides_detection_and_names_missing_vendor_header(tmp_path):
    con = open_db(tmp_path)
    assert load_fixture(con, "contacts", VENDORS / "zammad_tickets.csv", preset_name="zammad").preset == "zammad"
    with pytest.raises(UploadRefused) as refused:
        load_fixture(con, "contacts", VENDORS / "osticket_tickets.csv", preset_name="zendesk")
    message = str(refused.value)
    assert "ticket_id" in message and "'Id'" in message
    assert "opened_at" in message and "'Created at'" in message


# --------------------------------------------------------------------- canonical and saved presets

def test_canonical_file_detected_channel_lower_cased(tmp_path):
    con = open_db(tmp_path)
    data = csv_text(CONTACT_HEADER,
                    contact_row("C-1", "2026-07-13 10:00", channel="Email", kind="Complaint"),
                    contact_row("C-2", "2026-07-13T10:00:00+02:00", channel=" WEB "),
                    contact_row("C-3", "2026-07-13T10:00:00Z", channel="Phone", kind=""),
                    # Inside the spring-forward gap: moved forward by the gap (02:30 BST).
                    contact_row("C-4", "2026-03-29 01:30"),
                    # Autumn fall-back, 01:30 happens twice: the first (BST) occurrence.
                    contact_row("C-5", "2026-10-25 01:30"),
                    contact_row("C-6", "2026-07-13 10:00:00 +0100"))
    result = load(con, "contacts", data)
    assert result.preset == "canonical"
    assert (contact(con, "C-1")["channel"], contact(con, "C-1")["kind"]) == ("email", "complaint")
    assert contact(con, "C-1")["opened_at"] == utc("2026-07-13 09:00")  # naive: Europe/London (BST)
    assert contact(con, "C-2")["opened_at"] == utc("2026-07-13 08:00")  # offset +02:00 converted
    assert contact(con, "C-2")["channel"] == "web"
    assert contact(con, "C-3")["opened_at"] == utc("2026-07-13 10:00")
    assert contact(con, "C-3")["kind"] == "enquiry"  # blank kind is an enquiry
    assert contact(con, "C-4")["opened_at"] == utc("2026-03-29 01:30")
    assert contact(con, "C-5")["opened_at"] == utc("2026-10-25 00:30")
    assert contact(con, "C-6")["opened_at"] == utc("2026-07-13 09:00")


def test_saved_custom_preset_is_detected_and_derives_kind(tmp_path):
    con = open_db(tmp_path)
    preset = custom_preset("Legacy CRM", "contacts",
                           {"ticket_id": "Case Ref", "opened_at": "Logged", "channel": "Medium", "agent": "Handler"},
                           kind_rule=KindRule("Case Type", ("complaint", "formal complaint")))
    with db.write_transaction(con) as cursor:
        save_preset(cursor, preset, "tester")
    data = ("Case Ref,Logged,Medium,Handler,Case Type\n"
            "L-1,2026-07-13 10:00,Letter,Zoë Brown,Formal Complaint\n"
            "L-2,2026-07-13 11:30,Email,Ann Lee,Query\n")
    result = load(con, "contacts", data)
    assert result.preset == "Legacy CRM"   # as the manager typed it
    t = contact(con, "L-1")
    assert (t["kind"], t["channel"], t["agent"]) == ("complaint", "letter", "Zoë Brown")
    assert t["opened_at"] == utc("2026-07-13 09:00")
    assert contact(con, "L-2")["kind"] == "enquiry"


def test_a_saved_mapping_matches_words_with_letters_that_casefold_changes(tmp_path):
    """The upload compares DuckDB's lower() of a cell, which keeps 'ß': a saved complaint word or value
    translation read back with casefold() ('strasse') would never match 'Straße' again."""
    from dataclasses import replace

    con = open_db(tmp_path)
    preset = replace(custom_preset("Amt", "contacts", {"ticket_id": "Ref", "opened_at": "Received", "partner": "Firma"},
                                   kind_rule=KindRule("Art", ("beschwerde straße",))),
                     values={"partner": {"straßenbau gmbh": "Strassenbau"}})
    with db.write_transaction(con) as cursor:
        save_preset(cursor, preset, "tester")
    data = ("Ref,Received,Firma,Art\n"
            "A-1,2026-07-13 10:00,Straßenbau GmbH,Beschwerde Straße\n"
            "A-2,2026-07-13 11:00,Other,Anfrage\n")
    assert load(con, "contacts", data).preset == "Amt"
    assert (contact(con, "A-1")["kind"], contact(con, "A-1")["partner"]) == ("complaint", "Strassenbau")
    assert contact(con, "A-2")["kind"] == "enquiry"


def test_a_saved_mapping_is_not_recognised_in_a_file_without_a_column_it_reads(tmp_path):
    # without its kind column every contact would silently load as an enquiry under this mapping
    con = open_db(tmp_path)
    preset = custom_preset("acme", "contacts", {"ticket_id": "Ref", "opened_at": "Received"},
                           kind_rule=KindRule("Type", ("complaint",)))
    with db.write_transaction(con) as cursor:
        save_preset(cursor, preset, "tester")
    assert detect(con, "contacts", ["Ref", "Received", "Type"]).name == "acme"
    assert detect(con, "contacts", ["Ref", "Received", "Category"]) is None


def test_a_mapping_name_is_never_taken_from_another_table(tmp_path):
    con = open_db(tmp_path)
    contacts = custom_preset("weekly", "contacts", {"ticket_id": "Ref", "opened_at": "Received"})
    customers = custom_preset("weekly", "customers", {"customer_id": "Cust", "joined_at": "Since"})
    with db.write_transaction(con) as cursor:
        assert save_preset(cursor, contacts, "tester") is False
    with pytest.raises(ValueError, match="already exists for contacts"):
        with db.write_transaction(con) as cursor:
            save_preset(cursor, customers, "tester")
    with db.write_transaction(con) as cursor:   # the same table's mapping of that name is replaced
        assert save_preset(cursor, custom_preset("weekly", "contacts", {"ticket_id": "Ref", "opened_at": "When"}), "t")
    assert [(p.name, p.table, p.columns["opened_at"]) for p in saved_presets(con)] == [("weekly", "contacts", ("When",))]
    # a name differs from another only by case: the same name (replaced, kept as typed last; refused for another table)
    with db.write_transaction(con) as cursor:
        assert save_preset(cursor, custom_preset("Weekly", "contacts", {"ticket_id": "Ref", "opened_at": "Day"}), "t")
    with pytest.raises(ValueError, match="named 'Weekly' already exists for contacts"):
        with db.write_transaction(con) as cursor:
            save_preset(cursor, custom_preset("WEEKLY", "customers", {"customer_id": "Cust", "joined_at": "Since"}), "t")
    assert [(p.name, p.columns["opened_at"]) for p in saved_presets(con)] == [("Weekly", ("Day",))]
    assert find_preset(con, "contacts", "weekly").name == "Weekly"


# ------------------------------------------------------------------------------- Excel's sep= line

def test_excel_sep_line_names_the_delimiter_and_rows_count_as_excel_shows_them(tmp_path):
    # Excel's "sep=;" first line says the file is semicolon-separated and is not shown as a row,
    # so the header is row 1 and the bad row (the 20th ticket) is row 21, as in Excel.
    con = open_db(tmp_path)
    rows = [f"S{n};2026-03-02 09:{n:02d};enquiry" for n in range(1, 31)]
    rows[19] = "S20;not a date;enquiry"
    result = load(con, "contacts", "sep=;\r\nticket_id;opened_at;kind\r\n" + "\r\n".join(rows) + "\r\n", "excel.csv")
    assert (result.rows_in_file, result.rows_loaded, result.rows_rejected) == (30, 29, 1)
    assert list(result.rejected["row"]) == [21]
    assert contact(con, "S1")["opened_at"] == utc("2026-03-02 09:01")
    with pytest.raises(UploadRefused, match="sep="):
        load(con, "contacts", "sep=,\n", "only-sep.csv")


def test_a_layout_that_cannot_stop_a_promise_clock_says_so_before_loading(tmp_path):
    """osTicket's export has no acknowledgement, reply or follow-up time: the test charter's
    acknowledge, reply and follow-up promises can never be met by its contacts (each becomes a breach
    once due), so the upload says so; resolution (Closed Date) is measurable and not named."""
    con = open_db(tmp_path)
    result = load_fixture(con, "contacts", VENDORS / "osticket_tickets.csv")
    assert result.preset == "osticket"
    assert [note for note in result.notes if "layout has no" in note] == [
        "This layout has no acknowledged_at or first_response_at column, so these contacts cannot meet "
        "'Acknowledge within 1 working hour': each counts as a breach once its deadline passes. Map a column for "
        "it, or export one from the helpdesk.",
        "This layout has no first_response_at column, so these contacts cannot meet 'Reply within 3 working days': "
        "each counts as a breach once its deadline passes. Map a column for it, or export one from the helpdesk.",
        "This layout has no follow_up_at column, so these contacts cannot meet 'Call back within 2 working days': "
        "each counts as a breach once its deadline passes. Map a column for it, or export one from the helpdesk.",
    ]
    canonical = load(con, "contacts", csv_text(CONTACT_HEADER, contact_row("N1", "2026-03-02 09:00")))
    assert not [note for note in canonical.notes if "layout has no" in note]


def test_a_saved_date_order_settles_only_what_the_file_leaves_open(tmp_path):
    """A preset's date order is the manager's answer for files whose dates could be either; a file
    whose own dates settle it (25/03 can only be day first) is read by its evidence."""
    from dataclasses import replace

    con = open_db(tmp_path)
    preset = replace(custom_preset("monthly", "contacts", {"ticket_id": "Ref", "opened_at": "Received"}),
                     date_format="monthfirst")
    save_preset(con.cursor(), preset, "Ann Manager")
    assert saved_presets(con)[0].date_format == "monthfirst"    # kept through the saved JSON

    ambiguous = load(con, "contacts", "Ref,Received\nA,02/03/2026 10:00\n", "ambiguous.csv")
    assert ambiguous.preset == "monthly"
    assert any("02/03/2026" in note and "as saved with preset 'monthly'" in note for note in ambiguous.notes)
    assert contact(con, "A")["opened_at"] == utc("2026-02-03 10:00")     # 3 February, GMT

    settled = load(con, "contacts", "Ref,Received\nB,25/03/2026 10:00\n", "settled.csv")
    assert not any("as saved with preset" in note for note in settled.notes)
    assert contact(con, "B")["opened_at"] == utc("2026-03-25 10:00")


def test_a_narrow_or_no_break_space_before_am_pm_reads_as_a_space(tmp_path):
    """PHP intl with ICU 72 or later (osTicket) writes 7/13/26, 9:05\u202fAM: every row was rejected
    ('cannot read 7/13/26, 9:05 AM', the narrow space invisible in the message) and the file refused."""
    con = open_db(tmp_path)
    result = load(con, "contacts", csv_text("ticket_id,opened_at,resolved_at",
                                            "N1,\"7/13/26, 9:05\u202fAM\",\"7/13/26, 3:40\u202fPM\"",
                                            "N2,7/14/2026 11:20\u00a0PM,"))
    assert (result.rows_loaded, result.rows_rejected) == (2, 0)
    assert contact(con, "N1")["opened_at"] == utc("2026-07-13 08:05")   # BST
    assert contact(con, "N1")["resolved_at"] == utc("2026-07-13 14:40")
    assert contact(con, "N2")["opened_at"] == utc("2026-07-14 22:20")


def test_a_zendesk_explore_export_is_detected_and_its_channel_names_mapped(tmp_path):
    """An Explore report names its attributes 'Ticket ID', 'Ticket created - Timestamp', 'Ticket channel';
    the preset read them only when --preset zendesk was given, and kept 'Phone call (incoming)' as a
    channel of its own, outside the promise for phone and chat."""
    con = open_db(tmp_path)
    result = load(con, "contacts", csv_text(
        "Ticket ID,Ticket created - Timestamp,Ticket solved - Timestamp,Ticket channel,Ticket group",
        "7001,2026-07-13T10:00:00,2026-07-13T15:00:00,Email,Billing",
        "7002,2026-07-13T11:00:00,,Phone call (incoming),Repairs",
        "7003,2026-07-14T09:00:00,,Web service (API),Repairs"))
    assert result.preset == "zendesk"
    assert [(t, contact(con, t)["channel"]) for t in ("7001", "7002", "7003")] == \
        [("7001", "email"), ("7002", "phone"), ("7003", "api")]
    assert contact(con, "7001")["resolved_at"] == utc("2026-07-13 14:00")
    assert detect(con, "contacts", ["Ticket ID", "Created time", "Subject"]).name == "freshdesk"


def test_a_decimal_comma_reads_in_a_semicolon_file_only(tmp_path):
    """European Excel saves with `;` because its locale writes 232,46: every price was rejected and
    the file refused. In a `,` file a comma in a number may group thousands (1,234): still rejected.
    A point reads in both; a number with both is rejected, never guessed."""
    con = open_db(tmp_path)
    load(con, "customers", csv_text("customer_id,joined_at", "P1,2020-01-01", "P2,2020-01-01", "P3,2020-01-01"))
    semicolon = load(con, "prices", csv_text("customer_id;period;price_paid;product;new_customer_price",
                                             *[f"P1;2026-0{m}-01;232,46;Motor;221,5" for m in range(1, 10)],
                                             *[f"P2;2026-0{m}-01;99.9;Motor;" for m in range(1, 10)],
                                             "P3;2026-01-01;1.234,56;Motor;",
                                             *[f"P3;2026-0{m}-01;0,5;Motor;" for m in range(2, 10)]))
    assert [tuple(r) for r in semicolon.rejected[["row", "reason"]].values] == [
        (20, "price_paid must be a number with at most 4 decimals, such as 12.50, not '1.234,56'")]
    assert rows(con, "SELECT customer_id, price_paid, new_customer_price FROM prices WHERE period = '2026-02-01' "
                     "ORDER BY 1") == [("P1", Decimal("232.4600"), Decimal("221.5000")), ("P2", Decimal("99.9000"), None),
                                       ("P3", Decimal("0.5000"), None)]
    comma = load(con, "prices", csv_text("customer_id,period,price_paid,product",
                                         *[f"P1,2025-0{m}-01,100,Motor" for m in range(1, 10)],
                                         *[f"P2,2025-{m:02d}-01,100,Motor" for m in range(1, 13)],
                                         "P3,2025-01-01,\"1,234\",Motor"))
    assert [tuple(r) for r in comma.rejected[["row", "reason"]].values] == [
        (23, "price_paid must be a number with at most 4 decimals, such as 12.50, not '1,234'")]


def test_year_first_dates_read_with_slashes_and_single_digits(tmp_path):
    """Excel in Canadian, Chinese or Japanese locales saves 2026-7-13 9:15 or 2026/07/13 09:15: the
    year first, then the month in every locale, so no order needs asking. Each file was refused."""
    con = open_db(tmp_path)
    result = load(con, "contacts", csv_text("ticket_id,opened_at,resolved_at",
                                            "Y1,2026-7-13 9:15,2026/07/14 17:05",
                                            "Y2,2026/7/3 09:00:30,2026-07-13T9:15",
                                            *[f"G{n},2026-07-13 10:00," for n in range(20)],
                                            "Y3,2026/02/30 10:00,"))
    assert (result.rows_loaded, list(result.rejected["reason"])) == (
        22, ["opened_at: cannot read '2026/02/30 10:00' as a date and time"])
    assert not any("Dates read" in note for note in result.notes)
    assert (contact(con, "Y1")["opened_at"], contact(con, "Y1")["resolved_at"]) == (
        utc("2026-07-13 08:15"), utc("2026-07-14 16:05"))   # BST
    assert (contact(con, "Y2")["opened_at"], contact(con, "Y2")["resolved_at"]) == (
        utc("2026-07-03 08:00:30"), utc("2026-07-13 08:15"))
    load(con, "customers", csv_text("customer_id,joined_at", "C1,2019/4/1", "C2,2019-04-01"))
    assert rows(con, "SELECT customer_id, joined_at::VARCHAR FROM customers ORDER BY 1") == [
        ("C1", "2019-04-01"), ("C2", "2019-04-01")]
