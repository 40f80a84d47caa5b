-- Responsiveness over the whole period (the Overview tiles and the Responsiveness page headline):
-- the same measures as responsiveness_weekly (the `responsiveness` macro), without the weekly grouping.
SELECT * EXCLUDE (week)
FROM responsiveness($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[], true)
