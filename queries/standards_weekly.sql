-- Compliance per standard and week (the week of opened_at; of resolved_at for follow-up
-- standards). A row for every week with at least one in-scope contact.
SELECT f.standard_id,
       f.week,
       count_outcome(outcome, 'met') AS met,
       count_outcome(outcome, 'missed') AS missed,
       count_outcome(outcome, 'pending') AS pending,
       count_outcome(outcome, 'invalid') AS invalid,
       compliance_share(met, missed) AS compliance
FROM (SELECT f.*, clock_outcome(f.start_at, f.stop_at, f.deadline_at, $as_of::TIMESTAMPTZ) AS outcome
      FROM facts_in_view($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[]) f) f
WHERE outcome IS NOT NULL
GROUP BY f.standard_id, f.week
ORDER BY f.standard_id, f.week
