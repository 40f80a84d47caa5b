"""The Data page through AppTest: uploads (preview, confirm, summary), refused files, the date-order
question, the mapping editor for unknown layouts, undo, the audit log, and the manager role at the
moment of each action. Real DuckDB file, real CSV bytes; expected counts are worked out by hand."""
from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest

from components.auth import ENV_HASH, hash_password
from components.tables import neutralise_value as neutralise
from components.uploads import NOT_IN_FILE, history_csv, rejected_csv, similar_name_suggestions
from manager_helpers import (
    app, button, contacts_csv, database_state, labels, load_directly, open_page, rows, scalar, sign_in, values,
)
from page_helpers import as_read, column_settings
from store import db
from store.batches import list_batches
from store.presets import saved_presets

DATA = "views/data.py"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
REALDATA = PROJECT_ROOT / "tests" / "fixtures" / "realdata"

# Week 1: five contacts, all by email, answered the same day.
WEEK_1 = contacts_csv([f"T{i:02d},2026-03-02 10:{i:02d},email,2026-03-02 10:30,2026-03-02 12:00" for i in range(1, 6)])


def week_2() -> bytes:
    """T01 exactly as in week 1 (unchanged), T02 now by phone (updated), T06..T24 new (19 rows),
    and one row without an opened_at (rejected): 22 data rows, 1 bad = 4.5%, under the 5% limit."""
    lines = ["T01,2026-03-02 10:01,email,2026-03-02 10:30,2026-03-02 12:00",
             "T02,2026-03-02 10:02,phone,2026-03-02 10:30,2026-03-02 12:00"]
    lines += [f"T{i:02d},2026-03-03 09:{i:02d},chat,2026-03-03 09:30,2026-03-03 10:00" for i in range(6, 25)]
    lines.append("T99,,email,,")
    return contacts_csv(lines)


def upload(at, data: bytes, name: str = "week.csv", table: str = "contacts"):
    if at.radio(key="upload_table").value != table:
        at.radio(key="upload_table").set_value(table).run()
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def map_columns(at, **headers):
    """Point each Charter Desk column at a file header in the mapping editor; the editor's key prefix."""
    key = [s for s in at.selectbox if s.key and s.key.startswith("map_")][0].key.rsplit("_ticket_id", 1)[0]
    for column, header in headers.items():
        at.selectbox(key=f"{key}_{column}").set_value(header)
    at.run()
    return key


def manager_on_data_page(monkeypatch):
    at = open_page(app(monkeypatch), DATA)
    return sign_in(at)


def upload_history(at):
    """The upload history as a reader sees it: a static table (its text wraps), its cells escaped
    for markdown."""
    [frame] = [table.value for table in at.table if "layout" in table.value.columns]
    return frame.map(lambda value: as_read(value) if isinstance(value, str) else value)


# ----------------------------------------------------------------------------- viewers

def test_viewer_cannot_upload_undo_or_save_a_preset(monkeypatch):
    load_directly("contacts", WEEK_1, "week1.csv")
    at = open_page(app(monkeypatch), DATA)
    assert len(at.file_uploader) == 0                     # no upload (nor mapping editor / preset save)
    assert not any("undo" in label.lower() for label in labels(at))
    assert "Save preset and use it" not in labels(at)
    assert "week1.csv" in upload_history(at)["file"].tolist()   # history is still readable
    assert any("manager can undo" in c for c in values(at.caption))


def test_wrong_password_is_refused(monkeypatch):
    at = sign_in(open_page(app(monkeypatch), DATA), password="not the password")
    assert any("password is not right" in e for e in values(at.error))
    assert len(at.file_uploader) == 0


def test_without_configuration_the_page_explains_how_to_set_a_password(monkeypatch):
    at = open_page(app(monkeypatch, password_hash=None), DATA)
    assert any("python cli.py set-manager-password" in i for i in values(at.info))
    assert len(at.file_uploader) == 0
    assert len(at.text_input) == 0  # no password prompt that could never succeed


# ----------------------------------------------------------------------------- uploads

def test_manager_uploads_contacts_and_sees_the_summary(monkeypatch):
    load_directly("contacts", WEEK_1, "week1.csv")
    # with the byte-order mark Excel's "CSV UTF-8" writes: the summary says UTF-8, as the mark changes nothing
    at = upload(manager_on_data_page(monkeypatch), "\ufeff".encode() + week_2(), "week2.csv")
    assert any("Detected layout" in s and "Charter Desk columns" in s for s in values(at.success))
    mapping = at.dataframe[0].value
    assert mapping.loc[mapping["column"] == "ticket_id *", "from file column"].item() == "ticket_id"
    preview = at.dataframe[1].value
    assert preview["ticket_id"].tolist()[:3] == ["T01", "T02", "T06"]
    rejected = at.dataframe[2].value
    assert rejected["row"].tolist() == [23]  # the header is row 1: the 22nd data row is row 23
    assert "opened_at" in rejected["reason"].item()
    assert {m.label: m.value for m in at.metric} == {"Rows in the file": "22", "Rows that will load": "21",
                                                    "Rows rejected": "1"}
    # T01 and T02 are stored from week 1, T06..T24 are not: known before loading
    assert "Of these rows, 19 are for a ticket not stored yet and 2 for a ticket already stored " \
           "(updated where the file differs)." in values(at.caption)
    assert database_state()[0] == 5  # the preview wrote nothing

    button(at, "Load 21 rows into contacts").click().run()
    assert not at.exception
    # the layout and the encoding in the page's words, not the store's ('preset canonical')
    assert "Batch 2: **week2.csv** loaded into contacts, read as Charter Desk columns (generic CSV), UTF-8." \
        in values(at.success)
    assert {m.label: m.value for m in at.metric} == {"New rows": "19", "Updated": "1", "Unchanged": "1",
                                                    "Rejected": "1"}
    assert scalar("SELECT count(*) FROM contacts") == 24
    assert scalar("SELECT channel FROM contacts WHERE ticket_id = 'T02'") == "phone"
    assert rows("SELECT batch_id, loaded_by, rows_rejected FROM batches ORDER BY batch_id")[-1] == \
        (2, "Ann Manager (password)", 1)
    assert len(at.file_uploader) == 1 and at.file_uploader[0].value is None  # ready for the next file


