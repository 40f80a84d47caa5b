-- The one place that creates tables. Every uploaded row version is kept with its batch;
-- `contacts`, `customers` and `prices` hold the winning version per key (spec section 4).

CREATE SEQUENCE IF NOT EXISTS batch_ids START 1;

CREATE TABLE IF NOT EXISTS batches (
    batch_id        INTEGER PRIMARY KEY,
    table_name      VARCHAR NOT NULL,
    file_name       VARCHAR NOT NULL,
    loaded_at       TIMESTAMPTZ NOT NULL,
    loaded_by       VARCHAR NOT NULL,
    checksum        VARCHAR NOT NULL,
    preset          VARCHAR,
    encoding        VARCHAR,
    rows_in_file    INTEGER,
    rows_loaded     INTEGER,
    rows_new        INTEGER,
    rows_updated    INTEGER,
    rows_unchanged  INTEGER,
    rows_rejected   INTEGER,
    status          VARCHAR NOT NULL DEFAULT 'loaded',   -- loaded | undone
    undone_at       TIMESTAMPTZ,
    undone_by       VARCHAR,
    headers         VARCHAR[]       -- the file's header row, naming the cells of its rejected rows
);
ALTER TABLE batches ADD COLUMN IF NOT EXISTS headers VARCHAR[];

CREATE TABLE IF NOT EXISTS rejected_rows (
    batch_id    INTEGER NOT NULL,
    row_number  BIGINT NOT NULL,     -- as a spreadsheet numbers it: the header is row 1
    reason      VARCHAR NOT NULL,
    cells       VARCHAR[]           -- the row as the file has it (NULL: loaded before cells were kept)
);
ALTER TABLE rejected_rows ADD COLUMN IF NOT EXISTS cells VARCHAR[];

CREATE TABLE IF NOT EXISTS audit_log (
    happened_at TIMESTAMPTZ NOT NULL,
    user_name   VARCHAR NOT NULL,
    action      VARCHAR NOT NULL,
    detail      VARCHAR
);

CREATE TABLE IF NOT EXISTS meta (
    key     VARCHAR PRIMARY KEY,
    value   VARCHAR
);

-- Uploads store rows in order (store/tables.py, cluster_by). A database with no upload yet is in
-- order; one loaded by an earlier version is put in order once (store.db.put_rows_in_order).
INSERT INTO meta SELECT 'rows_in_order', 'yes' WHERE NOT EXISTS (SELECT 1 FROM batches) ON CONFLICT DO NOTHING;

-- The sidebar's channels, teams and partners with their current contacts (store/filter_values.py).
-- Empty and current in a database with no upload yet; counted once in one from an earlier version.
CREATE TABLE IF NOT EXISTS contact_filter_values (
    dimension VARCHAR,
    value     VARCHAR,
    n         BIGINT
);
INSERT INTO meta SELECT 'filter_values_layout', '1' WHERE NOT EXISTS (SELECT 1 FROM batches) ON CONFLICT DO NOTHING;

