-- Monthly churn: customers whose left_at falls in the month / customers active at the month's
-- start (joined on or before it and not yet left); annualised = 1 - (1 - monthly)^12.
-- Counted from one running total by day instead of pairing every month with every customer (120
-- months x 1M customers at 10M contacts): a customer adds 1 on joined_at and takes it back on the
-- day after left_at (never before joined_at), so the total on or before m is joined on or before m
-- and not left before m.
WITH chosen AS (SELECT * FROM customers_holding($products::VARCHAR[])),
months AS (SELECT month FROM churn_months($products::VARCHAR[], timezone($tz::VARCHAR, $as_of::TIMESTAMPTZ), $date_from::DATE, $date_to::DATE)),
-- net change per day (a few thousand days, not a row per customer, for the months to add up)
active_changes AS (
    SELECT day, sum(change) AS change
    FROM (SELECT joined_at AS day, 1 AS change FROM chosen WHERE joined_at IS NOT NULL
          UNION ALL
          SELECT greatest(joined_at, left_at + 1), -1 FROM chosen WHERE joined_at IS NOT NULL AND left_at IS NOT NULL)
    GROUP BY day
),
leavers AS (
    SELECT month, count(*) AS customers
    FROM (SELECT leaving_month(joined_at, left_at) AS month FROM chosen)
    WHERE month IS NOT NULL
    GROUP BY month
),
counted AS (
    SELECT m.month,
           coalesce((SELECT sum(change) FROM active_changes WHERE day <= m.month), 0)::BIGINT AS active_at_start,
           coalesce(l.customers, 0) AS left_in_month
    FROM months m LEFT JOIN leavers l ON l.month = m.month
)
SELECT month, active_at_start, left_in_month AS "left",
       left_in_month / nullif(active_at_start, 0) AS churn,
       1 - power(1 - left_in_month / nullif(active_at_start, 0), 12) AS annualised
FROM counted
ORDER BY month
