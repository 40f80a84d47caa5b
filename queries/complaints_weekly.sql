-- Complaints per week (the week of opened_at): volume, complaints per 1,000 contacts and the
-- resolution time of that week's resolved complaints (calendar hours; invalid durations left out).
-- Same definitions as complaints_summary, by week.
SELECT opened_week AS week,
       count(*) AS contacts,
       count(*) FILTER (WHERE kind = 'complaint') AS complaints,
       1000.0 * count(*) FILTER (WHERE kind = 'complaint') / nullif(count(*), 0) AS per_1000_contacts,
       -- one quantile call for both (DuckDB computes an aggregate written twice once): one sorted copy
       (quantile_cont((epoch_us(resolved_at) - epoch_us(opened_at)) / 3.6e9, [0.5, 0.9])
           FILTER (WHERE kind = 'complaint' AND resolved_at >= opened_at))[1] AS resolution_median_hours,
       (quantile_cont((epoch_us(resolved_at) - epoch_us(opened_at)) / 3.6e9, [0.5, 0.9])
           FILTER (WHERE kind = 'complaint' AND resolved_at >= opened_at))[2] AS resolution_p90_hours
FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
GROUP BY opened_week
ORDER BY opened_week