-- Row versions: the canonical columns plus where they came from.
CREATE TABLE IF NOT EXISTS contact_versions (
    batch_id INTEGER NOT NULL, row_number BIGINT NOT NULL,
    ticket_id VARCHAR NOT NULL, opened_at TIMESTAMPTZ NOT NULL, customer_id VARCHAR,
    kind VARCHAR NOT NULL, channel VARCHAR, priority VARCHAR, team VARCHAR, agent VARCHAR,
    partner VARCHAR, category VARCHAR, acknowledged_at TIMESTAMPTZ, first_response_at TIMESTAMPTZ,
    resolved_at TIMESTAMPTZ, follow_up_at TIMESTAMPTZ, reopened_count INTEGER NOT NULL,
    csat INTEGER, updated_at TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS contacts AS SELECT * FROM contact_versions LIMIT 0;

CREATE TABLE IF NOT EXISTS customer_versions (
    batch_id INTEGER NOT NULL, row_number BIGINT NOT NULL,
    customer_id VARCHAR NOT NULL, joined_at DATE NOT NULL, left_at DATE,
    segment VARCHAR, product VARCHAR, region VARCHAR
);
CREATE TABLE IF NOT EXISTS customers AS SELECT * FROM customer_versions LIMIT 0;

CREATE TABLE IF NOT EXISTS price_versions (
    batch_id INTEGER NOT NULL, row_number BIGINT NOT NULL,
    customer_id VARCHAR NOT NULL, period DATE NOT NULL, price_paid DECIMAL(18, 4) NOT NULL,
    product VARCHAR, new_customer_price DECIMAL(18, 4), channel VARCHAR
);
CREATE TABLE IF NOT EXISTS prices AS SELECT * FROM price_versions LIMIT 0;

-- Derived from prices and customers: kept current by store/price_facts.py, never edited by hand.
-- Each price row of a known customer with its completed years of tenure at the period and band.
CREATE TABLE IF NOT EXISTS price_facts (
    customer_id        VARCHAR,
    product            VARCHAR,
    period             DATE,
    -- money stays DECIMAL as uploaded: share_above compares price_paid with the benchmark exactly
    -- (reading 13), and a median of two bills, say 0.1 and 0.7, is 0.4 in DECIMAL but
    -- 0.39999999999999997 in DOUBLE, which would put a bill of exactly 0.4 above it
    price_paid         DECIMAL(18, 4),
    new_customer_price DECIMAL(18, 4),
    years              INTEGER,
    band               VARCHAR,
    joined_at          DATE,         -- the customer's, to tell which customer updates change tenure
    latest_until       DATE,         -- the first month at whose end another bill is the customer's
                                     -- latest (store/price_facts.py); NULL while none is
    -- The period of the customer's previous bill in the same tenure band / walk year (NULL: none),
    -- so a period's distinct customers per band are counted as rows (first_in_view).
    previous_in_band   DATE,
    previous_in_year   DATE,
    -- new_customer_price, else the pool median of the row's product and period (price_pools), and
    -- price_paid / benchmark - 1: stored so the pricing queries join nothing (kept current with the pools)
    -- DECIMAL(18, 5): the median of an even pool is the midpoint of two 4-decimal prices
    benchmark          DECIMAL(18, 5),
    gap                DOUBLE
);
-- databases from before them (layouts 3 to 5): the price facts are rebuilt to fill them
ALTER TABLE price_facts ADD COLUMN IF NOT EXISTS latest_until DATE;
ALTER TABLE price_facts ADD COLUMN IF NOT EXISTS previous_in_band DATE;
ALTER TABLE price_facts ADD COLUMN IF NOT EXISTS previous_in_year DATE;
ALTER TABLE price_facts ADD COLUMN IF NOT EXISTS benchmark DECIMAL(18, 5);
ALTER TABLE price_facts ADD COLUMN IF NOT EXISTS gap DOUBLE;
-- Per product and period: the median price_paid of its <1y rows (the benchmark when a row has no
-- new_customer_price). No row when the period has no <1y row.
CREATE TABLE IF NOT EXISTS price_pools (
    product     VARCHAR,
    period      DATE,
    pool_median DECIMAL(18, 5)
);
-- Churn by price-gap band month by month over every customer (price_gap_churn_months below): what
-- the pages read when no product is chosen. From the month of the first joined_at to the month
-- after the last change; nothing changes after the last month.
CREATE TABLE IF NOT EXISTS price_gap_churn (
    month   DATE,
    band    VARCHAR,
    active  BIGINT,       -- customers active at the month's start, with that band's bill in force
    leavers BIGINT        -- customers whose leaving month it is, in the band of their bill then
);

-- Derived from the charter: rebuilt by charter/engine.py, never edited by hand.
CREATE TABLE IF NOT EXISTS work_calendar (
    day_index     INTEGER,      -- 0, 1, 2 ... over working days only
    day           DATE,
    open_at       TIMESTAMPTZ,
    close_at      TIMESTAMPTZ,
    cum_before_us BIGINT,       -- working microseconds before this day's opening
    cum_end_us    BIGINT        -- ... and at its closing
);

-- Every calendar day (working or not) with the working position at its start: an instant's
-- position is then an equality join on its local date.
CREATE TABLE IF NOT EXISTS calendar_days (
    day            DATE,
    is_working     BOOLEAN,
    day_index      INTEGER,     -- NULL on closed days
    next_day_index INTEGER,     -- the next working day's index
    open_at        TIMESTAMPTZ,
    close_at       TIMESTAMPTZ,
    cum_before_us  BIGINT
);

-- Per current contact: its columns (copies of `contacts`, rewritten with the clocks whenever the
-- contact changes) and the working-time position of each clock instant (schedule-dependent,
-- standard-independent). The KPI queries and the facts read this table alone: joining it to
-- `contacts` on the text ticket_id was a second of every whole-history query at 10M contacts.
CREATE TABLE IF NOT EXISTS contact_clocks (
    batch_id INTEGER, row_number BIGINT,
    ticket_id VARCHAR, opened_at TIMESTAMPTZ, customer_id VARCHAR,
    kind VARCHAR, channel VARCHAR, priority VARCHAR, team VARCHAR, agent VARCHAR,
    partner VARCHAR, category VARCHAR, acknowledged_at TIMESTAMPTZ, first_response_at TIMESTAMPTZ,
    resolved_at TIMESTAMPTZ, follow_up_at TIMESTAMPTZ, reopened_count INTEGER,
    csat INTEGER, updated_at TIMESTAMPTZ,
    opened_week      DATE,          -- ISO week (Monday) of opened_at in the charter timezone
    opened_local     TIMESTAMP,     -- wall-clock time of arrival, for hour x weekday views
    opened_date      DATE,
    resolved_week    DATE,
    ack_stop_at      TIMESTAMPTZ,   -- earlier of acknowledged_at and first_response_at
    w_opened_us      BIGINT,        -- cumulative working microseconds at each instant
    w_ack_us         BIGINT,
    w_first_us       BIGINT,
    w_resolved_us    BIGINT,
    w_follow_us      BIGINT,
    day0_opened      INTEGER,       -- business_days day 0 index for a clock starting at opened_at
    day0_resolved    INTEGER,
    customer_joined_at DATE         -- the customer's joined_at (NULL: not a known customer), kept
                                    -- current by customers uploads, so tenure needs no join
);
-- Databases made before the clocks kept the contact's columns: the engine recomputes the clocks
-- (FACTS_LAYOUT) to fill them.
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS batch_id INTEGER;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS row_number BIGINT;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS opened_at TIMESTAMPTZ;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS customer_id VARCHAR;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS kind VARCHAR;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS channel VARCHAR;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS priority VARCHAR;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS team VARCHAR;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS agent VARCHAR;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS partner VARCHAR;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS category VARCHAR;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS acknowledged_at TIMESTAMPTZ;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS first_response_at TIMESTAMPTZ;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS resolved_at TIMESTAMPTZ;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS follow_up_at TIMESTAMPTZ;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS reopened_count INTEGER;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS csat INTEGER;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS updated_at TIMESTAMPTZ;
ALTER TABLE contact_clocks ADD COLUMN IF NOT EXISTS customer_joined_at DATE;

-- Per contact and in-scope standard: the clock and its deadline; the outcome depends on as_of
-- and is decided in queries/ (pending turns into missed as time passes).
CREATE TABLE IF NOT EXISTS contact_facts (
    standard_id   VARCHAR,
    ticket_id     VARCHAR,
    week          DATE,
    start_at      TIMESTAMPTZ,
    stop_at       TIMESTAMPTZ,
    deadline_at   TIMESTAMPTZ,
    w_start_us    BIGINT,        -- the start's working position and business-day 0: what an
    day0_index    INTEGER,       -- alternative deadline is computed from (queries/whatif.py)
    opened_at     TIMESTAMPTZ,   -- the contact's, so a date filter can skip facts without a join
    -- The contact's filter columns (copies, recomputed with the facts whenever the contact changes):
    -- the standards queries apply the sidebar filters to facts alone (facts_in_view), without
    -- joining 22 million facts to their contacts on a text key.
    opened_date   DATE,
    channel       VARCHAR,
    team          VARCHAR,
    partner       VARCHAR,
    customer_id   VARCHAR,
    customer_joined_at DATE
);
-- Databases made before these were kept: the engine recomputes facts (FACTS_LAYOUT) to fill them.
ALTER TABLE contact_facts ADD COLUMN IF NOT EXISTS opened_at TIMESTAMPTZ;
ALTER TABLE contact_facts ADD COLUMN IF NOT EXISTS opened_date DATE;
ALTER TABLE contact_facts ADD COLUMN IF NOT EXISTS channel VARCHAR;
ALTER TABLE contact_facts ADD COLUMN IF NOT EXISTS team VARCHAR;
ALTER TABLE contact_facts ADD COLUMN IF NOT EXISTS partner VARCHAR;
ALTER TABLE contact_facts ADD COLUMN IF NOT EXISTS customer_id VARCHAR;
ALTER TABLE contact_facts ADD COLUMN IF NOT EXISTS customer_joined_at DATE;
-- The stop's working position was stored too until 2026-11-30; nothing read it (an eighth of the
-- facts' bytes).
ALTER TABLE contact_facts DROP COLUMN IF EXISTS w_stop_us;

-- Working-time position of instant t, given its local day's calendar_days row.
CREATE OR REPLACE MACRO working_us(t, is_working, open_at, close_at, cum_before_us) AS (
    CASE WHEN t IS NULL THEN NULL
         WHEN NOT is_working THEN cum_before_us
         ELSE cum_before_us + least(greatest(epoch_us(t) - epoch_us(open_at), 0),
                                    epoch_us(close_at) - epoch_us(open_at))
    END
);

-- business_days day 0 of a clock starting at t: that day if it is a working day and t is before
-- its closing, else the next working day (spec reading 3).
CREATE OR REPLACE MACRO day_zero(t, is_working, close_at, day_index, next_day_index) AS (
    CASE WHEN t IS NULL THEN NULL
         WHEN is_working AND t < close_at THEN day_index
         ELSE next_day_index
    END
);

-- A naive wall-clock time in zone tz as an instant (spec section 2): ICU moves a time inside the
-- spring gap forward by the gap, but gives the later of two autumn repeats, so we step back to
-- the earlier occurrence when it reads the same on the wall clock.
CREATE OR REPLACE MACRO offset_before_us(l, tz) AS (
    epoch_us(timezone(tz, timezone(tz, l) - INTERVAL 1 DAY)) - epoch_us(timezone(tz, l) - INTERVAL 1 DAY)
);
CREATE OR REPLACE MACRO local_to_utc(l, tz) AS (
    CASE WHEN make_timestamp(epoch_us(l) - offset_before_us(l, tz))::TIMESTAMPTZ < timezone(tz, l)
              AND timezone(tz, make_timestamp(epoch_us(l) - offset_before_us(l, tz))::TIMESTAMPTZ) = l
         THEN make_timestamp(epoch_us(l) - offset_before_us(l, tz))::TIMESTAMPTZ
         ELSE timezone(tz, l)
    END
);

CREATE TABLE IF NOT EXISTS saved_presets (
    name        VARCHAR PRIMARY KEY,
    table_name  VARCHAR NOT NULL,
    definition  VARCHAR NOT NULL,   -- JSON of store.presets.Preset
    saved_by    VARCHAR NOT NULL,
    saved_at    TIMESTAMPTZ NOT NULL
);

-- A contact with a clock (of the four) whose stop is before its start (spec section 6, reading 9):
-- the data-quality count, and the rows an upload names as it loads them.
CREATE OR REPLACE MACRO has_backwards_time(opened_at, ack_stop_at, first_response_at, resolved_at, follow_up_at) AS (
    ack_stop_at < opened_at OR first_response_at < opened_at OR resolved_at < opened_at OR follow_up_at < resolved_at
);

-- A superset of "opened between date_from and date_to" (local dates, any time zone) on the stored
-- instant alone. Redundant next to the exact test on the local date, but it is a plain range on a
-- column of the scanned table, so DuckDB skips every row group outside it by its min/max: a
-- 13-week view of a two-year history reads about 13 weeks of rows instead of all of them.
CREATE OR REPLACE MACRO opened_near(opened_at, date_from, date_to) AS (
    (date_from IS NULL OR opened_at >= make_timestamptz(epoch_us((date_from - 2)::TIMESTAMP)))
    AND (date_to IS NULL OR opened_at < make_timestamptz(epoch_us((date_to + 3)::TIMESTAMP)))
);

-- The dashboard's shared filters (sidebar / CLI --from --to) applied to contacts, with each
-- contact's clocks (contact_clocks holds both). Every KPI query starts here so a filter means the
-- same thing everywhere. A blank partner is in-house; `products` keeps contacts of customers
-- holding those products.
CREATE OR REPLACE MACRO in_view(opened_at, opened_date, channel, team, partner,
                                date_from, date_to, channels, teams, partners) AS (
    opened_near(opened_at, date_from, date_to)
    AND (date_from IS NULL OR opened_date >= date_from)
    AND (date_to IS NULL OR opened_date <= date_to)
    AND (len(channels) = 0 OR list_contains(channels, channel))
    AND (len(teams) = 0 OR list_contains(teams, team))
    AND (len(partners) = 0 OR list_contains(partners, coalesce(partner, 'In-house')))
);
CREATE OR REPLACE MACRO customer_holds_any(customer_id, products) AS (
    customer_id IN (SELECT h.customer_id FROM customers h WHERE list_contains(products, h.product))
);

-- Each macro is two branches, without and with a product filter, of which DuckDB plans only the
-- one the parameters select: with the test of `products` inside one WHERE, every query read and
-- decompressed the text customer_id of every row in view even with no product chosen (a third of
-- the time of counting facts by week).
CREATE OR REPLACE MACRO filtered_contacts(date_from, date_to, channels, teams, partners, products) AS TABLE
SELECT k.*
FROM contact_clocks k
WHERE len(products) = 0
  AND in_view(k.opened_at, k.opened_date, k.channel, k.team, k.partner, date_from, date_to, channels, teams, partners)
UNION ALL
SELECT k.*
FROM contact_clocks k
WHERE len(products) > 0
  AND in_view(k.opened_at, k.opened_date, k.channel, k.team, k.partner, date_from, date_to, channels, teams, partners)
  AND customer_holds_any(k.customer_id, products);

-- The same filters applied to the charter facts alone (they carry copies of the filter columns).
CREATE OR REPLACE MACRO facts_in_view(date_from, date_to, channels, teams, partners, products) AS TABLE
SELECT f.*
FROM contact_facts f
WHERE len(products) = 0
  AND in_view(f.opened_at, f.opened_date, f.channel, f.team, f.partner, date_from, date_to, channels, teams, partners)
UNION ALL
SELECT f.*
FROM contact_facts f
WHERE len(products) > 0
  AND in_view(f.opened_at, f.opened_date, f.channel, f.team, f.partner, date_from, date_to, channels, teams, partners)
  AND customer_holds_any(f.customer_id, products);

-- Outcome of one clock against its deadline at as_of (spec section 3); pending turns into missed
-- as time passes, so this is decided when asked, not stored. NULL (not judged, so out of scope) for a
-- clock that starts after as_of, which only a user's earlier as_of has: a complaint resolved after it
-- is not resolved then, so not yet owed a follow-up (docs/definitions.md, reading 6).
-- A working-time deadline is NULL only where it falls past the working calendar (a sparse schedule's
-- 2,000 working hours end decades away); the calendar reaches years beyond every time in the data,
-- so such a deadline is later than any stop: met, or pending while open (a NULL compared as
-- unknown made a stopped clock 'missed').
CREATE OR REPLACE MACRO clock_outcome(start_at, stop_at, deadline_at, as_of) AS (
    CASE WHEN start_at > as_of THEN NULL
         WHEN stop_at IS NOT NULL AND stop_at < start_at THEN 'invalid'
         -- a stop later than as_of (only when the user sets an earlier as_of) has not happened yet
         WHEN stop_at IS NOT NULL AND stop_at <= as_of AND (deadline_at IS NULL OR stop_at <= deadline_at) THEN 'met'
         WHEN stop_at IS NOT NULL AND stop_at <= as_of THEN 'missed'
         WHEN as_of > deadline_at THEN 'missed'
         ELSE 'pending'
    END
);

-- How many of a group's clock outcomes (clock_outcome) are `wanted`: 'met', 'missed', 'pending' or 'invalid'.
CREATE OR REPLACE MACRO count_outcome(outcome, wanted) AS (count(*) FILTER (WHERE outcome = wanted));

-- Compliance (spec section 5): met / (met + missed); pending and invalid contacts are shown beside
-- it, never inside it. NULL when nothing is judged yet. Every query that reports compliance uses
-- this one definition.
CREATE OR REPLACE MACRO compliance_share(met, missed) AS (met / nullif(met + missed, 0));

-- Completed years between two dates, like an age (the anniversary counts on the day).
CREATE OR REPLACE MACRO completed_years(from_day, to_day) AS (
    year(to_day) - year(from_day)
    - CASE WHEN month(to_day) * 100 + day(to_day) < month(from_day) * 100 + day(from_day) THEN 1 ELSE 0 END
);

CREATE OR REPLACE MACRO tenure_band(years) AS (
    CASE WHEN years < 1 THEN '<1y' WHEN years < 2 THEN '1-2y' WHEN years < 3 THEN '2-3y'
         WHEN years < 5 THEN '3-5y' ELSE '5y+' END
);

-- Completed years as the price walk shows them: 10 stands for "10 years or more".
CREATE OR REPLACE MACRO walk_year(years) AS (least(greatest(years, 0), 10));

-- A customer's bill is their first in view in its band (or walk year) when the previous bill of
-- theirs in it is dated before the view (or there is none): counting those rows counts the band's
-- distinct customers in view, when every bill of theirs is in view from date_from on (no product
-- filter: a previous bill may be of a product not chosen).
CREATE OR REPLACE MACRO first_in_view(previous_period, date_from) AS (
    previous_period IS NULL OR previous_period < date_from
);

-- One contact's value for a breakdown dimension chosen by the user. The choice is matched against
-- this fixed list, so it never becomes SQL text; a blank partner is in-house.
CREATE OR REPLACE MACRO dimension_value(dimension, channel, team, partner, priority, category, agent) AS (
    coalesce(CASE dimension
                 WHEN 'channel' THEN channel
                 WHEN 'team' THEN team
                 WHEN 'partner' THEN coalesce(partner, 'In-house')
                 WHEN 'priority' THEN priority
                 WHEN 'category' THEN category
                 WHEN 'agent' THEN agent
             END, '(blank)')
);

-- The customers holding any of `products` (every customer when the list is empty).
CREATE OR REPLACE MACRO customers_holding(products) AS TABLE
SELECT * FROM customers WHERE len(products) = 0 OR list_contains(products, product);

-- The month a customer counts as a leaver in (spec section 5): the month of left_at, even when they
-- joined in that same month; NULL when they have not left, or left before the month they joined in.
CREATE OR REPLACE MACRO leaving_month(joined_at, left_at) AS (
    CASE WHEN joined_at < date_trunc('month', left_at) + INTERVAL 1 MONTH THEN date_trunc('month', left_at)::DATE END
);

-- The months churn is counted over (spec section 5): from the month of the earliest joined_at of
-- those customers to the month of as_of (else of the latest joined_at or left_at), keeping the
-- months that overlap the period. as_of comes as the charter's wall-clock time: 00:30 on 1 July in
-- London is July's, though it is still 30 June in UTC. churn_monthly and churn_by_band both count over these.
CREATE OR REPLACE MACRO churn_months(products, as_of, date_from, date_to) AS TABLE
WITH bounds AS (
    SELECT date_trunc('month', min(joined_at))::DATE AS first_month,
           date_trunc('month', coalesce(as_of::DATE, greatest(max(joined_at), max(left_at))))::DATE AS last_month
    FROM customers_holding(products)
)
SELECT month FROM (
    SELECT unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH))::DATE AS month FROM bounds
)
WHERE (date_from IS NULL OR month >= date_trunc('month', date_from))
  AND (date_to IS NULL OR month <= date_to);

