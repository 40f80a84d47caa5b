-- Price walking: the price gap by completed years of tenure (10 stands for "10 years or more").
-- Benchmark and gap from the benchmarked_prices macro, exactly as pricing_by_tenure (spec reading 13).
-- `benchmarked` and `above` let callers pool years (e.g. the share of 3y+ rows paying more).
WITH benchmarked AS (
    SELECT * FROM benchmarked_prices()
    WHERE ($date_from::DATE IS NULL OR period >= $date_from::DATE)
      AND ($date_to::DATE IS NULL OR period <= $date_to::DATE)
      AND (len($products::VARCHAR[]) = 0 OR list_contains($products::VARCHAR[], product))
)
SELECT least(greatest(years, 0), 10) AS tenure_years,
       count(*) AS rows,
       count(DISTINCT customer_id) AS customers,
       count(benchmark) AS benchmarked,
       count(*) FILTER (WHERE price_paid > benchmark) AS above,
       -- one quantile call for the three (DuckDB computes an aggregate written thrice once)
       (quantile_cont(gap, [0.5, 0.25, 0.75]) FILTER (WHERE benchmark IS NOT NULL))[1] AS median_gap,
       (quantile_cont(gap, [0.5, 0.25, 0.75]) FILTER (WHERE benchmark IS NOT NULL))[2] AS gap_p25,
       (quantile_cont(gap, [0.5, 0.25, 0.75]) FILTER (WHERE benchmark IS NOT NULL))[3] AS gap_p75,
       -- Kahan summation and rounding keep the money total identical whatever the scan order
       round(fsum(greatest(0, price_paid - benchmark)) FILTER (WHERE benchmark IS NOT NULL), 6) AS penalty
FROM benchmarked
GROUP BY 1
ORDER BY 1
