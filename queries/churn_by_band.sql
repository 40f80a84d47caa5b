-- Churn by tenure band or by price-gap band ($grouping: 'tenure' or 'price_gap', a fixed list).
-- Month by month over the period, exactly as churn_monthly: customers active at the month's start
-- and customers whose left_at falls in the month, each placed in their band for that month:
--   tenure band = completed years at the month's start;
--   price-gap band = gap (benchmarked_prices, as pricing_by_tenure) of the
--   customer's latest price row dated before the month's end.
-- churn = leavers / active summed over the months (the average monthly churn); annualised =
-- 1 - (1 - churn)^12. Every band is listed.
WITH chosen AS (SELECT * FROM customers_holding($products::VARCHAR[])),
months AS (SELECT month FROM churn_months($products::VARCHAR[], $as_of::TIMESTAMPTZ, $date_from::DATE, $date_to::DATE)),
-- By tenure: every customer in every month in view (tenure changes on each anniversary).
customer_months AS (
    SELECT tenure_band(completed_years(c.joined_at, m.month)) AS band,
           c.joined_at <= m.month AND (c.left_at IS NULL OR c.left_at >= m.month) AS active_at_start,
           leaving_month(c.joined_at, c.left_at) = m.month AS left_in_month
    FROM months m JOIN chosen c ON c.joined_at < m.month + INTERVAL 1 MONTH
    WHERE (c.left_at IS NULL OR c.left_at >= m.month)     -- customers gone before the month count nowhere
      AND $grouping::VARCHAR = 'tenure'
),
by_tenure AS (
    SELECT band, count(*) FILTER (WHERE active_at_start) AS active_months, count(*) FILTER (WHERE left_in_month) AS leavers
    FROM customer_months GROUP BY band
),
-- By price gap: a customer's band changes only with a new bill, so instead of a row per customer
-- and month (a million customers x the months in view at 10M contacts, each searching the
-- customer's older bills), each customer's months are counted per bill in force, by overlapping
-- two month ranges. A customer is active at the start of month m when joined_at <= m <= left_at.
view_months AS (
    SELECT min(month) AS first_month, max(month) AS last_month, (max(month) + INTERVAL 1 MONTH)::DATE AS end_day
    FROM months
),
-- Per customer: the months in view they are active at the start of (the first month starting on
-- or after joined_at, to the month of left_at) and the month in view they leave in.
customer_spans AS (
    SELECT c.customer_id,
           greatest(v.first_month, date_trunc('month', c.joined_at - 1) + INTERVAL 1 MONTH)::DATE AS active_from,
           least(v.last_month, coalesce(date_trunc('month', c.left_at), v.last_month))::DATE AS active_to,
           CASE WHEN leaving_month(c.joined_at, c.left_at) BETWEEN v.first_month AND v.last_month
                THEN leaving_month(c.joined_at, c.left_at) END AS left_month
    FROM chosen c, view_months v
    WHERE c.joined_at IS NOT NULL AND v.first_month IS NOT NULL AND $grouping::VARCHAR = 'price_gap'
),
-- The bill in force in a month is the latest dated before the month's end: each bill is in force
-- from its period's month until the month another becomes the customer's latest (latest_until,
-- stored with the price facts; NULL: still the latest; of two bills of one period, the product
-- sorting last). Only bills in force in some month in view are read, so each customer's bills
-- cover disjoint months; a bill from before the first month counts from it. The two halves are
-- written as joins on plain columns so that DuckDB skips the rest of the table while scanning it.
in_force AS (
    SELECT customer_id, greatest(date_trunc('month', period), v.first_month)::DATE AS from_month,
           latest_until AS until_month, gap
    FROM benchmarked_prices() JOIN view_months v ON period < v.end_day AND latest_until > v.first_month
    WHERE latest_until > period      -- superseded within its own month: in force in none
      AND $grouping::VARCHAR = 'price_gap'
    UNION ALL
    SELECT customer_id, greatest(date_trunc('month', period), v.first_month)::DATE, NULL, gap
    FROM benchmarked_prices() JOIN view_months v ON period < v.end_day
    WHERE latest_until IS NULL AND $grouping::VARCHAR = 'price_gap'
),
-- Band edges are inclusive and compared at 9 decimals: 110 / 100 - 1 is 0.10000000000000009 in
-- binary floating point, and a bill exactly 10% above belongs in '0-10% above' (reading 14).
priced_months AS (
    SELECT CASE WHEN f.gap IS NULL THEN 'No price data'
                WHEN round(f.gap, 9) <= 0 THEN 'At or below new price'
                WHEN round(f.gap, 9) <= 0.10 THEN '0-10% above'
                WHEN round(f.gap, 9) <= 0.20 THEN '10-20% above'
                WHEN round(f.gap, 9) <= 0.30 THEN '20-30% above'
                ELSE '> 30% above'
           END AS band,
           greatest(0, datediff('month', greatest(s.active_from, f.from_month),
                                least(s.active_to + INTERVAL 1 MONTH, coalesce(f.until_month, s.active_to + INTERVAL 1 MONTH)))) AS active_months,
           (s.left_month >= f.from_month AND (f.until_month IS NULL OR s.left_month < f.until_month))::INTEGER AS leavers
    FROM customer_spans s JOIN in_force f ON f.customer_id = s.customer_id
),
-- Months before a customer's first bill: 'No price data', what is left of the customer's months.
by_price_gap AS (
    SELECT band, sum(active_months) AS active_months, sum(coalesce(leavers, 0)) AS leavers
    FROM (SELECT band, active_months, leavers FROM priced_months
          UNION ALL
          SELECT 'No price data', greatest(0, datediff('month', active_from, active_to + INTERVAL 1 MONTH)),
                 (left_month IS NOT NULL)::INTEGER
          FROM customer_spans
          UNION ALL
          SELECT 'No price data', -active_months, -leavers FROM priced_months)
    GROUP BY band
),
bands AS (
    SELECT * FROM (VALUES
        ('tenure', 1, '<1y'), ('tenure', 2, '1-2y'), ('tenure', 3, '2-3y'), ('tenure', 4, '3-5y'), ('tenure', 5, '5y+'),
        ('price_gap', 1, 'At or below new price'), ('price_gap', 2, '0-10% above'), ('price_gap', 3, '10-20% above'),
        ('price_gap', 4, '20-30% above'), ('price_gap', 5, '> 30% above'), ('price_gap', 6, 'No price data')
    ) b(grouping, band_order, band)
    WHERE grouping = $grouping::VARCHAR
),
counted AS (
    SELECT band, active_months::BIGINT AS active_customer_months, leavers::BIGINT AS leavers FROM by_tenure
    UNION ALL
    SELECT band, active_months::BIGINT, leavers::BIGINT FROM by_price_gap
)
SELECT b.band,
       coalesce(c.active_customer_months, 0) AS active_customer_months,
       coalesce(c.leavers, 0) AS leavers,
       c.leavers / nullif(c.active_customer_months, 0) AS monthly_churn,
       1 - power(1 - c.leavers / nullif(c.active_customer_months, 0), 12) AS annualised_churn
FROM bands b LEFT JOIN counted c ON c.band = b.band
ORDER BY b.band_order
