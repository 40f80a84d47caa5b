-- Price gap by tenure band (spec section 5, reading 12 and 13). Tenure is completed years at the
-- period; the benchmark is new_customer_price, else the median price_paid of every <1y row of the
-- same product and period. Price rows of unknown customers fall in no band.
WITH priced AS (
    SELECT p.customer_id, p.product, p.period, p.price_paid::DOUBLE AS price_paid,
           p.new_customer_price::DOUBLE AS new_customer_price,
           tenure_band(completed_years(cu.joined_at, p.period)) AS band
    FROM prices p JOIN customers cu ON cu.customer_id = p.customer_id
    WHERE ($date_from::DATE IS NULL OR p.period >= $date_from::DATE)
      AND ($date_to::DATE IS NULL OR p.period <= $date_to::DATE)
      AND (len($products::VARCHAR[]) = 0 OR list_contains($products::VARCHAR[], p.product))
),
new_customer_pool AS (
    SELECT product, period, quantile_cont(price_paid, 0.5) AS pool_median
    FROM priced WHERE band = '<1y' GROUP BY product, period
),
benchmarked AS (
    SELECT p.*, coalesce(p.new_customer_price, pool.pool_median) AS benchmark
    FROM priced p LEFT JOIN new_customer_pool pool
      ON pool.product IS NOT DISTINCT FROM p.product AND pool.period = p.period
),
bands AS (SELECT * FROM (VALUES (1, '<1y'), (2, '1-2y'), (3, '2-3y'), (4, '3-5y'), (5, '5y+')) b(band_order, band))
SELECT b.band,
       count(x.customer_id) AS rows,
       count(DISTINCT x.customer_id) AS customers,
       quantile_cont(x.price_paid / nullif(x.benchmark, 0) - 1, 0.5) FILTER (WHERE x.benchmark IS NOT NULL) AS median_gap,
       quantile_cont(x.price_paid / nullif(x.benchmark, 0) - 1, 0.25) FILTER (WHERE x.benchmark IS NOT NULL) AS gap_p25,
       quantile_cont(x.price_paid / nullif(x.benchmark, 0) - 1, 0.75) FILTER (WHERE x.benchmark IS NOT NULL) AS gap_p75,
       avg((x.price_paid > x.benchmark)::INTEGER) FILTER (WHERE x.benchmark IS NOT NULL) AS share_above,
       -- Kahan summation and rounding keep the money total identical whatever the scan order
       round(fsum(greatest(0, x.price_paid - x.benchmark)) FILTER (WHERE x.benchmark IS NOT NULL), 6) AS penalty
FROM bands b LEFT JOIN benchmarked x ON x.band = b.band
GROUP BY b.band, b.band_order
ORDER BY b.band_order
