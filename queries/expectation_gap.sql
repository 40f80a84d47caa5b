-- Expectation gap (spec section 3): one standard's contacts judged against the charter's deadline
-- and against an alternative promise. The alternative deadline is not written here: queries/whatif.py
-- fills {deadline_join} and {deadline} from charter.engine.DEADLINES (the only definition of
-- deadlines) and binds its parameters. One row per week plus a total row (week NULL).
WITH s AS (
    SELECT f.*
    FROM facts_in_view($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[]) f
    WHERE f.standard_id = $standard_id
),
judged AS (
    SELECT s.week,
           clock_outcome(s.start_at, s.stop_at, s.deadline_at, $as_of::TIMESTAMPTZ) AS charter_outcome,
           clock_outcome(s.start_at, s.stop_at, {deadline}, $as_of::TIMESTAMPTZ) AS alternative_outcome
    FROM s
    {deadline_join}
)
SELECT week,
       count_outcome(charter_outcome, 'met') AS charter_met,
       count_outcome(charter_outcome, 'missed') AS charter_missed,
       count_outcome(charter_outcome, 'pending') AS charter_pending,
       compliance_share(charter_met, charter_missed) AS charter_compliance,
       count_outcome(alternative_outcome, 'met') AS alternative_met,
       count_outcome(alternative_outcome, 'missed') AS alternative_missed,
       count_outcome(alternative_outcome, 'pending') AS alternative_pending,
       compliance_share(alternative_met, alternative_missed) AS alternative_compliance
FROM judged
WHERE charter_outcome IS NOT NULL
GROUP BY GROUPING SETS ((week), ())
ORDER BY week NULLS FIRST