def test_a_contacts_export_picked_as_prices_is_named_for_what_it_looks_like(monkeypatch):
    from ingest_helpers import VENDORS

    at = upload(manager_on_data_page(monkeypatch), (VENDORS / "zendesk_tickets.csv").read_bytes(), "tickets.csv",
                table="prices")
    assert ("These columns look like a contacts file (Zendesk layout), not prices. If so, choose 'Contacts (tickets, "
            "enquiries and complaints)' under 'What is in the file?' above.") in values(at.warning)
    at = upload(at, (VENDORS / "zendesk_tickets.csv").read_bytes(), "tickets.csv", table="contacts")
    assert not any("These columns look like" in w for w in values(at.warning))   # recognised where it belongs


def test_a_kind_column_in_the_files_own_words_is_pointed_to_the_rule_that_reads_it(monkeypatch):
    """'Question' mapped straight onto kind refuses the file; the page says the mapping (the
    complaints rule or a translation) is the fix, not a new export."""
    data = ("Ref;Received;Type\nA-1;2026-03-02 09:15;Complaint\nA-2;2026-03-02 09:45;Question\n"
            "A-3;2026-03-02 10:05;Question\n").encode()
    at = upload(manager_on_data_page(monkeypatch), data, "acme.csv")
    key = map_columns(at, ticket_id="Ref", opened_at="Received", kind="Type")
    assert any("kind must be enquiry or complaint, not 'Question'" in e for e in values(at.error))
    assert any("Name the values that mean a complaint under 'Complaints' above" in i for i in values(at.info))
    at.selectbox(key=f"{key}_kind").set_value(NOT_IN_FILE)
    at.selectbox(key=f"{key}_kind_column").set_value("Type")
    at.text_input(key=f"{key}_kind_values").input("Complaint").run()
    assert not values(at.error) and {m.label: m.value for m in at.metric}["Rows that will load"] == "3"


def test_the_same_file_twice_is_reported_as_already_loaded(monkeypatch):
    batch = load_directly("contacts", WEEK_1, "week1.csv")
    before = database_state()
    at = upload(manager_on_data_page(monkeypatch), WEEK_1, "week1 again.csv")
    assert not any(i.startswith("Every row that will load") for i in values(at.info))   # one message, not two
    # in the load button's place, what to do instead, without saying again what the warning says
    assert any(f"To load it anew, undo batch {batch}" in i for i in values(at.info))
    assert not any("already loaded" in i for i in values(at.info))
    # said first, above the counts, which no longer read as rows to come
    main = [e for e in at.main if type(e).__name__ in ("Warning", "Metric")]
    assert type(main[0]).__name__ == "Warning" and f"already loaded as batch {batch}" in main[0].value
    assert "Rows that would load" in [m.label for m in at.metric]
    assert not any(label.startswith("Load ") for label in labels(at))
    assert database_state() == before


def test_a_file_of_tickets_all_stored_already_is_pointed_out_before_it_loads(monkeypatch):
    """Last week's export again, re-exported (so not the same bytes): every ticket is stored; the
    preview says the file adds none before the manager loads it, and it still loads (it may be meant:
    corrections), as 1 updated and 4 unchanged."""
    load_directly("contacts", WEEK_1, "week1.csv")
    again = WEEK_1.replace(b"T01,2026-03-02 10:01,email", b"T01,2026-03-02 10:01,phone")
    at = upload(manager_on_data_page(monkeypatch), again, "week1 corrected.csv")
    assert any(i.startswith("Every row that will load is for a ticket already stored, so this file adds nothing new")
               for i in values(at.info))
    assert not any(c.startswith("Of these rows") for c in values(at.caption))
    button(at, "Load 5 rows into contacts").click().run()
    assert {m.label: m.value for m in at.metric} == {"New rows": "0", "Updated": "1", "Unchanged": "4",
                                                    "Rejected": "0"}


@pytest.mark.parametrize("data, reason", [
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00binary", "not a CSV text file"),
    (contacts_csv(["T1,2026-03-02 10:00,email,,", "T2,yesterday,email,,"]), "more than the 5% allowed"),
])
def test_a_bad_file_is_refused_with_a_plain_reason_and_nothing_changes(monkeypatch, data, reason):
    load_directly("contacts", WEEK_1, "week1.csv")
    before = database_state()
    at = upload(manager_on_data_page(monkeypatch), data, "export.csv")
    errors = values(at.error)
    assert len(errors) == 1 and reason in errors[0] and "Traceback" not in errors[0]
    assert not any(label.startswith("Load ") for label in labels(at))
    assert database_state() == before


def test_a_file_refused_for_bad_rows_lists_every_bad_row(monkeypatch):
    # 4 of 6 rows bad: the message names the first three, the table and its download all four
    data = contacts_csv(["T1,2026-03-02 10:00,email,,", "T2,yesterday,email,,", "T3,,email,,",
                         "T4,2026-03-02 10:00,email,,", "T5,soon,email,,", "T6,later,email,,"])
    at = upload(manager_on_data_page(monkeypatch), data, "export.csv")
    assert "more than the 5% allowed" in values(at.error)[0]
    listed = next(df.value for df in at.dataframe if "reason" in df.value.columns)
    assert list(listed["row"]) == [3, 4, 6, 7]
    assert "Download the rejected rows (CSV)" in [b.label for b in at.get("download_button")]


def test_ambiguous_dates_are_asked_then_read_as_chosen(monkeypatch):
    data = contacts_csv([f"D{i:02d},02/03/2026 10:{i:02d},email,02/03/2026 11:00," for i in range(1, 4)])
    at = upload(manager_on_data_page(monkeypatch), data, "dates.csv")
    assert any("day-first or month-first" in w for w in values(at.warning))
    at.radio(key=[r.key for r in at.radio if r.key.startswith("date_order_")][0]).set_value("dayfirst").run()
    assert not at.exception
    button(at, "Load 3 rows into contacts").click().run()
    # 2 March 2026 10:01 in London (GMT) = 10:01 UTC; month-first would have been 3 February.
    assert str(scalar("SELECT opened_at FROM contacts WHERE ticket_id = 'D01'"))[:16] == "2026-03-02 10:01"


def test_rejected_rows_download_is_safe_to_open_in_a_spreadsheet():
    import pandas as pd

    frame = pd.DataFrame({"row": [3, 4], "reason": ["=HYPERLINK(\"x\")", "csat: 7 is outside 1..5"],
                          "Subject": ["@SUM(A1)", None]})
    text = rejected_csv(frame).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [["row_number", "reason", "Subject"], ["3", "'=HYPERLINK(\"x\")", "'@SUM(A1)"],
                                                   ["4", "csat: 7 is outside 1..5", ""]]
    assert [neutralise(v) for v in ("+1", "-2", "@a", "\tx", "\ry", "ok", 5)] == \
        ["'+1", "'-2", "'@a", "'\tx", "'\ry", "ok", 5]


