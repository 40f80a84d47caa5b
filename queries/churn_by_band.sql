-- Churn by tenure band or by price-gap band ($grouping: 'tenure' or 'price_gap', a fixed list).
-- Month by month over the period, exactly as churn_monthly: customers active at the month's start
-- and customers whose left_at falls in the month, each placed in their band for that month:
--   tenure band = completed years at the month's start;
--   price-gap band = price_gap_band of the customer's latest price row dated before the month's end
--   (benchmarked_prices, as pricing_by_tenure).
-- churn = leavers / active summed over the months (the average monthly churn); annualised =
-- 1 - (1 - churn)^12. Every band is listed.
WITH chosen AS (SELECT * FROM customers_holding($products::VARCHAR[])),
months AS (SELECT month FROM churn_months($products::VARCHAR[], timezone($tz::VARCHAR, $as_of::TIMESTAMPTZ), $date_from::DATE, $date_to::DATE)),
-- By tenure: every customer in every month in view (tenure changes on each anniversary). What
-- counts of a customer is the day they joined and the month they left (left_at >= a month's first
-- day exactly when its month is that month or later), so the customers are counted in cohorts of
-- those two first: 72,000 cohorts instead of a million customers joined to each month.
cohorts AS (
    SELECT joined_at, date_trunc('month', left_at)::DATE AS left_month,
           leaving_month(joined_at, left_at) AS leaving, count(*) AS customers
    FROM chosen
    WHERE $grouping::VARCHAR = 'tenure'
    GROUP BY ALL
),
cohort_months AS (
    SELECT tenure_band(completed_years(c.joined_at, m.month)) AS band,
           c.joined_at <= m.month AND (c.left_month IS NULL OR c.left_month >= m.month) AS active_at_start,
           c.leaving = m.month AS left_in_month,
           c.customers
    FROM months m JOIN cohorts c ON c.joined_at < m.month + INTERVAL 1 MONTH
    WHERE (c.left_month IS NULL OR c.left_month >= m.month)     -- customers gone before the month count nowhere
),
by_tenure AS (
    -- (coalesce: a sum over no rows is NULL where the count it replaces was 0)
    SELECT band, coalesce(sum(customers) FILTER (WHERE active_at_start), 0) AS active_months,
           coalesce(sum(customers) FILTER (WHERE left_in_month), 0) AS leavers
    FROM cohort_months GROUP BY band
),
-- By price gap: month by month from price_gap_churn_months (store/schema.sql). Without a product
-- filter its months are stored (table price_gap_churn, kept by every prices or customers upload); a
-- month in view after the last one has that month's active customers and no leavers.
gap_months AS (
    SELECT month, band, active, leavers FROM price_gap_churn
    WHERE len($products::VARCHAR[]) = 0 AND $grouping::VARCHAR = 'price_gap'
    UNION ALL
    SELECT month, band, active, leavers
    FROM price_gap_churn_months($products::VARCHAR[], date_trunc('month', $date_from::DATE),
                                date_trunc('month', least($date_to::DATE, timezone($tz::VARCHAR, $as_of::TIMESTAMPTZ)::DATE)))
    WHERE len($products::VARCHAR[]) > 0 AND $grouping::VARCHAR = 'price_gap'
),
by_price_gap AS (
    SELECT g.band, sum(g.active) AS active_months, sum(CASE WHEN g.month = m.month THEN g.leavers ELSE 0 END) AS leavers
    FROM months m JOIN gap_months g ON g.month = least(m.month, (SELECT max(month) FROM gap_months))
    GROUP BY g.band
),
bands AS (
    SELECT * FROM (VALUES (1, '<1y'), (2, '1-2y'), (3, '2-3y'), (4, '3-5y'), (5, '5y+')) b(band_order, band)
    WHERE $grouping::VARCHAR = 'tenure'
    UNION ALL
    SELECT band_order, band FROM price_gap_bands() WHERE $grouping::VARCHAR = 'price_gap'
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
