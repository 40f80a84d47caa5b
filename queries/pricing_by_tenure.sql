-- Price gap by tenure band (spec section 5, readings 12 and 13). Tenure, benchmark and gap come
-- from the benchmarked_prices macro through prices_in_view (store/schema.sql); price rows of unknown
-- customers fall in no band.
WITH benchmarked AS NOT MATERIALIZED (
    SELECT * FROM prices_in_view($date_from::DATE, $date_to::DATE, $products::VARCHAR[])
),
-- Aggregated per band before the list of bands is joined on: joining 18 million rows to it first
-- cost a tenth of the query over the whole history.
per_band AS (
    SELECT band,
           count(customer_id) AS rows,
           -- Distinct customers per band: with no product chosen, each customer's first bill in view
           -- in the band (first_in_view; a distinct count was half the query), counted in this same
           -- pass over the rows; with products, distinct_customers below.
           count(*) FILTER (WHERE len($products::VARCHAR[]) = 0 AND first_in_view(previous_in_band, $date_from::DATE)) AS first_bills,
           -- one quantile call for the three quartiles
           quantile_cont(gap, [0.5, 0.25, 0.75]) FILTER (WHERE benchmark IS NOT NULL) AS quartiles,
           avg((price_paid > benchmark)::INTEGER) FILTER (WHERE benchmark IS NOT NULL) AS share_above,
           -- summed in DECIMAL: exact, whatever the scan order
           sum(greatest(0, price_paid - benchmark)) FILTER (WHERE benchmark IS NOT NULL)::DOUBLE AS penalty
    FROM benchmarked
    GROUP BY band
),
-- With products chosen, a distinct count (a customer's previous bill in the band may be of a product
-- not chosen); DuckDB skips this scan when no product is chosen.
distinct_customers AS (
    SELECT band, count(DISTINCT customer_id) AS customers
    FROM benchmarked
    WHERE len($products::VARCHAR[]) > 0
    GROUP BY band
),
bands AS (SELECT * FROM (VALUES (1, '<1y'), (2, '1-2y'), (3, '2-3y'), (4, '3-5y'), (5, '5y+')) b(band_order, band))
SELECT b.band,
       coalesce(x.rows, 0) AS rows,
       coalesce(CASE WHEN len($products::VARCHAR[]) = 0 THEN x.first_bills ELSE n.customers END, 0) AS customers,
       x.quartiles[1] AS median_gap,
       x.quartiles[2] AS gap_p25,
       x.quartiles[3] AS gap_p75,
       x.share_above,
       x.penalty
FROM bands b LEFT JOIN per_band x ON x.band = b.band LEFT JOIN distinct_customers n ON n.band = b.band
ORDER BY b.band_order