def test_a_period_left_at_the_latest_weeks_follows_an_upload_and_a_chosen_one_stays(monkeypatch):
    """Week 1 (2 Mar) is loaded; the picker offers 2-2 Mar. After week 2 (3 Mar) loads in the same
    session, a period nobody touched shows 2-3 Mar, or the week just loaded would be out of view.
    A period the manager chose (2 Mar to 2 Mar after 3 Mar was in) stays where it was put."""
    from datetime import date

    at = upload(manager_on_data_page(monkeypatch), WEEK_1, "week1.csv")
    button(at, "Load 5 rows into contacts").click().run()
    at.run()
    assert at.date_input(key="period").value == (date(2026, 3, 2), date(2026, 3, 2))
    at = upload(at, week_2(), "week2.csv")
    button(at, "Load 21 rows into contacts").click().run()
    at.run()
    assert at.date_input(key="period").value == (date(2026, 3, 2), date(2026, 3, 3))

    at.date_input(key="period").set_value((date(2026, 3, 2), date(2026, 3, 2))).run()
    later = contacts_csv(["T30,2026-03-04 09:00,email,2026-03-04 09:30,2026-03-04 10:00"])
    at = upload(at, later, "week3.csv")
    button(at, "Load 1 rows into contacts").click().run()
    at.run()
    assert at.date_input(key="period").value == (date(2026, 3, 2), date(2026, 3, 2))


# ----------------------------------------------------------------------------- unknown layouts

def test_unknown_layout_gets_the_mapping_editor_and_a_saved_preset_loads_the_file(monkeypatch):
    data = ("Ref;Received;Medium;Type\n"
            "A-1;2026-03-02 09:15;Email;Complaint\n"
            "A-2;2026-03-02 09:45;Phone;Question\n"
            "A-3;2026-03-02 10:05;Chat;complaint\n").encode()
    at = upload(manager_on_data_page(monkeypatch), data, "acme.csv")
    assert any("do not match a known contacts export. Map them below" in w for w in values(at.warning))
    editor = [s for s in at.selectbox if s.key and s.key.startswith("map_")]
    assert {"ticket_id *", "opened_at *", "channel"} <= {s.label for s in editor}    # required ones marked
    key = editor[0].key.rsplit("_ticket_id", 1)[0]
    at.selectbox(key=f"{key}_ticket_id").set_value("Ref")
    at.selectbox(key=f"{key}_opened_at").set_value("Received")
    at.selectbox(key=f"{key}_channel").set_value("Medium")
    at.selectbox(key=f"{key}_kind_column").set_value("Type")
    at.text_input(key=f"{key}_kind_values").input("Complaint").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Rows that will load"] == "3"   # previewed with the mapping
    assert database_state()[0] == 0

    at.text_input(key=[t.key for t in at.text_input if t.key.startswith("preset_name_")][0]).input("Acme Desk")
    button(at, "Save preset and use it").click().run()
    assert not at.exception
    assert rows("SELECT name, table_name, saved_by FROM saved_presets") == [
        ("Acme Desk", "contacts", "Ann Manager (password)")]   # as typed (it was lower-cased)
    assert at.selectbox(key="upload_preset_contacts").value == "Acme Desk"
    button(at, "Load 3 rows into contacts").click().run()
    assert rows("SELECT ticket_id, kind, channel FROM contacts ORDER BY ticket_id") == [
        ("A-1", "complaint", "email"), ("A-2", "enquiry", "phone"), ("A-3", "complaint", "chat")]
    assert scalar("SELECT preset FROM batches") == "Acme Desk"
    history = upload_history(at)
    assert history["layout"].tolist() == ["Acme Desk (saved)"]   # the page's words, not the store's
    assert [r[0] for r in rows("SELECT action FROM audit_log ORDER BY happened_at")] == ["save preset", "upload"]


def test_a_mapping_from_the_freshdesk_layout_drops_its_closed_time_rule_when_resolved_at_is_mapped_elsewhere(monkeypatch):
    """Freshdesk's rule reads 'Closed time' where 'Resolved time' is blank (reading 47). A manager who
    pointed resolved_at at another column still had it, unseen and not to be removed: T2, blank in
    that column, loaded as resolved when it was closed. The editor now says the rule is left out, the
    saved mapping has no fallback, and T2 loads open."""
    data = ("Ticket Number,Subject,Status,Priority,Source,Type,Created time,Resolved time,Closed time,Solved on\n"
            "T1,a,Closed,Low,Email,Question,2026-03-02 09:00:00,,2026-03-02 15:00:00,2026-03-02 11:00:00\n"
            "T2,b,Closed,Low,Email,Question,2026-03-02 10:00:00,,2026-03-02 16:00:00,\n").encode()
    at = upload(manager_on_data_page(monkeypatch), data, "renamed-freshdesk.csv")
    assert any("Started from the Freshdesk layout" in text for text in values(at.info) + values(at.caption))
    key = map_columns(at, ticket_id="Ticket Number")
    assert ("resolved_at: where 'Resolved time' is blank, 'Closed time' is read instead (the Freshdesk layout's rule). "
            "Choose another column for resolved_at to leave this rule out.") in values(at.caption)
    at.selectbox(key=f"{key}_resolved_at").set_value("Solved on").run()
    assert ("resolved_at: the Freshdesk layout reads 'Closed time' where its 'Resolved time' is blank; resolved_at "
            "is mapped to 'Solved on', so that rule is left out and a blank stays blank.") in values(at.caption)

    at.text_input(key=[t.key for t in at.text_input if t.key.startswith("preset_name_")][0]).input("Solved on").run()
    button(at, "Save preset and use it").click().run()
    assert not at.exception
    con = db.connect()
    try:
        saved = {preset.name: preset for preset in saved_presets(con)}["Solved on"]
    finally:
        con.close()
    assert saved.columns["resolved_at"] == ("Solved on",) and saved.fallbacks == {}
    button(at, "Load 2 rows into contacts").click().run()
    assert not at.exception
    assert rows("SELECT ticket_id, strftime(resolved_at, '%H:%M') FROM contacts ORDER BY ticket_id") == [
        ("T1", "11:00"), ("T2", None)]


