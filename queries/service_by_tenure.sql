-- Service by tenure band (spec "service x pricing"): for contacts from known customers, placed in
-- the band of their completed years of tenure on the day the contact was opened (charter
-- timezone), the complaints per 1,000 contacts and each standard's compliance (met / (met + missed)).
-- One row per band and standard; every band is listed. The customer's joined_at is stored with
-- each contact's clocks and facts (customer_joined_at, kept current by customers uploads), so a
-- quarter's contacts and facts are not joined to the customers.
WITH volumes AS (
    SELECT tenure_band(completed_years(customer_joined_at, opened_date)) AS band,
           count(*) AS contacts, count(*) FILTER (WHERE kind = 'complaint') AS complaints
    FROM filtered_contacts($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
    WHERE customer_joined_at IS NOT NULL
    GROUP BY band
),
outcomes AS (
    SELECT tenure_band(completed_years(customer_joined_at, opened_date)) AS band, standard_id,
           clock_outcome(start_at, stop_at, deadline_at, $as_of::TIMESTAMPTZ) AS outcome
    FROM facts_in_view($date_from::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
    WHERE customer_joined_at IS NOT NULL
),
judged AS (
    SELECT band, standard_id,
           count_outcome(outcome, 'met') AS met,
           count_outcome(outcome, 'missed') AS missed
    FROM outcomes GROUP BY band, standard_id
),
bands AS (SELECT * FROM (VALUES (1, '<1y'), (2, '1-2y'), (3, '2-3y'), (4, '3-5y'), (5, '5y+')) b(band_order, band)),
standards AS (SELECT unnest($standard_ids::VARCHAR[]) AS standard_id)
SELECT b.band, s.standard_id,
       coalesce(v.contacts, 0) AS contacts,
       coalesce(v.complaints, 0) AS complaints,
       1000.0 * v.complaints / nullif(v.contacts, 0) AS complaints_per_1000,
       coalesce(j.met, 0) AS met,
       coalesce(j.missed, 0) AS missed,
       compliance_share(j.met, j.missed) AS compliance
FROM bands b CROSS JOIN standards s
LEFT JOIN volumes v ON v.band = b.band
LEFT JOIN judged j ON j.band = b.band AND j.standard_id = s.standard_id
ORDER BY b.band_order, list_position($standard_ids::VARCHAR[], s.standard_id)
