"""Upsert and undo (spec section 4 and precise reading 7): which version of a ticket wins, the
row counts of each upload, and undo restoring exactly the state before a batch.

All dates are in winter (GMT), so a naive local time equals UTC and the expected instants can be
read straight off the CSV text.
"""
from __future__ import annotations

import json

import pytest

from ingest_helpers import (
    CONTACT_HEADER, charter, contact, contact_row, csv_text, load, open_db, rows, run_cli, utc, write_charter,
)
from store.batches import UnknownBatch, list_batches, undo_batch

DATA_TABLES = ("contacts", "contact_versions", "contact_clocks", "contact_facts",
               "customers", "customer_versions", "prices", "price_versions")


def data_state(con) -> dict[str, list[tuple]]:
    """Every data table in full (batch ids and row numbers included)."""
    return {name: rows(con, f"SELECT * FROM {name} ORDER BY ALL") for name in DATA_TABLES}


def agents(con) -> dict[str, str | None]:
    return dict(rows(con, "SELECT ticket_id, agent FROM contacts ORDER BY 1"))


def undo(con, batch_id: int) -> str:
    return undo_batch(con, batch_id, "tester", charter())


# ------------------------------------------------------------------------------ which version wins

def test_updated_at_decides_and_a_tie_goes_to_the_later_upload(tmp_path):
    con = open_db(tmp_path)
    first = load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("T1", "2026-02-02 09:00", updated_at="2026-02-03 10:00", agent="Ann"),
        contact_row("T2", "2026-02-02 09:30", updated_at="2026-02-03 10:00", agent="Ann")))
    assert (first.rows_new, first.rows_updated, first.rows_unchanged) == (2, 0, 0)

    # T1 arrives again with an OLDER updated_at: it does not replace the stored version.
    older = load(con, "contacts", csv_text(
        CONTACT_HEADER, contact_row("T1", "2026-02-02 09:00", updated_at="2026-02-02 12:00", agent="Bob")),
        "older.csv")
    assert agents(con) == {"T1": "Ann", "T2": "Ann"}
    assert (older.rows_loaded, older.rows_new, older.rows_updated, older.rows_unchanged) == (1, 0, 0, 1)

    # Same updated_at (a tie): the later upload wins. A newer updated_at replaces as well.
    tie = load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("T1", "2026-02-02 09:00", updated_at="2026-02-03 10:00", agent="Cat"),
        contact_row("T2", "2026-02-02 09:30", updated_at="2026-02-04 08:00", agent="Dan")), "tie.csv")
    assert agents(con) == {"T1": "Cat", "T2": "Dan"}
    assert (tie.rows_new, tie.rows_updated, tie.rows_unchanged) == (0, 2, 0)
    assert contact(con, "T2")["updated_at"] == utc("2026-02-04 08:00")


def test_without_updated_at_the_later_upload_wins(tmp_path):
    con = open_db(tmp_path)
    load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("N1", "2026-02-02 09:00", agent="Ann"),
        contact_row("N2", "2026-02-02 09:00", agent="Ann", updated_at="2026-02-10 10:00"),
        contact_row("N3", "2026-02-02 09:00", agent="Ann")), "first.csv")
    later = load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("N1", "2026-02-02 09:00", agent="Bob"),
        # Only one side carries updated_at: the later upload wins in both directions.
        contact_row("N2", "2026-02-02 09:00", agent="Bob"),
        contact_row("N3", "2026-02-02 09:00", agent="Bob", updated_at="2026-01-01 00:00")), "later.csv")
    assert agents(con) == {"N1": "Bob", "N2": "Bob", "N3": "Bob"}
    assert contact(con, "N2")["updated_at"] is None
    assert (later.rows_new, later.rows_updated, later.rows_unchanged) == (0, 3, 0)


def test_ticket_twice_in_one_file_is_not_a_bad_row(tmp_path):
    con = open_db(tmp_path)
    result = load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("D1", "2026-02-02 09:00", updated_at="2026-02-02 10:00", agent="Ann"),  # later updated_at
        contact_row("D1", "2026-02-02 09:00", updated_at="2026-02-02 09:00", agent="Bob"),
        contact_row("D2", "2026-02-02 09:00", agent="Ann"),  # no updated_at: the later row
        contact_row("D2", "2026-02-02 09:00", agent="Bob"),
        contact_row("D3", "2026-02-02 09:00", updated_at="2026-02-02 10:00", agent="Ann"),  # tie: later row
        contact_row("D3", "2026-02-02 09:00", updated_at="2026-02-02 10:00", agent="Bob")))
    assert (result.rows_in_file, result.rows_loaded, result.rows_rejected) == (6, 6, 0)
    assert (result.rows_new, result.rows_updated, result.rows_unchanged, result.rows_repeated) == (3, 0, 0, 3)
    assert agents(con) == {"D1": "Ann", "D2": "Bob", "D3": "Bob"}
    assert rows(con, "SELECT count(*) FROM contacts")[0][0] == 3
    assert rows(con, "SELECT count(*) FROM contact_versions")[0][0] == 6


