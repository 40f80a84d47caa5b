-- Distribution of complaint resolution times: resolved complaints by whole days from opened_at to
-- resolved_at (calendar time); 60 stands for "60 days or more". Invalid durations are left out.
SELECT least(floor((epoch_us(resolved_at) - epoch_us(opened_at)) / 8.64e10), 60)::INTEGER AS days,
       count(*) AS complaints
FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
WHERE kind = 'complaint' AND resolved_at >= opened_at
GROUP BY ALL
ORDER BY days
