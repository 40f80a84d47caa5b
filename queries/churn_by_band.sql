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
-- Price rows with their gap, only when placing by price gap.
priced AS (
    SELECT customer_id, period, gap FROM benchmarked_prices() WHERE $grouping::VARCHAR = 'price_gap'
),
-- Each customer's latest price row before the first month in view ends stands for all older rows:
-- no month in view can use an older one. Later rows are kept as they are.
gaps AS (
    SELECT customer_id, max(period) AS period, arg_max_null(gap, period) AS gap
    FROM priced WHERE period < (SELECT min(month) FROM months) + INTERVAL 1 MONTH
    GROUP BY customer_id
    UNION ALL
    SELECT customer_id, period, gap
    FROM priced WHERE period >= (SELECT min(month) FROM months) + INTERVAL 1 MONTH
),
customer_months AS (
    SELECT m.month, c.customer_id,
           c.joined_at <= m.month AND (c.left_at IS NULL OR c.left_at >= m.month) AS active_at_start,
           c.left_at >= m.month AND c.left_at < m.month + INTERVAL 1 MONTH AS left_in_month,
           tenure_band(completed_years(c.joined_at, m.month)) AS tenure_band,
           (m.month + INTERVAL 1 MONTH)::DATE AS month_end
    FROM months m JOIN chosen c ON c.joined_at < m.month + INTERVAL 1 MONTH
    WHERE c.left_at IS NULL OR c.left_at >= m.month     -- customers gone before the month count nowhere
),
-- the latest price row dated before the month's end (ties between products: either one)
-- Band edges are inclusive and compared at 9 decimals: 110 / 100 - 1 is 0.10000000000000009 in
-- binary floating point, and a bill exactly 10% above belongs in '0-10% above' (reading 14).
placed AS (
    SELECT cm.*,
           CASE WHEN g.gap IS NULL THEN 'No price data'
                WHEN round(g.gap, 9) <= 0 THEN 'At or below new price'
                WHEN round(g.gap, 9) <= 0.10 THEN '0-10% above'
                WHEN round(g.gap, 9) <= 0.20 THEN '10-20% above'
                WHEN round(g.gap, 9) <= 0.30 THEN '20-30% above'
                ELSE '> 30% above'
           END AS gap_band
    FROM (SELECT * FROM customer_months WHERE $grouping::VARCHAR = 'price_gap') cm
    ASOF LEFT JOIN gaps g ON g.customer_id = cm.customer_id AND cm.month_end > g.period
    UNION ALL
    SELECT *, NULL FROM customer_months WHERE $grouping::VARCHAR = 'tenure'
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
    SELECT CASE $grouping::VARCHAR WHEN 'tenure' THEN tenure_band WHEN 'price_gap' THEN gap_band END AS band,
           count(*) FILTER (WHERE active_at_start) AS active_customer_months,
           count(*) FILTER (WHERE left_in_month) AS leavers
    FROM placed
    GROUP BY 1
)
SELECT b.band,
       coalesce(c.active_customer_months, 0) AS active_customer_months,
       coalesce(c.leavers, 0) AS leavers,
       c.leavers / nullif(c.active_customer_months, 0) AS monthly_churn,
       1 - power(1 - c.leavers / nullif(c.active_customer_months, 0), 12) AS annualised_churn
FROM bands b LEFT JOIN counted c ON c.band = b.band
ORDER BY b.band_order