def test_a_file_with_blank_and_dated_rows_acts_as_its_rows_uploaded_one_by_one(tmp_path):
    """docs/definitions.md reading 33: each row replaces the version before it by the pairwise rule."""
    stored_newer = csv_text(CONTACT_HEADER, contact_row("M1", "2026-02-02 09:00", updated_at="2026-03-10 10:00", agent="Ann"))
    mixed = csv_text(CONTACT_HEADER,
                     contact_row("M1", "2026-02-02 09:00", agent="Bob"),   # blank: replaces 10 March
                     contact_row("M1", "2026-02-02 09:00", updated_at="2026-03-05 10:00", agent="Cat"))  # replaces the blank
    together = open_db(tmp_path, "together.duckdb")
    load(together, "contacts", stored_newer, "stored.csv")
    load(together, "contacts", mixed, "mixed.csv")
    assert agents(together) == {"M1": "Cat"}
    one_by_one = open_db(tmp_path, "one_by_one.duckdb")
    load(one_by_one, "contacts", stored_newer, "stored.csv")
    for number, line in enumerate(mixed.splitlines()[1:]):
        load(one_by_one, "contacts", csv_text(CONTACT_HEADER, line), f"row{number}.csv")
    assert agents(one_by_one) == agents(together)
    # undoing the mixed file brings 10 March back
    undo(together, 2)
    assert agents(together) == {"M1": "Ann"}


def test_a_newer_version_replaces_the_whole_row(tmp_path):
    con = open_db(tmp_path)
    load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("W1", "2026-02-02 09:00", agent="Ann", team="Billing", csat="4", category="Meter",
                    customer_id="CUST-9", first_response_at="2026-02-02 10:00", resolved_at="2026-02-03 10:00",
                    kind="complaint")))
    load(con, "contacts", csv_text(CONTACT_HEADER, contact_row("W1", "2026-02-02 09:05", agent="Bob")), "b.csv")
    assert contact(con, "W1") == {
        "ticket_id": "W1", "opened_at": utc("2026-02-02 09:05"), "customer_id": None, "kind": "enquiry",
        "channel": "email", "priority": None, "team": None, "agent": "Bob", "partner": None, "category": None,
        "acknowledged_at": None, "first_response_at": None, "resolved_at": None, "follow_up_at": None,
        "reopened_count": 0, "csat": None, "updated_at": None,
    }


def test_row_counts_new_updated_unchanged(tmp_path):
    con = open_db(tmp_path)
    first = load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("R1", "2026-02-02 09:00", agent="Ann"),
        contact_row("R2", "2026-02-02 09:00", agent="Ann"),
        contact_row("R3", "2026-02-02 09:00", agent="Ann")))
    assert (first.rows_in_file, first.rows_loaded, first.rows_new, first.rows_updated, first.rows_unchanged) == \
        (3, 3, 3, 0, 0)
    second = load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("R1", "2026-02-02 09:00", agent="Zoë"),   # changed
        contact_row("R2", "2026-02-02 09:00", agent="Ann"),   # identical
        contact_row("R4", "2026-02-02 09:00", agent="Ann")), "second.csv")  # new
    assert (second.rows_loaded, second.rows_new, second.rows_updated, second.rows_unchanged) == (3, 1, 1, 1)
    batch = list_batches(con).set_index("batch_id").loc[second.batch_id]
    assert (batch.rows_new, batch.rows_updated, batch.rows_unchanged, batch.rows_loaded) == (1, 1, 1, 3)
    assert batch.file_name == "second.csv" and batch.loaded_by == "tester" and batch.status == "loaded"
    assert len(batch.checksum) == 64


