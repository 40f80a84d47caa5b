-- Price walking: the price gap by completed years of tenure (10 stands for "10 years or more").
-- Benchmark and gap exactly as pricing_by_tenure (spec reading 13): new_customer_price, else the
-- median price_paid of every <1y row of the same product and period; gap = price_paid / benchmark - 1.
-- `benchmarked` and `above` let callers pool years (e.g. the share of 3y+ rows paying more).
WITH priced AS (
    SELECT p.customer_id, p.product, p.period, p.price_paid::DOUBLE AS price_paid,
           p.new_customer_price::DOUBLE AS new_customer_price,
           completed_years(cu.joined_at, p.period) AS years
    FROM prices p JOIN customers cu ON cu.customer_id = p.customer_id
    WHERE ($date_from::DATE IS NULL OR p.period >= $date_from::DATE)
      AND ($date_to::DATE IS NULL OR p.period <= $date_to::DATE)
      AND (len($products::VARCHAR[]) = 0 OR list_contains($products::VARCHAR[], p.product))
),
new_customer_pool AS (
    SELECT product, period, quantile_cont(price_paid, 0.5) AS pool_median
    FROM priced WHERE tenure_band(years) = '<1y' GROUP BY product, period
),
benchmarked AS (
    SELECT p.*, coalesce(p.new_customer_price, pool.pool_median) AS benchmark
    FROM priced p LEFT JOIN new_customer_pool pool
      ON pool.product IS NOT DISTINCT FROM p.product AND pool.period = p.period
)
SELECT least(greatest(years, 0), 10) AS tenure_years,
       count(*) AS rows,
       count(DISTINCT customer_id) AS customers,
       count(benchmark) AS benchmarked,
       count(*) FILTER (WHERE price_paid > benchmark) AS above,
       quantile_cont(price_paid / nullif(benchmark, 0) - 1, 0.5) FILTER (WHERE benchmark IS NOT NULL) AS median_gap,
       quantile_cont(price_paid / nullif(benchmark, 0) - 1, 0.25) FILTER (WHERE benchmark IS NOT NULL) AS gap_p25,
       quantile_cont(price_paid / nullif(benchmark, 0) - 1, 0.75) FILTER (WHERE benchmark IS NOT NULL) AS gap_p75,
       sum(greatest(0, price_paid - benchmark)) FILTER (WHERE benchmark IS NOT NULL) AS penalty
FROM benchmarked
GROUP BY 1
ORDER BY 1
