-- Share of complaints resolved within each resolution standard (spec section 5, Complaints): each
-- $standard_ids standard's outcomes over the complaints among the contacts it covers, counted as
-- standards_summary counts them (share = met / (met + missed); pending and invalid beside it). For a
-- standard kept to complaints this is its compliance; one covering every contact is read here for
-- its complaints alone. Every standard asked for has a row, judged or not.
WITH complaints AS (
    SELECT ticket_id
    FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
    WHERE kind = 'complaint'
),
outcomes AS (
    SELECT standard_id,
           count_outcome(outcome, 'met') AS met,
           count_outcome(outcome, 'missed') AS missed,
           count_outcome(outcome, 'pending') AS pending,
           count_outcome(outcome, 'invalid') AS invalid
    FROM (SELECT f.standard_id, clock_outcome(f.start_at, f.stop_at, f.deadline_at, $as_of::TIMESTAMPTZ) AS outcome
          FROM facts_in_view($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[]) f
          SEMI JOIN complaints c ON c.ticket_id = f.ticket_id
          WHERE list_contains($standard_ids::VARCHAR[], f.standard_id))
    GROUP BY standard_id
),
standards AS (SELECT unnest($standard_ids::VARCHAR[]) AS standard_id)
SELECT s.standard_id,
       coalesce(o.met, 0) AS met,
       coalesce(o.missed, 0) AS missed,
       coalesce(o.pending, 0) AS pending,
       coalesce(o.invalid, 0) AS invalid,
       compliance_share(coalesce(o.met, 0), coalesce(o.missed, 0)) AS compliance
FROM standards s LEFT JOIN outcomes o ON o.standard_id = s.standard_id