-- Every price row of a known customer with its tenure and benchmark (spec readings 12 and 13):
-- the benchmark is new_customer_price, else the median price_paid of every <1y row of the same
-- product and period; gap = price_paid / benchmark - 1. The pool is per product and period, so
-- filtering on period or product afterwards never changes another row's benchmark. Tenure, pool
-- medians, benchmark and gap are stored (price_facts, price_pools; store/price_facts.py) and kept
-- current by every upload and undo.
CREATE OR REPLACE MACRO benchmarked_prices() AS TABLE
SELECT customer_id, product, period, price_paid, new_customer_price, years, band, benchmark, gap,
       latest_until, previous_in_band, previous_in_year
FROM price_facts;

-- The benchmarked price rows of the periods in [date_from, date_to] (NULL: open) and of `products`
-- (empty: all): what the pricing views read (pricing_by_tenure, price_walk).
CREATE OR REPLACE MACRO prices_in_view(date_from, date_to, products) AS TABLE
SELECT * FROM benchmarked_prices()
WHERE (date_from IS NULL OR period >= date_from)
  AND (date_to IS NULL OR period <= date_to)
  AND (len(products) = 0 OR list_contains(products, product));

-- A bill's price-gap band (reading 14). Edges are inclusive and compared at 9 decimals: 110 / 100 - 1
-- is 0.10000000000000009 in binary floating point, and a bill exactly 10% above is '0-10% above'.
CREATE OR REPLACE MACRO price_gap_band(gap) AS (
    CASE WHEN gap IS NULL THEN 'No price data'
         WHEN round(gap, 9) <= 0 THEN 'At or below new price'
         WHEN round(gap, 9) <= 0.10 THEN '0-10% above'
         WHEN round(gap, 9) <= 0.20 THEN '10-20% above'
         WHEN round(gap, 9) <= 0.30 THEN '20-30% above'
         ELSE '> 30% above'
    END
);

