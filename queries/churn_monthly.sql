-- Monthly churn: customers whose left_at falls in the month / customers active at the month's
-- start (joined on or before it and not yet left); annualised = 1 - (1 - monthly)^12.
WITH chosen AS (SELECT * FROM customers_holding($products::VARCHAR[])),
months AS (SELECT month FROM churn_months($products::VARCHAR[], $as_of::TIMESTAMPTZ, $date_from::DATE, $date_to::DATE)),
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
ORDER BY month
