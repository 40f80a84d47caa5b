-- Compliance of one charter standard ($standard_id) broken down by one contact dimension (the
-- pages show one standard at a time; reading only its facts is a fraction of the work). $dimension
-- is matched against a fixed list (channel, team, partner, priority, category, agent), so the
-- user's choice never becomes SQL text. Same rule as standards_summary: compliance = met / (met +
-- missed). Channel, team and partner are on the facts; the other dimensions are read from the
-- contacts, joined only when one of them is chosen.
WITH outcomes AS (
    SELECT f.standard_id,
           dimension_value($dimension::VARCHAR, f.channel, f.team, f.partner, d.priority, d.category, d.agent) AS value,
           clock_outcome(f.start_at, f.stop_at, f.deadline_at, $as_of::TIMESTAMPTZ) AS outcome
    FROM (SELECT * FROM facts_in_view($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
          WHERE standard_id = $standard_id::VARCHAR) f
    LEFT JOIN (SELECT ticket_id, priority, category, agent FROM contacts c
               WHERE $dimension::VARCHAR IN ('priority', 'category', 'agent')
                 AND opened_near(c.opened_at, $date_from::DATE, $date_to::DATE)) d
      ON d.ticket_id = f.ticket_id
)
SELECT standard_id,
       value,
       count_outcome(outcome, 'met') AS met,
       count_outcome(outcome, 'missed') AS missed,
       count_outcome(outcome, 'pending') AS pending,
       count_outcome(outcome, 'invalid') AS invalid,
       compliance_share(met, missed) AS compliance
FROM outcomes
WHERE outcome IS NOT NULL
GROUP BY standard_id, value
ORDER BY standard_id, value
