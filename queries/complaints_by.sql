-- Complaints by one dimension ($dimension: category, partner, channel, team or priority, matched
-- against a fixed list): volume, share of all complaints, complaints per 1,000 contacts of the same
-- value, resolution median (calendar hours), reopen rate, CSAT mean and those still open.
-- Same definitions as complaints_summary.
WITH c AS (
    SELECT *,
           dimension_value($dimension::VARCHAR, channel, team, partner, priority, category, agent) AS value
    FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
)
SELECT value,
       count(*) FILTER (WHERE kind = 'complaint') AS complaints,
       complaints / sum(complaints) OVER () AS share_of_complaints,
       1000.0 * complaints / nullif(count(*), 0) AS per_1000_contacts,
       quantile_cont((epoch_us(resolved_at) - epoch_us(opened_at)) / 3.6e9, 0.5)
           FILTER (WHERE kind = 'complaint' AND resolved_at >= opened_at) AS resolution_median_hours,
       count(*) FILTER (WHERE kind = 'complaint' AND resolved_at IS NOT NULL AND reopened_count > 0)
           / nullif(count(*) FILTER (WHERE kind = 'complaint' AND resolved_at IS NOT NULL), 0) AS reopen_rate,
       avg(csat) FILTER (WHERE kind = 'complaint') AS csat_mean,
       count(*) FILTER (WHERE kind = 'complaint' AND resolved_at IS NULL) AS open
FROM c
GROUP BY value
HAVING count(*) FILTER (WHERE kind = 'complaint') > 0
ORDER BY complaints DESC, value