def test_older_rows_counted_unchanged_are_named_as_older(tmp_path):
    """Last week's export loaded after this week's: its rows change nothing (the later updated_at
    wins), and the summary says why rather than only 'unchanged'."""
    con = open_db(tmp_path)
    load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("O1", "2026-02-02 09:00", agent="Zoë", updated_at="2026-02-09 10:00"),
        contact_row("O2", "2026-02-02 09:00", agent="Ann", updated_at="2026-02-09 10:00")), "week2.csv")
    older = load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("O1", "2026-02-02 09:00", agent="Ann", updated_at="2026-02-02 10:00"),   # older, different
        contact_row("O2", "2026-02-02 09:00", agent="Ann", updated_at="2026-02-09 10:00"),   # identical
        contact_row("O3", "2026-02-02 09:00", agent="Ann", updated_at="2026-02-02 10:00")), "week1.csv")
    assert (older.rows_new, older.rows_updated, older.rows_unchanged) == (1, 0, 2)
    assert contact(con, "O1")["agent"] == "Zoë"
    assert [n for n in older.notes if "older" in n] == [
        "1 of the 2 unchanged rows is an older version of a row already stored (the later updated_at wins), "
        "so it changed nothing."]


def test_a_channel_new_to_the_data_is_named_once_as_it_arrives(tmp_path):
    """Channels are an open list: 'whatsapp' loads, but the manager hears of it (it may be another
    name for chat). The first upload names nothing (every channel is new then), nor does a later one
    of known channels. Under the bundled charter, whose reply promises are kept to named channels,
    the note says a new channel is outside them."""
    from pathlib import Path

    from charter.model import load_charter
    from store.ingest import load_file

    con = open_db(tmp_path)
    first = load(con, "contacts", csv_text(CONTACT_HEADER, contact_row("N1", "2026-02-02 09:00", channel="email")))
    assert not [n for n in first.notes if "channel" in n]
    week = load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("N2", "2026-02-03 09:00", channel="WhatsApp"),
        contact_row("N3", "2026-02-03 09:10", channel="whatsapp"),
        contact_row("N4", "2026-02-03 09:20", channel="fax"),
        contact_row("N5", "2026-02-03 09:30", channel="email")), "week2.csv")
    assert [n for n in week.notes if "channel" in n] == [
        "New channels in this upload: whatsapp (2 rows), fax (1 row). If one is another name for a channel "
        "already in the data, correct it in the export."]
    again = load(con, "contacts", csv_text(CONTACT_HEADER, contact_row("N6", "2026-02-04 09:00", channel="fax")),
                 "week3.csv")
    assert not [n for n in again.notes if "channel" in n]

    bundled = load_charter(Path(__file__).resolve().parents[1] / "data" / "charter.toml")
    scoped = sum("channel" in standard.scope for standard in bundled.standards)
    assert scoped == 2   # replies to phone and chat; replies to email, letter and web
    sms = load_file(con, "contacts", csv_text(CONTACT_HEADER, contact_row("N7", "2026-02-05 09:00", channel="sms"))
                    .encode(), "week4.csv", "tester", bundled)
    assert [n for n in sms.notes if "channel" in n] == [
        "New channel in this upload: sms (1 row). If it is another name for a channel already in the data, "
        "correct it in the export; the charter's 2 promises kept to named channels do not cover a new one."]


def test_rows_whose_times_run_backwards_load_and_are_named_with_their_row_numbers(tmp_path):
    """Row 3 resolved before it was opened, row 5 answered before it: both load (they are what the
    helpdesk recorded) and count as invalid; the summary names them by spreadsheet row (header = 1)."""
    con = open_db(tmp_path)
    result = load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("B1", "2026-02-02 09:00", resolved_at="2026-02-02 10:00"),
        contact_row("B2", "2026-02-02 09:00", resolved_at="2026-02-01 10:00"),
        contact_row("B3", "2026-02-02 09:00", first_response_at="2026-02-02 09:30"),
        contact_row("B4", "2026-02-02 09:00", first_response_at="2026-02-02 08:59")))
    assert result.rows_loaded == 4
    assert [n for n in result.notes if "earlier than" in n] == [
        "2 rows (rows 3, 5) have times earlier than the time they follow, such as resolved before opened: loaded "
        "as written, and counted as invalid (beside the figures, never as met or missed) by any promise that uses "
        "that time, until a later export corrects them."]
    clean = load(con, "contacts", csv_text(CONTACT_HEADER, contact_row("B5", "2026-02-03 09:00")), "clean.csv")
    assert not [n for n in clean.notes if "earlier than" in n]


# ------------------------------------------------------------------------------------------- undo