def test_the_mapping_editor_suggests_a_column_written_another_way_for_the_manager_to_confirm(monkeypatch):
    """customerID, Opened At, first-response.at: Charter Desk's own names written another way were not
    recognised (the layout is still unknown, as the spec's matching has it), and the editor left every
    one of them 'not in the file'. It now pre-fills them, says so, and loads nothing until asked."""
    data = ("TicketID,customerID,Opened At,first-response.at,CHANNEL,Customer Name\n"
            "S-1,C-9,2026-03-02 09:15,2026-03-02 10:00,Email,Ann\n").encode()
    at = upload(manager_on_data_page(monkeypatch), data, "spelled.csv")
    assert any("do not match a known contacts export" in w for w in values(at.warning))
    key = [s for s in at.selectbox if s.key and s.key.startswith("map_")][0].key.rsplit("_ticket_id", 1)[0]
    chosen = {column: at.selectbox(key=f"{key}_{column}").value
              for column in ("ticket_id", "customer_id", "opened_at", "first_response_at", "channel", "agent")}
    assert chosen == {"ticket_id": "TicketID", "customer_id": "customerID", "opened_at": "Opened At",
                      "first_response_at": "first-response.at", "channel": "CHANNEL", "agent": NOT_IN_FILE}
    assert ("Chosen for you by a name like the column's, check each: ticket_id ← 'TicketID', opened_at ← "
            "'Opened At', customer_id ← 'customerID', first_response_at ← 'first-response.at'.") in values(at.caption)
    assert database_state()[0] == 0   # a suggestion, not a load
    button(at, "Load 1 rows once, without saving the mapping").click().run()
    assert rows("SELECT ticket_id, customer_id, strftime(opened_at, '%H:%M'), strftime(first_response_at, '%H:%M'), "
                "channel FROM contacts") == [("S-1", "C-9", "09:15", "10:00", "email")]


@pytest.mark.parametrize("header", ["customerID", "Customer Id", "customer-id", "CUSTOMER.ID", "\ufeffcustomer id "])
def test_a_column_name_written_another_way_is_suggested_once_and_never_twice(header):
    assert similar_name_suggestions("contacts", ["Ref", header], taken=set()) == {"customer_id": 1}
    # two headers alike suggest neither; one the starting layout already reads is not offered again
    assert similar_name_suggestions("contacts", [header, "customer_id"], taken=set()) == {}
    assert similar_name_suggestions("contacts", ["Ref", header], taken={1}) == {}


def test_the_date_order_chosen_while_mapping_is_kept_with_the_preset_for_next_months_file(monkeypatch):
    # 02/03 and 01/04: nothing in either file says which number is the day
    march = "Ref,Received\nM-1,02/03/2026 09:15\nM-2,02/03/2026 09:45\n".encode()
    at = upload(manager_on_data_page(monkeypatch), march, "march.csv")
    map_columns(at, ticket_id="Ref", opened_at="Received")
    assert any("day-first or month-first" in w for w in values(at.warning))
    at.radio(key=[r.key for r in at.radio if r.key.startswith("date_order_")][0]).set_value("dayfirst").run()
    assert any("also keeps the date order this file is read in, day first" in c for c in values(at.caption))
    at.text_input(key=[t.key for t in at.text_input if t.key.startswith("preset_name_")][0]).input("monthly")
    button(at, "Save preset and use it").click().run()
    button(at, "Load 2 rows into contacts").click().run()
    assert not at.exception
    assert "ambiguous dates read day first" in scalar("SELECT detail FROM audit_log WHERE action = 'save preset'")

    april = "Ref,Received\nA-1,01/04/2026 08:30\n".encode()
    at = upload(at, april, "april.csv")
    assert not [r for r in at.radio if r.key and r.key.startswith("date_order_")]   # not asked again
    assert any("as saved with preset 'monthly'" in text for text in values(at.info) + values(at.caption)
               + values(at.markdown)), "the note says where the order came from"
    button(at, "Load 1 rows into contacts").click().run()
    assert not at.exception
    # 1 April 2026 08:30 in London (BST, UTC+1) = 07:30 UTC; month-first would be 4 January (GMT)
    assert rows("SELECT ticket_id, strftime(opened_at, '%Y-%m-%d %H:%M') FROM contacts ORDER BY ticket_id") == [
        ("A-1", "2026-04-01 07:30"), ("M-1", "2026-03-02 09:15"), ("M-2", "2026-03-02 09:45")]


def test_a_date_order_the_mapped_file_settled_is_kept_with_the_preset_too(monkeypatch):
    # 23/03 can only be day-first: the layout is day-first, and next week's 01/04 is read so
    march = "Ref,Received\nM-1,23/03/2026 09:15\n".encode()
    at = upload(manager_on_data_page(monkeypatch), march, "march.csv")
    map_columns(at, ticket_id="Ref", opened_at="Received")
    assert not [r for r in at.radio if r.key and r.key.startswith("date_order_")]   # the file settled it
    at.text_input(key=[t.key for t in at.text_input if t.key.startswith("preset_name_")][0]).input("weekly")
    button(at, "Save preset and use it").click().run()
    button(at, "Load 1 rows into contacts").click().run()
    assert not at.exception
    at = upload(at, "Ref,Received\nA-1,01/04/2026 08:30\n".encode(), "april.csv")
    assert not [r for r in at.radio if r.key and r.key.startswith("date_order_")]
    button(at, "Load 1 rows into contacts").click().run()
    assert not at.exception
    # 1 April 2026 08:30 in London (BST) = 07:30 UTC
    assert scalar("SELECT strftime(opened_at, '%Y-%m-%d %H:%M') FROM contacts WHERE ticket_id = 'A-1'") == \
        "2026-04-01 07:30"


def test_a_one_off_file_loads_with_its_mapping_without_keeping_a_preset(monkeypatch):
    data = ("Ref,Received,Medium\n"
            "B-1,2026-03-02 09:15,Email\n"
            "B-2,2026-03-02 09:45,Phone\n").encode()
    at = upload(manager_on_data_page(monkeypatch), data, "one-off.csv")
    # an unknown layout gets the editor by itself: no switch to open it
    assert not [t for t in at.toggle if t.label.startswith("Adjust the mapping")]
    map_columns(at, ticket_id="Ref", opened_at="Received", channel="Medium")
    button(at, "Load 2 rows once, without saving the mapping").click().run()
    assert not at.exception
    assert rows("SELECT ticket_id, channel FROM contacts ORDER BY ticket_id") == [("B-1", "email"), ("B-2", "phone")]
    assert rows("SELECT name FROM saved_presets") == []
    assert scalar("SELECT preset FROM batches") == "unsaved mapping"
    # the summary and the history say the mapping was not kept: they said "unsaved mapping (saved mapping)"
    assert any("read as a mapping made for this file (not saved)" in s for s in values(at.success))
    assert not any("saved mapping)" in s or "(saved)" in s for s in values(at.success))
    assert upload_history(at)["layout"].tolist() == ["one-off mapping"]


