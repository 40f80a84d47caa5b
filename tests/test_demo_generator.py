"""Checks of the deterministic demo data generator (demo/generate.py).

The CSVs are read back with DuckDB's read_csv, the way the app's own loader sees them. The
expected headers and limits are written out here rather than imported, so that a change in the
generator's constants cannot silently change what is being checked.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from demo.generate import write_demo_csvs  # noqa: E402

CONTACTS, CUSTOMERS = 5_000, 800
END = date(2026, 11, 20)
AS_OF_LIMIT = "2026-11-20 23:59:00"

CONTACT_HEADER = [
    "ticket_id", "opened_at", "customer_id", "kind", "channel", "priority", "team", "agent",
    "partner", "category", "acknowledged_at", "first_response_at", "resolved_at", "follow_up_at",
    "reopened_count", "csat", "updated_at",
]
CUSTOMER_HEADER = ["customer_id", "joined_at", "left_at", "segment", "product", "region"]
PRICE_HEADER = ["customer_id", "period", "price_paid", "product", "new_customer_price", "channel"]
CONTACT_TIMES = ["opened_at", "acknowledged_at", "first_response_at", "resolved_at",
                 "follow_up_at", "updated_at"]


def sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """One small generation, loaded as views c (contacts), cu (customers), p (prices) with
    explicit types, plus raw_c/raw_cu/raw_p read as text for format checks."""
    paths = write_demo_csvs(tmp_path_factory.mktemp("demo"), contacts=CONTACTS,
                            customers=CUSTOMERS, end_date=END)
    con = duckdb.connect()
    contact_types = {name: "TIMESTAMP" for name in CONTACT_TIMES}
    contact_types |= {"reopened_count": "INTEGER", "csat": "INTEGER"}
    typed = {
        "c": (paths["contacts"], contact_types),
        "cu": (paths["customers"], {"joined_at": "DATE", "left_at": "DATE"}),
        "p": (paths["prices"], {"period": "DATE", "price_paid": "DECIMAL(12,2)",
                                "new_customer_price": "DECIMAL(12,2)"}),
    }
    for view, (path, types) in typed.items():
        struct = "{" + ", ".join(f"'{k}': '{v}'" for k, v in types.items()) + "}"
        con.execute(f"CREATE VIEW {view} AS SELECT * FROM read_csv({sql_path(path)}, "
                    f"header = true, types = {struct})")
        con.execute(f"CREATE VIEW raw_{view} AS SELECT * FROM read_csv({sql_path(path)}, "
                    f"header = true, all_varchar = true)")
    return con


def one(con, query: str):
    return con.execute(query).fetchone()[0]


def test_same_seed_gives_byte_identical_files(tmp_path):
    first = write_demo_csvs(tmp_path / "a", contacts=2_000, customers=300)
    second = write_demo_csvs(tmp_path / "b", contacts=2_000, customers=300)
    other_seed = write_demo_csvs(tmp_path / "c", contacts=2_000, customers=300, seed=7)
    for name in ("contacts", "customers", "prices"):
        assert first[name].name == f"{name}.csv"
        assert first[name].read_bytes() == second[name].read_bytes(), name
    assert first["contacts"].read_bytes() != other_seed["contacts"].read_bytes()


def test_headers_are_the_canonical_names(demo):
    for view, header in (("raw_c", CONTACT_HEADER), ("raw_cu", CUSTOMER_HEADER),
                         ("raw_p", PRICE_HEADER)):
        assert demo.execute(f"SELECT * FROM {view} LIMIT 0").fetchdf().columns.tolist() == header
    assert one(demo, "SELECT count(*) FROM raw_c") == CONTACTS
    assert one(demo, "SELECT count(*) FROM raw_cu") == CUSTOMERS


def test_values_are_written_like_a_uk_helpdesk_export(demo):
    timestamp = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"
    for column in CONTACT_TIMES:
        bad = one(demo, f"SELECT count(*) FROM raw_c WHERE {column} IS NOT NULL "
                        f"AND NOT regexp_full_match({column}, '{timestamp}')")
        assert bad == 0, column
    for view, column in (("raw_cu", "joined_at"), ("raw_cu", "left_at"), ("raw_p", "period")):
        bad = one(demo, f"SELECT count(*) FROM {view} WHERE {column} IS NOT NULL "
                        rf"AND NOT regexp_full_match({column}, '\d{{4}}-\d{{2}}-\d{{2}}')")
        assert bad == 0, column
    for column in ("price_paid", "new_customer_price"):
        bad = one(demo, f"SELECT count(*) FROM raw_p WHERE {column} IS NOT NULL "
                        rf"AND NOT regexp_full_match({column}, '\d+\.\d{{2}}')")
        assert bad == 0, column
    # Accented agent names come back intact (UTF-8 end to end).
    assert one(demo, "SELECT count(*) FROM c WHERE agent IN ('Zoë Müller', 'José Álvarez', "
                     "'Siân O''Brien')") > 0


TICKETS_OUT_OF_ORDER = """
    SELECT count(*) FROM (
        SELECT opened_at, lag(opened_at) OVER (ORDER BY ticket_id) AS previous FROM c)
    WHERE opened_at < previous
