-- Compliance per charter standard broken down by one contact dimension. $dimension is matched
-- against a fixed list (channel, team, partner, priority, category, agent), so the user's choice
-- never becomes SQL text. Same rule as standards_summary: compliance = met / (met + missed).
WITH contacts_in_view AS (
    SELECT ticket_id,
           dimension_value($dimension::VARCHAR, channel, team, partner, priority, category, agent) AS value
    FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
),
outcomes AS (
    SELECT f.standard_id, v.value, clock_outcome(f.start_at, f.stop_at, f.deadline_at, $as_of::TIMESTAMPTZ) AS outcome
    FROM contact_facts f JOIN contacts_in_view v ON v.ticket_id = f.ticket_id
    WHERE opened_near(f.opened_at, $date_from::DATE, $date_to::DATE)
)
SELECT standard_id,
       value,
       count(*) FILTER (WHERE outcome = 'met') AS met,
       count(*) FILTER (WHERE outcome = 'missed') AS missed,
       count(*) FILTER (WHERE outcome = 'pending') AS pending,
       count(*) FILTER (WHERE outcome = 'invalid') AS invalid,
       met / nullif(met + missed, 0) AS compliance
FROM outcomes
GROUP BY standard_id, value
ORDER BY standard_id, value
