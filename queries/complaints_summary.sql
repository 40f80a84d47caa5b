-- Complaint KPIs over the filtered contacts (spec section 5, reading 11). A complaint is resolved
-- when resolved_at is present; rates are over resolved complaints; CSAT over every rated complaint.
-- The complaints are picked once by the WHERE (testing kind in a FILTER on each of ten aggregates
-- took twice as long); per_1000_contacts counts every contact in view.
-- $measured_at: the resolutions and follow-up calls made by then count (NULL: all of them; the
-- `happened_by` macro, reading 37).
WITH c AS (SELECT * REPLACE (happened_by(resolved_at, $measured_at::TIMESTAMPTZ) AS resolved_at,
                             happened_by(follow_up_at, $measured_at::TIMESTAMPTZ) AS follow_up_at)
           FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[]))
SELECT count(*) AS count,
       1000.0 * count(*) / nullif((SELECT count(*) FROM c), 0) AS per_1000_contacts,
       -- one quantile call for both (DuckDB computes an aggregate written twice once): one sorted copy
       (quantile_cont((epoch_us(resolved_at) - epoch_us(opened_at)) / 3.6e9, [0.5, 0.9])
           FILTER (WHERE resolved_at >= opened_at))[1] AS resolution_median_hours,
       (quantile_cont((epoch_us(resolved_at) - epoch_us(opened_at)) / 3.6e9, [0.5, 0.9])
           FILTER (WHERE resolved_at >= opened_at))[2] AS resolution_p90_hours,
       count(*) FILTER (WHERE resolved_at IS NOT NULL AND reopened_count > 0)
           / nullif(count(*) FILTER (WHERE resolved_at IS NOT NULL), 0) AS reopen_rate,
       count(*) FILTER (WHERE resolved_at IS NOT NULL AND follow_up_at IS NOT NULL)
           / nullif(count(*) FILTER (WHERE resolved_at IS NOT NULL), 0) AS follow_up_rate,
       avg(csat) AS csat_mean,
       count(*) FILTER (WHERE csat >= 4) / nullif(count(csat), 0) AS csat_share_4_5,
       count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved,
       count(*) FILTER (WHERE resolved_at IS NULL) AS open,
       -- what the resolution times and the CSAT figures rest on, for the tiles to say when it is a handful
       count(*) FILTER (WHERE resolved_at >= opened_at) AS resolution_times,
       count(csat) AS rated
FROM c
WHERE kind = 'complaint'