"""


def test_ticket_ids_are_unique_and_follow_opening_times(demo):
    assert one(demo, "SELECT count(DISTINCT ticket_id) FROM c") == CONTACTS
    assert one(demo, "SELECT max(ticket_id) FROM c") == f"BW-{CONTACTS:07d}"
    assert one(demo, "SELECT count(*) FROM c WHERE opened_at IS NULL") == 0
    assert one(demo, TICKETS_OUT_OF_ORDER) == 0


def test_large_runs_generated_in_chunks_join_up(tmp_path, monkeypatch):
    """Large runs are generated chunk by chunk (contacts) and block by block (customers'
    prices); the seams must not show."""
    import demo.generate as generator

    monkeypatch.setattr(generator, "CHUNK_ROWS", 1_500)
    monkeypatch.setattr(generator, "CUSTOMER_BLOCK", 120)
    paths = generator.write_demo_csvs(tmp_path, contacts=4_000, customers=300)
    con = duckdb.connect()
    for view, name in (("c", "contacts"), ("cu", "customers"), ("p", "prices")):
        con.execute(f"CREATE VIEW {view} AS SELECT * FROM read_csv({sql_path(paths[name])}, "
                    f"header = true)")
    assert one(con, "SELECT count(DISTINCT ticket_id) FROM c") == 4_000
    assert one(con, "SELECT max(ticket_id) FROM c") == "BW-0004000"
    assert one(con, TICKETS_OUT_OF_ORDER) == 0
    assert one(con, "SELECT count(*) FROM c WHERE first_response_at < opened_at") > 0
    # Every block of customers is priced, each customer once a month while active.
    assert one(con, "SELECT count(DISTINCT customer_id) FROM p") > 0.9 * 300
    assert one(con, "SELECT max(customer_id) FROM p") > "C000240"
    assert one(con, "SELECT count(*) FROM (SELECT customer_id, period FROM p GROUP BY ALL "
                    "HAVING count(*) > 1)") == 0
    assert one(con, "SELECT count(*) FROM p JOIN cu USING (customer_id) "
                    "WHERE period < joined_at OR period > left_at") == 0
    assert 0.08 <= one(con, "SELECT avg((left_at IS NOT NULL)::INT) FROM cu") <= 0.3


def test_nothing_is_later_than_end_date_and_the_data_reaches_it(demo):
    latest = one(demo, "SELECT max(greatest(" + ", ".join(CONTACT_TIMES) + ")) FROM c")
    assert str(latest) <= AS_OF_LIMIT
    assert latest.date() == END  # as_of is on end_date itself, not weeks earlier


def test_no_local_times_inside_the_spring_forward_gap(demo):
    gap_hours = ("'2025-03-30 01'", "'2026-03-29 01'")
    for column in CONTACT_TIMES:
        inside = one(demo, f"SELECT count(*) FROM c WHERE strftime({column}, '%Y-%m-%d %H') "
                           f"IN ({', '.join(gap_hours)})")
        assert inside == 0, column


def test_clocks_never_run_backwards_except_the_deliberate_noise(demo):
    backwards = one(demo, """
        SELECT count(*) FROM c
        WHERE acknowledged_at < opened_at OR first_response_at < opened_at
           OR resolved_at < opened_at OR resolved_at < first_response_at
           OR follow_up_at < resolved_at OR acknowledged_at > first_response_at
    """)
    assert 0 < backwards < 0.002 * CONTACTS
    # The noise is "a reply a few minutes before the contact was logged", nothing wilder.
    worst_minutes = one(demo, "SELECT max(date_diff('second', first_response_at, opened_at)) "
                              "/ 60 FROM c WHERE first_response_at < opened_at")
    assert worst_minutes <= 15
    # Follow-ups only follow a resolution; csat only on resolved complaints.
    assert one(demo, "SELECT count(*) FROM c WHERE follow_up_at IS NOT NULL "
                     "AND resolved_at IS NULL") == 0
    assert one(demo, "SELECT count(*) FROM c WHERE csat IS NOT NULL "
                     "AND (resolved_at IS NULL OR csat NOT BETWEEN 1 AND 5)") == 0


def test_updated_at_is_the_latest_time_or_blank(demo):
    wrong = one(demo, "SELECT count(*) FROM c WHERE updated_at IS NOT NULL AND updated_at <> "
                      "greatest(opened_at, acknowledged_at, first_response_at, resolved_at, "
                      "follow_up_at)")
    blank_share = one(demo, "SELECT avg((updated_at IS NULL)::INT) FROM c")
    assert wrong == 0
    assert 0.02 < blank_share < 0.08


def test_mix_of_kinds_and_channels(demo):
    assert 0.08 <= one(demo, "SELECT avg((kind = 'complaint')::INT) FROM c") <= 0.12
    assert one(demo, "SELECT count(*) FROM c WHERE kind NOT IN ('enquiry', 'complaint')") == 0
    shares = dict(demo.execute("SELECT channel, count(*) / sum(count(*)) OVER () FROM c "
                               "GROUP BY channel").fetchall())
    assert set(shares) == {"phone", "email", "chat", "web", "letter"}
    assert shares["phone"] > shares["email"] > shares["chat"] > shares["web"] > shares["letter"]
    assert 40 <= one(demo, "SELECT count(DISTINCT agent) FROM c") <= 80


def test_partners_present_and_fixright_slower_than_in_house(demo):
    rows = demo.execute("""
        SELECT coalesce(partner, 'in-house'), count(*),
               median(date_diff('second', opened_at, first_response_at))
        FROM c GROUP BY 1
    """).fetchall()
    by_partner = {name: (count, median) for name, count, median in rows}
    assert set(by_partner) == {"in-house", "FixRight Repairs", "Swift Field Services"}
    partner_share = 1 - by_partner["in-house"][0] / CONTACTS
    assert 0.05 < partner_share < 0.11
    assert by_partner["FixRight Repairs"][1] > by_partner["in-house"][1]


def test_open_work_exists_at_the_end(demo):
    recent_open = one(demo, f"SELECT count(*) FROM c WHERE resolved_at IS NULL "
                            f"AND opened_at >= TIMESTAMP '{AS_OF_LIMIT}' - INTERVAL 14 DAY")
    unanswered = one(demo, "SELECT count(*) FROM c WHERE first_response_at IS NULL")
    open_complaints = one(demo, "SELECT count(*) FROM c WHERE kind = 'complaint' "
                                "AND resolved_at IS NULL")
    old_resolved_share = one(demo, f"SELECT avg((resolved_at IS NOT NULL)::INT) FROM c "
                                   f"WHERE opened_at < TIMESTAMP '{AS_OF_LIMIT}' - INTERVAL 90 DAY")
    assert recent_open > 0 and unanswered > 0 and open_complaints > 0
    assert old_resolved_share > 0.98  # old work is mostly done: the backlog is recent


def test_contacts_link_to_active_customers(demo):
    assert 0.80 <= one(demo, "SELECT avg((customer_id IS NOT NULL)::INT) FROM c") <= 0.90
    orphans = one(demo, "SELECT count(*) FROM c LEFT JOIN cu USING (customer_id) "
                        "WHERE c.customer_id IS NOT NULL AND cu.customer_id IS NULL")
    inactive = one(demo, "SELECT count(*) FROM c JOIN cu USING (customer_id) "
                         "WHERE opened_at::DATE < joined_at "
                         "OR opened_at::DATE > left_at + INTERVAL 30 DAY")
    assert orphans == 0 and inactive == 0


def test_customers(demo):
    assert one(demo, "SELECT count(DISTINCT customer_id) FROM cu") == CUSTOMERS
    assert one(demo, "SELECT count(*) FROM cu WHERE left_at <= joined_at") == 0
    assert one(demo, f"SELECT count(*) FROM cu WHERE joined_at > DATE '{END}' "
                     f"OR left_at > DATE '{END}' OR left_at < DATE '{END}' - INTERVAL 2 YEAR") == 0
    assert 0.10 <= one(demo, "SELECT avg((left_at IS NOT NULL)::INT) FROM cu") <= 0.25
    assert one(demo, "SELECT min(joined_at) FROM cu") < date(END.year - 7, 1, 1)


TENURE = """
    (SELECT p.*, cu.joined_at, cu.left_at,
            year(period) - year(joined_at)
              - (strftime(period, '%m%d') < strftime(joined_at, '%m%d'))::INT AS tenure
     FROM p JOIN cu USING (customer_id))
"""


def test_prices(demo):
    assert one(demo, "SELECT count(*) FROM p WHERE price_paid < 0 OR new_customer_price < 0 "
                     "OR price_paid IS NULL") == 0
    assert one(demo, "SELECT count(*) FROM p WHERE day(period) <> 1") == 0
    assert one(demo, "SELECT count(*) FROM (SELECT customer_id, period FROM p GROUP BY ALL "
                     "HAVING count(*) > 1)") == 0
    assert one(demo, f"SELECT count(*) FROM {TENURE} WHERE period < joined_at "
                     f"OR period > left_at") == 0
    assert 0.05 <= one(demo, "SELECT avg((new_customer_price IS NULL)::INT) FROM p") <= 0.15
    # Price walk: long-standing customers pay well above the new-customer price, new ones
    # about the same.
    long_tenure = one(demo, f"SELECT avg(price_paid / new_customer_price) FROM {TENURE} "
                            f"WHERE tenure >= 5")
    new = one(demo, f"SELECT avg(price_paid / new_customer_price) FROM {TENURE} WHERE tenure < 1")
    assert long_tenure > 1.1
    assert 0.9 < new < 1.05
