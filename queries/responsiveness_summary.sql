-- Responsiveness over the whole period (the Overview tiles and the Responsiveness page headline):
-- the same measures as responsiveness_weekly (the `responsiveness` macro), without the weekly grouping.
-- Always one row: 0 contacts and no times when nothing matches.
SELECT coalesce(r.contacts, 0) AS contacts, r.* EXCLUDE (week, contacts)
FROM (SELECT 1) AS one
LEFT JOIN responsiveness($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[], true, $measured_at::TIMESTAMPTZ) AS r ON true
