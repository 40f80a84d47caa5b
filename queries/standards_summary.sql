-- Outcome counts and compliance per charter standard over the filtered contacts.
-- compliance = met / (met + missed); pending and invalid are shown beside it, never inside it.
WITH contacts_in_view AS (
    SELECT ticket_id FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
),
outcomes AS (
    SELECT f.standard_id, clock_outcome(f.start_at, f.stop_at, f.deadline_at, $as_of::TIMESTAMPTZ) AS outcome
    FROM contact_facts f SEMI JOIN contacts_in_view v ON v.ticket_id = f.ticket_id
    WHERE opened_near(f.opened_at, $date_from::DATE, $date_to::DATE)
),
standards AS (SELECT unnest($standard_ids::VARCHAR[]) AS standard_id)
SELECT s.standard_id,
       count(o.outcome) FILTER (WHERE o.outcome = 'met') AS met,
       count(o.outcome) FILTER (WHERE o.outcome = 'missed') AS missed,
       count(o.outcome) FILTER (WHERE o.outcome = 'pending') AS pending,
       count(o.outcome) FILTER (WHERE o.outcome = 'invalid') AS invalid,
       (SELECT count(*) FROM contacts_in_view) - count(o.outcome) AS out_of_scope,
       met / nullif(met + missed, 0) AS compliance
FROM standards s LEFT JOIN outcomes o ON o.standard_id = s.standard_id
GROUP BY s.standard_id
