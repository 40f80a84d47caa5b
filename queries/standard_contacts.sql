-- The contacts behind one standard's outcomes ($outcomes, e.g. ['missed'] for the breaches or
-- ['pending']), optionally narrowed to one week ($week) and/or one value of a dimension
-- ($dimension as in standards_breakdown, $dimension_value) for drill-through from a chart.
-- Times are shown on the charter's wall clock ($tz); hours are elapsed calendar hours.
-- At most $row_limit rows (NULL: all), most hours late (or least time left) first; `matching`
-- counts them all: a quarter at 10 million contacts has some 100,000 breaches, 20 MB for a grid.
-- The facts are filtered, counted and ordered alone (they carry the filter columns, as in
-- standards_summary, so the count is the summary's); only the rows listed are joined to their
-- contacts for the columns shown.
WITH judged AS NOT MATERIALIZED (
    SELECT f.ticket_id, f.opened_at, f.week, f.start_at, f.stop_at, f.deadline_at, f.channel, f.team, f.partner,
           clock_outcome(f.start_at, f.stop_at, f.deadline_at, $as_of::TIMESTAMPTZ) AS outcome
    FROM facts_in_view($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[]) f
    WHERE f.standard_id = $standard_id
      AND ($week::DATE IS NULL OR f.week = $week::DATE)
),
-- A drill-through to one value of a dimension: channel, team and partner are on the facts; for
-- priority, category and agent the contacts say which tickets have it. Three branches, of which
-- DuckDB plans only the one the parameters select, so no contact is read here unless needed.
chosen AS (
    SELECT * FROM judged WHERE $dimension_value::VARCHAR IS NULL
    UNION ALL
    SELECT * FROM judged
    WHERE $dimension_value::VARCHAR IS NOT NULL AND list_contains(['channel', 'team', 'partner'], $dimension::VARCHAR)
      AND dimension_value($dimension::VARCHAR, channel, team, partner, NULL, NULL, NULL) = $dimension_value::VARCHAR
    UNION ALL
    SELECT * FROM judged
    WHERE $dimension_value::VARCHAR IS NOT NULL AND NOT list_contains(['channel', 'team', 'partner'], $dimension::VARCHAR)
      AND ticket_id IN (
          SELECT ticket_id
          FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
          WHERE dimension_value($dimension::VARCHAR, channel, team, partner, priority, category, agent) = $dimension_value::VARCHAR)
),
listed AS (
    SELECT *, count(*) OVER () AS matching
    FROM (SELECT j.* EXCLUDE (channel, team, partner),
                 CASE WHEN j.outcome = 'missed'
                      THEN (epoch_us(coalesce(j.stop_at, $as_of::TIMESTAMPTZ)) - epoch_us(j.deadline_at)) / 3.6e9 END AS hours_late,
                 CASE WHEN j.outcome = 'pending'
                      THEN (epoch_us(j.deadline_at) - epoch_us($as_of::TIMESTAMPTZ)) / 3.6e9 END AS hours_left
          FROM chosen j
          WHERE list_contains($outcomes::VARCHAR[], j.outcome))
    ORDER BY hours_late DESC NULLS LAST, hours_left NULLS LAST, ticket_id
    LIMIT $row_limit
)
SELECT l.ticket_id,
       c.opened_local AS opened,
       l.hours_late,
       l.hours_left,
       timezone($tz, l.deadline_at) AS deadline,
       timezone($tz, l.stop_at) AS clock_stopped,
       c.channel, c.team, coalesce(c.partner, 'In-house') AS partner, c.priority, c.category, c.agent, c.kind,
       l.week,
       l.outcome,
       l.matching
FROM listed l
JOIN contact_clocks c
  ON c.ticket_id = l.ticket_id
 -- redundant, but a range on the clocks' sort column lets DuckDB skip the row groups outside it
 AND opened_near(c.opened_at, $date_from::DATE, $date_to::DATE)
ORDER BY l.hours_late DESC NULLS LAST, l.hours_left NULLS LAST, l.ticket_id
