-- When contacts arrive: count by weekday (ISO, 1 = Monday) and hour of day on the charter's wall
-- clock (opened_local), with the number of weeks in view for a per-week average.
SELECT isodow(opened_local) AS weekday,
       hour(opened_local) AS hour,
       count(*) AS contacts,
       count(*) / (SELECT count(DISTINCT opened_week)
                   FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])) AS per_week
FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
GROUP BY weekday, hour
ORDER BY weekday, hour
