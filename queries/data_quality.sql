-- Contacts in view and those with at least one clock whose stop is before its start (reading 9).
SELECT count(*) AS contacts,
       count(*) FILTER (WHERE has_backwards_time(opened_at, ack_stop_at, first_response_at, resolved_at,
                                                 follow_up_at)) AS invalid_durations
FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
