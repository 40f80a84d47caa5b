-- Price walking: the price gap by completed years of tenure (10 stands for "10 years or more").
-- Benchmark and gap from the benchmarked_prices macro, exactly as pricing_by_tenure (spec reading 13).
-- `benchmarked` and `above` let callers pool years (e.g. the share of 3y+ rows paying more).
WITH benchmarked AS NOT MATERIALIZED (
    SELECT * FROM prices_in_view($date_from::DATE, $date_to::DATE, $products::VARCHAR[])
),
per_year AS (
    SELECT walk_year(years) AS tenure_years,
           count(*) AS rows,
           count(benchmark) AS benchmarked,
           count(*) FILTER (WHERE price_paid > benchmark) AS above,
           -- one quantile call for the three quartiles
           quantile_cont(gap, [0.5, 0.25, 0.75]) FILTER (WHERE benchmark IS NOT NULL) AS quartiles,
           -- summed in DECIMAL: exact, whatever the scan order
           sum(greatest(0, price_paid - benchmark)) FILTER (WHERE benchmark IS NOT NULL)::DOUBLE AS penalty
    FROM benchmarked
    GROUP BY 1
),
-- Distinct customers per year, as pricing_by_tenure counts them per band.
customers_per_year AS (
    SELECT walk_year(years) AS tenure_years, count(*) AS customers
    FROM benchmarked
    WHERE len($products::VARCHAR[]) = 0 AND first_in_view(previous_in_year, $date_from::DATE)
    GROUP BY 1
    UNION ALL
    SELECT walk_year(years), count(DISTINCT customer_id)
    FROM benchmarked
    WHERE len($products::VARCHAR[]) > 0
    GROUP BY 1
)
SELECT y.tenure_years,
       y.rows,
       n.customers,
       y.benchmarked,
       y.above,
       y.quartiles[1] AS median_gap,
       y.quartiles[2] AS gap_p25,
       y.quartiles[3] AS gap_p75,
       y.penalty
FROM per_year y JOIN customers_per_year n ON n.tenure_years IS NOT DISTINCT FROM y.tenure_years
ORDER BY 1
