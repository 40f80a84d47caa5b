-- Complaints open at as_of by age band (whole days since opened_at): 0-2 d, 3-7 d, 8-14 d,
-- 15-30 d, > 30 d. Open at as_of: opened by then and not resolved by then (at the latest timestamp
-- in the data, the default, that is no resolved_at; an earlier as_of, like the open backlog's
-- weeks, sees later resolutions as not yet happened). A complaint stays open until it is resolved,
-- so those opened before the period count too (opened up to the period's end; the other filters
-- apply). Every band is listed.
WITH open_complaints AS (
    SELECT floor((epoch_us($as_of::TIMESTAMPTZ) - epoch_us(opened_at)) / 8.64e10) AS age_days
    FROM filtered_contacts(NULL::DATE, $date_to::DATE, $channels::VARCHAR[], $teams::VARCHAR[], $partners::VARCHAR[], $products::VARCHAR[])
    WHERE kind = 'complaint' AND opened_at <= $as_of::TIMESTAMPTZ
      AND (resolved_at IS NULL OR resolved_at > $as_of::TIMESTAMPTZ)
),
bands AS (
    SELECT * FROM (VALUES (1, '0-2 d', 0, 3), (2, '3-7 d', 3, 8), (3, '8-14 d', 8, 15),
                          (4, '15-30 d', 15, 31), (5, '> 30 d', 31, NULL)) b(band_order, band, from_day, before_day)
)
SELECT b.band, count(o.age_days) AS open_complaints
FROM bands b
LEFT JOIN open_complaints o ON o.age_days >= b.from_day AND (b.before_day IS NULL OR o.age_days < b.before_day)
GROUP BY b.band, b.band_order
ORDER BY b.band_order
