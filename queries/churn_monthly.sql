-- Monthly churn: customers whose left_at falls in the month / customers active at the month's
-- start (joined on or before it and not yet left); annualised = 1 - (1 - monthly)^12.
-- Counted from running totals by day instead of pairing every month with every customer (120
-- months x 1M customers at 10M contacts): active at m = joined on or before m, minus those of them
-- who also left before m (both on or before m <=> greatest(joined_at, left_at + 1 day) <= m).
WITH chosen AS (SELECT * FROM customers_holding($products::VARCHAR[])),
months AS (SELECT month FROM churn_months($products::VARCHAR[], $as_of::TIMESTAMPTZ, $date_from::DATE, $date_to::DATE)),
joined AS (
    SELECT joined_at AS day, count(*) AS customers FROM chosen WHERE joined_at IS NOT NULL GROUP BY 1
),
gone AS (
    SELECT greatest(joined_at, left_at + 1) AS day, count(*) AS customers
    FROM chosen WHERE joined_at IS NOT NULL AND left_at IS NOT NULL GROUP BY 1
),
leavers AS (
    SELECT date_trunc('month', left_at)::DATE AS month, count(*) AS customers
    FROM chosen
    WHERE left_at IS NOT NULL AND joined_at < date_trunc('month', left_at) + INTERVAL 1 MONTH
    GROUP BY 1
),
counted AS (
    SELECT m.month,
           (coalesce((SELECT sum(customers) FROM joined WHERE day <= m.month), 0)
            - coalesce((SELECT sum(customers) FROM gone WHERE day <= m.month), 0))::BIGINT AS active_at_start,
           coalesce(l.customers, 0) AS left_in_month
    FROM months m LEFT JOIN leavers l ON l.month = m.month
)
SELECT month, active_at_start, left_in_month AS "left",
       left_in_month / nullif(active_at_start, 0) AS churn,
       1 - power(1 - left_in_month / nullif(active_at_start, 0), 12) AS annualised
FROM counted
ORDER BY month
