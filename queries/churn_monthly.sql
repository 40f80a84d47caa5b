-- Monthly churn: customers whose left_at falls in the month / customers active at the month's
-- start (joined on or before it and not yet left); annualised = 1 - (1 - monthly)^12.
WITH chosen AS (
    SELECT * FROM customers
    WHERE len($products::VARCHAR[]) = 0 OR list_contains($products::VARCHAR[], product)
),
bounds AS (
    SELECT date_trunc('month', min(joined_at))::DATE AS first_month,
           date_trunc('month', coalesce($as_of::TIMESTAMPTZ::DATE, greatest(max(joined_at), max(left_at))))::DATE AS last_month
    FROM chosen
),
months AS (
    SELECT unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH))::DATE AS month FROM bounds
),
counted AS (
    SELECT m.month,
           count(c.customer_id) FILTER (WHERE c.joined_at <= m.month AND (c.left_at IS NULL OR c.left_at >= m.month)) AS active_at_start,
           count(c.customer_id) FILTER (WHERE c.left_at >= m.month AND c.left_at < m.month + INTERVAL 1 MONTH) AS left_in_month
    FROM months m LEFT JOIN chosen c ON c.joined_at < m.month + INTERVAL 1 MONTH
    GROUP BY m.month
)
SELECT month, active_at_start, left_in_month AS "left",
       left_in_month / nullif(active_at_start, 0) AS churn,
       1 - power(1 - left_in_month / nullif(active_at_start, 0), 12) AS annualised
FROM counted
WHERE ($date_from::DATE IS NULL OR month >= date_trunc('month', $date_from::DATE))
  AND ($date_to::DATE IS NULL OR month <= $date_to::DATE)
ORDER BY month
