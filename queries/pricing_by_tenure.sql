-- Price gap by tenure band (spec section 5, readings 12 and 13). Tenure, benchmark and gap come
-- from the benchmarked_prices macro (store/schema.sql); price rows of unknown customers fall in no band.
WITH benchmarked AS (
    SELECT * FROM benchmarked_prices()
    WHERE ($date_from::DATE IS NULL OR period >= $date_from::DATE)
      AND ($date_to::DATE IS NULL OR period <= $date_to::DATE)
      AND (len($products::VARCHAR[]) = 0 OR list_contains($products::VARCHAR[], product))
),
bands AS (SELECT * FROM (VALUES (1, '<1y'), (2, '1-2y'), (3, '2-3y'), (4, '3-5y'), (5, '5y+')) b(band_order, band))
SELECT b.band,
       count(x.customer_id) AS rows,
       count(DISTINCT x.customer_id) AS customers,
       -- one quantile call for the three (DuckDB computes an aggregate written thrice once)
       (quantile_cont(x.gap, [0.5, 0.25, 0.75]) FILTER (WHERE x.benchmark IS NOT NULL))[1] AS median_gap,
       (quantile_cont(x.gap, [0.5, 0.25, 0.75]) FILTER (WHERE x.benchmark IS NOT NULL))[2] AS gap_p25,
       (quantile_cont(x.gap, [0.5, 0.25, 0.75]) FILTER (WHERE x.benchmark IS NOT NULL))[3] AS gap_p75,
       avg((x.price_paid > x.benchmark)::INTEGER) FILTER (WHERE x.benchmark IS NOT NULL) AS share_above,
       -- Kahan summation and rounding keep the money total identical whatever the scan order
       round(fsum(greatest(0, x.price_paid - x.benchmark)) FILTER (WHERE x.benchmark IS NOT NULL), 6) AS penalty
FROM bands b LEFT JOIN benchmarked x ON x.band = b.band
GROUP BY b.band, b.band_order
ORDER BY b.band_order
