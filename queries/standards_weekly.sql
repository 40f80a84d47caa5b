-- Compliance per standard and week (the week of opened_at; of resolved_at for follow-up
-- standards). A row for every week with at least one in-scope contact.
SELECT f.standard_id,
       f.week,
       count(*) FILTER (WHERE outcome = 'met') AS met,
       count(*) FILTER (WHERE outcome = 'missed') AS missed,
       count(*) FILTER (WHERE outcome = 'pending') AS pending,
       count(*) FILTER (WHERE outcome = 'invalid') AS invalid,
       met / nullif(met + missed, 0) AS compliance
FROM (SELECT f.*, clock_outcome(f.start_at, f.stop_at, f.deadline_at, $as_of::TIMESTAMPTZ) AS outcome
      FROM facts_in_view($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[]) f) f
WHERE outcome IS NOT NULL
GROUP BY f.standard_id, f.week
ORDER BY f.standard_id, f.week
