-- Outcome counts and compliance per charter standard over the filtered contacts.
-- compliance = met / (met + missed); pending and invalid are shown beside it, never inside it.
WITH outcomes AS (
    SELECT f.standard_id, clock_outcome(f.start_at, f.stop_at, f.deadline_at, $as_of::TIMESTAMPTZ) AS outcome
    FROM facts_in_view($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[]) f
),
standards AS (SELECT unnest($standard_ids::VARCHAR[]) AS standard_id)
SELECT s.standard_id,
       count(o.outcome) FILTER (WHERE o.outcome = 'met') AS met,
       count(o.outcome) FILTER (WHERE o.outcome = 'missed') AS missed,
       count(o.outcome) FILTER (WHERE o.outcome = 'pending') AS pending,
       count(o.outcome) FILTER (WHERE o.outcome = 'invalid') AS invalid,
       (SELECT count(*) FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])) - count(o.outcome) AS out_of_scope,
       met / nullif(met + missed, 0) AS compliance
FROM standards s LEFT JOIN outcomes o ON o.standard_id = s.standard_id
GROUP BY s.standard_id
