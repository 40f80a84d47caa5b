"""Dates, times and values as real exports spell them, beyond the forms docs/definitions.md reading 29
lists: each loads as the value it writes (expected values worked out by hand, London in July is
UTC+1), and what is still no value stays a rejected row with its number and reason.
"""
from __future__ import annotations

import pytest

from ingest_helpers import CONTACT_HEADER, contact, contact_row, csv_text, load, open_db, rows, utc
from store.csvfile import UploadRefused

CUSTOMER_HEADER = "customer_id,joined_at,left_at,segment,product,region"


@pytest.fixture
def con(tmp_path):
    return open_db(tmp_path)


def padding(count: int) -> list[str]:
    """Ordinary rows, so that one rejected row stays under the 5% that refuses a file."""
    return [contact_row(f"P{i:02d}", "2026-07-13 09:00") for i in range(count)]


def test_a_lower_case_t_between_date_and_time_and_a_lower_case_z(con):
    data = csv_text(CONTACT_HEADER,
                    contact_row("T1", "2026-07-13t09:15:00", resolved_at="2026-07-13t10:15:00z"),   # row 2
                    contact_row("T2", "2026-07-13t09:15", first_response_at="2026-07-13t09:45:00+01:00"),
                    contact_row("T3", "2026-07-13x09:15"),                                            # row 4
                    *padding(20))
    result = load(con, "contacts", data)
    assert result.rejected[["row", "reason"]].to_dict("records") == [
        {"row": 4, "reason": "opened_at: cannot read '2026-07-13x09:15' as a date and time"}]
    t1, t2 = contact(con, "T1"), contact(con, "T2")
    assert t1["opened_at"] == utc("2026-07-13 08:15")           # 09:15 in London (BST)
    assert t1["resolved_at"] == utc("2026-07-13 10:15")         # z: UTC
    assert t2["opened_at"] == utc("2026-07-13 08:15")
    assert t2["first_response_at"] == utc("2026-07-13 08:45")   # 09:45 at +01:00

    load(con, "customers", csv_text(CUSTOMER_HEADER, "C1,2021-05-01t23:30:00,,,Home,",
                                    "C2,2021-05-01t23:30:00-05:00,2022-01-01t00:00,,Home,"))
    assert rows(con, "SELECT customer_id, joined_at::VARCHAR, left_at::VARCHAR FROM customers ORDER BY 1") == [
        ("C1", "2021-05-01", None), ("C2", "2021-05-02", "2022-01-01")]   # 04:30 UTC on 2 May is 05:30 in London


def test_am_and_pm_glued_dotted_or_in_capitals(con):
    data = csv_text(CONTACT_HEADER,
                    contact_row("A1", "13/07/2026 9:15am", resolved_at="13/07/2026 9:15PM"),            # row 2
                    contact_row("A2", "13/07/2026 9:15 a.m.", resolved_at="13/07/2026 12:05 p.m."),
                    contact_row("A3", "14/07/2026 12:05 a.m.", first_response_at="14/07/2026 12:05\u202fP.M."),
                    contact_row("A4", "2026-07-13 9:15 p.m.", resolved_at="2026/7/13 9:15:30PM"),
                    contact_row("A5", "13/07/2026 13:15 pm"),                                             # row 6
                    contact_row("A6", "13/07/2026 9:15am", csat="7"),                                     # row 7
                    *padding(40))
    result = load(con, "contacts", data)
    assert any(note.startswith("Dates read day first (DD/MM/YYYY)") for note in result.notes)
    assert result.rejected[["row", "reason"]].to_dict("records") == [
        {"row": 6, "reason": "opened_at: cannot read '13/07/2026 13:15 pm' as a date and time"},
        {"row": 7, "reason": "csat must be a whole number from 1 to 5, not '7'"}]   # its time is read
    a1, a2, a3, a4 = (contact(con, t) for t in ("A1", "A2", "A3", "A4"))
    assert (a1["opened_at"], a1["resolved_at"]) == (utc("2026-07-13 08:15"), utc("2026-07-13 20:15"))
    assert (a2["opened_at"], a2["resolved_at"]) == (utc("2026-07-13 08:15"), utc("2026-07-13 11:05"))   # 12 pm: noon
    assert (a3["opened_at"], a3["first_response_at"]) == (utc("2026-07-13 23:05"), utc("2026-07-14 11:05"))  # 12 am: midnight
    assert (a4["opened_at"], a4["resolved_at"]) == (utc("2026-07-13 20:15"), utc("2026-07-13 20:15:30"))

    load(con, "customers", csv_text(CUSTOMER_HEADER, "C1,2021-05-01 11:30 p.m.,,,Home,"))
    assert rows(con, "SELECT joined_at::VARCHAR FROM customers") == [("2021-05-01",)]


