-- When contacts arrive: count by weekday (ISO, 1 = Monday) and hour of day on the charter's wall
-- clock (opened_local), and the average per week: over the weeks of the period in which any
-- contact arrived, whatever its channel, team, partner or product, so that a channel seen in two
-- weeks of ten is averaged over the ten (and weeks beyond the data do not dilute it).
SELECT isodow(opened_local) AS weekday,
       hour(opened_local) AS hour,
       count(*) AS contacts,
       count(*) / (SELECT count(DISTINCT opened_week)
                   FROM filtered_contacts($date_from::DATE, $date_to::DATE, []::VARCHAR[], []::VARCHAR[], []::VARCHAR[], []::VARCHAR[])) AS per_week
FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
GROUP BY weekday, hour
ORDER BY weekday, hour