-- The price-gap bands in the order they are shown (the names price_gap_band gives).
CREATE OR REPLACE MACRO price_gap_bands() AS TABLE
SELECT * FROM (VALUES (1, 'At or below new price'), (2, '0-10% above'), (3, '10-20% above'),
                      (4, '20-30% above'), (5, '> 30% above'), (6, 'No price data')) b(band_order, band);

-- Churn by price-gap band month by month (spec section 5), for the customers holding any of
-- `products`: per month from from_month (at the earliest, the month of the first joined_at) to
-- to_month (NULL: as far as the data goes) and per band, the customers active at the month's start
-- (joined_at <= month <= left_at) and those whose leaving month it is, each in the band of the bill
-- in force that month: the latest dated before the month's end (none yet: 'No price data'). After
-- the last month returned nothing changes: a later month has its active counts and no leavers.
-- The counts are built from changes (a customer starts or stops being active, a bill starts or
-- stops being in force over part of their span) summed month by month, so the cost follows the
-- customers and bills, not customers x months. Months are first-of-month dates throughout.
CREATE OR REPLACE MACRO price_gap_churn_months(products, from_month, to_month) AS TABLE
WITH chosen AS (SELECT * FROM customers_holding(products::VARCHAR[]) WHERE joined_at IS NOT NULL),
first_month AS (
    SELECT greatest(from_month::DATE, (SELECT date_trunc('month', min(joined_at)) FROM chosen))::DATE AS month
),
-- Each customer's span of months active at the start: [active_from, active_until), NULL: open.
spans AS (
    SELECT c.customer_id,
           greatest(f.month, date_trunc('month', c.joined_at - 1) + INTERVAL 1 MONTH)::DATE AS active_from,
           (date_trunc('month', c.left_at) + INTERVAL 1 MONTH)::DATE AS active_until,
           leaving_month(c.joined_at, c.left_at) AS left_month
    FROM chosen c, first_month f
    WHERE (c.left_at IS NULL OR c.left_at >= f.month)
),
-- Each bill in force from its period's month until the month another is the customer's latest
-- (latest_until, stored with the price facts; NULL: still the latest): disjoint per customer.
bills AS (
    SELECT b.customer_id, greatest(date_trunc('month', b.period)::DATE, f.month) AS bill_from,
           b.latest_until AS bill_until, price_gap_band(b.gap) AS band
    FROM benchmarked_prices() b, first_month f
    WHERE (b.latest_until IS NULL OR b.latest_until > greatest(date_trunc('month', b.period)::DATE, f.month))
      AND (to_month IS NULL OR b.period < to_month::DATE + INTERVAL 1 MONTH)
),
billed AS (
    SELECT b.band, greatest(s.active_from, b.bill_from) AS starts, least(s.active_until, b.bill_until) AS stops
    FROM spans s JOIN bills b ON b.customer_id = s.customer_id
),
changes AS (
    SELECT 'No price data' AS band, active_from AS month, 1 AS change FROM spans
    WHERE active_until IS NULL OR active_until > active_from
    UNION ALL
    SELECT 'No price data', active_until, -1 FROM spans WHERE active_until > active_from
    UNION ALL
    SELECT band, starts, 1 FROM billed WHERE stops IS NULL OR stops > starts
    UNION ALL
    SELECT band, stops, -1 FROM billed WHERE stops > starts
    UNION ALL
    SELECT 'No price data', starts, -1 FROM billed WHERE stops IS NULL OR stops > starts
    UNION ALL
    SELECT 'No price data', stops, 1 FROM billed WHERE stops > starts
),
leavers AS (
    SELECT coalesce(b.band, 'No price data') AS band, s.left_month AS month, count(*) AS leavers
    FROM spans s LEFT JOIN bills b
      ON b.customer_id = s.customer_id AND s.left_month >= b.bill_from AND (b.bill_until IS NULL OR s.left_month < b.bill_until)
    WHERE s.left_month >= (SELECT month FROM first_month)
    GROUP BY ALL
),
months AS (
    SELECT unnest(generate_series(f.month, least(to_month::DATE, greatest(f.month, last.month)), INTERVAL 1 MONTH))::DATE AS month
    FROM first_month f,
         (SELECT greatest(max(month), (SELECT max(month) + INTERVAL 1 MONTH FROM leavers)) AS month FROM changes) last
),
bands AS (SELECT band FROM price_gap_bands())
SELECT m.month, b.band,
       sum(coalesce(c.change, 0)) OVER (PARTITION BY b.band ORDER BY m.month) AS active,
       coalesce(l.leavers, 0) AS leavers