def test_dates_with_the_month_written_in_english(con):
    """No day/month order is asked (none is declared): the month's name settles it. A two-digit year
    is read as Excel reads it (reading 29): 26 is 2026, 65 is 1965."""
    data = csv_text(CONTACT_HEADER,
                    contact_row("M1", "13-Jul-2026", resolved_at="13-JUL-26 14:30"),                     # row 2
                    contact_row("M2", "13 Jul 2026 09:15", resolved_at="Jul 13, 2026 9:15 PM"),
                    contact_row("M3", "July 13, 2026", first_response_at="Jul 13, 2026, 9:15\u202fAM"),
                    contact_row("M4", "3 Sept 2026 9:15am", resolved_at="13 September 2026 12:05 p.m."),
                    contact_row("M5", "13 Jly 2026"),                                                    # row 6
                    contact_row("M6", "32-Jul-2026"),                                                    # row 7
                    *padding(40))
    result = load(con, "contacts", data)
    assert not any(note.startswith("Dates read") for note in result.notes)
    assert result.rejected[["row", "reason"]].to_dict("records") == [
        {"row": 6, "reason": "opened_at: cannot read '13 Jly 2026' as a date and time"},
        {"row": 7, "reason": "opened_at: cannot read '32-Jul-2026' as a date and time"}]
    m1, m2, m3, m4 = (contact(con, t) for t in ("M1", "M2", "M3", "M4"))
    assert (m1["opened_at"], m1["resolved_at"]) == (utc("2026-07-12 23:00"), utc("2026-07-13 13:30"))  # midnight BST
    assert (m2["opened_at"], m2["resolved_at"]) == (utc("2026-07-13 08:15"), utc("2026-07-13 20:15"))
    assert (m3["opened_at"], m3["first_response_at"]) == (utc("2026-07-12 23:00"), utc("2026-07-13 08:15"))
    assert (m4["opened_at"], m4["resolved_at"]) == (utc("2026-09-03 08:15"), utc("2026-09-13 11:05"))

    load(con, "customers", csv_text(CUSTOMER_HEADER, "C1,15-Jun-65,13-Jul-26,,Home,", "C2,1 March 2024,,,Home,",
                                    "C3,Feb 29 2024,,,Home,"))
    assert rows(con, "SELECT customer_id, joined_at::VARCHAR, left_at::VARCHAR FROM customers ORDER BY 1") == [
        ("C1", "1965-06-15", "2026-07-13"), ("C2", "2024-03-01", None), ("C3", "2024-02-29", None)]


def test_a_satisfaction_score_with_a_leading_zero_or_a_point_zero(con):
    """Spec section 1: csat is a whole number 1..5. 05 and 5.0 are that number (never rounded): 5.5,
    0, 6.0 and +5 stay rejected rows."""
    scores = {"S1": "05", "S2": "5.0", "S3": "3.00", "S4": "001", "S5": "4"}
    bad = ["5.5", "0", "6.0", "+5", "5.", "0.0"]
    data = csv_text(CONTACT_HEADER, *[contact_row(t, "2026-07-13 09:00", csat=s) for t, s in scores.items()],
                    *[contact_row(f"B{i}", "2026-07-13 09:00", csat=s) for i, s in enumerate(bad)],   # rows 7-12
                    *padding(120))
    result = load(con, "contacts", data)
    assert result.rejected[["row", "reason"]].to_dict("records") == [
        {"row": 7 + i, "reason": f"csat must be a whole number from 1 to 5, not '{s}'"} for i, s in enumerate(bad)]
    assert dict(rows(con, "SELECT ticket_id, csat FROM contacts WHERE ticket_id LIKE 'S%'")) == {
        "S1": 5, "S2": 5, "S3": 3, "S4": 1, "S5": 4}