def test_a_vendor_export_with_a_renamed_column_is_mapped_from_its_preset_and_keeps_its_value_translations(monkeypatch):
    """Freshdesk's export with 'Created time' renamed: no preset recognises it, so the editor starts
    from Freshdesk's (the closest layout) and the manager only points opened_at at the new name. The
    preset's translations (Portal -> web, Medium -> normal, Awesome -> 5) and its complaint rule
    (Type = Complaint) must come along, or the portal ticket leaves the web channel's promise and
    the rating is refused."""
    data = ("Ticket ID,Subject,Status,Priority,Source,Type,Agent,Group,Date created,Resolved time,Survey results\n"
            "F-1,Bill,Resolved,Medium,Portal,Complaint,Ann,Billing,2026-03-02 09:15:00,2026-03-02 11:00:00,Awesome\n"
            "F-2,Meter,Open,High,Email,Question,Bob,Metering,2026-03-02 09:45:00,,\n").encode()
    at = upload(manager_on_data_page(monkeypatch), data, "freshdesk-renamed.csv")
    assert any("do not match a known contacts export. Map them below" in w for w in values(at.warning))
    assert ("Started from the Freshdesk layout, the closest to this file, which does not find opened_at (the "
            "layout's 'Created time'): its translations of values (such as channel and priority names, listed "
            "below) and its "
            "complaint rule come with the mapping.") in " ".join(as_read(c) for c in values(at.caption))
    key = [s.key for s in at.selectbox if s.key and s.key.startswith("map_")][0].rsplit("_ticket_id", 1)[0]
    assert at.selectbox(key=f"{key}_ticket_id").value == "Ticket ID"       # what Freshdesk's preset finds
    assert at.selectbox(key=f"{key}_channel").value == "Source"
    assert at.selectbox(key=f"{key}_team").value == "Group"
    assert at.selectbox(key=f"{key}_opened_at").value == "— not in the file —"
    assert at.selectbox(key=f"{key}_kind_column").value == "Type"
    assert at.text_input(key=f"{key}_kind_values").value == "complaint, complaints"
    at.selectbox(key=f"{key}_opened_at").set_value("Date created").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Rows that will load"] == "2"
    translations = at.dataframe[0].value   # the editor's, listed for the manager to change
    assert ("channel", "portal", "web") in set(translations.itertuples(index=False, name=None))
    mapping = next(frame.value for frame in at.dataframe if "note" in frame.value.columns).set_index("column")
    assert mapping.loc["channel", "note"].startswith("reads portal → web, feedback widget → web")
    button(at, "Load 2 rows once, without saving the mapping").click().run()
    assert not at.exception
    assert rows("SELECT ticket_id, kind, channel, priority, team, csat FROM contacts ORDER BY ticket_id") == [
        ("F-1", "complaint", "web", "normal", "Billing", 5), ("F-2", "enquiry", "email", "high", "Metering", None)]


def test_a_file_without_a_required_column_is_told_how_to_get_one(monkeypatch):
    """No column of this file can be opened_at: choosing is a dead end, so the page says to export it again."""
    data = ("Ref;Medium\n"
            "A-1;Email\n"
            "A-2;Phone\n").encode()
    at = manager_on_data_page(monkeypatch)
    before = database_state()
    at = upload(at, data, "no-dates.csv")
    asked = [i for i in values(at.info) if i.startswith("Choose the file column for the required column(s)")]
    assert len(asked) == 1 and "opened_at" in asked[0]
    assert "export the file again with that column" in asked[0]
    assert database_state() == before   # nothing loaded


def test_a_customer_snapshot_with_tenure_and_no_dates_is_told_how_to_give_it_dates(monkeypatch):
    """The IBM telco churn file's first rows (tests/fixtures/realdata, untouched): customerID, tenure in
    months, Churn Yes/No, no date. The page sent the manager to 'the helpdesk's export settings' for a
    joined_at no export has; it now names the two columns to add and the README section that says how."""
    lines = (REALDATA / "ibm_telco_customer_churn.csv").read_bytes().splitlines(keepends=True)[:4]
    at = upload(manager_on_data_page(monkeypatch), b"".join(lines), "telco.csv", table="customers")
    asked = [i for i in values(at.info) if i.startswith("Choose the file column for the required column(s)")]
    assert len(asked) == 1 and "joined_at" in asked[0]
    assert "helpdesk" not in asked[0]
    assert "snapshot date minus the tenure" in asked[0]
    assert "'Customers and prices from a file without dates'" in asked[0]
    assert "## Customers and prices from a file without dates" in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert rows("SELECT count(*) FROM customers") == [(0,)]


def test_the_value_translations_example_names_a_column_of_the_file_s_table(monkeypatch):
    """A customers file has no channel: its mapping editor's example translates a product."""
    data = ("Account;Since;Plan\n"
            "C-1;2024-03-02;Bband\n"
            "C-2;2025-07-19;Broadband\n").encode()
    at = upload(manager_on_data_page(monkeypatch), data, "crm-customers.csv", table="customers")
    assert any("do not match a known customers export" in w for w in values(at.warning))
    explained = [m for m in values(at.markdown) if m.startswith("**Value translations**")]
    assert len(explained) == 1
    assert "the file's 'Bband' as the product 'Broadband'" in explained[0] and "channel" not in explained[0]