FROM months m CROSS JOIN bands b
LEFT JOIN (SELECT band, month, sum(change) AS change FROM changes GROUP BY ALL) c ON c.band = b.band AND c.month = m.month
LEFT JOIN leavers l ON l.band = b.band AND l.month = m.month;

-- Responsiveness (spec section 5, reading 10) per week of opening, or over the whole period when
-- whole_period is true (no row when nothing matches; responsiveness_summary adds it): contacts, share acknowledged, time to
-- acknowledge and to first response as median and p90 in working hours (bh) and calendar hours.
-- Invalid durations (stop before start) are left out.
-- An event's instant as it stood at measured_at: NULL (not happened yet) when it came later; every
-- instant when measured_at is NULL. A previous period is measured at the age of the period it is
-- compared with (reading 37).
CREATE OR REPLACE MACRO happened_by(instant, measured_at) AS (
    CASE WHEN (instant <= measured_at) IS NOT false THEN instant END
);

-- measured_at: the acknowledgements and replies made by then count (NULL: all of them; happened_by).
CREATE OR REPLACE MACRO responsiveness(date_from, date_to, channels, teams, partners, products, whole_period, measured_at) AS TABLE
SELECT week, contacts, acknowledged_share,
       ack_bh[1] AS ack_median_bh, ack_bh[2] AS ack_p90_bh,
       ack_hours[1] AS ack_median_hours, ack_hours[2] AS ack_p90_hours,
       first_bh[1] AS first_response_median_bh, first_bh[2] AS first_response_p90_bh,
       first_hours[1] AS first_response_median_hours, first_hours[2] AS first_response_p90_hours