TRAILING_NOTE = ("Every row ends with one more delimiter than the header row has (an empty field past its last "
                 "column, as some exports write rows): that empty field was left out.")


def test_rows_ending_with_one_more_empty_field_than_the_header(con):
    header = "ticket_id,opened_at,channel,csat"
    result = load(con, "contacts", csv_text(header, "E1,2026-07-13 09:00,email,4,", "E2,2026-07-13 10:00,,, ",
                                            ",,,,", '"E3","2026-07-13 11:00","phone","",""', "E4,2026-07-13 12:00,chat,9,",
                                            *[f"P{i},2026-07-13 09:00,email,," for i in range(25)]))   # rows 7-31
    assert TRAILING_NOTE in result.notes
    assert (result.rows_in_file, result.rows_loaded) == (29, 28)   # the row of delimiters (row 4) skipped
    assert result.rejected[["row", "reason"]].to_dict("records") == [
        {"row": 6, "reason": "csat must be a whole number from 1 to 5, not '9'"}]
    assert "(fields past the last column)" not in result.rejected.columns
    assert rows(con, "SELECT ticket_id, opened_at, channel, csat FROM contacts WHERE ticket_id LIKE 'E%' ORDER BY 1") == [
        ("E1", utc("2026-07-13 08:00"), "email", 4), ("E2", utc("2026-07-13 09:00"), None, None),
        ("E3", utc("2026-07-13 10:00"), "phone", None)]


@pytest.mark.parametrize("last_row", ["F9,2026-07-13 09:00,email,x",      # a value in the extra field
                                      "F9,2026-07-13 09:00,email,,",      # two extra fields
                                      "F9,2026-07-13 09:00,email"])       # a row without it
def test_an_extra_field_that_is_not_empty_and_alone_in_every_row_still_rejects_its_rows(con, last_row):
    header = "ticket_id,opened_at,channel"
    with pytest.raises(UploadRefused) as refused:
        load(con, "contacts", csv_text(header, *[f"F{i},2026-07-13 09:00,email," for i in range(5)], last_row))
    assert "are bad, more than the 5% allowed" in str(refused.value)
    assert "row 2: the row has more fields than the header (3)" in str(refused.value)
    assert rows(con, "SELECT count(*) FROM contacts") == [(0,)]

    # a file with one such row among ordinary ones: that row alone is rejected, as before
    mixed = load(con, "contacts", csv_text(header, *[f"G{i},2026-07-13 09:00,email" for i in range(30)],
                                           "G99,2026-07-13 09:00,email,"))
    assert TRAILING_NOTE not in mixed.notes
    assert mixed.rejected[["row", "reason"]].to_dict("records") == [
        {"row": 32, "reason": "the row has more fields than the header (3)"}]


def test_a_decimal_comma_before_the_fraction_of_a_second(con):
    # ISO 8601 allows 14:05:00,5 as well as 14:05:00.5 (reading 41); a comma elsewhere is no time
    data = csv_text(CONTACT_HEADER,
                    contact_row("D1", "2026-07-13 09:15:00,5", resolved_at="2026-07-13T10:15:00,250Z"),   # row 2
                    contact_row("D2", "2026-07-13 09:15,5"),                                               # row 3
                    *padding(20))
    result = load(con, "contacts", data)
    assert result.rejected[["row", "reason"]].to_dict("records") == [
        {"row": 3, "reason": "opened_at: cannot read '2026-07-13 09:15,5' as a date and time"}]
    d1 = contact(con, "D1")
    assert d1["opened_at"] == utc("2026-07-13 08:15:00.5")       # 09:15:00.5 in London (BST)
    assert d1["resolved_at"] == utc("2026-07-13 10:15:00.25")