def test_the_mapping_editor_offers_no_column_without_a_name(monkeypatch):
    """Excel's empty columns without a name (one after Subject, two at the end) are left out of the
    upload, so the editor does not offer them, and still finds what the closest layout finds behind
    them (the file was refused: 'Column(s) 3, 13, 14 of the header row have no name')."""
    data = ("Ticket ID,Subject,,Status,Priority,Source,Type,Agent,Group,Date created,Resolved time,Survey results,,\n"
            "F-1,Bill,,Resolved,Medium,Portal,Complaint,Ann,Billing,2026-03-02 09:15:00,2026-03-02 11:00:00,Awesome,,\n"
            "F-2,Meter,,Open,High,Email,Question,Bob,Metering,2026-03-02 09:45:00,,,,\n").encode()
    at = upload(manager_on_data_page(monkeypatch), data, "freshdesk-padded.csv")
    key = [s.key for s in at.selectbox if s.key and s.key.startswith("map_")][0].rsplit("_ticket_id", 1)[0]
    assert at.selectbox(key=f"{key}_opened_at").options == [
        NOT_IN_FILE, "Ticket ID", "Subject", "Status", "Priority", "Source", "Type", "Agent", "Group", "Date created",
        "Resolved time", "Survey results"]
    assert at.selectbox(key=f"{key}_kind_column").options == at.selectbox(key=f"{key}_opened_at").options
    assert (at.selectbox(key=f"{key}_ticket_id").value, at.selectbox(key=f"{key}_channel").value,
            at.selectbox(key=f"{key}_team").value, at.selectbox(key=f"{key}_kind_column").value) == (
        "Ticket ID", "Source", "Group", "Type")
    at.selectbox(key=f"{key}_opened_at").set_value("Date created").run()
    assert not at.exception
    assert "Columns 3, 13 and 14 have no name in the header row and nothing in any row (a spreadsheet saves " \
           "columns it once formatted like this): left out." in [as_read(i) for i in values(at.info)]
    assert not any(c.startswith("File columns not used") and ", ," in c for c in values(at.caption))
    button(at, "Load 2 rows once, without saving the mapping").click().run()
    assert not at.exception
    assert rows("SELECT ticket_id, kind, channel, team FROM contacts ORDER BY ticket_id") == [
        ("F-1", "complaint", "web", "Billing"), ("F-2", "enquiry", "email", "Metering")]


def test_value_translations_are_edited_in_the_mapping_and_kept_with_the_preset(monkeypatch):
    """A recognised file (Charter Desk's own columns) whose export writes the channel 'E-Mail': loaded
    as it is, 'e-mail' would be a channel of its own, outside the email promise. The manager switches
    on 'Adjust the mapping', adds E-Mail -> email (matched whatever its case), and the preview shows
    'email'; saved as a preset, the translation is kept, audited, and the load stores 'email'."""
    import json

    data = contacts_csv(["T1,2026-03-02 10:00,E-Mail,,", "T2,2026-03-02 11:00,email,,", "T3,2026-03-02 12:00,E-MAIL,,"])
    at = upload(manager_on_data_page(monkeypatch), data, "week.csv")
    [adjust] = [toggle for toggle in at.toggle if toggle.label.startswith("Adjust the mapping")]
    adjust.set_value(True).run()
    assert [t.value for t in at.toggle if t.label.startswith("Adjust the mapping")] == [True]   # to switch it off
    assert not at.exception
    key = [s.key for s in at.selectbox if s.key and s.key.startswith("map_")][0].rsplit("_ticket_id", 1)[0]
    assert at.selectbox(key=f"{key}_channel").value == "channel"            # started from the recognised layout
    assert at.dataframe[0].value.empty                                       # Charter Desk's own: no translation
    at.session_state[f"{key}_values"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"column": "channel", "in the file": " E-Mail ", "stored as": "email"},
        {"column": "partner", "in the file": "", "stored as": "FixRight"},    # still being typed: left out
        {"column": "team", "in the file": "n/a", "stored as": None}]}        # no team
    at.run()
    assert not at.exception
    assert "Stored empty: team 'n/a'. Type a 'stored as' to keep the value." in [as_read(c) for c in values(at.caption)]
    preview = next(frame.value for frame in at.dataframe if "ticket_id" in frame.value.columns)
    assert preview["channel"].tolist() == ["email", "email", "email"]
    assert "Every row that will load is for a ticket not stored yet." in values(at.caption)
    at.text_input(key=[t.key for t in at.text_input if t.label == "Preset name"][0]).set_value("mail fix").run()
    button(at, "Save preset and use it").click().run()
    assert not at.exception
    saved = json.loads(scalar("SELECT definition FROM saved_presets WHERE name = 'mail fix'"))
    assert saved["values"] == {"channel": {"e-mail": "email"}, "team": {"n/a": ""}}
    assert scalar("SELECT detail FROM audit_log WHERE action = 'save preset'").endswith("; 2 value translations")
    button(at, "Load 3 rows into contacts").click().run()
    assert rows("SELECT ticket_id, channel FROM contacts ORDER BY ticket_id") == [
        ("T1", "email"), ("T2", "email"), ("T3", "email")]


def test_translations_from_the_editor_rows():
    import pandas as pd

    from components.uploads import translatable_columns, translations_frame, translations_from

    assert translatable_columns("contacts") == ["kind", "channel", "priority", "team", "agent", "partner", "category",
                                                "csat"]
    rows = pd.DataFrame([("channel", "Web Widget", " web "), ("csat", "not offered", None), ("channel", None, "x"),
                         (None, "a", "b"), ("opened_at", "today", "x"), ("channel", "WEB WIDGET", "portal")],
                        columns=["column", "in the file", "stored as"])
    # the later row for the same value wins; an id, a time or a row without its value is left out
    assert translations_from(rows, "contacts") == {"channel": {"web widget": "portal"}, "csat": {"not offered": ""}}
    # matched as the upload matches the cell, by DuckDB's lower(): 'Straße' is not 'strasse'
    assert translations_from(pd.DataFrame([("partner", "Straße Repairs", "SR")], columns=list(rows.columns)),
                             "contacts") == {"partner": {"straße repairs": "SR"}}
    assert translations_from(translations_frame({"team": {"bill": "Billing"}}), "contacts") == {"team": {"bill": "Billing"}}


def test_a_value_translated_twice_to_different_names_is_pointed_out():
    import pandas as pd

    from components.uploads import translation_conflicts

    rows = pd.DataFrame([("channel", "Web", "web"), ("team", "Web", "Online"), ("channel", "WEB ", "portal"),
                         ("channel", "web", "portal"), ("csat", "n/a", None), ("csat", "N/A", ""),
                         ("channel", "Phone", "phone"), ("opened_at", "web", "x")],
                        columns=["column", "in the file", "stored as"])
    # the same channel value (whatever its case) to two names; the same name twice, or another column, is fine
    assert translation_conflicts(rows, "contacts") == ["channel 'web' as 'web' and as 'portal'"]
    assert translation_conflicts(rows.iloc[[0, 1, 4, 5, 6]], "contacts") == []


