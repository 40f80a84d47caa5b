-- Weekly responsiveness (spec section 5, reading 10); the measures are the `responsiveness` macro
-- in store/schema.sql, shared with responsiveness_summary.
SELECT *
FROM responsiveness($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[], false, NULL)
ORDER BY week
