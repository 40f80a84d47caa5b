-- Open backlog at each week's end: contacts opened before the week ended (Monday 00:00 of the
-- next week on the charter's wall clock, $tz; as_of for a week not yet over) and not resolved by
-- then. A backlog carries over, so contacts opened before the period count too (the other
-- filters apply); weeks run over the period.
WITH carried AS (
    SELECT opened_at, resolved_at
    FROM filtered_contacts(NULL::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
    -- no week ends before the earlier of as_of and date_from's local day (UTC-14h at the earliest), so
    -- a contact resolved before then is in no backlog: leaving it out early keeps the join small
    WHERE $date_from::DATE IS NULL OR resolved_at IS NULL
       OR resolved_at >= least($as_of::TIMESTAMPTZ, make_timestamptz(epoch_us(($date_from::DATE - 1)::TIMESTAMP)))
),
span AS (
    SELECT min(opened_week) AS first_week, max(opened_week) AS last_week
    FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
),
weeks AS (
    SELECT unnest(generate_series(first_week, last_week, INTERVAL 7 DAY))::DATE AS week FROM span
    WHERE first_week IS NOT NULL
),
week_ends AS (
    SELECT week, least(timezone($tz, (week + INTERVAL 7 DAY)::TIMESTAMP), $as_of::TIMESTAMPTZ) AS week_end FROM weeks
)
SELECT e.week,
       count(c.opened_at) AS open_backlog
FROM week_ends e
LEFT JOIN carried c ON c.opened_at < e.week_end AND (c.resolved_at IS NULL OR c.resolved_at >= e.week_end)
GROUP BY e.week
ORDER BY e.week
