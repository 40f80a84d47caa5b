-- Responsiveness over the whole period (the Overview tiles and the Responsiveness page headline):
-- the same measures as responsiveness_weekly, without the weekly grouping. Working hours (bh) and
-- calendar hours; invalid durations (stop before start) are left out.
SELECT count(*) AS contacts,
       count(ack_stop_at) / nullif(count(*), 0) AS acknowledged_share,
       quantile_cont((w_ack_us - w_opened_us) / 3.6e9, 0.5) FILTER (WHERE ack_stop_at >= opened_at) AS ack_median_bh,
       quantile_cont((w_ack_us - w_opened_us) / 3.6e9, 0.9) FILTER (WHERE ack_stop_at >= opened_at) AS ack_p90_bh,
       quantile_cont((epoch_us(ack_stop_at) - epoch_us(opened_at)) / 3.6e9, 0.5) FILTER (WHERE ack_stop_at >= opened_at) AS ack_median_hours,
       quantile_cont((epoch_us(ack_stop_at) - epoch_us(opened_at)) / 3.6e9, 0.9) FILTER (WHERE ack_stop_at >= opened_at) AS ack_p90_hours,
       quantile_cont((w_first_us - w_opened_us) / 3.6e9, 0.5) FILTER (WHERE first_response_at >= opened_at) AS first_response_median_bh,
       quantile_cont((w_first_us - w_opened_us) / 3.6e9, 0.9) FILTER (WHERE first_response_at >= opened_at) AS first_response_p90_bh,
       quantile_cont((epoch_us(first_response_at) - epoch_us(opened_at)) / 3.6e9, 0.5) FILTER (WHERE first_response_at >= opened_at) AS first_response_median_hours,
       quantile_cont((epoch_us(first_response_at) - epoch_us(opened_at)) / 3.6e9, 0.9) FILTER (WHERE first_response_at >= opened_at) AS first_response_p90_hours
FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
