-- Price walking: the price gap by completed years of tenure (10 stands for "10 years or more").
-- Benchmark and gap from the benchmarked_prices macro, exactly as pricing_by_tenure (spec reading 13).
-- `benchmarked` and `above` let callers pool years (e.g. the share of 3y+ rows paying more).
-- Distinct customers per year are counted as pricing_by_tenure counts them per band.
WITH benchmarked AS NOT MATERIALIZED (
    SELECT * FROM prices_in_view($date_from::DATE, $date_to::DATE, $products::VARCHAR[])
),
per_year AS (
    SELECT walk_year(years) AS tenure_years,
           count(*) AS rows,
           -- with no product chosen, the year's distinct customers are its customers' first bills in
           -- view (first_in_view), counted in this same pass over the rows
           count(*) FILTER (WHERE len($products::VARCHAR[]) = 0 AND first_in_view(previous_in_year, $date_from::DATE)) AS first_bills,
           count(benchmark) AS benchmarked,
           count(*) FILTER (WHERE price_paid > benchmark) AS above,
           -- one quantile call for the three quartiles
           quantile_cont(gap, [0.5, 0.25, 0.75]) FILTER (WHERE benchmark IS NOT NULL) AS quartiles,
           -- summed in DECIMAL: exact, whatever the scan order
           sum(greatest(0, price_paid - benchmark)) FILTER (WHERE benchmark IS NOT NULL)::DOUBLE AS penalty
    FROM benchmarked
    GROUP BY 1
),
-- With products chosen, a distinct count (a customer's previous bill may be of a product not
-- chosen); DuckDB skips this scan when no product is chosen.
distinct_customers AS (
    SELECT walk_year(years) AS tenure_years, count(DISTINCT customer_id) AS customers
    FROM benchmarked
    WHERE len($products::VARCHAR[]) > 0
    GROUP BY 1
)
SELECT y.tenure_years,
       y.rows,
       CASE WHEN len($products::VARCHAR[]) = 0 THEN y.first_bills ELSE n.customers END AS customers,
       y.benchmarked,
       y.above,
       y.quartiles[1] AS median_gap,
       y.quartiles[2] AS gap_p25,
       y.quartiles[3] AS gap_p75,
       y.penalty
FROM per_year y LEFT JOIN distinct_customers n ON n.tenure_years IS NOT DISTINCT FROM y.tenure_years
ORDER BY 1