def test_undo_restores_exactly_the_state_before_the_batch(tmp_path):
    con = open_db(tmp_path)
    load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("U1", "2026-02-02 09:00", agent="Ann", updated_at="2026-02-02 10:00", csat="3",
                    first_response_at="2026-02-02 09:40"),
        contact_row("U2", "2026-02-03 11:00", agent="Ann", kind="complaint", resolved_at="2026-02-05 12:00")))
    before = data_state(con)
    second = load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("U1", "2026-02-02 09:00", agent="Bob", updated_at="2026-02-04 10:00", csat="5"),
        contact_row("U2", "2026-02-03 11:00", agent="Bob", first_response_at="2026-02-03 11:30"),
        contact_row("U3", "2026-02-04 09:00", agent="Bob")), "second.csv")
    assert (second.rows_new, second.rows_updated) == (1, 2)
    assert data_state(con) != before

    message = undo(con, second.batch_id)
    assert "second.csv" in message
    assert data_state(con) == before  # contacts, versions, clocks and facts: full rows, every column
    assert contact(con, "U1")["agent"] == "Ann" and contact(con, "U1")["csat"] == 3
    status = dict(rows(con, "SELECT batch_id, status FROM batches"))
    assert status == {1: "loaded", second.batch_id: "undone"}
    with pytest.raises(UnknownBatch):
        undo(con, second.batch_id)  # already undone
    with pytest.raises(UnknownBatch):
        undo(con, 999)


def test_undo_of_an_earlier_batch_keeps_the_later_version(tmp_path):
    con = open_db(tmp_path)
    a = load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("E1", "2026-02-02 09:00", agent="Ann", updated_at="2026-02-02 10:00"),
        contact_row("E2", "2026-02-02 09:00", agent="Ann", updated_at="2026-02-02 11:00"),
        contact_row("E3", "2026-02-02 09:00", agent="Ann")), "a.csv")
    b = load(con, "contacts", csv_text(
        CONTACT_HEADER,
        contact_row("E1", "2026-02-02 09:00", agent="Bob", updated_at="2026-02-02 11:00"),  # wins
        contact_row("E2", "2026-02-02 09:00", agent="Bob", updated_at="2026-02-02 10:00")), "b.csv")  # loses
    assert agents(con) == {"E1": "Bob", "E2": "Ann", "E3": "Ann"}

    undo(con, a.batch_id)  # the earlier batch
    # E1: the later version stays; E2: Bob's version was stored and now is the only one left;
    # E3 was only in batch a and is gone.
    assert agents(con) == {"E1": "Bob", "E2": "Bob"}
    undo(con, b.batch_id)
    assert agents(con) == {}
    assert rows(con, "SELECT count(*) FROM contact_versions")[0][0] == 0
    assert rows(con, "SELECT count(*) FROM contact_clocks")[0][0] == 0
    assert rows(con, "SELECT count(*) FROM contact_facts")[0][0] == 0


def test_undo_of_a_later_batch_then_reload_of_the_same_file(tmp_path):
    con = open_db(tmp_path)
    load(con, "contacts", csv_text(CONTACT_HEADER, contact_row("L1", "2026-02-02 09:00", agent="Ann")), "a.csv")
    data = csv_text(CONTACT_HEADER, contact_row("L1", "2026-02-02 09:00", agent="Bob"))
    later = load(con, "contacts", data, "b.csv")
    undo(con, later.batch_id)
    assert agents(con) == {"L1": "Ann"}
    # An undone file is not "already loaded": loading it again applies it again.
    again = load(con, "contacts", data, "b.csv")
    assert not again.already_loaded and again.batch_id != later.batch_id
    assert agents(con) == {"L1": "Bob"}


# ---------------------------------------------------------------------------- customers and prices

CUSTOMER_HEADER = "customer_id,joined_at,left_at,segment,product,region"
PRICE_HEADER = "customer_id,period,price_paid,product,new_customer_price,channel"


def test_customers_upsert_on_customer_id(tmp_path):
    con = open_db(tmp_path)
    load(con, "customers", csv_text(CUSTOMER_HEADER, "C1,2020-01-15,,retail,Home,North", "C2,2021-06-01,,,,"))
    second = load(con, "customers", csv_text(CUSTOMER_HEADER, "C1,2020-01-15,2026-01-31,retail,,North"), "c2.csv")
    assert (second.rows_new, second.rows_updated, second.rows_unchanged) == (0, 1, 0)
    assert rows(con, "SELECT customer_id, joined_at::VARCHAR, left_at::VARCHAR, product FROM customers ORDER BY 1") == [
        ("C1", "2020-01-15", "2026-01-31", None), ("C2", "2021-06-01", None, None)]
    undo(con, second.batch_id)
    assert rows(con, "SELECT left_at, product FROM customers WHERE customer_id = 'C1'") == [(None, "Home")]