FROM (
    SELECT CASE WHEN whole_period THEN NULL ELSE opened_week END AS week,
           count(*) AS contacts,
           count(ack_stop_at) / nullif(count(*), 0) AS acknowledged_share,
           quantile_cont((w_ack_us - w_opened_us) / 3.6e9, [0.5, 0.9]) FILTER (WHERE ack_stop_at >= opened_at) AS ack_bh,
           quantile_cont((epoch_us(ack_stop_at) - epoch_us(opened_at)) / 3.6e9, [0.5, 0.9]) FILTER (WHERE ack_stop_at >= opened_at) AS ack_hours,
           quantile_cont((w_first_us - w_opened_us) / 3.6e9, [0.5, 0.9]) FILTER (WHERE first_response_at >= opened_at) AS first_bh,
           quantile_cont((epoch_us(first_response_at) - epoch_us(opened_at)) / 3.6e9, [0.5, 0.9]) FILTER (WHERE first_response_at >= opened_at) AS first_hours
    FROM (SELECT * REPLACE (happened_by(ack_stop_at, measured_at) AS ack_stop_at,
                            happened_by(first_response_at, measured_at) AS first_response_at)
          FROM filtered_contacts(date_from, date_to, channels, teams, partners, products))
    -- One plain grouping (all rows in one group for the whole period): GROUPING SETS computed the
    -- unwanted level's quantiles too and cost a third more. Each duration's median and p90 come
    -- from one quantile call with a list: one sorted copy of the values instead of two, which
    -- halves the memory (the whole history at 10M did not fit in a 1 GB limit) and saves a third of the time.
    GROUP BY 1
);