def test_a_renamed_complaint_column_is_named_rather_than_claimed(monkeypatch):
    """Freshdesk's 'Type' renamed 'Ticket type': the editor cannot start with the complaint rule, so it
    says which column it did not find instead of saying the rule comes with the mapping."""
    data = ("Ticket ID,Source,Priority,Group,Date created,Ticket type\n"
            "F-1,Portal,Medium,Billing,2026-03-02 09:15:00,Complaint\n").encode()
    at = upload(manager_on_data_page(monkeypatch), data, "freshdesk-renamed-twice.csv")
    caption = " ".join(as_read(c) for c in values(at.caption))
    assert ("which does not find opened_at (the layout's 'Created time'); its complaint column 'Type' (choose it "
            "below, or every contact loads as an enquiry): its translations of values (such as channel and "
            "priority names, listed below) come with the mapping.") in caption
    # recognised as Freshdesk's (its 'Created time' there) but without 'Type': the upload says what follows
    data = data.replace(b"Date created", b"Created time")
    at = upload(at, data, "freshdesk-type-renamed.csv")
    assert any("This layout marks complaints in its 'Type' column, which the file does not have: every contact "
               "loads as an enquiry." in as_read(i) for i in values(at.info))


def test_the_closest_preset_is_the_one_that_finds_most_columns_and_only_when_it_finds_three():
    from store.presets import closest_preset

    renamed_freshdesk = ["Ticket ID", "Source", "Priority", "Group", "Date created"]
    assert closest_preset(None, "contacts", renamed_freshdesk).name == "freshdesk"
    assert closest_preset(None, "contacts", ["Ref", "Received", "Priority", "Agent"]).name == "canonical"
    assert closest_preset(None, "contacts", ["ticket_id", "channel", "team", "when"]).name == "canonical"


def test_a_saved_mapping_can_be_forgotten(monkeypatch):
    from store import db
    from store.presets import custom_preset, save_preset

    con = db.connect()
    try:
        save_preset(con.cursor(), custom_preset("acme desk", "contacts", {"ticket_id": "Ref", "opened_at": "Received"},
                                                None), "Ann Manager")
    finally:
        con.close()
    at = manager_on_data_page(monkeypatch)
    at.selectbox(key="preset_forget_pick").set_value("acme desk").run()
    button(at, "Forget this mapping").click().run()
    assert not at.exception
    assert rows("SELECT name FROM saved_presets") == []
    assert rows("SELECT action, detail FROM audit_log") == [("forget preset", "preset 'acme desk' for contacts")]
    assert any("Preset 'acme desk' forgotten" in s for s in values(at.success))
    assert any("Preset 'acme desk' forgotten" in t for t in values(at.toast))   # seen where the button is
    assert "Forget this mapping" not in labels(at)   # nothing left to forget


# ----------------------------------------------------------------------------- undo and audit

def test_the_upload_history_counts_rows_in_one_column_and_keeps_the_rest_in_its_csv(monkeypatch):
    """Five counts and a checksum made the history scroll sideways on a 1280 px laptop: the table now
    says rows loaded and rejected in one column, and its CSV keeps each count and the whole checksum."""
    load_directly("contacts", WEEK_1, "week1.csv")
    load_directly("contacts", week_2(), "week2.csv")
    at = manager_on_data_page(monkeypatch)
    history = upload_history(at)
    assert history.columns.tolist() == ["batch", "file", "into", "loaded", "by", "layout", "status", "rows"]
    assert history.set_index("batch")["rows"].to_dict() == {2: "21 loaded · 1 rejected", 1: "5 loaded · 0 rejected"}
    assert history["layout"].tolist() == ["Charter Desk", "Charter Desk"]   # not the store's 'canonical'

    con = db.connect()
    try:
        kept = list(csv.DictReader(io.StringIO(history_csv(list_batches(con), "Europe/London").decode("utf-8-sig"))))
    finally:
        con.close()
    week2 = next(row for row in kept if row["batch"] == "2")
    assert {k: week2[k] for k in ("rows in file", "loaded rows", "new", "updated", "unchanged", "rejected")} == {
        "rows in file": "22", "loaded rows": "21", "new": "19", "updated": "1", "unchanged": "1", "rejected": "1"}
    assert week2["checksum (SHA-256)"] == hashlib.sha256(week_2()).hexdigest()
    assert week2["encoding"] == "UTF-8"
    assert week2["layout"] == "Charter Desk columns (generic CSV)"   # as the upload summary named it


def test_undo_from_the_history_restores_the_earlier_state(monkeypatch):
    load_directly("contacts", WEEK_1, "week1.csv")
    load_directly("contacts", week_2(), "week2.csv")
    assert scalar("SELECT count(*) FROM contacts") == 24
    at = manager_on_data_page(monkeypatch)
    at.selectbox(key="undo_pick").set_value(2).run()
    button(at, "Undo this batch…").click().run()
    assert any("Undo **Batch 2" in w for w in values(at.warning))
    assert scalar("SELECT count(*) FROM contacts") == 24              # asked, not done yet
    button(at, "Cancel").click().run()
    assert "Yes, undo batch 2" not in labels(at)

    at.selectbox(key="undo_pick").set_value(2).run()
    button(at, "Undo this batch…").click().run()
    button(at, "Yes, undo batch 2").click().run()
    assert not at.exception
    assert any("Batch 2 (week2.csv) undone" in s for s in values(at.success))
    assert rows("SELECT ticket_id, channel FROM contacts ORDER BY ticket_id") == [
        (f"T{i:02d}", "email") for i in range(1, 6)]                 # T02 is back to email
    history = upload_history(at)
    assert history.loc[history["batch"] == 2, "status"].item().startswith("undone by Ann Manager (password)")
    # its rejected row can still be looked at, under a name that no longer says its rows are loaded only
    assert at.selectbox(key="rejected_of").options == ["Batch 2 · week2.csv (contacts, 21 rows loaded, since undone)"]
    assert "Times here and in the audit log are Europe/London time, the charter's time zone." in values(at.caption)
    audit = at.dataframe[-1].value
    assert audit["action"].tolist()[0] == "undo" and audit["who"].tolist()[0] == "Ann Manager (password)"


def test_a_second_click_on_yes_undo_finds_it_done_and_says_so_plainly(monkeypatch):
    """A double click on 'Yes, undo': the first click's run undoes the batch while the second's
    waits. The second said it in a red error box and kept asking the question of a batch already
    undone; it now says it plainly and draws the history afresh."""
    from store import batches

    load_directly("contacts", WEEK_1, "week1.csv")
    at = manager_on_data_page(monkeypatch)
    at.selectbox(key="undo_pick").set_value(1).run()
    button(at, "Undo this batch…").click().run()
    real_undo = batches.undo_batch

    def first_click_finishes_first(con, *args):   # the other run's real undo, then this run's
        real_undo(con, *args)
        return real_undo(con, *args)
    monkeypatch.setattr(batches, "undo_batch", first_click_finishes_first)
    button(at, "Yes, undo batch 1").click().run()
    assert not at.exception and not values(at.error)
    assert values(at.info) == ["Batch 1 (week1.csv) was already undone; nothing was changed."]
    assert "Yes, undo batch 1" not in labels(at)
    history = upload_history(at)
    assert history.loc[history["batch"] == 1, "status"].item().startswith("undone by Ann Manager (password)")
    assert [action for action in at.dataframe[-1].value["action"] if action == "undo"] == ["undo"]