def test_prices_upsert_on_customer_product_and_period(tmp_path):
    con = open_db(tmp_path)
    load(con, "prices", csv_text(PRICE_HEADER,
                                 "C1,2026-01-01,100.00,Home,90.00,Online",
                                 "C1,2026-01-01,50.00,Car,,",
                                 "C1,2026-02-01,101.00,Home,,",
                                 "C2,2026-01-01,10.00,,,"))
    second = load(con, "prices", csv_text(PRICE_HEADER,
                                          "C1,2026-01-01,120.50,Home,,Phone",   # same key: replaced
                                          "C2,2026-01-01,12.00,,,",             # blank product is a key value too
                                          "C1,2026-03-01,102.00,Home,,"), "p2.csv")  # new period
    assert (second.rows_new, second.rows_updated, second.rows_unchanged) == (1, 2, 0)
    found = rows(con, "SELECT customer_id, period::VARCHAR, product, price_paid::VARCHAR, "
                      "new_customer_price::VARCHAR, channel FROM prices ORDER BY ALL")
    assert found == [
        ("C1", "2026-01-01", "Car", "50.0000", None, None),
        ("C1", "2026-01-01", "Home", "120.5000", None, "phone"),
        ("C1", "2026-02-01", "Home", "101.0000", None, None),
        ("C1", "2026-03-01", "Home", "102.0000", None, None),
        ("C2", "2026-01-01", None, "12.0000", None, None),
    ]


# ------------------------------------------------------------------------------- the command line

def test_cli_load_batches_and_undo(tmp_path, monkeypatch, capsys):
    """The command line's load / batches / undo, in-process (the refusal tests run it as a process)."""
    import cli

    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "cli.duckdb"))
    monkeypatch.setenv("DASHBOARD_CHARTER", str(write_charter(tmp_path)))
    first = tmp_path / "week1.csv"
    first.write_text(csv_text(CONTACT_HEADER, contact_row("K1", "2026-02-02 09:00", agent="Ann"),
                              contact_row("K2", "2026-02-02 10:00", agent="Ann")), encoding="utf-8")
    second = tmp_path / "week2.csv"
    second.write_text(csv_text(CONTACT_HEADER, contact_row("K1", "2026-02-02 09:00", agent="Bob")), encoding="utf-8")

    assert cli.main(["load", "contacts", str(first)]) == 0
    assert cli.main(["load", "contacts", str(second)]) == 0
    out = capsys.readouterr().out
    assert "2 rows loaded (2 new, 0 updated, 0 unchanged), 0 rows rejected" in out
    assert "1 rows loaded (0 new, 1 updated, 0 unchanged), 0 rows rejected" in out
    assert cli.main(["load", "contacts", str(second)]) == 0
    assert "already loaded" in capsys.readouterr().out

    assert cli.main(["batches", "--json"]) == 0
    batches = json.loads(capsys.readouterr().out)
    assert [(b["file_name"], b["status"], b["rows_loaded"]) for b in batches] == [
        ("week2.csv", "loaded", 1), ("week1.csv", "loaded", 2)]
    assert cli.main(["undo", str(batches[0]["batch_id"])]) == 0
    assert cli.main(["undo", "999"]) == 2
    captured = capsys.readouterr()
    assert "999" in captured.err and "Traceback" not in captured.err

    con = open_db(tmp_path, "cli.duckdb")
    assert agents(con) == {"K1": "Ann", "K2": "Ann"}


def test_a_price_row_repeated_in_a_file_is_named_by_its_own_key(tmp_path):
    # the command line called it "another row of the same ticket" whatever the table
    path = tmp_path / "prices.duckdb"
    export = tmp_path / "prices.csv"
    export.write_text(csv_text(PRICE_HEADER, "C1,2026-01-01,100.00,Home,,", "C1,2026-01-01,90.00,Home,,",
                               "C2,2026-01-01,10.00,Home,,"), encoding="utf-8")
    done = run_cli("load", "prices", str(export), db_path=path)
    assert done.returncode == 0, done.stderr
    assert ("3 rows loaded (2 new, 0 updated, 0 unchanged, 1 superseded by another row of the same customer, "
            "product and period in the file)") in done.stdout
