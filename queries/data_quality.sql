-- Contacts in view and those with at least one clock whose stop is before its start (reading 9).
SELECT count(*) AS contacts,
       count(*) FILTER (WHERE ack_stop_at < opened_at OR first_response_at < opened_at
                           OR resolved_at < opened_at OR follow_up_at < resolved_at) AS invalid_durations
FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