# ----------------------------------------------------------------------------- the role at the moment of action
# Each click reruns the page; the role is checked again in that run, before and inside the action.

def assert_session_ended(at):
    assert any("manager sign-in has ended" in w for w in values(at.warning))
    assert len(at.file_uploader) == 0
    assert not any(label.startswith(("Load ", "Yes, undo")) for label in labels(at))


def test_a_session_that_lost_the_manager_role_cannot_load(monkeypatch):
    at = upload(manager_on_data_page(monkeypatch), WEEK_1, "week1.csv")
    monkeypatch.setenv(ENV_HASH, hash_password("a new password"))   # rotated while the page was open
    before = database_state()
    button(at, "Load 5 rows into contacts").click().run()
    assert_session_ended(at)
    assert database_state() == before


def test_a_session_that_lost_the_manager_role_cannot_undo(monkeypatch):
    load_directly("contacts", WEEK_1, "week1.csv")
    at = manager_on_data_page(monkeypatch)
    at.selectbox(key="undo_pick").set_value(1).run()
    button(at, "Undo this batch…").click().run()
    monkeypatch.setenv(ENV_HASH, hash_password("a new password"))
    before = database_state()
    button(at, "Yes, undo batch 1").click().run()
    assert_session_ended(at)
    assert database_state() == before


def test_a_session_that_lost_the_manager_role_cannot_save_a_preset(monkeypatch):
    at = upload(manager_on_data_page(monkeypatch), b"Ref,Received\nA-1,2026-03-02 09:15\n", "acme.csv")
    key = [s.key for s in at.selectbox if s.key and s.key.endswith("_ticket_id")][0].rsplit("_ticket_id", 1)[0]
    at.selectbox(key=f"{key}_ticket_id").set_value("Ref")
    at.selectbox(key=f"{key}_opened_at").set_value("Received").run()
    at.text_input(key=[t.key for t in at.text_input if t.key.startswith("preset_name_")][0]).input("acme")
    monkeypatch.delenv(ENV_HASH)
    button(at, "Save preset and use it").click().run()
    assert any("python cli.py set-manager-password" in i for i in values(at.info))
    assert scalar("SELECT count(*) FROM saved_presets") == 0


def test_a_customers_preview_shows_days_and_claims_no_times(monkeypatch):
    """Customers and prices hold dates: their preview heading says nothing of times in UTC (contacts'
    does), and joined_at is a day, not '2021-05-01 00:00:00'."""
    at = manager_on_data_page(monkeypatch)
    data = "customer_id,joined_at,left_at,segment,product,region\nC1,2021-05-01,,home,Home,North\n".encode()
    upload(at, data, "customers.csv", table="customers")
    headings = [m for m in values(at.markdown) if m.startswith("**First rows as they will be stored**")]
    assert headings == ["**First rows as they will be stored**"]
    preview = at.dataframe[-1].value
    assert list(preview["customer_id"]) == ["C1"]
    shown = column_settings(at.dataframe[-1])
    assert shown["joined_at"]["type_config"] == {"type": "date", "format": "YYYY-MM-DD"}, shown
    upload(at, contacts_csv(["T1,2026-03-02 09:00,email,,"]), "contacts.csv")
    assert "**First rows as they will be stored** (times in UTC)" in values(at.markdown)


def test_the_date_order_question_names_the_choice_on_the_page_not_a_command_line_option(monkeypatch):
    """The store's question also serves `cli.py load`; on the Data page the answer is the radio under
    it, and the page showed '--date-format dayfirst|monthfirst on the command line' to a manager."""
    data = contacts_csv([f"D{i:02d},02/03/2026 10:{i:02d},email,02/03/2026 11:00," for i in range(1, 4)])
    at = upload(manager_on_data_page(monkeypatch), data, "dates.csv")
    question = [w for w in values(at.warning) if "day-first or month-first" in w]
    assert question and question[0].endswith("Choose the order below."), question
    assert not any("--date-format" in text or "command line" in text
                   for text in values(at.warning) + values(at.info) + values(at.error) + values(at.caption))
    # mixed orders (13/03 only day-first, 03/13 only month-first): the same, and the rule for the other rows kept
    mixed = contacts_csv(["M1,13/03/2026 10:00,email,,", "M2,03/13/2026 10:00,email,,"])
    at = upload(at, mixed, "mixed.csv")
    question = [w for w in values(at.warning) if "mix day-first" in w]
    assert question and "Choose the order the file uses below; rows in the other order will be rejected." in \
        question[0], question
    assert not any("--date-format" in w for w in values(at.warning))


def test_a_mapping_that_names_no_complaint_column_says_every_contact_loads_as_an_enquiry(monkeypatch):
    """A manager who maps the required columns and leaves the file's 'Case Type' unchosen saw a
    preview with 'enquiry' in every row and no word; loaded, this week's complaints were missing from
    the complaint promises and the Complaints page."""
    data = ("Case Number,Date Opened,Case Type\nSF-1,2026-03-02 09:15,complaint\n"
            "SF-2,2026-03-02 09:45,enquiry\n").encode()
    at = upload(manager_on_data_page(monkeypatch), data, "cases.csv")
    key = map_columns(at, ticket_id="Case Number", opened_at="Date Opened")
    said = "every contact in this file loads as an enquiry"
    assert any(said in w for w in values(at.warning)), values(at.warning)
    # the complaint rule chosen: no warning
    at.selectbox(key=f"{key}_kind_column").set_value("Case Type")
    at.text_input(key=f"{key}_kind_values").input("complaint").run()
    assert not any(said in w for w in values(at.warning))
    assert {m.label: m.value for m in at.metric}["Rows that will load"] == "2"
    # or the column mapped to kind itself: no warning either
    at.selectbox(key=f"{key}_kind_column").set_value(NOT_IN_FILE)
    at.selectbox(key=f"{key}_kind").set_value("Case Type").run()
    assert not any(said in w for w in values(at.warning))
