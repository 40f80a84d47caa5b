-- Open backlog at each week's end: contacts opened before the week ended (Monday 00:00 of the
-- next week on the charter's wall clock) and not resolved by then. Two instants end a week early:
-- as_of, for a week not yet over (what happened at as_of has happened, as for a clock that stops
-- at as_of), and the period's end (midnight after date_to, charter time), for the week it cuts:
-- contacts opened after the period are not in view, so that week's point is the backlog at the
-- period's end. A backlog carries over, so contacts opened before the period count too (the
-- other filters apply); weeks run over the period.
--
-- Counted as a running total instead of testing every contact against every week end: a contact
-- adds one from the week it was opened (its local opened_week) and takes it away from the week it
-- was resolved (the later of its opened_week and resolved_week, so a resolution dated before the
-- opening closes it when it opens). Week ends only grow, so an instant counts in every week from
-- its own on; only as_of and the period's end can end a week early, and an instant after as_of or
-- from the period's end on counts in none. opened_week and resolved_week are already weeks of the
-- charter's wall clock.
WITH carried AS (
    SELECT opened_at, resolved_at, opened_week, resolved_week
    FROM filtered_contacts(NULL::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
    -- no week ends before the earlier of as_of and date_from's local day (UTC-14h at the earliest), so
    -- a contact resolved before then adds and takes away in the first week: leave it out early
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
changes AS (
    -- contacts opened after date_to are not in `carried`
    SELECT opened_week AS week, 1 AS change FROM carried WHERE opened_at <= $as_of::TIMESTAMPTZ
    UNION ALL
    SELECT greatest(opened_week, resolved_week), -1 FROM carried
    WHERE resolved_at IS NOT NULL AND greatest(opened_at, resolved_at) <= $as_of::TIMESTAMPTZ
      AND ($date_to::DATE IS NULL OR greatest(opened_at, resolved_at) < timezone($tz::VARCHAR, ($date_to::DATE + 1)::TIMESTAMP))
),
-- what happened before the first week counts in it
per_week AS (
    SELECT greatest(c.week, s.first_week) AS week, sum(c.change) AS change
    FROM changes c, span s
    WHERE c.week <= s.last_week
    GROUP BY 1
)
SELECT w.week,
       (sum(coalesce(p.change, 0)) OVER (ORDER BY w.week))::BIGINT AS open_backlog
FROM weeks w LEFT JOIN per_week p ON p.week = w.week
ORDER BY w.week
