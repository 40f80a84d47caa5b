-- The contacts behind one standard's outcomes ($outcomes, e.g. ['missed'] for the breaches or
-- ['pending']), optionally narrowed to one week ($week) and/or one value of a dimension
-- ($dimension as in standards_breakdown, $dimension_value) for drill-through from a chart.
-- Times are shown on the charter's wall clock ($tz); hours are elapsed calendar hours.
-- At most $row_limit rows (NULL: all), most hours late (or least time left) first; `matching`
-- counts them all: a quarter at 10 million contacts has some 100,000 breaches, 20 MB for a grid.
WITH contacts_in_view AS (
    SELECT ticket_id, opened_local, channel, team, coalesce(partner, 'In-house') AS partner, priority,
           category, agent, kind,
           dimension_value($dimension::VARCHAR, channel, team, partner, priority, category, agent) AS value
    FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
),
judged AS (
    SELECT f.*, clock_outcome(f.start_at, f.stop_at, f.deadline_at, $as_of::TIMESTAMPTZ) AS outcome
    FROM contact_facts f
    WHERE f.standard_id = $standard_id
      AND opened_near(f.opened_at, $date_from::DATE, $date_to::DATE)
      AND ($week::DATE IS NULL OR f.week = $week::DATE)
)
SELECT j.ticket_id,
       v.opened_local AS opened,
       CASE WHEN j.outcome = 'missed'
            THEN (epoch_us(coalesce(j.stop_at, $as_of::TIMESTAMPTZ)) - epoch_us(j.deadline_at)) / 3.6e9 END AS hours_late,
       CASE WHEN j.outcome = 'pending'
            THEN (epoch_us(j.deadline_at) - epoch_us($as_of::TIMESTAMPTZ)) / 3.6e9 END AS hours_left,
       timezone($tz, j.deadline_at) AS deadline,
       timezone($tz, j.stop_at) AS clock_stopped,
       v.channel, v.team, v.partner, v.priority, v.category, v.agent, v.kind,
       j.week,
       j.outcome,
       count(*) OVER () AS matching
FROM judged j JOIN contacts_in_view v ON v.ticket_id = j.ticket_id
WHERE list_contains($outcomes::VARCHAR[], j.outcome)
  AND ($dimension_value::VARCHAR IS NULL OR v.value = $dimension_value::VARCHAR)
ORDER BY hours_late DESC NULLS LAST, hours_left NULLS LAST, j.ticket_id
LIMIT $row_limit
